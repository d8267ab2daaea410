"""What moto cannot store (the SMS sandbox, origination identities, a pending email subscription),
driven with botocore's Stubber and the response shapes AWS documents:
https://docs.aws.amazon.com/sns/latest/api/API_GetSMSSandboxAccountStatus.html,
https://docs.aws.amazon.com/sns/latest/api/API_ListSMSSandboxPhoneNumbers.html,
https://docs.aws.amazon.com/sns/latest/api/API_ListSubscriptionsByTopic.html (PendingConfirmation),
https://docs.aws.amazon.com/pinpoint/latest/apireference_smsvoicev2/API_DescribeSenderIds.html."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from signin_lab.config import LabConfig
from signin_lab.doctor.chain import Context, names_for
from signin_lab.doctor.reader import Reader
from signin_lab.doctor.sns import sms_links, subscription_links

NUMBER = "+447700900123"
CONFIG = LabConfig(email="you@example.com", sms=NUMBER)
GB = [{"Name": "iso-country-code", "Values": ["GB"]}]


class StubLab:
    """The part of a Lab the Reader uses: stubbed clients, the kind, the config."""

    kind = "aws"
    target = SimpleNamespace(emulated=False, in_process=False)

    def __init__(self) -> None:
        self.config = CONFIG
        self.clients: dict[str, Any] = {}
        self.stubbers: dict[str, Stubber] = {}

    def client(self, service: str, region: str | None = None) -> Any:
        if service not in self.clients:
            self.clients[service] = boto3.client(
                service, region_name=region or "eu-west-1", aws_access_key_id="testing",
                aws_secret_access_key="testing", aws_session_token="testing")
            self.stubbers[service] = Stubber(self.clients[service])
            self.stubbers[service].activate()
        return self.clients[service]

    def stub(self, service: str) -> Stubber:
        self.client(service)
        return self.stubbers[service]


@pytest.fixture
def stub_lab() -> Iterator[StubLab]:
    """A StubLab whose every queued response must be used by the test."""
    lab = StubLab()
    yield lab
    for stubber in lab.stubbers.values():
        stubber.assert_no_pending_responses()


def _sms(lab: StubLab) -> dict[str, str]:
    findings = sms_links(Reader(lab), "success-root", NUMBER, "eu-west-1", {})  # type: ignore[arg-type]
    return {f.id: f.status for f in findings}


def _queue_settings(lab: StubLab, *, sandbox: bool, verified: str | None = None, limit: str = "10",
                    sender_ids: int = 1) -> None:
    sns = lab.stub("sns")
    sns.add_response("get_sms_sandbox_account_status", {"IsInSandbox": sandbox}, {})
    if sandbox:
        numbers = [{"PhoneNumber": NUMBER, "Status": verified}] if verified else []
        sns.add_response("list_sms_sandbox_phone_numbers", {"PhoneNumbers": numbers}, {})
    sns.add_response(
        "get_sms_attributes", {"attributes": {"MonthlySpendLimit": limit}}, {"attributes": ["MonthlySpendLimit"]}
    )
    v2 = lab.stub("pinpoint-sms-voice-v2")
    ids = [{"SenderIdArn": "arn:aws:sms-voice:eu-west-1:123456789012:sender-id/SIGNIN/GB", "SenderId": "SIGNIN",
            "IsoCountryCode": "GB", "MessageTypes": ["TRANSACTIONAL"], "MonthlyLeasingPrice": "0.00",
            "DeletionProtectionEnabled": False, "Registered": True}] * sender_ids
    v2.add_response("describe_sender_ids", {"SenderIds": ids}, {"Filters": GB})
    v2.add_response("describe_phone_numbers", {"PhoneNumbers": []}, {"Filters": GB})


def test_out_of_sandbox_with_limit_and_sender_id_is_ok(stub_lab: StubLab) -> None:
    """Production SMS, a 10 USD limit and a UK sender ID: every SMS link is OK."""
    _queue_settings(stub_lab, sandbox=False)
    assert {"sms.sandbox": "OK", "sms.spend-limit": "OK", "sms.sender-id": "OK"} == _sms(stub_lab)


def test_sandbox_with_unverified_number_is_broken(stub_lab: StubLab) -> None:
    """In the SMS sandbox, a number that is not verified receives nothing."""
    _queue_settings(stub_lab, sandbox=True, verified="Pending")
    assert "BROKEN" == _sms(stub_lab)["sms.sandbox"]


def test_sandbox_with_verified_number_is_at_risk(stub_lab: StubLab) -> None:
    """In the SMS sandbox a verified number receives, and no other number would."""
    _queue_settings(stub_lab, sandbox=True, verified="Verified")
    assert "AT RISK" == _sms(stub_lab)["sms.sandbox"]


def test_default_spend_limit_is_at_risk(stub_lab: StubLab) -> None:
    """MonthlySpendLimit "1", a new account's, is AT RISK."""
    _queue_settings(stub_lab, sandbox=False, limit="1")
    assert "AT RISK" == _sms(stub_lab)["sms.spend-limit"]


def test_uk_number_without_origination_identity_is_broken(stub_lab: StubLab) -> None:
    """No UK sender ID or phone number: UK SMS fail with NO_ORIGINATION_IDENTITIES_FOUND."""
    _queue_settings(stub_lab, sandbox=False, sender_ids=0)
    assert "BROKEN" == _sms(stub_lab)["sms.sender-id"]


def test_pending_email_subscription_is_broken(stub_lab: StubLab) -> None:
    """An email subscription still PendingConfirmation receives nothing."""
    alert = CONFIG.alert("failure-iam")
    arn = CONFIG.topic_arn(alert)
    pending = {"SubscriptionArn": "PendingConfirmation", "Owner": CONFIG.account_id, "Protocol": "email",
               "Endpoint": "you@example.com", "TopicArn": arn}
    stub_lab.stub("sns").add_response("list_subscriptions_by_topic", {"Subscriptions": [pending]}, {"TopicArn": arn})
    reader = Reader(stub_lab)  # type: ignore[arg-type]
    ctx = Context(
        reader, CONFIG, alert, [], datetime(2026, 1, 1, tzinfo=UTC), names=names_for(CONFIG, alert), topic_arn=arn
    )
    subs = reader.pages("sns", "list_subscriptions_by_topic", "Subscriptions", TopicArn=arn)
    [finding] = subscription_links(ctx, subs)
    assert ("subscription.confirmed", "BROKEN", True) == (
        finding.id,
        finding.status,
        "PendingConfirmation" in finding.read,
    )


def _pattern_finding(lab: StubLab, pattern: str, aws_matches: list[int]) -> Any:
    """filter.pattern-matches for success-root on a stubbed real account whose TestMetricFilter matches aws_matches."""
    from signin_lab.doctor.chain import filter_links
    from signin_lab.doctor.patterns import documented_samples, intent

    alert = CONFIG.alert("success-root")
    samples = documented_samples()
    kind = [s for s in samples if intent(alert)(s.record)]  # type: ignore[misc]
    messages = [json.dumps(s.record) for s in kind]
    name = alert.filter_name
    t = {"metricName": name, "metricNamespace": "CloudTrailMetrics", "metricValue": "1", "defaultValue": 0.0}
    logs = lab.stub("logs")
    logs.add_response(
        "describe_metric_filters",
        {
            "metricFilters": [
                {
                    "filterName": name,
                    "filterPattern": pattern,
                    "metricTransformations": [t],
                    "logGroupName": CONFIG.log_group_name,
                }
            ]
        },
        {"logGroupName": CONFIG.log_group_name},
    )
    logs.add_response(
        "test_metric_filter",
        {"matches": [{"eventNumber": i + 1, "eventMessage": messages[i], "extractedValues": {}} for i in aws_matches]},
        {"filterPattern": pattern, "logEventMessages": messages},
    )
    ctx = Context(Reader(lab), CONFIG, alert, samples, datetime(2026, 1, 1, tzinfo=UTC), names=names_for(CONFIG, alert))  # type: ignore[arg-type]
    return filter_links(ctx)[1]


def test_real_account_pattern_check_asks_test_metric_filter(stub_lab: StubLab) -> None:
    """On a real account the same records go to TestMetricFilter (a read); when AWS agrees, the finding says so."""
    finding = _pattern_finding(stub_lab, CONFIG.alert("success-root").pattern, [0, 1, 2])
    assert ("OK", True) == (finding.status, finding.read.endswith("logs TestMetricFilter agrees"))


def test_real_account_test_metric_filter_answer_wins(stub_lab: StubLab) -> None:
    """When TestMetricFilter matches fewer records than the kit's engine, AWS's answer sets the status."""
    finding = _pattern_finding(stub_lab, CONFIG.alert("success-root").pattern, [0])
    assert ("AT RISK", True) == (finding.status, "TestMetricFilter matches 1 of the first 3" in finding.read)
