"""Where calls go: in-process moto (default), a moto server at an endpoint URL, or real AWS (opt-in).

moto mode sets fake credentials on every client, so nothing can reach AWS by accident:
https://docs.getmoto.org/en/latest/docs/getting_started.html#how-do-i-avoid-tests-from-mutating-my-real-infrastructure
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlparse

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


@dataclass
class Target:
    """One place to send boto3 calls, with the region they go to."""

    kind: TargetKind
    region: str
    endpoint_url: str | None = None
    profile: str | None = None
    _mock: Any = field(default=None, repr=False)
    _session: Any = field(default=None, repr=False)
    _clients: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def moto(cls, region: str) -> Target:
        """Start moto in this process; every client gets fake credentials."""
        from moto import mock_aws

        # Belt and braces: even a client made elsewhere in this process sees fake credentials.
        os.environ["AWS_ACCESS_KEY_ID"] = FAKE_CREDENTIALS["aws_access_key_id"]
        os.environ["AWS_SECRET_ACCESS_KEY"] = FAKE_CREDENTIALS["aws_secret_access_key"]
        os.environ["AWS_SESSION_TOKEN"] = FAKE_CREDENTIALS["aws_session_token"]
        os.environ.pop("AWS_PROFILE", None)
        mock = mock_aws()
        mock.start()
        return cls(kind="moto", region=region, _mock=mock)

    @classmethod
    def endpoint(cls, url: str, region: str) -> Target:
        """A moto server (`signin-lab serve`); fake credentials, every call to `url`."""
        parsed = urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise SigninLabError(f"endpoint URL {url!r}: expected http(s)://host:port")
        return cls(kind="endpoint", region=region, endpoint_url=url.rstrip("/"))

    @classmethod
    def aws(cls, region: str, profile: str | None = None) -> Target:
        """Real AWS with the caller's own credentials (profile or environment)."""
        return cls(kind="aws", region=region, profile=profile)

    def session(self) -> Any:
        """The boto3 session behind every client of this target."""
        if self._session is None:
            import boto3

            if self.kind == "aws":
                self._session = boto3.Session(profile_name=self.profile, region_name=self.region)
            else:
                self._session = boto3.Session(region_name=self.region, **FAKE_CREDENTIALS)
        return self._session

    def client(self, service: str, region: str | None = None) -> Any:
        """A boto3 client for `service` on this target (cached per service and region)."""
        key = f"{service}@{region or self.region}"
        if key not in self._clients:
            kwargs: dict[str, Any] = {"region_name": region or self.region}
            if self.endpoint_url:
                kwargs["endpoint_url"] = self.endpoint_url
            self._clients[key] = self.session().client(service, **kwargs)
        return self._clients[key]

    def close(self) -> None:
        """Stop in-process moto (its state is dropped)."""
        if self._mock is not None:
            self._mock.stop()
            self._mock = None
        self._clients.clear()
