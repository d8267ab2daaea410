"""The `signin-lab cost` command's logic: the blog's month, changed by the options, as a table or JSON.

`cost_command` returns the text to print; the click command in signin_lab/cli.py only wires the
options to it. rich renders the table into a string (no terminal needed).
"""

from __future__ import annotations

import io
import json
import math
from typing import Literal

from signin_lab.costs.model import PLANS, Report, Scenario, estimate
from signin_lab.errors import SigninLabError

Format = Literal["table", "json"]
FORMATS: tuple[str, ...] = ("table", "json")


def scenario_for(alarms: int | None, sms: int | None, country: str, plan: str) -> Scenario:
    """The blog's month with the command's options applied.

    --alarms N sets the number of alerts: each is one custom metric and one alarm. --sms N sends
    N SMS a month to --country (default GB); with --country alone the blog's two SMS go there.
    """
    if plan not in PLANS:
        raise SigninLabError(f"--plan: unknown plan {plan!r}; expected one of {', '.join(PLANS)}")
    base = Scenario.blog(plan=plan)  # type: ignore[arg-type]  # checked just above
    changes: dict[str, object] = {}
    try:
        if alarms is not None:
            changes.update(alarms=alarms, custom_metrics=alarms)
        count = base.sms_total if sms is None else sms
        changes["sms_per_month"] = {country: count} if count or sms is not None else {}
        return base.replace(**changes)
    except SigninLabError as exc:
        field, _, rest = str(exc).partition(": ")
        option = _OPTIONS.get(field.split("[", 1)[0], field)
        raise SigninLabError(f"{option} ({field}): {rest}") from None


#: Which command-line option sets each Scenario field the command changes.
_OPTIONS = {"alarms": "--alarms", "custom_metrics": "--alarms", "sms_per_month": "--sms/--country"}


def cost_command(
    alarms: int | None,
    sms: int | None,
    country: str,
    plan: str,
    fmt: Format,
) -> str:
    """Estimate the blog's month with the options applied; "table" (rich) or "json" text."""
    if fmt not in FORMATS:
        raise SigninLabError(f"--format: unknown format {fmt!r}; expected table or json")
    report = estimate(scenario_for(alarms, sms, country, plan))
    if fmt == "json":
        return json.dumps(report.to_dict(), indent=2, sort_keys=False)
    return render_table(report)


def _qty(value: float) -> str:
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:.4g}"


def _usd(value: float) -> str:
    return f"{value:,.4f}"  # sub-cent lines (S3 PUTs, a few emails) stay visible


def render_table(report: Report, width: int = 120) -> str:
    """The report as a rich table, rendered to plain text (no colour codes)."""
    from rich.console import Console
    from rich.table import Table

    scenario = report.scenario
    table = Table(
        title=f"One month of the sign-in alerts, plan {scenario.plan!r}, "
        f"month {scenario.month} ({report.region} list prices)"
    )
    for name, justify in (
        ("Service", "left"),
        ("Item", "left"),
        ("Quantity", "right"),
        ("Free", "right"),
        ("Billable", "right"),
        ("Price", "left"),
        ("USD", "right"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for line in report.lines:
        table.add_row(
            line.service,
            line.item,
            _qty(line.quantity),
            _qty(line.free),
            _qty(line.billable),
            line.price_label,
            _usd(line.usd),
        )
    table.add_section()
    for service, usd in report.by_service.items():
        table.add_row(service, "subtotal", "", "", "", "", _usd(usd))
    table.add_row("", "total (after free tier)", "", "", "", "", _usd(report.total))
    if report.credits is not None:
        table.add_row("", "credits applied", "", "", "", "", _usd(-report.credits.applied_usd))
    table.add_row("", "due this month", "", "", "", "", _usd(report.due))
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, force_terminal=False)
    console.print(table)
    credits = report.credits
    if credits is not None:
        months = (
            "never run out"
            if math.isinf(credits.months_covered)
            else (f"cover {credits.months_covered:.1f} months")
        )
        console.print(
            f"Credits USD {credits.credits_usd:.0f}: {months}"
            + (
                f", expire after {credits.expire_after_months} months"
                if credits.expire_after_months
                else ""
            )
        )
    for note in report.notes:
        console.print(f"Note: {note}")
    console.print(
        "Sources: signin_lab/costs/prices.json (each line's page and the date it was read)"
    )
    return buffer.getvalue()
