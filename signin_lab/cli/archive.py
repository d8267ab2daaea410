"""`signin-lab scan` and `analyze`: CloudTrail archives on local disk, counted or summarised.

Both read local files and folders only (no target: they take no --target or --region).
"""

from __future__ import annotations

import json
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from signin_lab.cli.common import app, max_bytes_option, on_error_option

if TYPE_CHECKING:  # pragma: no cover
    from signin_lab.events.load import LoadReport
    from signin_lab.events.scan import ScanResult


def report_skipped(report: LoadReport) -> None:
    """On stderr: one summary line when input was skipped (warning) or ignored (note), then one
    line per skipped item (file, where, reason), so nothing left out goes unnamed."""
    if report.skipped or report.ignored:
        level = "warning" if report.skipped else "note"
        click.echo(f"signin-lab: {level}: {report.summary()}", err=True)
    for item in report.skipped:
        click.echo(f"signin-lab: skipped {item.kind}: {item}", err=True)


@app.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--pattern", "patterns", multiple=True, help="NAME=PATTERN: another metric filter to count (repeatable).")
@on_error_option
@max_bytes_option
def scan(paths: tuple[str, ...], output: str, patterns: tuple[str, ...], on_error: str, max_bytes: int) -> None:
    """Count what each alert's metric filter matches in a CloudTrail archive (local files only)."""
    # A progress bar (rich, on stderr, by file) shows only when stdout and stderr are both a
    # terminal, so piped output and benchmarks see none and do not pay for importing rich.
    from signin_lab.events.load import SkippedInputWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SkippedInputWarning)  # reported below as one line
        if sys.stdout.isatty() and sys.stderr.isatty():
            result = scan_with_progress(list(paths), patterns, on_error, max_bytes)
        else:
            from signin_lab.events.scan import run_scan

            result = run_scan(paths, patterns=patterns, on_error=on_error, max_bytes=max_bytes)  # type: ignore[arg-type]
    if output == "json":
        click.echo(json.dumps(result.to_json()))
    else:
        width = max([len("records"), *map(len, result.matches)])
        click.echo(f"{'records':<{width}}  {result.records:>10}")
        for name, count in result.matches.items():
            click.echo(f"{name:<{width}}  {count:>10}")
    report_skipped(result.report)


def scan_with_progress(
    paths: list[str], patterns: Sequence[str], on_error: str, max_bytes: int = 1 << 30
) -> ScanResult:
    """run_scan with a transient rich progress bar on stderr, advanced once per file."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from signin_lab.events.load import load_records
    from signin_lab.events.scan import run_scan

    total = len(load_records(*paths, on_error=on_error).files)  # type: ignore[arg-type]  # walks only
    columns = (TextColumn("scanning"), BarColumn(), MofNCompleteColumn(), TextColumn("files"),
               TimeElapsedColumn())
    with Progress(*columns, transient=True) as progress:
        task = progress.add_task("scan", total=total)
        return run_scan(
            paths,
            patterns=patterns,
            on_error=on_error,  # type: ignore[arg-type]
            on_file=lambda _path: progress.advance(task),
            max_bytes=max_bytes,
        )


@app.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--out", default="out", show_default=True, help="Folder for the chart PNGs.")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True)
@on_error_option
@max_bytes_option
def analyze(paths: tuple[str, ...], out: str, output: str, on_error: str, max_bytes: int) -> None:
    """Summarise the console sign-ins in CloudTrail files and write the charts as PNGs."""
    from signin_lab.cli.render import summary, terminal
    from signin_lab.events.analyze import run_analyze
    from signin_lab.events.load import SkippedInputWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SkippedInputWarning)  # reported below as one line
        result = run_analyze(paths, out=Path(out), on_error=on_error, max_bytes=max_bytes)  # type: ignore[arg-type]
    if output == "json":
        click.echo(json.dumps(result.to_json()))
    else:
        console = terminal()
        summary(console, result.summary, records=result.records)
        console.print(f"charts: {', '.join(str(p) for p in result.charts)}")
    report_skipped(result.report)
