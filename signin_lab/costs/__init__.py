"""What the sign-in alerts cost against AWS's free tier: sourced, dated prices and a one-month model.

    from signin_lab.costs import Scenario, estimate
    report = estimate(Scenario.blog())   # .lines, .total, .by_service, .due, .credits, .frame()

Importing this package reads no prices until a Scenario or estimate needs them, and never imports
pandas or matplotlib (Report.frame and the charts import them when called).
"""

from __future__ import annotations

from signin_lab.costs.model import (
    DESIGNS,
    PLANS,
    PRICES_PATH,
    SERVICES,
    Credits,
    Design,
    Line,
    Plan,
    PlanTerms,
    Pool,
    Price,
    PriceBook,
    Report,
    Scenario,
    estimate,
    load_prices,
)
from signin_lab.costs.whatif import Curve, break_even_points, designs, eventbridge_design

__all__ = [
    "DESIGNS",
    "PLANS",
    "PRICES_PATH",
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
    "break_even_points",
    "designs",
    "estimate",
    "eventbridge_design",
    "load_prices",
]
