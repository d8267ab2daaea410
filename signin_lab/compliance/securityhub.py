"""Security Hub's verdict for CloudWatch.1, .3 and .6: the chain its custom rule follows, as pure code.

https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html: a multi-Region
trail in this Region and account that is logging and records all management events -> its
CloudWatch Logs log group -> a metric filter with the control's exact CIS pattern -> an alarm on
that filter's metric with an action -> an SNS topic with at least one confirmed subscription.
Status and reason codes are Security Hub's
(https://docs.aws.amazon.com/securityhub/latest/userguide/controls-findings-create-update.html).
The decisions where the documentation is silent or disagrees are in the package docstring.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from signin_lab.compliance.collect import (
    DENIED,
    NOT_FOUND,
    PENDING,
    AccountState,
    Record,
    arn_parts,
    is_confirmed,
    is_sns_topic,
    log_group_name,
    trail_owner,
)
from signin_lab.config import CIS_PATTERNS

Status = Literal["PASSED", "FAILED", "WARNING"]
#: Security Hub's status reason codes that these controls produce (AWS's spelling, INVAILD included).
ReasonCode = Literal[
    "CLOUDTRAIL_MULTI_REGION_NOT_PRESENT",
    "CLOUDTRAIL_REGION_INVAILD",
    "CLOUDTRAIL_METRIC_FILTERS_NOT_PRESENT",
    "CLOUDTRAIL_METRIC_FILTER_NOT_VALID",
    "CLOUDWATCH_ALARMS_NOT_PRESENT",
    "CLOUDWATCH_ALARM_ACTIONS_NOT_VALID",
    "SNS_TOPIC_INVALID",
    "SNS_SUBSCRIPTION_NOT_PRESENT",
    "SNS_TOPIC_CROSS_ACCOUNT",
    "SNS_TOPIC_CROSS_ACCOUNT_CROSS_REGION",
]

CONTROLS: tuple[str, ...] = ("CloudWatch.1", "CloudWatch.3", "CloudWatch.6")
TITLES: dict[str, str] = {
    "CloudWatch.1": 'A log metric filter and alarm should exist for usage of the "root" user',
    "CloudWatch.3": "A log metric filter and alarm should exist for Management Console sign-in without MFA",
    "CloudWatch.6": "A log metric filter and alarm should exist for AWS Management Console authentication failures",
}


@dataclass(frozen=True)
class Outcome:
    status: Status
    code: ReasonCode | None
    reason: str
    depth: int  # how far along the chain it got, to report the most informative failure
    trail: str | None = None
    log_group: str | None = None
    metric_filter: str | None = None
    alarm: str | None = None
    topic: str | None = None


_RANK = {"PASSED": 2, "WARNING": 1, "FAILED": 0}


def _records_all_management_events(selectors: Record) -> bool:
    for s in selectors.get("EventSelectors") or []:
        if s.get("IncludeManagementEvents") and s.get("ReadWriteType") == "All":
            return True
    for s in selectors.get("AdvancedEventSelectors") or []:
        fields = {f.get("Field"): f for f in s.get("FieldSelectors", [])}
        category = fields.get("eventCategory", {})
        if category.get("Equals") == ["Management"] and "readOnly" not in fields:
            return True
    return False


def _trail_problems(trail: Record) -> list[str]:
    """Why a trail homed here does not count for the CIS controls (empty: it counts)."""
    problems = []
    if not trail.get("IsMultiRegionTrail"):
        problems.append("not multi-Region")
    if not trail.get("_status", {}).get("IsLogging"):
        problems.append("not logging (StopLogging)")
    if not _records_all_management_events(trail.get("_selectors", {})):
        problems.append("does not record all (read and write) management events")
    if not trail.get("CloudWatchLogsLogGroupArn"):
        problems.append("sends no events to CloudWatch Logs")
    return problems


def _squash(pattern: str) -> str:
    return re.sub(r"\s+", "", pattern)


def _chain(state: AccountState, control: str, trail: Record) -> Outcome:
    """Follow one qualifying trail down to a confirmed SNS subscription."""
    wanted = CIS_PATTERNS[control]
    name = trail["Name"]
    group = log_group_name(trail["CloudWatchLogsLogGroupArn"])
    where = f"trail {name!r} -> log group {group!r}"
    filters = state.metric_filters.get(group)
    if filters is None:
        return Outcome(
            "FAILED", "CLOUDTRAIL_METRIC_FILTERS_NOT_PRESENT", f"{where}: the log group does not exist", 1, name, group
        )
    if not filters:
        return Outcome(
            "FAILED",
            "CLOUDTRAIL_METRIC_FILTERS_NOT_PRESENT",
            f"{where}: the log group has no metric filters",
            1,
            name,
            group,
        )
    exact = [f for f in filters if f.get("filterPattern") == wanted]
    if not exact:
        near = [f["filterName"] for f in filters if _squash(f.get("filterPattern", "")) == _squash(wanted)]
        hint = (
            f"; {', '.join(near)} differ(s) from it only in whitespace, which Security Hub does not accept"
            if near else ""
        )
        names = ", ".join(sorted(f["filterName"] for f in filters))
        return Outcome(
            "FAILED", "CLOUDTRAIL_METRIC_FILTER_NOT_VALID",
            f"{where}: none of its {len(filters)} metric filters ({names}) has the exact CIS pattern {wanted}{hint}",
            2, name, group,
        )
    best: Outcome | None = None
    for f in exact:
        for t in f.get("metricTransformations", []):
            metric = (t.get("metricNamespace"), t.get("metricName"))
            here = f"{where} -> metric filter {f['filterName']!r} (exact CIS pattern) -> metric {metric[0]}/{metric[1]}"
            alarms = [a for a in state.alarms if (a.get("Namespace"), a.get("MetricName")) == metric]
            if not alarms:
                out = Outcome(
                    "FAILED",
                    "CLOUDWATCH_ALARMS_NOT_PRESENT",
                    f"{here}: no alarm on this metric",
                    3,
                    name,
                    group,
                    f["filterName"],
                )
                best = _better(best, out)
                continue
            for alarm in alarms:
                best = _better(best, _alarm(state, alarm, here, name, group, f["filterName"]))
    assert best is not None  # an exact filter always has at least one transformation
    return best


def _alarm(state: AccountState, alarm: Record, here: str, trail: str, group: str, flt: str) -> Outcome:
    aname = alarm["AlarmName"]
    here = f"{here} -> alarm {aname!r}"
    topics = [a for a in alarm.get("AlarmActions", []) if is_sns_topic(a)]
    if not topics:
        return Outcome(
            "FAILED",
            "CLOUDWATCH_ALARM_ACTIONS_NOT_VALID",
            f"{here}: no SNS topic in its alarm actions",
            4,
            trail,
            group,
            flt,
            aname,
        )
    note = (
        ""
        if alarm.get("ActionsEnabled", True)
        else (
            " (note: its ActionsEnabled is false, so it notifies no one;"
            " Security Hub's documented check does not look at this)"
        )
    )
    best: Outcome | None = None
    for topic in topics:
        _, region, account, _ = arn_parts(topic)
        there = f"{here} -> topic {topic}"
        subs = state.subscriptions.get(topic)
        if region != state.region or account != state.account_id:
            out = Outcome(
                "WARNING",
                "SNS_TOPIC_CROSS_ACCOUNT_CROSS_REGION",
                f"{there}: the topic is in another Region or account, which the check does not follow{note}",
                5,
                trail,
                group,
                flt,
                aname,
                topic,
            )
        elif subs == DENIED:
            out = Outcome(
                "WARNING",
                "SNS_TOPIC_CROSS_ACCOUNT",
                f"{there}: ListSubscriptionsByTopic was denied, so its subscribers cannot be checked{note}",
                5,
                trail,
                group,
                flt,
                aname,
                topic,
            )
        elif subs is None or subs == NOT_FOUND:
            out = Outcome(
                "FAILED", "SNS_TOPIC_INVALID", f"{there}: the topic does not exist", 5, trail, group, flt, aname, topic
            )
        else:
            assert isinstance(subs, list)
            confirmed = [s for s in subs if is_confirmed(s)]
            pending = sum(1 for s in subs if s.get("SubscriptionArn") == PENDING)
            if confirmed:
                out = Outcome(
                    "PASSED",
                    None,
                    f"{there} with {len(confirmed)} confirmed subscription(s){note}",
                    7,
                    trail,
                    group,
                    flt,
                    aname,
                    topic,
                )
            else:
                extra = f" ({pending} pending confirmation, which do not count)" if pending else ""
                out = Outcome(
                    "FAILED",
                    "SNS_SUBSCRIPTION_NOT_PRESENT",
                    f"{there}: no confirmed subscription{extra}{note}",
                    6,
                    trail,
                    group,
                    flt,
                    aname,
                    topic,
                )
        best = _better(best, out)
    assert best is not None
    return best


def _better(a: Outcome | None, b: Outcome) -> Outcome:
    if a is None:
        return b
    return b if (_RANK[b.status], b.depth) > (_RANK[a.status], a.depth) else a


def _security_hub(state: AccountState, control: str) -> Outcome:
    if not state.trails:
        return Outcome("FAILED", "CLOUDTRAIL_MULTI_REGION_NOT_PRESENT", f"no CloudTrail trail in {state.region}", 0)
    home = [t for t in state.trails if t.get("HomeRegion") == state.region]
    elsewhere = [t for t in state.trails if t.get("HomeRegion") != state.region and t.get("IsMultiRegionTrail")]
    foreign_owner = [t for t in home if trail_owner(t, state.account_id) != state.account_id]
    qualifying = [t for t in home if t not in foreign_owner and not _trail_problems(t)]
    if not qualifying:
        if elsewhere or foreign_owner:
            names = ", ".join(f"{t['Name']} (home {t.get('HomeRegion')})" for t in elsewhere + foreign_owner)
            return Outcome(
                "WARNING", "CLOUDTRAIL_REGION_INVAILD",
                f"the multi-Region trail(s) {names} are based in another Region or account; "
                f"Security Hub checks them there, not in {state.region}", 0,
            )
        why = "; ".join(f"trail {t['Name']!r}: {', '.join(_trail_problems(t))}" for t in home)
        return Outcome(
            "FAILED", "CLOUDTRAIL_MULTI_REGION_NOT_PRESENT",
            f"no multi-Region trail that is logging all management events to CloudWatch Logs ({why})", 0,
        )
    best: Outcome | None = None
    for trail in qualifying:
        best = _better(best, _chain(state, control, trail))
    assert best is not None
    return best


def security_hub(state: AccountState, control: str) -> Outcome:
    """Security Hub's status, reason code and reason for one control (pure: no AWS calls)."""
    return _security_hub(state, control)


__all__ = ["CONTROLS", "TITLES", "Outcome", "ReasonCode", "Status", "security_hub"]
