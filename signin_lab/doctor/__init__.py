"""`signin_lab.doctor(lab)`: "why didn't my alert fire?" Every link from sign-in to inbox, first broken one named.

For each configured alert the doctor walks the blog design's chain in order (trail -> delivery ->
log group -> metric filter -> metric -> alarm -> action -> topic -> subscription -> endpoint) and,
where it is deployed, the EventBridge design's (rule -> target). It only reads (see `reader`),
so it is safe on a real account with no confirmation. Rules and their AWS sources: `rules`.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from signin_lab.doctor.model import LINKS, Diagnosis, Finding, Status

if TYPE_CHECKING:  # pragma: no cover
    from signin_lab.lab import Lab

__all__ = ["LINKS", "Diagnosis", "Finding", "Status", "doctor"]


def doctor(
    lab: Lab,
    *,
    alert: str | None = None,
    records: Iterable[dict[str, Any]] | str | None = None,
    now: datetime | None = None,
) -> Diagnosis:
    """Diagnose every configured alert (or only `alert`, a key such as "success-root").

    `records`: the user's own CloudTrail records (or a path for `signin_lab.events.load_records`),
    tested against each filter pattern besides AWS's documented examples. `now`: the time the
    log group's newest event is compared with (default: the wall clock).
    """
    from signin_lab.doctor import chain, eventbridge, sns, trail
    from signin_lab.doctor.patterns import documented_samples, user_samples
    from signin_lab.doctor.reader import Reader

    cfg = lab.config
    alerts = [cfg.alert(alert)] if alert else list(cfg.alerts)
    samples = documented_samples()
    if records is not None:
        if isinstance(records, str):
            from signin_lab.events import load_records

            records = load_records(records)
        samples += user_samples(records)
    reader = Reader(lab)
    when = now or datetime.now(UTC)
    diagnosis = Diagnosis(target=lab.kind, region=cfg.region)
    home = cfg.region
    for a in alerts:
        ctx = chain.Context(reader, cfg, a, samples, when, names=chain.names_for(cfg, a))
        found = trail.trail_links(ctx) + trail.delivery_links(ctx) + chain.log_group_links(ctx)
        found += chain.filter_links(ctx)
        if ctx.trail is not None:
            home = ctx.trail.get("HomeRegion", cfg.region)
        others = sorted({"us-east-1", home} - {cfg.region})
        alarm = chain.alarm_links(ctx, others)
        found += chain.metric_links(ctx) + alarm + chain.action_links(ctx)
        topic, attrs = sns.topic_links(ctx)
        found += topic
        if attrs is not None and ctx.topic_arn:
            subs = reader.pages("sns", "list_subscriptions_by_topic", "Subscriptions",
                                region=ctx.topic_arn.split(":")[3], TopicArn=ctx.topic_arn)
            found += sns.subscription_links(ctx, subs)
            if isinstance(subs, list):
                for s in subs:
                    if s["Protocol"] == "sms":
                        found += sns.sms_links(reader, a.key, s["Endpoint"], ctx.topic_arn.split(":")[3], ctx.names)
        diagnosis.findings.extend(sorted(found, key=lambda f: LINKS.index(f.link)))
    if alert is None:
        ctx = chain.Context(reader, cfg, alerts[0], samples, when, names=chain.names_for(cfg, alerts[0]))
        diagnosis.findings.extend(eventbridge.eventbridge_links(ctx, sorted({cfg.region, "us-east-1"})))
    diagnosis.reads = list(reader.reads)
    return diagnosis


class _CallableModule(types.ModuleType):
    """This package, callable as its own `doctor` function.

    `signin_lab.doctor(lab)` is the public name, but once `signin_lab.doctor.<module>` has been
    imported, Python binds `signin_lab.doctor` to this package, not to the function that
    `signin_lab.__getattr__` would return; calling the package calls the function, so both work.
    """

    def __call__(
        self,
        lab: Lab,
        *,
        alert: str | None = None,
        records: Iterable[dict[str, Any]] | str | None = None,
        now: datetime | None = None,
    ) -> Diagnosis:
        return doctor(lab, alert=alert, records=records, now=now)


sys.modules[__name__].__class__ = _CallableModule
