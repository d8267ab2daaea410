"""Space-delimited patterns: split an event into fields and fit `[a, b=4*, ..., c]` to them.

Semantics from https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
and https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_TestMetricFilter.html.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from signin_lab.filterpattern import nodes
from signin_lab.filterpattern.evaluator import value_test
from signin_lab.filterpattern.visitor import Visitor

# -- space-delimited ----------------------------------------------------------------------
# "Characters between brackets ("[]") and double quotation marks ("") are considered single
# fields"; the extracted values drop the brackets and quotes (FilterAndPatternSyntax,
# API_TestMetricFilter). Decision: a quote or bracket opens a field only at its start, and an
# unclosed one runs to the end of the event.
_FIELDS = re.compile(r'"([^"]*)"?|\[([^\]]*)\]?|(\S+)')


def split_fields(message: str) -> list[str]:
    """The fields of a space-delimited event."""
    return [a or b or c for a, b, c in _FIELDS.findall(message)]


Extractor = Callable[[str], "dict[str, str] | None"]


def compile_space(pattern: nodes.SpacePattern) -> Extractor:
    """A closure `extract(message)` -> the extracted values when the event matches, else None.

    The pattern must fit the whole event: "The pattern needs to match with the entire log event
    message" (counting404responses.html), so without `...` the field counts must be equal.
    Decision: this also applies to `[w1=ERROR, w2]`, which the current doc applies to longer
    lines; the 2021 doc lists only the two-word `ERROR message` as its match.
    """
    items: list[tuple[str | None, Callable[[str], bool] | None] | None] = []
    for f in pattern.fields:
        if isinstance(f, nodes.Ellipsis_):
            if items and items[-1] is None:
                continue  # `..., ...` is one ellipsis
            items.append(None)
        else:
            items.append((f.name, _field_test(f.condition) if f.condition is not None else None))
    fixed = [it for it in items if it is not None]
    n_items = len(items)

    def extract(message: str) -> dict[str, str] | None:
        fields = split_fields(message)
        m = len(fields)
        if len(fixed) == n_items:  # no ellipsis: a one-to-one fit
            positions: list[int] | None = _one_to_one(fixed, fields)
        else:
            positions = _fit(items, fields) if m >= len(fixed) else None
        if positions is None:
            return None
        names: list[str | None] = [None] * m
        for (name, _), pos in zip(fixed, positions, strict=True):
            names[pos] = name
        # Named fields as $name; unnamed ones and those under `...` by position, $1 first.
        return {
            (f"${name}" if name else f"${pos + 1}"): value
            for pos, (name, value) in enumerate(zip(names, fields, strict=True))
        }

    return extract


def _one_to_one(
    fixed: list[tuple[str | None, Callable[[str], bool] | None]], fields: list[str]
) -> list[int] | None:
    """Field i at position i when there are as many fields as items and each passes its test."""
    if len(fields) != len(fixed):
        return None
    for (_, test), value in zip(fixed, fields, strict=True):
        if test is not None and not test(value):
            return None
    return list(range(len(fields)))


def _fit(
    items: list[tuple[str | None, Callable[[str], bool] | None] | None], fields: list[str]
) -> list[int] | None:
    """Positions of the non-ellipsis items when the pattern fits the event, else None.

    Dynamic programming over (item, position): each `...` absorbs zero or more fields;
    among several fits the one where each `...` absorbs as few fields as possible wins.
    """
    m = len(fields)
    reach: list[dict[int, int]] = [{0: -1}]  # position -> position before this item
    for item in items:
        prev = reach[-1]
        cur: dict[int, int] = {}
        if item is None:
            cur = _absorb(prev, m)
        else:
            _, test = item
            for j in prev:
                if j < m and (test is None or test(fields[j])):
                    cur[j + 1] = j
        if not cur:
            return None
        reach.append(cur)
    if m not in reach[-1]:
        return None
    positions: list[int] = []
    k = m
    for level in range(len(items), 0, -1):
        j = reach[level][k]
        if items[level - 1] is not None:
            positions.append(j)
        k = j
    positions.reverse()
    return positions


def _absorb(prev: dict[int, int], m: int) -> dict[int, int]:
    """A `...` step of `_fit`: each position k reachable from a start, mapped to the latest start."""
    cur: dict[int, int] = {}
    starts = sorted(prev)
    i = 0
    for k in range(starts[0], m + 1):
        while i + 1 < len(starts) and starts[i + 1] <= k:
            i += 1
        cur[k] = starts[i]  # the latest start: this `...` absorbs the fewest fields
    return cur


def _field_test(expr: nodes.Expr) -> Callable[[str], bool]:
    return _FieldCompiler().visit(expr)


class _FieldCompiler(Visitor[Callable[[str], bool]]):
    """A space-delimited field's condition: `=`/`!=`/`<`... comparisons joined by && and ||
    (the parser allows nothing else there)."""

    def visit_And(self, expr: nodes.And) -> Callable[[str], bool]:
        parts = tuple(self.visit(e) for e in expr.items)
        return lambda v: all(p(v) for p in parts)

    def visit_Or(self, expr: nodes.Or) -> Callable[[str], bool]:
        parts = tuple(self.visit(e) for e in expr.items)
        return lambda v: any(p(v) for p in parts)

    def visit_Compare(self, expr: nodes.Compare) -> Callable[[str], bool]:
        return value_test(expr.op, expr.value)
