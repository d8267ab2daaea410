"""The architecture diagram, drawn as code with the `diagrams` package's AWS icons, from LabConfig.

Every node comes from the config (trail, bucket, log group, role, one filter, alarm and topic per
alert, the subscribers), so the picture changes with it. Rendering needs Graphviz's `dot`
(`apt-get install graphviz`).

Which Region records which console sign-in (what the sign-in nodes say):
https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-aws-console-sign-in-events.html
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from typing import Any

from signin_lab.config import LabConfig
from signin_lab.errors import SigninLabError

#: The sign-ins and the Region CloudTrail records each in (the page above).
SIGNIN_SOURCES: tuple[tuple[str, str], ...] = (
    ("Root user sign-in", "recorded in us-east-1"),
    ("IAM user, global endpoint", "us-east-1, or by latency\nus-east-2 / eu-north-1 / ap-southeast-2"),
    ("IAM user, Regional endpoint", "recorded in the endpoint's Region"),
)


@dataclass(frozen=True, repr=False)
class ArchitectureDiagram:
    """A rendered diagram: the PNG, the Graphviz source, and the node labels (for checks)."""

    png: bytes
    dot: str
    labels: tuple[str, ...]
    edges: tuple[tuple[str, str], ...]

    def __repr__(self) -> str:
        """Short and the same on every Graphviz version: the counts, not the PNG (Jupyter shows the image)."""
        return f"ArchitectureDiagram({len(self.labels)} nodes, {len(self.edges)} edges)"

    def _repr_png_(self) -> bytes:
        """Jupyter shows the PNG."""
        return self.png

    def save(self, path: str) -> str:
        """Write the PNG to `path` and return the path."""
        from pathlib import Path

        Path(path).write_bytes(self.png)
        return path


DESIGNS = ("blog", "eventbridge")


def _label(*lines: str) -> str:
    return "\n".join(line for line in lines if line)


def architecture(config: LabConfig | None = None, design: str = "blog") -> ArchitectureDiagram:
    """The architecture for `config`.

    design "blog": sign-ins -> trail -> S3 and log group (with the role) -> filters -> alarms ->
    topics -> subscribers. design "eventbridge": sign-ins -> trail -> each recording Region's
    default event bus -> a rule -> that Region's topic -> subscribers (notebook 09).
    """
    import os
    import tempfile

    cfg = config or LabConfig()
    cfg.validate()
    if design not in DESIGNS:
        raise SigninLabError(f"design {design!r}: not a design; designs: {', '.join(DESIGNS)}", field="design")
    if shutil.which("dot") is None:
        raise SigninLabError("the architecture diagram needs Graphviz's `dot`: apt-get install graphviz")
    from diagrams import Cluster, Diagram
    from diagrams.aws.general import User
    from diagrams.aws.management import Cloudtrail
    from diagrams.aws.storage import S3

    drawing = _Drawing()
    node, link = drawing.node, drawing.link
    trail_kind = "multi-Region trail" if cfg.trail_multi_region else f"single-Region trail ({cfg.region} only)"
    graph = {"fontsize": "20", "pad": "0.8", "nodesep": "0.35", "ranksep": "1.5", "splines": "spline"}
    with tempfile.TemporaryDirectory() as tmp:
        filename = os.path.join(tmp, "architecture")
        title = "console sign-in alerts" if design == "blog" else "console sign-in alerts, EventBridge design"
        with Diagram(f"signin-lab: {title} ({cfg.region})", filename=filename, outformat="png",
                     show=False, direction="LR", graph_attr=graph) as d:
            with Cluster("Console sign-ins (every Region)"):
                signins = [node(User, who, where) for who, where in SIGNIN_SOURCES]
            trail = node(Cloudtrail, "trail", cfg.trail_name, trail_kind)
            for s in signins:
                link(s, trail, "ConsoleLogin", color="darkgreen")
            bucket = node(S3, "S3 bucket", cfg.bucket, "log files")
            link(trail, bucket)
            if design == "eventbridge":
                _draw_eventbridge(drawing, cfg, trail)
            else:
                _draw_blog(drawing, cfg, trail)
            dot = str(d.dot.source)
        with open(filename + ".png", "rb") as f:
            png = f.read()
    return ArchitectureDiagram(png=png, dot=dot, labels=tuple(drawing.labels), edges=tuple(drawing.edges))


class _Drawing:
    """The nodes and edges drawn so far, by label (what ArchitectureDiagram reports)."""

    def __init__(self) -> None:
        self.labels: list[str] = []
        self.edges: list[tuple[str, str]] = []
        self._label_of: dict[int, str] = {}

    def node(self, kind: Any, *lines: str) -> Any:
        """A `kind` node labelled with the non-empty `lines`."""
        text = _label(*lines)
        self.labels.append(text)
        made = kind(text)
        self._label_of[id(made)] = text
        return made

    def link(self, a: Any, b: Any, text: str = "", **style: Any) -> None:
        """An edge a -> b."""
        from diagrams import Edge

        self.edges.append((self._label_of[id(a)], self._label_of[id(b)]))
        a >> Edge(label=text, **style) >> b


def _draw_eventbridge(drawing: _Drawing, cfg: LabConfig, trail: Any) -> None:
    """What lab.deploy(design="eventbridge") builds (signin_lab.stack.eventbridge_plan): a
    forwarding rule in every Region that records sign-ins, the central Region's rule per alert
    with its SNS target, and the topics' subscribers."""
    from diagrams import Cluster
    from diagrams.aws.general import MobileClient
    from diagrams.aws.integration import (
        EventbridgeDefaultEventBusResource,
        EventbridgeRule,
        SimpleNotificationServiceSnsEmailNotification,
        SimpleNotificationServiceSnsTopic,
    )

    from signin_lab.stack.eventbridge_plan import plan

    node, link = drawing.node, drawing.link
    built = plan(cfg)
    with Cluster(f"{built.central} (central Region)"):
        central_bus = node(EventbridgeDefaultEventBusResource, "default event bus", built.central)
        targets = []
        for rule in built.rules_in(built.central):
            r = node(EventbridgeRule, "rule", rule.name, "source aws.signin, ConsoleLogin")
            t = node(SimpleNotificationServiceSnsTopic, "topic", built.topics[rule.alert_key or ""])
            link(central_bus, r)
            link(r, t, "input transformer")
            targets.append((rule.alert_key, t))
    link(trail, central_bus, "sign-ins recorded here")
    for region in built.regions:
        if region == built.central:
            continue
        with Cluster(region):
            bus = node(EventbridgeDefaultEventBusResource, "default event bus", region)
            fwd = node(EventbridgeRule, "forwarding rule", region)
        link(trail, bus, "sign-ins recorded here")
        link(bus, fwd)
        link(fwd, central_bus, "PutEvents (role)", style="dashed")
    email = node(SimpleNotificationServiceSnsEmailNotification, "email", cfg.email or "(no address set)")
    sms_keys = {a.key for a in cfg.alerts if a.sms}
    phone = node(MobileClient, "SMS", cfg.sms or "(no number set)") if sms_keys else None
    for key, t in targets:
        link(t, email)
        if key in sms_keys and phone is not None:
            link(t, phone)


def _draw_blog(drawing: _Drawing, cfg: LabConfig, trail: Any) -> None:
    """The blog's design: trail -> log group (with the role) -> filters -> alarms -> topics -> subscribers."""
    from diagrams import Cluster
    from diagrams.aws.general import MobileClient
    from diagrams.aws.integration import (
        SimpleNotificationServiceSnsEmailNotification,
        SimpleNotificationServiceSnsTopic,
    )
    from diagrams.aws.management import Cloudwatch, CloudwatchAlarm, CloudwatchLogs
    from diagrams.aws.security import IAMRole

    node, link = drawing.node, drawing.link
    with Cluster(f"CloudWatch ({cfg.region})"):
        group = node(CloudwatchLogs, "log group", cfg.log_group_name)
        role = node(IAMRole, "IAM role", cfg.role_name)
        alarms = []
        for alert in cfg.alerts:
            metric = node(Cloudwatch, "metric filter", alert.filter_name)
            alarm = node(CloudwatchAlarm, "alarm", alert.alarm_name,
                         f"{alert.statistic} over {alert.period} s > {alert.threshold:g}"
                         if alert.comparison_operator == "GreaterThanThreshold"
                         else f"{alert.statistic} over {alert.period} s, {alert.comparison_operator}")
            link(group, metric)
            link(metric, alarm)
            alarms.append((alert, alarm))
    link(trail, role, "assumes", style="dashed")
    link(role, group, "PutLogEvents")
    with Cluster("SNS (Standard topics)"):
        topics = [(alert, alarm, node(SimpleNotificationServiceSnsTopic, "topic", alert.topic_name))
                  for alert, alarm in alarms]
    email = node(SimpleNotificationServiceSnsEmailNotification, "email", cfg.email or "(no address set)")
    phone = node(MobileClient, "SMS", cfg.sms or "(no number set)") if any(a.sms for a in cfg.alerts) else None
    for alert, alarm, topic in topics:
        link(alarm, topic, "ALARM")
        link(topic, email)
        if alert.sms and phone is not None:
            link(topic, phone)
