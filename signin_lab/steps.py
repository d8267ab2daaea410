"""The blog's stack by hand: console steps (as text) and AWS CLI commands per stage, from LabConfig.

Like the CloudFormation export (`signin_lab.cfn`), every name, pattern, policy and alarm setting
comes from `LabConfig` and the code `lab.deploy` uses (`signin_lab.stack`), so the steps cannot
drift from what deploy builds; the tests run the commands with the AWS CLI against a moto server
and compare the read-back resources with a deployed stack.

The order differs from `deploy` in one place, as the blog's does: the trail is created first with
its S3 bucket only, and the CloudWatch Logs stage creates the log group and then points the trail
at it with `update-trail` (the console's "Edit" of the trail's CloudWatch Logs panel).
https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html

AWS CLI reference pages used (version 1 and 2 take the same options here):
https://docs.aws.amazon.com/cli/latest/reference/iam/create-role.html
https://docs.aws.amazon.com/cli/latest/reference/sns/create-topic.html
https://docs.aws.amazon.com/cli/latest/reference/cloudtrail/create-trail.html
https://docs.aws.amazon.com/cli/latest/reference/logs/put-metric-filter.html
https://docs.aws.amazon.com/cli/latest/reference/cloudwatch/put-metric-alarm.html
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from signin_lab.config import Alert, LabConfig
from signin_lab.errors import SigninLabError
from signin_lab.stack import cloudtrail, cloudwatch, iam, policies

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

#: The stages, in the order they are run (each may need the ones before it).
STAGES: tuple[str, ...] = ("iam", "sns", "cloudtrail", "logs", "metric_filters", "alarms")
TITLES: dict[str, str] = {
    "iam": "IAM role CloudTrail assumes to write to CloudWatch Logs",
    "sns": "SNS topics and subscriptions",
    "cloudtrail": "CloudTrail trail and its S3 bucket",
    "logs": "CloudWatch Logs log group, and the trail sending to it",
    "metric_filters": "CloudWatch Logs metric filters",
    "alarms": "CloudWatch alarms",
}
TAG = {"Key": "signin-lab", "Value": "true"}


@dataclass(frozen=True)
class Stage:
    """One stage: its console steps (text) and its AWS CLI commands (argument lists)."""

    key: str
    title: str
    console: tuple[str, ...]
    commands: tuple[tuple[str, ...], ...]

    def cli(self) -> str:
        """The commands as shell lines, quoted for a POSIX shell (bash, zsh)."""
        return "\n".join(shlex.join(c) for c in self.commands)

    def console_text(self) -> str:
        """The console steps, numbered."""
        return "\n".join(f"{i}. {s}" for i, s in enumerate(self.console, 1))


def _json(doc: Any) -> str:
    return json.dumps(doc, separators=(",", ":"))


def _aws(cfg: LabConfig, service: str, operation: str, *args: str) -> tuple[str, ...]:
    return ("aws", service, operation, *args, "--region", cfg.region)


def _iam(cfg: LabConfig) -> Stage:
    commands = (
        _aws(cfg, "iam", "create-role", "--role-name", cfg.role_name,
             "--assume-role-policy-document", _json(policies.cloudtrail_trust_policy(cfg)),
             "--description", iam.ROLE_DESCRIPTION, "--tags", "Key=signin-lab,Value=true"),
        _aws(cfg, "iam", "put-role-policy", "--role-name", cfg.role_name, "--policy-name", iam.INLINE_POLICY,
             "--policy-document", _json(policies.cloudtrail_logs_policy(cfg))),
    )
    console = (
        "Open the IAM console, Roles, Create role.",
        ("Trusted entity type: Custom trust policy; paste the trust policy that lets "
        "cloudtrail.amazonaws.com call sts:AssumeRole (printed by the first command below)."),
        ("Skip the permissions page (no managed policy); Role name: " f"{cfg.role_name}; Create role."),
        (f"Open the role, Add permissions, Create inline policy, JSON: paste the policy allowing "
        f"logs:CreateLogStream and logs:PutLogEvents on the log group {cfg.log_group_name}'s CloudTrail "
        f"streams; Policy name: {iam.INLINE_POLICY}; Create policy."),
        ("(The blog creates this role inside its CloudWatch step, from the trail's wizard; here it comes "
        "first so every later stage can name it.)"),
    )
    return Stage("iam", TITLES["iam"], console, commands)


def _sns(cfg: LabConfig) -> Stage:
    commands: list[tuple[str, ...]] = []
    console: list[str] = []
    for alert in cfg.alerts:
        arn = cfg.topic_arn(alert)
        commands.append(_aws(cfg, "sns", "create-topic", "--name", alert.topic_name,
                             "--tags", "Key=signin-lab,Value=true"))
        commands.append(_aws(cfg, "sns", "set-topic-attributes", "--topic-arn", arn, "--attribute-name", "Policy",
                             "--attribute-value", _json(policies.topic_policy(cfg, alert))))
        subs = []
        if cfg.email:
            commands.append(_aws(cfg, "sns", "subscribe", "--topic-arn", arn, "--protocol", "email",
                                 "--notification-endpoint", cfg.email))
            subs.append(f"Email {cfg.email}")
        if cfg.sms and alert.sms:
            commands.append(_aws(cfg, "sns", "subscribe", "--topic-arn", arn, "--protocol", "sms",
                                 "--notification-endpoint", cfg.sms))
            subs.append(f"SMS {cfg.sms}")
        console.append(
            f"SNS console, Topics, Create topic: Type Standard (FIFO topics cannot deliver to email or SMS), "
            f"Name {alert.topic_name}; Access policy: Advanced, paste the topic policy; Create topic."
        )
        if subs:
            console.append(
                f"In {alert.topic_name}, Create subscription for each of: {', '.join(subs)} "
                "(an email subscription stays PendingConfirmation until its link is clicked)."
            )
    return Stage("sns", TITLES["sns"], tuple(console), tuple(commands))


def _cloudtrail(cfg: LabConfig) -> Stage:
    trail = cloudtrail.trail_settings(cfg)
    bucket: list[str] = ["--bucket", cfg.bucket]
    if cfg.region != "us-east-1":  # us-east-1 takes no LocationConstraint
        bucket += ["--create-bucket-configuration", f"LocationConstraint={cfg.region}"]
    selectors = [
        {"ReadWriteType": s["ReadWriteType"], "IncludeManagementEvents": s["IncludeManagementEvents"]}
        for s in cloudtrail.EVENT_SELECTORS
    ]
    commands = (
        _aws(cfg, "s3api", "create-bucket", *bucket),
        _aws(cfg, "s3api", "put-public-access-block", "--bucket", cfg.bucket, "--expected-bucket-owner", cfg.account_id,
             "--public-access-block-configuration", _json(cloudtrail.BLOCK_PUBLIC_ACCESS)),
        _aws(cfg, "s3api", "put-bucket-encryption", "--bucket", cfg.bucket, "--expected-bucket-owner", cfg.account_id,
             "--server-side-encryption-configuration", _json(cloudtrail.ENCRYPTION)),
        _aws(cfg, "s3api", "put-bucket-policy", "--bucket", cfg.bucket, "--expected-bucket-owner", cfg.account_id,
             "--policy", _json(policies.trail_bucket_policy(cfg))),
        _aws(cfg, "cloudtrail", "create-trail", "--name", trail["Name"], "--s3-bucket-name", cfg.bucket,
             ("--include-global-service-events" if trail["IncludeGlobalServiceEvents"]
              else "--no-include-global-service-events"),
             "--is-multi-region-trail" if trail["IsMultiRegionTrail"] else "--no-is-multi-region-trail",
             "--enable-log-file-validation" if trail["EnableLogFileValidation"] else "--no-enable-log-file-validation",
             "--tags-list", "Key=signin-lab,Value=true"),
        _aws(cfg, "cloudtrail", "put-event-selectors", "--trail-name", trail["Name"],
             "--event-selectors", _json(selectors)),
        _aws(cfg, "cloudtrail", "start-logging", "--name", trail["Name"]),
    )
    scope = "Yes (all Regions)" if trail["IsMultiRegionTrail"] else "No (this Region only)"
    console = (
        f"CloudTrail console (Region {cfg.region}), Trails, Create trail: Trail name {trail['Name']}.",
        (f"Storage location: Create new S3 bucket {cfg.bucket} (CloudTrail writes its bucket policy); "
        "Log file SSE-KMS encryption: off (the bucket's default SSE-S3 encryption applies); "
        f"Log file validation: {'Enabled' if trail['EnableLogFileValidation'] else 'Disabled'}."),
        "CloudWatch Logs: leave disabled for now (the CloudWatch Logs stage turns it on).",
        ("Events: Management events, API activity Read and Write; Create trail. "
        f"Multi-Region: {scope} (a trail created in the console applies to all Regions by default)."),
    )
    return Stage("cloudtrail", TITLES["cloudtrail"], console, commands)


def _logs(cfg: LabConfig) -> Stage:
    commands: list[tuple[str, ...]] = [
        _aws(cfg, "logs", "create-log-group", "--log-group-name", cfg.log_group_name, "--tags", "signin-lab=true"),
    ]
    if cfg.log_retention_days is not None:
        commands.append(_aws(cfg, "logs", "put-retention-policy", "--log-group-name", cfg.log_group_name,
                             "--retention-in-days", str(cfg.log_retention_days)))
    commands.append(_aws(cfg, "cloudtrail", "update-trail", "--name", cfg.trail_name,
                         "--cloud-watch-logs-log-group-arn", cfg.log_group_arn(),
                         "--cloud-watch-logs-role-arn", cfg.role_arn()))
    retention = "Never expire" if cfg.log_retention_days is None else f"{cfg.log_retention_days} days"
    console = (
        f"CloudTrail console, Trails, {cfg.trail_name}, CloudWatch Logs panel, Edit: Enabled.",
        f"Log group: New, {cfg.log_group_name} (log class Standard: metric filters need it).",
        f"IAM Role: Existing, {cfg.role_name}; Save changes.",
        f"CloudWatch console, Log groups, {cfg.log_group_name}: Retention {retention}.",
    )
    return Stage("logs", TITLES["logs"], console, tuple(commands))


def _transformation(cfg: LabConfig, alert: Alert) -> str:
    return _json([cloudwatch.metric_transformation(cfg, alert)])


def _metric_filters(cfg: LabConfig) -> Stage:
    commands = tuple(
        _aws(cfg, "logs", "put-metric-filter", "--log-group-name", cfg.log_group_name,
             "--filter-name", alert.filter_name, "--filter-pattern", alert.pattern,
             "--metric-transformations", _transformation(cfg, alert))
        for alert in cfg.alerts
    )
    console = [f"CloudWatch console, Log groups, {cfg.log_group_name}, Metric filters, Create metric filter:"]
    for alert in cfg.alerts:
        t = cloudwatch.metric_transformation(cfg, alert)
        default = t.get("defaultValue", "(none)")
        console.append(
            f"Filter pattern {alert.pattern} ; Filter name {alert.filter_name}; Metric namespace "
            f"{t['metricNamespace']}; Metric name {t['metricName']}; Metric value {t['metricValue']}; "
            f"Default value {default}; Create metric filter."
        )
    return Stage("metric_filters", TITLES["metric_filters"], tuple(console), commands)


def _alarms(cfg: LabConfig) -> Stage:
    commands = []
    console = []
    for alert in cfg.alerts:
        s = cloudwatch.alarm_settings(cfg, alert)
        commands.append(_aws(
            cfg, "cloudwatch", "put-metric-alarm", "--alarm-name", s["AlarmName"],
            "--alarm-description", s["AlarmDescription"],
            "--actions-enabled" if s["ActionsEnabled"] else "--no-actions-enabled",
            "--alarm-actions", *s["AlarmActions"],
            "--metric-name", s["MetricName"], "--namespace", s["Namespace"], "--statistic", s["Statistic"],
            "--period", str(s["Period"]), "--evaluation-periods", str(s["EvaluationPeriods"]),
            "--datapoints-to-alarm", str(s["DatapointsToAlarm"]), "--threshold", repr(s["Threshold"]),
            "--comparison-operator", s["ComparisonOperator"], "--treat-missing-data", s["TreatMissingData"],
        ))
        console.append(
            f"CloudWatch console, Alarms, Create alarm, Select metric {s['Namespace']} > {s['MetricName']}: "
            f"Statistic {s['Statistic']}, Period {s['Period']} s; Threshold Static, {s['ComparisonOperator']} "
            f"{s['Threshold']:g}; {s['DatapointsToAlarm']} out of {s['EvaluationPeriods']} datapoints; missing "
            f"data {s['TreatMissingData']}; Notification: In alarm, topic {alert.topic_name}; "
            f"Alarm name {s['AlarmName']}; Create alarm."
        )
    return Stage("alarms", TITLES["alarms"], tuple(console), tuple(commands))


_BUILDERS = {
    "iam": _iam, "sns": _sns, "cloudtrail": _cloudtrail, "logs": _logs,
    "metric_filters": _metric_filters, "alarms": _alarms,
}


def stage(config: LabConfig, key: str) -> Stage:
    """One stage's console steps and CLI commands for `config`; SigninLabError for an unknown stage."""
    if key not in _BUILDERS:
        raise SigninLabError(f"stage {key!r}: not a stage; stages: {', '.join(STAGES)}", field="stage")
    config.validate()
    return _BUILDERS[key](config)


def stages(config: LabConfig | None = None) -> list[Stage]:
    """Every stage, in the order to run them."""
    cfg = config or LabConfig()
    return [stage(cfg, key) for key in STAGES]


def cli(config: LabConfig, key: str) -> str:
    """The AWS CLI commands of one stage, as shell lines: `print(steps.cli(lab.config, "sns"))`."""
    return stage(config, key).cli()


def console(config: LabConfig, key: str) -> str:
    """The console steps of one stage, numbered."""
    return stage(config, key).console_text()


def script(config: LabConfig | None = None) -> str:
    """Every stage's commands as one bash script, a comment line before each stage."""
    lines = ["#!/usr/bin/env bash", "set -euo pipefail"]
    for s in stages(config):
        lines += ["", f"# {s.title}", s.cli()]
    return "\n".join(lines) + "\n"


def frame(config: LabConfig | None = None) -> pd.DataFrame:
    """One row per command: stage, service, operation, command line."""
    import pandas as pd

    rows = [(s.key, c[1], c[2], shlex.join(c)) for s in stages(config) for c in s.commands]
    return pd.DataFrame(rows, columns=["stage", "service", "operation", "command"])
