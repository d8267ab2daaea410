"""Sign-in charts: each takes a `signins_frame` and returns a Figure (see charts/figure.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from signin_lab.charts.figure import LEGEND_SIZE, empty, new_figure
from signin_lab.charts.palette import OTHER, OUTCOME_COLOURS, SERIES_COLOURS

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.figure import Figure

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_NOTHING = "no console sign-ins"


def _figure(width: float, height: float) -> Figure:
    return new_figure((width, height))


def _empty(fig: Figure, title: str) -> Figure:
    return empty(fig, title, _NOTHING)


def _auto_freq(frame: pd.DataFrame) -> str:
    """Bin width for the time axis: 5 minutes up to 3 hours, hourly up to 3 days, else daily."""
    span = frame["time"].max() - frame["time"].min()
    hours = span.total_seconds() / 3600
    return "5min" if hours <= 3 else "1h" if hours <= 72 else "1D"


def signins_over_time(frame: pd.DataFrame, *, freq: str | None = None) -> Figure:
    """Sign-ins per time bin, one line per outcome x user type (e.g. "Failure Root").

    `freq` is a pandas offset alias ("5min", "1h", "1D"); by default it follows the data's span.
    The 5-minute bins match the blog's alarm period, so a bar above zero is an alarm.
    """
    import pandas as pd

    fig = _figure(9, 4)
    title = "Console sign-ins over time"
    if frame.empty:
        return _empty(fig, title)
    freq = freq or _auto_freq(frame)
    groups = frame.assign(series=frame["outcome"].fillna("?") + " " + frame["user_type"].fillna("?"))
    counts = (
        groups.groupby([pd.Grouper(key="time", freq=freq), "series"], observed=True)
        .size()
        .unstack("series", fill_value=0)
        .sort_index()
    )
    full = pd.date_range(counts.index.min(), counts.index.max(), freq=freq, tz="UTC")
    counts = counts.reindex(full, fill_value=0)
    ax = fig.add_subplot()
    for column in sorted(counts.columns):
        outcome, _, user_type = column.partition(" ")
        colour = SERIES_COLOURS.get((outcome, user_type))
        ax.step(counts.index, counts[column], where="post", label=column, color=colour)
    ax.set_title(title)
    ax.set_xlabel(f"time (UTC), {freq} bins")
    ax.set_ylabel("sign-ins")
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left", fontsize=LEGEND_SIZE)
    fig.autofmt_xdate()
    return fig


def signin_heatmap(frame: pd.DataFrame) -> Figure:
    """Sign-ins by weekday (rows, Monday first) and hour of day (columns, UTC)."""
    import numpy as np

    fig = _figure(10, 3.6)
    title = "Console sign-ins by weekday and hour (UTC)"
    if frame.empty:
        return _empty(fig, title)
    grid = np.zeros((7, 24), dtype=int)
    np.add.at(grid, (frame["time"].dt.day_of_week.to_numpy(), frame["time"].dt.hour.to_numpy()), 1)
    ax = fig.add_subplot()
    image = ax.imshow(grid, aspect="auto", cmap="Reds", vmin=0)
    ax.set_yticks(range(7), _WEEKDAYS)
    ax.set_xticks(range(0, 24, 2), [f"{h:02d}" for h in range(0, 24, 2)])
    ax.set_xlabel("hour (UTC)")
    ax.set_title(title)
    fig.colorbar(image, ax=ax, label="sign-ins")
    return fig


def _top_bars(frame: pd.DataFrame, column: str, n: int, title: str, width: int) -> Figure:
    """Horizontal bars of the `n` commonest values of `column`, split by outcome."""
    fig = _figure(9, 1.2 + 0.35 * min(n, max(1, frame[column].nunique())))
    if frame.empty:
        return _empty(fig, title)
    table = (
        frame.assign(value=frame[column].fillna("(none)"), outcome=frame["outcome"].fillna("?"))
        .groupby(["value", "outcome"], observed=True)
        .size()
        .unstack("outcome", fill_value=0)
    )
    table["total"] = table.sum(axis=1)
    # Most first, ties by value so the order is deterministic; drawn bottom-up, so reversed.
    table = table.reset_index().sort_values(["total", "value"], ascending=[False, True])
    table = table.head(n).iloc[::-1].reset_index(drop=True)
    ax = fig.add_subplot()
    positions = range(len(table))
    left = None
    for outcome in [c for c in ("Failure", "Success", "?") if c in table.columns]:
        ax.barh(
            positions,
            table[outcome],
            left=left,
            label=outcome,
            color=OUTCOME_COLOURS.get(outcome, OTHER),
        )
        left = table[outcome] if left is None else left + table[outcome]
    # Positions, not category labels: two long agents may shorten to the same text.
    ax.set_yticks(positions, [_shorten(str(v), width) for v in table["value"]])
    ax.set_title(title)
    ax.set_xlabel("sign-ins")
    ax.legend(loc="lower right", fontsize=LEGEND_SIZE)
    return fig


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def top_source_ips(frame: pd.DataFrame, *, n: int = 10) -> Figure:
    """The `n` source IP addresses with the most sign-ins, failures and successes stacked."""
    return _top_bars(frame, "source_ip", n, f"Top {n} source IP addresses", 40)


def top_user_agents(frame: pd.DataFrame, *, n: int = 10) -> Figure:
    """The `n` user agents with the most sign-ins (long agents shortened), by outcome."""
    return _top_bars(frame, "user_agent", n, f"Top {n} user agents", 60)


#: The sign-in charts `signin-lab analyze` writes, by file stem.
SIGNIN_CHARTS = {
    "signins_over_time": signins_over_time,
    "signin_heatmap": signin_heatmap,
    "top_source_ips": top_source_ips,
    "top_user_agents": top_user_agents,
}

__all__ = [
    "SIGNIN_CHARTS",
    "signin_heatmap",
    "signins_over_time",
    "top_source_ips",
    "top_user_agents",
]
