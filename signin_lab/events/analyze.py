"""A learner's own sign-ins at a glance: summary tables from signins_frame, and the charts as PNGs.

Used by `signin-lab analyze`. Pure data in, data out (`summarize`, `run_analyze`), plus a chart
writer; the CLI renders the summary.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from signin_lab.errors import SigninLabError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from signin_lab.events.load import LoadReport, OnError

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

    def frame(self) -> pd.DataFrame:
        """The three count tables in one frame: `table` (user_type, source_ip, user_name),
        `value`, `Failure`, `Success`, `total`, in the summary's order."""
        import pandas as pd

        rows = [
            (table, value, failures, successes, failures + successes)
            for table, group in (
                ("user_type", self.by_type),
                ("source_ip", self.top_ips),
                ("user_name", self.top_users),
            )
            for value, failures, successes in group
        ]
        return pd.DataFrame(rows, columns=["table", "value", *_OUTCOMES, "total"])

    def to_json(self) -> dict[str, Any]:
        """Every count as JSON-ready data (tuples become lists)."""
        return asdict(self)


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


def write_charts(frame: pd.DataFrame, out: str | Path, *, dpi: int = 100) -> list[Path]:
    """Write every sign-in chart as `<out>/<name>.png`; returns the paths."""
    from signin_lab.charts import SIGNIN_CHARTS

    folder = Path(out)
    paths = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, make in SIGNIN_CHARTS.items():
            fig = make(frame)
            path = folder / f"{name}.png"
            fig.savefig(path, dpi=dpi, metadata={"Software": None})
            paths.append(path)
    except OSError as exc:
        raise SigninLabError(
            f"cannot write the charts to folder {str(folder)!r}: {exc.strerror or exc}", field="out"
        ) from None
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


@dataclass(frozen=True)
class Analysis:
    """What `signin-lab analyze` produced: the summary, records read, charts written, load report."""

    summary: Summary
    records: int
    charts: list[Path]
    report: LoadReport = field(repr=False)

    def frame(self) -> pd.DataFrame:
        """The summary's sign-in counts (see `Summary.frame`)."""
        return self.summary.frame()

    def to_json(self) -> dict[str, Any]:
        """The summary, records read, chart paths and every skipped item (file, where, reason)."""
        return {
            "records": self.records,
            **self.summary.to_json(),
            "charts": [str(p) for p in self.charts],
            "skipped": self.report.skipped_json() if self.report is not None else [],
        }


def located_frame(
    located: Iterable[tuple[str, str, dict[str, Any]]], report: LoadReport, on_error: OnError
) -> tuple[pd.DataFrame, int]:
    """(signins_frame, records read) from `(file, where, record)` items (RecordStream.located).

    A ConsoleLogin the kit cannot read (a bad eventTime, no userIdentity.type, ...) raises
    SigninLabError naming its file and its place in that file, or with on_error="skip" is
    added to `report.skipped` and left out.
    """
    import pandas as pd

    from signin_lab.events.frame import COLUMNS
    from signin_lab.events.load import Skipped
    from signin_lab.events.signin import ConsoleLogin, is_console_login

    rows = []
    count = 0
    for path, where, record in located:
        count += 1
        if not is_console_login(record):
            continue
        try:
            rows.append(ConsoleLogin.parse(record, f"{path}: {where}").row())
        except SigninLabError as exc:
            if on_error != "skip":
                raise
            reason = str(exc).removeprefix(f"{path}: {where}: ")
            report.skipped.append(Skipped(path, where, reason, "record"))
    data: dict[str, Any] = {name: [r[name] for r in rows] for name in COLUMNS}
    frame = pd.DataFrame(data, columns=list(COLUMNS)).astype(COLUMNS)
    return frame.sort_values("time", kind="mergesort").reset_index(drop=True), count


def run_analyze(
    paths: Iterable[str | Path],
    *,
    out: str | Path,
    on_error: OnError = "raise",
    max_bytes: int | None = None,
    target: Any = None,
) -> Analysis:
    """The `signin-lab analyze` work: summarise the records in `paths`, write the charts to `out`.

    Errors name the file and the record's place within it; `max_bytes` caps one file's
    decompressed size (default `load_records`' MAX_BYTES). `target` (a Lab, Target or S3
    client) reads s3:// paths (see signin_lab.events.sources). Skipped input (including
    sign-ins whose fields cannot be read, with on_error="skip") is in `result.report`, and one
    SkippedInputWarning summarises it.
    """
    import warnings

    from signin_lab.events.load import MAX_BYTES, SkippedInputWarning, load_records

    stream = load_records(*paths, on_error=on_error, max_bytes=max_bytes or MAX_BYTES, target=target)
    report = stream.report
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SkippedInputWarning)  # one warning below, with everything
        frame, records = located_frame(stream.located(), report, on_error)
    if report.skipped:
        warnings.warn(report.summary(), SkippedInputWarning, stacklevel=2)
    charts = write_charts(frame, out)
    return Analysis(summarize(frame), records, charts, report)
