"""Pattern against reality: run an alert's filter pattern over the sign-in records it is for.

The records are AWS's documented ConsoleLogin examples (signin_lab/data/console_login_examples.json,
from https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-aws-console-sign-in-events.html)
and, when given, the user's own records. "The records it is for" is decided without any filter
pattern: the blog's alerts by eventName, userIdentity.type and responseElements.ConsoleLogin
(the values CloudTrail writes, signin_lab.config.IDENTITY_TYPE / CONSOLE_LOGIN), the CIS alerts
by `signin_lab.compliance.INTENTS`. A pattern that matches none of them is BROKEN; one that
misses some is AT RISK. The nearest record (fewest failing conditions) and the condition that
fails on it are named, e.g. `$.userIdentity.type = "root"` against CloudTrail's "Root".
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from signin_lab.config import CONSOLE_LOGIN, IDENTITY_TYPE, Alert
from signin_lab.doctor.model import Status
from signin_lab.filterpattern import FilterPattern, FilterPatternError, nodes
from signin_lab.filterpattern.evaluator import compile_json

Record = dict[str, Any]
Intent = Callable[[Record], bool]


@dataclass(frozen=True)
class Sample:
    """One record with a label saying where it comes from."""

    label: str
    record: Record


@dataclass(frozen=True)
class PatternVerdict:
    """How a pattern fares on the records of its alert's kind."""

    status: Status
    read: str
    kind: tuple[Sample, ...] = ()  # the records of the alert's kind the pattern was run over
    hits: tuple[bool, ...] = ()  # whether the pattern matches each of them


def intent(alert: Alert) -> Intent | None:
    """What the alert is for, as a predicate over a CloudTrail record; None when unknown."""
    if alert.cis_control:
        from signin_lab.compliance import INTENTS

        return INTENTS.get(alert.cis_control)
    outcome, _, user_type = alert.key.partition("-")
    if outcome not in CONSOLE_LOGIN or user_type not in IDENTITY_TYPE:
        return None
    identity, result = IDENTITY_TYPE[user_type], CONSOLE_LOGIN[outcome]

    def wanted(r: Record) -> bool:
        return (
            r.get("eventName") == "ConsoleLogin"
            and (r.get("userIdentity") or {}).get("type") == identity
            and (r.get("responseElements") or {}).get("ConsoleLogin") == result
        )

    return wanted


def documented_samples() -> list[Sample]:
    """AWS's documented sign-in example records, labelled with their scenario."""
    from signin_lab.events import samples

    return [Sample(f"AWS example '{e['scenario']}'", e["record"]) for e in samples.aws_example_entries()]


def user_samples(records: Iterable[Record]) -> list[Sample]:
    """The user's records, labelled by position and eventID."""
    return [
        Sample(f"your record #{i} (eventID {r.get('eventID', '?')})", r) for i, r in enumerate(records, 1)
    ]


def judge(alert: Alert, pattern: str, samples: list[Sample]) -> PatternVerdict:
    """Run `pattern` over the samples the alert is for; say how many match and what differs."""
    want = intent(alert)
    if want is None:
        return PatternVerdict("UNKNOWN", f"no record kind is known for alert {alert.key!r}: nothing to test against")
    try:
        fp = FilterPattern(pattern)
    except FilterPatternError as exc:
        return PatternVerdict("BROKEN", f"pattern does not compile: {str(exc).splitlines()[0]}")
    kind = [s for s in samples if want(s.record)]
    if not kind:
        return PatternVerdict(
            "UNKNOWN", f"none of the {len(samples)} records is of the kind alert {alert.key!r} is for"
        )
    hits = tuple(fp.matches(json.dumps(s.record)) for s in kind)
    missed = [s for s, hit in zip(kind, hits, strict=True) if not hit]
    head = f"pattern {pattern} matches {sum(hits)} of {len(kind)} {alert.key} records"
    if not missed:
        return PatternVerdict("OK", head, tuple(kind), hits)
    nearest, why = _nearest(fp, missed)
    return PatternVerdict(
        status_for(sum(hits), len(kind)), f"{head}; nearest miss: {nearest.label}: {why}", tuple(kind), hits
    )


def status_for(matched: int, total: int) -> Status:
    """OK when every record of the kind matches, BROKEN when none does, else AT RISK."""
    if matched == total:
        return "OK"
    return "BROKEN" if matched == 0 else "AT RISK"


def _leaves(expr: nodes.Expr) -> list[nodes.Expr]:
    """The conditions that must all hold: the items of a top-level &&, else the expression."""
    if isinstance(expr, nodes.And):
        out: list[nodes.Expr] = []
        for item in expr.items:
            out.extend(_leaves(item))
        return out
    return [expr]


def _value_at(record: Record, selector: nodes.Selector) -> tuple[bool, Any]:
    value: Any = record
    for seg in selector.segments:
        if isinstance(seg, nodes.Key) and isinstance(value, dict) and seg.name in value:
            value = value[seg.name]
        elif isinstance(seg, nodes.Index) and isinstance(value, list) and -len(value) <= seg.index < len(value):
            value = value[seg.index]
        else:
            return False, None
    return True, value


def _explain(leaf: nodes.Expr, record: Record) -> str:
    target = getattr(leaf, "target", None)
    if not isinstance(target, nodes.Selector) or target.wildcards:
        return f"condition `{_text(leaf)}` is false"
    found, value = _value_at(record, target)
    if not found:
        return f"condition `{_text(leaf)}` is false: the record has no field {target.text}"
    return f"condition `{_text(leaf)}` is false: the record has {target.text} = {json.dumps(value)}"


def _text(leaf: nodes.Expr) -> str:
    if isinstance(leaf, (nodes.And, nodes.Or)):
        joiner = " && " if isinstance(leaf, nodes.And) else " || "
        return "(" + joiner.join(_text(i) for i in leaf.items) + ")"
    return str(leaf)


def _nearest(fp: FilterPattern, missed: list[Sample]) -> tuple[Sample, str]:
    """The missed record with the fewest failing conditions, and those conditions explained."""
    tree = fp.tree
    if not isinstance(tree, nodes.JsonPattern):
        return missed[0], f"the {fp.kind} pattern does not match its text"
    leaves = [(leaf, compile_json(leaf)) for leaf in _leaves(tree.expr)]
    best: tuple[int, int, list[nodes.Expr]] | None = None
    for i, s in enumerate(missed):
        failing = [leaf for leaf, test in leaves if not test(s.record)]
        if best is None or len(failing) < len(best[2]):
            best = (i, len(failing), failing)
    assert best is not None
    sample = missed[best[0]]
    return sample, "; ".join(_explain(leaf, sample.record) for leaf in best[2]) or "no single condition fails"
