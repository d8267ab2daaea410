"""Leaf matchers of the EventBridge pattern language: one small class per comparison operator.

Each matcher answers `matches(value)` for one leaf value of the event (a str, int, float, bool
or None; arrays are spread before this point). Rules from the EventBridge user guide,
"Comparison operators for use in event patterns"
(https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html) and
"Content filtering in Amazon EventBridge event patterns"
(https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html);
where the guide is silent, the open-source matcher behind EventBridge (aws/event-ruler) decides.
"""

from __future__ import annotations

import ipaddress
import json
import math
import re
from dataclasses import dataclass
from typing import Any

Leaf = str | int | float | bool | None

_IPV4 = re.compile(r"[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+")  # event-ruler Constants.IPv4_REGEX
_IPV6 = re.compile(r"[0-9a-fA-F:]*:[0-9a-fA-F:]*")  # event-ruler Constants.IPv6_REGEX


def is_number(value: Any) -> bool:
    """A JSON number (bool is not one, though Python says so)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


class JsonInt(int):
    """An integer read from JSON text, keeping the text it was written as."""

    json_text: str


class JsonFloat(float):
    """A number with a fraction or exponent read from JSON text, keeping its text (3.0e2 stays 3.0e2)."""

    json_text: str


def parse_int(text: str) -> JsonInt:
    """json.loads hook: an int that remembers its spelling."""
    number = JsonInt(text)
    number.json_text = text
    return number


def parse_float(text: str) -> JsonFloat:
    """json.loads hook: a float that remembers its spelling."""
    number = JsonFloat(text)
    number.json_text = text
    return number


def loads(text: str) -> Any:
    """JSON text to Python, numbers keeping their spelling; NaN and Infinity refused (not JSON)."""
    return json.loads(text, parse_int=parse_int, parse_float=parse_float,
                      parse_constant=_reject_constant)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def number_text(value: float) -> str:
    """How a number is written: its JSON spelling if read from text, else Python's JSON spelling."""
    text = getattr(value, "json_text", None)
    return text if text is not None else json.dumps(value)


def as_ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address a string spells, or None (event-ruler CIDR.ipToRangeIfPossible)."""
    if not (_IPV4.fullmatch(text) or _IPV6.fullmatch(text)):
        return None
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def fold(text: str) -> str:
    """Case folding for equals-ignore-case (Unicode lower case, as event-ruler's)."""
    return text.lower()


class Matcher:
    """One comparison inside a field's array; the field matches if any matcher does."""

    def matches(self, value: Leaf) -> bool:  # pragma: no cover - abstract
        """Whether this one leaf value satisfies the comparison."""
        raise NotImplementedError


@dataclass(frozen=True)
class Exact(Matcher):
    """`"x"`, `5`, `true`, `null`: equal value and type. Numbers compare as written: "For numbers,
    EventBridge uses string representation. For example, 300, 300.0, and 3.0e2 are not considered
    equal" (eb-event-patterns.html; `numeric` compares values). A string that spells an IP address
    matches the same address written otherwise (event-ruler turns it into a one-address range)."""

    value: Leaf

    def matches(self, value: Leaf) -> bool:
        want = self.value
        if want is None or isinstance(want, bool):
            return value is want
        if is_number(want):
            return is_number(value) and number_text(value) == number_text(want)  # type: ignore[arg-type]
        if not isinstance(value, str):
            return False
        if value == want:
            return True
        ip = as_ip(want)  # type: ignore[arg-type]
        return ip is not None and as_ip(value) == ip


@dataclass(frozen=True)
class Prefix(Matcher):
    """`{"prefix": "us-"}` and `{"prefix": {"equals-ignore-case": "EventB"}}`: strings only."""

    text: str
    ignore_case: bool = False

    def matches(self, value: Leaf) -> bool:
        if not isinstance(value, str):
            return False
        if self.ignore_case:
            return fold(value).startswith(fold(self.text))
        return value.startswith(self.text)


@dataclass(frozen=True)
class Suffix(Matcher):
    """`{"suffix": ".png"}` and `{"suffix": {"equals-ignore-case": ".png"}}`: strings only."""

    text: str
    ignore_case: bool = False

    def matches(self, value: Leaf) -> bool:
        if not isinstance(value, str):
            return False
        if self.ignore_case:
            return fold(value).endswith(fold(self.text))
        return value.endswith(self.text)


@dataclass(frozen=True)
class EqualsIgnoreCase(Matcher):
    """`{"equals-ignore-case": "alice"}`: strings only."""

    text: str

    def matches(self, value: Leaf) -> bool:
        return isinstance(value, str) and fold(value) == fold(self.text)


def wildcard_regex(text: str) -> re.Pattern[str]:
    """The regex of a (valid) wildcard: `*` any run of characters, `\\*` a star, `\\\\` a backslash."""
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "*":
            out.append(".*")
        elif ch == "\\":
            i += 1
            out.append(re.escape(text[i]))
        else:
            out.append(re.escape(ch))
        i += 1
    return re.compile("".join(out), re.DOTALL)


@dataclass(frozen=True)
class Wildcard(Matcher):
    """`{"wildcard": "dir/*.png"}`: strings only, the whole value must fit."""

    text: str

    def matches(self, value: Leaf) -> bool:
        return isinstance(value, str) and wildcard_regex(self.text).fullmatch(value) is not None


@dataclass(frozen=True)
class Numeric(Matcher):
    """`{"numeric": [">", 0, "<=", 5]}` and `["=", 3.018e2]`: JSON numbers only (a string "5" is not one).

    Range: the guide has said "limited to values between -1.0e9 and +1.0e9 inclusive, with 15
    digits of precision" (2019-2023 versions of the content-filtering page); the matcher behind it
    now takes any IEEE 754 double (event-ruler ComparableNumber). The kit takes any finite number.
    """

    low: float = -math.inf
    low_open: bool = True
    high: float = math.inf
    high_open: bool = True

    def matches(self, value: Leaf) -> bool:
        if not is_number(value):
            return False
        v = float(value)  # type: ignore[arg-type]
        above = v > self.low if self.low_open else v >= self.low
        below = v < self.high if self.high_open else v <= self.high
        return above and below


@dataclass(frozen=True)
class Cidr(Matcher):
    """`{"cidr": "10.0.0.0/24"}` or an IPv6 block: strings that are addresses inside it."""

    network: ipaddress.IPv4Network | ipaddress.IPv6Network

    def matches(self, value: Leaf) -> bool:
        if not isinstance(value, str):
            return False
        ip = as_ip(value)
        return ip is not None and ip.version == self.network.version and ip in self.network


@dataclass(frozen=True)
class Exists(Matcher):
    """`{"exists": true|false}`: decided on the field's leaf values as a whole (see FieldTest);
    "Existence matching only works on leaf nodes. It does not work on intermediate nodes." """

    present: bool

    def matches(self, value: Leaf) -> bool:
        return self.present


@dataclass(frozen=True)
class AnythingBut(Matcher):
    """`{"anything-but": "x" | 5 | ["a", "b"] | [1, 2]}`: any string or number not among these.
    null and booleans are never "anything but" (event-ruler's Ruler.matches: only textual and
    numeric values can match ANYTHING_BUT)."""

    values: tuple[Leaf, ...]
    numeric: bool = False

    def matches(self, value: Leaf) -> bool:
        if isinstance(value, str):
            return self.numeric or value not in self.values
        if is_number(value):
            return not self.numeric or not any(value == v for v in self.values)
        return False


@dataclass(frozen=True)
class AnythingButOf(Matcher):
    """`{"anything-but": {"prefix"|"suffix"|"equals-ignore-case"|"wildcard": x | [x, ...]}}`:
    any string that no inner matcher matches (strings only, as event-ruler's Ruler.matches)."""

    inner: tuple[Matcher, ...]

    def matches(self, value: Leaf) -> bool:
        return isinstance(value, str) and not any(m.matches(value) for m in self.inner)
