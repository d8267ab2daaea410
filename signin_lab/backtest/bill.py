"""The backtest's bill: the cost model (signin_lab.costs) fed with the archive's measured volumes.

Each quantity of the month comes from something the backtest measured, and each line of the bill
says which (`BillLine.measured`). Volumes are per calendar month: the archive's totals divided by
the number of calendar months its records fall in (a one-night archive is priced as a month with
that night's traffic, not scaled up).

How AWS meters what is priced here:

* CloudTrail: one management event a record; "The first copy of management events is free"
  (https://aws.amazon.com/cloudtrail/pricing/, cited in prices.json).
* CloudWatch Logs ingestion: the log group's `IncomingBytes` metric (namespace AWS/Logs) is "the
  volume of log events in uncompressed bytes uploaded to CloudWatch Logs" (AWS's CloudWatch Logs
  metrics page, https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CloudWatch-Logs-Monitoring-CloudWatch-Metrics.html;
  the wording was read offline in Pulumi's copy of AWS's metric descriptions,
  https://www.pulumi.com/docs/reference/pkg/nodejs/pulumi/awsx/functions/classic.cloudwatch.metrics.logs.incomingBytes.html),
  a log event's message is UTF-8 text
  (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CloudWatchLogsConcepts.html), and
  CloudTrail sends one record per log event, the record's JSON as the message
  (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html).
  So the bytes ingested are the records' compact UTF-8 JSON sizes. The pricing page prices "data
  ingested" per GB and says no more about the meter. PutLogEvents counts 26 bytes
  more an event towards its batch-size quota
  (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutLogEvents.html);
  AWS does not say the pricing meter adds them, so the bill does not (`log_bytes_with_overhead`
  shows the difference). Storage is priced on the same bytes, as `Scenario.blog` does.
* S3: the archive's files as stored (their size on disk) and one PUT a file.
* SNS: one publish a state change with an action; one email or SMS a subscription it reaches.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from signin_lab.config import LabConfig
    from signin_lab.costs import Report, Scenario


@dataclass(frozen=True)
class Measured:
    """The archive's measured volumes, per month (already divided by `months`)."""

    months: int
    management_events: int
    data_events: int
    log_bytes: int
    log_events: int
    s3_bytes: int
    s3_files: int
    publishes: int
    emails: int
    sms: Mapping[str, int]


@dataclass(frozen=True)
class BillLine:
    """One line of the bill and the measured number it used."""

    service: str
    item: str
    quantity: float
    unit: str
    free: float
    usd: float
    measured: str
    source: str

    def to_json(self) -> dict[str, Any]:
        """The line as plain data."""
        return {
            "service": self.service,
            "item": self.item,
            "quantity": self.quantity,
            "unit": self.unit,
            "free": self.free,
            "usd": self.usd,
            "measured": self.measured,
        }


def _per_month(total: float, months: int) -> int:
    return round(total / months)


def measured(
    *,
    months: int,
    management_events: int,
    data_events: int,
    log_bytes: int,
    log_events: int,
    s3_bytes: int,
    s3_files: int,
    publishes: int,
    emails: int,
    sms: Mapping[str, int],
) -> Measured:
    """The archive's totals as monthly figures."""
    m = max(1, months)
    return Measured(
        months=m,
        management_events=_per_month(management_events, m),
        data_events=_per_month(data_events, m),
        log_bytes=_per_month(log_bytes, m),
        log_events=_per_month(log_events, m),
        s3_bytes=_per_month(s3_bytes, m),
        s3_files=_per_month(s3_files, m),
        publishes=_per_month(publishes, m),
        emails=_per_month(emails, m),
        sms={c: _per_month(n, m) for c, n in sorted(sms.items())},
    )


def scenario(cfg: LabConfig, m: Measured, plan: str) -> Scenario:
    """The month's Scenario: alarms and metrics from the configured alerts, volumes measured."""
    from signin_lab.costs import Scenario

    alerts = len(cfg.alerts)
    return Scenario(
        alarms=alerts,
        custom_metrics=alerts,
        trails=1,
        management_events_per_month=m.management_events,
        data_events_per_month=m.data_events,
        log_gb_ingested=m.log_bytes / 1e9,
        log_gb_stored=m.log_bytes / 1e9,
        s3_gb=m.s3_bytes / 1e9,
        s3_puts=m.s3_files,
        publishes_per_month=m.publishes,
        emails_per_month=m.emails,
        sms_per_month=dict(m.sms),
        plan=plan,  # type: ignore[arg-type]
    )


def _explain(key: str, m: Measured) -> str:
    per = "a month" if m.months == 1 else f"a month (archive total / {m.months} months)"
    texts = {
        "cloudtrail.management_first_copy": f"{m.management_events:,} management-event records {per}",
        "cloudtrail.management_additional_copies": "one trail: no additional copies",
        "cloudtrail.data_events": f"{m.data_events:,} data-event records {per}",
        "cloudwatch.custom_metrics": "one metric per configured alert",
        "cloudwatch.alarms": "one alarm per configured alert",
        "cloudwatch.logs_ingested": (
            f"{m.log_bytes:,} bytes: the JSON of {m.log_events:,} records {per}"
        ),
        "cloudwatch.logs_stored": f"{m.log_bytes:,} bytes ingested {per}, stored",
        "s3.storage": f"{m.s3_bytes:,} bytes of archive files {per}",
        "s3.puts": f"{m.s3_files:,} archive files {per}, one PUT each",
        "sns.publishes": f"{m.publishes:,} alarm state changes with an action {per}",
        "sns.email": f"{m.emails:,} emails the state changes sent {per}",
    }
    if key.startswith("sns.sms") or key not in texts:
        return f"{sum(m.sms.values()):,} SMS the state changes sent {per}"
    return texts[key]


def bill_lines(report: Report, m: Measured) -> list[BillLine]:
    """The report's lines, each with the measured number it used."""
    return [
        BillLine(
            service=line.service,
            item=line.item,
            quantity=line.quantity,
            unit=line.unit,
            free=line.free,
            usd=line.usd,
            measured=_explain(line.key, m),
            source=line.source,
        )
        for line in report.lines
    ]


def estimate_bills(cfg: LabConfig, m: Measured, plan: str) -> dict[str, Report]:
    """The month under both free-tier regimes: "legacy" and the new plans' `plan` ("free" when
    the legacy one is asked for), https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/free-tier-plans.html."""
    from signin_lab.costs import estimate

    plans = ["legacy", plan if plan != "legacy" else "free"]
    return {p: estimate(scenario(cfg, m, p)) for p in plans}
