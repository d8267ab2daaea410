"""FilterPattern.to_sql: DuckDB and Athena (Trino) expressions agree with the interpreter."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb
import orjson
import pytest
import sqlglot
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from signin_lab.filterpattern import FilterPattern, FilterPatternError

HERE = Path(__file__).parent / "conformance"
SQL_FILES = ("terms.json", "json.json", "regex.json")


def _message(event: Any) -> str:
    return event if isinstance(event, str) else orjson.dumps(event).decode()


def _cases() -> list[Any]:
    out = []
    for name in SQL_FILES:
        groups = json.loads((HERE / name).read_text(encoding="utf-8"))["groups"]
        for g, group in enumerate(groups):
            for c, case in enumerate(group["cases"]):
                out.append(pytest.param(group, case, id=f"{name[:-5]}-{g}.{c}-{case['pattern'][:40]}"))
    return out


CASES = _cases()


@lru_cache(maxsize=1)
def _con() -> duckdb.DuckDBPyConnection:
    return duckdb.connect()


def _sql_matches(sql: str, messages: list[str]) -> list[int]:
    """Indexes of the messages the SQL expression is true for, over a one-VARCHAR-column table."""
    con = _con()
    rows = con.execute(
        f"SELECT i FROM (SELECT unnest(range(len($m))) AS i, unnest($m) AS record) WHERE {sql} ORDER BY i",
        {"m": messages},
    ).fetchall()
    return [int(r[0]) for r in rows]


@pytest.mark.parametrize(("group", "case"), CASES)
def test_duckdb_agrees_with_interpreter_on_conformance(group: dict[str, Any], case: dict[str, Any]) -> None:
    """DuckDB matches exactly the documented events the interpreter matches."""
    fp = FilterPattern(case["pattern"])
    messages = [_message(e) for e in group["given"]]
    assert case["matches"] == _sql_matches(fp.to_sql("duckdb"), messages), group["source"]


@pytest.mark.parametrize(("group", "case"), CASES)
def test_athena_parses_as_trino(group: dict[str, Any], case: dict[str, Any]) -> None:
    """Every Athena expression parses with sqlglot's Trino dialect."""
    sql = FilterPattern(case["pattern"]).to_sql("athena")
    tree = sqlglot.parse_one(f"SELECT count(*) FROM cloudtrail WHERE {sql}", read="trino")
    assert "cloudtrail" == tree.find(sqlglot.exp.Table).name


def _transpiled(sql: str) -> str:
    select = sqlglot.transpile(f"SELECT {sql}", read="trino", write="duckdb")[0]
    return select.removeprefix("SELECT ")


@pytest.mark.parametrize(("group", "case"), CASES)
def test_athena_transpiled_to_duckdb_agrees(group: dict[str, Any], case: dict[str, Any]) -> None:
    """The Athena expression, transpiled by sqlglot to DuckDB, matches what the interpreter does
    on the JSON events."""
    fp = FilterPattern(case["pattern"])
    events = [e for e in group["given"] if isinstance(e, dict)]
    messages = [_message(e) for e in events]
    want = [i for i, m in enumerate(messages) if fp.matches(m)]
    assert want == _sql_matches(_transpiled(fp.to_sql("athena")), messages)


def test_space_delimited_is_refused() -> None:
    """A space-delimited pattern raises FilterPatternError(kind="sql") naming it."""
    with pytest.raises(FilterPatternError, match="space-delimited") as info:
        FilterPattern("[ip, user, status=4*]").to_sql("duckdb")
    assert "sql" == info.value.kind


def test_unknown_dialect_is_refused() -> None:
    """A dialect other than duckdb or athena raises FilterPatternError naming both."""
    with pytest.raises(FilterPatternError, match="duckdb, athena"):
        FilterPattern('{ $.a = "b" }').to_sql("postgres")  # type: ignore[arg-type]


def test_column_must_be_an_identifier() -> None:
    """A column that is not a plain identifier is refused, never pasted into SQL."""
    with pytest.raises(FilterPatternError, match="identifier"):
        FilterPattern('{ $.a = "b" }').to_sql("duckdb", column="x; DROP TABLE t")


def test_literal_quotes_are_escaped() -> None:
    """A value holding a single quote is matched as text, not read as SQL."""
    fp = FilterPattern("{ $.a = \"it's\" }")
    assert [0] == _sql_matches(fp.to_sql("duckdb"), ['{"a": "it\'s"}', '{"a": "its"}'])


def test_key_with_double_quote_is_refused() -> None:
    """A property name holding '"' has no safe JSON path: FilterPatternError(kind="sql")."""
    with pytest.raises(FilterPatternError) as info:
        FilterPattern("{ $.['a\"b'] = 1 }").to_sql("duckdb")
    assert "sql" == info.value.kind


def test_column_name_is_used() -> None:
    """The expression reads the named column."""
    assert "strpos(raw_event, 'ERROR') > 0" in FilterPattern("ERROR").to_sql("duckdb", column="raw_event")


def test_dollar_before_final_newline_matches_as_in_python() -> None:
    """`%ing$%` matches "starting\\n" in SQL as Python's re does."""
    fp = FilterPattern("{ $.a = %ing$% }")
    messages = ['{"a": "starting\\n"}', '{"a": "starting\\nx"}', '{"a": "starting"}']
    assert [0, 2] == _sql_matches(fp.to_sql("duckdb"), messages)


def test_possessive_quantifier_is_refused() -> None:
    """`a*+` (possessive in Python 3.11) has no RE2 form: FilterPatternError(kind="sql")."""
    with pytest.raises(FilterPatternError, match="possessive"):
        FilterPattern("%a*+%").to_sql("duckdb")


# -- generated records and patterns ---------------------------------------------------------
_KEYS = st.sampled_from(["a", "b", "eventName"])
_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**63), max_value=2**64 - 1),
    st.sampled_from([9007199254740992, 9007199254740993, 2**64 - 1]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(alphabet="ab1.e-+ \n", max_size=5),
    st.sampled_from(["1", "1.5", "-2e3", "true", "ab", "", "9007199254740993", "+5", "007"]),
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(_KEYS, inner, max_size=3)),
    max_leaves=6,
)
_RECORDS = st.one_of(
    st.dictionaries(_KEYS, _VALUES, max_size=4).map(lambda d: json.dumps(d)),
    st.sampled_from(["not json", "[1, 2]", "3", '"a"', '{"a": 1', ""]),
)
_SELECTORS = st.sampled_from(["$.a", "$.b", "$.a.b", "$.a[0]", "$.a[1].b", "$.a[*]", "$.*", "$.a.*", "$.a[*].b"])
_OPERANDS = st.sampled_from([
    '"ab"', "ab", '"1"', "1", "1.5", "-2e3", "0", '"true"', "true", "a*", "*b", "*1*", '""', "*",
    "%a%", "%^a%", "%b$%", "%\\d%", "%[0-9]+\\.%", "%a|1%", "%e\\+%", '"1.0"', "1e+16",
    "9007199254740993", "18446744073709551615", "-9223372036854775808", "+5",
])
_OPS = st.sampled_from(["=", "!=", "<", ">", "<=", ">="])


@st.composite
def _conditions(draw: st.DrawFn) -> str:
    sel = draw(_SELECTORS)
    kind = draw(st.sampled_from(["cmp", "cmp", "cmp", "is", "exists"]))
    if kind == "is":
        return f"{sel} IS {draw(st.sampled_from(['NULL', 'TRUE', 'FALSE']))}"
    if kind == "exists":
        return f"{sel} NOT EXISTS"
    operand = draw(_OPERANDS)
    numeric = operand[0] in "-0123456789" and "*" not in operand and "%" not in operand
    op = draw(_OPS) if numeric else draw(st.sampled_from(["=", "!="]))
    return f"{sel} {op} {operand}"


_PATTERNS = st.one_of(
    st.lists(_conditions(), min_size=1, max_size=3).flatmap(
        lambda cs: st.sampled_from([" && ", " || "]).map(lambda j: "{ " + j.join(cs) + " }")
    ),
    st.tuples(_conditions(), _conditions(), _conditions()).map(
        lambda c: "{ (" + c[0] + " || " + c[1] + ") && " + c[2] + " }"
    ),
    st.sampled_from(["ab", "-ab", "?ab ?1", '"a b" -e', "%\\d$%", "%^\\{%", "%a.b%", "%[^a]1%"]),
)
_SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(_PATTERNS, st.lists(_RECORDS, min_size=1, max_size=6))
def test_duckdb_agrees_with_interpreter_on_generated(pattern: str, records: list[str]) -> None:
    """On generated records and patterns, DuckDB's answer is the interpreter's."""
    try:
        fp = FilterPattern(pattern)
    except FilterPatternError as exc:  # too many regexes or wildcards for AWS
        if exc.kind not in ("regex_count", "wildcard_count"):
            raise
        assume(False)
        return
    want = [i for i, r in enumerate(records) if fp.matches(r)]
    assert want == _sql_matches(fp.to_sql("duckdb"), records)


_NO_FLOAT_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**63), max_value=2**64 - 1),
    st.text(alphabet="ab1.e-+ \n", max_size=5), st.sampled_from(["1", "1.5", "-2e3", "true", "ab", "+5"]),
)
_NO_FLOAT_RECORDS = st.dictionaries(_KEYS, st.recursive(
    _NO_FLOAT_SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(_KEYS, inner, max_size=3)),
    max_leaves=6,
), max_size=4).map(json.dumps)


@_SETTINGS
@given(_PATTERNS, st.lists(_NO_FLOAT_RECORDS, min_size=1, max_size=6))
def test_athena_transpiled_agrees_on_generated(pattern: str, records: list[str]) -> None:
    """On generated JSON records without floats (whose text is Trino's to write), the Athena
    SQL run by DuckDB after sqlglot's transpilation gives the interpreter's answer."""
    try:
        fp = FilterPattern(pattern)
    except FilterPatternError as exc:
        if exc.kind not in ("regex_count", "wildcard_count"):
            raise
        assume(False)
        return
    want = [i for i, r in enumerate(records) if fp.matches(r)]
    assert want == _sql_matches(_transpiled(fp.to_sql("athena")), records)
