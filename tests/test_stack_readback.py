"""The blog's stack deployed once, then read back through boto3: every resource and setting."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from signin_lab import Lab
from signin_lab.stack.cloudtrail import BLOCK_PUBLIC_ACCESS
from signin_lab.stack.policies import (
    cloudtrail_logs_policy,
    cloudtrail_trust_policy,
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


@pytest.fixture(scope="module")
def stack() -> Iterator[Lab]:
    """The blog's stack, deployed once for this module; every test here only reads it (nothing
    else in this module starts moto)."""
    with Lab.moto(region="eu-west-1") as lab:
        lab.deploy(email=EMAIL, sms=SMS)
        yield lab


def _topic_names(lab: Lab) -> list[str]:
    return sorted(t["TopicArn"].rsplit(":", 1)[1] for t in lab.client("sns").list_topics()["Topics"])


def test_deploy_creates_every_resource(stack: Lab) -> None:
    """After deploy the four topics, the trail, the log group, filters and alarms exist."""
    assert TOPICS == _topic_names(stack)
    alarms = stack.client("cloudwatch").describe_alarms()["MetricAlarms"]
    assert TOPICS == sorted(a["AlarmName"] for a in alarms)
    filters = stack.client("logs").describe_metric_filters(
        logGroupName="aws-cloudtrail-logs-signin-console"
    )["metricFilters"]
    assert TOPICS == sorted(f["filterName"] for f in filters)


def test_trail_settings(stack: Lab) -> None:
    """The trail is multi-Region, validates log files, logs, and feeds the log group via the role."""
    ct = stack.client("cloudtrail")
    trail = ct.get_trail(Name="events-management")["Trail"]
    assert (True, True, True) == (
        trail["IsMultiRegionTrail"], trail["LogFileValidationEnabled"], trail["IncludeGlobalServiceEvents"]
    )
    assert trail["CloudWatchLogsLogGroupArn"].startswith(
        "arn:aws:logs:eu-west-1:123456789012:log-group:aws-cloudtrail-logs-signin-console"
    )
    assert "arn:aws:iam::123456789012:role/CloudTrail-CloudWatchLogs-Signin-Console" == trail["CloudWatchLogsRoleArn"]
    assert ct.get_trail_status(Name="events-management")["IsLogging"] is True
    selectors = ct.get_event_selectors(TrailName="events-management")["EventSelectors"]
    assert ("All", True) == (selectors[0]["ReadWriteType"], selectors[0]["IncludeManagementEvents"])


def test_metric_filter_settings(stack: Lab) -> None:
    """Each filter has the alert's pattern, metric value 1 and default value 0."""
    filters = {
        f["filterName"]: f
        for f in stack.client("logs").describe_metric_filters(
            logGroupName="aws-cloudtrail-logs-signin-console"
        )["metricFilters"]
    }
    f = filters["signin-console-success-root"]
    assert (
        '{ ($.eventName = "ConsoleLogin") && ($.userIdentity.type = "Root") '
        '&& ($.responseElements.ConsoleLogin = "Success") }'
        == f["filterPattern"]
    )
    t = f["metricTransformations"][0]
    assert ("signin-console-success-root", "CloudTrailMetrics", "1", 0.0) == (
        t["metricName"], t["metricNamespace"], t["metricValue"], t["defaultValue"]
    )


def test_alarm_settings(stack: Lab) -> None:
    """Each alarm: Sum, 300 s, 1 of 1, > 0, missing data 'missing', action to its own topic."""
    alarm = stack.client("cloudwatch").describe_alarms(AlarmNames=["signin-console-failure-iam"])["MetricAlarms"][0]
    assert ("Sum", 300, 1, 1, 0.0, "GreaterThanThreshold", "missing") == (
        alarm["Statistic"], alarm["Period"], alarm["EvaluationPeriods"], alarm["DatapointsToAlarm"],
        alarm["Threshold"], alarm["ComparisonOperator"], alarm["TreatMissingData"],
    )
    assert ["arn:aws:sns:eu-west-1:123456789012:signin-console-failure-iam"] == alarm["AlarmActions"]


def test_subscriptions(stack: Lab) -> None:
    """Every topic has the email; only root success also has the SMS."""
    sns = stack.client("sns")
    subs = sorted(
        (s["TopicArn"].rsplit(":", 1)[1], s["Protocol"], s["Endpoint"])
        for s in sns.list_subscriptions()["Subscriptions"]
    )
    expected = sorted([(t, "email", EMAIL) for t in TOPICS] + [("signin-console-success-root", "sms", SMS)])
    assert expected == subs


def test_policies_read_back(stack: Lab) -> None:
    """The role, bucket and topic policies on the target are the kit's hardened documents."""
    cfg = stack.config
    iam = stack.client("iam")
    role = iam.get_role(RoleName=cfg.role_name)["Role"]
    assert cloudtrail_trust_policy(cfg) == role["AssumeRolePolicyDocument"]
    inline = iam.get_role_policy(RoleName=cfg.role_name, PolicyName="CloudTrail-CloudWatchLogs-Signin-Console-Policy")
    assert cloudtrail_logs_policy(cfg) == inline["PolicyDocument"]
    s3 = stack.client("s3")
    assert trail_bucket_policy(cfg) == json.loads(s3.get_bucket_policy(Bucket=cfg.bucket)["Policy"])
    assert BLOCK_PUBLIC_ACCESS == s3.get_public_access_block(Bucket=cfg.bucket)["PublicAccessBlockConfiguration"]
    rule = s3.get_bucket_encryption(Bucket=cfg.bucket)["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert "AES256" == rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"]
    alert = cfg.alert("failure-root")
    attrs = stack.client("sns").get_topic_attributes(TopicArn=cfg.topic_arn(alert))["Attributes"]
    assert topic_policy(cfg, alert) == json.loads(attrs["Policy"])
