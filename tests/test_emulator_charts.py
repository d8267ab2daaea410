"""The alarm dashboard's datapoint panel: each datapoint covers its own minute, gaps stay gaps."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import matplotlib.dates as mdates
import numpy as np
import pandas as pd

from signin_lab import Lab
from signin_lab.charts import alarm_dashboard as dashboard
from signin_lab.charts import minute_steps
from signin_lab.emulator.replay import DATAPOINT_COLUMNS, TIMELINE_COLUMNS, ReplayRun

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
MIN = timedelta(minutes=1)


def _shape(xs: list[datetime], ys: list[float]) -> list[tuple[datetime, float | None]]:
    """Pairs with NaN as None, so lists compare with ==."""
    return [(x, None if math.isnan(y) else y) for x, y in zip(xs, ys, strict=True)]


def test_consecutive_minutes_form_one_run_closed_after_the_last() -> None:
    """Datapoints in consecutive minutes join up, and the run ends one minute after the last."""
    xs, ys = minute_steps([(T0, 0.0), (T0 + MIN, 1.0)])
    assert [(T0, 0.0), (T0 + MIN, 1.0), (T0 + 2 * MIN, None)] == _shape(xs, ys)


def test_a_missing_minute_breaks_the_line() -> None:
    """A value is not carried over minutes without a datapoint: the line breaks after its minute."""
    xs, ys = minute_steps([(T0 + 3 * MIN, 0.0), (T0, 1.0)])
    assert [(T0, 1.0), (T0 + MIN, None), (T0 + 3 * MIN, 0.0), (T0 + 4 * MIN, None)] == _shape(xs, ys)


def test_dashboard_draws_a_datapoint_over_its_minute_only() -> None:
    """On the dashboard, a Sum of 1 at 09:08 followed by no data until 09:11 is drawn 09:08-09:09."""
    points = pd.DataFrame(
        [(T0 + 8 * MIN, "m", 1.0, "ns", 1.0), (T0 + 11 * MIN, "m", 0.0, "ns", 1.0)],
        columns=list(DATAPOINT_COLUMNS),
    )
    timeline = pd.DataFrame([(T0, "a", "OK", "", None, [])], columns=list(TIMELINE_COLUMNS))
    timeline["time"] = pd.to_datetime(timeline["time"], utc=True)
    run = ReplayRun(timeline=timeline, datapoints=points, start=T0, end=T0 + 15 * MIN,
                    thresholds={"a": ("m", 0.0, "GreaterThanThreshold")})
    fig = dashboard(run)
    line = fig.axes[1].get_lines()[0]  # the metric's line (the threshold lines come after)
    xy = np.asarray(line.get_xydata(), dtype=float)
    times = [mdates.num2date(x) for x in xy[:, 0]]
    drawn = (line.get_drawstyle(), _shape(times, list(xy[:, 1])))
    fig.clear()
    expected = [(T0 + 8 * MIN, 1.0), (T0 + 9 * MIN, None), (T0 + 11 * MIN, 0.0), (T0 + 12 * MIN, None)]
    assert ("steps-post", expected) == drawn


def test_empty_run_says_there_are_no_datapoints(deployed: Lab) -> None:
    """A replay in which no log events arrive labels the empty datapoints panel instead of leaving it blank."""
    run = deployed.replay([], until=datetime(2025, 3, 3, 10, 0, tzinfo=UTC))
    fig = dashboard(run)
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert "no datapoints: no log event matched a filter, and no filter has a default value" in texts
