"""`signin-lab docs execute|build`: re-execute the course notebooks, build the HTML site.

Behind `make notebooks` and `make docs`; the work is signin_lab.docs, which prints nothing.
"""

from __future__ import annotations

from pathlib import Path

import click

from signin_lab.cli.common import app


@app.group()
def docs() -> None:
    """The course notebooks as documentation: re-execute them, build the site."""


@docs.command()
@click.argument("notebooks", nargs=-1)
def execute(notebooks: tuple[str, ...]) -> None:
    """Re-execute notebooks in place on in-process moto (default: the whole course, in order).

    NOTEBOOKS are paths or names in notebooks/ (with or without .ipynb). Progress goes to stderr.
    """
    from signin_lab import docs as course
    from signin_lab.cli.render import terminal

    paths = course.select_notebooks(notebooks)
    console = terminal(stderr=True)
    total = 0.0
    for i, path in enumerate(paths, 1):
        with console.status(f"[{i}/{len(paths)}] executing {path.name}"):
            result = course.execute_notebook(path)
        total += result.seconds
        console.print(f"[{i}/{len(paths)}] {path.name}: {result.cells} cells in {result.seconds:.1f} s")
    console.print(f"{len(paths)} notebook(s) executed in {total:.1f} s")


@docs.command()
@click.argument("outdir", default="site", type=click.Path(file_okay=False, path_type=Path))
def build(outdir: Path) -> None:
    """Build the course book from the executed notebooks into OUTDIR (default: site/).

    Sphinx with MyST-NB and sphinx-book-theme, configured in docs/; nothing is executed, and any
    Sphinx warning fails the build.
    """
    import time

    from signin_lab.docs import build_site

    started = time.perf_counter()
    pages = build_site(outdir)
    seconds = time.perf_counter() - started
    click.echo(
        f"{len(pages)} page(s) and index.html written to {outdir}/ in {seconds:.1f} s"
        f" (open {outdir / 'index.html'})"
    )
