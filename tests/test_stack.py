"""Deploy, redeploy and teardown of the blog's stack, read back through boto3."""

from __future__ import annotations

import pytest

from signin_lab import Lab, SigninLabError
from signin_lab.stack.policies import (
    cloudtrail_logs_policy,
    topic_policy,
    trail_bucket_policy,
)
from tests.conftest import EMAIL, SMS

TOPICS = [
    "signin-console-failure-iam",
    "signin-console-failure-root",
    "signin-console-success-iam",
    "signin-console-success-root",
]


def _topic_names(lab: Lab) -> list[str]:
    return sorted(t["TopicArn"].rsplit(":", 1)[1] for t in lab.client("sns").list_topics()["Topics"])


def test_logs_policy_is_scoped_to_cloudtrail_streams(lab: Lab) -> None:
    """The role may only create and write CloudTrail's streams of this one log group."""
    policy = cloudtrail_logs_policy(lab.config)
    assert [["logs:CreateLogStream"], ["logs:PutLogEvents"]] == [s["Action"] for s in policy["Statement"]]
    resources = {r for s in policy["Statement"] for r in s["Resource"]}
    assert {
        ("arn:aws:logs:eu-west-1:123456789012:log-group:aws-cloudtrail-logs-signin-console"
        ":log-stream:123456789012_CloudTrail_eu-west-1*")
    } == resources


def test_bucket_and_topic_policies_are_scoped(lab: Lab) -> None:
    """CloudTrail's bucket access is tied to the trail ARN; CloudWatch publishes only for the alarm."""
    cfg = lab.config
    bucket = trail_bucket_policy(cfg)
    for stmt in bucket["Statement"][:2]:
        assert cfg.trail_arn() == stmt["Condition"]["StringEquals"]["aws:SourceArn"]
    cw = topic_policy(cfg, cfg.alert("success-iam"))["Statement"][1]
    assert {"Service": "cloudwatch.amazonaws.com"} == cw["Principal"]
    assert "123456789012" == cw["Condition"]["StringEquals"]["aws:SourceAccount"]
    assert (
        "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:signin-console-success-iam"
        == cw["Condition"]["ArnLike"]["aws:SourceArn"]
    )


def test_redeploy_changes_nothing(deployed: Lab) -> None:
    """A second deploy of the same config changes nothing and says so."""
    again = deployed.deploy()
    assert again.changed is False
    assert again.summary().startswith("deploy: nothing to change")


def test_redeploy_applies_an_override(deployed: Lab) -> None:
    """Changing one setting updates just the resources that depend on it."""
    result = deployed.deploy(default_value=None)
    updated = sorted(c.name for c in result.changes if c.action == "updated")
    assert TOPICS == updated
    filters = deployed.client("logs").describe_metric_filters(logGroupName="aws-cloudtrail-logs-signin-console")[
        "metricFilters"
    ]
    assert all("defaultValue" not in f["metricTransformations"][0] for f in filters)


def test_changed_email_replaces_the_subscription(deployed: Lab) -> None:
    """Deploying with a new address subscribes it and removes the old one."""
    deployed.deploy(email="new@example.com")
    endpoints = {s["Endpoint"] for s in deployed.client("sns").list_subscriptions()["Subscriptions"]}
    assert {"new@example.com", SMS} == endpoints


def test_teardown_removes_everything(deployed: Lab) -> None:
    """Teardown leaves no topic, trail, bucket, log group, alarm or role behind."""
    result = deployed.teardown()
    assert result.count("deleted") > 0
    assert [] == _topic_names(deployed)
    assert [] == deployed.client("cloudtrail").describe_trails()["trailList"]
    assert [] == deployed.client("s3").list_buckets()["Buckets"]
    assert [] == deployed.client("logs").describe_log_groups()["logGroups"]
    assert [] == deployed.client("cloudwatch").describe_alarms()["MetricAlarms"]
    assert [] == deployed.client("iam").list_roles()["Roles"]


def test_second_teardown_is_harmless(deployed: Lab) -> None:
    """A teardown of nothing changes nothing."""
    deployed.teardown()
    assert deployed.teardown().changed is False


def test_teardown_after_partial_deploy(lab: Lab) -> None:
    """Teardown works on a stack that only got as far as its first sections."""
    from signin_lab.stack import iam, sns

    iam.ensure_role(lab)
    sns.ensure_topics(lab)
    result = lab.teardown()
    assert {"IAM role", "SNS topic"} <= {c.kind for c in result.changes if c.action == "deleted"}
    assert [] == _topic_names(lab)


def test_keep_logs_keeps_bucket_and_objects(deployed: Lab) -> None:
    """keep_logs=True keeps the trail's bucket and what is in it."""
    s3 = deployed.client("s3")
    key = "AWSLogs/123456789012/CloudTrail/eu-west-1/2025/03/03/x.json.gz"
    s3.put_object(Bucket=deployed.config.bucket, Key=key, Body=b"{}")
    result = deployed.teardown(keep_logs=True)
    assert "kept" == next(c.action for c in result.changes if c.kind == "S3 bucket")
    assert [key] == [o["Key"] for o in s3.list_objects_v2(Bucket=deployed.config.bucket)["Contents"]]


def test_bucket_with_objects_is_emptied_then_deleted(deployed: Lab) -> None:
    """Without keep_logs the bucket is emptied and deleted."""
    s3 = deployed.client("s3")
    s3.put_object(Bucket=deployed.config.bucket, Key="AWSLogs/x", Body=b"{}")
    result = deployed.teardown()
    assert "1 object(s) deleted" == next(c.detail for c in result.changes if c.kind == "S3 bucket")
    assert deployed.config.bucket not in {b["Name"] for b in s3.list_buckets()["Buckets"]}


def test_cis_deploy_and_teardown(lab: Lab) -> None:
    """cis=True adds three more filters and alarms, and teardown removes them all."""
    lab.deploy(email=EMAIL, cis=True)
    alarms = lab.client("cloudwatch").describe_alarms()["MetricAlarms"]
    assert 7 == len(alarms)
    lab.teardown()
    assert [] == lab.client("cloudwatch").describe_alarms()["MetricAlarms"]


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({"email": "nobody"}, "email"),
        ({"sms": "12345"}, "E.164"),
        ({"patterns": {"failure-iam": "{ $.eventName = "}}, "failure-iam"),
        ({"period": 7}, "period"),
    ],
)
def test_bad_input_builds_nothing(lab: Lab, overrides: dict[str, object], words: str) -> None:
    """Bad input is refused before any call: nothing half-built is left behind."""
    with pytest.raises(SigninLabError, match=words):
        lab.deploy(**overrides)
    assert [] == _topic_names(lab)
    assert [] == lab.client("iam").list_roles()["Roles"]


@pytest.mark.server
def test_deploy_and_teardown_on_a_moto_server(server_lab: Lab) -> None:
    """The same deploy, redeploy and teardown work against a moto server."""
    first = server_lab.deploy(email=EMAIL, sms=SMS)
    assert 22 == first.count("created")
    assert server_lab.deploy().changed is False
    assert TOPICS == _topic_names(server_lab)
    server_lab.teardown()
    assert [] == _topic_names(server_lab)


def test_changed_pattern_replaces_the_filter(deployed: Lab) -> None:
    """Redeploying with a new pattern leaves one filter of that name, with the new pattern."""
    pattern = '{ ($.eventName = "ConsoleLogin") && ($.errorMessage = "Failed authentication") }'
    deployed.deploy(patterns={"failure-iam": pattern})
    filters = deployed.client("logs").describe_metric_filters(
        logGroupName="aws-cloudtrail-logs-signin-console", filterNamePrefix="signin-console-failure-iam"
    )["metricFilters"]
    assert [pattern] == [f["filterPattern"] for f in filters]


def test_refused_override_keeps_the_configuration(lab: Lab) -> None:
    """A deploy refused for bad input leaves the lab's configuration as it was, so the next works."""
    with pytest.raises(SigninLabError):
        lab.deploy(patterns={"failure-iam": "{ $.eventName = "})
    assert {} == lab.config.patterns
    assert lab.deploy(email=EMAIL).count("created") > 0


# --- ARNs and pagination -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arn", "expected"),
    [
        ("arn:aws:sns:eu-west-1:123456789012:t:0f0e2c2a-1111-2222-3333-444455556666", True),
        ("arn:aws-cn:sns:cn-north-1:123456789012:t:0f0e2c2a-1111-2222-3333-444455556666", True),
        ("arn:aws-us-gov:sns:us-gov-west-1:123456789012:t:0f0e2c2a-1111-2222-3333-444455556666", True),
        ("PendingConfirmation", False),
        ("Deleted", False),
    ],
)
def test_confirmed_subscription_in_any_partition(arn: str, expected: bool) -> None:
    """A subscription ARN in any partition can be unsubscribed; "PendingConfirmation" cannot."""
    from signin_lab.stack.sns import is_confirmed

    assert expected == is_confirmed(arn)


def test_alarm_lookup_follows_every_page(lab: Lab) -> None:
    """The alarm lookup reads every page of describe_alarms (a NextToken is followed)."""
    from botocore.stub import Stubber

    from signin_lab.stack import cloudwatch

    cw = lab.client("cloudwatch")
    with Stubber(cw) as stub:
        stub.add_response("describe_alarms", {"MetricAlarms": [{"AlarmName": "a"}], "NextToken": "t"})
        stub.add_response("describe_alarms", {"MetricAlarms": [{"AlarmName": "b"}]})
        assert ["a", "b"] == sorted(cloudwatch._alarms(lab, ["a", "b"]))
