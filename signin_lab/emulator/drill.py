"""The fire drill on real AWS: one synthetic ConsoleLogin written into the trail's real log group.

On real AWS, AWS runs the metric filter, alarm, email and SMS itself; the kit only writes the
record, stamped now, into a `signin-lab-drill` stream (CreateLogStream, PutLogEvents,
https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutLogEvents.html).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from signin_lab.aws_errors import error_code
from signin_lab.emulator.clock import floor_minute, to_millis
from signin_lab.emulator.delivery import event_time, log_message
from signin_lab.emulator.replay import ReplayRun
from signin_lab.emulator.runtime import client_error, read_trail, trail_log_group
from signin_lab.errors import SigninLabError

if TYPE_CHECKING:  # pragma: no cover
    from signin_lab.events.signin import ConsoleLogin
    from signin_lab.lab import Lab

#: The log stream the drill writes to on real AWS.
DRILL_STREAM = "signin-lab-drill"


@dataclass(frozen=True)
class Drill:
    """One synthetic ConsoleLogin sent through the pipeline, and where it went."""

    record: dict[str, Any]
    log_group: str | None
    log_stream: str | None
    run: ReplayRun | None  # the replay on moto; None on real AWS, where AWS itself runs the rest

    @property
    def login(self) -> ConsoleLogin:
        """The drill's record as a typed ConsoleLogin (outcome, user type, MFA...)."""
        from signin_lab.events.signin import ConsoleLogin

        return ConsoleLogin.parse(self.record, "drill record")


def drill_on_aws(lab: Lab, outcome: str, user_type: str, now: datetime, **options: Any) -> Drill:
    """Write one ConsoleLogin, stamped `now` (whole seconds), into the real trail's log group."""
    from signin_lab.events.samples import console_login

    cfg = lab.config
    when = floor_minute(now) + timedelta(seconds=now.second)
    record = console_login(outcome, user_type, when, account_id=cfg.account_id, **options)  # type: ignore[arg-type]
    group = trail_log_group(read_trail(lab)) or cfg.log_group_name
    logs = lab.client("logs")
    try:
        logs.create_log_stream(logGroupName=group, logStreamName=DRILL_STREAM)
    except client_error() as exc:
        if error_code(exc) != "ResourceAlreadyExistsException":
            raise SigninLabError(
                f"drill: cannot create log stream {DRILL_STREAM!r} in {group!r}: {exc}"
            ) from exc
    try:
        logs.put_log_events(
            logGroupName=group,
            logStreamName=DRILL_STREAM,
            logEvents=[{"timestamp": to_millis(event_time(record)), "message": log_message(record)}],
        )
    except client_error() as exc:
        raise SigninLabError(f"drill: cannot write to log group {group!r}: {exc}") from exc
    return Drill(record, group, DRILL_STREAM, None)


__all__ = ["DRILL_STREAM", "Drill", "drill_on_aws"]
