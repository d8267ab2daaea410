"""An exact literal pre-check on the raw text of a JSON event, before parsing it.

Why it is exact: a JSON string written without any backslash appears in the raw text
character for character, so when the raw text has no backslash, a key `"eventName"` or a value
`"ConsoleLogin"` that a pattern needs is present in the text or absent from the event. When the
text has a backslash (`\\u0043onsoleLogin`, `\\"`, `\\/`), the pre-check says "maybe" and the event
is parsed. Only text a match cannot do without is required: keys on the selector's path, and
for `=` the value's fixed part; nothing for `!=`, regexes, numbers, or `NOT EXISTS`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from signin_lab.filterpattern import nodes
from signin_lab.filterpattern.visitor import Visitor

# Characters of JSON number and literal tokens. A string value made only of these might be
# compared against a number or true/false (see evaluator.value_test), whose raw text can differ
# from the text compared (`1e3` vs "1000.0"), so such a value requires nothing.
_TOKEN_CHARS = frozenset("0123456789.eE+-truefalsn")


@dataclass(frozen=True)
class Need:
    """All of `literals` must be in the text, and each of `any_of` must be satisfied.

    Values come before keys in `literals`: keys such as `"userIdentity"` are in every CloudTrail
    record, values such as `"ConsoleLogin"` in few, so a value misses first.
    """

    literals: tuple[str, ...] = ()
    any_of: tuple[tuple[Need, ...], ...] = ()
    values: int = 0  # how many of `literals` (at the front) are values

    @property
    def empty(self) -> bool:
        return not self.literals and not self.any_of


def requirements(expr: nodes.Expr) -> Need:
    """What the raw text of any event matching `expr` must contain (backslash-free text)."""
    return _Requirements().visit(expr)


class _Requirements(Visitor[Need]):
    def visit_And(self, expr: nodes.And) -> Need:
        values: list[str] = []
        keys: list[str] = []
        groups: list[tuple[Need, ...]] = []
        for item in expr.items:
            need = self.visit(item)
            values.extend(need.literals[: need.values])
            keys.extend(need.literals[need.values :])
            groups.extend(need.any_of)
        values = list(dict.fromkeys(values))
        keys = [k for k in dict.fromkeys(keys) if k not in values]
        return Need(tuple(values + keys), tuple(groups), len(values))

    def visit_Or(self, expr: nodes.Or) -> Need:
        branches = tuple(self.visit(item) for item in expr.items)
        if any(b.empty for b in branches):
            return Need()
        return Need((), (branches,))

    def visit_NotExists(self, expr: nodes.NotExists) -> Need:
        return Need()

    def visit_IsCheck(self, expr: nodes.IsCheck) -> Need:
        value = {"NULL": "null", "TRUE": "true", "FALSE": "false"}[expr.what]
        return _need(expr.target, [value])

    def visit_Compare(self, expr: nodes.Compare) -> Need:
        assert isinstance(expr.target, nodes.Selector)
        value = _value_literal(expr.value) if expr.op == "=" and isinstance(expr.value, nodes.Text) else None
        return _need(expr.target, [value] if value else [])


def _need(target: nodes.Selector, values: list[str]) -> Need:
    keys = [f'"{s.name}"' for s in target.segments if isinstance(s, nodes.Key)]
    keys = [k for k in dict.fromkeys(keys) if k not in values]
    return Need(tuple(values + keys), (), len(values))


def _value_literal(text: nodes.Text) -> str | None:
    core = text.core
    if not core or set(core) <= _TOKEN_CHARS:
        return None
    return ("" if text.prefix_wild else '"') + core + ("" if text.suffix_wild else '"')


def compile_need(need: Need) -> Callable[[str], bool] | None:
    """`may_match(text)`: False only when the event certainly cannot match; None if useless."""
    if need.empty:
        return None
    check = _compile(need)

    def may_match(text: str) -> bool:
        return check(text) or "\\" in text

    return may_match


def compile_need_bytes(need: Need) -> Callable[[bytes, dict[bytes, bool]], bool]:
    """`check(raw, seen)` on raw bytes (one event or a whole file of them): False only when no
    event in them can match. `seen` memoises which literals occur in `raw`, so patterns needing
    the same literal ("ConsoleLogin" for all four of the blog's) search for it once. The test
    only asks whether text occurs, so a file without a literal holds no event with it."""
    if need.empty:
        return lambda raw, seen: True
    check = _compile_bytes(need)

    def may_match(raw: bytes, seen: dict[bytes, bool]) -> bool:
        slash = seen.get(b"\\")
        if slash is None:
            slash = seen[b"\\"] = b"\\" in raw
        return slash or check(raw, seen)

    return may_match


def _compile_bytes(need: Need) -> Callable[[bytes, dict[bytes, bool]], bool]:
    literals = tuple(lit.encode() for lit in need.literals)
    groups = tuple(tuple(_compile_bytes(b) for b in branches) for branches in need.any_of)

    def check(raw: bytes, seen: dict[bytes, bool]) -> bool:
        for lit in literals:
            found = seen.get(lit)
            if found is None:
                found = seen[lit] = lit in raw
            if not found:
                return False
        return all(any(b(raw, seen) for b in branches) for branches in groups)

    return check


def _compile(need: Need) -> Callable[[str], bool]:
    # Checking fewer necessary literals stays exact, only less selective. Keys such as
    # "userIdentity" are in nearly every CloudTrail record, so when a value is required the keys
    # only cost time on events that pass; they are checked when no value is required.
    lits = need.literals[: need.values] if need.values else need.literals[:2]
    groups = tuple(tuple(_compile(b) for b in branches) for branches in need.any_of)
    if not groups and len(lits) == 1:
        only = lits[0]
        return lambda text: only in text

    def check(text: str) -> bool:
        for lit in lits:
            if lit not in text:
                return False
        for branches in groups:
            for branch in branches:
                if branch(text):
                    break
            else:
                return False
        return True

    return check
