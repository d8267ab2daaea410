"""Unit tests of signin_lab.filterpattern: the API, each documented decision, the pre-check."""

from __future__ import annotations

import pickle

import orjson
import pytest

from signin_lab.config import CIS_PATTERNS, LabConfig
from signin_lab.errors import SigninLabError
from signin_lab.filterpattern import (
    FilterPattern,
    FilterPatternError,
    check_log_group_regex_quota,
)

LOGIN = '{"eventName":"ConsoleLogin","userIdentity":{"type":"Root"},"responseElements":{"ConsoleLogin":"Success"}}'
ROOT_SUCCESS = LabConfig().alert("success-root").pattern


# -- the API ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("pattern", "kind"),
    [("ERROR", "terms"), ('{ $.a = 1 }', "json"), ("[a, b]", "space_delimited"),
     ("%a%", "regex"), ("", "all"), ('" "', "all"), ('""', "all"), ("  ", "all")],
)
def test_kind_follows_the_first_character(pattern: str, kind: str) -> None:
    """The kind is chosen by the pattern's first non-blank character."""
    assert kind == FilterPattern(pattern).kind


def test_error_is_a_signinlab_error_and_a_value_error() -> None:
    """FilterPatternError derives from both SigninLabError and ValueError."""
    with pytest.raises(FilterPatternError) as info:
        FilterPattern("{ $.a = }")
    assert (True, True) == (isinstance(info.value, SigninLabError), isinstance(info.value, ValueError))


def test_error_message_draws_a_caret_under_the_column() -> None:
    """str(error) shows the message, the pattern, and a caret under the column."""
    with pytest.raises(FilterPatternError) as info:
        FilterPattern("{ $.a IS NOT NULL }")
    lines = str(info.value).splitlines()
    assert ["  { $.a IS NOT NULL }", "        ^"] == lines[1:]


def test_error_carries_pattern_column_and_kind() -> None:
    """The error keeps the pattern text, the 1-based column and the kind."""
    with pytest.raises(FilterPatternError) as info:
        FilterPattern("%a!%")
    assert ("%a!%", 3, "regex_character") == (info.value.pattern, info.value.column, info.value.kind)


def test_error_survives_pickling() -> None:
    """A FilterPatternError pickles with its attributes (for multiprocessing)."""
    err = FilterPatternError("bad", "{x", 2, "syntax")
    copy = pickle.loads(pickle.dumps(err))
    assert (err.message, err.pattern, err.column, err.kind) == (copy.message, copy.pattern, copy.column, copy.kind)


def test_non_string_pattern_is_an_error() -> None:
    """A pattern that is not a str raises FilterPatternError, not TypeError."""
    with pytest.raises(FilterPatternError):
        FilterPattern(42)  # type: ignore[arg-type]


def test_repr_shows_the_parse_tree() -> None:
    """repr(fp) lists the tree one node a line, for notebooks."""
    text = repr(FilterPattern('{ $.a = "x" || $.b NOT EXISTS }'))
    assert ["FilterPattern('{ $.a = \"x\" || $.b NOT EXISTS }', kind='json')", "  Json", "    Or",
            '      Compare $.a = "x"', "      NotExists $.b NOT EXISTS"] == text.splitlines()


def test_repr_marks_ignored_question_mark_terms() -> None:
    """repr shows that ? terms mixed with plain terms are ignored."""
    assert "ignored" in repr(FilterPattern("?ERROR REQUEST"))


def test_regex_count_counts_every_regex() -> None:
    """regex_count is the number of %...% in the pattern."""
    assert [0, 1, 2] == [FilterPattern(p).regex_count for p in ("ERROR", "%a%", "[a=%x%, b=%y%]")]


def test_log_group_allows_five_regex_patterns() -> None:
    """Five patterns with a regex in one log group are fine."""
    check_log_group_regex_quota([FilterPattern(f"%a{i}%") for i in range(5)] + [FilterPattern("x")])


def test_log_group_refuses_a_sixth_regex_pattern() -> None:
    """A sixth pattern with a regex in one log group is a regex_count error."""
    with pytest.raises(FilterPatternError) as info:
        check_log_group_regex_quota([FilterPattern(f"%a{i}%") for i in range(6)])
    assert ("regex_count", "%a5%") == (info.value.kind, info.value.pattern)


def test_equal_patterns_compare_equal() -> None:
    """Two FilterPatterns of the same text are equal and hash alike."""
    assert {FilterPattern("ERROR")} == {FilterPattern("ERROR")}


# -- TestMetricFilter ----------------------------------------------------------------------
def test_test_returns_testmetricfilter_shape() -> None:
    """test() returns matches with eventNumber (from 1), eventMessage and extractedValues."""
    result = FilterPattern("ERROR").test(["INFO ok", "ERROR bad"])
    assert {"matches": [{"eventNumber": 2, "eventMessage": "ERROR bad", "extractedValues": {}}]} == result


def test_test_numbers_events_from_one() -> None:
    """Decision: eventNumber counts from 1, as the AWS CLI example shows."""
    assert [1, 2] == [m["eventNumber"] for m in FilterPattern("a").test(["a", "a"])["matches"]]


def test_test_extracts_json_pattern_values_as_empty() -> None:
    """Decision: extractedValues is {} for JSON patterns (AWS documents it for terms only)."""
    assert {} == FilterPattern("{ $.a = 1 }").test(['{"a": 1}'])["matches"][0]["extractedValues"]


@pytest.mark.parametrize("messages", [[], ["a"] * 51])
def test_test_enforces_one_to_fifty_messages(messages: list[str]) -> None:
    """TestMetricFilter takes 1 to 50 log event messages."""
    with pytest.raises(SigninLabError, match="1 to 50"):
        FilterPattern("a").test(messages)


def test_test_refuses_an_empty_message() -> None:
    """Each log event message has at least one character."""
    with pytest.raises(SigninLabError, match=r"logEventMessages\[1\]"):
        FilterPattern("a").test(["a", ""])


def test_test_refuses_a_bare_string() -> None:
    """A single string instead of a list is refused, not iterated per character."""
    with pytest.raises(SigninLabError):
        FilterPattern("a").test("abc")  # type: ignore[arg-type]


# -- metric values -------------------------------------------------------------------------
def test_metric_value_literal_only_when_matching() -> None:
    """A literal metricValue is published for a match, nothing for a non-match."""
    fp = FilterPattern("ERROR")
    assert [1.0, None] == [fp.metric_value("ERROR x", "1"), fp.metric_value("INFO", "1")]


def test_metric_value_positional_field() -> None:
    """A space-delimited metricValue may name a field by position ($2)."""
    assert 7.0 == FilterPattern("[a, ...]").metric_value("x 7", "$2")


@pytest.mark.parametrize(
    ("pattern", "metric_value"),
    [("ERROR", "$.a"), ("{ $.a = 1 }", "$a"), ("[a, b]", "$c"), ("[a, b]", "$.a"),
     ("{ $.a = 1 }", "$.a[*]"), ("{ $.a = 1 }", "$.a b"), ("ERROR", "one"), ("ERROR", ""),
     ("ERROR", "1" * 101)],
)
def test_metric_value_must_fit_the_pattern(pattern: str, metric_value: str) -> None:
    """A metricValue that is not a number or a field of the pattern is a metric_value error."""
    with pytest.raises(FilterPatternError) as info:
        FilterPattern(pattern).metric_value("x", metric_value)
    assert "metric_value" == info.value.kind


# -- decisions pinned (aws_semantics.md, "Ambiguous") ---------------------------------------
def test_blog_root_pattern_misses_aws_root_example() -> None:
    """The blog's "root" never matches CloudTrail's "Root"; the kit's pattern does."""
    blog = ROOT_SUCCESS.replace('"Root"', '"root"')
    assert (False, True) == (FilterPattern(blog).matches(LOGIN), FilterPattern(ROOT_SUCCESS).matches(LOGIN))


def test_missing_field_matches_neither_equal_nor_not_equal() -> None:
    """Decision: a missing field fails both = and != (only NOT EXISTS sees it)."""
    results = [FilterPattern(p).matches('{"b": 1}') for p in ("{ $.a = 1 }", "{ $.a != 1 }", "{ $.a NOT EXISTS }")]
    assert [False, False, True] == results


@pytest.mark.parametrize("value", ['{"a": {"b": 1}}', '{"a": [1]}', '{"a": null}'])
def test_object_array_null_match_neither_operator(value: str) -> None:
    """An object, an array or null matches neither = nor != (2021 doc: users array)."""
    assert (False, False) == (FilterPattern("{ $.a = 1 }").matches(value), FilterPattern("{ $.a != 1 }").matches(value))


def test_is_null_differs_from_not_exists() -> None:
    """IS NULL needs the field present and null; NOT EXISTS needs it absent."""
    is_null, absent = FilterPattern("{ $.a IS NULL }"), FilterPattern("{ $.a NOT EXISTS }")
    assert [(True, False), (False, True)] == [
        (is_null.matches('{"a": null}'), absent.matches('{"a": null}')),
        (is_null.matches("{}"), absent.matches("{}")),
    ]


def test_number_compares_numerically_with_a_numeric_string() -> None:
    """Decision: `= 123456789012` matches the string "123456789012" (2021 doc's recipientAccountId)."""
    assert FilterPattern("{ $.recipientAccountId = 123456789012 }").matches('{"recipientAccountId": "123456789012"}')


def test_number_not_equal_to_a_word() -> None:
    """Decision: `!= 500` holds for a string that is not a number."""
    assert FilterPattern("{ $.errorCode != 500 }").matches('{"errorCode": "AccessDenied"}')


def test_ordering_on_a_word_is_false() -> None:
    """Decision: `<`/`>` against a non-numeric string never match."""
    assert not FilterPattern("{ $.a > 1 }").matches('{"a": "many"}')


def test_numbers_in_every_notation_are_equal() -> None:
    """1000, 1e3, 1e+3, 1000.0 and +1000 are the same number."""
    fp = FilterPattern("{ $.n = 1e+3 }")
    assert [True] * 4 == [fp.matches(f'{{"n": {v}}}') for v in ("1000", "1e3", "1000.0", "10e2")]


def test_boolean_is_not_a_number() -> None:
    """true is not 1 for a numeric comparison."""
    assert not FilterPattern("{ $.a = 1 }").matches('{"a": true}')


def test_star_alone_matches_any_scalar() -> None:
    """`= *` matches any number or string, not a missing field or an object."""
    fp = FilterPattern("{ $.latency = * }")
    assert [True, True, False, False] == [
        fp.matches(m) for m in ('{"latency": 50}', '{"latency": "x"}', "{}", '{"latency": {}}')
    ]


def test_star_in_the_middle_is_literal() -> None:
    """Decision: Ev*ent only matches the string "Ev*ent" (2021 doc)."""
    fp = FilterPattern("{ $.e = Ev*ent }")
    assert (True, False) == (fp.matches('{"e": "Ev*ent"}'), fp.matches('{"e": "EvXent"}'))


def test_keywords_are_case_insensitive() -> None:
    """Decision: `is null` and `not exists` work like IS NULL and NOT EXISTS."""
    assert (True, True) == (FilterPattern("{ $.a is null }").matches('{"a": null}'),
                            FilterPattern("{ $.b not exists }").matches('{"a": null}'))


def test_and_binds_tighter_than_or() -> None:
    """() > && > ||: `a || b && c` is `a || (b && c)`."""
    fp = FilterPattern("{ $.a = 1 || $.b = 1 && $.c = 1 }")
    assert (True, False) == (fp.matches('{"a": 1, "b": 0, "c": 0}'), fp.matches('{"a": 0, "b": 1, "c": 0}'))


def test_wildcard_selectors_match_any_element() -> None:
    """$.a[*] and $.* select any array element / object field."""
    assert (True, True) == (FilterPattern("{ $.a[*].id = 2 }").matches('{"a": [{"id": 1}, {"id": 2}]}'),
                            FilterPattern("{ $.* = x }").matches('{"p": "y", "q": "x"}'))


def test_non_object_json_matches_no_json_pattern() -> None:
    """Decision: an array, a number or plain text matches no JSON pattern, not even NOT EXISTS."""
    fp = FilterPattern("{ $.a NOT EXISTS }")
    assert [False, False, False] == [fp.matches(m) for m in ("[1]", "3", "not json")]


def test_integers_beyond_64_bits_still_parse() -> None:
    """An event with a huge integer is still compared (orjson refuses it; json takes over)."""
    assert FilterPattern("{ $.n > 1 }").matches('{"n": 123456789012345678901234567890}')


def test_regex_is_a_search() -> None:
    """%AUTHORIZED% finds AUTHORIZED inside UNAUTHORIZED."""
    assert FilterPattern("%AUTHORIZED%").matches("[ERROR 401] UNAUTHORIZED REQUEST")


def test_regex_classes_are_ascii() -> None:
    """\\w is [a-zA-Z_0-9], so an accented letter is not a word character."""
    assert not FilterPattern("%^\\w$%").matches("é")


def test_space_delimited_needs_the_whole_event() -> None:
    """Decision: without `...` the field count must equal the event's."""
    fp = FilterPattern("[w1=ERROR, w2]")
    assert (True, False) == (fp.matches("ERROR message"), fp.matches("ERROR WARN message"))


def test_space_delimited_with_two_ellipses() -> None:
    """Several `...` each absorb any number of fields."""
    fp = FilterPattern("[..., a=x, ..., b=y, ...]")
    assert (True, False) == (fp.matches("1 x 2 3 y 4"), fp.matches("1 y 2 x"))


def test_space_delimited_unclosed_quote_runs_to_the_end() -> None:
    """Decision: an unclosed quote in the event makes the rest of it one field."""
    assert {"$a": "x", "$b": "y z"} == FilterPattern("[a, b]").extract('x "y z')


def test_space_delimited_numeric_condition_on_text_is_false() -> None:
    """`bytes > 1000` is false for a field that is not a number."""
    assert not FilterPattern("[a, bytes > 1000]").matches("x -")


def test_question_marks_dropped_with_an_exclusion() -> None:
    """Decision: `?ERROR -ARGUMENTS` behaves like `-ARGUMENTS` (the doc names exclude terms)."""
    fp = FilterPattern("?ERROR -ARGUMENTS")
    assert (True, False) == (fp.matches("[INFO] ok"), fp.matches("[ERROR] ARGUMENTS"))


def test_blank_phrase_among_terms_is_a_substring() -> None:
    """Decision: `ERROR " "` needs a blank; only a pattern of blank phrases matches all."""
    assert (False, True) == (FilterPattern('ERROR " "').matches("ERROR"), FilterPattern('" "').matches("ERROR"))


def test_quoted_term_escapes() -> None:
    """Decision: \\" inside a quoted term is a quote."""
    assert FilterPattern('"say \\"hi\\""').matches('they say "hi"')


# -- the literal pre-check stays exact -----------------------------------------------------
@pytest.mark.parametrize(
    "message",
    [
        '{"eventName":"\\u0043onsoleLogin","userIdentity":{"type":"Root"},"responseElements":{"ConsoleLogin":"Success"}}',
        '{"eventName":"ConsoleLogin","userIdentity":{"\\u0074ype":"Root"},"responseElements":{"ConsoleLogin":"Success"}}',
        '{"eventName":"ConsoleLogin","userIdentity":{"type":"R\\u006f\\u006ft"},"responseElements":{"ConsoleLogin":"Success"}}',
        '{"eventName":"ConsoleLogin","userIdentity":{"type":"Root"},"responseElements":{"\\u0043onsoleLogin":"Success"}}',
    ],
)
def test_precheck_keeps_escaped_matches(message: str) -> None:
    """A value or key written with \\u escapes in the raw JSON still matches."""
    assert FilterPattern(ROOT_SUCCESS).matches(message)


def test_precheck_agrees_with_parsing_on_escaped_slashes() -> None:
    """A value written with \\/ matches a pattern with /, as after parsing."""
    assert FilterPattern('{ $.path = "/a/b" }').matches('{"path": "\\/a\\/b"}')


def test_precheck_never_changes_an_answer() -> None:
    """On every reference record and variants, matches() equals evaluating the parsed event."""
    import json
    from pathlib import Path

    records = json.loads((Path(__file__).parent / "conformance" / "json.json").read_text())["groups"][-1]["given"]
    texts = [orjson.dumps(r).decode() for r in records]
    texts += [json.dumps(r, ensure_ascii=True, indent=1) for r in records]  # other spacing
    texts += [_escaped(r) for r in records]  # every string character as \\uXXXX
    patterns = [a.pattern for a in LabConfig(cis=True).alerts] + list(CIS_PATTERNS.values())
    for pattern in patterns:
        fp = FilterPattern(pattern)
        for text in texts:
            parsed = json.loads(text)
            assert fp.matches_event(parsed) == fp.matches(text), (pattern, text[:80])


def _escaped(value: object) -> str:
    """JSON text of `value` with every character of every string written as \\uXXXX."""
    if isinstance(value, dict):
        return "{" + ",".join(f"{_escaped(k)}:{_escaped(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_escaped(v) for v in value) + "]"
    if isinstance(value, str):
        return '"' + "".join(f"\\u{ord(c):04x}" for c in value) + '"'
    return orjson.dumps(value).decode()


def test_matches_event_serialises_for_term_patterns() -> None:
    """matches_event on a dict applies a term pattern to its compact JSON text."""
    assert FilterPattern('"\\"eventName\\":\\"ConsoleLogin\\""').matches_event({"eventName": "ConsoleLogin"})


def test_matches_event_on_a_non_dict_for_json_patterns() -> None:
    """A parsed value that is not an object matches no JSON pattern."""
    assert not FilterPattern("{ $.a NOT EXISTS }").matches_event([1, 2])


def test_numeric_strings_use_ascii_digits_only() -> None:
    """Decision: "\u0661" (an Arabic-Indic one) is text, so `$.a = 1` does not match it."""
    assert False is FilterPattern("{ $.a = 1 }").matches('{"a": "\u0661"}')
