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

import gzip
import io
import os
import re
import warnings
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import orjson

from signin_lab.errors import SigninLabError
from signin_lab.events.walk import EVENT_SUFFIXES, Found, walk_paths

__all__ = ["EVENT_SUFFIXES", "MAX_BYTES", "EventFileError", "LoadReport", "RecordStream", "Resolved",
           "Skipped", "SkippedInputWarning", "check_options", "find_files", "load_records", "read_blob",
           "resolve"]

if TYPE_CHECKING:  # pragma: no cover
    from signin_lab.events.sources import Prune

OnError = Literal["raise", "skip"]
SkipKind = Literal["file", "record", "folder"]

_LINE_SUFFIXES = (".jsonl", ".ndjson", ".log")
#: The most bytes one file may hold once decompressed (a gzip bomb stops here); configurable
#: per call with `load_records(..., max_bytes=...)`.
MAX_BYTES = 1 << 30
_BOM = b"\xef\xbb\xbf"
_STEP = 1 << 20  # gzip is inflated at most this many bytes at a time
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
                fetch = self._remote.get(path)
                if fetch is None:
                    label, items, text, pos = _read_file(path, self._max_bytes)
                else:
                    label, items, text, pos = read_blob(path, fetch(), self._max_bytes)
                if type(items) is list:
                    # The hot path: one type check and one key look-up a record, in C loops.
                    good = [r for r in items if type(r) is dict and type(r.get("eventTime")) is str]
                    places: Sequence[int] = range(len(good))
                    if len(good) != len(items):
                        good, places = self._good(path, label, items)
                    report.records += len(good)
                    yield path, label, text, good, places
                else:
                    chunk: list[dict[str, Any]] = []
                    where: list[int] = []
                    for rec in items:
                        if type(rec) is _Bad:
                            self._bad(path, rec.where, rec.reason)
                            continue
                        chunk.append(rec)
                        where.append(pos[0])
                        if len(chunk) >= _CHUNK:
                            report.records += len(chunk)
                            yield path, label, None, chunk, where
                            chunk, where = [], []
                    if chunk:
                        report.records += len(chunk)
                        yield path, label, None, chunk, where
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


def _kind(value: object) -> str:
    return {dict: "an object", list: "an array", str: "a string", type(None): "null"}.get(
        type(value), type(value).__name__
    )


def _too_big(path: str, cap: int) -> EventFileError:
    return EventFileError(
        path, None, f"holds more than {cap:,} bytes once decompressed (the cap, max_bytes):"
        " not read (a gzip bomb, or pass a larger max_bytes)"
    )


def _gunzip(path: str, data: bytes, cap: int) -> bytes:
    """Decompress gzip data (every member, CRC checked) in bounded steps, stopping at `cap`.

    The last member's trailer (ISIZE, the size modulo 2**32: RFC 1952 section 2.3.1) can only
    understate a valid file's size; when it is above `cap` the output is counted, not kept, so
    a gzip bomb costs no memory (the file may also be truncated: inflating tells which).
    """
    keep = len(data) < 18 or int.from_bytes(data[-4:], "little") <= cap
    out: list[bytes] = []
    total = 0
    rest = data
    while True:
        inflate = zlib.decompressobj(31)
        chunk = rest
        try:
            while chunk:
                piece = inflate.decompress(chunk, _STEP)
                total += len(piece)
                if total > cap:
                    raise _too_big(path, cap)
                if keep:
                    out.append(piece)
                chunk = inflate.unconsumed_tail
            while not inflate.eof:  # input all given, output may still be pending
                piece = inflate.decompress(b"", _STEP)
                if not piece:
                    break
                total += len(piece)
                if total > cap:
                    raise _too_big(path, cap)
                if keep:
                    out.append(piece)
        except zlib.error as exc:
            raise EventFileError(path, None, f"not a valid gzip file: {exc}") from None
        if not inflate.eof:
            raise EventFileError(path, None, "truncated gzip file (ends before its end marker)")
        rest = inflate.unused_data
        if not rest.strip(b"\x00"):  # no further member (zero padding is allowed)
            return b"".join(out)
        if rest[:2] != _GZIP_MAGIC:
            raise EventFileError(path, None, "not a valid gzip file: data after the last member")


def _read_all(path: str, cap: int) -> bytes:
    """The whole file (gunzipped when it is gzip); more than `cap` bytes is an EventFileError."""
    try:
        with open(path, "rb") as f:
            data = f.read(cap + 1)
    except OSError as exc:
        raise EventFileError(path, None, f"cannot read: {exc.strerror or exc}") from None
    if data[:2] == _GZIP_MAGIC:
        return _gunzip(path, data, cap)  # the compressed size is at most the decompressed one
    if len(data) > cap:
        raise _too_big(path, cap)
    return data


class _Capped(io.RawIOBase):
    """A gzip stream that raises EventFileError once it has produced more than `cap` bytes."""

    def __init__(self, path: str, inner: io.BufferedIOBase, cap: int) -> None:
        self._path = path
        self._inner = inner
        self._left = cap
        self._cap = cap

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._inner.read1(min(len(buffer), self._left + 1))
        self._left -= len(data)
        if self._left < 0:
            raise _too_big(self._path, self._cap)
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._inner.close()
        super().close()


def _open_stream(path: str, cap: int) -> io.BufferedIOBase:
    """A binary stream of the file's content, gunzipped on the fly (at most `cap` bytes)."""
    try:
        raw = open(path, "rb")  # noqa: SIM115 - closed by the reader that consumes it
    except OSError as exc:
        raise EventFileError(path, None, f"cannot read: {exc.strerror or exc}") from None
    if raw.peek(2)[:2] == _GZIP_MAGIC:
        raw.close()
        inner = gzip.open(path, "rb")  # noqa: SIM115 - owns the file; closed with the stream
        return io.BufferedReader(_Capped(path, inner, cap))  # type: ignore[arg-type,return-value]
    return raw


def _read_file(path: str, cap: int) -> tuple[str, Iterable[Any], bytes | None, list[int]]:
    """("record" | "line" | "row", items, text, pos) for one file; problems raise EventFileError.

    `text` is the decompressed document when its records appear in it verbatim, else None.
    `pos[0]` is, while streamed items are read, the line or row number of the last one.

    Items are parsed JSON values (checked by the caller) or _Bad markers for lines and rows
    that could not be read, so one bad line never costs the rest of the file.
    """
    name = os.path.basename(path).lower()
    base = name.removesuffix(".gz")
    pos = [0]
    if base.endswith(".csv"):
        return "row", _read_csv(path, None, pos, cap), None, pos
    if base.endswith(_LINE_SUFFIXES):
        return "line", _read_lines(path, None, pos=pos, cap=cap), None, pos
    if base.endswith(".json"):
        data = _read_all(path, cap)
        items, verbatim = _read_document(path, data)
        return "record", items, data if verbatim else None, pos
    # No telling suffix (e.g. CloudWatch Logs' S3 export "000000.gz"): look at the first line.
    stream = _open_stream(path, cap)
    lines_before = 0
    try:
        first = stream.readline(cap + 1)
        while first and not first.strip():
            lines_before += 1
            first = stream.readline(cap + 1)
    except (EOFError, OSError, zlib.error) as exc:
        stream.close()
        raise EventFileError(path, None, f"truncated or invalid gzip file: {exc}") from None
    except EventFileError:
        stream.close()
        raise
    head = first.lstrip().removeprefix(_BOM)
    if _EXPORT_LINE.match(head) or (head[:1] == b"{" and _is_line_object(head)):
        pos[0] = lines_before
        return "line", _read_lines(path, stream, first, pos, cap), None, pos
    try:
        rest = stream.read(cap + 1 - len(first))
    except (EOFError, OSError, zlib.error) as exc:
        raise EventFileError(path, None, f"truncated or invalid gzip file: {exc}") from None
    finally:
        stream.close()
    data = first + rest
    if len(data) > cap:
        raise _too_big(path, cap)
    if head[:1] not in (b"{", b"["):
        if not data.strip():
            raise EventFileError(path, None, "empty file: expected CloudTrail JSON")
        if b"," in head:
            return "row", _read_csv(path, io.BytesIO(data), pos, cap), None, pos
        raise EventFileError(path, None, "not JSON (does not start with '{' or '[')")
    items, verbatim = _read_document(path, data)
    return "record", items, data if verbatim else None, pos


def read_blob(name: str, data: bytes, cap: int = MAX_BYTES) -> tuple[str, Iterable[Any], bytes | None, list[int]]:
    """`_read_file` for a file already in memory (an S3 object): the same formats, errors and
    decompression cap (`cap` bytes once gunzipped; `_gunzip` stops a gzip bomb there)."""
    if data[:2] == _GZIP_MAGIC:
        data = _gunzip(name, data, cap)
    elif name.lower().endswith(".gz"):
        raise EventFileError(name, None, "not a valid gzip file (named .gz, no gzip header)")
    elif len(data) > cap:
        raise _too_big(name, cap)
    base = name.rsplit("/", 1)[-1].lower().removesuffix(".gz")
    pos = [0]
    if base.endswith(".csv"):
        return "row", _read_csv(name, io.BytesIO(data), pos, cap), None, pos
    if base.endswith(_LINE_SUFFIXES):
        return "line", _read_lines(name, io.BytesIO(data), pos=pos, cap=cap), None, pos
    body = data.lstrip().removeprefix(_BOM)
    head = body[:1]
    if not base.endswith(".json") and head == b"{":
        first = body.split(b"\n", 1)[0]
        if _EXPORT_LINE.match(first) or _is_line_object(first):
            return "line", _read_lines(name, io.BytesIO(data), pos=pos, cap=cap), None, pos
    if not base.endswith(".json") and head and head not in (b"{", b"["):
        if _EXPORT_LINE.match(body):
            return "line", _read_lines(name, io.BytesIO(data), pos=pos, cap=cap), None, pos
        if b"," in body.split(b"\n", 1)[0]:
            return "row", _read_csv(name, io.BytesIO(data), pos, cap), None, pos
        raise EventFileError(name, None, "not JSON (does not start with '{' or '[')")
    items, verbatim = _read_document(name, data)
    return "record", items, data if verbatim else None, pos


def _is_line_object(line: bytes) -> bool:
    """True when `line` alone is a JSON object that is a record or a log event (JSON lines)."""
    try:
        obj = orjson.loads(line)
    except orjson.JSONDecodeError:
        return False
    return isinstance(obj, dict) and ("eventTime" in obj or isinstance(obj.get("message"), str))


def _read_document(path: str, data: bytes) -> tuple[list[Any], bool]:
    """(records, whether they appear verbatim in `data`) of one JSON document of a known shape."""
    data = data.removeprefix(_BOM)  # a UTF-8 byte-order mark, as Windows editors write
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
    path: str,
    stream: io.BufferedIOBase | None,
    first: bytes = b"",
    pos: list[int] | None = None,
    cap: int = MAX_BYTES,
) -> Iterator[Any]:
    """JSON lines: records, CloudWatch Logs events with a "message", or S3 export lines.

    `stream` None: the file is opened here, when iteration starts, and closed when it ends.
    `pos[0]` holds the number of the line last read.
    """
    n = pos[0] if pos else 0
    if pos is None:
        pos = [0]
    if stream is None:
        stream = _open_stream(path, cap)
    try:
        lines: Iterable[bytes] = stream
        if first:
            lines = _chain_first(first, stream)
        try:
            for line in lines:
                n += 1
                pos[0] = n
                line = line.strip()
                if line.startswith(_BOM):  # a byte-order mark opening the file
                    line = line[3:]
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


def _read_csv(
    path: str, stream: io.BufferedIOBase | None, pos: list[int] | None = None, cap: int = MAX_BYTES
) -> Iterator[Any]:
    """The console's CSV download: each record is the JSON in the "CloudTrail event" column.

    `stream` None: the file is opened here, when iteration starts, and closed when it ends.
    """
    import csv

    if pos is None:
        pos = [0]
    if stream is None:
        stream = _open_stream(path, cap)
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
            pos[0] = row_no
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
