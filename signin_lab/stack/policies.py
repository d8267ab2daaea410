"""Every policy document the kit writes, pure and hardened, each from the AWS page that documents it."""

from __future__ import annotations

from typing import Any

from signin_lab.config import Alert, LabConfig

Policy = dict[str, Any]
VERSION = "2012-10-17"


def cloudtrail_trust_policy() -> Policy:
    """Lets CloudTrail assume the role that writes to CloudWatch Logs.

    https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html
    """
    return {
        "Version": VERSION,
        "Statement": [
            {
                "Sid": "CloudTrailAssumeRole",
                "Effect": "Allow",
                "Principal": {"Service": "cloudtrail.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }


def cloudtrail_logs_policy(config: LabConfig) -> Policy:
    """Only CreateLogStream and PutLogEvents, only on this log group's CloudTrail streams.

    https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html
    """
    stream = (
        f"arn:aws:logs:{config.region}:{config.account_id}:log-group:{config.log_group_name}"
        f":log-stream:{config.account_id}_CloudTrail_{config.region}*"
    )
    return {
        "Version": VERSION,
        "Statement": [
            {
                "Sid": "AWSCloudTrailCreateLogStream2014110",
                "Effect": "Allow",
                "Action": ["logs:CreateLogStream"],
                "Resource": [stream],
            },
            {
                "Sid": "AWSCloudTrailPutLogEvents20141101",
                "Effect": "Allow",
                "Action": ["logs:PutLogEvents"],
                "Resource": [stream],
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
