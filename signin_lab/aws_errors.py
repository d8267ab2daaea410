"""What a botocore error means, read without importing botocore: its code, and 'not found'."""

from __future__ import annotations

from typing import Any


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
