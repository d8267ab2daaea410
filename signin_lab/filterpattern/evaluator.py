"""The interpreter: compiles a parse tree once into plain closures that match many events.

Semantics from https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
(current text, groovy-sky/aws-docs@c39735bdd924; 2021 text, awsdocs/amazon-cloudwatch-logs-user-guide
@5f9d4b2e262e) and https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_TestMetricFilter.html.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any, cast

import orjson

from signin_lab.filterpattern import nodes
from signin_lab.filterpattern.lexer import parse_number
from signin_lab.filterpattern.visitor import Visitor

JsonTest = Callable[[Any], bool]
_MISSING = object()


# -- values -------------------------------------------------------------------------------
def number_text(value: float) -> str:
    """The text a JSON number is compared as against a string value (`4*`, `%...%`).

    orjson keeps no source text, so `1e3` in an event is compared as "1000.0": undocumented.
    """
    return str(value) if isinstance(value, int) else repr(value)


def wildcard_match(value: str, text: nodes.Text) -> bool:
    """`*Event`, `Event*`, `*Event*`, `Event`: suffix, prefix, substring or exact match."""
    if text.prefix_wild:
        return text.core in value if text.suffix_wild else value.endswith(text.core)
    return value.startswith(text.core) if text.suffix_wild else value == text.core


def _ordering(op: str) -> Callable[[Any, Any], bool]:
    return {
        "=": lambda a, b: a == b,
        "!=": lambda a, b: a != b,
        "<": lambda a, b: a < b,
        ">": lambda a, b: a > b,
        "<=": lambda a, b: a <= b,
        ">=": lambda a, b: a >= b,
    }[op]


def value_test(op: str, value: nodes.Value) -> Callable[[Any], bool]:
    """A test of one scalar (str, int, float or bool) against `op value`.

    The caller has already refused arrays, objects, null and missing values: "If a property
    selector points to an array or object, the filter pattern won't match" and both
    `{$.users = 1}` and `{$.users != 1}` fail on an array (2021 doc).
    Decision (undocumented) for mixed types: a number compares numerically with a string that
    is a number (`{ $.recipientAccountId = 123456789012 }` on "123456789012", and every
    space-delimited field, which is text); otherwise `=` / `!=` compare the text, and `<`, `>`,
    `<=`, `>=` are false. Booleans compare as the text "true" / "false".
    """
    negate = op == "!="
    if isinstance(value, nodes.Regex):
        return _regex_test(value, negate)
    if isinstance(value, nodes.Text):
        return _text_test(value, negate)
    return _number_test(op, value, negate)


def _as_text(v: Any) -> str:
    """A scalar as the text a text or regex comparison sees: "true"/"false", a number's text."""
    if isinstance(v, bool):
        return "true" if v else "false"
    return v if isinstance(v, str) else number_text(v)


def _regex_test(value: nodes.Regex, negate: bool) -> Callable[[Any], bool]:
    search = value.compiled.search

    def regex_test(v: Any) -> bool:
        v = _as_text(v)
        return (search(v) is None) if negate else (search(v) is not None)

    return regex_test


def _text_test(value: nodes.Text, negate: bool) -> Callable[[Any], bool]:
    def text_test(v: Any) -> bool:
        return wildcard_match(_as_text(v), value) != negate

    return text_test


def _number_test(op: str, value: nodes.Number, negate: bool) -> Callable[[Any], bool]:
    cmp = _ordering(op)
    literal = value.value
    literal_text = value.text
    textual = op in ("=", "!=")

    def number_test(v: Any) -> bool:
        if isinstance(v, bool):
            return textual and ((("true" if v else "false") == literal_text) != negate)
        if isinstance(v, str):
            parsed = parse_number(v)
            if parsed is None:
                return textual and ((v == literal_text) != negate)
            v = parsed
        return cmp(v, literal)

    return number_test


# -- JSON ---------------------------------------------------------------------------------
def _resolver(segments: tuple[nodes.Segment, ...]) -> Callable[[Any], Iterator[Any]]:
    """A function yielding the value nodes a selector points to (none when missing)."""
    wild = next(
        (i for i, s in enumerate(segments) if isinstance(s, (nodes.AnyKey, nodes.AnyIndex))), None
    )
    if wild is None:
        walk = _walker(segments)

        def single(doc: Any) -> Iterator[Any]:
            v = walk(doc)
            if v is not _MISSING:
                yield v

        return single
    head, star, tail = _walker(segments[:wild]), segments[wild], _walker(segments[wild + 1 :])

    def many(doc: Any) -> Iterator[Any]:
        parent = head(doc)
        children: Iterable[Any]
        if isinstance(star, nodes.AnyKey):
            children = parent.values() if type(parent) is dict else ()
        else:
            children = parent if type(parent) is list else ()
        for child in children:
            v = tail(child)
            if v is not _MISSING:
                yield v

    return many


def _walker(segments: tuple[nodes.Segment, ...]) -> Callable[[Any], Any]:
    """A function from a node to the value at `segments` below it, or _MISSING."""
    if all(isinstance(s, nodes.Key) for s in segments):
        return _key_walker(tuple(s.name for s in segments))  # type: ignore[union-attr]
    return _step_walker(segments)


def _key_walker(keys: tuple[str, ...]) -> Callable[[Any], Any]:
    """`_walker` for object keys only, with unrolled forms for one and two keys (the usual case)."""
    # Only an object accepts a str subscript among JSON values (a list, a str, a number or
    # null raises TypeError), so try/except is exact and much faster than type checks.
    if len(keys) == 1:
        (k1,) = keys

        def walk1(node: Any) -> Any:
            try:
                return node[k1]
            except (KeyError, TypeError):
                return _MISSING

        return walk1
    if len(keys) == 2:
        k1, k2 = keys

        def walk2(node: Any) -> Any:
            try:
                return node[k1][k2]
            except (KeyError, TypeError):
                return _MISSING

        return walk2

    def walk_keys(node: Any) -> Any:
        try:
            for k in keys:
                node = node[k]
        except (KeyError, TypeError):
            return _MISSING
        return node

    return walk_keys


def _step_walker(segments: tuple[nodes.Segment, ...]) -> Callable[[Any], Any]:
    """`_walker` for keys and array indexes mixed."""
    # No wildcard is left here: each segment is a Key (a str) or an Index (an int).
    steps: tuple[tuple[bool, Any], ...] = tuple(
        (True, s.name) if isinstance(s, nodes.Key) else (False, cast(nodes.Index, s).index) for s in segments
    )

    def walk(node: Any) -> Any:
        for is_key, key in steps:
            if is_key:
                if type(node) is not dict:
                    return _MISSING
                node = node.get(key, _MISSING)
                if node is _MISSING:
                    return _MISSING
            else:
                if type(node) is not list or key >= len(node):
                    return _MISSING
                node = node[key]
        return node

    return walk


def _all(parts: tuple[JsonTest, ...]) -> JsonTest:
    if len(parts) == 2:
        a, b = parts
        return lambda doc: a(doc) and b(doc)
    if len(parts) == 3:
        a, b, c = parts
        return lambda doc: a(doc) and b(doc) and c(doc)

    def every(doc: Any) -> bool:
        return all(p(doc) for p in parts)

    return every


def _any(parts: tuple[JsonTest, ...]) -> JsonTest:
    if len(parts) == 2:
        a, b = parts
        return lambda doc: a(doc) or b(doc)

    def some(doc: Any) -> bool:
        return any(p(doc) for p in parts)

    return some


def compile_json(expr: nodes.Expr) -> JsonTest:
    """A closure `test(document) -> bool` for a JSON pattern's expression.

    The visitor runs once, at compile time; matching calls only the closures it built.
    """
    return _JsonCompiler().visit(expr)


class _JsonCompiler(Visitor[JsonTest]):
    def visit_And(self, expr: nodes.And) -> JsonTest:
        return _all(tuple(self.visit(e) for e in expr.items))

    def visit_Or(self, expr: nodes.Or) -> JsonTest:
        return _any(tuple(self.visit(e) for e in expr.items))

    # A selector with `[*]` or `.*` is true if any selected value satisfies the condition.
    def visit_NotExists(self, expr: nodes.NotExists) -> JsonTest:
        if expr.target.wildcards:
            nodes_of = _resolver(expr.target.segments)
            return lambda doc: next(nodes_of(doc), _MISSING) is _MISSING
        walk = _walker(expr.target.segments)
        # "return JSON logs that don't contain specific fields": a field set to null exists.
        return lambda doc: walk(doc) is _MISSING

    def visit_IsCheck(self, expr: nodes.IsCheck) -> JsonTest:
        want = {"NULL": None, "TRUE": True, "FALSE": False}[expr.what]
        if expr.target.wildcards:
            nodes_of = _resolver(expr.target.segments)
            return lambda doc: any(v is want for v in nodes_of(doc))
        walk = _walker(expr.target.segments)
        return lambda doc: walk(doc) is want

    def visit_Compare(self, expr: nodes.Compare) -> JsonTest:
        assert isinstance(expr.target, nodes.Selector)
        if expr.target.wildcards:
            return _compile_wild_compare(expr, _resolver(expr.target.segments))
        return _compile_compare(expr, _walker(expr.target.segments))


def _compile_compare(expr: nodes.Compare, walk: Callable[[Any], Any]) -> JsonTest:
    test = value_test(expr.op, expr.value)
    value = expr.value
    if isinstance(value, nodes.Text) and not value.prefix_wild and not value.suffix_wild:
        # The common case, `$.eventName = "ConsoleLogin"`: a str compares directly.
        core, equal = value.core, expr.op == "="

        def compare_text(doc: Any) -> bool:
            v = walk(doc)
            if type(v) is str:
                return (v == core) is equal
            return v is not _MISSING and v is not None and type(v) is not dict \
                and type(v) is not list and test(v)

        return compare_text

    def compare(doc: Any) -> bool:
        v = walk(doc)
        # Arrays, objects and null never match = or != (nor any other comparison).
        return v is not _MISSING and v is not None and type(v) is not dict \
            and type(v) is not list and test(v)

    return compare


def _compile_wild_compare(expr: nodes.Compare, nodes_of: Callable[[Any], Iterator[Any]]) -> JsonTest:
    test = value_test(expr.op, expr.value)

    def compare(doc: Any) -> bool:
        return any(
            v is not None and type(v) is not dict and type(v) is not list and test(v) for v in nodes_of(doc)
        )

    return compare


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def load_json(message: str) -> Any:
    """The parsed event, or _MISSING when it is not JSON (a JSON pattern then never matches).

    orjson first; the standard library only for what orjson refuses but JSON allows (integers
    beyond 64 bits, lone surrogates in a Python str).
    """
    try:
        return orjson.loads(message)
    except orjson.JSONDecodeError:
        try:
            return json.loads(message, parse_constant=_reject_constant)
        except (ValueError, RecursionError):
            return _MISSING
    except RecursionError:
        return _MISSING
