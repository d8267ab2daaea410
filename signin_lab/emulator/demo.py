"""Deprecated: the demo moved to `signin_lab.demo` (it opens a Lab, so it sits above the emulator)
and its renderers to `signin_lab.cli.render`; this path works for one release with a warning."""

from __future__ import annotations

import warnings
from typing import Any

#: Names that moved, and where to.
_MOVED = {
    "run_demo": "signin_lab.demo",
    "save_chart": "signin_lab.demo",
    "DemoResult": "signin_lab.demo",
    "DEFAULT_OUT": "signin_lab.demo",
    "CHART_NAME": "signin_lab.demo",
    "print_records": "signin_lab.cli.render",
    "print_run": "signin_lab.cli.render",
    "print_inbox": "signin_lab.cli.render",
}


def __getattr__(name: str) -> Any:
    if name in _MOVED:
        import importlib

        warnings.warn(
            f"signin_lab.emulator.demo.{name} moved to {_MOVED[name]}.{name}",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(importlib.import_module(_MOVED[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
