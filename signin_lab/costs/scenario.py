"""What drives one month's bill: Scenario (validated quantities) and the blog's month.

`Scenario.blog()` is the blog's month, its volumes derived from the blog's "about 30 KB a day" with
the ratios measured on AWS's example records (the constants below); `Scenario.for_config(cfg)` is
that month for the stack a LabConfig deploys. costs.model prices a Scenario.
"""

from __future__ import annotations

import dataclasses
import math
import numbers
import types
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, get_args

from signin_lab.config import BLOG_ALERTS, sms_country
from signin_lab.costs.book import PLANS, Plan, load_prices
from signin_lab.errors import SigninLabError

if TYPE_CHECKING:  # pragma: no cover
    from signin_lab.config import LabConfig

Design = Literal["logs", "eventbridge"]
Service = Literal["CloudTrail", "CloudWatch", "S3", "SNS", "EventBridge"]

DESIGNS: tuple[str, ...] = get_args(Design)
#: The four services of the blog's design, in the order reports list them.
SERVICES: tuple[str, ...] = ("CloudTrail", "CloudWatch", "S3", "SNS")


# --- The blog's month -------------------------------------------------------------------------
# The blog: "about 30 KB a day" of CloudTrail log files to S3 (gzip JSON). The two ratios below turn
# that into events and raw bytes; they are measured on AWS's own 15 example ConsoleLogin records
# (signin_lab/data/console_login_examples.json, a copy of the reference collection): 989 bytes per
# record on average as compact JSON, and 6.2:1 for gzip over one {"Records": [...]} file of all 15.
_BLOG_S3_BYTES_PER_DAY = 30_000
#: Bytes of one CloudTrail record as compact JSON (AWS's ConsoleLogin examples: 989 on average).
RECORD_BYTES = 1_000
#: gzip's ratio on a CloudTrail log file (6.2:1 on AWS's 15 examples in one file).
GZIP_RATIO = 6
_DAYS_PER_MONTH = 30
# Assumption (not in the blog): CloudTrail delivers a file "about every 5 minutes" when there is
# activity (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/how-cloudtrail-works.html);
# a quiet personal account is taken to produce about one file an hour.
_BLOG_LOG_FILES_PER_DAY = 24


def _fail(where: str, message: str) -> SigninLabError:
    return SigninLabError(f"{where}: {message}", field=where.split("[")[0].split(":")[0])


# --- Scenario ----------------------------------------------------------------------------------

_COUNTS = (
    "alarms",
    "custom_metrics",
    "trails",
    "management_events_per_month",
    "data_events_per_month",
    "s3_puts",
    "publishes_per_month",
    "emails_per_month",
)
_AMOUNTS = ("log_gb_ingested", "log_gb_stored", "s3_gb", "earned_credits")


def _count(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise _fail(name, f"expected a whole number, got {value!r}")
    if value < 0:
        raise _fail(name, f"must not be negative, got {value}")
    return int(value)


def _amount(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise _fail(name, f"expected a number, got {value!r}")
    number = float(value)
    if not math.isfinite(number) or number < 0:
        raise _fail(name, f"must be a finite number, not negative, got {value!r}")
    return number


@dataclass(frozen=True)
class Scenario:
    """What drives one month's bill; every quantity is per month. Bad input raises SigninLabError.

    `sms_per_month` maps ISO 3166 country codes ("GB") to SMS messages (message parts) sent there;
    a country without a known price is an error. `month` is the month of the account's life the
    bill is for (1 = the first), which decides the 12-month offers and the credits. `design` is
    "logs" (the blog: trail -> CloudWatch Logs -> metric filter -> alarm -> SNS) or "eventbridge"
    (an EventBridge rule on the sign-in events straight to SNS).
    """

    alarms: int = len(BLOG_ALERTS)  # one alarm per alert, the blog's four
    custom_metrics: int = len(BLOG_ALERTS)  # one metric filter's metric per alert
    trails: int = 1
    management_events_per_month: int = 0
    log_gb_ingested: float = 0.0
    log_gb_stored: float = 0.0
    s3_gb: float = 0.0
    s3_puts: int = 0
    emails_per_month: int = 0
    sms_per_month: Mapping[str, int] = field(default_factory=dict)
    plan: Plan = "legacy"
    publishes_per_month: int = 0
    data_events_per_month: int = 0
    month: int = 1
    earned_credits: float = 0.0
    design: Design = "logs"

    def __post_init__(self) -> None:
        for name in _COUNTS:
            object.__setattr__(self, name, _count(name, getattr(self, name)))
        for name in _AMOUNTS:
            object.__setattr__(self, name, _amount(name, getattr(self, name)))
        month = _count("month", self.month)
        if month < 1:
            raise _fail("month", "the first month of the account is 1, got 0")
        object.__setattr__(self, "month", month)
        if self.plan not in PLANS:
            raise _fail("plan", f"unknown plan {self.plan!r}; expected one of {', '.join(PLANS)}")
        if self.design not in DESIGNS:
            raise _fail(
                "design", f"unknown design {self.design!r}; expected one of {', '.join(DESIGNS)}"
            )
        raw = self.sms_per_month
        if not isinstance(raw, Mapping):
            raise _fail(
                "sms_per_month", f"expected a mapping of country code to count, got {raw!r}"
            )
        known = load_prices().sms
        sms: dict[str, int] = {}
        for country, count in raw.items():
            where = f"sms_per_month[{country!r}]"
            if not isinstance(country, str):
                raise _fail(where, "a country is an ISO 3166 code such as 'GB'")
            code = country.strip().upper()
            if code not in known:
                raise _fail(
                    where,
                    f"no known SMS price for country {country!r} "
                    f"(known: {', '.join(sorted(known))}); "
                    "add it to a price book (costs/prices/<region>.json) with its source",
                )
            sms[code] = sms.get(code, 0) + _count(where, count)
        object.__setattr__(self, "sms_per_month", types.MappingProxyType(dict(sorted(sms.items()))))

    def __hash__(self) -> int:  # the SMS mapping is read-only, so a Scenario can be hashed
        values = [getattr(self, f.name) for f in dataclasses.fields(self)]
        return hash(tuple(tuple(v.items()) if isinstance(v, Mapping) else v for v in values))

    @property
    def sms_total(self) -> int:
        """SMS messages a month, all countries."""
        return sum(self.sms_per_month.values())

    def replace(self, **changes: Any) -> Scenario:
        """A copy with some fields changed (validated again)."""
        return dataclasses.replace(self, **changes)

    @classmethod
    def for_config(cls, config: LabConfig, plan: Plan = "legacy", **changes: Any) -> Scenario:
        """The blog's month for the stack `config` deploys: one alarm per configured alert, one
        custom metric per distinct (namespace, metric name), SMS to the country of the configured
        number (phonenumbers) when an alert sends SMS, emails only when an email is configured.

        The volumes (events, log data, S3) are the blog's (see `blog`); `changes` sets any field.
        """
        return _for_config(cls, config, plan, changes)

    @classmethod
    def blog(cls, plan: Plan = "legacy") -> Scenario:
        """The blog's month: four metrics, four alarms, one trail with management events only,
        about 30 KB a day to S3, a handful of emails, two SMS to a UK number.

        The blog gives only the S3 volume; events and raw log bytes are derived from it with the
        ratios measured on AWS's example records (see the module constants).
        """
        raw_bytes_per_day = _BLOG_S3_BYTES_PER_DAY * GZIP_RATIO
        events = raw_bytes_per_day // RECORD_BYTES * _DAYS_PER_MONTH
        return cls(
            alarms=len(BLOG_ALERTS),
            custom_metrics=len(BLOG_ALERTS),
            trails=1,
            management_events_per_month=events,
            log_gb_ingested=raw_bytes_per_day * _DAYS_PER_MONTH / 1e9,
            log_gb_stored=raw_bytes_per_day * _DAYS_PER_MONTH / 1e9,
            s3_gb=_BLOG_S3_BYTES_PER_DAY * _DAYS_PER_MONTH / 1e9,
            s3_puts=_BLOG_LOG_FILES_PER_DAY * _DAYS_PER_MONTH,
            # A handful of alerts, each one publish and one email; the two root sign-ins also
            # went out as SMS (the same publish fans out to both subscriptions).
            publishes_per_month=5,
            emails_per_month=5,
            sms_per_month={"GB": 2},
            plan=plan,
        )


def _for_config(cls: type[Scenario], config: LabConfig, plan: Plan, changes: Mapping[str, Any]) -> Scenario:
    blog = cls.blog(plan=plan)
    alerts = config.alerts
    metrics = {(a.namespace, a.metric_name) for a in alerts}
    sms: dict[str, int] = {}
    if config.sms is not None and any(a.sms for a in alerts):
        sms = {sms_country(config.sms): blog.sms_total}
    base = blog.replace(
        alarms=len(alerts),
        custom_metrics=len(metrics),
        sms_per_month=sms,
        emails_per_month=blog.emails_per_month if config.email is not None else 0,
    )
    return base.replace(**changes) if changes else base
