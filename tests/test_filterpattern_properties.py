"""Property tests: any text compiles or fails cleanly; matching never raises."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from signin_lab.filterpattern import FilterPattern, FilterPatternError

# Characters the grammar cares about, so generated text reaches deep into every parser.
_GRAMMAR = st.sampled_from(list('{}[]()$.*"\'%=!<>&|,-?\\ ') + ["&&", "||", "...", "IS", "NOT", "EXISTS",
                                                                "NULL", "TRUE", "$.a", "$.a[0]", "[*]", "1e3"])
_PATTERN_TEXT = st.one_of(
    st.text(max_size=80),
    st.lists(st.one_of(_GRAMMAR, st.text(alphabet="ab1 ", max_size=3)), max_size=30).map("".join),
    st.builds(lambda body: "{" + body + "}", st.lists(_GRAMMAR, max_size=20).map("".join)),
    st.builds(lambda body: "[" + body + "]", st.lists(_GRAMMAR, max_size=20).map("".join)),
    st.builds(lambda body: "%" + body + "%", st.text(max_size=20)),
)
_SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _compile(text: str) -> FilterPattern | None:
    try:
        return FilterPattern(text)
    except FilterPatternError as exc:
        assert 1 <= exc.column <= len(text) + 1
        assert exc.pattern == text
        assert str(exc)
        return None


@_SETTINGS
@given(_PATTERN_TEXT)
def test_any_text_compiles_or_raises_filter_pattern_error(text: str) -> None:
    """Any text either compiles or raises FilterPatternError with a column inside it."""
    _compile(text)


_MESSAGES = st.one_of(
    st.text(max_size=60),
    st.dictionaries(st.sampled_from(["a", "b", "eventName"]),
                    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False),
                              st.text(max_size=5), st.lists(st.integers(), max_size=2)),
                    max_size=3).map(json.dumps),
)


@_SETTINGS
@given(_PATTERN_TEXT, _MESSAGES)
def test_matching_never_raises(text: str, message: str) -> None:
    """A compiled pattern's matches() returns a bool for any message."""
    fp = _compile(text)
    if fp is not None:
        assert isinstance(fp.matches(message), bool)


@_SETTINGS
@given(st.sampled_from(["{ $.a = 1 }", "{ $.a != x* }", "{ $.* = %b% }", "{ $.a[*] > 0 }",
                        "{ $.b NOT EXISTS || $.a IS TRUE }", '{ $.eventName = "x" && $.a = * }']),
       _MESSAGES)
def test_precheck_agrees_with_full_evaluation(text: str, message: str) -> None:
    """matches() (with the literal pre-check) equals evaluating the parsed event."""
    fp = FilterPattern(text)
    try:
        doc = json.loads(message)
    except ValueError:
        doc = None
    assert (isinstance(doc, dict) and fp.matches_event(doc)) == fp.matches(message)
