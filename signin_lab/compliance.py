"""The CIS sign-in controls Security Hub checks (CloudWatch.1, .3, .6): its verdict, and what each filter really catches.

Two verdicts per control:

1. Security Hub's, following the chain its custom rule follows
   (https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html):
   a multi-Region trail in this Region and account that is logging and records all management
   events -> its CloudWatch Logs log group -> a metric filter with the control's exact CIS
   pattern -> an alarm on that filter's metric with an action -> an SNS topic with at least one
   confirmed subscription. Status and reason codes are Security Hub's
   (https://docs.aws.amazon.com/securityhub/latest/userguide/controls-findings-create-update.html).
2. A semantic one: every metric filter pattern on the trail's log group is run (with
   `signin_lab.filterpattern`) over AWS's example records and the kit's scenarios, and the finding
   says which events the control means to catch are caught, and which are missed. It also says
   what the exact CIS pattern alone misses (a failed sign-in with a wrong user name is not
   "Failed authentication").

Decisions, where the documentation is silent or disagrees:
- Pattern comparison is exact, whitespace included. The control page says "This control fails if
  the exact metric filters prescribed by CIS are not used. Additional fields or terms cannot be
  added." and users report that AWS Support confirmed whitespace matters
  (cloudposse/terraform-aws-cloudtrail-cloudwatch-alarms#33, terraform-aws-modules/terraform-aws-cloudwatch#50).
  A pattern that differs only in whitespace still fails, and the reason says so.
- A multi-Region trail whose home Region (or owner account) is not the checked one: the 2026
  control page says NO_DATA, the reason-code table says WARNING (`CLOUDTRAIL_REGION_INVAILD`,
  AWS's spelling). The kit uses WARNING with that code, keeping the three statuses.
- A trail "records all management events" when a basic event selector has
  IncludeManagementEvents true and ReadWriteType All, or an advanced event selector selects
  eventCategory Management without a readOnly field (the CIS audit steps as third-party copies
  of the benchmark give them; advanced selectors:
  https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-management-events-with-cloudtrail.html).
- An alarm is "on" a filter's metric when its MetricName and Namespace are the filter's metric
  transformation's (metric-math alarms are not followed). A confirmed subscription has a
  SubscriptionArn that is an ARN; "PendingConfirmation" does not count.
- "Means to catch" (the semantic verdict) is written below as plain Python over the record,
  independent of any filter pattern: see `INTENTS`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from signin_lab.aws_errors import error_code
from signin_lab.config import CIS_NAMES, CIS_PATTERNS
from signin_lab.errors import SigninLabError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from signin_lab.lab import Lab

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
Record = dict[str, Any]

CONTROLS: tuple[str, ...] = ("CloudWatch.1", "CloudWatch.3", "CloudWatch.6")
TITLES: dict[str, str] = {
    "CloudWatch.1": 'A log metric filter and alarm should exist for usage of the "root" user',
    "CloudWatch.3": "A log metric filter and alarm should exist for Management Console sign-in without MFA",
    "CloudWatch.6": "A log metric filter and alarm should exist for AWS Management Console authentication failures",
}
#: A subscription whose confirmation is pending lists this instead of an ARN.
#: https://docs.aws.amazon.com/sns/latest/api/API_Subscription.html
PENDING = "PendingConfirmation"
#: Markers `collect` leaves in AccountState.subscriptions when a topic cannot be listed.
DENIED = "denied"
NOT_FOUND = "not-found"
_DENIED_CODES = {"AuthorizationError", "AccessDenied", "AccessDeniedException"}


# -- what each control means to catch ---------------------------------------------------------
def _get(record: Record, *path: str) -> Any:
    value: Any = record
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def _root_usage(r: Record) -> bool:
    """The root user acted itself: identity Root, not an AWS service acting for it."""
    return (
        _get(r, "userIdentity", "type") == "Root"
        and _get(r, "userIdentity", "invokedBy") is None
        and r.get("eventType") != "AwsServiceEvent"
    )


def _signin_without_mfa(r: Record) -> bool:
    """A successful console sign-in with a password and no MFA, by an IAM user or the root user.

    Federated users (AssumedRole) authenticate at their identity provider, so CloudTrail's
    MFAUsed says nothing about them. MFAUsed is compared without case: AWS's older root example
    writes "YES".
    """
    return (
        r.get("eventName") == "ConsoleLogin"
        and _get(r, "responseElements", "ConsoleLogin") == "Success"
        and _get(r, "userIdentity", "type") in ("IAMUser", "Root")
        and str(_get(r, "additionalEventData", "MFAUsed") or "").lower() != "yes"
    )


def _authentication_failure(r: Record) -> bool:
    """Any failed console sign-in, whatever the reason (wrong password or unknown user name)."""
    return r.get("eventName") == "ConsoleLogin" and _get(r, "responseElements", "ConsoleLogin") == "Failure"


#: What each control is for, as a predicate over one CloudTrail record (the semantic verdict).
#: Sources: the control titles above; record fields from
#: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-aws-console-sign-in-events.html
INTENTS: dict[str, Callable[[Record], bool]] = {
    "CloudWatch.1": _root_usage,
    "CloudWatch.3": _signin_without_mfa,
    "CloudWatch.6": _authentication_failure,
}


@dataclass(frozen=True)
class Scenario:
    """One named CloudTrail record the semantic verdict runs the filters over."""

    name: str
    record: Record
    source: str


def scenarios() -> list[Scenario]:
    """AWS's documented example records, then the kit's own sign-in scenarios (fixed time)."""
    from datetime import UTC, datetime

    from signin_lab.events import samples

    out = [
        Scenario(e["scenario"], e["record"], e.get("source", "")) for e in samples.aws_example_entries()
    ]
    t = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
    login = samples.console_login
    kit = "signin_lab.events.samples.console_login"
    out += [
        Scenario("kit: IAM user, failed sign-in (wrong password)", login("failure", "iam", t), kit),
        Scenario("kit: IAM user, failed sign-in (unknown user name)", login("failure", "iam", t, unknown_user=True), kit),
        Scenario("kit: IAM user, sign-in without MFA", login("success", "iam", t), kit),
        Scenario("kit: IAM user, sign-in with MFA", login("success", "iam", t, mfa=True), kit),
        Scenario("kit: root user, failed sign-in", login("failure", "root", t), kit),
        Scenario("kit: root user, sign-in without MFA", login("success", "root", t), kit),
        Scenario("kit: root user, sign-in with MFA", login("success", "root", t, mfa=True), kit),
    ]
    return out


# -- the account's configuration, read once ---------------------------------------------------
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


def _arn_parts(arn: str) -> tuple[str, str, str, str]:
    """(service, region, account, resource) of an ARN; SigninLabError when it is not one."""
    parts = arn.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn":
        raise SigninLabError(f"not an ARN: {arn!r}")
    return parts[2], parts[3], parts[4], parts[5]


def log_group_name(arn: str) -> str:
    """The log group name in a trail's CloudWatchLogsLogGroupArn (`...:log-group:NAME:*`)."""
    service, _, _, resource = _arn_parts(arn)
    if service != "logs" or not resource.startswith("log-group:"):
        raise SigninLabError(f"not a CloudWatch Logs log group ARN: {arn!r}")
    name = resource[len("log-group:"):]
    return name.removesuffix(":*")


def collect(lab: Lab, region: str | None = None) -> AccountState:
    """Read trails, their log groups' metric filters, alarms and the alarms' topics from `lab`.

    `region` is the Region Security Hub evaluates in (default: the lab's).
    """
    where = region or lab.region
    cfg = lab.config
    state = AccountState(region=where, account_id=cfg.account_id)
    ct = lab.client("cloudtrail", where)
    for trail in ct.describe_trails(includeShadowTrails=True)["trailList"]:
        trail = dict(trail)
        owner = _arn_parts(trail["TrailARN"])[2] if trail.get("TrailARN") else cfg.account_id
        # Another account's trail (an organization trail) is not ours to query: evaluate() warns.
        if trail.get("HomeRegion") == where and owner == cfg.account_id:
            name = trail.get("TrailARN") or trail["Name"]
            trail["_status"] = ct.get_trail_status(Name=name)
            trail["_selectors"] = ct.get_event_selectors(TrailName=name)
            arn = trail.get("CloudWatchLogsLogGroupArn")
            if arn:
                state.metric_filters.setdefault(log_group_name(arn), None)
        state.trails.append(trail)
    logs = lab.client("logs", where)
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
        groups = logs.describe_log_groups(logGroupNamePrefix=group).get("logGroups", [])
        if any(g["logGroupName"] == group for g in groups):
            state.metric_filters[group] = filters
    cw = lab.client("cloudwatch", where)
    for page in cw.get_paginator("describe_alarms").paginate(AlarmTypes=["MetricAlarm"]):
        state.alarms.extend(page["MetricAlarms"])
    sns = lab.client("sns", where)
    for alarm in state.alarms:
        for action in alarm.get("AlarmActions", []):
            if not action.startswith("arn:") or action in state.subscriptions:
                continue
            service, topic_region, account, _ = _arn_parts(action)
            if service != "sns" or topic_region != where or account != state.account_id:
                continue  # another Region or account: evaluate() says so, as Security Hub does
            state.subscriptions[action] = _list_subscriptions(sns, action)
    return state


def _list_subscriptions(sns: Any, topic_arn: str) -> list[Record] | str:
    out: list[Record] = []
    token: str | None = None
    while True:
        try:
            kwargs = {"TopicArn": topic_arn, **({"NextToken": token} if token else {})}
            page = sns.list_subscriptions_by_topic(**kwargs)
        except Exception as exc:
            code = error_code(exc)
            if code in _DENIED_CODES:
                return DENIED
            if code == "NotFound":
                return NOT_FOUND
            raise
        out.extend(page.get("Subscriptions", []))
        token = page.get("NextToken")
        if not token:
            return out


# -- the findings -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Finding:
    """One control's verdicts: Security Hub's (`status`, `reason`) and the semantic one (`caught`, `missed`)."""

    control: str
    title: str
    status: Status
    reason: str
    reason_code: ReasonCode | None
    trail: str | None = None
    log_group: str | None = None
    metric_filter: str | None = None
    alarm: str | None = None
    topic: str | None = None
    #: scenario names the control means to catch ...
    intended: tuple[str, ...] = ()
    #: ... that some metric filter on the trail's log group matches, and that none does
    caught: tuple[str, ...] = ()
    missed: tuple[str, ...] = ()
    #: intended scenario -> the filters on the log group that match it
    caught_by: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: intended scenarios the exact CIS pattern itself misses, deployed or not
    cis_pattern_misses: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        return self.status == "PASSED"

    def frame(self) -> pd.DataFrame:
        """The semantic verdict as a table: one row per intended scenario, which filters catch it."""
        import pandas as pd

        rows = [
            (s, s in self.caught, ", ".join(self.caught_by.get(s, ())), s not in self.cis_pattern_misses)
            for s in self.intended
        ]
        return pd.DataFrame(rows, columns=["scenario", "caught", "caught_by", "cis_pattern_catches"])


class Findings(list[Finding]):
    """The findings of `check`, in control order, with a table view for notebooks."""

    @property
    def failed(self) -> list[Finding]:
        return [f for f in self if f.status == "FAILED"]

    def frame(self) -> pd.DataFrame:
        """One row per control: status, reason code, reason, and the semantic counts."""
        import pandas as pd

        rows = [
            (f.control, f.status, f.reason_code or "", f.reason, len(f.caught), len(f.intended), ", ".join(f.missed))
            for f in self
        ]
        return pd.DataFrame(
            rows, columns=["control", "status", "reason_code", "reason", "caught", "intended", "missed"]
        )


@dataclass(frozen=True)
class _Outcome:
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


def _chain(state: AccountState, control: str, trail: Record) -> _Outcome:
    """Follow one qualifying trail down to a confirmed SNS subscription."""
    wanted = CIS_PATTERNS[control]
    name = trail["Name"]
    group = log_group_name(trail["CloudWatchLogsLogGroupArn"])
    where = f"trail {name!r} -> log group {group!r}"
    filters = state.metric_filters.get(group)
    if filters is None:
        return _Outcome("FAILED", "CLOUDTRAIL_METRIC_FILTERS_NOT_PRESENT", f"{where}: the log group does not exist", 1, name, group)
    if not filters:
        return _Outcome("FAILED", "CLOUDTRAIL_METRIC_FILTERS_NOT_PRESENT", f"{where}: the log group has no metric filters", 1, name, group)
    exact = [f for f in filters if f.get("filterPattern") == wanted]
    if not exact:
        near = [f["filterName"] for f in filters if _squash(f.get("filterPattern", "")) == _squash(wanted)]
        hint = (
            f"; {', '.join(near)} differ(s) from it only in whitespace, which Security Hub does not accept"
            if near else ""
        )
        names = ", ".join(sorted(f["filterName"] for f in filters))
        return _Outcome(
            "FAILED", "CLOUDTRAIL_METRIC_FILTER_NOT_VALID",
            f"{where}: none of its {len(filters)} metric filters ({names}) has the exact CIS pattern {wanted}{hint}",
            2, name, group,
        )
    best: _Outcome | None = None
    for f in exact:
        for t in f.get("metricTransformations", []):
            metric = (t.get("metricNamespace"), t.get("metricName"))
            here = f"{where} -> metric filter {f['filterName']!r} (exact CIS pattern) -> metric {metric[0]}/{metric[1]}"
            alarms = [a for a in state.alarms if (a.get("Namespace"), a.get("MetricName")) == metric]
            if not alarms:
                out = _Outcome("FAILED", "CLOUDWATCH_ALARMS_NOT_PRESENT", f"{here}: no alarm on this metric", 3, name, group, f["filterName"])
                best = _better(best, out)
                continue
            for alarm in alarms:
                best = _better(best, _alarm(state, alarm, here, name, group, f["filterName"]))
    assert best is not None  # an exact filter always has at least one transformation
    return best


def _alarm(state: AccountState, alarm: Record, here: str, trail: str, group: str, flt: str) -> _Outcome:
    aname = alarm["AlarmName"]
    here = f"{here} -> alarm {aname!r}"
    topics = [a for a in alarm.get("AlarmActions", []) if a.startswith("arn:") and _arn_parts(a)[0] == "sns"]
    if not topics:
        return _Outcome("FAILED", "CLOUDWATCH_ALARM_ACTIONS_NOT_VALID", f"{here}: no SNS topic in its alarm actions", 4, trail, group, flt, aname)
    note = "" if alarm.get("ActionsEnabled", True) else (
        " (note: its ActionsEnabled is false, so it notifies no one; Security Hub's documented check does not look at this)"
    )
    best: _Outcome | None = None
    for topic in topics:
        _, region, account, _ = _arn_parts(topic)
        there = f"{here} -> topic {topic}"
        subs = state.subscriptions.get(topic)
        if region != state.region or account != state.account_id:
            out = _Outcome("WARNING", "SNS_TOPIC_CROSS_ACCOUNT_CROSS_REGION", f"{there}: the topic is in another Region or account, which the check does not follow{note}", 5, trail, group, flt, aname, topic)
        elif subs == DENIED:
            out = _Outcome("WARNING", "SNS_TOPIC_CROSS_ACCOUNT", f"{there}: ListSubscriptionsByTopic was denied, so its subscribers cannot be checked{note}", 5, trail, group, flt, aname, topic)
        elif subs is None or subs == NOT_FOUND:
            out = _Outcome("FAILED", "SNS_TOPIC_INVALID", f"{there}: the topic does not exist", 5, trail, group, flt, aname, topic)
        else:
            assert isinstance(subs, list)
            confirmed = [s for s in subs if str(s.get("SubscriptionArn", "")).startswith("arn:")]
            pending = sum(1 for s in subs if s.get("SubscriptionArn") == PENDING)
            if confirmed:
                out = _Outcome("PASSED", None, f"{there} with {len(confirmed)} confirmed subscription(s){note}", 7, trail, group, flt, aname, topic)
            else:
                extra = f" ({pending} pending confirmation, which do not count)" if pending else ""
                out = _Outcome("FAILED", "SNS_SUBSCRIPTION_NOT_PRESENT", f"{there}: no confirmed subscription{extra}{note}", 6, trail, group, flt, aname, topic)
        best = _better(best, out)
    assert best is not None
    return best


def _better(a: _Outcome | None, b: _Outcome) -> _Outcome:
    if a is None:
        return b
    return b if (_RANK[b.status], b.depth) > (_RANK[a.status], a.depth) else a


def _own_arn(state: AccountState, trail: Record) -> str:
    return f"arn:aws:cloudtrail:{state.region}:{state.account_id}:trail/{trail['Name']}"


def _security_hub(state: AccountState, control: str) -> _Outcome:
    if not state.trails:
        return _Outcome("FAILED", "CLOUDTRAIL_MULTI_REGION_NOT_PRESENT", f"no CloudTrail trail in {state.region}", 0)
    home = [t for t in state.trails if t.get("HomeRegion") == state.region]
    elsewhere = [t for t in state.trails if t.get("HomeRegion") != state.region and t.get("IsMultiRegionTrail")]
    foreign_owner = [t for t in home if _arn_parts(t.get("TrailARN") or _own_arn(state, t))[2] != state.account_id]
    qualifying = [t for t in home if t not in foreign_owner and not _trail_problems(t)]
    if not qualifying:
        if elsewhere or foreign_owner:
            names = ", ".join(f"{t['Name']} (home {t.get('HomeRegion')})" for t in elsewhere + foreign_owner)
            return _Outcome(
                "WARNING", "CLOUDTRAIL_REGION_INVAILD",
                f"the multi-Region trail(s) {names} are based in another Region or account; "
                f"Security Hub checks them there, not in {state.region}", 0,
            )
        why = "; ".join(f"trail {t['Name']!r}: {', '.join(_trail_problems(t))}" for t in home)
        return _Outcome(
            "FAILED", "CLOUDTRAIL_MULTI_REGION_NOT_PRESENT",
            f"no multi-Region trail that is logging all management events to CloudWatch Logs ({why})", 0,
        )
    best: _Outcome | None = None
    for trail in qualifying:
        best = _better(best, _chain(state, control, trail))
    assert best is not None
    return best


def _semantic(
    state: AccountState, control: str, cases: Sequence[Scenario], compiled: dict[str, Any]
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], dict[str, tuple[str, ...]], tuple[str, ...], list[str]]:
    """(intended, caught, missed, caught_by, cis_pattern_misses, notes) for one control."""
    intent = INTENTS[control]
    intended = [c for c in cases if intent(c.record)]
    filters = [
        (group, f) for group, fs in sorted(state.metric_filters.items()) for f in (fs or [])
    ]
    notes: list[str] = []
    caught_by: dict[str, tuple[str, ...]] = {}
    for case in intended:
        hits = []
        for group, f in filters:
            fp = compiled.get(f.get("filterPattern", ""))
            if fp is None:
                continue
            if fp.matches_event(case.record):
                hits.append(f["filterName"] if len(state.metric_filters) == 1 else f"{group}:{f['filterName']}")
        if hits:
            caught_by[case.name] = tuple(hits)
    for group, f in filters:
        if compiled.get(f.get("filterPattern", "")) is None:
            notes.append(f"metric filter {f['filterName']!r} on {group!r} has a pattern the kit cannot parse; it was not run")
    if not filters:
        notes.append(f"no metric filter on a log group fed by a trail based in {state.region}: nothing is caught")
    cis = compiled[CIS_PATTERNS[control]]
    cis_misses = tuple(c.name for c in intended if not cis.matches_event(c.record))
    names = tuple(c.name for c in intended)
    caught = tuple(n for n in names if n in caught_by)
    missed = tuple(n for n in names if n not in caught_by)
    return names, caught, missed, caught_by, cis_misses, notes


def _compile_all(state: AccountState) -> dict[str, Any]:
    from signin_lab.filterpattern import FilterPattern, FilterPatternError

    out: dict[str, Any] = {}
    patterns = set(CIS_PATTERNS.values())
    patterns.update(f.get("filterPattern", "") for fs in state.metric_filters.values() for f in (fs or []))
    for p in patterns:
        try:
            out[p] = FilterPattern(p)
        except FilterPatternError:
            out[p] = None
    return out


def evaluate(state: AccountState, cases: Iterable[Scenario] | None = None) -> Findings:
    """Both verdicts for CloudWatch.1, .3 and .6 from an AccountState (pure: no AWS calls)."""
    cases = list(scenarios() if cases is None else cases)
    compiled = _compile_all(state)
    out = Findings()
    for control in CONTROLS:
        sh = _security_hub(state, control)
        intended, caught, missed, caught_by, cis_misses, notes = _semantic(state, control, cases, compiled)
        reason = sh.reason
        if missed and not caught_by and not any(state.metric_filters.values()):
            reason += (
                f". Semantically: no metric filter on a log group fed by a trail based in {state.region}, "
                f"so none of the {len(intended)} events this control is about is counted here"
            )
        elif missed:
            reason += (
                f". Semantically, the filters on the log group miss {len(missed)} of the {len(intended)} "
                f"events this control is about: {'; '.join(missed)}"
            )
        out.append(
            Finding(
                control=control, title=TITLES[control], status=sh.status, reason=reason, reason_code=sh.code,
                trail=sh.trail, log_group=sh.log_group, metric_filter=sh.metric_filter, alarm=sh.alarm,
                topic=sh.topic, intended=intended, caught=caught, missed=missed, caught_by=caught_by,
                cis_pattern_misses=cis_misses, notes=tuple(notes),
            )
        )
    return out


def check(lab: Lab, region: str | None = None) -> Findings:
    """Security Hub's CIS sign-in controls CloudWatch.1, .3 and .6 on `lab`, with the semantic verdict.

    `region`: the Region to evaluate in (default the lab's); Security Hub evaluates each Region
    on its own. https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html
    """
    return evaluate(collect(lab, region))


__all__ = [
    "CIS_NAMES",
    "CONTROLS",
    "AccountState",
    "Finding",
    "Findings",
    "Scenario",
    "check",
    "collect",
    "evaluate",
    "scenarios",
]
