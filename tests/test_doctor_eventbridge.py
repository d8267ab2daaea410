"""signin_lab.doctor on the EventBridge design: deployed by lab.deploy, broken one way each through boto3 on moto."""

from __future__ import annotations

import json

import pytest

from signin_lab import Lab
from signin_lab.doctor import Diagnosis, Finding, doctor
from signin_lab.stack.eventbridge_plan import forward_pattern, plan

EMAIL = "learner@example.com"
SMS = "+447700900123"
CENTRAL = "eu-west-1"


@pytest.fixture
def eb(lab: Lab) -> Lab:
    """The in-process lab with only the EventBridge design deployed."""
    lab.deploy(email=EMAIL, sms=SMS, design="eventbridge")
    return lab


def _chain(d: Diagnosis, alert: str) -> list[Finding]:
    return d.for_alert(f"eventbridge:{alert}")


def _rule_name(lab: Lab, alert: str) -> str:
    return next(r.name for r in plan(lab.config).rules if r.alert_key == alert)


def _status(d: Diagnosis, alert: str, finding_id: str, region: str | None = None) -> str:
    """The status of one finding of the alert's EventBridge chain (in `region`, for forwarding)."""
    found = [f for f in _chain(d, alert) if f.id == finding_id and (region is None or f"({region})" in f.read)]
    assert 1 == len(found), found
    return found[0].status


def test_blog_only_stack_reports_eventbridge_not_deployed(deployed: Lab) -> None:
    """The blog's stack alone: EventBridge is one NOT DEPLOYED finding, nothing of it BROKEN."""
    d = doctor(deployed)
    assert ([("eventbridge", "NOT DEPLOYED")], {"blog": True, "eventbridge": False}, True) == (
        [(f.alert, f.status) for f in d.not_deployed], d.designs, d.ok)


def test_blog_only_stack_has_no_eventbridge_chains(deployed: Lab) -> None:
    """The blog's stack alone: no alert chain of the EventBridge design is walked."""
    assert [] == [k for k in doctor(deployed).alerts if k.startswith("eventbridge:")]


def test_healthy_eventbridge_only_stack_is_ok(eb: Lab) -> None:
    """lab.deploy(design="eventbridge"): every chain reaches its subscribers; the blog is NOT DEPLOYED."""
    d = doctor(eb)
    assert (True, [("blog", "NOT DEPLOYED")], {"blog": False, "eventbridge": True}) == (
        d.ok, [(f.alert, f.status) for f in d.not_deployed], d.designs)


def test_healthy_eventbridge_stack_has_no_link_broken_or_at_risk(eb: Lab) -> None:
    """On moto only the SMS account reads are UNKNOWN; every other EventBridge-chain link is OK."""
    d = doctor(eb)
    bad = sorted({(f.id, f.status) for k in d.alerts for f in d.for_alert(k) if f.status != "OK"})
    assert [("sms.sandbox", "UNKNOWN"), ("sms.sender-id", "UNKNOWN"), ("sms.spend-limit", "UNKNOWN")] == bad


def test_healthy_eventbridge_chain_covers_every_signin_region(eb: Lab) -> None:
    """An IAM-user alert's chain checks a forwarding rule in each non-central Region of plan(cfg)."""
    regions = [r for r in plan(eb.config).regions if r != CENTRAL]
    found = [f.read.split("(")[1].split(")")[0] for f in _chain(doctor(eb), "success-iam")
             if f.id == "eventbridge.forward-rule"]
    assert regions == found


def test_healthy_both_designs_stack_is_ok(lab: Lab) -> None:
    """lab.deploy(design="both"): both chains of every alert reach their subscribers, nothing NOT DEPLOYED."""
    lab.deploy(email=EMAIL, sms=SMS, design="both")
    d = doctor(lab)
    assert (True, [], 2 * len(lab.config.alerts)) == (d.ok, d.not_deployed, len(d.alerts))


def test_deleted_forwarding_rule_is_broken(eb: Lab) -> None:
    """No forwarding rule in eu-north-1: IAM-user sign-ins recorded there never reach the central bus."""
    events = eb.client("events", "eu-north-1")
    name = f"{eb.config.name_prefix}-signin-forward"
    events.remove_targets(Rule=name, Ids=["central-bus"])
    events.delete_rule(Name=name)
    d = doctor(eb)
    head = d.headline("eventbridge:success-iam")
    assert ("eventbridge.forward-rule", True) == (
        head.id if head else None,
        "(eu-north-1)" in (head.read if head else ""),
    )


def test_deleted_forwarding_rule_outside_us_east_1_leaves_root_alerts_ok(eb: Lab) -> None:
    """Root sign-ins are recorded only in us-east-1, so eu-north-1's forwarding does not concern them."""
    events = eb.client("events", "eu-north-1")
    name = f"{eb.config.name_prefix}-signin-forward"
    events.remove_targets(Rule=name, Ids=["central-bus"])
    events.delete_rule(Name=name)
    assert None is doctor(eb).headline("eventbridge:success-root")


def test_disabled_forwarding_rule_is_broken(eb: Lab) -> None:
    """A disabled forwarding rule in us-east-1 drops every root sign-in."""
    eb.client("events", "us-east-1").disable_rule(Name=f"{eb.config.name_prefix}-signin-forward")
    assert "BROKEN" == _status(doctor(eb), "success-root", "eventbridge.forward-enabled", "us-east-1")


def test_forwarding_role_without_put_events_is_broken(eb: Lab) -> None:
    """A forwarding role whose policy no longer allows events:PutEvents cannot deliver to the central bus."""
    iam = eb.client("iam")
    role = plan(eb.config).role_name
    for name in iam.list_role_policies(RoleName=role)["PolicyNames"]:
        iam.delete_role_policy(RoleName=role, PolicyName=name)
    assert "eventbridge.forward-role" == doctor(eb).headline("eventbridge:failure-root").id  # type: ignore[union-attr]


def test_disabled_central_rule_is_broken(eb: Lab) -> None:
    """The central rule of success-root disabled: that alert's headline is eventbridge.rule-enabled."""
    eb.client("events", CENTRAL).disable_rule(Name=_rule_name(eb, "success-root"))
    assert "eventbridge.rule-enabled" == doctor(eb).headline("eventbridge:success-root").id  # type: ignore[union-attr]


def test_disabled_central_rule_leaves_other_alerts_ok(eb: Lab) -> None:
    """Disabling success-root's rule breaks that alert only."""
    eb.client("events", CENTRAL).disable_rule(Name=_rule_name(eb, "success-root"))
    assert ["eventbridge:success-root"] == doctor(eb).broken_alerts


def test_pattern_on_the_guides_detail_type_only_is_at_risk(eb: Lab) -> None:
    """A pattern needing the guide's "AWS Console Signin via CloudTrail" misses real events' spelling."""
    name = _rule_name(eb, "failure-iam")
    pattern = {**next(r.pattern for r in plan(eb.config).rules if r.name == name),
               "detail-type": ["AWS Console Signin via CloudTrail"]}
    eb.client("events", CENTRAL).put_rule(Name=name, EventPattern=json.dumps(pattern))
    assert "AT RISK" == _status(doctor(eb), "failure-iam", "eventbridge.detail-type", CENTRAL)


def test_pattern_with_the_wrong_case_is_broken(eb: Lab) -> None:
    """userIdentity.type "root" (CloudTrail writes "Root") never matches a root sign-in."""
    name = _rule_name(eb, "success-root")
    pattern = {"source": ["aws.signin"], "detail": {"eventName": ["ConsoleLogin"], "userIdentity": {"type": ["root"]}}}
    eb.client("events", CENTRAL).put_rule(Name=name, EventPattern=json.dumps(pattern))
    assert "eventbridge.pattern-matches" == doctor(eb).headline("eventbridge:success-root").id  # type: ignore[union-attr]


def test_forwarding_pattern_on_another_source_is_broken(eb: Lab) -> None:
    """A forwarding rule on source aws.sign-in (not aws.signin) forwards no sign-in."""
    name = f"{eb.config.name_prefix}-signin-forward"
    pattern = {**forward_pattern(), "source": ["aws.sign-in"], "detail": {"eventName": ["ConsoleLogin"]}}
    eb.client("events", "us-east-1").put_rule(Name=name, EventPattern=json.dumps(pattern))
    assert "BROKEN" == _status(doctor(eb), "failure-root", "eventbridge.forward-pattern", "us-east-1")


def test_removed_input_transformer_is_at_risk(eb: Lab) -> None:
    """The central rule's target put back without its InputTransformer sends the whole event."""
    name = _rule_name(eb, "success-iam")
    events = eb.client("events", CENTRAL)
    target = events.list_targets_by_rule(Rule=name)["Targets"][0]
    events.put_targets(Rule=name, Targets=[{"Id": target["Id"], "Arn": target["Arn"]}])
    assert "AT RISK" == _status(doctor(eb), "success-iam", "eventbridge.input-transformer")


def test_input_transformer_giving_an_empty_message_is_broken(eb: Lab) -> None:
    """A template made only of a path the sign-in lacks renders an empty message."""
    name = _rule_name(eb, "success-iam")
    events = eb.client("events", CENTRAL)
    target = events.list_targets_by_rule(Rule=name)["Targets"][0]
    transformer = {"InputPathsMap": {"x": "$.detail.notThere"}, "InputTemplate": '"<x>"'}
    events.put_targets(Rule=name, Targets=[{"Id": target["Id"], "Arn": target["Arn"], "InputTransformer": transformer}])
    assert "BROKEN" == _status(doctor(eb), "success-iam", "eventbridge.input-transformer")


def test_central_rule_without_target_is_broken(eb: Lab) -> None:
    """A central rule whose SNS target is removed matches and delivers nowhere."""
    name = _rule_name(eb, "failure-root")
    eb.client("events", CENTRAL).remove_targets(Rule=name, Ids=["topic"])
    assert "eventbridge.target" == doctor(eb).headline("eventbridge:failure-root").id  # type: ignore[union-attr]


def test_topic_policy_without_events_principal_is_broken(eb: Lab) -> None:
    """A topic policy letting only CloudWatch publish shuts EventBridge out: eventbridge.topic-policy."""
    arn = plan(eb.config).topic_arn("success-root")
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "cloudwatch.amazonaws.com"},
                "Action": "sns:Publish",
                "Resource": arn,
            }
        ],
    }
    eb.client("sns", CENTRAL).set_topic_attributes(
        TopicArn=arn, AttributeName="Policy", AttributeValue=json.dumps(policy)
    )
    assert "eventbridge.topic-policy" == doctor(eb).headline("eventbridge:success-root").id  # type: ignore[union-attr]


def test_topic_policy_conditioned_on_another_rule_is_broken(eb: Lab) -> None:
    """events.amazonaws.com allowed only for another rule's ARN (aws:SourceArn) cannot publish for this one."""
    p = plan(eb.config)
    arn = p.topic_arn("success-root")
    other = f"arn:aws:events:{CENTRAL}:{eb.config.account_id}:rule/{_rule_name(eb, 'failure-root')}"
    policy = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"}, "Action": "sns:Publish", "Resource": arn,
        "Condition": {"ArnEquals": {"aws:SourceArn": other}}}]}
    eb.client("sns", CENTRAL).set_topic_attributes(
        TopicArn=arn, AttributeName="Policy", AttributeValue=json.dumps(policy)
    )
    assert "BROKEN" == _status(doctor(eb), "success-root", "eventbridge.topic-policy")


def test_blog_broken_in_both_designs_leaves_eventbridge_chain_ok(lab: Lab) -> None:
    """Both designs, the blog's trail deleted: the blog's chain is BROKEN, the EventBridge chain is not."""
    lab.deploy(email=EMAIL, design="both")
    lab.client("cloudtrail").delete_trail(Name=lab.config.trail_name)
    d = doctor(lab, alert="success-root")
    assert (["success-root"], None) == (d.broken_alerts, d.headline("eventbridge:success-root"))


def test_missing_subscription_on_the_eventbridge_topic_is_broken(eb: Lab) -> None:
    """The configured email unsubscribed from success-root's EventBridge topic: subscription.exists BROKEN."""
    sns = eb.client("sns", CENTRAL)
    arn = plan(eb.config).topic_arn("success-root")
    for s in sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"]:
        if s["Protocol"] == "email":
            sns.unsubscribe(SubscriptionArn=s["SubscriptionArn"])
    assert "subscription.exists" == doctor(eb).headline("eventbridge:success-root").id  # type: ignore[union-attr]


def test_rule_enabled_with_all_management_events_is_ok(eb: Lab) -> None:
    """ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS also matches ConsoleLogin (a write event): OK, not BROKEN."""
    name = _rule_name(eb, "success-root")
    pattern = next(r.pattern for r in plan(eb.config).rules if r.name == name)
    eb.client("events", CENTRAL).put_rule(Name=name, EventPattern=json.dumps(pattern),
                                          State="ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS")
    assert "OK" == _status(doctor(eb), "success-root", "eventbridge.rule-enabled")


def test_central_rule_under_another_name_is_found(eb: Lab) -> None:
    """The kit's success-root rule replaced by the user's own, named otherwise: found by its pattern, chain OK."""
    events = eb.client("events", CENTRAL)
    kit = next(r for r in plan(eb.config).rules if r.alert_key == "success-root")
    target = events.list_targets_by_rule(Rule=kit.name)["Targets"][0]
    events.remove_targets(Rule=kit.name, Ids=[target["Id"]])
    events.delete_rule(Name=kit.name)
    events.put_rule(Name="my-root-signins", EventPattern=json.dumps(kit.pattern))
    events.put_targets(Rule="my-root-signins", Targets=[target])
    arn = plan(eb.config).topic_arn("success-root")
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "events.amazonaws.com"},
                "Action": "sns:Publish",
                "Resource": arn,
            }
        ],
    }
    eb.client("sns", CENTRAL).set_topic_attributes(
        TopicArn=arn, AttributeName="Policy", AttributeValue=json.dumps(policy)
    )
    d = doctor(eb, alert="success-root")
    assert (None, "events ListRules (eu-west-1) my-root-signins") == (
        d.headline("eventbridge:success-root"), d.finding("eventbridge:success-root", "eventbridge.rule-exists").read)
