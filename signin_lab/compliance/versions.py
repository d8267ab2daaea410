"""Which CIS AWS Foundations Benchmark versions each design satisfies, for the sign-in controls.

What each version asks, as the project's references quote it (shared/reference/field_notes.md,
"CIS and Security Hub"; aws_semantics.md section e):

- v1.2.0 and v1.4.0: a log metric filter and alarm with the exact pattern; Security Hub's
  CloudWatch.x controls check them and list only these two CIS versions as related requirements
  ("This control fails if the exact metric filters prescribed by CIS are not used. Additional
  fields or terms cannot be added.", https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html).
  CloudWatch.1 is CIS 1.2 1.1/3.3 and 1.4 1.7/4.3; CloudWatch.3 is CIS 1.2 3.2 only; CloudWatch.6
  is CIS 1.2 3.6 and 1.4 4.6.
- v3.0.0: the benchmark keeps "log metric filter and alarm" items (4.1-4.16, automated), but
  Security Hub's CIS v3.0.0 standard has no CloudWatch.x control
  (https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-standards-cis.html).
- v4.0.1 and v5.0.0: the items read "... is monitored" (mostly manual); v6.0 and v7.0 move them to
  section 5 and allow other monitoring (as read in prowler-cloud/prowler
  prowler/compliance/aws/cis_*_aws.json). So monitoring through EventBridge is evidence there.

Per design and control: the blog's design satisfies an exact-filter version when Security Hub's
verdict (compliance.check) is PASSED, and a "monitored" version when the semantic verdict catches
every event the control is about; the EventBridge design never satisfies an exact-filter version
(it has no metric filter) and satisfies a "monitored" version when its central Region has an
enabled rule for the control's events with a target (`eventbridge_evidence`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from signin_lab.compliance.findings import Findings
    from signin_lab.lab import Lab



Ask = Literal["exact filter (Security Hub)", "filter and alarm", "monitored"]
_FIELD_NOTES = "shared/reference/field_notes.md, 'CIS and Security Hub'"
_CONTROLS_PAGE = "https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html"

#: version -> (what it asks, the sign-in controls it has, where that is read)
VERSIONS: dict[str, tuple[Ask, tuple[str, ...], str]] = {
    "1.2.0": ("exact filter (Security Hub)", ("CloudWatch.1", "CloudWatch.3", "CloudWatch.6"), _CONTROLS_PAGE),
    "1.4.0": ("exact filter (Security Hub)", ("CloudWatch.1", "CloudWatch.6"), _CONTROLS_PAGE),
    "3.0.0": ("filter and alarm", ("CloudWatch.1", "CloudWatch.3", "CloudWatch.6"), _FIELD_NOTES),
    "4.0.1": ("monitored", ("CloudWatch.1", "CloudWatch.3", "CloudWatch.6"), _FIELD_NOTES),
    "5.0.0": ("monitored", ("CloudWatch.1", "CloudWatch.3", "CloudWatch.6"), _FIELD_NOTES),
    "6.0.0": ("monitored", ("CloudWatch.1", "CloudWatch.3", "CloudWatch.6"), _FIELD_NOTES),
    "7.0.0": ("monitored", ("CloudWatch.1", "CloudWatch.3", "CloudWatch.6"), _FIELD_NOTES),
}
#: Control -> the EventBridge design's alert rules that monitor its events. Root usage
#: (CloudWatch.1) is any API call by root: sign-in rules cover only its console sign-ins.
EVENTBRIDGE_COVERS: dict[str, tuple[tuple[str, ...], ...]] = {
    "CloudWatch.1": (),
    "CloudWatch.3": (("CloudWatch.3",),),
    "CloudWatch.6": (("CloudWatch.6",), ("failure-iam", "failure-root")),
}


@dataclass(frozen=True)
class VersionVerdict:
    """One CIS version, one design, one control: satisfied or not, and why."""

    version: str
    design: str
    control: str
    asks: Ask
    satisfied: bool
    why: str
    source: str


class VersionReport(list[VersionVerdict]):
    """Every verdict; `frame()` one row each, `summary()` per version and design."""

    def frame(self) -> pd.DataFrame:
        """One row per (version, design, control)."""
        import pandas as pd

        return pd.DataFrame([v.__dict__ for v in self])

    def summary(self) -> dict[str, dict[str, bool]]:
        """version -> design -> whether every sign-in control of that version is satisfied."""
        out: dict[str, dict[str, bool]] = {}
        for v in self:
            row = out.setdefault(v.version, {})
            row[v.design] = row.get(v.design, True) and v.satisfied
        return out

    def to_json(self) -> str:
        """The verdicts as JSON."""
        return json.dumps([v.__dict__ for v in self], indent=2)


def eventbridge_evidence(lab: Lab, region: str | None = None) -> set[str]:
    """Alert keys whose EventBridge rule in the central Region is enabled and has a target.

    The design names each alert's rule after the alert (stack/eventbridge_plan.py `plan`)."""
    events = lab.client("events", region or lab.region)
    found: set[str] = set()
    wanted = {key for groups in EVENTBRIDGE_COVERS.values() for keys in groups for key in keys}
    for alert in lab.config.replace(cis=True).alerts:
        if alert.key not in wanted:
            continue
        try:
            described = events.describe_rule(Name=alert.topic_name)
        except Exception as exc:
            from signin_lab.aws_errors import is_not_found

            if is_not_found(exc):
                continue
            raise
        if described.get("State") == "ENABLED" and events.list_targets_by_rule(Rule=alert.topic_name)["Targets"]:
            found.add(alert.key)
    return found


def by_version(findings: Findings | Iterable[Any], eventbridge: Iterable[str] = ()) -> VersionReport:
    """The verdicts from `compliance.check` findings (the blog's design) and the EventBridge
    design's evidence (alert keys, see `eventbridge_evidence`)."""
    blog: Mapping[str, Any] = {f.control: f for f in findings}
    rules = set(eventbridge)
    out = VersionReport()
    for version, (asks, controls, source) in VERSIONS.items():
        for control in controls:
            f = blog.get(control)
            if asks == "monitored":
                ok = f is not None and bool(f.intended) and not f.missed
                why = ("the metric filters catch every event the control is about" if ok else
                       "the metric filters miss: " + ", ".join(f.missed) if f is not None and f.missed
                       else "no finding for the control")
            else:
                ok = f is not None and f.status == "PASSED"
                why = f"Security Hub's verdict: {f.status if f is not None else 'no finding'}"
                if asks == "filter and alarm":
                    why = ("the filter-and-alarm chain Security Hub checks for v1.2/v1.4: "
                           f"{f.status if f is not None else 'no finding'} (Security Hub's "
                           "v3.0.0 standard has no CloudWatch.x control)")
            out.append(VersionVerdict(version, "blog", control, asks, ok, why, source))
            covers = EVENTBRIDGE_COVERS[control]
            if asks != "monitored":
                out.append(VersionVerdict(version, "eventbridge", control, asks, False,
                                          "needs the exact metric filter and alarm; EventBridge "
                                          "rules are not metric filters", source))
                continue
            ok = any(set(keys) <= rules for keys in covers)
            why = ("monitored by the rules " + " or ".join("+".join(k) for k in covers if set(k) <= rules)
                   if ok else "no EventBridge rule monitors these events" + (
                       " (root API usage beyond sign-ins)" if not covers else ""))
            out.append(VersionVerdict(version, "eventbridge", control, asks, ok, why, source))
    return out


def check_versions(lab: Lab, region: str | None = None) -> VersionReport:
    """`compliance.check` on the lab plus the EventBridge rules found, version by version."""
    from signin_lab.compliance import check

    return by_version(check(lab, region), eventbridge_evidence(lab, region))  # type: ignore[arg-type]


__all__ = ["EVENTBRIDGE_COVERS", "VERSIONS", "VersionReport", "VersionVerdict", "by_version",
           "check_versions", "eventbridge_evidence"]
