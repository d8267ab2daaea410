"""Metric filters, pure: from log events to per-minute datapoints, and from datapoints to periods.

Models https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/MonitoringLogData.html and
https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_MetricTransformation.html:

* each matching event contributes its metric value (a number, or `$.field` / `$field` taken from
  the event); "CloudWatch aggregates and reports metric values every minute";
* defaultValue is "The value reported to the metric filter during a period when logs are ingested
  but no matching logs are found ... If no logs are ingested during a one-minute period, then no
  value is reported." The API reference words it per event ("when a filter pattern does not match a
  log event"); the kit follows the user guide: one default sample per minute with logs and no match
  (Sum is the same either way; SampleCount and Average are not), pinned by a test;
* a `$.field` metric value that is absent or not a number in a matching event contributes no
  sample (AWS documents no value for it; the kit publishes nothing rather than guessing 0).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal, Protocol

from signin_lab.emulator.clock import floor_minute
from signin_lab.errors import SigninLabError

Statistic = Literal["SampleCount", "Average", "Sum", "Minimum", "Maximum"]
STATISTICS: tuple[str, ...] = ("SampleCount", "Average", "Sum", "Minimum", "Maximum")


class Matcher(Protocol):
    """What the emulator needs from a compiled filter pattern (signin_lab.filterpattern)."""

    def matches(self, message: str) -> bool: ...

    def matches_event(self, event: Any) -> bool: ...

    def metric_value(self, message: str, metric_value: str) -> float | None: ...


@dataclass(frozen=True)
class LogEvent:
    """One CloudWatch Logs event: its time, its message, and the parsed record when known
    (`record` must be what `message` parses to; matching then skips the parse)."""

    timestamp: datetime
    message: str
    record: Mapping[str, Any] | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class MetricFilter:
    """One metric filter with one metric transformation, as DescribeMetricFilters returns it."""

    name: str
    pattern: str
    metric_name: str
    namespace: str
    metric_value: str
    default_value: float | None
    unit: str | None
    matcher: Matcher = field(compare=False, repr=False)

    @classmethod
    def from_aws(
        cls, raw: Mapping[str, Any], compile: Callable[[str], Matcher]
    ) -> list[MetricFilter]:
        """One MetricFilter per metric transformation of a DescribeMetricFilters entry.

        Dimensions are not modelled (each dimension value is a separate metric): a SigninLabError.
        """
        name = raw.get("filterName", "?")
        pattern = raw.get("filterPattern", "")
        out = []
        for t in raw.get("metricTransformations") or []:
            if t.get("dimensions"):
                raise SigninLabError(
                    f"metric filter {name!r}: dimensions are not modelled by the emulator"
                )
            default = t.get("defaultValue")
            out.append(
                cls(
                    name=name,
                    pattern=pattern,
                    metric_name=t["metricName"],
                    namespace=t["metricNamespace"],
                    metric_value=str(t["metricValue"]),
                    default_value=None if default is None else float(default),
                    unit=t.get("unit"),
                    matcher=compile(pattern),
                )
            )
        return out


@dataclass(frozen=True)
class Datapoint:
    """One metric's statistics for one minute (a StatisticSet in PutMetricData terms)."""

    time: datetime  # start of the minute, UTC
    namespace: str
    metric_name: str
    sample_count: float
    sum: float
    minimum: float
    maximum: float
    unit: str | None = None

    @property
    def value(self) -> float:
        """The minute's Sum, what a Sum alarm and the console graph of a count show."""
        return self.sum


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


class DatapointAccumulator:
    """`datapoints` fed one event at a time, holding only per-minute running statistics
    (count, sum, minimum, maximum), so a replay of any length keeps flat memory."""

    def __init__(self, filters: Sequence[MetricFilter]) -> None:
        self.filters = tuple(filters)
        self._literal = [_number(f.metric_value) for f in self.filters]
        self._stats: dict[tuple[datetime, int], list[float]] = {}  # [count, sum, min, max]
        self._matched: set[tuple[datetime, int]] = set()
        self._minutes: set[datetime] = set()

    def add(self, event: LogEvent) -> None:
        """Run every filter on one log event."""
        minute = floor_minute(event.timestamp)
        self._minutes.add(minute)
        for i, f in enumerate(self.filters):
            if event.record is not None:
                hit = f.matcher.matches_event(event.record)  # no re-parsing of the JSON record
            else:
                hit = f.matcher.matches(event.message)
            if not hit:
                continue
            self._matched.add((minute, i))
            value = self._literal[i]
            if value is None:
                value = f.matcher.metric_value(event.message, f.metric_value)
            if value is not None:
                v = float(value)
                stat = self._stats.get((minute, i))
                if stat is None:
                    self._stats[(minute, i)] = [1.0, 0.0 + v, v, v]
                else:  # the same additions, in the same order, as sum() over the values
                    stat[0] += 1.0
                    stat[1] += v
                    stat[2] = min(stat[2], v)
                    stat[3] = max(stat[3], v)

    def result(self) -> list[Datapoint]:
        """The datapoints so far, sorted by time, then filter order."""
        out: list[Datapoint] = []
        for minute in sorted(self._minutes):
            for i, f in enumerate(self.filters):
                stat = self._stats.get((minute, i))
                if stat is None and (minute, i) not in self._matched and f.default_value is not None:
                    d = float(f.default_value)
                    stat = [1.0, 0.0 + d, f.default_value, f.default_value]
                if stat is not None:
                    out.append(
                        Datapoint(
                            time=minute,
                            namespace=f.namespace,
                            metric_name=f.metric_name,
                            sample_count=stat[0],
                            sum=float(stat[1]),
                            minimum=stat[2],
                            maximum=stat[3],
                            unit=f.unit,
                        )
                    )
        return out


def datapoints(events: Iterable[LogEvent], filters: Sequence[MetricFilter]) -> list[Datapoint]:
    """The per-minute datapoints the metric filters publish for these log events.

    Matches contribute their metric value; a minute with events but no match gets the default
    value (when set); a minute with no events gets nothing. Sorted by time, then filter order.
    """
    acc = DatapointAccumulator(filters)
    for event in events:
        acc.add(event)
    return acc.result()


def aggregate(points: Sequence[Datapoint], statistic: str) -> float | None:
    """One period's statistic over its per-minute datapoints; None when the period has none.

    https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#Statistic
    """
    if not points:
        return None
    count = sum(p.sample_count for p in points)
    if statistic == "Sum":
        return sum(p.sum for p in points)
    if statistic == "SampleCount":
        return count
    if statistic == "Average":
        return sum(p.sum for p in points) / count if count else None
    if statistic == "Minimum":
        return min(p.minimum for p in points)
    if statistic == "Maximum":
        return max(p.maximum for p in points)
    raise SigninLabError(f"statistic {statistic!r}: one of {', '.join(STATISTICS)}")


def period_values(
    by_minute: Mapping[datetime, Sequence[Datapoint]],
    at: datetime,
    period: int,
    count: int,
    statistic: str,
) -> list[tuple[datetime, float | None]]:
    """The `count` periods ending at `at`, oldest first, as (period start, value or None).

    An alarm evaluated at the end of minute 5 with Period 300 looks at minutes 1-5; at the end of
    minute 6, at minutes 2-6 ("evaluated every minute", alarm-evaluation.html).
    """
    if period < 60 or period % 60:
        raise SigninLabError(
            f"Period {period}: the emulator evaluates standard-resolution alarms (multiples of 60 s)"
        )
    minutes = period // 60
    out = []
    for k in range(count, 0, -1):
        start = at - timedelta(minutes=k * minutes)
        points = [
            p for j in range(minutes) for p in by_minute.get(start + timedelta(minutes=j), ())
        ]
        out.append((start, aggregate(points, statistic)))
    return out
