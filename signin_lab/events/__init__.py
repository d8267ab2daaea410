"""CloudTrail records: load every file format, tabulate sign-ins, and make sample scenarios.

`load_records` and `signins_frame` are the public entry points; pandas is only imported when a
frame is built, so importing this package stays light.
"""

from __future__ import annotations

from signin_lab.events.frame import COLUMNS, signins_frame
from signin_lab.events.load import (
    EventFileError,
    LoadReport,
    RecordStream,
    Skipped,
    SkippedInputWarning,
    find_files,
    load_records,
)

__all__ = [
    "COLUMNS",
    "EventFileError",
    "LoadReport",
    "RecordStream",
    "Skipped",
    "SkippedInputWarning",
    "find_files",
    "load_records",
    "signins_frame",
]
