"""A learner's own sign-ins at a glance: summary tables from signins_frame, and the charts as PNGs.

Used by `signin-lab analyze`. Pure data in, data out (`summarize`), plus a printer and a writer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from rich.console import Console

_OUTCOMES = ("Failure", "Success")


@dataclass(frozen=True)
class Summary:
    """Counts that answer "who signed in, how, and from where" for one set of records."""

    signins: int
    first: str | None  # ISO times of the first and last sign-in, UTC
    last: str | None
    by_type: list[tuple[str, int, int]]  # (user_type, failures, successes), most first
    top_ips: list[tuple[str, int, int]]  # (source_ip, failures, successes)
    top_users: list[tuple[str, int, int]]  # (user_name, failures, successes)
    errors: list[tuple[str, int]]  # (errorMessage, count)
    successes_without_mfa: int
    regions: list[tuple[str, int]]


def _split(frame: pd.DataFrame, column: str, n: int | None) -> list[tuple[str, int, int]]:
    """(value, failures, successes) for the commonest values of `column`; ties by value."""
    if frame.empty:
        return []
    counts = (
        frame.assign(value=frame[column].fillna("(none)"), outcome=frame["outcome"].fillna("?"))
        .groupby(["value", "outcome"], observed=True)
        .size()
        .unstack("outcome", fill_value=0)
        .reindex(columns=list(_OUTCOMES), fill_value=0)
    )
    rows = [(str(v), int(r["Failure"]), int(r["Success"])) for v, r in counts.iterrows()]
    rows.sort(key=lambda row: (-(row[1] + row[2]), row[0]))
    return rows[:n] if n else rows


def summarize(frame: pd.DataFrame, *, top: int = 5) -> Summary:
    """The summary of a signins_frame: counts by user type and outcome, top IPs and users."""
    errors = frame["error_message"].dropna().value_counts()
    regions = frame["region"].dropna().value_counts()
    no_mfa = frame[(frame["outcome"] == "Success") & (frame["mfa_used"] == False)]
    return Summary(
        signins=len(frame),
        first=None if frame.empty else frame["time"].min().isoformat(),
        last=None if frame.empty else frame["time"].max().isoformat(),
        by_type=_split(frame, "user_type", None),
        top_ips=_split(frame, "source_ip", top),
        top_users=_split(frame, "user_name", top),
        errors=sorted(((str(k), int(v)) for k, v in errors.items()), key=lambda r: (-r[1], r[0])),
        successes_without_mfa=len(no_mfa),
        regions=sorted(((str(k), int(v)) for k, v in regions.items()), key=lambda r: (-r[1], r[0])),
    )


def print_summary(summary: Summary, console: Console, *, records: int | None = None) -> None:
    """Print the summary as rich tables."""
    from rich.table import Table

    head = f"{summary.signins} console sign-ins"
    if records is not None:
        head += f" in {records} records"
    if summary.first:
        head += f", {summary.first} to {summary.last}"
    console.print(head)
    for title, label, rows in (
        ("By user type", "user type", summary.by_type),
        ("Top source IPs", "source IP", summary.top_ips),
        ("Top user names", "user name", summary.top_users),
    ):
        if not rows:
            continue
        table = Table(title=title, title_justify="left")
        table.add_column(label)
        for outcome in _OUTCOMES:
            table.add_column(outcome, justify="right")
        table.add_column("total", justify="right")
        for value, failures, successes in rows:
            table.add_row(value, str(failures), str(successes), str(failures + successes))
        console.print(table)
    if summary.errors:
        table = Table(title="Failure reasons (errorMessage)", title_justify="left")
        table.add_column("errorMessage")
        table.add_column("count", justify="right")
        for message, count in summary.errors:
            table.add_row(message, str(count))
        console.print(table)
    if summary.regions:
        console.print(
            "Recorded in Regions: " + ", ".join(f"{r} ({n})" for r, n in summary.regions)
        )
    console.print(f"Successful sign-ins without MFA: {summary.successes_without_mfa}")


def write_charts(frame: pd.DataFrame, out: str | Path, *, dpi: int = 100) -> list[Path]:
    """Write every sign-in chart as `<out>/<name>.png`; returns the paths."""
    from signin_lab.charts import SIGNIN_CHARTS

    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, make in SIGNIN_CHARTS.items():
        fig = make(frame)
        path = folder / f"{name}.png"
        fig.savefig(path, dpi=dpi, metadata={"Software": None})
        paths.append(path)
    return paths


def analyze(records: Iterable[dict[str, Any]]) -> tuple[pd.DataFrame, Summary, int]:
    """(signins_frame, summary, number of records read) for any iterable of records."""
    from signin_lab.events.frame import signins_frame

    count = 0

    def counted() -> Iterable[dict[str, Any]]:
        nonlocal count
        for record in records:
            count += 1
            yield record

    frame = signins_frame(counted())
    return frame, summarize(frame), count


def run_analyze(
    paths: Iterable[str | Path], *, out: str | Path, on_error: str = "raise", target: Any = None
) -> Summary:
    """The `signin-lab analyze` command: print the summary and write the charts as PNGs.

    `target` (a Lab) reads s3:// paths (see signin_lab.events.sources).
    """
    import warnings

    from rich.console import Console

    from signin_lab.errors import SigninLabError
    from signin_lab.events.load import SkippedInputWarning, load_records

    if on_error not in ("raise", "skip"):
        raise SigninLabError(f"--on-error {on_error!r}: expected raise or skip")
    stream = load_records(*paths, on_error=on_error, target=target)  # type: ignore[arg-type]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SkippedInputWarning)  # reported below as one line
        frame, summary, records = analyze(stream)
    console = Console(highlight=False)
    print_summary(summary, console, records=records)
    written = write_charts(frame, out)
    console.print(f"charts: {', '.join(str(p) for p in written)}")
    if stream.report.skipped or stream.report.ignored:
        level = "warning" if stream.report.skipped else "note"
        Console(stderr=True, highlight=False).print(f"signin-lab: {level}: {stream.report.summary()}")
    return summary
