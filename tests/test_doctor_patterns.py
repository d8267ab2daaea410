"""Pattern against reality: signin_lab.doctor.patterns.judge on AWS's documented sign-in records (no AWS, no moto)."""

from __future__ import annotations

from signin_lab.config import BLOG_ROOT_PATTERN_TEMPLATE, CIS_PATTERNS, LabConfig
from signin_lab.doctor.patterns import documented_samples, judge

CFG = LabConfig(cis=True)
SAMPLES = documented_samples()


def test_kit_patterns_match_every_documented_record_of_their_kind() -> None:
    """Each of the four kit patterns matches all AWS examples of its alert's kind."""
    statuses = {a.key: judge(a, a.pattern, SAMPLES).status for a in CFG.alerts if not a.cis_control}
    assert {"failure-iam": "OK", "failure-root": "OK", "success-iam": "OK", "success-root": "OK"} == statuses


def test_blog_root_pattern_names_the_root_field() -> None:
    """`"root"` against CloudTrail's "Root": BROKEN, naming the condition and the record's value."""
    verdict = judge(CFG.alert("failure-root"), BLOG_ROOT_PATTERN_TEMPLATE.format(result="Failure"), SAMPLES)
    assert ("BROKEN", True) == (verdict.status, 'the record has $.userIdentity.type = "Root"' in verdict.read)


def test_not_equal_on_a_missing_field_never_matches() -> None:
    """`!=` is false on a record without the field: excluding one user by ARN also drops failures that carry no ARN."""
    pattern = ('{ ($.eventName = "ConsoleLogin") && ($.userIdentity.type = "IAMUser") '
               '&& ($.responseElements.ConsoleLogin = "Failure") '
               '&& ($.userIdentity.arn != "arn:aws:iam::111122223333:user/break-glass") }')
    verdict = judge(CFG.alert("failure-iam"), pattern, SAMPLES)
    assert ("AT RISK", True) == (verdict.status, "the record has no field $.userIdentity.arn" in verdict.read)


def test_cis_authentication_failure_pattern_misses_the_unknown_user() -> None:
    """CIS's exact CloudWatch.6 pattern misses AWS's 'incorrect user name' failure example."""
    verdict = judge(CFG.alert("CloudWatch.6"), CIS_PATTERNS["CloudWatch.6"], SAMPLES)
    assert ("AT RISK", True) == (verdict.status, "Sign-in failure caused by incorrect user name" in verdict.read)


def test_invalid_pattern_is_broken() -> None:
    """A pattern CloudWatch Logs would refuse cannot match anything."""
    assert "BROKEN" == judge(CFG.alert("failure-iam"), '{ $.eventName = "ConsoleLogin" ', SAMPLES).status


def test_term_pattern_names_the_nearest_record_without_a_field() -> None:
    """A term pattern that misses has no field to blame; the nearest record is still named."""
    verdict = judge(CFG.alert("success-root"), "ROOT", SAMPLES)
    assert ("BROKEN", True) == (verdict.status, "does not match its text" in verdict.read)


def test_no_record_of_the_kind_is_unknown() -> None:
    """With only records of other kinds to test on, the verdict is UNKNOWN, not OK."""
    iam_only = [s for s in SAMPLES if (s.record.get("userIdentity") or {}).get("type") == "IAMUser"]
    assert "UNKNOWN" == judge(CFG.alert("success-root"), CFG.alert("success-root").pattern, iam_only).status
