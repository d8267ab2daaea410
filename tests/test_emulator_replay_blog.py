"""The blog's four test sign-ins replayed once on the deployed in-process stack, then only read:
the inbox, the alarm timeline, what was written back to CloudWatch, CloudWatch Logs and SNS."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from signin_lab import Lab
from signin_lab.events.samples import BLOG_START, blog_test_signins

EMAIL = "you@example.com"
SMS = "+447700900123"
ALARMS = [
    "signin-console-failure-iam",
    "signin-console-failure-root",
    "signin-console-success-iam",
    "signin-console-success-root",
]


@pytest.fixture(scope="module")
def blog_run() -> Iterator[tuple[Lab, Any]]:
    """The blog's stack deployed and its four test sign-ins replayed once for this module (every
    test here only reads the lab and the run; nothing else in this module starts moto)."""
    with Lab.moto(region="eu-west-1") as lab:
        lab.deploy(email=EMAIL, sms=SMS)
        yield lab, lab.replay(blog_test_signins())


def test_blog_signins_send_four_emails(blog_run) -> None:
    """Each of the four test sign-ins sends one ALARM email."""
    lab, _ = blog_run
    subjects = sorted(m.subject for m in lab.inbox() if m.protocol == "email")
    assert [f'ALARM: "{a}" in EU (Ireland)' for a in ALARMS] == subjects


def test_blog_signins_send_one_sms_for_root_success(blog_run) -> None:
    """Only the root-success topic has the SMS subscription."""
    lab, _ = blog_run
    sms = [(m.endpoint, m.body) for m in lab.inbox() if m.protocol == "sms"]
    assert [(SMS, 'ALARM: "signin-console-success-root" in EU (Ireland)')] == sms


def test_timeline_starts_each_alarm_in_insufficient_data(blog_run) -> None:
    """AWS starts a new alarm in INSUFFICIENT_DATA (moto says OK); the first row says so."""
    _, run = blog_run
    firsts = run.timeline.groupby("alarm")["state"].first().to_dict()
    assert dict.fromkeys(ALARMS, "INSUFFICIENT_DATA") == firsts


def test_timeline_of_one_alarm(blog_run) -> None:
    """failure-iam: grey, green with the first zeros, red for the failure, green again."""
    _, run = blog_run
    assert ["INSUFFICIENT_DATA", "OK", "ALARM", "OK"] == run.changes("signin-console-failure-iam")


def test_alarm_state_written_back(blog_run) -> None:
    """The emulator's last state of each alarm is what DescribeAlarms shows."""
    lab, run = blog_run
    described = {
        a["AlarmName"]: a["StateValue"]
        for a in lab.client("cloudwatch").describe_alarms()["MetricAlarms"]
    }
    assert run.states() == described


def test_one_log_event_per_record(blog_run) -> None:
    """Every record is one log event in the `<account>_CloudTrail_<region>` stream."""
    lab, run = blog_run
    events = lab.client("logs").get_log_events(
        logGroupName=lab.config.log_group_name, logStreamName=run.log_stream, startFromHead=True
    )["events"]
    assert (run.records, "123456789012_CloudTrail_eu-west-1") == (len(events), run.log_stream)


def test_log_events_keep_the_records(blog_run) -> None:
    """Each log event's message is a record, with its own eventTime, in time order."""
    lab, run = blog_run
    events = lab.client("logs").get_log_events(
        logGroupName=lab.config.log_group_name, logStreamName=run.log_stream, startFromHead=True
    )["events"]
    times = [json.loads(e["message"])["eventTime"] for e in events]
    assert sorted(r["eventTime"] for r in blog_test_signins()) == times


def test_historical_records_are_shifted_by_whole_days(blog_run) -> None:
    """2025 records are older than 14 days, so log timestamps move by whole days, none dropped."""
    _, run = blog_run
    shift = run.log_time_shift
    assert shift is not None and shift.days > 14 and shift == timedelta(days=shift.days)


def test_datapoints_written_to_cloudwatch(blog_run) -> None:
    """The failure-iam metric's Sum over the hour, read back from CloudWatch, is 1."""
    lab, _ = blog_run
    stats = lab.client("cloudwatch").get_metric_statistics(
        Namespace="CloudTrailMetrics",
        MetricName="signin-console-failure-iam",
        StartTime=BLOG_START,
        EndTime=BLOG_START + timedelta(hours=2),
        Period=7200,
        Statistics=["Sum"],
    )["Datapoints"]
    assert [1.0] == [d["Sum"] for d in stats]


def test_datapoints_frame_has_the_four_signins(blog_run) -> None:
    """run.datapoints has exactly one non-zero minute per sign-in."""
    _, run = blog_run
    nonzero = run.datapoints[run.datapoints["value"] > 0]
    assert ALARMS == sorted(nonzero["metric"])


def test_sns_message_published_with_reason(blog_run) -> None:
    """The email carries AWS's reason text for the ALARM transition."""
    lab, _ = blog_run
    first = next(m for m in lab.inbox() if m.protocol == "email")
    assert (
        "Threshold Crossed: 1 out of the last 1 datapoints [1.0 (03/03/25 09:04:00)] was greater "
        "than the threshold (0.0) (minimum 1 datapoint for OK -> ALARM transition)."
    ) in first.body


def test_figure_has_two_panels(blog_run) -> None:
    """The dashboard shows state bands and datapoints."""
    from signin_lab.charts import alarm_dashboard

    _, run = blog_run
    assert 2 == len(alarm_dashboard(run).axes)


def test_run_figure_is_deprecated_but_still_draws(blog_run) -> None:
    """ReplayRun.figure() warns DeprecationWarning and still returns the two-panel dashboard."""
    _, run = blog_run
    with pytest.warns(DeprecationWarning, match="alarm_dashboard"):
        fig = run.figure()
    assert 2 == len(fig.axes)
