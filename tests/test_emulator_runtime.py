"""The emulator's reads of the target: paginated lists, ARNs parsed by botocore, Region names from botocore."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from signin_lab import Lab
from signin_lab.arns import is_arn, is_sns_topic, log_group_name
from signin_lab.emulator.inbox import subscriptions
from signin_lab.emulator.notify import region_name, region_names
from signin_lab.emulator.runtime import metric_alarms
from signin_lab.errors import SigninLabError

TOPIC = "arn:aws:sns:eu-west-1:123456789012:signin-alerts"


def _client(service: str) -> Any:
    return boto3.client(service, region_name="eu-west-1", aws_access_key_id="x", aws_secret_access_key="x")


class _OneClientLab:
    """A stand-in for Lab.client that hands out one stubbed client."""

    def __init__(self, client: Any) -> None:
        self._client = client

    def client(self, service: str, region: str | None = None) -> Any:
        return self._client


def _alarm(name: str) -> dict[str, Any]:
    return {"AlarmName": name, "MetricName": "m", "Namespace": "ns", "StateValue": "OK"}


def test_subscriptions_follow_next_token() -> None:
    """ListSubscriptionsByTopic is paginated: both pages' subscriptions come back, in order."""
    sns = _client("sns")
    sub = {"Protocol": "email", "Endpoint": "a@example.com", "TopicArn": TOPIC}
    with Stubber(sns) as stub:
        stub.add_response("list_subscriptions_by_topic",
                          {"Subscriptions": [dict(sub, SubscriptionArn=f"{TOPIC}:1")], "NextToken": "t"},
                          {"TopicArn": TOPIC})
        stub.add_response("list_subscriptions_by_topic",
                          {"Subscriptions": [dict(sub, SubscriptionArn=f"{TOPIC}:2")]},
                          {"TopicArn": TOPIC, "NextToken": "t"})
        got = [s["SubscriptionArn"] for s in subscriptions(sns, TOPIC)]
    assert [f"{TOPIC}:1", f"{TOPIC}:2"] == got


def test_metric_alarms_follow_next_token() -> None:
    """DescribeAlarms is paginated: alarms on the second page are read too."""
    cw = _client("cloudwatch")
    with Stubber(cw) as stub:
        stub.add_response("describe_alarms", {"MetricAlarms": [_alarm("a")], "NextToken": "t"},
                          {"AlarmTypes": ["MetricAlarm"]})
        stub.add_response("describe_alarms", {"MetricAlarms": [_alarm("b")]},
                          {"AlarmTypes": ["MetricAlarm"], "NextToken": "t"})
        got = [a["AlarmName"] for a in metric_alarms(_OneClientLab(cw))]  # type: ignore[arg-type]
    assert ["a", "b"] == got


@pytest.mark.parametrize("partition", ["aws", "aws-cn", "aws-us-gov"])
def test_sns_topics_in_every_partition(partition: str) -> None:
    """An SNS topic ARN is one in any partition, not only arn:aws:sns:."""
    assert is_sns_topic(f"arn:{partition}:sns:cn-north-1:123456789012:alerts")


def test_other_services_and_texts_are_not_topics() -> None:
    """A Lambda ARN, an EC2 action and a plain name are not SNS topics."""
    assert [False, False, False] == [
        is_sns_topic("arn:aws:lambda:eu-west-1:123456789012:function:f"),
        is_sns_topic("arn:aws:automate:eu-west-1:ec2:stop"),
        is_sns_topic("signin-alerts"),
    ]


def test_pending_confirmation_is_not_an_arn() -> None:
    """A subscription still pending lists "PendingConfirmation", which is not an ARN."""
    assert (False, True) == (is_arn("PendingConfirmation"), is_arn(f"{TOPIC}:0b3f"))


def test_log_group_name_in_any_partition() -> None:
    """The log group name comes out of an aws-us-gov log group ARN, ':*' dropped."""
    assert "/org/trail" == log_group_name("arn:aws-us-gov:logs:us-gov-west-1:123456789012:log-group:/org/trail:*")


def test_log_group_name_refuses_other_arns() -> None:
    """An SNS topic ARN is not a log group ARN: SigninLabError quoting it."""
    with pytest.raises(SigninLabError, match="not a CloudWatch Logs log group ARN"):
        log_group_name(TOPIC)


def test_region_names_come_from_botocore() -> None:
    """Outside Europe the name is botocore's description (us-east-1, ap-northeast-1, cn-north-1)."""
    assert ["US East (N. Virginia)", "Asia Pacific (Tokyo)", "China (Beijing)"] == [
        region_name("us-east-1"), region_name("ap-northeast-1"), region_name("cn-north-1")]


def test_europe_keeps_the_notifications_older_name() -> None:
    """botocore says "Europe (Ireland)"; alarm notifications print "EU (Ireland)" (observed, kept)."""
    from botocore.loaders import create_loader

    data = create_loader().load_data("endpoints")
    described = next(p for p in data["partitions"] if p["partition"] == "aws")["regions"]["eu-west-1"]
    assert ("Europe (Ireland)", "EU (Ireland)") == (described["description"], region_name("eu-west-1"))


def test_unknown_region_is_its_code() -> None:
    """A Region botocore does not know is printed as its code."""
    assert "xx-nowhere-9" == region_name("xx-nowhere-9")


def test_every_known_region_has_a_name() -> None:
    """Every Region botocore lists has a non-empty notification name."""
    names = region_names()
    assert "eu-west-1" in names and all(names.values())


def test_drill_gives_a_typed_console_login(deployed: Lab) -> None:
    """A drill's record reads as a ConsoleLogin: a root failure is outcome Failure, user type Root."""
    drill = deployed.drill("failure", "root", time=datetime(2025, 3, 3, 9, 0, tzinfo=UTC))
    assert ("Failure", "Root") == (drill.login.outcome, drill.login.user_type)
