"""Terminal rendering (rich) of what the library returns: stacks, findings, summaries, runs, inboxes.

Every function takes the rich Console to print on; rich is imported only when one is called, so
commands that never render (scan) never import it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console

    from signin_lab.compliance import Finding
    from signin_lab.emulator.notify import InboxMessage
    from signin_lab.emulator.replay import ReplayRun
    from signin_lab.events.analyze import Summary
    from signin_lab.stack.deploy import StackResult

_ACTION_STYLE = {
    "created": "green",
    "updated": "yellow",
    "deleted": "red",
    "kept": "cyan",
    "unchanged": "dim",
    "absent": "dim",
}
_STATE_STYLE = {"OK": "green", "ALARM": "bold red", "INSUFFICIENT_DATA": "grey50"}
_STATUS_STYLE = {"PASSED": "green", "FAILED": "red", "WARNING": "yellow"}
_OUTCOMES = ("Failure", "Success")


def terminal(*, stderr: bool = False) -> Console:
    """A rich Console on stdout (or stderr), with no highlighting of numbers and paths."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


def stack_result(console: Console, result: StackResult) -> None:
    """A deploy or teardown: every resource and what happened to it, then the one-line summary."""
    from rich.table import Table

    table = Table(title=f"signin-lab {result.operation}")
    for col in ("section", "resource", "name", "action", "detail"):
        table.add_column(col)
    for c in result.changes:
        style = _ACTION_STYLE.get(c.action, "")
        action = f"[{style}]{c.action}[/]" if style else c.action
        table.add_row(c.section, c.kind, c.name, action, c.detail)
    console.print(table)
    console.print(result.summary())


def findings(console: Console, found: Sequence[Finding]) -> None:
    """The CIS findings as a table, then one line per control on what its exact pattern misses."""
    from rich.table import Table

    table = Table(title="CIS sign-in controls (Security Hub CloudWatch.1, .3, .6)")
    for col in ("control", "status", "reason code", "reason", "caught"):
        table.add_column(col, overflow="fold")
    for f in found:
        table.add_row(
            f.control,
            f"[{_STATUS_STYLE[f.status]}]{f.status}[/]",
            f.reason_code or "",
            f.reason,
            f"{len(f.caught)}/{len(f.intended)}",
        )
    console.print(table)
    for f in found:
        if f.cis_pattern_misses:
            console.print(
                f"{f.control}: the exact CIS pattern itself misses: {'; '.join(f.cis_pattern_misses)}",
                highlight=False,
            )


def summary(console: Console, result: Summary, *, records: int | None = None) -> None:
    """An analyze summary as rich tables: by user type, top IPs and users, failure reasons."""
    from rich.table import Table

    head = f"{result.signins} console sign-ins"
    if records is not None:
        head += f" in {records} records"
    if result.first:
        head += f", {result.first} to {result.last}"
    console.print(head)
    for title, label, rows in (
        ("By user type", "user type", result.by_type),
        ("Top source IPs", "source IP", result.top_ips),
        ("Top user names", "user name", result.top_users),
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
    if result.errors:
        table = Table(title="Failure reasons (errorMessage)", title_justify="left")
        table.add_column("errorMessage")
        table.add_column("count", justify="right")
        for message, count in result.errors:
            table.add_row(message, str(count))
        console.print(table)
    if result.regions:
        console.print("Recorded in Regions: " + ", ".join(f"{r} ({n})" for r, n in result.regions))
    console.print(f"Successful sign-ins without MFA: {result.successes_without_mfa}")


def print_records(console: Console, records: list[dict[str, Any]]) -> None:
    """The sign-in records among the replayed ones (other traffic is counted, not listed),
    read through the ConsoleLogin view."""
    from rich.table import Table

    from signin_lab.events import ConsoleLogin, is_console_login

    logins = [ConsoleLogin.parse(r) for r in records if is_console_login(r)]
    table = Table(
        title=f"1. CloudTrail records: {len(records)}, of which {len(logins)} ConsoleLogin"
    )
    for col in ("eventTime", "awsRegion", "userIdentity.type", "ConsoleLogin", "errorMessage"):
        table.add_column(col)
    for login in logins:
        table.add_row(
            f"{login.time:%Y-%m-%dT%H:%M:%SZ}",
            login.region or "",
            login.user_type,
            login.outcome,
            login.error_message or "",
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
        title=f"3. Metric filter datapoints: {len(frame)} per-minute datapoints, "
        f"{len(nonzero)} non-zero"
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


def print_inbox(console: Console, inbox: Sequence[InboxMessage]) -> None:
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
