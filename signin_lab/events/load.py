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

Bad input is never dropped silently: with `on_error="raise"` the first problem raises an
`EventFileError` naming the file and the record index or line; with `on_error="skip"` it is
counted in `RecordStream.report` and a `SkippedInputWarning` summarises it when the stream ends.
"""

from __future__ import annotations

import gzip
import io
import os
import re
import warnings
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import orjson

from signin_lab.errors import SigninLabError

if TYPE_CHECKING:  # pragma: no cover
    from signin_lab.events.sources import Prune

OnError = Literal["raise", "skip"]
SkipKind = Literal["file", "record"]

#: Suffixes read when a folder is walked; anything else in a folder is listed in report.ignored.
#: Files named explicitly are always read, whatever their name.
EVENT_SUFFIXES: tuple[str, ...] = (".json", ".jsonl", ".ndjson", ".csv", ".log", ".gz")
_LINE_SUFFIXES = (".jsonl", ".ndjson", ".log")
#: CloudTrail's digest files (log file integrity validation) hold hashes, not records:
#: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html
#: AWS Config's ConfigWritabilityCheckFile (its write test in a shared bucket) is not records either:
#: https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-policy.html
_DIGEST = re.compile(r"CloudTrail-Digest|ConfigWritabilityCheck")
#: A CloudWatch Logs S3 export line: `2025-03-03T09:00:00.000Z {...}`.
_EXPORT_LINE = re.compile(rb"^\d{4}-\d\d-\d\dT[0-9:.]+Z? +(?=\{)")
_CSV_RECORD_COLUMNS = ("cloudtrailevent",)
_GZIP_MAGIC = b"\x1f\x8b"
#: Records a batch from a streamed (line or CSV) file, so memory stays flat.
_CHUNK = 500


class EventFileError(SigninLabError):
    """A file, line or record that is not CloudTrail: names the file and where in it."""

    def __init__(self, path: Path | str, where: str | None, reason: str) -> None:
        self.path = str(path)
        self.where = where
        self.reason = reason
        place = f"{self.path}: {where}" if where else self.path
        super().__init__(f"{place}: {reason}")


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
        """Whole files left out (unreadable, not JSON, not CloudTrail)."""
        return sum(1 for s in self.skipped if s.kind == "file")

    def summary(self) -> str:
        """One line: records read, files, and what was skipped (with the first problem)."""
        text = f"{self.records} records from {self.files_read} files"
        if self.skipped:
            text += (
                f"; skipped {self.skipped_files} files and {self.skipped_records} records"
                f" (first: {self.skipped[0]})"
            )
        if self.ignored:
            text += f"; ignored {len(self.ignored)} non-event files"
        return text


def find_files(*paths: str | Path) -> tuple[list[str], list[str]]:
    """The files to read for `paths` (folders walked recursively, sorted) and those ignored.

    A path that does not exist is a SigninLabError. Inside folders, hidden folders (.git) are
    not entered; hidden files, CloudTrail digest folders and files without an event suffix
    (README.md, ...) are listed as ignored. Paths are returned as strings, sorted within each folder given.
    """
    if not paths:
        raise SigninLabError("no path given: pass CloudTrail files or folders")
    files: list[str] = []
    ignored: list[str] = []
    for raw in paths:
        path = os.fspath(raw)
        if os.path.isfile(path):
            files.append(path)
        elif os.path.isdir(path):
            found: list[str] = []
            for dirpath, dirnames, filenames in os.walk(path):
                for name in list(dirnames):
                    if name.startswith("."):
                        dirnames.remove(name)
                    elif _DIGEST.search(name):
                        dirnames.remove(name)
                        ignored.append(os.path.join(dirpath, name))
                for name in filenames:
                    full = os.path.join(dirpath, name)
                    hidden = name.startswith(".")
                    if hidden or _DIGEST.search(name) or not name.lower().endswith(EVENT_SUFFIXES):
                        ignored.append(full)
                    else:
                        found.append(full)
            files.extend(sorted(found))
        else:
            raise SigninLabError(f"{path}: no such file or folder")
    return files, ignored


class _Bad:
    """A line, row or embedded record that could not be read: where it is and why."""

    __slots__ = ("reason", "where")

    def __init__(self, where: str, reason: str) -> None:
        self.where = where
        self.reason = reason


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
        remote: Mapping[str, Callable[[], bytes]] | None = None,
    ) -> None:
        self.report = LoadReport(files=list(files), ignored=ignored)
        self._on_error = on_error
        self._on_file = on_file
        self._files = files
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
        for _, records in self._batches():
            yield from records

    def batches(self) -> Iterator[tuple[bytes | None, list[dict[str, Any]]]]:
        """The same records a file (or a chunk of a streamed file) at a time, for fast scans.

        Each item is `(text, records)`: `text` is the file's decompressed JSON when the records
        appear in it verbatim (a `{"Records": [...]}` document), else None. A pattern's literal
        pre-check can then rule out a whole file at once. Use either this or plain iteration.
        """
        self._it = iter(())  # one way of reading only
        return self._batches()

    def _batches(self) -> Iterator[tuple[bytes | None, list[dict[str, Any]]]]:
        report = self.report
        on_file = self._on_file
        for path in self._files:
            items: Iterable[Any] = ()
            try:
                fetch = self._remote.get(path)
                label, items, text = _read_file(path) if fetch is None else read_blob(path, fetch())
                if type(items) is list:
                    # The hot path: one type check and one key look-up a record, in C loops.
                    good = [r for r in items if type(r) is dict and type(r.get("eventTime")) is str]
                    if len(good) != len(items):
                        good = self._good(path, label, items)
                    report.records += len(good)
                    yield text, good
                else:
                    chunk: list[dict[str, Any]] = []
                    for rec in items:
                        if type(rec) is _Bad:
                            self._bad(path, rec.where, rec.reason)
                            continue
                        chunk.append(rec)
                        if len(chunk) >= _CHUNK:
                            report.records += len(chunk)
                            yield None, chunk
                            chunk = []
                    if chunk:
                        report.records += len(chunk)
                        yield None, chunk
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

    def _good(self, path: str, label: str, items: list[Any]) -> list[dict[str, Any]]:
        """The slow path for a file with bad records: raise on the first, or skip and count."""
        good = []
        for i, rec in enumerate(items):
            if type(rec) is dict and type(rec.get("eventTime")) is str:
                good.append(rec)
            elif type(rec) is _Bad:
                self._bad(path, rec.where, rec.reason)
            elif isinstance(rec, dict):
                self._bad(path, f"{label} {i}", "record has no eventTime string")
            else:
                self._bad(path, f"{label} {i}", f"expected a JSON object, got {_kind(rec)}")
        return good

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
) -> RecordStream:
    """CloudTrail records from files, folders and `s3://bucket/prefix` URLs, streamed.

    Folders are walked recursively and sorted; `s3://` URLs are listed through `target` (a Lab,
    a Target or an S3 client) and read one object at a time (see signin_lab.events.sources).
    `prune` (days, Regions, accounts) leaves out files by their place in CloudTrail's layout
    before anything is read. `on_error="raise"`: the first bad file, line or record raises
    EventFileError (a SigninLabError) naming the file and where (record index, line, row).
    `on_error="skip"`: good records come through; the rest is counted in the returned stream's
    `.report` and summarised by one SkippedInputWarning when the stream ends. `on_file(path)`
    is called after each file (for progress bars). Formats: see this module's docstring.
    """
    if on_error not in ("raise", "skip"):
        raise SigninLabError(f"on_error={on_error!r}: expected 'raise' or 'skip'")
    files, ignored, remote = resolve(paths, target=target, prune=prune)
    return RecordStream(files, ignored, on_error, on_file, remote)


def resolve(
    paths: Iterable[str | Path], *, target: Any = None, prune: Prune | None = None
) -> tuple[list[str], list[str], dict[str, Callable[[], bytes]]]:
    """(files to read, files ignored, fetchers of the s3:// ones) for local paths and S3 URLs."""
    from functools import partial

    from signin_lab.events.sources import S3Archive, s3_client

    paths = list(paths)
    if not paths:
        raise SigninLabError("no path given: pass CloudTrail files or folders")
    files: list[str] = []
    ignored: list[str] = []
    remote: dict[str, Callable[[], bytes]] = {}
    client = None
    for raw in paths:
        path = os.fspath(raw)
        if path.startswith("s3:"):
            client = client or s3_client(target)
            archive = S3Archive(path, client, prune)
            for key in archive.list_keys():
                url = f"s3://{archive.bucket}/{key}"
                files.append(url)
                remote[url] = partial(archive.fetch, key)
            ignored += archive.ignored
        else:
            found, left = find_files(path)
            files += [f for f in found if prune is None or prune.keeps(f)]
            ignored += left
    return files, ignored, remote


# -- reading one file -------------------------------------------------------------------------


def _kind(value: object) -> str:
    return {dict: "an object", list: "an array", str: "a string", type(None): "null"}.get(
        type(value), type(value).__name__
    )


def _gunzip(path: str, data: bytes) -> bytes:
    """Decompress gzip data; one zlib call for the usual single-member file (CRC checked)."""
    inflate = zlib.decompressobj(31)
    try:
        out = inflate.decompress(data)
    except zlib.error as exc:
        raise EventFileError(path, None, f"not a valid gzip file: {exc}") from None
    if not inflate.eof:
        raise EventFileError(path, None, "truncated gzip file (ends before its end marker)")
    if not inflate.unused_data:
        return out
    try:  # more members (or padding) after the first: the gzip module's full rules
        return gzip.decompress(data)
    except EOFError:
        raise EventFileError(path, None, "truncated gzip file (ends before its end marker)") from None
    except (OSError, zlib.error) as exc:
        raise EventFileError(path, None, f"not a valid gzip file: {exc}") from None


def _read_all(path: str) -> bytes:
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as exc:
        raise EventFileError(path, None, f"cannot read: {exc.strerror or exc}") from None
    return _gunzip(path, data) if data[:2] == _GZIP_MAGIC else data


def _open_stream(path: str) -> io.BufferedIOBase:
    """A binary stream of the file's content, gunzipped on the fly when it is gzip."""
    try:
        raw = open(path, "rb")  # noqa: SIM115 - closed by the reader that consumes it
    except OSError as exc:
        raise EventFileError(path, None, f"cannot read: {exc.strerror or exc}") from None
    if raw.peek(2)[:2] == _GZIP_MAGIC:
        raw.close()
        return gzip.open(path, "rb")  # type: ignore[return-value]  # owns and closes the file
    return raw


def _read_file(path: str) -> tuple[str, Iterable[Any], bytes | None]:
    """("record" | "line" | "row", items, text) for one file; file problems raise EventFileError.

    `text` is the decompressed document when its records appear in it verbatim, else None.

    Items are parsed JSON values (checked by the caller) or _Bad markers for lines and rows
    that could not be read, so one bad line never costs the rest of the file.
    """
    name = os.path.basename(path).lower()
    base = name.removesuffix(".gz")
    if base.endswith(".csv"):
        return "row", _read_csv(path, None), None
    if base.endswith(_LINE_SUFFIXES):
        return "line", _read_lines(path, None), None
    if base.endswith(".json"):
        data = _read_all(path)
        items, verbatim = _read_document(path, data)
        return "record", items, data if verbatim else None
    # No telling suffix (e.g. CloudWatch Logs' S3 export "000000.gz"): look at the first line.
    stream = _open_stream(path)
    try:
        first = stream.readline()
        while first and not first.strip():
            first = stream.readline()
    except (EOFError, OSError, zlib.error) as exc:
        stream.close()
        raise EventFileError(path, None, f"truncated or invalid gzip file: {exc}") from None
    head = first.lstrip()
    if _EXPORT_LINE.match(head) or (head[:1] == b"{" and _is_line_object(head)):
        return "line", _read_lines(path, stream, first), None
    try:
        rest = stream.read()
    except (EOFError, OSError, zlib.error) as exc:
        raise EventFileError(path, None, f"truncated or invalid gzip file: {exc}") from None
    finally:
        stream.close()
    data = first + rest
    if head[:1] not in (b"{", b"["):
        if not data.strip():
            raise EventFileError(path, None, "empty file: expected CloudTrail JSON")
        if b"," in head:
            return "row", _read_csv(path, io.BytesIO(data)), None
        raise EventFileError(path, None, "not JSON (does not start with '{' or '[')")
    items, verbatim = _read_document(path, data)
    return "record", items, data if verbatim else None


def read_blob(name: str, data: bytes) -> tuple[str, Iterable[Any], bytes | None]:
    """`_read_file` for a file already in memory (an S3 object): the same formats and errors."""
    if data[:2] == _GZIP_MAGIC:
        data = _gunzip(name, data)
    elif name.lower().endswith(".gz"):
        raise EventFileError(name, None, "not a valid gzip file (named .gz, no gzip header)")
    base = name.rsplit("/", 1)[-1].lower().removesuffix(".gz")
    if base.endswith(".csv"):
        return "row", _read_csv(name, io.BytesIO(data)), None
    if base.endswith(_LINE_SUFFIXES):
        return "line", _read_lines(name, io.BytesIO(data)), None
    head = data.lstrip()[:1]
    if not base.endswith(".json") and head == b"{":
        first = data.lstrip().split(b"\n", 1)[0]
        if _EXPORT_LINE.match(first) or _is_line_object(first):
            return "line", _read_lines(name, io.BytesIO(data)), None
    if not base.endswith(".json") and head and head not in (b"{", b"["):
        if _EXPORT_LINE.match(data.lstrip()):
            return "line", _read_lines(name, io.BytesIO(data)), None
        if b"," in data.lstrip().split(b"\n", 1)[0]:
            return "row", _read_csv(name, io.BytesIO(data)), None
        raise EventFileError(name, None, "not JSON (does not start with '{' or '[')")
    items, verbatim = _read_document(name, data)
    return "record", items, data if verbatim else None


def _is_line_object(line: bytes) -> bool:
    """True when `line` alone is a JSON object that is a record or a log event (JSON lines)."""
    try:
        obj = orjson.loads(line)
    except orjson.JSONDecodeError:
        return False
    return isinstance(obj, dict) and ("eventTime" in obj or isinstance(obj.get("message"), str))


def _read_document(path: str, data: bytes) -> tuple[list[Any], bool]:
    """(records, whether they appear verbatim in `data`) of one JSON document of a known shape."""
    if not data or data.isspace():
        raise EventFileError(path, None, "empty file: expected CloudTrail JSON")
    try:
        doc = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        # A .json file holding one JSON object a line is JSON lines.
        stripped = data.strip()
        first = stripped.split(b"\n", 1)[0]
        if b"\n" in stripped and (_EXPORT_LINE.match(first) or _is_line_object(first)):
            return list(_read_lines(path, io.BytesIO(data))), False
        raise EventFileError(path, None, f"invalid JSON: {exc}") from None
    if isinstance(doc, dict):
        records = doc.get("Records")
        if records is not None or "Records" in doc:
            if not isinstance(records, list):
                raise EventFileError(
                    path, None, f'not CloudTrail: "Records" is {_kind(records)}, expected an array'
                )
            return records, True
        if isinstance(doc.get("Events"), list):  # aws cloudtrail lookup-events output
            events = doc["Events"]
            return [_embedded(f"record {i}", e, "CloudTrailEvent") for i, e in enumerate(events)], False
        if isinstance(doc.get("events"), list):  # aws logs filter-log-events output
            events = doc["events"]
            return [_embedded(f"record {i}", e, "message") for i, e in enumerate(events)], False
        if "eventTime" in doc and "eventName" in doc:  # one record, e.g. the console's record view
            return [doc], True
        keys = ", ".join(list(doc)[:5]) or "none"
        raise EventFileError(
            path, None, f'not CloudTrail: expected {{"Records": [...]}}, found keys {keys}'
        )
    if isinstance(doc, list):  # a bare array of records, as json.dump(records) writes
        return doc, True
    raise EventFileError(path, None, f"not CloudTrail: the document is {_kind(doc)}")


def _embedded(where: str, event: Any, key: str) -> Any:
    """The record inside a LookupEvents event (CloudTrailEvent) or a log event (message)."""
    if isinstance(event, dict) and "eventTime" in event:
        return event
    if not isinstance(event, dict) or not isinstance(event.get(key), str):
        return _Bad(where, f'expected an object with a "{key}" string, got {_kind(event)}')
    try:
        return orjson.loads(event[key])
    except orjson.JSONDecodeError as exc:
        return _Bad(where, f'"{key}" is not valid JSON: {exc}')


def _read_lines(
    path: str, stream: io.BufferedIOBase | None, first: bytes = b""
) -> Iterator[Any]:
    """JSON lines: records, CloudWatch Logs events with a "message", or S3 export lines.

    `stream` None: the file is opened here, when iteration starts, and closed when it ends.
    """
    n = 0
    if stream is None:
        stream = _open_stream(path)
    try:
        lines: Iterable[bytes] = stream
        if first:
            lines = _chain_first(first, stream)
        try:
            for line in lines:
                n += 1
                line = line.strip()
                if not line:
                    continue
                m = _EXPORT_LINE.match(line)
                if m:
                    line = line[m.end():]
                try:
                    obj = orjson.loads(line)
                except orjson.JSONDecodeError as exc:
                    yield _Bad(f"line {n}", f"invalid JSON: {exc}")
                    continue
                if type(obj) is dict and "eventTime" not in obj and isinstance(obj.get("message"), str):
                    obj = _embedded(f"line {n}", obj, "message")
                if type(obj) is not dict or type(obj.get("eventTime")) is not str:
                    reason = (
                        "record has no eventTime string"
                        if isinstance(obj, dict)
                        else f"expected a JSON object, got {_kind(obj)}"
                    )
                    obj = obj if type(obj) is _Bad else _Bad(f"line {n}", reason)
                yield obj
        except EOFError:
            raise EventFileError(
                path, f"after line {n}", "truncated gzip file: the lines after it are lost"
            ) from None
        except (OSError, zlib.error) as exc:
            raise EventFileError(path, f"after line {n}", f"invalid gzip data: {exc}") from None
    finally:
        stream.close()


def _chain_first(first: bytes, rest: Iterable[bytes]) -> Iterator[bytes]:
    yield first
    yield from rest


def _read_csv(path: str, stream: io.BufferedIOBase | None) -> Iterator[Any]:
    """The console's CSV download: each record is the JSON in the "CloudTrail event" column.

    `stream` None: the file is opened here, when iteration starts, and closed when it ends.
    """
    import csv

    if stream is None:
        stream = _open_stream(path)
    csv.field_size_limit(max(csv.field_size_limit(), 16 * 1024 * 1024))  # records can be > 128 KB
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")  # type: ignore[type-var]
    reader = csv.reader(text)
    try:
        try:
            header = next(reader)
        except StopIteration:
            raise EventFileError(path, None, "empty CSV file") from None
        except (csv.Error, UnicodeDecodeError) as exc:
            raise EventFileError(path, None, f"not CSV text: {exc}") from None
        except (EOFError, OSError, zlib.error) as exc:
            raise EventFileError(path, None, f"truncated or invalid gzip file: {exc}") from None
        norm = [h.replace(" ", "").replace("_", "").lower() for h in header]
        col = next((i for i, h in enumerate(norm) if h in _CSV_RECORD_COLUMNS), None)
        if col is None:
            shown = ", ".join(repr(h) for h in header[:6])
            raise EventFileError(
                path, None,
                f'not a CloudTrail event-history CSV: no "CloudTrail event" column (columns: {shown})',
            )
        row_no = 0
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise EventFileError(path, f"line {reader.line_num}", f"bad CSV: {exc}") from None
            except UnicodeDecodeError as exc:
                raise EventFileError(path, f"after row {row_no}", f"not UTF-8 text: {exc}") from None
            except EOFError:
                raise EventFileError(
                    path, f"after row {row_no}", "truncated gzip file: the rows after it are lost"
                ) from None
            except (OSError, zlib.error) as exc:
                raise EventFileError(path, f"after row {row_no}", f"invalid gzip data: {exc}") from None
            row_no += 1
            if not any(cell.strip() for cell in row):
                continue
            where = f"row {row_no} (line {reader.line_num})"
            if col >= len(row) or not row[col].strip():
                yield _Bad(where, 'empty "CloudTrail event" column')
                continue
            try:
                obj = orjson.loads(row[col])
            except orjson.JSONDecodeError as exc:
                yield _Bad(where, f'"CloudTrail event" is not valid JSON: {exc}')
                continue
            if type(obj) is not dict or type(obj.get("eventTime")) is not str:
                obj = _Bad(where, "record has no eventTime string" if isinstance(obj, dict)
                           else f"expected a JSON object, got {_kind(obj)}")
            yield obj
    finally:
        text.close()
