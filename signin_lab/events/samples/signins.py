"""Console sign-in records (ConsoleLogin, CheckMfa, federated GetSigninToken), shaped like AWS's examples."""

from __future__ import annotations

from copy import deepcopy
from datetime import datetime, timedelta

from signin_lab.config import CONSOLE_LOGIN, IDENTITY_TYPE, OUTCOMES, USER_TYPES, Outcome, UserType
from signin_lab.errors import SigninLabError
from signin_lab.events.samples._common import (
    _TLS,
    ACCOUNT_ID,
    BROWSERS,
    GLOBAL_SIGNIN_REGIONS,
    Record,
    _check_account,
    _digest,
    _event_id,
    _hex,
    _principal_id,
    _ts,
    _utc,
)
from signin_lab.events.samples.traffic import _assumed_role_identity

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
