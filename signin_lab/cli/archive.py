"""`signin-lab scan` and `analyze`: CloudTrail archives, counted or summarised.

Both read local files and folders, and `s3://bucket/prefix` through `--target`'s S3 client
(signin_lab.events.sources). scan's `--region` prunes the archive's Regions; the S3 client's own
Region comes from SIGNIN_LAB_REGION.
"""

from __future__ import annotations

import json
import os
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from signin_lab.cli.common import app, max_bytes_option, on_error_option, open_lab

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
@click.option("--engine", type=click.Choice(["python", "duckdb"]), default="python", show_default=True,
              help="python: processes (--jobs); duckdb: SQL over the files, its own threads.")
@click.option("--jobs", type=click.IntRange(min=1), default=None, help="Processes for the python engine [default: cores].")
@click.option("--since", default=None, help="First day to read, YYYY-MM-DD (by the files' place in the layout).")
@click.option("--until", default=None, help="Last day to read, YYYY-MM-DD, inclusive.")
@click.option("--region", "regions", multiple=True, help="Only this Region's folders (repeatable).")
@click.option("--account", "accounts", multiple=True, help="Only this account's folders (repeatable).")
@click.option("--target", default=None, envvar="SIGNIN_LAB_TARGET",
              help="For s3:// paths: moto, http(s)://host:port (a moto server), or aws.")
@max_bytes_option
def scan(
    paths: tuple[str, ...], output: str, patterns: tuple[str, ...], on_error: str, engine: str,
    jobs: int | None, since: str | None, until: str | None, regions: tuple[str, ...],
    accounts: tuple[str, ...], target: str | None, max_bytes: int,
) -> None:
    """Count what each alert's metric filter matches in a CloudTrail archive (files, folders, s3://)."""
    # A progress bar (rich, on stderr, by file) shows only when stdout and stderr are both a
    # terminal, so piped output and benchmarks see none and do not pay for importing rich.
    from signin_lab.events.load import SkippedInputWarning

    prune = None
    if since or until or regions or accounts:
        from signin_lab.events.sources import Prune

        prune = Prune.from_options(since, until, regions, accounts)
    options = {"prune": prune, "engine": engine, "jobs": jobs, "max_bytes": max_bytes}
    remote = any(p.startswith("s3:") for p in paths)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SkippedInputWarning)  # reported below as one line
        if sys.stdout.isatty() and sys.stderr.isatty() and not remote and engine == "python":
            result = scan_with_progress(list(paths), patterns, on_error, options)
        else:
            from signin_lab.events.scan import run_scan

            if remote:
                with open_lab(target, os.environ.get("SIGNIN_LAB_REGION", "eu-west-1")) as lab:
                    result = run_scan(paths, patterns=patterns, on_error=on_error, target=lab,  # type: ignore[arg-type]
                                      **options)  # type: ignore[arg-type]
            else:
                result = run_scan(paths, patterns=patterns, on_error=on_error, **options)  # type: ignore[arg-type]
    if output == "json":
        click.echo(json.dumps(result.to_json()))
    else:
        width = max([len("records"), *map(len, result.matches)])
        click.echo(f"{'records':<{width}}  {result.records:>10}")
        for name, count in result.matches.items():
            click.echo(f"{name:<{width}}  {count:>10}")
    report_skipped(result.report)


def scan_with_progress(
    paths: list[str], patterns: Sequence[str], on_error: str, options: dict[str, Any] | None = None
) -> ScanResult:
    """run_scan with a transient rich progress bar on stderr, advanced once per file."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from signin_lab.events.load import load_records
    from signin_lab.events.scan import run_scan

    prune = (options or {}).get("prune")
    total = len(load_records(*paths, on_error=on_error, prune=prune).files)  # type: ignore[arg-type]  # walks only
    columns = (TextColumn("scanning"), BarColumn(), MofNCompleteColumn(), TextColumn("files"),
               TimeElapsedColumn())
    with Progress(*columns, transient=True) as progress:
        task = progress.add_task("scan", total=total)
        return run_scan(
            paths,
            patterns=patterns,
            on_error=on_error,  # type: ignore[arg-type]
            on_file=lambda _path: progress.advance(task),
            **(options or {}),  # type: ignore[arg-type]
        )


@app.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--out", default="out", show_default=True, help="Folder for the chart PNGs.")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True)
@on_error_option
@click.option("--target", default=None, envvar="SIGNIN_LAB_TARGET",
              help="For s3:// paths: moto, http(s)://host:port (a moto server), or aws.")
@max_bytes_option
def analyze(
    paths: tuple[str, ...], out: str, output: str, on_error: str, target: str | None, max_bytes: int
) -> None:
    """Summarise the console sign-ins in CloudTrail files (or s3:// URLs) and write the charts as PNGs."""
    from signin_lab.cli.render import summary, terminal
    from signin_lab.events.analyze import run_analyze
    from signin_lab.events.load import SkippedInputWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SkippedInputWarning)  # reported below as one line
        if any(p.startswith("s3:") for p in paths):
            with open_lab(target, os.environ.get("SIGNIN_LAB_REGION", "eu-west-1")) as lab:
                result = run_analyze(paths, out=Path(out), on_error=on_error, target=lab,  # type: ignore[arg-type]
                                     max_bytes=max_bytes)
        else:
            result = run_analyze(paths, out=Path(out), on_error=on_error, max_bytes=max_bytes)  # type: ignore[arg-type]
    if output == "json":
        click.echo(json.dumps(result.to_json()))
    else:
        console = terminal()
        summary(console, result.summary, records=result.records)
        console.print(f"charts: {', '.join(str(p) for p in result.charts)}")
    report_skipped(result.report)
