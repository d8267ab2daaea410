"""The input transformer: AWS's documented examples (tests/conformance/eventpattern_transform.json) and its rules."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from signin_lab import SigninLabError
from signin_lab.eventpattern import InputTransformerError, transform

DATA = json.loads((Path(__file__).parent / "conformance" / "eventpattern_transform.json")
                  .read_text(encoding="utf-8"))

CASES = [
    pytest.param(group, case, id=f"transform-{g}.{c}")
    for g, group in enumerate(DATA["groups"]) for c, case in enumerate(group["cases"])
]
ERRORS = [
    pytest.param(group, case, id=f"transform-error-{g}.{c}")
    for g, group in enumerate(DATA["errors"]) for c, case in enumerate(group["cases"])
]
EVENT = DATA["groups"][0]["event"]


@pytest.mark.parametrize(("group", "case"), CASES)
def test_documented_outputs(group: dict[str, Any], case: dict[str, Any]) -> None:
    """Each documented template gives the documented output for the documented event."""
    out = transform(group["input_paths_map"], case["template"], group["event"],
                    rule_name=group["rule_name"], rule_arn=group.get("rule_arn"),
                    ingestion_time=group.get("ingestion_time"))
    if "output_json" in case:
        assert case["output_json"] == json.loads(out)
    elif case.get("compare") == "json":
        assert json.loads(case["output"]) == json.loads(out)
    else:
        assert case["output"] == out


def test_json_template_keeps_its_layout() -> None:
    """A JSON template's spacing is kept, as the page's 'Simple JSON' row shows."""
    out = transform({"i": "$.detail.instance-id"}, '{\n  "instance" : <i>\n}', EVENT)
    assert '{\n  "instance" : "i-0123456789"\n}' == out


@pytest.mark.parametrize(("group", "case"), ERRORS)
def test_documented_errors(group: dict[str, Any], case: dict[str, Any]) -> None:
    """A transformer PutTargets refuses raises InputTransformerError naming the place."""
    with pytest.raises(InputTransformerError) as info:
        transform(case["input_paths_map"], case["template"], EVENT)
    assert case["where"] == info.value.where, str(info.value)


def test_error_is_signin_lab_error() -> None:
    """InputTransformerError is a SigninLabError and a ValueError with a one-line message."""
    err = InputTransformerError("bad", "InputTemplate column 3")
    assert (True, True, "invalid input transformer at InputTemplate column 3: bad") == (
        isinstance(err, SigninLabError), isinstance(err, ValueError), str(err))


def test_missing_path_in_string_is_empty() -> None:
    """A variable whose path is missing from the event leaves nothing inside a string."""
    assert '"user: "' == transform({"u": "$.detail.nope"}, '"user: <u>"', EVENT)


def test_missing_path_as_json_value_is_null() -> None:
    """A variable whose path is missing from the event is null as a JSON value."""
    assert {"u": None} == json.loads(transform({"u": "$.detail.nope"}, '{"u": <u>}', EVENT))


def test_undefined_placeholder_is_left_as_is() -> None:
    """Text in angle brackets that names no variable stays in the output."""
    assert '"<b>RUNNING</b>"' == transform({"s": "$.detail.state"}, '"<b><s></b>"', EVENT)


def test_plain_text_template_quotes_strings() -> None:
    """Outside quotes, EventBridge adds quotes to string values, also in a non-JSON template."""
    out = transform({"i": "$.detail.instance-id", "s": "$.detail.state"},
                    "<i> is in state <s>", EVENT)
    assert '"i-0123456789" is in state "RUNNING"' == out


def test_numbers_and_booleans_inserted_as_json() -> None:
    """Numbers and booleans are inserted as JSON literals, in a string or out."""
    event = {**EVENT, "detail": {"n": 5, "b": True}}
    out = transform({"n": "$.detail.n", "b": "$.detail.b"}, '{"x": <n>, "y": "<b>"}', event)
    assert '{"x": 5, "y": "true"}' == out


def test_wildcard_path_gives_a_list() -> None:
    """A path with * gives the list of the values it reaches."""
    out = transform({"all": "$.detail.*"}, '{"all": <all>}', EVENT)
    assert {"all": ["i-0123456789", "RUNNING"]} == json.loads(out)


def test_rule_arn_defaults_from_event() -> None:
    """Without rule_arn, the ARN is built from the event's Region and account and the rule name."""
    out = transform({}, '"<aws.events.rule-arn>"', EVENT, rule_name="signin")
    assert '"arn:aws:events:us-east-1:123456789012:rule/signin"' == out


def test_ingestion_time_defaults_to_event_time() -> None:
    """Without ingestion_time, <aws.events.event.ingestion-time> is the event's time (deterministic)."""
    assert '"2015-11-11T21:29:54Z"' == transform({}, '"<aws.events.event.ingestion-time>"', EVENT)


def test_string_values_are_not_escaped() -> None:
    """EventBridge does not escape values it inserts inside a string."""
    event = {**EVENT, "detail": {"ua": 'say "hi"'}}
    assert '"ua: say "hi""' == transform({"ua": "$.detail.ua"}, '"ua: <ua>"', event)
