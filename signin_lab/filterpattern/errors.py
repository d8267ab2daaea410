"""FilterPatternError: an invalid CloudWatch Logs filter pattern, with the column and a caret."""

from __future__ import annotations

from typing import Literal

from signin_lab.errors import SigninLabError

#: The closed vocabulary of `FilterPatternError.kind`.
ErrorKind = Literal[
    "syntax",  # the pattern does not follow the grammar
    "too_long",  # more than 1,024 characters
    "unsupported_operator",  # IS NOT, EXISTS, '<' on a string, ...
    "regex_character",  # a character AWS does not allow inside %...%
    "regex_syntax",  # allowed characters, but not a valid regular expression
    "regex_count",  # more than 2 regexes in one JSON / space-delimited pattern
    "wildcard_count",  # more than 1 wildcard per selector, or 3 per pattern
    "metric_value",  # a metricValue that is neither a number nor a field of this pattern
    "too_deep",  # parentheses nested deeper than the kit supports (not an AWS limit)
    "sql",  # valid for AWS, but FilterPattern.to_sql cannot express it faithfully in that dialect
]

_WINDOW = 60  # characters shown either side of the caret for long patterns


class FilterPatternError(SigninLabError, ValueError):
    """A filter pattern AWS would refuse (PutMetricFilter / TestMetricFilter answer
    InvalidParameterException), with where and why.

    `column` is 1-based and lies in 1..len(pattern)+1 (len+1 means "at the end").
    `str(error)` shows the message, then the pattern with a caret under the column.
    """

    def __init__(self, message: str, pattern: str, column: int, kind: ErrorKind = "syntax") -> None:
        self.message = message
        self.pattern = pattern
        self.column = max(1, min(column, len(pattern) + 1))
        self.kind: ErrorKind = kind
        super().__init__(message, pattern, self.column, kind)

    def __str__(self) -> str:
        start = max(0, self.column - 1 - _WINDOW)
        end = min(len(self.pattern), self.column - 1 + _WINDOW)
        shown = "".join(c if c.isprintable() else " " for c in self.pattern[start:end])
        lead = "..." if start > 0 else ""
        tail = "..." if end < len(self.pattern) else ""
        caret = " " * (len(lead) + self.column - 1 - start) + "^"
        return (
            f"invalid filter pattern ({self.kind}): {self.message}, at column {self.column}\n"
            f"  {lead}{shown}{tail}\n  {caret}"
        )

    def __reduce__(self):  # keep pickling (multiprocessing, pytest-xdist) working
        return (type(self), (self.message, self.pattern, self.column, self.kind))


def error(pattern: str, pos: int, message: str, kind: ErrorKind = "syntax") -> FilterPatternError:
    """The error for a 0-based offset `pos` in `pattern` (lexer and parser raise through this)."""
    return FilterPatternError(message, pattern, pos + 1, kind)
