"""Backtest over s3:// archives (through the target's S3 client) and with the DuckDB engine."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import orjson
import pytest

from signin_lab import Lab
from signin_lab.backtest import backtest
from signin_lab.backtest.read import _volume
from signin_lab.cli import main
from signin_lab.errors import SigninLabError
from signin_lab.events import load_records
from signin_lab.events.samples import blog_test_signins
from signin_lab.events.sources import Prune

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "sample_events"
EMAIL = "you@example.com"
SMS = "+447700900123"


def _alerts(result) -> dict:
    """Each alert's timeline, emails and SMS, comparable across runs."""
    return {
        name: (a.changes.to_dict("records") if hasattr(a.changes, "to_dict") else list(a.changes),
               a.emails, a.sms, a.matches)
        for name, a in result.alerts.items()
    }


@pytest.fixture(scope="module")
def s3_and_local(tmp_path_factory):
    """(backtest of the trail's bucket on moto, backtest of the same records downloaded)."""
    folder = tmp_path_factory.mktemp("trail")
    with Lab.moto(region="eu-west-1") as lab:
        lab.deploy(email=EMAIL, sms=SMS)
        lab.replay(blog_test_signins())
        bucket = lab.config.bucket
        from_s3 = backtest(f"s3://{bucket}", lab.config, target=lab)
        s3 = lab.client("s3")
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
            for obj in page.get("Contents", []):
                path = folder / obj["Key"]
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(s3.get_object(Bucket=bucket, Key=obj["Key"])["Body"].read())
        config = lab.config
    return from_s3, backtest(folder, config)


def test_s3_backtest_reads_the_replayed_sign_ins(s3_and_local) -> None:
    """The trail's bucket after replaying the blog's test sign-ins holds every one of them."""
    from_s3, _ = s3_and_local
    assert len(blog_test_signins()) == from_s3.records


def test_s3_timeline_equals_the_local_backtest(s3_and_local) -> None:
    """Every alert's timeline, emails and SMS from s3:// equal the local files' backtest."""
    from_s3, local = s3_and_local
    assert _alerts(local) == _alerts(from_s3)


def test_s3_bill_equals_the_local_bill(s3_and_local) -> None:
    """The bill from s3:// (object sizes as fetched) equals the bill of the same files on disk."""
    from_s3, local = s3_and_local
    assert local.to_json()["bill"] == from_s3.to_json()["bill"]


def test_s3_without_target_is_an_error() -> None:
    """An s3:// source without a target is a one-line SigninLabError."""
    with pytest.raises(SigninLabError, match="needs a target"):
        backtest("s3://some-bucket/AWSLogs/")


def test_prune_leaves_out_days(tmp_path: Path) -> None:
    """--since after the archive's days leaves nothing to read: the empty-archive message."""
    with Lab.moto(region="eu-west-1") as lab:
        lab.deploy(email=EMAIL, sms=SMS)
        lab.replay(blog_test_signins())
        with pytest.raises(SigninLabError, match="no CloudTrail records in 0 file"):
            backtest(f"s3://{lab.config.bucket}", lab.config, target=lab,
                     prune=Prune(since=date(2099, 1, 1)))


def test_cli_backtest_s3_on_moto_server(server_lab: Lab, capsys: pytest.CaptureFixture[str]) -> None:
    """`signin-lab backtest s3://<trail bucket> --target URL` counts the replayed records."""
    server_lab.deploy(email=EMAIL, sms=SMS)
    server_lab.replay(blog_test_signins())
    url = server_lab.target.endpoint_url  # type: ignore[union-attr]
    with pytest.raises(SystemExit) as done:
        main(["backtest", f"s3://{server_lab.config.bucket}", "--target", str(url), "--format", "json"])
    out, _ = capsys.readouterr()
    assert (0, len(blog_test_signins())) == (done.value.code or 0, json.loads(out)["records"])


@pytest.mark.parametrize("name", ["password_guessing.json", "blog_test_signins", "root_at_night.json",
                                  "quiet_month"])
def test_duckdb_engine_equals_python_engine(name: str) -> None:
    """--engine duckdb gives the python engine's result: timelines, emails, SMS, volumes, bill."""
    path = SAMPLES / name
    assert backtest(path).to_json() == backtest(path, engine="duckdb").to_json()


def test_duckdb_engine_equals_python_engine_on_what_if() -> None:
    """The duckdb engine's series give the python engine's what-if timelines."""
    path = SAMPLES / "password_guessing.json"
    settings = {"evaluation_periods": 3, "datapoints_to_alarm": 2, "treat_missing_data": "notBreaching"}
    python = backtest(path).with_config(**settings).to_json()
    assert python == backtest(path, engine="duckdb").with_config(**settings).to_json()


def test_duckdb_refuses_skip() -> None:
    """--engine duckdb with on_error skip is refused, naming the python engine."""
    with pytest.raises(SigninLabError, match="use --engine python"):
        backtest(SAMPLES / "password_guessing.json", engine="duckdb", on_error="skip")


def test_duckdb_refuses_other_formats(tmp_path: Path) -> None:
    """A JSON Lines file is refused by the duckdb engine, naming the file."""
    path = tmp_path / "events.jsonl"
    path.write_bytes(b'{"eventTime":"2025-01-01T00:00:00Z","eventName":"x"}\n')
    with pytest.raises(SigninLabError, match="events.jsonl: --engine duckdb reads"):
        backtest(path, engine="duckdb")


def test_volume_bytes_are_compact_json_sizes() -> None:
    """The measured log bytes of a batch are the sum of each record's compact JSON size."""
    records = list(load_records(SAMPLES / "password_guessing.json"))
    month = [0, 0, 0, 0]
    _volume(month, records)
    assert sum(len(orjson.dumps(r)) for r in records) == month[1]


def test_jobs_give_the_same_result(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two processes reading chunks of the quiet month give one process's result exactly."""
    from signin_lab.backtest import jobs

    monkeypatch.setattr(jobs, "CHUNK", 2)
    path = SAMPLES / "quiet_month"
    assert backtest(path, jobs=1).to_json() == backtest(path, jobs=2).to_json()


def test_jobs_raise_the_first_bad_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bad file read in a worker process is a SigninLabError naming it."""
    from signin_lab.backtest import jobs

    monkeypatch.setattr(jobs, "CHUNK", 1)
    for i in range(3):
        (tmp_path / f"f{i}.json").write_bytes(orjson.dumps({"Records": [
            {"eventTime": f"2025-01-01T00:00:0{i}Z", "eventName": "x", "recipientAccountId": "123456789012"}]}))
    (tmp_path / "f1.json").write_bytes(b'{"Records": [1]}')
    with pytest.raises(SigninLabError, match="f1.json: record 0: expected a JSON object"):
        backtest(tmp_path, jobs=2)


def test_duckdb_leaves_out_other_regions_as_python_does() -> None:
    """For a single-Region trail both engines leave out, and note, the same other-Region records."""
    from signin_lab.config import LabConfig

    cfg = LabConfig(email=EMAIL, sms=SMS, trail_multi_region=False)
    path = SAMPLES / "root_at_night.json"
    python, duck = backtest(path, cfg), backtest(path, cfg, engine="duckdb")
    assert (python.to_json(), python.notes) == (duck.to_json(), duck.notes)
