"""`signin-lab scan` and `signin-lab analyze`: counts, JSON shape, patterns, bad input, light start-up."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from signin_lab.cli import main
from signin_lab.config import LabConfig
from signin_lab.events import load_records
from signin_lab.events.analyze import run_analyze
from signin_lab.events.scan import count_batches, count_matches, default_patterns, run_scan, scan

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "sample_events"
NAMES = [a.name for a in LabConfig().alerts]


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run the CLI in-process and return (exit status, stdout, stderr)."""
    with pytest.raises(SystemExit) as info:
        main(argv)
    out, err = capsys.readouterr()
    return int(info.value.code or 0), out, err


def hand_count(path: Path) -> dict:
    """The four blog counts, by hand: eventName, userIdentity.type, responseElements.ConsoleLogin."""
    kinds = {("IAMUser", "Failure"): NAMES[0], ("Root", "Failure"): NAMES[1],
             ("IAMUser", "Success"): NAMES[2], ("Root", "Success"): NAMES[3]}
    matches = dict.fromkeys(NAMES, 0)
    n = 0
    for r in load_records(path):
        n += 1
        if r.get("eventName") == "ConsoleLogin":
            key = ((r.get("userIdentity") or {}).get("type"),
                   (r.get("responseElements") or {}).get("ConsoleLogin"))
            if key in kinds:
                matches[kinds[key]] += 1
    return {"records": n, "matches": matches, "skipped": []}


def test_default_patterns_are_labconfig_alerts() -> None:
    """The scan's default patterns are exactly LabConfig().alerts' names and patterns."""
    assert {a.name: a.pattern for a in LabConfig().alerts} == default_patterns()


def test_scan_json_output_is_exact(capsys: pytest.CaptureFixture[str]) -> None:
    """--format json prints {"records": N, "matches": {...}} with the hand-counted numbers."""
    code, out, _ = run(["scan", str(SAMPLES), "--format", "json"], capsys)
    assert 0 == code
    assert hand_count(SAMPLES) == json.loads(out)
    assert ["records", "matches", "skipped"] == list(json.loads(out))


def test_scan_text_output_lists_each_alert(capsys: pytest.CaptureFixture[str]) -> None:
    """The text output has a records line and one line per alert with its count."""
    code, out, _ = run(["scan", str(SAMPLES / "blog_test_signins")], capsys)
    assert 0 == code
    lines = [line.split() for line in out.strip().splitlines()]
    assert [["records", "47"]] + [[name, "1"] for name in NAMES] == lines


def test_scan_pattern_option_adds_a_filter(capsys: pytest.CaptureFixture[str]) -> None:
    """--pattern NAME=PATTERN counts one more filter, after the configured ones."""
    blog_root = '{ ($.eventName = "ConsoleLogin") && ($.userIdentity.type = "root") }'
    code, out, _ = run(["scan", str(SAMPLES / "aws_examples.json"), "--format", "json",
                        "--pattern", f"blog-root={blog_root}"], capsys)
    assert 0 == code
    matches = json.loads(out)["matches"]
    assert [*NAMES, "blog-root"] == list(matches)
    assert 0 == matches["blog-root"]  # the blog's lower-case "root" never matches a real record


def test_scan_pattern_without_name_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    """A --pattern without NAME= prints one error line and exits 2."""
    code, _, err = run(["scan", str(SAMPLES), "--pattern", "{ $.a = 1 }"], capsys)
    assert (2, 1) == (code, len(err.strip().splitlines()))
    assert "NAME=PATTERN" in err


def test_scan_invalid_pattern_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    """An invalid filter pattern is refused before any file is read, exit 2."""
    code, _, err = run(["scan", str(SAMPLES), "--pattern", "bad={ $.a = "], capsys)
    assert 2 == code
    assert "filter pattern" in err


def test_scan_bad_file_raises_naming_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """By default a bad file stops the scan with exit 2 and names the file."""
    bad = tmp_path / "broken.json"
    bad.write_text('{"Records": [')
    code, _, err = run(["scan", str(bad)], capsys)
    assert 2 == code
    assert "broken.json" in err


def test_scan_skip_reports_what_it_skipped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--on-error skip counts the good records and reports the skipped file on stderr."""
    (tmp_path / "broken.json").write_text('{"Records": [')
    (tmp_path / "ok.json").write_text((SAMPLES / "aws_examples.json").read_text())
    code, out, err = run(["scan", str(tmp_path), "--format", "json", "--on-error", "skip"], capsys)
    assert 0 == code
    assert 15 == json.loads(out)["records"]
    assert "skipped 1 files" in err and "broken.json" in err


def test_file_precheck_does_not_change_counts() -> None:
    """Counting with whole-file literal pre-checks gives the same numbers as record by record."""
    patterns = {**default_patterns(), "any": '{ $.eventSource = "s3.amazonaws.com" }'}
    fast = count_batches(load_records(SAMPLES).batches(), patterns)
    slow = count_matches(load_records(SAMPLES), patterns)
    assert slow == fast


def test_scan_function_result() -> None:
    """scan() returns records, matches in pattern order, and the load report."""
    result = scan(SAMPLES / "password_guessing.json")
    assert {"records": 40, "matches": dict(zip(NAMES, [36, 0, 0, 0], strict=True)), "skipped": []} == (
        result.to_json())
    assert 1 == result.report.files_read


def test_analyze_prints_summary_and_writes_charts(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """analyze prints the counts by user type and writes the four chart PNGs."""
    code, out, _ = run(["analyze", str(SAMPLES / "password_guessing.json"), "--out",
                        str(tmp_path)], capsys)
    assert 0 == code
    assert "36 console sign-ins in 40 records" in out
    assert "HIDDEN_DUE_TO_SECURITY_REASONS" in out
    pngs = sorted(p.name for p in tmp_path.glob("*.png"))
    assert ["signin_heatmap.png", "signins_over_time.png", "top_source_ips.png",
            "top_user_agents.png"] == pngs
    assert all((tmp_path / p).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in pngs)


def test_scan_command_imports_no_heavy_library() -> None:
    """Running `scan` imports neither pandas, matplotlib, boto3/botocore nor moto."""
    code = (
        "import sys\n"
        "from signin_lab.cli import main\n"
        "try:\n"
        f"    main(['scan', {str(SAMPLES / 'aws_examples.json')!r}, '--format', 'json'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = {'pandas', 'matplotlib', 'boto3', 'botocore', 'moto'}\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & heavy), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert "[]" == done.stderr.strip().splitlines()[-1]


def test_progress_bar_path_counts_the_same() -> None:
    """The terminal path (with a rich progress bar) gives the same counts as the piped path."""
    from signin_lab.cli.archive import scan_with_progress

    result = scan_with_progress([str(SAMPLES)], (), "raise")
    assert hand_count(SAMPLES) == result.to_json()


def test_scan_without_a_terminal_imports_no_rich() -> None:
    """Piped, the scan command shows no progress bar and does not even import rich."""
    code = (
        "import sys\n"
        "from signin_lab.cli import main\n"
        "try:\n"
        f"    main(['scan', {str(SAMPLES / 'aws_examples.json')!r}, '--format', 'json'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('rich' in sys.modules, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert "False" == done.stderr.strip().splitlines()[-1]


def test_run_scan_returns_counts_and_prints_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    """run_scan returns the configured alerts' counts plus --pattern ones, and prints nothing."""
    result = run_scan([SAMPLES / "aws_examples.json"], patterns=["any-login={ $.eventName = \"ConsoleLogin\" }"])
    assert [*NAMES, "any-login"] == list(result.matches)
    assert ("", "") == capsys.readouterr()


def test_scan_result_frame_has_one_row_per_filter() -> None:
    """ScanResult.frame() holds each filter's name and count, in the order given."""
    result = scan(SAMPLES / "password_guessing.json")
    frame = result.frame()
    assert [["name", "matches"], NAMES, [36, 0, 0, 0]] == [
        list(frame.columns), list(frame["name"]), list(frame["matches"])]


def test_analyze_takes_no_region(capsys: pytest.CaptureFixture[str]) -> None:
    """analyze's --target only reads s3:// URLs (issue 11); --region is a usage error (exit 2)."""
    code, out, err = run(["analyze", str(SAMPLES / "aws_examples.json"), "--region", "us-east-1"], capsys)
    assert (2, "") == (code, out)
    assert "No such option '--region'" in err


def test_analyze_returns_a_summary_with_a_frame(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """run_analyze returns the summary (with .frame()), the charts written, and prints nothing."""
    result = run_analyze([SAMPLES / "password_guessing.json"], out=tmp_path)
    frame = result.frame()
    assert ["table", "value", "Failure", "Success", "total"] == list(frame.columns)
    assert 36 == int(frame.loc[frame["table"] == "user_type", "total"].sum())
    assert 4 == len(result.charts)
    assert ("", "") == capsys.readouterr()


def test_analyze_summary_to_json_round_trips() -> None:
    """Analysis.to_json() is plain JSON: the record count, every summary count, the chart paths."""
    from signin_lab.events.analyze import Analysis, Summary

    summary = Summary(1, "2024-01-01T00:00:00+00:00", "2024-01-01T00:00:00+00:00",
                      [("IAMUser", 1, 0)], [], [], [("Failed authentication", 1)], 0, [])
    analysis = Analysis(summary, 3, [Path("out/a.png")], report=None)  # type: ignore[arg-type]
    data = json.loads(json.dumps(analysis.to_json()))
    assert {"records": 3, "signins": 1, "charts": ["out/a.png"]} == {
        k: data[k] for k in ("records", "signins", "charts")}
    assert [["IAMUser", 1, 0]] == data["by_type"]


def test_analyze_out_an_existing_file_is_one_line(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """analyze --out FILE (an existing file) is one error line naming --out and the path, exit 2."""
    target = tmp_path / "taken.txt"
    target.write_text("not a folder")
    code, _, err = run(["analyze", str(SAMPLES / "password_guessing.json"), "--out", str(target)],
                       capsys)
    assert (2, 1) == (code, len(err.strip().splitlines()))
    assert err.startswith("signin-lab: error: --out: ") and str(target) in err


def test_analyze_out_unwritable_is_one_line(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    """analyze --out where no folder can be made (under a file: even root cannot) is one line."""
    blocker = tmp_path / "file"
    blocker.write_text("")
    out = blocker / "charts"
    code, _, err = run(["analyze", str(SAMPLES / "password_guessing.json"), "--out", str(out)],
                       capsys)
    assert (2, 1) == (code, len(err.strip().splitlines()))
    assert err.startswith("signin-lab: error: --out: ") and str(out) in err
