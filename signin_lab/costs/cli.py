"""Deprecated: the `cost` command's logic moved to signin_lab.cli.cost (kept for one release)."""

from __future__ import annotations

import warnings
from typing import Any

_MOVED = {"cost_command", "render_table", "scenario_for", "FORMATS", "Format"}


def __getattr__(name: str) -> Any:
    if name in _MOVED:
        warnings.warn(
            f"signin_lab.costs.cli.{name} moved to signin_lab.cli.cost.{name}",
            DeprecationWarning,
            stacklevel=2,
        )
        from signin_lab.cli import cost

        return getattr(cost, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
