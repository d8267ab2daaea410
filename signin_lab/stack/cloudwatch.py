"""Blog sections 'CloudWatch Logs', 'metric filters' and 'alarms': log group, one filter and one alarm per alert.

https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/MonitoringPolicyExamples.html
https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from signin_lab.aws_errors import is_not_found
from signin_lab.config import Alert, alarm_description
from signin_lab.errors import SigninLabError
from signin_lab.stack.changes import Change
from signin_lab.stack.races import created, deleted

if TYPE_CHECKING:  # pragma: no cover
    from signin_lab.config import LabConfig
    from signin_lab.lab import Lab

SECTION = "CloudWatch"


def _log_group(lab: Lab, cfg: LabConfig) -> dict[str, Any] | None:
    pages = lab.client("logs").get_paginator("describe_log_groups").paginate(logGroupNamePrefix=cfg.log_group_name)
    for page in pages:
        for group in page.get("logGroups", []):
            if group["logGroupName"] == cfg.log_group_name:
                return dict(group)
    return None


def ensure_log_group(lab: Lab) -> list[Change]:
    """The log group CloudTrail delivers into (Standard class: metric filters need it)."""
    cfg = lab.config
    logs = lab.client("logs")
    group = _log_group(lab, cfg)
    state = "unchanged"
    if group is None and created(
        lambda: logs.create_log_group(logGroupName=cfg.log_group_name, tags={"signin-lab": "true"})
    ):
        state = "created"
    current = (group or {}).get("retentionInDays")
    if current != cfg.log_retention_days:
        if cfg.log_retention_days is None:
            logs.delete_retention_policy(logGroupName=cfg.log_group_name)
        else:
            logs.put_retention_policy(logGroupName=cfg.log_group_name, retentionInDays=cfg.log_retention_days)
        if state == "unchanged":
            return [Change(SECTION, "log group", cfg.log_group_name, "updated", "retention")]
    return [Change(SECTION, "log group", cfg.log_group_name, state)]  # type: ignore[arg-type]


def _own(alert: Alert, name: str) -> Any:
    """A setting of a resolved alert (LabConfig.alerts fills every one)."""
    value = getattr(alert, name)
    if value is None and name != "default_value":
        raise SigninLabError(f"alert {alert.key!r}: {name} is unset; use the alerts of LabConfig.alerts")
    return value


def metric_transformation(cfg: LabConfig, alert: Alert) -> dict[str, Any]:
    """The alert's metricValue and, unless None, defaultValue (the blog: 1 and 0).

    https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_MetricTransformation.html
    """
    t: dict[str, Any] = {
        "metricName": alert.metric_name,
        "metricNamespace": _own(alert, "namespace"),
        "metricValue": _own(alert, "metric_value"),
    }
    if alert.default_value is not None:
        t["defaultValue"] = float(alert.default_value)
    return t


def _filter_list(lab: Lab, cfg: LabConfig) -> list[dict[str, Any]]:
    """Every metric filter of the log group, matched by log group name (a list: moto 5.2 can
    hold two filters of one name after two concurrent PutMetricFilter calls)."""
    logs = lab.client("logs")
    if _log_group(lab, cfg) is None:
        return []
    try:
        return [
            f
            for page in logs.get_paginator("describe_metric_filters").paginate(logGroupName=cfg.log_group_name)
            for f in page["metricFilters"]
            if f.get("logGroupName", cfg.log_group_name) == cfg.log_group_name
        ]
    except Exception as exc:
        if is_not_found(exc):  # the group went away meanwhile (a racing teardown)
            return []
        raise


def _filters(lab: Lab, cfg: LabConfig) -> dict[str, dict[str, Any]]:
    return {f["filterName"]: f for f in _filter_list(lab, cfg)}


def _delete_filter(lab: Lab, cfg: LabConfig, name: str) -> bool:
    """Delete every filter called `name` (moto may hold two); True if there was one."""
    logs = lab.client("logs")
    found = False
    for _ in range(10):  # bounded: each round removes at least one, or stops
        if not any(f["filterName"] == name for f in _filter_list(lab, cfg)):
            break
        found = deleted(lambda: logs.delete_metric_filter(logGroupName=cfg.log_group_name, filterName=name)) or found
    return found


def _one_copy(lab: Lab, cfg: LabConfig, put: dict[str, Any]) -> None:
    """On moto, leave exactly one filter of this name after a racing peer's PutMetricFilter
    appended a second (AWS replaces: one name, one filter). Each repair waits a random moment
    first so two peers do not repair in step; bounded, and the next deploy repairs whatever a
    pathological interleaving leaves."""
    import random
    import time

    def copies() -> int:
        return sum(1 for f in _filter_list(lab, cfg) if f["filterName"] == put["filterName"])

    for attempt in range(8):
        if copies() == 1:
            return
        time.sleep(random.uniform(0, 0.05 * (attempt + 1)))  # timing only: results do not depend on it
        found = copies()
        if found == 1:
            return
        if found > 1:
            _delete_filter(lab, cfg, put["filterName"])
        lab.client("logs").put_metric_filter(**put)


def _same_transformation(have: dict[str, Any], want: dict[str, Any]) -> bool:
    keys = ("metricName", "metricNamespace", "metricValue", "defaultValue")
    return all(have.get(k) == want.get(k) for k in keys)


def ensure_metric_filters(lab: Lab) -> list[Change]:
    """One metric filter per alert with the alert's JSON pattern."""
    cfg = lab.config
    logs = lab.client("logs")
    listed = _filter_list(lab, cfg)
    existing = {f["filterName"]: f for f in listed}
    changes: list[Change] = []
    for alert in cfg.alerts:
        want = metric_transformation(cfg, alert)
        have = existing.get(alert.filter_name)
        twice = sum(1 for f in listed if f["filterName"] == alert.filter_name) > 1
        if (
            have
            and not twice
            and have.get("filterPattern") == alert.pattern
            and len(have["metricTransformations"]) == 1
            and _same_transformation(have["metricTransformations"][0], want)
        ):
            changes.append(Change(SECTION, "metric filter", alert.filter_name, "unchanged"))
            continue
        if have and lab.target.emulated:
            # moto 5.2 appends a second filter of the same name instead of replacing it
            # (AWS's PutMetricFilter replaces: "creates or updates a metric filter",
            # https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutMetricFilter.html).
            _delete_filter(lab, cfg, alert.filter_name)
        put = {
            "logGroupName": cfg.log_group_name,
            "filterName": alert.filter_name,
            "filterPattern": alert.pattern,
            "metricTransformations": [want],
        }
        logs.put_metric_filter(**put)
        if lab.target.emulated:
            _one_copy(lab, cfg, put)
        changes.append(Change(SECTION, "metric filter", alert.filter_name, "updated" if have else "created"))
    return changes


def alarm_settings(cfg: LabConfig, alert: Alert) -> dict[str, Any]:
    """put_metric_alarm arguments from the alert's own settings (the blog: Sum over 300 s, 1 of 1, > 0)."""
    return {
        "AlarmName": alert.alarm_name,
        "AlarmDescription": alarm_description(alert),
        "ActionsEnabled": True,
        "AlarmActions": [cfg.topic_arn(alert)],
        "OKActions": [],
        "InsufficientDataActions": [],
        "MetricName": alert.metric_name,
        "Namespace": alert.namespace,
        "Statistic": _own(alert, "statistic"),
        "Period": _own(alert, "period"),
        "EvaluationPeriods": _own(alert, "evaluation_periods"),
        "DatapointsToAlarm": _own(alert, "datapoints_to_alarm"),
        "Threshold": float(_own(alert, "threshold")),
        "ComparisonOperator": _own(alert, "comparison_operator"),
        "TreatMissingData": _own(alert, "treat_missing_data"),
    }


def _alarms(lab: Lab, names: list[str]) -> dict[str, dict[str, Any]]:
    cw = lab.client("cloudwatch")
    out: dict[str, dict[str, Any]] = {}
    for page in cw.get_paginator("describe_alarms").paginate(AlarmNames=names, AlarmTypes=["MetricAlarm"]):
        for a in page["MetricAlarms"]:
            out[a["AlarmName"]] = a
    return out


def ensure_alarms(lab: Lab) -> list[Change]:
    """One alarm per alert; AWS starts a new alarm in INSUFFICIENT_DATA."""
    cfg = lab.config
    cw = lab.client("cloudwatch")
    existing = _alarms(lab, [a.alarm_name for a in cfg.alerts])
    changes: list[Change] = []
    for alert in cfg.alerts:
        want = alarm_settings(cfg, alert)
        have = existing.get(alert.alarm_name)
        if have is not None:
            diff = [k for k, v in want.items() if have.get(k, [] if isinstance(v, list) else None) != v]
            if not diff:
                changes.append(Change(SECTION, "alarm", alert.alarm_name, "unchanged"))
                continue
        cw.put_metric_alarm(**want)
        changes.append(Change(SECTION, "alarm", alert.alarm_name, "updated" if have else "created"))
    return changes


def delete_alarms(lab: Lab, config: LabConfig | None = None) -> list[Change]:
    """Delete the alarms; absent is fine."""
    cfg = config or lab.config
    names = [a.alarm_name for a in cfg.alerts]
    existing = _alarms(lab, names)
    if existing:  # DeleteAlarms of an alarm a racing teardown removed: ResourceNotFound
        deleted(lambda: lab.client("cloudwatch").delete_alarms(AlarmNames=sorted(existing)))
    return [Change(SECTION, "alarm", n, "deleted" if n in existing else "absent") for n in names]


def delete_metric_filters(lab: Lab, config: LabConfig | None = None) -> list[Change]:
    """Delete the metric filters; absent is fine."""
    cfg = config or lab.config
    existing = _filters(lab, cfg)
    changes = []
    for alert in cfg.alerts:
        if alert.filter_name in existing and _delete_filter(lab, cfg, alert.filter_name):
            changes.append(Change(SECTION, "metric filter", alert.filter_name, "deleted"))
        else:
            changes.append(Change(SECTION, "metric filter", alert.filter_name, "absent"))
    return changes


def delete_log_group(lab: Lab, config: LabConfig | None = None, *, keep: bool = False) -> list[Change]:
    """Delete the log group (its events are audit records too: kept with `keep`)."""
    cfg = config or lab.config
    if _log_group(lab, cfg) is None:
        return [Change(SECTION, "log group", cfg.log_group_name, "absent")]
    if keep:
        return [Change(SECTION, "log group", cfg.log_group_name, "kept")]
    if not deleted(lambda: lab.client("logs").delete_log_group(logGroupName=cfg.log_group_name)):
        return [Change(SECTION, "log group", cfg.log_group_name, "absent")]  # a racing teardown deleted it
    return [Change(SECTION, "log group", cfg.log_group_name, "deleted")]
