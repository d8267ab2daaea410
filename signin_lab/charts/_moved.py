"""The DeprecationWarning the old chart module paths give on import, pointed at the importing code."""

from __future__ import annotations

import warnings


def warn_moved(old: str, new: str) -> None:
    """Warn that module `old` moved to `new`, attributed to the code that imported `old`.

    stacklevel 3 is the frame above the old module's body; `warnings.warn` skips the import
    machinery's frames itself, so the warning lands on the importing line, and Python's default
    filter shows it in a notebook or script (`__main__`).
    """
    warnings.warn(f"{old} is deprecated: use {new}", DeprecationWarning, stacklevel=3)
