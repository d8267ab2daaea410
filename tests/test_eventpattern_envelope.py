"""The EventBridge envelope of CloudTrail records, and AWS's sign-in examples through it."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pytest

from signin_lab import SigninLabError, eventpattern
from signin_lab.eventpattern import (
    CONSOLE_SIGNIN_DETAIL_TYPE,
    CONSOLE_SIGNIN_DETAIL_TYPE_GUIDE,
    EventPattern,
    envelope,
)

EXAMPLES: list[dict[str, Any]] = json.loads(
    resources.files("signin_lab").joinpath("data/console_login_examples.json").read_text("utf-8"))
SIGNIN = {"source": ["aws.signin"], "detail": {"eventName": ["ConsoleLogin"]}}
LOGINS = [e for e in EXAMPLES if e["record"]["eventName"] == "ConsoleLogin"]
OTHERS = [e for e in EXAMPLES if e["record"]["eventName"] != "ConsoleLogin"]


@pytest.mark.parametrize("example", LOGINS, ids=[e["scenario"] for e in LOGINS])
def test_documented_console_logins_match_signin_rule(example: dict[str, Any]) -> None:
    """Every documented ConsoleLogin record, enveloped, passes TestEventPattern for the sign-in rule."""
    assert True is eventpattern.test(SIGNIN, envelope(example["record"]))


@pytest.mark.parametrize("example", OTHERS, ids=[e["scenario"] for e in OTHERS])
def test_documented_other_records_miss_signin_rule(example: dict[str, Any]) -> None:
    """Documented records that are not ConsoleLogin (CheckMfa, password change ...) do not match."""
    assert False is eventpattern.test(SIGNIN, envelope(example["record"]))


def test_envelope_fields() -> None:
    """The envelope has version 0, source aws.signin, account, time, region, empty resources, detail."""
    record = LOGINS[0]["record"]
    event = envelope(record)
    got = {k: event[k] for k in ("version", "source", "account", "time", "region", "resources")}
    expected = {"version": "0", "source": "aws.signin", "account": "999999999999",
                "time": "2023-07-19T21:44:40Z", "region": "us-east-1", "resources": []}
    assert (expected, record) == (got, event["detail"])


def test_default_detail_type_is_the_spelling_of_real_events() -> None:
    """A console sign-in record gets "AWS Console Sign In via CloudTrail" by default."""
    assert CONSOLE_SIGNIN_DETAIL_TYPE == envelope(LOGINS[0]["record"])["detail-type"]


def test_detail_type_can_be_chosen() -> None:
    """The caller can choose the user guide's spelling."""
    event = envelope(LOGINS[0]["record"], detail_type=CONSOLE_SIGNIN_DETAIL_TYPE_GUIDE)
    assert "AWS Console Signin via CloudTrail" == event["detail-type"]


def test_api_call_detail_type_for_other_services() -> None:
    """An IAM API record is an "AWS API Call via CloudTrail" event from aws.iam."""
    record = next(e["record"] for e in EXAMPLES if e["record"]["eventSource"] == "iam.amazonaws.com")
    event = envelope(record)
    assert ("AWS API Call via CloudTrail", "aws.iam") == (event["detail-type"], event["source"])


@pytest.mark.parametrize(("rule_spelling", "event_spelling", "expected"), [
    (CONSOLE_SIGNIN_DETAIL_TYPE, CONSOLE_SIGNIN_DETAIL_TYPE, True),
    (CONSOLE_SIGNIN_DETAIL_TYPE, CONSOLE_SIGNIN_DETAIL_TYPE_GUIDE, False),
    (CONSOLE_SIGNIN_DETAIL_TYPE_GUIDE, CONSOLE_SIGNIN_DETAIL_TYPE, False),
    (CONSOLE_SIGNIN_DETAIL_TYPE_GUIDE, CONSOLE_SIGNIN_DETAIL_TYPE_GUIDE, True),
])
def test_rule_on_one_spelling_misses_the_other(rule_spelling: str, event_spelling: str,
                                               expected: bool) -> None:
    """A rule that names one detail-type spelling misses events with the other."""
    rule = EventPattern({"source": ["aws.signin"], "detail-type": [rule_spelling]})
    event = envelope(LOGINS[0]["record"], detail_type=event_spelling)
    assert expected is rule.matches(event)


@pytest.mark.parametrize("spelling", [CONSOLE_SIGNIN_DETAIL_TYPE, CONSOLE_SIGNIN_DETAIL_TYPE_GUIDE])
def test_source_and_event_name_rule_ignores_spelling(spelling: str) -> None:
    """The kit's rule (source + detail.eventName) matches whichever spelling the event has."""
    assert True is eventpattern.test(SIGNIN, envelope(LOGINS[0]["record"], detail_type=spelling))


def test_id_is_deterministic() -> None:
    """The same record always gets the same id."""
    record = LOGINS[0]["record"]
    assert envelope(record)["id"] == envelope(json.loads(json.dumps(record)))["id"]


def test_ids_differ_between_records() -> None:
    """Records with different eventIDs get different ids."""
    assert len({envelope(e["record"])["id"] for e in LOGINS}) == len(
        {e["record"]["eventID"] for e in LOGINS})


def test_event_id_can_be_given() -> None:
    """An explicit event_id is used as it is."""
    assert "abc" == envelope(LOGINS[0]["record"], event_id="abc")["id"]


def test_record_without_region_is_refused() -> None:
    """A record without awsRegion cannot be enveloped; the error names the field."""
    record = {k: v for k, v in LOGINS[0]["record"].items() if k != "awsRegion"}
    with pytest.raises(SigninLabError, match="awsRegion"):
        envelope(record)


def test_account_falls_back_to_user_identity() -> None:
    """Without recipientAccountId, the account is userIdentity.accountId."""
    record = {k: v for k, v in LOGINS[0]["record"].items() if k != "recipientAccountId"}
    assert "999999999999" == envelope(record)["account"]
