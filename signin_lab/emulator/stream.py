"""A replay's records in time order with bounded memory: checked one by one, kept as their log
message (compact JSON, what CloudWatch Logs stores), spilled to sorted runs in a temporary folder
past `SPILL_AT` records and merged back (heapq.merge) in the order `sorted(records,
key=eventTime)` gives: by time, ties in input order.

Per (awsRegion, readOnly) class it also counts the records and keeps the first and last time, so
the trail's selection (which records it delivers) and the time shift of the log events are known
before the first record is delivered.
"""

from __future__ import annotations

import heapq
import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from signin_lab.emulator.delivery import check_record, event_time, log_message

#: Records held in memory before a sorted run is written to disk.
SPILL_AT = 10_000
_FORMAT = "%Y-%m-%dT%H:%M:%S.%f"
_MISSING = "\x00missing"


def selection_class(record: Mapping[str, Any]) -> tuple[str | None, bool | None]:
    """What a trail's selection looks at: the raw awsRegion (_MISSING when absent; a non-string
    as its repr, which never equals a Region) and readOnly (True, False, or None for anything else)."""
    region = record.get("awsRegion", _MISSING)
    if region is not None and not isinstance(region, str):
        region = repr(region)
    read_only = record.get("readOnly")
    return region, read_only if isinstance(read_only, bool) else None


@dataclass
class ClassStats:
    """Records of one selection class: how many, and the first and last time key."""

    count: int
    first: str
    last: str


class SortedRecords:
    """Records added one at a time (each checked), read back in time order, once."""

    def __init__(self, spill_at: int = SPILL_AT) -> None:
        self._spill_at = spill_at
        self._buffer: list[tuple[str, int, str]] = []
        self._runs: list[str] = []
        self._dir: tempfile.TemporaryDirectory[str] | None = None
        self.count = 0
        self.classes: dict[tuple[str | None, bool | None], ClassStats] = {}

    def add_all(self, records: Iterable[Any]) -> SortedRecords:
        """Check and add every record (SigninLabError naming the first bad one by its index)."""
        for record in records:
            self.add(record)
        return self

    def add(self, record: Any) -> None:
        """Check one record (record N: its index in the input) and keep its message."""
        checked = check_record(self.count, record)
        key = event_time(checked).strftime(_FORMAT)
        self._buffer.append((key, self.count, log_message(checked)))
        self.count += 1
        cls = selection_class(checked)
        stats = self.classes.get(cls)
        if stats is None:
            self.classes[cls] = ClassStats(1, key, key)
        else:
            stats.count += 1
            stats.first = min(stats.first, key)
            stats.last = max(stats.last, key)
        if len(self._buffer) >= self._spill_at:
            self._spill()

    def _spill(self) -> None:
        if self._dir is None:
            self._dir = tempfile.TemporaryDirectory(prefix="signin-lab-replay-")
        self._buffer.sort()
        path = os.path.join(self._dir.name, f"run{len(self._runs):05d}.txt")
        with open(path, "w", encoding="utf-8") as f:
            # a message is one line: JSON escapes newlines
            f.writelines(f"{key}\t{seq:012d}\t{message}\n" for key, seq, message in self._buffer)
        self._runs.append(path)
        self._buffer = []

    @property
    def first(self) -> datetime | None:
        """The earliest record's time."""
        return key_time(min(s.first for s in self.classes.values())) if self.classes else None

    @property
    def last(self) -> datetime | None:
        """The latest record's time."""
        return key_time(max(s.last for s in self.classes.values())) if self.classes else None

    def __iter__(self) -> Iterator[tuple[datetime, str, dict[str, Any]]]:
        """(time, log message, record) in time order, ties in input order; the spill is removed after."""
        self._buffer.sort()
        try:
            if not self._runs:
                for key, _, message in self._buffer:
                    yield key_time(key), message, json.loads(message)
                return
            files = [open(path, encoding="utf-8") for path in self._runs]  # noqa: SIM115
            try:
                streams = [map(_split, f) for f in files]
                memory = ((key, seq, message) for key, seq, message in self._buffer)
                for key, _, message in heapq.merge(*streams, memory):
                    yield key_time(key), message, json.loads(message)
            finally:
                for f in files:
                    f.close()
        finally:
            self.close()

    def close(self) -> None:
        """Remove the spilled runs (also done when iteration ends)."""
        self._buffer = []
        if self._dir is not None:
            self._dir.cleanup()
            self._dir = None
            self._runs = []


def _split(line: str) -> tuple[str, int, str]:
    key, seq, message = line.rstrip("\n").split("\t", 2)
    return key, int(seq), message


def key_time(key: str) -> datetime:
    """The UTC time of a sort key."""
    return datetime.fromisoformat(key).replace(tzinfo=UTC)


def checked_records(stream: Any, on_error: str = "raise") -> Iterator[dict[str, Any]]:
    """The records of a `load_records` stream that the emulator can replay (`record_problem`).

    A record it cannot replay raises EventFileError naming its file and its place in that file
    ("record 3", "line 12"), or with on_error="skip" is added to `stream.report.skipped`.
    """
    from signin_lab.emulator.delivery import record_problem
    from signin_lab.events.load import EventFileError, Skipped

    for path, where, record in stream.located():
        why = record_problem(record)
        if why is None:
            yield record
        elif on_error == "skip":
            stream.report.skipped.append(Skipped(path, where, why, "record"))
        else:
            raise EventFileError(path, where, why)
