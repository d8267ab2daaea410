"""`signin-lab demo`: the blog's "Does this all work?" section on in-process moto, step by step.

At the Lab layer (it opens a Lab). Deploys the blog's stack, replays its four test sign-ins within
an hour of ordinary traffic, and returns every step's data (`DemoResult`): what was deployed, the
records, the run (datapoints and alarm timeline), the inbox, and the alarm dashboard saved as a PNG.
The CLI renders each step.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from signin_lab.errors import SigninLabError

if TYPE_CHECKING:  # pragma: no cover
    from signin_lab.emulator.notify import InboxMessage
    from signin_lab.emulator.replay import ReplayRun
    from signin_lab.lab import Lab
    from signin_lab.stack.deploy import DeployResult

DEFAULT_OUT = Path("signin-lab-demo")
CHART_NAME = "alarm-dashboard.png"


@dataclass(frozen=True)
class DemoResult:
    """What the demo produced, step by step: where it ran, the deployed stack, the replayed
    records, the run, the inbox, and the chart's path."""

    run: ReplayRun
    inbox: list[InboxMessage]
    chart: Path
    lab: str = ""
    stack: DeployResult | None = None
    records: tuple[dict[str, Any], ...] = ()


def save_chart(run: ReplayRun, out: Path | str) -> Path:
    """Save the run's alarm dashboard as `<out>/alarm-dashboard.png`; a path that cannot be
    written is a SigninLabError naming it (field "out")."""
    from signin_lab.charts import alarm_dashboard

    folder = Path(out)
    chart = folder / CHART_NAME
    try:
        folder.mkdir(parents=True, exist_ok=True)
        alarm_dashboard(run).savefig(chart, dpi=100)
    except OSError as exc:
        raise SigninLabError(
            f"cannot write the chart to folder {str(folder)!r}: {exc.strerror or exc}", field="out"
        ) from None
    return chart


def run_demo(
    out: Path | str = DEFAULT_OUT,
    *,
    lab: Lab | None = None,
    email: str = "you@example.com",
    sms: str = "+447700900123",
) -> DemoResult:
    """Deploy on in-process moto (or `lab`), replay the blog's test sign-ins, save the chart;
    return every step's data."""
    from signin_lab.events.samples import blog_test_signins
    from signin_lab.lab import Lab

    own = lab is None
    lab = lab or Lab.moto()
    try:
        stack = lab.deploy(email=email, sms=sms)
        records = blog_test_signins()
        run = lab.replay(records)
        chart = save_chart(run, out)
        return DemoResult(run, lab.inbox(), chart, repr(lab), stack, tuple(records))
    finally:
        if own:
            lab.close()
