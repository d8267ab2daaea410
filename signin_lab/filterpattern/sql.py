"""Filter patterns compiled to one boolean SQL expression, for DuckDB and for Athena (Trino SQL).

The expression reads a VARCHAR column holding one log event (one CloudTrail record as JSON text)
and is true exactly when `FilterPattern.matches(text)` is: the interpreter's rules
(signin_lab.filterpattern.evaluator, from
https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html) written in
SQL. A JSON event is a JSON object; a missing field, JSON null, an array or an object matches
neither `=` nor `!=`; a string is compared as text, a number or numeric string numerically
against a number; booleans as "true"/"false"; numbers against a string as Python writes them
("1000.0" for 1e3). Space-delimited patterns are refused (FilterPatternError kind "sql").

Term and standalone regex patterns search the column's text as it is (as `matches` does);
regexes are rewritten for RE2 and Trino with Python's meaning (signin_lab.filterpattern.sql_regex).

Known limits (the differential tests in tests/test_filterpattern_sql.py stay clear of them):
- an integer (a JSON integer within 64 bits, or a string of up to 38 digits) compares exactly
  with an integer literal (DECIMAL(38,0)); other pairs compare as DOUBLE, so a float against an
  integer literal beyond 2**53 may round where Python is exact;
- a record with a duplicate key is read by DuckDB at its first occurrence, by Python at its last
  (CloudTrail writes none);
- a property name holding `"` or `\\` is refused (FilterPatternError kind "sql");
- Athena: the text of a JSON number Python reads as a float (compared with a string, a wildcard
  or a regex) is Trino's rendering, which cannot be run offline; the Athena SQL is otherwise
  tested by transpiling it with sqlglot to DuckDB.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Literal

from signin_lab.filterpattern import nodes
from signin_lab.filterpattern.errors import FilterPatternError
from signin_lab.filterpattern.sql_regex import translate
from signin_lab.filterpattern.visitor import Visitor

Dialect = Literal["duckdb", "athena"]
DIALECTS: tuple[Dialect, ...] = ("duckdb", "athena")
Test = Callable[[str], str]  # SQL over one JSON value (an SQL expression) -> SQL boolean
_COLUMN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*\Z")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
# lexer.NUMBER with ASCII digits, for the numeric strings compared with a number.
_NUMBER_RE = r"\A[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?\z"
_INTEGER_RE = r"\A[+-]?[0-9]{1,38}\z"
# Characters of every text Python gives a number or a boolean: a value without any other
# character can only equal (or hold) the text of a string.
_SCALAR_CHARS = frozenset("0123456789.e+-infatrulsE")


def quote(text: str) -> str:
    """`text` as a SQL string literal ('' doubles a quote; backslashes are plain in both dialects)."""
    return "'" + text.replace("'", "''") + "'"


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class _Target:
    """How one dialect reads a JSON value `v` (an SQL expression of JSON type; NULL when missing)."""

    def path(self, segments: tuple[nodes.Segment, ...], where: str) -> str:
        raise NotImplementedError

    def extract(self, doc: str, path: str) -> str:
        raise NotImplementedError

    def object_guard(self, column: str, expr: str) -> str:
        raise NotImplementedError

    def kind(self, v: str, kinds: tuple[str, ...]) -> str:
        """True when v is one of "string", "number", "boolean", "null"."""
        raise NotImplementedError

    def string(self, v: str) -> str:
        raise NotImplementedError

    def text(self, v: str) -> str:
        """The text the interpreter compares a scalar as; NULL for null, arrays, objects."""
        raise NotImplementedError

    def number(self, v: str) -> str:
        """A number, or a string that is a number, as DOUBLE; else NULL."""
        raise NotImplementedError

    def integer(self, v: str) -> str:
        """An integer-valued number or string ("+5", 12345678901234567890) as DECIMAL(38,0),
        exact as Python's int; NULL for anything else or beyond 38 digits."""
        raise NotImplementedError

    def regex(self, s: str, source: str) -> str:
        raise NotImplementedError

    def contains(self, s: str, literal: str) -> str:
        return f"strpos({s}, {quote(literal)}) > 0"

    def wild(self, doc: str, head: str, star: nodes.Segment, tail: str, test: Test | None) -> str:
        """Whether any value under the wildcard passes `test` (SQL over one value);
        with `test` None, whether there is no such value at all (NOT EXISTS)."""
        raise NotImplementedError


class _DuckDB(_Target):
    def path(self, segments: tuple[nodes.Segment, ...], where: str) -> str:
        out = "$"
        for s in segments:
            if isinstance(s, nodes.Key):
                _check_key(s.name, where)
                out += f'."{s.name}"'
            elif isinstance(s, nodes.Index):
                out += f"[{s.index}]"
            elif isinstance(s, nodes.AnyKey):
                out += ".*"
            else:
                out += "[*]"
        return out

    def extract(self, doc: str, path: str) -> str:
        return f"json_extract({doc}, {quote(path)})"

    def object_guard(self, column: str, expr: str) -> str:
        # json_valid first: json_type of a text that is not JSON raises instead of giving NULL.
        return (f"CASE WHEN json_valid({column}) THEN json_type({column}) = 'OBJECT' AND {expr} "
                "ELSE FALSE END")

    def kind(self, v: str, kinds: tuple[str, ...]) -> str:
        names = {"string": ("VARCHAR",), "number": ("BIGINT", "UBIGINT", "DOUBLE"),
                 "boolean": ("BOOLEAN",), "null": ("NULL",)}
        types = [t for k in kinds for t in names[k]]
        return f"json_type({v}) IN ({', '.join(map(quote, types))})"

    def string(self, v: str) -> str:
        return f"json_extract_string({v}, '$')"

    def text(self, v: str) -> str:
        # DOUBLE (a fraction, an exponent, or an integer beyond 64 bits, which orjson also reads
        # as a float): format('{}') writes the shortest repr as Python's repr does ("1e+16").
        return (f"CASE json_type({v}) WHEN 'VARCHAR' THEN json_extract_string({v}, '$') "
                f"WHEN 'DOUBLE' THEN format('{{}}', CAST({v} AS DOUBLE)) "
                f"WHEN 'NULL' THEN NULL WHEN 'ARRAY' THEN NULL WHEN 'OBJECT' THEN NULL "
                f"ELSE CAST({v} AS VARCHAR) END")

    def number(self, v: str) -> str:
        s = self.string(v)
        return (f"CASE json_type({v}) WHEN 'VARCHAR' THEN CASE WHEN regexp_matches({s}, "
                f"{quote(_NUMBER_RE)}) THEN TRY_CAST({s} AS DOUBLE) END "
                f"WHEN 'BIGINT' THEN CAST({v} AS DOUBLE) WHEN 'UBIGINT' THEN CAST({v} AS DOUBLE) "
                f"WHEN 'DOUBLE' THEN CAST({v} AS DOUBLE) END")

    def integer(self, v: str) -> str:
        s = (f"CASE json_type({v}) WHEN 'VARCHAR' THEN {self.string(v)} "
             f"WHEN 'BIGINT' THEN CAST({v} AS VARCHAR) WHEN 'UBIGINT' THEN CAST({v} AS VARCHAR) END")
        return (f"CASE WHEN regexp_matches({s}, {quote(_INTEGER_RE)}) "
                f"THEN TRY_CAST({s} AS DECIMAL(38, 0)) END")

    def regex(self, s: str, source: str) -> str:
        return f"regexp_matches({s}, {quote(source)})"

    def wild(self, doc: str, head: str, star: nodes.Segment, tail: str, test: Test | None) -> str:
        values = self.extract(doc, head + (".*" if isinstance(star, nodes.AnyKey) else "[*]") + tail[1:])
        if test is None:
            return f"coalesce(len({values}), 0) = 0"
        return f"coalesce(len(list_filter({values}, lambda x: {test('x')})) > 0, FALSE)"


class _Athena(_Target):
    def path(self, segments: tuple[nodes.Segment, ...], where: str) -> str:
        out = "$"
        for s in segments:
            if isinstance(s, nodes.Key):
                _check_key(s.name, where)
                out += f".{s.name}" if _IDENT.match(s.name) else f'["{s.name}"]'
            elif isinstance(s, nodes.Index):
                out += f"[{s.index}]"
            else:  # the caller splits selectors at their wildcard
                raise TypeError("wildcard in an Athena JSON path")
        return out

    def extract(self, doc: str, path: str) -> str:
        # `x`, a wildcard's element, is JSON already; the column is text and is parsed here.
        return doc if path == "$" and doc == "x" else f"json_extract({doc}, {quote(path)})"

    def object_guard(self, column: str, expr: str) -> str:
        return f"CASE WHEN json_format(json_extract({column}, '$')) LIKE '{{%' THEN {expr} ELSE FALSE END"

    def kind(self, v: str, kinds: tuple[str, ...]) -> str:
        f = f"json_format({v})"
        tests = {"string": f"{f} LIKE '\"%'", "number": f"regexp_like({f}, '\\A-?[0-9]')",
                 "boolean": f"{f} IN ('true', 'false')", "null": f"{f} = 'null'"}
        return "(" + " OR ".join(tests[k] for k in kinds) + ")"

    def string(self, v: str) -> str:
        return f"json_extract_scalar({v}, '$')"

    def text(self, v: str) -> str:
        f = f"json_format({v})"
        return (f"CASE WHEN {f} LIKE '\"%' THEN json_extract_scalar({v}, '$') "
                f"WHEN {f} LIKE '{{%' OR {f} LIKE '[%' OR {f} = 'null' THEN NULL ELSE {f} END")

    def number(self, v: str) -> str:
        f, s = f"json_format({v})", self.string(v)
        return (f"CASE WHEN {f} LIKE '\"%' THEN CASE WHEN regexp_like({s}, {quote(_NUMBER_RE)}) "
                f"THEN TRY_CAST({s} AS DOUBLE) END WHEN regexp_like({f}, '\\A-?[0-9]') "
                f"THEN TRY_CAST({f} AS DOUBLE) END")

    def integer(self, v: str) -> str:
        # A JSON integer outside 64 bits is a float to orjson: it compares as DOUBLE.
        f = f"json_format({v})"
        s = (f"CASE WHEN {f} LIKE '\"%' THEN {self.string(v)} WHEN TRY_CAST({f} AS DECIMAL(38, 0)) "
             f"BETWEEN -9223372036854775808 AND 18446744073709551615 THEN {f} END")
        return (f"CASE WHEN regexp_like({s}, {quote(_INTEGER_RE)}) "
                f"THEN TRY_CAST({s} AS DECIMAL(38, 0)) END")

    def regex(self, s: str, source: str) -> str:
        return f"regexp_like({s}, {quote(source)})"

    def wild(self, doc: str, head: str, star: nodes.Segment, tail: str, test: Test | None) -> str:
        parent = self.extract(doc, head)
        if isinstance(star, nodes.AnyKey):
            values = f"map_values(TRY_CAST({parent} AS MAP(VARCHAR, JSON)))"
        else:
            values = f"TRY_CAST({parent} AS ARRAY(JSON))"
        # A JSON null element may come out of the cast as SQL NULL: it is there, and null.
        values = f"transform({values}, x -> coalesce(x, JSON 'null'))"
        child = self.extract("x", tail)
        if test is None:
            return f"coalesce(cardinality(filter({values}, x -> {child} IS NOT NULL)), 0) = 0"
        return f"coalesce(cardinality(filter({values}, x -> {test(child)})) > 0, FALSE)"


def _check_key(name: str, where: str) -> None:
    if '"' in name or "\\" in name or not name:
        raise FilterPatternError(
            "a property name with '\"' or '\\' (or empty) cannot be written as a SQL JSON path",
            where, 1, "sql",
        )


_TARGETS: dict[str, _Target] = {"duckdb": _DuckDB(), "athena": _Athena()}


class SQLCompiler(Visitor[str]):
    """Writes a parse tree as SQL in one dialect (visit the tree's root)."""

    def __init__(self, pattern: str, dialect: str, column: str) -> None:
        if dialect not in _TARGETS:
            raise FilterPatternError(
                f"unknown SQL dialect {dialect!r}; choose one of {', '.join(DIALECTS)}", pattern, 1, "sql"
            )
        if not isinstance(column, str) or not _COLUMN.match(column):
            raise FilterPatternError(
                f"column {column!r} is not a plain SQL identifier (letters, digits, _ and dots)",
                pattern, 1, "sql",
            )
        self.pattern, self.dialect, self.column = pattern, dialect, column
        self.t = _TARGETS[dialect]

    # -- whole patterns -------------------------------------------------------------------
    def visit_MatchAll(self, node: nodes.MatchAll) -> str:
        return "TRUE"

    def visit_TermPattern(self, node: nodes.TermPattern) -> str:
        # Case-sensitive substrings of the raw text, as evaluator's term matcher.
        col = self.column
        parts = [self.t.contains(col, t) for t in node.include]
        parts += [f"NOT ({self.t.contains(col, t)})" for t in node.exclude]
        if node.optional:
            parts.append("(" + " OR ".join(self.t.contains(col, t) for t in node.optional) + ")")
        return "(" + " AND ".join(parts) + ")" if parts else "TRUE"

    def visit_RegexPattern(self, node: nodes.RegexPattern) -> str:
        return self._search(self.column, node.regex)

    def visit_SpacePattern(self, node: nodes.SpacePattern) -> str:
        raise FilterPatternError(
            "a space-delimited pattern cannot be compiled to SQL (its fields and '...' fits "
            "have no faithful SQL form here)", self.pattern, 1, "sql",
        )

    def visit_JsonPattern(self, node: nodes.JsonPattern) -> str:
        return self.t.object_guard(self.column, self.visit(node.expr))

    # -- expressions ----------------------------------------------------------------------
    def visit_And(self, node: nodes.And) -> str:
        return "(" + " AND ".join(self.visit(e) for e in node.items) + ")"

    def visit_Or(self, node: nodes.Or) -> str:
        return "(" + " OR ".join(self.visit(e) for e in node.items) + ")"

    def visit_NotExists(self, node: nodes.NotExists) -> str:
        wild = self._wild(node.target, None)
        if wild is not None:
            return wild
        return f"{self._value(node.target)} IS NULL"

    def visit_IsCheck(self, node: nodes.IsCheck) -> str:
        return self._leaf(node.target, lambda v: self._is(v, node.what))

    def visit_Compare(self, node: nodes.Compare) -> str:
        assert isinstance(node.target, nodes.Selector)  # space-delimited patterns are refused
        return self._leaf(node.target, lambda v: self._compare(v, node.op, node.value))

    # -- leaves ---------------------------------------------------------------------------
    def _value(self, target: nodes.Selector) -> str:
        return self.t.extract(self.column, self.t.path(target.segments, self.pattern))

    def _wild(self, target: nodes.Selector, test: Test | None) -> str | None:
        segs = target.segments
        at = next((i for i, s in enumerate(segs) if isinstance(s, (nodes.AnyKey, nodes.AnyIndex))), None)
        if at is None:
            return None
        head = self.t.path(segs[:at], self.pattern)
        tail = self.t.path(segs[at + 1 :], self.pattern)
        return self.t.wild(self.column, head, segs[at], tail, test)

    def _leaf(self, target: nodes.Selector, test: Test) -> str:
        def total(v: str) -> str:
            return f"coalesce({test(v)}, FALSE)"

        wild = self._wild(target, total)
        return wild if wild is not None else total(self._value(target))

    def _is(self, v: str, what: str) -> str:
        if what == "NULL":
            return self.t.kind(v, ("null",))
        return f"{self.t.kind(v, ('boolean',))} AND {self.t.text(v)} = {quote(what.lower())}"

    def _compare(self, v: str, op: str, value: nodes.Value) -> str:
        t = self.t
        if isinstance(value, nodes.Number):
            n = t.number(v)
            sql_op = "<>" if op == "!=" else op
            test = f"({n}) {sql_op} CAST({quote(value.text)} AS DOUBLE)"
            if isinstance(value.value, int) and len(str(abs(value.value))) <= 38:
                # Python compares two ints exactly: so does DECIMAL(38,0), where DOUBLE rounds
                # beyond 2**53. Other pairs compare as DOUBLE.
                i = t.integer(v)
                test = (f"CASE WHEN ({i}) IS NOT NULL THEN ({i}) {sql_op} "
                        f"CAST({quote(str(value.value))} AS DECIMAL(38, 0)) ELSE {test} END")
            if op == "!=":  # a scalar that is no number (a word, a boolean) differs from it
                scalar = t.kind(v, ("string", "number", "boolean"))
                return f"{scalar} AND coalesce({test}, ({n}) IS NULL)"
            return test
        if isinstance(value, nodes.Regex):
            scalar = t.kind(v, ("string", "number", "boolean"))
            found = self._search(t.text(v), value)
            return f"{scalar} AND {'NOT ' if op == '!=' else ''}{found}"
        core = value.core
        wild = value.prefix_wild or value.suffix_wild
        if not wild and not set(core) <= _SCALAR_CHARS:
            # Only a string's text can equal this value: no number or boolean rendering needed.
            if op == "=":
                return f"{t.kind(v, ('string',))} AND {t.string(v)} = {quote(core)}"
            return (f"{t.kind(v, ('number', 'boolean'))} OR ({t.kind(v, ('string',))} "
                    f"AND {t.string(v)} <> {quote(core)})")
        s = t.text(v)
        if wild:
            like = ("%" if value.prefix_wild else "") + _like(core) + ("%" if value.suffix_wild else "")
            test = f"({s}) LIKE {quote(like)} ESCAPE '\\'"
        else:
            test = f"({s}) = {quote(core)}"
        return f"NOT ({test})" if op == "!=" else test

    def _search(self, s: str, regex: nodes.Regex) -> str:
        rx = translate(regex, self.pattern)
        found = self.t.regex(s, rx.source)
        if not rx.dollar:
            return found
        # Python's `$` also matches before a final "\n": test the text without it too.
        cut = self.t.regex(f"substr({s}, 1, length({s}) - 1)", rx.source)
        return f"({found} OR (substr({s}, length({s})) = chr(10) AND {cut}))"


def to_sql(tree: nodes.Pattern, pattern: str, dialect: str, column: str = "record") -> str:
    """The boolean SQL expression for a parsed pattern (see FilterPattern.to_sql)."""
    return SQLCompiler(pattern, dialect, column).visit(tree)
