"""`signin-lab compare PATH`: both designs from the terminal; bad input is one line and exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from signin_lab import Lab
from signin_lab.cli import main
from signin_lab.cli.eventbridge import DESIGN_CHOICES, echo_versions
from signin_lab.compliance import check_versions
from signin_lab.events.samples import blog_test_signins


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run the CLI in-process and return (exit status, stdout, stderr)."""
    with pytest.raises(SystemExit) as info:
        main(argv)
    out, err = capsys.readouterr()
    return int(info.value.code or 0), out, err


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    """The blog's test sign-ins as one CloudTrail log file."""
    path = tmp_path / "signins.json"
    path.write_text(json.dumps({"Records": blog_test_signins()}))
    return path


def test_compare_json_lists_both_designs(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--format json prints the summary of both designs."""
    code, out, _ = run(["compare", str(archive), "--format", "json"], capsys)
    assert (0, ["blog", "eventbridge"]) == (code, [r["design"] for r in json.loads(out)["summary"]])


def test_compare_text_names_the_single_region_trail(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """With --single-region-trail the text says which sign-ins the blog misses and why."""
    _, out, _ = run(["compare", str(archive), "--single-region-trail"], capsys)
    assert "single-Region trail in eu-west-1; the sign-in was recorded in us-east-1" in out


def test_compare_saves_the_chart(archive: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--chart writes a PNG."""
    chart = tmp_path / "designs.png"
    run(["compare", str(archive), "--chart", str(chart)], capsys)
    assert b"\x89PNG" == chart.read_bytes()[:4]


def test_compare_missing_file_is_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A path that does not exist: one line on stderr, exit status 2."""
    code, _, err = run(["compare", str(tmp_path / "nope.json")], capsys)
    assert (2, 1) == (code, len(err.strip().splitlines()))


def test_compare_unknown_region_is_named(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown Region is refused by name, exit status 2."""
    code, _, err = run(["compare", str(archive), "--region", "mars-east-1"], capsys)
    assert (2, True) == (code, "mars-east-1" in err)


def test_echo_versions_prints_one_line_per_version(capsys: pytest.CaptureFixture[str]) -> None:
    """echo_versions prints a line for each CIS version with both designs' verdicts."""
    with Lab.moto() as lab:
        lab.deploy(email="you@example.com", cis=True, design="both")
        echo_versions(check_versions(lab))
    out = capsys.readouterr().out
    assert "  v1.2.0  blog: satisfied, eventbridge: not satisfied" in out


def test_design_choices_are_the_stacks_designs() -> None:
    """The CLI's --design choices are exactly the designs lab.deploy builds."""
    from signin_lab.stack.eventbridge_plan import DESIGNS

    assert tuple(DESIGNS) == DESIGN_CHOICES


def test_export_cfn_eventbridge_prints_one_template_per_region(capsys: pytest.CaptureFixture[str]) -> None:
    """export-cfn --design eventbridge prints one YAML document per Region, each headed by its Region."""
    from signin_lab.cfn_eventbridge import templates
    from signin_lab.config import LabConfig

    with pytest.raises(SystemExit) as stop:
        main(["export-cfn", "--design", "eventbridge"])
    out = capsys.readouterr().out
    regions = list(templates(LabConfig()))
    assert (0, len(regions)) == (stop.value.code, out.count("# Region: "))
    assert [f"# Region: {r} (the EventBridge design)" for r in regions] == [
        line for line in out.splitlines() if line.startswith("# Region: ")]


def test_check_reports_cis_versions(capsys: pytest.CaptureFixture[str]) -> None:
    """`signin-lab check` adds, after Security Hub's controls, the CIS versions each design satisfies."""
    with pytest.raises(SystemExit):
        main(["check"])
    out = capsys.readouterr().out
    assert "CIS AWS Foundations Benchmark, sign-in controls, by version:" in out
    assert "v1.2.0" in out


def test_deploy_design_eventbridge_builds_rules(capsys: pytest.CaptureFixture[str]) -> None:
    """`signin-lab deploy --design eventbridge` builds the EventBridge design and prints it."""
    with pytest.raises(SystemExit) as stop:
        main(["deploy", "--design", "eventbridge"])
    out = capsys.readouterr().out
    assert 0 == stop.value.code
    assert "rule" in out.lower()
