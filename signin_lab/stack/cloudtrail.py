"""Blog section 'CloudTrail': the trail's S3 bucket and the multi-Region trail `events-management`.

https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-create-and-update-a-trail.html
https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from signin_lab.aws_errors import error_code, is_not_found
from signin_lab.stack.changes import Change
from signin_lab.stack.policies import trail_bucket_policy

if TYPE_CHECKING:  # pragma: no cover
    from signin_lab.config import LabConfig
    from signin_lab.lab import Lab

SECTION = "CloudTrail"

#: S3 Block Public Access, all four settings on.
#: https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
BLOCK_PUBLIC_ACCESS = {
    "BlockPublicAcls": True,
    "IgnorePublicAcls": True,
    "BlockPublicPolicy": True,
    "RestrictPublicBuckets": True,
}
#: Default encryption with S3 managed keys.
#: https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-bucket-encryption.html
ENCRYPTION = {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]}
#: Management events only, read and write, as the blog's trail records them.
#: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-management-events-with-cloudtrail.html
EVENT_SELECTORS = [{"ReadWriteType": "All", "IncludeManagementEvents": True, "DataResources": []}]


def _bucket_exists(lab: Lab, bucket: str) -> bool:
    try:
        lab.client("s3").head_bucket(Bucket=bucket)
    except Exception as exc:
        if is_not_found(exc):
            return False
        raise
    return True


def ensure_bucket(lab: Lab) -> list[Change]:
    """The trail's bucket: private (Block Public Access), encrypted, with CloudTrail's policy."""
    cfg = lab.config
    s3 = lab.client("s3")
    changes: list[Change] = []
    if _bucket_exists(lab, cfg.bucket):
        state = "unchanged"
    else:
        kwargs: dict[str, Any] = {"Bucket": cfg.bucket}
        if cfg.region != "us-east-1":
            kwargs["CreateBucketConfiguration"] = {"LocationConstraint": cfg.region}
        s3.create_bucket(**kwargs)
        state = "created"
    updated = []
    try:
        current_block = s3.get_public_access_block(Bucket=cfg.bucket)["PublicAccessBlockConfiguration"]
    except Exception as exc:
        if error_code(exc) != "NoSuchPublicAccessBlockConfiguration":
            raise
        current_block = None
    if current_block != BLOCK_PUBLIC_ACCESS:
        s3.put_public_access_block(Bucket=cfg.bucket, PublicAccessBlockConfiguration=BLOCK_PUBLIC_ACCESS)
        updated.append("block public access")
    try:
        current_enc = s3.get_bucket_encryption(Bucket=cfg.bucket)["ServerSideEncryptionConfiguration"]
        current_rules = [{"ApplyServerSideEncryptionByDefault": r["ApplyServerSideEncryptionByDefault"]} for r in current_enc["Rules"]]
    except Exception as exc:
        if error_code(exc) != "ServerSideEncryptionConfigurationNotFoundError":
            raise
        current_rules = None
    if current_rules != ENCRYPTION["Rules"]:
        s3.put_bucket_encryption(Bucket=cfg.bucket, ServerSideEncryptionConfiguration=ENCRYPTION)
        updated.append("default encryption")
    policy = trail_bucket_policy(cfg)
    try:
        current_policy = json.loads(s3.get_bucket_policy(Bucket=cfg.bucket)["Policy"])
    except Exception as exc:
        if not is_not_found(exc):
            raise
        current_policy = None
    if current_policy != policy:
        s3.put_bucket_policy(Bucket=cfg.bucket, Policy=json.dumps(policy))
        updated.append("bucket policy")
    if state == "unchanged" and updated:
        changes.append(Change(SECTION, "S3 bucket", cfg.bucket, "updated", ", ".join(updated)))
    else:
        changes.append(Change(SECTION, "S3 bucket", cfg.bucket, state))  # type: ignore[arg-type]
    return changes


def trail_settings(cfg: LabConfig) -> dict[str, Any]:
    """The create/update_trail arguments for the blog's trail."""
    return {
        "Name": cfg.trail_name,
        "S3BucketName": cfg.bucket,
        "IncludeGlobalServiceEvents": True,
        "IsMultiRegionTrail": cfg.trail_multi_region,
        "EnableLogFileValidation": cfg.trail_log_file_validation,
        "CloudWatchLogsLogGroupArn": cfg.log_group_arn(),
        "CloudWatchLogsRoleArn": cfg.role_arn(),
    }


def _differs(current: dict[str, Any], wanted: dict[str, Any]) -> list[str]:
    keys = {
        "S3BucketName": "S3BucketName",
        "IncludeGlobalServiceEvents": "IncludeGlobalServiceEvents",
        "IsMultiRegionTrail": "IsMultiRegionTrail",
        "EnableLogFileValidation": "LogFileValidationEnabled",
        "CloudWatchLogsLogGroupArn": "CloudWatchLogsLogGroupArn",
        "CloudWatchLogsRoleArn": "CloudWatchLogsRoleArn",
    }
    return [arg for arg, attr in keys.items() if current.get(attr) != wanted[arg]]


def get_trail(lab: Lab, config: LabConfig | None = None) -> dict[str, Any] | None:
    """The trail's description, or None."""
    cfg = config or lab.config
    trails = lab.client("cloudtrail").describe_trails(trailNameList=[cfg.trail_name])["trailList"]
    return trails[0] if trails else None


def ensure_trail(lab: Lab) -> list[Change]:
    """The multi-Region trail with log file validation, into the bucket and the log group, logging."""
    cfg = lab.config
    ct = lab.client("cloudtrail")
    wanted = trail_settings(cfg)
    current = get_trail(lab)
    if current is None:
        ct.create_trail(**wanted, TagsList=[{"Key": "signin-lab", "Value": "true"}])
        change = Change(SECTION, "trail", cfg.trail_name, "created")
    else:
        diff = _differs(current, wanted)
        if diff:
            ct.update_trail(**wanted)
            change = Change(SECTION, "trail", cfg.trail_name, "updated", ", ".join(diff))
        else:
            change = Change(SECTION, "trail", cfg.trail_name, "unchanged")
    selectors = ct.get_event_selectors(TrailName=cfg.trail_name).get("EventSelectors") or []
    normal = [{"ReadWriteType": s.get("ReadWriteType"), "IncludeManagementEvents": s.get("IncludeManagementEvents"), "DataResources": s.get("DataResources", [])} for s in selectors]
    if normal != EVENT_SELECTORS:
        ct.put_event_selectors(TrailName=cfg.trail_name, EventSelectors=EVENT_SELECTORS)
        if change.action == "unchanged":
            change = Change(SECTION, "trail", cfg.trail_name, "updated", "event selectors")
    if not ct.get_trail_status(Name=cfg.trail_name).get("IsLogging"):
        ct.start_logging(Name=cfg.trail_name)
        if change.action == "unchanged":
            change = Change(SECTION, "trail", cfg.trail_name, "updated", "started logging")
    return [change]


def delete_trail(lab: Lab, config: LabConfig | None = None) -> list[Change]:
    """Stop and delete the trail; absent is fine."""
    cfg = config or lab.config
    ct = lab.client("cloudtrail")
    if get_trail(lab, cfg) is None:
        return [Change(SECTION, "trail", cfg.trail_name, "absent")]
    ct.stop_logging(Name=cfg.trail_name)
    ct.delete_trail(Name=cfg.trail_name)
    return [Change(SECTION, "trail", cfg.trail_name, "deleted")]


def delete_bucket(lab: Lab, config: LabConfig | None = None, *, keep: bool = False) -> list[Change]:
    """Empty and delete the trail's bucket, or keep it (and its audit records) when `keep`."""
    cfg = config or lab.config
    if not _bucket_exists(lab, cfg.bucket):
        return [Change(SECTION, "S3 bucket", cfg.bucket, "absent")]
    s3 = lab.client("s3")
    if keep:
        count = sum(page.get("KeyCount", 0) for page in s3.get_paginator("list_objects_v2").paginate(Bucket=cfg.bucket))
        return [Change(SECTION, "S3 bucket", cfg.bucket, "kept", f"{count} log file(s) kept")]
    deleted = 0
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=cfg.bucket):
        objects = [{"Key": v["Key"], "VersionId": v["VersionId"]} for v in page.get("Versions", []) + page.get("DeleteMarkers", [])]
        if objects:
            s3.delete_objects(Bucket=cfg.bucket, Delete={"Objects": objects, "Quiet": True})
            deleted += len(objects)
    s3.delete_bucket(Bucket=cfg.bucket)
    return [Change(SECTION, "S3 bucket", cfg.bucket, "deleted", f"{deleted} object(s) deleted")]
