"""One CloudTrail file in any format, read with its decompressed size capped.

The formats, their AWS sources and the limits are described in signin_lab.events.load, which
walks folders, streams records and reports what it skipped; this module reads one file (or one
S3 object's bytes): gzip or not, a JSON document, JSON lines, a CloudWatch Logs export, the
console's CSV. Every name here is also importable from signin_lab.events.load.
"""

from __future__ import annotations

import io
import os
import re
import zlib
from collections.abc import Iterable, Iterator
from typing import Any

import orjson

from signin_lab.events.gzipcap import (  # also importable from here, as before
    _GZIP_MAGIC,
    MAX_BYTES,
    EventFileError,
    _gunzip,
    _open_stream,
    _read_all,
    _too_big,
)

_LINE_SUFFIXES = (".jsonl", ".ndjson", ".log")
_BOM = b"\xef\xbb\xbf"
#: A CloudWatch Logs S3 export line: `2025-03-03T09:00:00.000Z {...}`.
_EXPORT_LINE = re.compile(rb"^\d{4}-\d\d-\d\dT[0-9:.]+Z? +(?=\{)")
_CSV_RECORD_COLUMNS = ("cloudtrailevent",)
#: Records a batch from a streamed (line or CSV) file, so memory stays flat.
_CHUNK = 500


class _Bad:
    """A line, row or embedded record that could not be read: where it is and why."""

    __slots__ = ("reason", "where")

    def __init__(self, where: str, reason: str) -> None:
        self.where = where
        self.reason = reason


def _kind(value: object) -> str:
    return {dict: "an object", list: "an array", str: "a string", type(None): "null"}.get(
        type(value), type(value).__name__
    )


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
    return _read_unnamed(path, cap, pos)


def _first_line(path: str, stream: io.BufferedIOBase, cap: int) -> tuple[bytes, int]:
    """(the first non-blank line, the number of blank lines before it); the stream is closed on error."""
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
    return first, lines_before


def _read_unnamed(path: str, cap: int, pos: list[int]) -> tuple[str, Iterable[Any], bytes | None, list[int]]:
    """`_read_file` for a name with no telling suffix (e.g. CloudWatch Logs' S3 export "000000.gz").

    The first line tells: a log event or record line is JSON lines, a comma is CSV, else JSON.
    """
    stream = _open_stream(path, cap)
    first, lines_before = _first_line(path, stream, cap)
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
    data = _blob_bytes(name, data, cap)
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


def _blob_bytes(name: str, data: bytes, cap: int) -> bytes:
    """An S3 object's content, gunzipped when it is gzip; a .gz name without gzip data, or more than `cap`
    bytes, is an EventFileError."""
    if data[:2] == _GZIP_MAGIC:
        return _gunzip(name, data, cap)
    if name.lower().endswith(".gz"):
        raise EventFileError(name, None, "not a valid gzip file (named .gz, no gzip header)")
    if len(data) > cap:
        raise _too_big(name, cap)
    return data


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
        return _object_records(path, doc)
    if isinstance(doc, list):  # a bare array of records, as json.dump(records) writes
        return doc, True
    raise EventFileError(path, None, f"not CloudTrail: the document is {_kind(doc)}")


def _object_records(path: str, doc: dict[str, Any]) -> tuple[list[Any], bool]:
    """`_read_document` for a JSON object: {"Records": [...]}, lookup-events or filter-log-events
    output, or one record."""
    records = doc.get("Records")
    if records is not None or "Records" in doc:
        if not isinstance(records, list):
            raise EventFileError(path, None, f'not CloudTrail: "Records" is {_kind(records)}, expected an array')
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
    raise EventFileError(path, None, f'not CloudTrail: expected {{"Records": [...]}}, found keys {keys}')


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
                obj = _line_item(n, line)
                if obj is not _BLANK:
                    yield obj
        except EOFError:
            raise EventFileError(
                path, f"after line {n}", "truncated gzip file: the lines after it are lost"
            ) from None
        except (OSError, zlib.error) as exc:
            raise EventFileError(path, f"after line {n}", f"invalid gzip data: {exc}") from None
    finally:
        stream.close()


_BLANK = object()  # what _line_item returns for a blank line


def _line_item(n: int, line: bytes) -> Any:
    """Line `n` of JSON lines as a record, a _Bad marker, or _BLANK (nothing on it)."""
    line = line.strip()
    if line.startswith(_BOM):  # a byte-order mark opening the file
        line = line[3:]
    if not line:
        return _BLANK
    m = _EXPORT_LINE.match(line)
    if m:
        line = line[m.end():]
    try:
        obj = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        return _Bad(f"line {n}", f"invalid JSON: {exc}")
    if type(obj) is dict and "eventTime" not in obj and isinstance(obj.get("message"), str):
        obj = _embedded(f"line {n}", obj, "message")
    if type(obj) is not dict or type(obj.get("eventTime")) is not str:
        reason = (
            "record has no eventTime string" if isinstance(obj, dict) else f"expected a JSON object, got {_kind(obj)}"
        )
        obj = obj if type(obj) is _Bad else _Bad(f"line {n}", reason)
    return obj


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
        col = _csv_record_column(path, reader)
        row_no = 0
        while (row := _next_row(path, reader, row_no)) is not None:
            row_no += 1
            pos[0] = row_no
            if any(cell.strip() for cell in row):
                yield _row_item(f"row {row_no} (line {reader.line_num})", row, col)
    finally:
        text.close()


def _csv_record_column(path: str, reader: Any) -> int:
    """The index of the "CloudTrail event" column in the CSV's header row (read from `reader`)."""
    import csv

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
            path, None, f'not a CloudTrail event-history CSV: no "CloudTrail event" column (columns: {shown})'
        )
    return col


def _next_row(path: str, reader: Any, row_no: int) -> list[str] | None:
    """The CSV's next row (None at its end); unreadable text or gzip data is an EventFileError."""
    import csv

    try:
        return next(reader)  # type: ignore[no-any-return]
    except StopIteration:
        return None
    except csv.Error as exc:
        raise EventFileError(path, f"line {reader.line_num}", f"bad CSV: {exc}") from None
    except UnicodeDecodeError as exc:
        raise EventFileError(path, f"after row {row_no}", f"not UTF-8 text: {exc}") from None
    except EOFError:
        raise EventFileError(path, f"after row {row_no}", "truncated gzip file: the rows after it are lost") from None
    except (OSError, zlib.error) as exc:
        raise EventFileError(path, f"after row {row_no}", f"invalid gzip data: {exc}") from None


def _row_item(where: str, row: list[str], col: int) -> Any:
    """The record in a CSV row's "CloudTrail event" column, or a _Bad marker saying why not."""
    if col >= len(row) or not row[col].strip():
        return _Bad(where, 'empty "CloudTrail event" column')
    try:
        obj = orjson.loads(row[col])
    except orjson.JSONDecodeError as exc:
        return _Bad(where, f'"CloudTrail event" is not valid JSON: {exc}')
    if type(obj) is not dict or type(obj.get("eventTime")) is not str:
        reason = "record has no eventTime string"
        obj = _Bad(where, reason if isinstance(obj, dict) else f"expected a JSON object, got {_kind(obj)}")
    return obj
