"""`signin-lab doctor`: why didn't my alert fire? The command and its text renderer.

Read-only on every target, so `--target aws` needs no confirmation. Exit status: 0 when every
alert can reach its subscribers, 1 when one cannot (a BROKEN link), 2 for bad input (SigninLabError).
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

import click

from signin_lab.cli.common import EMAIL, SMS, app, open_lab, target_options
from signin_lab.cli.eventbridge import DESIGN_CHOICES

if TYPE_CHECKING:  # pragma: no cover
    from signin_lab.doctor import Diagnosis

_MARK = {"OK": "ok", "BROKEN": "BROKEN", "AT RISK": "at risk", "UNKNOWN": "unknown", "NOT DEPLOYED": "absent"}


def render_text(diagnosis: Diagnosis, width: int = 120) -> str:
    """Per alert: the headline first (read, why, fixes, source), then the chain as a compact table.

    Table rows are cut to `width`; `Diagnosis.to_json()` and `.frame()` carry every field whole.
    """
    lines: list[str] = []
    for key in diagnosis.alerts:
        head = diagnosis.headline(key)
        findings = diagnosis.for_alert(key)
        risky = [f for f in findings if f.status == "AT RISK"]
        if head is None:
            verdict = "reaches its subscribers" + (f" ({len(risky)} link(s) at risk)" if risky else "")
        else:
            verdict = f"BROKEN at {head.link}: {head.id}"
        lines.append(f"{key}: {verdict}")
        if head is None and risky:
            lines += _wrap(f"  at risk: {risky[0].id}: ", risky[0].why, width)
            lines += _wrap("  fix (cli): ", risky[0].cli, width)
        if head is not None:
            lines += _wrap("  read: ", head.read, width)
            lines += _wrap("  why: ", head.why, width)
            lines += _wrap("  fix (console): ", head.console, width)
            lines += _wrap("  fix (cli): ", head.cli, width)
            lines += _wrap("  source: ", head.doc, width)
        for f in findings:
            lines.append(_row(f"  {_MARK[f.status]:<8} {f.link:<13} {f.id:<30} ", f.read, width))
        lines.append("")
    lines += [f"{f.alert} design: not deployed ({f.read})" for f in diagnosis.not_deployed]
    broken = diagnosis.broken_alerts
    lines.append(
        f"{len(broken)} of {len(diagnosis.alerts)} alert chain(s) cannot reach their subscribers: {', '.join(broken)}"
        if broken else f"all {len(diagnosis.alerts)} alert chain(s) can reach their subscribers"
    )
    return "\n".join(lines)


def _row(prefix: str, text: str, width: int) -> str:
    """One table row, its text cut to the width (`--format json` has it whole)."""
    room = max(width - len(prefix), 20)
    return prefix + (text if len(text) <= room else text[: room - 3] + "...")


def _wrap(prefix: str, text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=width, initial_indent=prefix, subsequent_indent=" " * len(prefix),
                         break_on_hyphens=False, break_long_words=False) or [prefix.rstrip()]


@app.command("doctor")
@click.option("--alert", "alert", default=None, help="Only this alert (e.g. success-root).")
@click.option("--records", "records", default=None, help="Your CloudTrail records (file, folder or "
              "s3://bucket/prefix, read through the target): each pattern is also tested on them.")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--design", type=click.Choice(DESIGN_CHOICES), default="blog", show_default=True,
              help="In-process moto only: the design deployed before diagnosing (elsewhere the deployed "
              "designs are found).")
@target_options
@click.pass_context
def doctor_command(ctx: click.Context, alert: str | None, records: str | None, output: str, design: str,
                   target: str | None, region: str) -> None:
    """Why didn't my alert fire? Walk every link from sign-in to inbox; name the first broken one.

    Read-only: only Describe/Get/List calls, so a real account (--target aws) needs no --yes.
    In-process moto starts empty, so there the --design stack (the blog's) is deployed first.
    """
    from signin_lab.doctor import doctor

    with open_lab(target, region) as lab:
        if lab.target.in_process:
            lab.deploy(email=EMAIL, sms=SMS, design=design)
        diagnosis = doctor(lab, alert=alert, records=records)
    if output == "json":
        click.echo(diagnosis.to_json())
    else:
        if lab.target.in_process:
            click.echo(f"in-process moto: diagnosing the {design} design's stack, deployed just now\n")
        click.echo(render_text(diagnosis))
    if not diagnosis.ok:
        ctx.exit(1)
