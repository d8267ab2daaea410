"""CloudTrail delivery: records into gzipped S3 log files and into CloudWatch Logs events.

Models https://docs.aws.amazon.com/awscloudtrail/latest/userguide/get-and-view-cloudtrail-log-files.html
(object key `[prefix/]AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_
<YYYYMMDDTHHmmZ>_<16 chars>.json.gz`, body `{"Records": [...]}`), cloudtrail-log-file-examples.html,
and https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudwatch-log-group-log-stream-naming-for-cloudtrail.html
(stream `account_ID_CloudTrail_trail_region`, one record per log event).

Choices where the docs are silent (pinned by tests): CloudTrail "typically delivers log files every
five minutes", so records are grouped into 5-minute delivery windows per source Region and each file
is named for the end of its window; the 16-character unique string is derived from the file's
content, so replays are reproducible; the log stream uses the trail's home Region, as the naming
page writes it.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from signin_lab.emulator.clock import parse_time, to_millis
from signin_lab.errors import SigninLabError

#: "CloudTrail typically delivers logs within an average of about 5 minutes of an API call."
DELIVERY_INTERVAL = timedelta(minutes=5)
#: CloudWatch Logs PutLogEvents limits: 10,000 events, 1,048,576 bytes (message bytes + 26 each),
#: at most 24 hours between the first and last event of a batch.
#: https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutLogEvents.html
MAX_BATCH_EVENTS = 10_000
MAX_BATCH_BYTES = 1_048_576
MAX_BATCH_SPAN = timedelta(hours=24)
EVENT_OVERHEAD = 26


@dataclass(frozen=True)
class LogFile:
    """One CloudTrail log file: where it goes in the bucket and its gzipped body."""

    key: str
    region: str
    delivery_time: datetime
    records: tuple[Mapping[str, Any], ...]
    body: bytes


def check_records(records: Iterable[Any]) -> list[dict[str, Any]]:
    """The records as a list, each checked to look like a CloudTrail record (`check_record`)."""
    return [check_record(index, record) for index, record in enumerate(records)]


def record_problem(record: Any) -> str | None:
    """Why `record` is not a CloudTrail record the emulator can replay, or None.

    A record must be an object with `eventTime` (an ISO 8601 time), `eventSource` and
    `eventName` (cloudtrail-event-reference-record-contents.html).
    """
    if not isinstance(record, Mapping):
        return f"not a CloudTrail record (expected a JSON object, got {type(record).__name__})"
    missing = [k for k in ("eventTime", "eventSource", "eventName") if k not in record]
    if missing:
        return f"not a CloudTrail record (no {', '.join(missing)})"
    try:
        parse_time(record["eventTime"], "eventTime")
    except SigninLabError as exc:
        return str(exc)
    return None


def check_record(index: int, record: Any) -> dict[str, Any]:
    """A copy of one record, checked (`record_problem`); a SigninLabError names its index."""
    if not isinstance(record, Mapping):
        raise SigninLabError(
            f"record {index}: not a CloudTrail record (expected a JSON object, got "
            f"{type(record).__name__})"
        )
    missing = [k for k in ("eventTime", "eventSource", "eventName") if k not in record]
    if missing:
        raise SigninLabError(f"record {index}: not a CloudTrail record (no {', '.join(missing)})")
    parse_time(record["eventTime"], f"record {index}: eventTime")
    return dict(record)


def event_time(record: Mapping[str, Any]) -> datetime:
    """A record's `eventTime` as an aware UTC datetime."""
    return parse_time(record["eventTime"], "eventTime")


def log_stream_name(account_id: str, region: str) -> str:
    """CloudTrail's log stream: `account_ID_CloudTrail_trail_region`."""
    return f"{account_id}_CloudTrail_{region}"


def _unique_string(body: bytes) -> str:
    """16 characters, like CloudTrail's meaningless UniqueString, but derived from the content."""
    digest = hashlib.sha256(body).digest()
    return base64.b64encode(digest, altchars=b"Aa").decode("ascii")[:16]


def object_key(
    account_id: str, region: str, delivery_time: datetime, unique: str, prefix: str | None = None
) -> str:
    """The S3 key of a log file, e.g. `AWSLogs/111122223333/CloudTrail/us-east-2/2015/08/01/
    111122223333_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz`."""
    if len(unique) != 16:
        raise SigninLabError(f"unique string {unique!r}: CloudTrail uses 16 characters")
    t = delivery_time
    name = f"{account_id}_CloudTrail_{region}_{t:%Y%m%dT%H%M}Z_{unique}.json.gz"
    path = f"AWSLogs/{account_id}/CloudTrail/{region}/{t:%Y/%m/%d}/{name}"
    return f"{prefix.strip('/')}/{path}" if prefix and prefix.strip("/") else path


def delivery_time(time: datetime, interval: timedelta = DELIVERY_INTERVAL) -> datetime:
    """The end of the delivery window a record falls in (files name their delivery time, UTC)."""
    epoch = datetime(1970, 1, 1, tzinfo=time.tzinfo)
    windows = (time - epoch) // interval
    return epoch + (windows + 1) * interval


def gzip_records(records: Sequence[Mapping[str, Any]]) -> bytes:
    """`{"Records": [...]}`, gzipped reproducibly (no file name, time 0 in the gzip header)."""
    raw = json.dumps({"Records": list(records)}, separators=(",", ":")).encode("utf-8")
    return gzip.compress(raw, mtime=0)


def log_files(
    records: Iterable[Mapping[str, Any]],
    account_id: str,
    prefix: str | None = None,
    interval: timedelta = DELIVERY_INTERVAL,
    default_region: str = "us-east-1",
) -> list[LogFile]:
    """The log files CloudTrail would write for these records: one per source Region and window."""
    groups: dict[tuple[datetime, str], list[Mapping[str, Any]]] = defaultdict(list)
    for record in records:
        region = str(record.get("awsRegion") or default_region)
        groups[(delivery_time(event_time(record), interval), region)].append(record)
    out = []
    for (when, region), group in sorted(groups.items(), key=lambda kv: kv[0]):
        group.sort(key=event_time)
        body = gzip_records(group)
        key = object_key(account_id, region, when, _unique_string(body), prefix)
        out.append(LogFile(key, region, when, tuple(group), body))
    return out


def log_message(record: Mapping[str, Any]) -> str:
    """The log event message for a record: the record as one line of compact UTF-8 JSON."""
    return json.dumps(record, separators=(",", ":"), ensure_ascii=False)


def batches(events: Sequence[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """PutLogEvents batches (events sorted by timestamp) within the API's count, size and span."""
    out: list[list[dict[str, Any]]] = []
    current: list[dict[str, Any]] = []
    size = 0
    for event in events:
        cost = len(event["message"].encode("utf-8")) + EVENT_OVERHEAD
        if current and (
            len(current) >= MAX_BATCH_EVENTS
            or size + cost > MAX_BATCH_BYTES
            or event["timestamp"] - current[0]["timestamp"] > MAX_BATCH_SPAN.total_seconds() * 1000
        ):
            out.append(current)
            current, size = [], 0
        current.append(event)
        size += cost
    if current:
        out.append(current)
    return out


def log_events(
    records: Iterable[Mapping[str, Any]], shift: timedelta = timedelta(0)
) -> list[dict[str, Any]]:
    """PutLogEvents entries, one per record, in time order; `shift` moves every timestamp."""
    stamped = sorted(
        ((to_millis(event_time(r) + shift), log_message(r)) for r in records), key=lambda e: e[0]
    )
    return [{"timestamp": ts, "message": message} for ts, message in stamped]
