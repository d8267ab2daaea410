"""The one palette of every chart in the kit: alarm states, outcomes (by user type), services.

Alarm states follow the CloudWatch console: "the alarm turns gray when it's in the
INSUFFICIENT_DATA state and red when it's in the ALARM state"
(https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html); OK is
drawn green, as the console's alarm timeline does. Sign-in outcomes: failures warm, successes
cool, the root user darker than IAM users. Services: one fixed colour each, so every cost chart
of the course reads the same way.
"""

from __future__ import annotations

from collections.abc import Mapping

#: Alarm state -> colour (CloudWatch console: OK green, ALARM red, INSUFFICIENT_DATA grey).
STATE_COLORS: Mapping[str, str] = {
    "OK": "#2ca02c",
    "ALARM": "#d62728",
    "INSUFFICIENT_DATA": "#9e9e9e",
}
#: Sign-in outcome (responseElements.ConsoleLogin) -> colour.
OUTCOME_COLOURS: Mapping[str, str] = {"Failure": "#d6604d", "Success": "#4393c3"}
#: (outcome, user type) -> colour: the outcome's hue, darker for the root user.
SERIES_COLOURS: Mapping[tuple[str, str], str] = {
    ("Failure", "Root"): "#b2182b",
    ("Failure", "IAMUser"): "#ef8a62",
    ("Success", "Root"): "#2166ac",
    ("Success", "IAMUser"): "#67a9cf",
}
#: AWS service (as costs.model names them) -> colour.
SERVICE_COLOURS: Mapping[str, str] = {
    "CloudTrail": "#4c72b0",
    "CloudWatch": "#dd8452",
    "S3": "#55a868",
    "SNS": "#c44e52",
    "EventBridge": "#8172b3",
}
#: Anything the palette does not name (an unknown outcome or state).
OTHER = "#999999"
#: Thresholds drawn over the datapoints: the ALARM colour.
THRESHOLD = STATE_COLORS["ALARM"]
#: Secondary text on a chart (e.g. "no datapoints").
MUTED_TEXT = "#555555"

__all__ = [
    "MUTED_TEXT",
    "OTHER",
    "OUTCOME_COLOURS",
    "SERIES_COLOURS",
    "SERVICE_COLOURS",
    "STATE_COLORS",
    "THRESHOLD",
]
