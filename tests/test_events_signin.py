"""ConsoleLogin: the typed view over one raw record, right on every AWS documented example."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest

from signin_lab.errors import SigninLabError
from signin_lab.events import ConsoleLogin, is_console_login
from signin_lab.events.samples import aws_example_entries

ENTRIES = {e["scenario"]: e for e in aws_example_entries()}

# scenario -> (outcome, user_type, user_name, mfa_used, source_ip, region, error_message); each
# read from the record in signin_lab/data/console_login_examples.json, whose "source" names the page.
EXPECTED: dict[str, tuple[Any, ...]] = {
    "IAM user, successful sign-in without MFA": (
        "Success", "IAMUser", "Anaya", False, "192.0.2.0", "us-east-1", None),
    "IAM user, successful sign-in with MFA": (
        "Success", "IAMUser", "Anaya", True, "192.0.2.0", "us-east-1", None),
    "IAM user, unsuccessful sign-in": (
        "Failure", "IAMUser", "Paulo", True, "192.0.2.0", "us-east-1", "Failed authentication"),
    "Root user, successful sign-in without MFA": (
        "Success", "Root", None, False, "192.0.2.0", "us-east-1", None),
    "Root user, successful sign-in with MFA": (
        "Success", "Root", None, True, "192.0.2.0", "us-east-1", None),
    "Root user, unsuccessful sign-in": (
        "Failure", "Root", None, False, "192.0.2.0", "us-east-1", "Failed authentication"),
    "Federated user, successful ConsoleLogin without MFA": (
        "Success", "AssumedRole", "JohnDoe", False, "192.0.2.0", "us-east-1", None),
    "Root user, successful sign-in with MFA (older doc version)": (
        "Success", "Root", None, True, "192.0.2.0", "us-east-1", None),
    "IAM user, sign-in failure (wrong password)": (
        "Failure", "IAMUser", "JaneDoe", False, "192.0.2.100", "us-east-2", "Failed authentication"),
    "Sign-in failure caused by incorrect user name": (
        "Failure", "IAMUser", "HIDDEN_DUE_TO_SECURITY_REASONS", False, "192.0.2.101", "us-east-2",
        "No username found in supplied account"),
}


def record(scenario: str) -> dict[str, Any]:
    return copy.deepcopy(ENTRIES[scenario]["record"])


@pytest.mark.parametrize("scenario", sorted(EXPECTED))
def test_each_documented_console_login(scenario: str) -> None:
    """Each AWS example ConsoleLogin reads as its record says (source in the entry)."""
    login = ConsoleLogin.parse(ENTRIES[scenario]["record"])
    got = (login.outcome, login.user_type, login.user_name, login.mfa_used, login.source_ip,
           login.region, login.error_message)
    assert EXPECTED[scenario] == got, ENTRIES[scenario]["source"]


def test_time_is_the_event_time_in_utc() -> None:
    """time is eventTime as an aware UTC datetime."""
    login = ConsoleLogin.parse(ENTRIES["IAM user, successful sign-in without MFA"]["record"])
    assert datetime(2023, 7, 19, 21, 44, 40, tzinfo=UTC) == login.time


def test_event_id_and_user_agent_are_the_records() -> None:
    """event_id and user_agent are eventID and userAgent as written."""
    raw = ENTRIES["IAM user, successful sign-in without MFA"]["record"]
    login = ConsoleLogin.parse(raw)
    assert (raw["eventID"], raw["userAgent"]) == (login.event_id, login.user_agent)


def test_keeps_the_raw_record() -> None:
    """raw is the very record the view was made from."""
    raw = ENTRIES["Root user, unsuccessful sign-in"]["record"]
    assert raw is ConsoleLogin.parse(raw).raw


def test_mfa_yes_in_capitals_counts_as_mfa() -> None:
    """"YES" (the 2022 example) means MFA was used, like "Yes"."""
    raw = ENTRIES["Root user, successful sign-in with MFA (older doc version)"]["record"]
    assert ("YES", True) == (raw["additionalEventData"]["MFAUsed"], ConsoleLogin.parse(raw).mfa_used)


def test_missing_additional_event_data_gives_none() -> None:
    """Without additionalEventData, mfa_used is None (unknown), not False."""
    raw = record("IAM user, successful sign-in without MFA")
    del raw["additionalEventData"]
    assert None is ConsoleLogin.parse(raw).mfa_used


def test_missing_optional_fields_are_none() -> None:
    """Optional keys (sourceIPAddress, userAgent, awsRegion, eventID) give None when absent."""
    raw = record("IAM user, successful sign-in without MFA")
    for key in ("sourceIPAddress", "userAgent", "awsRegion", "eventID"):
        del raw[key]
    login = ConsoleLogin.parse(raw)
    assert (None, None, None, None) == (login.source_ip, login.user_agent, login.region, login.event_id)


@pytest.mark.parametrize(
    ("path", "message"),
    [
        (("eventTime",), "eventTime None"),
        (("userIdentity",), "userIdentity.type is missing"),
        (("userIdentity", "type"), "userIdentity.type is missing"),
        (("responseElements",), "responseElements.ConsoleLogin is missing"),
        (("responseElements", "ConsoleLogin"), "responseElements.ConsoleLogin is missing"),
    ],
)
def test_missing_required_key_fails_naming_it(path: tuple[str, ...], message: str) -> None:
    """A ConsoleLogin without a required key raises SigninLabError naming the key and the event."""
    raw = record("IAM user, successful sign-in without MFA")
    parent = raw
    for key in path[:-1]:
        parent = parent[key]
    del parent[path[-1]]
    with pytest.raises(SigninLabError, match=message) as info:
        ConsoleLogin.parse(raw)
    assert "e1bf1000-86a4-4a78-81d7-EXAMPLE83102" in str(info.value)


def test_bad_event_time_fails() -> None:
    """An eventTime that is not ISO 8601 UTC raises SigninLabError quoting it."""
    raw = dict(record("Root user, unsuccessful sign-in"), eventTime="yesterday")
    with pytest.raises(SigninLabError, match="'yesterday'"):
        ConsoleLogin.parse(raw)


def test_other_event_is_refused() -> None:
    """A CheckMfa record is not a ConsoleLogin: parse raises naming its eventName."""
    raw = ENTRIES["IAM user, sign-in process checks for MFA (single MFA device type)"]["record"]
    with pytest.raises(SigninLabError, match="'CheckMfa'"):
        ConsoleLogin.parse(raw)


def test_is_console_login_on_the_examples() -> None:
    """Exactly the ten documented ConsoleLogin records are console logins."""
    assert set(EXPECTED) == {s for s, e in ENTRIES.items() if is_console_login(e["record"])}


def test_succeeded_and_is_root() -> None:
    """succeeded and is_root follow outcome and user type."""
    login = ConsoleLogin.parse(ENTRIES["Root user, unsuccessful sign-in"]["record"])
    assert (False, True) == (login.succeeded, login.is_root)
