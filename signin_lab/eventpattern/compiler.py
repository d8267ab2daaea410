"""Parse and validate an EventBridge event pattern into a tree of object and field tests.

The rules and the reasons in the errors are those of EventBridge's PutRule / TestEventPattern
(InvalidEventPatternException "Event pattern is not valid. Reason: ..."); the reasons are worded as
the open-source matcher behind EventBridge words them (aws/event-ruler, JsonRuleCompiler.java,
read at commit 337e8d99). Documented rules: "Event patterns"
(https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html), "Comparison
operators" (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html),
TestEventPattern (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_TestEventPattern.html:
EventPattern "Length Constraints: Maximum length of 4096").
"""

from __future__ import annotations

import ipaddress
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from signin_lab.eventpattern.errors import ErrorKind, EventPatternError, json_path
from signin_lab.eventpattern.matchers import (
    AnythingBut,
    AnythingButOf,
    Cidr,
    EqualsIgnoreCase,
    Exact,
    Exists,
    Matcher,
    Numeric,
    Prefix,
    Suffix,
    Wildcard,
    is_number,
    loads,
)

#: TestEventPattern / PutRule EventPattern: "Length Constraints: Maximum length of 4096."
MAX_LENGTH = 4096
#: "Rules containing wildcards: Each supported Region: 30 rules per event bus ... This quota cannot
#: be adjusted." (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html)
MAX_WILDCARD_RULES_PER_BUS = 30
#: Nesting the kit follows (objects, $or); not an AWS limit, a guard for Python's stack.
MAX_DEPTH = 64

OR = "$or"
#: Names event-ruler reserves inside $or (Constants.RESERVED_FIELD_NAMES_IN_OR_RELATIONSHIP).
RESERVED_IN_OR = frozenset({
    "exactly", "equals-ignore-case", "prefix", "suffix", "anything-but", "exists", "wildcard",
    "numeric", "cidr", "=", "<", "<=", ">", ">=", "regex", "not-wildcard",
    "not-equals-ignore-case", "date-after", "date-on-or-after", "date-before",
    "date-on-or-before", "in-date-range", "ip-address-in-range", "ip-address-not-in-range",
})

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class FieldTest:
    """A field whose value in the pattern is an array: it matches if any matcher matches."""

    key: str
    matchers: tuple[Matcher, ...]


@dataclass(frozen=True)
class ObjectTest:
    """An object of the pattern: every field must match (AND), and one branch of each $or."""

    fields: tuple[tuple[str, ObjectTest | FieldTest], ...]
    ors: tuple[tuple[ObjectTest, ...], ...] = ()


def uses_wildcard(test: ObjectTest) -> bool:
    """Whether a pattern has a wildcard (plain or inside anything-but): such rules count
    against MAX_WILDCARD_RULES_PER_BUS."""
    for _key, sub in test.fields:
        if isinstance(sub, ObjectTest):
            if uses_wildcard(sub):
                return True
        elif any(isinstance(m, Wildcard) or (isinstance(m, AnythingButOf) and any(
                isinstance(i, Wildcard) for i in m.inner)) for m in sub.matchers):
            return True
    return any(uses_wildcard(branch) for group in test.ors for branch in group)


def _fail(reason: str, path: Path, kind: ErrorKind = "structure") -> EventPatternError:
    return EventPatternError(reason, json_path(path), kind)


def load(pattern: str | dict[str, Any]) -> tuple[str, Any]:
    """The pattern as (JSON text, parsed value); too long or not JSON -> EventPatternError."""
    if isinstance(pattern, str):
        text = pattern
        if len(text) > MAX_LENGTH:
            raise _fail(f"the pattern has {len(text)} characters; EventPattern allows at most "
                        f"{MAX_LENGTH}", (), "too_long")
        try:
            value = loads(text)
        except (ValueError, RecursionError) as exc:
            raise _fail(f"not JSON text: {exc}", (), "json") from None
        return text, value
    if not isinstance(pattern, dict):
        raise _fail("Filter is not an object", ())
    try:
        text = json.dumps(pattern, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError, RecursionError) as exc:
        raise _fail(f"not JSON data: {exc}", (), "json") from None
    if len(text) > MAX_LENGTH:
        raise _fail(f"the pattern has {len(text)} characters as JSON; EventPattern allows at "
                    f"most {MAX_LENGTH}", (), "too_long")
    return text, pattern


def compile_pattern(value: Any) -> ObjectTest:
    """The tree of a parsed pattern, or EventPatternError naming the JSON path."""
    if not isinstance(value, dict):
        raise _fail("Filter is not an object", ())
    return _object(value, (), in_or=False)


def _object(obj: dict[str, Any], path: Path, *, in_or: bool) -> ObjectTest:
    if len(path) > MAX_DEPTH:
        raise _fail(f"nested deeper than {MAX_DEPTH} levels (a limit of this kit, not AWS's)",
                    path, "too_deep")
    if not obj:
        raise _fail("Empty objects are not allowed", path)
    fields: list[tuple[str, ObjectTest | FieldTest]] = []
    ors: list[tuple[ObjectTest, ...]] = []
    for key, value in obj.items():
        here = (*path, key)
        if key == OR:
            ors.append(_or(value, here))
            continue
        if in_or and key in RESERVED_IN_OR:
            raise _fail(f"{key} is Ruler reserved fieldName which cannot be used inside $or.",
                        here, "or")
        if isinstance(value, dict):
            fields.append((key, _object(value, here, in_or=in_or)))
        elif isinstance(value, list):
            fields.append((key, FieldTest(key, _values(value, here))))
        else:
            raise _fail(f'"{key}" must be an object or an array', here)
    return ObjectTest(tuple(fields), tuple(ors))


def _or(value: Any, path: Path) -> tuple[ObjectTest, ...]:
    if not isinstance(value, list):
        raise _fail("It must be an Array followed with $or.", path, "or")
    branches = []
    for i, item in enumerate(value):
        if not isinstance(item, dict):
            raise _fail("Only JSON object is allowed in array of $or relationship.",
                        (*path, i), "or")
        branches.append(_object(item, (*path, i), in_or=True))
    if len(branches) < 2:
        raise _fail("There must have at least 2 Objects in $or relationship.", path, "or")
    return tuple(branches)


def _values(items: list[Any], path: Path) -> tuple[Matcher, ...]:
    if not items:
        raise _fail("Empty arrays are not allowed", path)
    out: list[Matcher] = []
    for i, item in enumerate(items):
        here = (*path, i)
        if isinstance(item, dict):
            out.append(_expression(item, here))
        elif isinstance(item, list):
            raise _fail("Match value must be String, number, true, false, or null", here)
        elif is_number(item) and not math.isfinite(item):
            raise _fail(f"Cannot compare number : {item}", here, "numeric")
        else:
            out.append(Exact(item))
    return tuple(out)


def _only_key(expr: dict[str, Any], path: Path) -> None:
    if len(expr) > 1:
        raise _fail("Only one key allowed in match expression", path, "match_type")


def _expression(expr: dict[str, Any], path: Path) -> Matcher:
    """One `{operator: operand}` object inside a field's array."""
    if not expr:
        raise _fail("Match expression name not found", path, "match_type")
    name, operand = next(iter(expr.items()))
    build = _OPERATORS.get(name)
    if build is None:
        raise _fail(f"Unrecognized match type {name}", (*path, name), "match_type")
    return build(expr, name, operand, path)


def _prefix_suffix(expr: dict[str, Any], name: str, operand: Any, path: Path) -> Matcher:
    here = (*path, name)
    cls = Prefix if name == "prefix" else Suffix
    if isinstance(operand, dict):
        text = _ignore_case_operand(operand, here, name)
        _only_key(expr, path)
        return cls(text, ignore_case=True)
    if not isinstance(operand, str):
        raise _fail(f"{name} match pattern must be a string", here, "operand")
    _only_key(expr, path)
    return cls(operand)


def _numeric_expression(expr: dict[str, Any], name: str, operand: Any, path: Path) -> Matcher:
    here = (*path, name)
    if not isinstance(operand, list):
        raise _fail("Value of numeric must be an array.", here, "numeric")
    numeric = _numeric(operand, here)
    if len(expr) > 1:
        raise _fail("Too many elements in numeric expression", path, "numeric")
    return numeric


def _anything_but_expression(expr: dict[str, Any], name: str, operand: Any, path: Path) -> Matcher:
    matcher = _anything_but(operand, (*path, name))
    if len(expr) > 1:
        raise _fail("Too many elements in numeric expression", path, "match_type")
    return matcher


def _exists(expr: dict[str, Any], name: str, operand: Any, path: Path) -> Matcher:
    if not isinstance(operand, bool):
        raise _fail("exists match pattern must be either true or false.", (*path, name), "operand")
    _only_key(expr, path)
    return Exists(operand)


def _cidr_expression(expr: dict[str, Any], name: str, operand: Any, path: Path) -> Matcher:
    here = (*path, name)
    if not isinstance(operand, str):
        # event-ruler words this error as for prefix (JsonRuleCompiler, the cidr branch)
        raise _fail("prefix match pattern must be a string", here, "operand")
    network = _cidr(operand, here)
    _only_key(expr, path)
    return Cidr(network)


def _equals(expr: dict[str, Any], name: str, operand: Any, path: Path) -> Matcher:
    if not isinstance(operand, str):
        what = "exact" if name == "exactly" else name
        raise _fail(f"{what} match pattern must be a string", (*path, name), "operand")
    _only_key(expr, path)
    return EqualsIgnoreCase(operand) if name == "equals-ignore-case" else Exact(operand)


def _wildcard(expr: dict[str, Any], name: str, operand: Any, path: Path) -> Matcher:
    here = (*path, name)
    if not isinstance(operand, str):
        raise _fail("wildcard match pattern must be a string", here, "operand")
    _check_wildcard(operand, here)
    _only_key(expr, path)
    return Wildcard(operand)


# Each operator's compiler: (the expression object, operator, operand, path to the object).
_OPERATORS: dict[str, Callable[[dict[str, Any], str, Any, Path], Matcher]] = {
    "prefix": _prefix_suffix,
    "suffix": _prefix_suffix,
    "numeric": _numeric_expression,
    "anything-but": _anything_but_expression,
    "exists": _exists,
    "cidr": _cidr_expression,
    "equals-ignore-case": _equals,
    "exactly": _equals,
    "wildcard": _wildcard,
}


def _ignore_case_operand(operand: dict[str, Any], path: Path, outer: str) -> str:
    """`{"equals-ignore-case": "x"}` inside prefix or suffix."""
    if not operand:
        raise _fail(f"{outer.capitalize()} expression name not found", path, "match_type")
    inner, text = next(iter(operand.items()))
    if inner != "equals-ignore-case":
        raise _fail(f"Unsupported {outer} pattern: {inner}", (*path, inner), "match_type")
    if not isinstance(text, str):
        raise _fail("equals-ignore-case match pattern must be a string", (*path, inner), "operand")
    if len(operand) > 1:
        raise _fail("Only one key allowed in match expression", path, "match_type")
    return text


def _numeric(items: list[Any], path: Path) -> Numeric:
    """`[op, n]` or `[">"|">=", n, "<"|"<=", m]`, as event-ruler's processNumericMatchExpression."""

    def number(i: int, op: str) -> float:
        return _numeric_operand(items, path, i, op)

    def end(i: int, message: str = "Too many elements in numeric expression") -> None:
        if len(items) > i:
            raise _fail(message, (*path, i), "numeric")

    if not items or not isinstance(items[0], str):
        shown = "]" if not items else json.dumps(items[0])
        raise _fail(f"Invalid member in numeric match: {shown}", (*path, 0), "numeric")
    op = items[0]
    if op == "=":
        n = number(1, op)
        end(2)
        return Numeric(n, False, n, False)
    if op in ("<", "<="):
        n = number(1, op)
        end(2)
        return Numeric(high=n, high_open=op == "<")
    if op not in (">", ">="):
        raise _fail(f"Unrecognized numeric range operator: {op}", (*path, 0), "numeric")
    low = number(1, op)
    if len(items) == 2:
        return Numeric(low=low, low_open=op == ">")
    return _numeric_range(items, path, low, op)


def _numeric_operand(items: list[Any], path: Path, i: int, op: str) -> float:
    """The finite number at `items[i]` that follows operator `op`."""
    value: Any = items[i] if i < len(items) else None
    if not is_number(value):
        name = "equals" if op == "=" else op
        raise _fail(f"Value of {name} must be numeric", (*path, i), "numeric")
    if not math.isfinite(value):
        raise _fail(f"Cannot compare number : {value}", (*path, i), "numeric")
    return float(value)


def _numeric_range(items: list[Any], path: Path, low: float, op: str) -> Numeric:
    """The upper half of `[">"|">=", low, "<"|"<=", high]`: items[2:] and nothing after."""
    top_op = items[2]
    if not isinstance(top_op, str):
        raise _fail(f"Bad value in numeric range: {json.dumps(top_op)}", (*path, 2), "numeric")
    if top_op not in ("<", "<="):
        raise _fail(f"Bad numeric range operator: {top_op}", (*path, 2), "numeric")
    high = _numeric_operand(items, path, 3, top_op)
    if len(items) > 4:
        raise _fail("Too many terms in numeric range expression", (*path, 4), "numeric")
    if not low < high:
        raise _fail("Bottom must be less than top", path, "numeric")
    return Numeric(low, op == ">", high, top_op == "<")


_SET_OPS = ("equals-ignore-case", "prefix", "suffix", "wildcard")


def _anything_but(operand: Any, path: Path) -> Matcher:
    """Every documented form of anything-but (value, list, prefix, suffix, ignore case, wildcard)."""
    kind = None
    if isinstance(operand, dict):
        if not operand:
            raise _fail("Anything-But expression name not found", path, "match_type")
        kind, inner = next(iter(operand.items()))
        if kind not in _SET_OPS:
            raise _fail(f"Unsupported anything-but pattern: {kind}", (*path, kind), "match_type")
        if len(operand) > 1:
            raise _fail("Too many elements in numeric expression", path, "match_type")
        path, operand = (*path, kind), inner
    if not (isinstance(operand, list | str) or is_number(operand)):
        raise _fail("Value of anything-but must be an array or single string/number value.",
                    path, "operand")
    items = operand if isinstance(operand, list) else [operand]
    if kind is None:
        return _anything_but_values(items, path, listed=isinstance(operand, list))
    return AnythingButOf(tuple(
        _anything_but_of(kind, item, (*path, i) if isinstance(operand, list) else path)
        for i, item in enumerate(items)
    ))


def _anything_but_of(kind: str, item: Any, here: Path) -> Matcher:
    """One value under anything-but's equals-ignore-case, prefix, suffix or wildcard."""
    if not isinstance(item, str):
        reason = {
            "equals-ignore-case": "Inside anything-but/equals-ignore-case list, "
            "number|start|null|boolean is not supported.",
            "wildcard": "wildcard match pattern must be a string",
        }.get(kind, "prefix/suffix match pattern must be a string")
        raise _fail(reason, here, "operand")
    if kind in ("prefix", "suffix") and not item:
        raise _fail("Null prefix/suffix not allowed", here, "operand")
    if kind == "wildcard":
        _check_wildcard(item, here)
    return {
        "equals-ignore-case": EqualsIgnoreCase, "prefix": Prefix, "suffix": Suffix,
        "wildcard": Wildcard,
    }[kind](item)


def _anything_but_values(items: list[Any], path: Path, *, listed: bool) -> AnythingBut:
    has_number = has_string = False
    for i, item in enumerate(items):
        if isinstance(item, str):
            has_string = True
        elif is_number(item):
            if not math.isfinite(item):
                raise _fail(f"Cannot compare number : {item}", (*path, i), "numeric")
            has_number = True
        else:
            reason = ("Inside anything but list, start|null|boolean is not supported." if listed
                      else "Inside anything-but list, start|null|boolean is not supported.")
            raise _fail(reason, (*path, i) if listed else path, "operand")
    if has_number == has_string:
        raise _fail("Inside anything but list, either all values are number or string, "
                    "mixed type is not supported", path, "operand")
    return AnythingBut(tuple(items), numeric=has_number)


def _cidr(text: str, path: Path) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    """A CIDR block as event-ruler's CIDR.cidr reads it (note: it refuses /32 and /128)."""
    parts = text.split("/")
    if len(parts) != 2:
        raise _fail("Malformed CIDR, one '/' required", path, "cidr")
    base, bits = parts
    try:
        mask = int(bits)
    except ValueError:
        raise _fail("Malformed CIDR, mask bits must be an integer", path, "cidr") from None
    if mask < 0:
        raise _fail("Malformed CIDR, mask bits must not be negative", path, "cidr")
    try:
        address = ipaddress.ip_address(base)
    except ValueError:
        raise _fail(f"Invalid IP address: {base}", path, "cidr") from None
    if address.version == 4 and mask > 31:
        raise _fail("IPv4 mask bits must be < 32", path, "cidr")
    if address.version == 6 and mask > 127:
        raise _fail("IPv6 mask bits must be < 128", path, "cidr")
    return ipaddress.ip_network(f"{base}/{mask}", strict=False)


def _check_wildcard(text: str, path: Path) -> None:
    """`**` and any escape but `\\*` and `\\\\` are refused (event-ruler WildcardParser; pos in UTF-8 bytes)."""
    raw = text.encode("utf-8")
    i = 0
    while i < len(raw):
        if raw[i : i + 2] == b"**":
            raise _fail(f"Consecutive wildcard characters at pos {i}", path, "wildcard")
        if raw[i : i + 1] == b"\\":
            if raw[i + 1 : i + 2] in (b"*", b"\\"):
                i += 2
                continue
            raise _fail(f"Invalid escape character at pos {i}", path, "wildcard")
        i += 1
