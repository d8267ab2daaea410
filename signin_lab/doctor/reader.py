"""Read-only access to the target for the doctor: Describe/Get/List calls only, each made once.

Every call goes through `Reader.call`, which refuses any operation whose name does not start with
Describe, Get, List or Test (logs TestMetricFilter is a read: it evaluates a pattern on the
messages sent with it and stores nothing,
https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_TestMetricFilter.html).
Errors are returned, not raised, so one denied read makes one finding UNKNOWN, not the whole run fail.
"""

from __future__ import annotations

import functools
import json
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError
from botocore.parsers import ResponseParserError

from signin_lab.aws_errors import error_code

if TYPE_CHECKING:  # pragma: no cover
    from signin_lab.lab import Lab

READ_PREFIXES = ("describe_", "get_", "list_", "test_")
_NOT_FOUND = {
    "NoSuchEntity", "NotFound", "NotFoundException", "ResourceNotFoundException", "TrailNotFoundException",
    "NoSuchEntityException",
}


class ReadError(Exception):
    """A read the target refused or does not implement; `code` is AWS's error code if any."""

    def __init__(self, operation: str, exc: Exception) -> None:
        self.operation = operation
        self.code = error_code(exc) or type(exc).__name__
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else self.code
        super().__init__(f"{operation}: {first}")

    @property
    def not_found(self) -> bool:
        """True for the 'does not exist' codes of the services read (NoSuchEntity, NotFound, ...)."""
        return self.code in _NOT_FOUND


#: What a read may raise: AWS's refusal (ClientError), no network or credentials (BotoCoreError),
#: a moto server's HTML error page for an operation it lacks (ResponseParserError), and
#: in-process moto's NotImplementedError for the same.
_READ_ERRORS = (ClientError, BotoCoreError, ResponseParserError, NotImplementedError)


class Reader:
    """Cached read-only calls on a Lab's target; `reads` lists what was called, in order."""

    def __init__(self, lab: Lab) -> None:
        self.lab = lab
        self.reads: list[str] = []
        self._cache: dict[str, Any] = {}

    def call(self, service: str, operation: str, region: str | None = None, **kwargs: Any) -> Any:
        """`client.operation(**kwargs)` on the target; a ReadError instance when it fails."""
        if not operation.startswith(READ_PREFIXES):
            raise AssertionError(f"the doctor only reads; {service}.{operation} is not a read")
        key = json.dumps([service, operation, region, kwargs], sort_keys=True, default=str)
        if key not in self._cache:
            self.reads.append(f"{service}.{operation}")
            try:
                client = self.lab.client(service, region)
                self._cache[key] = getattr(client, operation)(**kwargs)
            except _READ_ERRORS as exc:
                self._cache[key] = ReadError(f"{service} {_api_name(service, operation)}", exc)
        return self._cache[key]

    def pages(self, service: str, operation: str, key: str, region: str | None = None, **kwargs: Any) -> Any:
        """Every item under `key` of every page (boto3 paginator), or a ReadError."""
        if not operation.startswith(READ_PREFIXES):
            raise AssertionError(f"the doctor only reads; {service}.{operation} is not a read")
        cache_key = json.dumps(["pages", service, operation, key, region, kwargs], sort_keys=True, default=str)
        if cache_key not in self._cache:
            self.reads.append(f"{service}.{operation}")
            try:
                paginator = self.lab.client(service, region).get_paginator(operation)
                items: list[Any] = []
                for page in paginator.paginate(**kwargs):
                    items.extend(page.get(key, []))
                self._cache[cache_key] = items
            except _READ_ERRORS as exc:
                self._cache[cache_key] = ReadError(f"{service} {_api_name(service, operation)}", exc)
        return self._cache[cache_key]


@functools.cache
def _api_name(service: str, operation: str) -> str:
    """AWS's name of a boto3 method, e.g. get_sms_attributes -> GetSMSAttributes (botocore's model)."""
    import botocore.session

    model = botocore.session.get_session().get_service_model(service)
    for name in model.operation_names:
        if botocore.xform_name(name) == operation:
            return str(name)
    return operation


def policy_doc(value: Any) -> dict[str, Any]:
    """A policy document from IAM/SNS/KMS: JSON text (URL-encoded on IAM) or already a dict."""
    from urllib.parse import unquote

    if isinstance(value, dict):
        return value
    text = str(value or "{}")
    try:
        return dict(json.loads(text))
    except json.JSONDecodeError:
        return dict(json.loads(unquote(text)))


def statements(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The policy's statements as a list (a single statement may be written as an object)."""
    st = doc.get("Statement", [])
    return [st] if isinstance(st, dict) else list(st)


def as_list(value: Any) -> list[Any]:
    """A policy field that may be a string or a list, as a list."""
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def allows(statement: dict[str, Any], action: str, resource: str | None = None, effect: str = "Allow") -> bool:
    """Whether an Allow (or `effect`) statement names `action` (wildcards as IAM reads them) on `resource`.

    IAM action and resource matching: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
    (actions are case-insensitive; `*` matches any characters).
    """
    from fnmatch import fnmatchcase

    if statement.get("Effect") != effect:
        return False
    if not any(fnmatchcase(action.lower(), str(a).lower()) for a in as_list(statement.get("Action"))):
        return False
    if resource is None:
        return True
    return any(fnmatchcase(resource, str(r)) for r in as_list(statement.get("Resource")))


def principal_services(statement: dict[str, Any]) -> set[str]:
    """The service principals a statement names ('*' for everyone)."""
    p = statement.get("Principal")
    if p == "*":
        return {"*"}
    if not isinstance(p, dict):
        return set()
    out = {str(s) for s in as_list(p.get("Service"))}
    if "*" in as_list(p.get("AWS")):
        out.add("*")
    return out
