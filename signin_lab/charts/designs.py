"""The two designs side by side: sign-ins notified and missed, and USD a month (compare_designs)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from signin_lab.charts.figure import LEGEND_SIZE, new_figure
from signin_lab.charts.palette import OUTCOME_COLOURS

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure


class Comparison(Protocol):
    """What the chart reads of `compare_designs`'s result (charts sit below compare's layers)."""

    @property
    def summary_rows(self) -> Sequence[Mapping[str, Any]]: ...


def designs_chart(comparison: Comparison, figsize: tuple[float, float] = (9.0, 3.6)) -> Figure:
    """Left: sign-ins each design notified and missed (stacked); right: USD a month per design.

    `comparison`: a `signin_lab.compare.DesignComparison` (anything with its `summary_rows`)."""
    rows = comparison.summary_rows
    names = [str(r["design"]) for r in rows]
    fig = new_figure(figsize, title="The blog's design and the EventBridge design, same sign-ins")
    left, right = fig.subplots(1, 2)
    notified = [int(r["notified"]) for r in rows]
    missed = [int(r["missed"]) for r in rows]
    left.bar(names, notified, color=OUTCOME_COLOURS["Success"], label="notified")
    left.bar(names, missed, bottom=notified, color=OUTCOME_COLOURS["Failure"], label="missed")
    left.set_ylabel("sign-ins")
    left.set_title("Sign-ins that reached the inbox")
    left.legend(fontsize=LEGEND_SIZE)
    usd = [float(r["usd_per_month"]) for r in rows]
    bars = right.bar(names, usd, color="#888888")
    right.bar_label(bars, labels=[f"USD {u:.2f}" for u in usd], fontsize=LEGEND_SIZE)
    right.set_ylabel("USD a month")
    right.set_title("Monthly cost at these volumes")
    return fig


__all__ = ["Comparison", "designs_chart"]
