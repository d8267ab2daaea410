"""`signin-lab athena`: the CloudTrail table DDL and the counting SQL for Athena, and running it.

The SQL comes from the same filter patterns as `scan` (FilterPattern.to_sql("athena")); see
signin_lab.athena for the table and its sources.
"""

from __future__ import annotations

import click

from signin_lab.cli.common import app, open_lab, target_options, yes_option
from signin_lab.errors import SigninLabError


@app.group()
def athena() -> None:
    """Athena for an organisation's archive: the CloudTrail table DDL and the counting SQL."""


@athena.command("ddl")
@click.option("--bucket", required=True, help="The trail's S3 bucket.")
@click.option("--prefix", default="", help="The trail's S3 key prefix, if it has one.")
@click.option("--org-id", default=None, help="An organisation trail's id (o-...): adds account and Region partitions.")
@click.option("--account", "accounts", multiple=True, help="Account(s) to read (repeatable) [default: the target's].")
@click.option("--regions", "regions", multiple=True, help="Region(s), repeatable or comma-separated [default: --region].")
@click.option("--start", default="2020/01/01", show_default=True, help="First day the table projects, YYYY/MM/DD.")
@click.option("--table", default="cloudtrail_logs_pp", show_default=True, help="Table name.")
@target_options
def athena_ddl(
    bucket: str, prefix: str, org_id: str | None, accounts: tuple[str, ...], regions: tuple[str, ...],
    start: str, table: str, target: str | None, region: str,
) -> None:
    """Print the CREATE EXTERNAL TABLE statements (AWS's CloudTrail table with partition projection)."""
    from signin_lab.athena import ArchiveTable, ddl, parse_regions

    if not accounts and org_id:
        raise SigninLabError("--org-id: name the member accounts to read with --account (repeatable)")
    if not accounts:
        with open_lab(target, region) as lab:
            accounts = (lab.config.account_id,)
    archive = ArchiveTable(bucket, prefix, org_id, tuple(accounts), parse_regions(regions) or (region,), start, table)
    click.echo(";\n\n".join(ddl(archive)) + ";")


@athena.command("sql")
@click.option("--by", type=click.Choice(["minute", "day"]), default=None, help="A series per minute or day.")
@click.option("--table", default="cloudtrail_logs_pp_records", show_default=True, help="The records table (see ddl).")
@click.option("--since", default=None, help="First day, YYYY/MM/DD (restricts the partitions read).")
@click.option("--until", default=None, help="Last day, YYYY/MM/DD, inclusive.")
@click.option("--pattern", "patterns", multiple=True, help="NAME=PATTERN: another metric filter (repeatable).")
@click.option("--run", is_flag=True, help="Run it with Athena and print the result as JSON.")
@click.option("--workgroup", default="primary", show_default=True, help="Athena workgroup (with --run).")
@click.option("--output", default=None, help="s3:// location for the query results (with --run).")
@click.option("--database", default="default", show_default=True, help="Glue database of the table (with --run).")
@target_options
@yes_option
def athena_sql(
    by: str | None, table: str, since: str | None, until: str | None, patterns: tuple[str, ...], run: bool,
    workgroup: str, output: str | None, database: str, target: str | None, region: str, yes: bool,
) -> None:
    """Print (or --run) the query counting each alert's matches, compiled from its filter pattern."""
    import json

    from signin_lab.athena import counting_sql, run_query
    from signin_lab.events.scan import default_patterns, parse_pattern_options

    chosen = default_patterns()
    chosen.update(parse_pattern_options(patterns))
    sql = counting_sql(chosen, table, by=by, since=since, until=until)
    if not run:
        click.echo(sql + ";")
        return
    if not output:
        raise SigninLabError("--run needs --output s3://BUCKET/PATH/ for Athena's query results")
    with open_lab(target, region, yes=yes, changes=True) as lab:
        result = run_query(
            lab.client("athena"), sql, workgroup=workgroup, output=output, database=database,
            on_progress=lambda state, t: click.echo(f"athena: {state} after {t:.0f} s", err=True),
        )
    click.echo(json.dumps(result.to_json()))
