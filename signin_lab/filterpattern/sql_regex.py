"""AWS's filter-pattern regex subset rewritten for RE2 (DuckDB) and Trino, meaning what Python's `re` means.

The kit's interpreter runs a `%...%` regex with Python's `re` and `re.ASCII` ("\\w is equivalent
to [a-zA-Z_0-9]", "\\d ... [0-9]": FilterAndPatternSyntax, "Supported regular expressions (regex)
syntax", https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html).
RE2 and Java/Joni differ from Python on a few points, so each is written out explicitly here:
`\\d \\w \\s` and their negations become ASCII classes (RE2's `\\s` lacks \\v), `^` becomes `\\A`, `.`
becomes `[^\\n]`, `{,n}` becomes `{0,n}`, a `{` that is not a repetition is escaped, and `$` (which
Python also lets match before a final newline) becomes `\\z` plus a second test on the text without
that newline (see `RegexSQL`). What cannot be rewritten exactly is a FilterPatternError(kind="sql").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from signin_lab.filterpattern import nodes
from signin_lab.filterpattern.errors import FilterPatternError

_DIGIT, _WORD, _SPACE = "0-9", "0-9A-Za-z_", "\\x09-\\x0D\\x20"  # Python's ASCII \d \w \s
_CLASSES = {"d": _DIGIT, "w": _WORD, "s": _SPACE}
_REPEAT = re.compile(r"\{(\d*)(,?)(\d*)\}")
#: RE2 refuses a repetition count above 1000 (re2/syntax.txt); Python accepts it.
_MAX_REPEAT = 1000
_QUANTIFIERS = "*+?}"


@dataclass(frozen=True)
class RegexSQL:
    """The rewritten regex; `dollar`: it has an end anchor, which Python's `re` also lets match
    just before a final "\\n", so the caller also tests the text without that last newline."""

    source: str
    dollar: bool


# Single characters rewritten wherever they stand outside a class and an escape.
_REWRITES = {
    "}": "\\}",  # a '}' that closes no repetition is a literal in Python
    "^": "\\A",  # Joni (Trino) may read '^' as a line start; Python: text start
    ".": "[^\\n]",  # Java's '.' also stops at \r and \u2028; Python's only at \n
}


def translate(regex: nodes.Regex, pattern: str) -> RegexSQL:
    """The regex as RE2/Trino source with Python's meaning, or FilterPatternError(kind="sql")."""
    src = regex.source
    out: list[str] = []
    i, n = 0, len(src)
    dollar = False

    def refuse(at: int, what: str) -> FilterPatternError:
        return FilterPatternError(
            f"{what} cannot be compiled to SQL with the interpreter's meaning",
            pattern, regex.start + 2 + at, "sql",
        )

    while i < n:
        c = src[i]
        if c == "\\":
            i = _escape(src, i, out)
        elif c == "[":
            i = _char_class(src, i, out, refuse)
        elif c == "{":
            i = _brace(src, i, out, refuse)
        elif c in _REWRITES:
            out.append(_REWRITES[c])
            i += 1
        elif c == "$":
            if i + 1 < n and src[i + 1] != "|":
                raise refuse(i, "'$' followed by more of the same alternative")
            out.append("\\z")
            dollar = True
            i += 1
        elif c in "*+?" and i + 1 < n and src[i + 1] == "+":
            raise refuse(i + 1, "a possessive quantifier '+'")
        else:
            out.append(c)
            i += 1
    return RegexSQL("".join(out), dollar)


def _escape(src: str, i: int, out: list[str]) -> int:
    """Copy the escape at `i` to `out` (classes as ASCII classes); the offset after it."""
    nxt = src[i + 1]
    if nxt in _CLASSES:
        out.append(f"[{_CLASSES[nxt]}]")
    elif nxt.lower() in _CLASSES:
        out.append(f"[^{_CLASSES[nxt.lower()]}]")
    elif nxt == "x":
        out.append(src[i : i + 4])
        return i + 4
    else:
        out.append(src[i : i + 2])  # an escaped symbol: literal everywhere
    return i + 2


def _brace(src: str, i: int, out: list[str], refuse) -> int:  # type: ignore[no-untyped-def]
    """Copy the `{` at `i` to `out`: a repetition as `{low,high}`, else a literal; the offset after."""
    m = _REPEAT.match(src, i)
    if m and (m.group(1) or m.group(3)) and (m.group(1) or m.group(2)):
        low, comma, high = m.group(1) or "0", m.group(2), m.group(3)
        if int(low) > _MAX_REPEAT or (high and int(high) > _MAX_REPEAT):
            raise refuse(i, f"a repetition above {_MAX_REPEAT}")
        out.append("{" + low + comma + high + "}")
        i = m.end()
        if i < len(src) and src[i] == "+":
            raise refuse(i, "a possessive quantifier '+'")
        return i
    out.append("\\{")  # Python reads a '{' that starts no repetition as a literal
    return i + 1


def _char_class(src: str, i: int, out: list[str], refuse) -> int:  # type: ignore[no-untyped-def]
    """Copy the `[...]` starting at `i` to `out`, rewritten; the offset after its `]`."""
    n = len(src)
    j = i + 1
    parts = ["["]
    if j < n and src[j] == "^":
        parts.append("^")
        j += 1
    first = True
    while j < n:
        c = src[j]
        if c == "]" and not first:
            parts.append("]")
            out.append("".join(parts))
            return j + 1
        first = False
        if c == "\\":
            nxt = src[j + 1]
            if nxt in _CLASSES:
                parts.append(_CLASSES[nxt])
            elif nxt.lower() in _CLASSES:
                raise refuse(j, f"'\\{nxt}' inside [...]")
            elif nxt == "x":
                parts.append(src[j : j + 4])
                j += 4
                continue
            else:
                parts.append(src[j : j + 2])
            j += 2
        elif c in "[]&|-^{}$":
            # literal inside a class; escaped so no engine reads a nested set, POSIX class or
            # Java intersection. A '-' between two characters is a range and kept as written.
            if c == "-" and parts[-1] not in ("[", "^") and j + 1 < n and src[j + 1] != "]":
                parts.append("-")
            else:
                parts.append("\\" + c)
            j += 1
        else:
            parts.append(c)
            j += 1
    raise refuse(i, "an unclosed '['")  # the lexer's re.compile refuses these first
