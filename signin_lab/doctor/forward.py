"""The EventBridge design's forwarding links: a rule per Region where sign-ins are recorded.

Console sign-in events reach EventBridge only on the default bus of the Region where CloudTrail
records them (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html):
us-east-1 for root, us-east-1 or one of the global endpoint's Regions for IAM users, the
endpoint's Region otherwise
(https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-aws-console-sign-in-events.html).
So each of those Regions but the central one needs a rule forwarding to the central bus
(https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-region.html) through a role
EventBridge can assume that allows events:PutEvents on it
(https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-bus-perms.html).
"""

from __future__ import annotations

import json
from typing import Any

from signin_lab.doctor.chain import Context
from signin_lab.doctor.model import Finding, Status
from signin_lab.doctor.patterns import Sample, intent
from signin_lab.doctor.reader import ReadError, allows, policy_doc, principal_services, statements
from signin_lab.doctor.rules import finding

BusRule = tuple[dict[str, Any], dict[str, Any]]  # (ListRules item, its pattern)


def enabled(state: str) -> bool:
    """Whether a rule in this state matches a console sign-in: ENABLED and
    ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS both do (only read-only management events need
    the latter, and ConsoleLogin is not read-only); DISABLED "won't match any events"
    (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail-management.html,
    https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_DisableRule.html)."""
    return state != "DISABLED"


def is_signin_rule(pattern: dict[str, Any]) -> bool:
    """Whether an event pattern is about console sign-ins (source aws.signin or eventName ConsoleLogin)."""
    text = json.dumps(pattern)
    return "aws.signin" in text or "ConsoleLogin" in text


def signin_rules(ctx: Context, region: str) -> list[BusRule] | ReadError:
    """Every sign-in rule on the default bus of `region`, with its parsed pattern."""
    rules = ctx.reader.pages("events", "list_rules", "Rules", region=region, EventBusName="default")
    if isinstance(rules, ReadError):
        return rules
    out = []
    for rule in rules:
        try:
            pattern = json.loads(rule.get("EventPattern") or "{}")
        except json.JSONDecodeError:
            continue
        if isinstance(pattern, dict) and is_signin_rule(pattern):
            out.append((rule, pattern))
    return out


def targets(ctx: Context, region: str, name: str) -> list[dict[str, Any]] | ReadError:
    """The targets of rule `name` on `region`'s default bus."""
    return ctx.reader.pages("events", "list_targets_by_rule", "Targets", region=region, Rule=name,
                            EventBusName="default")


def kind_records(ctx: Context) -> list[Sample]:
    """The sign-in records of this alert's kind (all documented sign-ins if the kind is unknown)."""
    wanted = intent(ctx.alert)
    signins = [s for s in ctx.samples if s.record.get("eventName") == "ConsoleLogin"]
    return [s for s in signins if wanted is None or wanted(s.record)]


def pattern_hits(pattern: dict[str, Any], records: list[Sample]) -> dict[str, int] | str:
    """How many of `records` the pattern matches under each documented detail-type spelling,
    or the reason EventBridge would refuse the pattern."""
    from signin_lab import eventpattern

    try:
        compiled = eventpattern.EventPattern(pattern)
    except eventpattern.EventPatternError as exc:
        return str(exc)
    spellings = (eventpattern.CONSOLE_SIGNIN_DETAIL_TYPE, eventpattern.CONSOLE_SIGNIN_DETAIL_TYPE_GUIDE)
    return {dt: sum(eventpattern.test(compiled, eventpattern.envelope(s.record, detail_type=dt)) for s in records)
            for dt in spellings}


def pattern_findings(key: str, prefix: str, read: str, hits: dict[str, int] | str, total: int,
                     names: dict[str, str]) -> list[Finding]:
    """`<prefix>.pattern` (or pattern-matches) and eventbridge.detail-type from `pattern_hits`."""
    from signin_lab.doctor.patterns import status_for

    rule_id = "eventbridge.forward-pattern" if prefix == "forward" else "eventbridge.pattern-matches"
    if isinstance(hits, str):
        return [finding(rule_id, key, "BROKEN", f"{read}: {hits}", **names)]
    best = max(hits.values())
    status: Status = status_for(best, total) if total else "UNKNOWN"
    text = read + ": matches " + ", ".join(f"{n} of {total} as '{dt}'" for dt, n in hits.items())
    out = [finding(rule_id, key, status, text, **names)]
    spelled = [dt for dt, n in hits.items() if n == best]
    if best and len(spelled) < len(hits):
        out.append(finding("eventbridge.detail-type", key, "AT RISK",
                           f"{read}: matches only with the detail-type '{spelled[0]}'", **names))
    elif best:
        out.append(finding("eventbridge.detail-type", key, "OK",
                           f"{read}: does not depend on the detail-type's spelling", **names))
    return out


def forward_links(ctx: Context, key: str, region: str, bus_arn: str) -> list[Finding]:
    """forward-rule, forward-enabled, forward-pattern, forward-target, forward-role for one Region."""
    names = {**ctx.names, "region": region, "bus_arn": bus_arn}
    rules = signin_rules(ctx, region)
    if isinstance(rules, ReadError):
        return [finding("eventbridge.forward-rule", key, "UNKNOWN", f"{rules} (the target cannot tell)", **names)]
    forwarding: list[tuple[dict[str, Any], dict[str, Any], dict[str, Any]]] = []
    for rule, pattern in rules:
        got = targets(ctx, region, rule["Name"])
        for t in [] if isinstance(got, ReadError) else got:
            if ":event-bus/" in str(t.get("Arn", "")):
                forwarding.append((rule, pattern, t))
    if not forwarding:
        return [finding("eventbridge.forward-rule", key, "BROKEN",
                        f"events ListRules, ListTargetsByRule ({region}): no sign-in rule on the default bus "
                        f"forwarding to an event bus ({len(rules)} sign-in rule(s) there)", **names)]
    # The rule that forwards to the central bus, enabled, if there is one.
    forwarding.sort(key=lambda x: (x[2].get("Arn") != bus_arn, not enabled(x[0].get("State", "ENABLED"))))
    rule, pattern, target = forwarding[0]
    names["rule"] = rule["Name"]
    where = f"events ListRules ({region}) {rule['Name']}"
    out = [finding("eventbridge.forward-rule", key, "OK", f"{where}: forwards to {target['Arn']}", **names)]
    state = rule.get("State", "ENABLED")
    out.append(finding("eventbridge.forward-enabled", key, "OK" if enabled(state) else "BROKEN",
                       f"{where}: State={state}", **names))
    records = kind_records(ctx)
    out += pattern_findings(key, "forward", f"{where} pattern", pattern_hits(pattern, records), len(records), names)
    read = f"events ListTargetsByRule ({region}) {rule['Name']}: {target['Arn']}, RoleArn={target.get('RoleArn')}"
    if target["Arn"] != bus_arn:
        out.append(
            finding("eventbridge.forward-target", key, "BROKEN", f"{read}; the central bus is {bus_arn}", **names)
        )
        return out
    out.append(finding("eventbridge.forward-target", key, "OK", read, **names))
    out.append(_role(ctx, key, target.get("RoleArn"), bus_arn, names))
    return out


def _role(ctx: Context, key: str, role_arn: str | None, bus_arn: str, names: dict[str, str]) -> Finding:
    """eventbridge.forward-role: EventBridge may assume it, and it allows events:PutEvents on the bus."""
    from botocore.utils import ArnParser, InvalidArnException

    from signin_lab.doctor.trail import _role_policies

    if not role_arn:
        return finding("eventbridge.forward-role", key, "BROKEN", "events ListTargetsByRule: no RoleArn on the "
                       "bus target", **names)
    try:
        role_name = ArnParser().parse_arn(role_arn)["resource"].split("/")[-1]
    except InvalidArnException:
        return finding("eventbridge.forward-role", key, "BROKEN", f"RoleArn={role_arn} is not an ARN", **names)
    names = {**names, "role": role_name, "role_arn": role_arn}
    role = ctx.reader.call("iam", "get_role", RoleName=role_name)
    if isinstance(role, ReadError):
        status: Status = "BROKEN" if role.not_found else "UNKNOWN"
        return finding("eventbridge.forward-role", key, status, f"iam GetRole {role_name}: {role}", **names)
    trust = statements(policy_doc(role["Role"].get("AssumeRolePolicyDocument")))
    if not any("events.amazonaws.com" in principal_services(s) and allows(s, "sts:AssumeRole") for s in trust):
        return finding("eventbridge.forward-role", key, "BROKEN",
                       f"iam GetRole {role_name}: trust policy does not let events.amazonaws.com assume it", **names)
    docs = _role_policies(ctx, role_name)
    if isinstance(docs, ReadError):
        return finding("eventbridge.forward-role", key, "UNKNOWN", f"{docs} (the target cannot tell)", **names)
    read = f"iam GetRolePolicy/GetPolicyVersion {role_name}: {len(docs)} policy document(s)"
    # Allow statements are read; Deny statements and conditions are not evaluated (as delivery.role).
    ok = any(allows(s, "events:PutEvents", bus_arn) for d in docs for s in statements(d))
    return finding("eventbridge.forward-role", key, "OK" if ok else "BROKEN",
                   f"{read}; events:PutEvents on {bus_arn} " + ("allowed" if ok else "not allowed"), **names)
