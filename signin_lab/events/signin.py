"""ConsoleLogin: one typed, read-only view over a raw CloudTrail ConsoleLogin record.

Field meanings come from AWS's sign-in event reference and its examples
(https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-aws-console-sign-in-events.html),
the userIdentity reference
(https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html)
and the record contents page
(https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html),
which marks eventTime and userIdentity "Optional: False" (always present). Every documented
ConsoleLogin example has `responseElements.ConsoleLogin` ("Success" or "Failure"), so the view
requires eventName, eventTime, userIdentity.type and that outcome; a record without one of them is
not a sign-in the kit can read, and `ConsoleLogin.parse` raises SigninLabError naming the key.
Everything else is optional and None when the record does not carry it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from signin_lab.errors import SigninLabError

#: eventSource of console sign-in events.
SIGNIN_SOURCE = "signin.amazonaws.com"


def is_console_login(record: Any) -> bool:
    """True for a ConsoleLogin record of signin.amazonaws.com (other events are not sign-ins).

    A record without eventSource counts (hand-made test records often leave it out).
    """
    return (
        isinstance(record, Mapping)
        and record.get("eventName") == "ConsoleLogin"
        and record.get("eventSource", SIGNIN_SOURCE) == SIGNIN_SOURCE
    )


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def parse_event_time(text: Any, where: str) -> datetime:
    """eventTime ("2023-07-19T21:44:40Z", ISO 8601 UTC) as an aware datetime, or SigninLabError."""
    if isinstance(text, str):
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            value = None
        if value is not None and value.tzinfo is not None:
            return value
    raise SigninLabError(
        f"{where}: eventTime {text!r} is not an ISO 8601 UTC time like 2023-07-19T21:44:40Z"
    )


@dataclass(frozen=True)
class ConsoleLogin:
    """A ConsoleLogin record read the way CloudTrail writes it; `raw` is the record itself.

    - outcome: `responseElements.ConsoleLogin` as written ("Success" or "Failure").
    - user_type: `userIdentity.type` as written; CloudTrail writes the root user as "Root".
    - user_name: `userIdentity.userName` ("HIDDEN_DUE_TO_SECURITY_REASONS" kept as written when
      the name typed did not exist); for AssumedRole, which has no userName, the role session
      name (the last part of the assumed-role ARN), as the console's "User name" column shows
      it; None for a root user without an account alias.
    - mfa_used: `additionalEventData.MFAUsed` compared case-insensitively, so the 2022 example's
      "YES" counts as MFA like "Yes" (the docs disagree on the case; CloudTrail's meaning is
      plain). None when additionalEventData or MFAUsed is missing or says something else.
    """

    time: datetime
    outcome: str
    user_type: str
    user_name: str | None
    mfa_used: bool | None
    source_ip: str | None
    user_agent: str | None
    region: str | None
    error_message: str | None
    event_id: str | None
    raw: Mapping[str, Any] = field(repr=False, compare=False)

    @classmethod
    def parse(cls, record: Mapping[str, Any], where: str = "ConsoleLogin record") -> ConsoleLogin:
        """The typed view of `record`; SigninLabError naming the missing or bad required key.

        `where` names the record in the message (e.g. "ConsoleLogin record 3").
        """
        if not isinstance(record, Mapping):
            raise SigninLabError(f"{where}: not a CloudTrail record (a JSON object): {record!r}")
        event_id = _text(record.get("eventID"))
        here = f"{where} (eventID {event_id!r})" if event_id else where
        if record.get("eventName") != "ConsoleLogin":
            raise SigninLabError(f"{here}: eventName is {record.get('eventName')!r}, not 'ConsoleLogin'")
        time = parse_event_time(record.get("eventTime"), here)
        identity = _mapping(record.get("userIdentity"))
        user_type = _text(identity.get("type"))
        if user_type is None:
            raise SigninLabError(f"{here}: userIdentity.type is missing")
        outcome = _text(_mapping(record.get("responseElements")).get("ConsoleLogin"))
        if outcome is None:
            raise SigninLabError(f"{here}: responseElements.ConsoleLogin is missing")
        user_name = _text(identity.get("userName"))
        if user_name is None and user_type == "AssumedRole":
            arn = _text(identity.get("arn")) or ""
            user_name = arn.rsplit("/", 1)[-1] if arn.count("/") >= 2 else None
        mfa_raw = _text(_mapping(record.get("additionalEventData")).get("MFAUsed"))
        mfa = {"yes": True, "no": False}.get(mfa_raw.strip().lower()) if mfa_raw else None
        return cls(
            time=time,
            outcome=outcome,
            user_type=user_type,
            user_name=user_name,
            mfa_used=mfa,
            source_ip=_text(record.get("sourceIPAddress")),
            user_agent=_text(record.get("userAgent")),
            region=_text(record.get("awsRegion")),
            error_message=_text(record.get("errorMessage")),
            event_id=event_id,
            raw=record,
        )

    @property
    def succeeded(self) -> bool:
        """True when the sign-in succeeded (outcome "Success")."""
        return self.outcome == "Success"

    @property
    def is_root(self) -> bool:
        """True for the root user (userIdentity.type "Root")."""
        return self.user_type == "Root"

    def row(self) -> dict[str, Any]:
        """The fields as a dict, in `signin_lab.events.COLUMNS` order (raw left out)."""
        return {
            "time": self.time,
            "outcome": self.outcome,
            "user_type": self.user_type,
            "user_name": self.user_name,
            "mfa_used": self.mfa_used,
            "source_ip": self.source_ip,
            "user_agent": self.user_agent,
            "region": self.region,
            "error_message": self.error_message,
            "event_id": self.event_id,
        }


__all__ = ["SIGNIN_SOURCE", "ConsoleLogin", "is_console_login", "parse_event_time"]
