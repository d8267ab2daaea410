"""The backtest's fast path (signin_lab.backtest.files) gives exactly what load.py's reader gives.

Each archive is backtested twice, with the fast path and with every file read by load.py's
reader and read._Reader.add, and the results must be equal: groups, volumes (log bytes
included), series, matches, timelines, bills. The archives include what the fast path must
hand back: several accounts, a month's end inside a file, other Regions, escapes, names that are
not ASCII, records without an account and odd eventTimes.
"""

from __future__ import annotations

import gzip
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest

from signin_lab.backtest import backtest, files
from signin_lab.config import LabConfig
from signin_lab.events.samples import console_login, ordinary_traffic

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "sample_events"


def _archive(root: Path) -> Path:
    """Delivery files of a month's end with sign-ins, and the cases the fast path gives back."""
    start = datetime(2025, 1, 31, 23, 40, tzinfo=UTC)
    recs = ordinary_traffic(start, start + timedelta(hours=1), seed=5, service_per_hour=(60, 90),
                            human_per_hour=(60, 90))
    recs += [console_login("failure", "iam", start + timedelta(minutes=m), seed=m) for m in range(0, 50, 3)]
    recs += [console_login("success", "root", start + timedelta(minutes=m), seed=m) for m in (5, 41)]
    recs.sort(key=lambda r: r["eventTime"])
    recs[3]["userAgent"] = 'say "hi" \\ Jos\u00e9'
    recs[7]["requestParameters"] = {"policyDocument": '{"Statement":[{"Effect":"Deny"}]}'}
    files_ = [recs[i: i + 12] for i in range(0, len(recs), 12)]
    files_[1][4] = {**files_[1][4], "recipientAccountId": "210987654321"}  # a second account
    files_[2][2] = {k: v for k, v in files_[2][2].items() if k != "recipientAccountId"}
    files_[3][1] = {**files_[3][1], "awsRegion": "ap-south-1"}
    files_[4][0] = {**files_[4][0], "eventTime": "2025-01-31T23:59:59.500Z"}
    for i, batch in enumerate(files_):
        path = root / "AWSLogs" / "123456789012" / "CloudTrail" / "eu-west-1" / f"f{i:03d}.json.gz"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(gzip.compress(orjson.dumps({"Records": batch})))
    return root


def _both(source: Path, monkeypatch: pytest.MonkeyPatch, **kwargs: Any) -> tuple[Any, Any, int]:
    folded = []
    real_fold = files.fold

    def counting(*args: Any) -> bool:
        done = real_fold(*args)
        folded.append(done)
        return done

    monkeypatch.setattr(files, "fold", counting)
    fast = backtest(source, jobs=1, **kwargs)
    monkeypatch.setattr(files, "projection_for", lambda reader: None)
    slow = backtest(source, jobs=1, **kwargs)
    return fast, slow, sum(folded)


def _same(fast: Any, slow: Any) -> None:
    assert slow.to_json() == fast.to_json()
    group, other = slow.group, fast.group
    assert (group.trail, group.account, group.months, group.matches, group.first_match, group.last_match,
            group.files) == (other.trail, other.account, other.months, other.matches, other.first_match,
                             other.last_match, other.files)
    assert group.series.events == other.series.events
    assert group.series.stats == other.series.stats
    assert (slow.notes, slow.log_bytes, slow.management_events_per_month, slow.start, slow.end) == (
        fast.notes, fast.log_bytes, fast.management_events_per_month, fast.start, fast.end)
    assert {a: r.timeline for a, r in slow.alerts.items()} == {a: r.timeline for a, r in fast.alerts.items()}


@pytest.mark.parametrize("sample", ["password_guessing.json", "quiet_month", "blog_test_signins"])
def test_samples_read_the_same_both_ways(sample: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, slow, folded = _both(SAMPLES / sample, monkeypatch)
    _same(fast, slow)
    assert folded > 0 or sample == "password_guessing.json"  # that sample is not a delivery document


def test_hard_archive_reads_the_same_both_ways(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, slow, folded = _both(_archive(tmp_path), monkeypatch)
    _same(fast, slow)
    assert sum(fast.to_json()["alerts"][a]["matches"] for a in fast.to_json()["alerts"]) > 0
    assert 0 < folded < len(list(tmp_path.rglob("*.json.gz")))  # some files fast, the odd ones not


def test_single_region_trail_reads_the_same_both_ways(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = LabConfig(trail_multi_region=False, region="eu-west-1")
    fast, slow, _ = _both(_archive(tmp_path), monkeypatch, config=cfg)
    _same(fast, slow)


def test_a_number_orjson_refuses_is_reported_as_load_py_reports_it(tmp_path: Path) -> None:
    """A sign-in whose userIdentity holds 1e400: the fast path hands the file back, and the
    backtest stops with load.py's error naming the file, as without the fast path."""
    from signin_lab.errors import SigninLabError

    rec = console_login("failure", "iam", datetime(2025, 1, 6, tzinfo=UTC))
    text = orjson.dumps({"Records": [rec]}).replace(b'"type":"IAMUser"', b'"type":"IAMUser","n":1e400')
    path = tmp_path / "f.json.gz"
    path.write_bytes(gzip.compress(text))
    with pytest.raises(SigninLabError, match=r"f\.json\.gz.*(JSON|number)"):
        backtest(path, jobs=1)
