"""The EventBridge design's chain, diagnosed where it is deployed: rule -> target -> topic.

EventBridge rules on the default bus whose pattern names source `aws.signin` or eventName
`ConsoleLogin` are the design's rules. A rule sees only its own Region's events
(https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html), and
root sign-ins are recorded in us-east-1, so the Regions read are the lab's and us-east-1. Each
rule's pattern is tested (with `signin_lab.eventpattern`) on AWS's documented sign-in records
wrapped in EventBridge's envelope under both detail-type spellings AWS's pages use.
"""

from __future__ import annotations

import json
from typing import Any

from signin_lab.doctor.chain import Context
from signin_lab.doctor.model import Finding, Status
from signin_lab.doctor.reader import ReadError
from signin_lab.doctor.rules import finding
from signin_lab.doctor.sns import kms_finding, publish_finding
from signin_lab.doctor.trail import ROOT_SIGNIN_REGION

ALERT = "eventbridge"


def _spellings() -> tuple[str, ...]:
    """Both spellings of the sign-in detail-type in AWS's documentation (signin_lab.eventpattern)."""
    from signin_lab.eventpattern import CONSOLE_SIGNIN_DETAIL_TYPE, CONSOLE_SIGNIN_DETAIL_TYPE_GUIDE

    return (CONSOLE_SIGNIN_DETAIL_TYPE, CONSOLE_SIGNIN_DETAIL_TYPE_GUIDE)


def is_signin_rule(pattern: dict[str, Any]) -> bool:
    """Whether an event pattern is about console sign-ins (source aws.signin or eventName ConsoleLogin)."""
    text = json.dumps(pattern)
    return "aws.signin" in text or "ConsoleLogin" in text


def signin_rules(ctx: Context, regions: list[str]) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(region, rule, pattern) for every sign-in rule on the default bus of each Region."""
    out = []
    for region in regions:
        rules = ctx.reader.pages("events", "list_rules", "Rules", region=region, EventBusName="default")
        if isinstance(rules, ReadError):
            continue
        for rule in rules:
            try:
                pattern = json.loads(rule.get("EventPattern") or "{}")
            except json.JSONDecodeError:
                continue
            if isinstance(pattern, dict) and is_signin_rule(pattern):
                out.append((region, rule, pattern))
    return out


def eventbridge_links(ctx: Context, regions: list[str]) -> list[Finding]:
    """Every EventBridge finding; empty when the design is not deployed."""
    rules = signin_rules(ctx, regions)
    if not rules:
        return []
    names = dict(ctx.names)
    where = sorted({region for region, _, _ in rules})
    read = f"events ListRules (default bus, {', '.join(regions)}): sign-in rules in {', '.join(where)}"
    ok = ROOT_SIGNIN_REGION in where
    out = [finding("eventbridge.region", ALERT, "OK" if ok else "BROKEN",
                   read + ("" if ok else f": root sign-ins arrive in {ROOT_SIGNIN_REGION}"),
                   **{**names, "rule": rules[0][1]["Name"]})]
    for region, rule, pattern in rules:
        out.extend(_rule_links(ctx, region, rule, pattern))
    return out


def _rule_links(ctx: Context, region: str, rule: dict[str, Any], pattern: dict[str, Any]) -> list[Finding]:
    from signin_lab.events import samples

    key = f"{ALERT}:{region}:{rule['Name']}"
    names = {**ctx.names, "rule": rule["Name"]}
    from signin_lab import eventpattern

    records = [r for r in samples.aws_examples() if r.get("eventName") == "ConsoleLogin"]
    spellings = _spellings()
    try:
        compiled = eventpattern.EventPattern(pattern)
    except eventpattern.EventPatternError as exc:
        return [finding("eventbridge.pattern-matches", key, "BROKEN", f"events ListRules {rule['Name']}: {exc}", **names)]
    hits = {dt: sum(eventpattern.test(compiled, eventpattern.envelope(r, detail_type=dt)) for r in records)
            for dt in spellings}
    read = f"events ListRules {rule['Name']}: pattern matches " + ", ".join(
        f"{n} of {len(records)} documented sign-ins as '{dt}'" for dt, n in hits.items())
    best = max(hits.values())
    out = [finding("eventbridge.pattern-matches", key, "OK" if best else "BROKEN", read, **names)]
    spelled = [dt for dt, n in hits.items() if n]
    if best and len(spelled) < len(spellings):
        out.append(finding("eventbridge.detail-type", key, "AT RISK", f"pattern depends on the spelling '{spelled[0]}'", **names))
    elif best:
        out.append(finding("eventbridge.detail-type", key, "OK", "pattern does not depend on the detail-type spelling", **names))
    targets = ctx.reader.pages("events", "list_targets_by_rule", "Targets", region=region, Rule=rule["Name"],
                               EventBusName="default")
    if isinstance(targets, ReadError):
        return [*out, finding("eventbridge.target", key, "UNKNOWN", f"{targets} (the target cannot tell)", **names)]
    sns_targets = [t for t in targets if str(t.get("Arn", "")).startswith("arn:aws:sns:")]
    read = f"events ListTargetsByRule {rule['Name']}: {[t.get('Arn') for t in targets]}"
    if not sns_targets:
        return [*out, finding("eventbridge.target", key, "BROKEN", f"{read}: no SNS topic", **names)]
    out.append(finding("eventbridge.target", key, "OK", read, **names))
    for t in sns_targets:
        tnames = {**names, "topic_arn": t["Arn"], "topic": t["Arn"].rsplit(":", 1)[-1]}
        has = "InputTransformer" in t or "Input" in t or "InputPath" in t
        out.append(finding("eventbridge.input-transformer", key, "OK" if has else "AT RISK",
                           f"events ListTargetsByRule: {t['Id']} InputTransformer {'set' if has else 'not set'}", **tnames))
        got = ctx.reader.call("sns", "get_topic_attributes", region=t["Arn"].split(":")[3], TopicArn=t["Arn"])
        if isinstance(got, ReadError):
            status: Status = "BROKEN" if got.not_found else "UNKNOWN"
            out.append(finding("eventbridge.topic-policy", key, status, f"{got}", **tnames))
            continue
        sub = Context(ctx.reader, ctx.cfg, ctx.alert, ctx.samples, ctx.now, names=tnames, topic_arn=t["Arn"])
        sub_key_findings = [
            publish_finding(sub, "eventbridge.topic-policy", got["Attributes"], "events.amazonaws.com", rule["Arn"]),
            kms_finding(sub, got["Attributes"], "events.amazonaws.com"),
        ]
        out.extend(_rekey(f, key) for f in sub_key_findings)
    return out


def _rekey(f: Finding, key: str) -> Finding:
    from dataclasses import replace

    return replace(f, alert=key, link="target")
