"""Streaming replay: same results whether records stay in memory or spill to disk, progress, errors."""

from __future__ import annotations

import json
import os
import random
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from signin_lab import Lab
from signin_lab.cli import main
from signin_lab.emulator.delivery import event_time
from signin_lab.emulator.stream import SortedRecords
from signin_lab.errors import SigninLabError
from signin_lab.events.samples import BLOG_START, blog_test_signins, console_login

EMAIL = "you@example.com"
SMS = "+447700900123"


def mixed_records(n: int = 60) -> list[dict[str, Any]]:
    """`n` sign-ins over two hours, shuffled, with ties in time, two Regions and read-only flags."""
    rng = random.Random(7)
    out = []
    for i in range(n):
        outcome = ("failure", "success")[i % 2]
        user = ("iam", "root")[(i // 2) % 2]
        when = BLOG_START + timedelta(minutes=rng.randrange(120))
        rec = console_login(outcome, user, when, account_id="123456789012")
        rec["awsRegion"] = ("eu-west-1", "us-east-1")[i % 3 == 0]
        rec["eventID"] = f"id-{i:04d}"
        out.append(rec)
    rng.shuffle(out)
    return out


def summary(lab: Lab, run: Any) -> dict[str, Any]:
    """What a replay produced, as plain data."""
    return {
        "timeline": run.timeline.astype(str).values.tolist(),
        "datapoints": run.datapoints.astype(str).values.tolist(),
        "files": run.log_files, "events": run.log_events, "notes": run.notes,
        "shift": run.log_time_shift, "inbox": [(m.protocol, m.subject) for m in lab.inbox()],
    }


def replayed(records: list[dict[str, Any]], **replace: Any) -> dict[str, Any]:
    """Replay `records` on a fresh deployed lab and summarise the run."""
    with Lab.moto(region="eu-west-1") as lab:
        lab.deploy(email=EMAIL, sms=SMS, **replace)
        return summary(lab, lab.replay(records))


def test_spilled_replay_equals_in_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    """Spilling sorted runs every 7 records gives exactly the in-memory replay's results."""
    records = mixed_records()
    in_memory = replayed(records)
    monkeypatch.setattr(SortedRecords.__init__, "__defaults__", (7,))
    assert in_memory == replayed(records)


def test_spilled_replay_of_a_single_region_trail_keeps_the_notes(monkeypatch: pytest.MonkeyPatch) -> None:
    """A single-Region trail's 'not delivered' note counts the same when spilled."""
    records = mixed_records()
    in_memory = replayed(records, trail_multi_region=False)
    monkeypatch.setattr(SortedRecords.__init__, "__defaults__", (5,))
    spilled = replayed(records, trail_multi_region=False)
    assert (in_memory, True) == (spilled, any("not multi-Region" in n for n in spilled["notes"]))


def test_sorted_records_order_is_a_stable_time_sort() -> None:
    """Read back across spills, records come in sorted(key=eventTime) order, ties in input order."""
    records = mixed_records(50)
    got = [r["eventID"] for _, _, r in SortedRecords(spill_at=4).add_all(records)]
    assert [r["eventID"] for r in sorted(records, key=event_time)] == got


def test_spill_folder_is_removed_after_reading() -> None:
    """The temporary runs are deleted once the records have been read."""
    before = set(os.listdir(tempfile.gettempdir()))
    ordered = SortedRecords(spill_at=3).add_all(mixed_records(10))
    list(ordered)
    assert set() == {p for p in set(os.listdir(tempfile.gettempdir())) - before
                     if p.startswith("signin-lab-replay-")}


def test_bad_record_names_its_index() -> None:
    """A record without eventName is a SigninLabError naming its index in the input."""
    good = blog_test_signins()
    records: list[Any] = [*good, {"eventTime": "2025-03-03T09:00:00Z", "eventSource": "x"}]
    with pytest.raises(SigninLabError, match=rf"^record {len(good)}: not a CloudTrail record \(no eventName\)"):
        SortedRecords().add_all(records)


def test_progress_reports_every_record(deployed: Lab) -> None:
    """progress(done, total) ends at (total, total) and never goes back."""
    calls: list[tuple[int, int]] = []
    deployed.replay(mixed_records(30), progress=lambda done, total: calls.append((done, total)))
    assert ((30, 30), True) == (calls[-1], calls == sorted(calls))


def test_result_is_identical_to_the_blog_run(deployed: Lab) -> None:
    """The blog's four sign-ins still send four emails and one SMS through the streamed path."""
    deployed.replay(blog_test_signins())
    inbox = deployed.inbox()
    assert (4, 1) == (sum(m.protocol == "email" for m in inbox), sum(m.protocol == "sms" for m in inbox))


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run the CLI in-process and return (exit status, stdout, stderr)."""
    with pytest.raises(SystemExit) as info:
        main(argv)
    out, err = capsys.readouterr()
    return int(info.value.code or 0), out, err


def two_files(tmp_path: Path) -> Path:
    """good.json: the blog's test sign-ins; bad.json: one good record then one without eventName."""
    (tmp_path / "good.json").write_text(json.dumps({"Records": blog_test_signins()}))
    bad = {"eventTime": "2025-03-03T09:30:00Z", "eventSource": "signin.amazonaws.com"}
    (tmp_path / "bad.json").write_text(json.dumps({"Records": [blog_test_signins()[0], bad]}))
    return tmp_path


def test_cli_replay_error_names_file_and_record(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """replay names the bad record's file and its index within that file (record 1, not 5)."""
    code, _, err = run_cli(["replay", str(two_files(tmp_path))], capsys)
    assert (2, True) == (code, "bad.json: record 1: not a CloudTrail record (no eventName)" in err)


def test_cli_replay_on_error_skip_lists_the_skipped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """replay --on-error skip replays the rest and names each skipped record on stderr."""
    code, out, err = run_cli(["replay", str(two_files(tmp_path)), "--on-error", "skip"], capsys)
    skipped = [line for line in err.splitlines() if line.startswith("signin-lab: skipped record: ")]
    assert (0, 1, True) == (code, len(skipped), "bad.json: record 1" in skipped[0])
    assert "5. Inbox:" in out
