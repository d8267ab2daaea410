"""The `signin-lab` command: every step of the course from a terminal.

Errors raised on purpose (SigninLabError) print as one line on stderr and exit 2.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from signin_lab.errors import SigninLabError

if TYPE_CHECKING:  # pragma: no cover
    from signin_lab.lab import Lab

app = typer.Typer(
    name="signin-lab",
    help="AWS console sign-in alerts, rebuilt step by step: offline on moto by default.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

TargetOpt = Annotated[
    str | None,
    typer.Option(
        "--target",
        help="moto (default: in-process), http(s)://host:port (a moto server), or aws (real AWS).",
        envvar="SIGNIN_LAB_TARGET",
    ),
]
RegionOpt = Annotated[str, typer.Option("--region", help="AWS Region.", envvar="SIGNIN_LAB_REGION")]
YesOpt = Annotated[bool, typer.Option("--yes", help="Do not ask before changing a real AWS account.")]


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
            typer.confirm(
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
def deploy(
    email: Annotated[str, typer.Option(help="Address for every alert.")] = "you@example.com",
    sms: Annotated[str, typer.Option(help="E.164 phone number for the root-success SMS.")] = "+447700900123",
    cis: Annotated[bool, typer.Option(help="Also add the CIS sign-in controls' filters and alarms.")] = False,
    target: TargetOpt = None,
    region: RegionOpt = "eu-west-1",
    yes: YesOpt = False,
) -> None:
    """Build the blog's whole alerting stack (idempotent) and print what was built."""
    from signin_lab.stack.report import print_deploy

    with open_lab(target, region, yes=yes, changes=True) as lab:
        print_deploy(lab.deploy(email=email, sms=sms, cis=cis))


@app.command()
def teardown(
    keep_logs: Annotated[bool, typer.Option(help="Keep the trail's bucket and its log files.")] = False,
    delete_logs: Annotated[bool, typer.Option(help="On real AWS, also delete the trail's log files.")] = False,
    target: TargetOpt = None,
    region: RegionOpt = "eu-west-1",
    yes: YesOpt = False,
) -> None:
    """Remove everything deploy made (safe on a partial stack, and twice)."""
    from signin_lab.stack.report import print_teardown

    with open_lab(target, region, yes=yes, changes=True) as lab:
        if lab.kind == "aws" and not keep_logs and not delete_logs and not yes and sys.stdin.isatty():
            delete_logs = typer.confirm(
                f"Also delete the trail's bucket {lab.config.bucket} and the log group (audit records)?",
                default=False,
            )
        print_teardown(lab.teardown(keep_logs=keep_logs, delete_logs=delete_logs or None))


@app.command()
def serve(
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1 (0: a free one).")] = 5000,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
) -> None:
    """Start a moto server for a classroom; learners set SIGNIN_LAB_TARGET to its URL."""
    from signin_lab.server import serve_forever

    serve_forever(host, port)


@app.command()
def scan(
    paths: Annotated[list[str], typer.Argument(help="CloudTrail files or folders (walked recursively).")],
    format: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    pattern: Annotated[
        list[str] | None,
        typer.Option("--pattern", help="NAME=PATTERN: another metric filter to count (repeatable)."),
    ] = None,
    on_error: Annotated[str, typer.Option(help="raise: stop at bad input; skip: count it, go on.")] = "raise",
    target: TargetOpt = None,
    region: RegionOpt = "eu-west-1",
) -> None:
    """Count what each alert's metric filter matches in a CloudTrail archive (local files only)."""
    from signin_lab.events.scan import run_scan

    run_scan(paths, output=format, patterns=pattern or [], on_error=on_error)


@app.command()
def analyze(
    paths: Annotated[list[str], typer.Argument(help="CloudTrail files or folders (walked recursively).")],
    out: Annotated[str, typer.Option(help="Folder for the chart PNGs.")] = "out",
    on_error: Annotated[str, typer.Option(help="raise: stop at bad input; skip: count it, go on.")] = "raise",
    target: TargetOpt = None,
    region: RegionOpt = "eu-west-1",
) -> None:
    """Summarise the console sign-ins in CloudTrail files and write the charts as PNGs."""
    from signin_lab.events.analyze import run_analyze

    run_analyze(paths, out=out, on_error=on_error)


@app.command()
def cost(
    alarms: Annotated[int | None, typer.Option(help="Number of alerts (each one metric + one alarm).")] = None,
    sms: Annotated[int | None, typer.Option(help="SMS messages a month.")] = None,
    country: Annotated[str, typer.Option(help="SMS destination country (ISO code).")] = "GB",
    plan: Annotated[str, typer.Option(help="Free-tier regime: legacy, free or paid.")] = "legacy",
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    target: TargetOpt = None,
) -> None:
    """What the blog's setup costs a month against the free tier (prices are sourced data)."""
    from signin_lab.costs.cli import cost_command

    print(cost_command(alarms, sms, country, plan, fmt))  # type: ignore[arg-type]


@app.command()
def demo(
    out: Annotated[str, typer.Option(help="Folder for the alarm dashboard PNG.")] = "signin-lab-demo",
    region: RegionOpt = "eu-west-1",
) -> None:
    """The blog's 'Does this all work?' on in-process moto: records, datapoints, alarms, emails, SMS."""
    from signin_lab.emulator.demo import run_demo

    with open_lab("moto", region) as lab:
        run_demo(out, lab=lab)


@app.command()
def replay(
    paths: Annotated[list[str], typer.Argument(help="CloudTrail files or folders.")],
    target: TargetOpt = None,
    region: RegionOpt = "eu-west-1",
) -> None:
    """Replay CloudTrail records through delivery, metric filters, alarms and SNS (moto targets).

    On in-process moto the blog's stack is deployed first; a moto server keeps its own stack.
    """
    from rich.console import Console

    from signin_lab.emulator.demo import print_inbox, print_run
    from signin_lab.events import load_records

    with open_lab(target, region) as lab:
        if lab.kind == "moto":
            lab.deploy(email="you@example.com", sms="+447700900123")
        run = lab.replay(load_records(*paths))
        console = Console()
        print_run(console, run)
        print_inbox(console, run.messages)


@app.command()
def check(
    target: TargetOpt = None,
    region: RegionOpt = "eu-west-1",
) -> None:
    """Check Security Hub's CIS sign-in controls (CloudWatch.1, .3, .6); exit 1 if any fails."""
    from signin_lab.compliance import check as check_controls
    from signin_lab.compliance import print_findings

    with open_lab(target, region) as lab:
        findings = check_controls(lab)
    print_findings(findings)
    if findings.failed:
        raise typer.Exit(1)


@app.command("export-cfn")
def export_cfn(
    email: Annotated[str, typer.Option(help="Default of the AlertEmail parameter ('' for none).")] = "you@example.com",
    sms: Annotated[str, typer.Option(help="Default of the AlertPhoneNumber parameter ('' for none).")] = "+447700900123",
    cis: Annotated[bool, typer.Option(help="Also add the CIS sign-in controls' filters and alarms.")] = False,
    target: TargetOpt = None,
    region: RegionOpt = "eu-west-1",
) -> None:
    """Print the same stack as a CloudFormation template (YAML): `signin-lab export-cfn > stack.yaml`."""
    from signin_lab.cfn import template

    with open_lab(target, region) as lab:
        config = lab.config.replace(email=email or None, sms=sms or None, cis=cis)
    typer.echo(template(config), nl=False)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI, turning SigninLabError into one line on stderr and exit 2."""
    try:
        rc = app(args=argv, standalone_mode=False)
    except SigninLabError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"signin-lab: error: {first}", file=sys.stderr)
        sys.exit(2)
    except typer.Abort:
        print("signin-lab: aborted", file=sys.stderr)
        sys.exit(1)
    except typer.TyperException as exc:  # usage errors: typer's ClickException, with show()
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        else:
            print(f"signin-lab: error: {exc}", file=sys.stderr)
        sys.exit(int(getattr(exc, "exit_code", 2)))
    sys.exit(rc if isinstance(rc, int) else 0)


if __name__ == "__main__":  # pragma: no cover
    main()
