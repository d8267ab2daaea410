"""Count what each metric filter matches over a whole CloudTrail archive, fast and streaming.

A metric filter with metric value 1 adds 1 to its metric for every log event it matches
(https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/MonitoringLogData.html), and CloudTrail
sends one record per CloudWatch Logs event
(https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html),
so a filter's count over an archive is the number of records its pattern matches. Patterns are
evaluated by signin_lab.filterpattern on the already-parsed records (no re-serialising).
This module imports neither pandas nor boto3: the `scan` command starts fast.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from signin_lab.errors import SigninLabError
from signin_lab.events.load import MAX_BYTES, LoadReport, OnError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from signin_lab.events.sources import Prune

#: NAME=PATTERN: a name of letters, digits and _ . - / # (as metric and alarm names use) then '='.
_NAME_EQ = re.compile(r"^\s*([A-Za-z0-9_./#-]+)\s*=(.*)$", re.DOTALL)


@dataclass
class ScanResult:
    """Records read, matches per filter name (in the order given), and the load report."""

    records: int
    matches: dict[str, int]
    report: LoadReport = field(repr=False)

    def to_json(self) -> dict[str, Any]:
        """`{"records": N, "matches": {...}, "skipped": [{"file", "where", "reason", "kind"}]}`.

        `skipped` lists every file, folder, line or record left out (empty when none was).
        """
        return {"records": self.records, "matches": dict(self.matches),
                "skipped": self.report.skipped_json()}

    def frame(self) -> pd.DataFrame:
        """One row per filter: `name`, `matches` (in the order given); pandas imported here."""
        import pandas as pd

        return pd.DataFrame(
            {"name": list(self.matches), "matches": list(self.matches.values())}
        )


def default_patterns() -> dict[str, str]:
    """The configured alerts' filter patterns by name: the blog's four (LabConfig().alerts)."""
    from signin_lab.config import LabConfig

    return {alert.topic_name: alert.pattern for alert in LabConfig().alerts}


def parse_pattern_options(options: Iterable[str]) -> dict[str, str]:
    """`NAME=PATTERN` strings (the CLI's --pattern) as a dict; a missing '=' is an error."""
    out: dict[str, str] = {}
    for option in options:
        match = _NAME_EQ.match(option)
        name, pattern = (match.group(1), match.group(2)) if match else ("", "")
        if not name or not pattern.strip():
            raise SigninLabError(
                f"--pattern {option!r}: expected NAME=PATTERN, e.g. "
                "'console-any={ $.eventName = \"ConsoleLogin\" }'"
            )
        out[name] = pattern
    return out


def count_matches(
    records: Iterable[dict[str, Any]], patterns: Mapping[str, str]
) -> tuple[int, dict[str, int]]:
    """(records seen, matches per pattern name) over any iterable of parsed records."""
    return count_batches(((None, list(records)),), patterns)


def count_batches(
    batches: Iterable[tuple[bytes | None, list[dict[str, Any]]]], patterns: Mapping[str, str]
) -> tuple[int, dict[str, int]]:
    """(records seen, matches per pattern) over (raw text or None, records) batches.

    Where a batch's raw text is known, a pattern whose `FilterPattern.may_match_bytes` rules
    the text out is not evaluated on its records (exact); otherwise every record is evaluated.
    """
    from signin_lab.filterpattern import FilterPattern

    names = list(patterns)
    compiled = [FilterPattern(patterns[name]) for name in names]
    tests = [(i, fp.matches_event, fp.may_match_bytes) for i, fp in enumerate(compiled)]
    counts = [0] * len(tests)
    seen = 0
    for raw, records in batches:
        seen += len(records)
        found: dict[bytes, bool] = {}  # literals found in raw, shared by the patterns
        for i, test, may_match in tests:
            if raw is not None and not may_match(raw, found):
                continue
            counts[i] += sum(map(test, records))
    return seen, dict(zip(names, counts, strict=True))


def scan(
    *paths: str | Path,
    patterns: Mapping[str, str] | None = None,
    on_error: OnError = "raise",
    on_file: Callable[[Path], None] | None = None,
    target: Any = None,
    prune: Prune | None = None,
    engine: str = "python",
    jobs: int | None = 1,
    max_bytes: int = MAX_BYTES,
) -> ScanResult:
    """Run metric-filter patterns (default: the configured alerts) over files, folders and s3:// URLs.

    Every pattern is compiled before any file is read, so a bad pattern fails fast. `target`
    (a Lab, Target or S3 client) reads s3:// URLs; `prune` leaves out days, Regions, accounts.
    `engine`: "python" (`jobs` processes; None: one per core) or "duckdb" (its own threads).
    `max_bytes`: the most one file may hold once decompressed (see `load_records`); both
    engines refuse a larger file.
    """
    from signin_lab.events.load import check_options, resolve
    from signin_lab.filterpattern import FilterPattern

    chosen = dict(patterns) if patterns is not None else default_patterns()
    for text in chosen.values():
        FilterPattern(text)  # compile errors (FilterPatternError) before reading anything
    check_options(on_error, max_bytes)
    found = resolve(paths, target=target, prune=prune, on_error=on_error)
    files, remote = found.files, found.remote
    if engine == "duckdb":
        from signin_lab.events.engine_duckdb import count_files as duck_count
        seen, matches, skipped, read = duck_count(files, chosen, remote=remote, on_error=on_error,
                                                  max_bytes=max_bytes)
    elif engine == "python":
        from signin_lab.events.engine_python import count_files
        seen, matches, skipped, read = count_files(
            files, chosen, remote=remote, on_error=on_error, jobs=jobs, on_file=on_file,
            max_bytes=max_bytes,
        )
    else:
        raise SigninLabError(f"--engine {engine!r}: expected python or duckdb", field="engine")
    skipped = found.skipped + skipped  # folders and FIFOs met while walking, then the files' own
    report = LoadReport(files=files, files_read=read, records=seen, skipped=skipped,
                        ignored=found.ignored, done=True)
    if skipped:
        import warnings

        from signin_lab.events.load import SkippedInputWarning

        warnings.warn(report.summary(), SkippedInputWarning, stacklevel=2)
    return ScanResult(records=seen, matches=matches, report=report)


def run_scan(
    paths: Iterable[str | Path],
    *,
    patterns: Iterable[str] = (),
    on_error: OnError = "raise",
    on_file: Callable[[Path], None] | None = None,
    target: Any = None,
    prune: Prune | None = None,
    engine: str = "python",
    jobs: int | None = None,
    max_bytes: int = MAX_BYTES,
) -> ScanResult:
    """The `signin-lab scan` counts: the configured alerts plus `NAME=PATTERN` options.

    A NAME already configured has its pattern replaced. Skipped input is in `result.report`
    (and, with on_error="skip", one SkippedInputWarning); the CLI prints the counts.
    """
    from signin_lab.filterpattern import FilterPattern

    chosen = default_patterns()
    options = parse_pattern_options(patterns)
    for name, text in options.items():
        try:
            FilterPattern(text)
        except SigninLabError as exc:  # name the option, not just the pattern's text
            raise SigninLabError(f"--pattern {name}: {exc}", field="patterns") from None
    chosen.update(options)
    return scan(*paths, patterns=chosen, on_error=on_error, on_file=on_file, target=target, prune=prune,
                engine=engine, jobs=jobs, max_bytes=max_bytes)
