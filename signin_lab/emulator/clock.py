"""The emulator's simulated clock: it follows the records' own times and never reads the wall.

AWS and moto refuse log events older than 14 days
(https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutLogEvents.html), yet the
sample archives are historical; so metric filters and alarms run on this clock, minute by minute, as
if CloudTrail had delivered each record at its `eventTime`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from signin_lab.errors import SigninLabError

#: Where a replay with no records, or a drill on a fresh lab, starts: the blog's test morning.
DEFAULT_START = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


def parse_time(value: object, where: str = "time") -> datetime:
    """A CloudTrail `eventTime` ("2025-03-03T09:05:12Z") or a datetime, as an aware UTC datetime."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    if not isinstance(value, str) or not value:
        raise SigninLabError(
            f"{where}: expected an ISO 8601 time such as 2025-03-03T09:05:12Z, got {value!r}"
        )
    try:
        parsed = datetime.fromisoformat(value)  # Python 3.11 reads a trailing Z
    except ValueError:
        raise SigninLabError(
            f"{where}: {value!r} is not an ISO 8601 time such as 2025-03-03T09:05:12Z"
        ) from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def floor_minute(time: datetime) -> datetime:
    """The start of the minute `time` falls in: CloudWatch Logs reports metric values per minute."""
    return time.replace(second=0, microsecond=0)


def to_millis(time: datetime) -> int:
    """Milliseconds since the epoch, as CloudWatch Logs timestamps are."""
    return round(time.timestamp() * 1000)


def from_millis(millis: int) -> datetime:
    """An aware UTC datetime from epoch milliseconds."""
    return datetime.fromtimestamp(millis / 1000, tz=UTC)


@dataclass
class SimulatedClock:
    """The emulator's time: unset until the first replay, then only ever moves forward."""

    now: datetime | None = None

    def advance_to(self, time: datetime) -> datetime:
        """Move to `time`; moving backwards is a SigninLabError (replays must follow each other)."""
        time = parse_time(time)
        if self.now is not None and time < self.now:
            raise SigninLabError(
                f"the emulator's clock is at {self.now.isoformat()} and cannot go back to "
                f"{time.isoformat()}: replay later records, or call lab.emulator.reset() first"
            )
        self.now = time
        return time

    def reset(self) -> None:
        """Forget the time (a fresh emulator)."""
        self.now = None
