"""The sample scenarios: the blog's test hour, AWS's examples, a quiet month, password guessing, root at night."""

from __future__ import annotations

import random
from collections.abc import Callable
from copy import deepcopy
from datetime import UTC, datetime, timedelta
from functools import cache
from importlib import resources
from typing import Any

import orjson

# -- scenarios --------------------------------------------------------------------------------
from signin_lab.events.samples._common import (
    ACCOUNT_ID,
    BLOG_START,
    BROWSERS,
    HOME_REGION,
    Record,
    _principal_id,
    _sorted,
    _utc,
)
from signin_lab.events.samples.signins import check_mfa, console_login, federated_login
from signin_lab.events.samples.traffic import _api_call, _fill, _Template, ordinary_traffic


def blog_test_signins(start: datetime | None = None) -> list[Record]:
    """The blog's four test sign-ins in one hour of ordinary traffic, sorted by eventTime.

    failure-iam (+08:20), failure-root (+20:40), success-iam (+32:10), success-root (+44:30):
    each matches exactly one of the four alarms, and 12 minutes apart each alarm (Sum over
    5 minutes > 0) goes to ALARM once and back. The IAM user signs in through the global
    endpoint with an alias cookie from Europe, so CloudTrail records it in eu-north-1.
    """
    t0 = _utc(start or BLOG_START, "start")
    signins = [
        console_login("failure", "iam", t0 + timedelta(minutes=8, seconds=20), region="eu-north-1",
                      seed=1),
        console_login("failure", "root", t0 + timedelta(minutes=20, seconds=40), seed=2),
        console_login("success", "iam", t0 + timedelta(minutes=32, seconds=10), region="eu-north-1",
                      seed=3),
        console_login("success", "root", t0 + timedelta(minutes=44, seconds=30), seed=4),
    ]
    traffic = ordinary_traffic(t0, t0 + timedelta(hours=1), seed=11, human_per_hour=(30, 40))
    return _sorted(traffic + signins)


def aws_example_entries() -> list[Record]:
    """AWS's documented example records with their "source", "scenario" (and "note") fields."""
    return deepcopy(_examples())


@cache
def _examples() -> list[Record]:
    text = resources.files("signin_lab").joinpath("data/console_login_examples.json").read_bytes()
    return orjson.loads(text)


def aws_examples() -> list[Record]:
    """The records of `aws_example_entries`, in the reference file's order."""
    return [entry["record"] for entry in aws_example_entries()]


def quiet_month(start: datetime | None = None, *, days: int = 28, seed: int = 5) -> list[Record]:
    """A quiet month: sparse everyday traffic and the occasional ordinary sign-in.

    alice signs in with MFA (CheckMfa, then ConsoleLogin with MFAIdentifier) on about half the
    weekdays, mistyping her password once a week; an auditor signs in through federation twice;
    the root user signs in once, with MFA, to look at billing.
    """
    t0 = _utc(start or datetime(2025, 2, 1, tzinfo=UTC), "start")
    rng = random.Random(seed)
    out = ordinary_traffic(
        t0, t0 + timedelta(days=days), seed=seed, service_per_hour=(0, 1), human_per_hour=(0, 4)
    )
    for day in range(days):
        date = t0 + timedelta(days=day)
        if date.weekday() >= 5 or rng.random() < 0.45:
            continue
        at = date.replace(hour=8) + timedelta(minutes=rng.randint(20, 70), seconds=rng.randrange(60))
        if date.weekday() == 2:  # a mistyped password on Wednesdays
            out.append(console_login("failure", "iam", at - timedelta(seconds=40),
                                     region="eu-north-1", seed=day))
        out.append(check_mfa(at - timedelta(seconds=12), region="eu-north-1", seed=day))
        out.append(console_login("success", "iam", at, mfa=True, region="eu-north-1", seed=day))
    for day in (9, 23):
        out += federated_login(t0 + timedelta(days=day, hours=13, minutes=5), seed=day)
    out.append(console_login("success", "root", t0 + timedelta(days=17, hours=14, minutes=2),
                             mfa=True, seed=17))
    return _sorted(out)


def password_guessing(start: datetime | None = None, *, attempts: int = 36,
                      seed: int = 7) -> list[Record]:
    """A password-guessing burst against IAM user names, at night, in ordinary traffic.

    From two addresses, about every 15 seconds, cycling through names: real users (alice, bob)
    fail with "Failed authentication"; names that do not exist fail with "No username found in
    supplied account" and userName HIDDEN_DUE_TO_SECURITY_REASONS. Without an alias cookie the
    global endpoint records them in us-east-1.
    """
    t0 = _utc(start or datetime(2025, 3, 12, 2, 0, tzinfo=UTC), "start")
    rng = random.Random(seed)
    names = ("admin", "alice", "administrator", "bob", "test", "devops", "backup", "alice.smith")
    real = {"alice", "bob"}
    ips = ("203.0.113.45", "203.0.113.46")
    out = ordinary_traffic(t0, t0 + timedelta(hours=1), seed=seed)
    at = t0 + timedelta(minutes=10, seconds=5)
    for i in range(attempts):
        name = names[i % len(names)]
        out.append(
            console_login(
                "failure", "iam", at, user_name=name, unknown_user=name not in real,
                source_ip=ips[i % 2], region="us-east-1", seed=100 + i, user_agent=BROWSERS[3],
            )
        )
        at += timedelta(seconds=rng.randint(9, 21))
    return _sorted(out)


def root_at_night(start: datetime | None = None, *, seed: int = 9) -> list[Record]:
    """The root user signs in without MFA at 03:12 on a Sunday, then creates an admin user.

    The sign-in is recorded in us-east-1 like every root sign-in; the IAM calls that follow
    (ListUsers, CreateUser, AttachUserPolicy, CreateAccessKey) carry userIdentity.type "Root".
    """
    t0 = _utc(start or datetime(2025, 3, 16, 1, 0, tzinfo=UTC), "start")
    rng = random.Random(seed)
    ip = "198.51.100.23"
    agent = "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
    out = ordinary_traffic(t0, t0 + timedelta(hours=4), seed=seed)
    login_at = t0 + timedelta(hours=2, minutes=12, seconds=7)
    out.append(console_login("success", "root", login_at, source_ip=ip, user_agent=agent, seed=seed))
    calls: list[tuple[int, str, bool, dict[str, Any], dict[str, Any] | None]] = [
        (64, "ListUsers", True, {"maxItems": 1000}, None),
        (171, "CreateUser", False, {"userName": "backup-admin"},
         {"user": {"userName": "backup-admin", "path": "/",
                   "arn": "arn:aws:iam::{account}:user/backup-admin"}}),
        (203, "AttachUserPolicy", False,
         {"userName": "backup-admin", "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"},
         None),
        (248, "CreateAccessKey", False, {"userName": "backup-admin"},
         {"accessKey": {"userName": "backup-admin", "status": "Active",
                        "accessKeyId": _principal_id("AKIA", "backup-admin")[:20]}}),
    ]
    for offset, name, read_only, request, response in calls:
        when = login_at + timedelta(seconds=offset)
        template: _Template = (1, "root", "", "iam.amazonaws.com", name, read_only, "us-east-1",
                               request)
        record = _api_call(rng, when, template, ACCOUNT_ID, HOME_REGION, source_ip=ip)
        record["responseElements"] = _fill(response, ACCOUNT_ID)
        out.append(record)
    return _sorted(out)


#: Sample file (".json": plain {"Records": [...]}) or folder (CloudTrail's S3 layout) -> scenario.
SCENARIOS: dict[str, Callable[[], list[Record]]] = {
    "aws_examples.json": aws_examples,
    "blog_test_signins": blog_test_signins,
    "password_guessing.json": password_guessing,
    "quiet_month": quiet_month,
    "root_at_night.json": root_at_night,
}
#: How long each S3-layout scenario's delivery window is: CloudTrail delivers about every
#: 5 minutes; the quiet month is grouped a day a file to keep the samples small.
S3_WINDOWS: dict[str, timedelta] = {
    "blog_test_signins": timedelta(minutes=5),
    "quiet_month": timedelta(days=1),
}
