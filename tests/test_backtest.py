"""Backtest: per-alert results, what-ifs on the stored series, the measured bill, bad input, the CLI."""

from __future__ import annotations

import gzip
import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import signin_lab
from signin_lab.backtest import backtest, filters_for
from signin_lab.cli import main
from signin_lab.config import LabConfig
from signin_lab.emulator.delivery import log_message
from signin_lab.emulator.metrics import Datapoint, LogEvent, datapoints
from signin_lab.emulator.replay import run_alarm
from signin_lab.emulator.series import MinuteSeries, run_alarm_series
from signin_lab.errors import SigninLabError
from signin_lab.events import load_records
from signin_lab.events.samples import console_login

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "sample_events"
GUESSING = SAMPLES / "password_guessing.json"
QUIET = SAMPLES / "quiet_month"


@pytest.fixture(scope="module")
def guessing():
    """The password-guessing sample backtested with the blog's settings."""
    return backtest(GUESSING)


@pytest.fixture(scope="module")
def quiet():
    """The quiet month backtested with the blog's settings."""
    return backtest(QUIET)


def _write(path: Path, records: list[dict]) -> Path:
    path.write_text(json.dumps({"Records": records}))
    return path


def test_package_is_callable() -> None:
    """`signin_lab.backtest(source)` runs a backtest (the package is callable)."""
    assert 40 == signin_lab.backtest(GUESSING).records  # type: ignore[operator]


def test_matches_are_the_failed_sign_ins(guessing) -> None:
    """The 36 failed IAM sign-ins of the sample are the failure-iam filter's matches."""
    assert 36 == guessing.alerts["signin-console-failure-iam"].matches


def test_burst_sends_one_email(guessing) -> None:
    """The burst puts the alarm in ALARM once: one email, no SMS (failure-iam has no SMS topic)."""
    a = guessing.alerts["signin-console-failure-iam"]
    assert (1, 0) == (a.emails, a.sms)


def test_first_and_last_match(guessing) -> None:
    """First and last match are the burst's first and last failed sign-in times."""
    a = guessing.alerts["signin-console-failure-iam"]
    assert ("2025-03-12T02:10:05Z", "2025-03-12T02:17:59Z") == (a.first_match, a.last_match)


def test_longest_time_in_alarm(guessing) -> None:
    """The alarm stays in ALARM from the burst's first evaluated period until 5 minutes after it."""
    a = guessing.alerts["signin-console-failure-iam"]
    assert 18 == a.longest_alarm_minutes == a.alarm_minutes


def test_nonzero_minutes(guessing) -> None:
    """The burst's failed sign-ins fall in 8 distinct minutes."""
    assert 8 == guessing.alerts["signin-console-failure-iam"].nonzero_minutes


def test_quiet_month_flaps_between_ok_and_insufficient_data(quiet) -> None:
    """Sparse traffic with treat_missing_data=missing flips the alarms to INSUFFICIENT_DATA
    and back hundreds of times, with no action: no email is sent for those changes."""
    a = quiet.alerts["signin-console-failure-root"]
    assert (0, True) == (a.emails, len(a.changes) > 500)


def test_management_events_per_month(quiet) -> None:
    """Every record of the quiet month is a management event of February 2025."""
    assert {"2025-02": quiet.records} == quiet.management_events_per_month


def test_log_bytes_are_the_messages_bytes() -> None:
    """The bytes ingested are the UTF-8 sizes of the log events' messages, as delivery writes them."""
    expected = sum(len(log_message(r).encode("utf-8")) for r in load_records(GUESSING))
    assert expected == backtest(GUESSING).log_bytes


def test_json_shape(guessing) -> None:
    """--format json carries exactly the issue's keys."""
    data = guessing.to_json()
    alert = data["alerts"]["signin-console-failure-iam"]
    assert (
        ["alerts", "bill", "months", "records"],
        ["alarm_minutes", "emails", "matches", "sms", "transitions"],
        ["lines", "total"],
    ) == (sorted(data), sorted(alert), sorted(data["bill"]))


def test_every_bill_line_names_its_measured_number(quiet) -> None:
    """Each line of both regimes' bills says which measured figure it used."""
    lines = quiet.bill_lines("legacy") + quiet.bill_lines("free")
    assert all(line.measured for line in lines)


def test_both_free_tier_regimes_priced(quiet) -> None:
    """The legacy free tier and the new free plan are both priced."""
    assert ["free", "legacy"] == sorted(quiet.bills)


def test_log_ingestion_line_uses_measured_bytes(quiet) -> None:
    """The ingestion line's quantity is the measured bytes in GB."""
    line = next(ln for ln in quiet.bill_lines() if "ingested" in ln.item)
    assert quiet.log_bytes / 1e9 == pytest.approx(line.quantity)


def test_what_if_does_not_reread(guessing, monkeypatch) -> None:
    """with_config re-runs the alarms without reading any file."""
    from signin_lab.events import load

    monkeypatch.setattr(load, "load_records", lambda *a, **k: pytest.fail("archive re-read"))
    other = guessing.with_config(threshold=5.0)
    assert 5.0 == other.config.threshold


def test_what_if_equals_a_fresh_backtest(guessing) -> None:
    """A what-if gives the same timeline as backtesting again with that configuration."""
    settings = {"period": 60, "evaluation_periods": 3, "datapoints_to_alarm": 2,
                "treat_missing_data": "notBreaching", "threshold": 5.0}
    fresh = backtest(GUESSING, config=guessing.config.replace(**settings))
    assert fresh.timeline.equals(guessing.with_config(**settings).timeline)


def test_what_if_higher_threshold_is_quieter(guessing) -> None:
    """With a threshold of 40 a 5-minute Sum of the burst (at most 26) never alarms."""
    assert 0 == guessing.with_config(threshold=40.0).alerts["signin-console-failure-iam"].emails


def test_what_if_refused_settings_are_labconfig_errors(guessing) -> None:
    """A setting CloudWatch refuses raises LabConfig's own error."""
    with pytest.raises(SigninLabError, match=r"LabConfig.datapoints_to_alarm=4"):
        guessing.with_config(evaluation_periods=3, datapoints_to_alarm=4)


def test_what_if_refuses_pattern_changes(guessing) -> None:
    """Changing what the filters match needs a new backtest: a SigninLabError says so."""
    with pytest.raises(SigninLabError, match="run backtest again"):
        guessing.with_config(patterns={"failure-iam": '{ $.eventName = "X" }'})


def test_high_resolution_period_is_refused(guessing) -> None:
    """Period 10 is a valid LabConfig but the emulator models standard resolution only."""
    with pytest.raises(SigninLabError, match="Period 10"):
        guessing.with_config(period=10)


def test_series_equal_metrics_datapoints() -> None:
    """MinuteSeries gives exactly the Datapoints metrics.datapoints gives, in any event order."""
    cfg = LabConfig()
    filters = filters_for(cfg)
    records = list(load_records(QUIET))
    events = [LogEvent(datetime.fromisoformat(r["eventTime"]), log_message(r), r) for r in records]
    random.Random(7).shuffle(events)
    assert datapoints(events, filters) == MinuteSeries.from_events(events, filters).datapoints()


def test_run_alarm_series_equals_run_alarm(quiet) -> None:
    """The remembering evaluator gives the emulator's transitions on a month of flapping."""
    from signin_lab.backtest.result import alarm_spec

    for i, alert in enumerate(quiet.config.alerts):
        spec = alarm_spec(quiet.config, alert)
        points = quiet.group.series.by_minute(i, 0.0)
        expected = run_alarm(spec, points, quiet.start, quiet.end, "INSUFFICIENT_DATA")
        assert expected == run_alarm_series(spec, points, quiet.start, quiet.end, "INSUFFICIENT_DATA")


def test_run_alarm_series_with_breaching_and_gaps() -> None:
    """Both evaluators agree on a sparse series with treat_missing_data=breaching, M of N."""
    from signin_lab.emulator.replay import AlarmSpec

    raw = {"AlarmName": "a", "Namespace": "n", "MetricName": "m", "Statistic": "Sum",
           "Period": 120, "EvaluationPeriods": 3, "DatapointsToAlarm": 2, "Threshold": 1.0,
           "ComparisonOperator": "GreaterThanOrEqualToThreshold", "TreatMissingData": "breaching",
           "AlarmActions": ["arn:aws:sns:eu-west-1:123456789012:t"]}
    spec = AlarmSpec.from_aws(raw)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    rng = random.Random(3)
    points = {}
    for k in range(600):
        if rng.random() < 0.2:
            m = start + timedelta(minutes=k)
            v = float(rng.choice((0, 0, 1, 2)))
            points[m] = [Datapoint(m, "n", "m", 1.0, v, v, v)]
    end = start + timedelta(minutes=610)
    assert run_alarm(spec, points, start, end, "INSUFFICIENT_DATA") == run_alarm_series(
        spec, points, start, end, "INSUFFICIENT_DATA"
    )


def test_out_of_order_files_give_the_same_result(tmp_path) -> None:
    """Records shuffled across files are placed by eventTime: same timeline, none dropped."""
    records = list(load_records(GUESSING))
    random.Random(1).shuffle(records)
    for k in range(4):
        _write(tmp_path / f"part{k}.json", records[k::4])
    result = backtest(tmp_path)
    expected = backtest(GUESSING)
    assert (expected.records, True) == (result.records, expected.timeline.equals(result.timeline))


def test_empty_archive_is_a_clear_error(tmp_path) -> None:
    """An archive with no records is a SigninLabError, not an empty bill."""
    _write(tmp_path / "empty.json", [])
    with pytest.raises(SigninLabError, match="no CloudTrail records"):
        backtest(tmp_path)


def test_other_accounts_are_left_out_and_named(tmp_path) -> None:
    """Records of another account are left out, and a note says how many and why."""
    when = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
    mine = [console_login("failure", "iam", when + timedelta(minutes=k)) for k in range(3)]
    theirs = [console_login("failure", "iam", when, account_id="210987654321", seed=k) for k in range(2)]
    _write(tmp_path / "mixed.json", mine + theirs)
    result = backtest(tmp_path)
    assert (3, True) == (
        result.records,
        any("left out 2 record(s) of account 210987654321" in n for n in result.notes),
    )


def test_account_option_selects_the_other_account(tmp_path) -> None:
    """--account picks the account the log group receives."""
    when = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
    mine = [console_login("failure", "iam", when + timedelta(minutes=k)) for k in range(3)]
    theirs = [console_login("failure", "iam", when, account_id="210987654321", seed=k) for k in range(2)]
    _write(tmp_path / "mixed.json", mine + theirs)
    assert 2 == backtest(tmp_path, account="210987654321").records


def test_two_trails_keep_the_larger_and_name_the_other(tmp_path) -> None:
    """Two trails' S3 prefixes in one archive: one is kept, the other's records are named."""
    when = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
    for trail, n in (("trail-a", 3), ("trail-b", 1)):
        folder = tmp_path / trail / "AWSLogs" / "123456789012" / "CloudTrail" / "us-east-1"
        folder.mkdir(parents=True)
        recs = [console_login("failure", "iam", when + timedelta(minutes=k), seed=k) for k in range(n)]
        (folder / "f.json.gz").write_bytes(gzip.compress(json.dumps({"Records": recs}).encode()))
    result = backtest(tmp_path)
    assert (3, True) == (result.records, any("left out 1 record(s)" in n and "trail-b" in n for n in result.notes))


def test_trail_option_selects_the_trail(tmp_path) -> None:
    """--trail picks the trail by the end of its S3 prefix."""
    when = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
    for trail, n in (("trail-a", 3), ("trail-b", 1)):
        folder = tmp_path / trail / "AWSLogs" / "123456789012" / "CloudTrail" / "us-east-1"
        folder.mkdir(parents=True)
        recs = [console_login("failure", "iam", when + timedelta(minutes=k), seed=k) for k in range(n)]
        (folder / "f.json.gz").write_bytes(gzip.compress(json.dumps({"Records": recs}).encode()))
    assert 1 == backtest(tmp_path, trail="trail-b").records


def test_unknown_engine_is_named() -> None:
    """An engine backtest does not have is a SigninLabError naming it and the engines it has."""
    with pytest.raises(SigninLabError, match="--engine 'spark': backtest reads archives with python, duckdb"):
        backtest(GUESSING, engine="spark")


def test_cli_json(capsys) -> None:
    """`signin-lab backtest --format json` prints the result's JSON."""
    with pytest.raises(SystemExit) as done:
        main(["backtest", str(GUESSING), "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert (0, 36) == (done.value.code, data["alerts"]["signin-console-failure-iam"]["matches"])


def test_cli_refused_setting_exits_2(capsys) -> None:
    """A what-if CloudWatch refuses is one line on stderr and exit 2."""
    with pytest.raises(SystemExit) as done:
        main(["backtest", str(GUESSING), "--evaluation-periods", "2", "--datapoints-to-alarm", "3"])
    err = capsys.readouterr().err
    assert (2, 1) == (done.value.code, len(err.strip().splitlines()))


def test_cli_out_writes_a_chart_per_alert(tmp_path, capsys) -> None:
    """--out writes one PNG per alert and the JSON."""
    with pytest.raises(SystemExit):
        main(["backtest", str(GUESSING), "--out", str(tmp_path)])
    assert 5 == len(list(tmp_path.iterdir()))


def test_sms_priced_for_the_fictional_uk_number(quiet) -> None:
    """The root sign-in's SMS to +44 7700 900123 is priced as a UK text."""
    assert {"GB": 1} == dict(quiet.bills["legacy"].scenario.sms_per_month)


@pytest.mark.parametrize("when", ["yesterday", "not-a-time-at-all--Z"])  # the second of the usual length
def test_bad_event_time_names_the_file(tmp_path, when: str) -> None:
    """A record whose eventTime is not a time is an error naming the file, whatever its length."""
    record = console_login("failure", "iam", datetime(2025, 3, 3, 9, 0, tzinfo=UTC))
    record["eventTime"] = when
    path = _write(tmp_path / "bad.json", [record])
    with pytest.raises(SigninLabError, match="bad.json"):
        backtest(path)


def test_skipped_input_is_in_the_notes(tmp_path) -> None:
    """With on_error="skip" a bad record is counted in the notes, not dropped silently."""
    good = console_login("failure", "iam", datetime(2025, 3, 3, 9, 0, tzinfo=UTC))
    _write(tmp_path / "mixed.json", [good, {"eventName": "no time"}])
    result = backtest(tmp_path, on_error="skip")
    assert (1, True) == (result.records, any("no eventTime" in n for n in result.notes))


def test_records_without_account_join_the_chosen_account(tmp_path) -> None:
    """Records with no recipientAccountId count with the chosen account, and a note says so."""
    when = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
    named = [console_login("failure", "iam", when + timedelta(minutes=k), seed=k) for k in range(2)]
    unnamed = console_login("failure", "iam", when, seed=9)
    del unnamed["recipientAccountId"]
    _write(tmp_path / "a.json", named)
    _write(tmp_path / "b.json", [unnamed])
    result = backtest(tmp_path)
    assert (3, 3, True) == (
        result.records,
        result.alerts["signin-console-failure-iam"].matches,
        any("without recipientAccountId" in n for n in result.notes),
    )


def test_data_events_are_not_management_events(tmp_path) -> None:
    """A data event (eventCategory Data) is priced as a data event, not a management event."""
    when = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
    sign_in = console_login("failure", "iam", when)
    data = {**console_login("failure", "iam", when, seed=1), "eventName": "GetObject",
            "eventSource": "s3.amazonaws.com", "eventCategory": "Data", "managementEvent": False}
    _write(tmp_path / "two.json", [sign_in, data])
    scenario = backtest(tmp_path).bill.scenario
    assert (1, 1) == (scenario.management_events_per_month, scenario.data_events_per_month)


def test_cli_without_sms_counts_no_texts(capsys) -> None:
    """--sms '' leaves the SMS subscriber out: no text is counted."""
    with pytest.raises(SystemExit):
        main(["backtest", str(QUIET), "--format", "json", "--sms", ""])
    data = json.loads(capsys.readouterr().out)
    assert 0 == sum(a["sms"] for a in data["alerts"].values())
