"""LabConfig: every name and parameter of the blog's setup, with the blog's defaults, in one object.

The alerts it holds are data (config/alerts.py: Alert, BLOG_ALERTS, CIS_ALERTS, and the one
deliberate change from the blog, "Root"); its email and SMS number are checked by
config/contacts.py. Every name of both is importable from here.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass, field
from typing import Any, get_args

from signin_lab import limits
from signin_lab.config.alerts import (
    BLOG_ALERTS,
    BLOG_ROOT_PATTERN_TEMPLATE,
    CIS_ALERTS,
    CIS_NAMES,
    CIS_PATTERNS,
    CONSOLE_LOGIN,
    IDENTITY_TYPE,
    OUTCOMES,
    PATTERN_TEMPLATE,
    USER_TYPES,
    Alert,
    ComparisonOperator,
    Outcome,
    TreatMissingData,
    UserType,
)
from signin_lab.config.contacts import E164_PATTERN, EMAIL_SHAPE_PATTERN, check_email, check_phone, sms_country
from signin_lab.errors import SigninLabError

__all__ = [
    "BLOG_ALERTS",
    "BLOG_ROOT_PATTERN_TEMPLATE",
    "CIS_ALERTS",
    "CIS_NAMES",
    "CIS_PATTERNS",
    "CONSOLE_LOGIN",
    "E164_PATTERN",
    "EMAIL_SHAPE_PATTERN",
    "IDENTITY_TYPE",
    "OUTCOMES",
    "PATTERN_TEMPLATE",
    "USER_TYPES",
    "Alert",
    "ComparisonOperator",
    "LabConfig",
    "Outcome",
    "TreatMissingData",
    "UserType",
    "alarm_description",
    "check_email",
    "check_phone",
    "regions",
    "sms_country",
]

@functools.cache
def regions() -> frozenset[str]:
    """The commercial Regions, from botocore's own endpoint data (offline, kept up to date).

    Read from botocore's data file without importing botocore, so validating a LabConfig stays
    cheap (the `scan` command builds one). https://docs.aws.amazon.com/general/latest/gr/rande.html
    """
    import importlib.util
    from pathlib import Path

    import orjson

    spec = importlib.util.find_spec("botocore")
    if spec is None or not spec.submodule_search_locations:  # pragma: no cover - boto3 needs it
        raise SigninLabError("botocore is not installed: reinstall signin-lab")
    folder = Path(spec.submodule_search_locations[0]) / "data"
    if (folder / "endpoints.json").exists():
        raw = (folder / "endpoints.json").read_bytes()
    else:  # botocore may one day ship it compressed, as it does its service models
        import gzip

        raw = gzip.decompress((folder / "endpoints.json.gz").read_bytes())
    data = orjson.loads(raw)
    aws = next(p for p in data["partitions"] if p["partition"] == "aws")
    return frozenset(aws["regions"])

# IAM role names: https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html
_ROLE = re.compile(r"[\w+=,.@-]{1,64}")
# SNS topic names: https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html
_TOPIC = re.compile(r"[A-Za-z0-9_-]{1,256}")
# CloudTrail trail names and S3 bucket names: signin_lab.limits (each rule cited there).
# Log group names: https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html
_LOG_GROUP = re.compile(r"[\.\-_/#A-Za-z0-9]{1,512}")
_ACCOUNT = re.compile(r"\d{12}")
#: Metric namespaces: 1-255 characters, not starting with ':'
#: (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html).
_NAMESPACE = re.compile(r"[^:].{0,254}", re.DOTALL)
#: Alarm names are 1-255 characters (API_PutMetricAlarm.html above); metric filter names 1-512
#: without ':' or '*' (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutMetricFilter.html).
_ALARM_NAME_MAX = limits.ALARM_NAME_MAX
_STATISTICS = ("SampleCount", "Average", "Sum", "Minimum", "Maximum")

@dataclass(frozen=True)
class LabConfig:
    """Every name and parameter of the setup. Defaults are the blog's; change any with `replace`.

    `alerts` takes any tuple of `Alert` (default: the blog's four, `BLOG_ALERTS`); reading
    `cfg.alerts` gives them resolved: every field filled from this config, `patterns` and
    `sms_alerts` applied, and the CIS alerts appended when `cis`.
    """

    region: str = "eu-west-1"
    account_id: str = "123456789012"  # moto's default account; real AWS reads its own via STS
    name_prefix: str = "signin-console"
    trail_name: str = "events-management"
    trail_multi_region: bool = True
    trail_log_file_validation: bool = True
    bucket_name: str | None = None  # None: derived from account and region, see `bucket`
    log_group_name: str = "aws-cloudtrail-logs-signin-console"
    log_retention_days: int | None = None  # None: never expire (the CloudWatch Logs default)
    role_name: str = "CloudTrail-CloudWatchLogs-Signin-Console"
    metric_namespace: str = "CloudTrailMetrics"
    metric_value: str = "1"
    default_value: float | None = 0.0
    statistic: str = "Sum"
    period: int = 300
    evaluation_periods: int = 1
    datapoints_to_alarm: int = 1
    threshold: float = 0.0
    comparison_operator: ComparisonOperator = "GreaterThanThreshold"
    treat_missing_data: TreatMissingData = "missing"
    sms_alerts: tuple[str, ...] = ("success-root",)  # _DEFAULT_SMS_ALERTS
    patterns: dict[str, str] = field(default_factory=dict)  # key -> pattern, overrides the alert's
    cis: bool = False
    email: str | None = None
    sms: str | None = None
    alerts: tuple[Alert, ...] = BLOG_ALERTS  # read back resolved; the tuple given is `alert_specs`
    alert_specs: tuple[Alert, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        specs = self.alerts
        if not isinstance(specs, (tuple, list)) or not all(isinstance(a, Alert) for a in specs):
            raise SigninLabError(
                f"LabConfig.alerts={specs!r}: expected a tuple of signin_lab.config.Alert", field="alerts"
            )
        _check_types(self, specs)
        object.__setattr__(self, "alert_specs", tuple(specs))
        object.__setattr__(self, "alerts", self._resolve(tuple(specs)))
        self.validate()

    # -- alerts ---------------------------------------------------------------------------------
    def _resolve(self, specs: tuple[Alert, ...]) -> tuple[Alert, ...]:
        if self.cis:
            have = {a.key for a in specs}
            specs = specs + tuple(a for a in CIS_ALERTS if a.key not in have)
        out = []
        for a in specs:
            out.append(
                Alert(
                    key=a.key,
                    pattern=self.patterns.get(a.key, a.pattern),
                    name=a.name if a.name is not None else f"{self.name_prefix}-{a.key}",
                    namespace=_pick(a.namespace, self.metric_namespace),
                    metric_value=_pick(a.metric_value, self.metric_value),
                    default_value=_pick(a.default_value, self.default_value),
                    threshold=_pick(a.threshold, self.threshold),
                    comparison_operator=_pick(a.comparison_operator, self.comparison_operator),
                    statistic=_pick(a.statistic, self.statistic),
                    period=_pick(a.period, self.period),
                    evaluation_periods=_pick(a.evaluation_periods, self.evaluation_periods),
                    datapoints_to_alarm=_pick(a.datapoints_to_alarm, self.datapoints_to_alarm),
                    treat_missing_data=_pick(a.treat_missing_data, self.treat_missing_data),
                    sms=a.sms if a.sms is not None else a.key in self.sms_alerts,
                    cis_control=a.cis_control,
                )
            )
        return tuple(out)

    def alert(self, key: str) -> Alert:
        """The resolved alert for `key` ("failure-iam", ...) or its name, or a SigninLabError listing the keys."""
        for a in self.alerts:
            if key in (a.key, a.name):
                return a
        raise SigninLabError(
            f"unknown alert {key!r}; known: {', '.join(a.key for a in self.alerts)}", field="alerts"
        )

    # -- derived names ----------------------------------------------------------------------
    @property
    def bucket(self) -> str:
        """The trail's S3 bucket: globally unique, so derived from account and Region."""
        return self.bucket_name or f"{self.name_prefix}-cloudtrail-{self.account_id}-{self.region}"

    @property
    def log_stream_prefix(self) -> str:
        """CloudTrail's log stream name `account_ID_CloudTrail_region`."""
        return f"{self.account_id}_CloudTrail_{self.region}"

    def trail_arn(self) -> str:
        return f"arn:aws:cloudtrail:{self.region}:{self.account_id}:trail/{self.trail_name}"

    def log_group_arn(self) -> str:
        return f"arn:aws:logs:{self.region}:{self.account_id}:log-group:{self.log_group_name}:*"

    def role_arn(self) -> str:
        return f"arn:aws:iam::{self.account_id}:role/{self.role_name}"

    def topic_arn(self, alert: Alert) -> str:
        return f"arn:aws:sns:{self.region}:{self.account_id}:{alert.topic_name}"

    def alarm_arn(self, alert: Alert) -> str:
        return f"arn:aws:cloudwatch:{self.region}:{self.account_id}:alarm:{alert.alarm_name}"

    def replace(self, **overrides: Any) -> LabConfig:
        """A copy with some fields changed; unknown field names are a SigninLabError.

        The alerts keep their own (unresolved) settings, so a config-wide change such as
        `period=60` still reaches every alert that does not set its own.
        """
        names = {f.name for f in dataclasses.fields(self) if f.init}
        unknown = sorted(set(overrides) - names)
        if unknown:
            raise SigninLabError(
                f"unknown LabConfig field(s): {', '.join(unknown)}; known: {', '.join(sorted(names))}",
                field=unknown[0],
            )
        overrides.setdefault("alerts", self.alert_specs)
        return dataclasses.replace(self, **overrides)

    # -- validation: before any call is made --------------------------------------------------
    def validate(self) -> None:  # noqa: C901 - a flat table of AWS's rules, one check per line
        """Raise SigninLabError naming the first value AWS would refuse, and why (`.field` names it)."""

        def bad(name: str, value: object, why: str) -> SigninLabError:
            # `.field` is the LabConfig field: "alerts" for "alerts['x'].period"
            return SigninLabError(f"LabConfig.{name}={value!r}: {why}", field=name.split("[")[0].split(".")[0])

        if self.region not in regions():
            raise bad("region", self.region, "not an AWS commercial Region (e.g. eu-west-1)")
        if not _ACCOUNT.fullmatch(self.account_id):
            raise bad("account_id", self.account_id, "an AWS account id is 12 digits")
        why = limits.trail_name_problem(self.trail_name)
        if why:
            raise bad("trail_name", self.trail_name, why)
        why = limits.bucket_name_problem(self.bucket)
        if why:
            raise bad("bucket_name", self.bucket, why)
        if not _LOG_GROUP.fullmatch(self.log_group_name):
            raise bad("log_group_name", self.log_group_name, "1-512 of letters, digits, '_', '-', '/', '.', '#'")
        if not _ROLE.fullmatch(self.role_name):
            raise bad("role_name", self.role_name, "IAM role names are 1-64 of letters, digits and +=,.@_-")
        _check_alarm_settings(bad, "", self.period, self.evaluation_periods, self.datapoints_to_alarm,
                              self.treat_missing_data, self.comparison_operator, self.statistic)
        why = limits.metric_value_problem(self.metric_value)
        if why:
            raise bad("metric_value", self.metric_value, why)
        for name in ("threshold", "default_value"):
            value = getattr(self, name)
            why = limits.number_problem(value) if value is not None else None
            if why:
                raise bad(name, value, why)
        self._validate_alerts(bad)
        if self.log_retention_days is not None and self.log_retention_days not in _RETENTION:
            raise bad("log_retention_days", self.log_retention_days, f"CloudWatch Logs accepts {sorted(_RETENTION)}")
        if self.email is not None:
            check_email(self.email)
        if self.sms is not None:
            check_phone(self.sms)

    def _validate_alerts(self, bad: Any) -> None:
        keys = [a.key for a in self.alerts]
        if not keys:
            raise bad("alerts", (), "at least one alert")
        for name, values in (("key", keys), ("name", [a.topic_name for a in self.alerts])):
            dupes = sorted({v for v in values if values.count(v) > 1})
            if dupes:
                raise bad("alerts", dupes, f"each alert needs its own {name}")
        for key in sorted(set(self.patterns) - set(keys)):
            raise bad("patterns", key, f"not a configured alert; keys are {', '.join(keys)}")
        # The default ("success-root",) is the blog's choice: it applies when the blog's alert is
        # configured and is no error when a config leaves the blog's alerts out.
        blog_default = self.sms_alerts == _DEFAULT_SMS_ALERTS
        for key in self.sms_alerts:
            if key not in keys and not blog_default:
                raise bad("sms_alerts", key, f"not a configured alert; keys are {', '.join(keys)}")
        for a in self.alerts:
            self._validate_alert(a, bad)

    def _validate_alert(self, a: Alert, bad: Any) -> None:
        """Raise `bad(...)` for the first value of one resolved alert that AWS would refuse."""
        where = f"alerts[{a.key!r}]"
        if not _TOPIC.fullmatch(a.topic_name) or len(a.topic_name) > _ALARM_NAME_MAX:
            why = (
                f"alert name {a.topic_name!r} would be refused (SNS topic names are 1-256 letters, "
                "digits, '-' or '_'; alarm names at most 255 characters)"
            )
            if a.name == f"{self.name_prefix}-{a.key}" and a.key in {
                b.key for b in self.alert_specs if b.name is None
            }:
                raise bad("name_prefix", self.name_prefix, why)
            raise bad(f"{where}.name", a.name, why)
        if a.namespace is None or not _NAMESPACE.fullmatch(a.namespace):
            raise bad(f"{where}.namespace", a.namespace, "1-255 characters, not starting with ':'")
        problem = limits.metric_value_problem(a.metric_value or "")
        if problem:
            raise bad(f"{where}.metric_value", a.metric_value, problem)
        for name in ("threshold", "default_value"):
            value = getattr(a, name)
            problem = limits.number_problem(value) if value is not None else None
            if problem:
                raise bad(f"{where}.{name}", value, problem)
        description = alarm_description(a)
        if len(description) > limits.ALARM_DESCRIPTION_MAX:
            raise bad(f"{where}.pattern", f"<{len(a.pattern)} characters>",
                      f"the alarm's description (which quotes the pattern) would be {len(description)} "
                      f"characters; PutMetricAlarm's AlarmDescription allows {limits.ALARM_DESCRIPTION_MAX}")
        _check_alarm_settings(bad, f"{where}.", a.period, a.evaluation_periods, a.datapoints_to_alarm,
                              a.treat_missing_data, a.comparison_operator, a.statistic)


_DEFAULT_SMS_ALERTS = ("success-root",)


def alarm_description(alert: Alert) -> str:
    """The AlarmDescription the kit gives an alert's alarm (it quotes the filter pattern)."""
    return f"Console sign-in alert {alert.key} (signin-lab): pattern {alert.pattern}"


def _check_types(cfg: LabConfig, specs: Any) -> None:
    """A wrong Python type (patterns="oops", email=[...]) is a SigninLabError naming the field,
    not an AttributeError or TypeError from deep inside the kit."""
    for name, (types, what) in limits.FIELD_TYPES.items():
        value = getattr(cfg, name)
        why = limits.type_problem(value, types, what)
        if why:
            raise SigninLabError(f"LabConfig.{name}={value!r}: {why}", field=name)
    for key, pattern in cfg.patterns.items():
        if not isinstance(key, str) or not isinstance(pattern, str):
            raise SigninLabError(
                f"LabConfig.patterns[{key!r}]={pattern!r}: expected alert key -> filter pattern (strings)",
                field="patterns")
    for key in cfg.sms_alerts:
        if not isinstance(key, str):
            raise SigninLabError(f"LabConfig.sms_alerts: {key!r} is not an alert key (a string)", field="sms_alerts")
    for alert in specs:
        for name, (types, what) in limits.ALERT_TYPES.items():
            value = getattr(alert, name)
            why = limits.type_problem(value, types, what, optional=name not in ("key", "pattern"))
            if why:
                raise SigninLabError(f"LabConfig.alerts[{alert.key!r}].{name}={value!r}: {why}", field="alerts")


def _pick(own: Any, default: Any) -> Any:
    """The alert's own value, or the config-wide one when the alert leaves it as None."""
    return default if own is None else own


def _check_alarm_settings(
    bad: Any, where: str, period: Any, evaluation_periods: Any, datapoints: Any,
    treat_missing: Any, operator: Any, statistic: Any,
) -> None:
    """The alarm settings CloudWatch accepts
    (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html)."""
    if period not in (10, 20, 30) and (period <= 0 or period % 60):
        raise bad(f"{where}period", period, "CloudWatch alarm periods are 10, 20, 30 or a multiple of 60 seconds")
    if evaluation_periods < 1:
        raise bad(f"{where}evaluation_periods", evaluation_periods, "must be at least 1")
    if not 1 <= datapoints <= evaluation_periods:
        raise bad(f"{where}datapoints_to_alarm", datapoints, "must be between 1 and evaluation_periods")
    if period * evaluation_periods > (86400 if period < 3600 else 604800):
        raise bad(
            f"{where}evaluation_periods", evaluation_periods, "Period x EvaluationPeriods exceeds CloudWatch's limit"
        )
    if treat_missing not in get_args(TreatMissingData):
        raise bad(f"{where}treat_missing_data", treat_missing, "one of missing, notBreaching, breaching, ignore")
    if operator not in get_args(ComparisonOperator):
        raise bad(f"{where}comparison_operator", operator, "not a static-threshold ComparisonOperator")
    if statistic not in _STATISTICS:
        raise bad(f"{where}statistic", statistic, "one of SampleCount, Average, Sum, Minimum, Maximum")


# https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html
_RETENTION = frozenset(
    {1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}
)
