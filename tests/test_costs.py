"""Tests of signin_lab.costs: the blog's bill, each free allowance boundary, the plans, sources, bad input."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from signin_lab.costs import PRICES_DIR, Scenario, estimate, load_prices
from signin_lab.costs.model import Report
from signin_lab.errors import SigninLabError

CONFORMANCE = Path(__file__).parent / "conformance" / "costs_blog_bill.json"
CASES = json.loads(CONFORMANCE.read_text(encoding="utf-8"))["cases"]
PRICES = load_prices()
#: The book load_prices() reads when given no path (the us-east-1 one).
PRICES_PATH = PRICES_DIR / "us-east-1.json"


def price(key: str) -> float:
    """USD for one unit of a prices.json item."""
    return PRICES.items[key].unit_price


def line_usd(report: Report, key: str) -> float:
    """The USD of the report's line with this prices.json key."""
    (line,) = [line for line in report.lines if line.key == key]
    return line.usd


# --- the blog's bill (conformance data) -----------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_conformance_bill(case: dict[str, Any]) -> None:
    """Each documented bill is reproduced from the price data."""
    report = estimate(Scenario.blog().replace(**case["changes"]))
    expect = case["expect"]
    for service, usd in expect.get("by_service", {}).items():
        assert usd == pytest.approx(report.by_service[service], abs=1e-9)
    for key, usd in expect.get("lines", {}).items():
        assert usd == pytest.approx(line_usd(report, key), abs=1e-9)
    for country, usd in expect.get("usd_per_sms", {}).items():
        (sms,) = [line for line in report.lines if line.key == country]
        assert usd == pytest.approx(sms.usd / sms.quantity, abs=1e-9)
    for country, count in expect.get("sms", {}).items():
        assert count == report.scenario.sms_per_month[country]


def test_blog_month_costs_only_its_sms() -> None:
    """The blog's month on the legacy free tier costs two UK SMS and nothing else."""
    report = estimate(Scenario.blog())
    assert 2 * PRICES.sms["GB"].unit_price == pytest.approx(report.total)
    assert {"CloudTrail": 0.0, "CloudWatch": 0.0, "S3": 0.0} == {
        k: v for k, v in report.by_service.items() if k != "SNS"
    }


def test_blog_scenario_is_the_blogs_setup() -> None:
    """Scenario.blog() has four metrics, four alarms, one trail and two SMS to the UK."""
    blog = Scenario.blog()
    assert (4, 4, 1, {"GB": 2}, "legacy") == (
        blog.custom_metrics,
        blog.alarms,
        blog.trails,
        dict(blog.sms_per_month),
        blog.plan,
    )


def test_blog_s3_volume_is_about_30_kb_a_day() -> None:
    """The blog's S3 volume is about 30 KB a day over a 30-day month."""
    assert 30_000 * 30 / 1e9 == pytest.approx(Scenario.blog().s3_gb)


# --- free allowance boundaries ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "key", "free"),
    [
        ("alarms", "cloudwatch.alarms", 10),
        ("custom_metrics", "cloudwatch.custom_metrics", 10),
        ("emails_per_month", "sns.email", 1_000),
        ("publishes_per_month", "sns.publishes", 1_000_000),
    ],
)
def test_allowance_boundary_is_free(field: str, key: str, free: int) -> None:
    """Exactly the free allowance costs nothing."""
    assert 0.0 == line_usd(estimate(Scenario.blog().replace(**{field: free})), key)


@pytest.mark.parametrize(
    ("field", "key", "free"),
    [
        ("alarms", "cloudwatch.alarms", 10),
        ("custom_metrics", "cloudwatch.custom_metrics", 10),
        ("emails_per_month", "sns.email", 1_000),
        ("publishes_per_month", "sns.publishes", 1_000_000),
    ],
)
def test_allowance_boundary_plus_one_costs_one_unit(field: str, key: str, free: int) -> None:
    """One unit over the free allowance costs exactly one unit's price."""
    report = estimate(Scenario.blog().replace(**{field: free + 1}))
    assert price(key) == pytest.approx(line_usd(report, key))


def test_eleven_alarms_cost_ten_cents() -> None:
    """The 11th alarm is the first billed one: USD 0.10 a month."""
    report = estimate(Scenario.blog().replace(alarms=11))
    assert 0.10 == pytest.approx(line_usd(report, "cloudwatch.alarms"))


def test_first_trail_is_free() -> None:
    """One trail's management events are the free first copy."""
    report = estimate(Scenario.blog().replace(trails=1, management_events_per_month=100_000))
    assert 0.0 == report.by_service["CloudTrail"]


def test_second_trail_pays_for_its_copy() -> None:
    """A second trail's copy of 100,000 management events costs USD 2.00."""
    report = estimate(Scenario.blog().replace(trails=2, management_events_per_month=100_000))
    assert 2.00 == pytest.approx(report.by_service["CloudTrail"])


def test_no_trail_has_no_cloudtrail_events() -> None:
    """Without a trail nothing is delivered, so nothing is counted."""
    report = estimate(Scenario.blog().replace(trails=0))
    (first,) = [line for line in report.lines if line.key == "cloudtrail.management_first_copy"]
    assert 0.0 == first.quantity


def test_data_events_are_charged() -> None:
    """100,000 data events cost USD 0.10; the blog's trail has none and shows no line."""
    report = estimate(Scenario.blog().replace(data_events_per_month=100_000))
    assert 0.10 == pytest.approx(line_usd(report, "cloudtrail.data_events"))
    assert "cloudtrail.data_events" not in {line.key for line in estimate(Scenario.blog()).lines}


def test_log_allowance_covers_five_gb_of_ingestion() -> None:
    """5 GB of log ingestion a month is free."""
    report = estimate(Scenario.blog().replace(log_gb_ingested=5.0, log_gb_stored=0.0))
    assert 0.0 == report.by_service["CloudWatch"]


def test_log_allowance_is_shared_with_storage() -> None:
    """Ingestion uses the one 5 GB allowance first, so storage on top of it is billed."""
    report = estimate(Scenario.blog().replace(log_gb_ingested=5.0, log_gb_stored=1.0))
    assert 0.0 == line_usd(report, "cloudwatch.logs_ingested")
    assert price("cloudwatch.logs_stored") == pytest.approx(
        line_usd(report, "cloudwatch.logs_stored")
    )


def test_log_ingestion_over_allowance() -> None:
    """6 GB ingested bills 1 GB at the ingestion price."""
    report = estimate(Scenario.blog().replace(log_gb_ingested=6.0, log_gb_stored=0.0))
    assert 0.50 == pytest.approx(line_usd(report, "cloudwatch.logs_ingested"))


def test_sms_has_no_free_allowance() -> None:
    """Every SMS to the UK is billed."""
    report = estimate(Scenario.blog().replace(sms_per_month={"GB": 1}))
    assert 0.04 == pytest.approx(line_usd(report, "GB"))


# --- the plans --------------------------------------------------------------------------------


def test_legacy_s3_free_in_month_twelve() -> None:
    """The legacy 12-month free tier still covers S3 in month 12."""
    assert 0.0 == estimate(Scenario.blog().replace(month=12)).by_service["S3"]


def test_legacy_s3_billed_in_month_thirteen() -> None:
    """After 12 months the blog's 720 PUTs and its storage are billed."""
    report = estimate(Scenario.blog().replace(month=13))
    expected = 720 * price("s3.puts") + Scenario.blog().s3_gb * price("s3.storage")
    assert expected == pytest.approx(report.by_service["S3"])


def test_legacy_has_no_credits() -> None:
    """The legacy free tier has no credits: what the month costs is due."""
    report = estimate(Scenario.blog())
    assert (None, report.total) == (report.credits, report.due)


@pytest.mark.parametrize("plan", ["free", "paid"])
def test_new_plans_have_no_twelve_month_s3(plan: str) -> None:
    """Accounts after 15 July 2025 have no 12-month S3 offer: S3 is billed (and paid by credits)."""
    assert estimate(Scenario.blog(plan=plan)).by_service["S3"] > 0  # type: ignore[arg-type]


@pytest.mark.parametrize("plan", ["free", "paid"])
def test_new_plans_keep_always_free_allowances(plan: str) -> None:
    """CloudWatch's 10 alarms and metrics stay free on the new plans."""
    assert 0.0 == estimate(Scenario.blog(plan=plan)).by_service["CloudWatch"]  # type: ignore[arg-type]


def test_free_plan_credits_pay_everything() -> None:
    """On the free plan the credits cover the month and nothing is due."""
    report = estimate(Scenario.blog(plan="free"))
    assert report.credits is not None
    assert (report.total, 0.0) == (pytest.approx(report.credits.applied_usd), report.due)


def test_free_plan_lasts_six_months_when_cheap() -> None:
    """A cheap month leaves the six-month limit as what closes the free plan."""
    credits = estimate(Scenario.blog(plan="free")).credits
    assert credits is not None
    assert 6.0 == credits.account_closes_after_months


def test_free_plan_closes_when_credits_run_out() -> None:
    """At USD 50 a month, USD 100 of credits close the free plan after two months."""
    costly = Scenario.blog(plan="free").replace(sms_per_month={"GB": 1250}, s3_puts=0, s3_gb=0.0)
    credits = estimate(costly).credits
    assert credits is not None
    assert 2.0 == pytest.approx(credits.account_closes_after_months)


def test_free_plan_month_after_closing_is_an_error() -> None:
    """Month 7 of the free plan does not exist: the error names the month."""
    with pytest.raises(SigninLabError, match=r"^month: .*six months"):
        estimate(Scenario.blog(plan="free").replace(month=7))


def test_earned_credits_extend_the_free_plan() -> None:
    """USD 100 earned on top doubles how long USD 50 a month lasts."""
    costly = Scenario.blog(plan="free").replace(
        sms_per_month={"GB": 1250}, s3_puts=0, s3_gb=0.0, earned_credits=100
    )
    credits = estimate(costly).credits
    assert credits is not None
    assert 4.0 == pytest.approx(credits.account_closes_after_months)


def test_earned_credits_over_the_maximum() -> None:
    """More than USD 100 of earned credits is an error naming earned_credits."""
    with pytest.raises(SigninLabError, match=r"^earned_credits: "):
        estimate(Scenario.blog(plan="paid").replace(earned_credits=150))


def test_earned_credits_on_legacy_plan_are_refused() -> None:
    """The legacy free tier has no credits, so earned credits there are an error, not ignored."""
    with pytest.raises(SigninLabError, match=r"^earned_credits: plan 'legacy' has no credits"):
        estimate(Scenario.blog().replace(earned_credits=50))


def test_paid_plan_pays_what_credits_leave() -> None:
    """At USD 60 a month, month 2 has USD 40 of credits left and USD 20 due."""
    costly = Scenario.blog(plan="paid").replace(sms_per_month={"GB": 1500}, s3_puts=0, s3_gb=0.0)
    report = estimate(costly.replace(month=2))
    assert report.credits is not None
    assert (40.0, 20.0) == (
        pytest.approx(report.credits.remaining_at_start_usd),
        pytest.approx(report.due),
    )


def test_paid_plan_credits_expire_after_twelve_months() -> None:
    """In month 13 of the paid plan the credits have expired and the whole month is due."""
    report = estimate(Scenario.blog(plan="paid").replace(month=13))
    assert report.total == pytest.approx(report.due)


def test_free_plan_never_charges() -> None:
    """Even a costly month on the free plan leaves nothing due."""
    report = estimate(Scenario.blog(plan="free").replace(sms_per_month={"GB": 2000}))
    assert 0.0 == report.due


# --- sources -------------------------------------------------------------------------------------


def test_every_line_carries_a_source() -> None:
    """Each line of a full estimate names where its price comes from."""
    scenario = Scenario.blog().replace(data_events_per_month=1, design="eventbridge")
    for line in estimate(scenario).lines:
        assert line.source.startswith("https://") or "blog" in line.source, line.key


def test_every_price_has_source_and_read_date() -> None:
    """prices.json gives every price and allowance a source page and an ISO read date."""
    raw = json.loads(PRICES_PATH.read_text(encoding="utf-8"))
    entries = [
        *raw["items"].values(),
        *raw["sms"].values(),
        *raw["eventbridge"].values(),
        *raw["plans"].values(),
        *raw["pools"].values(),
    ]
    for entry in entries:
        assert entry["source"] and len(entry["read"]) == len("2026-11-27"), entry


def test_aws_sourced_prices_cite_aws_pages() -> None:
    """Every price except the blog's SMS figure cites an AWS page."""
    for item in PRICES.items.values():
        assert item.source.startswith(("https://aws.amazon.com/", "https://docs.aws.amazon.com/"))


# --- bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"alarms": -1}, "alarms"),
        ({"custom_metrics": "4"}, "custom_metrics"),
        ({"trails": 1.5}, "trails"),
        ({"trails": True}, "trails"),
        ({"management_events_per_month": None}, "management_events_per_month"),
        ({"log_gb_ingested": -0.1}, "log_gb_ingested"),
        ({"log_gb_stored": float("nan")}, "log_gb_stored"),
        ({"s3_gb": math.inf}, "s3_gb"),
        ({"s3_puts": -5}, "s3_puts"),
        ({"emails_per_month": "many"}, "emails_per_month"),
        ({"sms_per_month": {"GB": -2}}, r"sms_per_month\['GB'\]"),
        ({"sms_per_month": {"GB": 2.5}}, r"sms_per_month\['GB'\]"),
        ({"sms_per_month": [("GB", 2)]}, "sms_per_month"),
        ({"month": 0}, "month"),
        ({"earned_credits": -1}, "earned_credits"),
        ({"plan": "gold"}, "plan"),
        ({"design": "lambda"}, "design"),
    ],
)
def test_bad_input_names_the_field(changes: dict[str, Any], field: str) -> None:
    """A bad quantity, plan or design raises SigninLabError starting with the field's name."""
    with pytest.raises(SigninLabError, match=rf"^{field}: "):
        Scenario.blog().replace(**changes)


def test_unknown_country_is_an_error_not_zero() -> None:
    """A country with no known SMS price is refused, naming the country."""
    with pytest.raises(SigninLabError, match=r"no known SMS price for country 'FR'"):
        Scenario(sms_per_month={"FR": 1})


def test_country_code_is_case_insensitive() -> None:
    """'gb' and 'GB' are the same country."""
    assert {"GB": 3} == dict(Scenario(sms_per_month={"gb": 1, "GB": 2}).sms_per_month)


def test_estimate_refuses_other_objects() -> None:
    """estimate() wants a Scenario, and says so."""
    with pytest.raises(SigninLabError, match=r"^scenario: "):
        estimate({"alarms": 4})  # type: ignore[arg-type]


def test_price_file_without_source(tmp_path: Path) -> None:
    """A price without a source is refused, naming the file and the item."""
    raw = json.loads(PRICES_PATH.read_text(encoding="utf-8"))
    raw["items"]["sns.email"]["source"] = ""
    path = tmp_path / "prices.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(SigninLabError, match=r"prices\.json: items\.sns\.email\.source: "):
        load_prices(path)


def test_price_file_not_json(tmp_path: Path) -> None:
    """A broken price file is refused with its line and column."""
    path = tmp_path / "prices.json"
    path.write_text('{"items": ', encoding="utf-8")
    with pytest.raises(SigninLabError, match=r"prices\.json: line 1, column"):
        load_prices(path)


# --- the report ----------------------------------------------------------------------------------


def test_lines_add_up_to_total() -> None:
    """The lines and the services both add up to the total."""
    report = estimate(Scenario.blog(plan="paid").replace(alarms=12, trails=2))
    assert report.total == pytest.approx(sum(line.usd for line in report.lines))
    assert report.total == pytest.approx(sum(report.by_service.values()))


def test_billable_is_quantity_minus_free() -> None:
    """Every line's billable quantity is what its allowance leaves."""
    for line in estimate(Scenario.blog().replace(alarms=15, emails_per_month=1_200)).lines:
        assert line.quantity - line.free == pytest.approx(line.billable)


def test_frame_has_one_row_per_line() -> None:
    """report.frame() is a DataFrame of the lines with the documented columns."""
    report = estimate(Scenario.blog())
    frame = report.frame()
    assert len(report.lines) == len(frame)
    assert {
        "service",
        "item",
        "quantity",
        "free",
        "billable",
        "unit_price",
        "usd",
        "source",
    } <= set(frame.columns)


def test_scenario_is_frozen_and_hashable() -> None:
    """A Scenario cannot be changed in place and can key a dict."""
    blog = Scenario.blog()
    with pytest.raises(AttributeError):
        blog.alarms = 5  # type: ignore[misc]
    assert {blog: 1}[Scenario.blog()] == 1


def test_import_is_light() -> None:
    """Importing signin_lab.costs and estimating imports neither pandas nor matplotlib."""
    code = (
        "import sys; from signin_lab.costs import Scenario, estimate; estimate(Scenario.blog()); "
        "print(sorted(m for m in ('pandas', 'matplotlib', 'boto3') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "[]" == out.stdout.strip()
