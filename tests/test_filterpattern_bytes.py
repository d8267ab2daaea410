"""FilterPattern.may_match_bytes: the public byte pre-check never rules out a text that matches."""

from __future__ import annotations

import json

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from signin_lab.filterpattern import FilterPattern

BLOG = '{ $.eventName = "ConsoleLogin" && $.responseElements.ConsoleLogin = "Failure" }'


def test_rules_out_text_without_the_literal() -> None:
    """A record without "ConsoleLogin" anywhere cannot match the blog's pattern: False."""
    raw = b'{"eventName":"GetObject","responseElements":null}'
    assert False is FilterPattern(BLOG).may_match_bytes(raw)


def test_keeps_text_with_the_literals() -> None:
    """A matching record passes the pre-check."""
    raw = b'{"eventName":"ConsoleLogin","responseElements":{"ConsoleLogin":"Failure"}}'
    assert True is FilterPattern(BLOG).may_match_bytes(raw)


def test_keeps_a_literal_escaped_in_json() -> None:
    """`\\u0043onsoleLogin` spells ConsoleLogin: the text has a backslash, so True (and it matches)."""
    raw = b'{"eventName":"\\u0043onsoleLogin","responseElements":{"ConsoleLogin":"Failure"}}'
    fp = FilterPattern(BLOG)
    assert (True, True) == (fp.may_match_bytes(raw), fp.matches(raw.decode()))


def test_non_json_patterns_are_never_ruled_out() -> None:
    """Terms, regex and space-delimited patterns give True: the check covers JSON patterns."""
    answers = [FilterPattern(p).may_match_bytes(b"nothing here") for p in ("ERROR", "%x%", "[a, b]")]
    assert [True, True, True] == answers


def test_seen_memo_is_shared_between_patterns() -> None:
    """With a shared `seen`, a literal looked up once is remembered for the next pattern."""
    seen: dict[bytes, bool] = {}
    FilterPattern('{ $.eventName = "ConsoleLogin" }').may_match_bytes(b'{"a":1}', seen)
    assert False is seen[b'"ConsoleLogin"']


_KEYS = st.sampled_from(["eventName", "a", "ConsoleLogin", "responseElements", "x y"])
_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 5), st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["ConsoleLogin", "Failure", "Root", "1e3", "true", "a/b", 'q"uote', "é", "\u2028"]),
    st.text(max_size=4),
)
_VALUES = st.recursive(
    _SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(_KEYS, inner, max_size=3)),
    max_leaves=8,
)
_RECORDS = st.dictionaries(_KEYS, _VALUES, max_size=4)
_PATTERNS = st.sampled_from([
    BLOG,
    '{ $.eventName = "ConsoleLogin" || $.a IS NULL }',
    '{ $.responseElements.ConsoleLogin = Fail* }',
    '{ $.a = *Root }',
    '{ $.a[0] = "Failure" && $.eventName != "x" }',
    '{ $.a.* = "a/b" }',
    "{ $.['x y'] IS TRUE }",
    '{ $.a = "é" }',
    '{ $.a = "q\\"uote" }',
    '{ $.a NOT EXISTS }',
    '{ ($.a = 1 || $.eventName = %Con%) && $.ConsoleLogin IS FALSE }',
])
# The ways a record reaches the check: compact, with blanks, with every non-ASCII escaped.
_WRITERS = st.sampled_from([
    lambda r: orjson.dumps(r).decode(),
    lambda r: json.dumps(r, indent=2, ensure_ascii=False),
    lambda r: json.dumps(r),
])
_SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(_PATTERNS, _RECORDS, _WRITERS)
def test_never_false_for_a_matching_text(pattern: str, record: dict, write) -> None:  # type: ignore[no-untyped-def,type-arg]
    """If the pattern matches the text, may_match_bytes on its UTF-8 bytes is True."""
    fp = FilterPattern(pattern)
    text = write(record)
    if fp.matches(text):
        assert True is fp.may_match_bytes(text.encode())


@_SETTINGS
@given(_PATTERNS, st.lists(_RECORDS, min_size=1, max_size=4), _WRITERS)
def test_never_false_for_a_file_holding_a_match(pattern: str, records: list, write) -> None:  # type: ignore[no-untyped-def,type-arg]
    """A CloudTrail-style file with any matching record passes the check as a whole."""
    fp = FilterPattern(pattern)
    raw = write({"Records": records}).encode()
    if any(fp.matches_event(r) for r in records):
        assert True is fp.may_match_bytes(raw)
