"""The python scan engine: filter patterns over CloudTrail files, parsing only candidate records.

A CloudTrail delivery file is one compact JSON document `{"Records":[{"eventVersion":...},...]}`
(https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-examples.html).
For each file the engine splits the text at the record boundaries `},{"eventVersion":`, proves
the split exact (below), counts the records without parsing them, and parses with orjson only
the records whose text holds a pattern's required value literal (signin_lab.filterpattern.
prefilter: an event whose backslash-free text lacks `"ConsoleLogin"` cannot match
`$.eventName = "ConsoleLogin"`). Each candidate is then evaluated by the interpreter, so counts
are the interpreter's counts.

Why the split is exact: the file has no backslash, so a JSON string is `"` + text without `"` +
`"`; deleting every byte but `"{}[]` and then every `""` leaves no `"` exactly when no string
holds a bracket (a partition of the quotes into adjacent pairs is unique). Then every piece must
hold balanced brackets: a separator inside a nested array would leave the piece holding the
record's start with an unclosed bracket. Any file that fails a check (a backslash, brackets in a
string, another document shape, another format) takes the general path: load.py's reader, every
record parsed and checked. `--jobs N` spreads files over N processes; counts add up the same.
With one process, a background thread reads and gunzips the next file (zlib releases the GIL)
while the current one is counted, at most two files ahead, so memory stays flat.

Residual assumption of the fast path, stated: a record is counted without being parsed when no
pattern's anchor literal is in it; it is checked to be one balanced JSON object holding an
`"eventTime":"` key (the count of those keys must equal the number of records), not parsed.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import orjson

from signin_lab.events.gzipcap import _gunzip, _too_big
from signin_lab.events.load import (
    MAX_BYTES,
    EventFileError,
    OnError,
    RecordStream,
    Skipped,
)

_HEAD = b'{"Records":[{"eventVersion":'
_SEP = b'},{"eventVersion":'
_MARKED = b"\2\0\1"  # record end, boundary, record start: control bytes, never raw in JSON
_DELETE = bytes(b for b in range(256) if b not in b'"{}[]\\\0\1\2')


class Counter:
    """The compiled patterns of one scan: `count(file)` gives (records, matches, skipped)."""

    def __init__(self, patterns: Mapping[str, str], on_error: OnError = "raise", max_bytes: int = MAX_BYTES) -> None:
        from signin_lab.filterpattern import FilterPattern, nodes
        from signin_lab.filterpattern.prefilter import requirements

        self.patterns = dict(patterns)
        self.on_error = on_error
        self.max_bytes = max_bytes
        self.tests: list[Callable[[Any], bool]] = []
        self.checks: list[Callable[[bytes, dict[bytes, bool]], bool]] = []
        self.anchors: list[tuple[bytes, ...] | None] = []  # value literals a match must contain
        for text in self.patterns.values():
            fp = FilterPattern(text)
            self.tests.append(fp.matches_event)
            self.checks.append(fp.may_match_bytes)
            tree = fp.tree
            need = requirements(tree.expr) if isinstance(tree, nodes.JsonPattern) else None
            if need is None or need.empty:
                self.anchors.append(None)
                continue
            values = tuple(v.encode() for v in need.literals[: need.values])
            self.anchors.append(values if values and not _overlaps(values[0]) else None)

    def count(self, name: str, data: bytes | None = None) -> tuple[int, list[int], list[Skipped]]:
        """(records, matches per pattern, skipped) of one file (`data`: its bytes, if fetched)."""
        return self.count_loaded(*load(name, data, self.max_bytes))

    def count_loaded(
        self, name: str, data: bytes | None, raw: bytes | None, error: EventFileError | None
    ) -> tuple[int, list[int], list[Skipped]]:
        """`count` of a file `load` has read: its bytes, its decompressed text, or its error."""
        if error is not None:
            if self.on_error != "skip":
                raise error
            return 0, [0] * len(self.tests), [Skipped(error.path, error.where, error.reason, "file")]
        if raw is not None:
            fast = self._fast(raw)
            if fast is not None:
                return fast[0], fast[1], []
        return self._general(name, data)

    def _general(self, name: str, data: bytes | None) -> tuple[int, list[int], list[Skipped]]:
        """Any file, any format: load.py's reader, every record parsed and checked."""
        import warnings

        from signin_lab.events.load import SkippedInputWarning

        remote = {name: (lambda: data)} if data is not None else None
        stream = RecordStream([name], [], self.on_error, None, max_bytes=self.max_bytes,
                              remote=remote)  # type: ignore[arg-type]
        counts = [0] * len(self.tests)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SkippedInputWarning)  # the caller reports
            for raw, records in stream.batches():
                found: dict[bytes, bool] = {}  # literals found in raw, shared by the patterns
                for i, test in enumerate(self.tests):
                    if raw is not None and not self.checks[i](raw, found):
                        continue  # FilterPattern.may_match_bytes: no event in raw can match
                    counts[i] += sum(map(test, records))
        return stream.report.records, counts, stream.report.skipped

    def _fast(self, raw: bytes) -> tuple[int, list[int]] | None:
        """(records, matches) of a compact CloudTrail document, or None to take the general path."""
        if None in self.anchors:
            return None
        body = raw.strip()
        n = _compact_records(body)
        if n is None:
            return None
        records = _candidates(body, dict.fromkeys(a[0] for a in self.anchors))  # type: ignore[index]
        if records is None:
            return None
        return n, [sum(map(test, records)) for test in self.tests]  # every pattern has an anchor here


def _compact_records(body: bytes) -> int | None:
    """The number of records of a compact CloudTrail document, one a `_SEP` piece; None when
    its layout is not that (a boundary inside a string or a nested array, say)."""
    if not body.startswith(_HEAD) or not body.endswith(b"}]}"):
        return None
    # Mark the boundaries with NUL (never raw in JSON text), keep only quotes, brackets,
        # backslashes and marks, and drop the empty strings "" that are left of every string.
    skeleton = _MARKED.join(body.split(_SEP)).translate(None, _DELETE).replace(b'""', b"")
    if b'"' in skeleton or b"\\" in skeleton:
        return None  # a backslash, or a string holding a bracket
    if skeleton[:3] != b"{[{" or skeleton[-3:] != b"}]}":
        return None
    skeleton = b"{[\1" + skeleton[3:-3] + b"\2]}"
    n = skeleton.count(b"\0") + 1
    # Each record is now `\1...\2`. Strike out innermost {} and [] pairs until nothing changes:
    # what is left must be the frame and `\1\2` per record. A boundary mark inside a nested
    # array, or two records in one piece, leaves brackets that cannot pair.
    while True:
        reduced = skeleton.replace(b"{}", b"").replace(b"[]", b"")
        if reduced == skeleton:
            break
        skeleton = reduced
    if skeleton != b"{[\1\2" + b"\0\1\2" * (n - 1) + b"]}" or body.count(b'"eventTime":"') != n:
        return None  # every record has an eventTime string (checked in full on candidates)
    return n


def _candidates(body: bytes, anchors: Iterable[bytes]) -> list[Any] | None:
    """The records of a compact document holding any of `anchors`, parsed in document order;
    None when one is not a record with an eventTime string (the general path then decides)."""
    starts: set[int] = set()
    first = len(b'{"Records":[')
    for anchor in anchors:
        pos = body.find(anchor)
        while pos >= 0:
            before = body.rfind(_SEP, 0, pos)
            starts.add(first if before < 0 else before + 2)
            pos = body.find(anchor, pos + 1)
    records = []
    for start in sorted(starts):
        end = body.find(_SEP, start)
        try:
            rec = orjson.loads(body[start: end + 1 if end >= 0 else len(body) - 2])
        except orjson.JSONDecodeError:
            return None
        if type(rec) is not dict or type(rec.get("eventTime")) is not str:
            return None
        records.append(rec)
    return records


def _overlaps(anchor: bytes) -> bool:
    """Whether `anchor` could lie across a record boundary or the document's framing."""
    for frame in (_SEP, _HEAD, b"}]}"):
        if anchor in frame or frame in anchor:
            return True
        for i in range(1, min(len(anchor), len(frame))):
            if anchor[:i] == frame[-i:] or anchor[-i:] == frame[:i]:
                return True
    return False


def load(
    name: str, data: bytes | None = None, cap: int = MAX_BYTES
) -> tuple[str, bytes | None, bytes | None, EventFileError | None]:
    """(name, bytes, decompressed text, error) of a `.json(.gz)` file; other files are left to
    the general reader (bytes and text None unless `data` was given). More than `cap` bytes
    once decompressed is an error (load.py's `_gunzip` stops a gzip bomb there). Safe in a
    thread: reading and zlib release the GIL, so the next file loads while this one is counted."""
    try:
        if data is None and name.lower().endswith(".json.gz"):
            with open(name, "rb") as f:
                data = f.read(cap + 1)  # compressed is never larger than cap when inflated is not
        if data is not None and name.lower().endswith((".json.gz", ".json")):
            if data[:2] == b"\x1f\x8b":
                return name, data, _gunzip(name, data, cap), None
            if len(data) > cap:
                raise _too_big(name, cap)
            return name, data, data, None
    except EventFileError as exc:
        return name, data, None, exc
    except OSError as exc:
        return name, data, None, EventFileError(name, None, f"cannot read: {exc.strerror or exc}")
    return name, data, None, None


def _prefetched(items: Iterable[tuple[str, bytes | None]], depth: int = 2, cap: int = MAX_BYTES) -> Iterator[
        tuple[str, bytes | None, bytes | None, EventFileError | None]]:
    """`load` of each item in a background thread, at most `depth` files ahead (memory stays flat).

    The items themselves (S3 fetches included) are also drawn in that thread; an exception
    there is raised here, in order. threading + queue rather than concurrent.futures, which
    costs `scan` tens of milliseconds to import.
    """
    import queue
    import threading

    done = object()
    ahead: queue.Queue[Any] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def work() -> None:
        try:
            for name, data in items:
                if stop.is_set():
                    return
                ahead.put(load(name, data, cap))
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer, raised there
            ahead.put(_Failed(exc))
        finally:
            ahead.put(done)

    thread = threading.Thread(target=work, name="signin-lab-load", daemon=True)
    thread.start()
    try:
        while True:
            item = ahead.get()
            if item is done:
                return
            if isinstance(item, _Failed):
                raise item.exc
            yield item
    finally:
        stop.set()
        while thread.is_alive():  # unblock a pending put, then let the thread end
            with contextlib.suppress(queue.Empty):
                ahead.get(timeout=0.05)
        thread.join()


class _Failed:
    """An exception raised while loading ahead, carried to the consumer."""

    def __init__(self, exc: BaseException) -> None:
        self.exc = exc


_WORKER: Counter | None = None


def _init(patterns: dict[str, str], on_error: OnError, max_bytes: int) -> None:
    global _WORKER
    _WORKER = Counter(patterns, on_error, max_bytes)


def _work(item: tuple[str, bytes | None]) -> tuple[str, int, list[int], list[Skipped], str | None]:
    assert _WORKER is not None
    try:
        n, counts, skipped = _WORKER.count(*item)
    except EventFileError as exc:
        return item[0], 0, [], [], str(exc)
    return item[0], n, counts, skipped, None


def count_files(
    files: list[str],
    patterns: Mapping[str, str],
    *,
    remote: Mapping[str, Callable[[], bytes]] | None = None,
    on_error: OnError = "raise",
    jobs: int | None = None,
    on_file: Callable[[Path], None] | None = None,
    max_bytes: int = MAX_BYTES,
) -> tuple[int, dict[str, int], list[Skipped], int]:
    """(records, matches per pattern, skipped, files read) over `files`, in `jobs` processes.

    `jobs` None: os.cpu_count(). Remote files (s3://) are fetched here, one at a time, and
    handed to the workers as bytes. The first error in file order raises (on_error="raise").
    `max_bytes`: the most one file may hold once decompressed (see load.load_records).
    """
    from signin_lab.errors import SigninLabError

    jobs = (os.cpu_count() or 1) if jobs is None else jobs
    if jobs < 1:
        raise SigninLabError(f"--jobs {jobs}: expected 1 or more")
    remote = remote or {}
    names = list(patterns)
    totals = [0] * len(names)
    records = 0
    skipped: list[Skipped] = []
    read = 0

    items = _fetched(files, remote, on_error, skipped)
    results, pool = _results(items, len(files), patterns, on_error, jobs, max_bytes)
    try:
        for name, n, counts, skips, error in results:
            if error is not None:
                raise SigninLabError(error)
            records += n
            totals = [a + b for a, b in zip(totals, counts, strict=False)] if counts else totals
            skipped += skips
            read += 1
            if on_file is not None:
                on_file(Path(name))
    finally:
        if pool is not None:
            pool.terminate()
    return records, dict(zip(names, totals, strict=True)), skipped, read


def _fetched(
    files: list[str], remote: Mapping[str, Callable[[], bytes]], on_error: OnError, skipped: list[Skipped]
) -> Iterator[tuple[str, bytes | None]]:
    """(name, bytes) of each file: remote ones fetched here (one that fails is skipped with
    on_error="skip", else raised), local ones left to `load` (bytes None)."""
    for f in files:
        if f not in remote:
            yield f, None
            continue
        try:
            yield f, remote[f]()
        except EventFileError as exc:
            if on_error != "skip":
                raise
            skipped.append(Skipped(exc.path, exc.where, exc.reason, "file"))


def _results(
    items: Iterator[tuple[str, bytes | None]],
    n_files: int,
    patterns: Mapping[str, str],
    on_error: OnError,
    jobs: int,
    max_bytes: int,
) -> tuple[Iterable[tuple[str, int, list[int], list[Skipped], str | None]], Any]:
    """(per-file results, the process pool or None): counted here with one job or one file,
    else by a pool of `jobs` processes (the caller terminates it)."""
    if jobs == 1 or n_files < 2:
        counter = Counter(patterns, on_error, max_bytes)
        results = (
            (loaded[0], *counter.count_loaded(*loaded), None) for loaded in _prefetched(items, cap=max_bytes)
        )
        return results, None
    import multiprocessing

    pool = multiprocessing.get_context("spawn" if os.name == "nt" else "fork").Pool(
        min(jobs, n_files), _init, (dict(patterns), on_error, max_bytes)
    )
    return pool.imap(_work, items, chunksize=4), pool
