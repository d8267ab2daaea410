"""The EventBridge design at run time: which rule in which Region sees each event, and what it sends.

moto stores EventBridge rules and targets but its default bus never receives CloudTrail's events,
and it routes with its own matcher. The kit plays AWS's part here, with `signin_lab.eventpattern`:

- each CloudTrail record becomes the event the default bus of the record's `awsRegion` receives
  (eventpattern.envelope; AWS service events via CloudTrail,
  https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html);
  events larger than 256 KB are not sent (CloudTrail user guide,
  https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html,
  as the project's reference aws_semantics.md section c quotes it);
- every ENABLED rule of that bus whose pattern matches sends the event to each target: an event
  bus in another Region receives the same event and runs its own rules
  (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-region.html); an SNS topic
  receives the target's input: the transformed text (InputTransformer), a constant (Input), a
  part of the event (InputPath), or the whole event as JSON
  (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Target.html);
- a bus visited twice by the same event is not run again (the kit's guard against loops; AWS
  documents no forwarding chain for one account).

`route(records, rules)` is pure (rules as data, for backtests); `read_rules(lab, regions)` reads
the rules back from the target (ListRules, ListTargetsByRule); `replay(lab, records)` does both and
publishes to SNS on the target, collecting what email and SMS subscribers receive. Times: AWS
documents no figure for CloudTrail -> EventBridge or for a cross-Region hop ("best effort"
delivery, https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html),
so every hop is counted as taking no time and compare_designs says so.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from botocore.utils import ArnParser, InvalidArnException

from signin_lab.emulator.delivery import check_records, event_time
from signin_lab.emulator.notify import INBOX_PROTOCOLS, InboxMessage, _footer
from signin_lab.eventpattern import EventPattern, envelope, transform
from signin_lab.eventpattern.transform import extract

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from signin_lab.lab import Lab



#: "Events larger than 256 KB are not sent to CloudWatch Logs or EventBridge" (aws_semantics.md c).
MAX_EVENT_BYTES = 256 * 1024
#: The subject SNS gives an email when Publish has none (observed, not documented by AWS).
DEFAULT_SUBJECT = "AWS Notification Message"


@dataclass(frozen=True)
class RuleTarget:
    """A rule's target as PutTargets stores it (only the fields the emulation uses)."""

    id: str
    arn: str
    role_arn: str | None = None
    input: str | None = None
    input_path: str | None = None
    input_paths: Mapping[str, str] | None = None
    input_template: str | None = None

    @classmethod
    def from_aws(cls, raw: Mapping[str, Any]) -> RuleTarget:
        """From a ListTargetsByRule entry."""
        tr = raw.get("InputTransformer") or {}
        return cls(raw["Id"], raw["Arn"], raw.get("RoleArn"), raw.get("Input"),
                   raw.get("InputPath"), tr.get("InputPathsMap") if tr else None,
                   tr.get("InputTemplate") if tr else None)


@dataclass(frozen=True)
class BusRule:
    """One rule on a Region's default bus, its compiled pattern and its targets."""

    region: str
    name: str
    pattern: EventPattern
    targets: tuple[RuleTarget, ...]
    enabled: bool = True


@dataclass(frozen=True)
class Delivery:
    """One event sent by one rule to one target."""

    time: datetime
    event_id: str  # the CloudTrail record's eventID
    recorded_in: str  # the record's awsRegion: the bus that received it first
    rule_region: str
    rule: str
    target: str
    hops: tuple[str, ...]  # Regions the event passed through, first to this rule's
    message: str | None  # what an SNS target receives; None for a bus target


@dataclass
class EventBridgeRun:
    """What the EventBridge design did with some records."""

    deliveries: list[Delivery]
    unmatched: list[tuple[str, str, str]]  # (eventID, awsRegion, why) for sign-ins no rule sent on
    messages: list[InboxMessage] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def notified(self) -> set[str]:
        """The eventIDs of records that reached an SNS topic."""
        return {d.event_id for d in self.deliveries if d.message is not None}

    def frame(self) -> pd.DataFrame:
        """One row a delivery: time, event_id, recorded_in, rule_region, rule, target, hops, message."""
        import pandas as pd

        rows = [{**asdict(d), "hops": " -> ".join(d.hops)} for d in self.deliveries]
        cols = ["time", "event_id", "recorded_in", "rule_region", "rule", "target", "hops", "message"]
        return pd.DataFrame(rows, columns=cols)

    def to_json(self) -> str:
        """The run as JSON (deliveries, unmatched sign-ins, notes)."""
        return json.dumps({
            "deliveries": [{**asdict(d), "time": d.time.isoformat()} for d in self.deliveries],
            "unmatched": [{"event_id": e, "region": r, "why": w} for e, r, w in self.unmatched],
            "notes": self.notes,
        }, indent=2)


@dataclass
class DesignRuns:
    """Both designs on the same records: the blog's ReplayRun and the EventBridgeRun."""

    blog: Any  # ReplayRun (emulator/replay.py)
    eventbridge: EventBridgeRun


def _target_region(arn: str) -> tuple[str, str] | None:
    """(Region, resource) of an event-bus ARN, else None."""
    try:
        parsed = ArnParser().parse_arn(arn)
    except InvalidArnException:
        return None
    if parsed["service"] != "events" or not parsed["resource"].startswith("event-bus/"):
        return None
    return parsed["region"], parsed["resource"]


def target_input(target: RuleTarget, rule: BusRule, event: dict[str, Any]) -> str:
    """The text the target receives for this event (API_Target.html: Input, InputPath,
    InputTransformer, or the whole event)."""
    if target.input_template is not None:
        return transform(dict(target.input_paths or {}), target.input_template, event,
                         rule_name=rule.name)
    if target.input is not None:
        return target.input
    if target.input_path is not None:
        return json.dumps(extract(event, target.input_path))
    return json.dumps(event)


def _is_signin(record: Mapping[str, Any]) -> bool:
    return record.get("eventName") == "ConsoleLogin"


def route(
    records: Iterable[Mapping[str, Any]],
    rules: Mapping[str, Sequence[BusRule]],
    *,
    detail_type: str | None = None,
) -> EventBridgeRun:
    """Pure: each record's event through the rules of each Region's default bus (`rules`: Region
    -> rules). `detail_type` chooses the envelope's spelling (None: as real events spell it)."""
    out = EventBridgeRun([], [])
    for record in check_records(records):
        rec = dict(record)
        if len(json.dumps(rec)) > MAX_EVENT_BYTES:
            out.notes.append(f"record {rec.get('eventID')}: larger than 256 KB, not sent to EventBridge")
            continue
        event = envelope(rec, detail_type=detail_type)
        region = str(rec["awsRegion"])
        before = len(out.deliveries)
        _run_bus(event, region, (region,), rec, rules, out, event_time(rec))
        sent = any(d.message is not None for d in out.deliveries[before:])
        if _is_signin(rec) and not sent:
            out.unmatched.append((str(rec.get("eventID", "?")), region, _why(region, rules, before, out)))
    return out


def _why(region: str, rules: Mapping[str, Sequence[BusRule]], before: int, out: EventBridgeRun) -> str:
    if not rules.get(region):
        return f"no EventBridge rule in {region}, where CloudTrail recorded the sign-in"
    if len(out.deliveries) == before:
        return f"no rule in {region} matched the event"
    last = out.deliveries[-1].target
    return f"forwarded to {last}, where no rule matched the event"


def _run_bus(
    event: dict[str, Any],
    region: str,
    hops: tuple[str, ...],
    record: Mapping[str, Any],
    rules: Mapping[str, Sequence[BusRule]],
    out: EventBridgeRun,
    when: datetime,
) -> None:
    for rule in rules.get(region, ()):
        if not rule.enabled or not rule.pattern.matches(event):
            continue
        for target in rule.targets:
            bus = _target_region(target.arn)
            def sent(message: str | None, target: RuleTarget = target, rule: BusRule = rule) -> Delivery:
                return Delivery(when, str(record.get("eventID", "?")), str(record["awsRegion"]),
                                region, rule.name, target.arn, hops, message)

            if bus is not None:
                out.deliveries.append(sent(None))
                to_region = bus[0]
                if to_region in hops:
                    out.notes.append(f"rule {region}/{rule.name}: the event already passed "
                                     f"{to_region}; not run again")
                    continue
                _run_bus(event, to_region, (*hops, to_region), record, rules, out, when)
            else:
                out.deliveries.append(sent(target_input(target, rule, event)))


def read_rules(lab: Lab, regions: Iterable[str]) -> dict[str, list[BusRule]]:
    """The rules of each Region's default bus on the target, with their targets (paginated)."""
    out: dict[str, list[BusRule]] = {}
    for region in regions:
        events = lab.client("events", region)
        found: list[BusRule] = []
        for page in events.get_paginator("list_rules").paginate(EventBusName="default"):
            for raw in page.get("Rules", []):
                if not raw.get("EventPattern"):
                    continue  # a scheduled rule: no events from the bus
                targets: list[RuleTarget] = []
                for tpage in events.get_paginator("list_targets_by_rule").paginate(Rule=raw["Name"]):
                    targets.extend(RuleTarget.from_aws(t) for t in tpage.get("Targets", []))
                found.append(BusRule(region, raw["Name"], EventPattern(raw["EventPattern"]),
                                     tuple(targets), raw.get("State", "ENABLED") == "ENABLED"))
        out[region] = found
    return out


def publish(lab: Lab, run: EventBridgeRun) -> list[InboxMessage]:
    """Publish each SNS delivery on the target; what confirmed email and SMS subscribers receive:
    an email the text with SNS's default subject and unsubscribe footer, an SMS the text, an
    email-json subscription the text as sent."""
    from signin_lab.emulator.inbox import subscriptions
    from signin_lab.emulator.runtime import client_error

    out: list[InboxMessage] = []
    for d in run.deliveries:
        if d.message is None:
            continue
        try:
            arn = ArnParser().parse_arn(d.target)
        except InvalidArnException:
            run.notes.append(f"rule {d.rule}: target {d.target} is not an ARN; not emulated")
            continue
        if arn["service"] != "sns":
            run.notes.append(f"rule {d.rule}: target {d.target} is not an SNS topic; not emulated")
            continue
        sns = lab.client("sns", arn["region"])
        try:
            sns.publish(TopicArn=d.target, Message=d.message)
            subs = subscriptions(sns, d.target)
        except client_error() as exc:
            run.notes.append(f"rule {d.rule}: publishing to {d.target} failed ({exc}); "
                             "EventBridge counts a FailedInvocation")
            continue
        for sub in subs:
            protocol = sub.get("Protocol", "")
            if protocol not in INBOX_PROTOCOLS or not str(sub.get("SubscriptionArn", "")).startswith("arn:"):
                continue
            subject = DEFAULT_SUBJECT if protocol.startswith("email") else None
            body = d.message
            if protocol == "email":  # SNS's unsubscribe footer (sns-email-notifications.html)
                body += _footer(str(sub["SubscriptionArn"]), arn["region"])
            out.append(InboxMessage(d.target, protocol, sub["Endpoint"], subject, body, d.time))
    run.messages.extend(out)
    return out


def replay(lab: Lab, records: Iterable[Mapping[str, Any]], regions: Iterable[str]) -> EventBridgeRun:
    """Records through the rules deployed on the target in `regions` and every record's Region,
    then SNS; the run's `messages` are what subscribers received."""
    recs = sorted(check_records(records), key=event_time)
    where = list(dict.fromkeys([*regions, *(str(r["awsRegion"]) for r in recs)]))
    rules = read_rules(lab, where)
    for found in rules.values():  # a forward target's Region is read too
        for rule in found:
            for t in rule.targets:
                bus = _target_region(t.arn)
                if bus and bus[0] not in rules:
                    where.append(bus[0])
    rules = read_rules(lab, where) if len(where) > len(rules) else rules
    run = route(recs, rules)
    publish(lab, run)
    return run


__all__ = ["BusRule", "Delivery", "DesignRuns", "EventBridgeRun", "RuleTarget", "publish", "read_rules",
           "replay", "route", "target_input"]
