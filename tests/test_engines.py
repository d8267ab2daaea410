"""The python scan engine: the fast path, --jobs, and the general path give the same counts."""

from __future__ import annotations

import gzip
from pathlib import Path

import orjson
import pytest

from signin_lab.errors import SigninLabError
from signin_lab.events.engine_python import Counter, count_files
from signin_lab.events.load import find_files
from signin_lab.events.samples import blog_test_signins, console_login, ordinary_traffic
from signin_lab.events.scan import count_matches, default_patterns, scan

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "sample_events"


def _plain_counts(records: list[dict]) -> tuple[int, dict[str, int]]:
    return count_matches(records, default_patterns())


def test_jobs_two_counts_as_one_process() -> None:
    """--jobs 2 over the sample archives gives exactly the counts of one process."""
    one = scan(SAMPLES, jobs=1)
    two = scan(SAMPLES, jobs=2)
    assert (one.records, one.matches) == (two.records, two.matches)


def test_engine_counts_as_the_interpreter_on_samples() -> None:
    """The engine's counts over the samples equal evaluating every loaded record."""
    from signin_lab.events import load_records

    expected = _plain_counts(list(load_records(SAMPLES)))
    result = scan(SAMPLES, jobs=1)
    assert expected == (result.records, result.matches)


def _document(records: list[dict]) -> bytes:
    return orjson.dumps({"Records": records})


def _decoyed() -> list[dict]:
    """Ordinary traffic with the filters' literals in other fields, and the blog's sign-ins."""
    from datetime import timedelta

    from signin_lab.events.samples import BLOG_START

    recs = ordinary_traffic(BLOG_START, BLOG_START + timedelta(hours=2), seed=3)
    for r in recs[::5]:
        r["requestParameters"] = {"x": "ConsoleLogin", "y": ["Root", {"z": "Failure"}]}
    return recs + blog_test_signins() + [console_login("failure", "root", BLOG_START)]


def test_fast_path_counts_as_general_path() -> None:
    """On a compact document with decoy literals, the fast path equals evaluating every record."""
    recs = _decoyed()
    fast = Counter(default_patterns())._fast(_document(recs))
    n, expected = _plain_counts(recs)
    assert (n, list(expected.values())) == fast


def test_fast_path_counts_a_nested_array_of_record_like_objects() -> None:
    """A record whose nested array holds `},{"eventVersion":` objects: still one record each."""
    recs = _decoyed()
    recs[0]["resources"] = [{"eventVersion": "1"}, {"eventVersion": "2", "eventTime": "x", "eventName": "ConsoleLogin"}]
    n, expected = _plain_counts(recs)
    assert (n, list(expected.values())) == Counter(default_patterns())._fast(_document(recs))


def test_fast_path_counts_records_in_any_key_order() -> None:
    """A record whose first key is not eventVersion is a record like any other."""
    recs = _decoyed()
    recs[1] = {"eventTime": recs[1]["eventTime"], **recs[1]}
    n, expected = _plain_counts(recs)
    assert (n, list(expected.values())) == Counter(default_patterns())._fast(_document(recs))


def test_fast_path_reads_escapes() -> None:
    """Text with backslashes (a quote, \\u escapes) is decoded, not refused."""
    recs = _decoyed()
    recs[0]["userAgent"] = 'say "hi"'
    doc = _document(recs).replace(b'"eventName":"ConsoleLogin"', b'"eventName":"\\u0043onsoleLogin"')
    n, expected = _plain_counts(orjson.loads(doc)["Records"])
    assert sum(expected.values()) > 0
    assert (n, list(expected.values())) == Counter(default_patterns())._fast(doc)


@pytest.mark.parametrize(
    "doc",
    [
        b'{"Records":[{"eventTime":"x","a":"\xff"}]}',  # invalid UTF-8 where no pattern reads
        b'{"Records":[{"eventTime":5}]}',
        b'{"Records":[{"eventName":"ConsoleLogin"}]}',
        b'{"Records":[{"eventTime":"x"}]} trailing',
        b'{"Records":[1]}',
        b'{"Records":{}}',
        b'[{"eventTime":"x"}]',
        b'{"eventTime":"x","eventName":"ConsoleLogin"}',
        b'{"Records":[{"eventTime":"x"}]}\n{"Records":[{"eventTime":"y"}]}',
        b'{"Records":[{"eventTime":"x","eventName":"ConsoleLogin","userIdentity":{"type":"Root","n":1e400},'
        b'"responseElements":{"ConsoleLogin":"Success"}}]}',  # a candidate whose field orjson refuses
        b'{"Records":[{"eventTime":"x","eventName":1e400}]}',
        b'{"Records":[{"eventTime":"x","userIdentity":{"a":"\\ud800"}}]}',  # a lone surrogate
        b'{"Records":[{"eventTime":"x","requestParameters":{"a":"\\x"}}]}',  # an escape JSON lacks
        b'{"Records":[{"eventTime":"x","requestParameters":{"a":01}}]}',  # a leading zero
    ],
)
def test_fast_path_leaves_what_is_not_a_clean_document_to_the_general_path(doc: bytes) -> None:
    """Anything orjson or load.py would read differently, or refuse, is not counted here."""
    assert Counter(default_patterns())._fast(doc) is None


def test_file_without_event_time_is_reported(tmp_path: Path) -> None:
    """A record without eventTime is an error naming the file, as the loader reports it."""
    recs = _decoyed()
    del recs[2]["eventTime"]
    path = tmp_path / "x.json.gz"
    path.write_bytes(gzip.compress(_document(recs)))
    with pytest.raises(SigninLabError, match="record 2: record has no eventTime"):
        count_files([str(path)], default_patterns(), jobs=1)


def test_jobs_below_one_is_an_error() -> None:
    """--jobs 0 is a SigninLabError."""
    files, _ = find_files(SAMPLES)
    with pytest.raises(SigninLabError, match="--jobs 0"):
        count_files(files, default_patterns(), jobs=0)


def test_duckdb_counts_as_python_on_blog_signins() -> None:
    """--engine duckdb gives the python engine's counts on the blog's sample archive."""
    folder = SAMPLES / "blog_test_signins"
    py = scan(folder, jobs=1)
    duck = scan(folder, engine="duckdb")
    assert (py.records, py.matches) == (duck.records, duck.matches)


def test_duckdb_counts_as_python_on_quiet_month() -> None:
    """--engine duckdb gives the python engine's counts on the quiet-month archive."""
    folder = SAMPLES / "quiet_month"
    py = scan(folder, jobs=1)
    duck = scan(folder, engine="duckdb")
    assert (py.records, py.matches) == (duck.records, duck.matches)


def test_duckdb_reads_a_file_over_its_default_object_size(tmp_path: Path) -> None:
    """A 20 MiB CloudTrail document (DuckDB's default limit is 16 MiB) is read, not refused."""
    recs = blog_test_signins()
    for rec in recs[:4]:
        rec["requestParameters"] = {"padding": "x" * (5 << 20)}
    path = tmp_path / "big.json.gz"
    path.write_bytes(gzip.compress(_document(recs), compresslevel=1))
    py = scan(path, jobs=1)
    duck = scan(path, engine="duckdb")
    assert (py.records, py.matches) == (duck.records, duck.matches)


def test_duckdb_refuses_other_formats_by_name(tmp_path: Path) -> None:
    """A JSON-lines file is named in a one-line error under --engine duckdb."""
    path = tmp_path / "events.jsonl"
    path.write_bytes(b"\n".join(orjson.dumps(r) for r in blog_test_signins()))
    with pytest.raises(SigninLabError, match="events.jsonl: --engine duckdb reads CloudTrail's .json"):
        scan(path, engine="duckdb")


def _signins_gz(tmp_path: Path, name: str = "signins.json.gz") -> Path:
    path = tmp_path / name
    path.write_bytes(gzip.compress(_document(blog_test_signins())))
    return path


def test_python_engine_refuses_a_file_over_max_bytes(tmp_path: Path) -> None:
    """A .json.gz inflating past max_bytes is an error naming the file and the cap."""
    path = _signins_gz(tmp_path)
    with pytest.raises(SigninLabError, match=r"signins.json.gz: holds more than 20,000 bytes once decompressed"):
        scan(path, jobs=1, max_bytes=20_000)


def test_python_engine_skips_a_file_over_max_bytes(tmp_path: Path) -> None:
    """With on_error="skip" a file over max_bytes is skipped as a file and the rest counted."""
    import warnings

    big = _signins_gz(tmp_path, "a.json.gz")
    small = tmp_path / "b.json"
    small.write_bytes(_document(blog_test_signins()[:2]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = scan(big, small, jobs=1, max_bytes=20_000, on_error="skip")
    assert (2, [(str(big), "file")]) == (result.records, [(s.path, s.kind) for s in result.report.skipped])


def test_duckdb_engine_refuses_a_file_over_max_bytes(tmp_path: Path) -> None:
    """--engine duckdb refuses a .json.gz above max_bytes by its gzip trailer, naming it."""
    path = _signins_gz(tmp_path)
    with pytest.raises(SigninLabError, match=r"signins.json.gz: holds more than 20,000 bytes once decompressed"):
        scan(path, engine="duckdb", max_bytes=20_000)


def test_duckdb_engine_counts_a_gzip_whose_trailer_understates(tmp_path: Path) -> None:
    """A two-member gzip (last trailer small, first member 300 kB of spaces) is refused at 100 kB."""
    path = tmp_path / "two.json.gz"
    path.write_bytes(gzip.compress(b" " * 300_000) + gzip.compress(_document(blog_test_signins()[:1])))
    with pytest.raises(SigninLabError, match=r"two.json.gz: holds more than 100,000 bytes"):
        scan(path, engine="duckdb", max_bytes=100_000)


def test_scan_reports_a_fifo_met_in_a_folder(tmp_path: Path) -> None:
    """A FIFO in a scanned folder is never opened: skipped as a file, the other files counted."""
    import os
    import warnings

    (tmp_path / "a.json").write_bytes(_document(blog_test_signins()[:3]))
    os.mkfifo(tmp_path / "b.json")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = scan(tmp_path, jobs=1, on_error="skip")
    assert (3, [str(tmp_path / "b.json")]) == (result.records, [s.path for s in result.report.skipped])
