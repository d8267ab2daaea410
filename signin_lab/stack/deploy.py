"""Deploy and teardown of the whole stack, in the blog's order, idempotent and safe to repeat."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from signin_lab.errors import SigninLabError
from signin_lab.stack import cloudtrail, cloudwatch, iam, sns
from signin_lab.stack.changes import Change

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from signin_lab.config import LabConfig
    from signin_lab.lab import Lab


@dataclass
class StackResult:
    """What one deploy or teardown did, resource by resource."""

    operation: str  # "deploy" or "teardown"
    changes: list[Change] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """False when the run changed nothing (a redeploy of an unchanged stack)."""
        return any(c.action not in ("unchanged", "absent", "kept") for c in self.changes)

    def count(self, action: str) -> int:
        return sum(1 for c in self.changes if c.action == action)

    def summary(self) -> str:
        """One line: what changed, or that nothing did."""
        if not self.changed:
            return f"{self.operation}: nothing to change ({len(self.changes)} resources checked)"
        parts = [
            f"{self.count(a)} {a}"
            for a in ("created", "updated", "deleted", "kept", "unchanged", "absent")
            if self.count(a)
        ]
        return f"{self.operation}: " + ", ".join(parts)

    def frame(self) -> pd.DataFrame:
        """The changes as a table (section, kind, name, action, detail)."""
        import pandas as pd

        return pd.DataFrame(
            [(c.section, c.kind, c.name, c.action, c.detail) for c in self.changes],
            columns=["section", "kind", "name", "action", "detail"],
        )

    def __str__(self) -> str:
        return self.summary()


DeployResult = StackResult
TeardownResult = StackResult


def preflight(cfg: LabConfig) -> None:
    """Check everything AWS would refuse before any call: config values and filter patterns.

    `LabConfig.validate` checks what needs no filter-pattern engine (names, limits, settings);
    each alert's pattern is compiled here, a layer above the configuration, so that a pattern
    PutMetricFilter would refuse is refused first, with the caret under its column.
    """
    cfg.validate()
    regexes = 0
    for alert in cfg.alerts:
        error, regex = _pattern_check(alert.pattern)
        if error is not None:  # str(error) shows the pattern with a caret under the column
            raise SigninLabError(
                f"LabConfig.alerts[{alert.key!r}].pattern (metric filter {alert.filter_name!r}): "
                f"invalid pattern: {error}",
                field="patterns" if alert.key in cfg.patterns else "alerts",
            ) from error
        regexes += 1 if regex else 0
    # https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
    if regexes > 5:
        raise SigninLabError(f"log group {cfg.log_group_name!r}: {regexes} filter patterns use regex; AWS allows 5")


@functools.lru_cache(maxsize=256)
def _pattern_check(pattern: str) -> tuple[Exception | None, bool]:
    """The FilterPatternError `pattern` raises when compiled (or None), and whether it uses a
    regex; cached, since a lab re-checks the same patterns on every configure and deploy."""
    from signin_lab.filterpattern import FilterPattern, FilterPatternError

    try:
        fp = FilterPattern(pattern)
    except FilterPatternError as exc:
        return exc, False
    return None, bool(getattr(fp, "regex_count", 0))


def _run(result: StackResult, step: str, fn: Callable[[], list[Change]]) -> None:
    try:
        result.changes.extend(fn())
    except SigninLabError:
        raise
    except Exception as exc:  # botocore errors from the target: say which step, keep the cause
        raise SigninLabError(
            f"{result.operation} failed at {step}: {exc} "
            f"(done so far: {result.summary()}; `teardown` removes a partial stack)"
        ) from exc


def deploy(lab: Lab) -> StackResult:
    """Build the blog's stack section by section; a second run changes nothing and says so.

    The caller has checked `lab.config` with `preflight` (Lab.deploy does, before any call).
    """
    result = StackResult("deploy")
    _run(result, "IAM role", lambda: iam.ensure_role(lab))
    _run(result, "SNS topics", lambda: sns.ensure_topics(lab))
    _run(result, "CloudWatch Logs log group", lambda: cloudwatch.ensure_log_group(lab))
    _run(result, "S3 bucket", lambda: cloudtrail.ensure_bucket(lab))
    _run(result, "CloudTrail trail", lambda: _ensure_trail_with_retry(lab))
    _run(result, "metric filters", lambda: cloudwatch.ensure_metric_filters(lab))
    _run(result, "alarms", lambda: cloudwatch.ensure_alarms(lab))
    return result


def _ensure_trail_with_retry(lab: Lab) -> list[Change]:
    """A role that was just created can take seconds to be assumable by CloudTrail on real AWS.

    https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_general.html#troubleshoot_general_eventual-consistency
    """
    import time

    from signin_lab.aws_errors import error_code

    real = not lab.target.emulated
    for attempt in range(6 if real else 1):
        try:
            return cloudtrail.ensure_trail(lab)
        except Exception as exc:
            if not real or error_code(exc) != "InvalidCloudWatchLogsRoleArnException" or attempt == 5:
                raise
            time.sleep(5)
    raise AssertionError("unreachable")  # pragma: no cover


def teardown(lab: Lab, *, keep_logs: bool = False, delete_logs: bool | None = None) -> StackResult:
    """Remove everything deploy made, in reverse order; absent resources are fine.

    Every configured alert's resources are removed, and the CIS alerts' too, whether or not this
    Lab's config has `cis` on. Where the target keeps audit logs (real AWS) the bucket and the log
    group are deleted only with `delete_logs=True`.
    """
    cfg = lab.config.replace(cis=True)
    keep = keep_logs or (lab.target.keeps_audit_logs and delete_logs is not True)
    result = StackResult("teardown")
    _run(result, "alarms", lambda: cloudwatch.delete_alarms(lab, cfg))
    _run(result, "metric filters", lambda: cloudwatch.delete_metric_filters(lab, cfg))
    _run(result, "CloudTrail trail", lambda: cloudtrail.delete_trail(lab, cfg))
    _run(result, "S3 bucket", lambda: cloudtrail.delete_bucket(lab, cfg, keep=keep))
    _run(result, "CloudWatch Logs log group", lambda: cloudwatch.delete_log_group(lab, cfg, keep=keep))
    _run(result, "SNS topics", lambda: sns.delete_topics(lab, cfg))
    _run(result, "IAM role", lambda: iam.delete_role(lab, cfg))
    return result


def sections() -> dict[str, Any]:
    """The section functions in deploy order, for notebooks that build one section at a time."""
    return {
        "iam": iam.ensure_role,
        "sns": sns.ensure_topics,
        "log_group": cloudwatch.ensure_log_group,
        "bucket": cloudtrail.ensure_bucket,
        "trail": cloudtrail.ensure_trail,
        "metric_filters": cloudwatch.ensure_metric_filters,
        "alarms": cloudwatch.ensure_alarms,
    }
