"""The alarm side on the target: datapoints written with PutMetricData, each alarm run minute by
minute (replay.run_alarm, pure) and its state changes written with SetAlarmState.

Alarm states and datapoints carry over from one replay to the next, as on AWS; `reset` forgets them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from signin_lab.emulator.alarms import AlarmState
from signin_lab.emulator.metrics import Datapoint
from signin_lab.emulator.notify import InboxMessage
from signin_lab.emulator.replay import (
    AlarmSpec,
    Transition,
    index_by_minute,
    initial_row,
    run_alarm,
)

if TYPE_CHECKING:  # pragma: no cover
    from signin_lab.lab import Lab

#: PutMetricData: at most 1,000 metrics a request
#: (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html).
METRICS_PER_CALL = 500
#: SetAlarmState: StateReason is at most 1,023 characters
#: (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_SetAlarmState.html).
MAX_REASON = 1023

Notifier = Callable[[AlarmSpec, Transition, list[str]], list[InboxMessage]]


class AlarmRunner:
    """Alarm states and datapoints of one lab across replays; writes both to the target."""

    def __init__(self, lab: Lab) -> None:
        self.lab = lab
        self.states: dict[str, AlarmState] = {}
        self.points: list[Datapoint] = []

    def reset(self) -> None:
        """Forget alarm states and datapoints (the target keeps what was written)."""
        self.states.clear()
        self.points.clear()

    def put_metric_data(self, points: list[Datapoint]) -> None:
        """Write the datapoints as statistic sets, by namespace, at most METRICS_PER_CALL a call."""
        by_namespace: dict[str, list[dict[str, Any]]] = {}
        for p in points:
            datum: dict[str, Any] = {
                "MetricName": p.metric_name,
                "Timestamp": p.time,
                "StatisticValues": {
                    "SampleCount": p.sample_count,
                    "Sum": p.sum,
                    "Minimum": p.minimum,
                    "Maximum": p.maximum,
                },
            }
            if p.unit:
                datum["Unit"] = p.unit
            by_namespace.setdefault(p.namespace, []).append(datum)
        cw = self.lab.client("cloudwatch")
        for namespace, data in by_namespace.items():
            for i in range(0, len(data), METRICS_PER_CALL):
                cw.put_metric_data(Namespace=namespace, MetricData=data[i : i + METRICS_PER_CALL])
        self.points.extend(points)

    def set_state(self, alarm: str, state: str, reason: str) -> None:
        """SetAlarmState on the target, the reason cut to AWS's limit."""
        self.lab.client("cloudwatch").set_alarm_state(
            AlarmName=alarm, StateValue=state, StateReason=reason[:MAX_REASON]
        )

    def run(
        self,
        alarms: tuple[AlarmSpec, ...],
        start: datetime,
        end: datetime,
        notify: Notifier,
        notes: list[str],
    ) -> tuple[list[Transition], list[InboxMessage]]:
        """Every alarm from `start` to `end` over all datapoints so far: timeline rows and messages."""
        rows: list[Transition] = []
        messages: list[InboxMessage] = []
        by_metric = index_by_minute(self.points)
        for spec in alarms:
            first_seen = spec.name not in self.states
            rows.append(initial_row(spec, start, self.states.get(spec.name)))
            if first_seen:
                self.set_state(spec.name, "INSUFFICIENT_DATA", rows[-1].reason)
            state = self.states.get(spec.name, "INSUFFICIENT_DATA")
            for change in run_alarm(spec, by_metric.get(spec.metric, {}), start, end, state):
                rows.append(change)
                self.set_state(spec.name, change.state, change.reason)
                messages.extend(notify(spec, change, notes))
                state = change.state
            self.states[spec.name] = state
        return rows, messages


__all__ = ["MAX_REASON", "METRICS_PER_CALL", "AlarmRunner"]
