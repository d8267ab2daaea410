"""The fast path (signin_lab.events.project) against the general path, on generated documents.

Every generated `{"Records":[...]}` document is counted both ways: by the projection (msgspec,
only the fields the patterns read) and by load.py's reader (every record parsed with orjson and
checked). They must agree exactly, or the fast path must decline (None) and leave the file to
the general path; on a document of good records it must not decline.
"""

from __future__ import annotations

from typing import Any

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from signin_lab.config import CIS_ALERTS
from signin_lab.events.engine_python import Counter
from signin_lab.events.project import Projection, _guard
from signin_lab.events.scan import default_patterns
from signin_lab.filterpattern import FilterPattern

PATTERNS = {
    **default_patterns(),
    "any-console": '{ $.eventName = "ConsoleLogin" || $.eventName = "CheckMfa" }',
    "no-mfa": '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }',
    "unauthorized": '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }',
    "root-any": '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS }',
    "first-resource": '{ $.resources[0].type = "AWS::IAM::User" }',
    "everything": "",
    **{a.name: a.pattern for a in CIS_ALERTS},
}

# Text that is hard for a text-level reader: brackets, quotes, backslashes, the literals, unicode.
TEXT = st.sampled_from(
    ["ConsoleLogin", "Root", "Failure", "Success", "IAMUser", "},{\"eventVersion\":", "[x]", "{", "]",
     'say "hi"', "a\\b", "é", "CheckMfa", "Yes", "No", "AccessDenied", "x:UnauthorizedOperation", "",
     "MFAUsed", "type", "AWS::IAM::User",
     "Failed authentication", "AwsServiceEvent", "invokedBy"]
)
SCALAR = st.one_of(TEXT, st.integers(-5, 5), st.booleans(), st.none())
VALUE = st.recursive(SCALAR, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
                     max_leaves=6)
FIELD = st.sampled_from(["eventName", "userIdentity", "responseElements", "additionalEventData", "errorCode",
                         "resources", "requestParameters", "userAgent", "eventVersion", "eventType", "errorMessage"])
IDENTITY = st.fixed_dictionaries({"type": st.sampled_from(["IAMUser", "Root", "AssumedRole", 3])},
                                 optional={"invokedBy": TEXT})


@st.composite
def records(draw: Any, good: bool) -> dict[str, Any]:
    rec: dict[str, Any] = {"eventVersion": "1.09"}
    extra = draw(st.dictionaries(FIELD, VALUE, max_size=4))
    rec.update(extra)
    if draw(st.booleans()):
        rec["errorCode"] = draw(TEXT)
    if draw(st.booleans()):
        rec["resources"] = [{"type": draw(TEXT)}, *draw(st.lists(VALUE, max_size=2))]
    if draw(st.booleans()):
        rec["eventName"] = draw(st.sampled_from(["ConsoleLogin", "CheckMfa", "GetObject"]))
        rec["userIdentity"] = draw(IDENTITY)
        rec["responseElements"] = draw(st.one_of(st.none(), st.fixed_dictionaries(
            {"ConsoleLogin": st.sampled_from(["Failure", "Success"])})))
        if draw(st.booleans()):
            rec["additionalEventData"] = {"MFAUsed": draw(st.sampled_from(["Yes", "No", 1]))}
        if draw(st.booleans()):
            rec["eventType"] = draw(st.sampled_from(["AwsConsoleSignIn", "AwsServiceEvent"]))
        if draw(st.booleans()):
            rec["errorMessage"] = draw(st.sampled_from(["Failed authentication", "No username found"]))
    time: Any = "2025-01-06T00:00:00Z"
    if not good:
        time = draw(st.one_of(st.just(time), st.integers(-1000, 1000), st.none()))
    if good or draw(st.booleans()):
        rec["eventTime"] = time
    return rec


FAST = Counter(PATTERNS)
GENERAL = Counter(PATTERNS, on_error="skip")


def _general(doc: bytes) -> tuple[int, list[int], int]:
    n, counts, skipped = GENERAL._general("generated.json", doc)
    return n, counts, len(skipped)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(records(good=True), max_size=8))
def test_good_documents_count_as_the_general_path(recs: list[dict[str, Any]]) -> None:
    doc = orjson.dumps({"Records": recs})
    fast = FAST._fast(doc)
    n, counts, skipped = _general(doc)
    assert skipped == 0
    assert (n, counts) == fast


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(records(good=False), max_size=8))
def test_any_document_counts_as_the_general_path_or_is_left_to_it(recs: list[dict[str, Any]]) -> None:
    doc = orjson.dumps({"Records": recs})
    fast = FAST._fast(doc)
    n, counts, skipped = _general(doc)
    if skipped:
        assert fast is None  # a record the general path refuses: the file is left to it
    else:
        assert (n, counts) == fast


def test_projection_reads_only_named_fields() -> None:
    """Patterns that read the whole text or every field have no projection."""
    assert Projection.of([FilterPattern('{ $.* = "x" }')]) is None
    assert Projection.of([FilterPattern("ConsoleLogin")]) is None
    assert Projection.of([FilterPattern('{ $.eventName = "x" }'), FilterPattern("[ip, user]")]) is None
    assert Projection.of([FilterPattern('{ $.eventName = "x" }')]) is not None


def test_guards_are_only_what_every_match_needs() -> None:
    """A guard is a top-level field's exact text that every match has; anything weaker is none."""

    def guard(pattern: str) -> Any:
        return _guard(FilterPattern(pattern).tree.expr)  # type: ignore[union-attr]

    assert ("eventName", frozenset({"ConsoleLogin"})) == guard('{ $.eventName = "ConsoleLogin" && $.a = 1 }')
    assert ("eventName", frozenset({"A", "B"})) == guard('{ $.eventName = "A" || $.eventName = "B" }')
    assert guard('{ $.eventName = "A" || $.eventSource = "B" }') is None
    assert guard('{ $.eventName = "Console*" }') is None
    assert guard('{ $.eventName != "A" }') is None
    assert guard('{ $.userIdentity.type = "Root" }') is None
    assert guard('{ $.count = "100" }') is None  # "100" could equal the number 100
