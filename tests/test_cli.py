"""The `signin-lab` command: deploy and teardown, and one-line errors with exit status 2."""

from __future__ import annotations

import pytest

from signin_lab.cli import main


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run the CLI in-process and return (exit status, stdout, stderr)."""
    with pytest.raises(SystemExit) as info:
        main(argv)
    out, err = capsys.readouterr()
    return int(info.value.code or 0), out, err


def test_deploy_prints_what_it_built(capsys: pytest.CaptureFixture[str]) -> None:
    """deploy on in-process moto lists every resource it created."""
    code, out, _ = run(["deploy", "--email", "you@example.com"], capsys)
    assert 0 == code
    assert "events-management" in out
    assert "signin-console-success-root" in out
    assert "deploy: 22 created" in out


def test_bad_email_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    """An invalid email prints one line on stderr naming it, and exits 2."""
    code, _, err = run(["deploy", "--email", "nobody"], capsys)
    assert 2 == code
    assert 1 == len(err.strip().splitlines())
    assert "email" in err and "'nobody'" in err


def test_bad_phone_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    """A phone number that is not E.164 is refused with exit 2."""
    code, _, err = run(["deploy", "--sms", "07700 900123"], capsys)
    assert 2 == code
    assert "E.164" in err


def test_bad_target_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown --target is named, exit 2."""
    code, _, err = run(["teardown", "--target", "localstack"], capsys)
    assert 2 == code
    assert "localstack" in err


def test_aws_target_needs_yes_when_not_interactive(capsys: pytest.CaptureFixture[str]) -> None:
    """--target aws without a terminal and without --yes refuses before touching AWS."""
    code, _, err = run(["deploy", "--target", "aws"], capsys)
    assert 2 == code
    assert "--yes" in err


def test_teardown_of_nothing_is_harmless(capsys: pytest.CaptureFixture[str]) -> None:
    """teardown on an empty target reports nothing to change."""
    code, out, _ = run(["teardown"], capsys)
    assert 0 == code
    assert "nothing to change" in out


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown command is a usage error (click's status 2)."""
    code, _, err = run(["frobnicate"], capsys)
    assert 2 == code
    assert "frobnicate" in err


def test_serve_refuses_a_bad_port(capsys: pytest.CaptureFixture[str]) -> None:
    """serve with a port outside 0-65535 is refused in one line."""
    code, _, err = run(["serve", "--port", "70000"], capsys)
    assert 2 == code
    assert "70000" in err


def test_cost_json_is_machine_readable(capsys: pytest.CaptureFixture[str]) -> None:
    """cost --format json prints one JSON document whose total is the blog's two UK SMS."""
    import json

    code, out, _ = run(["cost", "--format", "json"], capsys)
    assert 0 == code
    assert 0.08 == pytest.approx(json.loads(out)["total"])


def test_cost_unknown_country_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    """A country with no sourced SMS price is an error naming it, not a silent zero."""
    code, _, err = run(["cost", "--sms", "3", "--country", "FR"], capsys)
    assert 2 == code
    assert "'FR'" in err
