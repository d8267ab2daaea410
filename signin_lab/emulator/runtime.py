"""The pipeline's configuration read back from the target, so what a learner configured is what runs.

GetTrail, GetTrailStatus and GetEventSelectors for the trail; DescribeMetricFilters on its log
group and DescribeAlarms, both through boto3's paginators; the alarms kept are those on a metric
that one of the log group's metric filters produces (directly or in a metric-math query).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from signin_lab.arns import log_group_name
from signin_lab.aws_errors import error_code
from signin_lab.emulator.metrics import MetricFilter
from signin_lab.emulator.replay import AlarmSpec
from signin_lab.errors import SigninLabError

if TYPE_CHECKING:  # pragma: no cover
    from signin_lab.lab import Lab


@dataclass(frozen=True)
class Pipeline:
    """The configuration read back from the target."""

    trail: Mapping[str, Any]
    logging: bool
    log_group: str | None
    filters: tuple[MetricFilter, ...]
    alarms: tuple[AlarmSpec, ...]


def client_error() -> type[Exception]:
    """botocore's ClientError, imported on first use so importing the package stays light."""
    from botocore.exceptions import ClientError

    return ClientError


def read_trail(lab: Lab) -> Mapping[str, Any]:
    """GetTrail for the configured trail; SigninLabError when it is missing (not deployed)."""
    cfg = lab.config
    try:
        return lab.client("cloudtrail").get_trail(Name=cfg.trail_name)["Trail"]
    except client_error() as exc:
        if error_code(exc) == "TrailNotFoundException":
            raise SigninLabError(
                f"trail {cfg.trail_name!r} not found on the {lab.target.label} target: "
                "deploy the stack first (lab.deploy())"
            ) from None
        raise SigninLabError(f"cannot read trail {cfg.trail_name!r}: {exc}") from exc


def trail_log_group(trail: Mapping[str, Any]) -> str | None:
    """The name of the log group the trail sends events to, None when it sends none."""
    arn = trail.get("CloudWatchLogsLogGroupArn")
    return log_group_name(arn) if arn else None


def event_selectors(lab: Lab, trail_name: str) -> tuple[str, bool]:
    """(ReadWriteType, IncludeManagementEvents) of the trail's first basic event selector.

    A trail without selectors logs all management events (CloudTrail's defaults,
    https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-management-events-with-cloudtrail.html).
    """
    try:
        got = lab.client("cloudtrail").get_event_selectors(TrailName=trail_name)
    except client_error():  # moto without selectors support: CloudTrail's defaults
        return "All", True
    basic = got.get("EventSelectors") or []
    if not basic:
        return "All", True
    s = basic[0]
    return s.get("ReadWriteType", "All"), bool(s.get("IncludeManagementEvents", True))


def metric_filters(lab: Lab, log_group: str) -> list[MetricFilter]:
    """The log group's metric filters (DescribeMetricFilters, paginated), by filter name.

    A missing log group has none. A pattern the kit cannot parse raises SigninLabError naming it.
    """
    from signin_lab.filterpattern import FilterPattern

    logs = lab.client("logs")
    raw_filters: list[dict[str, Any]] = []
    try:
        for page in logs.get_paginator("describe_metric_filters").paginate(logGroupName=log_group):
            raw_filters.extend(page.get("metricFilters", []))
    except client_error() as exc:
        if error_code(exc) != "ResourceNotFoundException":
            raise
    out: list[MetricFilter] = []
    for raw in sorted(raw_filters, key=lambda f: f.get("filterName", "")):

        def compile(text: str, name: str = raw.get("filterName", "?")) -> Any:
            try:
                return FilterPattern(text)
            except SigninLabError as exc:
                raise SigninLabError(f"metric filter {name!r}: {exc}") from exc

        out.extend(MetricFilter.from_aws(raw, compile))
    return out


def metric_alarms(lab: Lab) -> list[dict[str, Any]]:
    """Every metric alarm (DescribeAlarms with AlarmTypes MetricAlarm, paginated)."""
    out: list[dict[str, Any]] = []
    paginator = lab.client("cloudwatch").get_paginator("describe_alarms")
    for page in paginator.paginate(AlarmTypes=["MetricAlarm"]):
        out.extend(page.get("MetricAlarms", []))
    return out


def _alarm_metrics(raw: Mapping[str, Any]) -> set[tuple[Any, Any]]:
    """(Namespace, MetricName) of the alarm's metric and of each MetricStat in its queries."""
    found = {(raw.get("Namespace"), raw.get("MetricName"))}
    for q in raw.get("Metrics") or []:
        if "MetricStat" in q:
            metric = q["MetricStat"]["Metric"]
            found.add((metric.get("Namespace"), metric.get("MetricName")))
    return found


def read_pipeline(lab: Lab) -> Pipeline:
    """The trail, whether it logs, its log group's metric filters and the alarms on their metrics."""
    trail = read_trail(lab)
    logging = bool(
        lab.client("cloudtrail").get_trail_status(Name=lab.config.trail_name).get("IsLogging")
    )
    group = trail_log_group(trail)
    filters = metric_filters(lab, group) if group else []
    produced = {(f.namespace, f.metric_name) for f in filters}
    alarms = [AlarmSpec.from_aws(raw) for raw in metric_alarms(lab) if _alarm_metrics(raw) & produced]
    return Pipeline(trail, logging, group, tuple(filters), tuple(sorted(alarms, key=lambda a: a.name)))


__all__ = [
    "Pipeline",
    "client_error",
    "event_selectors",
    "metric_alarms",
    "metric_filters",
    "read_pipeline",
    "read_trail",
    "trail_log_group",
]
