"""The CloudWatch Logs filter-pattern language, offline and faithful: compile once, match many.

Models https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
(terms, JSON, space-delimited and %regex% patterns) and what metric filters and TestMetricFilter
do with them (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_TestMetricFilter.html,
https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/MonitoringLogData.html).

    >>> fp = FilterPattern('{ $.eventName = "ConsoleLogin" }')
    >>> fp.matches('{"eventName": "ConsoleLogin"}')
    True
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import orjson

from signin_lab.errors import SigninLabError
from signin_lab.filterpattern import nodes
from signin_lab.filterpattern.errors import ErrorKind, FilterPatternError
from signin_lab.filterpattern.evaluator import (
    _MISSING,
    _resolver,
    compile_json,
    compile_space,
    load_json,
)
from signin_lab.filterpattern.lexer import parse_number, scan_selector
from signin_lab.filterpattern.nodes import Kind
from signin_lab.filterpattern.parser import MAX_LENGTH, parse
from signin_lab.filterpattern.prefilter import compile_need, requirements
from signin_lab.filterpattern.sql import DIALECTS, Dialect, to_sql

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

    __slots__ = ("_extract", "_json_test", "_match", "_may_match", "pattern", "tree")

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
        self._match = self._compile()

    # -- compilation ------------------------------------------------------------------------
    def _compile(self) -> Callable[[str], bool]:
        tree = self.tree
        if isinstance(tree, nodes.MatchAll):
            return lambda message: True
        if isinstance(tree, nodes.TermPattern):
            return _term_matcher(tree)
        if isinstance(tree, nodes.RegexPattern):
            search = tree.regex.compiled.search
            return lambda message: search(message) is not None
        if isinstance(tree, nodes.SpacePattern):
            extract = compile_space(tree)
            self._extract = extract
            return lambda message: extract(message) is not None
        test = compile_json(tree.expr)
        self._json_test = test
        may_match = compile_need(requirements(tree.expr))
        self._may_match = may_match

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


def _regexes(tree: nodes.Pattern) -> list[nodes.Regex]:
    found: list[nodes.Regex] = []

    def walk(x: Any) -> None:
        if isinstance(x, nodes.Regex):
            found.append(x)
        elif isinstance(x, (nodes.And, nodes.Or)):
            for item in x.items:
                walk(item)
        elif isinstance(x, nodes.Compare):
            walk(x.value)
        elif isinstance(x, nodes.JsonPattern):
            walk(x.expr)
        elif isinstance(x, nodes.RegexPattern):
            walk(x.regex)
        elif isinstance(x, nodes.SpacePattern):
            for f in x.fields:
                if isinstance(f, nodes.Field) and f.condition is not None:
                    walk(f.condition)

    walk(tree)
    return found


def _tree_lines(x: Any, indent: str) -> list[str]:
    """The parse tree, one node a line, children indented: for notebooks and debugging."""
    more = indent + "  "
    if isinstance(x, nodes.MatchAll):
        return [f"{indent}MatchAll"]
    if isinstance(x, nodes.RegexPattern):
        return [f"{indent}Regex {x.regex}"]
    if isinstance(x, nodes.TermPattern):
        lines = [f"{indent}Terms"]
        dropped = not x.optional and any(t.mode == "optional" for t in x.terms)
        for t in x.terms:
            note = "  (ignored: ? mixed with other terms)" if dropped and t.mode == "optional" else ""
            lines.append(f"{more}{t.mode} {t.text!r}{note}")
        return lines
    if isinstance(x, nodes.JsonPattern):
        return [f"{indent}Json", *_tree_lines(x.expr, more)]
    if isinstance(x, nodes.SpacePattern):
        lines = [f"{indent}SpaceDelimited"]
        for f in x.fields:
            if isinstance(f, nodes.Ellipsis_):
                lines.append(f"{more}...")
            else:
                lines.append(f"{more}Field {f.name or '(unnamed)'}")
                if f.condition is not None:
                    lines.extend(_tree_lines(f.condition, more + "  "))
        return lines
    if isinstance(x, (nodes.And, nodes.Or)):
        lines = [f"{indent}{type(x).__name__}"]
        for item in x.items:
            lines.extend(_tree_lines(item, more))
        return lines
    return [f"{indent}{type(x).__name__} {x}"]
