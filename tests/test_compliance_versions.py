"""CIS Benchmark versions per design: exact filters for v1.2/v1.4, monitoring from v4.0.1 on."""

from __future__ import annotations

from signin_lab import Lab
from signin_lab.compliance import by_version, check_versions
from signin_lab.compliance.findings import Finding
from signin_lab.compliance.versions import VERSIONS

EMAIL = "you@example.com"


def _finding(control: str, status: str = "PASSED", missed: tuple[str, ...] = ()) -> Finding:
    return Finding(control=control, title=control, status=status, reason="", reason_code=None,  # type: ignore[arg-type]
                   intended=("a",), caught=() if missed else ("a",), missed=missed)


def test_security_hub_versions_are_v12_and_v14_only() -> None:
    """Only v1.2.0 and v1.4.0 ask for the exact filters Security Hub checks."""
    assert ["1.2.0", "1.4.0"] == [v for v, (asks, _, _) in VERSIONS.items() if asks == "exact filter (Security Hub)"]


def test_eventbridge_never_satisfies_an_exact_filter_version() -> None:
    """Even with every rule in place, EventBridge fails v1.2.0's controls."""
    report = by_version([], ["CloudWatch.3", "CloudWatch.6", "failure-iam", "failure-root"])
    assert False is report.summary()["1.2.0"]["eventbridge"]


def test_failure_rules_monitor_authentication_failures_from_v4() -> None:
    """The failure-iam and failure-root rules are evidence for CloudWatch.6 in v4.0.1."""
    report = by_version([], ["failure-iam", "failure-root"])
    row = next(v for v in report if (v.version, v.design, v.control) == ("4.0.1", "eventbridge", "CloudWatch.6"))
    assert True is row.satisfied


def test_root_usage_is_not_monitored_by_signin_rules() -> None:
    """CloudWatch.1 (any API call by root) is not covered by sign-in rules."""
    report = by_version([], ["failure-root", "success-root"])
    row = next(v for v in report if (v.version, v.design, v.control) == ("5.0.0", "eventbridge", "CloudWatch.1"))
    assert "no EventBridge rule monitors these events (root API usage beyond sign-ins)" == row.why


def test_blog_monitored_verdict_follows_the_semantic_misses() -> None:
    """A blog filter that misses events fails a "monitored" version even if Security Hub passes it."""
    report = by_version([_finding("CloudWatch.6", "PASSED", missed=("wrong user name",))])
    row = next(v for v in report if (v.version, v.design, v.control) == ("4.0.1", "blog", "CloudWatch.6"))
    assert (False, "the metric filters miss: wrong user name") == (row.satisfied, row.why)


def test_check_versions_on_both_designs(lab: Lab) -> None:
    """Both designs deployed with CIS: the blog satisfies v1.2.0, EventBridge does not."""
    lab.deploy(email=EMAIL, cis=True, design="both")
    summary = check_versions(lab).summary()
    assert {"blog": True, "eventbridge": False} == summary["1.2.0"]
