"""The findings of `check`: one per control, Security Hub's verdict and the semantic one, as data."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from signin_lab.compliance.securityhub import ReasonCode, Status

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


@dataclass(frozen=True)
class Finding:
    """One control's verdicts: Security Hub's (`status`, `reason`) and the semantic one (`caught`, `missed`)."""

    control: str
    title: str
    status: Status
    reason: str
    reason_code: ReasonCode | None
    trail: str | None = None
    log_group: str | None = None
    metric_filter: str | None = None
    alarm: str | None = None
    topic: str | None = None
    #: scenario names the control means to catch ...
    intended: tuple[str, ...] = ()
    #: ... that some metric filter on the trail's log group matches, and that none does
    caught: tuple[str, ...] = ()
    missed: tuple[str, ...] = ()
    #: intended scenario -> the filters on the log group that match it
    caught_by: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: intended scenarios the exact CIS pattern itself misses, deployed or not
    cis_pattern_misses: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        return self.status == "PASSED"

    def frame(self) -> pd.DataFrame:
        """The semantic verdict as a table: one row per intended scenario, which filters catch it."""
        import pandas as pd

        rows = [
            (s, s in self.caught, ", ".join(self.caught_by.get(s, ())), s not in self.cis_pattern_misses)
            for s in self.intended
        ]
        return pd.DataFrame(rows, columns=["scenario", "caught", "caught_by", "cis_pattern_catches"])


class Findings(list[Finding]):
    """The findings of `check`, in control order, with a table view for notebooks."""

    @property
    def failed(self) -> list[Finding]:
        return [f for f in self if f.status == "FAILED"]

    def frame(self) -> pd.DataFrame:
        """One row per control: status, reason code, reason, and the semantic counts."""
        import pandas as pd

        rows = [
            (f.control, f.status, f.reason_code or "", f.reason, len(f.caught), len(f.intended), ", ".join(f.missed))
            for f in self
        ]
        return pd.DataFrame(
            rows, columns=["control", "status", "reason_code", "reason", "caught", "intended", "missed"]
        )


__all__ = ["Finding", "Findings"]
