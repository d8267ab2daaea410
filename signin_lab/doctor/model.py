"""What the doctor found: one Finding per link of an alert's chain, and the Diagnosis over all alerts."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

#: NOT DEPLOYED is the one finding of a design (blog or EventBridge) that has none of its resources.
Status = Literal["OK", "BROKEN", "AT RISK", "UNKNOWN", "NOT DEPLOYED"]
#: The links from sign-in to inbox, in the order a sign-in travels them.
LINKS: tuple[str, ...] = (
    "trail",
    "delivery",
    "log group",
    "metric filter",
    "metric",
    "alarm",
    "action",
    "topic",
    "subscription",
    "endpoint",
)
#: The EventBridge design's links, diagnosed per alert when its rules are deployed: the forwarding
#: rules of the Regions where sign-ins are recorded, the central rule, its target, then the SNS end.
EVENTBRIDGE_LINKS: tuple[str, ...] = ("forward", "rule", "target", "topic", "subscription", "endpoint")
#: The link of a design's "not deployed" finding.
DESIGN_LINK = "design"


@dataclass(frozen=True)
class Finding:
    """One link of one alert's chain: what was read, its status, why it matters, and the fix."""

    alert: str  # the alert's key ("success-root"), "eventbridge:<key>" for the EventBridge design's chain,
    # or the design's name ("blog", "eventbridge") for its one "not deployed" finding
    link: str  # one of LINKS, EVENTBRIDGE_LINKS or DESIGN_LINK
    id: str  # stable, e.g. "trail.multi-region"
    status: Status
    read: str  # the API call and the value it returned
    why: str  # why it matters, in one sentence
    doc: str  # the AWS documentation page the rule comes from
    console: str = ""  # the fix as a console step (empty when OK)
    cli: str = ""  # the fix as an AWS CLI command (empty when OK)

    @property
    def broken(self) -> bool:
        return self.status == "BROKEN"


@dataclass
class Diagnosis:
    """Every finding, alert by alert, in chain order; `headline(key)` is the first BROKEN link."""

    findings: list[Finding] = field(default_factory=list)
    target: str = "moto"
    region: str = "eu-west-1"
    reads: list[str] = field(default_factory=list)  # the read-only calls made, in order
    designs: dict[str, bool] = field(default_factory=dict)  # "blog"/"eventbridge" -> found deployed

    @property
    def alerts(self) -> list[str]:
        """The alert chains diagnosed, in configuration order ("eventbridge:<key>" for that design's)."""
        return list(dict.fromkeys(f.alert for f in self.findings if f.link != DESIGN_LINK))

    @property
    def not_deployed(self) -> list[Finding]:
        """The NOT DEPLOYED finding of each design that has none of its resources."""
        return [f for f in self.findings if f.link == DESIGN_LINK]

    def for_alert(self, key: str) -> list[Finding]:
        """The findings of one alert, in chain order."""
        return [f for f in self.findings if f.alert == key]

    def finding(self, key: str, finding_id: str) -> Finding:
        """The finding `finding_id` of alert `key`; KeyError when the doctor did not reach it."""
        for f in self.findings:
            if f.alert == key and f.id == finding_id:
                return f
        raise KeyError(f"{key}: no finding {finding_id!r}")

    def headline(self, key: str) -> Finding | None:
        """The first BROKEN link of alert `key`, or None when nothing is broken."""
        return next((f for f in self.for_alert(key) if f.broken), None)

    @property
    def headlines(self) -> dict[str, Finding | None]:
        """The first BROKEN link per alert (None where none is broken)."""
        return {key: self.headline(key) for key in self.alerts}

    @property
    def ok(self) -> bool:
        """True when every alert can reach its subscribers (no BROKEN link anywhere)."""
        return not any(f.broken for f in self.findings)

    @property
    def broken_alerts(self) -> list[str]:
        """The alerts that cannot reach their subscribers."""
        return [key for key, head in self.headlines.items() if head is not None]

    def frame(self) -> pd.DataFrame:
        """One row per finding: alert, link, id, status, read, why, doc, console, cli."""
        import pandas as pd

        columns = ["alert", "link", "id", "status", "read", "why", "doc", "console", "cli"]
        return pd.DataFrame([asdict(f) for f in self.findings], columns=columns)

    def to_dict(self) -> dict[str, object]:
        """Plain data: target, region, ok, the headline id per alert, and every finding."""
        return {
            "target": self.target,
            "region": self.region,
            "ok": self.ok,
            "designs": dict(self.designs),
            "headlines": {k: (h.id if h else None) for k, h in self.headlines.items()},
            "findings": [asdict(f) for f in self.findings],
        }

    def to_json(self) -> str:
        """`to_dict()` as indented JSON (stable key order)."""
        return json.dumps(self.to_dict(), indent=2)

    def __str__(self) -> str:
        broken = self.broken_alerts
        if not broken:
            return f"doctor: {len(self.alerts)} alert(s), every link OK or at worst at risk"
        return f"doctor: {len(broken)} of {len(self.alerts)} alert(s) cannot reach their subscribers"
