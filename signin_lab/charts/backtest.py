"""A backtest's chart per alert, drawn as the alarm dashboard draws a replay (moves to the charts
package at merge): the per-minute series, the threshold, and the alarm's states over it.

Colours and the per-minute steps are the dashboard's (signin_lab.emulator.charts: the console's
"gray when it's in the INSUFFICIENT_DATA state and red when it's in the ALARM state",
https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html).
A month holds up to 43,200 minutes, so the series is drawn as a step line without markers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

    from signin_lab.backtest.result import Backtest


def alert_figure(result: Backtest, alert: str, figsize: tuple[float, float] = (11.0, 4.5)) -> Figure:
    """One alert over the archive: its alarm's state band above its per-minute series."""
    import matplotlib.dates as mdates
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    from signin_lab.charts.alarms import minute_steps
    from signin_lab.charts.palette import STATE_COLORS

    _, configured = result._alert(alert)
    a = result.alerts[configured.topic_name]
    fig = Figure(figsize=figsize, layout="constrained")
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=(1, 3))
    rows = a.timeline
    for k, row in enumerate(rows):
        until = rows[k + 1].time if k + 1 < len(rows) else result.end
        left = mdates.date2num(row.time)
        top.broken_barh(
            [(left, mdates.date2num(until) - left)], (0, 1), facecolors=STATE_COLORS[row.state]
        )
    top.set_yticks([])
    top.set_title(
        f"{a.name}: {a.matches:,} matches, {len(a.changes):,} state changes, "
        f"{a.emails:,} emails, {a.sms:,} SMS, {a.alarm_minutes:,} min in ALARM",
        loc="left",
        fontsize="medium",
    )
    top.legend(
        handles=[Patch(color=c, label=s) for s, c in STATE_COLORS.items()],
        loc="lower right",
        bbox_to_anchor=(1.0, 1.25),
        fontsize="small",
        ncols=3,
    )
    series = result.series(configured.topic_name)
    xs, ys = minute_steps(
        zip([t.to_pydatetime() for t in series["time"]], series["value"], strict=True)
    )
    bottom.step(mdates.date2num(xs), ys, where="post", linewidth=0.8, label="per-minute Sum")
    threshold = float(configured.threshold if configured.threshold is not None else 0.0)
    bottom.axhline(threshold, linestyle="--", color=STATE_COLORS["ALARM"], linewidth=1.2, zorder=5)
    bottom.set_xlim(mdates.date2num(result.start), mdates.date2num(result.end))
    locator = mdates.AutoDateLocator()
    bottom.xaxis.set_major_locator(locator)
    bottom.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    bottom.set_ylabel("per-minute Sum")
    bottom.set_xlabel("time (UTC); dashed: the alarm threshold")
    if not len(series):
        bottom.text(0.5, 0.5, "no datapoints", transform=bottom.transAxes, ha="center",
                    va="center", color="#555555")
    return fig
