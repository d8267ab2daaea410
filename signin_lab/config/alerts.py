"""Alerts as data: Alert, the blog's four (BLOG_ALERTS) and the CIS sign-in controls' (CIS_ALERTS).

The one deliberate change from the blog: CloudTrail writes the root user's identity type as
"Root" (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html)
and filter patterns are case-sensitive
(https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html), so the
blog's `$.userIdentity.type = "root"` never matches; the root patterns here use "Root".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

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


def _unresolved(alert: Alert) -> SigninLabError:
    return SigninLabError(
        f"alert {alert.key!r} has no name yet: read it from LabConfig.alerts, which fills every field",
        field="alerts",
    )


@dataclass(frozen=True)
class Alert:
    """One alert as data: a metric filter with `pattern`, its metric, its alarm and its SNS topic.

    Every optional field left as None is taken from the LabConfig (`LabConfig.alerts` returns the
    alerts resolved so); `name` defaults to f"{name_prefix}-{key}". An alert's own value wins over
    the config-wide one. (So an alert cannot itself ask for "no defaultValue": that is the config's
    `default_value=None`.)
    """

    key: str
    pattern: str
    name: str | None = None
    namespace: str | None = None
    metric_value: str | None = None
    default_value: float | None = None
    threshold: float | None = None
    comparison_operator: ComparisonOperator | None = None
    statistic: str | None = None
    period: int | None = None
    evaluation_periods: int | None = None
    datapoints_to_alarm: int | None = None
    treat_missing_data: TreatMissingData | None = None
    sms: bool | None = None
    cis_control: str | None = None

    @property
    def topic_name(self) -> str:
        if self.name is None:
            raise _unresolved(self)
        return self.name

    @property
    def filter_name(self) -> str:
        return self.topic_name

    @property
    def metric_name(self) -> str:
        return self.topic_name

    @property
    def alarm_name(self) -> str:
        return self.topic_name


#: The blog's four alerts: outcome (failure, success) x user type (iam, root), in that order.
BLOG_ALERTS: tuple[Alert, ...] = tuple(
    Alert(
        key=f"{outcome}-{user_type}",
        pattern=PATTERN_TEMPLATE.format(identity=IDENTITY_TYPE[user_type], result=CONSOLE_LOGIN[outcome]),
    )
    for outcome in OUTCOMES
    for user_type in USER_TYPES
)
#: The CIS sign-in controls' alerts (what `cis=True` adds), as Security Hub's remediation names
#: them: namespace LogMetrics, alarm at >= 1
#: (https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html).
CIS_ALERTS: tuple[Alert, ...] = tuple(
    Alert(
        key=control,
        pattern=pattern,
        name=CIS_NAMES[control],
        namespace="LogMetrics",
        threshold=1.0,
        comparison_operator="GreaterThanOrEqualToThreshold",
        sms=False,
        cis_control=control,
    )
    for control, pattern in CIS_PATTERNS.items()
)
