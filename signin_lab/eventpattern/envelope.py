"""The EventBridge event that carries a CloudTrail record (AWS service events via CloudTrail).

Envelope fields as the "Event structure reference"
(https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html) lists them:
version "0", id, detail-type, source, account, time, region, resources, detail. CloudTrail-delivered
events carry the record as `detail` ("AWS service events delivered via AWS CloudTrail",
https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html), with
source `aws.<service>`: sign-in events come as `aws.signin`
(https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-signin.html).
"""

from __future__ import annotations

import uuid
from typing import Any

from signin_lab.errors import SigninLabError

#: The detail-type seen in real console sign-in events and in the AWS Knowledge Center.
CONSOLE_SIGNIN_DETAIL_TYPE = "AWS Console Sign In via CloudTrail"
#: The spelling of the EventBridge user guide's CloudTrail page (eb-service-event-cloudtrail.html).
CONSOLE_SIGNIN_DETAIL_TYPE_GUIDE = "AWS Console Signin via CloudTrail"
#: "Events that are delivered by CloudTrail have AWS API Call via CloudTrail as the value for
#: detail-type" (eb-events-structure.html).
API_CALL_DETAIL_TYPE = "AWS API Call via CloudTrail"
#: A fixed namespace so that an event's id is a pure function of the record's eventID.
_ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/signin-lab/eventpattern/envelope")


def source_of(event_source: str) -> str:
    """`signin.amazonaws.com` -> `aws.signin`; `iam.amazonaws.com` -> `aws.iam`."""
    return "aws." + event_source.split(".", 1)[0]


def is_console_signin(record: dict[str, Any]) -> bool:
    """A console sign-in record: "For sign-in events, the eventType field is AwsConsoleSignIn"
    (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-non-api-events.html);
    older AWS examples spell it "AwsConsoleSignin" or leave it out on signin.amazonaws.com records."""
    kind = record.get("eventType")
    if isinstance(kind, str):
        return kind.lower() == "awsconsolesignin"
    return record.get("eventSource") == "signin.amazonaws.com"


def envelope(
    record: dict[str, Any],
    *,
    event_id: str | None = None,
    detail_type: str | None = None,
) -> dict[str, Any]:
    """The EventBridge event for one CloudTrail record, as the default bus receives it.

    `id` is a version-5 UUID of the record's eventID unless `event_id` is given (deterministic:
    AWS makes a random version-4 UUID). `detail-type` defaults to "AWS Console Sign In via
    CloudTrail" for console sign-in records (`is_console_signin`), the spelling of real
    events and of the AWS Knowledge Center, and to "AWS API Call via CloudTrail" otherwise. AWS's
    EventBridge user guide spells the sign-in one "AWS Console Signin via CloudTrail"
    (CONSOLE_SIGNIN_DETAIL_TYPE_GUIDE); pass `detail_type=` to choose. A rule that matches on
    `source` and `detail.eventName` does not depend on the spelling.
    Missing eventSource, eventTime or awsRegion -> SigninLabError naming the field.
    """
    if not isinstance(record, dict):
        raise SigninLabError(f"a CloudTrail record is a JSON object, not {type(record).__name__}")
    for field in ("eventSource", "eventTime", "awsRegion"):
        if not isinstance(record.get(field), str):
            where = record.get("eventID", "?")
            raise SigninLabError(f"CloudTrail record {where}: missing {field}, needed for the "
                                 "EventBridge envelope")
    account = record.get("recipientAccountId") or (record.get("userIdentity") or {}).get(
        "accountId")
    if not isinstance(account, str):
        raise SigninLabError(f"CloudTrail record {record.get('eventID', '?')}: no "
                             "recipientAccountId or userIdentity.accountId for the envelope's account")
    if detail_type is None:
        detail_type = (CONSOLE_SIGNIN_DETAIL_TYPE if is_console_signin(record)
                       else API_CALL_DETAIL_TYPE)
    if event_id is None:
        seed = str(record.get("eventID") or f"{record['eventTime']}/{record.get('eventName')}")
        event_id = str(uuid.uuid5(_ID_NAMESPACE, seed))
    return {
        "version": "0",
        "id": event_id,
        "detail-type": detail_type,
        "source": source_of(record["eventSource"]),
        "account": account,
        "time": record["eventTime"],
        "region": record["awsRegion"],
        "resources": [],
        "detail": record,
    }
