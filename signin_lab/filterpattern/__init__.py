"""The CloudWatch Logs filter-pattern language, offline and faithful: compile once, match many.

Models https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
(terms, JSON, space-delimited and %regex% patterns) and what metric filters and TestMetricFilter
do with them (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_TestMetricFilter.html,
https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/MonitoringLogData.html).

    >>> fp = FilterPattern('{ $.eventName = "ConsoleLogin" }')
    >>> fp.matches('{"eventName": "ConsoleLogin"}')
    True

The same pattern runs where the events are: `fp.to_sql("duckdb")` / `fp.to_sql("athena")` is a
boolean SQL expression over a VARCHAR column of JSON records with the interpreter's meaning
(signin_lab.filterpattern.sql lists its few limits), and `fp.may_match_bytes(raw)` rules out raw
text (a whole CloudTrail file) that cannot hold a match, before anything is parsed.

Regex characters: AWS lists the characters a `%...%` regex may hold, and its own worked example
`%^starting|^initializing|^shutting down%` holds a space outside that list. The kit follows the
example, because that is what users paste: a space is accepted, and every other character outside
the list is refused (AWS advises `\\xhh` for those). Source: FilterAndPatternSyntax, "Supported
regular expressions (regex) syntax"; conformance case in tests/conformance/regex.json.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import orjson

from signin_lab.errors import SigninLabError
from signin_lab.filterpattern import nodes
from signin_lab.filterpattern.errors import ErrorKind, FilterPatternError
from signin_lab.filterpattern.evaluator import (
    _MISSING,
    _resolver,
    compile_json,
    load_json,
)
from signin_lab.filterpattern.explain import regexes as _regexes
from signin_lab.filterpattern.explain import tree_lines as _tree_lines
from signin_lab.filterpattern.lexer import parse_number, scan_selector
from signin_lab.filterpattern.nodes import Kind
from signin_lab.filterpattern.parser import MAX_LENGTH, parse
from signin_lab.filterpattern.prefilter import compile_need, compile_need_bytes, requirements
from signin_lab.filterpattern.space import compile_space
from signin_lab.filterpattern.visitor import Visitor

if TYPE_CHECKING:  # pragma: no cover
    from signin_lab.filterpattern.sql import Dialect

def __getattr__(name: str) -> Any:
    """`DIALECTS` and `Dialect`, from signin_lab.filterpattern.sql when first asked for (PEP 562)."""
    if name in ("DIALECTS", "Dialect"):
        from signin_lab.filterpattern import sql

        return getattr(sql, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "DIALECTS",
    "MAX_LENGTH",
    "MAX_REGEX_PATTERNS_PER_LOG_GROUP",
    "Dialect",
    "ErrorKind",
    "FilterPattern",
    "FilterPatternError",
    "Kind",
    "check_log_group_regex_quota",
]

#: "There is a maximum of 5 filter patterns containing regex for each log group when creating
#: metric filters or subscription filters." (FilterAndPatternSyntax, Quotas)
MAX_REGEX_PATTERNS_PER_LOG_GROUP = 5
#: TestMetricFilter's logEventMessages: "Minimum number of 1 item. Maximum number of 50 items."
MAX_TEST_MESSAGES = 50
#: MetricTransformation.metricValue: "Length Constraints: Maximum length of 100."
MAX_METRIC_VALUE_LENGTH = 100

_KINDS: dict[type, Kind] = {
    nodes.TermPattern: "terms",
    nodes.JsonPattern: "json",
    nodes.SpacePattern: "space_delimited",
    nodes.RegexPattern: "regex",
    nodes.MatchAll: "all",
}


class FilterPattern:
    """A compiled CloudWatch Logs filter pattern (metric filters, subscription filters,
    FilterLogEvents, Live Tail all share this syntax).

    Raises FilterPatternError (with `.column`, `.kind`) for a pattern AWS would refuse.
    """

    __slots__ = (
        "_extract", "_json_test", "_match", "_may_match", "_may_match_bytes", "pattern", "tree",
    )

    def __init__(self, pattern: str) -> None:
        if not isinstance(pattern, str):
            raise FilterPatternError(
                f"a filter pattern is a string, not {type(pattern).__name__}", "", 1
            )
        self.pattern = pattern
        self.tree: nodes.Pattern = parse(pattern)
        self._json_test: Callable[[Any], bool] | None = None
        self._extract: Callable[[str], dict[str, str] | None] | None = None
        self._may_match: Callable[[str], bool] | None = None
        self._may_match_bytes: Callable[[bytes, dict[bytes, bool]], bool] = _always
        self._match: Callable[[str], bool] = _Compiler(self).visit(self.tree)

    # -- public API -------------------------------------------------------------------------
    @property
    def kind(self) -> Kind:
        """"terms", "json", "space_delimited", "regex" or "all" (matches every event)."""
        return _KINDS[type(self.tree)]

    @property
    def regex_count(self) -> int:
        """How many `%...%` regexes the pattern has (AWS: at most 5 such patterns per log group)."""
        return len(_regexes(self.tree))

    def matches(self, message: str) -> bool:
        """Whether AWS would match this raw log event message. Never raises for a str."""
        return self._match(message)

    def matches_event(self, event: Any) -> bool:
        """Whether an already-parsed JSON event matches, without parsing it again.

        For a JSON pattern the value is evaluated directly; for the other kinds it is
        serialised compactly (as CloudTrail writes to CloudWatch Logs) and matched as text.
        """
        if self._json_test is not None:
            return type(event) is dict and self._json_test(event)
        if isinstance(self.tree, nodes.MatchAll):
            return True
        return self._match(orjson.dumps(event).decode())

    def may_match_bytes(self, raw: bytes, seen: dict[bytes, bool] | None = None) -> bool:
        """False only when no log event in `raw` can match: one event's text or a whole file
        of them (UTF-8 JSON, e.g. a CloudTrail delivery file), matched as text or parsed.

        It checks the literals a JSON pattern cannot match without (`"ConsoleLogin"`, the keys
        on each selector's path): a JSON string without a backslash appears in the text
        character for character, so text without a backslash that lacks one holds no match.
        Text with a backslash (`\\u0043onsoleLogin`) and other kinds of pattern give True.
        `seen` (optional) memoises which literals occur in `raw` across several patterns.
        """
        return self._may_match_bytes(raw, {} if seen is None else seen)

    def extract(self, message: str) -> dict[str, str] | None:
        """The values a space-delimited pattern extracts (`$name`, `$1`...), {} for other kinds
        (API_TestMetricFilter shows `"extractedValues": {}` for terms); None if no match."""
        if self._extract is not None:
            return self._extract(message)
        return {} if self._match(message) else None

    def test(self, messages: list[str]) -> dict[str, list[dict[str, Any]]]:
        """What TestMetricFilter returns: {"matches": [{eventNumber, eventMessage, extractedValues}]}.

        Non-matching messages are left out. Decision: eventNumber counts from 1, as the AWS CLI
        example shows (aws-cli awscli/examples/logs/test-metric-filter.rst); the API reference's
        hand-written examples count from 0 and contain other slips (`"$size": "1534,"`).
        """
        if isinstance(messages, str) or not isinstance(messages, (list, tuple)):
            raise SigninLabError("TestMetricFilter: logEventMessages is a list of strings")
        if not 1 <= len(messages) <= MAX_TEST_MESSAGES:
            raise SigninLabError(
                f"TestMetricFilter: logEventMessages has 1 to {MAX_TEST_MESSAGES} items, "
                f"got {len(messages)}"
            )
        out: list[dict[str, Any]] = []
        for number, message in enumerate(messages, start=1):
            if not isinstance(message, str) or not message:
                raise SigninLabError(
                    f"TestMetricFilter: logEventMessages[{number - 1}] must be a non-empty string"
                )
            values = self.extract(message)
            if values is not None:
                out.append(
                    {"eventNumber": number, "eventMessage": message, "extractedValues": values}
                )
        return {"matches": out}

    def metric_value(self, message: str, metric_value: str) -> float | None:
        """The value a metric filter publishes for this event, or None when it publishes none.

        metricValue is a number ("1", "2.5") or a field: `$.latency` for JSON patterns, `$size`
        (or `$3`) for space-delimited ones (MonitoringLogData, ExtractBytesExample). None when
        the event does not match. Decision (AWS documents nothing): a field that is missing,
        not a number (a numeric string counts) or an array/object also gives None, no datapoint.
        An invalid metricValue raises FilterPatternError(kind="metric_value").
        """
        getter = self._metric_getter(metric_value)
        if isinstance(getter, float):
            return getter if self._match(message) else None
        return getter(message)

    def _metric_getter(self, metric_value: str) -> float | Callable[[str], float | None]:
        def bad(why: str, column: int = 1) -> FilterPatternError:
            return FilterPatternError(why, metric_value, column, "metric_value")

        if not isinstance(metric_value, str) or not metric_value:
            raise bad("metricValue is a non-empty string")
        if len(metric_value) > MAX_METRIC_VALUE_LENGTH:
            raise bad(f"metricValue has at most {MAX_METRIC_VALUE_LENGTH} characters",
                      MAX_METRIC_VALUE_LENGTH + 1)
        number = parse_number(metric_value)
        if number is not None:
            return float(number)
        if not metric_value.startswith("$"):
            raise bad("metricValue is a number or a field ($.name or $name)")
        if self._json_test is not None:
            if not metric_value.startswith("$."):
                raise bad("a JSON pattern's metricValue field is written $.name", 2)
            try:
                tok = scan_selector(metric_value, 0)
            except FilterPatternError as exc:
                raise bad(exc.message, exc.column) from None
            if tok.end != len(metric_value):
                raise bad("unexpected text after the selector", tok.end + 1)
            target = tok.value
            if target.wildcards:
                raise bad("a metricValue selector cannot use a wildcard")
            resolve = _resolver(target.segments)
            test = self._json_test
            may_match = self._may_match

            def from_json(message: str) -> float | None:
                if may_match is not None and not may_match(message):
                    return None
                doc = load_json(message)
                if type(doc) is not dict or not test(doc):
                    return None
                return _numeric(next(resolve(doc), _MISSING))

            return from_json
        if self._extract is not None:
            name = metric_value[1:]
            names = {f.name for f in self.tree.fields if isinstance(f, nodes.Field) and f.name}  # type: ignore[union-attr]
            if not (name in names or (name.isdigit() and name.isascii() and int(name) >= 1)):
                raise bad(f"{metric_value!r} is not a field of this space-delimited pattern", 2)
            extract = self._extract

            def from_fields(message: str) -> float | None:
                values = extract(message)
                if values is None:
                    return None
                return _numeric(values.get(metric_value, _MISSING))

            return from_fields
        raise bad(f"a {self.kind} pattern has no fields; metricValue must be a number")

    def to_sql(self, dialect: Dialect, column: str = "record") -> str:
        """A boolean SQL expression, true exactly when `matches(<the column's text>)` is.

        `dialect` is "duckdb" or "athena" (Trino SQL); `column` holds one log event (one
        CloudTrail record as JSON text, VARCHAR). A construct the dialect cannot express with
        the interpreter's meaning raises FilterPatternError(kind="sql") naming it.
        See signin_lab.filterpattern.sql for the rules and the known limits.
        """
        from signin_lab.filterpattern.sql import to_sql  # imported on first use: scan starts faster

        return to_sql(self.tree, self.pattern, dialect, column)

    # -- display ----------------------------------------------------------------------------
    def __repr__(self) -> str:
        lines = [f"FilterPattern({self.pattern!r}, kind={self.kind!r})"]
        lines.extend(_tree_lines(self.tree, "  "))
        return "\n".join(lines)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FilterPattern) and other.pattern == self.pattern

    def __hash__(self) -> int:
        return hash(self.pattern)


def _always(raw: bytes, seen: dict[bytes, bool]) -> bool:
    return True


class _Compiler(Visitor[Callable[[str], bool]]):
    """The matcher `match(message) -> bool` for each kind of pattern, built once."""

    def __init__(self, fp: FilterPattern) -> None:
        self.fp = fp

    def visit_MatchAll(self, tree: nodes.MatchAll) -> Callable[[str], bool]:
        return lambda message: True

    def visit_TermPattern(self, tree: nodes.TermPattern) -> Callable[[str], bool]:
        return _term_matcher(tree)

    def visit_RegexPattern(self, tree: nodes.RegexPattern) -> Callable[[str], bool]:
        search = tree.regex.compiled.search
        return lambda message: search(message) is not None

    def visit_SpacePattern(self, tree: nodes.SpacePattern) -> Callable[[str], bool]:
        extract = compile_space(tree)
        self.fp._extract = extract
        return lambda message: extract(message) is not None

    def visit_JsonPattern(self, tree: nodes.JsonPattern) -> Callable[[str], bool]:
        test = compile_json(tree.expr)
        need = requirements(tree.expr)
        may_match = compile_need(need)
        self.fp._json_test = test
        self.fp._may_match = may_match
        self.fp._may_match_bytes = compile_need_bytes(need)
        loads, decode_error = orjson.loads, orjson.JSONDecodeError

        def match_json(message: str) -> bool:
            if may_match is not None and not may_match(message):
                return False
            try:
                doc = loads(message)
            except decode_error:
                doc = load_json(message)  # what orjson refuses but JSON allows, or not JSON
            # Decision: only a JSON object is a JSON log event; anything else (plain text, an
            # array, a number) matches no JSON pattern, not even `NOT EXISTS`.
            return type(doc) is dict and test(doc)

        return match_json


def check_log_group_regex_quota(patterns: Iterable[FilterPattern]) -> None:
    """Raise FilterPatternError(kind="regex_count") if more than 5 of the log group's filter
    patterns contain a regex (FilterAndPatternSyntax, Quotas; API_PutMetricFilter)."""
    with_regex = [p for p in patterns if p.regex_count]
    if len(with_regex) > MAX_REGEX_PATTERNS_PER_LOG_GROUP:
        extra = with_regex[MAX_REGEX_PATTERNS_PER_LOG_GROUP]
        first = _regexes(extra.tree)[0].start
        raise FilterPatternError(
            f"a log group has at most {MAX_REGEX_PATTERNS_PER_LOG_GROUP} filter patterns with a "
            f"regex; this is pattern {len(with_regex)} with one",
            extra.pattern, first + 1, "regex_count",
        )


def _numeric(value: Any) -> float | None:
    if isinstance(value, bool) or value is _MISSING or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        number = parse_number(value)
        return None if number is None else float(number)
    return None


def _term_matcher(tree: nodes.TermPattern) -> Callable[[str], bool]:
    """Case-sensitive substring tests: `ERROR` matches "ERRORCODE" (2021 doc), `Exception`
    matches "InvalidQueryException" (API_TestMetricFilter)."""
    include, exclude, optional = tree.include, tree.exclude, tree.optional

    def match(message: str) -> bool:
        for t in include:
            if t not in message:
                return False
        for t in exclude:
            if t in message:
                return False
        if optional:
            return any(t in message for t in optional)
        return True

    return match
