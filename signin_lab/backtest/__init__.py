"""Backtest: what the alerts would have done on an archive, how noisy, and what it would have cost.

    import signin_lab
    result = signin_lab.backtest("data/sample_events/quiet_month")
    result.frame()                     # per alert: matches, noise, emails, SMS, time in ALARM
    result.bill.total                  # the month priced from measured volumes
    result.with_config(evaluation_periods=3, datapoints_to_alarm=2)   # what-if, no re-reading

The archive is read once (read.py; duck.py for `engine="duckdb"`, jobs.py for processes) into
per-minute series, the alarms run with the emulator's
evaluator (result.py), and the cost model prices the measured month (bill.py). `lab.replay` does
the same on moto record by record; a test checks both give the same timelines and inboxes.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from signin_lab.backtest.bill import BillLine, Measured
from signin_lab.backtest.read import ENGINES, Archive, Group, read_archive
from signin_lab.backtest.result import WHAT_IF, AlertResult, Backtest, evaluate
from signin_lab.emulator.series import MinuteSeries
from signin_lab.errors import SigninLabError
from signin_lab.events.sources import Prune

if TYPE_CHECKING:  # pragma: no cover
    from signin_lab.config import LabConfig
    from signin_lab.emulator.metrics import MetricFilter

__all__ = [
    "ENGINES",
    "WHAT_IF",
    "AlertResult",
    "Archive",
    "Backtest",
    "BillLine",
    "Group",
    "Measured",
    "backtest",
    "filters_for",
]


def filters_for(cfg: LabConfig) -> list[MetricFilter]:
    """The metric filters deploy would create, as the emulator reads DescribeMetricFilters."""
    from signin_lab.emulator.metrics import MetricFilter
    from signin_lab.filterpattern import FilterPattern
    from signin_lab.stack.cloudwatch import metric_transformation

    out = []
    for alert in cfg.alerts:
        raw = {
            "filterName": alert.filter_name,
            "filterPattern": alert.pattern,
            "metricTransformations": [metric_transformation(cfg, alert)],
        }
        out.extend(MetricFilter.from_aws(raw, FilterPattern))
    return out


def _pick_trail(groups: dict[tuple[str, str | None], Any], trail: str | None) -> str:
    """The trail `--trail` names (by the end of its S3 prefix), else the one with most records."""
    trails = sorted({t for t, _ in groups if t})
    if trail is not None:
        wanted = trail.strip("/")
        matching = [t for t in trails if t.strip("/").endswith(wanted)] if wanted else []
        if len(matching) != 1:
            raise SigninLabError(
                f"--trail {trail!r} matches {len(matching)} of the archive's trails: "
                f"{', '.join(repr(t) for t in trails) or 'none (no AWSLogs/ layout)'}"
            )
        return matching[0]
    if trails:
        size = {t: sum(g.records for (gt, _), g in groups.items() if gt == t) for t in trails}
        return min(trails, key=lambda t: (-size[t], t))
    return ""


def _pick_account(here: dict[tuple[str, str | None], Any], account: str | None, cfg: LabConfig) -> str | None:
    """The account `--account` names, else the configured one if present, else the busiest."""
    accounts = sorted({a for _, a in here if a is not None})
    if account is not None:
        if account not in accounts:
            raise SigninLabError(
                f"--account {account}: no records of that account in the archive "
                f"(accounts: {', '.join(accounts) or 'none named'})"
            )
        return account
    if cfg.account_id in accounts:
        return cfg.account_id
    if accounts:
        size_a = {a: sum(g.records for (_, ga), g in here.items() if ga == a) for a in accounts}
        return min(accounts, key=lambda a: (-size_a[a], a))
    return None


def _choose(
    archive: Archive, account: str | None, trail: str | None, cfg: LabConfig
) -> tuple[Group, list[str]]:
    """The one (trail, account) group the log group would receive, and notes on the others.

    Files outside the `AWSLogs/` layout name no trail: they count with the chosen one. Records
    without `recipientAccountId` name no account: they count with the chosen one.
    """
    groups = archive.groups
    pick_trail = _pick_trail(groups, trail)
    here = {k: g for k, g in groups.items() if k[0] in (pick_trail, "")}
    pick_account = _pick_account(here, account, cfg)
    n = len(archive.filters)
    chosen = Group(pick_trail, pick_account, MinuteSeries(archive.filters), {}, [0] * n,
                   [None] * n, [None] * n, set())
    notes: list[str] = []
    for (t, a), g in groups.items():
        if t in (pick_trail, "") and a in (pick_account, None):
            chosen.merge(g)
            if t != pick_trail:
                notes.append(
                    f"{g.records} record(s) from files outside the AWSLogs/ layout counted "
                    f"with trail {pick_trail!r}"
                )
            if a != pick_account:
                notes.append(
                    f"{g.records} record(s) without recipientAccountId counted as account "
                    f"{pick_account}"
                )
            continue
        why = (
            f"trail {t!r}: one log group receives one trail's delivery (choose with --trail)"
            if t not in (pick_trail, "")
            else f"account {a}: a trail delivers its own account's records (choose with --account)"
        )
        notes.append(f"left out {g.records} record(s) of {why}")
    return chosen, notes


def backtest(
    source: str | Path | Sequence[str | Path],
    config: LabConfig | None = None,
    plan: str = "legacy",
    *,
    engine: str = "python",
    account: str | None = None,
    trail: str | None = None,
    on_error: str = "raise",
    on_file: Callable[[Path], None] | None = None,
    target: Any = None,
    prune: Prune | None = None,
    jobs: int | None = None,
) -> Backtest:
    """Replay an archive's month through the configured alerts without a target; price it.

    `source`: CloudTrail files or folders (every format `load_records` reads). `config`: the
    LabConfig to test (default: the blog's, with an email and an SMS subscriber so the emails and
    texts are counted). `plan`: the free-tier regime of the headline bill ("legacy", "free",
    "paid"); the other regime is priced too (`result.bills`). `account` / `trail`: which of several
    accounts or trails in the archive the log group receives (default: the config's account, the
    largest trail; the others are named in `result.notes`). `engine`: how the archive is read
    ("python" or "duckdb", the same figures). `target`: a Lab, Target or S3 client through which
    `s3://bucket/prefix` sources are listed and read (one object at a time); `prune`
    (signin_lab.events.sources.Prune: days, Regions, accounts) leaves files out by their place in
    CloudTrail's layout before anything is read. `jobs`: processes the python engine reads local
    files in (default: one a core, as `scan`; the series are the same however many).
    """
    from signin_lab.config import LabConfig
    from signin_lab.costs import PLANS

    if plan not in PLANS:
        raise SigninLabError(f"plan {plan!r}: one of {', '.join(PLANS)}")
    if on_error not in ("raise", "skip"):
        raise SigninLabError(f"on_error {on_error!r}: expected raise or skip")
    cfg = config if config is not None else LabConfig(email="you@example.com", sms="+447700900123")
    filters = filters_for(cfg)  # pattern errors before anything is read
    home = None if cfg.trail_multi_region else cfg.region
    archive = read_archive(
        source, filters, engine=engine, home_region=home, on_error=on_error, on_file=on_file,
        target=target, prune=prune, jobs=jobs,
    )
    if not archive.groups:
        where = ", ".join(str(s) for s in ([source] if isinstance(source, str | Path) else source))
        raise SigninLabError(
            f"backtest {where}: no CloudTrail records in {len(archive.files)} file(s)"
            + (f" ({len(archive.skipped)} skipped)" if archive.skipped else "")
            + ": nothing to replay or price"
        )
    group, notes = _choose(archive, account, trail, cfg)
    notes = [*archive.skipped, *notes]
    if archive.ignored:
        notes.append(f"ignored {len(archive.ignored)} file(s) that are not CloudTrail files")
    files = len(group.files)
    size = sum(archive.sizes.get(f, 0) for f in group.files)
    return evaluate(cfg, group, plan, {"notes": notes, "files": files, "file_bytes": size})


class _CallableModule(types.ModuleType):
    """`signin_lab.backtest(...)`: the package is also the function (the package's attribute
    `backtest` is this module once imported, so the module itself must be callable)."""

    def __call__(
        self,
        source: str | Path | Sequence[str | Path],
        config: LabConfig | None = None,
        plan: str = "legacy",
        **options: Any,
    ) -> Backtest:
        return backtest(source, config, plan, **options)


sys.modules[__name__].__class__ = _CallableModule


