"""LabConfig: the blog's defaults, derived names, and values AWS would refuse."""

from __future__ import annotations

import pytest

from signin_lab import LabConfig, SigninLabError
from signin_lab.config import BLOG_ALERTS, CIS_ALERTS, Alert, check_email, check_phone, sms_country
from signin_lab.stack.deploy import preflight

NO_MFA = Alert(
    key="console-no-mfa", pattern='{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed = "No") }'
)


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
    """A value AWS would refuse raises SigninLabError naming the field and the value, and sets `.field`."""
    with pytest.raises(SigninLabError) as info:
        LabConfig().replace(**{field: value})
    assert field == info.value.field
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


# --- alerts as data ------------------------------------------------------------------------------


def test_default_alerts_are_the_blog_alerts() -> None:
    """LabConfig() configures BLOG_ALERTS, the four outcome x user type alerts."""
    assert ["failure-iam", "failure-root", "success-iam", "success-root"] == [a.key for a in BLOG_ALERTS]
    assert [a.key for a in BLOG_ALERTS] == [a.key for a in LabConfig().alerts]


def test_cis_true_adds_cis_alerts() -> None:
    """cis=True appends CIS_ALERTS to the configured alerts."""
    assert [a.key for a in (*BLOG_ALERTS, *CIS_ALERTS)] == [a.key for a in LabConfig(cis=True).alerts]


def test_fifth_alert_is_one_entry() -> None:
    """A fifth alert added to the tuple is resolved with the config's settings and the prefix name."""
    alert = LabConfig(alerts=(*BLOG_ALERTS, NO_MFA)).alert("console-no-mfa")
    assert ("signin-console-console-no-mfa", "CloudTrailMetrics", 300, 0.0, False) == (
        alert.name, alert.namespace, alert.period, alert.default_value, alert.sms
    )


def test_alerts_own_value_wins() -> None:
    """An alert's own threshold wins over the config-wide one; the others keep the config's."""
    own = Alert(key="console-no-mfa", pattern=NO_MFA.pattern, threshold=2.0)
    cfg = LabConfig(alerts=(*BLOG_ALERTS, own), threshold=1.0)
    assert {"console-no-mfa": 2.0, "failure-iam": 1.0} == {
        k: cfg.alert(k).threshold for k in ("console-no-mfa", "failure-iam")
    }


def test_config_wide_change_reaches_alerts_after_replace() -> None:
    """replace(period=60) reaches every alert that does not set its own period."""
    cfg = LabConfig(alerts=(*BLOG_ALERTS, NO_MFA)).replace(period=60)
    assert {60} == {a.period for a in cfg.alerts}


def test_sms_alerts_accepts_a_configured_alert() -> None:
    """sms_alerts may name any configured alert, the fifth one included."""
    cfg = LabConfig(alerts=(*BLOG_ALERTS, NO_MFA), sms_alerts=("console-no-mfa",))
    assert ["console-no-mfa"] == [a.key for a in cfg.alerts if a.sms]


def test_patterns_override_a_configured_alert() -> None:
    """patterns={key: pattern} overrides the fifth alert's pattern like the blog's."""
    cfg = LabConfig(alerts=(*BLOG_ALERTS, NO_MFA), patterns={"console-no-mfa": '{ $.eventName = "X" }'})
    assert '{ $.eventName = "X" }' == cfg.alert("console-no-mfa").pattern


def test_duplicate_alert_keys_are_refused() -> None:
    """Two alerts with the same key are refused on the alerts field."""
    with pytest.raises(SigninLabError, match="failure-iam") as info:
        LabConfig(alerts=(*BLOG_ALERTS, BLOG_ALERTS[0]))
    assert "alerts" == info.value.field


def test_invalid_pattern_names_the_alert() -> None:
    """An alert whose pattern does not compile is refused before any call (preflight), naming the alert's key."""
    with pytest.raises(SigninLabError, match=r"alerts\['console-no-mfa'\]\.pattern"):
        preflight(LabConfig(alerts=(Alert(key="console-no-mfa", pattern="{ $.eventName = "),)))


def test_alert_name_refused_by_sns() -> None:
    """An alert name SNS would refuse (a space) is named."""
    with pytest.raises(SigninLabError, match="'no mfa'"):
        LabConfig(alerts=(Alert(key="x", pattern=NO_MFA.pattern, name="no mfa"),))


def test_alerts_own_bad_period_is_named() -> None:
    """An alert's own period CloudWatch would refuse is named with the alert's key."""
    with pytest.raises(SigninLabError, match=r"alerts\['x'\]\.period=45"):
        LabConfig(alerts=(Alert(key="x", pattern=NO_MFA.pattern, period=45),))


def test_unresolved_alert_has_no_names() -> None:
    """An Alert not read from LabConfig.alerts has no topic name yet, and says so."""
    with pytest.raises(SigninLabError, match="LabConfig.alerts"):
        _ = NO_MFA.topic_name


def test_alerts_must_be_alerts() -> None:
    """alerts= with something other than Alert records is refused on the alerts field."""
    with pytest.raises(SigninLabError, match="Alert") as info:
        LabConfig(alerts=("failure-iam",))  # type: ignore[arg-type]
    assert "alerts" == info.value.field


# --- email and phone: libraries, whole-string checks --------------------------------------------


def test_email_with_trailing_newline_is_refused() -> None:
    """'you@example.com\\n' is not an email address (the whole string must match)."""
    with pytest.raises(SigninLabError, match="email") as info:
        check_email("you@example.com\n")
    assert "email" == info.value.field


def test_phone_with_trailing_newline_is_refused() -> None:
    """'+447700900123\\n' is not an E.164 number (the whole string must match)."""
    with pytest.raises(SigninLabError, match="E.164") as info:
        check_phone("+447700900123\n")
    assert "sms" == info.value.field


def test_phone_of_impossible_length_is_refused() -> None:
    """E.164-shaped but too short for France (+33 needs nine digits): phonenumbers refuses it."""
    with pytest.raises(SigninLabError, match=r"not a possible number for country code \+33"):
        check_phone("+3312345678")


def test_drama_range_number_is_accepted() -> None:
    """Ofcom's fictional +44 7700 900xxx numbers, the only ones examples use, are accepted."""
    assert "+447700900123" == check_phone("+447700900123")


def test_sms_country_from_the_number() -> None:
    """The SMS country comes from the number: +44 is GB, +1 is US."""
    assert ("GB", "US") == (sms_country("+447700900123"), sms_country("+12025550123"))


def test_email_with_two_at_signs_is_refused() -> None:
    """email-validator refuses an address with two @ signs."""
    with pytest.raises(SigninLabError, match="not an email address"):
        LabConfig(email="you@@example.com")


def test_only_custom_alerts_need_no_sms_alerts() -> None:
    """A config of custom alerts only is valid with the default sms_alerts (the blog's choice)."""
    assert ["console-no-mfa"] == [a.key for a in LabConfig(alerts=(NO_MFA,)).alerts]


def test_sms_alerts_naming_a_missing_alert_is_refused() -> None:
    """sms_alerts set to a key no configured alert has is refused on the sms_alerts field."""
    with pytest.raises(SigninLabError, match="failure-admin") as info:
        LabConfig(sms_alerts=("failure-admin",))
    assert "sms_alerts" == info.value.field


def test_invalid_override_pattern_is_on_the_patterns_field() -> None:
    """A `patterns` override that does not compile is refused on the patterns field, naming the alert."""
    with pytest.raises(SigninLabError, match=r"alerts\['success-root'\]\.pattern") as info:
        preflight(LabConfig(patterns={"success-root": '{ $.userIdentity.type = "Root" && }'}))
    assert "patterns" == info.value.field


def test_alerts_own_bad_setting_is_on_the_alerts_field() -> None:
    """An alert's own bad setting sets `.field` to "alerts" (the LabConfig field that holds it)."""
    with pytest.raises(SigninLabError) as info:
        LabConfig(alerts=(Alert(key="x", pattern=NO_MFA.pattern, name="no mfa"),))
    assert "alerts" == info.value.field
