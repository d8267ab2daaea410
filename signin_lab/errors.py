"""The one root error of signin-lab: every error raised on purpose derives from SigninLabError."""

from __future__ import annotations


class SigninLabError(Exception):
    """A problem the user can fix: bad input, a refused target, an unsupported feature.

    The message names what is wrong and where (file, record, column, field). The CLI prints it
    as one line on stderr and exits 2; any other exception is a bug. `field` names the offending
    input (e.g. "email" for LabConfig.email) when there is one, so the CLI can name its flag
    without parsing the message.
    """

    def __init__(self, message: object = "", *args: object, field: str | None = None) -> None:
        super().__init__(message, *args)
        self.field = field
