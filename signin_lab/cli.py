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
