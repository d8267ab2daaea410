"""SNS on the target: publish an alarm's message to its topics and collect what subscribers receive.

The message and what each protocol receives are built in notify.py (pure); this module makes
the Publish call (so the target's SNS records it) and lists each topic's subscriptions
(ListSubscriptionsByTopic, paginated). An action that is not an SNS topic ARN (any partition,
parsed by botocore) is noted and not emulated.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from signin_lab.arns import is_sns_topic
from signin_lab.aws_errors import error_code
from signin_lab.emulator.notify import InboxMessage, change_message, deliveries, subject
from signin_lab.emulator.runtime import client_error

if TYPE_CHECKING:  # pragma: no cover
    from signin_lab.emulator.replay import AlarmSpec, Transition
    from signin_lab.lab import Lab


def subscriptions(sns: Any, topic_arn: str) -> list[dict[str, Any]]:
    """Every subscription of the topic (ListSubscriptionsByTopic through boto3's paginator)."""
    out: list[dict[str, Any]] = []
    for page in sns.get_paginator("list_subscriptions_by_topic").paginate(TopicArn=topic_arn):
        out.extend(page.get("Subscriptions", []))
    return out


def notify(lab: Lab, spec: AlarmSpec, change: Transition, notes: list[str]) -> list[InboxMessage]:
    """Publish the alarm message to each SNS action; what email and SMS subscribers receive."""
    if not change.actions:
        return []
    sns = lab.client("sns")
    message = change_message(spec.raw, change, lab.config.account_id, lab.region)
    out: list[InboxMessage] = []
    for arn in change.actions:
        if not is_sns_topic(arn):
            notes.append(f"alarm {spec.name!r}: action {arn} is not an SNS topic; not emulated")
            continue
        try:
            sns.publish(
                TopicArn=arn,
                Subject=subject(change.state, spec.name, lab.region),
                Message=json.dumps(message),
            )
            subs = subscriptions(sns, arn)
        except client_error() as exc:
            notes.append(
                f"alarm {spec.name!r}: publishing to {arn} failed "
                f"({error_code(exc) or exc}); AWS records a failed action"
            )
            continue
        out.extend(deliveries(arn, subs, message, change.time, lab.region))
    return out


__all__ = ["notify", "subscriptions"]
