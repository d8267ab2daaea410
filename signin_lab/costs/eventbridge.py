"""The EventBridge design's own bill lines: cross-Region forwarding, priced as custom events.

The sign-in events themselves reach each Region's default bus free ("AWS Free Tier: AWS management
events are ingested by the event bus for free", https://aws.amazon.com/eventbridge/pricing/, as
prices.json's `eventbridge.aws_service_events` records). Forwarding them to the central Region's
bus is not: "Events sent to another event bus are billed as per custom events pricing"
(https://aws.amazon.com/about-aws/whats-new/2021/05/amazon-eventbridge-supports-sharing-events-between-event-buses-same-account-region/),
and the pricing page adds "You may incur additional data transfer charges between regions billed
at standard AWS Data Transfer Charges" (not modelled: a sign-in event is about 2 KB).
"""

from __future__ import annotations

from signin_lab.costs.model import Line, Price, Report, Scenario, _line
from signin_lab.costs.whatif import designs
from signin_lab.errors import SigninLabError

#: Custom events, per 64 KB chunk: USD 1.00 per million. The figure is not printed in the stored
#: copy of the AWS pricing page (search tool, docs corpus, read 2026-12-02); it is the figure
#: third-party guides quote from it (blog.awsfundamentals.com "AWS EventBridge pricing guide":
#: "Custom-, partner-, and cross-account-events cost $1.00 per 1 million events"; factualminds.com
#: 2026: "Custom events (any bus) ... $1.00 / million"). No free allowance.
CUSTOM_EVENTS = Price(
    key="eventbridge.custom_events",
    service="EventBridge",
    item="events forwarded to another Region's bus (custom events)",
    unit="event",
    price_usd=1.0,
    per=1_000_000,
    free={},
    source="https://aws.amazon.com/eventbridge/pricing/",
    read="2026-12-02",
    via="USD 1.00 per million: third-party restatements (blog.awsfundamentals.com; factualminds.com, "
        "2026); 'billed as per custom events pricing': AWS What's New, 2021-05-19",
)


def forwarding_line(forwarded_per_month: int) -> Line:
    """The bill line for events forwarded between Regions in a month (no free allowance)."""
    if not isinstance(forwarded_per_month, int) or forwarded_per_month < 0:
        raise SigninLabError(f"forwarded_per_month: a count of events, got {forwarded_per_month!r}")
    return _line(CUSTOM_EVENTS, float(forwarded_per_month), 0.0, "cross-Region forwarding")


def monthly(base: Scenario, forwarded_per_month: int) -> dict[str, tuple[Report, tuple[Line, ...]]]:
    """Both designs on the same month: the blog's ("logs") and EventBridge's, each as the costs
    package's Report plus the extra lines this module prices (forwarding, EventBridge only)."""
    reports = designs(base)
    return {"logs": (reports["logs"], ()),
            "eventbridge": (reports["eventbridge"], (forwarding_line(forwarded_per_month),))}


def total(report: Report, extra: tuple[Line, ...]) -> float:
    """USD for the month: the report's total plus the extra lines."""
    return report.total + sum(line.usd for line in extra)


__all__ = ["CUSTOM_EVENTS", "forwarding_line", "monthly", "total"]
