"""The `scan` command's sources and engines: s3:// through a moto server, pruning, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from signin_lab import Lab
from signin_lab.cli import main
from signin_lab.errors import SigninLabError
from signin_lab.events.samples import blog_test_signins
from signin_lab.events.sources import Prune

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "sample_events"
EMAIL = "you@example.com"
SMS = "+447700900123"


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        main(argv)
    out, err = capsys.readouterr()
    return int(done.value.code or 0), out, err


def test_scan_s3_after_replay_on_a_moto_server(server_lab: Lab, capsys: pytest.CaptureFixture[str]) -> None:
    """After replay on a moto server, `scan s3://<trail bucket> --target URL` counts each test sign-in once."""
    server_lab.deploy(email=EMAIL, sms=SMS)
    server_lab.replay(blog_test_signins())
    url = server_lab.target.endpoint_url
    code, out, _ = _run(["scan", f"s3://{server_lab.config.bucket}", "--target", str(url), "--format", "json",
                         "--jobs", "1"], capsys)
    matches = json.loads(out)["matches"]
    assert (0, dict.fromkeys(matches, 1)) == (code, matches)


def test_scan_engines_agree_in_the_cli(capsys: pytest.CaptureFixture[str]) -> None:
    """`scan --engine duckdb` prints the JSON `--engine python` prints."""
    folder = str(SAMPLES / "blog_test_signins")
    _, python_out, _ = _run(["scan", folder, "--format", "json", "--jobs", "1"], capsys)
    _, duck_out, _ = _run(["scan", folder, "--format", "json", "--engine", "duckdb"], capsys)
    assert json.loads(python_out) == json.loads(duck_out)


def test_scan_until_before_the_archive_reads_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    """--until a day before the sample archive's files leaves no record."""
    _, out, _ = _run(["scan", str(SAMPLES / "blog_test_signins"), "--format", "json", "--until", "2025-03-02"],
                     capsys)
    assert 0 == json.loads(out)["records"]


def test_scan_bad_date_is_one_line_error(capsys: pytest.CaptureFixture[str]) -> None:
    """--since 2025-13-01 exits 2 with one line naming the option."""
    code, _, err = _run(["scan", str(SAMPLES), "--since", "2025-13-01"], capsys)
    assert (2, "signin-lab: error: --since '2025-13-01': expected a date YYYY-MM-DD\n") == (code, err)


def test_scan_s3_url_without_bucket_is_one_line_error(capsys: pytest.CaptureFixture[str]) -> None:
    """`scan s3://` exits 2 with one line."""
    code, _, err = _run(["scan", "s3://"], capsys)
    assert (2, "signin-lab: error: s3://: expected s3://BUCKET[/PREFIX] (no bucket named)\n") == (code, err)


def test_since_after_until_is_an_error() -> None:
    """--since after --until is a SigninLabError."""
    with pytest.raises(SigninLabError, match="after --until"):
        Prune.from_options("2025-03-02", "2025-03-01")


def test_prune_keeps_local_paths_by_their_layout() -> None:
    """A local path in the AWSLogs layout is pruned by Region like an S3 key."""
    key = "x/AWSLogs/123456789012/CloudTrail/eu-west-1/2025/03/03/f.json.gz"
    assert (True, False) == (Prune(regions=("eu-west-1",)).keeps(key), Prune(regions=("us-east-1",)).keeps(key))


def test_scan_max_bytes_holds_with_engine_duckdb(capsys: pytest.CaptureFixture[str]) -> None:
    """`scan --engine duckdb --max-bytes 1000` over the samples is one line on stderr and exit 2."""
    code, _, err = _run(["scan", str(SAMPLES / "blog_test_signins"), "--engine", "duckdb",
                         "--max-bytes", "1000"], capsys)
    assert (2, 1) == (code, len(err.strip().splitlines()))
    assert "holds more than 1,000 bytes once decompressed" in err
