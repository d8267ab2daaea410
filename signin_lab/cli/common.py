"""What every `signin-lab` command shares: the click group, shared options, the Lab opener, errors."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from signin_lab.errors import SigninLabError

if TYPE_CHECKING:  # pragma: no cover
    from signin_lab.lab import Lab

EMAIL = "you@example.com"
SMS = "+447700900123"

#: The command-line option that sets each field an error can name (SigninLabError.field):
#: LabConfig fields (deploy, export-cfn), Scenario fields (cost), and output paths.
OPTION_FOR_FIELD: dict[str, str] = {
    "email": "--email",
    "sms": "--sms",
    "cis": "--cis",
    "region": "--region",
    "alarms": "--alarms",
    "custom_metrics": "--alarms",
    "sms_per_month": "--sms/--country",
    "plan": "--plan",
    "format": "--format",
    "out": "--out",
    "outdir": "OUTDIR",
    "port": "--port",
    "host": "--host",
    "target": "--target",
    "learners": "--learners",
    "account": "SIGNIN_LAB_ACCOUNT",
}


@click.group(
    name="signin-lab",
    help="AWS console sign-in alerts, rebuilt step by step: offline on moto by default.",
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
def app() -> None:
    """The command group; each step is a subcommand."""


region_option = click.option(
    "--region", default="eu-west-1", show_default=True, envvar="SIGNIN_LAB_REGION", help="AWS Region."
)


def target_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--target and --region, for the commands that open a target."""
    fn = region_option(fn)
    return click.option(
        "--target",
        default=None,
        envvar="SIGNIN_LAB_TARGET",
        help="moto (default: in-process), http(s)://host:port (a moto server), or aws (real AWS).",
    )(fn)


yes_option = click.option("--yes", is_flag=True, help="Do not ask before changing a real AWS account.")
max_bytes_option = click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=1 << 30,  # signin_lab.events.load.MAX_BYTES (1 GiB), not imported here to start fast
    show_default=True,
    help="The most one file may hold once decompressed (a gzip bomb stops here).",
)
on_error_option = click.option(
    "--on-error",
    type=click.Choice(["raise", "skip"]),
    default="raise",
    show_default=True,
    help="raise: stop at bad input; skip: count it, go on.",
)


def open_lab(target: str | None, region: str, *, yes: bool = False, changes: bool = False) -> Lab:
    """The Lab for --target (parsed by `Target.parse`); on a target that needs confirmation (real
    AWS), ask before anything that changes the account.

    Use it as a context manager (`with open_lab(...) as lab:`) so in-process moto is stopped.
    SIGNIN_LAB_ACCOUNT (a classroom learner's account, from `serve --learners`) scopes a moto
    server target to that account.
    """
    from signin_lab.lab import ACCOUNT_ENV, Lab
    from signin_lab.target import Target

    value = (target or "moto").strip()
    if Target.needs_confirmation_for(value) and changes and not yes:
        if not sys.stdin.isatty():
            raise SigninLabError(
                "--target aws changes a real AWS account: pass --yes to confirm", field="target"
            )
        click.confirm(
            f"This changes your real AWS account in {region} and may cost money. Continue?",
            abort=True,
        )
    # Naming the target on the command line is the explicit choice; changes were confirmed above.
    account = os.environ.get(ACCOUNT_ENV, "").strip() or None
    return Lab.open(value, region, confirm=True, account=account)


def option_for(exc: BaseException) -> str | None:
    """The option that sets the field `exc` names (its `field` attribute), if a command has one.

    A field such as "sms_per_month[FR]" (one entry of a mapping) maps as its field does.
    """
    field = getattr(exc, "field", None)
    if not field:
        return None
    return OPTION_FOR_FIELD.get(str(field).split("[", 1)[0])


def error_line(exc: SigninLabError) -> str:
    """The one line `main` prints for `exc`: its first line, led by the option it names."""
    text = str(exc).strip()
    first = text.splitlines()[0] if text else type(exc).__name__
    option = option_for(exc)
    if option and not first.startswith(option):
        first = f"{option}: {first}"
    return f"signin-lab: error: {first}"
