"""EventPattern, test() and their errors: the behaviours the conformance files do not spell out."""

from __future__ import annotations

import json
import pickle

import pytest

from signin_lab import SigninLabError, eventpattern
from signin_lab.eventpattern import EventPattern, EventPatternError, InvalidEventError

SIGNIN = {"source": ["aws.signin"], "detail": {"eventName": ["ConsoleLogin"]}}


def _event(**detail: object) -> dict[str, object]:
    return {
        "version": "0", "id": "1", "detail-type": "AWS Console Sign In via CloudTrail",
        "source": "aws.signin", "account": "111122223333", "time": "2026-01-01T00:00:00Z",
        "region": "us-east-1", "resources": [], "detail": dict(detail),
    }


def test_error_is_a_signin_lab_error_and_value_error() -> None:
    """EventPatternError derives from SigninLabError and ValueError, as the common brief asks."""
    with pytest.raises(EventPatternError) as info:
        EventPattern({"source": "aws.signin"})
    assert (True, True) == (isinstance(info.value, SigninLabError), isinstance(info.value, ValueError))


def test_error_message_names_path_and_aws_reason() -> None:
    """str(error) is one line with the JSON path and AWS's 'Event pattern is not valid' reason."""
    with pytest.raises(EventPatternError) as info:
        EventPattern({"detail": {"eventName": [{"contains": "Login"}]}})
    expected = ("invalid event pattern at $.detail.eventName[0].contains (match_type): "
                "Event pattern is not valid. Reason: Unrecognized match type contains")
    assert expected == str(info.value)


def test_error_pickles() -> None:
    """The error survives pickling (multiprocessing, pytest-xdist)."""
    err = EventPatternError("Empty arrays are not allowed", "$.source", "structure")
    assert str(err) == str(pickle.loads(pickle.dumps(err)))


def test_path_brackets_odd_keys() -> None:
    """A key that is not a plain name is shown in brackets in the JSON path."""
    with pytest.raises(EventPatternError) as info:
        EventPattern({"a b": {"c.d": "x"}})
    assert '$["a b"]["c.d"]' == info.value.path


def test_pattern_that_is_not_dict_or_text() -> None:
    """A list given as the pattern is refused as AWS refuses a non-object."""
    with pytest.raises(EventPatternError) as info:
        EventPattern(["aws.signin"])  # type: ignore[arg-type]
    assert "Filter is not an object" == info.value.reason


def test_dict_pattern_over_4096_characters_is_refused() -> None:
    """A dict pattern is measured as its compact JSON text against the 4,096-character limit."""
    with pytest.raises(EventPatternError) as info:
        EventPattern({"source": ["x" * 4100]})
    assert "too_long" == info.value.kind


def test_deep_nesting_is_refused_with_kind() -> None:
    """Nesting past the kit's guard raises too_deep instead of a RecursionError."""
    pattern: dict[str, object] = {"a": ["x"]}
    for _ in range(70):
        pattern = {"a": pattern}
    with pytest.raises(EventPatternError) as info:
        EventPattern(pattern)
    assert "too_deep" == info.value.kind


def test_missing_field_never_matches_a_value() -> None:
    """The event must contain every field the pattern names (anything-but included)."""
    ep = EventPattern({"detail": {"state": [{"anything-but": "initializing"}]}})
    assert False is ep.matches({"detail": {}})


@pytest.mark.parametrize("written", ["300.0", "3.0e2"])
def test_exact_numbers_compare_as_written(written: str) -> None:
    """An exact number does not match the same value written otherwise (300 vs 300.0, 3.0e2)."""
    event = json.dumps(_event(x=1)).replace('"x": 1', f'"x": {written}')
    assert False is eventpattern.test({"detail": {"x": [300]}}, event)


def test_exact_number_matches_same_spelling() -> None:
    """An exact number matches the event's number written the same way."""
    event = json.dumps(_event(x=1)).replace('"x": 1', '"x": 3.0e2')
    assert True is eventpattern.test('{"detail": {"x": [3.0e2]}}', event)


def test_numeric_equals_compares_values() -> None:
    """numeric "=" compares values: 3.018e2 matches 301.8."""
    assert True is EventPattern('{"x": [{"numeric": ["=", 3.018e2]}]}').matches({"x": 301.8})


def test_number_does_not_match_its_string() -> None:
    """A number in the pattern does not match the string "300" in the event."""
    assert False is EventPattern({"x": [300]}).matches({"x": "300"})


def test_true_does_not_match_one() -> None:
    """true and 1 are different JSON values."""
    assert False is EventPattern({"x": [1]}).matches({"x": True})


def test_numeric_ignores_strings() -> None:
    """numeric only works with values that are JSON numbers."""
    assert False is EventPattern({"x": [{"numeric": [">", 0]}]}).matches({"x": "5"})


def test_exists_true_on_null_value() -> None:
    """A field whose value is null exists (null is a leaf value, as in event-ruler)."""
    assert True is EventPattern({"x": [{"exists": True}]}).matches({"x": None})


def test_exists_false_on_empty_array() -> None:
    """An empty array holds no leaf, so exists false matches it."""
    assert True is EventPattern({"x": [{"exists": False}]}).matches({"x": []})


def test_exists_false_when_parent_missing() -> None:
    """exists false matches when the whole parent object is absent."""
    assert True is EventPattern({"detail": {"x": [{"exists": False}]}}).matches({})


def test_array_elements_match_one_at_a_time() -> None:
    """Fields of one sub-pattern must match inside the same array element (array consistency)."""
    ep = EventPattern({"items": {"name": ["a"], "id": [2]}})
    event = {"items": [{"name": "a", "id": 1}, {"name": "b", "id": 2}]}
    assert False is ep.matches(event)


def test_array_of_objects_matches_when_one_element_fits() -> None:
    """An object pattern matches an array of objects when one element fits it."""
    ep = EventPattern({"items": {"name": ["b"], "id": [2]}})
    event = {"items": [{"name": "a", "id": 1}, {"name": "b", "id": 2}]}
    assert True is ep.matches(event)


def test_ip_string_matches_same_address_spelled_differently() -> None:
    """A plain IPv6 address in the pattern matches the same address in another spelling."""
    ep = EventPattern({"ip": ["2001:db8::1"]})
    assert True is ep.matches({"ip": "2001:0db8:0:0:0:0:0:1"})


def test_cidr_ipv6() -> None:
    """cidr accepts IPv6 blocks and matches addresses inside them."""
    ep = EventPattern({"ip": [{"cidr": "2001:db8::/32"}]})
    assert [True, False] == [ep.matches({"ip": "2001:db8:1::5"}), ep.matches({"ip": "2001:db9::5"})]


def test_nested_or_inside_or_branch() -> None:
    """$or may nest inside a branch of another $or."""
    ep = EventPattern({"$or": [{"a": [1]}, {"$or": [{"b": [2]}, {"c": [3]}]}]})
    assert [True, True, False] == [ep.matches({"a": 1}), ep.matches({"c": 3}), ep.matches({"d": 4})]


def test_or_combines_with_fields_by_and() -> None:
    """Fields beside $or must match as well as one branch."""
    ep = EventPattern({"source": ["aws.signin"], "$or": [{"a": [1]}, {"b": [2]}]})
    assert [True, False] == [ep.matches({"source": "aws.signin", "b": 2}), ep.matches({"b": 2})]


def test_matches_refuses_non_object_event() -> None:
    """An event must be a JSON object."""
    with pytest.raises(InvalidEventError):
        EventPattern(SIGNIN).matches(["x"])  # type: ignore[arg-type]


def test_test_matches_signin_event() -> None:
    """test() answers TestEventPattern's Result for a full event."""
    assert True is eventpattern.test(SIGNIN, _event(eventName="ConsoleLogin"))


def test_test_accepts_json_text() -> None:
    """test() takes the pattern and the event as JSON text too, as the API does."""
    assert False is eventpattern.test(json.dumps(SIGNIN), json.dumps(_event(eventName="GetUser")))


@pytest.mark.parametrize("field", eventpattern.REQUIRED_EVENT_FIELDS)
def test_test_refuses_event_missing_envelope_field(field: str) -> None:
    """TestEventPattern refuses an event without one of its mandatory fields, naming it."""
    event = _event(eventName="ConsoleLogin")
    del event[field]
    with pytest.raises(InvalidEventError) as info:
        eventpattern.test(SIGNIN, event)
    assert field == info.value.field


def test_test_refuses_bad_time() -> None:
    """An event whose time is not a timestamp is not valid."""
    event = _event(eventName="ConsoleLogin")
    event["time"] = "yesterday"
    with pytest.raises(InvalidEventError) as info:
        eventpattern.test(SIGNIN, event)
    assert "time" == info.value.field


def test_test_refuses_event_that_is_not_json() -> None:
    """An event that is not JSON text is not valid."""
    with pytest.raises(InvalidEventError):
        eventpattern.test(SIGNIN, "{not json")


def test_invalid_event_message() -> None:
    """The error reads as AWS's ValidationException, with the field added."""
    assert "Parameter Event is not valid. (missing required field 'id')" == str(
        InvalidEventError("missing required field 'id'", "id"))


def test_test_takes_compiled_pattern() -> None:
    """A compiled EventPattern can be passed to test() as is."""
    assert True is eventpattern.test(EventPattern(SIGNIN), _event(eventName="ConsoleLogin"))


def test_repr_shows_pattern_text() -> None:
    """repr shows the pattern as compact JSON."""
    assert 'EventPattern({"source":["aws.signin"]})' == repr(EventPattern({"source": ["aws.signin"]}))


def test_anything_but_never_matches_null() -> None:
    """anything-but matches strings and numbers only: a null value is not 'anything but'."""
    assert False is EventPattern({"x": [{"anything-but": "a"}]}).matches({"x": None})


def test_anything_but_string_matches_a_number() -> None:
    """A number is not one of the excluded strings, so anything-but "a" matches 5."""
    assert True is EventPattern({"x": [{"anything-but": "a"}]}).matches({"x": 5})


def test_anything_but_prefix_ignores_numbers() -> None:
    """anything-but prefix only matches string values."""
    assert False is EventPattern({"x": [{"anything-but": {"prefix": "a"}}]}).matches({"x": 5})


def test_anything_but_in_array_needs_one_other_element() -> None:
    """An array matches anything-but when one element is not excluded."""
    ep = EventPattern({"x": [{"anything-but": "a"}]})
    assert [True, False] == [ep.matches({"x": ["a", "b"]}), ep.matches({"x": ["a", "a"]})]


@pytest.mark.parametrize(("pattern", "expected"), [
    ({"source": ["aws.signin"]}, False),
    ({"detail": {"path": [{"wildcard": "dir/*.png"}]}}, True),
    ({"$or": [{"a": [1]}, {"b": [{"anything-but": {"wildcard": "*/lib/*"}}]}]}, True),
])
def test_uses_wildcard(pattern: dict[str, object], expected: bool) -> None:
    """uses_wildcard finds wildcards anywhere, since such rules have their own per-bus quota."""
    assert expected is EventPattern(pattern).uses_wildcard
