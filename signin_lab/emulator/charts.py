"""Deprecated: the alarm dashboard moved to `signin_lab.charts` (this path is kept for one release)."""

from __future__ import annotations

from signin_lab.charts._moved import warn_moved
from signin_lab.charts.alarms import (
    STATE_COLORS,
    dashboard,
    draw_datapoints,
    draw_states,
    minute_steps,
    state_bands,
)

warn_moved("signin_lab.emulator.charts", "signin_lab.charts (alarm_dashboard, minute_steps, state_bands)")

__all__ = ["STATE_COLORS", "dashboard", "draw_datapoints", "draw_states", "minute_steps", "state_bands"]
