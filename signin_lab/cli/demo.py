"""`signin-lab demo` and `replay`: records through delivery, metric filters, alarms and SNS."""

from __future__ import annotations

import click

from signin_lab.cli.common import EMAIL, SMS, app, open_lab, region_option, target_options


@app.command()
@click.option("--out", default="signin-lab-demo", show_default=True, help="Folder for the alarm dashboard PNG.")
@region_option
def demo(out: str, region: str) -> None:
    """The blog's 'Does this all work?' on in-process moto: records, datapoints, alarms, emails, SMS."""
    from signin_lab.cli.render import print_inbox, print_records, print_run, terminal
    from signin_lab.demo import run_demo

    with open_lab("moto", region) as lab:
        result = run_demo(out, lab=lab, email=EMAIL, sms=SMS)
    console = terminal()
    console.rule("signin-lab demo: the blog's 'Does this all work?' on in-process moto")
    built = f": {result.stack.summary()}" if result.stack is not None else ""
    console.print(f"0. Deployed the blog's stack on {result.lab}{built}")
    print_records(console, list(result.records))
    print_run(console, result.run)
    console.print(f"   chart saved to {result.chart}")
    print_inbox(console, result.inbox)


@app.command()
@click.argument("paths", nargs=-1, required=True)
@target_options
def replay(paths: tuple[str, ...], target: str | None, region: str) -> None:
    """Replay CloudTrail records through delivery, metric filters, alarms and SNS (moto targets).

    On in-process moto the blog's stack is deployed first; a moto server keeps its own stack.
    """
    from signin_lab.cli.render import print_inbox, print_run, terminal
    from signin_lab.events import load_records

    with open_lab(target, region) as lab:
        if lab.target.in_process:
            lab.deploy(email=EMAIL, sms=SMS)
        run = lab.replay(load_records(*paths))
    console = terminal()
    print_run(console, run)
    print_inbox(console, run.messages)
