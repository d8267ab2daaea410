"""`signin-lab cost`: the table and JSON, option errors named by field, --region as the price book."""

from __future__ import annotations

import json

import pytest

from signin_lab.cli import main
from signin_lab.cli.cost import cost_command
from signin_lab.costs import Scenario, estimate, load_prices
from signin_lab.errors import SigninLabError


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run the CLI in-process and return (exit status, stdout, stderr)."""
    with pytest.raises(SystemExit) as info:
        main(argv)
    out, err = capsys.readouterr()
    return int(info.value.code or 0), out, err


def test_json_parses_and_totals_agree() -> None:
    """The JSON output parses, and its lines, services and total agree."""
    data = json.loads(cost_command(12, 3, "GB", "paid", "json"))
    assert data["total"] == pytest.approx(sum(line["usd"] for line in data["lines"]))
    assert data["total"] == pytest.approx(sum(data["by_service"].values()))
    assert {"GB": 3} == data["scenario"]["sms_per_month"]


def test_json_matches_estimate() -> None:
    """The JSON total is estimate()'s total for the same scenario."""
    data = json.loads(cost_command(None, None, "GB", "legacy", "json"))
    assert estimate(Scenario.blog()).total == pytest.approx(data["total"])


def test_alarms_set_alerts() -> None:
    """--alarms N gives N alarms and N metrics."""
    data = json.loads(cost_command(11, None, "GB", "legacy", "json"))
    assert (11, 11) == (data["scenario"]["alarms"], data["scenario"]["custom_metrics"])


def test_table_shows_the_bill() -> None:
    """The table names every service and the total."""
    text = cost_command(None, None, "GB", "legacy", "table")
    for word in ("CloudTrail", "CloudWatch", "S3", "SNS", "total", "0.0800"):
        assert word in text


def test_table_shows_credits_on_new_plans() -> None:
    """On the free plan the table shows the credits applied."""
    assert "credits applied" in cost_command(None, None, "GB", "free", "table")


@pytest.mark.parametrize(
    ("argv", "option", "field"),
    [
        (["--alarms", "-1"], "--alarms", "alarms"),
        (["--sms", "-1"], "--sms/--country", "sms_per_month['GB']"),
        (["--sms", "1", "--country", "ZZ"], "--sms/--country", "sms_per_month['ZZ']"),
    ],
)
def test_bad_value_names_its_option(
    argv: list[str], option: str, field: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A value Scenario refuses is one line led by the option its error's field maps to, exit 2."""
    code, _, err = run(["cost", *argv], capsys)
    assert (2, 1) == (code, len(err.strip().splitlines()))
    assert err.startswith(f"signin-lab: error: {option}: {field}: ")


def test_scenario_error_carries_its_field() -> None:
    """The mapping reads the error's field attribute, set where Scenario refuses the value."""
    with pytest.raises(SigninLabError) as info:
        cost_command(-1, None, "GB", "legacy", "json")
    assert "alarms" == info.value.field


@pytest.mark.parametrize(("option", "value"), [("--plan", "gold"), ("--format", "yaml")])
def test_choices_are_checked_by_click(
    option: str, value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """--plan and --format are click choices: anything else is a usage error listing them."""
    code, _, err = run(["cost", option, value], capsys)
    assert 2 == code
    assert f"Invalid value for '{option}': '{value}' is not one of" in err


def test_plan_choices_are_the_models_plans() -> None:
    """--plan offers exactly the plans the cost model knows (signin_lab.costs.PLANS)."""
    from signin_lab.cli.cost import PLAN_CHOICES
    from signin_lab.costs import PLANS

    assert PLANS == PLAN_CHOICES


def test_region_chooses_the_price_book(capsys: pytest.CaptureFixture[str]) -> None:
    """--region REGION prices the month with that Region's book (the report names it)."""
    region = load_prices().region
    code, out, _ = run(["cost", "--region", region, "--format", "json"], capsys)
    assert (0, region) == (code, json.loads(out)["region"])


def test_region_without_a_book_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    """A Region without a price book is one line naming --region, it and the books that exist."""
    code, _, err = run(["cost", "--region", "ap-southeast-4"], capsys)
    assert (2, 1) == (code, len(err.strip().splitlines()))
    assert "--region" in err and "'ap-southeast-4'" in err and load_prices().region in err


def test_cost_takes_no_target(capsys: pytest.CaptureFixture[str]) -> None:
    """cost reaches no target: --target is a usage error (exit 2)."""
    code, _, err = run(["cost", "--target", "aws"], capsys)
    assert 2 == code
    assert "No such option '--target'" in err


def test_old_import_path_warns_and_still_works() -> None:
    """signin_lab.costs.cli.cost_command still works for one release, with a DeprecationWarning."""
    import signin_lab.costs.cli as old

    with pytest.warns(DeprecationWarning, match=r"signin_lab\.cli\.cost\.cost_command"):
        moved = old.cost_command
    assert cost_command is moved
