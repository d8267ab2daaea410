"""The semantic verdict: what each control means to catch, and which metric filters really catch it.

"Means to catch" is written as plain Python over the record, independent of any filter pattern
(`INTENTS`); sign-in records are read through the typed `ConsoleLogin` view. Every metric filter
pattern on the trail's log group is run (with `signin_lab.filterpattern`) over AWS's example
records and the kit's scenarios (`scenarios()`), and the finding says which intended events are
caught and which are missed, and what the exact CIS pattern alone misses (a failed sign-in with a
wrong user name is not "Failed authentication").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from signin_lab.config import CIS_PATTERNS
from signin_lab.events.signin import ConsoleLogin, is_console_login

if TYPE_CHECKING:  # pragma: no cover
    from signin_lab.compliance.collect import AccountState

Record = dict[str, Any]


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
    MFAUsed says nothing about them. MFAUsed is read by `ConsoleLogin` without case (AWS's older
    root example writes "YES"); a sign-in that does not say counts as without MFA.
    """
    if not is_console_login(r):
        return False
    login = ConsoleLogin.parse(r)
    return login.succeeded and login.user_type in ("IAMUser", "Root") and login.mfa_used is not True


def _authentication_failure(r: Record) -> bool:
    """Any failed console sign-in, whatever the reason (wrong password or unknown user name)."""
    return is_console_login(r) and ConsoleLogin.parse(r).outcome == "Failure"


#: What each control is for, as a predicate over one CloudTrail record (the semantic verdict).
#: Sources: the control titles (securityhub.TITLES); record fields from
#: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-aws-console-sign-in-events.html
INTENTS: dict[str, Callable[[Record], bool]] = {
    "CloudWatch.1": _root_usage,
    "CloudWatch.3": _signin_without_mfa,
    "CloudWatch.6": _authentication_failure,
}


@dataclass(frozen=True)
class ControlScenario:
    """One named CloudTrail record the semantic verdict runs the filters over (was `Scenario`)."""

    name: str
    record: Record
    source: str


def scenarios() -> list[ControlScenario]:
    """AWS's documented example records, then the kit's own sign-in scenarios (fixed time)."""
    from datetime import UTC, datetime

    from signin_lab.events import samples

    out = [
        ControlScenario(e["scenario"], e["record"], e.get("source", ""))
        for e in samples.aws_example_entries()
    ]
    t = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
    login = samples.console_login
    kit = "signin_lab.events.samples.console_login"
    case = ControlScenario
    out += [
        case("kit: IAM user, failed sign-in (wrong password)", login("failure", "iam", t), kit),
        case("kit: IAM user, failed sign-in (unknown user name)", login("failure", "iam", t, unknown_user=True), kit),
        case("kit: IAM user, sign-in without MFA", login("success", "iam", t), kit),
        case("kit: IAM user, sign-in with MFA", login("success", "iam", t, mfa=True), kit),
        case("kit: root user, failed sign-in", login("failure", "root", t), kit),
        case("kit: root user, sign-in without MFA", login("success", "root", t), kit),
        case("kit: root user, sign-in with MFA", login("success", "root", t, mfa=True), kit),
    ]
    return out


def semantic_verdict(
    state: AccountState, control: str, cases: Sequence[ControlScenario], compiled: dict[str, Any]
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
            notes.append(
                f"metric filter {f['filterName']!r} on {group!r} has a pattern the kit cannot parse; it was not run"
            )
    if not filters:
        notes.append(f"no metric filter on a log group fed by a trail based in {state.region}: nothing is caught")
    cis = compiled[CIS_PATTERNS[control]]
    cis_misses = tuple(c.name for c in intended if not cis.matches_event(c.record))
    names = tuple(c.name for c in intended)
    caught = tuple(n for n in names if n in caught_by)
    missed = tuple(n for n in names if n not in caught_by)
    return names, caught, missed, caught_by, cis_misses, notes


def compile_patterns(state: AccountState) -> dict[str, Any]:
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


__all__ = ["INTENTS", "ControlScenario", "compile_patterns", "scenarios", "semantic_verdict"]
