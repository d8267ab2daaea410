"""A CloudTrail document decoded into only the fields its readers use: the fast path of both engines.

A CloudTrail delivery file is one JSON document `{"Records":[...]}`
(https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-examples.html).
msgspec decodes it into one small struct a record: `eventTime` (a string, as load.py requires
of every record), the top-level fields the filter patterns read (kept as raw JSON text, parsed
only for records that may match) and the fields a caller asks for by name (parsed). msgspec
checks the whole document as it goes, so a file it accepts is one orjson and load.py accept
too (but for the one case stated at the end), with the same records in the same order. A file
it refuses, or one this module does not prove the same, returns None and takes the general
path, which reports what is wrong exactly as before. Nothing else of a record is built, which
is what makes it fast.

Why the counts are the interpreter's: a JSON filter pattern reads only the fields its selectors
name (`$.userIdentity.type` reads `userIdentity`), so evaluating it on a record's projection onto
those fields gives the same answer as on the whole record. A pattern whose every match needs
`$.eventName` (or another top-level field) to equal a fixed text, `{ ($.eventName = "ConsoleLogin")
&& ... }`, is evaluated only on records whose field holds that text (a `guard`); the others
cannot match: the field is missing, not a string, or another string ("If a property selector
points to an array or object, the filter pattern won't match", and text made only of number
and literal characters, which could equal a number or true/false, is never used as a guard).

A pattern without such a guard is evaluated only on the records whose raw fields hold the texts
every match needs (`_clauses`: `$.userIdentity.type = "Root"` needs `Root` inside `userIdentity`), or
all of them.

What differs from orjson, stated: msgspec checks every number's syntax but converts only the
numbers of the fields it builds, so a number beyond a double's range (`1e400`) in a field that
is skipped, or kept as raw text and never parsed because its record cannot match, does not stop
this path, where orjson refuses the whole file ("number is infinity when parsed as double").
RFC 8259 allows such numbers. Invalid UTF-8 anywhere is refused here as orjson refuses it (the
text is checked when it is not ASCII), and so are lone surrogates, unknown escapes and leading
zeros (msgspec checks what it skips).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import msgspec
import orjson

from signin_lab.filterpattern import FilterPattern, nodes
from signin_lab.filterpattern.prefilter import _TOKEN_CHARS

_UNSET = msgspec.UNSET
_REFUSED = (msgspec.DecodeError, msgspec.ValidationError, RecursionError, UnicodeDecodeError)


class Projection:
    """How to decode a document for `patterns` (and the fields `wanted`), and evaluate them.

    `Projection.of(patterns, wanted)` is None when a pattern is not a JSON pattern whose
    selectors start with a field name (terms, space-delimited and regex patterns read the whole
    text; `$.*` and `$[0]` read every field): those files take the general path.
    """

    def __init__(self, patterns: Sequence[FilterPattern], read: list[str], wanted: Mapping[str, Any]) -> None:
        self.patterns = list(patterns)
        self.guards = [_guard(p.tree.expr) if isinstance(p.tree, nodes.JsonPattern) else None for p in patterns]
        self.clauses = [_clauses(p.tree.expr) if isinstance(p.tree, nodes.JsonPattern) else () for p in patterns]
        self.all = [isinstance(p.tree, nodes.MatchAll) for p in patterns]
        guarded = {g[0] for g in self.guards if g is not None}
        raw = [k for k in read if k not in guarded and k not in wanted and k != "eventTime"]
        parsed = {k: t for k, t in wanted.items() if k != "eventTime"}
        for key in guarded - {"eventTime"}:
            parsed.setdefault(key, Any)
        self.raw_fields = [(f"r{i}", key) for i, key in enumerate(raw)]
        self.parsed_fields = [(f"p{i}", key) for i, key in enumerate(parsed)]
        self.attr = {key: attr for attr, key in self.parsed_fields} | {"eventTime": "eventTime"}
        self.raw_attr = {key: attr for attr, key in self.raw_fields}
        fields: list[Any] = [("eventTime", str)]
        fields += [(a, msgspec.Raw | msgspec.UnsetType, msgspec.field(default=_UNSET, name=k))
                   for a, k in self.raw_fields]
        fields += [(a, parsed[k] | msgspec.UnsetType, msgspec.field(default=_UNSET, name=k))
                   for a, k in self.parsed_fields]
        record = msgspec.defstruct("Record", fields, gc=False)
        document = msgspec.defstruct("Document", [("Records", list[record])], gc=False)  # type: ignore[valid-type]
        self._decode = msgspec.json.Decoder(document).decode

    @classmethod
    def of(cls, patterns: Sequence[FilterPattern], wanted: Mapping[str, Any] | None = None) -> Projection | None:
        """The projection for these patterns, or None when one of them reads more than named fields."""
        read: dict[str, None] = {}
        for p in patterns:
            if isinstance(p.tree, nodes.MatchAll):
                continue
            if not isinstance(p.tree, nodes.JsonPattern):
                return None
            for selector in _selectors(p.tree.expr):
                first = selector.segments[0] if selector.segments else None
                if not isinstance(first, nodes.Key):
                    return None
                read[first.name] = None
        return cls(patterns, list(read), wanted or {})

    def decode(self, body: bytes) -> list[Any] | None:
        """The records of a `{"Records":[...]}` document as structs, or None (general path)."""
        try:
            if not body.isascii():
                body.decode("utf-8")  # orjson refuses invalid UTF-8 anywhere; msgspec only where it reads
            return self._decode(body).Records  # type: ignore[attr-defined,no-any-return]
        except _REFUSED:
            return None

    def getter(self, key: str) -> Callable[[Any], Any]:
        """A function giving a record's field the caller asked for (`wanted`), msgspec.UNSET when
        the record lacks it."""
        return operator.attrgetter(self.attr[key])

    def event(self, record: Any) -> dict[str, Any]:
        """The record's projection onto every field a pattern reads, as the interpreter takes it."""
        event: dict[str, Any] = {"eventTime": record.eventTime}
        for attr, key in self.raw_fields:
            raw = getattr(record, attr)
            if raw is not _UNSET:
                event[key] = orjson.loads(memoryview(raw))
        for attr, key in self.parsed_fields:
            value = getattr(record, attr)
            if value is not _UNSET:
                event[key] = value
        return event

    def matches(self, records: list[Any]) -> list[list[Any]] | None:
        """The records each pattern matches (in order), one list a pattern; None when a field a
        pattern reads is JSON orjson refuses (a number beyond a double's range): the general
        path then reports the file as load.py does."""
        guarded: dict[tuple[str, frozenset[str]], list[Any]] = {}
        built: dict[int, dict[str, Any]] = {}  # id(record) -> its event, built once for all patterns
        out = []
        for i, pattern in enumerate(self.patterns):
            if self.all[i]:
                out.append(records)
                continue
            candidates = records
            guard = self.guards[i]
            if guard is not None:
                candidates = guarded.get(guard)  # type: ignore[assignment]
                if candidates is None:
                    values = guard[1]
                    got = map(operator.attrgetter(self.attr[guard[0]]), records)
                    candidates = guarded[guard] = [
                        r for r, v in zip(records, got, strict=True) if v.__class__ is str and v in values
                    ]
            elif self.clauses[i]:  # (a guard leaves few records: the interpreter decides at once)
                candidates = [r for r in candidates if self._may_match(r, self.clauses[i])]
            test = pattern.matches_event
            hits = []
            for r in candidates:
                event = built.get(id(r))
                if event is None:
                    try:
                        event = built[id(r)] = self.event(r)
                    except orjson.JSONDecodeError:
                        return None
                if test(event):
                    hits.append(r)
            out.append(hits)
        return out

    def _may_match(self, record: Any, clauses: tuple[_Clause, ...]) -> bool:
        """False only when the record lacks a text every match of the pattern holds (`_clauses`)."""
        for clause in clauses:
            for key, text, data in clause:
                attr = self.raw_attr.get(key)
                if attr is not None:  # raw JSON text: the text is in it verbatim unless escaped
                    raw = getattr(record, attr)
                    if raw is not _UNSET and (b"\\" in (raw := bytes(raw)) or data in raw):
                        break
                    continue
                value = getattr(record, self.attr[key])
                if (text in value) if value.__class__ is str else isinstance(value, dict | list):
                    break  # a string holding the text, or a container that may hold it
            else:
                return False
        return True


_Clause = tuple[tuple[str, str, bytes], ...]  # any one of (top-level field, text, its UTF-8)


def _clauses(expr: nodes.Expr) -> tuple[_Clause, ...]:
    """What every match of `expr` holds: for each clause, one of its texts inside its top-level
    field. From `$.a.b = "text"` (also `*text*` wildcards) at the top of the pattern or in an
    `||` of such comparisons under it. The value matched is then a string holding the text
    (text with a character outside number and literal tokens cannot equal a number or
    true/false), and a JSON string without a backslash holds its characters verbatim."""
    clauses = []
    for item in expr.items if isinstance(expr, nodes.And) else (expr,):
        texts = [_text_of(alt) for alt in (item.items if isinstance(item, nodes.Or) else (item,))]
        if texts and all(t is not None for t in texts):
            clauses.append(tuple((k, t, t.encode()) for k, t in texts))  # type: ignore[misc]
    return tuple(clauses)


def _text_of(expr: nodes.Expr) -> tuple[str, str] | None:
    """(top-level field, text) of `$.field... = "text"`, or None."""
    found = _equality(expr)
    return None if found is None else (found[0], found[2].core)


def _equality(expr: nodes.Expr) -> tuple[str, nodes.Selector, nodes.Text] | None:
    """(top-level field, selector, value) of `$.field... = text` whose text has a character
    outside number and literal tokens (so only a string can match it), or None."""
    if not (isinstance(expr, nodes.Compare) and expr.op == "=" and isinstance(expr.target, nodes.Selector)):
        return None
    segments, value = expr.target.segments, expr.value
    if not (segments and isinstance(segments[0], nodes.Key) and isinstance(value, nodes.Text) and value.core):
        return None
    return None if set(value.core) <= _TOKEN_CHARS else (segments[0].name, expr.target, value)


def _selectors(expr: nodes.Expr) -> list[nodes.Selector]:
    """Every JSON selector of an expression."""
    if isinstance(expr, nodes.And | nodes.Or):
        return [s for item in expr.items for s in _selectors(item)]
    target = expr.target
    return [target] if isinstance(target, nodes.Selector) else []


def _guard(expr: nodes.Expr) -> tuple[str, frozenset[str]] | None:
    """(field, texts) when every match of `expr` has the top-level `field` equal to one of `texts`."""
    if isinstance(expr, nodes.Compare):
        found = _equality(expr)
        if found is None or len(found[1].segments) != 1 or found[2].prefix_wild or found[2].suffix_wild:
            return None
        return found[0], frozenset((found[2].core,))
    if isinstance(expr, nodes.And):
        return next((g for g in map(_guard, expr.items) if g is not None), None)
    if isinstance(expr, nodes.Or):
        guards = [_guard(item) for item in expr.items]
        if not guards or any(g is None for g in guards) or len({g[0] for g in guards}) != 1:  # type: ignore[index]
            return None
        return guards[0][0], frozenset().union(*(g[1] for g in guards))  # type: ignore[index]
    return None
