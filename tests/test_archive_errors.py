"""scan and analyze on bad input: errors name file and place, skip is honoured, every skip is listed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from signin_lab.cli import main
from signin_lab.errors import SigninLabError
from signin_lab.events import SkippedInputWarning
from signin_lab.events.analyze import run_analyze
from signin_lab.events.samples import aws_examples

RECORDS = aws_examples()


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run the CLI in-process and return (exit status, stdout, stderr)."""
    with pytest.raises(SystemExit) as info:
        main(argv)
    out, err = capsys.readouterr()
    return int(info.value.code or 0), out, err


def login(time: str) -> dict[str, Any]:
    """One ConsoleLogin record (an IAM user's failure) at `time`."""
    return {"eventVersion": "1.08", "eventTime": time, "eventSource": "signin.amazonaws.com",
            "eventName": "ConsoleLogin", "userIdentity": {"type": "IAMUser", "userName": "ana"},
            "responseElements": {"ConsoleLogin": "Failure"}, "awsRegion": "us-east-1"}


def two_files(tmp_path: Path) -> Path:
    """a.json: two good sign-ins; b.json: a good one, then one with a bad eventTime (record 1)."""
    good = [login("2024-01-01T00:00:00Z"), login("2024-01-01T00:01:00Z")]
    (tmp_path / "a.json").write_text(json.dumps({"Records": good}))
    (tmp_path / "b.json").write_text(json.dumps({"Records": [login("2024-01-01T00:02:00Z"),
                                                             login("yesterday")]}))
    return tmp_path


def test_analyze_error_names_file_and_index_within_it(tmp_path: Path) -> None:
    """A bad eventTime is named by its file and its index in that file (record 1, not 3)."""
    with pytest.raises(SigninLabError, match=r"b\.json: record 1: eventTime 'yesterday'"):
        run_analyze([two_files(tmp_path)], out=tmp_path / "out")


def test_analyze_skip_honours_a_bad_event_time(tmp_path: Path) -> None:
    """With on_error='skip' a sign-in with a bad eventTime is skipped, counted, and the rest read."""
    with pytest.warns(SkippedInputWarning, match="skipped 0 files and 1 records"):
        result = run_analyze([two_files(tmp_path)], out=tmp_path / "out", on_error="skip")
    assert (3, [("b.json", "record 1")]) == (
        result.summary.signins, [(Path(s.path).name, s.where) for s in result.report.skipped])


def test_analyze_json_lists_every_skipped_item(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """analyze --format json carries each skipped item: file, where, reason, kind."""
    two_files(tmp_path)
    (tmp_path / "c.json").write_text("{broken")
    code, out, _ = run(["analyze", str(tmp_path), "--out", str(tmp_path / "out"),
                        "--on-error", "skip", "--format", "json"], capsys)
    skipped = json.loads(out)["skipped"]
    assert (0, [("b.json", "record 1", "record"), ("c.json", None, "file")]) == (
        code, [(Path(s["file"]).name, s["where"], s["kind"]) for s in skipped])


def test_scan_json_lists_every_skipped_item(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    """scan --format json lists both skipped files, not only the first problem."""
    (tmp_path / "bad1.json").write_text("{broken")
    (tmp_path / "bad2.json").write_text('{"Records": 3}')
    (tmp_path / "ok.json").write_text(json.dumps({"Records": RECORDS}))
    code, out, _ = run(["scan", str(tmp_path), "--format", "json", "--on-error", "skip"], capsys)
    data = json.loads(out)
    assert (0, 15, ["bad1.json", "bad2.json"]) == (
        code, data["records"], [Path(s["file"]).name for s in data["skipped"]])


def test_scan_text_names_each_skipped_item_on_stderr(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """In text mode each skipped item has its own stderr line, after the summary line."""
    (tmp_path / "bad1.json").write_text("{broken")
    (tmp_path / "bad2.json").write_text('{"Records": 3}')
    _, _, err = run(["scan", str(tmp_path), "--on-error", "skip"], capsys)
    lines = [line for line in err.splitlines() if line.startswith("signin-lab: skipped file: ")]
    assert ["bad1.json", "bad2.json"] == [Path(line.split(": ")[2]).name for line in lines]


def test_invalid_pattern_names_the_option(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """An invalid --pattern is one line naming `--pattern NAME`, exit 2."""
    (tmp_path / "ok.json").write_text(json.dumps({"Records": RECORDS}))
    code, _, err = run(["scan", str(tmp_path), "--pattern", "mine={ $.a = "], capsys)
    assert (2, True) == (code, err.startswith("signin-lab: error: --pattern mine: "))


def test_dev_zero_on_the_command_line_is_not_a_regular_file(capsys: pytest.CaptureFixture[str]) -> None:
    """`scan /dev/zero` is one line saying it is not a regular file, exit 2."""
    code, _, err = run(["scan", "/dev/zero"], capsys)
    assert (2, "signin-lab: error: /dev/zero: not a regular file (a character device)") == (
        code, err.strip())


def test_scan_max_bytes_stops_a_gzip_bomb(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """scan --max-bytes caps one file's decompressed size: one line naming the file and cap, exit 2."""
    import gzip

    (tmp_path / "bomb.json.gz").write_bytes(gzip.compress(b"[" + b" " * 2_000_000 + b"]"))
    code, _, err = run(["scan", str(tmp_path / "bomb.json.gz"), "--max-bytes", "1000000"], capsys)
    assert (2, True) == (code, "bomb.json.gz: holds more than 1,000,000 bytes once decompressed" in err)
