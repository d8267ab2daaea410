"""EventPatternError and friends: what EventBridge refuses, with the JSON path of the bad element."""

from __future__ import annotations

import re
from typing import Literal

from signin_lab.errors import SigninLabError

#: The closed vocabulary of `EventPatternError.kind`.
ErrorKind = Literal[
    "json",  # the pattern is not JSON text
    "too_long",  # more than 4,096 characters (PutRule / TestEventPattern EventPattern)
    "structure",  # not an object, empty object or array, a field neither object nor array
    "match_type",  # an unknown operator inside {...}, or more than one key in it
    "operand",  # an operator given a value of the wrong type
    "numeric",  # a bad numeric expression
    "cidr",  # a malformed CIDR block
    "wildcard",  # a malformed wildcard ('**', a bad escape)
    "or",  # a malformed $or
    "too_deep",  # nested deeper than the kit supports (not an AWS limit)
]

#: InvalidEventPatternException's message starts like this (PutRule, TestEventPattern).
AWS_PREFIX = "Event pattern is not valid. Reason: "

_SIMPLE_KEY = re.compile(r"[A-Za-z0-9_$-]+")


def json_path(parts: tuple[str | int, ...]) -> str:
    """`("detail", "state", 0)` -> `$.detail.state[0]`; odd keys in brackets: `$["a b"]`."""
    out = "$"
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _SIMPLE_KEY.fullmatch(part):
            out += f".{part}"
        else:
            escaped = part.replace("\\", "\\\\").replace('"', '\\"')
            out += f'["{escaped}"]'
    return out


class EventPatternError(SigninLabError, ValueError):
    """An event pattern EventBridge would refuse (PutRule and TestEventPattern answer
    InvalidEventPatternException "Event pattern is not valid. Reason: ...").

    `.path` is the JSON path of the bad element ("$" for the whole pattern), `.reason` the
    reason as AWS words it (EventBridge's matcher is the open-source aws/event-ruler; its
    JsonRuleCompiler messages are reproduced), `.kind` one of `ErrorKind`.
    """

    def __init__(self, reason: str, path: str = "$", kind: ErrorKind = "structure") -> None:
        self.reason = reason
        self.path = path
        self.kind: ErrorKind = kind
        super().__init__(reason, path, kind)

    def __str__(self) -> str:
        return f"invalid event pattern at {self.path} ({self.kind}): {AWS_PREFIX}{self.reason}"

    def __reduce__(self):  # keep pickling working
        return (type(self), (self.reason, self.path, self.kind))


class InvalidEventError(SigninLabError, ValueError):
    """An event TestEventPattern refuses: ValidationException "Parameter Event is not valid."
    (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_TestEventPattern.html).

    AWS's message names no field; `.field` and `str()` add which one, for the reader.
    """

    def __init__(self, reason: str, field: str = "") -> None:
        self.reason = reason
        super().__init__(reason, field, field=field)

    def __str__(self) -> str:
        return f"Parameter Event is not valid. ({self.reason})"

    def __reduce__(self):
        return (type(self), (self.reason, self.field))


class InputTransformerError(SigninLabError, ValueError):
    """An InputTransformer PutTargets would refuse, naming the variable or the template place
    (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_InputTransformer.html)."""

    def __init__(self, reason: str, where: str) -> None:
        self.reason = reason
        self.where = where
        super().__init__(reason, where)

    def __str__(self) -> str:
        return f"invalid input transformer at {self.where}: {self.reason}"

    def __reduce__(self):
        return (type(self), (self.reason, self.where))
