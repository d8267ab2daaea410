"""`signin-lab cost`: the blog's month, changed by the options, as a table or JSON.

`cost_command` returns the text to print; rich renders the table into a string (no terminal
needed). `--region` only chooses the price book: AWS publishes its prices per service and per
Region (the AWS Price List, https://aws.amazon.com/about-aws/whats-new/2017/04/use-the-enhanced-aws-price-list-api-to-access-aws-service-and-region-specific-product-and-pricing-information).
"""

from __future__ import annotations

import io
import json
import math
from typing import TYPE_CHECKING, Literal

import click

from signin_lab.cli.common import app
from signin_lab.errors import SigninLabError

if TYPE_CHECKING:  # pragma: no cover
    from signin_lab.costs.model import PriceBook, Report, Scenario

Format = Literal["table", "json"]
FORMATS: tuple[str, ...] = ("table", "json")
#: signin_lab.costs.PLANS, spelled here so starting any command (scan) does not import the cost
#: model; tests/test_cli_cost.py checks the two agree.
PLAN_CHOICES: tuple[str, ...] = ("legacy", "free", "paid")


def scenario_for(alarms: int | None, sms: int | None, country: str, plan: str) -> Scenario:
    """The blog's month with the command's options applied.

    --alarms N sets the number of alerts: each is one custom metric and one alarm. --sms N sends
    N SMS a month to --country (default GB); with --country alone the blog's two SMS go there.
    Bad values raise Scenario's SigninLabError, whose `field` names the option (main maps it).
    """
    from signin_lab.costs.model import Scenario

    base = Scenario.blog(plan=plan)  # type: ignore[arg-type]  # Scenario checks the plan
    changes: dict[str, object] = {}
    if alarms is not None:
        changes.update(alarms=alarms, custom_metrics=alarms)
    count = base.sms_total if sms is None else sms
    changes["sms_per_month"] = {country: count} if count or sms is not None else {}
    return base.replace(**changes)


def price_book(region: str) -> PriceBook:
    """The price book for `region` (`signin_lab.costs.price_book`); a Region without one is an
    error naming those that exist."""
    from signin_lab.costs import price_book as book_for

    return book_for(region)


def cost_command(
    alarms: int | None,
    sms: int | None,
    country: str,
    plan: str,
    fmt: Format,
    region: str | None = None,
) -> str:
    """Estimate the blog's month with the options applied, priced with `region`'s book
    (default: the package's default book); "table" (rich) or "json" text."""
    from signin_lab.costs.model import estimate

    if fmt not in FORMATS:
        raise SigninLabError(f"unknown format {fmt!r}; expected table or json", field="format")
    book = price_book(region) if region is not None else None
    report = estimate(scenario_for(alarms, sms, country, plan), prices=book)
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
        expiry = (
            f", expire after {credits.expire_after_months} months"
            if credits.expire_after_months
            else ""
        )
        console.print(f"Credits USD {credits.credits_usd:.0f}: {months}{expiry}")
    for note in report.notes:
        console.print(f"Note: {note}")
    console.print(
        f"Sources: signin_lab/costs/prices/{report.region}.json "
        "(each line's page and the date it was read)"
    )
    return buffer.getvalue()


@app.command()
@click.option("--alarms", type=int, default=None, help="Number of alerts (each one metric + one alarm).")
@click.option("--sms", type=int, default=None, help="SMS messages a month.")
@click.option("--country", default="GB", show_default=True, help="SMS destination country (ISO code).")
@click.option(
    "--plan",
    type=click.Choice(PLAN_CHOICES),
    default="legacy",
    show_default=True,
    help="Free-tier regime.",
)
@click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True
)
@click.option(
    "--region",
    default=None,
    help="Price book: the Region whose list prices to use (default: the package's book).",
)
def cost(
    alarms: int | None, sms: int | None, country: str, plan: str, fmt: str, region: str | None
) -> None:
    """What the blog's setup costs a month against the free tier (prices are sourced data)."""
    click.echo(cost_command(alarms, sms, country, plan, fmt, region=region))  # type: ignore[arg-type]
