"""Two deploys or teardowns at once (a classroom, two terminals): a peer's create or delete is not an error.

Each step checks, then acts; between the two a racing peer may have created or deleted the same
resource. Those errors mean the state the step wanted is already there, so the step goes on:
CreateRole https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html (EntityAlreadyExists),
CreateLogGroup https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html
(ResourceAlreadyExistsException), CreateBucket https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html
(BucketAlreadyOwnedByYou), CreateTrail https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html
(TrailAlreadyExistsException), and the "not found" errors of each delete.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from signin_lab.aws_errors import error_code, is_not_found

#: A create that lost the race: the resource exists (made by the peer, in this account).
ALREADY_EXISTS = frozenset(
    {"EntityAlreadyExists", "ResourceAlreadyExistsException", "BucketAlreadyOwnedByYou", "TrailAlreadyExistsException"}
)


def already_exists(exc: Exception) -> bool:
    """True when `exc` says the resource a create asked for exists already (in this account)."""
    return error_code(exc) in ALREADY_EXISTS


def created(call: Callable[[], Any]) -> bool:
    """Run a create; True if this call made it, False if a peer had (an "already exists" error)."""
    try:
        call()
    except Exception as exc:
        if already_exists(exc):
            return False
        raise
    return True


def deleted(call: Callable[[], Any]) -> bool:
    """Run a delete; True if this call removed it, False if it was gone already (a "not found")."""
    try:
        call()
    except Exception as exc:
        if is_not_found(exc) or error_code(exc) == "NoSuchEntityException":
            return False
        raise
    return True
