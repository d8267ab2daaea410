"""Every worked example of AWS's event-pattern documentation, read from tests/conformance/eventpattern_*.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from signin_lab.eventpattern import EventPattern, EventPatternError
from signin_lab.eventpattern.matchers import loads

HERE = Path(__file__).parent / "conformance"


def _load(name: str) -> dict[str, Any]:
    return json.loads((HERE / name).read_text(encoding="utf-8"))


def _event(given: Any) -> Any:
    """A given event: objects as they are, JSON text parsed keeping each number's spelling."""
    return loads(given) if isinstance(given, str) else given


def _text(pattern: Any) -> str:
    return pattern if isinstance(pattern, str) else json.dumps(pattern)


MATCH_CASES = [
    pytest.param(group, case, id=f"matching-{g}.{c}-{_text(case['pattern'])[:50]}")
    for g, group in enumerate(_load("eventpattern_matching.json")["groups"])
    for c, case in enumerate(group["cases"])
]


@pytest.mark.parametrize(("group", "case"), MATCH_CASES)
def test_documented_matches(group: dict[str, Any], case: dict[str, Any]) -> None:
    """The pattern matches exactly the documented events of its group."""
    ep = EventPattern(case["pattern"])
    found = [i for i, event in enumerate(group["given"]) if ep.matches(_event(event))]
    assert case["matches"] == found, group["source"]


@pytest.mark.parametrize(("group", "case"), MATCH_CASES)
def test_documented_matches_from_text(group: dict[str, Any], case: dict[str, Any]) -> None:
    """The pattern given as JSON text (as PutRule takes it) matches the same events."""
    ep = EventPattern(_text(case["pattern"]))
    found = [i for i, event in enumerate(group["given"]) if ep.matches(_event(event))]
    assert case["matches"] == found


ERROR_CASES = [
    pytest.param(group, case, id=f"errors-{g}.{c}-{str(case['pattern'])[:50]}")
    for g, group in enumerate(_load("eventpattern_errors.json")["groups"])
    for c, case in enumerate(group["cases"])
]


@pytest.mark.parametrize(("group", "case"), ERROR_CASES)
def test_documented_errors(group: dict[str, Any], case: dict[str, Any]) -> None:
    """An invalid pattern raises EventPatternError with the kind, JSON path and reason AWS gives."""
    with pytest.raises(EventPatternError) as info:
        EventPattern(case["pattern"])
    got = (info.value.kind, info.value.path, info.value.reason)
    assert (case["kind"], case["path"], case["reason"]) == got


@pytest.mark.parametrize("pattern", _load("eventpattern_errors.json")["valid"])
def test_valid_patterns_compile(pattern: Any) -> None:
    """Patterns at the edge of the rules still compile."""
    assert EventPattern(pattern).tree is not None


def test_every_group_names_its_source() -> None:
    """Each conformance group says which AWS page (or documented decision) it comes from."""
    names = sorted(p.name for p in HERE.glob("eventpattern_*.json"))
    missing = [n for n in names for g in _load(n)["groups"] if not g.get("source")]
    assert [] == missing


def test_every_group_starts_with_an_aws_page() -> None:
    """Each group's source opens with the AWS documentation page it comes from."""
    names = sorted(p.name for p in HERE.glob("eventpattern_*.json"))
    groups = [g for n in names for key in ("groups", "errors") for g in _load(n).get(key, [])]
    assert [] == [g["source"][:60] for g in groups
                  if not g["source"].startswith("https://docs.aws.amazon.com/")]
