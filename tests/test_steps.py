"""Console and CLI steps: generated from LabConfig, and the AWS CLI commands build what deploy builds."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from signin_lab import Lab, LabConfig, SigninLabError, steps
from signin_lab.server import RunningServer
from tests.test_cfn import _deployed_state

EMAIL = "you@example.com"
SMS = "+447700900123"
#: The AWS CLI `make test` installs in a venv of its own (its docutils pin conflicts with Sphinx's);
#: SIGNIN_LAB_AWS_CLI points elsewhere.
AWS = Path(os.environ.get("SIGNIN_LAB_AWS_CLI") or Path(__file__).resolve().parent.parent / ".venv/awscli/bin/aws")

#: The blog's stack with the CIS controls (seven alerts), a retention and no default value: every
#: command kind once; run once (about 50 AWS CLI processes), as the bash script `steps.script` prints.
CONFIG = LabConfig(cis=True, email=EMAIL, sms=SMS, log_retention_days=365, default_value=None)


def _run_script(server: RunningServer, cfg: LabConfig) -> None:
    """Run `steps.script(cfg)` in bash with the real AWS CLI against the moto server."""
    assert AWS.exists(), f"the AWS CLI is not installed at {AWS}: `make test` installs it (or set SIGNIN_LAB_AWS_CLI)"
    env = {
        "PATH": f"{AWS.parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "HOME": os.environ.get("HOME", "/tmp"),
        "AWS_ENDPOINT_URL": server.url,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_PAGER": "",
    }
    done = subprocess.run(
        ["bash", "-c", steps.script(cfg)], check=False, env=env, capture_output=True, text=True, timeout=300
    )
    assert 0 == done.returncode, done.stderr.strip()[-2000:]


@pytest.mark.server
def test_cli_commands_build_what_deploy_builds(moto_server: RunningServer) -> None:
    """Run with the AWS CLI on a moto server and read back, the stack equals `deploy`'s on moto."""
    with Lab.moto(region=CONFIG.region, config=CONFIG) as lab:
        lab.deploy()
        expected = _deployed_state(lab)
    moto_server.reset()
    try:
        _run_script(moto_server, CONFIG)
        built = _deployed_state(Lab.endpoint(moto_server.url, region=CONFIG.region, config=CONFIG))
    finally:
        moto_server.reset()
    for part in ("role", "topics", "bucket", "trail", "log_group", "filters", "alarms"):
        assert expected[part] == built[part], part


def test_stages_are_in_run_order() -> None:
    """The stages come in the order the commands must run: role and topics before trail, alarms last."""
    assert ["iam", "sns", "cloudtrail", "logs", "metric_filters", "alarms"] == [s.key for s in steps.stages()]


def test_one_filter_and_one_alarm_command_per_alert() -> None:
    """The CIS config's seven alerts give seven put-metric-filter and seven put-metric-alarm commands."""
    cfg = LabConfig(cis=True)
    operations = steps.frame(cfg)["operation"].tolist()
    assert (7, 7) == (operations.count("put-metric-filter"), operations.count("put-metric-alarm"))


def test_sms_subscriptions_only_on_sms_alerts() -> None:
    """The blog sends SMS only for successful root sign-ins: one sms subscribe command."""
    text = steps.cli(LabConfig(email=EMAIL, sms=SMS), "sns")
    sms_lines = [line for line in text.splitlines() if "--protocol sms" in line]
    assert 1 == len(sms_lines)
    assert "signin-console-success-root" in sms_lines[0]


def test_no_subscribe_without_email_or_phone() -> None:
    """A config with no email and no phone number gives topics but no subscribe command."""
    assert "subscribe" not in steps.cli(LabConfig(), "sns")


def test_commands_follow_the_config() -> None:
    """Renamed log group, another Region: every logs command names them."""
    cfg = LabConfig(region="eu-north-1", log_group_name="my-trail-logs")
    text = steps.cli(cfg, "metric_filters")
    assert all("--log-group-name my-trail-logs" in line and line.endswith("--region eu-north-1")
               for line in text.splitlines())


def test_patterns_are_quoted_for_the_shell() -> None:
    """The filter pattern survives shell quoting: shlex splits the line back to the pattern."""
    import shlex

    cfg = LabConfig()
    line = steps.cli(cfg, "metric_filters").splitlines()[0]
    words = shlex.split(line)
    assert cfg.alerts[0].pattern == words[words.index("--filter-pattern") + 1]


def test_us_east_1_bucket_has_no_location_constraint() -> None:
    """S3 refuses LocationConstraint=us-east-1; the command leaves it out there and sets it elsewhere."""
    assert "LocationConstraint" not in steps.cli(LabConfig(region="us-east-1"), "cloudtrail")
    assert "LocationConstraint=eu-west-1" in steps.cli(LabConfig(), "cloudtrail")


def test_console_steps_name_the_resources() -> None:
    """The console text for the alarms stage names each alarm and its topic."""
    cfg = LabConfig()
    text = steps.console(cfg, "alarms")
    assert all(f"Alarm name {a.alarm_name}" in text and f"topic {a.topic_name}" in text for a in cfg.alerts)


def test_console_sns_says_standard_not_fifo() -> None:
    """The SNS console steps pick a Standard topic and say why (FIFO cannot send email or SMS)."""
    assert "Type Standard (FIFO topics cannot deliver to email or SMS)" in steps.console(LabConfig(), "sns")


def test_unknown_stage_is_refused() -> None:
    """An unknown stage name is a one-line SigninLabError naming the stages."""
    with pytest.raises(SigninLabError, match="stage 'trail': not a stage; stages: iam, sns"):
        steps.cli(LabConfig(), "trail")


def test_script_runs_every_stage() -> None:
    """The bash script has a strict-mode header and every stage's title."""
    text = steps.script()
    assert text.startswith("#!/usr/bin/env bash\nset -euo pipefail\n")
    assert all(f"# {title}" in text for title in steps.TITLES.values())
