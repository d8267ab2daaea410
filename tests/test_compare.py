"""compare_designs: the blog's design and the EventBridge design on the same records."""

from __future__ import annotations

import json

import pytest

from signin_lab import LabConfig, SigninLabError
from signin_lab.compare import compare_designs
from signin_lab.costs.eventbridge import CUSTOM_EVENTS, forwarding_line
from signin_lab.events.samples import blog_test_signins, password_guessing

BLOG_ROOT = ('{ ($.eventName = "ConsoleLogin") && ($.userIdentity.type = "root") '
             '&& ($.responseElements.ConsoleLogin = "Success") }')


def test_both_designs_notify_the_blogs_four_signins() -> None:
    """With a multi-Region trail both designs notify all four of the blog's test sign-ins."""
    summary = compare_designs(blog_test_signins()).frame()
    assert [4, 4] == list(summary["notified"])


def test_single_region_trail_misses_and_says_why() -> None:
    """A single-Region trail in eu-west-1 misses the us-east-1 root sign-in, naming both Regions."""
    rows = compare_designs(blog_test_signins(), LabConfig(trail_multi_region=False)).signins()
    root = rows[rows["user_type"] == "Root"].iloc[0]
    assert "single-Region trail in eu-west-1; the sign-in was recorded in us-east-1" == root["blog_why"]


def test_blog_root_pattern_case_is_the_reason() -> None:
    """The blog's "root" pattern misses the root success sign-in, and the reason says case."""
    rows = compare_designs(blog_test_signins(), LabConfig(patterns={"success-root": BLOG_ROOT})).signins()
    root = rows[(rows["user_type"] == "Root") & (rows["outcome"] == "Success")].iloc[0]
    assert 'filter pattern case: the pattern says "root", CloudTrail writes "Root"' == root["blog_why"]


def test_password_guessing_gets_one_alarm_email_and_one_message_per_attempt() -> None:
    """36 failed attempts: the alarm notifies once per change to ALARM, EventBridge once each."""
    summary = compare_designs(password_guessing()).frame()
    assert (36, True) == (int(summary.loc["eventbridge", "notifications"]),
                          int(summary.loc["blog", "notifications"]) < 36)


def test_repeats_while_in_alarm_are_explained() -> None:
    """Attempts while the alarm is already in ALARM are missed with that reason."""
    rows = compare_designs(password_guessing()).signins()
    reasons = set(rows.loc[~rows["blog"], "blog_why"])
    assert {"alarm already in ALARM: an alarm notifies only when its state changes"} == reasons


def test_eventbridge_message_tells_who_and_where() -> None:
    """The EventBridge message carries who, source IP, Region, MFA and user agent; the alarm's does not."""
    fields = compare_designs(blog_test_signins()).fields_frame()
    assert ([True] * 5, [False] * 5) == (
        list(fields.loc[["who", "source IP", "Region", "MFA used", "user agent"], "eventbridge"]),
        list(fields.loc[["who", "source IP", "Region", "MFA used", "user agent"], "blog"]))


def test_every_hop_names_an_aws_page() -> None:
    """Each hop row has a docs.aws.amazon.com source."""
    hops = compare_designs(blog_test_signins()).hops
    assert all(h["source"].startswith("https://docs.aws.amazon.com/") for h in hops)


def test_forwarded_events_are_priced_as_custom_events() -> None:
    """Four forwarded events cost 4 x USD 1.00 per million, with no free allowance."""
    assert 4 * 1.0 / 1_000_000 == pytest.approx(forwarding_line(4).usd)


def test_custom_events_price_cites_the_pricing_page() -> None:
    """The custom-events price names AWS's EventBridge pricing page."""
    assert "https://aws.amazon.com/eventbridge/pricing/" == CUSTOM_EVENTS.source


def test_scaling_to_a_million_signins_costs_the_eventbridge_design_something() -> None:
    """At a million sign-ins a month, forwarding and SNS make the EventBridge design cost money."""
    summary = compare_designs(blog_test_signins(), signins_per_month=1_000_000).frame()
    assert summary.loc["eventbridge", "usd_per_month"] > 0


def test_negative_volume_is_refused() -> None:
    """signins_per_month must be a count."""
    with pytest.raises(SigninLabError, match="signins_per_month"):
        compare_designs(blog_test_signins(), signins_per_month=-1)


def test_to_json_round_trips_the_summary() -> None:
    """to_json holds the per-design summary."""
    data = json.loads(compare_designs(blog_test_signins()).to_json())
    assert ["blog", "eventbridge"] == [row["design"] for row in data["summary"]]


def test_figure_has_two_panels() -> None:
    """The chart shows coverage and cost side by side."""
    assert 2 == len(compare_designs(blog_test_signins()).figure().axes)


def test_blog_model_goes_to_alarm_when_the_emulator_does() -> None:
    """compare's blog model and the emulator's replay on moto give the same ALARM times."""
    from signin_lab import Lab
    from signin_lab.compare.blogmodel import run_alerts

    records = blog_test_signins() + password_guessing()
    cfg = LabConfig(evaluation_periods=3, datapoints_to_alarm=2, threshold=2.0)
    with Lab.moto(config=cfg) as lab:
        lab.deploy(email="you@example.com")
        timeline = lab.replay(records).timeline
    emulated = sorted((r.alarm, r.time.to_pydatetime()) for r in timeline.itertuples() if r.state == "ALARM")
    assert emulated == sorted((a.name, t) for a in run_alerts(records, cfg) for t, _, _ in a.notifications)


def test_a_match_below_the_threshold_says_so() -> None:
    """With threshold 5 one failed sign-in is matched but never alarms, and the reason says so."""
    rows = compare_designs(blog_test_signins(), LabConfig(threshold=5.0)).signins()
    assert {"a metric filter matched, but the alarm did not go to ALARM (threshold, M of N)"} == set(rows["blog_why"])


def test_sms_is_priced_for_the_root_success_alert() -> None:
    """With a UK number, each design's bill has one SMS for the one root success sign-in."""
    costs = compare_designs(blog_test_signins(), LabConfig(sms="+447700900123")).costs
    sms = {d: [ln["quantity"] for ln in lines if ln["item"].startswith("SMS")] for d, lines in costs.items()}
    assert {"blog": [1.0], "eventbridge": [1.0]} == sms


def test_sms_country_without_a_price_is_noted() -> None:
    """A number in a country prices.json does not price is left out, and a note says so."""
    notes = compare_designs(blog_test_signins(), LabConfig(sms="+12015550123")).notes
    assert any(n.startswith("no SMS price for US") for n in notes)


def test_blog_root_case_is_carried_into_the_derived_rule() -> None:
    """One alert definition, two designs: the blog's "root" pattern makes the rule miss too, and says why."""
    rows = compare_designs(blog_test_signins(), LabConfig(patterns={"success-root": BLOG_ROOT})).signins()
    root = rows[(rows["user_type"] == "Root") & (rows["outcome"] == "Success")].iloc[0]
    assert 'rule pattern case: derived from a filter saying "root", CloudTrail writes "Root"' == root["eventbridge_why"]
