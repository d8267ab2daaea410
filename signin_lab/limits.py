"""What AWS refuses, checked before any call: name rules, lengths and value shapes, each cited.

Each function returns None when AWS accepts the value, else the reason it would refuse it
(LabConfig.validate turns that into a SigninLabError naming the field).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

#: AlarmDescription: "Length Constraints: Minimum length of 0. Maximum length of 1024."
#: https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
ALARM_DESCRIPTION_MAX = 1024
#: AlarmName: "Minimum length of 1. Maximum length of 255." (same page)
ALARM_NAME_MAX = 255

# S3 general purpose bucket naming rules:
# https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
_BUCKET_SHAPE = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
_BUCKET_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")  # sthree- also covers sthree-configurator
_BUCKET_SUFFIXES = ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")
_IP_ADDRESS = re.compile(r"\d{1,3}(\.\d{1,3}){3}")

# CloudTrail trail names ("Contain only ASCII letters, numbers, periods, underscores, or dashes;
# start and end with a letter or number; be between 3 and 128 characters; have no adjacent
# periods, underscores or dashes; not be in IP address format"):
# https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html
# https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-trail-naming-requirements.html
_TRAIL_SHAPE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{1,126}[A-Za-z0-9]")
_ADJACENT_PUNCTUATION = re.compile(r"[._-]{2}")

# metricValue: "a literal number (typically "1"), or the name of a field ... '$.fieldName' for a
# matched JSON structure, '$fieldName' for a matched space-delimited structure", at most 100
# characters (MetricTransformation.metricValue):
# https://docs.aws.amazon.com/cdk/api/latest/python/aws_cdk.aws_logs/MetricFilterProps.html
# https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_MetricTransformation.html
_METRIC_VALUE = re.compile(r"-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?|\$\.?[A-Za-z0-9_.\[\]-]+")


def bucket_name_problem(name: str) -> str | None:
    """Why S3 would refuse `name` as a general purpose bucket's name, or None."""
    if not _BUCKET_SHAPE.fullmatch(name):
        return (
            "S3 bucket names are 3-63 lowercase letters, digits, '.' or '-', starting and ending with a letter or digit"
        )
    if ".." in name:
        return "S3 bucket names must not contain two adjacent periods"
    if _IP_ADDRESS.fullmatch(name):
        return "S3 bucket names must not be formatted as an IP address"
    for prefix in _BUCKET_PREFIXES:
        if name.startswith(prefix):
            return f"S3 bucket names must not start with {prefix!r} (reserved)"
    for suffix in _BUCKET_SUFFIXES:
        if name.endswith(suffix):
            return f"S3 bucket names must not end with {suffix!r} (reserved)"
    return None


def trail_name_problem(name: str) -> str | None:
    """Why CreateTrail would refuse `name` (InvalidTrailNameException), or None."""
    if not _TRAIL_SHAPE.fullmatch(name):
        return "3-128 letters, digits, '.', '_' or '-', starting and ending with a letter or digit"
    if _ADJACENT_PUNCTUATION.search(name):
        return "no adjacent periods, underscores or dashes (CreateTrail refuses 'my-_trail', 'a..b')"
    if _IP_ADDRESS.fullmatch(name):
        return "trail names must not be in IP address format"
    return None


def metric_value_problem(value: str) -> str | None:
    """Why PutMetricFilter would refuse `value` as a metricValue, or None."""
    if not 1 <= len(value) <= 100:
        return "1-100 characters: a number or $.field / $field"
    if not _METRIC_VALUE.fullmatch(value):
        return "a number (e.g. 1) or a field of the matched event ($.field for JSON, $field for space-delimited)"
    return None


def number_problem(value: object) -> str | None:
    """Why `value` is not a finite number, or None.

    Threshold (PutMetricAlarm) and defaultValue (MetricTransformation) are Doubles
    (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html,
    https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_MetricTransformation.html);
    AWS documents no rule for NaN or infinity. Decision: the kit refuses them, because a NaN
    threshold compares false with every datapoint (the alarm could never fire) and JSON, in
    which the kit's CloudFormation export is written, cannot represent them (RFC 8259 section 6).
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"expected a number, got {type(value).__name__}"
    if not math.isfinite(value):
        return "must be a finite number (not NaN or infinite)"
    return None


#: LabConfig's fields and the Python types each takes (None allowed where listed).
_NUMBER = (int, float)
FIELD_TYPES: Mapping[str, tuple[tuple[type, ...], str]] = {
    "region": ((str,), "a string"),
    "account_id": ((str,), "a string"),
    "name_prefix": ((str,), "a string"),
    "trail_name": ((str,), "a string"),
    "trail_multi_region": ((bool,), "True or False"),
    "trail_log_file_validation": ((bool,), "True or False"),
    "bucket_name": ((str, type(None)), "a string or None"),
    "log_group_name": ((str,), "a string"),
    "log_retention_days": ((int, type(None)), "a whole number of days or None"),
    "role_name": ((str,), "a string"),
    "metric_namespace": ((str,), "a string"),
    "metric_value": ((str,), "a string such as '1' or '$.field'"),
    "default_value": ((*_NUMBER, type(None)), "a number or None"),
    "statistic": ((str,), "a string"),
    "period": ((int,), "a whole number of seconds"),
    "evaluation_periods": ((int,), "a whole number"),
    "datapoints_to_alarm": ((int,), "a whole number"),
    "threshold": (_NUMBER, "a number"),
    "comparison_operator": ((str,), "a string"),
    "treat_missing_data": ((str,), "a string"),
    "sms_alerts": ((tuple, list), "a tuple of alert keys"),
    "patterns": ((dict,), "a dict of alert key -> filter pattern"),
    "cis": ((bool,), "True or False"),
    "email": ((str, type(None)), "one email address (a string) or None"),
    "sms": ((str, type(None)), "one E.164 phone number (a string) or None"),
}
#: An Alert's fields and their types (every optional one may also be None).
ALERT_TYPES: Mapping[str, tuple[tuple[type, ...], str]] = {
    "key": ((str,), "a string"),
    "pattern": ((str,), "a string"),
    "name": ((str,), "a string"),
    "namespace": ((str,), "a string"),
    "metric_value": ((str,), "a string such as '1' or '$.field'"),
    "default_value": (_NUMBER, "a number"),
    "threshold": (_NUMBER, "a number"),
    "comparison_operator": ((str,), "a string"),
    "statistic": ((str,), "a string"),
    "period": ((int,), "a whole number of seconds"),
    "evaluation_periods": ((int,), "a whole number"),
    "datapoints_to_alarm": ((int,), "a whole number"),
    "treat_missing_data": ((str,), "a string"),
    "sms": ((bool,), "True or False"),
    "cis_control": ((str,), "a string"),
}


def type_problem(value: Any, types: tuple[type, ...], what: str, *, optional: bool = False) -> str | None:
    """Why `value` is not of `types` (bool is not taken for a number), or None."""
    if value is None and optional:
        return None
    wrong_bool = isinstance(value, bool) and bool not in types
    if wrong_bool or not isinstance(value, types):
        return f"expected {what}, got {type(value).__name__}"
    return None
