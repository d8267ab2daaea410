"""Lab targets: in-process moto with fake credentials, a moto server, real AWS only on request."""

from __future__ import annotations

import pytest

from signin_lab import Lab, SigninLabError


def test_moto_uses_fake_credentials(lab: Lab) -> None:
    """In-process moto signs every call with the fake 'testing' key."""
    creds = lab.target.session().get_credentials()
    assert "testing" == creds.access_key
    assert "moto" == lab.kind


def test_moto_account_is_fixed(lab: Lab) -> None:
    """The account id on moto is moto's fixed 123456789012."""
    assert "123456789012" == lab.config.account_id


def test_aws_refused_without_confirm() -> None:
    """Lab.aws() without confirm=True refuses before touching anything."""
    with pytest.raises(SigninLabError, match="confirm=True"):
        Lab.aws(region="eu-west-1")


def test_from_env_defaults_to_moto(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without SIGNIN_LAB_TARGET, from_env is in-process moto."""
    monkeypatch.delenv("SIGNIN_LAB_TARGET", raising=False)
    with Lab.from_env() as lab:
        assert "moto" == lab.kind


def test_from_env_reads_an_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    """SIGNIN_LAB_TARGET=http://... points every client at that URL."""
    monkeypatch.setenv("SIGNIN_LAB_TARGET", "http://127.0.0.1:5999")
    lab = Lab.from_env()
    assert "http://127.0.0.1:5999" == lab.client("sns").meta.endpoint_url


def test_from_env_rejects_nonsense(monkeypatch: pytest.MonkeyPatch) -> None:
    """An unknown SIGNIN_LAB_TARGET is named in the error."""
    monkeypatch.setenv("SIGNIN_LAB_TARGET", "localstack")
    with pytest.raises(SigninLabError, match="localstack"):
        Lab.from_env()


def test_unknown_region_is_refused() -> None:
    """A Region that does not exist is refused before moto starts."""
    with pytest.raises(SigninLabError, match="region"):
        Lab.moto(region="mars-north-1")


def test_bad_endpoint_url_is_refused() -> None:
    """An endpoint that is not an http(s) URL is refused."""
    with pytest.raises(SigninLabError, match="ftp://x"):
        Lab.endpoint("ftp://x")


def test_server_target_reads_account(server_lab: Lab) -> None:
    """On a moto server the account id is read through STS."""
    assert "123456789012" == server_lab.config.account_id
    assert "endpoint" == server_lab.kind


def test_import_is_light() -> None:
    """`import signin_lab` loads none of boto3, moto, pandas, matplotlib."""
    import subprocess
    import sys

    code = (
        "import sys, signin_lab, signin_lab.cli; "
        "print(sorted(m for m in ('boto3','moto','pandas','matplotlib') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "[]" == out.stdout.strip()
