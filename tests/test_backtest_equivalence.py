"""The backtest's timeline is the emulator's: lab.replay on moto and backtest agree, alarm by alarm."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from signin_lab import Lab
from signin_lab.backtest import backtest
from signin_lab.events import load_records

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "sample_events"
EMAIL = "you@example.com"
SMS = "+447700900123"
CASES = [
    ("password_guessing.json", {}),
    ("blog_test_signins", {}),
    ("root_at_night.json", {}),
    (
        "password_guessing.json",
        {"evaluation_periods": 3, "datapoints_to_alarm": 2, "treat_missing_data": "notBreaching"},
    ),
    ("blog_test_signins", {"period": 60, "threshold": 0.0, "treat_missing_data": "breaching"}),
    ("password_guessing.json", {"default_value": None, "threshold": 5.0}),
    ("root_at_night.json", {"cis": True}),
    ("quiet_month", {}),
]


def _rows(frame, alarm: str) -> list[tuple]:
    rows = frame[frame["alarm"] == alarm]
    return [
        (r.time, r.state, r.reason, r.old_state if isinstance(r.old_state, str) else None, tuple(r.actions))
        for r in rows.itertuples()
    ]


def _inbox(messages) -> list[tuple]:
    """Messages with the subscription id in the unsubscribe link removed (moto draws a random one)."""
    strip = re.compile(r"SubscriptionArn=\S+")
    return [
        (m.topic, m.protocol, m.endpoint, m.subject, strip.sub("SubscriptionArn=-", m.body), m.time)
        for m in messages
    ]


@pytest.fixture(
    scope="module",
    params=CASES,
    ids=[f"{p}-{'-'.join(f'{k}={v}' for k, v in o.items()) or 'blog'}" for p, o in CASES],
)
def both(request):
    """(replay run, lab inbox, backtest) for one sample archive under one configuration."""
    name, overrides = request.param
    path = SAMPLES / name
    with Lab.moto(region="eu-west-1") as lab:
        lab.deploy(email=EMAIL, sms=SMS, **overrides)
        run = lab.replay(load_records(path))
        inbox = lab.inbox()
        config = lab.config
    return run, inbox, backtest(path, config=config)


def test_timelines_identical_alarm_by_alarm(both) -> None:
    """Every alarm's rows (time, state, reason, old state, actions) are the replay's."""
    run, _, result = both
    for alarm in result.alerts:
        assert _rows(run.timeline, alarm) == _rows(result.timeline, alarm)


def test_inboxes_identical(both) -> None:
    """The emails and SMS are the replay's, message by message."""
    _, inbox, result = both
    assert _inbox(inbox) == _inbox(result.inbox())


def test_counts_match_the_inbox(both) -> None:
    """Each alert's email and SMS counts are what its topic's subscribers received."""
    _, inbox, result = both
    for name, alert in result.alerts.items():
        mine = [m for m in inbox if m.topic.endswith(":" + name)]
        assert (alert.emails, alert.sms) == (
            sum(1 for m in mine if m.protocol == "email"),
            sum(1 for m in mine if m.protocol == "sms"),
        )


def test_datapoints_identical(both) -> None:
    """The per-minute datapoints of each metric are the replay's."""
    run, _, result = both
    for name in result.alerts:
        theirs = run.datapoints[run.datapoints["metric"] == name]
        mine = result.series(name)
        assert list(zip(theirs["time"], theirs["value"], strict=True)) == list(
            zip(mine["time"], mine["value"], strict=True)
        )
