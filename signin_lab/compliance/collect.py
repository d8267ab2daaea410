"""The boto3 reads Security Hub makes for these controls, into one AccountState (plain AWS dicts).

DescribeTrails (with shadow trails), GetTrailStatus and GetEventSelectors for trails homed here;
DescribeMetricFilters and DescribeLogGroups on their log groups, DescribeAlarms, and
ListSubscriptionsByTopic for the alarms' topics in this Region and account: every list call
through boto3's paginators (DescribeTrails has none: it returns every trail at once), every ARN
parsed by botocore's ArnParser (any partition).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from signin_lab.arns import parse_arn
from signin_lab.aws_errors import error_code
from signin_lab.errors import SigninLabError

if TYPE_CHECKING:  # pragma: no cover
    from signin_lab.lab import Lab

Record = dict[str, Any]

#: A subscription whose confirmation is pending lists this instead of an ARN.
#: https://docs.aws.amazon.com/sns/latest/api/API_Subscription.html
PENDING = "PendingConfirmation"
#: Markers `collect` leaves in AccountState.subscriptions when a topic cannot be listed.
DENIED = "denied"
NOT_FOUND = "not-found"
_DENIED_CODES = {"AuthorizationError", "AccessDenied", "AccessDeniedException"}


@dataclass
class AccountState:
    """What Security Hub reads for these controls, as plain AWS response dicts.

    `trails` are describe_trails entries (shadow trails included) with two added keys for
    trails homed here: `_status` (GetTrailStatus) and `_selectors` (GetEventSelectors).
    `metric_filters` maps a log group name to its filters, or None when the group is missing.
    `subscriptions` maps a topic ARN to its subscriptions, or to DENIED / NOT_FOUND.
    """

    region: str
    account_id: str
    trails: list[Record] = field(default_factory=list)
    metric_filters: dict[str, list[Record] | None] = field(default_factory=dict)
    alarms: list[Record] = field(default_factory=list)
    subscriptions: dict[str, list[Record] | str] = field(default_factory=dict)


def arn_parts(arn: str) -> tuple[str, str, str, str]:
    """(service, region, account, resource) of an ARN; SigninLabError when it is not one."""
    parts = parse_arn(arn)
    if parts is None:
        raise SigninLabError(f"not an ARN: {arn!r}")
    return parts["service"], parts["region"], parts["account"], parts["resource"]


def is_sns_topic(arn: Any) -> bool:
    """True for an SNS topic ARN in any partition (aws, aws-cn, aws-us-gov)."""
    parts = parse_arn(arn)
    return parts is not None and parts["service"] == "sns"


def is_confirmed(subscription: Record) -> bool:
    """A confirmed subscription: its SubscriptionArn is an ARN, not "PendingConfirmation"."""
    return parse_arn(subscription.get("SubscriptionArn")) is not None


def log_group_name(arn: str) -> str:
    """The log group name in a trail's CloudWatchLogsLogGroupArn (`...:log-group:NAME:*`)."""
    parts = parse_arn(arn)
    if parts is None or parts["service"] != "logs" or not parts["resource"].startswith("log-group:"):
        raise SigninLabError(f"not a CloudWatch Logs log group ARN: {arn!r}")
    return parts["resource"][len("log-group:") :].removesuffix(":*")


def trail_owner(trail: Record, default: str) -> str:
    """The account that owns a trail (from its TrailARN), `default` when it has none."""
    arn = trail.get("TrailARN")
    return arn_parts(arn)[2] if arn else default


def collect(lab: Lab, region: str | None = None) -> AccountState:
    """Read trails, their log groups' metric filters, alarms and the alarms' topics from `lab`.

    `region` is the Region Security Hub evaluates in (default: the lab's).
    """
    where = region or lab.region
    state = AccountState(region=where, account_id=lab.config.account_id)
    _read_trails(lab, state)
    _read_metric_filters(lab, state)
    cw = lab.client("cloudwatch", where)
    for page in cw.get_paginator("describe_alarms").paginate(AlarmTypes=["MetricAlarm"]):
        state.alarms.extend(page["MetricAlarms"])
    _read_subscriptions(lab, state)
    return state


def _read_trails(lab: Lab, state: AccountState) -> None:
    """Every trail the Region lists; our own ones with their status and event selectors."""
    where, cfg = state.region, lab.config
    ct = lab.client("cloudtrail", where)
    for trail in ct.describe_trails(includeShadowTrails=True)["trailList"]:
        trail = dict(trail)
        # Another account's trail (an organization trail) is not ours to query: evaluate() warns.
        if trail.get("HomeRegion") == where and trail_owner(trail, cfg.account_id) == cfg.account_id:
            name = trail.get("TrailARN") or trail["Name"]
            trail["_status"] = ct.get_trail_status(Name=name)
            trail["_selectors"] = ct.get_event_selectors(TrailName=name)
            arn = trail.get("CloudWatchLogsLogGroupArn")
            if arn:
                state.metric_filters.setdefault(log_group_name(arn), None)
        state.trails.append(trail)


def _read_metric_filters(lab: Lab, state: AccountState) -> None:
    """The metric filters of each trail's log group (left None when the group does not exist)."""
    logs = lab.client("logs", state.region)
    for group in list(state.metric_filters):
        try:
            filters: list[Record] = []
            for page in logs.get_paginator("describe_metric_filters").paginate(logGroupName=group):
                filters.extend(page["metricFilters"])
        except Exception as exc:
            if error_code(exc) != "ResourceNotFoundException":
                raise
            continue
        # describe_metric_filters does not fail for a missing group: check that it exists.
        pages = logs.get_paginator("describe_log_groups").paginate(logGroupNamePrefix=group)
        if any(g["logGroupName"] == group for page in pages for g in page.get("logGroups", [])):
            state.metric_filters[group] = filters


def _read_subscriptions(lab: Lab, state: AccountState) -> None:
    """The subscriptions of each SNS topic the alarms notify, in this Region and account."""
    where = state.region
    sns = lab.client("sns", where)
    for alarm in state.alarms:
        for action in alarm.get("AlarmActions", []):
            parts = parse_arn(action)
            if parts is None or action in state.subscriptions:
                continue
            if parts["service"] != "sns" or parts["region"] != where or parts["account"] != state.account_id:
                continue  # another Region or account: evaluate() says so, as Security Hub does
            state.subscriptions[action] = list_subscriptions(sns, action)


def list_subscriptions(sns: Any, topic_arn: str) -> list[Record] | str:
    """The topic's subscriptions (paginated), or DENIED / NOT_FOUND when they cannot be listed."""
    out: list[Record] = []
    try:
        for page in sns.get_paginator("list_subscriptions_by_topic").paginate(TopicArn=topic_arn):
            out.extend(page.get("Subscriptions", []))
    except Exception as exc:
        code = error_code(exc)
        if code in _DENIED_CODES:
            return DENIED
        if code == "NotFound":
            return NOT_FOUND
        raise
    return out


__all__ = [
    "DENIED",
    "NOT_FOUND",
    "PENDING",
    "AccountState",
    "arn_parts",
    "collect",
    "is_confirmed",
    "is_sns_topic",
    "list_subscriptions",
    "log_group_name",
    "parse_arn",
    "trail_owner",
]
