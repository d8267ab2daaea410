"""The python engine in several processes: local files read in chunks, the per-minute slots added up.

Like `scan --jobs` (signin_lab.events.engine_python), each process reads whole files with load.py's
reader into its own read._Reader; the parent adds the slots (log events, volumes and each filter's
[SampleCount, Sum, Minimum, Maximum] per minute, first and last matches, files). A minute's
statistics do not depend on which process saw which of its events, so the series are the same.
The first error in file order raises, as in one process.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from signin_lab.errors import SigninLabError

#: Files per task: enough to amortise a task's overhead, few enough to balance the processes.
CHUNK = 64

_FILTERS: tuple[Any, str | None, str] | None = None


def _init(filters: Any, home: str | None, on_error: str) -> None:
    global _FILTERS
    _FILTERS = (filters, home, on_error)


def _work(files: list[str]) -> tuple[dict[Any, Any], int, list[Any], str | None]:
    """(slots, records left out by Region, skipped, error) of one chunk of files."""
    from signin_lab.backtest.files import read_files
    from signin_lab.backtest.read import _Reader
    from signin_lab.events.load import Resolved

    assert _FILTERS is not None
    filters, home, on_error = _FILTERS
    reader = _Reader(filters, home)
    try:
        skipped = read_files(reader, Resolved(files=files), {}, on_error, None)
    except SigninLabError as exc:
        return {}, 0, [], str(exc)
    return reader.raw, reader.left_out_region, skipped, None


def add_slots(into: dict[Any, Any], raw: dict[Any, Any]) -> None:
    """Add one process's slots (see read._Reader.raw) to `into`."""
    for key, (minutes, months, stats, firsts, lasts, files, matches) in raw.items():
        if key not in into:
            into[key] = (minutes, months, stats, firsts, lasts, files, matches)
            continue
        m0, mo0, st0, f0, l0, fi0, ma0 = into[key]
        m0.update(minutes)
        for month, v in months.items():
            mine = mo0.setdefault(month, [0, 0, 0, 0])
            for k in range(4):
                mine[k] += v[k]
        for i, per in enumerate(stats):
            for minute, agg in per.items():
                a = st0[i].get(minute)
                if a is None:
                    st0[i][minute] = agg
                else:
                    a[0] += agg[0]
                    a[1] += agg[1]
                    a[2] = min(a[2], agg[2])
                    a[3] = max(a[3], agg[3])
            if firsts[i] is not None and (f0[i] is None or firsts[i] < f0[i]):
                f0[i] = firsts[i]
            if lasts[i] is not None and (l0[i] is None or lasts[i] > l0[i]):
                l0[i] = lasts[i]
            ma0[i] += matches[i]
        fi0 |= files


def read_parallel(reader: Any, files: Sequence[str], on_error: str, jobs: int) -> list[str]:
    """Fold local `files` into `reader` in `jobs` processes; what was skipped, as text."""
    import multiprocessing

    chunks = [list(files[i: i + CHUNK]) for i in range(0, len(files), CHUNK)]
    context = multiprocessing.get_context("spawn" if os.name == "nt" else "fork")
    skipped: list[str] = []
    with context.Pool(min(jobs, len(chunks)), _init, (reader.filters, reader.home, on_error)) as pool:
        for raw, left_out, skips, error in pool.imap(_work, chunks):
            if error is not None:
                raise SigninLabError(error)
            add_slots(reader.raw, raw)
            reader.left_out_region += left_out
            skipped += skips
    return skipped
