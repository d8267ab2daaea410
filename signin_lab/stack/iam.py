"""Blog section 'IAM': the role CloudTrail assumes to write into the CloudWatch Logs log group.

https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html

The role is global and its inline policy names log streams, which are Regional: a deploy adds
its Region's streams to the policy and a teardown removes only its own; the role is deleted only
when no Region's trail uses it any more (`policies.log_stream_regions`).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from signin_lab.aws_errors import is_not_found
from signin_lab.stack.changes import Action, Change
from signin_lab.stack.policies import (
    cloudtrail_logs_policy,
    cloudtrail_trust_policy,
    log_stream_regions,
)
from signin_lab.stack.races import created, deleted

if TYPE_CHECKING:  # pragma: no cover
    from signin_lab.config import LabConfig
    from signin_lab.lab import Lab

SECTION = "IAM"
INLINE_POLICY = "CloudTrail-CloudWatchLogs-Signin-Console-Policy"
ROLE_DESCRIPTION = "Lets CloudTrail write sign-in events to CloudWatch Logs (signin-lab)"


def _doc(value: object) -> object:
    """IAM returns policy documents URL-encoded (real AWS) or already decoded (boto3 + moto)."""
    from urllib.parse import unquote

    if isinstance(value, str):
        return json.loads(unquote(value))
    return value


def current_policy(lab: Lab, config: LabConfig | None = None) -> object | None:
    """The role's inline policy document as IAM has it, or None (no role or no policy)."""
    cfg = config or lab.config
    try:
        return _doc(
            lab.client("iam").get_role_policy(RoleName=cfg.role_name, PolicyName=INLINE_POLICY)["PolicyDocument"]
        )
    except Exception as exc:
        if not is_not_found(exc):
            raise
        return None


def ensure_role(lab: Lab) -> list[Change]:
    """Create or correct the CloudTrail role and its inline policy; report what changed."""
    cfg = lab.config
    iam = lab.client("iam")
    trust = cloudtrail_trust_policy(cfg)
    changes: list[Change] = []
    try:
        role = iam.get_role(RoleName=cfg.role_name)["Role"]
    except Exception as exc:
        if not is_not_found(exc):
            raise
        role = None
    made = role is None and created(
        lambda: iam.create_role(
            RoleName=cfg.role_name,
            AssumeRolePolicyDocument=json.dumps(trust),
            Description=ROLE_DESCRIPTION,
            Tags=[{"Key": "signin-lab", "Value": "true"}],
        )
    )
    if made:
        changes.append(Change(SECTION, "IAM role", cfg.role_name, "created"))
    else:
        if role is None:  # a racing peer created it between the get and the create
            role = iam.get_role(RoleName=cfg.role_name)["Role"]
        if _doc(role["AssumeRolePolicyDocument"]) != trust:
            iam.update_assume_role_policy(RoleName=cfg.role_name, PolicyDocument=json.dumps(trust))
            changes.append(Change(SECTION, "IAM role", cfg.role_name, "updated", "trust policy"))
        else:
            changes.append(Change(SECTION, "IAM role", cfg.role_name, "unchanged"))

    current = current_policy(lab, cfg)
    wanted = cloudtrail_logs_policy(cfg, log_stream_regions(cfg, current))  # other Regions kept
    if current != wanted:
        iam.put_role_policy(RoleName=cfg.role_name, PolicyName=INLINE_POLICY, PolicyDocument=json.dumps(wanted))
        _keep_region(lab, cfg)
    action: Action = "created" if current is None else ("updated" if current != wanted else "unchanged")
    changes.append(Change(SECTION, "role policy", INLINE_POLICY, action))
    return changes


def _keep_region(lab: Lab, cfg: LabConfig) -> None:
    """IAM has no compare-and-set: a deploy in another Region at the same moment may write its
    policy over this one. Read it back after a random pause and merge this Region in again while
    it is missing (bounded; a redeploy repairs what a pathological interleaving leaves)."""
    import random
    import time

    for attempt in range(5):
        time.sleep(random.uniform(0.05, 0.2 * (attempt + 1)) if lab.target.emulated else 1.0)
        regions = log_stream_regions(cfg, current_policy(lab, cfg))
        if cfg.region in regions:
            return
        merged = cloudtrail_logs_policy(cfg, regions)
        lab.client("iam").put_role_policy(
            RoleName=cfg.role_name, PolicyName=INLINE_POLICY, PolicyDocument=json.dumps(merged)
        )


def delete_role(lab: Lab, config: LabConfig | None = None) -> list[Change]:
    """Take this Region's streams out of the role's policy; delete the role (its inline and
    attached policies first) only when no other Region's trail still uses it. Absent is fine."""
    cfg = config or lab.config
    iam = lab.client("iam")
    others = log_stream_regions(cfg, current_policy(lab, cfg)) - {cfg.region}
    if others:
        keep = cloudtrail_logs_policy(cfg.replace(region=min(others)), others)
        iam.put_role_policy(RoleName=cfg.role_name, PolicyName=INLINE_POLICY, PolicyDocument=json.dumps(keep))
        used_by = ", ".join(sorted(others))
        return [
            Change(SECTION, "role policy", INLINE_POLICY, "updated", f"{cfg.region} removed; kept for {used_by}"),
            Change(SECTION, "IAM role", cfg.role_name, "kept", f"still used by the trail in {used_by}"),
        ]
    try:
        names = [
            name
            for page in iam.get_paginator("list_role_policies").paginate(RoleName=cfg.role_name)
            for name in page["PolicyNames"]
        ]
        attached = [
            policy["PolicyArn"]
            for page in iam.get_paginator("list_attached_role_policies").paginate(RoleName=cfg.role_name)
            for policy in page["AttachedPolicies"]
        ]
    except Exception as exc:
        if not is_not_found(exc):
            raise
        return [Change(SECTION, "IAM role", cfg.role_name, "absent")]
    for name in names:
        deleted(lambda name=name: iam.delete_role_policy(RoleName=cfg.role_name, PolicyName=name))  # type: ignore[misc]
    for arn in attached:
        deleted(lambda arn=arn: iam.detach_role_policy(RoleName=cfg.role_name, PolicyArn=arn))  # type: ignore[misc]
    if not deleted(lambda: iam.delete_role(RoleName=cfg.role_name)):
        return [Change(SECTION, "IAM role", cfg.role_name, "absent")]  # a racing teardown deleted it
    return [Change(SECTION, "IAM role", cfg.role_name, "deleted")]
