"""What the sign-in alerts cost against AWS's free tier: sourced, dated prices and a one-month model.

    from signin_lab.costs import Scenario, estimate
    report = estimate(Scenario.blog())   # .lines, .total, .by_service, .due, .credits, .frame()
    report = estimate(Scenario.for_config(cfg), prices=price_book("eu-west-1"))

Importing this package reads no prices until a Scenario or estimate needs them, and never imports
pandas or matplotlib (Report.frame and the charts import them when called).
"""

from __future__ import annotations

from signin_lab.costs.book import (
    DEFAULT_PRICE_REGION,
    PLANS,
    PRICES_DIR,
    SCHEMA_PATH,
    Plan,
    PlanTerms,
    Pool,
    Price,
    PriceBook,
    as_price_book,
    load_prices,
    price_book,
    price_regions,
)
from signin_lab.costs.model import Credits, Line, Report, estimate
from signin_lab.costs.scenario import DESIGNS, SERVICES, Design, Scenario
from signin_lab.costs.whatif import Curve, break_even_points, designs, eventbridge_design

__all__ = [
    "DEFAULT_PRICE_REGION",
    "DESIGNS",
    "PLANS",
    "PRICES_DIR",
    "SCHEMA_PATH",
    "SERVICES",
    "Credits",
    "Curve",
    "Design",
    "Line",
    "Plan",
    "PlanTerms",
    "Pool",
    "Price",
    "PriceBook",
    "Report",
    "Scenario",
    "as_price_book",
    "break_even_points",
    "designs",
    "estimate",
    "eventbridge_design",
    "load_prices",
    "price_book",
    "price_regions",
]


def __getattr__(name: str) -> object:
    """PRICES_PATH is deprecated (one book per Region now); model's __getattr__ warns."""
    if name == "PRICES_PATH":
        from signin_lab.costs import model

        return model.__getattr__(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
