"""Blog section 'IAM': the role CloudTrail assumes to write into the CloudWatch Logs log group.

https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING
from urllib.parse import unquote

from signin_lab.aws_errors import is_not_found
from signin_lab.stack.changes import Action, Change
from signin_lab.stack.policies import cloudtrail_logs_policy, cloudtrail_trust_policy

if TYPE_CHECKING:  # pragma: no cover
    from signin_lab.config import LabConfig
    from signin_lab.lab import Lab

SECTION = "IAM"
INLINE_POLICY = "CloudTrail-CloudWatchLogs-Signin-Console-Policy"
ROLE_DESCRIPTION = "Lets CloudTrail write sign-in events to CloudWatch Logs (signin-lab)"


def _doc(value: object) -> object:
    """IAM returns policy documents URL-encoded (real AWS) or already decoded (boto3 + moto)."""
    if isinstance(value, str):
        return json.loads(unquote(value))
    return value


def ensure_role(lab: Lab) -> list[Change]:
    """Create or correct the CloudTrail role and its inline policy; report what changed."""
    cfg = lab.config
    iam = lab.client("iam")
    trust = cloudtrail_trust_policy()
    changes: list[Change] = []
    try:
        role = iam.get_role(RoleName=cfg.role_name)["Role"]
    except Exception as exc:
        if not is_not_found(exc):
            raise
        iam.create_role(
            RoleName=cfg.role_name,
            AssumeRolePolicyDocument=json.dumps(trust),
            Description=ROLE_DESCRIPTION,
            Tags=[{"Key": "signin-lab", "Value": "true"}],
        )
        changes.append(Change(SECTION, "IAM role", cfg.role_name, "created"))
    else:
        if _doc(role["AssumeRolePolicyDocument"]) != trust:
            iam.update_assume_role_policy(RoleName=cfg.role_name, PolicyDocument=json.dumps(trust))
            changes.append(Change(SECTION, "IAM role", cfg.role_name, "updated", "trust policy"))
        else:
            changes.append(Change(SECTION, "IAM role", cfg.role_name, "unchanged"))

    wanted = cloudtrail_logs_policy(cfg)
    try:
        current = _doc(iam.get_role_policy(RoleName=cfg.role_name, PolicyName=INLINE_POLICY)["PolicyDocument"])
    except Exception as exc:
        if not is_not_found(exc):
            raise
        current = None
    if current != wanted:
        iam.put_role_policy(RoleName=cfg.role_name, PolicyName=INLINE_POLICY, PolicyDocument=json.dumps(wanted))
    action: Action = "created" if current is None else ("updated" if current != wanted else "unchanged")
    changes.append(Change(SECTION, "role policy", INLINE_POLICY, action))
    return changes


def delete_role(lab: Lab, config: LabConfig | None = None) -> list[Change]:
    """Delete the role's inline policies, then the role; absent is fine."""
    cfg = config or lab.config
    iam = lab.client("iam")
    try:
        names = [
            name
            for page in iam.get_paginator("list_role_policies").paginate(RoleName=cfg.role_name)
            for name in page["PolicyNames"]
        ]
    except Exception as exc:
        if not is_not_found(exc):
            raise
        return [Change(SECTION, "IAM role", cfg.role_name, "absent")]
    for name in names:
        iam.delete_role_policy(RoleName=cfg.role_name, PolicyName=name)
    attached = [
        policy["PolicyArn"]
        for page in iam.get_paginator("list_attached_role_policies").paginate(RoleName=cfg.role_name)
        for policy in page["AttachedPolicies"]
    ]
    for arn in attached:
        iam.detach_role_policy(RoleName=cfg.role_name, PolicyArn=arn)
    iam.delete_role(RoleName=cfg.role_name)
    return [Change(SECTION, "IAM role", cfg.role_name, "deleted")]
