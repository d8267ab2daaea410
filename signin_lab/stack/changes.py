"""What a deploy or teardown step did to one resource: created, updated, unchanged, deleted, kept."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Action = Literal["created", "updated", "unchanged", "deleted", "absent", "kept"]


@dataclass(frozen=True)
class Change:
    """One resource and what happened to it, for the deploy report and the notebooks."""

    section: str  # the blog section: IAM, SNS, CloudTrail, CloudWatch
    kind: str  # e.g. "IAM role", "SNS topic", "metric filter"
    name: str
    action: Action
    detail: str = ""


def error_code(exc: Exception) -> str:
    """botocore's error code for a ClientError, else ''."""
    response: Any = getattr(exc, "response", None)
    if isinstance(response, dict):
        return str(response.get("Error", {}).get("Code", ""))
    return ""


def is_not_found(exc: Exception) -> bool:
    """True for the various 'does not exist' errors the four services return."""
    code = error_code(exc)
    return code in {
        "NoSuchEntity",
        "NotFound",
        "NoSuchBucket",
        "404",
        "ResourceNotFoundException",
        "TrailNotFoundException",
        "NoSuchBucketPolicy",
    }
