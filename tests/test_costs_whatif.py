"""Tests of signin_lab.costs.whatif and charts: monotonic curves, break-even points, the EventBridge design, figures."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from signin_lab import charts
from signin_lab.costs import Scenario, estimate, whatif
from signin_lab.costs.whatif import Curve
from signin_lab.errors import SigninLabError

if TYPE_CHECKING:
    from matplotlib.container import BarContainer
    from matplotlib.figure import Figure

CURVES: dict[str, Callable[[Scenario], Curve]] = {
    "alerts": lambda s: whatif.alerts(s),
    "sign-ins": lambda s: whatif.signins(s, sms_share=0.25),
    "sms": lambda s: whatif.sms(s),
    "emails": lambda s: whatif.emails(s),
    "trails": lambda s: whatif.trails(s),
    "scale": lambda s: whatif.scale(s),
}


@pytest.mark.parametrize("plan", ["legacy", "free", "paid"])
@pytest.mark.parametrize("name", sorted(CURVES))
def test_curve_is_monotonic(name: str, plan: str) -> None:
    """Every what-if curve's cost never falls as its driver grows."""
    assert CURVES[name](Scenario.blog(plan=plan)).is_monotonic()  # type: ignore[arg-type]


def test_break_even_points_of_the_blog() -> None:
    """The blog's month stops being free at the 11th alert, 1,001st email, 2nd trail, 1st SMS."""
    assert {
        "alerts": 11,
        "emails": 1_001,
        "trails": 2,
        "sms": 1,
        "logs_vs_eventbridge": 11,
    } == whatif.break_even_points()


@pytest.mark.parametrize("plan", ["free", "paid"])
def test_email_break_even_on_new_plans(plan: str) -> None:
    """On the new plans, which bill S3 from the first byte, emails still break even at 1,001."""
    points = whatif.break_even_points(Scenario.blog(plan=plan))  # type: ignore[arg-type]
    assert 1_001 == points["emails"]


def test_emails_curve_changes_only_emails() -> None:
    """The emails curve varies the email count and leaves the rest of the blog's month alone."""
    (report,) = whatif.emails(counts=(2_000,)).reports
    assert Scenario.blog().replace(emails_per_month=2_000) == report.scenario


def test_alerts_curve_ten_free_eleven_billed() -> None:
    """Ten alerts cost what none do; the 11th adds one metric and one alarm."""
    curve = whatif.alerts(counts=(0, 10, 11))
    base, ten, eleven = curve.totals
    assert (base, 0.40) == (ten, pytest.approx(eleven - ten))


def test_second_trail_curve_step() -> None:
    """The second trail adds the blog's management events at USD 2.00 per 100,000."""
    curve = whatif.trails(counts=(1, 2))
    events = Scenario.blog().management_events_per_month
    assert events * 2.00 / 100_000 == pytest.approx(curve.totals[1] - curve.totals[0])


def test_break_even_none_when_flat() -> None:
    """A curve that never costs more than its start has no break-even point."""
    assert whatif.alerts(counts=range(11)).break_even() is None


def test_break_even_with_threshold() -> None:
    """With a threshold, break-even is the first x costing more than it."""
    assert 3 == whatif.sms(counts=range(6)).break_even(threshold=0.10)


def test_eventbridge_design_has_no_cloudwatch() -> None:
    """The EventBridge design has no alarms, metrics or logs, and its events cost nothing."""
    report = estimate(
        whatif.eventbridge_design(Scenario.blog().replace(alarms=20, custom_metrics=20))
    )
    assert (0.0, 0.0) == (report.by_service["CloudWatch"], report.by_service["EventBridge"])


def test_eventbridge_line_cites_pricing_page() -> None:
    """The EventBridge line cites EventBridge's pricing page."""
    report = estimate(whatif.eventbridge_design())
    (line,) = [line for line in report.lines if line.service == "EventBridge"]
    assert "https://aws.amazon.com/eventbridge/pricing/" == line.source


def test_designs_equal_inside_free_tier() -> None:
    """Inside the free tier the blog's design costs the same as the EventBridge design."""
    reports = whatif.designs()
    assert reports["logs"].total == pytest.approx(reports["eventbridge"].total)


def test_eventbridge_design_cheaper_beyond_ten_alerts() -> None:
    """At 15 alerts the logs design costs 5 metrics and 5 alarms more."""
    curves = whatif.alerts_by_design(counts=(15,))
    assert 2.00 == pytest.approx(curves["logs"].totals[0] - curves["eventbridge"].totals[0])


def test_crossover_needs_same_points() -> None:
    """Comparing curves over different x values is an error."""
    with pytest.raises(SigninLabError, match=r"^curves: "):
        whatif.crossover(whatif.alerts(counts=(1, 2)), whatif.alerts(counts=(1, 3)))


def test_curve_refuses_negative_points() -> None:
    """A negative point on a curve is an error naming the axis."""
    with pytest.raises(SigninLabError, match=r"^alerts: "):
        whatif.alerts(counts=(-1, 2))


def test_curve_refuses_no_points() -> None:
    """An empty curve is an error."""
    with pytest.raises(SigninLabError, match=r"^trails: "):
        whatif.trails(counts=())


def test_sms_share_out_of_range() -> None:
    """An SMS share outside 0..1 is an error naming sms_share."""
    with pytest.raises(SigninLabError, match=r"^sms_share: "):
        whatif.signins(sms_share=1.5)


def test_curve_frame_columns() -> None:
    """Curve.frame() has the driver, the total and one column per service."""
    frame = whatif.trails().frame()
    assert ["trails", "total", "CloudTrail", "CloudWatch", "S3", "SNS"] == list(frame.columns)


@settings(max_examples=150, deadline=None)
@given(
    field=st.sampled_from(
        [
            "alarms",
            "custom_metrics",
            "trails",
            "management_events_per_month",
            "s3_puts",
            "publishes_per_month",
            "emails_per_month",
        ]
    ),
    start=st.integers(min_value=0, max_value=2_000_000),
    step=st.integers(min_value=0, max_value=2_000_000),
    plan=st.sampled_from(["legacy", "free", "paid"]),
)
def test_more_of_anything_never_costs_less(field: str, start: int, step: int, plan: str) -> None:
    """Raising any count never lowers the month's cost."""
    base = Scenario.blog(plan=plan)  # type: ignore[arg-type]
    low = estimate(base.replace(**{field: start})).total
    high = estimate(base.replace(**{field: start + step})).total
    assert high >= low - 1e-12


# --- charts --------------------------------------------------------------------------------------


def bar_containers(fig: Figure) -> list[BarContainer]:
    """The bar containers of the figure's only axes, in drawing order."""
    from matplotlib.container import BarContainer

    (ax,) = fig.axes
    return [c for c in ax.containers if isinstance(c, BarContainer)]


def test_stacked_bars_one_container_per_service() -> None:
    """The stacked bars have one bar container per service, each with one bar per report."""
    fig = charts.stacked_bars(whatif.designs())
    try:
        bars = bar_containers(fig)
        assert [5, 2] == [len(bars), len(bars[0].patches)]
        assert ["CloudTrail", "CloudWatch", "S3", "SNS", "EventBridge"] == [
            c.get_label() for c in bars
        ]
    finally:
        fig.clear()


def test_stacked_bars_heights_are_the_totals() -> None:
    """Each bar stacks up to its report's total."""
    reports = {
        "10 alerts": estimate(Scenario.blog().replace(alarms=10)),
        "20 alerts": estimate(Scenario.blog().replace(alarms=20, custom_metrics=20)),
    }
    fig = charts.stacked_bars(reports)
    try:
        bars = bar_containers(fig)
        tops = [sum(c.patches[i].get_height() for c in bars) for i in range(2)]
        assert [r.total for r in reports.values()] == pytest.approx(tops)
    finally:
        fig.clear()


def test_cost_curve_draws_each_curve_and_break_even() -> None:
    """cost_curve draws one line per curve and one dotted line per break-even point."""
    curves = [whatif.alerts(), whatif.trails(counts=(1, 2, 3))]
    fig = charts.cost_curve(curves)
    try:
        (ax,) = fig.axes
        solid = [line for line in ax.lines if line.get_linestyle() == "-"]
        dotted = [line for line in ax.lines if line.get_linestyle() == ":"]
        assert (2, 2) == (len(solid), len(dotted))
    finally:
        fig.clear()


def test_cost_curve_log_x_starts_at_the_smallest_x() -> None:
    """On a log x axis the chart starts at the curve's first x, not in negative sign-ins."""
    fig = charts.cost_curve(whatif.signins(counts=(0, 10, 1_000)), log_x=True)
    try:
        (ax,) = fig.axes
        assert 0.0 == ax.get_xlim()[0]
    finally:
        fig.clear()


def test_cost_curve_counts_get_whole_number_ticks() -> None:
    """A curve over counts (trails) gets whole-number ticks only."""
    fig = charts.cost_curve(whatif.trails(counts=(1, 2, 3)))
    try:
        (ax,) = fig.axes
        ticks = list(ax.get_xticks())
        assert [float(round(t)) for t in ticks] == ticks
    finally:
        fig.clear()


def test_charts_refuse_nothing() -> None:
    """An empty chart request is an error."""
    with pytest.raises(SigninLabError, match=r"^reports: "):
        charts.stacked_bars({})


def test_signins_add_log_data_in_the_logs_design() -> None:
    """In the blog's design each sign-in's record is also ingested into CloudWatch Logs."""
    (report,) = whatif.signins(counts=(1_000,)).reports
    assert Scenario.blog().log_gb_ingested + 1_000 * 1_000 / 1e9 == pytest.approx(
        report.scenario.log_gb_ingested
    )


def test_signins_add_no_log_data_in_the_eventbridge_design() -> None:
    """The EventBridge design ingests no log data however many sign-ins there are."""
    (report,) = whatif.signins(whatif.eventbridge_design(), counts=(1_000,)).reports
    assert 0.0 == report.scenario.log_gb_ingested


def test_curve_takes_a_price_book() -> None:
    """A what-if curve priced with the eu-west-1 book uses that book on every point."""
    from signin_lab.costs import price_book

    curve = whatif.alerts(counts=(20,), prices=price_book("eu-west-1"))
    assert {"eu-west-1"} == {report.region for report in curve.reports}
