"""Both designs on the same records: the blog's metric filters and alarms, and EventBridge rules.

`compare_designs(records, config)` runs, without any target, the blog's design (compare/blogmodel.py)
and the EventBridge design (stack/eventbridge_plan.py's rules through emulator/eventbridge.route)
and answers, per design: alerts sent, which sign-ins each misses and why, the time from sign-in to
notification hop by hop with the AWS page each figure comes from, what the message tells its
reader, and the monthly cost at the user's volumes (costs package plus costs/eventbridge.py).
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from signin_lab.compare.blogmodel import run_alerts
from signin_lab.config import LabConfig
from signin_lab.emulator.delivery import check_records, event_time
from signin_lab.emulator.eventbridge import BusRule, EventBridgeRun, RuleTarget, route
from signin_lab.errors import SigninLabError
from signin_lab.eventpattern import CONSOLE_SIGNIN_DETAIL_TYPE, EventPattern
from signin_lab.events.signin import ConsoleLogin
from signin_lab.stack.eventbridge_plan import plan

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.figure import Figure

DESIGN_NAMES = ("blog", "eventbridge")
_CT_LOGS = "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html"
_EB_CT = "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html"
#: Each hop from sign-in to inbox: (design, hop, seconds the kit counts, what AWS says, source).
HOPS: tuple[tuple[str, str, int | None, str, str], ...] = (
    ("blog", "CloudTrail -> CloudWatch Logs", 300,
     "\"within an average of about 5 minutes of an API call. This time is not guaranteed.\"", _CT_LOGS),
    ("blog", "metric filter -> datapoint", 0, "no figure documented",
     "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/MonitoringLogData.html"),
    ("blog", "alarm -> ALARM", None,
     "evaluated \"every minute\" over the Periods ending then; notifies on the change to ALARM",
     "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-evaluation.html"),
    ("blog", "SNS -> email", 0, "no figure documented",
     "https://docs.aws.amazon.com/sns/latest/dg/sns-email-notifications.html"),
    ("eventbridge", "CloudTrail -> default bus", 0,
     "best-effort delivery, no figure documented", _EB_CT),
    ("eventbridge", "forward to the central Region", 0, "no figure documented",
     "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-region.html"),
    ("eventbridge", "rule -> SNS -> email", 0, "no figure documented",
     "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-targets.html"),
)
#: What a reader may want from an alert, and how to find it in a sign-in (ConsoleLogin) view.
FIELDS: dict[str, str] = {"who": "user_name", "source IP": "source_ip", "Region": "region",
                          "MFA used": "mfa_used", "user agent": "user_agent", "time": "time"}


@dataclass
class DesignComparison:
    """The comparison's data; `frame()` is the per-design summary, `signins` one row a sign-in."""

    rows: list[dict[str, Any]]  # one per sign-in
    summary_rows: list[dict[str, Any]]  # one per design
    hops: list[dict[str, Any]]
    message_fields: dict[str, dict[str, bool]]
    samples: dict[str, str]  # design -> one message as the reader sees it
    costs: dict[str, list[dict[str, Any]]]  # design -> bill lines
    notes: list[str] = field(default_factory=list)

    def frame(self) -> pd.DataFrame:
        """One row per design: notifications, sign-ins notified and missed, delays, USD a month."""
        import pandas as pd

        return pd.DataFrame(self.summary_rows).set_index("design")

    def signins(self) -> pd.DataFrame:
        """One row per sign-in: who, where, and for each design whether it notified and why not."""
        import pandas as pd

        return pd.DataFrame(self.rows)

    def hops_frame(self) -> pd.DataFrame:
        """Each hop from sign-in to inbox, with the seconds counted and the AWS source."""
        import pandas as pd

        return pd.DataFrame(self.hops)

    def fields_frame(self) -> pd.DataFrame:
        """Which facts of the sign-in each design's message tells the reader (True/False)."""
        import pandas as pd

        return pd.DataFrame(self.message_fields)

    def to_json(self) -> str:
        """Everything as JSON, times as ISO 8601."""
        data = {"summary": self.summary_rows, "signins": self.rows, "hops": self.hops,
                "message_fields": self.message_fields, "samples": self.samples,
                "costs": self.costs, "notes": self.notes}
        return json.dumps(data, indent=2, default=str)

    def figure(self) -> Figure:
        """Sign-ins notified and missed, and USD a month, per design (charts/designs.py)."""
        from signin_lab.charts.designs import designs_chart

        return designs_chart(self)


def eventbridge_rules(
    cfg: LabConfig,
    regions: Sequence[str] | None = None,
    detail_type: str | None = None,
) -> dict[str, list[BusRule]]:
    """The EventBridge design's rules as the emulator's data. `regions`: keep forwarding rules
    only there (None: every Region of the plan); `detail_type`: add it to the alert rules'
    patterns, to show what a spelling does."""
    p = plan(cfg)
    out: dict[str, list[BusRule]] = {}
    for rule in p.rules:
        if rule.forwards and regions is not None and rule.region not in regions:
            continue
        pattern = dict(rule.pattern)
        if detail_type is not None and not rule.forwards:
            pattern["detail-type"] = [detail_type]
        target = RuleTarget(rule.target_id, rule.target_arn, rule.role_arn,
                            input_paths=rule.input_paths, input_template=rule.input_template)
        out.setdefault(rule.region, []).append(
            BusRule(rule.region, rule.name, EventPattern(pattern), (target,)))
    return out


def _blog_why(login: ConsoleLogin, cfg: LabConfig, repeats: set[str], matched: set[str]) -> str:
    if not cfg.trail_multi_region and login.region != cfg.region:
        return (f"single-Region trail in {cfg.region}; the sign-in was recorded in {login.region}")
    if login.event_id in repeats:
        return "alarm already in ALARM: an alarm notifies only when its state changes"
    if login.event_id in matched:
        return "a metric filter matched, but the alarm did not go to ALARM (threshold, M of N)"
    if login.user_type == "Root" and any('"root"' in a.pattern for a in cfg.alerts):
        return 'filter pattern case: the pattern says "root", CloudTrail writes "Root"'
    return "no metric filter matched"


def _eb_why(why: str, detail_type: str | None, login: ConsoleLogin, cfg: LabConfig) -> str:
    if detail_type is not None and detail_type != CONSOLE_SIGNIN_DETAIL_TYPE:
        return (f"the rule's detail-type {detail_type!r} is not the events' spelling "
                f"{CONSOLE_SIGNIN_DETAIL_TYPE!r}")
    if login.user_type == "Root" and any('"root"' in a.pattern for a in cfg.alerts):
        return 'rule pattern case: derived from a filter saying "root", CloudTrail writes "Root"'
    return why


def compare_designs(
    records: Iterable[Mapping[str, Any]],
    config: LabConfig | None = None,
    *,
    eventbridge_regions: Sequence[str] | None = None,
    detail_type: str | None = None,
    signins_per_month: int | None = None,
) -> DesignComparison:
    """Both designs on the same records (no target). `config`: the blog's settings (trail, alerts,
    period...). `eventbridge_regions` / `detail_type`: see `eventbridge_rules`.
    `signins_per_month` scales the counts for the monthly cost (default: the records are a month);
    one email subscriber per topic, an SMS per notification of an SMS alert when `config.sms` is
    set, and the blog's trail and S3 volumes for both designs.
    """
    cfg = config or LabConfig()
    recs = sorted(check_records(records), key=event_time)
    logins = [ConsoleLogin.parse(r, f"record {i}") for i, r in enumerate(recs)
              if r.get("eventName") == "ConsoleLogin"]
    if signins_per_month is not None and (not isinstance(signins_per_month, int) or signins_per_month < 0):
        raise SigninLabError(f"signins_per_month: a count, got {signins_per_month!r}")

    alerts = run_alerts(recs, cfg)
    blog_at: dict[str, Any] = {}
    repeats: set[str] = set()
    matched: set[str] = set()
    blog_sample = ""
    for a in alerts:
        repeats.update(a.repeats)
        matched.update(a.matched)
        for when, ids, text in a.notifications:
            blog_sample = blog_sample or text
            for i in ids:
                blog_at.setdefault(i, when)
    eb = route(recs, eventbridge_rules(cfg, eventbridge_regions, detail_type))
    eb_msg = {d.event_id: d for d in eb.deliveries if d.message is not None}
    eb_why = {e: w for e, _, w in eb.unmatched}

    rows: list[dict[str, Any]] = []
    for login in logins:
        eid = login.event_id or "?"
        blog_time = blog_at.get(eid)
        rows.append(
            {
                "time": login.time,
                "event_id": eid,
                "user_type": login.user_type,
                "outcome": login.outcome,
                "user_name": login.user_name,
                "region": login.region,
                "blog": blog_time is not None,
                "blog_why": "" if blog_time is not None else _blog_why(login, cfg, repeats, matched),
                "blog_delay_s": (None if blog_time is None else (blog_time - login.time).total_seconds() + 300),
                "eventbridge": eid in eb_msg,
                "eventbridge_why": ""
                if eid in eb_msg
                else _eb_why(eb_why.get(eid, "no rule matched"), detail_type, login, cfg),
                "eventbridge_delay_s": 0.0 if eid in eb_msg else None,
            }
        )
    fields = _fields(logins, eb)
    cost_notes: list[str] = []
    costs, totals = _costs(cfg, alerts, eb, len(logins), signins_per_month, cost_notes)
    summary = []
    for design, sent in (("blog", sum(len(a.notifications) for a in alerts)),
                         ("eventbridge", len(eb_msg))):
        delays = [r[f"{design}_delay_s"] for r in rows if r[f"{design}_delay_s"] is not None]
        summary.append({
            "design": design, "notifications": sent,
            "signins": len(rows), "notified": sum(1 for r in rows if r[design]),
            "missed": sum(1 for r in rows if not r[design]),
            "median_delay_s": statistics.median(delays) if delays else None,
            "usd_per_month": round(totals[design], 4),
        })
    hops = [{"design": d, "hop": h, "seconds": s, "aws_says": t, "source": u} for d, h, s, t, u in HOPS]
    eb_sample = next((d.message for d in eb.deliveries if d.message), "") or ""
    notes = [
        ("blog delays: the 5-minute CloudTrail delivery average plus the wait for the "
         "alarm's next evaluation; EventBridge delays: AWS documents no figure, counted as 0"),
        *eb.notes,
        *cost_notes,
    ]
    if signins_per_month is not None:
        notes.append("monthly counts scaled linearly from these records: under heavier traffic an "
                     "alarm stays in ALARM longer, so the blog's design would send fewer than counted")
    return DesignComparison(rows, summary, hops, {"blog": _blog_fields(blog_sample, logins),
                                                    "eventbridge": fields},
                            {"blog": blog_sample, "eventbridge": eb_sample}, costs, notes)


def _present(login: ConsoleLogin, name: str, text: str) -> bool:
    value = getattr(login, FIELDS[name])
    if value is None:
        return False
    if name == "MFA used":
        return ("MFA used: Yes" if value else "MFA used: No") in text
    if name == "time":
        return str(login.raw.get("eventTime")) in text
    return str(value) in text


def _fields(logins: Sequence[ConsoleLogin], eb: EventBridgeRun) -> dict[str, bool]:
    by_id = {lg.event_id: lg for lg in logins}
    for d in eb.deliveries:
        if d.message and d.event_id in by_id:
            login = by_id[d.event_id]
            out = {name: _present(login, name, d.message) for name in FIELDS}
            if login.user_type == "Root":
                out["who"] = "root user" in d.message
            out["outcome"] = login.outcome in d.message
            return out
    return {name: False for name in (*FIELDS, "outcome")}


def _blog_fields(sample: str, logins: Sequence[ConsoleLogin]) -> dict[str, bool]:
    """The alarm email names the alarm (so the outcome and user type), not the sign-in itself."""
    out = {name: any(_present(lg, name, sample) for lg in logins) if sample else False
           for name in FIELDS if name != "time"}
    out["time"] = False  # the email's time is the alarm's state change, not the sign-in's
    out["outcome"] = bool(sample)  # only through the alarm's name, e.g. signin-console-failure-iam
    return out


def _sms_country(cfg: LabConfig, notes: list[str]) -> str | None:
    """The ISO country of the configured SMS number, if the costs package prices SMS there."""
    import phonenumbers

    from signin_lab.costs.model import load_prices

    if not cfg.sms:
        return None
    country = phonenumbers.region_code_for_country_code(phonenumbers.parse(cfg.sms).country_code or 0)
    if country not in load_prices().sms:
        notes.append(f"no SMS price for {country} in costs/prices.json: SMS left out of both bills")
        return None
    return str(country)


def _costs(cfg: LabConfig, alerts: Sequence[Any], eb: EventBridgeRun, signins: int,
           per_month: int | None, notes: list[str]
           ) -> tuple[dict[str, list[dict[str, Any]]], dict[str, float]]:
    """Each design's month: one publish and one email per notification, an SMS per notification
    of an SMS alert when the config has a number, the blog's trail and S3 for both."""
    from signin_lab.costs import Scenario, estimate
    from signin_lab.costs.eventbridge import forwarding_line
    from signin_lab.costs.whatif import eventbridge_design

    scale = (per_month / signins) if per_month is not None and signins else 1.0

    def month(n: int) -> int:
        return round(n * scale)

    sms_alerts = {a.topic_name for a in cfg.alerts if a.sms}
    country = _sms_country(cfg, notes)
    blog_n = month(sum(len(a.notifications) for a in alerts))
    blog_sms = month(sum(len(a.notifications) for a in alerts if a.name in sms_alerts))
    sent = [d for d in eb.deliveries if d.message is not None]
    eb_n = month(len(sent))
    eb_sms = month(sum(1 for d in sent if d.rule in sms_alerts))
    forwarded = month(sum(1 for d in eb.deliveries if d.message is None))
    base = Scenario.blog()

    def sms(n: int) -> dict[str, int]:
        return {country: n} if country and n else {}

    blog = estimate(base.replace(publishes_per_month=blog_n, emails_per_month=blog_n,
                                 sms_per_month=sms(blog_sms), alarms=len(cfg.alerts),
                                 custom_metrics=len(cfg.alerts)))
    bridge = estimate(eventbridge_design(base.replace(publishes_per_month=eb_n,
                                                      emails_per_month=eb_n,
                                                      sms_per_month=sms(eb_sms))))
    extra = forwarding_line(forwarded)

    def lines(report: Any, more: Sequence[Any] = ()) -> list[dict[str, Any]]:
        return [{"service": ln.service, "item": ln.item, "quantity": ln.quantity, "usd": ln.usd,
                 "price": ln.price_label, "source": ln.source} for ln in (*report.lines, *more)]

    return ({"blog": lines(blog), "eventbridge": lines(bridge, [extra])},
            {"blog": blog.total, "eventbridge": bridge.total + extra.usd})


__all__ = ["DesignComparison", "compare_designs", "eventbridge_rules"]
