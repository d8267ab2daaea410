"""What every sample record shares: the account, Regions, user agents, and deterministic ids and times."""

from __future__ import annotations

import hashlib
import random
import re
import string
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

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


def _sorted(records: Iterable[Record]) -> list[Record]:
    return sorted(records, key=lambda r: (r["eventTime"], r["eventID"]))
