"""Tokens of the filter-pattern language: a generator of frozen tokens ending with `eof`.

Rules from https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
(read from groovy-sky/aws-docs@c39735bdd924 and the older awsdocs/amazon-cloudwatch-logs-user-guide
texts @5f9d4b2e262e / @5bd7d2470d67); each decision the docs leave open is marked "Decision".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from signin_lab.filterpattern import nodes
from signin_lab.filterpattern.errors import error

TokenType = Literal[
    "lbrace", "rbrace", "lbracket", "rbracket", "lparen", "rparen", "comma", "ellipsis",
    "and", "or", "=", "!=", "<", "<=", ">", ">=", "selector", "string", "word", "regex", "eof",
]


@dataclass(frozen=True, slots=True)
class Token:
    """One token: its type, its value, and its [start, end) offsets in the pattern."""

    type: TokenType
    value: Any
    start: int
    end: int


# "You can use integers that contain plus ("+") or minus ("-") symbols and follow scientific
# notation" / "a decimal with an optional + or - sign, or a number in scientific notation"
# (FilterAndPatternSyntax, current and @5f9d4b2e262e). Decision: digits are ASCII 0-9 (re.ASCII),
# so "\u0661" (ARABIC-INDIC DIGIT ONE) in an event is a word, not the number 1.
NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\Z", re.ASCII)


def parse_number(text: str) -> int | float | None:
    """The value of a documented numeric literal, or None if `text` is not one (no nan/inf/_)."""
    if not NUMBER.match(text):
        return None
    if "." in text or "e" in text or "E" in text:
        return float(text)
    return int(text)


# -- regular expressions ------------------------------------------------------------------
# "Filter patterns with regex can only include the following": alphanumerics, the symbols
# : _ # = @ / ; , -  and the operators ^ $ ? [ ] { } | \ * + .  "The ( and ) operators are not
# supported", "Multi-byte characters are not supported" (FilterAndPatternSyntax, "Supported
# regular expressions (regex) syntax"). Where that list and AWS's own worked example disagree, the
# example wins, because it is what users paste: the same section shows
# `%^starting|^initializing|^shutting down%` matching "shutting down", so a space (U+0020) is
# accepted. Every other character outside the list is still refused (the doc's advice for them is
# `\xhh`, "to match symbol characters that are not supported"); tabs and other blanks included.
_REGEX_SYMBOLS = frozenset(":_#=@/;,-^$?[]{}|\\*+.")
_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
_REGEX_ALLOWED = _REGEX_SYMBOLS | _ALNUM | {" "}
# Escapes: the documented classes \d \D \s \S \w \W, \xhh, and a backslash before any allowed
# symbol or operator ("allows you to use the literal meaning of an operator").
_CLASS_ESCAPES = frozenset("dDsSwW")
_HEX = frozenset("0123456789abcdefABCDEF")


def scan_regex(pattern: str, start: int) -> nodes.Regex:
    """The regex whose opening `%` is at `start`; checks AWS's characters and compiles it."""
    end = pattern.find("%", start + 1)
    if end < 0:
        raise error(pattern, start, "regex opened with '%' is not closed with '%'")
    source = pattern[start + 1 : end]
    if not source:
        raise error(pattern, start, "empty regex '%%'", "regex_syntax")
    _check_regex_source(pattern, start, source)
    try:
        # re.ASCII: "\w is equivalent to [a-zA-Z_0-9]", "\d ... [0-9]" (FilterAndPatternSyntax).
        # A regex is a search, not an anchored match: %AUTHORIZED% matches "UNAUTHORIZED".
        compiled = re.compile(source, re.ASCII)
    except re.error as exc:
        pos = start + 1 + (exc.pos if exc.pos is not None else 0)
        raise error(pattern, pos, f"invalid regex: {exc.msg}", "regex_syntax") from None
    except (OverflowError, RecursionError):
        raise error(pattern, start, "regex too large", "regex_syntax") from None
    return nodes.Regex(source=source, compiled=compiled, start=start)


def _check_regex_source(pattern: str, start: int, source: str) -> None:
    """Only AWS's regex characters, and only its escapes, in the regex `source` opened at `start`."""
    i = 0
    while i < len(source):
        c = source[i]
        at = start + 1 + i
        if c not in _REGEX_ALLOWED:
            what = "multi-byte character" if ord(c) > 127 else f"character {c!r}"
            hint = " (use \\xhh)" if ord(c) < 128 else ""
            raise error(
                pattern, at, f"{what} is not allowed in a regex{hint}", "regex_character"
            )
        if c == "\\":
            nxt = source[i + 1] if i + 1 < len(source) else ""
            if nxt == "x":
                if len(source) < i + 4 or not (source[i + 2] in _HEX and source[i + 3] in _HEX):
                    raise error(pattern, at, "\\x must be followed by two hex digits", "regex_syntax")
                i += 4
                continue
            if nxt in _CLASS_ESCAPES or (nxt in _REGEX_SYMBOLS):
                i += 2
                continue
            if not nxt:
                raise error(pattern, at, "a regex cannot end with '\\'", "regex_syntax")
            raise error(
                pattern, at, f"unsupported escape '\\{nxt}' (supported: \\d \\D \\s \\S \\w \\W "
                "\\xhh and \\ before a symbol)", "regex_character",
            )
        i += 1


# -- JSON and space-delimited expressions -------------------------------------------------
# Decision: an unquoted value runs until a blank or one of these characters. AWS's text says
# to quote anything that is not alphanumeric or `_`, but its own CIS patterns write
# `$.eventSource=iam.amazonaws.com` and its examples `123.123.*` and `*.html*` unquoted.
_WORD_STOP = frozenset(" \t\r\n\f\v(){}[]\",&|=!<>%")
_NAME_CHARS = _ALNUM | frozenset("_-")
_SINGLE = {
    "{": "lbrace", "}": "rbrace", "[": "lbracket", "]": "rbracket",
    "(": "lparen", ")": "rparen", ",": "comma",
}


def scan_string(pattern: str, start: int) -> tuple[str, int]:
    """The content of the double-quoted string opening at `start`, and the offset after it.

    Decision (undocumented): `\\"` and `\\\\` are escapes; any other backslash is literal.
    """
    out: list[str] = []
    i = start + 1
    n = len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\" and i + 1 < n and pattern[i + 1] in '"\\':
            out.append(pattern[i + 1])
            i += 2
            continue
        if c == '"':
            return "".join(out), i + 1
        out.append(c)
        i += 1
    raise error(pattern, start, "string opened with '\"' is not closed")


def scan_selector(pattern: str, start: int) -> Token:
    """`$` followed by `.name`, `.*`, `[0]`, `[*]` and `['key.with.dots']` segments."""
    n = len(pattern)
    i = start + 1
    segments: list[nodes.Segment] = []
    while i < n:
        c = pattern[i]
        if c == ".":
            i += 1
            if i < n and pattern[i] == "[":
                continue  # `$.['cluster.name']`: the bracket is read on the next turn
            segment, i = _dot_segment(pattern, i)
        elif c == "[":
            segment, i = _bracket_segment(pattern, i)
        else:
            break
        segments.append(segment)
    if not segments:
        raise error(pattern, start, "a property selector starts with '$.' (for example $.eventName)")
    text = pattern[start:i]
    return Token("selector", nodes.Selector(text, tuple(segments), start), start, i)


def _dot_segment(pattern: str, i: int) -> tuple[nodes.Segment, int]:
    """The segment after a `.` (`*` or a name) that starts at `i`, and the offset after it."""
    n = len(pattern)
    if i < n and pattern[i] == "*":
        return nodes.AnyKey(), i + 1
    j = i
    while j < n and pattern[j] in _NAME_CHARS:
        j += 1
    if j == i:
        raise error(
            pattern, i,
            "expected a property name (letters, digits, '-', '_') or '*' after '.'",
        )
    return nodes.Key(pattern[i:j]), j


def _bracket_segment(pattern: str, i: int) -> tuple[nodes.Segment, int]:
    """The `[*]`, `[0]` or `['name']` segment whose `[` is at `i`, and the offset after its `]`."""
    n = len(pattern)
    j = i + 1
    segment: nodes.Segment
    if j < n and pattern[j] == "*":
        segment = nodes.AnyIndex()
        j += 1
    elif j < n and pattern[j] in "'\"":
        close = pattern.find(pattern[j], j + 1)
        if close < 0:
            raise error(pattern, j, "quoted property name is not closed")
        segment = nodes.Key(pattern[j + 1 : close])
        j = close + 1
    else:
        k = j
        while k < n and pattern[k].isdigit() and pattern[k].isascii():
            k += 1
        if k == j:
            raise error(pattern, j, "expected an array index, '*' or a quoted name after '['")
        segment = nodes.Index(int(pattern[j:k]))
        j = k
    if j >= n or pattern[j] != "]":
        raise error(pattern, j, "expected ']'")
    return segment, j + 1


def tokenize(pattern: str, start: int = 0) -> Iterator[Token]:  # noqa: C901 - one branch per token kind
    """Tokens of a JSON (`{...}`) or space-delimited (`[...]`) pattern, then one `eof`."""
    n = len(pattern)
    i = start
    while i < n:
        c = pattern[i]
        if c in " \t\r\n\f\v":
            i += 1
        elif c in _SINGLE:
            yield Token(_SINGLE[c], c, i, i + 1)  # type: ignore[arg-type]
            i += 1
        elif c == "&" or c == "|":
            if i + 1 < n and pattern[i + 1] == c:
                yield Token("and" if c == "&" else "or", c * 2, i, i + 2)
                i += 2
            else:
                raise error(pattern, i, f"'{c}' alone is not an operator; use '{c * 2}'")
        elif c == "=":
            yield Token("=", "=", i, i + 1)
            i += 1
        elif c == "!":
            if i + 1 < n and pattern[i + 1] == "=":
                yield Token("!=", "!=", i, i + 2)
                i += 2
            else:
                raise error(pattern, i, "'!' alone is not an operator; use '!='")
        elif c in "<>":
            if i + 1 < n and pattern[i + 1] == "=":
                yield Token(c + "=", c + "=", i, i + 2)  # type: ignore[arg-type]
                i += 2
            else:
                yield Token(c, c, i, i + 1)  # type: ignore[arg-type]
                i += 1
        elif c == '"':
            text, end = scan_string(pattern, i)
            yield Token("string", text, i, end)
            i = end
        elif c == "%":
            regex = scan_regex(pattern, i)
            end = i + len(regex.source) + 2
            yield Token("regex", regex, i, end)
            i = end
        elif c == "$":
            tok = scan_selector(pattern, i)
            yield tok
            i = tok.end
        elif pattern.startswith("...", i):
            yield Token("ellipsis", "...", i, i + 3)
            i += 3
        else:
            j = i
            while j < n and pattern[j] not in _WORD_STOP:
                j += 1
            yield Token("word", pattern[i:j], i, j)
            i = j
    yield Token("eof", None, n, n)


# -- term patterns ------------------------------------------------------------------------
def scan_terms(pattern: str) -> list[nodes.Term]:
    """The terms of an unstructured-event pattern: words, "phrases", -exclusions, ?options.

    Decision: a blank between `-`/`?` and its term is allowed, so the 2021 doc's
    `"ERROR" - "Exiting"` excludes "Exiting" as that doc says it does.
    Decision: an unquoted term is any run of non-blank characters without `"`; AWS asks for
    quotes around non-alphanumerics but names no error for leaving them out.
    """
    terms: list[nodes.Term] = []
    n = len(pattern)
    i = 0
    while i < n:
        c = pattern[i]
        if c.isspace():
            i += 1
            continue
        start = i
        mode: Literal["include", "exclude", "optional"] = "include"
        if c in "-?":
            mode = "exclude" if c == "-" else "optional"
            i += 1
            while i < n and pattern[i].isspace():
                i += 1
            if i >= n:
                raise error(pattern, start, f"'{c}' must be followed by a term")
            c = pattern[i]
        if c == '"':
            text, i = scan_string(pattern, i)
            if i < n and not pattern[i].isspace():
                raise error(pattern, i, "expected a blank after a quoted term")
            terms.append(nodes.Term(text, mode, True, start))
            continue
        j = i
        while j < n and not pattern[j].isspace():
            if pattern[j] == '"':
                raise error(pattern, j, "a '\"' inside a term; quote the whole term instead")
            j += 1
        terms.append(nodes.Term(pattern[i:j], mode, False, start))
        i = j
    return terms
