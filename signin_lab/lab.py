"""Lab: the one object a notebook or the CLI holds: a target, the configuration, and every step."""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Self

from signin_lab.config import LabConfig
from signin_lab.errors import SigninLabError
from signin_lab.target import MOTO_ACCOUNT_ID, Target, redact

if TYPE_CHECKING:  # pragma: no cover
    from signin_lab.emulator import Emulator
    from signin_lab.stack.deploy import DeployResult, TeardownResult

#: The environment variable that chooses the target: moto (default) | http(s)://... | aws
TARGET_ENV = "SIGNIN_LAB_TARGET"
REGION_ENV = "SIGNIN_LAB_REGION"
#: A classroom learner's account on the moto server SIGNIN_LAB_TARGET names (`signin-lab serve --learners`).
ACCOUNT_ENV = "SIGNIN_LAB_ACCOUNT"


class Lab:
    """A signin-lab session on one target. Use `Lab.moto()`, `Lab.endpoint()`, `Lab.aws()` or
    `Lab.from_env()` (or `Lab.open(value)` for a target named by a string); a Lab is also a
    context manager that stops in-process moto on exit."""

    def __init__(self, target: Target, config: LabConfig | None = None) -> None:
        self.target = target
        base = config or LabConfig(region=target.region)
        if base.region != target.region:
            base = base.replace(region=target.region)
        self._config = base
        self._account_checked = False
        self._emulator: Emulator | None = None

    # -- constructors ------------------------------------------------------------------------
    @classmethod
    def moto(cls, region: str = "eu-west-1", config: LabConfig | None = None) -> Lab:
        """In-process moto with fake credentials: offline, and it can never reach AWS."""
        LabConfig(region=region)  # validates the region before moto starts
        return cls(Target.moto(region), config)

    @classmethod
    def endpoint(
        cls, url: str, region: str = "eu-west-1", config: LabConfig | None = None, *, account: str | None = None
    ) -> Lab:
        """A moto server, e.g. a classroom's `signin-lab serve`; fake credentials. `account` (12
        digits, from the roster of `serve --learners`) scopes every call to that learner's account."""
        LabConfig(region=region)
        return cls(Target.endpoint(url, region, account=account), config)

    @classmethod
    def aws(
        cls,
        region: str = "eu-west-1",
        confirm: bool = False,
        profile: str | None = None,
        config: LabConfig | None = None,
    ) -> Lab:
        """Real AWS with your own credentials. Refused unless `confirm=True`: it costs money."""
        if confirm is not True:
            raise SigninLabError(
                "Lab.aws() reaches a real AWS account and may cost money: "
                "call Lab.aws(confirm=True) to say you mean it",
                field="confirm",
            )
        LabConfig(region=region)
        return cls(Target.aws(region, profile=profile), config)

    @classmethod
    def open(
        cls,
        value: str,
        region: str = "eu-west-1",
        *,
        confirm: bool = False,
        config: LabConfig | None = None,
        account: str | None = None,
    ) -> Lab:
        """The lab on the target named by `value` ("moto", an http(s):// moto server URL, or
        "aws", which needs `confirm=True`), parsed by `Target.parse`; for the CLI's --target.
        `account` scopes a moto server target to one learner's account."""
        LabConfig(region=region)  # validates the region before moto starts
        return cls(Target.parse(value, region, confirm_aws=confirm, account=account), config)

    @classmethod
    def from_env(cls, config: LabConfig | None = None) -> Lab:
        """The target named by SIGNIN_LAB_TARGET: `moto` (default), an http(s) URL, or `aws`;
        on a moto server, SIGNIN_LAB_ACCOUNT (12 digits) is the learner's account."""
        value = os.environ.get(TARGET_ENV, "moto").strip() or "moto"
        account = os.environ.get(ACCOUNT_ENV, "").strip() or None
        region = os.environ.get(REGION_ENV, "").strip() or (config.region if config else "eu-west-1")
        LabConfig(region=region)
        try:
            # Naming `aws` in the environment is the explicit choice the design asks for.
            target = Target.parse(value, region, confirm_aws=True, account=account)
        except SigninLabError as exc:
            where = ACCOUNT_ENV if exc.field == "account" else TARGET_ENV
            raise SigninLabError(f"{where}: {exc}", field=exc.field) from None
        if target.needs_confirmation:
            target.profile = os.environ.get("AWS_PROFILE")
        return cls(target, config)

    # -- the target ----------------------------------------------------------------------------
    @property
    def kind(self) -> str:
        """`moto`, `endpoint` or `aws` (read-only; prefer the target's capabilities, e.g. `lab.target.emulated`)."""
        return self.target.kind

    @property
    def region(self) -> str:
        return self.target.region

    @property
    def config(self) -> LabConfig:
        """The configuration, with this target's real account id."""
        if not self._account_checked:
            account = self._read_account_id()
            if account != self._config.account_id:
                self._config = self._config.replace(account_id=account)
            self._account_checked = True
        return self._config

    def configure(self, **overrides: Any) -> LabConfig:
        """Change configuration fields (validated, filter patterns compiled); returns the new
        configuration. Refused input leaves the configuration as it was."""
        from signin_lab.stack.deploy import preflight

        candidate = self.config.replace(**overrides)
        preflight(candidate)
        self._config = candidate
        return self._config

    def client(self, service: str, region: str | None = None) -> Any:
        """A boto3 client for `service` on this target."""
        return self.target.client(service, region)

    def _read_account_id(self) -> str:
        if self.target.fixed_account:
            return MOTO_ACCOUNT_ID
        try:
            return str(self.client("sts").get_caller_identity()["Account"])
        except Exception as exc:  # botocore's errors, unreachable endpoint, no credentials
            raise SigninLabError(
                f"cannot reach the {redact(self.target.label)} target to read its account id: {exc}", field="target"
            ) from exc

    # -- the steps -----------------------------------------------------------------------------
    def deploy(self, email: str | None = None, sms: str | None = None, design: str = "blog",
               **overrides: Any) -> DeployResult:
        """Build the blog's whole stack (idempotent); overrides are LabConfig fields.

        `design`: "blog" (default), "eventbridge" (stack/eventbridge.py) or "both"."""
        from signin_lab.stack import eventbridge
        from signin_lab.stack.deploy import deploy, preflight

        eventbridge.check_design(design)

        if email is not None:
            overrides["email"] = email
        if sms is not None:
            overrides["sms"] = sms
        candidate = self.config.replace(**overrides) if overrides else self.config
        preflight(candidate)  # before any call; refused input leaves the configuration as it was
        self._config = candidate
        if design == "eventbridge":
            return eventbridge.deploy(self)
        result = deploy(self)
        if design == "both":
            result.changes.extend(eventbridge.deploy(self).changes)
        return result

    def teardown(self, keep_logs: bool = False, delete_logs: bool | None = None,
                 design: str = "blog") -> TeardownResult:
        """Remove everything deploy made, in reverse order; safe on a partial stack and twice.

        On real AWS the trail's bucket (audit records) is deleted only with `delete_logs=True`;
        `keep_logs=True` keeps the bucket and its objects on every target. `design` as in deploy.
        """
        from signin_lab.stack import eventbridge
        from signin_lab.stack.deploy import teardown

        eventbridge.check_design(design)
        if design == "eventbridge":
            return eventbridge.teardown(self)
        result = teardown(self, keep_logs=keep_logs, delete_logs=delete_logs)
        if design == "both":
            result.changes.extend(eventbridge.teardown(self).changes)
        return result

    @property
    def emulator(self) -> Emulator:
        """AWS's runtime behaviour that moto lacks, bound to this lab (created on first use)."""
        if self._emulator is None:
            from signin_lab.emulator import Emulator

            self._emulator = Emulator(self)
        return self._emulator

    def replay(self, records: Iterable[dict[str, Any]], **options: Any) -> Any:
        """CloudTrail records through delivery, metric filters, alarms and SNS; returns the run."""
        return self.emulator.replay(records, **options)

    def inbox(self) -> list[Any]:
        """Messages delivered so far to email and SMS subscriptions."""
        return self.emulator.inbox()

    def drill(self, outcome: str, user_type: str, **options: Any) -> Any:
        """One synthetic ConsoleLogin through the pipeline (on real AWS: into the real log group)."""
        return self.emulator.drill(outcome, user_type, **options)

    # -- lifetime ------------------------------------------------------------------------------
    def close(self) -> None:
        """Stop in-process moto; a moto server or AWS keeps its state."""
        self.target.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Lab({redact(self.target.label)}, region={self.region!r})"
