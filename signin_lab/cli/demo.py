"""`signin-lab demo` and `replay`: records through delivery, metric filters, alarms and SNS."""

from __future__ import annotations

import sys
from typing import Any

import click

from signin_lab.cli.common import (
    EMAIL,
    SMS,
    app,
    max_bytes_option,
    on_error_option,
    open_lab,
    region_option,
    target_options,
)


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
@on_error_option
@max_bytes_option
def replay(paths: tuple[str, ...], target: str | None, region: str, on_error: str, max_bytes: int) -> None:
    """Replay CloudTrail records through delivery, metric filters, alarms and SNS (moto targets).

    On in-process moto the blog's stack is deployed first; a moto server keeps its own stack.
    Errors name the file and the record's place in it; with --on-error skip every skipped item
    is listed on stderr. A progress bar (stderr) shows when stderr is a terminal.
    """
    import warnings

    from signin_lab.cli.archive import report_skipped
    from signin_lab.cli.render import print_inbox, print_run, terminal
    from signin_lab.emulator.stream import checked_records
    from signin_lab.events import load_records
    from signin_lab.events.load import SkippedInputWarning

    stream = load_records(*paths, on_error=on_error, max_bytes=max_bytes)  # type: ignore[arg-type]
    with open_lab(target, region) as lab, warnings.catch_warnings():
        warnings.simplefilter("ignore", SkippedInputWarning)  # reported below, item by item
        if lab.target.in_process:
            lab.deploy(email=EMAIL, sms=SMS)
        records = checked_records(stream, on_error)
        run = _replay_with_progress(lab, records) if sys.stderr.isatty() else lab.replay(records)
    console = terminal()
    print_run(console, run)
    print_inbox(console, run.messages)
    report_skipped(stream.report)


def _replay_with_progress(lab: Any, records: Any) -> Any:
    """lab.replay with a transient rich progress bar on stderr, fed by the replay's callback."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("replaying"), BarColumn(), MofNCompleteColumn(), TextColumn("records"),
               TimeElapsedColumn())
    with Progress(*columns, transient=True, console=None) as progress:
        task = progress.add_task("replay", total=None)
        return lab.replay(
            records, progress=lambda done, total: progress.update(task, completed=done, total=total)
        )
