"""The architecture diagram: drawn from LabConfig with the `diagrams` package, rendered by Graphviz."""

from __future__ import annotations

import shutil

import pytest

from signin_lab import LabConfig, SigninLabError
from signin_lab.diagram import architecture

pytestmark = pytest.mark.skipif(
    shutil.which("dot") is None, reason="Graphviz's dot is not installed (apt-get install graphviz)"
)
EMAIL = "you@example.com"
SMS = "+447700900123"


def test_renders_a_png() -> None:
    """The diagram is a PNG image (its 8-byte signature)."""
    assert b"\x89PNG\r\n\x1a\n" == architecture().png[:8]


def test_one_filter_alarm_and_topic_per_alert() -> None:
    """The blog's four alerts give four metric filters, four alarms and four topics."""
    labels = architecture().labels
    counts = [
        sum(1 for label in labels if label.startswith(kind + "\n")) for kind in ("metric filter", "alarm", "topic")
    ]
    assert [4, 4, 4] == counts


def test_follows_the_config() -> None:
    """With the CIS controls the diagram grows to seven alarms and names the renamed log group."""
    labels = architecture(LabConfig(cis=True, log_group_name="my-trail-logs")).labels
    assert 7 == sum(1 for label in labels if label.startswith("alarm\n"))
    assert "log group\nmy-trail-logs" in labels


def test_every_alarm_feeds_its_topic() -> None:
    """Each alarm has an edge to its own topic."""
    cfg = LabConfig()
    edges = set(architecture(cfg).edges)
    for alert in cfg.alerts:
        alarm = next(e for e in edges if e[0].startswith(f"alarm\n{alert.alarm_name}\n") and e[1].startswith("topic"))
        assert f"topic\n{alert.topic_name}" == alarm[1]


def test_sms_only_from_sms_topics() -> None:
    """Only the success-root topic (the blog's one SMS alert) has an edge to the phone."""
    edges = architecture(LabConfig(email=EMAIL, sms=SMS)).edges
    assert ["topic\nsignin-console-success-root"] == [a for a, b in edges if b == f"SMS\n{SMS}"]


def test_single_region_trail_is_labelled() -> None:
    """A single-Region trail says so: it misses sign-ins recorded in other Regions."""
    labels = architecture(LabConfig(trail_multi_region=False)).labels
    assert "trail\nevents-management\nsingle-Region trail (eu-west-1 only)" in labels


def test_signins_come_from_three_recording_rules() -> None:
    """Root, global-endpoint and Regional-endpoint sign-ins all feed the trail."""
    edges = architecture().edges
    assert 3 == sum(1 for a, b in edges if b.startswith("trail\n"))


def test_missing_graphviz_is_a_one_line_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without Graphviz's dot, a SigninLabError says what to install."""
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(SigninLabError, match="apt-get install graphviz"):
        architecture()


def test_repr_is_short() -> None:
    """The text form names the counts, not the PNG's bytes (it is what a notebook stores as text)."""
    d = architecture()
    assert f"ArchitectureDiagram({len(d.labels)} nodes, {len(d.edges)} edges)" == repr(d)


def test_eventbridge_design_has_a_bus_in_every_recording_region() -> None:
    """The EventBridge variant draws what deploy builds: a default bus in every Region sign-ins are
    recorded in, a forwarding rule in each but the central one, and one rule per alert there."""
    from signin_lab.stack.eventbridge_plan import plan

    cfg = LabConfig()
    labels = architecture(cfg, design="eventbridge").labels
    buses = sorted(label.split("\n")[1] for label in labels if label.startswith("default event bus\n"))
    built = plan(cfg)
    assert sorted(built.regions) == buses
    forwarding = sum(1 for label in labels if label.startswith("forwarding rule\n"))
    alert_rules = sum(1 for label in labels if label.startswith("rule\n"))
    assert (len(built.regions) - 1, len(built.rules_in(cfg.region))) == (forwarding, alert_rules)


def test_eventbridge_design_in_a_recording_region_forwards_from_the_others() -> None:
    """Deployed in us-east-1 (itself a recording Region), only the other three Regions forward."""
    labels = architecture(LabConfig(region="us-east-1"), design="eventbridge").labels
    assert 3 == sum(1 for label in labels if label.startswith("forwarding rule\n"))


def test_eventbridge_design_has_no_metric_filters() -> None:
    """The EventBridge variant has no log group, metric filter or alarm."""
    labels = architecture(LabConfig(), design="eventbridge").labels
    assert [] == [label for label in labels if label.split("\n")[0] in ("log group", "metric filter", "alarm")]


def test_unknown_design_is_refused() -> None:
    """An unknown design is a one-line SigninLabError naming the designs."""
    with pytest.raises(SigninLabError, match="design 'cdk': not a design; designs: blog, eventbridge"):
        architecture(design="cdk")
