"""Sign-in charts: each returns a matplotlib Figure that shows the data, with no GUI backend."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pandas as pd
import pytest
from matplotlib.figure import Figure

from signin_lab import charts
from signin_lab.events import signins_frame
from signin_lab.events.samples import blog_test_signins, password_guessing, quiet_month


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    """Sign-ins of three scenarios: the blog hour, a guessing burst and a quiet month."""
    return signins_frame(blog_test_signins() + password_guessing() + quiet_month())


@pytest.fixture
def figures() -> Iterator[list[Figure]]:
    """Figures made by a test, cleared afterwards."""
    made: list[Figure] = []
    yield made
    for fig in made:
        fig.clear()


def test_signins_over_time_has_a_line_per_series(frame: pd.DataFrame,
                                                 figures: list[Figure]) -> None:
    """One step line per outcome x user type present, whose counts add up to the sign-ins."""
    fig = charts.signins_over_time(frame)
    figures.append(fig)
    ax = fig.axes[0]
    labels = sorted(line.get_label() for line in ax.get_lines())
    expected = sorted(set(frame["outcome"] + " " + frame["user_type"]))
    assert expected == labels
    assert len(frame) == sum(line.get_ydata().sum() for line in ax.get_lines())


def test_signins_over_time_uses_five_minute_bins_for_an_hour(figures: list[Figure]) -> None:
    """Over one hour the bins are 5 minutes, the blog's alarm period."""
    fig = charts.signins_over_time(signins_frame(blog_test_signins()))
    figures.append(fig)
    assert "5min" in fig.axes[0].get_xlabel()


def test_heatmap_counts_every_sign_in(frame: pd.DataFrame, figures: list[Figure]) -> None:
    """The weekday x hour grid is 7 x 24 and sums to the number of sign-ins."""
    fig = charts.signin_heatmap(frame)
    figures.append(fig)
    grid = fig.axes[0].get_images()[0].get_array()
    assert (7, 24) == grid.shape
    assert len(frame) == int(grid.sum())


@pytest.mark.parametrize("chart", [charts.top_source_ips, charts.top_user_agents])
def test_top_bars_show_the_commonest_first(chart, frame: pd.DataFrame,
                                           figures: list[Figure]) -> None:
    """Bar charts draw at most n values, the commonest at the top."""
    fig = chart(frame, n=3)
    figures.append(fig)
    ax = fig.axes[0]
    assert 3 == len(ax.get_yticklabels())
    widths: dict[float, float] = {}
    for bar in ax.patches:
        widths[bar.get_y()] = widths.get(bar.get_y(), 0) + bar.get_width()
    totals = [widths[y] for y in sorted(widths)]
    assert sorted(totals) == totals


def test_top_source_ips_names_the_attacker(frame: pd.DataFrame, figures: list[Figure]) -> None:
    """The guessing burst's address is among the top source IPs."""
    fig = charts.top_source_ips(frame, n=3)
    figures.append(fig)
    assert "203.0.113.45" in [t.get_text() for t in fig.axes[0].get_yticklabels()]


@pytest.mark.parametrize("name", sorted(charts.SIGNIN_CHARTS))
def test_empty_frame_gives_a_figure_saying_so(name: str, figures: list[Figure]) -> None:
    """With no sign-ins every chart still returns a Figure, saying there is nothing to show."""
    fig = charts.SIGNIN_CHARTS[name](signins_frame([]))
    figures.append(fig)
    assert isinstance(fig, Figure)
    assert "no console sign-ins" in [t.get_text() for t in fig.axes[0].texts]


@pytest.mark.parametrize("name", sorted(charts.SIGNIN_CHARTS))
def test_every_chart_saves_as_png(name: str, frame: pd.DataFrame, figures: list[Figure]) -> None:
    """Each chart renders to PNG without a GUI backend."""
    fig = charts.SIGNIN_CHARTS[name](frame)
    figures.append(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=50)
    assert buffer.getvalue().startswith(b"\x89PNG")
