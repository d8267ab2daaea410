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

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from signin_lab.aws_errors import error_code
from signin_lab.emulator.clock import to_millis
from signin_lab.emulator.delivery import batches, event_time, log_events, log_files, log_stream_name
from signin_lab.emulator.runtime import Pipeline, client_error, event_selectors
from signin_lab.errors import SigninLabError

if TYPE_CHECKING:  # pragma: no cover
    from signin_lab.lab import Lab

Record = dict[str, Any]

#: PutLogEvents accepts events no older than 14 days and no more than 2 hours ahead; keep a margin.
LOG_OLDEST = timedelta(days=14) - timedelta(hours=1)
LOG_NEWEST = timedelta(hours=2) - timedelta(minutes=5)


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
    oldest, newest = event_time(records[0]), event_time(records[-1])
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


__all__ = ["LOG_NEWEST", "LOG_OLDEST", "deliver_logs", "deliver_s3", "log_shift", "select"]
