"""The compliance package: ControlScenario (Scenario deprecated), ARNs in every partition, paginated
subscriptions, and sign-in intents read through the typed ConsoleLogin view."""

from __future__ import annotations

import copy
import json
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from signin_lab import Lab, compliance
from signin_lab.compliance import DENIED, INTENTS, AccountState, ControlScenario, collect, evaluate
from signin_lab.compliance.collect import list_subscriptions
from signin_lab.errors import SigninLabError
from signin_lab.events.samples import aws_example_entries
from tests.conftest import EMAIL, SMS

TOPIC = "arn:aws:sns:eu-west-1:123456789012:signin-alerts"


@pytest.fixture(scope="module")
def cis_state() -> AccountState:
    """The AccountState of a cis=True deployment, read once."""
    with Lab.moto() as lab:
        lab.deploy(email=EMAIL, sms=SMS, cis=True)
        return collect(lab)


def _sns() -> Any:
    return boto3.client("sns", region_name="eu-west-1", aws_access_key_id="x", aws_secret_access_key="x")


def test_old_scenario_name_warns_and_is_control_scenario() -> None:
    """compliance.Scenario still imports, with a DeprecationWarning, as ControlScenario."""
    with pytest.warns(DeprecationWarning, match="ControlScenario"):
        from signin_lab.compliance import Scenario
    assert ControlScenario is Scenario


def test_scenario_no_longer_exported() -> None:
    """`from signin_lab.compliance import *` no longer brings a Scenario to clash with costs.Scenario."""
    assert ("Scenario" not in compliance.__all__, "ControlScenario" in compliance.__all__) == (True, True)


def test_check_keeps_its_public_import() -> None:
    """`from signin_lab.compliance import check` is the package's check function."""
    from signin_lab.compliance import check

    assert "signin_lab.compliance" == check.__module__


def test_subscriptions_follow_next_token() -> None:
    """ListSubscriptionsByTopic is paginated: both pages come back."""
    sns = _sns()
    sub = {"Protocol": "email", "Endpoint": "a@example.com", "TopicArn": TOPIC}
    with Stubber(sns) as stub:
        stub.add_response("list_subscriptions_by_topic",
                          {"Subscriptions": [dict(sub, SubscriptionArn=f"{TOPIC}:1")], "NextToken": "t"},
                          {"TopicArn": TOPIC})
        stub.add_response("list_subscriptions_by_topic",
                          {"Subscriptions": [dict(sub, SubscriptionArn="PendingConfirmation")]},
                          {"TopicArn": TOPIC, "NextToken": "t"})
        got = list_subscriptions(sns, TOPIC)
    assert [f"{TOPIC}:1", "PendingConfirmation"] == [s["SubscriptionArn"] for s in got]  # type: ignore[index]


def test_denied_listing_is_the_denied_marker() -> None:
    """AuthorizationError from ListSubscriptionsByTopic gives the DENIED marker, not an exception."""
    sns = _sns()
    with Stubber(sns) as stub:
        stub.add_client_error("list_subscriptions_by_topic", "AuthorizationError", expected_params={"TopicArn": TOPIC})
        assert DENIED == list_subscriptions(sns, TOPIC)


def _in_partition(state: AccountState, partition: str) -> AccountState:
    """The same account with every ARN in `partition` (as in aws-cn or aws-us-gov)."""
    text = json.dumps(copy.deepcopy(state).__dict__, default=str).replace("arn:aws:", f"arn:{partition}:")
    return AccountState(**json.loads(text))


@pytest.mark.parametrize("partition", ["aws-cn", "aws-us-gov"])
def test_other_partitions_pass_like_aws(cis_state: AccountState, partition: str) -> None:
    """The passing CIS deployment still passes when its ARNs are in another partition."""
    findings = evaluate(_in_partition(cis_state, partition))
    assert ["PASSED"] * 3 == [f.status for f in findings]


def test_sign_in_intents_fail_loudly_on_a_broken_record() -> None:
    """A ConsoleLogin without responseElements.ConsoleLogin is an error, not silently 'not a failure'."""
    record = copy.deepcopy(aws_example_entries()[0]["record"])
    del record["responseElements"]
    with pytest.raises(SigninLabError, match=r"responseElements\.ConsoleLogin"):
        INTENTS["CloudWatch.6"](record)


def test_mfa_intent_reads_yes_in_capitals_as_mfa() -> None:
    """CloudWatch.3's intent: the 2022 root example's "YES" is a sign-in with MFA, not without."""
    entry = next(e for e in aws_example_entries() if e["scenario"].endswith("(older doc version)"))
    assert False is INTENTS["CloudWatch.3"](entry["record"])
