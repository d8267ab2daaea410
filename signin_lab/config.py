"""LabConfig: every name and parameter of the blog's setup, with the blog's defaults, in one object.

The one deliberate change from the blog: CloudTrail writes the root user's identity type as
"Root" (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html)
and filter patterns are case-sensitive
(https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html), so the
blog's `$.userIdentity.type = "root"` never matches; the root patterns here use "Root".
"""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from signin_lab.errors import SigninLabError

Outcome = Literal["failure", "success"]
UserType = Literal["iam", "root"]
TreatMissingData = Literal["missing", "notBreaching", "breaching", "ignore"]
ComparisonOperator = Literal[
    "GreaterThanOrEqualToThreshold",
    "GreaterThanThreshold",
    "LessThanThreshold",
    "LessThanOrEqualToThreshold",
]

OUTCOMES: tuple[Outcome, ...] = ("failure", "success")
USER_TYPES: tuple[UserType, ...] = ("iam", "root")

#: CloudTrail's `userIdentity.type` for each of the kit's user types.
IDENTITY_TYPE: dict[str, str] = {"iam": "IAMUser", "root": "Root"}
#: CloudTrail's `responseElements.ConsoleLogin` for each outcome.
CONSOLE_LOGIN: dict[str, str] = {"failure": "Failure", "success": "Success"}

#: The blog's pattern shape, with CloudTrail's own identity type.
PATTERN_TEMPLATE = (
    '{{ ($.eventName = "ConsoleLogin") && ($.userIdentity.type = "{identity}") '
    '&& ($.responseElements.ConsoleLogin = "{result}") }}'
)
#: The blog's root pattern as published, kept so the notebooks can show it failing.
BLOG_ROOT_PATTERN_TEMPLATE = (
    '{{ ($.eventName = "ConsoleLogin") && ($.userIdentity.type = "root") '
    '&& ($.responseElements.ConsoleLogin = "{result}") }}'
)

#: The CIS sign-in controls' exact patterns, as Security Hub requires them
#: (https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html).
CIS_PATTERNS: dict[str, str] = {
    "CloudWatch.1": (
        '{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS '
        '&& $.eventType !="AwsServiceEvent"}'
    ),
    "CloudWatch.3": (
        '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") '
        '&& ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }'
    ),
    "CloudWatch.6": '{($.eventName=ConsoleLogin) && ($.errorMessage="Failed authentication")}',
}
CIS_NAMES: dict[str, str] = {
    "CloudWatch.1": "cis-root-account-usage",
    "CloudWatch.3": "cis-console-signin-without-mfa",
    "CloudWatch.6": "cis-console-authentication-failures",
}



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

_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")
_E164 = re.compile(r"^\+[1-9]\d{1,14}$")
# IAM role names: https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html
_ROLE = re.compile(r"^[\w+=,.@-]{1,64}$")
# SNS topic names: https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html
_TOPIC = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
# CloudTrail trail names: https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html
_TRAIL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,126}[A-Za-z0-9]$")
# Log group names: https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html
_LOG_GROUP = re.compile(r"^[\.\-_/#A-Za-z0-9]{1,512}$")
# S3 bucket names: https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_ACCOUNT = re.compile(r"^\d{12}$")


@dataclass(frozen=True)
class Alert:
    """One of the blog's alerts: a metric filter, its metric, its alarm and its SNS topic."""

    key: str  # "failure-iam", or the CIS control id for CIS alerts
    name: str  # topic, filter, metric and alarm name
    pattern: str
    namespace: str
    threshold: float
    comparison_operator: str
    sms: bool = False
    cis_control: str | None = None

    @property
    def topic_name(self) -> str:
        return self.name

    @property
    def filter_name(self) -> str:
        return self.name

    @property
    def metric_name(self) -> str:
        return self.name

    @property
    def alarm_name(self) -> str:
        return self.name


@dataclass(frozen=True)
class LabConfig:
    """Every name and parameter of the setup. Defaults are the blog's; change any with `replace`."""

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
    sms_alerts: tuple[str, ...] = ("success-root",)
    patterns: dict[str, str] = field(default_factory=dict)  # key -> pattern, overrides the defaults
    cis: bool = False
    email: str | None = None
    sms: str | None = None

    def __post_init__(self) -> None:
        self.validate()

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

    @property
    def alerts(self) -> tuple[Alert, ...]:
        """The four blog alerts (failure/success x iam/root), then the CIS ones when `cis`."""
        out = []
        for outcome in OUTCOMES:
            for user_type in USER_TYPES:
                key = f"{outcome}-{user_type}"
                default = PATTERN_TEMPLATE.format(
                    identity=IDENTITY_TYPE[user_type], result=CONSOLE_LOGIN[outcome]
                )
                out.append(
                    Alert(
                        key=key,
                        name=f"{self.name_prefix}-{key}",
                        pattern=self.patterns.get(key, default),
                        namespace=self.metric_namespace,
                        threshold=self.threshold,
                        comparison_operator=self.comparison_operator,
                        sms=key in self.sms_alerts,
                    )
                )
        if self.cis:
            for control, pattern in CIS_PATTERNS.items():
                out.append(
                    Alert(
                        key=control,
                        name=CIS_NAMES[control],
                        pattern=pattern,
                        namespace="LogMetrics",
                        threshold=1.0,
                        comparison_operator="GreaterThanOrEqualToThreshold",
                        cis_control=control,
                    )
                )
        return tuple(out)

    def alert(self, key: str) -> Alert:
        """The alert for `key` ("failure-iam", ...), or a SigninLabError listing the keys."""
        for a in self.alerts:
            if a.key == key or a.name == key:
                return a
        raise SigninLabError(
            f"unknown alert {key!r}; known: {', '.join(a.key for a in self.alerts)}"
        )

    def replace(self, **overrides: Any) -> LabConfig:
        """A copy with some fields changed; unknown field names are a SigninLabError."""
        names = {f.name for f in dataclasses.fields(self)}
        unknown = sorted(set(overrides) - names)
        if unknown:
            raise SigninLabError(
                f"unknown LabConfig field(s): {', '.join(unknown)}; known: {', '.join(sorted(names))}"
            )
        return dataclasses.replace(self, **overrides)

    # -- validation: before any call is made --------------------------------------------------
    def validate(self) -> None:
        """Raise SigninLabError naming the first value AWS would refuse, and why."""

        def bad(name: str, value: object, why: str) -> SigninLabError:
            return SigninLabError(f"LabConfig.{name}={value!r}: {why}")

        if self.region not in regions():
            raise bad("region", self.region, "not an AWS commercial Region (e.g. eu-west-1)")
        if not _ACCOUNT.match(self.account_id):
            raise bad("account_id", self.account_id, "an AWS account id is 12 digits")
        if not _TRAIL.match(self.trail_name):
            raise bad("trail_name", self.trail_name, "3-128 letters, digits, '.', '_' or '-', starting and ending with a letter or digit")
        if not _BUCKET.match(self.bucket) or ".." in self.bucket:
            raise bad("bucket_name", self.bucket, "S3 bucket names are 3-63 lowercase letters, digits, '.' or '-'")
        if not _LOG_GROUP.match(self.log_group_name):
            raise bad("log_group_name", self.log_group_name, "1-512 of letters, digits, '_', '-', '/', '.', '#'")
        if not _ROLE.match(self.role_name):
            raise bad("role_name", self.role_name, "IAM role names are 1-64 of letters, digits and +=,.@_-")
        for a in self.alerts:
            if not _TOPIC.match(a.name):
                raise bad("name_prefix", self.name_prefix, f"topic name {a.name!r} would be refused by SNS")
        if self.period not in (10, 20, 30) and (self.period <= 0 or self.period % 60):
            raise bad("period", self.period, "CloudWatch alarm periods are 10, 20, 30 or a multiple of 60 seconds")
        if self.evaluation_periods < 1:
            raise bad("evaluation_periods", self.evaluation_periods, "must be at least 1")
        if not 1 <= self.datapoints_to_alarm <= self.evaluation_periods:
            raise bad("datapoints_to_alarm", self.datapoints_to_alarm, "must be between 1 and evaluation_periods")
        if self.period * self.evaluation_periods > (86400 if self.period < 3600 else 604800):
            raise bad("evaluation_periods", self.evaluation_periods, "Period x EvaluationPeriods exceeds CloudWatch's limit")
        if self.treat_missing_data not in get_args(TreatMissingData):
            raise bad("treat_missing_data", self.treat_missing_data, "one of missing, notBreaching, breaching, ignore")
        if self.comparison_operator not in get_args(ComparisonOperator):
            raise bad("comparison_operator", self.comparison_operator, "not a static-threshold ComparisonOperator")
        if self.statistic not in ("SampleCount", "Average", "Sum", "Minimum", "Maximum"):
            raise bad("statistic", self.statistic, "one of SampleCount, Average, Sum, Minimum, Maximum")
        unknown = sorted(set(self.patterns) - {f"{o}-{u}" for o in OUTCOMES for u in USER_TYPES})
        if unknown:
            raise bad("patterns", unknown, "keys are failure-iam, failure-root, success-iam, success-root")
        for key in self.sms_alerts:
            if key not in {f"{o}-{u}" for o in OUTCOMES for u in USER_TYPES}:
                raise bad("sms_alerts", key, "keys are failure-iam, failure-root, success-iam, success-root")
        if self.log_retention_days is not None and self.log_retention_days not in _RETENTION:
            raise bad("log_retention_days", self.log_retention_days, f"CloudWatch Logs accepts {sorted(_RETENTION)}")
        if self.email is not None and not _EMAIL.match(self.email):
            raise bad("email", self.email, "not an email address")
        if self.sms is not None and not _E164.match(self.sms):
            raise bad("sms", self.sms, "not an E.164 phone number (+ country code and number, e.g. +447700900123)")
        if len(self.metric_value) > 100 or not self.metric_value:
            raise bad("metric_value", self.metric_value, "1-100 characters: a number or $.field / $field")


# https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html
_RETENTION = frozenset(
    {1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}
)
