"""Security Hub's CIS sign-in controls (CloudWatch.1, .3, .6): the chain, the statuses, and the semantic verdict."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from botocore.exceptions import ClientError

from signin_lab import Lab, SigninLabError
from signin_lab.compliance import (
    CONTROLS,
    DENIED,
    PENDING,
    AccountState,
    Findings,
    check,
    collect,
    evaluate,
    log_group_name,
    scenarios,
)
from signin_lab.config import CIS_NAMES, CIS_PATTERNS
from tests.conftest import EMAIL, SMS

TRAIL = "events-management"
LOG_GROUP = "aws-cloudtrail-logs-signin-console"


def _by_control(findings: Findings) -> dict[str, Any]:
    return {f.control: f for f in findings}


def _statuses(findings: Findings) -> dict[str, tuple[str, str | None]]:
    return {f.control: (f.status, f.reason_code) for f in findings}


@pytest.fixture
def cis_lab(lab: Lab) -> Lab:
    """The in-process lab with the blog's stack and the three CIS alerts deployed."""
    lab.deploy(email=EMAIL, sms=SMS, cis=True)
    return lab


@pytest.fixture(scope="module")
def cis_state() -> AccountState:
    """The AccountState of a cis=True deployment, read once, for the pure evaluate() tests."""
    with Lab.moto() as lab:
        lab.deploy(email=EMAIL, sms=SMS, cis=True)
        return collect(lab)


@pytest.fixture(scope="module")
def blog_findings() -> Findings:
    """check() on the blog's stack, deployed and checked once: the tests using it only read it."""
    with Lab.moto() as lab:
        lab.deploy(email=EMAIL, sms=SMS)
        return check(lab)


@pytest.fixture(scope="module")
def cis_findings() -> Findings:
    """check() on a cis=True stack, deployed and checked once: the tests using it only read it."""
    with Lab.moto() as lab:
        lab.deploy(email=EMAIL, sms=SMS, cis=True)
        return check(lab)


def _state(base: AccountState) -> AccountState:
    return copy.deepcopy(base)


# -- Security Hub's verdict, on moto -------------------------------------------------------------
def test_blogs_setup_fails_all_three(blog_findings: Findings) -> None:
    """The blog's four filters are not the CIS patterns, so all three controls fail on the filter step."""
    assert {c: ("FAILED", "CLOUDTRAIL_METRIC_FILTER_NOT_VALID") for c in CONTROLS} == _statuses(blog_findings)


def test_blogs_failure_names_the_required_pattern(blog_findings: Findings) -> None:
    """The reason names the trail, the log group and the exact pattern Security Hub wants."""
    f = _by_control(blog_findings)["CloudWatch.6"]
    assert TRAIL in f.reason and LOG_GROUP in f.reason and CIS_PATTERNS["CloudWatch.6"] in f.reason


def test_cis_deploy_passes_all_three(cis_findings: Findings) -> None:
    """deploy(cis=True) passes CloudWatch.1, .3 and .6."""
    assert {c: ("PASSED", None) for c in CONTROLS} == _statuses(cis_findings)


def test_passing_finding_names_the_whole_chain(cis_findings: Findings) -> None:
    """A PASSED finding records the trail, log group, filter, alarm and topic it followed."""
    f = _by_control(cis_findings)["CloudWatch.1"]
    name = CIS_NAMES["CloudWatch.1"]
    topic = f"arn:aws:sns:eu-west-1:123456789012:{name}"
    assert (TRAIL, LOG_GROUP, name, name, topic) == (f.trail, f.log_group, f.metric_filter, f.alarm, f.topic)


def test_no_trail_at_all_fails(lab: Lab) -> None:
    """With no trail, every control fails with CLOUDTRAIL_MULTI_REGION_NOT_PRESENT."""
    findings = check(lab)
    assert {c: ("FAILED", "CLOUDTRAIL_MULTI_REGION_NOT_PRESENT") for c in CONTROLS} == _statuses(findings)
    assert "no CloudTrail trail in eu-west-1" in findings[0].reason


def test_single_region_trail_fails(lab: Lab) -> None:
    """A single-Region trail does not count, even with the CIS filters and alarms in place."""
    lab.deploy(email=EMAIL, cis=True, trail_multi_region=False)
    findings = check(lab)
    assert {c: ("FAILED", "CLOUDTRAIL_MULTI_REGION_NOT_PRESENT") for c in CONTROLS} == _statuses(findings)
    assert "not multi-Region" in findings[0].reason


def test_stopped_logging_fails(cis_lab: Lab) -> None:
    """A trail that is not logging does not count."""
    cis_lab.client("cloudtrail").stop_logging(Name=TRAIL)
    findings = check(cis_lab)
    assert {c: ("FAILED", "CLOUDTRAIL_MULTI_REGION_NOT_PRESENT") for c in CONTROLS} == _statuses(findings)
    assert "not logging" in findings[0].reason


def test_write_only_management_events_fail(cis_lab: Lab) -> None:
    """A trail recording only write management events does not count (ReadWriteType must be All)."""
    cis_lab.client("cloudtrail").put_event_selectors(
        TrailName=TRAIL, EventSelectors=[{"ReadWriteType": "WriteOnly", "IncludeManagementEvents": True}]
    )
    f = check(cis_lab)[0]
    assert ("FAILED", "CLOUDTRAIL_MULTI_REGION_NOT_PRESENT") == (f.status, f.reason_code)
    assert "management events" in f.reason


def test_subscriber_removed_fails(cis_lab: Lab) -> None:
    """With the CloudWatch.6 topic's subscription removed, that control fails; the others pass."""
    sns = cis_lab.client("sns")
    topic = f"arn:aws:sns:eu-west-1:123456789012:{CIS_NAMES['CloudWatch.6']}"
    for sub in sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]:
        sns.unsubscribe(SubscriptionArn=sub["SubscriptionArn"])
    assert {
        "CloudWatch.1": ("PASSED", None),
        "CloudWatch.3": ("PASSED", None),
        "CloudWatch.6": ("FAILED", "SNS_SUBSCRIPTION_NOT_PRESENT"),
    } == _statuses(check(cis_lab))


def test_denied_subscription_listing_is_a_warning(cis_lab: Lab, monkeypatch: pytest.MonkeyPatch) -> None:
    """When ListSubscriptionsByTopic is denied, the control is WARNING (SNS_TOPIC_CROSS_ACCOUNT)."""
    real = cis_lab.client

    def client(service: str, region: str | None = None) -> Any:
        c = real(service, region)
        if service == "sns":
            def denied(**_: Any) -> Any:
                raise ClientError(
                    {"Error": {"Code": "AuthorizationError", "Message": "denied"}}, "ListSubscriptionsByTopic"
                )

            c.list_subscriptions_by_topic = denied
        return c

    monkeypatch.setattr(cis_lab, "client", client)
    assert {c: ("WARNING", "SNS_TOPIC_CROSS_ACCOUNT") for c in CONTROLS} == _statuses(check(cis_lab))


def test_deleted_alarm_fails(cis_lab: Lab) -> None:
    """Without the alarm on the CIS metric, the control fails with CLOUDWATCH_ALARMS_NOT_PRESENT."""
    cis_lab.client("cloudwatch").delete_alarms(AlarmNames=[CIS_NAMES["CloudWatch.3"]])
    f = _by_control(check(cis_lab))["CloudWatch.3"]
    assert ("FAILED", "CLOUDWATCH_ALARMS_NOT_PRESENT") == (f.status, f.reason_code)
    assert "LogMetrics/cis-console-signin-without-mfa" in f.reason


def test_alarm_without_actions_fails(cis_lab: Lab) -> None:
    """An alarm that notifies no SNS topic fails with CLOUDWATCH_ALARM_ACTIONS_NOT_VALID."""
    cw = cis_lab.client("cloudwatch")
    alarm = cw.describe_alarms(AlarmNames=[CIS_NAMES["CloudWatch.1"]])["MetricAlarms"][0]
    keys = ("AlarmName", "MetricName", "Namespace", "Statistic", "Period", "EvaluationPeriods", "Threshold",
            "ComparisonOperator")
    cw.put_metric_alarm(**{k: alarm[k] for k in keys}, AlarmActions=[])
    f = _by_control(check(cis_lab))["CloudWatch.1"]
    assert ("FAILED", "CLOUDWATCH_ALARM_ACTIONS_NOT_VALID") == (f.status, f.reason_code)


def test_deleted_topic_fails(cis_lab: Lab) -> None:
    """An alarm action naming a deleted topic fails with SNS_TOPIC_INVALID."""
    topic = f"arn:aws:sns:eu-west-1:123456789012:{CIS_NAMES['CloudWatch.6']}"
    cis_lab.client("sns").delete_topic(TopicArn=topic)
    f = _by_control(check(cis_lab))["CloudWatch.6"]
    assert ("FAILED", "SNS_TOPIC_INVALID") == (f.status, f.reason_code)


def test_cloudtrail_guides_spaced_pattern_fails_security_hub(cis_lab: Lab) -> None:
    """The CloudTrail guide's own failure pattern differs only in whitespace: FAILED, and the reason says so."""
    spaced = '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }'
    logs = cis_lab.client("logs")
    name = CIS_NAMES["CloudWatch.6"]
    current = logs.describe_metric_filters(logGroupName=LOG_GROUP, filterNamePrefix=name)["metricFilters"][0]
    # moto 5.2 adds a second filter on put_metric_filter with an existing name (AWS replaces it).
    logs.delete_metric_filter(logGroupName=LOG_GROUP, filterName=name)
    logs.put_metric_filter(
        logGroupName=LOG_GROUP, filterName=name, filterPattern=spaced,
        metricTransformations=current["metricTransformations"],
    )
    f = _by_control(check(cis_lab))["CloudWatch.6"]
    assert ("FAILED", "CLOUDTRAIL_METRIC_FILTER_NOT_VALID") == (f.status, f.reason_code)
    assert "only in whitespace" in f.reason


def test_trail_based_in_another_region_is_a_warning(cis_lab: Lab) -> None:
    """Checked from us-east-1, the eu-west-1 multi-Region trail gives WARNING CLOUDTRAIL_REGION_INVAILD."""
    findings = check(cis_lab, region="us-east-1")
    assert {c: ("WARNING", "CLOUDTRAIL_REGION_INVAILD") for c in CONTROLS} == _statuses(findings)


# -- Security Hub's verdict, pure (AccountState edited) -----------------------------------------------
def test_pending_confirmation_does_not_count(cis_state: AccountState) -> None:
    """A subscription still pending confirmation is not a subscriber: SNS_SUBSCRIPTION_NOT_PRESENT."""
    state = _state(cis_state)
    for subs in state.subscriptions.values():
        assert isinstance(subs, list)
        for s in subs:
            s["SubscriptionArn"] = PENDING
    f = evaluate(state)[0]
    assert ("FAILED", "SNS_SUBSCRIPTION_NOT_PRESENT") == (f.status, f.reason_code)
    assert "pending confirmation" in f.reason


def test_denied_marker_gives_warning(cis_state: AccountState) -> None:
    """The DENIED marker for one topic makes only that control WARNING."""
    state = _state(cis_state)
    state.subscriptions[f"arn:aws:sns:eu-west-1:123456789012:{CIS_NAMES['CloudWatch.3']}"] = DENIED
    assert ("WARNING", "SNS_TOPIC_CROSS_ACCOUNT") == _statuses(evaluate(state))["CloudWatch.3"]


def test_advanced_event_selectors_for_management_events_count(cis_state: AccountState) -> None:
    """An advanced selector on eventCategory Management (no readOnly field) records all management events."""
    state = _state(cis_state)
    state.trails[0]["_selectors"] = {
        "EventSelectors": [],
        "AdvancedEventSelectors": [
            {"Name": "mgmt", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}]}
        ],
    }
    assert {c: ("PASSED", None) for c in CONTROLS} == _statuses(evaluate(state))


def test_advanced_selector_for_read_only_events_does_not_count(cis_state: AccountState) -> None:
    """An advanced selector limited to read-only management events does not count."""
    state = _state(cis_state)
    state.trails[0]["_selectors"] = {
        "AdvancedEventSelectors": [{"FieldSelectors": [
            {"Field": "eventCategory", "Equals": ["Management"]}, {"Field": "readOnly", "Equals": ["true"]},
        ]}],
    }
    assert "CLOUDTRAIL_MULTI_REGION_NOT_PRESENT" == evaluate(state)[0].reason_code


def test_missing_log_group_fails(cis_state: AccountState) -> None:
    """A trail pointing at a log group that does not exist fails with METRIC_FILTERS_NOT_PRESENT."""
    state = _state(cis_state)
    state.metric_filters[LOG_GROUP] = None
    f = evaluate(state)[0]
    assert ("FAILED", "CLOUDTRAIL_METRIC_FILTERS_NOT_PRESENT") == (f.status, f.reason_code)


def test_alarm_on_another_namespace_does_not_count(cis_state: AccountState) -> None:
    """An alarm on a metric of the same name in another namespace is not on the filter's metric."""
    state = _state(cis_state)
    for alarm in state.alarms:
        alarm["Namespace"] = "SomethingElse"
    assert "CLOUDWATCH_ALARMS_NOT_PRESENT" == evaluate(state)[0].reason_code


def test_topic_in_another_region_is_a_warning(cis_state: AccountState) -> None:
    """An alarm action naming a topic in another Region gives SNS_TOPIC_CROSS_ACCOUNT_CROSS_REGION."""
    state = _state(cis_state)
    for alarm in state.alarms:
        alarm["AlarmActions"] = [a.replace("eu-west-1", "us-east-1") for a in alarm["AlarmActions"]]
    assert ("WARNING", "SNS_TOPIC_CROSS_ACCOUNT_CROSS_REGION") == _statuses(evaluate(state))["CloudWatch.1"]


def test_disabled_actions_pass_with_a_note(cis_state: AccountState) -> None:
    """ActionsEnabled=false is not part of Security Hub's documented check: PASSED, with a note."""
    state = _state(cis_state)
    for alarm in state.alarms:
        alarm["ActionsEnabled"] = False
    f = evaluate(state)[0]
    assert ("PASSED", True) == (f.status, "ActionsEnabled is false" in f.reason)


def test_a_passing_trail_wins_over_a_failing_one(cis_state: AccountState) -> None:
    """With two trails, one single-Region and one compliant, the control passes."""
    state = _state(cis_state)
    extra = copy.deepcopy(state.trails[0])
    extra.update(
        Name="single", TrailARN="arn:aws:cloudtrail:eu-west-1:123456789012:trail/single", IsMultiRegionTrail=False
    )
    state.trails.insert(0, extra)
    assert ("PASSED", None) == _statuses(evaluate(state))["CloudWatch.1"]


def test_log_group_name_from_arn() -> None:
    """The trail's log group ARN gives the group name, with or without the trailing `:*`."""
    arn = "arn:aws:logs:eu-west-1:123456789012:log-group:aws-cloudtrail-logs-signin-console:*"
    assert (LOG_GROUP, "/a/b") == (log_group_name(arn), log_group_name("arn:aws:logs:eu-west-1:1:log-group:/a/b"))


def test_log_group_name_refuses_other_arns() -> None:
    """A non-log-group ARN is a SigninLabError naming it."""
    with pytest.raises(SigninLabError, match="arn:aws:sns"):
        log_group_name("arn:aws:sns:eu-west-1:123456789012:topic")


# -- the semantic verdict ------------------------------------------------------------------------
#: What the exact CIS patterns match among AWS's example records ("Derived expectations" in
#: shared/reference/aws_semantics.md (kept beside the repository): the documented patterns applied to the documented
#: records of https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-aws-console-sign-in-events.html
#: and https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-integration.html).
CIS_MATCHES = {
    "CloudWatch.1": [
        "Root user, successful sign-in without MFA", "Root user, successful sign-in with MFA",
        "Root user, unsuccessful sign-in", "Root user, MFA changed", "Root user, password changed",
        "Root user, successful sign-in with MFA (older doc version)",
    ],
    "CloudWatch.3": ["IAM user, successful sign-in without MFA"],
    "CloudWatch.6": [
        "IAM user, unsuccessful sign-in",
        "Root user, unsuccessful sign-in",
        "IAM user, sign-in failure (wrong password)",
    ],
}


@pytest.mark.parametrize("control", CONTROLS)
def test_cis_pattern_matches_the_documented_examples(control: str) -> None:
    """The CIS pattern matches exactly the AWS examples the reference derives for it."""
    from signin_lab.filterpattern import FilterPattern

    fp = FilterPattern(CIS_PATTERNS[control])
    aws = [s for s in scenarios() if not s.name.startswith("kit: ")]
    assert CIS_MATCHES[control] == [s.name for s in aws if fp.matches_event(s.record)]


def test_cis_failure_pattern_misses_a_wrong_user_name(cis_state: AccountState) -> None:
    """CloudWatch.6's pattern misses a failed sign-in with a wrong user name (not 'Failed authentication')."""
    f = _by_control(evaluate(_state(cis_state)))["CloudWatch.6"]
    assert (
        "Sign-in failure caused by incorrect user name",
        "kit: IAM user, failed sign-in (unknown user name)",
    ) == f.cis_pattern_misses


def test_blog_failure_filter_catches_the_wrong_user_name(blog_findings: Findings) -> None:
    """The blog's failure-iam filter catches the wrong-user-name failure that the CIS pattern misses."""
    f = _by_control(blog_findings)["CloudWatch.6"]
    assert ("signin-console-failure-iam",) == f.caught_by["Sign-in failure caused by incorrect user name"]
    assert () == f.missed


def test_blog_setup_misses_root_activity_other_than_signin(blog_findings: Findings) -> None:
    """The blog's filters only see root sign-ins: root MFA and password changes are missed, and the reason says so."""
    f = _by_control(blog_findings)["CloudWatch.1"]
    assert ("Root user, MFA changed", "Root user, password changed") == f.missed
    assert "Root user, password changed" in f.reason


def test_cis_mfa_pattern_leaves_root_to_cloudwatch_1(cis_state: AccountState) -> None:
    """CloudWatch.3's pattern (IAM users only) misses root sign-ins without MFA."""
    f = _by_control(evaluate(_state(cis_state)))["CloudWatch.3"]
    assert ("Root user, successful sign-in without MFA", "kit: root user, sign-in without MFA") == f.cis_pattern_misses


def test_upper_case_yes_counts_as_mfa() -> None:
    """AWS's older root example writes MFAUsed "YES": not a sign-in without MFA."""
    from signin_lab.compliance import INTENTS

    older = next(s for s in scenarios() if s.name == "Root user, successful sign-in with MFA (older doc version)")
    assert False is INTENTS["CloudWatch.3"](older.record)


def test_no_filters_means_everything_missed(lab: Lab) -> None:
    """With no trail and no filters, every intended event is missed, with a note saying why."""
    f = check(lab)[2]
    assert (f.intended, ()) == (f.missed, f.caught)
    assert "no metric filter" in f.notes[0]


def test_finding_frame_lists_each_intended_scenario(blog_findings: Findings) -> None:
    """Finding.frame has one row per intended scenario, with the filters that catch it."""
    f = _by_control(blog_findings)["CloudWatch.6"]
    frame = f.frame()
    assert (["scenario", "caught", "caught_by", "cis_pattern_catches"], len(f.intended)) == (
        list(frame.columns),
        len(frame),
    )


def test_findings_frame_has_one_row_per_control(blog_findings: Findings) -> None:
    """Findings.frame has the three controls in order with their statuses."""
    frame = blog_findings.frame()
    assert (list(CONTROLS), ["FAILED"] * 3) == (list(frame["control"]), list(frame["status"]))


# -- the command ---------------------------------------------------------------------------------
def test_cli_check_exits_1_when_a_control_fails(capsys: pytest.CaptureFixture[str]) -> None:
    """`signin-lab check` on in-process moto checks the blog's stack: it fails, so exit 1."""
    from signin_lab.cli import main

    with pytest.raises(SystemExit) as info:
        main(["check"])
    out = capsys.readouterr().out
    assert 1 == info.value.code
    assert "CloudWatch.6" in out and "FAILED" in out


def test_cli_check_cis_passes(capsys: pytest.CaptureFixture[str]) -> None:
    """`signin-lab check --cis` on in-process moto deploys the CIS controls and exits 0."""
    from signin_lab.cli import main

    with pytest.raises(SystemExit) as info:
        main(["check", "--cis"])
    out = capsys.readouterr().out
    assert 0 == info.value.code
    assert "FAILED" not in out and "PASSED" in out
