"""signins_frame: one typed pandas row per ConsoleLogin, read the way CloudTrail writes them.

Field meanings come from AWS's sign-in event reference and its examples
(https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-aws-console-sign-in-events.html)
and the userIdentity reference
(https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html).
pandas is imported inside the function so `import signin_lab.events` stays light.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from signin_lab.errors import SigninLabError

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
    """The signins_frame fields of one ConsoleLogin record (time still the eventTime text).

    - outcome: `responseElements.ConsoleLogin` as written ("Success"/"Failure"); NA if absent.
    - user_type: `userIdentity.type` as written; CloudTrail writes the root user as "Root".
    - user_name: `userIdentity.userName` ("HIDDEN_DUE_TO_SECURITY_REASONS" kept as written when
      the name typed did not exist); for AssumedRole, which has no userName, the role session
      name (the last part of the assumed-role ARN), as the console's "User name" column shows
      it; NA for a root user without an account alias.
    - mfa_used: `additionalEventData.MFAUsed` compared case-insensitively, so the 2022 example's
      "YES" counts as MFA like "Yes" (the docs disagree on the case; CloudTrail's meaning is
      plain). NA when additionalEventData or MFAUsed is missing.
    """
    identity = record.get("userIdentity") or {}
    if not isinstance(identity, dict):
        identity = {}
    user_type = identity.get("type")
    user_name = identity.get("userName")
    if user_name is None and user_type == "AssumedRole":
        arn = identity.get("arn") or ""
        user_name = arn.rsplit("/", 1)[-1] if arn.count("/") >= 2 else None
    response = record.get("responseElements")
    outcome = response.get("ConsoleLogin") if isinstance(response, dict) else None
    extra = record.get("additionalEventData")
    mfa_raw = extra.get("MFAUsed") if isinstance(extra, dict) else None
    mfa: bool | None = None
    if isinstance(mfa_raw, str):
        mfa = {"yes": True, "no": False}.get(mfa_raw.strip().lower())
    return {
        "time": record.get("eventTime"),
        "outcome": outcome,
        "user_type": user_type,
        "user_name": user_name,
        "mfa_used": mfa,
        "source_ip": record.get("sourceIPAddress"),
        "user_agent": record.get("userAgent"),
        "region": record.get("awsRegion"),
        "error_message": record.get("errorMessage"),
        "event_id": record.get("eventID"),
    }


def _parse_time(text: Any, index: int, event_id: Any) -> datetime:
    """eventTime ("2023-07-19T21:44:40Z", ISO 8601 UTC) as an aware datetime, or a clear error."""
    if isinstance(text, str):
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            value = None
        if value is not None and value.tzinfo is not None:
            return value
    raise SigninLabError(
        f"ConsoleLogin record {index} (eventID {event_id!r}): eventTime {text!r} is not an "
        "ISO 8601 UTC time like 2023-07-19T21:44:40Z"
    )


def signins_frame(records: Iterable[dict[str, Any]]) -> pd.DataFrame:
    """One row per ConsoleLogin record (eventSource signin.amazonaws.com), sorted by time.

    Columns and dtypes are COLUMNS: time is datetime64[ns, UTC]; strings use pandas' "string"
    dtype with NA for missing; mfa_used is nullable boolean. Other events (CheckMfa,
    GetSigninToken, API calls) are not rows. Rows are sorted by time (stable), index 0..n-1.
    """
    import pandas as pd

    rows: list[dict[str, Any]] = []
    times: list[datetime] = []
    for index, record in enumerate(records):
        if not isinstance(record, dict) or record.get("eventName") != "ConsoleLogin":
            continue
        if record.get("eventSource", "signin.amazonaws.com") != "signin.amazonaws.com":
            continue
        row = signin_row(record)
        times.append(_parse_time(row["time"], index, row["event_id"]))
        rows.append(row)
    data: dict[str, Any] = {name: [r[name] for r in rows] for name in COLUMNS}
    data["time"] = times
    frame = pd.DataFrame(data, columns=list(COLUMNS))
    frame = frame.astype(COLUMNS)
    return frame.sort_values("time", kind="mergesort").reset_index(drop=True)
