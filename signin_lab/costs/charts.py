"""Deprecated: the cost charts moved to `signin_lab.charts` (this path is kept for one release)."""

from __future__ import annotations

import warnings

from signin_lab.charts.costs import SERVICE_COLOURS, cost_curve, stacked_bars

warnings.warn(
    "signin_lab.costs.charts is deprecated: use signin_lab.charts (stacked_bars, cost_curve)",
    DeprecationWarning,
    stacklevel=2,
)

__all__ = ["SERVICE_COLOURS", "cost_curve", "stacked_bars"]
