"""`signin-lab compare PATH...`: the blog's design and the EventBridge design on the same records.

Registered on the command group in signin_lab/cli/__init__.py. `design_option` is
the `--design blog|eventbridge|both` option for `deploy` and `teardown` (passed to
`lab.deploy(design=...)` / `lab.teardown(design=...)`); `echo_versions` prints
`compliance.check_versions` for the `check` command.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from signin_lab.cli.common import app

if TYPE_CHECKING:  # pragma: no cover
    from signin_lab.compliance.versions import VersionReport

#: The designs `lab.deploy(design=...)` builds (signin_lab.stack.eventbridge_plan.DESIGNS, spelled
#: here so the command line starts without importing the stack; a test keeps the two equal).
DESIGN_CHOICES = ("blog", "eventbridge", "both")

design_option = click.option(
    "--design", type=click.Choice(DESIGN_CHOICES), default="blog", show_default=True,
    help="blog: metric filters and alarms; eventbridge: rules in every sign-in Region; both.")


@app.command("compare")
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--region", default="eu-west-1", show_default=True, envvar="SIGNIN_LAB_REGION",
              help="The blog's Region and the EventBridge design's central Region.")
@click.option("--single-region-trail", is_flag=True, help="Give the blog's design a single-Region trail.")
@click.option("--eventbridge-region", "eb_regions", multiple=True,
              help="Keep EventBridge forwarding rules only in this Region (repeatable).")
@click.option("--detail-type", default=None, help="Add this detail-type to the alert rules' patterns.")
@click.option("--signins-per-month", type=click.IntRange(min=0), default=None,
              help="Scale the monthly cost to this many sign-ins (default: the records are a month).")
@click.option("--chart", default=None, help="Also save the chart to this PNG file.")
@click.option("--on-error", type=click.Choice(["raise", "skip"]), default="raise", show_default=True,
              help="raise: stop at bad input; skip: count it, go on.")
def compare_command(
    paths: tuple[str, ...], output: str, region: str, single_region_trail: bool,
    eb_regions: tuple[str, ...], detail_type: str | None, signins_per_month: int | None,
    chart: str | None, on_error: str,
) -> None:
    """Both designs on the records in PATHS: alerts, misses and why, delays, message, cost."""
    from signin_lab.compare import compare_designs
    from signin_lab.config import LabConfig
    from signin_lab.events import load_records

    cfg = LabConfig(region=region, trail_multi_region=not single_region_trail)
    records = list(load_records(*paths, on_error=on_error))  # type: ignore[arg-type]
    result = compare_designs(records, cfg, eventbridge_regions=list(eb_regions) or None,
                             detail_type=detail_type, signins_per_month=signins_per_month)
    if chart:
        result.figure().savefig(chart)
    if output == "json":
        click.echo(result.to_json())
        return
    click.echo(result.frame().to_string())
    missed = result.signins()
    for design in ("blog", "eventbridge"):
        rows = missed[~missed[design]]
        click.echo(f"\n{design}: {len(rows)} sign-in(s) missed")
        for _, row in rows.iterrows():
            click.echo(f"  {row['time']:%Y-%m-%d %H:%M:%S} {row['user_type']} {row['outcome']} "
                       f"in {row['region']}: {row[design + '_why']}")
    click.echo("\nWhat the message tells the reader:")
    click.echo(result.fields_frame().to_string())
    click.echo("\nHops (seconds counted; AWS source):")
    for hop in result.hops:
        seconds = "-" if hop["seconds"] is None else hop["seconds"]
        click.echo(f"  {hop['design']:<11} {hop['hop']:<32} {seconds!s:>4}  {hop['source']}")
    if chart:
        click.echo(f"\nchart: {chart}")


def echo_versions(report: VersionReport) -> None:
    """Print `compliance.check_versions`'s verdicts: one line per CIS version and design, then
    the controls not satisfied (for the `check` command)."""
    click.echo("CIS AWS Foundations Benchmark, sign-in controls, by version:")
    for version, designs in report.summary().items():
        verdicts = ", ".join(f"{d}: {'satisfied' if ok else 'not satisfied'}" for d, ok in designs.items())
        click.echo(f"  v{version:<6} {verdicts}")
    for v in report:
        if not v.satisfied:
            click.echo(f"    v{v.version} {v.design} {v.control}: {v.why}")


__all__ = ["DESIGN_CHOICES", "compare_command", "design_option", "echo_versions"]
