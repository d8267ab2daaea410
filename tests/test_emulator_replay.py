"""End-to-end tests of the emulator on moto: delivery, metrics, alarms, SNS, drill, demo, errors."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import boto3
import pytest
from botocore.stub import Stubber

from signin_lab import Lab
from signin_lab.cli import main
from signin_lab.emulator import Emulator
from signin_lab.emulator.clock import to_millis
from signin_lab.errors import SigninLabError
from signin_lab.events.samples import BLOG_START, blog_test_signins, console_login

EMAIL = "you@example.com"
SMS = "+447700900123"
ALARMS = [
    "signin-console-failure-iam",
    "signin-console-failure-root",
    "signin-console-success-iam",
    "signin-console-success-root",
]


def test_s3_log_files_delivered(deployed: Lab) -> None:
    """Log files land under AWSLogs/<account>/CloudTrail/<region>/ as gzipped Records."""
    s3 = deployed.client("s3")
    bucket = deployed.config.bucket
    records = blog_test_signins()
    run = deployed.replay(records)
    total = sum(
        len(
            json.loads(gzip.decompress(s3.get_object(Bucket=bucket, Key=k)["Body"].read()))[
                "Records"
            ]
        )
        for k in run.log_files
    )
    prefixes = {k.split("/2025/")[0] for k in run.log_files}
    assert (len(records), True) == (
        total,
        prefixes
        <= {
            f"AWSLogs/123456789012/CloudTrail/{r}"
            for r in ("us-east-1", "eu-north-1", "eu-west-1", "us-east-2", "ap-southeast-2")
        },
    )


def test_replay_without_stack_is_clear_error(lab: Lab) -> None:
    """Replaying before deploy names the missing trail."""
    with pytest.raises(SigninLabError, match="trail 'events-management' not found"):
        lab.replay(blog_test_signins())


def test_non_cloudtrail_record_names_index(deployed: Lab) -> None:
    """A record that is not CloudTrail is refused with its index."""
    records = [*blog_test_signins()[:3], {"message": "hello"}]
    with pytest.raises(SigninLabError, match="record 3: not a CloudTrail record"):
        deployed.replay(records)


def _alarm_on_failure_iam(lab: Lab, **kwargs) -> None:
    base = {
        "AlarmName": "learner-alarm",
        "EvaluationPeriods": 1,
        "Threshold": 0.0,
        "ComparisonOperator": "GreaterThanThreshold",
    }
    lab.client("cloudwatch").put_metric_alarm(**base, **kwargs)


def test_metric_math_alarm_is_refused(deployed: Lab) -> None:
    """An alarm using metric math on a filter's metric names the alarm."""
    metric = {"Namespace": "CloudTrailMetrics", "MetricName": "signin-console-failure-iam"}
    _alarm_on_failure_iam(
        deployed,
        Metrics=[
            {
                "Id": "m1",
                "MetricStat": {"Metric": metric, "Period": 300, "Stat": "Sum"},
                "ReturnData": False,
            },
            {"Id": "e1", "Expression": "m1 * 2", "ReturnData": True},
        ],
    )
    with pytest.raises(SigninLabError, match="alarm 'learner-alarm': metric math"):
        deployed.replay(blog_test_signins())


def test_percentile_alarm_is_refused(deployed: Lab) -> None:
    """An alarm on a percentile of a filter's metric names the alarm."""
    _alarm_on_failure_iam(
        deployed,
        Namespace="CloudTrailMetrics",
        MetricName="signin-console-failure-iam",
        ExtendedStatistic="p99",
        Period=300,
    )
    with pytest.raises(SigninLabError, match="alarm 'learner-alarm': the percentile statistic"):
        deployed.replay(blog_test_signins())


def test_anomaly_band_alarm_is_refused(deployed: Lab) -> None:
    """An anomaly-detection alarm on a filter's metric names the alarm."""
    metric = {"Namespace": "CloudTrailMetrics", "MetricName": "signin-console-failure-iam"}
    deployed.client("cloudwatch").put_metric_alarm(
        AlarmName="learner-alarm",
        EvaluationPeriods=1,
        ThresholdMetricId="ad1",
        ComparisonOperator="GreaterThanUpperThreshold",
        Metrics=[
            {
                "Id": "m1",
                "MetricStat": {"Metric": metric, "Period": 300, "Stat": "Sum"},
                "ReturnData": True,
            },
            {"Id": "ad1", "Expression": "ANOMALY_DETECTION_BAND(m1, 2)", "ReturnData": True},
        ],
    )
    with pytest.raises(SigninLabError, match="alarm 'learner-alarm'"):
        deployed.replay(blog_test_signins())


def test_unrelated_alarm_is_left_alone(deployed: Lab) -> None:
    """An alarm on a metric no filter produces is not the emulator's business."""
    _alarm_on_failure_iam(
        deployed,
        Namespace="AWS/EC2",
        MetricName="CPUUtilization",
        ExtendedStatistic="p99",
        Period=300,
    )
    run = deployed.replay(blog_test_signins())
    assert "learner-alarm" not in run.states()


def test_actions_disabled_sends_nothing(deployed: Lab) -> None:
    """With ActionsEnabled false the alarm changes state but publishes nothing."""
    deployed.client("cloudwatch").disable_alarm_actions(AlarmNames=ALARMS)
    run = deployed.replay(blog_test_signins())
    assert ([], True) == (deployed.inbox(), "ALARM" in set(run.timeline["state"]))


def test_replay_refused_on_real_aws() -> None:
    """On real AWS, AWS runs the pipeline itself: replay points to drill instead."""
    lab = Lab.aws(confirm=True)
    with pytest.raises(SigninLabError, match="lab.drill"):
        lab.replay([])


def test_clock_does_not_go_back(deployed: Lab) -> None:
    """A second replay older than the clock is a clear error."""
    deployed.replay(blog_test_signins())
    with pytest.raises(SigninLabError, match="cannot go back"):
        deployed.replay(blog_test_signins())


def test_second_replay_continues_from_the_state(deployed: Lab) -> None:
    """A later replay starts each alarm where the previous one left it; the hour with no logs
    between the two replays is grey."""
    deployed.replay(blog_test_signins())
    run = deployed.replay(blog_test_signins(BLOG_START + timedelta(hours=2)))
    assert ["OK", "INSUFFICIENT_DATA", "OK", "ALARM", "OK"] == run.changes(
        "signin-console-failure-iam"
    )


def test_drill_on_moto_fires_one_alarm(deployed: Lab) -> None:
    """A drill of a failed root sign-in sends the failure-root email only."""
    drill = deployed.drill("failure", "root")
    subjects = [m.subject for m in deployed.inbox() if m.protocol == "email"]
    assert (['ALARM: "signin-console-failure-root" in EU (Ireland)'], "Root") == (
        subjects,
        drill.record["userIdentity"]["type"],
    )


def test_drill_on_aws_writes_one_log_event() -> None:
    """On real AWS the drill is one PutLogEvents into the trail's log group (stubbed here)."""
    lab = Lab.aws(confirm=True)
    now = datetime(2026, 5, 1, 12, 30, 15, tzinfo=UTC)
    lab._emulator = Emulator(lab, wall_clock=lambda: now)
    clients = {}
    for service in ("sts", "cloudtrail", "logs"):
        clients[service] = boto3.client(
            service, region_name="eu-west-1", aws_access_key_id="x", aws_secret_access_key="x"
        )
        lab.target._clients[f"{service}@eu-west-1"] = clients[service]
    stubs = {s: Stubber(c) for s, c in clients.items()}
    stubs["sts"].add_response("get_caller_identity", {"Account": "123456789012"})
    stubs["cloudtrail"].add_response(
        "get_trail",
        {
            "Trail": {
                "Name": "events-management",
                "CloudWatchLogsLogGroupArn": (
                    "arn:aws:logs:eu-west-1:123456789012:log-group:aws-cloudtrail-logs-signin-console:*"
                ),
            }
        },
        {"Name": "events-management"},
    )
    stubs["logs"].add_response(
        "create_log_stream",
        {},
        {"logGroupName": "aws-cloudtrail-logs-signin-console", "logStreamName": "signin-lab-drill"},
    )
    record = console_login("failure", "root", now, account_id="123456789012")
    stubs["logs"].add_response(
        "put_log_events",
        {},
        {
            "logGroupName": "aws-cloudtrail-logs-signin-console",
            "logStreamName": "signin-lab-drill",
            "logEvents": [
                {
                    "timestamp": to_millis(now),
                    "message": json.dumps(record, separators=(",", ":"), ensure_ascii=False),
                }
            ],
        },
    )
    for s in stubs.values():
        s.activate()
    drill = lab.drill("failure", "root")
    for s in stubs.values():
        s.assert_no_pending_responses()
    assert ("aws-cloudtrail-logs-signin-console", None) == (drill.log_group, drill.run)


def test_cli_demo_writes_chart(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`signin-lab demo --out DIR` prints the steps and saves the dashboard PNG."""
    with pytest.raises(SystemExit) as exit_info:
        main(["demo", "--out", str(tmp_path)])
    out = capsys.readouterr().out
    assert (0, True, True) == (
        exit_info.value.code,
        (tmp_path / "alarm-dashboard.png").exists(),
        "5. Inbox: 4 email(s), 1 SMS" in out,
    )


@pytest.mark.server
def test_replay_on_moto_server(server_lab: Lab) -> None:
    """The same pipeline works against a moto server."""
    server_lab.deploy(email=EMAIL, sms=SMS)
    run = server_lab.replay(blog_test_signins())
    emails = [m for m in server_lab.inbox() if m.protocol == "email"]
    assert (4, dict.fromkeys(ALARMS, "OK")) == (len(emails), run.states())


def test_cli_replay_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`signin-lab replay FILE` deploys on in-process moto, replays, and lists the emails."""
    path = tmp_path / "records.json"
    path.write_text(json.dumps({"Records": blog_test_signins()}))
    with pytest.raises(SystemExit) as exit_info:
        main(["replay", str(path)])
    out = capsys.readouterr().out
    assert (0, True) == (exit_info.value.code, "5. Inbox: 4 email(s), 1 SMS" in out)


def test_cli_replay_bad_record_is_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A non-CloudTrail record exits 2 with one line naming the record."""
    path = tmp_path / "records.json"
    path.write_text(json.dumps({"Records": [{"hello": "world"}]}))
    with pytest.raises(SystemExit) as exit_info:
        main(["replay", str(path)])
    err = capsys.readouterr().err
    assert (2, 1) == (exit_info.value.code, len(err.strip().splitlines()))
