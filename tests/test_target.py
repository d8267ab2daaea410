"""Target: one parser for moto | http(s)://... | aws, named capabilities, nothing left in os.environ."""

from __future__ import annotations

import os

import pytest
from botocore.stub import Stubber

from signin_lab import Lab, SigninLabError
from signin_lab.target import Target, redact

CAPABILITIES = ("emulated", "in_process", "fixed_account", "keeps_audit_logs", "needs_confirmation", "fake_credentials")


def _capabilities(target: Target) -> dict[str, bool]:
    return {name: getattr(target, name) for name in CAPABILITIES}


def test_parse_moto_starts_in_process_moto() -> None:
    """"moto" is in-process moto: emulated, fixed account, fake credentials, no confirmation."""
    target = Target.parse("moto", "eu-west-1")
    try:
        expected = {"emulated": True, "in_process": True, "fixed_account": True, "keeps_audit_logs": False,
                        "needs_confirmation": False, "fake_credentials": True}
        assert expected == _capabilities(target)
    finally:
        target.close()


def test_parse_url_is_a_moto_server() -> None:
    """An http(s) URL is a moto server: emulated, not in process, account read from STS."""
    target = Target.parse("http://127.0.0.1:5000/", "eu-west-1")
    expected = {"emulated": True, "in_process": False, "fixed_account": False, "keeps_audit_logs": False,
                    "needs_confirmation": False, "fake_credentials": True}
    assert (expected, "http://127.0.0.1:5000") == (_capabilities(target), target.endpoint_url)


def test_parse_aws_with_confirmation() -> None:
    """"aws" with confirm_aws=True is real AWS: keeps audit logs, needs confirmation, real credentials."""
    target = Target.parse("aws", "eu-west-1", confirm_aws=True)
    expected = {"emulated": False, "in_process": False, "fixed_account": False, "keeps_audit_logs": True,
                    "needs_confirmation": True, "fake_credentials": False}
    assert expected == _capabilities(target)


def test_parse_aws_without_confirmation_is_refused() -> None:
    """"aws" without confirm_aws is a SigninLabError on the target field."""
    with pytest.raises(SigninLabError, match="real AWS account") as info:
        Target.parse("aws", "eu-west-1")
    assert "target" == info.value.field


def test_parse_bad_value_names_it() -> None:
    """Anything else is refused, naming the value and what is accepted."""
    with pytest.raises(SigninLabError, match=r"target 'mot': expected 'moto'"):
        Target.parse("mot", "eu-west-1")


def test_credentials_in_a_url_are_redacted() -> None:
    """A URL with user:password in it never shows them in the error."""
    with pytest.raises(SigninLabError) as info:
        Target.parse("http://alice:s3cret@127.0.0.1:5000", "eu-west-1")
    assert "s3cret" not in str(info.value) and "***@127.0.0.1:5000" in str(info.value)


def test_redact_leaves_a_plain_url_alone() -> None:
    """A URL without credentials is shown as it is."""
    assert "http://127.0.0.1:5000" == redact("http://127.0.0.1:5000")


def test_kind_is_read_only() -> None:
    """Target.kind cannot be changed after the target is made."""
    target = Target.parse("http://127.0.0.1:5000", "eu-west-1")
    with pytest.raises(AttributeError, match="read-only"):
        target.kind = "aws"


def test_lab_open_parses_the_value() -> None:
    """Lab.open("moto") is an in-process moto lab."""
    with Lab.open("moto") as lab:
        assert (True, "moto") == (lab.target.in_process, lab.kind)


def test_lab_open_aws_needs_confirm() -> None:
    """Lab.open("aws") without confirm=True is refused before any call."""
    with pytest.raises(SigninLabError, match="real AWS account"):
        Lab.open("aws")


def test_moto_leaves_environment_unchanged(monkeypatch: pytest.MonkeyPatch) -> None:
    """Opening and closing Lab.moto() leaves os.environ exactly as it was."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
    before = dict(os.environ)
    with Lab.moto():
        pass
    assert before == dict(os.environ)


def test_aws_after_moto_does_not_sign_with_fake_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """After a moto lab closes, Lab.aws(confirm=True) uses the caller's own key, not "testing"."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    with Lab.moto():
        pass
    lab = Lab.aws(confirm=True)
    sts = lab.client("sts")
    with Stubber(sts) as stub:
        stub.add_response(
            "get_caller_identity",
            {"Account": "111122223333", "Arn": "arn:aws:iam::111122223333:user/alice", "UserId": "AIDAEXAMPLE"},
        )
        assert "111122223333" == lab.config.account_id
    assert "AKIAIOSFODNN7EXAMPLE" == lab.target.session().get_credentials().access_key


def test_moto_ignores_a_missing_profile_and_restores_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """With AWS_PROFILE naming a profile this machine lacks, moto still answers, and AWS_PROFILE is back after close."""
    monkeypatch.setenv("AWS_PROFILE", "no-such-profile-here")
    with Lab.moto() as lab:
        topics = lab.client("sns").list_topics()["Topics"]
    assert ([], "no-such-profile-here") == (topics, os.environ["AWS_PROFILE"])


def test_endpoint_account_must_be_12_digits() -> None:
    """An endpoint account of 13 digits is refused on the account field."""
    from signin_lab.errors import SigninLabError
    from signin_lab.target import Target

    with pytest.raises(SigninLabError) as info:
        Target.endpoint("http://127.0.0.1:5000", "eu-west-1", account="1000000000011")
    assert "account" == info.value.field


def test_endpoint_account_with_a_newline_is_refused() -> None:
    """A trailing newline does not pass the account check (fullmatch)."""
    from signin_lab.errors import SigninLabError
    from signin_lab.target import Target

    with pytest.raises(SigninLabError):
        Target.endpoint("http://127.0.0.1:5000", "eu-west-1", account="100000000001\n")


def test_account_on_real_aws_is_refused() -> None:
    """Target.parse refuses an account for "aws": the caller's credentials choose it."""
    from signin_lab.errors import SigninLabError
    from signin_lab.target import Target

    with pytest.raises(SigninLabError, match="only a moto server"):
        Target.parse("aws", "eu-west-1", confirm_aws=True, account="100000000001")


def test_label_names_the_learners_account() -> None:
    """A learner's target is labelled with the server URL and the account."""
    from signin_lab.target import Target

    target = Target.endpoint("http://127.0.0.1:5000", "eu-west-1", account="100000000001")
    assert "http://127.0.0.1:5000 (account 100000000001)" == target.label
