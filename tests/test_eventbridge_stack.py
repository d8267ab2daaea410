"""The EventBridge design on moto: plan, deploy (idempotent, every Region), teardown to zero."""

from __future__ import annotations

import json

import pytest

from signin_lab import Lab, LabConfig, SigninLabError
from signin_lab.stack import eventbridge
from signin_lab.stack.eventbridge_plan import (
    SIGNIN_REGIONS,
    alert_pattern,
    forward_pattern,
    plan,
    topic_policy,
)

EMAIL = "you@example.com"
SMS = "+447700900123"


def _rules(lab: Lab, region: str) -> list[str]:
    return [r["Name"] for r in lab.client("events", region).list_rules()["Rules"]]


def test_plan_covers_every_region_where_signins_are_recorded() -> None:
    """The plan's Regions are us-east-1, the three global-endpoint Regions, then the config's."""
    assert ("us-east-1", "us-east-2", "eu-north-1", "ap-southeast-2", "eu-west-1") == plan(LabConfig()).regions


def test_no_forwarding_rule_in_the_central_region() -> None:
    """A central Region that is also a sign-in Region gets alert rules but no forwarder."""
    p = plan(LabConfig(region="us-east-1"))
    assert [] == [r for r in p.rules if r.region == "us-east-1" and r.forwards]


def test_forwarders_target_the_central_default_bus_with_the_role() -> None:
    """Each forwarding rule sends to the central default bus with the forwarding role."""
    p = plan(LabConfig())
    forwarders = [r for r in p.rules if r.forwards]
    assert [(p.bus_arn, p.role_arn)] * len(SIGNIN_REGIONS) == [(r.target_arn, r.role_arn) for r in forwarders]


def test_forward_pattern_does_not_name_the_detail_type() -> None:
    """AWS spells the sign-in detail-type two ways, so the pattern leaves it out."""
    assert {"source": ["aws.signin"], "detail": {"eventName": ["ConsoleLogin"]}} == forward_pattern()


def test_alert_pattern_uses_cloudtrails_spelling_of_root() -> None:
    """The root-success rule matches userIdentity.type "Root" and ConsoleLogin "Success"."""
    alert = LabConfig().alert("success-root")
    expected = {"source": ["aws.signin"], "detail": {
        "eventName": ["ConsoleLogin"], "userIdentity": {"type": ["Root"]},
        "responseElements": {"ConsoleLogin": ["Success"]}}}
    assert expected == alert_pattern(alert)


def test_root_usage_alert_has_no_signin_rule() -> None:
    """CloudWatch.1 (root API usage) is not a sign-in alert: the plan lists it as skipped."""
    assert ["CloudWatch.1"] == list(plan(LabConfig(cis=True)).skipped)


def test_topic_policy_names_the_rule_and_account() -> None:
    """EventBridge may publish only for this alert's rule ARN and this account."""
    p = plan(LabConfig())
    statement = topic_policy(p, "failure-iam")["Statement"][1]
    expected = {"ArnEquals": {"aws:SourceArn": "arn:aws:events:eu-west-1:123456789012:rule/signin-console-failure-iam"},
                "StringEquals": {"aws:SourceAccount": "123456789012"}}
    assert expected == statement["Condition"]


def test_unknown_extra_region_is_named() -> None:
    """A Region that is not a commercial AWS Region is refused by name."""
    with pytest.raises(SigninLabError, match="mars-east-1"):
        plan(LabConfig(), ["mars-east-1"])


def test_deploy_puts_a_forwarder_in_each_signin_region(lab: Lab) -> None:
    """After deploy, us-east-2 has the forwarding rule and nothing else."""
    eventbridge.deploy(lab)
    assert ["signin-console-signin-forward"] == _rules(lab, "us-east-2")


def test_deploy_puts_one_rule_per_alert_in_the_central_region(lab: Lab) -> None:
    """The central Region has the four alert rules."""
    eventbridge.deploy(lab)
    expected = ["signin-console-failure-iam", "signin-console-failure-root",
                "signin-console-success-iam", "signin-console-success-root"]
    assert expected == sorted(_rules(lab, "eu-west-1"))


def test_central_rule_target_has_the_input_transformer(lab: Lab) -> None:
    """The alert rule's SNS target carries the readable message's input transformer."""
    eventbridge.deploy(lab)
    target = lab.client("events").list_targets_by_rule(Rule="signin-console-success-root")["Targets"][0]
    assert '"Console sign-in <outcome> by the root user' == target["InputTransformer"]["InputTemplate"][:43]


def test_second_deploy_changes_nothing(lab: Lab) -> None:
    """Deploy is idempotent: the second run reports no change."""
    eventbridge.deploy(lab)
    assert False is eventbridge.deploy(lab).changed


def test_deploy_restores_a_rule_changed_by_hand(lab: Lab) -> None:
    """A rule whose pattern was edited is put back and reported as updated."""
    eventbridge.deploy(lab)
    lab.client("events", "us-east-2").put_rule(Name="signin-console-signin-forward",
                                               EventPattern=json.dumps({"source": ["aws.iam"]}))
    changes = eventbridge.deploy(lab).changes
    assert ["updated"] == [c.action for c in changes if c.name == "us-east-2/signin-console-signin-forward"]


def test_deploy_subscribes_email_and_sms_like_the_blog(lab: Lab) -> None:
    """The root-success topic gets the email and the SMS subscription."""
    lab.configure(email=EMAIL, sms=SMS)
    eventbridge.deploy(lab)
    arn = "arn:aws:sns:eu-west-1:123456789012:signin-console-success-root-eventbridge"
    subs = lab.client("sns").list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"]
    assert [("email", EMAIL), ("sms", SMS)] == sorted((s["Protocol"], s["Endpoint"]) for s in subs)


def test_region_not_opted_in_is_named(lab: Lab) -> None:
    """A Region the account has not enabled (moto: ap-southeast-4) stops deploy before any rule."""
    with pytest.raises(SigninLabError, match="ap-southeast-4 is not enabled"):
        eventbridge.deploy(lab, ["ap-southeast-4"])


def test_teardown_leaves_no_rule_in_any_region(lab: Lab) -> None:
    """After teardown no Region of the plan has a rule."""
    eventbridge.deploy(lab)
    eventbridge.teardown(lab)
    assert {r: [] for r in plan(lab.config).regions} == {r: _rules(lab, r) for r in plan(lab.config).regions}


def test_teardown_after_a_half_failed_deploy(lab: Lab) -> None:
    """With only some Regions' rules present, teardown removes them and reports the rest absent."""
    p = plan(lab.config)
    eventbridge.ensure_rule(lab, p.rules_in("us-east-1")[0])
    result = eventbridge.teardown(lab)
    assert ["us-east-1/signin-console-signin-forward"] == [
        c.name for c in result.changes if c.kind == "rule" and c.action == "deleted"]


def test_teardown_twice_changes_nothing(lab: Lab) -> None:
    """A second teardown finds everything absent."""
    eventbridge.deploy(lab)
    eventbridge.teardown(lab)
    assert False is eventbridge.teardown(lab).changed


def test_lab_deploy_both_builds_the_blog_and_eventbridge(lab: Lab) -> None:
    """lab.deploy(design="both") reports the blog's sections and the EventBridge section."""
    sections = {c.section for c in lab.deploy(email=EMAIL, design="both").changes}
    lab.teardown(design="both")
    assert {"IAM", "SNS", "CloudTrail", "CloudWatch", "EventBridge"} <= sections


def test_lab_deploy_refuses_an_unknown_design(lab: Lab) -> None:
    """An unknown design is a one-line error naming it."""
    with pytest.raises(SigninLabError, match="design='lambda'"):
        lab.deploy(design="lambda")


def test_changed_email_replaces_the_subscription(lab: Lab) -> None:
    """A redeploy with another address subscribes it and drops the old confirmed one."""
    lab.configure(email=EMAIL)
    eventbridge.deploy(lab)
    lab.configure(email="other@example.com")
    changes = eventbridge.deploy(lab).changes
    assert ["deleted"] * 4 == [c.action for c in changes if c.name.endswith(f"email:{EMAIL}")]


def test_preflight_names_the_rule_and_place_of_a_bad_template() -> None:
    """An input template AWS would refuse is reported with its rule before any call."""
    import dataclasses

    from signin_lab.stack.eventbridge_plan import Plan

    p = plan(LabConfig())
    bad = [dataclasses.replace(r, input_template='{"user": <user>') if r.alert_key == "failure-iam" else r
           for r in p.rules]
    with pytest.raises(SigninLabError, match="eu-west-1/signin-console-failure-iam: .*InputTemplate"):
        eventbridge.preflight(Plan(p.account_id, p.central, p.regions, tuple(bad), p.topics, p.role_name))


def test_teardown_goes_on_past_a_failing_region(lab: Lab, monkeypatch: pytest.MonkeyPatch) -> None:
    """One Region failing does not stop the others; the error names the Region."""
    eventbridge.deploy(lab)
    real = eventbridge.delete_rule

    def flaky(lab: Lab, region: str, name: str) -> object:
        if region == "us-east-2":
            raise RuntimeError("throttled")
        return real(lab, region, name)

    monkeypatch.setattr(eventbridge, "delete_rule", flaky)
    with pytest.raises(SigninLabError, match="us-east-2/signin-console-signin-forward: throttled"):
        eventbridge.teardown(lab)
    assert ([], []) == (_rules(lab, "us-east-1"), _rules(lab, "eu-west-1"))


def test_a_custom_alerts_prefix_becomes_an_eventbridge_prefix() -> None:
    """A filter `$.sourceIPAddress = "203.0.113.*"` becomes EventBridge's prefix matcher."""
    cfg = LabConfig(
        patterns={"success-iam": '{ ($.eventName = "ConsoleLogin") && ($.sourceIPAddress = "203.0.113.*") }'}
    )
    assert {
        "source": ["aws.signin"],
        "detail": {"eventName": ["ConsoleLogin"], "sourceIPAddress": [{"prefix": "203.0.113."}]},
    } == (alert_pattern(cfg.alert("success-iam")))


def test_an_or_pattern_is_skipped_with_the_reason() -> None:
    """A filter with || has no single EventBridge pattern: the plan skips it and says why."""
    cfg = LabConfig(patterns={"failure-iam": '{ ($.eventName = "ConsoleLogin") || ($.errorCode = "x") }'})
    assert "its filter pattern is not an && of comparisons" == plan(cfg).skipped["failure-iam"][:46]


def test_root_rules_message_names_the_root_user() -> None:
    """The root rules' template says "the root user"; the IAM rules' names the user."""
    templates = {r.alert_key: r.input_template or "" for r in plan(LabConfig()).rules if r.alert_key}
    assert (True, True) == ("<outcome> by the root user in" in templates["success-root"],
                            "<outcome> by IAM user <user> in" in templates["success-iam"])
