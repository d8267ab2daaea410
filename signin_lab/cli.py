"""The `signin-lab` command: every step of the course from a terminal.

Built on click (https://click.palletsprojects.com/): typer 0.29 imports pydantic to run any
command, which cost `scan` a fifth of a second at start-up (see benchmarks/scan.py).
Errors raised on purpose (SigninLabError) print as one line on stderr and exit 2.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from signin_lab.errors import SigninLabError

if TYPE_CHECKING:  # pragma: no cover
    from signin_lab.lab import Lab

EMAIL = "you@example.com"
SMS = "+447700900123"


@click.group(
    name="signin-lab",
    help="AWS console sign-in alerts, rebuilt step by step: offline on moto by default.",
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
def app() -> None:
    """The command group; each step is a subcommand."""


def target_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--target and --region, which every command takes."""
    fn = click.option(
        "--region", default="eu-west-1", show_default=True, envvar="SIGNIN_LAB_REGION", help="AWS Region."
    )(fn)
    return click.option(
        "--target",
        default=None,
        envvar="SIGNIN_LAB_TARGET",
        help="moto (default: in-process), http(s)://host:port (a moto server), or aws (real AWS).",
    )(fn)


yes_option = click.option("--yes", is_flag=True, help="Do not ask before changing a real AWS account.")
on_error_option = click.option(
    "--on-error",
    type=click.Choice(["raise", "skip"]),
    default="raise",
    show_default=True,
    help="raise: stop at bad input; skip: count it, go on.",
)


def open_lab(target: str | None, region: str, *, yes: bool = False, changes: bool = False) -> Lab:
    """The Lab for --target; on real AWS, ask before anything that changes the account.

    Use it as a context manager (`with open_lab(...) as lab:`) so in-process moto is stopped.
    """
    from signin_lab.lab import Lab

    value = (target or "moto").strip()
    if value == "aws":
        if changes and not yes:
            if not sys.stdin.isatty():
                raise SigninLabError("--target aws changes a real AWS account: pass --yes to confirm")
            click.confirm(
                f"This changes your real AWS account in {region} and may cost money. Continue?",
                abort=True,
            )
        return Lab.aws(region, confirm=True)
    if value == "moto":
        return Lab.moto(region)
    if value.startswith(("http://", "https://")):
        return Lab.endpoint(value, region)
    raise SigninLabError(f"--target {value!r}: expected moto, an http(s):// URL, or aws")


@app.command()
@click.option("--email", default=EMAIL, show_default=True, help="Address for every alert.")
@click.option("--sms", default=SMS, show_default=True, help="E.164 phone number for the root-success SMS.")
@click.option("--cis", is_flag=True, help="Also add the CIS sign-in controls' filters and alarms.")
@target_options
@yes_option
def deploy(email: str, sms: str, cis: bool, target: str | None, region: str, yes: bool) -> None:
    """Build the blog's whole alerting stack (idempotent) and print what was built."""
    from signin_lab.stack.report import print_deploy

    with open_lab(target, region, yes=yes, changes=True) as lab:
        print_deploy(lab.deploy(email=email, sms=sms, cis=cis))


@app.command()
@click.option("--keep-logs", is_flag=True, help="Keep the trail's bucket and its log files.")
@click.option("--delete-logs", is_flag=True, help="On real AWS, also delete the trail's log files.")
@target_options
@yes_option
def teardown(keep_logs: bool, delete_logs: bool, target: str | None, region: str, yes: bool) -> None:
    """Remove everything deploy made (safe on a partial stack, and twice)."""
    from signin_lab.stack.report import print_teardown

    with open_lab(target, region, yes=yes, changes=True) as lab:
        if lab.kind == "aws" and not keep_logs and not delete_logs and not yes and sys.stdin.isatty():
            delete_logs = click.confirm(
                f"Also delete the trail's bucket {lab.config.bucket} and the log group (audit records)?",
                default=False,
            )
        print_teardown(lab.teardown(keep_logs=keep_logs, delete_logs=delete_logs or None))


@app.command()
@click.option("--port", type=int, default=5000, show_default=True, help="Port (0: a free one).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
def serve(port: int, host: str) -> None:
    """Start a moto server for a classroom; learners set SIGNIN_LAB_TARGET to its URL."""
    from signin_lab.server import serve_forever

    serve_forever(host, port)


@app.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--pattern", "patterns", multiple=True, help="NAME=PATTERN: another metric filter to count (repeatable).")
@on_error_option
@click.option("--engine", type=click.Choice(["python", "duckdb"]), default="python", show_default=True,
              help="python: processes (--jobs); duckdb: SQL over the files, its own threads.")
@click.option("--jobs", type=click.IntRange(min=1), default=None, help="Processes for the python engine [default: cores].")
@click.option("--since", default=None, help="First day to read, YYYY-MM-DD (by the files' place in the layout).")
@click.option("--until", default=None, help="Last day to read, YYYY-MM-DD, inclusive.")
@click.option("--region", "regions", multiple=True, help="Only this Region's folders (repeatable).")
@click.option("--account", "accounts", multiple=True, help="Only this account's folders (repeatable).")
@click.option("--target", default=None, envvar="SIGNIN_LAB_TARGET",
              help="For s3:// paths: moto, http(s)://host:port (a moto server), or aws.")
def scan(
    paths: tuple[str, ...], output: str, patterns: tuple[str, ...], on_error: str, engine: str,
    jobs: int | None, since: str | None, until: str | None, regions: tuple[str, ...],
    accounts: tuple[str, ...], target: str | None,
) -> None:
    """Count what each alert's metric filter matches in a CloudTrail archive (files, folders, s3://)."""
    import os

    from signin_lab.events.scan import run_scan

    prune = None
    if since or until or regions or accounts:
        from signin_lab.events.sources import Prune

        prune = Prune.from_options(since, until, regions, accounts)
    if not any(p.startswith("s3:") for p in paths):
        run_scan(list(paths), output=output, patterns=list(patterns), on_error=on_error,
                 prune=prune, engine=engine, jobs=jobs)
        return
    with open_lab(target, os.environ.get("SIGNIN_LAB_REGION", "eu-west-1")) as lab:
        run_scan(list(paths), output=output, patterns=list(patterns), on_error=on_error,
                 target=lab, prune=prune, engine=engine, jobs=jobs)


@app.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--out", default="out", show_default=True, help="Folder for the chart PNGs.")
@on_error_option
@target_options
def analyze(paths: tuple[str, ...], out: str, on_error: str, target: str | None, region: str) -> None:
    """Summarise the console sign-ins in CloudTrail files (or s3:// URLs) and write the charts as PNGs."""
    from signin_lab.events.analyze import run_analyze

    if not any(p.startswith("s3:") for p in paths):
        run_analyze(list(paths), out=out, on_error=on_error)
        return
    with open_lab(target, region) as lab:
        run_analyze(list(paths), out=out, on_error=on_error, target=lab)


@app.command()
@click.option("--alarms", type=int, default=None, help="Number of alerts (each one metric + one alarm).")
@click.option("--sms", type=int, default=None, help="SMS messages a month.")
@click.option("--country", default="GB", show_default=True, help="SMS destination country (ISO code).")
@click.option("--plan", default="legacy", show_default=True, help="Free-tier regime: legacy, free or paid.")
@click.option("--format", "fmt", default="table", show_default=True, help="table or json.")
@target_options
def cost(
    alarms: int | None, sms: int | None, country: str, plan: str, fmt: str, target: str | None, region: str
) -> None:
    """What the blog's setup costs a month against the free tier (prices are sourced data)."""
    from signin_lab.costs.cli import cost_command

    click.echo(cost_command(alarms, sms, country, plan, fmt))  # type: ignore[arg-type]


@app.command()
@click.option("--out", default="signin-lab-demo", show_default=True, help="Folder for the alarm dashboard PNG.")
@click.option("--region", default="eu-west-1", show_default=True, envvar="SIGNIN_LAB_REGION", help="AWS Region.")
def demo(out: str, region: str) -> None:
    """The blog's 'Does this all work?' on in-process moto: records, datapoints, alarms, emails, SMS."""
    from signin_lab.emulator.demo import run_demo

    with open_lab("moto", region) as lab:
        run_demo(out, lab=lab)


@app.command()
@click.argument("paths", nargs=-1, required=True)
@target_options
def replay(paths: tuple[str, ...], target: str | None, region: str) -> None:
    """Replay CloudTrail records through delivery, metric filters, alarms and SNS (moto targets).

    On in-process moto the blog's stack is deployed first; a moto server keeps its own stack.
    """
    from rich.console import Console

    from signin_lab.emulator.demo import print_inbox, print_run
    from signin_lab.events import load_records

    with open_lab(target, region) as lab:
        if lab.kind == "moto":
            lab.deploy(email=EMAIL, sms=SMS)
        run = lab.replay(load_records(*paths))
        console = Console()
        print_run(console, run)
        print_inbox(console, run.messages)


@app.command()
@click.option("--cis", is_flag=True, help="In-process moto only: deploy with the CIS controls added.")
@target_options
@click.pass_context
def check(ctx: click.Context, cis: bool, target: str | None, region: str) -> None:
    """Check Security Hub's CIS sign-in controls (CloudWatch.1, .3, .6); exit 1 if any fails.

    In-process moto starts empty, so there the blog's stack (with --cis, plus the CIS controls)
    is deployed first; a moto server or a real account is checked as it is.
    """
    from signin_lab.compliance import check as check_controls
    from signin_lab.compliance import print_findings

    with open_lab(target, region) as lab:
        if lab.kind == "moto":
            lab.deploy(email=EMAIL, sms=SMS, cis=cis)
            click.echo(f"in-process moto: checking the blog's stack{' with the CIS controls' if cis else ''}")
        findings = check_controls(lab)
    print_findings(findings)
    if findings.failed:
        ctx.exit(1)


@app.command("export-cfn")
@click.option("--email", default=EMAIL, show_default=True, help="Default of the AlertEmail parameter ('' for none).")
@click.option("--sms", default=SMS, show_default=True, help="Default of the AlertPhoneNumber parameter ('' for none).")
@click.option("--cis", is_flag=True, help="Also add the CIS sign-in controls' filters and alarms.")
@target_options
def export_cfn(email: str, sms: str, cis: bool, target: str | None, region: str) -> None:
    """Print the same stack as a CloudFormation template (YAML): `signin-lab export-cfn > stack.yaml`."""
    from signin_lab.cfn import template
    from signin_lab.config import LabConfig

    if (target or "moto").strip() == "moto":  # moto's account is fixed: no need to start it
        base = LabConfig(region=region)
    else:  # a server or real AWS: the template names the target's own account
        with open_lab(target, region) as lab:
            base = lab.config
    click.echo(template(base.replace(email=email or None, sms=sms or None, cis=cis)), nl=False)


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


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI, turning SigninLabError into one line on stderr and exit 2."""
    try:
        rc = app.main(args=argv, prog_name="signin-lab", standalone_mode=False)
    except SigninLabError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"signin-lab: error: {first}", file=sys.stderr)
        sys.exit(2)
    except click.exceptions.Abort:
        print("signin-lab: aborted", file=sys.stderr)
        sys.exit(1)
    except click.exceptions.ClickException as exc:  # usage errors: click prints them itself
        exc.show()
        sys.exit(exc.exit_code)
    sys.exit(rc if isinstance(rc, int) else 0)


if __name__ == "__main__":  # pragma: no cover
    main()
