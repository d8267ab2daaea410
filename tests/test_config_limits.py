"""LabConfig refuses up front what AWS would refuse halfway through a deploy, and wrong types."""

from __future__ import annotations

import math
from typing import Any

import pytest

from signin_lab.config import BLOG_ALERTS, Alert, LabConfig, alarm_description
from signin_lab.errors import SigninLabError
from signin_lab.lab import Lab

PATTERN = BLOG_ALERTS[0].pattern


@pytest.mark.parametrize("name", [
    "192.168.5.4", "xn--signin", "sthree-signin", "sthree-configurator-x", "amzn-s3-demo-signin",
    "signin-s3alias", "signin--ol-s3", "signin.mrap", "signin--x-s3", "signin--table-s3", "a..b",
])
def test_bucket_names_s3_refuses(name: str) -> None:
    """Each S3 naming rule (bucketnamingrules.html) refuses its example, naming bucket_name."""
    with pytest.raises(SigninLabError, match=r"^LabConfig\.bucket_name=") as info:
        LabConfig(bucket_name=name)
    assert "bucket_name" == info.value.field


def test_bucket_name_with_single_periods_is_accepted() -> None:
    """A dotted name that is no IP address and has no adjacent periods is accepted."""
    assert "logs.example.signin" == LabConfig(bucket_name="logs.example.signin").bucket


@pytest.mark.parametrize("name", ["a..b", "my-_trail", "my--trail", "a__b", "192.168.5.4"])
def test_trail_names_cloudtrail_refuses(name: str) -> None:
    """CreateTrail's rules (no adjacent . _ -, no IP address) refuse each example."""
    with pytest.raises(SigninLabError, match=r"^LabConfig\.trail_name="):
        LabConfig(trail_name=name)


@pytest.mark.parametrize("value", ["not a number", "1 2", "$", "one"])
def test_metric_value_must_be_number_or_field(value: str) -> None:
    """metric_value is a number or $.field / $field; anything else is refused."""
    with pytest.raises(SigninLabError, match=r"^LabConfig\.metric_value="):
        LabConfig(metric_value=value)


@pytest.mark.parametrize("value", ["1", "2.5", "-1", "$.bytes", "$size", "$3"])
def test_metric_value_numbers_and_fields_are_accepted(value: str) -> None:
    """Numbers and field references pass."""
    assert value == LabConfig(metric_value=value).metric_value


@pytest.mark.parametrize("field", ["threshold", "default_value"])
@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_non_finite_numbers_are_refused(field: str, value: float) -> None:
    """NaN and infinite thresholds and default values are refused, naming the field."""
    with pytest.raises(SigninLabError, match=rf"^LabConfig\.{field}=.*finite") as info:
        LabConfig(**{field: value})
    assert field == info.value.field


def test_alert_nan_threshold_is_refused() -> None:
    """An alert's own NaN threshold is refused, naming the alert."""
    with pytest.raises(SigninLabError, match=r"^LabConfig\.alerts\['k'\]\.threshold=nan"):
        LabConfig(alerts=(Alert(key="k", pattern=PATTERN, threshold=math.nan),))


@pytest.mark.parametrize("namespace", ["", ":x"])
def test_empty_namespace_is_refused(namespace: str) -> None:
    """An empty namespace (or one starting with ':') is refused."""
    with pytest.raises(SigninLabError, match="namespace"):
        LabConfig(metric_namespace=namespace)


def test_alarm_name_over_255_is_refused() -> None:
    """An alert name of 256 characters is refused (AlarmName allows 255)."""
    with pytest.raises(SigninLabError, match=r"alarm names at most 255"):
        LabConfig(alerts=(Alert(key="k", pattern=PATTERN, name="a" * 256),))


def test_alarm_description_over_1024_is_refused() -> None:
    """A pattern long enough to push the alarm description past 1,024 characters is refused."""
    long = '{ $.eventName = "' + "x" * 1000 + '" }'
    with pytest.raises(SigninLabError, match=r"AlarmDescription allows 1024"):
        LabConfig(patterns={"failure-iam": long})


def test_alarm_description_is_what_the_stack_sends() -> None:
    """The description the check measures is the one put_metric_alarm receives."""
    from signin_lab.stack.cloudwatch import alarm_settings

    cfg = LabConfig()
    alert = cfg.alerts[0]
    assert alarm_description(alert) == alarm_settings(cfg, alert)["AlarmDescription"]


@pytest.mark.parametrize(("field", "value"), [
    ("patterns", "oops"), ("email", ["ana@example.com"]), ("sms", ["+447700900123"]),
    ("period", "300"), ("threshold", "1"), ("sms_alerts", "success-root"), ("cis", "yes"),
    ("threshold", True),
])
def test_wrong_types_name_the_field(field: str, value: Any) -> None:
    """A wrong Python type is a SigninLabError naming the field, not a TypeError/AttributeError."""
    with pytest.raises(SigninLabError, match=rf"^LabConfig\.{field}=.*expected") as info:
        LabConfig(**{field: value})
    assert field == info.value.field


def test_pattern_values_must_be_strings() -> None:
    """patterns={'failure-iam': 3} names the pattern entry."""
    with pytest.raises(SigninLabError, match=r"^LabConfig\.patterns\['failure-iam'\]=3"):
        LabConfig(patterns={"failure-iam": 3})


def test_alert_field_of_wrong_type_is_named() -> None:
    """Alert(period='60') is refused naming the alert and its field."""
    with pytest.raises(SigninLabError, match=r"^LabConfig\.alerts\['k'\]\.period='60'"):
        LabConfig(alerts=(Alert(key="k", pattern=PATTERN, period="60"),))  # type: ignore[arg-type]


def test_deploy_with_patterns_of_wrong_type_is_refused_before_any_call() -> None:
    """Lab.deploy(patterns='oops') is a SigninLabError naming patterns, nothing is created."""
    with Lab.moto() as lab:
        with pytest.raises(SigninLabError, match=r"^LabConfig\.patterns='oops'"):
            lab.deploy(patterns="oops")
        assert [] == lab.client("sns").list_topics()["Topics"]


def test_deploy_with_a_list_of_emails_is_refused() -> None:
    """Lab.deploy(email=[...]) is a SigninLabError naming email."""
    with Lab.moto() as lab, pytest.raises(SigninLabError, match=r"^LabConfig\.email=\["):
        lab.deploy(email=["ana@example.com"])


def test_configure_validates_patterns() -> None:
    """Lab.configure(patterns=...) with an invalid pattern is refused, naming the alert's pattern."""
    with Lab.moto() as lab, pytest.raises(SigninLabError, match=r"alerts\['failure-iam'\]\.pattern"):
        lab.configure(patterns={"failure-iam": "{ $.a = "})

