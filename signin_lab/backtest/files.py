"""Reading an archive's files for a backtest, one at a time: the fast path, else load.py's reader.

The fast path is the scan's (signin_lab.events.project): a `{"Records":[...]}` document is
decoded by msgspec into, per record, its eventTime, the fields the alerts' filter patterns read,
and the four a backtest needs besides: awsRegion, recipientAccountId, eventCategory and
managementEvent. The file is then folded into the reader's slots as read._Reader.add folds
parsed records: the same minute keys, volumes, matches and first and last matches.

The log events' bytes (read._volume: each record as the compact JSON CloudWatch Logs receives)
are the records' own text in the file, `{"Records":[` + records joined by `,` + `]}`: CloudTrail
writes its delivery files compact, so that text is the compact JSON. (A file whose records are
separated by more than a comma, which CloudTrail never writes, would count those bytes too.)

A file the fast path cannot fold in one piece goes to load.py's reader and read._Reader.add,
which decide and report as before: a document msgspec refuses, another format, records of more
than one account or month, records of another Region for a single-Region trail, an eventTime
that is not CloudTrail's `2025-02-01T09:12:33Z`, or a filter whose metric value is not a literal.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec

from signin_lab.errors import SigninLabError

if TYPE_CHECKING:  # pragma: no cover
    from signin_lab.backtest.read import _Reader
    from signin_lab.events.load import Skipped
    from signin_lab.events.project import Projection

#: The fields a backtest reads of every record, besides eventTime and the patterns' own.
WANTED: dict[str, Any] = {"awsRegion": Any, "recipientAccountId": Any, "eventCategory": Any, "managementEvent": Any}
_HEAD, _TAIL = b'{"Records":[', b"]}"
_UNSET = msgspec.UNSET


def projection_for(reader: _Reader) -> Projection | None:
    """The fast path's projection for the reader's filters, or None (every file read by load.py)."""
    from signin_lab.events.project import Projection
    from signin_lab.filterpattern import FilterPattern

    matchers = [f.matcher for f in reader.filters]
    if any(value is None for value in reader.literal) or not all(isinstance(m, FilterPattern) for m in matchers):
        return None
    return Projection.of(matchers, WANTED)  # type: ignore[arg-type]


def read_files(
    reader: _Reader, found: Any, remote: dict[str, Callable[[], bytes]], on_error: str,
    on_file: Callable[[Path], None] | None,
) -> list[str]:
    """Fold every file of `found` into `reader`, in order; what was skipped (found's too), as text."""
    from signin_lab.backtest.read import trail_of
    from signin_lab.events.engine_python import load

    projection = projection_for(reader)
    skipped: list[Skipped] = list(found.skipped)
    for path in found.files:
        data = None
        if projection is not None:
            fetch = remote.get(path)
            try:
                _, data, text, error = load(path, fetch() if fetch is not None else None)
            except SigninLabError:  # an S3 object that cannot be fetched: the reader reports it
                text, error = None, None
            if error is None and text is not None and fold(reader, projection, trail_of(path), path, text):
                if on_file is not None:
                    on_file(Path(path))
                continue
        skipped += _general(reader, path, data, remote, on_error, on_file)
    return [str(s) for s in skipped]


def _general(
    reader: _Reader, path: str, data: bytes | None, remote: dict[str, Callable[[], bytes]], on_error: str,
    on_file: Callable[[Path], None] | None,
) -> list[Skipped]:
    """One file through load.py's reader and read._Reader.add (`data`: its bytes, if read)."""
    import warnings

    from signin_lab.backtest.read import trail_of
    from signin_lab.events.load import EventFileError, RecordStream, SkippedInputWarning

    fetch = (lambda: data) if data is not None else remote.get(path)
    stream = RecordStream([path], [], on_error, on_file, remote={path: fetch} if fetch is not None else None)  # type: ignore[arg-type]
    try:
        with warnings.catch_warnings():
            # what was skipped is reported in the result's notes, not warned about twice
            warnings.simplefilter("ignore", SkippedInputWarning)
            for raw, records in stream.batches():
                reader.add(trail_of(path), path, raw, records)
    except EventFileError:
        raise
    except SigninLabError as exc:
        raise SigninLabError(f"{path}: {exc}") from exc
    return stream.report.skipped


def fold(reader: _Reader, projection: Projection, trail: str, path: str, text: bytes) -> bool:
    """Fold one document into `reader` as read._Reader.add would; False (nothing folded) when
    the fast path cannot (see the module docstring)."""
    from signin_lab.backtest.read import _minute_keys, add_volume

    if not (text.startswith(_HEAD) and text.endswith(_TAIL)):
        return False  # not CloudTrail's compact framing: the bytes are not the records' text
    records = projection.decode(text)
    if records is None:
        return False
    if not records:
        return True  # read._Reader.add folds nothing for a file without records
    get = projection.getter
    try:
        if reader.home is not None and not set(map(get("awsRegion"), records)) <= {reader.home, _UNSET}:
            return False
        accounts = set(map(get("recipientAccountId"), records))
        keys = _minute_keys([r.eventTime for r in records])
    except (TypeError, SigninLabError):  # an unhashable Region or account id, an eventTime to report
        return False
    lo, hi = min(keys), max(keys)
    hits = projection.matches(records) if len(accounts) == 1 and lo[:7] == hi[:7] else None
    if hits is None:
        return False
    account = accounts.pop()
    slot = reader._slot((trail, None if account is _UNSET else account))
    minutes, months, stats, firsts, lasts, files, matches = slot
    files.add(path)
    minutes.update(keys)
    n = len(records)
    # eventCategory and managementEvent as read._volume takes them (a missing one counts as None)
    add_volume(months.setdefault(lo[:7], [0, 0, 0, 0]), n, len(text) - len(_HEAD) - len(_TAIL) - (n - 1),
               list(map(get("eventCategory"), records)), list(map(get("managementEvent"), records)))
    for i, hit in enumerate(hits):
        if hit:
            matches[i] += len(hit)
            reader._fold_hits(i, [{"eventTime": r.eventTime} for r in hit], stats[i], firsts, lasts)
    return True
