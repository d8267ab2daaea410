"""The blog's design on records, pure: trail Regions, metric filters, per-period alarms, notifications.

The same rules the emulator runs on a target, without one (so `compare_designs` never starts
moto): a multi-Region trail delivers every Region's records, a single-Region trail only its own
Region's (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-aws-console-sign-in-events.html:
sign-ins are recorded in us-east-1 or the global endpoint's Regions); each alert's filter pattern
(signin_lab.filterpattern) counts matches; a period with log events but no match gets the
filter's default value, a period without log events has no datapoint
(https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/MonitoringPolicyExamples.html); the
alarm's state comes from the kit's `alarm_state` (alarms-and-missing-data.html),
and only a change to ALARM notifies (actions run only on a state change,
https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-actions.html).

As in the emulator (emulator/replay.py), a standard-resolution alarm is evaluated "every minute"
over the Periods ending at that minute (alarm-evaluation.html, aws_semantics.md section b); only
minutes whose windows hold a record are evaluated, since nothing else can change the state.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from signin_lab.config import LabConfig
from signin_lab.emulator.alarms import alarm_state
from signin_lab.emulator.delivery import event_time
from signin_lab.emulator.notify import alarm_message, email_text
from signin_lab.filterpattern import FilterPattern


@dataclass(frozen=True)
class BlogAlert:
    """What one alarm did: the times it went to ALARM and the records each time covered."""

    key: str
    name: str
    notifications: tuple[tuple[datetime, tuple[str, ...], str], ...]  # (time, eventIDs, email)
    repeats: tuple[str, ...]  # eventIDs matched while the alarm was already in ALARM
    matched: tuple[str, ...] = ()  # every eventID the filter matched


def _minute(time: datetime) -> datetime:
    return time.replace(second=0, microsecond=0)


def delivered(records: Sequence[Mapping[str, Any]], cfg: LabConfig) -> list[Mapping[str, Any]]:
    """The records the trail delivers: all with a multi-Region trail, else its Region's."""
    if cfg.trail_multi_region:
        return list(records)
    return [r for r in records if r.get("awsRegion") == cfg.region]


def setting(alert: Any, name: str, cfg: LabConfig) -> Any:
    """The alert's own value of `name` (alerts as data: unset fields are None) or the config's."""
    value = getattr(alert, name, None)
    return getattr(cfg, name) if value is None else value


def run_alerts(records: Sequence[Mapping[str, Any]], cfg: LabConfig) -> list[BlogAlert]:
    """Each alert's alarm over the delivered records, evaluated every minute over its last
    `evaluation_periods` Periods (the emulator's rule: a record's minute is in the datapoint of
    the Period that ends after it)."""
    recs = sorted(delivered(records, cfg), key=event_time)
    minute = timedelta(minutes=1)
    logs: dict[datetime, int] = {}
    for r in recs:
        logs[_minute(event_time(r))] = logs.get(_minute(event_time(r)), 0) + 1
    out: list[BlogAlert] = []
    for alert in cfg.alerts:
        period = timedelta(seconds=int(setting(alert, "period", cfg)))
        n = int(setting(alert, "evaluation_periods", cfg))
        default = setting(alert, "default_value", cfg)
        # Only minutes whose windows hold some record can change the state; the span after each
        # record's minute runs until its last window is empty again.
        reach = int((period * n) / minute) + 1
        times = sorted({m + minute * k for m in logs for k in range(1, reach + 1)})
        fp = FilterPattern(alert.pattern)
        hits: dict[datetime, list[str]] = {}
        for r in recs:
            if fp.matches_event(r):
                hits.setdefault(_minute(event_time(r)), []).append(str(r.get("eventID", "?")))
        state = "INSUFFICIENT_DATA"
        sent: list[tuple[datetime, tuple[str, ...], str]] = []
        attributed: set[str] = set()
        repeats: list[str] = []
        for t in times:
            values = _window_values(t, period, n, hits, logs, default)
            new = alarm_state(values, threshold=float(setting(alert, "threshold", cfg)),
                              comparison_operator=str(setting(alert, "comparison_operator", cfg)),
                              evaluation_periods=n,
                              datapoints_to_alarm=int(setting(alert, "datapoints_to_alarm", cfg)),
                              treat_missing_data=str(setting(alert, "treat_missing_data", cfg)),
                              current_state=state)
            fresh = [i for m, v in hits.items() if t - minute <= m < t for i in v]
            if new == "ALARM" and state != "ALARM":
                ids = tuple(i for m, v in sorted(hits.items()) if t - period * n <= m < t
                            for i in v if i not in attributed)
                attributed.update(ids)
                sent.append((t, ids, _email(cfg, alert, state, t)))
            elif state == "ALARM" and new == "ALARM":
                repeats.extend(i for i in fresh if i not in attributed)
            state = new
        matched = tuple(i for v in hits.values() for i in v)
        out.append(BlogAlert(alert.key, alert.alarm_name, tuple(sent), tuple(repeats), matched))
    return out


def _window_values(
    t: datetime, period: timedelta, n: int, hits: Mapping[datetime, list[str]], logs: Mapping[datetime, int],
    default: Any,
) -> list[float | None]:
    """The datapoints of the `n` Periods before `t`, oldest first: the matches' count, else the
    default value when the window holds other log events, else missing (None)."""
    values: list[float | None] = []
    for k in range(n, 0, -1):
        lo, hi = t - period * k, t - period * (k - 1)
        count = sum(len(v) for m, v in hits.items() if lo <= m < hi)
        any_logs = any(lo <= m < hi for m in logs)
        if count:
            values.append(float(count))
        elif any_logs and default is not None:
            values.append(float(default))
        else:
            values.append(None)
    return values


def _email(cfg: LabConfig, alert: Any, old: str, time: datetime) -> str:
    """The alarm email's text (emulator/notify.py's observed layout)."""
    name = alert.alarm_name
    alarm = {"AlarmName": name, "MetricName": alert.metric_name,
             "Namespace": getattr(alert, "namespace", None) or cfg.metric_namespace,
             "Statistic": setting(alert, "statistic", cfg), "Period": setting(alert, "period", cfg),
             "EvaluationPeriods": setting(alert, "evaluation_periods", cfg),
             "DatapointsToAlarm": setting(alert, "datapoints_to_alarm", cfg),
             "ComparisonOperator": setting(alert, "comparison_operator", cfg),
             "Threshold": setting(alert, "threshold", cfg),
             "TreatMissingData": setting(alert, "treat_missing_data", cfg)}
    message = alarm_message(alarm, old_state=old, new_state="ALARM",
                            reason="Threshold Crossed", time=time,
                            account_id=cfg.account_id, region=cfg.region)
    return email_text(message, cfg.region, time)


__all__ = ["BlogAlert", "delivered", "run_alerts"]
