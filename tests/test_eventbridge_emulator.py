"""The EventBridge design at run time: routing between Regions, messages, and replay on moto."""

from __future__ import annotations

from datetime import UTC, datetime

from signin_lab import Lab, LabConfig
from signin_lab.compare import eventbridge_rules
from signin_lab.emulator.eventbridge import BusRule, RuleTarget, route
from signin_lab.eventpattern import EventPattern
from signin_lab.events.samples import blog_test_signins, console_login

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
EMAIL = "you@example.com"


def _root_success() -> dict:
    return console_login("success", "root", T0)


def test_root_signin_is_forwarded_from_us_east_1_to_the_central_rule() -> None:
    """A root sign-in passes us-east-1's forwarder, then eu-west-1's root-success rule."""
    run = route([_root_success()], eventbridge_rules(LabConfig()))
    assert [("us-east-1", "signin-console-signin-forward"), ("eu-west-1", "signin-console-success-root")] == [
        (d.rule_region, d.rule) for d in run.deliveries]


def test_message_names_the_root_user_ip_and_mfa() -> None:
    """The transformed message says who, from where, and whether MFA was used."""
    run = route([console_login("success", "root", T0, mfa=True, source_ip="198.51.100.7")],
                eventbridge_rules(LabConfig()))
    message = run.deliveries[-1].message or ""
    assert (True, True, True) == ("the root user" in message, "198.51.100.7" in message, "MFA used: Yes" in message)


def test_a_region_without_rules_misses_the_signin_and_says_why() -> None:
    """Without us-east-1's forwarder the root sign-in is unmatched, naming the Region."""
    run = route([_root_success()], eventbridge_rules(LabConfig(), regions=[]))
    assert ["no EventBridge rule in us-east-1, where CloudTrail recorded the sign-in"] == [
        w for _, _, w in run.unmatched
    ]


def test_guide_spelling_of_detail_type_misses_real_events() -> None:
    """A rule with the EventBridge guide's detail-type spelling does not match real sign-in events."""
    run = route([_root_success()], eventbridge_rules(LabConfig(), detail_type="AWS Console Signin via CloudTrail"))
    assert set() == run.notified


def test_disabled_rule_sends_nothing() -> None:
    """A DISABLED rule sees no event."""
    rule = BusRule("us-east-1", "r", EventPattern({"source": ["aws.signin"]}),
                   (RuleTarget("t", "arn:aws:sns:us-east-1:123456789012:t"),), enabled=False)
    assert [] == route([_root_success()], {"us-east-1": [rule]}).deliveries


def test_target_without_input_receives_the_whole_event() -> None:
    """With no Input, InputPath or InputTransformer the target gets the event as JSON."""
    rule = BusRule("us-east-1", "r", EventPattern({"source": ["aws.signin"]}),
                   (RuleTarget("t", "arn:aws:sns:us-east-1:123456789012:t"),))
    message = route([_root_success()], {"us-east-1": [rule]}).deliveries[0].message or ""
    assert '"detail-type": "AWS Console Sign In via CloudTrail"' in message


def test_forwarding_loop_runs_each_bus_once() -> None:
    """Two Regions forwarding to each other run each bus once and note the loop."""
    def fwd(region: str, to: str) -> BusRule:
        return BusRule(region, "f", EventPattern({"source": ["aws.signin"]}),
                       (RuleTarget("b", f"arn:aws:events:{to}:123456789012:event-bus/default"),))
    run = route([_root_success()], {"us-east-1": [fwd("us-east-1", "eu-west-1")],
                                    "eu-west-1": [fwd("eu-west-1", "us-east-1")]})
    assert (2, 1) == (len(run.deliveries), len(run.notes))


def test_non_signin_records_are_not_counted_as_missed() -> None:
    """Records other than ConsoleLogin that no rule matches are not listed as missed sign-ins."""
    records = [r for r in blog_test_signins() if r["eventName"] != "ConsoleLogin"]
    assert [] == route(records, eventbridge_rules(LabConfig())).unmatched


def test_replay_eventbridge_delivers_the_four_blog_signins(lab: Lab) -> None:
    """The blog's four test sign-ins each reach the inbox as one email through EventBridge."""
    lab.deploy(email=EMAIL, design="eventbridge")
    run = lab.emulator.replay(blog_test_signins(), design="eventbridge")
    assert 4 == len([m for m in run.messages if m.protocol == "email"])


def test_replay_both_fills_one_inbox(lab: Lab) -> None:
    """design="both" puts the alarm emails and the EventBridge emails in the same inbox."""
    lab.deploy(email=EMAIL, design="both")
    runs = lab.emulator.replay(blog_test_signins(), design="both")
    assert len(runs.blog.messages) + len(runs.eventbridge.messages) == len(lab.inbox())


def test_replay_reads_back_a_rule_edited_on_the_target(lab: Lab) -> None:
    """A central rule changed on the target to match nothing is what replay runs."""
    import json

    lab.deploy(email=EMAIL, design="eventbridge")
    lab.client("events").put_rule(Name="signin-console-success-root",
                                  EventPattern=json.dumps({"source": ["aws.nothing"]}))
    run = lab.emulator.replay([_root_success()], design="eventbridge")
    assert [] == run.messages
