"""The blog's design on records, pure: trail Regions, metric filters, per-period alarms, notifications.

The same rules the emulator runs on a target, without one (so `compare_designs` never starts
moto): a multi-Region trail delivers every Region's records, a single-Region trail only its own
Region's (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-aws-console-sign-in-events.html:
sign-ins are recorded in us-east-1 or the global endpoint's Regions); each alert's filter pattern
(signin_lab.filterpattern) counts matches; a period with log events but no match gets the
filter's default value, a period without log events has no datapoint
(https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/MonitoringPolicyExamples.html); the
alarm is evaluated once per period with the kit's `alarm_state` (alarms-and-missing-data.html),
and only a change to ALARM notifies (alarm actions run "when the alarm changes state",
https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html).

One simplification, named: AWS evaluates an alarm every minute over the last Period; here each
Period is evaluated once at its end, so a notification's time can be later by up to a Period than
the emulator's minute-by-minute run.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
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


def _bucket(time: datetime, period: int) -> datetime:
    seconds = int(time.timestamp()) // period * period
    return datetime.fromtimestamp(seconds, UTC)


def delivered(records: Sequence[Mapping[str, Any]], cfg: LabConfig) -> list[Mapping[str, Any]]:
    """The records the trail delivers: all with a multi-Region trail, else its Region's."""
    if cfg.trail_multi_region:
        return list(records)
    return [r for r in records if r.get("awsRegion") == cfg.region]


def run_alerts(records: Sequence[Mapping[str, Any]], cfg: LabConfig) -> list[BlogAlert]:
    """Each alert's alarm over the delivered records, period by period."""
    recs = sorted(delivered(records, cfg), key=event_time)
    if not recs:
        return [BlogAlert(a.key, a.name, (), ()) for a in cfg.alerts]
    period = cfg.period
    step = timedelta(seconds=period)
    first, last = _bucket(event_time(recs[0]), period), _bucket(event_time(recs[-1]), period)
    with_logs: set[datetime] = {_bucket(event_time(r), period) for r in recs}
    out: list[BlogAlert] = []
    for alert in cfg.alerts:
        fp = FilterPattern(alert.pattern)
        hits: dict[datetime, list[str]] = {}
        for r in recs:
            if fp.matches_event(r):
                hits.setdefault(_bucket(event_time(r), period), []).append(str(r.get("eventID", "?")))
        values: list[float | None] = []
        state = "INSUFFICIENT_DATA"
        sent: list[tuple[datetime, tuple[str, ...], str]] = []
        repeats: list[str] = []
        start = first
        while start <= last + step:
            if start in hits:
                values.append(float(len(hits[start])))
            elif start in with_logs and cfg.default_value is not None:
                values.append(float(cfg.default_value))
            else:
                values.append(None)
            new = alarm_state(values, threshold=alert.threshold,
                              comparison_operator=alert.comparison_operator,
                              evaluation_periods=cfg.evaluation_periods,
                              datapoints_to_alarm=cfg.datapoints_to_alarm,
                              treat_missing_data=cfg.treat_missing_data, current_state=state)
            ids = tuple(hits.get(start, ()))
            if new == "ALARM" and state != "ALARM":
                sent.append((start + step, ids, _email(cfg, alert.name, state, start + step)))
            elif ids:
                repeats.extend(ids)
            state = new
            start += step
        out.append(BlogAlert(alert.key, alert.name, tuple(sent), tuple(repeats)))
    return out


def _email(cfg: LabConfig, name: str, old: str, time: datetime) -> str:
    """The alarm email's text (emulator/notify.py's observed layout)."""
    alarm = {"AlarmName": name, "MetricName": name, "Namespace": cfg.metric_namespace,
             "Statistic": cfg.statistic, "Period": cfg.period,
             "EvaluationPeriods": cfg.evaluation_periods, "DatapointsToAlarm": cfg.datapoints_to_alarm,
             "ComparisonOperator": cfg.comparison_operator, "Threshold": cfg.threshold,
             "TreatMissingData": cfg.treat_missing_data}
    message = alarm_message(alarm, old_state=old, new_state="ALARM",
                            reason="Threshold Crossed", time=time,
                            account_id=cfg.account_id, region=cfg.region)
    return email_text(message, cfg.region, time)


__all__ = ["BlogAlert", "delivered", "run_alerts"]
