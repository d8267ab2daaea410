"""ARNs as botocore parses them: any partition (aws, aws-cn, aws-us-gov), never by hand.

ARN format: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
(`arn:partition:service:region:account-id:resource`).
"""

from __future__ import annotations

from typing import Any

from signin_lab.errors import SigninLabError


def parse_arn(text: Any) -> dict[str, str] | None:
    """partition, service, region, account and resource of an ARN; None when `text` is not one."""
    from botocore.utils import ArnParser, InvalidArnException

    if not isinstance(text, str):
        return None
    try:
        return ArnParser().parse_arn(text)
    except InvalidArnException:
        return None


def is_arn(text: Any) -> bool:
    """True when `text` is an ARN (a subscription that is "PendingConfirmation" is not)."""
    return parse_arn(text) is not None


def is_sns_topic(text: Any) -> bool:
    """True for an SNS topic ARN in any partition (`arn:aws-cn:sns:...` included)."""
    parts = parse_arn(text)
    return parts is not None and parts["service"] == "sns"


def log_group_name(arn: str) -> str:
    """The log group name in a CloudWatchLogsLogGroupArn (`arn:...:logs:...:log-group:NAME:*`)."""
    parts = parse_arn(arn)
    if parts is None or parts["service"] != "logs" or not parts["resource"].startswith("log-group:"):
        raise SigninLabError(f"not a CloudWatch Logs log group ARN: {arn!r}")
    return parts["resource"][len("log-group:") :].removesuffix(":*")


__all__ = ["is_arn", "is_sns_topic", "log_group_name", "parse_arn"]
