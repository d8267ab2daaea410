"""Read an archive for a backtest with DuckDB: the same per-minute series, counted in SQL.

One query over all files (issue 11's reading: `read_json` with `Records` as JSON[], `unnest`, one
row per record's JSON text) groups the records by file, account and minute and gives, per group:
the log events, their bytes (the record's compact JSON, as CloudWatch Logs receives it, see
read._volume), management and data events, and for each alert the matches
(`FilterPattern.to_sql("duckdb")`, behind the same literal pre-filter as `scan --engine duckdb`)
with the first and last matching eventTime. The rows are folded into read._Reader's slots, so
both engines build the groups, the series and the timeline through the same code.

The filters' metric values must be literals (the blog's "1"): a `$.field` value is read from each
matching record, which the python engine does.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from signin_lab.errors import SigninLabError

if TYPE_CHECKING:  # pragma: no cover
    from signin_lab.backtest.read import _Reader

#: CloudTrail's eventTime `2025-02-01T09:12:33Z`; other forms are read by the python engine.
EVENT_TIME = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"


def backtest_sql(reader: _Reader) -> str:
    """The query: one row per (file, account, minute), `$files` the files to read."""
    from signin_lab.events.engine_duckdb import prefilter_sql
    from signin_lab.filterpattern import FilterPattern
    from signin_lab.filterpattern.sql import quote

    columns = []
    for i, f in enumerate(reader.filters):
        test = FilterPattern(f.pattern).to_sql("duckdb", "record")
        cheap = prefilter_sql(f.pattern, "duckdb")
        hit = f"({cheap + ' AND ' if cheap else ''}{test})"
        columns += [
            f"count_if(coalesce({hit}, FALSE)) AS m{i}",
            f"min(CASE WHEN {hit} THEN t END) AS f{i}",
            f"max(CASE WHEN {hit} THEN t END) AS l{i}",
        ]
    home = (
        f"WHERE coalesce(region, {quote(reader.home)}) = {quote(reader.home)}"
        if reader.home is not None
        else ""
    )
    return f"""
WITH rows_ AS (
  SELECT filename, CAST(unnest(Records) AS VARCHAR) AS record
  FROM read_json($files, columns = {{'Records': 'JSON[]'}}, format = 'auto',
                 filename = true, maximum_object_size = $size)
), fields_ AS (
  SELECT filename, record,
         json_extract_string(record, '$.eventTime') AS t,
         json_type(record, '$.eventTime') AS t_type,
         json_extract_string(record, '$.recipientAccountId') AS account,
         json_extract_string(record, '$.awsRegion') AS region,
         json_extract_string(record, '$.eventCategory') AS category,
         CAST(json_extract(record, '$.managementEvent') AS VARCHAR) AS management
  FROM rows_
)
SELECT filename, account, substr(t, 1, 16) AS minute,
  count(*) AS events,
  sum(strlen(record)) AS bytes,
  count_if(coalesce(management, '') <> 'false'
           AND coalesce(category, '') NOT IN ('Data', 'Insight')) AS management,
  count_if(coalesce(category = 'Data', FALSE)) AS data,
  count_if(t_type IS DISTINCT FROM 'VARCHAR' OR NOT regexp_matches(t, '{EVENT_TIME}')) AS odd,
  {(','.join(chr(10) + '  ' + c for c in columns)).lstrip()}
FROM fields_ {home}
GROUP BY ALL
ORDER BY filename, account NULLS FIRST, minute
"""


def _refuse_unsupported(reader: _Reader, files: list[str], on_error: str) -> None:
    """What the DuckDB engine cannot do, refused up front with the option to use instead."""
    from signin_lab.emulator.metrics import _number

    if on_error != "raise":
        raise SigninLabError("--engine duckdb: --on-error skip is not supported; use --engine python")
    for f in reader.filters:
        if _number(f.metric_value) is None:
            raise SigninLabError(
                f"--engine duckdb: filter {f.name!r} takes its metric value from the record "
                f"({f.metric_value}); use --engine python"
            )
    for name in files:
        if not name.lower().endswith((".json.gz", ".json")):
            raise SigninLabError(f"{name}: --engine duckdb reads CloudTrail's .json(.gz) files only")


def _query(reader: _Reader, local: list[str], names: list[str]) -> tuple[list[Any], Any]:
    """The per-(file, account, minute) rows and, for a single-Region trail, the total records."""
    import duckdb

    from signin_lab.events.engine_duckdb import object_size

    total = None
    con = duckdb.connect()
    try:
        size = object_size(local, names=names)
        rows = con.execute(backtest_sql(reader), {"files": local, "size": size}).fetchall()
        if reader.home is not None:
            total = con.execute(
                "SELECT count(*) FROM (SELECT unnest(Records) FROM read_json($files, "
                "columns = {'Records': 'JSON[]'}, format = 'auto', maximum_object_size = $size))",
                {"files": local, "size": size},
            ).fetchone()
    except duckdb.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise SigninLabError(f"duckdb could not read the files: {first}") from None
    finally:
        con.close()
    return rows, total


def _fold_matches(reader: _Reader, slot: Any, minute: str, row: Any) -> None:
    """Add one row's per-alert counts, first and last match to a (trail, account) slot."""
    _, _, stats, firsts, lasts, _, matches = slot
    for i in range(len(reader.filters)):
        count, first, last = row[8 + 3 * i: 11 + 3 * i]
        if not count:
            continue
        matches[i] += count
        value = float(reader.literal[i])  # type: ignore[arg-type]
        agg = stats[i].get(minute)
        if agg is None:
            agg = stats[i][minute] = [0.0, 0.0, float("inf"), float("-inf")]
        agg[0] += count
        agg[1] += value * count
        agg[2] = min(agg[2], value)
        agg[3] = max(agg[3], value)
        if firsts[i] is None or first < firsts[i]:
            firsts[i] = first
        if lasts[i] is None or last > lasts[i]:
            lasts[i] = last


def _fold_rows(reader: _Reader, rows: list[Any], named: Mapping[str, str]) -> int:
    """Fold the query's rows into `reader`'s slots; the number of records kept."""
    from signin_lab.backtest.read import trail_of

    kept = 0
    for row in rows:
        filename, account, minute, events, nbytes, management, data, odd = row[:8]
        path = named.get(filename, filename)
        if odd:
            raise SigninLabError(
                f"{path}: {odd} record(s) whose eventTime is not CloudTrail's "
                "YYYY-MM-DDTHH:MM:SSZ text; use --engine python"
            )
        kept += events
        slot = reader._slot((trail_of(path), account))
        minutes, months, _, _, _, seen, _ = slot
        seen.add(path)
        minutes[minute] += events
        v = months.setdefault(minute[:7], [0, 0, 0, 0])
        v[0] += events
        v[1] += int(nbytes)
        v[2] += management
        v[3] += data
        _fold_matches(reader, slot, minute, row)
    return kept


def read_duckdb(
    reader: _Reader,
    files: list[str],
    remote: Mapping[str, Callable[[], bytes]],
    on_error: str,
    on_file: Callable[[Path], None] | None,
) -> None:
    """Fold every file's records into `reader`'s slots through one DuckDB query."""
    _refuse_unsupported(reader, files, on_error)
    if not files:
        return
    from signin_lab.events.engine_duckdb import local_copies

    with tempfile.TemporaryDirectory(prefix="signin-lab-") as tmp:
        local = local_copies(files, remote, tmp)
        named = dict(zip(local, files, strict=True))
        rows, total = _query(reader, local, files)
    kept = _fold_rows(reader, rows, named)
    if reader.home is not None and total is not None:
        reader.left_out_region = int(total[0]) - kept
    if on_file is not None:
        for name in files:
            on_file(Path(name))
