"""Blog section 'SNS': one topic per alert, an email subscription on each, SMS on the alerts with `sms`.

https://docs.aws.amazon.com/sns/latest/dg/sns-create-topic.html
https://docs.aws.amazon.com/sns/latest/dg/sns-email-notifications.html
https://docs.aws.amazon.com/sns/latest/dg/sms_publish-to-topic.html
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from signin_lab.aws_errors import is_not_found
from signin_lab.config import Alert
from signin_lab.stack.changes import Change
from signin_lab.stack.policies import topic_policy
from signin_lab.stack.races import deleted

if TYPE_CHECKING:  # pragma: no cover
    from signin_lab.config import LabConfig
    from signin_lab.lab import Lab

SECTION = "SNS"


def is_confirmed(subscription_arn: str) -> bool:
    """A subscription that can be unsubscribed: its ARN is an ARN in any partition (aws, aws-cn,
    aws-us-gov), not "PendingConfirmation" or "Deleted"; parsed by botocore's ArnParser.

    https://docs.aws.amazon.com/sns/latest/api/API_Subscription.html
    """
    from signin_lab.arns import is_arn

    return is_arn(subscription_arn)


def _existing_topics(lab: Lab) -> set[str]:
    sns = lab.client("sns")
    arns: set[str] = set()
    for page in sns.get_paginator("list_topics").paginate():
        arns.update(t["TopicArn"] for t in page["Topics"])
    return arns


def wanted_subscriptions(lab: Lab, alert: Alert) -> list[tuple[str, str]]:
    """(protocol, endpoint) pairs this alert's topic should have."""
    cfg = lab.config
    subs = []
    if cfg.email:
        subs.append(("email", cfg.email))
    if cfg.sms and alert.sms:
        subs.append(("sms", cfg.sms))
    return subs


def subscriptions(lab: Lab, topic_arn: str) -> list[dict[str, str]]:
    """Every subscription of a topic, all pages."""
    sns = lab.client("sns")
    out: list[dict[str, str]] = []
    for page in sns.get_paginator("list_subscriptions_by_topic").paginate(TopicArn=topic_arn):
        out.extend(page["Subscriptions"])
    return out


def ensure_topics(lab: Lab) -> list[Change]:
    """Create each topic with its hardened policy and its email/SMS subscriptions."""
    cfg = lab.config
    sns = lab.client("sns")
    existing = _existing_topics(lab)
    changes: list[Change] = []
    for alert in cfg.alerts:
        arn = cfg.topic_arn(alert)
        policy = topic_policy(cfg, alert)
        if arn not in existing:
            arn = sns.create_topic(Name=alert.topic_name, Tags=[{"Key": "signin-lab", "Value": "true"}])["TopicArn"]
            sns.set_topic_attributes(TopicArn=arn, AttributeName="Policy", AttributeValue=json.dumps(policy))
            changes.append(Change(SECTION, "SNS topic", alert.topic_name, "created"))
        else:
            current = json.loads(sns.get_topic_attributes(TopicArn=arn)["Attributes"].get("Policy", "{}"))
            if current != policy:
                sns.set_topic_attributes(TopicArn=arn, AttributeName="Policy", AttributeValue=json.dumps(policy))
                changes.append(Change(SECTION, "SNS topic", alert.topic_name, "updated", "topic policy"))
            else:
                changes.append(Change(SECTION, "SNS topic", alert.topic_name, "unchanged"))
        have = {(s["Protocol"], s["Endpoint"]): s for s in subscriptions(lab, arn)}
        want = wanted_subscriptions(lab, alert)
        for protocol, endpoint in want:
            label = f"{alert.topic_name} -> {protocol}:{endpoint}"
            if (protocol, endpoint) in have:
                changes.append(Change(SECTION, "subscription", label, "unchanged"))
            else:
                sns.subscribe(TopicArn=arn, Protocol=protocol, Endpoint=endpoint)
                changes.append(Change(SECTION, "subscription", label, "created"))
        # An email or number that changed since the last deploy: remove the stale subscription.
        for (protocol, endpoint), sub in have.items():
            stale = protocol in ("email", "sms") and (protocol, endpoint) not in want
            if stale and is_confirmed(sub["SubscriptionArn"]):  # pending ones cannot be unsubscribed
                sns.unsubscribe(SubscriptionArn=sub["SubscriptionArn"])
                label = f"{alert.topic_name} -> {protocol}:{endpoint}"
                changes.append(Change(SECTION, "subscription", label, "deleted"))
    return changes


def delete_topics(lab: Lab, config: LabConfig | None = None) -> list[Change]:
    """Unsubscribe everything and delete each topic; absent is fine."""
    cfg = config or lab.config
    sns = lab.client("sns")
    existing = _existing_topics(lab)
    changes: list[Change] = []
    for alert in cfg.alerts:
        arn = cfg.topic_arn(alert)
        if arn not in existing:
            changes.append(Change(SECTION, "SNS topic", alert.topic_name, "absent"))
            continue
        try:
            subs = subscriptions(lab, arn)
        except Exception as exc:
            if not is_not_found(exc):
                raise
            changes.append(Change(SECTION, "SNS topic", alert.topic_name, "absent"))  # a racing teardown
            continue
        for sub in subs:
            if is_confirmed(sub["SubscriptionArn"]):
                deleted(lambda sub=sub: sns.unsubscribe(SubscriptionArn=sub["SubscriptionArn"]))  # type: ignore[misc]
        # DeleteTopic of a topic that is gone succeeds (AWS: "idempotent"), so no race here.
        # https://docs.aws.amazon.com/sns/latest/api/API_DeleteTopic.html
        sns.delete_topic(TopicArn=arn)
        changes.append(Change(SECTION, "SNS topic", alert.topic_name, "deleted"))
    return changes
