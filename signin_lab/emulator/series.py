"""Metric filters as running per-minute sums: the emulator's datapoints, built one event at a time.

`metrics.datapoints(events, filters)` needs every log event at once; a month of an account's
traffic does not fit in memory that way. `MinuteSeries` keeps, per minute, how many log events
arrived and, per filter, the SampleCount, Sum, Minimum and Maximum of its matches, and gives back
exactly the Datapoints `metrics.datapoints` gives for the same events (a test pins it), in any
arrival order: the statistics of a minute do not depend on the order of its events.

The rules are metrics.py's (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/MonitoringLogData.html):
a match contributes its metric value; a minute with log events and no match of a filter gets that
filter's defaultValue when one is set; a minute without log events gets nothing. Because the
default is applied when the datapoints are read, not when events are added, the same series can be
read with another defaultValue without seeing the events again (`datapoints(default_values=...)`).

`run_alarm_series` is `replay.run_alarm` for a month of minutes: the same evaluation times
(`replay.evaluation_times`, on minute indexes), the same period values (`metrics.aggregate` over
each period's datapoints, computed once per period start instead of once per evaluation), and the
same `alarms.evaluate` and `alarms.reason`. An evaluation's resulting state depends only on the
current state and the period values (times only enter the reason text), so the state each
(state, period values) leads to is remembered, and a month of identical quiet periods is
evaluated once. Tests check the two give the same transitions, and the backtest the same
timelines as `lab.replay` on moto.

The emulator could use both (Emulator.replay: `points = MinuteSeries.from_events(events,
pipeline.filters).datapoints()` and `run_alarm_series` in place of `run_alarm`).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from signin_lab.emulator.alarms import ALARM_STATES, AlarmState, evaluate, evaluation_range, reason
from signin_lab.emulator.clock import MINUTE, floor_minute
from signin_lab.emulator.metrics import Datapoint, LogEvent, MetricFilter, _number, aggregate
from signin_lab.emulator.replay import AlarmSpec, Transition, _for_alarm


@dataclass
class MinuteSeries:
    """Per-minute log-event counts and, per filter, per-minute match statistics."""

    filters: tuple[MetricFilter, ...]
    #: log events per minute (a minute is present only when some event arrived in it)
    events: dict[datetime, int] = field(default_factory=dict)
    #: per filter: minute -> [SampleCount, Sum, Minimum, Maximum] of the values its matches gave
    stats: list[dict[datetime, list[float]]] = field(default_factory=list)
    #: per filter: minutes with a match (a match with no usable value still counts as a match)
    matched: list[set[datetime]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.stats:
            self.stats = [{} for _ in self.filters]
        if not self.matched:
            self.matched = [set() for _ in self.filters]

    @classmethod
    def from_events(
        cls, events: Iterable[LogEvent], filters: Sequence[MetricFilter]
    ) -> MinuteSeries:
        """The series of these log events, matched the way `metrics.datapoints` matches them."""
        series = cls(tuple(filters))
        literal = [_number(f.metric_value) for f in filters]
        for event in events:
            minute = floor_minute(event.timestamp)
            series.add_events(minute)
            for i, f in enumerate(filters):
                if event.record is not None:
                    hit = f.matcher.matches_event(event.record)
                else:
                    hit = f.matcher.matches(event.message)
                if not hit:
                    continue
                value = literal[i]
                if value is None:
                    value = f.matcher.metric_value(event.message, f.metric_value)
                series.add_match(i, minute, value)
        return series

    def add_events(self, minute: datetime, count: int = 1) -> None:
        """`count` log events arrived in `minute` (the start of a UTC minute)."""
        self.events[minute] = self.events.get(minute, 0) + count

    def add_match(self, index: int, minute: datetime, value: float | None) -> None:
        """Filter `index` matched an event of `minute`; `value` is its metric value (None: none)."""
        self.matched[index].add(minute)
        if value is None:
            return
        v = float(value)
        s = self.stats[index].get(minute)
        if s is None:
            self.stats[index][minute] = [1.0, v, v, v]
        else:
            s[0] += 1.0
            s[1] += v
            s[2] = min(s[2], v)
            s[3] = max(s[3], v)

    def add_matches(self, index: int, minute: datetime, count: int, value: float) -> None:
        """`count` matches of filter `index` in `minute`, each with the same metric `value`."""
        if count <= 0:
            return
        self.matched[index].add(minute)
        v = float(value)
        s = self.stats[index].get(minute)
        if s is None:
            self.stats[index][minute] = [float(count), v * count, v, v]
        else:
            s[0] += count
            s[1] += v * count
            s[2] = min(s[2], v)
            s[3] = max(s[3], v)

    def datapoint(
        self, index: int, minute: datetime, default_value: float | None
    ) -> Datapoint | None:
        """Filter `index`'s datapoint for `minute`, or None when it publishes nothing then."""
        f = self.filters[index]
        s = self.stats[index].get(minute)
        if s is None:
            if minute in self.matched[index] or default_value is None or minute not in self.events:
                return None
            d = float(default_value)
            s = [1.0, d, d, d]
        return Datapoint(
            time=minute,
            namespace=f.namespace,
            metric_name=f.metric_name,
            sample_count=s[0],
            sum=s[1],
            minimum=s[2],
            maximum=s[3],
            unit=f.unit,
        )

    def by_minute(self, index: int, default: float | None) -> SeriesView:
        """Filter `index`'s datapoints by minute, the shape `replay.run_alarm` reads, with
        `default` as its defaultValue (pass `filters[index].default_value` for the filter's own)."""
        return SeriesView(self, index, default)

    def datapoints(
        self, default_values: Mapping[int, float | None] | None = None
    ) -> list[Datapoint]:
        """Every datapoint, sorted by time then filter order, as `metrics.datapoints` returns them."""
        defaults = default_values or {}
        out = []
        for minute in sorted(self.events):
            for i, f in enumerate(self.filters):
                p = self.datapoint(i, minute, defaults.get(i, f.default_value))
                if p is not None:
                    out.append(p)
        return out


class SeriesView(Mapping[datetime, list[Datapoint]]):
    """One filter's datapoints by minute, made on demand from a MinuteSeries (no copy)."""

    def __init__(self, series: MinuteSeries, index: int, default: float | None) -> None:
        self.series = series
        self.index = index
        self.default = default

    def __getitem__(self, minute: datetime) -> list[Datapoint]:
        p = self.series.datapoint(self.index, minute, self.default)
        if p is None:
            raise KeyError(minute)
        return [p]

    def _minutes(self) -> Iterable[datetime]:
        s = self.series
        return s.events if self.default is not None else s.stats[self.index]

    def __iter__(self) -> Iterator[datetime]:
        return (m for m, _ in self.signatures())

    def __len__(self) -> int:
        return sum(1 for _ in self.signatures())

    def signatures(self) -> Iterator[tuple[datetime, tuple[float, float, float, float]]]:
        """(minute, (SampleCount, Sum, Minimum, Maximum)) of each minute with a datapoint."""
        stats = self.series.stats[self.index]
        matched = self.series.matched[self.index]
        d = self.default
        for minute in self._minutes():
            s = stats.get(minute)
            if s is not None:
                yield minute, (s[0], s[1], s[2], s[3])
            elif d is not None and minute not in matched:
                yield minute, (1.0, float(d), float(d), float(d))

    @property
    def unit(self) -> str | None:
        """The unit of every datapoint of this filter."""
        return self.series.filters[self.index].unit


def run_alarm_series(
    spec: AlarmSpec,
    by_minute: Mapping[datetime, Sequence[Datapoint]],
    start: datetime,
    end: datetime,
    state: AlarmState,
) -> list[Transition]:
    """`replay.run_alarm`, remembering the state each (state, range contents) leads to."""
    width = evaluation_range(spec.evaluation_periods)
    reach = spec.range_minutes
    base = start - timedelta(minutes=reach)
    size = int((end - base) / MINUTE) + 1
    sigs: Iterator[tuple[datetime, object]]
    if isinstance(by_minute, SeriesView):  # one filter, one unit: no copy, no Datapoint made
        kept = spec.unit is None or (by_minute.unit or "None") == spec.unit
        sigs = by_minute.signatures() if kept else iter(())
    else:
        points = _for_alarm(spec, by_minute)  # the datapoints of the alarm's Unit
        sigs = (
            (m, tuple((p.sample_count, p.sum, p.minimum, p.maximum, p.unit) for p in pts))
            for m, pts in points.items()
            if pts
        )
    # Each minute from `base` as a small number naming its statistics (0: no datapoint).
    ids: dict[object, int] = {}
    stats = [0] * size
    for minute, sig in sigs:
        i = int((minute - base) / MINUTE)
        if 0 <= i < size:
            stats[i] = ids.setdefault(sig, len(ids) + 1)
    points_of: list[list[Datapoint]] = [[]] + [
        _datapoints(sig, base, spec) for sig in ids
    ]
    # A period's statistic depends on which minutes' statistics it holds, not on their order
    # within it, when every per-minute Sum is a whole number (float sums of whole numbers are
    # exact in any order); then a period's minutes are keyed as a sorted tuple.
    whole = all(map(_whole_sums, ids))
    minutes = spec.period // 60
    # The value of the period starting at each minute index, with metrics.aggregate.
    chunk: dict[tuple[int, ...], float | None] = {}
    value = [None] * size  # type: list[float | None]
    for j in range(size - minutes + 1):
        ck = tuple(stats[j : j + minutes])
        if whole:
            ck = tuple(sorted(ck))
        if ck not in chunk:
            chunk[ck] = aggregate([p for k in ck for p in points_of[k]], spec.statistic)
        value[j] = chunk[ck]
    # The `width` period values an evaluation at minute i reads, keyed by i - reach.
    windows = list(zip(*(value[k * minutes :] for k in range(width)), strict=False))
    # The state each (current state, period values) leads to; times only enter the reason.
    memo: dict[str, dict[tuple[float | None, ...], AlarmState]] = {s: {} for s in ALARM_STATES}
    settings = {
        "threshold": spec.threshold,
        "comparison_operator": spec.comparison_operator,
        "evaluation_periods": spec.evaluation_periods,
        "datapoints_to_alarm": spec.datapoints_to_alarm,
        "treat_missing_data": spec.treat_missing_data,
    }
    out = []
    seen = memo[state]
    for i in _evaluation_indexes(stats, reach, int((start - base) / MINUTE), size - 1):
        window = windows[i - reach]
        if seen.get(window) == state:
            continue
        t = base + i * MINUTE
        # period_values(points, t, spec.period, width, spec.statistic), from the table above
        values = [(base + (i - reach + k * minutes) * MINUTE, v) for k, v in enumerate(window)]
        e = evaluate(values, current_state=state, **settings)  # type: ignore[arg-type]
        seen[window] = e.state
        if e.state != state:
            out.append(
                Transition(t, spec.name, e.state, reason(e, state), state, spec.actions(e.state))
            )
            state = e.state
            seen = memo[state]
    return out


def _datapoints(sig: object, time: datetime, spec: AlarmSpec) -> list[Datapoint]:
    """The Datapoints a minute signature stands for (their time does not enter a statistic)."""
    assert isinstance(sig, tuple)
    rows = sig if sig and isinstance(sig[0], tuple) else ((*sig, None),)
    return [
        Datapoint(time, spec.namespace, spec.metric_name, c, total, lo, hi, unit)
        for c, total, lo, hi, unit in rows
    ]


def _whole_sums(sig: object) -> bool:
    """Whether a minute's signature holds whole-number Sums only (flat, or one per datapoint)."""
    assert isinstance(sig, tuple)
    if sig and isinstance(sig[0], tuple):
        return all(float(p[1]).is_integer() for p in sig)
    return float(sig[1]).is_integer()


def _evaluation_indexes(stats: Sequence[int], reach: int, first: int, last: int) -> list[int]:
    """`replay.evaluation_times` on minute indexes: `first + 1`, and every minute up to
    `reach + 1` after a minute with a datapoint, within (first, last]."""
    # before[k]: how many minutes before index k have a datapoint
    before = [0, *itertools.accumulate(1 if s else 0 for s in stats)]
    return [
        i
        for i in range(first + 1, last + 1)
        if i == first + 1 or before[i] > before[max(0, i - reach - 1)]
    ]
