"""Every worked example of AWS's filter-pattern documentation, read from tests/conformance/*.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import orjson
import pytest

from signin_lab.filterpattern import FilterPattern, FilterPatternError

HERE = Path(__file__).parent / "conformance"
MATCH_FILES = ("terms.json", "json.json", "space_delimited.json", "regex.json")


def _load(name: str) -> dict[str, Any]:
    return json.loads((HERE / name).read_text(encoding="utf-8"))


def _message(event: Any) -> str:
    """A given event as the raw log message: strings as they are, JSON on one line."""
    return event if isinstance(event, str) else orjson.dumps(event).decode()


def _cases(name: str) -> list[Any]:
    out = []
    for g, group in enumerate(_load(name)["groups"]):
        for c, case in enumerate(group["cases"]):
            out.append(pytest.param(group, case, id=f"{name[:-5]}-{g}.{c}-{case['pattern'][:40]}"))
    return out


MATCH_CASES = [p for name in MATCH_FILES for p in _cases(name)]


@pytest.mark.parametrize(("group", "case"), MATCH_CASES)
def test_documented_matches(group: dict[str, Any], case: dict[str, Any]) -> None:
    """The pattern matches exactly the documented events of its group."""
    fp = FilterPattern(case["pattern"])
    found = [i for i, event in enumerate(group["given"]) if fp.matches(_message(event))]
    assert case["matches"] == found, group["source"]


@pytest.mark.parametrize(("group", "case"), MATCH_CASES)
def test_documented_matches_on_parsed_events(group: dict[str, Any], case: dict[str, Any]) -> None:
    """matches_event on the parsed event agrees with matches on its text."""
    fp = FilterPattern(case["pattern"])
    found = [
        i for i, event in enumerate(group["given"])
        if (fp.matches_event(event) if isinstance(event, dict) else fp.matches(event))
    ]
    assert case["matches"] == found


@pytest.mark.parametrize(
    ("group", "case"), [p for p in MATCH_CASES if "extracted" in p.values[1]]
)
def test_documented_extracted_values(group: dict[str, Any], case: dict[str, Any]) -> None:
    """TestMetricFilter's extractedValues are the documented ones, eventNumber counting from 1."""
    fp = FilterPattern(case["pattern"])
    messages = [_message(e) for e in group["given"]]
    result = fp.test(messages)
    got = {str(m["eventNumber"] - 1): m["extractedValues"] for m in result["matches"]}
    want = case["extracted"]
    assert want == {k: got[k] for k in want}


ERROR_CASES = [
    pytest.param(group, case, id=f"errors-{g}.{c}-{case['pattern'][:40]}")
    for g, group in enumerate(_load("errors.json")["groups"])
    for c, case in enumerate(group["cases"])
]


@pytest.mark.parametrize(("group", "case"), ERROR_CASES)
def test_documented_errors(group: dict[str, Any], case: dict[str, Any]) -> None:
    """An invalid pattern raises FilterPatternError of the documented kind at the column."""
    with pytest.raises(FilterPatternError) as info:
        FilterPattern(case["pattern"])
    assert (case["error"], case["column"]) == (info.value.kind, info.value.column), str(info.value)


@pytest.mark.parametrize("pattern", _load("errors.json")["valid"])
def test_valid_patterns_compile(pattern: str) -> None:
    """Patterns at the edge of the limits still compile."""
    assert pattern == FilterPattern(pattern).pattern


METRIC_CASES = [
    pytest.param(group, case, id=f"metric-{g}.{c}")
    for g, group in enumerate(_load("metric_values.json")["groups"])
    for c, case in enumerate(group["cases"])
]


@pytest.mark.parametrize(("group", "case"), METRIC_CASES)
def test_documented_metric_values(group: dict[str, Any], case: dict[str, Any]) -> None:
    """The metric value published for each event is the documented one (None: no datapoint)."""
    fp = FilterPattern(case["pattern"])
    got = [fp.metric_value(m, case["metric_value"]) for m in group["given"]]
    assert case["values"] == got


def test_every_group_names_its_source() -> None:
    """Each conformance group says which AWS page (or documented decision) it comes from."""
    names = (*MATCH_FILES, "errors.json", "metric_values.json")
    missing = [n for n in names for g in _load(n)["groups"] if not g.get("source")]
    assert [] == missing
