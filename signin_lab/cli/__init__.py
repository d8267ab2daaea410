"""The `signin-lab` command: every step of the course from a terminal; the only package that prints.

Built on click (https://click.palletsprojects.com/): typer 0.29 imports pydantic to run any
command, which cost `scan` a fifth of a second at start-up (see benchmarks/scan.py). One module
per command or group (stack, archive, athena, backtest, cost, check, doctor, eventbridge, demo,
serve, docs), the shared options and
error mapping in `common`, the rich renderers of library results in `render`. Errors raised on
purpose (SigninLabError) print as one line on stderr, led by the option their `field` names,
and exit 2.
"""

from __future__ import annotations

import sys

import click

from signin_lab.cli import (
    archive,
    athena,
    backtest,
    check,
    cost,
    demo,
    docs,
    doctor,
    eventbridge,
    serve,
    stack,
)
from signin_lab.cli.common import EMAIL, SMS, app, error_line, open_lab
from signin_lab.errors import SigninLabError

#: The modules that register commands on `app` (imported for that).
COMMAND_MODULES = (
    archive, athena, backtest, check, cost, demo, docs, doctor, eventbridge, serve, stack
)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI, turning SigninLabError into one line on stderr and exit 2.

    A closed stdout (`signin-lab scan ... | head -1`) is click's to handle: exit 1, no traceback.
    """
    try:
        rc = app.main(args=argv, prog_name="signin-lab", standalone_mode=False)
    except SigninLabError as exc:
        click.echo(error_line(exc), err=True)
        sys.exit(2)
    except click.exceptions.Abort:
        click.echo("signin-lab: aborted", err=True)
        sys.exit(1)
    except click.exceptions.ClickException as exc:  # usage errors: click prints them itself
        exc.show()
        sys.exit(exc.exit_code)
    sys.exit(rc if isinstance(rc, int) else 0)


__all__ = ["EMAIL", "SMS", "app", "main", "open_lab"]
