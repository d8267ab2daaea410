"""A replay's alarm side, pure: alarm specs read back from DescribeAlarms, the minute-by-minute
evaluation loop on the simulated clock, and the ReplayRun that holds the results.

CloudWatch evaluates a standard-resolution alarm "every minute" over the periods ending at that
minute (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-evaluation.html); a new
alarm starts in INSUFFICIENT_DATA
(https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html), and
actions run only on a state change (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-actions.html).
The loop skips minutes whose evaluation range holds no datapoint once it has evaluated one such
minute: the result cannot change there, so the timeline is the same as evaluating every minute.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from signin_lab.emulator.alarms import (
    INITIAL_REASON,
    OPERATORS,
    AlarmState,
    evaluate,
    evaluation_range,
    reason,
)
from signin_lab.emulator.clock import MINUTE
from signin_lab.emulator.metrics import STATISTICS, Datapoint, period_values
from signin_lab.emulator.notify import InboxMessage
from signin_lab.errors import SigninLabError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.figure import Figure

TIMELINE_COLUMNS = ("time", "alarm", "state", "reason", "old_state", "actions")
DATAPOINT_COLUMNS = ("time", "metric", "value", "namespace", "sample_count")


@dataclass(frozen=True)
class AlarmSpec:
    """The parts of a DescribeAlarms MetricAlarm the emulator evaluates; `raw` keeps the rest."""

    name: str
    namespace: str
    metric_name: str
    statistic: str
    period: int
    evaluation_periods: int
    datapoints_to_alarm: int
    threshold: float
    comparison_operator: str
    treat_missing_data: str
    actions_enabled: bool
    alarm_actions: tuple[str, ...]
    ok_actions: tuple[str, ...]
    insufficient_data_actions: tuple[str, ...]
    unit: str | None
    dimensions: tuple[tuple[str, str], ...]
    raw: Mapping[str, Any] = field(compare=False, repr=False)

    @property
    def metric(self) -> tuple[str, str]:
        return (self.namespace, self.metric_name)

    @property
    def range_minutes(self) -> int:
        """How far back, in minutes, one evaluation looks: evaluation range x Period."""
        return evaluation_range(self.evaluation_periods) * self.period // 60

    def actions(self, state: str) -> tuple[str, ...]:
        """The actions for entering `state` (none when ActionsEnabled is false)."""
        if not self.actions_enabled:
            return ()
        return {
            "ALARM": self.alarm_actions,
            "OK": self.ok_actions,
            "INSUFFICIENT_DATA": self.insufficient_data_actions,
        }[state]

    @classmethod
    def from_aws(cls, raw: Mapping[str, Any]) -> AlarmSpec:
        """Check a DescribeAlarms entry is something the emulator models, and read it.

        Metric math, percentiles (ExtendedStatistic), anomaly-detection bands and high-resolution
        periods are a SigninLabError naming the alarm: never a silent wrong answer.
        """
        name = raw.get("AlarmName", "?")

        def unsupported(what: str) -> SigninLabError:
            return SigninLabError(f"alarm {name!r}: {what} is not modelled by the emulator")

        if raw.get("Metrics"):
            raise unsupported("metric math (Metrics)")
        if raw.get("ThresholdMetricId"):
            raise unsupported("an anomaly detection band (ThresholdMetricId)")
        if raw.get("ExtendedStatistic"):
            raise unsupported(f"the percentile statistic {raw['ExtendedStatistic']!r}")
        op = raw.get("ComparisonOperator")
        if op not in OPERATORS:
            raise unsupported(f"ComparisonOperator {op!r}")
        stat = raw.get("Statistic")
        if stat not in STATISTICS:
            raise unsupported(f"Statistic {stat!r}")
        period = int(raw.get("Period") or 0)
        if period < 60 or period % 60:
            raise unsupported(f"Period {period} (high resolution or missing)")
        n = int(raw.get("EvaluationPeriods") or 1)
        m = int(raw.get("DatapointsToAlarm") or n)
        treat = raw.get("TreatMissingData") or "missing"
        if treat not in ("missing", "notBreaching", "breaching", "ignore"):
            raise unsupported(f"TreatMissingData {treat!r}")
        return cls(
            name=name,
            namespace=raw["Namespace"],
            metric_name=raw["MetricName"],
            statistic=stat,
            period=period,
            evaluation_periods=n,
            datapoints_to_alarm=m,
            threshold=float(raw.get("Threshold", 0.0)),
            comparison_operator=op,
            treat_missing_data=treat,
            actions_enabled=bool(raw.get("ActionsEnabled", True)),
            alarm_actions=tuple(raw.get("AlarmActions") or ()),
            ok_actions=tuple(raw.get("OKActions") or ()),
            insufficient_data_actions=tuple(raw.get("InsufficientDataActions") or ()),
            unit=raw.get("Unit"),
            dimensions=tuple(sorted((d["Name"], d["Value"]) for d in raw.get("Dimensions") or [])),
            raw=raw,
        )


@dataclass(frozen=True)
class Transition:
    """One row of the timeline: an alarm's state at `time`, and why."""

    time: datetime
    alarm: str
    state: AlarmState
    reason: str
    old_state: AlarmState | None
    actions: tuple[str, ...] = ()


def index_by_minute(
    points: Iterable[Datapoint],
) -> dict[tuple[str, str], dict[datetime, list[Datapoint]]]:
    """Datapoints grouped by metric (namespace, name), then by minute."""
    out: dict[tuple[str, str], dict[datetime, list[Datapoint]]] = {}
    for p in points:
        out.setdefault((p.namespace, p.metric_name), {}).setdefault(p.time, []).append(p)
    return out


def _for_alarm(
    spec: AlarmSpec, by_minute: Mapping[datetime, Sequence[Datapoint]]
) -> dict[datetime, list[Datapoint]]:
    """The datapoints an alarm sees: a Unit on the alarm selects datapoints of that unit only."""
    if spec.unit is None:
        return {k: list(v) for k, v in by_minute.items()}
    out: dict[datetime, list[Datapoint]] = {}
    for minute, points in by_minute.items():
        kept = [p for p in points if (p.unit or "None") == spec.unit]
        if kept:
            out[minute] = kept
    return out


def evaluation_times(
    spec: AlarmSpec, minutes: Iterable[datetime], start: datetime, end: datetime
) -> list[datetime]:
    """The minutes (start, end] at which this alarm's result can change (see the module docstring)."""
    times = {start + MINUTE} if start < end else set()
    reach = spec.range_minutes
    for m in minutes:
        first = max(m + MINUTE, start + MINUTE)
        last = min(m + timedelta(minutes=reach + 1), end)
        t = first
        while t <= last:
            times.add(t)
            t += MINUTE
    return sorted(t for t in times if start < t <= end)


def run_alarm(
    spec: AlarmSpec,
    by_minute: Mapping[datetime, Sequence[Datapoint]],
    start: datetime,
    end: datetime,
    state: AlarmState,
) -> list[Transition]:
    """Evaluate one alarm every minute in (start, end] from `state`; return each change."""
    points = _for_alarm(spec, by_minute)
    width = evaluation_range(spec.evaluation_periods)
    out = []
    for t in evaluation_times(spec, points, start, end):
        values = period_values(points, t, spec.period, width, spec.statistic)
        e = evaluate(
            values,
            threshold=spec.threshold,
            comparison_operator=spec.comparison_operator,
            evaluation_periods=spec.evaluation_periods,
            datapoints_to_alarm=spec.datapoints_to_alarm,
            treat_missing_data=spec.treat_missing_data,
            current_state=state,
        )
        if e.state != state:
            out.append(
                Transition(t, spec.name, e.state, reason(e, state), state, spec.actions(e.state))
            )
            state = e.state
    return out


def initial_row(spec: AlarmSpec, time: datetime, state: AlarmState | None) -> Transition:
    """The timeline's first row for an alarm: INSUFFICIENT_DATA for a new alarm (as on AWS; moto
    starts alarms in OK), or the state a previous replay left it in."""
    if state is None:
        return Transition(time, spec.name, "INSUFFICIENT_DATA", INITIAL_REASON, None)
    return Transition(time, spec.name, state, "State at the start of this replay", None)


@dataclass
class ReplayRun:
    """What one replay did: the alarm timeline, the datapoints, deliveries, messages, notes."""

    timeline: pd.DataFrame
    datapoints: pd.DataFrame
    start: datetime
    end: datetime
    records: int = 0
    log_events: int = 0
    log_stream: str | None = None
    log_files: list[str] = field(default_factory=list)
    log_time_shift: timedelta | None = timedelta(0)
    messages: list[InboxMessage] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    thresholds: dict[str, tuple[str, float, str]] = field(default_factory=dict)

    def states(self) -> dict[str, str]:
        """Each alarm's state at the end of the run."""
        out: dict[str, str] = {}
        for row in self.timeline.itertuples():
            out[str(row.alarm)] = str(row.state)
        return out

    def changes(self, alarm: str) -> list[str]:
        """One alarm's states in order, its initial state first."""
        return [str(s) for s in self.timeline.loc[self.timeline["alarm"] == alarm, "state"]]

    def figure(self) -> Figure:
        """Deprecated: use `signin_lab.charts.alarm_dashboard(run)` (results hold data, charts draw)."""
        import warnings

        from signin_lab.charts import alarm_dashboard

        warnings.warn(
            "ReplayRun.figure() is deprecated: use signin_lab.charts.alarm_dashboard(run)",
            DeprecationWarning,
            stacklevel=2,
        )
        return alarm_dashboard(self)


def timeline_frame(rows: Sequence[Transition]) -> pd.DataFrame:
    """The timeline as a DataFrame: time, alarm, state, reason, old_state, actions."""
    import pandas as pd

    data = [
        (r.time, r.alarm, r.state, r.reason, r.old_state, list(r.actions))
        for r in sorted(rows, key=lambda r: (r.time, r.alarm))
    ]
    frame = pd.DataFrame(data, columns=list(TIMELINE_COLUMNS))
    frame["time"] = pd.to_datetime(frame["time"], utc=True)
    return frame


def datapoints_frame(points: Sequence[Datapoint]) -> pd.DataFrame:
    """The datapoints as a DataFrame: time, metric, value (the minute's Sum), namespace, count."""
    import pandas as pd

    data = [(p.time, p.metric_name, p.sum, p.namespace, p.sample_count) for p in points]
    frame = pd.DataFrame(data, columns=list(DATAPOINT_COLUMNS))
    frame["time"] = pd.to_datetime(frame["time"], utc=True)
    return frame
