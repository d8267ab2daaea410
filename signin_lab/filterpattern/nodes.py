"""Plain, frozen parse-tree nodes of the CloudWatch Logs filter-pattern language."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["terms", "json", "space_delimited", "regex", "all"]
CompareOp = Literal["=", "!=", "<", ">", "<=", ">="]
IsWhat = Literal["NULL", "TRUE", "FALSE"]


# -- values on the right of an operator ----------------------------------------------------
@dataclass(frozen=True)
class Number:
    """A numeric literal: `400`, `+1000`, `55.5`, `1e+3`, `-10e-3` (text kept as written)."""

    text: str
    value: int | float
    start: int

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Text:
    """A string literal, quoted or not; a leading and/or trailing `*` is a wildcard."""

    text: str  # the source as written, quotes included
    core: str  # the value without quotes and without the wildcard stars
    prefix_wild: bool  # `*Event`: anything may come before
    suffix_wild: bool  # `Event*`: anything may come after
    start: int

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Regex:
    """A `%...%` regular expression, already checked against AWS's allowed characters."""

    source: str  # between the percent signs
    compiled: re.Pattern[str] = field(compare=False)
    start: int  # offset of the opening %

    def __str__(self) -> str:
        return f"%{self.source}%"


Value = Number | Text | Regex


# -- JSON selectors ------------------------------------------------------------------------
@dataclass(frozen=True)
class Key:
    """`.name` or `['name']`."""

    name: str


@dataclass(frozen=True)
class Index:
    """`[3]`."""

    index: int


@dataclass(frozen=True)
class AnyKey:
    """`.*`: every field of an object."""


@dataclass(frozen=True)
class AnyIndex:
    """`[*]`: every element of an array."""


Segment = Key | Index | AnyKey | AnyIndex


@dataclass(frozen=True)
class Selector:
    """`$.a.b[0]`: a path from the root of the JSON event."""

    text: str
    segments: tuple[Segment, ...]
    start: int

    @property
    def wildcards(self) -> int:
        return sum(isinstance(s, (AnyKey, AnyIndex)) for s in self.segments)

    def __str__(self) -> str:
        return self.text


# -- boolean expressions (JSON patterns and space-delimited field conditions) -------------
@dataclass(frozen=True)
class Compare:
    """`$.a = "x"` in a JSON pattern, or `status_code = 4*` inside a space-delimited field."""

    target: Selector | str  # a JSON selector, or the field name as written in the condition
    op: CompareOp
    value: Value

    def __str__(self) -> str:
        return f"{self.target} {self.op} {self.value}"


@dataclass(frozen=True)
class IsCheck:
    """`$.a IS NULL | TRUE | FALSE`."""

    target: Selector
    what: IsWhat

    def __str__(self) -> str:
        return f"{self.target} IS {self.what}"


@dataclass(frozen=True)
class NotExists:
    """`$.a NOT EXISTS`."""

    target: Selector

    def __str__(self) -> str:
        return f"{self.target} NOT EXISTS"


@dataclass(frozen=True)
class And:
    """All of the items (`&&`)."""

    items: tuple[Expr, ...]


@dataclass(frozen=True)
class Or:
    """Any of the items (`||`)."""

    items: tuple[Expr, ...]


Expr = Compare | IsCheck | NotExists | And | Or


# -- whole patterns ------------------------------------------------------------------------
@dataclass(frozen=True)
class Term:
    """One term of a term pattern: a word or a quoted phrase."""

    text: str  # the substring to look for (quotes removed, escapes resolved)
    mode: Literal["include", "exclude", "optional"]
    quoted: bool
    start: int


@dataclass(frozen=True)
class TermPattern:
    """`ERROR -ARGUMENTS`, `?ERROR ?WARN`, `"INTERNAL SERVER ERROR"`."""

    terms: tuple[Term, ...]

    @property
    def include(self) -> tuple[str, ...]:
        return tuple(t.text for t in self.terms if t.mode == "include")

    @property
    def exclude(self) -> tuple[str, ...]:
        return tuple(t.text for t in self.terms if t.mode == "exclude")

    @property
    def optional(self) -> tuple[str, ...]:
        """The `?` terms that take effect: none when plain or `-` terms are present.

        https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html:
        "If you combine "?" with other filter patterns, all question mark terms will be ignored."
        The sentence names "include and exclude terms", so `-` terms drop them too.
        """
        if any(t.mode != "optional" for t in self.terms):
            return ()
        return tuple(t.text for t in self.terms if t.mode == "optional")


@dataclass(frozen=True)
class MatchAll:
    """The empty pattern, blanks, `""` or `" "`: every event matches."""


@dataclass(frozen=True)
class RegexPattern:
    """A standalone `%...%`: the event matches if the regex is found anywhere in it."""

    regex: Regex


@dataclass(frozen=True)
class JsonPattern:
    """`{ ... }`: conditions on the parsed JSON event."""

    expr: Expr


@dataclass(frozen=True)
class Ellipsis_:
    """`...` in a space-delimited pattern: any number of unnamed fields."""


@dataclass(frozen=True)
class Field:
    """One field of a space-delimited pattern, named or not, with an optional condition."""

    name: str | None
    condition: Expr | None
    start: int


@dataclass(frozen=True)
class SpacePattern:
    """`[ip, user, ..., status_code=4*, size]`."""

    fields: tuple[Field | Ellipsis_, ...]


Pattern = TermPattern | MatchAll | RegexPattern | JsonPattern | SpacePattern
