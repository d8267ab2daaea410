"""Alarm notifications: the SNS message CloudWatch publishes, and what email and SMS subscribers get.

The message is the documented schema of
https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Notify_Users_Alarm_Changes.html
("Schema of Amazon SNS notifications when alarms change state"), shaped like AWS's own example
(aws/aws-lambda-go events/testdata/cloudwatch-alarm-sns-payload-single-metric.json): upper-case
`Statistic`, `StateChangeTime` as `2015-06-03T17:43:27.123+0000`, and the odd `TreatMissingData`
string `"- TreatMissingData:                    missing"`, which is a line of the email text below.

Not documented by AWS, and so observed behaviour rather than an oracle (third-party captures):
the subject `ALARM: "<name>" in <Region long name>`, the Region's long name in `Region`, the plain
text of the email, and the SMS text (the subject line). The email ends with SNS's unsubscribe
footer (https://docs.aws.amazon.com/sns/latest/dg/sns-email-notifications.html).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import quote

from signin_lab.arns import is_arn

if TYPE_CHECKING:  # pragma: no cover
    from signin_lab.emulator.replay import Transition

Protocol = Literal["email", "email-json", "sms"]
#: The protocols whose deliveries the inbox collects (people, not programs, read these).
INBOX_PROTOCOLS: tuple[str, ...] = ("email", "email-json", "sms")
#: SNS: "Subject ... must be less than 100 characters long."
#: https://docs.aws.amazon.com/sns/latest/api/API_Publish.html
MAX_SUBJECT = 99

#: Where notifications print a different (older) name than botocore's Region description:
#: botocore's endpoints data now says "Europe (Ireland)", while alarm notifications captured by
#: third parties print the Region as "EU (Ireland)"-style names (captures in
#: ../shared/reference/aws_semantics.md, "Email subject line": "EU - Ireland" in 2017, "Asia
#: Pacific (Tokyo)" in 2021). AWS documents no notification layout, so the kit keeps the older
#: "EU (...)" form the module has always used for Europe, and botocore's names everywhere else.
_NOTIFICATION_PREFIXES: dict[str, str] = {"Europe (": "EU ("}


@cache
def _botocore_region_names() -> dict[str, str]:
    """Region code -> description, from botocore's endpoints data (every partition)."""
    from botocore.loaders import create_loader

    data = create_loader().load_data("endpoints")
    return {
        code: str(info["description"])
        for partition in data["partitions"]
        for code, info in partition["regions"].items()
        if info.get("description")
    }


def _notification_name(description: str) -> str:
    for new, old in _NOTIFICATION_PREFIXES.items():
        if description.startswith(new):
            return old + description[len(new) :]
    return description


def region_names() -> dict[str, str]:
    """Region code -> the long name alarm notifications print, for every Region botocore knows."""
    return {code: _notification_name(name) for code, name in _botocore_region_names().items()}


@dataclass(frozen=True)
class InboxMessage:
    """What one subscription received: topic ARN, protocol, endpoint, subject, body, time."""

    topic: str
    protocol: str
    endpoint: str
    subject: str | None
    body: str
    time: datetime


def region_name(region: str) -> str:
    """The Region's long name as notifications print it (botocore's name, Europe as "EU (...)");
    the code itself when botocore does not know the Region."""
    return region_names().get(region, region)


def subject(state: str, alarm_name: str, region: str) -> str:
    """The email subject, `ALARM: "<name>" in EU (Ireland)`, cut to SNS's subject limit."""
    return f'{state}: "{alarm_name}" in {region_name(region)}'[:MAX_SUBJECT]


def state_change_time(time: datetime) -> str:
    """`2015-06-03T17:43:27.123+0000`, the format of the example's StateChangeTime."""
    return f"{time:%Y-%m-%dT%H:%M:%S}.{time.microsecond // 1000:03d}+0000"


def _iso(value: Any) -> str | None:
    if isinstance(value, datetime):
        return state_change_time(value)
    return None if value is None else str(value)


def change_message(alarm: Mapping[str, Any], change: Transition, account_id: str, region: str) -> dict[str, Any]:
    """`alarm_message` for one state change of an alarm's timeline (the first change of a new
    alarm comes from INSUFFICIENT_DATA, its initial state)."""
    return alarm_message(
        alarm,
        old_state=change.old_state or "INSUFFICIENT_DATA",
        new_state=change.state,
        reason=change.reason,
        time=change.time,
        account_id=account_id,
        region=region,
    )


def alarm_message(
    alarm: Mapping[str, Any],
    *,
    old_state: str,
    new_state: str,
    reason: str,
    time: datetime,
    account_id: str,
    region: str,
) -> dict[str, Any]:
    """The JSON CloudWatch publishes to SNS for a state change of `alarm` (a DescribeAlarms entry)."""
    treat = alarm.get("TreatMissingData") or "missing"
    return {
        "AlarmName": alarm["AlarmName"],
        "AlarmDescription": alarm.get("AlarmDescription"),
        "AWSAccountId": account_id,
        "AlarmConfigurationUpdatedTimestamp": _iso(alarm.get("AlarmConfigurationUpdatedTimestamp")),
        "NewStateValue": new_state,
        "NewStateReason": reason,
        "StateChangeTime": state_change_time(time),
        "Region": region_name(region),
        "AlarmArn": alarm.get("AlarmArn")
        or f"arn:aws:cloudwatch:{region}:{account_id}:alarm:{alarm['AlarmName']}",
        "OldStateValue": old_state,
        "OKActions": list(alarm.get("OKActions") or []),
        "AlarmActions": list(alarm.get("AlarmActions") or []),
        "InsufficientDataActions": list(alarm.get("InsufficientDataActions") or []),
        "Trigger": {
            "MetricName": alarm.get("MetricName"),
            "Namespace": alarm.get("Namespace"),
            "StatisticType": "Statistic",
            "Statistic": str(alarm.get("Statistic", "")).upper(),
            "Unit": alarm.get("Unit"),
            "Dimensions": [
                {"value": d["Value"], "name": d["Name"]} for d in alarm.get("Dimensions") or []
            ],
            "Period": alarm.get("Period"),
            "EvaluationPeriods": alarm.get("EvaluationPeriods"),
            "DatapointsToAlarm": alarm.get("DatapointsToAlarm") or alarm.get("EvaluationPeriods"),
            "ComparisonOperator": alarm.get("ComparisonOperator"),
            "Threshold": float(alarm.get("Threshold", 0.0)),
            "TreatMissingData": f"- TreatMissingData:                    {treat}",
            "EvaluateLowSampleCountPercentile": alarm.get("EvaluateLowSampleCountPercentile") or "",
        },
    }


def _long_time(time: datetime) -> str:
    return f"{time:%A %d %B, %Y %H:%M:%S} UTC"


def _actions(arns: Sequence[str]) -> str:
    return f"[{', '.join(arns)}]" if arns else ""


def email_text(message: Mapping[str, Any], region: str, time: datetime) -> str:
    """The plain-text email an `email` subscription receives (observed layout, not documented)."""
    t = message["Trigger"]
    name = message["AlarmName"]
    when = _long_time(time)
    link = (
        f"https://{region}.console.aws.amazon.com/cloudwatch/deeplink.js?region={region}"
        f"#alarmsV2:alarm/{quote(name, safe='')}"
    )
    dims = ", ".join(f"[{d['name']} = {d['value']}]" for d in t["Dimensions"])
    lines = [
        (
            f'You are receiving this email because your Amazon CloudWatch Alarm "{name}" in the '
            f"{message['Region']} region has entered the {message['NewStateValue']} state, because "
            f'"{message["NewStateReason"]}" at "{when}".'
        ),
        "",
        "View this alarm in the AWS Management Console:",
        link,
        "",
        "Alarm Details:",
        f"- Name:                       {name}",
        f"- Description:                {message.get('AlarmDescription') or ''}",
        f"- State Change:               {message['OldStateValue']} -> {message['NewStateValue']}",
        f"- Reason for State Change:    {message['NewStateReason']}",
        f"- Timestamp:                  {when}",
        f"- AWS Account:                {message['AWSAccountId']}",
        f"- Alarm Arn:                  {message['AlarmArn']}",
        "",
        "Threshold:",
        (
            f"- The alarm is in the ALARM state when the metric is {t['ComparisonOperator']} "
            f"{t['Threshold']} for at least {t['DatapointsToAlarm']} of the last "
            f"{t['EvaluationPeriods']} period(s) of {t['Period']} seconds."
        ),
        "",
        "Monitored Metric:",
        f"- MetricNamespace:                     {t['Namespace']}",
        f"- MetricName:                          {t['MetricName']}",
        f"- Dimensions:                          {dims}",
        f"- Period:                              {t['Period']} seconds",
        f"- Statistic:                           {t['Statistic'].capitalize()}",
        f"- Unit:                                {t['Unit'] or 'not specified'}",
        t["TreatMissingData"],
        "",
        "",
        "State Change Actions:",
        f"- OK: {_actions(message['OKActions'])}",
        f"- ALARM: {_actions(message['AlarmActions'])}",
        f"- INSUFFICIENT_DATA: {_actions(message['InsufficientDataActions'])}",
    ]
    return "\n".join(lines)


def _footer(subscription_arn: str, region: str) -> str:
    return (
        "\n\n--\nIf you wish to stop receiving notifications from this topic, please click or "
        "visit the link below to unsubscribe:\n"
        f"https://sns.{region}.amazonaws.com/unsubscribe.html?SubscriptionArn={subscription_arn}"
        "\n\nPlease do not reply directly to this email. If you have any questions or comments "
        "regarding this email, please contact us at https://aws.amazon.com/support"
    )


def sms_text(message: Mapping[str, Any]) -> str:
    """The SMS text: the subject line (observed; AWS documents no SMS layout for alarms)."""
    return subject(message["NewStateValue"], message["AlarmName"], _code(message["Region"]))


def _code(long_name: str) -> str:
    for code, name in region_names().items():
        if name == long_name:
            return code
    return long_name


def deliveries(
    topic_arn: str,
    subscriptions: Sequence[Mapping[str, Any]],
    message: Mapping[str, Any],
    time: datetime,
    region: str,
) -> list[InboxMessage]:
    """What each confirmed email, email-json and SMS subscription of the topic receives.

    A subscription still "PendingConfirmation" receives nothing, as on AWS
    (https://docs.aws.amazon.com/sns/latest/dg/SendMessageToHttp.confirm.html).
    """
    subj = subject(message["NewStateValue"], message["AlarmName"], region)
    raw = json.dumps(message, separators=(",", ":"))
    out = []
    for sub in subscriptions:
        protocol = sub.get("Protocol", "")
        arn = sub.get("SubscriptionArn", "")
        if protocol not in INBOX_PROTOCOLS or not is_arn(arn):
            continue
        if protocol == "email":
            body = email_text(message, region, time) + _footer(arn, region)
            out.append(InboxMessage(topic_arn, protocol, sub["Endpoint"], subj, body, time))
        elif protocol == "email-json":
            envelope = {
                "Type": "Notification",
                "TopicArn": topic_arn,
                "Subject": subj,
                "Message": raw,
                "Timestamp": f"{time:%Y-%m-%dT%H:%M:%S}.{time.microsecond // 1000:03d}Z",
                "UnsubscribeURL": f"https://sns.{region}.amazonaws.com/?Action=Unsubscribe"
                f"&SubscriptionArn={arn}",
            }
            out.append(
                InboxMessage(topic_arn, protocol, sub["Endpoint"], subj, json.dumps(envelope), time)
            )
        else:
            out.append(
                InboxMessage(topic_arn, protocol, sub["Endpoint"], None, sms_text(message), time)
            )
    return out
