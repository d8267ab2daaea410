"""signins_frame: one typed pandas row per ConsoleLogin, read the way CloudTrail writes them.

Each row is one `signin_lab.events.signin.ConsoleLogin` view, whose docstring says where each
field comes from in AWS's documentation.
pandas is imported inside the function so `import signin_lab.events` stays light.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from signin_lab.events.signin import ConsoleLogin, is_console_login

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

#: The columns of signins_frame, in order, with their pandas dtypes.
COLUMNS: dict[str, str] = {
    "time": "datetime64[ns, UTC]",
    "outcome": "string",  # "Success" | "Failure", as responseElements.ConsoleLogin writes them
    "user_type": "string",  # userIdentity.type: "IAMUser", "Root", "AssumedRole", ...
    "user_name": "string",
    "mfa_used": "boolean",  # nullable: NA when the record does not say
    "source_ip": "string",
    "user_agent": "string",
    "region": "string",
    "error_message": "string",
    "event_id": "string",
}


def signin_row(record: dict[str, Any]) -> dict[str, Any]:
    """The signins_frame fields of one ConsoleLogin record (see `ConsoleLogin` for each field)."""
    return ConsoleLogin.parse(record).row()


def signins_frame(records: Iterable[dict[str, Any]]) -> pd.DataFrame:
    """One row per ConsoleLogin record (eventSource signin.amazonaws.com), sorted by time.

    Columns and dtypes are COLUMNS: time is datetime64[ns, UTC]; strings use pandas' "string"
    dtype with NA for missing; mfa_used is nullable boolean. Other events (CheckMfa,
    GetSigninToken, API calls) are not rows. Rows are sorted by time (stable), index 0..n-1.
    Each row is a `ConsoleLogin` view of its record; a ConsoleLogin without eventTime,
    userIdentity.type or responseElements.ConsoleLogin raises SigninLabError naming it.
    """
    import pandas as pd

    rows = [
        ConsoleLogin.parse(record, f"ConsoleLogin record {index}").row()
        for index, record in enumerate(records)
        if is_console_login(record)
    ]
    data: dict[str, Any] = {name: [r[name] for r in rows] for name in COLUMNS}
    frame = pd.DataFrame(data, columns=list(COLUMNS))
    frame = frame.astype(COLUMNS)
    return frame.sort_values("time", kind="mergesort").reset_index(drop=True)
