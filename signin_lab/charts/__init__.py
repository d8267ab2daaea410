"""Every chart of the kit: sign-ins, the alarm dashboard, costs; one palette, one figure helper.

Charts take results and return a `matplotlib.figure.Figure` (no pyplot, no window; see
charts/figure.py): sign-in charts take a `signins_frame`, `alarm_dashboard` a `ReplayRun`, the
cost charts `costs` Reports and what-if Curves. Colours come from charts/palette.py only.
"""

from __future__ import annotations

from signin_lab.charts.alarms import alarm_dashboard, minute_steps, state_bands
from signin_lab.charts.costs import cost_curve, stacked_bars
from signin_lab.charts.figure import new_figure
from signin_lab.charts.palette import (
    OUTCOME_COLOURS,
    SERIES_COLOURS,
    SERVICE_COLOURS,
    STATE_COLORS,
)
from signin_lab.charts.signins import (
    SIGNIN_CHARTS,
    signin_heatmap,
    signins_over_time,
    top_source_ips,
    top_user_agents,
)

__all__ = [
    "OUTCOME_COLOURS",
    "SERIES_COLOURS",
    "SERVICE_COLOURS",
    "SIGNIN_CHARTS",
    "STATE_COLORS",
    "alarm_dashboard",
    "cost_curve",
    "minute_steps",
    "new_figure",
    "signin_heatmap",
    "signins_over_time",
    "stacked_bars",
    "state_bands",
    "top_source_ips",
    "top_user_agents",
]
