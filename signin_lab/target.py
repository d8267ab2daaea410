"""Where calls go: in-process moto (default), a moto server at an endpoint URL, or real AWS (opt-in).

`Target.parse(value, region)` is the one parser of "moto" | "http(s)://host:port" | "aws"; what
differs between the three is asked through named capabilities (`emulated`, `in_process`,
`fixed_account`, `keeps_audit_logs`, `needs_confirmation`, `fake_credentials`), never by comparing
`kind` strings. moto and moto servers get fake credentials on their own boto3 session, so nothing
can reach AWS by accident, and nothing is written into os.environ:
https://docs.getmoto.org/en/latest/docs/getting_started.html#how-do-i-avoid-tests-from-mutating-my-real-infrastructure
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

from signin_lab.errors import SigninLabError

TargetKind = Literal["moto", "endpoint", "aws"]

#: Fake credentials for moto and moto servers; they are never valid on AWS.
FAKE_CREDENTIALS = {
    "aws_access_key_id": "testing",
    "aws_secret_access_key": "testing",
    "aws_session_token": "testing",
}
#: moto's default account id (https://docs.getmoto.org/en/latest/docs/multi_account.html).
MOTO_ACCOUNT_ID = "123456789012"
#: The header moto's server reads to choose the account of a request when MOTO_ACCOUNT_ID is not
#: set (moto/core/responses.py `get_current_account`, "PRIO 2";
#: https://docs.getmoto.org/en/latest/docs/multi_account.html).
ACCOUNT_HEADER = "x-moto-account-id"
_ACCOUNT = re.compile(r"[0-9]{12}")
#: What `Target.parse` accepts, for messages and the CLI's help.
TARGET_CHOICES = "'moto', an http(s)://host:port moto server URL, or 'aws'"


def redact(url: str) -> str:
    """`url` with any user:password in it replaced by `***`, for every message that shows it."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<unparseable URL>"
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, f"***@{host}", parts.path, parts.query, parts.fragment))


def check_account(value: object, where: str = "account") -> str:
    """`value` if it is an AWS account id (12 digits, nothing else), else a SigninLabError."""
    if not isinstance(value, str) or not _ACCOUNT.fullmatch(value):
        raise SigninLabError(f"{where} {value!r}: an AWS account id is 12 digits", field="account")
    return value


@dataclass
class Target:
    """One place to send boto3 calls, with the region they go to."""

    kind: TargetKind
    region: str
    endpoint_url: str | None = None
    profile: str | None = None
    account: str | None = None
    _mock: Any = field(default=None, repr=False)
    _env: Any = field(default=None, repr=False)
    _session: Any = field(default=None, repr=False)
    _clients: dict[str, Any] = field(default_factory=dict, repr=False)

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "kind" and "kind" in self.__dict__:
            raise AttributeError("Target.kind is read-only: open another target instead")
        super().__setattr__(name, value)

    # -- the one parser ------------------------------------------------------------------------
    @classmethod
    def parse(
        cls, value: str, region: str, *, confirm_aws: bool = False, account: str | None = None
    ) -> Target:
        """The target named by `value`: "moto" (starts in-process moto), an http(s)://host:port
        moto server URL, or "aws" (refused unless `confirm_aws`: it reaches a real account).

        `account` (12 digits) scopes every call to that account of a moto server (a classroom
        learner's); it is refused on the other kinds, whose account is not chosen by the caller.
        """
        kind = cls.kind_of(value)
        if account is not None and kind != "endpoint":
            raise SigninLabError(
                f"account {account!r}: only a moto server (http(s)://host:port) target takes an account",
                field="account",
            )
        if kind == "moto":
            return cls.moto(region)
        if kind == "aws":
            if confirm_aws is not True:
                raise SigninLabError(
                    "target 'aws' reaches a real AWS account and may cost money: confirm it "
                    "(Lab.aws(confirm=True), or --target aws with the CLI's confirmation)",
                    field="target",
                )
            return cls.aws(region)
        return cls.endpoint(value.strip(), region, account=account)

    @staticmethod
    def kind_of(value: str) -> TargetKind:
        """The kind of target `value` names, without opening it (the rules `parse` applies)."""
        text = value.strip() if isinstance(value, str) else value
        if text == "moto":
            return "moto"
        if text == "aws":
            return "aws"
        if isinstance(text, str) and text.lower().startswith(("http://", "https://")):
            return "endpoint"
        shown = redact(text) if isinstance(text, str) else repr(text)
        raise SigninLabError(f"target {shown!r}: expected {TARGET_CHOICES}", field="target")

    @classmethod
    def needs_confirmation_for(cls, value: str) -> bool:
        """Whether the target `value` names reaches a real account (asked before changes)."""
        return cls.kind_of(value) == "aws"

    @classmethod
    def moto(cls, region: str) -> Target:
        """Start moto in this process; every client gets fake credentials from its own session.

        moto's mock patches the environment itself while it is active and restores it on stop.
        The only change made here: AWS_PROFILE / AWS_DEFAULT_PROFILE are hidden while moto runs
        (moto's own backends would otherwise look the user's profile up, and fail on a profile
        this machine lacks), with `unittest.mock.patch.dict`, which restores os.environ exactly
        on `close()`.
        """
        from unittest import mock as _patch

        from moto import mock_aws

        env = _patch.patch.dict(os.environ)
        env.start()
        for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
            os.environ.pop(name, None)
        moto = mock_aws()
        try:
            moto.start()
        except BaseException:
            env.stop()
            raise
        return cls(kind="moto", region=region, _mock=moto, _env=env)

    @classmethod
    def endpoint(cls, url: str, region: str, account: str | None = None) -> Target:
        """A moto server (`signin-lab serve`); fake credentials, every call to `url`.

        With `account` (12 digits), every request carries moto's `x-moto-account-id` header, so
        a classroom's learners each work in their own account on one server.
        """
        if account is not None:
            account = check_account(account)
        try:
            parsed = urlsplit(url)
            parsed.port  # noqa: B018 - raises ValueError on a bad port
        except ValueError:
            raise SigninLabError(
                f"endpoint URL {redact(url)!r}: expected http(s)://host:port", field="target"
            ) from None
        if parsed.scheme.lower() not in ("http", "https") or not parsed.hostname:
            raise SigninLabError(f"endpoint URL {redact(url)!r}: expected http(s)://host:port", field="target")
        if parsed.username is not None or parsed.password is not None:
            raise SigninLabError(
                f"endpoint URL {redact(url)!r}: credentials in the URL are not used by a moto server; "
                "remove them",
                field="target",
            )
        return cls(kind="endpoint", region=region, endpoint_url=url.rstrip("/"), account=account)

    @classmethod
    def aws(cls, region: str, profile: str | None = None) -> Target:
        """Real AWS with the caller's own credentials (profile or environment)."""
        return cls(kind="aws", region=region, profile=profile)

    # -- capabilities ----------------------------------------------------------------------------
    @property
    def emulated(self) -> bool:
        """moto in-process or a moto server: the kit's emulator plays AWS's runtime behaviour."""
        return self.kind != "aws"

    @property
    def in_process(self) -> bool:
        """moto runs inside this Python process (its state ends with `close()`)."""
        return self.kind == "moto"

    @property
    def fixed_account(self) -> bool:
        """The account id is moto's 123456789012 without asking STS (in-process moto only)."""
        return self.kind == "moto"

    @property
    def keeps_audit_logs(self) -> bool:
        """Teardown keeps the trail's bucket and log group unless asked to delete them (real AWS)."""
        return self.kind == "aws"

    @property
    def needs_confirmation(self) -> bool:
        """Reaching this target can cost money: it must be asked for by name (real AWS)."""
        return self.kind == "aws"

    @property
    def fake_credentials(self) -> bool:
        """Clients sign with the fake "testing" keys (moto and moto servers)."""
        return self.kind != "aws"

    @property
    def label(self) -> str:
        """How messages name this target: "moto", the server URL (with the account), or "aws"."""
        if self.endpoint_url and self.account:
            return f"{redact(self.endpoint_url)} (account {self.account})"
        return self.endpoint_url or self.kind

    # -- clients -----------------------------------------------------------------------------
    def session(self) -> Any:
        """The boto3 session behind every client of this target."""
        if self._session is None:
            import boto3

            if self.fake_credentials:
                # The user's AWS_PROFILE must not be read either (a profile missing from this
                # machine would fail every call): this botocore session looks up no profile,
                # and os.environ is left alone.
                import botocore.session

                core = botocore.session.Session(session_vars={"profile": (None, None, None, None)})
                self._session = boto3.Session(region_name=self.region, botocore_session=core, **FAKE_CREDENTIALS)
            else:
                self._session = boto3.Session(profile_name=self.profile, region_name=self.region)
        return self._session

    def client(self, service: str, region: str | None = None) -> Any:
        """A boto3 client for `service` on this target (cached per service and region)."""
        key = f"{service}@{region or self.region}"
        if key not in self._clients:
            kwargs: dict[str, Any] = {"region_name": region or self.region}
            if self.endpoint_url:
                kwargs["endpoint_url"] = self.endpoint_url
            client = self.session().client(service, **kwargs)
            if self.account is not None:
                client.meta.events.register("before-sign.*.*", self._scope_to_account)
            self._clients[key] = client
        return self._clients[key]

    def _scope_to_account(self, request: Any, **_: Any) -> None:
        """botocore `before-sign` hook: the learner's account on every request to the server."""
        request.headers[ACCOUNT_HEADER] = self.account

    def close(self) -> None:
        """Stop in-process moto (its state is dropped)."""
        if self._mock is not None:
            self._mock.stop()
            self._mock = None
        if self._env is not None:
            self._env.stop()  # os.environ exactly as it was before moto started
            self._env = None
        self._clients.clear()
