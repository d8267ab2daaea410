"""The `signin-lab` command: deploy and teardown, and one-line errors with exit status 2."""

from __future__ import annotations

from pathlib import Path

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


def test_python_m_runs_the_cli() -> None:
    """`python -m signin_lab.cli --help` runs the same command group (cli/__main__.py)."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "signin_lab.cli", "--help"],
                          capture_output=True, text=True, check=True)
    for command in ("deploy", "teardown", "replay", "scan", "analyze", "cost", "check", "serve",
                    "export-cfn", "demo", "docs"):
        assert f"  {command} " in done.stdout


def test_error_field_names_the_option(monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    """An error whose `field` is "email" is printed led by --email (mapped by attribute)."""
    from signin_lab.errors import SigninLabError
    from signin_lab.lab import Lab

    def refuse(self: Lab, **_: object) -> None:
        raise SigninLabError("'nobody' is not an email address", field="email")

    monkeypatch.setattr(Lab, "deploy", refuse)
    code, _, err = run(["deploy"], capsys)
    assert (2, "signin-lab: error: --email: 'nobody' is not an email address") == (code, err.strip())


def test_error_text_is_not_parsed_for_an_option() -> None:
    """Without a `field`, a message that looks like "email: ..." is printed as it is."""
    from signin_lab.cli.common import error_line
    from signin_lab.errors import SigninLabError

    assert "signin-lab: error: email: bad" == error_line(SigninLabError("email: bad"))


@pytest.mark.parametrize(
    ("field", "option"),
    [("email", "--email"), ("sms", "--sms"), ("sms_per_month['FR']", "--sms/--country"),
     ("out", "--out"), ("no_such_field", None)],
)
def test_option_for_maps_fields(field: str, option: str | None) -> None:
    """A field (an entry of a mapping included) maps to its option; an unknown one to none."""
    from signin_lab.cli.common import option_for
    from signin_lab.errors import SigninLabError

    assert option == option_for(SigninLabError("x", field=field))


def test_demo_out_an_existing_file_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """demo --out FILE (an existing file) is one error line naming --out and the path, exit 2."""
    taken = tmp_path / "taken.png"
    taken.write_text("")
    code, out, err = run(["demo", "--out", str(taken)], capsys)
    assert (2, "") == (code, out)
    assert 1 == len(err.strip().splitlines())
    assert err.startswith("signin-lab: error: --out: ") and str(taken) in err


def test_demo_prints_every_step(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """demo renders each step the library returned, and saves the alarm dashboard PNG."""
    code, out, _ = run(["demo", "--out", str(tmp_path)], capsys)
    assert 0 == code
    for step in ("0. Deployed the blog's stack", "1. CloudTrail records:", "2. Delivery:",
                 "3. Metric filter datapoints:", "4. Alarm timeline", "5. Inbox: 4 email(s), 1 SMS"):
        assert step in out
    assert (tmp_path / "alarm-dashboard.png").read_bytes()[:4] == b"\x89PNG"


def test_run_demo_returns_data_and_prints_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """run_demo returns each step's data (stack, records, run, inbox, chart) and prints nothing."""
    from signin_lab.demo import run_demo

    result = run_demo(tmp_path)
    assert ("", "") == capsys.readouterr()
    assert (47, 5, tmp_path / "alarm-dashboard.png") == (
        len(result.records), len(result.inbox), result.chart)
    assert result.stack is not None and "22 created" in result.stack.summary()


def test_serve_prints_how_to_connect(monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    """serve starts a server on a free port and prints its URL and how learners connect."""
    from signin_lab.server import RunningServer

    monkeypatch.setattr(RunningServer, "wait", RunningServer.stop)  # return instead of blocking
    code, out, _ = run(["serve", "--port", "0"], capsys)
    assert 0 == code
    assert "moto server listening on http://127.0.0.1:" in out
    assert "export SIGNIN_LAB_TARGET=http://127.0.0.1:" in out


def test_scan_bad_target_for_s3_is_one_line_error(capsys: pytest.CaptureFixture[str]) -> None:
    """scan's --target reads s3:// URLs (issue 11): an unknown target is one line, exit 2."""
    code, _, err = run(["scan", "s3://bucket", "--target", "x"], capsys)
    assert (2, "signin-lab: error: --target: target 'x': expected 'moto', an http(s)://host:port moto server URL, or 'aws'\n") == (code, err)


@pytest.mark.parametrize(
    ("module", "name", "new"),
    [("signin_lab.stack.report", "print_deploy", "signin_lab.cli.render.stack_result"),
     ("signin_lab.emulator.demo", "print_run", "signin_lab.cli.render.print_run"),
     ("signin_lab.emulator.demo", "print_inbox", "signin_lab.cli.render.print_inbox"),
     ("signin_lab.compliance", "print_findings", "signin_lab.cli.render.findings")],
)
def test_moved_renderers_warn(module: str, name: str, new: str) -> None:
    """The renderers' old import paths still work for one release, with a DeprecationWarning."""
    import importlib

    old = importlib.import_module(module)
    with pytest.warns(DeprecationWarning, match=new.replace(".", r"\.")):
        assert callable(getattr(old, name))


def test_deprecated_print_deploy_prints_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    """signin_lab.stack.report.print_deploy(result) still prints the table and the summary."""
    from signin_lab.stack import report
    from signin_lab.stack.deploy import StackResult

    with pytest.warns(DeprecationWarning):
        print_deploy = report.print_deploy
    print_deploy(StackResult("deploy"))
    assert "signin-lab deploy" in capsys.readouterr().out


def test_closed_stdout_is_no_traceback() -> None:
    """When the reader of stdout has gone (`| head -1`), the command ends without a traceback."""
    import subprocess
    import sys

    samples = Path(__file__).resolve().parent.parent / "data" / "sample_events"
    proc = subprocess.Popen([sys.executable, "-m", "signin_lab.cli", "scan", str(samples)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # before the scan writes its first line
    err = proc.stderr.read().decode()
    proc.stderr.close()
    assert (1, "") == (proc.wait(), err)
