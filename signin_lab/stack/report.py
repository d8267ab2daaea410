"""Deprecated: deploy/teardown tables moved to signin_lab.cli.render (kept for one release)."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from signin_lab.stack.deploy import StackResult

_MOVED = {"render", "print_deploy", "print_teardown"}


def _render(result: StackResult) -> None:
    from signin_lab.cli.render import stack_result, terminal

    stack_result(terminal(), result)


def __getattr__(name: str) -> Any:
    if name in _MOVED:
        warnings.warn(
            f"signin_lab.stack.report.{name} moved to signin_lab.cli.render.stack_result"
            "(console, result)",
            DeprecationWarning,
            stacklevel=2,
        )
        return _render
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
