"""Tests for signin_lab.emulator.notify and delivery: SNS alarm message, inbox, CloudTrail files."""

from __future__ import annotations

import gzip
import json
import re
from datetime import UTC, datetime

import pytest

from signin_lab.emulator.delivery import (
    check_records,
    delivery_time,
    log_files,
    log_stream_name,
    object_key,
)
from signin_lab.emulator.notify import alarm_message, deliveries, email_text, subject
from signin_lab.errors import SigninLabError

T = datetime(2025, 3, 3, 9, 9, tzinfo=UTC)
ALARM = {
    "AlarmName": "signin-console-failure-root",
    "AlarmArn": "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:signin-console-failure-root",
    "AlarmActions": ["arn:aws:sns:eu-west-1:123456789012:signin-console-failure-root"],
    "MetricName": "signin-console-failure-root",
    "Namespace": "CloudTrailMetrics",
    "Statistic": "Sum",
    "Period": 300,
    "EvaluationPeriods": 1,
    "DatapointsToAlarm": 1,
    "ComparisonOperator": "GreaterThanThreshold",
    "Threshold": 0.0,
    "TreatMissingData": "missing",
}
TOPIC = ALARM["AlarmActions"][0]
# The documented schema's keys (Notify_Users_Alarm_Changes.html, "Schema of Amazon SNS
# notifications when alarms change state").
SCHEMA_KEYS = {
    "AlarmName",
    "AlarmDescription",
    "AWSAccountId",
    "AlarmConfigurationUpdatedTimestamp",
    "NewStateValue",
    "NewStateReason",
    "StateChangeTime",
    "Region",
    "AlarmArn",
    "OldStateValue",
    "OKActions",
    "AlarmActions",
    "InsufficientDataActions",
    "Trigger",
}
TRIGGER_KEYS = {
    "MetricName",
    "Namespace",
    "StatisticType",
    "Statistic",
    "Unit",
    "Dimensions",
    "Period",
    "EvaluationPeriods",
    "DatapointsToAlarm",
    "ComparisonOperator",
    "Threshold",
    "TreatMissingData",
    "EvaluateLowSampleCountPercentile",
}


def _message() -> dict:
    return alarm_message(
        ALARM,
        old_state="OK",
        new_state="ALARM",
        reason="Threshold Crossed: ...",
        time=T,
        account_id="123456789012",
        region="eu-west-1",
    )


def test_message_has_the_documented_schema() -> None:
    """The message has exactly the documented top-level keys."""
    assert SCHEMA_KEYS == set(_message())


def test_message_trigger_has_the_documented_schema() -> None:
    """The Trigger has exactly the documented keys."""
    assert TRIGGER_KEYS == set(_message()["Trigger"])


def test_message_quirks_follow_aws_example() -> None:
    """Upper-case Statistic, the odd TreatMissingData string and the StateChangeTime format."""
    m = _message()
    assert (
        "SUM",
        "- TreatMissingData:                    missing",
        "2025-03-03T09:09:00.000+0000",
    ) == (m["Trigger"]["Statistic"], m["Trigger"]["TreatMissingData"], m["StateChangeTime"])


def test_subject_names_alarm_and_region() -> None:
    """Subject `ALARM: "<name>" in <Region long name>` (observed format)."""
    assert 'ALARM: "signin-console-failure-root" in EU (Ireland)' == subject(
        "ALARM", "signin-console-failure-root", "eu-west-1"
    )


def test_subject_fits_sns_limit() -> None:
    """SNS subjects must be under 100 characters."""
    assert 99 == len(subject("ALARM", "x" * 200, "eu-west-1"))


def test_email_text_states_the_change_and_reason() -> None:
    """The email says which alarm entered which state, and why."""
    text = email_text(_message(), "eu-west-1", T)
    assert (
        '"signin-console-failure-root" in the EU (Ireland) region has entered the ALARM state'
        in text
    )


def _subs() -> list[dict]:
    return [
        {"Protocol": "email", "Endpoint": "you@example.com", "SubscriptionArn": f"{TOPIC}:1"},
        {"Protocol": "sms", "Endpoint": "+447700900123", "SubscriptionArn": f"{TOPIC}:2"},
        {
            "Protocol": "email",
            "Endpoint": "later@example.com",
            "SubscriptionArn": "PendingConfirmation",
        },
        {
            "Protocol": "sqs",
            "Endpoint": "arn:aws:sqs:eu-west-1:123456789012:q",
            "SubscriptionArn": f"{TOPIC}:3",
        },
    ]


def test_deliveries_reach_confirmed_email_and_sms_only() -> None:
    """Confirmed email and SMS subscriptions receive; pending ones and queues are not inboxes."""
    got = deliveries(TOPIC, _subs(), _message(), T, "eu-west-1")
    assert [("email", "you@example.com"), ("sms", "+447700900123")] == [
        (m.protocol, m.endpoint) for m in got
    ]


def test_sms_is_the_subject_line() -> None:
    """The SMS text is the subject line (observed, not documented)."""
    sms = [m for m in deliveries(TOPIC, _subs(), _message(), T, "eu-west-1") if m.protocol == "sms"]
    assert ['ALARM: "signin-console-failure-root" in EU (Ireland)'] == [m.body for m in sms]


# -- CloudTrail delivery ---------------------------------------------------------------------------
KEY = re.compile(
    r"^AWSLogs/(\d{12})/CloudTrail/([a-z0-9-]+)/(\d{4})/(\d{2})/(\d{2})/"
    r"\1_CloudTrail_\2_(\d{8}T\d{4}Z)_([A-Za-z0-9]{16})\.json\.gz$"
)


def _record(time: str, region: str = "us-east-1") -> dict:
    return {
        "eventTime": time,
        "eventSource": "signin.amazonaws.com",
        "eventName": "ConsoleLogin",
        "awsRegion": region,
    }


def test_object_key_matches_documented_example() -> None:
    """The documented example key is reproduced from its parts."""
    key = object_key(
        "111122223333", "us-east-2", datetime(2015, 8, 1, 2, 10, tzinfo=UTC), "Mu0KsOhtH1ar15ZZ"
    )
    assert (
        "AWSLogs/111122223333/CloudTrail/us-east-2/2015/08/01/"
        "111122223333_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz"
    ) == key


def test_object_key_with_prefix() -> None:
    """An S3 key prefix goes before AWSLogs/."""
    key = object_key("111122223333", "us-east-2", T, "A" * 16, prefix="trail/")
    assert key.startswith("trail/AWSLogs/111122223333/")


def test_log_files_follow_the_key_layout() -> None:
    """Every generated key has the documented layout with a 16-character unique string."""
    files = log_files(
        [_record("2025-03-03T09:08:20Z"), _record("2025-03-03T09:20:40Z", "eu-north-1")],
        "123456789012",
    )
    assert all(KEY.match(f.key) for f in files) and 2 == len(files)


def test_log_file_body_is_gzipped_records() -> None:
    """The body is gzipped `{"Records": [...]}`."""
    (f,) = log_files([_record("2025-03-03T09:08:20Z")], "123456789012")
    assert {"Records": [_record("2025-03-03T09:08:20Z")]} == json.loads(gzip.decompress(f.body))


def test_delivery_time_is_end_of_five_minute_window() -> None:
    """A record at 09:08:20 is in the file delivered at 09:10."""
    assert datetime(2025, 3, 3, 9, 10, tzinfo=UTC) == delivery_time(
        datetime(2025, 3, 3, 9, 8, 20, tzinfo=UTC)
    )


def test_log_stream_name() -> None:
    """CloudTrail's stream is `account_ID_CloudTrail_region`."""
    assert "123456789012_CloudTrail_eu-west-1" == log_stream_name("123456789012", "eu-west-1")


def test_non_cloudtrail_record_names_its_index() -> None:
    """A record without eventTime/eventSource/eventName is refused, naming its index."""
    with pytest.raises(SigninLabError, match=r"^record 1: not a CloudTrail record \(no eventTime"):
        check_records([_record("2025-03-03T09:08:20Z"), {"hello": "world"}])


def test_non_object_record_names_its_index() -> None:
    """A record that is not a JSON object is refused, naming its index."""
    with pytest.raises(
        SigninLabError, match=r"^record 0: not a CloudTrail record \(expected a JSON"
    ):
        check_records(["ConsoleLogin"])


def test_bad_event_time_names_its_index() -> None:
    """An unreadable eventTime is refused, naming the record."""
    with pytest.raises(SigninLabError, match="^record 0: eventTime"):
        check_records([_record("yesterday")])
