"""What a deploy or teardown step did to one resource: created, updated, unchanged, deleted, kept."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Action = Literal["created", "updated", "unchanged", "deleted", "absent", "kept"]


@dataclass(frozen=True)
class Change:
    """One resource and what happened to it, for the deploy report and the notebooks."""

    section: str  # the blog section: IAM, SNS, CloudTrail, CloudWatch
    kind: str  # e.g. "IAM role", "SNS topic", "metric filter"
    name: str
    action: Action
    detail: str = ""
