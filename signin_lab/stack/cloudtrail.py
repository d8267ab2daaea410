"""Blog section 'CloudTrail': the trail's S3 bucket and the multi-Region trail `events-management`.

https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-create-and-update-a-trail.html
https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from signin_lab.aws_errors import error_code, is_not_found
from signin_lab.errors import SigninLabError
from signin_lab.stack.changes import Change
from signin_lab.stack.policies import trail_bucket_policy
from signin_lab.stack.races import created, deleted

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


def owned(cfg: LabConfig) -> dict[str, str]:
    """The arguments every S3 call on the trail's bucket takes: the bucket, and the account
    that must own it (S3 answers 403 when another account does: the name is predictable).

    https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-owner-condition.html
    """
    return {"Bucket": cfg.bucket, "ExpectedBucketOwner": cfg.account_id}


def _bucket_exists(lab: Lab, cfg: LabConfig | None = None) -> bool:
    """Whether the trail's bucket exists and is this account's; another account's is refused.

    moto 5.2 ignores ExpectedBucketOwner and lets any account read any bucket, so on an emulated
    target the bucket must also be in this account's ListBuckets.
    """
    cfg = cfg or lab.config
    s3 = lab.client("s3")
    try:
        s3.head_bucket(**owned(cfg))
    except Exception as exc:
        if is_not_found(exc):
            return False
        if error_code(exc) in ("403", "AccessDenied"):
            raise _not_ours(cfg) from None
        raise
    if lab.target.emulated and cfg.bucket not in {b["Name"] for b in s3.list_buckets().get("Buckets", [])}:
        try:  # not ours, or deleted by a racing teardown since the HeadBucket
            s3.head_bucket(**owned(cfg))
        except Exception as exc:
            if is_not_found(exc):
                return False
            raise
        raise _not_ours(cfg)
    return True


def _not_ours(cfg: LabConfig) -> SigninLabError:
    return SigninLabError(
        f"S3 bucket {cfg.bucket!r} exists but is not owned by account {cfg.account_id}: "
        "choose another bucket_name",
        field="bucket_name",
    )


def ensure_bucket(lab: Lab) -> list[Change]:
    """The trail's bucket: private (Block Public Access), encrypted, with CloudTrail's policy."""
    cfg = lab.config
    s3 = lab.client("s3")
    changes: list[Change] = []
    state = "unchanged"
    if not _bucket_exists(lab, cfg):
        kwargs: dict[str, Any] = {"Bucket": cfg.bucket}  # CreateBucket takes no ExpectedBucketOwner
        if cfg.region != "us-east-1":
            kwargs["CreateBucketConfiguration"] = {"LocationConstraint": cfg.region}
        if created(lambda: s3.create_bucket(**kwargs)):
            state = "created"
    updated = [
        what
        for what, ensure in (
            ("block public access", _ensure_public_access_block),
            ("default encryption", _ensure_encryption),
            ("bucket policy", _ensure_bucket_policy),
        )
        if ensure(s3, cfg)
    ]
    if state == "unchanged" and updated:
        changes.append(Change(SECTION, "S3 bucket", cfg.bucket, "updated", ", ".join(updated)))
    else:
        changes.append(Change(SECTION, "S3 bucket", cfg.bucket, state))  # type: ignore[arg-type]
    return changes


def _ensure_public_access_block(s3: Any, cfg: LabConfig) -> bool:
    """Block all public access to the bucket; True if it had to be put."""
    try:
        current_block = s3.get_public_access_block(**owned(cfg))["PublicAccessBlockConfiguration"]
    except Exception as exc:
        if error_code(exc) != "NoSuchPublicAccessBlockConfiguration":
            raise
        current_block = None
    if current_block == BLOCK_PUBLIC_ACCESS:
        return False
    s3.put_public_access_block(**owned(cfg), PublicAccessBlockConfiguration=BLOCK_PUBLIC_ACCESS)
    return True


def _ensure_encryption(s3: Any, cfg: LabConfig) -> bool:
    """The bucket's default encryption; True if it had to be put."""
    try:
        current_enc = s3.get_bucket_encryption(**owned(cfg))["ServerSideEncryptionConfiguration"]
        current_rules = [
            {"ApplyServerSideEncryptionByDefault": r["ApplyServerSideEncryptionByDefault"]}
            for r in current_enc["Rules"]
        ]
    except Exception as exc:
        if error_code(exc) != "ServerSideEncryptionConfigurationNotFoundError":
            raise
        current_rules = None
    if current_rules == ENCRYPTION["Rules"]:
        return False
    s3.put_bucket_encryption(**owned(cfg), ServerSideEncryptionConfiguration=ENCRYPTION)
    return True


def _ensure_bucket_policy(s3: Any, cfg: LabConfig) -> bool:
    """CloudTrail's bucket policy; True if it had to be put."""
    policy = trail_bucket_policy(cfg)
    try:
        current_policy = json.loads(s3.get_bucket_policy(**owned(cfg))["Policy"])
    except Exception as exc:
        if not is_not_found(exc):
            raise
        current_policy = None
    if current_policy == policy:
        return False
    s3.put_bucket_policy(**owned(cfg), Policy=json.dumps(policy))
    return True


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
    """The trail's description, or None; matched by its ARN (account, Region, name), never the
    first of the list: moto ignores trailNameList and lists every trail on the server, and AWS
    also lists other Regions' multi-Region trails (shadow trails).

    https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_DescribeTrails.html
    """
    cfg = config or lab.config
    arn = cfg.trail_arn()
    trails = lab.client("cloudtrail").describe_trails(trailNameList=[cfg.trail_name])["trailList"]
    return next((dict(t) for t in trails if t.get("TrailARN") == arn), None)


def ensure_trail(lab: Lab) -> list[Change]:
    """The multi-Region trail with log file validation, into the bucket and the log group, logging."""
    cfg = lab.config
    ct = lab.client("cloudtrail")
    wanted = trail_settings(cfg)
    current = get_trail(lab)
    if current is None and created(
        lambda: ct.create_trail(**wanted, TagsList=[{"Key": "signin-lab", "Value": "true"}])
    ):
        change = Change(SECTION, "trail", cfg.trail_name, "created")
    else:
        current = current or get_trail(lab) or {}  # a racing peer created it: compare with theirs
        diff = _differs(current, wanted)
        if diff:
            ct.update_trail(**{**wanted, "Name": cfg.trail_arn()})
            change = Change(SECTION, "trail", cfg.trail_name, "updated", ", ".join(diff))
        else:
            change = Change(SECTION, "trail", cfg.trail_name, "unchanged")
    arn = cfg.trail_arn()  # by ARN: another Region's trail may have the same name
    selectors = ct.get_event_selectors(TrailName=arn).get("EventSelectors") or []
    normal = [
        {
            "ReadWriteType": s.get("ReadWriteType"),
            "IncludeManagementEvents": s.get("IncludeManagementEvents"),
            "DataResources": s.get("DataResources", []),
        }
        for s in selectors
    ]
    if normal != EVENT_SELECTORS:
        ct.put_event_selectors(TrailName=arn, EventSelectors=EVENT_SELECTORS)
        if change.action == "unchanged":
            change = Change(SECTION, "trail", cfg.trail_name, "updated", "event selectors")
    if not ct.get_trail_status(Name=arn).get("IsLogging"):
        ct.start_logging(Name=arn)
        if change.action == "unchanged":
            change = Change(SECTION, "trail", cfg.trail_name, "updated", "started logging")
    return [change]


def delete_trail(lab: Lab, config: LabConfig | None = None) -> list[Change]:
    """Stop and delete the trail; absent is fine."""
    cfg = config or lab.config
    ct = lab.client("cloudtrail")
    if get_trail(lab, cfg) is None:
        return [Change(SECTION, "trail", cfg.trail_name, "absent")]
    arn = cfg.trail_arn()  # the ARN, not the name: another Region's trail may share the name
    deleted(lambda: ct.stop_logging(Name=arn))
    # DeleteTrail by name: the Regional endpoint's own trail (moto 5.2 deletes by name only).
    if not deleted(lambda: ct.delete_trail(Name=cfg.trail_name)):
        return [Change(SECTION, "trail", cfg.trail_name, "absent")]  # a racing teardown deleted it
    return [Change(SECTION, "trail", cfg.trail_name, "deleted")]


def delete_bucket(lab: Lab, config: LabConfig | None = None, *, keep: bool = False) -> list[Change]:
    """Empty and delete the trail's bucket, or keep it (and its audit records) when `keep`."""
    cfg = config or lab.config
    if not _bucket_exists(lab, cfg):
        return [Change(SECTION, "S3 bucket", cfg.bucket, "absent")]
    s3 = lab.client("s3")
    if keep:
        count = sum(page.get("KeyCount", 0) for page in s3.get_paginator("list_objects_v2").paginate(**owned(cfg)))
        return [Change(SECTION, "S3 bucket", cfg.bucket, "kept", f"{count} log file(s) kept")]
    removed = [0]

    def empty_and_delete() -> None:
        for page in s3.get_paginator("list_object_versions").paginate(**owned(cfg)):
            versions = page.get("Versions", []) + page.get("DeleteMarkers", [])
            objects = [{"Key": v["Key"], "VersionId": v["VersionId"]} for v in versions]
            if objects:
                s3.delete_objects(**owned(cfg), Delete={"Objects": objects, "Quiet": True})
                removed[0] += len(objects)
        s3.delete_bucket(**owned(cfg))

    if not deleted(empty_and_delete):
        return [Change(SECTION, "S3 bucket", cfg.bucket, "absent")]  # a racing teardown deleted it
    return [Change(SECTION, "S3 bucket", cfg.bucket, "deleted", f"{removed[0]} object(s) deleted")]
