"""The one figure helper: every chart of the kit starts from `new_figure` and `empty` says "nothing".

Figures are built with `matplotlib.figure.Figure`, not pyplot, so nothing opens a window, no
backend has to be chosen and no global state is left; `fig.savefig("x.png")` works everywhere.
A Figure made without pyplot does not load a notebook's inline backend, so a notebook that uses
only these charts runs `%matplotlib inline` first; otherwise IPython shows "<Figure size ...>".
matplotlib is imported inside the functions so `import signin_lab.charts` stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

#: The one layout every chart uses: constrained, so titles, labels and legends never overlap.
LAYOUT: Final = "constrained"
#: Legend text size on every chart.
LEGEND_SIZE = "small"


def new_figure(figsize: tuple[float, float], *, title: str | None = None) -> Figure:
    """A Figure of `figsize` inches with the kit's layout, and `title` as its suptitle if given."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, layout=LAYOUT)
    if title:
        fig.suptitle(title)
    return fig


def empty(fig: Figure, title: str, text: str) -> Figure:
    """`fig` with one blank axes titled `title` saying `text` (a chart with nothing to draw)."""
    ax = fig.add_subplot()
    ax.set_title(title)
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes)
    ax.set_axis_off()
    return fig


__all__ = ["LAYOUT", "LEGEND_SIZE", "empty", "new_figure"]
