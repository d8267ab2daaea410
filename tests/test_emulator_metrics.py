"""Tests for signin_lab.emulator.metrics: per-minute datapoints, default values, periods."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from signin_lab.emulator.metrics import (
    Datapoint,
    LogEvent,
    MetricFilter,
    aggregate,
    datapoints,
    period_values,
)
from signin_lab.errors import SigninLabError
from signin_lab.filterpattern import FilterPattern

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
PATTERN = '{ $.eventName = "ConsoleLogin" }'


def _filter(default: float | None = 0.0, value: str = "1") -> MetricFilter:
    return MetricFilter(
        name="f",
        pattern=PATTERN,
        metric_name="m",
        namespace="ns",
        metric_value=value,
        default_value=default,
        unit=None,
        matcher=FilterPattern(PATTERN),
    )


def _event(minute: int, name: str, **extra: object) -> LogEvent:
    record = {"eventName": name, **extra}
    return LogEvent(T0 + timedelta(minutes=minute, seconds=10), json.dumps(record), record)


def test_match_counts_metric_value_per_minute() -> None:
    """Two matches in one minute with metricValue 1 give a Sum of 2 (MonitoringLogData.html)."""
    points = datapoints([_event(0, "ConsoleLogin"), _event(0, "ConsoleLogin")], [_filter()])
    assert [(T0, 2.0, 2.0)] == [(p.time, p.sum, p.sample_count) for p in points]


def test_default_value_for_minute_with_logs_but_no_match() -> None:
    """A minute with logs and no match reports the default value."""
    points = datapoints([_event(3, "GetObject")], [_filter()])
    assert [(T0 + timedelta(minutes=3), 0.0)] == [(p.time, p.sum) for p in points]


def test_no_datapoint_for_minute_without_logs() -> None:
    """'If no logs are ingested during a one-minute period, then no value is reported.'"""
    points = datapoints([_event(0, "GetObject"), _event(5, "GetObject")], [_filter()])
    assert [T0, T0 + timedelta(minutes=5)] == [p.time for p in points]


def test_default_value_is_one_sample_per_minute() -> None:
    """Decision (ambiguity 8): the default is reported once per minute, not once per event."""
    events = [_event(1, "GetObject"), _event(1, "PutObject"), _event(1, "ListBuckets")]
    assert [1.0] == [p.sample_count for p in datapoints(events, [_filter()])]


def test_no_default_value_means_no_datapoint() -> None:
    """Without a default value, a minute with logs but no match reports nothing."""
    assert [] == datapoints([_event(0, "GetObject")], [_filter(default=None)])


def test_metric_value_from_json_field() -> None:
    """metricValue `$.latency` publishes the field's value for each match."""
    events = [_event(0, "ConsoleLogin", latency=50), _event(0, "ConsoleLogin", latency=7)]
    points = datapoints(events, [_filter(value="$.latency")])
    assert [(57.0, 7.0, 50.0)] == [(p.sum, p.minimum, p.maximum) for p in points]


def test_metric_value_field_absent_gives_no_sample() -> None:
    """A match whose `$.field` is absent contributes no sample, and no default either."""
    assert [] == datapoints([_event(0, "ConsoleLogin")], [_filter(value="$.latency")])


def test_filter_with_dimensions_is_refused() -> None:
    """Dimensions are not modelled: a SigninLabError naming the filter."""
    raw = {
        "filterName": "dims",
        "filterPattern": PATTERN,
        "metricTransformations": [
            {
                "metricName": "m",
                "metricNamespace": "ns",
                "metricValue": "1",
                "dimensions": {"eventType": "$.eventType"},
            }
        ],
    }
    with pytest.raises(SigninLabError, match="'dims'"):
        MetricFilter.from_aws(raw, FilterPattern)


def _dp(minute: int, total: float, count: float = 1.0) -> Datapoint:
    return Datapoint(T0 + timedelta(minutes=minute), "ns", "m", count, total, total, total)


@pytest.mark.parametrize(
    ("statistic", "expected"),
    [("Sum", 3.0), ("SampleCount", 3.0), ("Average", 1.0), ("Minimum", 0.0), ("Maximum", 2.0)],
)
def test_aggregate_statistics(statistic: str, expected: float) -> None:
    """Each statistic over a period's per-minute datapoints."""
    assert expected == aggregate([_dp(0, 0.0), _dp(1, 2.0), _dp(2, 1.0)], statistic)


def test_aggregate_empty_period_is_missing() -> None:
    """A period with no datapoint is missing (None), not zero."""
    assert aggregate([], "Sum") is None


def test_period_windows_slide_every_minute() -> None:
    """alarm-evaluation.html: at the end of minute 5 a 300 s alarm sees minutes 1-5, at the end
    of minute 6 minutes 2-6."""
    by_minute = {T0: [_dp(0, 1.0)]}  # a datapoint in minute 1 (09:00)
    at_5 = period_values(by_minute, T0 + timedelta(minutes=5), 300, 1, "Sum")
    at_6 = period_values(by_minute, T0 + timedelta(minutes=6), 300, 1, "Sum")
    assert [(T0, 1.0), (T0 + timedelta(minutes=1), None)] == at_5 + at_6


def test_high_resolution_period_is_refused() -> None:
    """Periods under a minute are not modelled: a SigninLabError naming the period."""
    with pytest.raises(SigninLabError, match="Period 10"):
        period_values({}, T0, 10, 1, "Sum")
