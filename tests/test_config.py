"""LabConfig: the blog's defaults, derived names, and values AWS would refuse."""

from __future__ import annotations

import pytest

from signin_lab import LabConfig, SigninLabError


def test_blog_defaults() -> None:
    """The defaults are the blog's names and parameters."""
    cfg = LabConfig()
    assert "eu-west-1" == cfg.region
    assert "events-management" == cfg.trail_name
    assert "aws-cloudtrail-logs-signin-console" == cfg.log_group_name
    assert "CloudTrail-CloudWatchLogs-Signin-Console" == cfg.role_name
    assert ("Sum", 300, 1, 1, 0.0, "GreaterThanThreshold", "missing") == (
        cfg.statistic, cfg.period, cfg.evaluation_periods, cfg.datapoints_to_alarm,
        cfg.threshold, cfg.comparison_operator, cfg.treat_missing_data,
    )
    assert ("1", 0.0) == (cfg.metric_value, cfg.default_value)


def test_four_alerts_named_by_outcome_and_user_type() -> None:
    """Two outcomes times two user types make the four topics, with SMS on root success only."""
    cfg = LabConfig()
    assert [
        "signin-console-failure-iam",
        "signin-console-failure-root",
        "signin-console-success-iam",
        "signin-console-success-root",
    ] == [a.name for a in cfg.alerts]
    assert ["signin-console-success-root"] == [a.name for a in cfg.alerts if a.sms]


def test_root_patterns_use_cloudtrails_root() -> None:
    """The root patterns use CloudTrail's "Root", not the blog's "root"."""
    cfg = LabConfig()
    assert '$.userIdentity.type = "Root"' in cfg.alert("failure-root").pattern
    assert '"root"' not in cfg.alert("success-root").pattern
    assert '$.userIdentity.type = "IAMUser"' in cfg.alert("success-iam").pattern


def test_cis_adds_three_controls() -> None:
    """cis=True adds the CloudWatch.1, .3 and .6 alerts with namespace LogMetrics and >= 1."""
    cis = [a for a in LabConfig(cis=True).alerts if a.cis_control]
    assert ["CloudWatch.1", "CloudWatch.3", "CloudWatch.6"] == [a.cis_control for a in cis]
    assert {("LogMetrics", 1.0, "GreaterThanOrEqualToThreshold")} == {
        (a.namespace, a.threshold, a.comparison_operator) for a in cis
    }


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("region", "eu-west-9", "region"),
        ("email", "not-an-email", "email"),
        ("sms", "07700900123", "E.164"),
        ("sms", "+44 7700 900123", "E.164"),
        ("trail_name", "-bad", "trail_name"),
        ("bucket_name", "Upper_Case", "bucket_name"),
        ("role_name", "x" * 65, "role_name"),
        ("log_group_name", "bad name", "log_group_name"),
        ("period", 45, "period"),
        ("datapoints_to_alarm", 2, "datapoints_to_alarm"),
        ("treat_missing_data", "Missing", "treat_missing_data"),
        ("log_retention_days", 2, "log_retention_days"),
        ("patterns", {"failure-admin": "x"}, "failure-admin"),
    ],
)
def test_refused_values_name_the_field(field: str, value: object, words: str) -> None:
    """A value AWS would refuse raises SigninLabError naming the field and the value."""
    with pytest.raises(SigninLabError) as info:
        LabConfig().replace(**{field: value})
    assert words in str(info.value)
    if not isinstance(value, dict):
        assert repr(value)[:20] in str(info.value)


def test_unknown_override_is_named() -> None:
    """An override that is not a LabConfig field is refused by name."""
    with pytest.raises(SigninLabError, match="colour"):
        LabConfig().replace(colour="red")


def test_unknown_alert_lists_the_known_ones() -> None:
    """Asking for an alert that does not exist lists the ones that do."""
    with pytest.raises(SigninLabError, match="failure-iam"):
        LabConfig().alert("failure-admin")
