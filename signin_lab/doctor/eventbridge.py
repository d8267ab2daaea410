"""The EventBridge design's chain for one alert: forwarding rules -> central rule -> target -> topic -> inbox.

The design is `signin_lab.stack.eventbridge_plan.plan(cfg)`: forwarding rules in every Region
where console sign-ins are recorded (`signin_lab.doctor.forward`), and in the central Region
(the config's) one rule per alert publishing to the alert's SNS topic through an input
transformer. Each rule's pattern is tested with `signin_lab.eventpattern` on AWS's documented
sign-in records of the alert's kind, wrapped by `eventpattern.envelope` under both detail-type
spellings AWS's pages use; the transformer is run on one of them with `eventpattern.transform`
(https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from signin_lab.doctor.chain import Context
from signin_lab.doctor.forward import (
    enabled,
    kind_records,
    pattern_findings,
    pattern_hits,
    signin_rules,
    targets,
)
from signin_lab.doctor.model import EVENTBRIDGE_LINKS, Finding, Status
from signin_lab.doctor.reader import ReadError
from signin_lab.doctor.rules import finding
from signin_lab.doctor.sns import kms_finding, publish_finding, sms_links, subscription_links
from signin_lab.doctor.trail import ROOT_SIGNIN_REGION, _is_root_alert

PREFIX = "eventbridge:"


def chain_key(alert_key: str) -> str:
    """The key of an alert's EventBridge chain in a Diagnosis, e.g. "eventbridge:success-root"."""
    return PREFIX + alert_key


def deployed(ctx: Context, regions: list[str]) -> bool:
    """Whether any Region of the design has a sign-in rule (a Region that cannot be read counts)."""
    return any(isinstance(got, ReadError) or got for got in (signin_rules(ctx, r) for r in regions))


def regions_for(ctx: Context, plan_regions: tuple[str, ...]) -> list[str]:
    """The non-central Regions whose forwarding this alert needs: us-east-1 only for root sign-ins
    (recorded there, cloudtrail-event-reference-aws-console-sign-in-events.html), all otherwise."""
    central = ctx.cfg.region
    wanted = [ROOT_SIGNIN_REGION] if _is_root_alert(ctx.alert) else list(plan_regions)
    return [r for r in wanted if r != central]


def eventbridge_links(ctx: Context) -> list[Finding]:
    """Every finding of the alert's EventBridge chain, in chain order."""
    from signin_lab.doctor.forward import forward_links
    from signin_lab.stack.eventbridge_plan import plan

    p = plan(ctx.cfg)
    key = chain_key(ctx.alert.key)
    out: list[Finding] = []
    for region in regions_for(ctx, p.regions):
        out += forward_links(ctx, key, region, p.bus_arn)
    if ctx.alert.key in p.skipped:
        names = {**ctx.names, "rule": ctx.alert.topic_name}
        out.append(finding("eventbridge.rule-exists", key, "UNKNOWN",
                           f"plan: no rule derived for {ctx.alert.key}: {p.skipped[ctx.alert.key]}", **names))
        return out
    topic_arn = p.topic_arn(ctx.alert.key)
    out += _central_links(ctx, key, ctx.alert.topic_name, topic_arn)
    return sorted(out, key=lambda f: EVENTBRIDGE_LINKS.index(f.link))


def _choose(
    ctx: Context, rules: list[tuple[dict[str, Any], dict[str, Any]]], name: str
) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The plan's rule by name, else the sign-in rule that matches most records of the alert's kind."""
    named = [r for r in rules if r[0]["Name"] == name]
    if named:
        return named[0]
    records = kind_records(ctx)
    scored = [(max(h.values()) if isinstance(h := pattern_hits(pat, records), dict) else 0, rule["Name"], (rule, pat))
              for rule, pat in rules]
    best = max(scored, default=None, key=lambda x: (x[0], x[1]))
    return best[2] if best and best[0] else None


def _central_links(ctx: Context, key: str, name: str, topic_arn: str) -> list[Finding]:
    central = ctx.cfg.region
    names = {
        **ctx.names,
        "rule": name,
        "region": central,
        "topic_arn": topic_arn,
        "topic": topic_arn.rsplit(":", 1)[-1],
    }
    rules = signin_rules(ctx, central)
    if isinstance(rules, ReadError):
        return [finding("eventbridge.rule-exists", key, "UNKNOWN", f"{rules} (the target cannot tell)", **names)]
    chosen = _choose(ctx, rules, name)
    if chosen is None:
        return [finding("eventbridge.rule-exists", key, "BROKEN", f"events ListRules (default bus, {central}): no rule "
                        f"{name} and no sign-in rule matching {ctx.alert.key} sign-ins", **names)]
    rule, pattern = chosen
    names["rule"] = rule["Name"]
    where = f"events ListRules ({central}) {rule['Name']}"
    state = rule.get("State", "ENABLED")
    records = kind_records(ctx)
    out = [
        finding("eventbridge.rule-exists", key, "OK", where, **names),
        finding(
            "eventbridge.rule-enabled", key, "OK" if enabled(state) else "BROKEN", f"{where}: State={state}", **names
        ),
    ]
    out += pattern_findings(key, "rule", f"{where} pattern", pattern_hits(pattern, records), len(records), names)
    got = targets(ctx, central, rule["Name"])
    if isinstance(got, ReadError):
        return [*out, finding("eventbridge.target", key, "UNKNOWN", f"{got} (the target cannot tell)", **names)]
    read = f"events ListTargetsByRule {rule['Name']}: {[t.get('Arn') for t in got]}"
    sns_targets = sorted((t for t in got if str(t.get("Arn", "")).startswith("arn:aws:sns:")),
                         key=lambda t: t["Arn"] != topic_arn)
    if not sns_targets:
        return [*out, finding("eventbridge.target", key, "BROKEN", f"{read}: no SNS topic", **names)]
    target = sns_targets[0]
    names.update(topic_arn=target["Arn"], topic=target["Arn"].rsplit(":", 1)[-1])
    out.append(finding("eventbridge.target", key, "OK", read, **names))
    out.append(_transformer(key, rule, target, records, names))
    sub = Context(ctx.reader, ctx.cfg, ctx.alert, ctx.samples, ctx.now, names=names, topic_arn=target["Arn"])
    return out + [replace(f, alert=key) for f in _topic_links(sub, rule["Arn"])]


def _transformer(
    key: str, rule: dict[str, Any], target: dict[str, Any], records: list[Any], names: dict[str, str]
) -> Finding:
    """eventbridge.input-transformer: present, accepted, and giving a non-empty message."""
    from signin_lab import eventpattern

    t = target.get("InputTransformer")
    if not t:
        return finding(
            "eventbridge.input-transformer",
            key,
            "AT RISK",
            f"events ListTargetsByRule: {target['Id']} has no InputTransformer: the whole event is sent",
            **names,
        )
    paths, template = t.get("InputPathsMap") or {}, t.get("InputTemplate", "")
    if not records:
        return finding(
            "eventbridge.input-transformer", key, "UNKNOWN", "no documented sign-in of this kind to run it on", **names
        )
    event = eventpattern.envelope(records[0].record)
    try:
        text = eventpattern.transform(paths, template, event, rule_name=rule["Name"], rule_arn=rule["Arn"])
    except (eventpattern.InputTransformerError, eventpattern.EventPatternError) as exc:
        return finding("eventbridge.input-transformer", key, "BROKEN", f"InputTransformer: {exc}", **names)
    empty = not text.strip().strip('"').strip()
    read = f"InputTransformer on {records[0].label}: {text[:160]!r}"
    return finding("eventbridge.input-transformer", key, "BROKEN" if empty else "OK",
                   read + (": an empty message" if empty else ""), **names)


def _topic_links(ctx: Context, rule_arn: str) -> list[Finding]:
    """topic.exists, eventbridge.topic-policy, topic.kms-key, subscriptions, SMS endpoint."""
    arn = ctx.topic_arn or ""
    region = arn.split(":")[3]
    got = ctx.reader.call("sns", "get_topic_attributes", region=region, TopicArn=arn)
    if isinstance(got, ReadError):
        status: Status = "BROKEN" if got.not_found else "UNKNOWN"
        return [ctx.f("topic.exists", status, f"sns GetTopicAttributes {arn}: {got}")]
    attrs = got["Attributes"]
    out = [ctx.f("topic.exists", "OK", f"sns GetTopicAttributes: {arn}"),
           publish_finding(ctx, "eventbridge.topic-policy", attrs, "events.amazonaws.com", rule_arn),
           kms_finding(ctx, attrs, "events.amazonaws.com")]
    subs = ctx.reader.pages("sns", "list_subscriptions_by_topic", "Subscriptions", region=region, TopicArn=arn)
    out += subscription_links(ctx, subs)
    for s in [] if isinstance(subs, ReadError) else subs:
        if s["Protocol"] == "sms":
            out += sms_links(ctx.reader, ctx.alert.key, s["Endpoint"], region, ctx.names)
    return out


def not_deployed(design: str, read: str) -> Finding:
    """The one finding of a design that is not deployed."""
    return finding("design.not-deployed", design, "NOT DEPLOYED", read, design=design)
