"""Property tests: any JSON pattern either compiles or raises EventPatternError, never anything else."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from signin_lab.eventpattern import (
    EventPattern,
    EventPatternError,
    InputTransformerError,
    transform,
)

_KEYS = st.sampled_from([
    "source", "detail", "$or", "prefix", "suffix", "anything-but", "numeric", "exists",
    "equals-ignore-case", "wildcard", "cidr", "x", "", "=", "<", ">=",
])
_SCALARS = st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(
    allow_nan=False, allow_infinity=False) | st.text(max_size=12) | st.sampled_from(
    ["<", "<=", ">", ">=", "=", "10.0.0.0/24", "a**", "\\x", "2001:db8::/64"])
_JSON: Any = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(_JSON)
def test_any_json_compiles_or_raises_event_pattern_error(value: Any) -> None:
    """Any JSON value as a pattern either compiles or raises EventPatternError with a path."""
    try:
        ep = EventPattern(json.dumps(value))
    except EventPatternError as err:
        assert err.path.startswith("$")
    else:
        assert isinstance(ep.matches({"source": "x"}), bool)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(_KEYS, _JSON, min_size=1, max_size=4), _JSON)
def test_compiled_patterns_match_any_event_without_error(pattern: dict[str, Any], event: Any) -> None:
    """A pattern that compiles answers True or False for any JSON object event."""
    try:
        ep = EventPattern(pattern)
    except EventPatternError:
        return
    assert isinstance(ep.matches({"detail": event, "source": event}), bool)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60, alphabet=st.sampled_from(list('{}[]":, <>ab\\0-.$'))),
       st.dictionaries(st.sampled_from(["a", "b", "aws.x"]), st.sampled_from(["$.a", "$.b[0]", "a", "$.*"]),
                       max_size=3))
def test_any_template_transforms_or_raises_input_transformer_error(template: str,
                                                                   paths: dict[str, str]) -> None:
    """Any InputTemplate and InputPathsMap either give text or raise InputTransformerError."""
    try:
        out = transform(paths, template, {"a": "x", "b": [1], "time": "t"})
    except InputTransformerError as err:
        assert err.where
    else:
        assert isinstance(out, str)
