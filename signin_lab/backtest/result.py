"""A backtest's result: per-alert timelines, noise and first/last match, the month's bill, what-ifs.

The alarms run on the stored per-minute series with the emulator's own evaluator
(`signin_lab.emulator.series.run_alarm_series`: `lab.replay`'s loop with its `evaluate`, `reason`
and `aggregate`, for a month of minutes), from AlarmSpecs built by the stack's own
`alarm_settings`, so the timeline is the emulator's. Notifications follow the
emulator's rules: actions run only on a state change
(https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-actions.html), each SNS
action publishes once and each confirmed subscription of the topic receives one message
(signin_lab.emulator.notify). Counting needs no message text; `inbox()` renders the messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from signin_lab.backtest.bill import BillLine, Measured, bill_lines, estimate_bills, measured
from signin_lab.backtest.read import Group
from signin_lab.emulator.replay import AlarmSpec, Transition, initial_row
from signin_lab.emulator.series import run_alarm_series
from signin_lab.errors import SigninLabError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.figure import Figure

    from signin_lab.config import Alert, LabConfig
    from signin_lab.costs import Report
    from signin_lab.emulator.notify import InboxMessage

#: What `with_config` may change: the alarm and notification settings. What the filters match
#: (patterns, metric value) is read from the records, so changing it needs a new backtest.
WHAT_IF = (
    "period",
    "evaluation_periods",
    "datapoints_to_alarm",
    "treat_missing_data",
    "threshold",
    "comparison_operator",
    "statistic",
    "default_value",
    "email",
    "sms",
    "sms_alerts",
)


def alarm_spec(cfg: LabConfig, alert: Alert) -> AlarmSpec:
    """The alarm deploy would create for `alert`, read as the emulator reads DescribeAlarms."""
    from signin_lab.stack.cloudwatch import alarm_settings

    return AlarmSpec.from_aws(alarm_settings(cfg, alert))


def default_value(cfg: LabConfig, alert: Alert) -> float | None:
    """The alert's metric filter defaultValue as deploy writes it (None: no default)."""
    from signin_lab.stack.cloudwatch import metric_transformation

    value = metric_transformation(cfg, alert).get("defaultValue")
    return None if value is None else float(value)


def subscriptions(cfg: LabConfig, alert: Alert) -> list[dict[str, str]]:
    """The confirmed subscriptions deploy makes on the alert's topic (stack/sns.py's rule: email
    on every topic, SMS on the `sms_alerts` topics), as ListSubscriptionsByTopic entries."""
    topic = cfg.topic_arn(alert)
    subs = []
    if cfg.email:
        subs.append({"Protocol": "email", "Endpoint": cfg.email, "SubscriptionArn": f"{topic}:email"})
    if cfg.sms and alert.sms:
        subs.append({"Protocol": "sms", "Endpoint": cfg.sms, "SubscriptionArn": f"{topic}:sms"})
    return subs


_NO_EMAIL = "no email subscriber configured: emails are not counted"


@dataclass(frozen=True)
class AlertResult:
    """One alert over the archive: matches, noise, timeline, notifications, first/last match."""

    name: str
    key: str
    matches: int
    nonzero_minutes: int
    timeline: tuple[Transition, ...]  # the initial state, then one row a change
    emails: int
    sms: int
    alarm_minutes: int
    longest_alarm_minutes: int
    first_match: str | None
    last_match: str | None

    @property
    def changes(self) -> tuple[Transition, ...]:
        """The state changes (the timeline without its initial row)."""
        return self.timeline[1:]

    def to_json(self) -> dict[str, Any]:
        """`{"matches", "transitions", "emails", "sms", "alarm_minutes"}` (the issue's shape)."""
        return {
            "matches": self.matches,
            "transitions": [
                {
                    "time": t.time.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "state": t.state,
                    "old_state": t.old_state,
                    "reason": t.reason,
                }
                for t in self.changes
            ],
            "emails": self.emails,
            "sms": self.sms,
            "alarm_minutes": self.alarm_minutes,
        }


def _alarm_minutes(rows: tuple[Transition, ...], end: datetime) -> tuple[int, int]:
    """(total, longest) minutes spent in ALARM between the timeline's rows and `end`."""
    total = longest = 0
    for i, row in enumerate(rows):
        if row.state != "ALARM":
            continue
        until = rows[i + 1].time if i + 1 < len(rows) else end
        minutes = int((until - row.time) / timedelta(minutes=1))
        total += minutes
        longest = max(longest, minutes)
    return total, longest


@dataclass
class Backtest:
    """The archive replayed: per-alert results, the month's volumes and bill, and what-ifs."""

    config: LabConfig
    plan: str
    group: Group = field(repr=False)
    start: datetime
    end: datetime
    alerts: dict[str, AlertResult]
    measured: Measured
    bills: dict[str, Report] = field(repr=False)
    notes: list[str]
    management_events_per_month: dict[str, int]
    log_bytes: int
    files: int
    file_bytes: int

    @property
    def records(self) -> int:
        """Records delivered to the log group (after any left out, see `notes`)."""
        return self.group.records

    @property
    def months(self) -> int:
        """Calendar months the records fall in."""
        return self.measured.months

    @property
    def log_bytes_with_overhead(self) -> int:
        """The log bytes plus PutLogEvents' 26 bytes an event (its batch-size rule)."""
        from signin_lab.emulator.delivery import EVENT_OVERHEAD

        return self.log_bytes + EVENT_OVERHEAD * self.records

    @property
    def bill(self) -> Report:
        """The month priced under `plan`."""
        return self.bills[self.plan] if self.plan in self.bills else self.bills["legacy"]

    def bill_lines(self, plan: str | None = None) -> list[BillLine]:
        """The bill's lines (default: `plan`), each naming the measured number it used."""
        report = self.bills[plan] if plan else self.bill
        return bill_lines(report, self.measured)

    def with_config(self, **settings: Any) -> Backtest:
        """The same archive under other alarm settings, re-run on the stored per-minute series.

        Settings are LabConfig fields (period, evaluation_periods, datapoints_to_alarm,
        treat_missing_data, threshold, comparison_operator, statistic, default_value, email, sms,
        sms_alerts); values CloudWatch refuses raise the same SigninLabError as LabConfig.
        """
        other = sorted(set(settings) - set(WHAT_IF))
        if other:
            raise SigninLabError(
                f"with_config: {', '.join(other)} change what the filters match; run backtest "
                f"again with that config (what-ifs: {', '.join(WHAT_IF)})"
            )
        return evaluate(self.config.replace(**settings), self.group, self.plan, self._meta())

    def _meta(self) -> dict[str, Any]:
        return {
            "notes": [n for n in self.notes if n != _NO_EMAIL],
            "files": self.files,
            "file_bytes": self.file_bytes,
        }

    @property
    def timeline(self) -> pd.DataFrame:
        """Every alarm's timeline as the emulator's DataFrame (time, alarm, state, reason, ...)."""
        from signin_lab.emulator.replay import timeline_frame

        return timeline_frame([row for a in self.alerts.values() for row in a.timeline])

    def inbox(self) -> list[InboxMessage]:
        """The emails and SMS the state changes would have sent, as the emulator renders them."""
        from signin_lab.emulator.notify import change_message, deliveries

        cfg = self.config
        out: list[InboxMessage] = []
        # In the emulator's order: alarm by alarm (by name), each alarm's changes in time order.
        changes = [
            (t, alert)
            for alert in sorted(cfg.alerts, key=lambda a: a.alarm_name)
            for t in self.alerts[alert.topic_name].changes
        ]
        for change, alert in changes:
            if not change.actions:
                continue
            spec = alarm_spec(cfg, alert)
            message = change_message(spec.raw, change, cfg.account_id, cfg.region)
            for arn in change.actions:
                out.extend(
                    deliveries(arn, subscriptions(cfg, alert), message, change.time, cfg.region)
                )
        return out

    def series(self, alert: str) -> pd.DataFrame:
        """One alert's per-minute datapoints: time, value (the minute's Sum), sample_count."""
        import pandas as pd

        i, _ = self._alert(alert)
        points = self.group.series.by_minute(i, default_value(self.config, self.config.alerts[i]))
        rows = sorted((m, p[0].sum, p[0].sample_count) for m, p in points.items())
        frame = pd.DataFrame(rows, columns=["time", "value", "sample_count"])
        frame["time"] = pd.to_datetime(frame["time"], utc=True)
        return frame

    def _alert(self, name: str) -> tuple[int, Alert]:
        for i, alert in enumerate(self.config.alerts):
            if name in (alert.name, alert.key):
                return i, alert
        raise SigninLabError(
            f"unknown alert {name!r}; known: {', '.join(a.topic_name for a in self.config.alerts)}"
        )

    def figure(self, alert: str) -> Figure:
        """One alert's chart: its per-minute series, the threshold, and the alarm states."""
        from signin_lab.charts.backtest import alert_figure

        return alert_figure(self, alert)

    def frame(self) -> pd.DataFrame:
        """One row an alert: matches, noise, notifications, time in ALARM, first and last match."""
        import pandas as pd

        rows = [
            {
                "alert": a.name,
                "matches": a.matches,
                "nonzero_minutes": a.nonzero_minutes,
                "state_changes": len(a.changes),
                "emails": a.emails,
                "sms": a.sms,
                "alarm_minutes": a.alarm_minutes,
                "longest_alarm_minutes": a.longest_alarm_minutes,
                "first_match": a.first_match,
                "last_match": a.last_match,
            }
            for a in self.alerts.values()
        ]
        return pd.DataFrame(rows)

    def to_json(self) -> dict[str, Any]:
        """`{"records", "months", "alerts": {name: {...}}, "bill": {"total", "lines"}}`."""
        return {
            "records": self.records,
            "months": self.months,
            "alerts": {name: a.to_json() for name, a in self.alerts.items()},
            "bill": {
                "total": self.bill.total,
                "lines": [line.to_json() for line in self.bill_lines()],
            },
        }


def evaluate(cfg: LabConfig, group: Group, plan: str, meta: dict[str, Any]) -> Backtest:
    """Run every configured alert's alarm over the group's series and price the month."""
    series = group.series
    minutes = sorted(group.series.events)
    if not minutes:
        raise SigninLabError("backtest: the archive holds no CloudTrail records")
    specs = [alarm_spec(cfg, alert) for alert in cfg.alerts]
    start = minutes[0]
    longest = max((s.period // 60 for s in specs), default=5)
    # As lab.replay: from the first record's minute to the last one's plus the longest period
    # and a minute, so every alarm has evaluated the last record's period.
    end = minutes[-1] + timedelta(minutes=longest + 1)
    results: dict[str, AlertResult] = {}
    publishes = emails = 0
    sms: dict[str, int] = {}
    country = _country(cfg.sms) if cfg.sms else None
    for i, (alert, spec) in enumerate(zip(cfg.alerts, specs, strict=True)):
        by_minute = series.by_minute(i, default_value(cfg, alert))
        rows = (initial_row(spec, start, None), *run_alarm_series(spec, by_minute, start, end, "INSUFFICIENT_DATA"))
        subs = subscriptions(cfg, alert)
        n_email = n_sms = 0
        for row in rows[1:]:
            for _arn in row.actions:
                publishes += 1
                n_email += sum(1 for s in subs if s["Protocol"] == "email")
                n_sms += sum(1 for s in subs if s["Protocol"] == "sms")
        emails += n_email
        if n_sms and country:
            sms[country] = sms.get(country, 0) + n_sms
        total, longest_alarm = _alarm_minutes(rows, end)
        stats = series.stats[i]
        results[alert.topic_name] = AlertResult(
            name=alert.topic_name,
            key=alert.key,
            matches=group.matches[i],
            nonzero_minutes=sum(1 for s in stats.values() if s[1] != 0),
            timeline=rows,
            emails=n_email,
            sms=n_sms,
            alarm_minutes=total,
            longest_alarm_minutes=longest_alarm,
            first_match=group.first_match[i],
            last_match=group.last_match[i],
        )
    per_month = {month: v[2] for month, v in sorted(group.months.items())}
    log_bytes = sum(v[1] for v in group.months.values())
    m = measured(
        months=len(per_month),
        management_events=sum(v[2] for v in group.months.values()),
        data_events=sum(v[3] for v in group.months.values()),
        log_bytes=log_bytes,
        log_events=group.records,
        s3_bytes=meta["file_bytes"],
        s3_files=meta["files"],
        publishes=publishes,
        emails=emails,
        sms=sms,
    )
    return Backtest(
        config=cfg,
        plan=plan,
        group=group,
        start=start,
        end=end,
        alerts=results,
        measured=m,
        bills=estimate_bills(cfg, m, plan),
        notes=[*meta["notes"], *([] if cfg.email else [_NO_EMAIL])],
        management_events_per_month=dict(sorted(per_month.items())),
        log_bytes=log_bytes,
        files=meta["files"],
        file_bytes=meta["file_bytes"],
    )


def _country(number: str) -> str:
    """The ISO country of an E.164 number, for the SMS price (phonenumbers; the country code
    decides when the number is in no carrier's range, as the fictional +44 7700 900xxx are)."""
    import phonenumbers

    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException as exc:
        raise SigninLabError(f"sms={number!r}: {exc}") from exc
    region = phonenumbers.region_code_for_number(parsed) or phonenumbers.region_code_for_country_code(
        parsed.country_code or 0
    )
    if not region or region == "ZZ":
        raise SigninLabError(f"sms={number!r}: no country for this number, so no SMS price")
    return str(region)


__all__ = ["WHAT_IF", "AlertResult", "Backtest", "alarm_spec", "evaluate", "subscriptions"]
