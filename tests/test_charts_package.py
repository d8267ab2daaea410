"""One charts package: one palette, one figure helper, and the old module paths kept (deprecated)."""

from __future__ import annotations

import importlib
import runpy
import sys
from pathlib import Path

import pytest

from signin_lab import charts
from signin_lab.charts import alarms, costs, palette, signins


def _fresh_import(name: str) -> object:
    """Import `name` anew, so its import-time warning fires again."""
    sys.modules.pop(name, None)
    return importlib.import_module(name)


def test_old_costs_charts_path_warns_and_reexports() -> None:
    """signin_lab.costs.charts warns DeprecationWarning and gives the same functions."""
    with pytest.warns(DeprecationWarning, match=r"signin_lab\.charts"):
        old = _fresh_import("signin_lab.costs.charts")
    assert (charts.stacked_bars, charts.cost_curve) == (old.stacked_bars, old.cost_curve)  # type: ignore[attr-defined]


def test_old_emulator_charts_path_warns_and_reexports() -> None:
    """signin_lab.emulator.charts warns DeprecationWarning; its dashboard is alarm_dashboard."""
    with pytest.warns(DeprecationWarning, match=r"signin_lab\.charts"):
        old = _fresh_import("signin_lab.emulator.charts")
    assert (charts.alarm_dashboard, charts.minute_steps) == (old.dashboard, old.minute_steps)  # type: ignore[attr-defined]


def test_one_palette_for_every_chart_module() -> None:
    """Every chart module's colours are the palette module's own objects, not copies."""
    assert (palette.STATE_COLORS, palette.SERVICE_COLOURS) == (alarms.STATE_COLORS, costs.SERVICE_COLOURS)
    assert alarms.STATE_COLORS is palette.STATE_COLORS and costs.SERVICE_COLOURS is palette.SERVICE_COLOURS


def test_alarm_states_follow_the_console() -> None:
    """ALARM is red, INSUFFICIENT_DATA grey, OK green (CloudWatch console, AlarmThatSendsEmail.html)."""
    assert {"OK": "#2ca02c", "ALARM": "#d62728", "INSUFFICIENT_DATA": "#9e9e9e"} == dict(palette.STATE_COLORS)


def test_new_figure_sets_size_layout_and_title() -> None:
    """new_figure gives the asked size in inches, the constrained layout and the suptitle."""
    fig = charts.new_figure((4.0, 3.0), title="t")
    got = (tuple(fig.get_size_inches()), fig.get_layout_engine().__class__.__name__, fig.get_suptitle())
    assert ((4.0, 3.0), "ConstrainedLayoutEngine", "t") == got


def test_sign_in_charts_use_the_outcome_palette() -> None:
    """A top-bars chart colours failures with the palette's Failure colour."""
    from matplotlib.colors import to_hex

    from signin_lab.events import signins_frame
    from signin_lab.events.samples import blog_test_signins

    fig = signins.top_source_ips(signins_frame(blog_test_signins()), n=3)
    failure = next(c for c in fig.axes[0].containers if c.get_label() == "Failure")
    assert palette.OUTCOME_COLOURS["Failure"] == to_hex(failure.patches[0].get_facecolor())


def test_old_path_warning_points_at_the_importing_line(tmp_path: Path) -> None:
    """The warning names the importing code's file and line, so a notebook shows it on its cell."""
    import signin_lab.costs

    sys.modules.pop("signin_lab.costs.charts", None)
    if hasattr(signin_lab.costs, "charts"):
        delattr(signin_lab.costs, "charts")
    cell = tmp_path / "notebook_cell.py"
    cell.write_text("\nfrom signin_lab.costs import charts\n")
    with pytest.warns(DeprecationWarning) as caught:
        runpy.run_path(str(cell))
    assert (str(cell), 2) == (caught[0].filename, caught[0].lineno)
