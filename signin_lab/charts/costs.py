"""Cost charts: stacked bars by service of `costs` Reports, and cost against a what-if Curve's driver."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from signin_lab.charts.figure import new_figure
from signin_lab.charts.palette import SERVICE_COLOURS
from signin_lab.costs.model import SERVICES, Report
from signin_lab.costs.whatif import Curve
from signin_lab.errors import SigninLabError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

def _services(reports: Sequence[Report]) -> list[str]:
    extra = sorted({s for r in reports for s in r.by_service} - set(SERVICES))
    return [*SERVICES, *extra]


def stacked_bars(
    reports: Mapping[str, Report] | Sequence[tuple[str, Report]],
    title: str = "Monthly cost by service",
    figsize: tuple[float, float] = (7.0, 4.0),
) -> Figure:
    """One bar per labelled report, stacked by service (USD a month after free allowances).

    Every service gets a bar segment (height 0 when free), so each bar container of the axes
    holds one patch per report and the legend always lists the same services.
    """
    pairs = list(reports.items()) if isinstance(reports, Mapping) else list(reports)
    if not pairs:
        raise SigninLabError("reports: nothing to chart")
    labels = [str(label) for label, _ in pairs]
    values = [report for _, report in pairs]
    fig = new_figure(figsize)
    ax = fig.add_subplot()
    bottoms = [0.0] * len(values)
    for service in _services(values):
        heights = [report.by_service.get(service, 0.0) for report in values]
        ax.bar(labels, heights, bottom=bottoms, label=service, color=SERVICE_COLOURS.get(service))
        bottoms = [b + h for b, h in zip(bottoms, heights, strict=True)]
    for x, total in enumerate(bottoms):
        ax.annotate(f"{total:.2f}", (x, total), ha="center", va="bottom", fontsize=8)
    ax.set_ylim(0, max(max(bottoms), 0.01) * 1.15)  # room for the totals above the bars
    ax.set_ylabel("USD per month")
    ax.set_title(title)
    ax.legend(loc="upper left", fontsize=8)
    return fig


def cost_curve(
    curves: Curve | Sequence[Curve],
    title: str = "Monthly cost against scale",
    log_x: bool = False,
    mark_break_even: bool = True,
    figsize: tuple[float, float] = (7.0, 4.0),
) -> Figure:
    """One line per curve: USD a month against the curve's driver, with its break-even point
    marked by a dotted vertical line (where the driver starts to cost anything)."""
    from matplotlib.ticker import MaxNLocator

    items = [curves] if isinstance(curves, Curve) else list(curves)
    if not items:
        raise SigninLabError("curves: nothing to chart")
    fig = new_figure(figsize)
    ax = fig.add_subplot()
    for item in items:
        (line,) = ax.plot(item.xs, item.totals, marker="o", markersize=3, label=item.name)
        point = item.break_even() if mark_break_even else None
        if point is not None:
            ax.axvline(point, linestyle=":", color=line.get_color(), linewidth=1)
    xs = [x for item in items for x in item.xs]
    if log_x:
        ax.set_xscale("symlog", linthresh=1)
        # symlog's autoscale margin would reach into negative x, where no driver has a value.
        ax.set_xlim(left=min(xs))
    elif all(float(x).is_integer() for x in xs):
        # Counts (alerts, trails, SMS): whole-number ticks, never "2.5 alerts".
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(" / ".join(dict.fromkeys(item.x_label for item in items)))
    ax.set_ylabel("USD per month")
    ax.set_title(title)
    ax.legend(fontsize=8)
    return fig


__all__ = ["SERVICE_COLOURS", "cost_curve", "stacked_bars"]
