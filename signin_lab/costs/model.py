"""One month's bill of the sign-in alerting stack against AWS's free tier: estimate and Report.

What drives the bill, the Scenario, is in costs/scenario.py (also importable from here).

Every price and allowance comes from a price book, `prices/<region>.json` beside this file (each
figure with its source page and the date it was read, the format documented by
`prices/schema.json`); nothing here hard-codes a figure.

How the bill is modelled (a decision, documented with its sources in the books' "plans"):

1. Each line takes a monthly quantity, subtracts the free allowance that applies to it, and prices
   the rest: `usd = billable * unit_price`. `Report.total` is the sum: what the month's usage costs
   after free allowances, before any credits.
2. Always-free allowances (CloudWatch's 10 metrics, 10 alarms and 5 GB of log data, SNS's 1 million
   publishes and 1,000 emails, CloudTrail's free first copy of management events) apply under every
   plan. AWS's billing guide says the Free account plan has "only ... Always Free offerings active"
   and the Paid plan "Short-term trial and Always Free"
   (https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/free-tier.html).
3. The legacy 12-month offers (S3's 5 GB and 2,000 PUTs) apply only with plan="legacy" (accounts
   created before 15 July 2025) and only in the account's first 12 months (`Scenario.month`).
4. plan="free" and plan="paid" (accounts created after 15 July 2025) get USD 100 credits plus up to
   USD 100 earned (`Scenario.earned_credits`). The credits pay `total` month after month until they
   run out or expire (6 months on the free plan, 12 on the paid plan). On the free plan nothing is
   ever due: the account closes when the credits are used or after six months, whichever is first
   (https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/free-tier-plans.html), and asking
   for a month after that is an error. On the paid plan what the credits do not cover is due.
   `Report.due` is what the month leaves to pay; `Report.credits` says how the credits cover it.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from signin_lab.costs.book import (
    DEFAULT_PRICE_REGION,
    PRICES_DIR,
    PlanTerms,
    Price,
    PriceBook,
    as_price_book,
    load_prices,
)
from signin_lab.costs.scenario import DESIGNS as DESIGNS  # re-exported, as before the split
from signin_lab.costs.scenario import GZIP_RATIO as GZIP_RATIO
from signin_lab.costs.scenario import RECORD_BYTES as RECORD_BYTES
from signin_lab.costs.scenario import SERVICES, Scenario, _fail
from signin_lab.costs.scenario import Design as Design
from signin_lab.costs.scenario import Service as Service
from signin_lab.errors import SigninLabError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


def __getattr__(name: str) -> Any:
    """PRICES_PATH (the single prices.json) moved to costs/prices/<region>.json; kept one release."""
    if name == "PRICES_PATH":
        import warnings

        warnings.warn(
            "signin_lab.costs.PRICES_PATH is deprecated: the prices are per Region now, "
            "use costs.price_book(region) or costs.PRICES_DIR / '<region>.json'",
            DeprecationWarning,
            stacklevel=2,
        )
        return PRICES_DIR / f"{DEFAULT_PRICE_REGION}.json"
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

# --- Report ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One line of the bill: quantity, free allowance used, billable rest, price, USD, source."""

    service: str
    item: str
    quantity: float
    free: float
    billable: float
    unit: str
    unit_price: float
    usd: float
    source: str
    price_label: str
    key: str
    note: str = ""


@dataclass(frozen=True)
class Credits:
    """How the new plans' credits cover the bill (plan "free" or "paid")."""

    credits_usd: float
    remaining_at_start_usd: float
    applied_usd: float
    expire_after_months: int | None
    months_covered: float
    account_closes_after_months: float | None
    source: str


@dataclass(frozen=True)
class Report:
    """The estimate for one month: `.lines`, `.total`, `.by_service`, `.due`, `.credits`."""

    scenario: Scenario
    lines: tuple[Line, ...]
    credits: Credits | None
    region: str
    notes: tuple[str, ...] = ()

    @property
    def total(self) -> float:
        """USD the month's usage costs after free allowances, before credits."""
        return math.fsum(line.usd for line in self.lines)

    @property
    def by_service(self) -> dict[str, float]:
        """USD by service: always CloudTrail, CloudWatch, S3, SNS (EventBridge when used)."""
        totals = {service: 0.0 for service in SERVICES}
        for line in self.lines:
            totals[line.service] = totals.get(line.service, 0.0) + line.usd
        return totals

    @property
    def due(self) -> float:
        """USD left to pay this month once credits are applied (never anything on the free plan)."""
        if self.credits is None:
            return self.total
        if self.scenario.plan == "free":
            return 0.0
        return max(0.0, self.total - self.credits.applied_usd)

    def to_dict(self) -> dict[str, Any]:
        """Plain data (JSON-ready): scenario, lines, by_service, total, due, credits, notes."""
        scenario = {f.name: getattr(self.scenario, f.name) for f in dataclasses.fields(Scenario)}
        scenario["sms_per_month"] = dict(self.scenario.sms_per_month)
        credits = dataclasses.asdict(self.credits) if self.credits else None
        if credits and math.isinf(credits["months_covered"]):
            credits["months_covered"] = None  # JSON has no infinity: None = never runs out
        return {
            "plan": self.scenario.plan,
            "region": self.region,
            "currency": "USD",
            "scenario": scenario,
            "lines": [dataclasses.asdict(line) for line in self.lines],
            "by_service": self.by_service,
            "total": self.total,
            "due": self.due,
            "credits": credits,
            "notes": list(self.notes),
        }

    def frame(self) -> pd.DataFrame:
        """The lines as a pandas DataFrame, one row a line (for notebooks)."""
        import pandas as pd

        columns = [f.name for f in dataclasses.fields(Line)]
        return pd.DataFrame([dataclasses.asdict(line) for line in self.lines], columns=columns)


def _line(price: Price, quantity: float, free: float, note: str = "") -> Line:
    """One line of the bill; a tiered price (custom metrics) bills each unit at its tier's rate,
    the free units being the month's first (`Price.cost`); unit_price is then the average."""
    free = min(quantity, max(0.0, free))
    billable = quantity - free
    usd = price.cost(free, quantity)
    unit_price = usd / billable if price.tiers and billable > 0 else price.unit_price
    if price.tiers and billable > price.tiers[0][0]:  # type: ignore[operator]
        note = "; ".join(filter(None, [note, "tiered price: average per unit shown"]))
    return Line(
        service=price.service,
        item=price.item,
        quantity=quantity,
        free=free,
        billable=billable,
        unit=price.unit,
        unit_price=unit_price,
        usd=usd,
        source=price.source,
        price_label=price.label,
        key=price.key,
        note=note,
    )


def _allowance(price: Price, quantity: float, twelve_months: bool) -> float:
    """The free quantity `price.free` grants: always-free, or 12-month while those offers apply."""
    free = 0.0
    for kind, amount in price.free.items():
        if kind == "always_pool":
            continue  # handled by _pooled
        if kind == "12_month" and not twelve_months:
            continue
        free += quantity if amount == "all" else float(amount)
    return free


def _pooled(book: PriceBook, quantities: Mapping[str, float]) -> dict[str, float]:
    """Share each pool among its items in the pool's order (see the pool's 'decision')."""
    free: dict[str, float] = {}
    for pool in book.pools.values():
        left = pool.size
        for key in pool.order:
            used = min(quantities.get(key, 0.0), left)
            free[key] = used
            left -= used
    return free


def estimate(
    scenario: Scenario, prices: PriceBook | str | Path | Mapping[str, Any] | None = None
) -> Report:
    """Price one month of `scenario` against AWS's free tier and the scenario's plan.

    `prices` is a price book: a loaded PriceBook (e.g. `price_book("eu-west-1")`), a path to a
    book's JSON file or the book as a dict, validated against costs/prices/schema.json; default
    the us-east-1 book. Models the pricing pages the book cites (CloudWatch, CloudTrail, S3, SNS,
    EventBridge) and the free-tier plans of
    https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/free-tier-plans.html.
    """
    if not isinstance(scenario, Scenario):
        raise SigninLabError(f"scenario: expected a Scenario, got {type(scenario).__name__}", field="scenario")
    book = as_price_book(prices) if prices is not None else load_prices()
    _check_sms_countries(scenario, book)
    terms = book.plans[scenario.plan]
    twelve = scenario.month <= terms.twelve_month_offers_months
    s = scenario
    items = book.items

    quantities: dict[str, float] = {
        "cloudtrail.management_first_copy": float(s.management_events_per_month if s.trails else 0),
        "cloudtrail.management_additional_copies": float(
            s.management_events_per_month * max(0, s.trails - 1)
        ),
        "cloudtrail.data_events": float(s.data_events_per_month),
        "cloudwatch.custom_metrics": float(s.custom_metrics),
        "cloudwatch.alarms": float(s.alarms),
        "cloudwatch.logs_ingested": s.log_gb_ingested,
        "cloudwatch.logs_stored": s.log_gb_stored,
        "s3.storage": s.s3_gb,
        "s3.puts": float(s.s3_puts),
        "sns.publishes": float(s.publishes_per_month),
        "sns.email": float(s.emails_per_month),
    }
    missing = [key for key in quantities if key not in items]
    if missing:
        raise _fail(book.path, f"items missing: {', '.join(missing)}")
    pooled = _pooled(book, quantities)
    lines: list[Line] = []
    for key, quantity in quantities.items():
        price = items[key]
        if key == "cloudtrail.data_events" and quantity == 0:
            continue  # the blog's trail logs management events only: no line for nothing
        free = _allowance(price, quantity, twelve) + pooled.get(key, 0.0)
        note = ""
        if "12_month" in price.free:
            note = "12-month free tier" if twelve else "no 12-month free tier this month"
        elif key in pooled:
            note = "shares one free allowance with the other log data"
        lines.append(_line(price, quantity, free, note))
    for country, count in s.sms_per_month.items():
        price = book.sms[country]
        lines.append(_line(price, float(count), _allowance(price, float(count), twelve)))
    if s.design == "eventbridge" and "aws_service_events" in book.eventbridge:
        price = book.eventbridge["aws_service_events"]
        # The rule matches sign-in events; each match that reaches SNS is one publish.
        matched = float(s.publishes_per_month)
        lines.append(_line(price, matched, _allowance(price, matched, twelve), "rule -> SNS"))

    notes = _book_notes(book, lines)
    total = math.fsum(line.usd for line in lines)
    credits = _credits(s, terms, total, notes)
    return Report(
        scenario=s, lines=tuple(lines), credits=credits, region=book.region, notes=tuple(notes)
    )


def _check_sms_countries(scenario: Scenario, book: PriceBook) -> None:
    """Every country the scenario texts must have an SMS price in the book."""
    for country in scenario.sms_per_month:
        if country not in book.sms:
            raise _fail(
                f"sms_per_month[{country!r}]",
                f"the {book.region} price book has no SMS price for country {country!r} "
                f"(it has: {', '.join(sorted(book.sms))})",
            )


def _book_notes(book: PriceBook, lines: list[Line]) -> list[str]:
    """The report's notes on the price book: its Region, and the figures carried from another."""
    notes: list[str] = []
    if book.region:
        notes.append(f"list prices for {book.region}; other Regions differ")
    carried = sorted({line.key for line in lines if _carried(book, line.key)})
    if carried:
        notes.append(
            f"not confirmed for {book.region} (the {book.items[carried[0]].carried_from} figure is used): "
            + ", ".join(carried)
        )
    return notes


def _carried(book: PriceBook, key: str) -> bool:
    price = book.items.get(key) or book.sms.get(key) or book.eventbridge.get(key)
    return price is not None and price.carried_from is not None


def _credits(s: Scenario, terms: PlanTerms, total: float, notes: list[str]) -> Credits | None:
    """Apply the new plans' credits to month `s.month` at a steady monthly `total`."""
    if terms.credits_usd <= 0:
        if s.earned_credits:  # refused, not silently dropped: only the new plans have credits
            raise _fail(
                "earned_credits",
                f"plan {s.plan!r} has no credits to earn (credits come with the free and paid "
                f"plans of accounts created after 15 July 2025), got {s.earned_credits:g}",
            )
        return None
    if s.earned_credits > terms.max_earned_credits_usd:
        raise _fail(
            "earned_credits",
            f"at most USD {terms.max_earned_credits_usd:g} can be earned, got {s.earned_credits:g}",
        )
    credits = terms.credits_usd + s.earned_credits
    expiry = terms.credit_months
    lasts = credits / total if total > 0 else math.inf
    covered = min(lasts, float(expiry)) if expiry is not None else lasts
    closes: float | None = None
    if s.plan == "free":
        plan_months = float(terms.plan_months) if terms.plan_months is not None else math.inf
        closes = min(plan_months, lasts)
        if s.month - 1 >= closes:
            raise _fail(
                "month",
                f"the free plan ends after six months or when the credits are used, whichever "
                f"is first: at USD {total:.2f} a month this account closes after "
                f"{closes:.2f} months, so month {s.month} does not exist (upgrade to the paid plan)",
            )
        notes.append(f"free plan: no charges; the account closes after {closes:.2f} months")
    expired = expiry is not None and s.month > expiry
    remaining = 0.0 if expired else max(0.0, credits - total * (s.month - 1))
    applied = min(total, remaining)
    if s.plan == "paid" and expired:
        notes.append(f"paid plan: credits expired after {expiry} months")
    return Credits(
        credits_usd=credits,
        remaining_at_start_usd=remaining,
        applied_usd=applied,
        expire_after_months=expiry,
        months_covered=covered,
        account_closes_after_months=closes,
        source=terms.source,
    )
