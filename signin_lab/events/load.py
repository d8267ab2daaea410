"""Read CloudTrail records from every file format a learner meets, one file at a time.

Formats (each recognised by its name first, then by its content):

* CloudTrail's S3 delivery files: gzip JSON `{"Records": [...]}` under
  `AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/` (digest files beside them are not records
  and are ignored) -
  https://docs.aws.amazon.com/awscloudtrail/latest/userguide/get-and-view-cloudtrail-log-files.html
  https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-examples.html
* plain `.json` holding `{"Records": [...]}`, which is also what the CloudTrail console's
  Event history "Download as JSON" writes -
  https://docs.aws.amazon.com/awscloudtrail/latest/userguide/view-cloudtrail-events-console.html
* the console's "Download as CSV": one row per event; the column "CloudTrail event" holds the whole
  record as JSON (the other columns, "Event ID", "Event time", "User name", ... are summaries of
  it). AWS's page documents the CSV download but not its columns, and no AWS page found shows
  them, so the column names are unconfirmed: any column named "CloudTrail event" or
  "CloudTrailEvent" (case, spaces and underscores ignored; the latter is LookupEvents' field
  name) is accepted, and a CSV without one is an error that lists the columns it has.
* `aws cloudtrail lookup-events` output `{"Events": [{"CloudTrailEvent": "<record JSON>"}, ...]}` -
  https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html
* JSON lines (`.jsonl`, `.ndjson`, or a `.json`/`.log` file with one object a line): each line a
  record, or a CloudWatch Logs event `{"timestamp": ..., "message": "<record JSON>", ...}` as
  FilterLogEvents / GetLogEvents return them, or a CloudWatch Logs S3 export line
  `<ISO timestamp> <record JSON>`; also a whole `aws logs filter-log-events` response
  `{"events": [...]}` -
  https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_FilterLogEvents.html
  https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/S3ExportTasksConsole.html
* any of these gzip-compressed (`.gz`), e.g. CloudWatch Logs' S3 export `000000.gz`.

A record is a JSON object with an `eventTime` string (a field that is never optional:
https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html).

Memory: files are read one at a time. Files named `.jsonl`, `.ndjson`, `.log` or `.csv` (gzip or
not), and unnamed files whose first line is one JSON object, stream line by line, so memory is
flat however large they are. A `.json` file is one JSON document (`{"Records": [...]}`) and is
parsed whole, because that format allows nothing else; CloudTrail's own files are a few MB at
most (a `.json` file that turns out to hold JSON lines is also read whole). For a larger export
use JSON lines. `RecordStream.batches()` hands records over a file at a time with the file's
text, which `signin-lab scan` uses to rule out whole files with a filter pattern's literals.

Untrusted archives: only regular files are opened (a FIFO or device is skipped and counted; see
signin_lab.events.walk), and no file may hold more than `max_bytes` (default
`MAX_BYTES`, 1 GiB) once decompressed: gzip is inflated in bounded steps, so a gzip bomb stops
at the cap with an EventFileError naming the file and the cap instead of exhausting memory.
CloudTrail's own delivery files are far smaller (tens of MB at most). A UTF-8 byte-order mark
at the start of a JSON or JSON-lines file is accepted, as it is in CSV.

Bad input is never dropped silently: with `on_error="raise"` the first problem raises an
`EventFileError` naming the file and the record index or line; with `on_error="skip"` it is
counted in `RecordStream.report` and a `SkippedInputWarning` summarises it when the stream ends.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from signin_lab.errors import SigninLabError
from signin_lab.events.formats import (  # the per-format readers, importable from here too
    _CHUNK,
    MAX_BYTES,
    EventFileError,
    _Bad,
    _kind,
    _read_file,
    read_blob,
)
from signin_lab.events.walk import EVENT_SUFFIXES, Found, walk_paths

__all__ = ["EVENT_SUFFIXES", "MAX_BYTES", "EventFileError", "LoadReport", "RecordStream", "Resolved",
           "Skipped", "SkippedInputWarning", "check_options", "find_files", "load_records", "read_blob",
           "resolve"]

if TYPE_CHECKING:  # pragma: no cover
    from signin_lab.events.sources import Prune

OnError = Literal["raise", "skip"]
SkipKind = Literal["file", "record", "folder"]

class SkippedInputWarning(UserWarning):
    """Emitted once when a stream with on_error="skip" ends having skipped something."""


@dataclass(frozen=True)
class Skipped:
    """One thing left out under on_error="skip": a whole file or one record/line of it."""

    path: str
    where: str | None  # "record 3", "line 12", "row 5"; None for the whole file
    reason: str
    kind: SkipKind

    def __str__(self) -> str:
        place = f"{self.path}: {self.where}" if self.where else self.path
        return f"{place}: {self.reason}"


@dataclass
class LoadReport:
    """What a RecordStream read, skipped and ignored; complete once the stream is exhausted."""

    files: list[str] = field(default_factory=list)  # every file to read, in order
    files_read: int = 0
    records: int = 0  # records yielded
    skipped: list[Skipped] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # non-event files met while walking folders
    done: bool = False

    @property
    def skipped_records(self) -> int:
        """Records (or lines, or rows) left out."""
        return sum(1 for s in self.skipped if s.kind == "record")

    @property
    def skipped_files(self) -> int:
        """Whole files left out (unreadable, not JSON, not CloudTrail, not a regular file)."""
        return sum(1 for s in self.skipped if s.kind == "file")

    @property
    def skipped_folders(self) -> int:
        """Folders that could not be listed (their files are unknown, hence not read)."""
        return sum(1 for s in self.skipped if s.kind == "folder")

    def skipped_json(self) -> list[dict[str, str | None]]:
        """Every skipped item as `{"file", "where", "reason", "kind"}`, in the order met."""
        return [{"file": s.path, "where": s.where, "reason": s.reason, "kind": s.kind}
                for s in self.skipped]

    def summary(self) -> str:
        """One line: records read, files, and what was skipped (with the first problem)."""
        text = f"{self.records} records from {self.files_read} files"
        if self.skipped:
            folders = f"{self.skipped_folders} folders, " if self.skipped_folders else ""
            text += (
                f"; skipped {folders}{self.skipped_files} files and {self.skipped_records} records"
                f" (first: {self.skipped[0]})"
            )
        if self.ignored:
            text += f"; ignored {len(self.ignored)} non-event files"
        return text


def find_files(*paths: str | Path) -> tuple[list[str], list[str]]:
    """The files to read for `paths` (folders walked recursively, sorted) and those ignored.

    A path that does not exist, a folder that cannot be listed or a path that is not a regular
    file (a FIFO, /dev/zero) is a SigninLabError. Each file is listed once however the paths
    overlap; symlinked folders are followed once. Inside folders, hidden folders (.git) are
    not entered; hidden files, CloudTrail digest folders and files without an event suffix
    (README.md, ...) are listed as ignored. See signin_lab.events.walk.
    """
    found = _find(paths, "raise")
    if found.problems:
        path, reason, _ = found.problems[0]
        raise SigninLabError(f"{path}: {reason}", field="paths")
    return found.files, found.ignored


def _find(paths: tuple[str | Path, ...], on_error: OnError) -> Found:
    if not paths:
        raise SigninLabError("no path given: pass CloudTrail files or folders")
    return walk_paths(paths, strict=on_error == "raise")


class RecordStream(Iterator[dict[str, Any]]):
    """An iterator over the records of some files; `.report` tells what it read and skipped.

    Iterate it once. After exhaustion `.report.done` is true; if anything was skipped a
    SkippedInputWarning carries `.report.summary()`.
    """

    def __init__(
        self,
        files: list[str],
        ignored: list[str],
        on_error: OnError,
        on_file: Callable[[Path], None] | None = None,
        *,
        skipped: Iterable[Skipped] = (),
        max_bytes: int = MAX_BYTES,
        remote: Mapping[str, Callable[[], bytes]] | None = None,
    ) -> None:
        self.report = LoadReport(files=list(files), ignored=ignored, skipped=list(skipped))
        self._on_error = on_error
        self._on_file = on_file
        self._files = files
        self._max_bytes = max_bytes
        self._remote = remote or {}
        self._it = self._generate()

    @property
    def files(self) -> list[Path]:
        """The files this stream reads, in order (known before iterating, e.g. for a progress bar)."""
        return [Path(f) for f in self._files]

    def __iter__(self) -> RecordStream:
        return self

    def __next__(self) -> dict[str, Any]:
        return next(self._it)

    def _generate(self) -> Iterator[dict[str, Any]]:
        for _, _, _, records, _ in self._located_batches():
            yield from records

    def batches(self) -> Iterator[tuple[bytes | None, list[dict[str, Any]]]]:
        """The same records a file (or a chunk of a streamed file) at a time, for fast scans.

        Each item is `(text, records)`: `text` is the file's decompressed JSON when the records
        appear in it verbatim (a `{"Records": [...]}` document), else None. A pattern's literal
        pre-check can then rule out a whole file at once. Use one of plain iteration,
        `batches()` or `located()` only.
        """
        self._it = iter(())  # one way of reading only
        return ((text, records) for _, _, text, records, _ in self._located_batches())

    def located(self) -> Iterator[tuple[str, str, dict[str, Any]]]:
        """The same records as `(file, where, record)`: where is "record 3" (its index in the
        file's document), "line 12" or "row 5" - the place within its own file, for messages."""
        self._it = iter(())  # one way of reading only
        for path, label, _, records, places in self._located_batches():
            for place, record in zip(places, records, strict=True):
                yield path, f"{label} {place}", record

    def _located_batches(
        self,
    ) -> Iterator[tuple[str, str, bytes | None, list[dict[str, Any]], Sequence[int]]]:
        report = self.report
        on_file = self._on_file
        for path in self._files:
            items: Iterable[Any] = ()
            try:
                label, items, text, pos = self._read(path)
                if type(items) is list:
                    yield from self._listed_batch(path, label, text, items)
                else:
                    yield from self._streamed_batches(path, label, items, pos)
            except EventFileError as exc:
                if self._on_error != "skip":
                    raise
                # A file-level problem: the file (or, for a stream cut short, its remainder).
                report.skipped.append(Skipped(exc.path, exc.where, exc.reason, "file"))
            finally:
                close = getattr(items, "close", None)
                if close is not None:
                    close()  # a streamed file's generator closes its file now, not at GC
            report.files_read += 1
            if on_file is not None:
                on_file(Path(path))
        report.done = True
        if report.skipped:
            warnings.warn(report.summary(), SkippedInputWarning, stacklevel=4)

    def _read(self, path: str) -> tuple[str, Iterable[Any], bytes | None, list[int]]:
        """`_read_file` of a local file, `read_blob` of a remote one (fetched now)."""
        fetch = self._remote.get(path)
        if fetch is None:
            return _read_file(path, self._max_bytes)
        return read_blob(path, fetch(), self._max_bytes)

    def _listed_batch(
        self, path: str, label: str, text: bytes | None, items: list[Any]
    ) -> Iterator[tuple[str, str, bytes | None, list[dict[str, Any]], Sequence[int]]]:
        """The one batch of a whole document's records (its bad ones raised or skipped)."""
        # The hot path: one type check and one key look-up a record, in C loops.
        good = [r for r in items if type(r) is dict and type(r.get("eventTime")) is str]
        places: Sequence[int] = range(len(good))
        if len(good) != len(items):
            good, places = self._good(path, label, items)
        self.report.records += len(good)
        yield path, label, text, good, places

    def _streamed_batches(
        self, path: str, label: str, items: Iterable[Any], pos: list[int]
    ) -> Iterator[tuple[str, str, bytes | None, list[dict[str, Any]], Sequence[int]]]:
        """Batches of at most `_CHUNK` streamed records (lines or rows), each with its line or row numbers."""
        chunk: list[dict[str, Any]] = []
        where: list[int] = []
        for rec in items:
            if type(rec) is _Bad:
                self._bad(path, rec.where, rec.reason)
                continue
            chunk.append(rec)
            where.append(pos[0])
            if len(chunk) >= _CHUNK:
                self.report.records += len(chunk)
                yield path, label, None, chunk, where
                chunk, where = [], []
        if chunk:
            self.report.records += len(chunk)
            yield path, label, None, chunk, where

    def _good(self, path: str, label: str, items: list[Any]) -> tuple[list[dict[str, Any]], list[int]]:
        """The slow path for a file with bad records: raise on the first, or skip and count."""
        good = []
        places = []
        for i, rec in enumerate(items):
            if type(rec) is dict and type(rec.get("eventTime")) is str:
                good.append(rec)
                places.append(i)
            elif type(rec) is _Bad:
                self._bad(path, rec.where, rec.reason)
            elif isinstance(rec, dict):
                self._bad(path, f"{label} {i}", "record has no eventTime string")
            else:
                self._bad(path, f"{label} {i}", f"expected a JSON object, got {_kind(rec)}")
        return good, places

    def _bad(self, path: str, where: str, reason: str) -> None:
        if self._on_error != "skip":
            raise EventFileError(path, where, reason)
        self.report.skipped.append(Skipped(path, where, reason, "record"))


def load_records(
    *paths: str | Path,
    on_error: OnError = "raise",
    on_file: Callable[[Path], None] | None = None,
    target: Any = None,
    prune: Prune | None = None,
    max_bytes: int = MAX_BYTES,
) -> RecordStream:
    """CloudTrail records from files, folders and `s3://bucket/prefix` URLs, streamed.

    Folders are walked recursively and sorted (see signin_lab.events.walk); `s3://` URLs are
    listed through `target` (a Lab, a Target or an S3 client) and read one object at a time
    (see signin_lab.events.sources). `prune` (days, Regions, accounts) leaves out files by their
    place in CloudTrail's layout before anything is read.
    `on_error="raise"`: the first bad file, line or record (or a folder that cannot be listed)
    raises EventFileError (a SigninLabError) naming the file and where (record index, line,
    row). `on_error="skip"`: good records come through; the rest is counted in the returned
    stream's `.report` and summarised by one SkippedInputWarning when the stream ends.
    Non-regular files met in folders (FIFOs, devices) are never opened: always skipped and
    counted. Each file is read once however `paths` overlap. `max_bytes`: the most one file
    (local or S3) may hold once decompressed (default MAX_BYTES, 1 GiB). `on_file(path)` is
    called after each file (for progress bars). Formats: see this module's docstring.
    """
    check_options(on_error, max_bytes)
    found = resolve(paths, target=target, prune=prune, on_error=on_error)
    return RecordStream(found.files, found.ignored, on_error, on_file, skipped=found.skipped,
                        max_bytes=max_bytes, remote=found.remote)


def check_options(on_error: str, max_bytes: int) -> None:
    """SigninLabError unless `on_error` is "raise" or "skip" and `max_bytes` a positive int."""
    if on_error not in ("raise", "skip"):
        raise SigninLabError(f"on_error={on_error!r}: expected 'raise' or 'skip'", field="on_error")
    if type(max_bytes) is not int or max_bytes < 1:
        raise SigninLabError(f"max_bytes={max_bytes!r}: expected a positive number of bytes", field="max_bytes")


@dataclass
class Resolved:
    """What some paths come to: files to read, files ignored, problems met while walking or
    listing (as Skipped), and a fetcher for each s3:// file."""

    files: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    remote: dict[str, Callable[[], bytes]] = field(default_factory=dict)


def resolve(
    paths: Iterable[str | Path], *, target: Any = None, prune: Prune | None = None,
    on_error: OnError = "raise",
) -> Resolved:
    """The files to read for local paths (walked together by `walk_paths`, so overlapping paths
    give each file once) and `s3://` URLs (listed through `target`), pruned by `prune`.

    Local files come first, in walk order, then each URL's objects in key order.
    """
    from functools import partial

    names = [os.fspath(p) for p in paths]
    if not names:
        raise SigninLabError("no path given: pass CloudTrail files or folders")
    local = [p for p in names if not p.startswith("s3:")]
    out = Resolved()
    if local:
        found = walk_paths(local, strict=on_error == "raise")
        out.files = [f for f in found.files if prune is None or prune.keeps(f)]
        out.ignored = found.ignored
        out.skipped = [Skipped(path, None, reason, kind)  # type: ignore[arg-type]
                       for path, reason, kind in found.problems]
    client = None
    for path in names:
        if not path.startswith("s3:"):
            continue
        from signin_lab.events.sources import S3Archive, s3_client

        client = client or s3_client(target)
        archive = S3Archive(path, client, prune)
        for key in archive.list_keys():
            url = f"s3://{archive.bucket}/{key}"
            if url not in out.remote:  # overlapping URLs: each object once
                out.files.append(url)
                out.remote[url] = partial(archive.fetch, key)
        out.ignored += archive.ignored
    return out


# -- reading one file -------------------------------------------------------------------------


