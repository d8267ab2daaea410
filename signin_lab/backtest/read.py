"""Read a CloudTrail archive once into per-minute series: what the log group and its filters saw.

Nothing here holds the records: each file's records are folded into per-minute counters (log
events, their bytes, management and data events) and into each filter's `MinuteSeries`, then
dropped. The order of records across files therefore does not matter: a minute's statistics do
not depend on the order its events arrived in, so out-of-order records are placed in their own
minute (by `eventTime`) and none is dropped.

One log group receives one trail's delivery
(https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html),
and a trail delivers its own account's records (`recipientAccountId`,
https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html).
Files are grouped by trail (the S3 key prefix before `AWSLogs/`, see
https://docs.aws.amazon.com/awscloudtrail/latest/userguide/get-and-view-cloudtrail-log-files.html)
and records by account; one group is kept and the others are reported, never silently dropped.
"""

from __future__ import annotations

import operator
import os
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from signin_lab.emulator.clock import floor_minute, parse_time
from signin_lab.emulator.metrics import MetricFilter, _number
from signin_lab.emulator.series import MinuteSeries
from signin_lab.errors import SigninLabError
from signin_lab.events.load import MAX_BYTES
from signin_lab.events.sources import Prune

#: The engines that can read an archive for a backtest (python: load.py's reader; duckdb: duck.py).
ENGINES: tuple[str, ...] = ("python", "duckdb")


@dataclass
class Group:
    """What one trail delivered for one account: per-minute volumes and the filters' series."""

    trail: str
    account: str | None
    series: MinuteSeries
    #: calendar month "YYYY-MM" -> [records, bytes of their log messages, management, data events]
    months: dict[str, list[int]] = field(default_factory=dict)
    matches: list[int] = field(default_factory=list)
    first_match: list[str | None] = field(default_factory=list)
    last_match: list[str | None] = field(default_factory=list)
    files: set[str] = field(default_factory=set)

    @property
    def records(self) -> int:
        return sum(v[0] for v in self.months.values())

    def merge(self, other: Group) -> None:
        """Add `other`'s records to this group (records without an account id join the chosen one)."""
        for month, v in other.months.items():
            mine = self.months.setdefault(month, [0, 0, 0, 0])
            for k in range(4):
                mine[k] += v[k]
        for minute, count in other.series.events.items():
            self.series.add_events(minute, count)
        for i in range(len(self.series.filters)):
            for minute, s in other.series.stats[i].items():
                mine_s = self.series.stats[i].get(minute)
                if mine_s is None:
                    self.series.stats[i][minute] = list(s)
                else:
                    mine_s[0] += s[0]
                    mine_s[1] += s[1]
                    mine_s[2] = min(mine_s[2], s[2])
                    mine_s[3] = max(mine_s[3], s[3])
            self.series.matched[i] |= other.series.matched[i]
            firsts = [t for t in (self.first_match[i], other.first_match[i]) if t]
            lasts = [t for t in (self.last_match[i], other.last_match[i]) if t]
            self.first_match[i] = min(firsts) if firsts else None
            self.last_match[i] = max(lasts) if lasts else None
            self.matches[i] += other.matches[i]
        self.files |= other.files


@dataclass
class Archive:
    """Every group read from an archive, with what was read and skipped."""

    groups: dict[tuple[str, str | None], Group]
    filters: tuple[MetricFilter, ...]
    files: list[str]
    skipped: list[str]
    ignored: list[str]
    #: each file's stored size in bytes (local: on disk; s3://: the object fetched)
    sizes: dict[str, int] = field(default_factory=dict)


def trail_of(path: str) -> str:
    """The trail a file belongs to: its path up to `AWSLogs/` ("" for files outside that layout)."""
    norm = path.replace(os.sep, "/")
    at = norm.rfind("/AWSLogs/")
    if at < 0:
        return "" if not norm.startswith("AWSLogs/") else "."
    return norm[:at] or "/"


def _minute_key(t: str) -> str:
    """The UTC minute of an eventTime as `YYYY-MM-DDTHH:MM` (the fast path slices CloudTrail's
    own `2025-02-01T09:12:33Z` form; anything else is parsed)."""
    return floor_minute(parse_time(t, "eventTime")).strftime("%Y-%m-%dT%H:%M")


def _norm_time(t: str) -> str:
    """An eventTime as `YYYY-MM-DDTHH:MM:SSZ`, comparable as text."""
    if len(t) == 20 and t[19] == "Z" and t[10] == "T":
        return t
    return parse_time(t, "eventTime").strftime("%Y-%m-%dT%H:%M:%SZ")


_TIME = operator.itemgetter("eventTime")
_ACCOUNT = operator.methodcaller("get", "recipientAccountId")
_CATEGORY = operator.methodcaller("get", "eventCategory")
_MANAGEMENT = operator.methodcaller("get", "managementEvent")


def _minute_keys(times: list[str]) -> list[str]:
    """Each eventTime's UTC minute as `YYYY-MM-DDTHH:MM`: a slice of CloudTrail's own
    `2025-02-01T09:12:33Z` form when the whole batch has that shape (length, separators and the
    Z checked column by column, in C), else each time parsed."""
    n = len(times)
    if set(map(len, times)) == {20}:
        text = "".join(times)
        if all(text[i::20].count(c) == n for i, c in _SHAPE):
            return [t[:16] for t in times]
    return [_minute_key(t) for t in times]


#: CloudTrail's eventTime `2025-02-01T09:12:33Z`: the separators' columns.
_SHAPE = ((4, "-"), (7, "-"), (10, "T"), (13, ":"), (16, ":"), (19, "Z"))


def _volume(v: list[int], records: list[dict[str, Any]]) -> None:
    """Add a batch's records, log bytes, management and data events to a month's counters.

    A log event's message is the record as compact UTF-8 JSON (delivery.log_message); orjson
    writes the same bytes, and a list of n records as "[" + n records joined by "," + "]".
    Management events: `managementEvent` not false and not a data or Insights event
    (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html).
    """
    n = len(records)
    add_volume(v, n, len(orjson.dumps(records)) - 2 - (n - 1), list(map(_CATEGORY, records)),
               list(map(_MANAGEMENT, records)))


def add_volume(v: list[int], n: int, nbytes: int, categories: list[Any], flags: list[Any]) -> None:
    """`_volume` of n records of `nbytes` bytes in all, with their eventCategory and
    managementEvent values (None where a record has none)."""
    v[0] += n
    v[1] += nbytes
    data = categories.count("Data")
    other = categories.count("Insight")
    if not data and not other:
        v[2] += n - flags.count(False)
        return
    v[3] += data
    v[2] += sum(
        1
        for c, f in zip(categories, flags, strict=True)
        if f is not False and c not in ("Data", "Insight")
    )


def _to_minute(key: str) -> datetime:
    """The aware UTC minute of a `YYYY-MM-DDTHH:MM` key; a SigninLabError if it is not a time."""
    try:
        return datetime.fromisoformat(key).replace(tzinfo=UTC)
    except ValueError:
        raise SigninLabError(f"eventTime {key!r}...: not an ISO 8601 time") from None


class _Reader:
    """Folds batches of records into groups; keyed by minute text until the end (cheaper)."""

    def __init__(self, filters: Sequence[MetricFilter], home_region: str | None) -> None:
        self.filters = tuple(filters)
        self.tests = [f.matcher.matches_event for f in filters]
        # FilterPattern.may_match_bytes: the literal pre-check `scan` uses (None: no such check)
        self.checks = [getattr(f.matcher, "may_match_bytes", None) for f in filters]
        self.literal = [_number(f.metric_value) for f in filters]
        self.home = home_region
        self.left_out_region = 0
        # (trail, account) -> (log events by minute key, month counters, per filter
        # {minute key: [SampleCount, Sum, Minimum, Maximum]}, first and last matches, files, matches)
        self.raw: dict[tuple[str, str | None], Any] = {}

    def _slot(self, key: tuple[str, str | None]) -> Any:
        slot = self.raw.get(key)
        if slot is None:
            n = len(self.filters)
            slot = self.raw[key] = (
                Counter(), {}, [{} for _ in range(n)], [None] * n, [None] * n, set(), [0] * n
            )
        return slot

    def add(self, trail: str, path: str, raw: bytes | None, records: list[dict[str, Any]]) -> None:
        """Fold one batch of records (one file, or a chunk of one) into its group(s)."""
        if self.home is not None:  # a single-Region trail delivers its home Region's records only
            kept = [r for r in records if r.get("awsRegion", self.home) == self.home]
            self.left_out_region += len(records) - len(kept)
            records = kept
        if not records:
            return
        accounts = set(map(_ACCOUNT, records))
        if len(accounts) == 1:
            self._add((trail, accounts.pop()), path, raw, records)
            return
        by: dict[str | None, list[dict[str, Any]]] = {}
        for r in records:
            by.setdefault(r.get("recipientAccountId"), []).append(r)
        for account, recs in by.items():
            self._add((trail, account), path, raw, recs)

    def _add(
        self, key: tuple[str, str | None], path: str, raw: bytes | None, records: list[dict[str, Any]]
    ) -> None:
        minutes, months, stats, firsts, lasts, files, matches = self._slot(key)
        files.add(path)
        keys = _minute_keys(list(map(_TIME, records)))
        minutes.update(keys)
        lo, hi = min(keys), max(keys)
        if lo[:7] == hi[:7]:
            _volume(months.setdefault(lo[:7], [0, 0, 0, 0]), records)
        else:  # a batch across a month's end: month by month
            for month in sorted({k[:7] for k in keys}):
                part = [r for r, k in zip(records, keys, strict=True) if k[:7] == month]
                _volume(months.setdefault(month, [0, 0, 0, 0]), part)
        exact = raw is not None and b"\\" not in raw
        found: dict[bytes, bool] = {}
        for i, test in enumerate(self.tests):
            check = self.checks[i]
            if exact and check is not None and not check(raw, found):  # type: ignore[arg-type]
                continue  # the literal pre-check of `scan`: no record of this text can match
            hits = list(filter(test, records))
            if hits:
                matches[i] += len(hits)
                self._fold_hits(i, hits, stats[i], firsts, lasts)

    def _fold_hits(
        self, i: int, hits: list[dict[str, Any]], per: dict[str, list[float]], firsts: list[Any], lasts: list[Any]
    ) -> None:
        """Add filter `i`'s matching records to its per-minute statistics and first/last match."""
        for r in hits:
            t = r["eventTime"]
            m = _minute_keys([t])[0]
            value = self.literal[i]
            if value is None:
                from signin_lab.emulator.delivery import log_message

                value = self.filters[i].matcher.metric_value(log_message(r), self.filters[i].metric_value)
            agg = per.get(m)
            if agg is None:
                agg = per[m] = [0.0, 0.0, float("inf"), float("-inf")]
            if value is not None:  # a match without a usable value is a match, no sample
                agg[0] += 1.0
                agg[1] += value
                agg[2] = min(agg[2], value)
                agg[3] = max(agg[3], value)
            n = _norm_time(t)
            if firsts[i] is None or n < firsts[i]:
                firsts[i] = n
            if lasts[i] is None or n > lasts[i]:
                lasts[i] = n

    def groups(self) -> dict[tuple[str, str | None], Group]:
        out = {}
        for key, (minutes, months, stats, firsts, lasts, files, matches) in sorted(
            self.raw.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")
        ):
            series = MinuteSeries(self.filters)
            for m, count in minutes.items():
                series.add_events(_to_minute(m), count)
            for i, per in enumerate(stats):
                for m, agg in per.items():
                    minute = _to_minute(m)
                    series.matched[i].add(minute)
                    if agg[0]:
                        series.stats[i][minute] = agg
            out[key] = Group(
                key[0], key[1], series, dict(months), list(matches), list(firsts), list(lasts),
                set(files),
            )
        return out


def read_archive(
    source: str | Path | Sequence[str | Path],
    filters: Sequence[MetricFilter],
    *,
    engine: str = "python",
    home_region: str | None = None,
    on_error: str = "raise",
    on_file: Callable[[Path], None] | None = None,
    target: Any = None,
    prune: Prune | None = None,
    jobs: int | None = 1,
) -> Archive:
    """Read the archive once into per-(trail, account) series for these metric filters.

    `source`: files, folders and `s3://bucket/prefix` URLs (listed and fetched one object at a
    time through `target`, a Lab, a Target or an S3 client; see signin_lab.events.sources).
    `prune`: days, Regions, accounts left out by their place in CloudTrail's layout.
    `jobs`: processes for the python engine over local files (None: one a core; see jobs.py).
    `home_region`: a single-Region trail's Region (records of other Regions are not delivered,
    https://docs.aws.amazon.com/awscloudtrail/latest/userguide/receive-cloudtrail-log-files-from-multiple-regions.html);
    None for a multi-Region trail.
    """
    from signin_lab.events.load import check_options, resolve

    if engine not in ENGINES:
        raise SigninLabError(
            f"--engine {engine!r}: backtest reads archives with {', '.join(ENGINES)}"
        )
    sources = [source] if isinstance(source, str | Path) else list(source)
    if not sources:
        raise SigninLabError("backtest: no archive given (a folder, a file, or several)")
    check_options(on_error, MAX_BYTES)
    found = resolve(sources, target=target, prune=prune, on_error=on_error)  # type: ignore[arg-type]
    sizes: dict[str, int] = {}
    remote = {url: _measured(url, fetch, sizes) for url, fetch in found.remote.items()}
    reader = _Reader(filters, home_region)
    if engine == "duckdb":
        from signin_lab.backtest.duck import read_duckdb

        skipped_found = [str(s) for s in found.skipped]
        read_duckdb(reader, found.files, remote, on_error, on_file)
        skipped = skipped_found
    else:
        from signin_lab.backtest import jobs as parallel

        jobs = (os.cpu_count() or 1) if jobs is None else jobs
        if jobs < 1:
            raise SigninLabError(f"--jobs {jobs}: expected 1 or more")
        if jobs > 1 and not remote and on_file is None and len(found.files) > parallel.CHUNK:
            skipped = [str(s) for s in found.skipped]
            skipped += parallel.read_parallel(reader, found.files, on_error, jobs)
        else:
            from signin_lab.backtest.files import read_files

            skipped = read_files(reader, found, remote, on_error, on_file)
    for path in found.files:
        if path not in sizes and not path.startswith("s3:"):
            sizes[path] = os.path.getsize(path)
    archive = Archive(
        reader.groups(), tuple(filters), list(found.files), skipped, list(found.ignored), sizes
    )
    if reader.left_out_region:
        archive.skipped.append(
            f"{reader.left_out_region} record(s) from other Regions than {home_region}: "
            "the trail is not multi-Region, so CloudTrail does not deliver them"
        )
    return archive


def _measured(url: str, fetch: Callable[[], bytes], sizes: dict[str, int]) -> Callable[[], bytes]:
    """`fetch`, noting the object's stored size (what S3 stores and bills) in `sizes`."""

    def fetched() -> bytes:
        data = fetch()
        sizes[url] = len(data)
        return data

    return fetched
