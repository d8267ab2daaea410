"""The one root error of signin-lab: every error raised on purpose derives from SigninLabError."""

from __future__ import annotations


class SigninLabError(Exception):
    """A problem the user can fix: bad input, a refused target, an unsupported feature.

    The message names what is wrong and where (file, record, column, field). The CLI prints it
    as one line on stderr and exits 2; any other exception is a bug. `field` names the offending
    input (a LabConfig or Scenario field such as "email", or "out" for an output path), so the
    CLI can name its option without parsing the message.
    """

    def __init__(self, *args: object, field: str | None = None) -> None:
        super().__init__(*args)  # subclasses such as FilterPatternError pass more than a message
        self.field = field
