"""The CIS sign-in controls Security Hub checks (CloudWatch.1, .3, .6): its verdict and what each filter really catches.

Modules: collect.py (the boto3 reads into an AccountState), securityhub.py (Security Hub's rule
chain), semantic.py (what each control means to catch), findings.py (the results); this module
puts them together in `check` and `evaluate`.

Two verdicts per control:

1. Security Hub's, following the chain its custom rule follows
   (https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html):
   a multi-Region trail in this Region and account that is logging and records all management
   events -> its CloudWatch Logs log group -> a metric filter with the control's exact CIS
   pattern -> an alarm on that filter's metric with an action -> an SNS topic with at least one
   confirmed subscription. Status and reason codes are Security Hub's
   (https://docs.aws.amazon.com/securityhub/latest/userguide/controls-findings-create-update.html).
2. A semantic one: every metric filter pattern on the trail's log group is run (with
   `signin_lab.filterpattern`) over AWS's example records and the kit's scenarios, and the finding
   says which events the control means to catch are caught, and which are missed. It also says
   what the exact CIS pattern alone misses (a failed sign-in with a wrong user name is not
   "Failed authentication").

Decisions, where the documentation is silent or disagrees:

- Pattern comparison is exact, whitespace included. The control page says "This control fails if
  the exact metric filters prescribed by CIS are not used. Additional fields or terms cannot be
  added." and users report that AWS Support confirmed whitespace matters
  (cloudposse/terraform-aws-cloudtrail-cloudwatch-alarms#33, terraform-aws-modules/terraform-aws-cloudwatch#50).
  A pattern that differs only in whitespace still fails, and the reason says so.
- A multi-Region trail whose home Region (or owner account) is not the checked one: the 2026
  control page says NO_DATA, the reason-code table says WARNING (`CLOUDTRAIL_REGION_INVAILD`,
  AWS's spelling). The kit uses WARNING with that code, keeping the three statuses.
- A trail "records all management events" when a basic event selector has
  IncludeManagementEvents true and ReadWriteType All, or an advanced event selector selects
  eventCategory Management without a readOnly field (the CIS audit steps as third-party copies
  of the benchmark give them; advanced selectors:
  https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-management-events-with-cloudtrail.html).
- An alarm is "on" a filter's metric when its MetricName and Namespace are the filter's metric
  transformation's (metric-math alarms are not followed). A confirmed subscription has a
  SubscriptionArn that is an ARN; "PendingConfirmation" does not count.
- "Means to catch" (the semantic verdict) is written below as plain Python over the record,
  independent of any filter pattern: see `INTENTS` (semantic.py).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from signin_lab.compliance.collect import (
    DENIED,
    NOT_FOUND,
    PENDING,
    AccountState,
    collect,
    log_group_name,
)
from signin_lab.compliance.findings import Finding, Findings
from signin_lab.compliance.securityhub import CONTROLS, TITLES, ReasonCode, Status, security_hub
from signin_lab.compliance.semantic import (
    INTENTS,
    ControlScenario,
    compile_patterns,
    scenarios,
    semantic_verdict,
)
from signin_lab.compliance.versions import VersionReport, by_version, check_versions
from signin_lab.config import CIS_NAMES

if TYPE_CHECKING:  # pragma: no cover
    from signin_lab.lab import Lab


def evaluate(state: AccountState, cases: Iterable[ControlScenario] | None = None) -> Findings:
    """Both verdicts for CloudWatch.1, .3 and .6 from an AccountState (pure: no AWS calls)."""
    cases = list(scenarios() if cases is None else cases)
    compiled = compile_patterns(state)
    out = Findings()
    for control in CONTROLS:
        sh = security_hub(state, control)
        intended, caught, missed, caught_by, cis_misses, notes = semantic_verdict(state, control, cases, compiled)
        reason = sh.reason
        if missed and not caught_by and not any(state.metric_filters.values()):
            reason += (
                f". Semantically: no metric filter on a log group fed by a trail based in {state.region}, "
                f"so none of the {len(intended)} events this control is about is counted here"
            )
        elif missed:
            reason += (
                f". Semantically, the filters on the log group miss {len(missed)} of the {len(intended)} "
                f"events this control is about: {'; '.join(missed)}"
            )
        out.append(
            Finding(
                control=control, title=TITLES[control], status=sh.status, reason=reason, reason_code=sh.code,
                trail=sh.trail, log_group=sh.log_group, metric_filter=sh.metric_filter, alarm=sh.alarm,
                topic=sh.topic, intended=intended, caught=caught, missed=missed, caught_by=caught_by,
                cis_pattern_misses=cis_misses, notes=tuple(notes),
            )
        )
    return out


def check(lab: Lab, region: str | None = None) -> Findings:
    """Security Hub's CIS sign-in controls CloudWatch.1, .3 and .6 on `lab`, with the semantic verdict.

    `region`: the Region to evaluate in (default the lab's); Security Hub evaluates each Region
    on its own. https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html
    """
    return evaluate(collect(lab, region))


def _print_findings(findings: Findings) -> None:
    from signin_lab.cli.render import findings as render_findings
    from signin_lab.cli.render import terminal

    render_findings(terminal(), findings)


def __getattr__(name: str) -> Any:
    """Old names kept for one release with a DeprecationWarning: `Scenario` (now ControlScenario)
    and `print_findings` (rendering moved to signin_lab.cli.render.findings)."""
    if name == "print_findings":
        warnings.warn(
            "signin_lab.compliance.print_findings moved to signin_lab.cli.render.findings"
            "(console, findings)",
            DeprecationWarning,
            stacklevel=2,
        )
        return _print_findings
    if name == "Scenario":
        warnings.warn(
            "signin_lab.compliance.Scenario is deprecated: use ControlScenario "
            "(it clashed with signin_lab.costs.Scenario)",
            DeprecationWarning,
            stacklevel=2,
        )
        return ControlScenario
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CIS_NAMES",
    "CONTROLS",
    "DENIED",
    "INTENTS",
    "NOT_FOUND",
    "PENDING",
    "TITLES",
    "AccountState",
    "ControlScenario",
    "Finding",
    "Findings",
    "ReasonCode",
    "Status",
    "VersionReport",
    "by_version",
    "check",
    "check_versions",
    "collect",
    "evaluate",
    "log_group_name",
    "scenarios",
]
