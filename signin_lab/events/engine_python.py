"""The python scan engine: filter patterns over CloudTrail files, building only what they read.

A CloudTrail delivery file is one JSON document `{"Records":[...]}`
(https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-examples.html).
For JSON patterns whose selectors name fields, each such file is decoded by
signin_lab.events.project: msgspec checks the whole document and builds, per record, only its
eventTime and the fields the patterns read; records are counted from that, and each pattern is
evaluated by the interpreter on the records that can match it (project.py says why the counts
are the interpreter's). Any other file (JSON lines, a console download, text msgspec refuses)
and any other pattern (terms, space-delimited, regex) take the general path: load.py's reader,
every record parsed and checked, which reports what is wrong. `--jobs N` spreads files over N
processes; counts add up the same.

With one process, local files are read and gunzipped in turn: a thread that gunzips ahead gains
nothing here (each file takes a fraction of a millisecond to inflate, and handing the GIL back
and forth costs more). S3 objects are fetched in a background thread, whose network waits
release the GIL, at most two ahead, so memory stays flat.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from signin_lab.events.gzipcap import _gunzip, _too_big
from signin_lab.events.load import (
    MAX_BYTES,
    EventFileError,
    OnError,
    RecordStream,
    Skipped,
)


class Counter:
    """The compiled patterns of one scan: `count(file)` gives (records, matches, skipped)."""

    def __init__(self, patterns: Mapping[str, str], on_error: OnError = "raise", max_bytes: int = MAX_BYTES) -> None:
        from signin_lab.events.project import Projection
        from signin_lab.filterpattern import FilterPattern

        self.patterns = dict(patterns)
        self.on_error = on_error
        self.max_bytes = max_bytes
        compiled = [FilterPattern(text) for text in self.patterns.values()]
        self.tests: list[Callable[[Any], bool]] = [fp.matches_event for fp in compiled]
        self.checks: list[Callable[[bytes, dict[bytes, bool]], bool]] = [fp.may_match_bytes for fp in compiled]
        self.projection = Projection.of(compiled)

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
        """(records, matches) of a `{"Records":[...]}` document decoded by the projection, or
        None to take the general path (signin_lab.events.project says why the counts agree)."""
        if self.projection is None or (records := self.projection.decode(raw)) is None:
            return None
        hits = self.projection.matches(records)
        return None if hits is None else (len(records), list(map(len, hits)))


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
    results, pool = _results(items, len(files), patterns, on_error, jobs, max_bytes, ahead=bool(remote))
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
    ahead: bool = False,
) -> tuple[Iterable[tuple[str, int, list[int], list[Skipped], str | None]], Any]:
    """(per-file results, the process pool or None): counted here with one job or one file,
    else by a pool of `jobs` processes (the caller terminates it). `ahead`: fetch and load in a
    background thread (for S3, whose network waits release the GIL; a local file's gunzip is
    too short for a thread to gain: handing the GIL back and forth costs more than it saves)."""
    if jobs == 1 or n_files < 2:
        counter = Counter(patterns, on_error, max_bytes)
        loaded = _prefetched(items, cap=max_bytes) if ahead else (load(*item, max_bytes) for item in items)
        results = ((one[0], *counter.count_loaded(*one), None) for one in loaded)
        return results, None
    import multiprocessing

    pool = multiprocessing.get_context("spawn" if os.name == "nt" else "fork").Pool(
        min(jobs, n_files), _init, (dict(patterns), on_error, max_bytes)
    )
    return pool.imap(_work, items, chunksize=4), pool
