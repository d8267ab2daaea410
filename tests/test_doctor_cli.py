"""`signin-lab doctor` and the doctor's safety: read-only calls, exit statuses, text and JSON output."""

from __future__ import annotations

import json
from typing import Any

import pytest

from signin_lab import Lab
from signin_lab.cli import main
from signin_lab.doctor import doctor

#: Reads only; Test is logs TestMetricFilter, made on real AWS, which stores nothing (see doctor.reader).
READ_ONLY = ("Describe", "Get", "List", "Test")


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(["doctor", *args])
    out, err = capsys.readouterr()
    return int(exc.value.code or 0), out, err


def test_doctor_makes_only_read_calls(lab: Lab, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every API call the doctor makes on both designs, in every Region, is a Describe, Get, List or Test."""
    lab.deploy(email="learner@example.com", sms="+447700900123", design="both")
    key = lab.client("kms").create_key()["KeyMetadata"]["KeyId"]
    topic = f"arn:aws:sns:eu-west-1:{lab.config.account_id}:signin-console-success-root"
    lab.client("sns").set_topic_attributes(TopicArn=topic, AttributeName="KmsMasterKeyId", AttributeValue=key)
    calls: list[tuple[str, str]] = []
    hooked: set[int] = set()
    make = lab.target.client

    def client(service: str, region: str | None = None) -> Any:
        c = make(service, region)
        if id(c) not in hooked:
            hooked.add(id(c))
            where = c.meta.region_name
            c.meta.events.register("before-call.*.*", lambda model, **kw: calls.append((model.name, where)))
        return c

    monkeypatch.setattr(lab.target, "client", client)
    doctor(lab)
    assert [] == [op for op, _ in calls if not op.startswith(READ_ONLY)]
    assert {"DescribeTrails", "GetKeyPolicy", "ListTargetsByRule", "GetRole", "GetSMSAttributes"} <= {
        op for op, _ in calls
    }


def test_doctor_reads_rules_in_every_signin_region(lab: Lab, monkeypatch: pytest.MonkeyPatch) -> None:
    """The EventBridge design is read (ListRules) in every Region plan(cfg) says sign-ins are recorded in."""
    from signin_lab.stack.eventbridge_plan import plan

    lab.deploy(email="learner@example.com", design="eventbridge")
    regions: list[str] = []
    make = lab.target.client

    def client(service: str, region: str | None = None) -> Any:
        c = make(service, region)
        if service == "events":
            where = c.meta.region_name
            c.meta.events.register("before-call.events.ListRules", lambda **kw: regions.append(where))
        return c

    monkeypatch.setattr(lab.target, "client", client)
    doctor(lab)
    assert sorted(plan(lab.config).regions) == sorted(set(regions))


def test_reader_refuses_a_write() -> None:
    """The reader the doctor reads through refuses any operation that is not a read."""
    from signin_lab.doctor.reader import Reader

    with Lab.moto() as lab, pytest.raises(AssertionError, match="only reads"):
        Reader(lab).call("sns", "publish", TopicArn="x", Message="y")


def test_cli_healthy_moto_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    """In-process moto: the blog's stack is deployed, every alert reaches its subscribers, exit 0."""
    rc, out, _ = _run(capsys)
    assert (0, "all 4 alert chain(s) can reach their subscribers") == (rc, out.strip().splitlines()[-1])


def test_cli_json_is_the_diagnosis(capsys: pytest.CaptureFixture[str]) -> None:
    """--format json prints the diagnosis: ok, one headline per alert, the findings."""
    rc, out, _ = _run(capsys, "--format", "json", "--alert", "failure-iam")
    data = json.loads(out)
    assert (0, True, {"failure-iam": None}) == (rc, data["ok"], data["headlines"])


def test_cli_unknown_alert_exits_two(capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown --alert is bad input: one line on stderr, exit 2."""
    rc, _, err = _run(capsys, "--alert", "nope")
    assert (2, 1) == (rc, len(err.strip().splitlines()))


def test_cli_broken_records_exit_two(capsys: pytest.CaptureFixture[str], tmp_path: Any) -> None:
    """--records naming a file that is not CloudTrail is bad input, exit 2."""
    bad = tmp_path / "bad.json"
    bad.write_text("not json")
    rc, _, err = _run(capsys, "--records", str(bad))
    assert (2, True) == (rc, err.startswith("signin-lab: error:"))


def test_cli_broken_alert_exits_one_with_headline(server_lab: Lab, moto_server: Any,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """On a moto server with alarm actions disabled, the text names the broken link and its fix; exit 1."""
    server_lab.deploy(email="you@example.com", sms="+447700900123")
    server_lab.client("cloudwatch").disable_alarm_actions(AlarmNames=["signin-console-success-root"])
    rc, out, _ = _run(capsys, "--target", moto_server.url, "--alert", "success-root")
    lines = out.splitlines()  # the in-test moto server prints its own notes to stdout too
    assert (1, "success-root: BROKEN at action: alarm.actions-enabled") == (
        rc,
        next(x for x in lines if x.startswith("success-root")),
    )
    assert "  fix (cli): aws cloudwatch enable-alarm-actions --alarm-names signin-console-success-root" in lines


def test_text_names_the_first_link_at_risk(deployed: Lab) -> None:
    """An alert that still reaches its subscribers but has a link at risk shows that link and its fix."""
    from signin_lab.cli.doctor import render_text

    deployed.client("cloudtrail").update_trail(Name="events-management", IsMultiRegionTrail=False)
    lines = render_text(doctor(deployed, alert="success-iam")).splitlines()
    assert ["success-iam: reaches its subscribers (1 link(s) at risk)", "  at risk: trail.multi-region: Root"] == [
        lines[0], lines[1][:len("  at risk: trail.multi-region: Root")]]


def test_cli_design_eventbridge_on_moto_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    """--design eventbridge on in-process moto: that design is deployed and diagnosed, the blog's absent."""
    rc, out, _ = _run(capsys, "--design", "eventbridge", "--format", "json")
    data = json.loads(out)
    assert (0, {"blog": False, "eventbridge": True}) == (rc, data["designs"])


def test_cli_records_from_a_missing_bucket_exits_two(capsys: pytest.CaptureFixture[str]) -> None:
    """--records s3:// on a bucket that does not exist: one line on stderr naming it, exit 2."""
    rc, _, err = _run(capsys, "--records", "s3://no-such-bucket-example/AWSLogs/")
    assert (2, 1, True) == (rc, len(err.strip().splitlines()), "no-such-bucket-example" in err)
