"""Ordinary CloudTrail traffic around the sign-ins: service calls every hour, people in working hours."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from signin_lab.config import IDENTITY_TYPE
from signin_lab.events.samples._common import (
    _TLS,
    ACCOUNT_ID,
    CLI_AGENT,
    HOME_REGION,
    Record,
    _principal_id,
    _sorted,
    _ts,
    _utc,
    _uuid,
)

# -- ordinary CloudTrail traffic --------------------------------------------------------------


def _user_identity(kind: str, account_id: str, when: datetime, actor: str) -> tuple[Record, Record]:
    """(userIdentity, extra top-level fields) for a console user, a CI role or an AWS service."""
    if kind == "service":
        return {"type": "AWSService", "invokedBy": actor}, {}
    if kind == "root":
        return (
            {
                "type": IDENTITY_TYPE["root"],
                "principalId": account_id,
                "arn": f"arn:aws:iam::{account_id}:root",
                "accountId": account_id,
                "accessKeyId": _principal_id("ASIA", account_id, "root", _ts(when))[:20],
                "sessionContext": {
                    "sessionIssuer": {},
                    "webIdFederationData": {},
                    "attributes": {
                        "creationDate": _ts(when.replace(minute=0, second=0)),
                        "mfaAuthenticated": "false",
                    },
                },
            },
            {"sessionCredentialFromConsole": "true"},
        )
    if kind == "user":
        return (
            {
                "type": IDENTITY_TYPE["iam"],
                "principalId": _principal_id("AIDA", account_id, actor),
                "arn": f"arn:aws:iam::{account_id}:user/{actor}",
                "accountId": account_id,
                "accessKeyId": _principal_id("ASIA", account_id, actor, when.date())[:20],
                "userName": actor,
                "sessionContext": {
                    "sessionIssuer": {},
                    "webIdFederationData": {},
                    "attributes": {
                        "creationDate": _ts(when.replace(hour=8, minute=31, second=7)),
                        "mfaAuthenticated": "true",
                    },
                },
            },
            {"sessionCredentialFromConsole": "true"},
        )
    role, session = actor.split("/", 1)
    return (
        _assumed_role_identity(
            account_id,
            role,
            session,
            access_key=_principal_id("ASIA", account_id, actor, when.date())[:20],
            created=_ts(when.replace(minute=0, second=0)),
        ),
        {},
    )


def _assumed_role_identity(
    account_id: str, role: str, session: str, *, access_key: str, created: str
) -> dict[str, Any]:
    """A `userIdentity` of type AssumedRole, shaped like AWS's examples (no MFA on the session)."""
    role_id = _principal_id("AROA", account_id, role)
    return {
        "type": "AssumedRole",
        "principalId": f"{role_id}:{session}",
        "arn": f"arn:aws:sts::{account_id}:assumed-role/{role}/{session}",
        "accountId": account_id,
        "accessKeyId": access_key,
        "sessionContext": {
            "sessionIssuer": {
                "type": "Role",
                "principalId": role_id,
                "arn": f"arn:aws:iam::{account_id}:role/{role}",
                "accountId": account_id,
                "userName": role,
            },
            "webIdFederationData": {},
            "attributes": {"creationDate": created, "mfaAuthenticated": "false"},
        },
    }


# (weight, who, actor, eventSource, eventName, readOnly, region or None for home, request)
_Template = tuple[int, str, str, str, str, bool, str | None, dict[str, Any] | None]
_SERVICE: tuple[_Template, ...] = (
    (6, "service", "cloudtrail.amazonaws.com", "s3.amazonaws.com", "GetBucketAcl", True, None,
     {"bucketName": "signin-console-cloudtrail-{account}-eu-west-1", "acl": ""}),
    (3, "service", "lambda.amazonaws.com", "sts.amazonaws.com", "AssumeRole", False, None,
     {"roleArn": "arn:aws:iam::{account}:role/signin-lab-reporter",
      "roleSessionName": "signin-lab-reporter"}),
    (2, "service", "config.amazonaws.com", "kms.amazonaws.com", "Decrypt", True, None,
     {"encryptionAlgorithm": "SYMMETRIC_DEFAULT"}),
    (1, "service", "monitoring.amazonaws.com", "sns.amazonaws.com", "ListSubscriptionsByTopic",
     True, None, {"topicArn": "arn:aws:sns:eu-west-1:{account}:signin-console-success-root"}),
)
_HUMAN: tuple[_Template, ...] = (
    (5, "user", "alice", "ec2.amazonaws.com", "DescribeInstances", True, None,
     {"instancesSet": {}, "filterSet": {}}),
    (4, "user", "alice", "monitoring.amazonaws.com", "DescribeAlarms", True, None,
     {"maxRecords": 100}),
    (3, "user", "alice", "logs.amazonaws.com", "DescribeLogGroups", True, None, {"limit": 50}),
    (2, "user", "alice", "s3.amazonaws.com", "ListBuckets", True, "us-east-1", None),
    (2, "user", "alice", "iam.amazonaws.com", "ListUsers", True, "us-east-1", {"maxItems": 1000}),
    (1, "user", "alice", "cloudtrail.amazonaws.com", "LookupEvents", True, None,
     {"maxResults": 50, "lookupAttributes": [{"attributeKey": "ReadOnly",
                                              "attributeValue": "false"}]}),
    (3, "role", "deploy/github-actions", "cloudformation.amazonaws.com", "DescribeStacks", True,
     None, {"stackName": "signin-lab"}),
    (1, "role", "deploy/github-actions", "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
     False, None, {"functionName": "signin-lab-reporter", "publish": True}),
)


def _fill(value: Any, account_id: str) -> Any:
    if isinstance(value, str):
        return value.replace("{account}", account_id)
    if isinstance(value, dict):
        return {k: _fill(v, account_id) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, account_id) for v in value]
    return value


def _api_call(
    rng: random.Random, when: datetime, template: _Template, account_id: str, home: str,
    source_ip: str = "192.0.2.10",
) -> Record:
    """One management-event record of an API call, shaped like CloudTrail's AwsApiCall events."""
    _, who, actor, source, name, read_only, region, request = template
    identity, extra = _user_identity(who, account_id, when, actor)
    if who == "service":
        ip, agent = actor, actor
    elif who in ("user", "root"):
        ip, agent = source_ip, "AWS Internal"
    else:
        ip, agent = "198.51.100.7", CLI_AGENT
    record: Record = {
        "eventVersion": "1.09" if who != "service" else "1.08",
        "userIdentity": identity,
        "eventTime": _ts(when),
        "eventSource": source,
        "eventName": name,
        "awsRegion": region or home,
        "sourceIPAddress": ip,
        "userAgent": agent,
        "requestParameters": _fill(request, account_id),
        "responseElements": None,
        "requestID": _uuid(rng),
        "eventID": _uuid(rng),
        "readOnly": read_only,
        "eventType": "AwsApiCall",
        "managementEvent": True,
        "recipientAccountId": account_id,
    }
    if who == "service":
        record["sharedEventID"] = _uuid(rng)
    record["eventCategory"] = "Management"
    if who != "service":
        host = source.replace(".amazonaws.com", f".{region or home}.amazonaws.com")
        record["tlsDetails"] = {**_TLS, "clientProvidedHostHeader": host}
    record.update(extra)
    return record


def _pick(rng: random.Random, templates: tuple[_Template, ...]) -> _Template:
    return rng.choices(templates, weights=[t[0] for t in templates])[0]


def ordinary_traffic(
    start: datetime,
    end: datetime,
    *,
    seed: int = 0,
    service_per_hour: tuple[int, int] = (2, 6),
    human_per_hour: tuple[int, int] = (10, 30),
    account_id: str = ACCOUNT_ID,
    home_region: str = HOME_REGION,
    working_hours: tuple[int, int] = (8, 18),
) -> list[Record]:
    """Everyday management events between `start` and `end`, sorted by eventTime.

    AWS services call around the clock (S3 GetBucketAcl from CloudTrail, STS AssumeRole for a
    Lambda function, ...); on weekdays in working hours (UTC) a console user and a CI role add
    their calls. Rates are drawn per hour, uniformly between the given bounds.
    """
    rng = random.Random(seed)
    start, end = _utc(start, "start"), _utc(end, "end")
    out: list[Record] = []
    hour = start.replace(minute=0, second=0, microsecond=0)
    while hour < end:
        busy = hour.weekday() < 5 and working_hours[0] <= hour.hour < working_hours[1]
        counts = [(rng.randint(*service_per_hour), _SERVICE)]
        if busy:
            counts.append((rng.randint(*human_per_hour), _HUMAN))
        for count, templates in counts:
            for _ in range(count):
                when = hour + timedelta(seconds=rng.randrange(3600))
                if start <= when < end:
                    out.append(_api_call(rng, when, _pick(rng, templates), account_id, home_region))
        hour += timedelta(hours=1)
    return _sorted(out)
