"""The `signin-lab backtest` command and its text renderer.

Only this module prints; signin_lab.backtest returns data.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from signin_lab.cli.common import app

if TYPE_CHECKING:  # pragma: no cover
    from signin_lab.backtest import Backtest


def render_text(result: Backtest) -> str:
    """The result as a terminal report: per alert, the archive's volumes, the bill."""
    lines = [
        (f"records {result.records:,} over {result.months} month(s), "
        f"{result.start:%Y-%m-%d %H:%M} to {result.end:%Y-%m-%d %H:%M} UTC"),
        "management events per month: "
        + ", ".join(f"{m} {n:,}" for m, n in result.management_events_per_month.items()),
        (
            f"bytes CloudTrail delivers to CloudWatch Logs: {result.log_bytes:,} "
            f"({result.log_bytes_with_overhead:,} with PutLogEvents' 26 bytes an event)"
        ),
        "",
    ]
    width = max(len("alert"), *(len(n) for n in result.alerts))
    lines.append(
        f"{'alert':<{width}}  {'matches':>8}  {'minutes':>7}  {'changes':>7}  {'emails':>6}  "
        f"{'sms':>4}  {'in ALARM':>8}  {'longest':>7}  first match / last match"
    )
    for a in result.alerts.values():
        lines.append(
            f"{a.name:<{width}}  {a.matches:>8,}  {a.nonzero_minutes:>7,}  "
            f"{len(a.changes):>7,}  {a.emails:>6,}  {a.sms:>4,}  "
            f"{a.alarm_minutes:>7,}m  {a.longest_alarm_minutes:>6,}m  "
            f"{a.first_match or '-'} / {a.last_match or '-'}"
        )
    for plan, report in result.bills.items():
        lines += ["", f"bill, one month, plan {plan}: USD {report.total:.2f}"]
        for line in result.bill_lines(plan):
            lines.append(
                f"  {line.service:<10} {line.item[:50]:<50} {line.quantity:>12,.6g} {line.unit[:14]:<14} "
                f"USD {line.usd:>8.4f}  <- {line.measured}"
            )
    return "\n".join(lines)


def _write_out(result: Backtest, out: str) -> list[Path]:
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in result.alerts:
        fig = result.figure(name)
        path = folder / f"{name}.png"
        fig.savefig(path, dpi=100)
        written.append(path)
    path = folder / "backtest.json"
    path.write_text(json.dumps(result.to_json(), indent=2) + "\n")
    written.append(path)
    return written


@app.command("backtest")
@click.argument("paths", nargs=-1, required=True)
@click.option("--engine", type=click.Choice(["python", "duckdb"]), default="python", show_default=True,
              help="How the archive is read.")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Processes for the python engine [default: cores].")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--out", default=None, help="Folder for a chart per alert (PNG) and backtest.json.")
@click.option("--plan", type=click.Choice(["legacy", "free", "paid"]), default="legacy", show_default=True,
              help="Free-tier regime of the headline bill (the other regime is priced too).")
@click.option("--account", default=None, help="The account whose records the log group receives.")
@click.option("--trail", default=None, help="The trail (S3 prefix before AWSLogs/) the log group receives.")
@click.option("--period", type=int, default=None, help="What-if: alarm Period in seconds.")
@click.option("--evaluation-periods", type=int, default=None, help="What-if: EvaluationPeriods.")
@click.option("--datapoints-to-alarm", type=int, default=None, help="What-if: DatapointsToAlarm.")
@click.option("--threshold", type=float, default=None, help="What-if: alarm Threshold.")
@click.option("--treat-missing-data", type=click.Choice(["missing", "notBreaching", "breaching", "ignore"]),
              default=None, help="What-if: TreatMissingData.")
@click.option("--email", default="you@example.com", show_default=True,
              help="The email subscriber whose emails are counted ('' for none).")
@click.option("--sms", default="+447700900123", show_default=True,
              help="The SMS subscriber (E.164) whose texts are counted and priced ('' for none).")
@click.option("--on-error", type=click.Choice(["raise", "skip"]), default="raise", show_default=True,
              help="raise: stop at bad input; skip: count it, go on.")
@click.option("--region", default="eu-west-1", show_default=True, envvar="SIGNIN_LAB_REGION", help="AWS Region.")
@click.option("--since", default=None, help="First day to read, YYYY-MM-DD (by the files' place in the layout).")
@click.option("--until", default=None, help="Last day to read, YYYY-MM-DD, inclusive.")
@click.option("--target", default=None, envvar="SIGNIN_LAB_TARGET",
              help="For s3:// paths: moto, http(s)://host:port (a moto server), or aws.")
def backtest_command(
    paths: tuple[str, ...],
    engine: str,
    jobs: int | None,
    output: str,
    out: str | None,
    plan: str,
    account: str | None,
    trail: str | None,
    period: int | None,
    evaluation_periods: int | None,
    datapoints_to_alarm: int | None,
    threshold: float | None,
    treat_missing_data: str | None,
    email: str,
    sms: str,
    on_error: str,
    region: str,
    since: str | None,
    until: str | None,
    target: str | None,
) -> None:
    """What the alerts would have done on a CloudTrail archive, how noisy, and what it would cost."""
    from signin_lab.backtest import backtest
    from signin_lab.config import LabConfig

    overrides: dict[str, Any] = {
        k: v
        for k, v in {
            "period": period,
            "evaluation_periods": evaluation_periods,
            "datapoints_to_alarm": datapoints_to_alarm,
            "threshold": threshold,
            "treat_missing_data": treat_missing_data,
        }.items()
        if v is not None
    }
    if evaluation_periods is not None and datapoints_to_alarm is None:
        overrides["datapoints_to_alarm"] = evaluation_periods  # AWS's default: M = N
    config = LabConfig(region=region, email=email or None, sms=sms or None, **overrides)
    options: dict[str, Any] = {
        "plan": plan, "engine": engine, "jobs": jobs, "account": account, "trail": trail, "on_error": on_error,
    }
    if since or until:
        from signin_lab.events.sources import Prune

        options["prune"] = Prune.from_options(since, until)
    if any(p.startswith("s3:") for p in paths):
        from signin_lab.cli.common import open_lab

        with open_lab(target, region) as lab:
            result = backtest(list(paths), config=config, target=lab, **options)
    else:
        result = backtest(list(paths), config=config, **options)
    if output == "json":
        click.echo(json.dumps(result.to_json()))
    else:
        click.echo(render_text(result))
    if out:
        for path in _write_out(result, out):
            print(f"wrote {path}", file=sys.stderr)
    for note in result.notes:
        print(f"signin-lab: note: {note}", file=sys.stderr)
