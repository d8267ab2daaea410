"""Alerts as data: a fifth alert is one entry, and every part of the kit includes it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import yaml

from signin_lab import Lab
from signin_lab.cfn import logical_id, template
from signin_lab.compliance import check
from signin_lab.config import BLOG_ALERTS, Alert, LabConfig
from signin_lab.costs import Scenario
from signin_lab.events.samples import console_login

EMAIL = "you@example.com"
SMS = "+447700900123"
NO_MFA = Alert(
    key="console-no-mfa",
    pattern='{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed = "No") }',
    period=60,
)
CONFIG = LabConfig(alerts=(*BLOG_ALERTS, NO_MFA), email=EMAIL, sms=SMS)
NAME = "signin-console-console-no-mfa"


@pytest.fixture(scope="module")
def five() -> Iterator[Lab]:
    """One lab with the blog's four alerts and the fifth deployed, shared by the read-only tests."""
    with Lab.moto(config=CONFIG) as lab:
        lab.deploy()
        yield lab


@pytest.fixture(scope="module")
def replayed(five: Lab) -> Any:
    """The run of one IAM sign-in without MFA through the shared lab's pipeline."""
    return five.replay([console_login("success", "iam", datetime(2026, 11, 2, 9, 0, tzinfo=UTC), mfa=False)])


def test_deploy_creates_its_topic(five: Lab) -> None:
    """Deploy creates the fifth alert's SNS topic."""
    arns = [t["TopicArn"] for t in five.client("sns").list_topics()["Topics"]]
    assert f"arn:aws:sns:eu-west-1:123456789012:{NAME}" in arns


def test_deploy_creates_its_metric_filter(five: Lab) -> None:
    """Deploy creates the fifth alert's metric filter with its own pattern."""
    filters = five.client("logs").describe_metric_filters(logGroupName=CONFIG.log_group_name)["metricFilters"]
    assert NO_MFA.pattern == {f["filterName"]: f["filterPattern"] for f in filters}[NAME]


def test_deploy_creates_its_alarm_with_its_own_period(five: Lab) -> None:
    """The fifth alarm is deployed with the alert's own period (60 s), not the config's 300 s."""
    alarms = five.client("cloudwatch").describe_alarms(AlarmNames=[NAME])["MetricAlarms"]
    assert [60] == [a["Period"] for a in alarms]


def test_replay_raises_its_alarm(replayed: Any) -> None:
    """A sign-in without MFA takes the fifth alarm to ALARM (then, with 60 s periods and no more
    data, back to INSUFFICIENT_DATA, as treat_missing_data "missing" does)."""
    states = list(replayed.timeline[replayed.timeline.alarm == NAME].state)
    assert ["INSUFFICIENT_DATA", "ALARM", "INSUFFICIENT_DATA"] == states


def test_replay_delivers_its_email(five: Lab, replayed: Any) -> None:
    """The fifth alert's topic emails the configured address."""
    assert [EMAIL] == [m.endpoint for m in five.inbox() if m.topic == CONFIG.topic_arn(CONFIG.alert(NAME))]


def test_cost_counts_five_alarms() -> None:
    """Scenario.for_config counts one alarm and one custom metric per configured alert."""
    scenario = Scenario.for_config(CONFIG)
    assert (5, 5) == (scenario.alarms, scenario.custom_metrics)


def test_cfn_export_has_its_resources() -> None:
    """The CloudFormation export has the fifth alert's topic, metric filter and alarm."""
    resources = yaml.safe_load(template(CONFIG))["Resources"]
    wanted = {logical_id(NAME, suffix) for suffix in ("Topic", "MetricFilter", "Alarm")}
    assert wanted <= set(resources)


def test_cfn_alarm_has_its_own_period() -> None:
    """The exported alarm carries the alert's own period."""
    resources = yaml.safe_load(template(CONFIG))["Resources"]
    assert 60 == resources[logical_id(NAME, "Alarm")]["Properties"]["Period"]


def test_compliance_check_still_runs(five: Lab) -> None:
    """compliance.check runs on a stack with a fifth alert and reports the CIS controls."""
    controls = {f.control for f in check(five)}
    assert {"CloudWatch.1", "CloudWatch.3", "CloudWatch.6"} <= controls


def test_teardown_removes_it() -> None:
    """Teardown deletes the fifth alert's alarm, filter and topic."""
    with Lab.moto(config=CONFIG) as lab:
        lab.deploy()
        result = lab.teardown()
    deleted = {(c.kind, c.name) for c in result.changes if c.action == "deleted"}
    assert {("alarm", NAME), ("metric filter", NAME), ("SNS topic", NAME)} <= deleted
