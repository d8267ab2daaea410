"""What-if analysis: how the bill grows with alerts, sign-ins, SMS, trails and scale, and where it stops being free.

Each curve re-runs `estimate` on a changed Scenario, so every point carries the same sources as a
single estimate. Break-even points are the first x at which a curve costs more than a threshold
(default: more than nothing) or more than another curve.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from signin_lab.costs.book import PriceBook, as_price_book
from signin_lab.costs.model import Report, estimate
from signin_lab.costs.scenario import GZIP_RATIO, RECORD_BYTES, Scenario
from signin_lab.errors import SigninLabError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

#: A price book as `estimate` takes it (None: the default book).
Prices = PriceBook | str | Path | Mapping[str, Any] | None

#: The rule the alternative design uses. EventBridge's user guide lists the detail-type as
#: "AWS Console Signin via CloudTrail"
#: (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html);
#: the events themselves, and the blog, spell it "AWS Console Sign In via CloudTrail".
EVENTBRIDGE_PATTERN: Mapping[str, Any] = {"detail-type": ["AWS Console Sign In via CloudTrail"]}


@dataclass(frozen=True)
class Curve:
    """Cost against one driver: `xs` and, for each, the Report (`totals`, `by_service` derived)."""

    name: str
    x_label: str
    xs: tuple[float, ...]
    reports: tuple[Report, ...]

    @property
    def totals(self) -> tuple[float, ...]:
        """USD a month at each x (after free allowances, before credits)."""
        return tuple(report.total for report in self.reports)

    @property
    def by_service(self) -> tuple[dict[str, float], ...]:
        """USD by service at each x."""
        return tuple(report.by_service for report in self.reports)

    def is_monotonic(self) -> bool:
        """True when the cost never falls as x grows."""
        totals = self.totals
        return all(b >= a - 1e-12 for a, b in itertools.pairwise(totals))

    def break_even(self, threshold: float | None = None) -> float | None:
        """The first x that costs more than `threshold` USD a month (None if none does).

        By default the threshold is the cost at the first x: the point where the driver starts
        to cost anything on top of the rest of the bill.
        """
        totals = self.totals
        if threshold is None:
            threshold = totals[0]
        for x, total in zip(self.xs, totals, strict=True):
            if total > threshold + 1e-12:
                return x
        return None

    def frame(self) -> pd.DataFrame:
        """One row per x: x, total and one column per service (for notebooks)."""
        import pandas as pd

        rows = [
            {self.x_label: x, "total": r.total, **r.by_service}
            for x, r in zip(self.xs, self.reports, strict=True)
        ]
        return pd.DataFrame(rows)


def curve(
    name: str,
    x_label: str,
    xs: Iterable[float],
    make: Callable[[float], Scenario],
    *,
    prices: Prices = None,
) -> Curve:
    """Estimate `make(x)` for every x (sorted, each once) against `prices` (a price book, see
    `estimate`; default the us-east-1 one) and collect the reports."""
    points = sorted(set(xs))
    if not points:
        raise SigninLabError(f"{x_label}: a what-if curve needs at least one point")
    for x in points:
        if isinstance(x, bool) or not isinstance(x, (int, float)) or x < 0 or not math.isfinite(x):
            raise SigninLabError(f"{x_label}: expected non-negative numbers, got {x!r}")
    book = as_price_book(prices) if prices is not None else None
    return Curve(name, x_label, tuple(points), tuple(estimate(make(x), prices=book) for x in points))


def alerts(
    base: Scenario | None = None, counts: Iterable[int] = range(21), *, prices: Prices = None
) -> Curve:
    """Cost as alerts are added: each alert is one metric filter metric plus one alarm.

    CloudWatch's free tier covers 10 custom metrics and 10 alarm metrics
    (https://aws.amazon.com/cloudwatch/pricing/), so the 11th alert is the first that costs.
    """
    base = base or Scenario.blog()
    return curve(
        "alerts",
        "alerts",
        counts,
        lambda n: base.replace(alarms=int(n), custom_metrics=int(n)),
        prices=prices,
    )


def signins(
    base: Scenario | None = None,
    counts: Iterable[int] = (0, 10, 100, 500, 1_000, 1_001, 2_000, 10_000),
    sms_share: float = 0.0,
    country: str = "GB",
    *,
    prices: Prices = None,
) -> Curve:
    """Cost as sign-ins grow: each sign-in adds one management event (one record in S3 and, in the
    blog's design, in CloudWatch Logs), one publish and one email, and `sms_share` of them also an
    SMS to `country` (the blog texts root successes only).

    The baseline's own alerts are replaced, so the x axis is the whole month's sign-in alerts.
    """
    base = base or Scenario.blog()
    if not 0.0 <= sms_share <= 1.0:
        raise SigninLabError(f"sms_share: expected a fraction between 0 and 1, got {sms_share!r}")
    quiet = base.management_events_per_month
    logged = 1.0 if base.design == "logs" else 0.0

    def make(n: float) -> Scenario:
        n = int(n)
        sms = {country: round(n * sms_share)} if sms_share else {}
        gb = n * RECORD_BYTES / 1e9
        return base.replace(
            management_events_per_month=quiet + n,
            log_gb_ingested=base.log_gb_ingested + gb * logged,
            log_gb_stored=base.log_gb_stored + gb * logged,
            s3_gb=base.s3_gb + gb / GZIP_RATIO,
            publishes_per_month=n,
            emails_per_month=n,
            sms_per_month=sms,
        )

    return curve("sign-ins", "sign-ins per month", counts, make, prices=prices)


def emails(
    base: Scenario | None = None,
    counts: Iterable[int] = (0, 1, 500, 999, 1_000, 1_001, 1_002, 2_000),
    *,
    prices: Prices = None,
) -> Curve:
    """Cost as email deliveries grow, everything else unchanged: SNS's first 1,000 emails a month
    are free, then USD 2.00 per 100,000 (https://aws.amazon.com/sns/pricing/).

    Unlike `signins`, nothing else grows with x, so on the new plans (which bill S3 from the first
    byte) the curve still rises only where the emails themselves start to cost.
    """
    base = base or Scenario.blog()
    return curve(
        "emails",
        "emails per month",
        counts,
        lambda n: base.replace(emails_per_month=int(n)),
        prices=prices,
    )


def sms(
    base: Scenario | None = None,
    counts: Iterable[int] = range(21),
    country: str = "GB",
    *,
    prices: Prices = None,
) -> Curve:
    """Cost as SMS to `country` grow: no SMS is free, so every message adds its price."""
    base = base or Scenario.blog()
    return curve(
        "SMS",
        f"SMS to {country} per month",
        counts,
        lambda n: base.replace(sms_per_month={country: int(n)}),
        prices=prices,
    )


def trails(
    base: Scenario | None = None, counts: Iterable[int] = (1, 2, 3), *, prices: Prices = None
) -> Curve:
    """Cost as trails logging the same management events are added: the first copy is free, each
    further copy costs USD 2.00 per 100,000 events (https://aws.amazon.com/cloudtrail/pricing/)."""
    base = base or Scenario.blog()
    return curve("trails", "trails", counts, lambda n: base.replace(trails=int(n)), prices=prices)


def scale(
    base: Scenario | None = None,
    factors: Iterable[float] = (1, 10, 100, 1_000, 10_000),
    *,
    prices: Prices = None,
) -> Curve:
    """Cost against scale: every volume of `base` (events, log GB, S3, publishes, emails, SMS)
    multiplied by a factor; the stack itself (alarms, metrics, trails) stays the same."""
    base = base or Scenario.blog()

    def make(k: float) -> Scenario:
        return base.replace(
            management_events_per_month=round(base.management_events_per_month * k),
            data_events_per_month=round(base.data_events_per_month * k),
            log_gb_ingested=base.log_gb_ingested * k,
            log_gb_stored=base.log_gb_stored * k,
            s3_gb=base.s3_gb * k,
            s3_puts=round(base.s3_puts * k),
            publishes_per_month=round(base.publishes_per_month * k),
            emails_per_month=round(base.emails_per_month * k),
            sms_per_month={c: round(n * k) for c, n in base.sms_per_month.items()},
        )

    return curve("scale", "volume multiplier", factors, make, prices=prices)


def eventbridge_design(base: Scenario | None = None) -> Scenario:
    """The design without CloudWatch Logs: an EventBridge rule on the sign-in events -> SNS.

    No log group, no metric filter, no custom metric, no alarm. AWS management events reach the
    default event bus free, and delivery to a target in the same account is not charged
    (https://aws.amazon.com/eventbridge/pricing/). The trail and its bucket are kept (its first copy
    of management events is free anyway), as are the SNS deliveries.
    """
    base = base or Scenario.blog()
    return base.replace(
        design="eventbridge", alarms=0, custom_metrics=0, log_gb_ingested=0.0, log_gb_stored=0.0
    )


def designs(base: Scenario | None = None, *, prices: Prices = None) -> dict[str, Report]:
    """The blog's design and the EventBridge design, estimated on the same month."""
    base = base or Scenario.blog()
    book = as_price_book(prices) if prices is not None else None
    return {
        "logs": estimate(base, prices=book),
        "eventbridge": estimate(eventbridge_design(base), prices=book),
    }


def alerts_by_design(
    base: Scenario | None = None, counts: Iterable[int] = range(21), *, prices: Prices = None
) -> dict[str, Curve]:
    """Cost against the number of alerts for both designs (EventBridge rules cost nothing)."""
    base = base or Scenario.blog()
    points = list(counts)
    logs = alerts(base, points, prices=prices)
    bridge = curve(
        "alerts (EventBridge)", "alerts", points, lambda n: eventbridge_design(base), prices=prices
    )
    return {"logs": logs, "eventbridge": bridge}


def crossover(first: Curve, second: Curve) -> float | None:
    """The first x at which `first` costs more than `second` (None if it never does)."""
    if first.xs != second.xs:
        raise SigninLabError("curves: both curves need the same x values to compare them")
    for x, a, b in zip(first.xs, first.totals, second.totals, strict=True):
        if a > b + 1e-12:
            return x
    return None


def break_even_points(base: Scenario | None = None, *, prices: Prices = None) -> dict[str, float | None]:
    """Where the blog's month stops being free, driver by driver.

    - "alerts": the first alert count that costs anything (11: 10 free metrics and alarms);
    - "emails": the first monthly email count that costs anything (1,001: 1,000 free), on the
      emails alone: a sign-in curve would also grow S3, which the new plans bill from the first
      byte, and so break even at the first sign-in whatever the email allowance;
    - "trails": the first trail count that costs anything (2: a second copy is charged);
    - "sms": the first SMS count that costs anything (1: no free SMS to the UK);
    - "logs_vs_eventbridge": the first alert count at which the blog's design costs more than the
      EventBridge design.

    Each is the first x whose bill is higher than the bill at the curve's first x.
    """
    base = base or Scenario.blog()
    book = as_price_book(prices) if prices is not None else None
    by_design = alerts_by_design(base, prices=book)
    return {
        "alerts": alerts(base, prices=book).break_even(),
        "emails": emails(base, prices=book).break_even(),
        "trails": trails(base, prices=book).break_even(),
        "sms": sms(base, counts=range(3), prices=book).break_even(),
        "logs_vs_eventbridge": crossover(by_design["logs"], by_design["eventbridge"]),
    }
