"""CloudTrail records: load every file format, tabulate sign-ins, and make sample scenarios.

`load_records`, `signins_frame` and the `ConsoleLogin` view are the public entry points; pandas is only imported when a
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
from signin_lab.events.signin import ConsoleLogin, is_console_login

__all__ = [
    "COLUMNS",
    "ConsoleLogin",
    "EventFileError",
    "LoadReport",
    "RecordStream",
    "Skipped",
    "SkippedInputWarning",
    "find_files",
    "is_console_login",
    "load_records",
    "signins_frame",
]
