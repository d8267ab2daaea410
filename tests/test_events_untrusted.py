"""load_records on hostile or awkward input: walk errors, links, overlaps, FIFOs, gzip bombs, BOMs."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path
from typing import Any

import pytest

from signin_lab.errors import SigninLabError
from signin_lab.events import EventFileError, SkippedInputWarning, load_records
from signin_lab.events.samples import aws_examples

RECORDS = aws_examples()  # 15 records, AWS's documented examples


def write(path: Path, records: list[dict[str, Any]] = RECORDS) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"Records": records}))
    return path


@pytest.fixture
def unlistable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """An archive with a sub-folder whose listing fails with EACCES (as chmod 000 does, even as root)."""
    write(tmp_path / "a" / "one.json")
    locked = tmp_path / "a" / "locked"
    write(locked / "two.json")
    real = os.scandir

    def scandir(path: Any = ".") -> Any:
        if os.fspath(path) == str(locked):
            raise PermissionError(13, "Permission denied", str(locked))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    return tmp_path / "a"


def test_unlistable_folder_raises_naming_it(unlistable: Path) -> None:
    """A folder that cannot be listed raises SigninLabError naming it (no silent '0 records')."""
    with pytest.raises(SigninLabError, match="locked: cannot list folder: Permission denied"):
        load_records(unlistable)


def test_unlistable_folder_is_counted_with_skip(unlistable: Path) -> None:
    """With on_error='skip' the unlistable folder is a skipped folder in the report."""
    stream = load_records(unlistable, on_error="skip")
    with pytest.warns(SkippedInputWarning, match="skipped 1 folders"):
        records = list(stream)
    assert (15, ["folder"]) == (len(records), [s.kind for s in stream.report.skipped])


def test_symlink_loop_is_walked_once_and_listed(tmp_path: Path) -> None:
    """A link back to its own parent is not followed again and is listed as ignored."""
    write(tmp_path / "a" / "one.json")
    (tmp_path / "a" / "loop").symlink_to(tmp_path / "a")
    stream = load_records(tmp_path / "a")
    assert (15, [str(tmp_path / "a" / "loop")]) == (len(list(stream)), stream.report.ignored)


def test_symlinked_folder_is_followed(tmp_path: Path) -> None:
    """A link to a folder outside the archive is followed: its records are read."""
    write(tmp_path / "elsewhere" / "one.json")
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "link").symlink_to(tmp_path / "elsewhere")
    assert 15 == len(list(load_records(tmp_path / "a")))


def test_folder_and_its_subfolder_read_once(tmp_path: Path) -> None:
    """`scan D D/sub` reads each file once."""
    write(tmp_path / "D" / "sub" / "one.json")
    assert 15 == len(list(load_records(tmp_path / "D", tmp_path / "D" / "sub")))


def test_subfolder_then_folder_read_once(tmp_path: Path) -> None:
    """`scan D/sub D` reads each file once too."""
    write(tmp_path / "D" / "sub" / "one.json")
    assert 15 == len(list(load_records(tmp_path / "D" / "sub", tmp_path / "D")))


def test_same_file_twice_read_once(tmp_path: Path) -> None:
    """`scan f f` reads f once."""
    path = write(tmp_path / "f.json")
    assert 15 == len(list(load_records(path, path)))


def test_fifo_in_folder_is_skipped_not_opened(tmp_path: Path) -> None:
    """A FIFO named x.json in a folder is skipped and counted; the scan does not hang."""
    write(tmp_path / "a" / "one.json")
    os.mkfifo(tmp_path / "a" / "x.json")
    stream = load_records(tmp_path / "a")
    with pytest.warns(SkippedInputWarning, match=r"x.json: not a regular file \(a FIFO\)"):
        assert 15 == len(list(stream))


def test_dev_zero_is_not_a_regular_file() -> None:
    """/dev/zero given directly is 'not a regular file', not 'no such file'."""
    with pytest.raises(SigninLabError, match=r"^/dev/zero: not a regular file \(a character device\)$"):
        load_records("/dev/zero")


def test_gzip_bomb_stops_at_the_cap(tmp_path: Path) -> None:
    """A gzip file inflating past max_bytes is an EventFileError naming the file and the cap."""
    path = tmp_path / "bomb.json.gz"
    path.write_bytes(gzip.compress(b"[" + b" " * 5_000_000 + b"]"))
    with pytest.raises(EventFileError, match=r"bomb.json.gz: holds more than 1,000,000 bytes"):
        list(load_records(path, max_bytes=1_000_000))


def test_streamed_gzip_bomb_stops_at_the_cap(tmp_path: Path) -> None:
    """A .jsonl.gz inflating past max_bytes stops there too (streamed reading is capped)."""
    path = tmp_path / "bomb.jsonl.gz"
    path.write_bytes(gzip.compress(b" " * 5_000_000))
    stream = load_records(path, on_error="skip", max_bytes=1_000_000)
    with pytest.warns(SkippedInputWarning, match="holds more than 1,000,000 bytes"):
        assert [] == list(stream)


def test_gzip_under_the_cap_is_read(tmp_path: Path) -> None:
    """A gzip file below the cap is read whole, as before."""
    path = tmp_path / "ok.json.gz"
    path.write_bytes(gzip.compress(json.dumps({"Records": RECORDS}).encode()))
    assert 15 == len(list(load_records(path, max_bytes=1_000_000)))


def test_multi_member_gzip_is_read_whole(tmp_path: Path) -> None:
    """A gzip file of two members (concatenated) yields the records of both halves."""
    body = "\n".join(json.dumps(r) for r in RECORDS).encode() + b"\n"
    path = tmp_path / "two.json.gz"
    path.write_bytes(gzip.compress(body[:1000]) + gzip.compress(body[1000:]))
    assert 15 == len(list(load_records(path)))


def test_json_with_byte_order_mark_is_read(tmp_path: Path) -> None:
    """A JSON file starting with a UTF-8 byte-order mark is accepted, as CSV is."""
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"Records": RECORDS}).encode())
    assert 15 == len(list(load_records(path)))


def test_json_lines_with_byte_order_mark_are_read(tmp_path: Path) -> None:
    """A JSON-lines file starting with a byte-order mark is accepted too."""
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + "\n".join(json.dumps(r) for r in RECORDS).encode())
    assert 15 == len(list(load_records(path)))


def test_located_names_file_and_index_within_it(tmp_path: Path) -> None:
    """located() gives each record's file and its index within that file, not across files."""
    write(tmp_path / "a.json", RECORDS[:2])
    write(tmp_path / "b.json", RECORDS[2:4])
    places = [(Path(p).name, where) for p, where, _ in load_records(tmp_path).located()]
    assert [("a.json", "record 0"), ("a.json", "record 1"),
            ("b.json", "record 0"), ("b.json", "record 1")] == places


def test_bad_max_bytes_is_refused(tmp_path: Path) -> None:
    """max_bytes must be a positive int: SigninLabError naming it."""
    with pytest.raises(SigninLabError, match="max_bytes=0"):
        load_records(write(tmp_path / "f.json"), max_bytes=0)
