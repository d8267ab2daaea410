"""`signin-lab demo`: the blog's "Does this all work?" section on in-process moto, step by step.

Deploys the blog's stack, replays its four test sign-ins within an hour of ordinary traffic, and
shows the records, the datapoints, the alarm timeline (as text and as a PNG), the emails and the
SMS. Also the printing helpers `signin-lab replay` uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console

    from signin_lab.emulator.notify import InboxMessage
    from signin_lab.emulator.replay import ReplayRun
    from signin_lab.lab import Lab

DEFAULT_OUT = Path("signin-lab-demo")
CHART_NAME = "alarm-dashboard.png"
_STATE_STYLE = {"OK": "green", "ALARM": "bold red", "INSUFFICIENT_DATA": "grey50"}


@dataclass(frozen=True)
class DemoResult:
    """What the demo produced: the run, the inbox, and the chart's path."""

    run: ReplayRun
    inbox: list[InboxMessage]
    chart: Path


def print_records(console: Console, records: list[dict[str, Any]]) -> None:
    """The sign-in records among the replayed ones (other traffic is counted, not listed)."""
    from rich.table import Table

    signins = [r for r in records if r.get("eventName") == "ConsoleLogin"]
    table = Table(
        title=f"1. CloudTrail records: {len(records)}, of which {len(signins)} ConsoleLogin"
    )
    for col in ("eventTime", "awsRegion", "userIdentity.type", "ConsoleLogin", "errorMessage"):
        table.add_column(col)
    for r in signins:
        table.add_row(
            str(r.get("eventTime")),
            str(r.get("awsRegion", "")),
            str((r.get("userIdentity") or {}).get("type", "")),
            str((r.get("responseElements") or {}).get("ConsoleLogin", "")),
            str(r.get("errorMessage", "")),
        )
    console.print(table)


def print_run(console: Console, run: ReplayRun) -> None:
    """Delivery, the non-zero datapoints, and the alarm timeline with AWS's reasons."""
    from rich.table import Table

    console.print(
        f"2. Delivery: {run.log_events} log event(s) into stream {run.log_stream}, "
        f"{len(run.log_files)} S3 log file(s)"
    )
    for note in run.notes:
        console.print(f"   [yellow]note:[/] {note}")
    frame = run.datapoints
    nonzero = frame[frame["value"] != 0]
    table = Table(
        title=f"3. Metric filter datapoints: {len(frame)} per-minute datapoints, {len(nonzero)} non-zero"
    )
    for col in ("time", "metric", "value"):
        table.add_column(col)
    for row in nonzero.itertuples():
        table.add_row(f"{row.time:%Y-%m-%d %H:%M}", str(row.metric), str(row.value))
    console.print(table)
    timeline = Table(title="4. Alarm timeline")
    for col in ("time", "alarm", "state", "reason"):
        timeline.add_column(col, overflow="fold")
    for row in run.timeline.itertuples():
        style = _STATE_STYLE.get(str(row.state), "")
        timeline.add_row(
            f"{row.time:%H:%M}", str(row.alarm), f"[{style}]{row.state}[/]", str(row.reason)
        )
    console.print(timeline)


def print_inbox(console: Console, inbox: list[InboxMessage]) -> None:
    """Each email's subject and first line, and each SMS."""
    from rich.panel import Panel

    emails = [m for m in inbox if m.protocol == "email"]
    sms = [m for m in inbox if m.protocol == "sms"]
    console.print(f"5. Inbox: {len(emails)} email(s), {len(sms)} SMS")
    for m in emails:
        first = m.body.split("\n", 1)[0]
        console.print(Panel(first, title=f"email to {m.endpoint}: {m.subject}", title_align="left"))
    for m in sms:
        console.print(Panel(m.body, title=f"SMS to {m.endpoint}", title_align="left"))


def run_demo(
    out: Path | str = DEFAULT_OUT,
    *,
    lab: Lab | None = None,
    console: Console | None = None,
    email: str = "you@example.com",
    sms: str = "+447700900123",
) -> DemoResult:
    """Deploy on in-process moto (or `lab`), replay the blog's test sign-ins, print every step."""
    from rich.console import Console

    from signin_lab.charts import alarm_dashboard
    from signin_lab.events.samples import blog_test_signins
    from signin_lab.lab import Lab

    console = console or Console()
    own = lab is None
    lab = lab or Lab.moto()
    try:
        console.rule("signin-lab demo: the blog's 'Does this all work?' on in-process moto")
        lab.deploy(email=email, sms=sms)
        console.print(f"0. Deployed the blog's stack on {lab!r}")
        records = blog_test_signins()
        print_records(console, records)
        run = lab.replay(records)
        print_run(console, run)
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        chart = folder / CHART_NAME
        alarm_dashboard(run).savefig(chart, dpi=100)
        console.print(f"   chart saved to {chart}")
        inbox = lab.inbox()
        print_inbox(console, inbox)
        return DemoResult(run, inbox, chart)
    finally:
        if own:
            lab.close()
