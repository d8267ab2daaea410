"""The duckdb scan engine: CloudTrail files read by DuckDB, filter patterns compiled to SQL.

Each file is `{"Records": [...]}`; DuckDB's `read_json` reads it with `Records` as JSON[] and
`unnest` gives one row per record, its JSON text the column the patterns' SQL
(`FilterPattern.to_sql("duckdb")`) is evaluated on, as `count_if(...)` per pattern.
DuckDB's default maximum object size is 16 MiB and CloudTrail files can be larger, so the limit
is raised (https://duckdb.org/docs/stable/data/json/loading_json: `maximum_object_size`).
s3:// objects are fetched one at a time into a temporary folder (disk, not memory) first.
The decompression cap (`max_bytes`) holds here too, checked before DuckDB reads anything (DuckDB
itself was measured to read a gzip whose trailer understates its size past `maximum_object_size`):
a plain file by its size; a gzip file that could hold more than the cap (its size times deflate's
largest ratio, 1032:1, https://zlib.net/zlib_tech.html, is above it) is inflated counting, not
keeping, its output and refused past the cap. Smaller gzip files cannot exceed it.
"""

from __future__ import annotations

import os
import tempfile
import zlib
from collections.abc import Callable, Mapping
from pathlib import Path

from signin_lab.errors import SigninLabError
from signin_lab.events.gzipcap import _too_big
from signin_lab.events.load import MAX_BYTES, OnError, Skipped

#: DuckDB's default `maximum_object_size` (16 MiB); raised to fit the largest file read.
DEFAULT_OBJECT_SIZE = 16 << 20
#: Deflate's largest compression ratio (https://zlib.net/zlib_tech.html, "Maximum Compression
#: Factor": 1032:1), so a gzip file of n bytes inflates to less than n * 1032 (+ header slack).
DEFLATE_MAX_RATIO = 1032


def inflated_size(path: str, cap: int, name: str | None = None) -> int:
    """The bytes a gzip file (every member) inflates to, counted 1 MiB at a time and never kept;
    past `cap` raises EventFileError (the cap), a corrupt stream raises it too (not gzip)."""
    from signin_lab.events.load import EventFileError

    label = name or path
    total = 0
    inflate = zlib.decompressobj(31)
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            while chunk:
                try:
                    total += len(inflate.decompress(chunk, 1 << 20))
                except zlib.error as exc:
                    raise EventFileError(label, None, f"not a valid gzip file: {exc}") from None
                if total > cap:
                    raise _too_big(label, cap)
                if inflate.eof:  # the next member, if any, starts in unused_data
                    chunk = inflate.unused_data
                    inflate = zlib.decompressobj(31)
                    if not chunk.strip(b"\0"):
                        break
                else:
                    chunk = inflate.unconsumed_tail
    return total


def object_size(paths: list[str], cap: int = MAX_BYTES, names: list[str] | None = None) -> int:
    """A `maximum_object_size` that fits every file: its size, or for gzip the size recorded in
    its trailer (ISIZE, the uncompressed length mod 2**32: https://www.rfc-editor.org/rfc/rfc1952)
    or counted by `inflated_size` when the file could exceed `cap`, plus 1 MiB; never below
    DuckDB's default, never above `cap`. Set from the files, so DuckDB's read buffers (sized
    from this limit) stay as small as the data allows. A file above `cap` raises EventFileError
    naming it (by `names[i]` when given: the s3:// URL of a fetched copy)."""
    largest = 0
    for i, path in enumerate(paths):
        size = os.path.getsize(path)
        name = names[i] if names else path
        if path.lower().endswith(".gz") and size >= 18:
            if size * DEFLATE_MAX_RATIO > cap:
                size = max(size, inflated_size(path, cap, name))
            else:
                with open(path, "rb") as f:
                    f.seek(-4, os.SEEK_END)
                    size = max(size, int.from_bytes(f.read(4), "little"))
        if size > cap:
            raise _too_big(name, cap)
        largest = max(largest, size)
    return min(cap, max(DEFAULT_OBJECT_SIZE, largest + (1 << 20)))


def prefilter_sql(pattern: str, dialect: str, column: str = "record") -> str | None:
    """A cheap SQL test that is false only when the record cannot match (None: no such test).

    The literals a JSON pattern cannot match without (signin_lab.filterpattern.prefilter) must be
    in the record's text; text with a backslash may spell them otherwise, so it always passes.
    Put before the pattern's own SQL, it spares most records the JSON extraction.
    """
    from signin_lab.filterpattern import FilterPattern, nodes
    from signin_lab.filterpattern.prefilter import Need, requirements
    from signin_lab.filterpattern.sql import quote

    tree = FilterPattern(pattern).tree
    if not isinstance(tree, nodes.JsonPattern):
        return None
    need = requirements(tree.expr)
    if need.empty:
        return None

    def has(literal: str) -> str:
        if dialect == "duckdb":
            return f"contains({column}, {quote(literal)})"
        return f"strpos({column}, {quote(literal)}) > 0"

    def sql(need: Need) -> str:
        literals = need.literals[: need.values] if need.values else need.literals[:2]
        parts = [has(lit) for lit in literals]
        parts += ["(" + " OR ".join(sql(b) for b in branches) + ")" for branches in need.any_of]
        return " AND ".join(parts) if parts else "TRUE"

    return f"({has(chr(92))} OR ({sql(need)}))"


def counting_sql(patterns: Mapping[str, str], source: str, dialect: str = "duckdb") -> str:
    """`SELECT count(*) AS records, count_if(<pattern>) AS "<name>", ... FROM (<source>)`.

    `source` is a query giving one row per record with its JSON text in a column `record`.
    """
    return f"SELECT count(*) AS records,\n  {count_columns(patterns, dialect)}\nFROM ({source}) AS records_"


def count_columns(patterns: Mapping[str, str], dialect: str) -> str:
    """`count_if(<pre-filter> AND <pattern>) AS "<name>"` for each pattern, comma-separated."""
    from signin_lab.filterpattern import FilterPattern

    columns = []
    for name, text in patterns.items():
        test = FilterPattern(text).to_sql(dialect, "record")  # type: ignore[arg-type]
        cheap = prefilter_sql(text, dialect)
        columns.append(f'count_if({cheap + " AND " if cheap else ""}{test}) AS "{name}"')
    return ",\n  ".join(columns)


def local_copies(files: list[str], remote: Mapping[str, Callable[[], bytes]], folder: str) -> list[str]:
    """The paths DuckDB reads: local files as they are, S3 objects fetched into `folder` (one at a
    time, each named by its place in `files` so two objects with the same base name never clash)."""
    local: list[str] = []
    for i, name in enumerate(files):
        if name in remote:
            path = os.path.join(folder, f"{i:08d}_{os.path.basename(name)}")
            Path(path).write_bytes(remote[name]())
            local.append(path)
        else:
            local.append(name)
    return local


def count_files(
    files: list[str],
    patterns: Mapping[str, str],
    *,
    remote: Mapping[str, Callable[[], bytes]] | None = None,
    on_error: OnError = "raise",
    max_bytes: int = MAX_BYTES,
) -> tuple[int, dict[str, int], list[Skipped], int]:
    """(records, matches per pattern, skipped, files read): one DuckDB query over all files.

    `max_bytes`: the most one file may hold once decompressed (see `object_size`)."""
    import duckdb

    if on_error != "raise":
        raise SigninLabError("--engine duckdb: --on-error skip is not supported; use --engine python")
    for name in files:
        if not name.lower().endswith((".json.gz", ".json")):
            raise SigninLabError(f"{name}: --engine duckdb reads CloudTrail's .json(.gz) files only")
    if not files:
        return 0, dict.fromkeys(patterns, 0), [], 0
    remote = remote or {}
    with tempfile.TemporaryDirectory(prefix="signin-lab-") as tmp:
        local = local_copies(files, remote, tmp)
        source = (
            "SELECT CAST(unnest(Records) AS VARCHAR) AS record FROM read_json($files, "
            "columns = {'Records': 'JSON[]'}, format = 'auto', "
            f"maximum_object_size = {object_size(local, max_bytes, files)})"
        )
        con = duckdb.connect()
        try:
            row = con.execute(counting_sql(patterns, source), {"files": local}).fetchone()
        except duckdb.Error as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise SigninLabError(f"duckdb could not read the files: {first}") from None
        finally:
            con.close()
    assert row is not None
    return int(row[0]), {n: int(v) for n, v in zip(patterns, row[1:], strict=True)}, [], len(files)
