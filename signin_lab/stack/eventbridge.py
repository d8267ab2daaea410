"""Deploy and teardown of the EventBridge design (stack/eventbridge_plan.py), idempotent.

Before any call, every Region of the plan is checked: EventBridge must be offered there (botocore's
endpoint data for `events`) and the account must have it enabled (EC2 DescribeRegions
`OptInStatus`; Regions introduced after March 2019 are opt-in,
https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html). Teardown visits
every Region of the plan and removes targets before rules, as DeleteRule requires ("Before you can
delete the rule, you must remove all targets",
https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_DeleteRule.html); a Region that
fails does not stop the others, and the failures are raised together at the end.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from signin_lab.aws_errors import error_code, is_not_found
from signin_lab.errors import SigninLabError
from signin_lab.stack.changes import Change
from signin_lab.stack.deploy import StackResult
from signin_lab.stack.eventbridge_plan import (
    DESIGNS,
    Plan,
    Rule,
    forward_role_policy,
    forward_trust_policy,
    plan,
    topic_policy,
)

if TYPE_CHECKING:  # pragma: no cover
    from signin_lab.config import Alert, LabConfig
    from signin_lab.lab import Lab



SECTION = "EventBridge"
ROLE_POLICY = "PutEventsOnCentralBus"
TAG = [{"Key": "signin-lab", "Value": "true"}]


def check_design(design: str) -> None:
    """Raise unless `design` is one of DESIGNS (blog, eventbridge, both)."""
    if design not in DESIGNS:
        raise SigninLabError(f"design={design!r}: expected one of {', '.join(DESIGNS)}")


def check_regions(lab: Lab, p: Plan) -> None:
    """Raise naming the first Region without EventBridge or not enabled for the account."""
    import boto3

    offered = set(boto3.session.Session().get_available_regions("events"))
    for region in p.regions:
        if region not in offered:
            raise SigninLabError(f"EventBridge design: EventBridge is not offered in {region} "
                                 "(botocore's endpoint data for 'events')")
    found = lab.client("ec2").describe_regions(AllRegions=True)["Regions"]
    status = {r["RegionName"]: r.get("OptInStatus", "opt-in-not-required") for r in found}
    for region in p.regions:
        if status.get(region) == "not-opted-in":
            raise SigninLabError(f"EventBridge design: Region {region} is not enabled for account "
                                 f"{p.account_id} (OptInStatus not-opted-in); enable it or drop it")


def _doc(value: object) -> object:
    from urllib.parse import unquote

    return json.loads(unquote(value)) if isinstance(value, str) else value


def ensure_role(lab: Lab, p: Plan) -> list[Change]:
    """The role forwarding rules use to put events on the central bus (global, IAM)."""
    iam = lab.client("iam")
    trust = forward_trust_policy(p.account_id)
    out: list[Change] = []
    try:
        role = iam.get_role(RoleName=p.role_name)["Role"]
    except Exception as exc:
        if not is_not_found(exc):
            raise
        iam.create_role(RoleName=p.role_name, AssumeRolePolicyDocument=json.dumps(trust),
                        Description="Lets EventBridge forward console sign-ins to the central bus",
                        Tags=TAG)
        out.append(Change(SECTION, "IAM role", p.role_name, "created"))
    else:
        if _doc(role["AssumeRolePolicyDocument"]) != trust:
            iam.update_assume_role_policy(RoleName=p.role_name, PolicyDocument=json.dumps(trust))
            out.append(Change(SECTION, "IAM role", p.role_name, "updated", "trust policy"))
        else:
            out.append(Change(SECTION, "IAM role", p.role_name, "unchanged"))
    wanted = forward_role_policy(p)
    try:
        current = _doc(iam.get_role_policy(RoleName=p.role_name,
                                           PolicyName=ROLE_POLICY)["PolicyDocument"])
    except Exception as exc:
        if not is_not_found(exc):
            raise
        current = None
    if current != wanted:
        iam.put_role_policy(RoleName=p.role_name, PolicyName=ROLE_POLICY,
                            PolicyDocument=json.dumps(wanted))
    action = "created" if current is None else ("updated" if current != wanted else "unchanged")
    out.append(Change(SECTION, "role policy", ROLE_POLICY, action))  # type: ignore[arg-type]
    return out


def _subscriptions(sns: Any, topic_arn: str) -> list[dict[str, Any]]:
    """Every subscription of a topic (ListSubscriptionsByTopic, all pages)."""
    out: list[dict[str, Any]] = []
    for page in sns.get_paginator("list_subscriptions_by_topic").paginate(TopicArn=topic_arn):
        out.extend(page.get("Subscriptions", []))
    return out


def _wanted(cfg: LabConfig, alert: Alert) -> list[tuple[str, str]]:
    """(protocol, endpoint) pairs of an alert's topic: the email, and the SMS for SMS alerts
    (as the blog's topics, stack/sns.py)."""
    out = [("email", cfg.email)] if cfg.email else []
    if cfg.sms and alert.sms:
        out.append(("sms", cfg.sms))
    return out


def ensure_topics(lab: Lab, p: Plan) -> list[Change]:
    """One topic per alert rule in the central Region, its policy, and the alert's subscriptions."""
    cfg = lab.config
    sns = lab.client("sns", p.central)
    existing = _topic_arns(sns)
    out: list[Change] = []
    for alert in cfg.alerts:
        if alert.key not in p.topics:
            continue
        name = p.topics[alert.key]
        policy = topic_policy(p, alert.key)
        arn = sns.create_topic(Name=name, Tags=TAG)["TopicArn"]  # idempotent: returns the ARN
        current = json.loads(sns.get_topic_attributes(TopicArn=arn)["Attributes"].get("Policy", "{}"))
        if current != policy:
            sns.set_topic_attributes(TopicArn=arn, AttributeName="Policy",
                                     AttributeValue=json.dumps(policy))
        created = arn not in existing
        out.append(Change(SECTION, "SNS topic", name, "created" if created else
                          ("updated" if current != policy else "unchanged")))
        have = {(s["Protocol"], s["Endpoint"]): s for s in _subscriptions(sns, arn)}
        want = _wanted(cfg, alert)
        for protocol, endpoint in want:
            label = f"{name} -> {protocol}:{endpoint}"
            if (protocol, endpoint) in have:
                out.append(Change(SECTION, "subscription", label, "unchanged"))
            else:
                sns.subscribe(TopicArn=arn, Protocol=protocol, Endpoint=endpoint)
                out.append(Change(SECTION, "subscription", label, "created"))
        # an address or number changed since the last deploy: drop the stale one, as the blog's
        for (protocol, endpoint), sub in have.items():
            stale = protocol in ("email", "sms") and (protocol, endpoint) not in want
            if stale and str(sub["SubscriptionArn"]).startswith("arn:"):
                sns.unsubscribe(SubscriptionArn=sub["SubscriptionArn"])
                out.append(Change(SECTION, "subscription", f"{name} -> {protocol}:{endpoint}", "deleted"))
    return out


def preflight(p: Plan) -> None:
    """Every rule's pattern and input transformer checked as PutRule and PutTargets would
    (signin_lab.eventpattern), before any call; the error names the rule and the place."""
    from signin_lab.eventpattern import EventPattern
    from signin_lab.eventpattern.transform import check

    for rule in p.rules:
        try:
            EventPattern(rule.pattern)
            if rule.input_template is not None:
                check(dict(rule.input_paths or {}), rule.input_template)
        except SigninLabError as exc:
            raise SigninLabError(f"EventBridge rule {rule.region}/{rule.name}: {exc}") from exc


def _target(rule: Rule) -> dict[str, Any]:
    target: dict[str, Any] = {"Id": rule.target_id, "Arn": rule.target_arn}
    if rule.role_arn:
        target["RoleArn"] = rule.role_arn
    if rule.input_template is not None:
        target["InputTransformer"] = {"InputPathsMap": rule.input_paths or {},
                                      "InputTemplate": rule.input_template}
    return target


def ensure_rule(lab: Lab, rule: Rule) -> Change:
    """PutRule and PutTargets when what the Region has differs from the plan."""
    events = lab.client("events", rule.region)
    label = f"{rule.region}/{rule.name}"
    try:
        have = events.describe_rule(Name=rule.name)
    except Exception as exc:
        if not is_not_found(exc):
            raise
        have = None
    targets = events.list_targets_by_rule(Rule=rule.name)["Targets"] if have else []
    want = _target(rule)
    same = (have is not None and json.loads(have.get("EventPattern") or "{}") == rule.pattern
            and have.get("State") == "ENABLED" and have.get("Description", "") == rule.description
            and targets == [want])
    if same:
        return Change(SECTION, "rule", label, "unchanged")
    events.put_rule(Name=rule.name, EventPattern=json.dumps(rule.pattern), State="ENABLED",
                    Description=rule.description, Tags=TAG)
    stale = [t["Id"] for t in targets if t["Id"] != rule.target_id]
    if stale:
        events.remove_targets(Rule=rule.name, Ids=stale)
    events.put_targets(Rule=rule.name, Targets=[want])
    return Change(SECTION, "rule", label, "created" if have is None else "updated")


def deploy(lab: Lab, extra_regions: tuple[str, ...] | list[str] = ()) -> StackResult:
    """Build the EventBridge design: role, central topics and rules, then each Region's forwarder."""
    p = plan(lab.config, extra_regions)
    preflight(p)
    check_regions(lab, p)
    result = StackResult("deploy")
    result.changes.extend(ensure_role(lab, p))
    result.changes.extend(ensure_topics(lab, p))
    # central rules first, so a forwarded event never arrives before its rules exist
    for rule in sorted(p.rules, key=lambda r: r.forwards):
        try:
            result.changes.append(ensure_rule(lab, rule))
        except Exception as exc:  # botocore's errors: name the Region and rule, keep the cause
            raise SigninLabError(
                f"EventBridge deploy failed at {rule.region}/{rule.name}: {error_code(exc) or exc} "
                f"(done so far: {result.summary()}; teardown removes every Region's rules)") from exc
    for key, why in p.skipped.items():
        result.changes.append(Change(SECTION, "alert", key, "absent", why))
    return result


def delete_rule(lab: Lab, region: str, name: str) -> Change:
    """Remove a rule's targets, then the rule; absent is fine."""
    events = lab.client("events", region)
    label = f"{region}/{name}"
    try:
        targets = events.list_targets_by_rule(Rule=name)["Targets"]
    except Exception as exc:
        if is_not_found(exc):
            return Change(SECTION, "rule", label, "absent")
        raise
    if targets:
        events.remove_targets(Rule=name, Ids=[t["Id"] for t in targets])
    events.delete_rule(Name=name)
    return Change(SECTION, "rule", label, "deleted")


def _topic_arns(sns: Any) -> set[str]:
    existing: set[str] = set()
    for page in sns.get_paginator("list_topics").paginate():
        existing.update(t["TopicArn"] for t in page["Topics"])
    return existing


def _delete_topics(lab: Lab, p: Plan) -> list[Change]:
    sns = lab.client("sns", p.central)
    existing = _topic_arns(sns)
    out: list[Change] = []
    for key, name in p.topics.items():
        arn = p.topic_arn(key)
        if arn not in existing:
            out.append(Change(SECTION, "SNS topic", name, "absent"))
            continue
        for sub in _subscriptions(sns, arn):
            if sub["SubscriptionArn"].startswith("arn:"):
                sns.unsubscribe(SubscriptionArn=sub["SubscriptionArn"])
        sns.delete_topic(TopicArn=arn)
        out.append(Change(SECTION, "SNS topic", name, "deleted"))
    return out


def _delete_role(lab: Lab, p: Plan) -> list[Change]:
    iam = lab.client("iam")
    try:
        iam.delete_role_policy(RoleName=p.role_name, PolicyName=ROLE_POLICY)
    except Exception as exc:
        if not is_not_found(exc):
            raise
    try:
        iam.delete_role(RoleName=p.role_name)
    except Exception as exc:
        if is_not_found(exc):
            return [Change(SECTION, "IAM role", p.role_name, "absent")]
        raise
    return [Change(SECTION, "IAM role", p.role_name, "deleted")]


def teardown(lab: Lab, extra_regions: tuple[str, ...] | list[str] = ()) -> StackResult:
    """Remove every Region's rules, the topics and the role; one Region failing stops no other."""
    p = plan(lab.config.replace(cis=True), extra_regions)  # CIS rules too, as the blog's teardown
    result = StackResult("teardown")
    failures: list[str] = []
    for region in p.regions:
        for rule in p.rules_in(region):
            try:
                result.changes.append(delete_rule(lab, region, rule.name))
            except Exception as exc:  # noqa: BLE001  botocore's errors, reported below by Region
                failures.append(f"{region}/{rule.name}: {error_code(exc) or exc}")
    result.changes.extend(_delete_topics(lab, p))
    result.changes.extend(_delete_role(lab, p))
    if failures:
        raise SigninLabError("EventBridge teardown could not remove " + "; ".join(failures))
    return result


__all__ = ["check_design", "check_regions", "delete_rule", "deploy", "ensure_rule", "preflight", "teardown"]
