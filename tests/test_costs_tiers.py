"""Custom metrics are priced by AWS's volume tiers, not at the first tier's rate throughout."""

from __future__ import annotations

import copy
import json

import pytest

from signin_lab.costs import PRICES_DIR, Scenario, estimate, load_prices, price_book
from signin_lab.costs.model import Report
from signin_lab.errors import SigninLabError

KEY = "cloudwatch.custom_metrics"


def metrics_usd(count: int) -> float:
    """The custom-metrics line's USD for a month of `count` metrics (us-east-1 book)."""
    report: Report = estimate(Scenario.blog().replace(custom_metrics=count))
    (line,) = [line for line in report.lines if line.key == KEY]
    return line.usd


def test_first_tier_up_to_10000() -> None:
    """10,000 metrics: the first 10 free, the other 9,990 at USD 0.30."""
    assert 9_990 * 0.30 == pytest.approx(metrics_usd(10_000))


def test_metric_10001_is_priced_at_the_second_tier() -> None:
    """One metric past 10,000 costs USD 0.10, not 0.30 (the tier boundary)."""
    assert 0.10 == pytest.approx(metrics_usd(10_001) - metrics_usd(10_000))


def test_every_tier_at_1_100_000_metrics() -> None:
    """1.1 M metrics: 9,990 x 0.30 + 240,000 x 0.10 + 750,000 x 0.05 + 100,000 x 0.02."""
    expected = 9_990 * 0.30 + 240_000 * 0.10 + 750_000 * 0.05 + 100_000 * 0.02
    assert expected == pytest.approx(metrics_usd(1_100_000))


def test_blog_four_metrics_are_free() -> None:
    """The blog's four metrics are within the 10 always free: USD 0."""
    assert 0.0 == metrics_usd(4)


def test_both_books_carry_the_tiers() -> None:
    """us-east-1 and eu-west-1 list the four tiers: 0.30, 0.10, 0.05, 0.02."""
    tiers = ((10_000, 0.30), (250_000, 0.10), (1_000_000, 0.05), (None, 0.02))
    assert [tiers, tiers] == [price_book(r).items[KEY].tiers for r in ("us-east-1", "eu-west-1")]


def test_tiers_that_do_not_rise_are_refused() -> None:
    """A book whose tier limits fall is a SigninLabError naming the item's tiers."""
    raw = json.loads((PRICES_DIR / "us-east-1.json").read_text(encoding="utf-8"))
    bad = copy.deepcopy(raw)
    bad["items"][KEY]["tiers"][1]["up_to"] = 5_000
    with pytest.raises(SigninLabError, match=f"items.{KEY}.tiers: limits must rise"):
        estimate(Scenario.blog(), bad)


def test_flat_items_are_unchanged() -> None:
    """An item without tiers costs quantity x unit price (alarms: 20 - 10 free = 10 x 0.10)."""
    report = estimate(Scenario.blog().replace(alarms=20))
    (line,) = [line for line in report.lines if line.key == "cloudwatch.alarms"]
    assert 10 * load_prices().items["cloudwatch.alarms"].unit_price == pytest.approx(line.usd)
