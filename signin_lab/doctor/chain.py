"""The blog design's chain for one alert, log group -> metric filter -> metric -> alarm -> action.

`Context` is what every check of one alert shares; the trail and delivery links are in
`signin_lab.doctor.trail`, the SNS end in `signin_lab.doctor.sns`. Each check reads the target
through `Reader` (Describe/Get/List only) and returns Findings; the rules, their AWS sources and
the fixes are in `signin_lab.doctor.rules`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from signin_lab.config import Alert, LabConfig
from signin_lab.doctor.model import Finding, Status
from signin_lab.doctor.patterns import PatternVerdict, Sample, judge, status_for
from signin_lab.doctor.reader import Reader, ReadError
from signin_lab.doctor.rules import finding

#: A log group fed by a trail that logs management events gets events every few minutes; the kit
#: calls it AT RISK when the newest event is older than a day (a judgement, not an AWS figure; it
#: is well past lastEventTimestamp's own lag, "typically ... less than an hour from ingestion",
#: https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_LogStream.html).
STALE_AFTER = timedelta(days=1)


@dataclass
class Context:
    """What the checks of one alert share: the reader, the config, the alert, the names for fixes."""

    reader: Reader
    cfg: LabConfig
    alert: Alert
    samples: list[Sample]
    now: datetime
    names: dict[str, str] = field(default_factory=dict)
    trail: dict[str, Any] | None = None
    metric_filter: dict[str, Any] | None = None
    alarm: dict[str, Any] | None = None
    topic_arn: str | None = None

    def f(self, rule_id: str, status: Status, read: str) -> Finding:
        """The finding `rule_id` for this alert, its fixes filled with the user's names."""
        return finding(rule_id, self.alert.key, status, read, **self.names)


def names_for(cfg: LabConfig, alert: Alert) -> dict[str, str]:
    """The user's own names, for the fixes' placeholders."""
    from signin_lab.stack.iam import INLINE_POLICY

    return {
        "trail": cfg.trail_name, "bucket": cfg.bucket, "log_group": cfg.log_group_name,
        "log_group_arn": cfg.log_group_arn(), "role": cfg.role_name, "role_arn": cfg.role_arn(),
        "policy": INLINE_POLICY, "stream_arn": stream_arn(cfg), "filter": alert.filter_name,
        "pattern": alert.pattern, "metric": alert.metric_name, "namespace": alert.namespace or cfg.metric_namespace,
        "alarm": alert.alarm_name, "alarm_arn": cfg.alarm_arn(alert), "topic": alert.topic_name,
        "topic_arn": cfg.topic_arn(alert), "region": cfg.region,
    }


def stream_arn(cfg: LabConfig) -> str:
    """The ARN of CloudTrail's log streams in the log group (without the trailing _<n>)."""
    return (
        f"arn:aws:logs:{cfg.region}:{cfg.account_id}:log-group:{cfg.log_group_name}"
        f":log-stream:{cfg.account_id}_CloudTrail_{cfg.region}"
    )


def unknown(ctx: Context, rule_id: str, err: ReadError) -> Finding:
    """The finding `rule_id` as UNKNOWN: the read failed or the target does not implement it."""
    return ctx.f(rule_id, "UNKNOWN", f"{err} (the target cannot tell)")


# -- log group ---------------------------------------------------------------------------------
def log_group_links(ctx: Context) -> list[Finding]:
    """log-group.exists, log-group.recent-events."""
    cfg, r = ctx.cfg, ctx.reader
    groups = r.pages("logs", "describe_log_groups", "logGroups", logGroupNamePrefix=cfg.log_group_name)
    if isinstance(groups, ReadError):
        return [unknown(ctx, "log-group.exists", groups)]
    if not any(g["logGroupName"] == cfg.log_group_name for g in groups):
        return [ctx.f("log-group.exists", "BROKEN", f"logs DescribeLogGroups: no log group {cfg.log_group_name}")]
    out = [ctx.f("log-group.exists", "OK", f"logs DescribeLogGroups: {cfg.log_group_name}")]
    streams = r.call("logs", "describe_log_streams", logGroupName=cfg.log_group_name,
                     orderBy="LastEventTime", descending=True, limit=1)
    if isinstance(streams, ReadError):
        return [*out, unknown(ctx, "log-group.recent-events", streams)]
    newest = max((s.get("lastEventTimestamp") or 0 for s in streams.get("logStreams", [])), default=0)
    if not newest:
        if not r.lab.target.emulated:
            return [
                *out,
                ctx.f("log-group.recent-events", "AT RISK", "logs DescribeLogStreams: no event has ever arrived"),
            ]
        return [*out, ctx.f("log-group.recent-events", "UNKNOWN", "logs DescribeLogStreams: no event yet; "
                            "moto's trail delivers nothing (lab.replay or lab.drill puts records here)")]
    when = datetime.fromtimestamp(newest / 1000, tz=UTC)
    age = max(ctx.now - when, timedelta(0))  # a clock behind the target's counts as "just now"
    read = (
        f"logs DescribeLogStreams: newest event {when:%Y-%m-%d %H:%M} UTC, {_age(age)} before "
        f"{ctx.now:%Y-%m-%d %H:%M} UTC"
    )
    return [*out, ctx.f("log-group.recent-events", "AT RISK" if age > STALE_AFTER else "OK", read)]


def _age(delta: timedelta) -> str:
    hours = delta.total_seconds() / 3600
    return f"{hours / 24:.1f} days" if hours >= 48 else f"{hours:.1f} hours"


# -- metric filter, metric -------------------------------------------------------------------
def filter_links(ctx: Context) -> list[Finding]:
    """filter.exists, filter.pattern-matches."""
    cfg, alert = ctx.cfg, ctx.alert
    filters = ctx.reader.pages("logs", "describe_metric_filters", "metricFilters", logGroupName=cfg.log_group_name)
    if isinstance(filters, ReadError):
        return [unknown(ctx, "filter.exists", filters)]
    by_name = [f for f in filters if f["filterName"] == alert.filter_name]
    by_metric = [f for f in filters if any(t["metricName"] == alert.metric_name for t in f["metricTransformations"])]
    chosen = (by_name or by_metric or [None])[0]
    if chosen is None:
        return [ctx.f("filter.exists", "BROKEN", f"logs DescribeMetricFilters {cfg.log_group_name}: "
                      f"no filter {alert.filter_name} and none emitting {alert.metric_name}")]
    ctx.metric_filter = chosen
    ctx.names.update(filter=chosen["filterName"], pattern=chosen["filterPattern"])
    verdict = judge(alert, chosen["filterPattern"], ctx.samples)
    if not ctx.reader.lab.target.emulated and verdict.kind:
        verdict = _ask_aws(ctx, chosen["filterPattern"], verdict)
    return [
        ctx.f("filter.exists", "OK", f"logs DescribeMetricFilters: {chosen['filterName']} on {cfg.log_group_name}"),
        ctx.f("filter.pattern-matches", verdict.status, verdict.read),
    ]


#: TestMetricFilter takes 1 to 50 log event messages
#: (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_TestMetricFilter.html).
TEST_METRIC_FILTER_MAX = 50


def _ask_aws(ctx: Context, pattern: str, verdict: PatternVerdict) -> PatternVerdict:
    """On real AWS, let TestMetricFilter (a read: it stores nothing) run the same records; AWS's count wins."""
    import json

    sample = verdict.kind[:TEST_METRIC_FILTER_MAX]
    messages = [json.dumps(s.record) for s in sample]
    got = ctx.reader.call("logs", "test_metric_filter", filterPattern=pattern, logEventMessages=messages)
    if isinstance(got, ReadError):
        return PatternVerdict(verdict.status, f"{verdict.read}; {got}", verdict.kind, verdict.hits)
    # Matched by eventMessage: AWS's pages count eventNumber from 0 (API reference) and from 1 (CLI example).
    matched = {m.get("eventMessage") for m in got.get("matches", [])}
    aws = tuple(m in matched for m in messages)
    if aws == verdict.hits[: len(sample)]:
        return PatternVerdict(
            verdict.status, f"{verdict.read}; logs TestMetricFilter agrees", verdict.kind, verdict.hits
        )
    read = (
        f"{verdict.read}; but logs TestMetricFilter matches {sum(aws)} of the first {len(sample)}: AWS's answer is used"
    )
    return PatternVerdict(status_for(sum(aws), len(sample)), read, verdict.kind, aws)


def _transformation(ctx: Context) -> dict[str, Any] | None:
    if ctx.metric_filter is None:
        return None
    ts = ctx.metric_filter["metricTransformations"]
    return next((t for t in ts if t["metricName"] == ctx.alert.metric_name), ts[0] if ts else None)


def metric_links(ctx: Context) -> list[Finding]:
    """metric.matches-alarm, metric.default-value (after the alarm is read)."""
    t, alarm = _transformation(ctx), ctx.alarm
    if t is None or alarm is None:
        return []
    if alarm.get("Metrics"):
        return [
            ctx.f("metric.matches-alarm", "UNKNOWN", "cloudwatch DescribeAlarms: a metric-math alarm (not followed)")
        ]
    want = (t["metricNamespace"], t["metricName"], sorted((t.get("dimensions") or {}).items()))
    have = (
        alarm.get("Namespace"),
        alarm.get("MetricName"),
        sorted((d["Name"], d["Value"]) for d in alarm.get("Dimensions", [])),
    )
    read = (f"filter emits {want[1]!s} in {want[0]!s}; cloudwatch DescribeAlarms {alarm['AlarmName']}: "
            f"watches {have[1]} in {have[0]}" + (f" with dimensions {have[2]}" if have[2] else ""))
    out = [ctx.f("metric.matches-alarm", "OK" if want == have else "BROKEN", read)]
    treat = alarm.get("TreatMissingData", "missing")
    has_default = t.get("defaultValue") is not None
    read = (
        f"logs DescribeMetricFilters: defaultValue={t.get('defaultValue')}; cloudwatch DescribeAlarms: "
        f"TreatMissingData={treat}"
    )
    risky = not has_default and treat == "missing"
    out.append(ctx.f("metric.default-value", "AT RISK" if risky else "OK",
                     read + (": the alarm sits in INSUFFICIENT_DATA between sign-ins" if risky else "")))
    return out


# -- alarm, action -----------------------------------------------------------------------------
def alarm_links(ctx: Context, other_regions: list[str]) -> list[Finding]:
    """alarm.exists (or alarm.region when it is in another Region), alarm.threshold."""
    cfg, alert, r = ctx.cfg, ctx.alert, ctx.reader
    got = r.call("cloudwatch", "describe_alarms", AlarmNames=[alert.alarm_name], AlarmTypes=["MetricAlarm"])
    if isinstance(got, ReadError):
        return [unknown(ctx, "alarm.exists", got)]
    alarms = got.get("MetricAlarms", [])
    if not alarms:
        t = _transformation(ctx)
        if t is not None:
            found = r.call(
                "cloudwatch", "describe_alarms_for_metric", MetricName=t["metricName"], Namespace=t["metricNamespace"]
            )
            alarms = [] if isinstance(found, ReadError) else found.get("MetricAlarms", [])
    if not alarms:
        for region in other_regions:
            elsewhere = r.call("cloudwatch", "describe_alarms", region=region, AlarmNames=[alert.alarm_name])
            if not isinstance(elsewhere, ReadError) and elsewhere.get("MetricAlarms"):
                return [
                    ctx.f(
                        "alarm.region",
                        "BROKEN",
                        f"cloudwatch DescribeAlarms: {alert.alarm_name} is in {region}, "
                        f"but the metric filter emits in {cfg.region}",
                    )
                ]
        return [
            ctx.f(
                "alarm.exists",
                "BROKEN",
                f"cloudwatch DescribeAlarms ({cfg.region}): no alarm {alert.alarm_name} "
                f"and none on {alert.namespace or cfg.metric_namespace} / {alert.metric_name}",
            )
        ]
    ctx.alarm = alarms[0]
    ctx.names["alarm"] = ctx.alarm["AlarmName"]
    out = [ctx.f("alarm.exists", "OK", f"cloudwatch DescribeAlarms ({cfg.region}): {ctx.alarm['AlarmName']}, "
                 f"state {ctx.alarm.get('StateValue')}")]
    out.append(_threshold(ctx))
    return out


def _threshold(ctx: Context) -> Finding:
    """One matching record, alone in the evaluation window, must put the alarm in ALARM."""
    from signin_lab.emulator.alarms import alarm_state

    a, t = ctx.alarm or {}, _transformation(ctx)
    try:
        value = float(t["metricValue"]) if t else 1.0
    except ValueError:
        return ctx.f("alarm.threshold", "UNKNOWN", f"metricValue {t['metricValue'] if t else ''} comes from the record")
    default = t.get("defaultValue") if t else None
    n = int(a.get("EvaluationPeriods", 1))
    values: list[float | None] = [default] * (n - 1) + [value]
    state = alarm_state(
        values,
        threshold=float(a.get("Threshold", 0)),
        comparison_operator=a.get("ComparisonOperator", "GreaterThanThreshold"),
        evaluation_periods=n,
        datapoints_to_alarm=a.get("DatapointsToAlarm"),
        treat_missing_data=a.get("TreatMissingData", "missing"),
        current_state="OK",
    )
    read = (f"cloudwatch DescribeAlarms: {a.get('Statistic')} {a.get('ComparisonOperator')} {a.get('Threshold')}, "
            f"{a.get('DatapointsToAlarm') or n} of {n}; one sign-in (value {value:g}) -> {state}")
    return ctx.f("alarm.threshold", "OK" if state == "ALARM" else "BROKEN", read)


def action_links(ctx: Context) -> list[Finding]:
    """alarm.actions-enabled, alarm.action-topic; sets ctx.topic_arn for the SNS links."""
    a = ctx.alarm
    if a is None:
        return []
    enabled = bool(a.get("ActionsEnabled"))
    out = [
        ctx.f(
            "alarm.actions-enabled",
            "OK" if enabled else "BROKEN",
            f"cloudwatch DescribeAlarms: ActionsEnabled={enabled}",
        )
    ]
    topics = [x for x in a.get("AlarmActions", []) if str(x).startswith("arn:aws:sns:")]
    want = ctx.cfg.topic_arn(ctx.alert)
    read = f"cloudwatch DescribeAlarms: AlarmActions={a.get('AlarmActions', [])}"
    if not topics:
        out.append(ctx.f("alarm.action-topic", "BROKEN", f"{read}: no SNS topic"))
        return out
    ctx.topic_arn = want if want in topics else topics[0]
    out.append(ctx.f("alarm.action-topic", "OK", read))
    return out
