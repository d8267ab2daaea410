"""signin_lab.doctor on the EventBridge design: rules created through boto3 on moto."""

from __future__ import annotations

import json

from signin_lab import Lab
from signin_lab.doctor import Diagnosis, doctor

ACCOUNT = "123456789012"
GOOD_PATTERN = {"source": ["aws.signin"], "detail": {"eventName": ["ConsoleLogin"]}}
TRANSFORMER = {"InputPathsMap": {"who": "$.detail.userIdentity.type"}, "InputTemplate": '"Console sign-in by <who>"'}


def _topic(lab: Lab, region: str, *, events_may_publish: bool = True) -> str:
    sns = lab.client("sns", region)
    arn = sns.create_topic(Name="signin-console-eventbridge")["TopicArn"]
    principal = "events.amazonaws.com" if events_may_publish else "cloudwatch.amazonaws.com"
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": principal},
                                                      "Action": "sns:Publish", "Resource": arn}]}
    sns.set_topic_attributes(TopicArn=arn, AttributeName="Policy", AttributeValue=json.dumps(policy))
    return arn


def _rule(lab: Lab, region: str, pattern: dict[str, object], *, transformer: bool = True,
          events_may_publish: bool = True) -> None:
    events = lab.client("events", region)
    events.put_rule(Name="signin-console", EventPattern=json.dumps(pattern))
    target: dict[str, object] = {"Id": "sns", "Arn": _topic(lab, region, events_may_publish=events_may_publish)}
    if transformer:
        target["InputTransformer"] = TRANSFORMER
    events.put_targets(Rule="signin-console", Targets=[target])


def _eventbridge(d: Diagnosis) -> dict[tuple[str, str], str]:
    return {(f.alert, f.id): f.status for f in d.findings if f.alert.startswith("eventbridge")}


def test_blog_design_only_has_no_eventbridge_findings(deployed: Lab) -> None:
    """No sign-in rule deployed: the EventBridge design is not diagnosed."""
    assert {} == _eventbridge(doctor(deployed))


def test_healthy_eventbridge_design_is_ok(deployed: Lab) -> None:
    """Rules in eu-west-1 and us-east-1 on source and eventName, transformer, topic open to EventBridge: all OK."""
    for region in ("eu-west-1", "us-east-1"):
        _rule(deployed, region, GOOD_PATTERN)
    statuses = _eventbridge(doctor(deployed))
    # the Region finding, then six per rule: pattern, spelling, target, transformer, topic policy, KMS key
    assert ({"OK"}, 1 + 2 * 6) == (set(statuses.values()), len(statuses))


def test_rule_only_outside_us_east_1_is_broken(deployed: Lab) -> None:
    """Root sign-ins arrive in us-east-1: a rule only in eu-west-1 never sees them."""
    _rule(deployed, "eu-west-1", GOOD_PATTERN)
    assert "BROKEN" == _eventbridge(doctor(deployed))[("eventbridge", "eventbridge.region")]


def test_rule_on_one_detail_type_spelling_is_at_risk(deployed: Lab) -> None:
    """A pattern that needs "AWS Console Sign In via CloudTrail" fails on the guide's "Signin" spelling."""
    _rule(deployed, "us-east-1", {"source": ["aws.signin"], "detail-type": ["AWS Console Sign In via CloudTrail"]})
    assert "AT RISK" == _eventbridge(doctor(deployed))[("eventbridge:us-east-1:signin-console", "eventbridge.detail-type")]


def test_rule_pattern_matching_no_signin_is_broken(deployed: Lab) -> None:
    """A pattern on the wrong source (aws.signin spelt aws.sign-in) never matches a documented sign-in."""
    _rule(deployed, "us-east-1", {"source": ["aws.sign-in"], "detail": {"eventName": ["ConsoleLogin"]}})
    key = ("eventbridge:us-east-1:signin-console", "eventbridge.pattern-matches")
    assert "BROKEN" == _eventbridge(doctor(deployed))[key]


def test_rule_without_target_is_broken(deployed: Lab) -> None:
    """A sign-in rule with no SNS target delivers nowhere."""
    deployed.client("events", "us-east-1").put_rule(Name="signin-console", EventPattern=json.dumps(GOOD_PATTERN))
    assert "BROKEN" == _eventbridge(doctor(deployed))[("eventbridge:us-east-1:signin-console", "eventbridge.target")]


def test_target_without_input_transformer_is_at_risk(deployed: Lab) -> None:
    """Without an input transformer the whole event JSON is sent."""
    _rule(deployed, "us-east-1", GOOD_PATTERN, transformer=False)
    key = ("eventbridge:us-east-1:signin-console", "eventbridge.input-transformer")
    assert "AT RISK" == _eventbridge(doctor(deployed))[key]


def test_topic_policy_without_events_principal_is_broken(deployed: Lab) -> None:
    """A topic policy that lets only CloudWatch publish shuts EventBridge out."""
    _rule(deployed, "us-east-1", GOOD_PATTERN, events_may_publish=False)
    d = doctor(deployed)
    assert "eventbridge.topic-policy" == d.headline("eventbridge:us-east-1:signin-console").id
