"""The blog's lessons, each reproducible in one call: default values, notBreaching, one email."""

from __future__ import annotations

from datetime import timedelta

from signin_lab import Lab
from signin_lab.events.samples import BLOG_START, console_login, ordinary_traffic

EMAIL = "you@example.com"
SMS = "+447700900123"


def _quiet_hour() -> list[dict]:
    """An hour of ordinary traffic and no sign-in at all."""
    records = ordinary_traffic(BLOG_START, BLOG_START + timedelta(hours=1), seed=11)
    return [r for r in records if r["eventName"] != "ConsoleLogin"]


def test_default_value_zero_turns_quiet_alarms_green(lab: Lab) -> None:
    """With default value 0, logs without a sign-in report 0, so every alarm goes to OK."""
    lab.deploy(email=EMAIL, sms=SMS)
    run = lab.replay(_quiet_hour())
    assert {"OK"} == set(run.states().values())


def test_no_default_value_keeps_quiet_alarms_grey(lab: Lab) -> None:
    """Without a default value nothing is reported, so every alarm stays INSUFFICIENT_DATA."""
    lab.deploy(email=EMAIL, sms=SMS, default_value=None)
    run = lab.replay(_quiet_hour())
    assert {"INSUFFICIENT_DATA"} == set(run.states().values())


def test_not_breaching_hides_a_broken_trail(lab: Lab) -> None:
    """With notBreaching, a trail that delivers nothing still shows green, and a failed root
    sign-in sends no email."""
    lab.deploy(email=EMAIL, sms=SMS, treat_missing_data="notBreaching")
    lab.client("cloudtrail").stop_logging(Name=lab.config.trail_name)
    failure = console_login("failure", "root", BLOG_START + timedelta(minutes=20))
    run = lab.replay([*_quiet_hour(), failure])
    assert ({"OK"}, []) == (set(run.states().values()), lab.inbox())


def test_second_failure_while_in_alarm_sends_no_second_email(lab: Lab) -> None:
    """Actions run only on a state change: two failures two minutes apart send one email."""
    lab.deploy(email=EMAIL, sms=SMS)
    first = console_login("failure", "iam", BLOG_START + timedelta(minutes=8), seed=1)
    second = console_login("failure", "iam", BLOG_START + timedelta(minutes=10), seed=2)
    lab.replay([*_quiet_hour(), first, second])
    emails = [m for m in lab.inbox() if m.protocol == "email"]
    assert ['ALARM: "signin-console-failure-iam" in EU (Ireland)'] == [m.subject for m in emails]
