"""The findings as a terminal table (rich); the CLI's job, kept here until it moves to signin_lab/cli."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from signin_lab.compliance.findings import Finding


def print_findings(findings: Sequence[Finding]) -> None:
    """The findings as a terminal table (rich), then one line per control on what it misses."""
    from rich.console import Console
    from rich.table import Table

    style = {"PASSED": "green", "FAILED": "red", "WARNING": "yellow"}
    table = Table(title="CIS sign-in controls (Security Hub CloudWatch.1, .3, .6)")
    for col in ("control", "status", "reason code", "reason", "caught"):
        table.add_column(col, overflow="fold")
    for f in findings:
        table.add_row(
            f.control, f"[{style[f.status]}]{f.status}[/]", f.reason_code or "", f.reason,
            f"{len(f.caught)}/{len(f.intended)}",
        )
    console = Console()
    console.print(table)
    for f in findings:
        if f.cis_pattern_misses:
            console.print(
                f"{f.control}: the exact CIS pattern itself misses: {'; '.join(f.cis_pattern_misses)}",
                highlight=False,
            )
