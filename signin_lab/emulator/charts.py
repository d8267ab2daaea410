"""Deprecated: the alarm dashboard moved to `signin_lab.charts` (this path is kept for one release)."""

from __future__ import annotations

import warnings

from signin_lab.charts.alarms import (
    STATE_COLORS,
    dashboard,
    draw_datapoints,
    draw_states,
    minute_steps,
    state_bands,
)

warnings.warn(
    "signin_lab.emulator.charts is deprecated: use signin_lab.charts "
    "(alarm_dashboard, minute_steps, state_bands)",
    DeprecationWarning,
    stacklevel=2,
)

__all__ = ["STATE_COLORS", "dashboard", "draw_datapoints", "draw_states", "minute_steps", "state_bands"]
