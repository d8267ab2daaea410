"""Price books per Region: costs/prices/<region>.json, validated against schema.json with jsonschema."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from signin_lab import LabConfig, SigninLabError
from signin_lab.costs import PRICES_DIR, SCHEMA_PATH, Scenario, estimate, price_book, price_regions

BOOKS = ("eu-west-1", "us-east-1")


def _raw(region: str) -> dict:
    return json.loads((PRICES_DIR / f"{region}.json").read_text(encoding="utf-8"))


def test_books_exist_for_both_regions() -> None:
    """There are price books for eu-west-1 (the lab's default) and us-east-1."""
    assert BOOKS == price_regions()


@pytest.mark.parametrize("region", BOOKS)
def test_book_follows_the_schema(region: str) -> None:
    """Each book validates against costs/prices/schema.json."""
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(_raw(region))


@pytest.mark.parametrize("region", BOOKS)
def test_book_is_for_its_region(region: str) -> None:
    """A book's `region` is the Region its file is named after."""
    assert region == price_book(region).region


@pytest.mark.parametrize("region", BOOKS)
def test_every_figure_has_source_and_read_date(region: str) -> None:
    """Every price of every book names its source and an ISO read date."""
    for price in price_book(region).all_prices():
        assert price.source and len(price.read) == len("2026-12-02"), price.key


def test_region_without_a_book_names_those_with_one() -> None:
    """A Region without a book is refused, naming the Regions that have one."""
    with pytest.raises(SigninLabError, match="ap-south-1.*eu-west-1, us-east-1") as info:
        price_book("ap-south-1")
    assert "region" == info.value.field


def test_eu_west_1_log_ingestion_is_irelands() -> None:
    """eu-west-1's log ingestion is AWS's Price List figure for Ireland, USD 0.57 per GB."""
    assert 0.57 == price_book("eu-west-1").items["cloudwatch.logs_ingested"].price_usd


def test_figures_not_found_for_eu_west_1_say_so() -> None:
    """Figures carried over from us-east-1 are marked and say NOT FOUND in their note."""
    carried = [p for p in price_book("eu-west-1").items.values() if p.carried_from]
    assert carried and all(p.carried_from == "us-east-1" and "NOT FOUND" in p.via for p in carried)


def test_report_lists_carried_figures() -> None:
    """An eu-west-1 estimate notes which of its figures are not confirmed for the Region."""
    notes = estimate(Scenario.blog(), prices=price_book("eu-west-1")).notes
    assert any(n.startswith("not confirmed for eu-west-1") and "s3.storage" in n for n in notes)


def test_estimate_takes_a_path() -> None:
    """estimate(prices=path) reads and validates that book."""
    assert "eu-west-1" == estimate(Scenario.blog(), prices=PRICES_DIR / "eu-west-1.json").region


def test_estimate_takes_a_dict() -> None:
    """estimate(prices=dict) validates the dict as a book."""
    assert "eu-west-1" == estimate(Scenario.blog(), prices=_raw("eu-west-1")).region


def test_bad_dict_names_the_json_path() -> None:
    """A book with a negative price is refused, naming the JSON path of the bad entry."""
    raw = _raw("eu-west-1")
    raw["items"]["cloudwatch.alarms"]["price_usd"] = -1
    with pytest.raises(SigninLabError, match=r"items\.cloudwatch\.alarms\.price_usd: ") as info:
        estimate(Scenario.blog(), prices=raw)
    assert "prices" == info.value.field


def test_missing_item_is_refused() -> None:
    """A book without one of the eleven items estimate() needs is refused by the schema."""
    raw = _raw("us-east-1")
    del raw["items"]["sns.email"]
    with pytest.raises(SigninLabError, match="sns.email"):
        estimate(Scenario.blog(), prices=raw)


def test_sms_country_missing_from_the_book(tmp_path: Path) -> None:
    """A scenario's SMS country the chosen book does not price is refused, naming the book's Region."""
    raw = _raw("eu-west-1")
    raw["sms"] = {}
    with pytest.raises(SigninLabError, match="eu-west-1 price book has no SMS price for country 'GB'"):
        estimate(Scenario.blog(), prices=raw)


def test_prices_path_is_deprecated() -> None:
    """The old costs.PRICES_PATH still works for one release, with a DeprecationWarning."""
    from signin_lab import costs

    with pytest.warns(DeprecationWarning, match="price_book"):
        path = costs.PRICES_PATH
    assert PRICES_DIR / "us-east-1.json" == path


def test_importing_costs_does_not_warn() -> None:
    """Importing the costs package in a fresh interpreter raises no warning (only PRICES_PATH does)."""
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", "import signin_lab.costs"], capture_output=True, text=True, check=False
    )
    assert (0, "") == (done.returncode, done.stderr)


def test_for_config_sms_country_from_the_number() -> None:
    """Scenario.for_config prices the SMS in the configured number's country (+1 -> US), and
    a US number is refused because no book prices SMS to the US."""
    with pytest.raises(SigninLabError, match="no known SMS price for country 'US'"):
        Scenario.for_config(LabConfig(sms="+12025550123"))


def test_for_config_blog_counts() -> None:
    """For the blog's configuration: four alarms, four metrics, two SMS to GB, five emails."""
    s = Scenario.for_config(LabConfig(email="you@example.com", sms="+447700900123"))
    assert (4, 4, {"GB": 2}, 5) == (s.alarms, s.custom_metrics, dict(s.sms_per_month), s.emails_per_month)


def test_for_config_without_email_or_sms() -> None:
    """Without an email or a number nothing is delivered by email or SMS."""
    s = Scenario.for_config(LabConfig())
    assert (0, {}) == (s.emails_per_month, dict(s.sms_per_month))


def test_for_config_cis_counts_seven() -> None:
    """cis=True adds three alarms and three metrics."""
    s = Scenario.for_config(LabConfig(cis=True))
    assert (7, 7) == (s.alarms, s.custom_metrics)
