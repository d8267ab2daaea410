"""The alarm dashboard of a replay: state bands per alarm, and datapoints against the threshold.

It takes a `ReplayRun` (a pure result) and draws it; colours are charts/palette.py's STATE_COLORS.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from signin_lab.charts.figure import LEGEND_SIZE, new_figure
from signin_lab.charts.palette import MUTED_TEXT, OTHER, STATE_COLORS, THRESHOLD

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from signin_lab.emulator.replay import ReplayRun

_MINUTE = timedelta(minutes=1)


def state_bands(run: ReplayRun) -> dict[str, list[tuple[datetime, datetime, str]]]:
    """Each alarm's (from, to, state) intervals over the run, from its timeline rows."""
    out: dict[str, list[tuple[datetime, datetime, str]]] = {}
    for alarm, rows in run.timeline.groupby("alarm", sort=True):
        times = [t.to_pydatetime() for t in rows["time"]]
        states = list(rows["state"])
        bands = []
        for i, (t, s) in enumerate(zip(times, states, strict=True)):
            end = times[i + 1] if i + 1 < len(times) else run.end
            if end > t:
                bands.append((t, end, str(s)))
        out[str(alarm)] = bands
    return out


def draw_states(ax: Axes, run: ReplayRun) -> None:
    """One horizontal lane per alarm, coloured by state over time."""
    import matplotlib.dates as mdates
    from matplotlib.patches import Patch

    bands = state_bands(run)
    names = sorted(bands)
    for lane, name in enumerate(names):
        for start, end, state in bands[name]:
            left = mdates.date2num(start)
            ax.broken_barh(
                [(left, mdates.date2num(end) - left)],
                (lane - 0.4, 0.8),
                facecolors=STATE_COLORS.get(state, OTHER),
            )
    ax.set_yticks(range(len(names)), names)
    ax.set_ylim(-0.6, len(names) - 0.4)
    ax.set_xlim(mdates.date2num(run.start), mdates.date2num(run.end))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%H:%M"))
    ax.set_title("Alarm states", loc="left")
    ax.legend(
        handles=[Patch(color=c, label=s) for s, c in STATE_COLORS.items()],
        loc="lower right",
        bbox_to_anchor=(1.0, 1.06),
        fontsize=LEGEND_SIZE,
        ncols=3,
    )


def minute_steps(points: Iterable[tuple[datetime, float]]) -> tuple[list[datetime], list[float]]:
    """x and y for a post-step line on which each datapoint covers its own minute only.

    A minute without a datapoint is missing, not the previous value: a metric filter reports
    nothing for a minute without log events
    (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/MonitoringLogData.html), and alarms
    treat such a period as missing, not as the last value. A NaN after each run of consecutive
    minutes breaks the line there instead of carrying the last value across the gap.
    """
    xs: list[datetime] = []
    ys: list[float] = []
    for time, value in sorted(points):
        if xs and xs[-1] == time:  # the NaN that closed the previous minute: this one continues it
            xs.pop()
            ys.pop()
        xs.extend((time, time + _MINUTE))
        ys.extend((float(value), math.nan))
    return xs, ys


def draw_datapoints(ax: Axes, run: ReplayRun) -> None:
    """Each metric's per-minute Sum, with the alarm thresholds as dashed lines."""
    import matplotlib.dates as mdates

    frame = run.datapoints
    for metric, rows in frame.groupby("metric", sort=True):
        xs, ys = minute_steps(
            zip([t.to_pydatetime() for t in rows["time"]], rows["value"], strict=True)
        )
        ax.step(mdates.date2num(xs), ys, where="post", label=str(metric), marker=".")
    for threshold in sorted({t for _, t, _ in run.thresholds.values()}):
        ax.axhline(threshold, linestyle="--", color=THRESHOLD, linewidth=1.2, zorder=5)  # over a line at 0
    ax.set_xlim(mdates.date2num(run.start), mdates.date2num(run.end))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%H:%M"))
    ax.set_ylabel("per-minute Sum")
    ax.set_title("Metric filter datapoints against the alarm threshold (dashed)")
    if len(frame):  # beside the panel, so it hides no datapoint
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=LEGEND_SIZE)
    else:  # no log events at all: say so rather than leave a blank panel
        ax.text(
            0.5,
            0.5,
            "no datapoints: no log event matched a filter, and no filter has a default value",
            transform=ax.transAxes,
            ha="center",
            va="center",
            color=MUTED_TEXT,
        )


def alarm_dashboard(run: ReplayRun, figsize: tuple[float, float] = (11.0, 6.5)) -> Figure:
    """A replay's alarm dashboard: state bands per alarm over its datapoints against the thresholds."""
    fig = new_figure(figsize)
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=(1, 1.2))
    draw_states(top, run)
    draw_datapoints(bottom, run)
    bottom.set_xlabel("time (UTC)")
    return fig


#: The name the dashboard had in signin_lab.emulator.charts.
dashboard = alarm_dashboard

__all__ = [
    "STATE_COLORS",
    "alarm_dashboard",
    "dashboard",
    "draw_datapoints",
    "draw_states",
    "minute_steps",
    "state_bands",
]
