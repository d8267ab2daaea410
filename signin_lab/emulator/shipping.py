"""CloudTrail's delivery on the target: which records the trail delivers, to S3 and to CloudWatch Logs.

The files and log events themselves are built in delivery.py (pure); this module writes them
(PutObject, CreateLogStream, PutLogEvents) and notes what a real trail would not deliver.

Log event times: AWS and moto refuse events older than 14 days or more than 2 hours ahead
(https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutLogEvents.html), so
when the records' own times are refused every timestamp is moved by the same whole number of
days, or, for archives too long for one shift, stamped with the time of the replay, as CloudTrail
stamps a late delivery.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from signin_lab.aws_errors import error_code
from signin_lab.emulator.clock import to_millis
from signin_lab.emulator.delivery import (
    EVENT_OVERHEAD,
    MAX_BATCH_BYTES,
    MAX_BATCH_EVENTS,
    MAX_BATCH_SPAN,
    batches,
    delivery_time,
    event_time,
    log_events,
    log_files,
    log_stream_name,
)
from signin_lab.emulator.runtime import Pipeline, client_error, event_selectors
from signin_lab.emulator.stream import _MISSING
from signin_lab.errors import SigninLabError

if TYPE_CHECKING:  # pragma: no cover
    from signin_lab.lab import Lab

Record = dict[str, Any]

#: PutLogEvents accepts events no older than 14 days and no more than 2 hours ahead; keep a margin.
LOG_OLDEST = timedelta(days=14) - timedelta(hours=1)
LOG_NEWEST = timedelta(hours=2) - timedelta(minutes=5)


class Selection:
    """Which records the trail delivers (see `select`), decided per selection class
    (awsRegion, readOnly) so a streamed replay knows it before delivering anything."""

    def __init__(self, lab: Lab, p: Pipeline) -> None:
        self.lab = lab
        self.p = p
        self.name = p.trail.get("Name", "?")
        self.home = p.trail.get("HomeRegion") or lab.region
        self._selectors: tuple[str, bool] | None = None

    def selectors(self) -> tuple[str, bool]:
        """(ReadWriteType, IncludeManagementEvents), read once."""
        if self._selectors is None:
            self._selectors = event_selectors(self.lab, self.name)
        return self._selectors

    def in_region(self, cls: tuple[str | None, bool | None]) -> bool:
        """A multi-Region trail takes every Region; another only its home Region's records
        (a record without awsRegion counts as the home Region's)."""
        region = self.home if cls[0] == _MISSING else cls[0]
        return bool(self.p.trail.get("IsMultiRegionTrail")) or region == self.home

    def keeps(self, cls: tuple[str | None, bool | None]) -> bool:
        """Whether a record of this class is delivered."""
        if not self.p.logging or not self.in_region(cls):
            return False
        read_write, management = self.selectors()
        read_only = cls[1]
        return management and not (read_write == "ReadOnly" and read_only is False) and not (
            read_write == "WriteOnly" and read_only is True)

    def notes(self, counts: Mapping[tuple[str | None, bool | None], int]) -> list[str]:
        """The notes `select` writes, from the number of records of each class."""
        total = sum(counts.values())
        if not total:
            return []
        if not self.p.logging:
            return [f"trail {self.name!r} is not logging: {total} record(s) not delivered"]
        out: list[str] = []
        regional = sum(n for cls, n in counts.items() if self.in_region(cls))
        if regional < total:
            out.append(
                f"trail {self.name!r} is not multi-Region: {total - regional} record(s) from "
                f"other Regions than {self.home} not delivered"
            )
        read_write, management = self.selectors()
        kept = sum(n for cls, n in counts.items() if self.keeps(cls))
        if kept < regional:
            out.append(
                f"trail {self.name!r} event selectors (ReadWriteType={read_write}, "
                f"IncludeManagementEvents={management}): {regional - kept} record(s) not delivered"
            )
        return out


def select(lab: Lab, records: list[Record], p: Pipeline, notes: list[str]) -> list[Record]:
    """The records this trail delivers: none when it is not logging; only its home Region's
    when it is not multi-Region (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/
    receive-cloudtrail-log-files-from-multiple-regions.html); only the read/write kind its
    basic event selectors ask for (logging-management-events-with-cloudtrail.html)."""
    if not records:
        return []
    name = p.trail.get("Name", "?")
    if not p.logging:
        notes.append(f"trail {name!r} is not logging: {len(records)} record(s) not delivered")
        return []
    out = records
    if not p.trail.get("IsMultiRegionTrail"):
        home = p.trail.get("HomeRegion") or lab.region
        out = [r for r in out if r.get("awsRegion", home) == home]
        if len(out) < len(records):
            notes.append(
                f"trail {name!r} is not multi-Region: {len(records) - len(out)} record(s) from "
                f"other Regions than {home} not delivered"
            )
    read_write, management = event_selectors(lab, name)
    kept = [
        r
        for r in out
        if management
        and not (read_write == "ReadOnly" and r.get("readOnly") is False)
        and not (read_write == "WriteOnly" and r.get("readOnly") is True)
    ]
    if len(kept) < len(out):
        notes.append(
            f"trail {name!r} event selectors (ReadWriteType={read_write}, "
            f"IncludeManagementEvents={management}): {len(out) - len(kept)} record(s) not delivered"
        )
    return kept


def deliver_s3(lab: Lab, records: list[Record], p: Pipeline, notes: list[str]) -> list[str]:
    """Write the records' log files to the trail's bucket; the keys written (stops at a failure)."""
    bucket = p.trail.get("S3BucketName")
    if not records or not bucket:
        return []
    s3 = lab.client("s3")
    keys: list[str] = []
    for f in log_files(records, lab.config.account_id, p.trail.get("S3KeyPrefix")):
        try:
            s3.put_object(
                Bucket=bucket,
                Key=f.key,
                Body=f.body,
                ContentType="application/json",
                ContentEncoding="gzip",
                # CloudTrail writes with this ACL; the documented bucket policy requires it.
                ACL="bucket-owner-full-control",
            )
        except client_error() as exc:
            notes.append(
                f"S3 delivery to bucket {bucket!r} failed ({error_code(exc) or exc}); "
                "CloudTrail would retry it"
            )
            return keys
        keys.append(f.key)
    return keys


def log_shift(records: list[Record], now: datetime) -> timedelta | None:
    """timedelta(0) when the target accepts the records' own times; else a whole-day shift;
    None when the archive is too long for one shift (stamp with the replay time)."""
    return shift_between(event_time(records[0]), event_time(records[-1]), now)


def shift_between(oldest: datetime, newest: datetime, now: datetime) -> timedelta | None:
    """`log_shift` for records from `oldest` to `newest`."""
    lo, hi = now - LOG_OLDEST, now + LOG_NEWEST
    if lo <= oldest and newest <= hi:
        return timedelta(0)
    shift = timedelta(days=(now - newest) // timedelta(days=1))
    if lo <= oldest + shift and newest + shift <= hi:
        return shift
    return None


def deliver_logs(
    lab: Lab,
    records: list[Record],
    p: Pipeline,
    notes: list[str],
    wall: Callable[[], datetime],
) -> tuple[str | None, timedelta | None, list[Record]]:
    """Write the records as log events to the trail's log group: (stream, time shift, records written)."""
    if not records:
        return None, timedelta(0), []
    if not p.log_group:
        notes.append(
            f"trail {p.trail.get('Name')!r} sends nothing to CloudWatch Logs "
            "(no CloudWatchLogsLogGroupArn): metric filters see no events"
        )
        return None, timedelta(0), []
    home = p.trail.get("HomeRegion") or lab.region
    stream = log_stream_name(lab.config.account_id, home)
    logs = lab.client("logs")
    try:
        logs.create_log_stream(logGroupName=p.log_group, logStreamName=stream)
    except client_error() as exc:
        code = error_code(exc)
        if code == "ResourceNotFoundException":
            notes.append(f"log group {p.log_group!r} does not exist: metric filters see no events")
            return None, timedelta(0), []
        if code != "ResourceAlreadyExistsException":
            raise SigninLabError(f"cannot create log stream {stream!r}: {exc}") from exc
    now = wall()
    shift = log_shift(records, now)
    entries = log_events(records, shift or timedelta(0))
    if shift is None:  # stamped with the replay's (wall) time, as a late delivery would be
        entries = [{"timestamp": to_millis(now), "message": e["message"]} for e in entries]
    for batch in batches(entries):
        got = logs.put_log_events(logGroupName=p.log_group, logStreamName=stream, logEvents=batch)
        rejected = got.get("rejectedLogEventsInfo")
        if rejected:
            raise SigninLabError(f"log group {p.log_group!r} refused log events: {rejected}")
    return stream, shift, records


class Shipper:
    """`deliver_s3` and `deliver_logs` for records fed one at a time in time order: S3 files are
    written as each 5-minute delivery window closes, log events as each PutLogEvents batch fills,
    so memory holds one window and one batch. The files, keys, batches and notes are the ones
    the list-based functions give for the same records."""

    def __init__(
        self, lab: Lab, p: Pipeline, wall: Callable[[], datetime], first: datetime, last: datetime
    ) -> None:
        self.lab = lab
        self.p = p
        self._wall = wall
        self._first, self._last = first, last
        self.keys: list[str] = []
        self.s3_notes: list[str] = []
        self.log_notes: list[str] = []
        self.stream: str | None = None
        self.shift: timedelta | None = timedelta(0)
        self.written = 0
        self._bucket = p.trail.get("S3BucketName")
        self._s3_failed = False
        self._window: datetime | None = None
        self._group: list[Record] = []
        self._logs_state = "unstarted"  # "on" | "off"
        self._now: datetime | None = None
        self._batch: list[dict[str, Any]] = []
        self._size = 0

    def add(self, time: datetime, message: str, record: Record) -> bool:
        """Deliver one record; True when it was written to the log group (metric filters see it)."""
        if self._bucket:
            window = delivery_time(time)
            if window != self._window:
                self._flush_s3()
                self._window = window
            self._group.append(record)
        if self._logs_state == "unstarted":
            self._start_logs()
        if self._logs_state != "on":
            return False
        stamp = to_millis(time + self.shift if self.shift is not None else self._now or time)
        self._add_event({"timestamp": stamp, "message": message})
        self.written += 1
        return True

    def close(self) -> None:
        """Write what is still held: the last window's files and the last batch."""
        self._flush_s3()
        if self._batch:
            self._put(self._batch)
            self._batch, self._size = [], 0

    def _flush_s3(self) -> None:
        group, self._group = self._group, []
        if not group or self._s3_failed:
            return
        done = deliver_s3(self.lab, group, self.p, self.s3_notes)
        self.keys.extend(done)
        if self.s3_notes:
            self._s3_failed = True  # deliver_s3 stops at a failure: so does the whole replay

    def _start_logs(self) -> None:
        p = self.p
        self._logs_state = "off"
        if not p.log_group:
            self.log_notes.append(
                f"trail {p.trail.get('Name')!r} sends nothing to CloudWatch Logs "
                "(no CloudWatchLogsLogGroupArn): metric filters see no events"
            )
            return
        home = p.trail.get("HomeRegion") or self.lab.region
        stream = log_stream_name(self.lab.config.account_id, home)
        try:
            self.lab.client("logs").create_log_stream(logGroupName=p.log_group, logStreamName=stream)
        except client_error() as exc:
            code = error_code(exc)
            if code == "ResourceNotFoundException":
                self.log_notes.append(f"log group {p.log_group!r} does not exist: metric filters see no events")
                return
            if code != "ResourceAlreadyExistsException":
                raise SigninLabError(f"cannot create log stream {stream!r}: {exc}") from exc
        self._now = self._wall()
        self.shift = shift_between(self._first, self._last, self._now)
        self.stream = stream
        self._logs_state = "on"

    def _add_event(self, event: dict[str, Any]) -> None:
        """The `batches` rule, one event at a time: a batch closes at the API's count, size or span."""
        cost = len(event["message"].encode("utf-8")) + EVENT_OVERHEAD
        batch = self._batch
        if batch and (
            len(batch) >= MAX_BATCH_EVENTS
            or self._size + cost > MAX_BATCH_BYTES
            or event["timestamp"] - batch[0]["timestamp"] > MAX_BATCH_SPAN.total_seconds() * 1000
        ):
            self._put(batch)
            self._batch, self._size = [], 0
        self._batch.append(event)
        self._size += cost

    def _put(self, batch: list[dict[str, Any]]) -> None:
        got = self.lab.client("logs").put_log_events(
            logGroupName=self.p.log_group, logStreamName=self.stream, logEvents=batch
        )
        rejected = got.get("rejectedLogEventsInfo")
        if rejected:
            raise SigninLabError(f"log group {self.p.log_group!r} refused log events: {rejected}")


__all__ = ["LOG_NEWEST", "LOG_OLDEST", "Selection", "Shipper", "deliver_logs", "deliver_s3", "log_shift", "select",
           "shift_between"]
