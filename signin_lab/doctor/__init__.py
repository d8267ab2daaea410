"""`signin_lab.doctor(lab)`: "why didn't my alert fire?" Every link from sign-in to inbox, first broken one named.

For each configured alert the doctor walks each deployed design's chain in order: the blog's
(trail -> delivery -> log group -> metric filter -> metric -> alarm -> action -> topic ->
subscription -> endpoint) and the EventBridge design's (forward -> rule -> target -> topic ->
subscription -> endpoint). It only reads (see `reader`),
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

    Each deployed design's chain is walked per alert: the blog's under the alert's key, the
    EventBridge design's under "eventbridge:<key>"; a design with none of its resources is one
    NOT DEPLOYED finding (alert "blog" or "eventbridge"). When neither is found the blog's chain
    is walked, so its missing links are named. `records`: the user's own CloudTrail records, or a
    path or `s3://bucket/prefix` URL read by `signin_lab.events.load_records` (S3 through the
    lab's own client), tested against each pattern besides AWS's documented examples. `now`: the
    time the log group's newest event is compared with (default: the wall clock).
    """
    from signin_lab.doctor import chain, eventbridge
    from signin_lab.doctor.patterns import documented_samples, user_samples
    from signin_lab.doctor.reader import Reader
    from signin_lab.stack.eventbridge_plan import plan

    cfg = lab.config
    alerts = [cfg.alert(alert)] if alert else list(cfg.alerts)
    samples = documented_samples()
    if records is not None:
        if isinstance(records, str):
            from signin_lab.events import load_records

            records = load_records(records, target=lab)
        samples += user_samples(records)
    reader = Reader(lab)
    when = now or datetime.now(UTC)
    diagnosis = Diagnosis(target=lab.kind, region=cfg.region)
    first = chain.Context(reader, cfg, alerts[0], samples, when, names=chain.names_for(cfg, alerts[0]))
    eb_regions = list(plan(cfg).regions)
    has_eb = eventbridge.deployed(first, eb_regions)
    has_blog = _blog_deployed(first) or not has_eb
    diagnosis.designs = {"blog": has_blog, "eventbridge": has_eb}
    if not has_blog:
        diagnosis.findings.append(eventbridge.not_deployed(
            "blog", f"cloudtrail DescribeTrails, logs DescribeLogGroups, cloudwatch DescribeAlarms ({cfg.region}): "
            f"no trail {cfg.trail_name}, log group {cfg.log_group_name} or alert alarm"))
    for a in alerts:
        ctx = chain.Context(reader, cfg, a, samples, when, names=chain.names_for(cfg, a))
        if has_blog:
            diagnosis.findings.extend(_blog_links(ctx))
        if has_eb:
            diagnosis.findings.extend(eventbridge.eventbridge_links(ctx))
    if not has_eb:
        diagnosis.findings.append(eventbridge.not_deployed(
            "eventbridge", f"events ListRules (default bus, {', '.join(eb_regions)}): no sign-in rule"))
    diagnosis.reads = list(reader.reads)
    return diagnosis


def _blog_deployed(ctx: Any) -> bool:
    """Whether any of the blog design's resources exists (a read that fails counts as deployed)."""
    from signin_lab.doctor.reader import ReadError

    cfg, r = ctx.cfg, ctx.reader
    trails = r.call("cloudtrail", "describe_trails", includeShadowTrails=True)
    groups = r.pages("logs", "describe_log_groups", "logGroups", logGroupNamePrefix=cfg.log_group_name)
    alarms = r.call("cloudwatch", "describe_alarms", AlarmNames=[a.alarm_name for a in cfg.alerts][:100])
    if any(isinstance(x, ReadError) for x in (trails, groups, alarms)):
        return True
    return (any(t.get("Name") == cfg.trail_name for t in trails.get("trailList", []))
            or any(g["logGroupName"] == cfg.log_group_name for g in groups)
            or bool(alarms.get("MetricAlarms")))


def _blog_links(ctx: Any) -> list[Finding]:
    """The blog design's chain for one alert, in chain order."""
    from signin_lab.doctor import chain, sns, trail

    reader, cfg, a = ctx.reader, ctx.cfg, ctx.alert
    found = trail.trail_links(ctx) + trail.delivery_links(ctx) + chain.log_group_links(ctx)
    found += chain.filter_links(ctx)
    home = ctx.trail.get("HomeRegion", cfg.region) if ctx.trail is not None else cfg.region
    others = sorted({"us-east-1", home} - {cfg.region})
    alarm = chain.alarm_links(ctx, others)
    found += chain.metric_links(ctx) + alarm + chain.action_links(ctx)
    topic, attrs = sns.topic_links(ctx)
    found += topic
    if attrs is not None and ctx.topic_arn:
        region = ctx.topic_arn.split(":")[3]
        subs = reader.pages(
            "sns", "list_subscriptions_by_topic", "Subscriptions", region=region, TopicArn=ctx.topic_arn
        )
        found += sns.subscription_links(ctx, subs)
        if isinstance(subs, list):
            for s in subs:
                if s["Protocol"] == "sms":
                    found += sns.sms_links(reader, a.key, s["Endpoint"], region, ctx.names)
    return sorted(found, key=lambda f: LINKS.index(f.link))


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
