"""Every policy document the kit writes, pure and hardened, each from the AWS page that documents it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from signin_lab.config import Alert, LabConfig

Policy = dict[str, Any]
VERSION = "2012-10-17"


def cloudtrail_trust_policy(config: LabConfig | None = None) -> Policy:
    """Lets CloudTrail assume the role that writes to CloudWatch Logs; with `config`, only for
    this account's trail of that name (in any Region: the role is global, see `log_streams`).

    https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html
    Source conditions against the confused deputy, aws:SourceAccount and aws:SourceArn:
    https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
    https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourcearn
    """
    statement: dict[str, Any] = {
        "Sid": "CloudTrailAssumeRole",
        "Effect": "Allow",
        "Principal": {"Service": "cloudtrail.amazonaws.com"},
        "Action": "sts:AssumeRole",
    }
    if config is not None:
        statement["Condition"] = {
            "StringEquals": {"aws:SourceAccount": config.account_id},
            "ArnLike": {"aws:SourceArn": f"arn:aws:cloudtrail:*:{config.account_id}:trail/{config.trail_name}"},
        }
    return {"Version": VERSION, "Statement": [statement]}


def log_stream_arn(config: LabConfig, region: str | None = None) -> str:
    """The CloudTrail log streams of this log group in `region` (default: the config's)."""
    where = region or config.region
    return (
        f"arn:aws:logs:{where}:{config.account_id}:log-group:{config.log_group_name}"
        f":log-stream:{config.account_id}_CloudTrail_{where}*"
    )


def log_stream_regions(config: LabConfig, policy: Any) -> set[str]:
    """The Regions whose `log_stream_arn` a role policy the kit wrote already lists.

    The IAM role is global and one trail per Region uses it: each deploy adds its Region's
    streams and each teardown removes only its own, so no Region's delivery is cut by another's.
    """
    found: set[str] = set()
    if not isinstance(policy, dict):
        return found
    for statement in policy.get("Statement", []):
        resources = statement.get("Resource", []) if isinstance(statement, dict) else []
        for arn in [resources] if isinstance(resources, str) else resources:
            parts = str(arn).split(":")
            if len(parts) > 3 and arn == log_stream_arn(config, parts[3]):
                found.add(parts[3])
    return found


def cloudtrail_logs_policy(config: LabConfig, regions: Iterable[str] | None = None) -> Policy:
    """Only CreateLogStream and PutLogEvents, only on this log group's CloudTrail streams, in
    the config's Region and every one of `regions` (the role is global; the streams are not).

    https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html
    """
    streams = [log_stream_arn(config, r) for r in sorted({config.region, *(regions or ())})]
    return {
        "Version": VERSION,
        "Statement": [
            {
                "Sid": "AWSCloudTrailCreateLogStream2014110",
                "Effect": "Allow",
                "Action": ["logs:CreateLogStream"],
                "Resource": streams,
            },
            {
                "Sid": "AWSCloudTrailPutLogEvents20141101",
                "Effect": "Allow",
                "Action": ["logs:PutLogEvents"],
                "Resource": streams,
            },
        ],
    }


def trail_bucket_policy(config: LabConfig) -> Policy:
    """What CloudTrail needs on its bucket, scoped to this trail with aws:SourceArn.

    https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
    (No extra deny-non-TLS statement: moto cannot evaluate aws:SecureTransport and would refuse
    the emulator's deliveries, and the documented policy does not have one.)
    """
    bucket = f"arn:aws:s3:::{config.bucket}"
    trail = config.trail_arn()
    return {
        "Version": VERSION,
        "Statement": [
            {
                "Sid": "AWSCloudTrailAclCheck20150319",
                "Effect": "Allow",
                "Principal": {"Service": "cloudtrail.amazonaws.com"},
                "Action": "s3:GetBucketAcl",
                "Resource": bucket,
                "Condition": {"StringEquals": {"aws:SourceArn": trail}},
            },
            {
                "Sid": "AWSCloudTrailWrite20150319",
                "Effect": "Allow",
                "Principal": {"Service": "cloudtrail.amazonaws.com"},
                "Action": "s3:PutObject",
                "Resource": f"{bucket}/AWSLogs/{config.account_id}/*",
                "Condition": {
                    "StringEquals": {
                        "s3:x-amz-acl": "bucket-owner-full-control",
                        "aws:SourceArn": trail,
                    }
                },
            },
        ],
    }


def topic_policy(config: LabConfig, alert: Alert) -> Policy:
    """The account manages the topic; CloudWatch may publish only for this account's alarm.

    https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Notify_Users_Alarm_Changes.html
    (confused-deputy example: aws:SourceArn is the alarm's ARN, aws:SourceAccount the account)
    https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html (owner statement)
    """
    topic = config.topic_arn(alert)
    return {
        "Version": VERSION,
        "Statement": [
            {
                "Sid": "AccountOwnerManagesTopic",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{config.account_id}:root"},
                "Action": [
                    "SNS:GetTopicAttributes",
                    "SNS:SetTopicAttributes",
                    "SNS:AddPermission",
                    "SNS:RemovePermission",
                    "SNS:DeleteTopic",
                    "SNS:Subscribe",
                    "SNS:ListSubscriptionsByTopic",
                    "SNS:Publish",
                ],
                "Resource": topic,
            },
            {
                "Sid": "CloudWatchAlarmPublish",
                "Effect": "Allow",
                "Principal": {"Service": "cloudwatch.amazonaws.com"},
                "Action": "SNS:Publish",
                "Resource": topic,
                "Condition": {
                    "ArnLike": {"aws:SourceArn": config.alarm_arn(alert)},
                    "StringEquals": {"aws:SourceAccount": config.account_id},
                },
            },
        ],
    }
