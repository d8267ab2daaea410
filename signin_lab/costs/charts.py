"""Deprecated: the cost charts moved to `signin_lab.charts` (this path is kept for one release)."""

from __future__ import annotations

from signin_lab.charts._moved import warn_moved
from signin_lab.charts.costs import SERVICE_COLOURS, cost_curve, stacked_bars

warn_moved("signin_lab.costs.charts", "signin_lab.charts (stacked_bars, cost_curve)")

__all__ = ["SERVICE_COLOURS", "cost_curve", "stacked_bars"]
