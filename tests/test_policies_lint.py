"""Every IAM, S3 bucket and SNS topic policy the kit writes passes the parliament IAM policy linter."""

from __future__ import annotations

import json
import warnings
from typing import Any

import pytest

from signin_lab.config import LabConfig
from signin_lab.stack import policies

#: Two configurations: the blog's (with the CIS alerts) and one with other names, Region and account.
CONFIGS = {
    "blog+cis": LabConfig(cis=True),
    "custom": LabConfig(
        region="us-east-1",
        account_id="111122223333",
        name_prefix="alerts",
        bucket_name="my-trail-bucket",
        log_group_name="/org/cloudtrail",
        role_name="TrailToLogs",
        cis=True,
    ),
}


def _all_policies() -> list[tuple[str, str, dict[str, Any]]]:
    """(id, kind, document) for every policy signin_lab.stack.policies writes, in every config."""
    out: list[tuple[str, str, dict[str, Any]]] = []
    for label, cfg in CONFIGS.items():
        out.append((f"{label}:trust", "trust", policies.cloudtrail_trust_policy(cfg)))
        out.append((f"{label}:logs", "identity", policies.cloudtrail_logs_policy(cfg)))
        out.append((f"{label}:bucket", "bucket", policies.trail_bucket_policy(cfg)))
        for alert in cfg.alerts:
            out.append((f"{label}:topic:{alert.topic_name}", "topic", policies.topic_policy(cfg, alert)))
    return out


POLICIES = _all_policies()


def _analyze() -> Any:
    """parliament's analyze_policy_string; importing parliament 1.6 leaves its data files open.

    `json.load(open(...))` at import time (parliament/__init__.py) emits a ResourceWarning, which
    this project turns into an error; it is parliament's, not ours, so it is ignored here only.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        from parliament import analyze_policy_string
    return analyze_policy_string


def _findings(doc: dict[str, Any], *, community: bool = False) -> list[tuple[str, str, Any]]:
    result = _analyze()(json.dumps(doc), include_community_auditors=community)
    return [(f.issue, f.detail, f.location) for f in result.findings]


def _is_known_false_positive(kind: str, doc: dict[str, Any], finding: tuple[str, str, Any]) -> bool:
    """The exact parliament findings that are wrong for AWS-documented policies, and nothing else.

    1. A role trust policy has no Resource element: "all policy types except trust policies" need
       one (https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html#access-analyzer-reference-policy-checks-error-missing-resource),
       and CloudTrail's documented trust policy has none
       (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html).
       parliament checks identity policies only and reports MALFORMED (duo-labs/parliament#229).
    2. Community auditor PERMISSIONS_MANAGEMENT_ACTIONS on the topic policy's owner statement: it
       is SNS's default statement for the topic owner
       (https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html), and its
       principal is the account itself, which only delegates to the account's own IAM policies
       (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-accounts),
       so it grants nobody anything IAM does not.
    """
    issue, detail, location = finding
    if kind == "trust" and issue == "MALFORMED" and detail == "Statement contains neither Resource nor NotResource":
        return all("Resource" not in s and s["Action"] == "sts:AssumeRole" for s in doc["Statement"])
    if kind == "topic" and issue == "PERMISSIONS_MANAGEMENT_ACTIONS":
        owner = [s for s in doc["Statement"] if s["Sid"] == "AccountOwnerManagesTopic"]
        account_root = [s for s in owner if s["Principal"].get("AWS", "").endswith(":root")]
        granted = {a.lower() for s in account_root for a in s["Action"]}
        return bool(account_root) and set(location["actions"]) <= granted
    return False


@pytest.mark.parametrize(("kind", "doc"), [(k, d) for _, k, d in POLICIES], ids=[i for i, _, _ in POLICIES])
def test_policy_has_no_parliament_findings(kind: str, doc: dict[str, Any]) -> None:
    """parliament's default auditors report nothing but the documented trust-policy false positive."""
    real = [f for f in _findings(doc) if not _is_known_false_positive(kind, doc, f)]
    assert [] == real


@pytest.mark.parametrize(("kind", "doc"), [(k, d) for _, k, d in POLICIES], ids=[i for i, _, _ in POLICIES])
def test_policy_has_no_community_auditor_findings(kind: str, doc: dict[str, Any]) -> None:
    """parliament's community auditors report nothing but the documented false positives."""
    real = [f for f in _findings(doc, community=True) if not _is_known_false_positive(kind, doc, f)]
    assert [] == real


def test_trust_policy_false_positive_is_the_only_trust_finding() -> None:
    """The filtered trust-policy finding is exactly the missing-Resource one, once per statement."""
    found = _findings(policies.cloudtrail_trust_policy())
    assert [("MALFORMED", "Statement contains neither Resource nor NotResource")] == [f[:2] for f in found]


def test_missing_resource_is_still_reported_outside_trust_policies() -> None:
    """The filter is narrow: an identity policy without Resource is still a finding."""
    doc = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "logs:PutLogEvents"}]}
    finding = _findings(doc)[0]
    assert ("MALFORMED", False) == (finding[0], _is_known_false_positive("identity", doc, finding))


def test_permissions_management_is_still_reported_for_other_principals() -> None:
    """The filter is narrow: granting SNS:SetTopicAttributes to another account is still a finding."""
    doc = policies.topic_policy(LabConfig(), LabConfig().alerts[0])
    doc["Statement"][0]["Principal"] = {"AWS": "*"}
    findings = [f for f in _findings(doc, community=True) if f[0] == "PERMISSIONS_MANAGEMENT_ACTIONS"]
    assert 1 == len(findings)
    assert not _is_known_false_positive("topic", doc, findings[0])


def test_linter_catches_a_resource_mismatch() -> None:
    """parliament is really checking: s3:GetObject on a bucket ARN (not objects) is reported."""
    doc = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-trail-bucket"}],
    }
    assert "RESOURCE_MISMATCH" in [f[0] for f in _findings(doc)]
