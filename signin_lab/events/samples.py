"""Deterministic CloudTrail scenarios shaped like AWS's documented records, and the sample files.

Every record here is synthetic. Shapes follow AWS's examples:
- sign-in events: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-aws-console-sign-in-events.html
  (copied in signin_lab/data/console_login_examples.json, see `aws_example_entries`);
- the wrong-user-name failure: https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-integration.html
- API calls and userIdentity: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html
- which Region a sign-in is recorded in (root: us-east-1; IAM users through the global endpoint
  with an account-alias cookie: us-east-2, eu-north-1 or ap-southeast-2; without it: us-east-1;
  a Regional endpoint: its Region): the sign-in events page above.
- S3 delivery layout and file names: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/get-and-view-cloudtrail-log-files.html

Same arguments, same records: times come from the arguments, randomness from `random.Random(seed)`,
ids from hashes. `write_samples` writes byte-for-byte identical files on every run (gzip mtime 0).
"""

from __future__ import annotations

import gzip
import hashlib
import random
import re
import string
import uuid
from collections.abc import Callable, Iterable
from copy import deepcopy
from datetime import UTC, datetime, timedelta
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import orjson

from signin_lab.config import CONSOLE_LOGIN, IDENTITY_TYPE, OUTCOMES, USER_TYPES, Outcome, UserType
from signin_lab.errors import SigninLabError

Record = dict[str, Any]

ACCOUNT_ID = "123456789012"
HOME_REGION = "eu-west-1"
#: The blog's test hour starts here (a Monday morning, UTC).
BLOG_START = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
#: Regions an IAM user's sign-in through the global endpoint with an alias cookie is recorded in.
GLOBAL_SIGNIN_REGIONS = ("us-east-2", "eu-north-1", "ap-southeast-2")

BROWSERS = (
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/133.0.0.0 Safari/537.36"
    ),
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/18.3 Safari/605.1.15"
    ),
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:135.0) Gecko/20100101 Firefox/135.0",
    (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/133.0.0.0 Safari/537.36"
    ),
)
CLI_AGENT = (
    "aws-cli/2.24.10 md/awscrt#0.23.8 ua/2.0 os/linux#6.8.0 md/arch#x86_64 lang/python#3.12.9 "
    "md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe"
)
_TLS = {"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256"}


# -- small deterministic helpers ------------------------------------------------------------------


def _ts(when: datetime) -> str:
    """CloudTrail's eventTime: ISO 8601 in UTC to the second, e.g. 2023-07-19T21:44:40Z."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _utc(when: datetime, what: str = "time") -> datetime:
    if when.tzinfo is None:
        raise SigninLabError(f"{what}={when!r}: pass a timezone-aware datetime (e.g. tzinfo=UTC)")
    return when.astimezone(UTC)


def _digest(*parts: object) -> bytes:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode()).digest()


def _event_id(*parts: object) -> str:
    """A version-4-shaped UUID derived from `parts`, so ids are unique yet reproducible."""
    return str(uuid.UUID(bytes=_digest(*parts)[:16], version=4))


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


_ID_ALPHABET = string.ascii_uppercase + "234567"


def _principal_id(prefix: str, *parts: object) -> str:
    """An IAM unique id: a 4-letter prefix (AIDA user, AROA role, ASIA temporary key) + 17 chars."""
    raw = _digest(prefix, *parts)
    return prefix + "".join(_ID_ALPHABET[b % 32] for b in raw[:17])


def _hex(*parts: object, n: int = 16) -> str:
    return _digest(*parts).hex()[:n]


def _check_account(account_id: str) -> None:
    if not re.fullmatch(r"\d{12}", account_id):
        raise SigninLabError(f"account_id={account_id!r}: an AWS account id is 12 digits")


# -- sign-in records --------------------------------------------------------------------------


def _host_header(user_type: str, region: str) -> str:
    """The sign-in endpoint the browser used: the global one, or a Regional one."""
    if user_type == "root" or region in GLOBAL_SIGNIN_REGIONS:
        return "signin.aws.amazon.com"
    return f"{region}.signin.aws.amazon.com"


def _check_login_args(outcome: str, user_type: str, unknown_user: bool, account_id: str) -> None:
    """console_login's argument checks: a known outcome and user type, unknown_user only on a failed
    IAM user sign-in, a 12-digit account."""
    if outcome not in OUTCOMES:
        raise SigninLabError(f"outcome={outcome!r}: expected {' or '.join(map(repr, OUTCOMES))}", field="outcome")
    if user_type not in USER_TYPES:
        raise SigninLabError(
            f"user_type={user_type!r}: expected {' or '.join(map(repr, USER_TYPES))}", field="user_type"
        )
    if unknown_user and (user_type != "iam" or outcome != "failure"):
        raise SigninLabError("unknown_user=True only applies to a failed IAM user sign-in")
    _check_account(account_id)


def _login_region(user_type: str, region: str | None) -> str:
    """The Region a ConsoleLogin record is in: us-east-1 for root (another is an error), else
    `region`, by default us-east-2."""
    if user_type == "root":
        if region not in (None, "us-east-1"):
            raise SigninLabError(
                f"region={region!r}: CloudTrail records root sign-ins in us-east-1 "
                "(https://docs.aws.amazon.com/awscloudtrail/latest/userguide/"
                "cloudtrail-event-reference-aws-console-sign-in-events.html)"
            )
        return "us-east-1"
    return "us-east-2" if region is None else region


def _login_identity(user_type: str, account_id: str, user_name: str, *, failed: bool, unknown_user: bool) -> Record:
    """The userIdentity of a ConsoleLogin record, as AWS's examples show each case."""
    if user_type == "root":
        return {
            "type": IDENTITY_TYPE["root"],
            "principalId": account_id,
            "arn": f"arn:aws:iam::{account_id}:root",
            "accountId": account_id,
            "accessKeyId": "",
        }
    if unknown_user:
        return {
            "type": IDENTITY_TYPE["iam"],
            "accountId": account_id,
            "accessKeyId": "",
            "userName": "HIDDEN_DUE_TO_SECURITY_REASONS",
        }
    if failed:
        return {
            "type": IDENTITY_TYPE["iam"],
            "principalId": _principal_id("AIDA", account_id, user_name),
            "accountId": account_id,
            "accessKeyId": "",
            "userName": user_name,
        }
    return {
        "type": IDENTITY_TYPE["iam"],
        "principalId": _principal_id("AIDA", account_id, user_name),
        "arn": f"arn:aws:iam::{account_id}:user/{user_name}",
        "accountId": account_id,
        "userName": user_name,
    }


def console_login(
    outcome: Outcome,
    user_type: UserType,
    time: datetime,
    *,
    user_name: str = "alice",
    mfa: bool = False,
    source_ip: str = "192.0.2.10",
    region: str | None = None,
    account_id: str = ACCOUNT_ID,
    seed: int = 0,
    user_agent: str | None = None,
    unknown_user: bool = False,
) -> Record:
    """One ConsoleLogin record shaped exactly like AWS's documented examples.

    Root: userIdentity.type "Root", arn `...:root`, no userName, recorded in us-east-1 (passing
    another region is an error). IAM user: region defaults to us-east-2 (the global endpoint with
    an alias cookie, as in the IAM guide's example); a failure carries errorMessage
    "Failed authentication" and, like AWS's example, no arn. `unknown_user=True` models a user
    name that does not exist: userName "HIDDEN_DUE_TO_SECURITY_REASONS" and errorMessage
    "No username found in supplied account". The eventID is derived from `seed` and the other
    arguments.
    """
    _check_login_args(outcome, user_type, unknown_user, account_id)
    when = _utc(time)
    region = _login_region(user_type, region)
    key = (seed, outcome, user_type, _ts(when), user_name, account_id, source_ip, region)
    agent = user_agent or BROWSERS[_digest(*key)[0] % len(BROWSERS)]
    failed = outcome == "failure"
    identity = _login_identity(user_type, account_id, user_name, failed=failed, unknown_user=unknown_user)

    state_region = "us-east-1" if user_type == "root" else region
    extra: Record = {
        "LoginTo": "https://console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true"
        f"&state=hashArgsFromTB_{state_region}_{_hex(*key)}",
        "MobileVersion": "No",
    }
    if mfa and not failed:
        device = "root-account-mfa-device" if user_type == "root" else user_name
        extra["MFAIdentifier"] = f"arn:aws:iam::{account_id}:mfa/{device}"
    extra["MFAUsed"] = "Yes" if mfa else "No"

    record: Record = {
        "eventVersion": "1.08",
        "userIdentity": identity,
        "eventTime": _ts(when),
        "eventSource": "signin.amazonaws.com",
        "eventName": "ConsoleLogin",
        "awsRegion": region,
        "sourceIPAddress": source_ip,
        "userAgent": agent,
    }
    if failed:
        record["errorMessage"] = (
            "No username found in supplied account" if unknown_user else "Failed authentication"
        )
    record.update(
        {
            "requestParameters": None,
            "responseElements": {"ConsoleLogin": CONSOLE_LOGIN[outcome]},
            "additionalEventData": extra,
            "eventID": _event_id("ConsoleLogin", *key, unknown_user),
            "readOnly": False,
            "eventType": "AwsConsoleSignIn",
            "managementEvent": True,
            "recipientAccountId": account_id,
            "eventCategory": "Management",
            "tlsDetails": {**_TLS, "clientProvidedHostHeader": _host_header(user_type, region)},
        }
    )
    return record


def check_mfa(
    time: datetime,
    *,
    user_name: str = "alice",
    source_ip: str = "192.0.2.10",
    region: str = "us-east-2",
    account_id: str = ACCOUNT_ID,
    seed: int = 0,
    user_agent: str | None = None,
) -> Record:
    """The CheckMfa event the sign-in page records before an IAM user's MFA prompt."""
    when = _utc(time)
    key = (seed, "CheckMfa", _ts(when), user_name, account_id, region)
    return {
        "eventVersion": "1.08",
        "userIdentity": {
            "type": IDENTITY_TYPE["iam"],
            "principalId": _principal_id("AIDA", account_id, user_name),
            "accountId": account_id,
            "accessKeyId": "",
            "userName": user_name,
        },
        "eventTime": _ts(when),
        "eventSource": "signin.amazonaws.com",
        "eventName": "CheckMfa",
        "awsRegion": region,
        "sourceIPAddress": source_ip,
        "userAgent": user_agent or BROWSERS[0],
        "requestParameters": None,
        "responseElements": {"CheckMfa": "Success"},
        "additionalEventData": {"MfaType": "Virtual MFA"},
        "eventID": _event_id(*key),
        "readOnly": False,
        "eventType": "AwsConsoleSignIn",
        "managementEvent": True,
        "recipientAccountId": account_id,
        "eventCategory": "Management",
        "tlsDetails": {**_TLS, "clientProvidedHostHeader": _host_header("iam", region)},
    }


def federated_login(
    time: datetime,
    *,
    role: str = "Auditor",
    session: str = "carol@example.com",
    source_ip: str = "192.0.2.44",
    account_id: str = ACCOUNT_ID,
    seed: int = 0,
) -> list[Record]:
    """A federated console sign-in: GetSigninToken then ConsoleLogin as AssumedRole (AWS's shape)."""
    when = _utc(time)
    identity = _assumed_role_identity(
        account_id,
        role,
        session,
        access_key=_principal_id("ASIA", account_id, role, session, _ts(when), seed)[:20],
        created=_ts(when - timedelta(seconds=2)),
    )
    common = {
        "awsRegion": "us-east-1",
        "sourceIPAddress": source_ip,
        "requestParameters": None,
    }
    tail = {
        "readOnly": False,
        "eventType": "AwsConsoleSignIn",
        "managementEvent": True,
        "recipientAccountId": account_id,
        "eventCategory": "Management",
        "tlsDetails": {**_TLS, "clientProvidedHostHeader": "us-east-1.signin.aws.amazon.com"},
    }
    token = {
        "eventVersion": "1.08",
        "userIdentity": deepcopy(identity),
        "eventTime": _ts(when - timedelta(seconds=1)),
        "eventSource": "signin.amazonaws.com",
        "eventName": "GetSigninToken",
        **common,
        "userAgent": "Java/17.0.14",
        "responseElements": {"credentials": {"accessKeyId": identity["accessKeyId"]},
                             "GetSigninToken": "Success"},
        "additionalEventData": {"MobileVersion": "No", "MFAUsed": "No"},
        "eventID": _event_id(seed, "GetSigninToken", _ts(when), session, account_id),
        **tail,
    }
    login = {
        "eventVersion": "1.08",
        "userIdentity": deepcopy(identity),
        "eventTime": _ts(when),
        "eventSource": "signin.amazonaws.com",
        "eventName": "ConsoleLogin",
        **common,
        "userAgent": BROWSERS[1],
        "responseElements": {"ConsoleLogin": CONSOLE_LOGIN["success"]},
        "additionalEventData": {"MobileVersion": "No", "MFAUsed": "No"},
        "eventID": _event_id(seed, "ConsoleLogin", _ts(when), session, account_id),
        **tail,
    }
    return [token, login]


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


def _sorted(records: Iterable[Record]) -> list[Record]:
    return sorted(records, key=lambda r: (r["eventTime"], r["eventID"]))


# -- scenarios --------------------------------------------------------------------------------


def blog_test_signins(start: datetime | None = None) -> list[Record]:
    """The blog's four test sign-ins in one hour of ordinary traffic, sorted by eventTime.

    failure-iam (+08:20), failure-root (+20:40), success-iam (+32:10), success-root (+44:30):
    each matches exactly one of the four alarms, and 12 minutes apart each alarm (Sum over
    5 minutes > 0) goes to ALARM once and back. The IAM user signs in through the global
    endpoint with an alias cookie from Europe, so CloudTrail records it in eu-north-1.
    """
    t0 = _utc(start or BLOG_START, "start")
    signins = [
        console_login("failure", "iam", t0 + timedelta(minutes=8, seconds=20), region="eu-north-1",
                      seed=1),
        console_login("failure", "root", t0 + timedelta(minutes=20, seconds=40), seed=2),
        console_login("success", "iam", t0 + timedelta(minutes=32, seconds=10), region="eu-north-1",
                      seed=3),
        console_login("success", "root", t0 + timedelta(minutes=44, seconds=30), seed=4),
    ]
    traffic = ordinary_traffic(t0, t0 + timedelta(hours=1), seed=11, human_per_hour=(30, 40))
    return _sorted(traffic + signins)


def aws_example_entries() -> list[Record]:
    """AWS's documented example records with their "source", "scenario" (and "note") fields."""
    return deepcopy(_examples())


@cache
def _examples() -> list[Record]:
    text = resources.files("signin_lab").joinpath("data/console_login_examples.json").read_bytes()
    return orjson.loads(text)


def aws_examples() -> list[Record]:
    """The records of `aws_example_entries`, in the reference file's order."""
    return [entry["record"] for entry in aws_example_entries()]


def quiet_month(start: datetime | None = None, *, days: int = 28, seed: int = 5) -> list[Record]:
    """A quiet month: sparse everyday traffic and the occasional ordinary sign-in.

    alice signs in with MFA (CheckMfa, then ConsoleLogin with MFAIdentifier) on about half the
    weekdays, mistyping her password once a week; an auditor signs in through federation twice;
    the root user signs in once, with MFA, to look at billing.
    """
    t0 = _utc(start or datetime(2025, 2, 1, tzinfo=UTC), "start")
    rng = random.Random(seed)
    out = ordinary_traffic(
        t0, t0 + timedelta(days=days), seed=seed, service_per_hour=(0, 1), human_per_hour=(0, 4)
    )
    for day in range(days):
        date = t0 + timedelta(days=day)
        if date.weekday() >= 5 or rng.random() < 0.45:
            continue
        at = date.replace(hour=8) + timedelta(minutes=rng.randint(20, 70), seconds=rng.randrange(60))
        if date.weekday() == 2:  # a mistyped password on Wednesdays
            out.append(console_login("failure", "iam", at - timedelta(seconds=40),
                                     region="eu-north-1", seed=day))
        out.append(check_mfa(at - timedelta(seconds=12), region="eu-north-1", seed=day))
        out.append(console_login("success", "iam", at, mfa=True, region="eu-north-1", seed=day))
    for day in (9, 23):
        out += federated_login(t0 + timedelta(days=day, hours=13, minutes=5), seed=day)
    out.append(console_login("success", "root", t0 + timedelta(days=17, hours=14, minutes=2),
                             mfa=True, seed=17))
    return _sorted(out)


def password_guessing(start: datetime | None = None, *, attempts: int = 36,
                      seed: int = 7) -> list[Record]:
    """A password-guessing burst against IAM user names, at night, in ordinary traffic.

    From two addresses, about every 15 seconds, cycling through names: real users (alice, bob)
    fail with "Failed authentication"; names that do not exist fail with "No username found in
    supplied account" and userName HIDDEN_DUE_TO_SECURITY_REASONS. Without an alias cookie the
    global endpoint records them in us-east-1.
    """
    t0 = _utc(start or datetime(2025, 3, 12, 2, 0, tzinfo=UTC), "start")
    rng = random.Random(seed)
    names = ("admin", "alice", "administrator", "bob", "test", "devops", "backup", "alice.smith")
    real = {"alice", "bob"}
    ips = ("203.0.113.45", "203.0.113.46")
    out = ordinary_traffic(t0, t0 + timedelta(hours=1), seed=seed)
    at = t0 + timedelta(minutes=10, seconds=5)
    for i in range(attempts):
        name = names[i % len(names)]
        out.append(
            console_login(
                "failure", "iam", at, user_name=name, unknown_user=name not in real,
                source_ip=ips[i % 2], region="us-east-1", seed=100 + i, user_agent=BROWSERS[3],
            )
        )
        at += timedelta(seconds=rng.randint(9, 21))
    return _sorted(out)


def root_at_night(start: datetime | None = None, *, seed: int = 9) -> list[Record]:
    """The root user signs in without MFA at 03:12 on a Sunday, then creates an admin user.

    The sign-in is recorded in us-east-1 like every root sign-in; the IAM calls that follow
    (ListUsers, CreateUser, AttachUserPolicy, CreateAccessKey) carry userIdentity.type "Root".
    """
    t0 = _utc(start or datetime(2025, 3, 16, 1, 0, tzinfo=UTC), "start")
    rng = random.Random(seed)
    ip = "198.51.100.23"
    agent = "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
    out = ordinary_traffic(t0, t0 + timedelta(hours=4), seed=seed)
    login_at = t0 + timedelta(hours=2, minutes=12, seconds=7)
    out.append(console_login("success", "root", login_at, source_ip=ip, user_agent=agent, seed=seed))
    calls: list[tuple[int, str, bool, dict[str, Any], dict[str, Any] | None]] = [
        (64, "ListUsers", True, {"maxItems": 1000}, None),
        (171, "CreateUser", False, {"userName": "backup-admin"},
         {"user": {"userName": "backup-admin", "path": "/",
                   "arn": "arn:aws:iam::{account}:user/backup-admin"}}),
        (203, "AttachUserPolicy", False,
         {"userName": "backup-admin", "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"},
         None),
        (248, "CreateAccessKey", False, {"userName": "backup-admin"},
         {"accessKey": {"userName": "backup-admin", "status": "Active",
                        "accessKeyId": _principal_id("AKIA", "backup-admin")[:20]}}),
    ]
    for offset, name, read_only, request, response in calls:
        when = login_at + timedelta(seconds=offset)
        template: _Template = (1, "root", "", "iam.amazonaws.com", name, read_only, "us-east-1",
                               request)
        record = _api_call(rng, when, template, ACCOUNT_ID, HOME_REGION, source_ip=ip)
        record["responseElements"] = _fill(response, ACCOUNT_ID)
        out.append(record)
    return _sorted(out)


#: Sample file (".json": plain {"Records": [...]}) or folder (CloudTrail's S3 layout) -> scenario.
SCENARIOS: dict[str, Callable[[], list[Record]]] = {
    "aws_examples.json": aws_examples,
    "blog_test_signins": blog_test_signins,
    "password_guessing.json": password_guessing,
    "quiet_month": quiet_month,
    "root_at_night.json": root_at_night,
}
#: How long each S3-layout scenario's delivery window is: CloudTrail delivers about every
#: 5 minutes; the quiet month is grouped a day a file to keep the samples small.
S3_WINDOWS: dict[str, timedelta] = {
    "blog_test_signins": timedelta(minutes=5),
    "quiet_month": timedelta(days=1),
}


# -- writing files ----------------------------------------------------------------------------


def _gzip(data: bytes) -> bytes:
    """gzip with mtime 0 and no file name, so the same bytes give the same file."""
    return gzip.compress(data, compresslevel=9, mtime=0)


def _unique(*parts: object) -> str:
    """CloudTrail's 16-character UniqueString, derived from the file's identity."""
    alphabet = string.ascii_letters + string.digits
    return "".join(alphabet[b % len(alphabet)] for b in _digest(*parts)[:16])


def s3_key(account_id: str, region: str, delivered: datetime, unique: str) -> str:
    """CloudTrail's object key below the bucket (no prefix), e.g.
    AWSLogs/123456789012/CloudTrail/us-east-1/2025/03/03/123456789012_CloudTrail_us-east-1_20250303T0910Z_<16>.json.gz
    """
    d = delivered.astimezone(UTC)
    return (
        f"AWSLogs/{account_id}/CloudTrail/{region}/{d:%Y/%m/%d}/"
        f"{account_id}_CloudTrail_{region}_{d:%Y%m%dT%H%MZ}_{unique}.json.gz"
    )


def write_s3_layout(
    records: Iterable[Record],
    root: str | Path,
    *,
    window: timedelta = timedelta(minutes=5),
    delay: timedelta = timedelta(minutes=5),
    account_id: str | None = None,
) -> list[Path]:
    """Write records as CloudTrail delivers them to S3: one gzip file per Region and window.

    Each record goes to the file of its awsRegion and of the `window` its eventTime falls in
    (windows aligned to the Unix epoch); the file is named for its delivery time, the end of the
    window plus `delay`, as CloudTrail names files by delivery time. The account is
    recipientAccountId (or `account_id`). Returns the paths written, sorted.
    """
    seconds = int(window.total_seconds())
    if seconds <= 0:
        raise SigninLabError(f"window={window!r}: must be positive")
    groups: dict[tuple[str, str, int], list[Record]] = {}
    for rec in records:
        when = datetime.fromisoformat(rec["eventTime"])
        slot = int(when.timestamp()) // seconds
        account = account_id or rec.get("recipientAccountId") or ACCOUNT_ID
        groups.setdefault((account, rec["awsRegion"], slot), []).append(rec)
    root = Path(root)
    written: list[Path] = []
    for (account, region, slot), group in sorted(groups.items()):
        delivered = datetime.fromtimestamp((slot + 1) * seconds, UTC) + delay
        body = orjson.dumps({"Records": _sorted(group)})
        unique = _unique(account, region, delivered.isoformat(), hashlib.sha256(body).hexdigest())
        path = root / s3_key(account, region, delivered, unique)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(_gzip(body))
        written.append(path)
    return sorted(written)


def write_records_json(records: Iterable[Record], path: str | Path) -> Path:
    """Write `{"Records": [...]}` as indented JSON (what the console's JSON download holds)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(orjson.dumps({"Records": list(records)}, option=orjson.OPT_INDENT_2) + b"\n")
    return path


def write_samples(folder: str | Path) -> list[Path]:
    """Write every scenario of SCENARIOS into `folder` (data/sample_events/); returns the files.

    Run `python -m signin_lab.events.samples data/sample_events` to regenerate the committed files.
    """
    folder = Path(folder)
    written: list[Path] = []
    for name, make in SCENARIOS.items():
        records = make()
        if name.endswith(".json"):
            written.append(write_records_json(records, folder / name))
        else:
            written += write_s3_layout(records, folder / name, window=S3_WINDOWS[name])
    return sorted(written)



if __name__ == "__main__":  # pragma: no cover - `python -m signin_lab.events.samples [FOLDER]`
    import sys

    write_samples(sys.argv[1] if len(sys.argv) > 1 else "data/sample_events")  # silent, as `make samples`
