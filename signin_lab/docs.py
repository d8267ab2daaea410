"""The course's notebooks as documentation: re-execute them in place, and build the HTML site.

`signin-lab docs execute [NOTEBOOK...]` runs each notebook top to bottom in a fresh python3
kernel on in-process moto (SIGNIN_LAB_TARGET unset), in notebooks/, and stores it with its
outputs and no run-specific metadata, so a re-execution changes nothing that nbval compares.
`signin-lab docs build [OUTDIR]` converts the executed notebooks to standalone HTML pages
(nbconvert, images embedded, no network assets) plus an index in reading order.
Both are behind `make notebooks` and `make docs` (the commands live in signin_lab/cli/docs.py);
nbformat, nbclient and nbconvert are imported inside the functions that need them.
"""

from __future__ import annotations

import html
import os
import re
import subprocess
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from signin_lab.errors import SigninLabError

#: The repository's notebooks/ folder (the package is installed editable from the repository).
NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
#: Notebooks in reading order are named NN_topic.ipynb.
_COURSE_NAME = re.compile(r"^\d\d_[a-z0-9_]+\.ipynb$")
KERNEL = "python3"
#: Per-cell limit while executing; a cell that hangs is a bug, not a slow lesson.
CELL_TIMEOUT = 300
#: Environment variables that would send a notebook somewhere other than in-process moto.
_TARGET_VARIABLES = ("SIGNIN_LAB_TARGET", "SIGNIN_LAB_REGION", "AWS_PROFILE")


@dataclass(frozen=True)
class Executed:
    """One notebook's execution: its path, how many code cells ran, and the seconds it took."""

    path: Path
    cells: int
    seconds: float


def course_notebooks(folder: str | Path | None = None) -> list[Path]:
    """The course's notebooks (NN_topic.ipynb) in reading order."""
    root = Path(folder) if folder is not None else NOTEBOOKS
    if not root.is_dir():
        raise SigninLabError(f"notebook folder {root} does not exist")
    return sorted(p for p in root.iterdir() if _COURSE_NAME.match(p.name))


def _resolve(names: Sequence[str | Path], folder: Path) -> list[Path]:
    """Paths as given, or names looked up in `folder` (with or without .ipynb)."""
    out = []
    for name in names:
        path = Path(name)
        candidates = [path, folder / path.name, folder / f"{path.name}.ipynb"]
        found = next((c for c in candidates if c.is_file() and c.suffix == ".ipynb"), None)
        if found is None:
            raise SigninLabError(f"notebook {str(name)!r}: no such .ipynb file here or in {folder}")
        out.append(found.resolve())
    return out


@contextmanager
def _moto_environment() -> Iterator[None]:
    """Unset the target variables and fix the hash seed while kernels start; restore afterwards."""
    saved = {k: os.environ.get(k) for k in (*_TARGET_VARIABLES, "PYTHONHASHSEED")}
    try:
        for key in _TARGET_VARIABLES:
            os.environ.pop(key, None)
        os.environ["PYTHONHASHSEED"] = "0"
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _scrub(nb: Any) -> None:
    """Drop what changes from run to run and means nothing to a reader (timings, widget state).

    Stream outputs are merged (nbconvert's CoalesceStreamsPreprocessor): how the kernel split one
    cell's stdout into messages varies between runs, and the stored file must not.
    """
    from nbconvert.preprocessors import CoalesceStreamsPreprocessor

    nb.metadata.pop("widgets", None)
    nb.metadata.pop("papermill", None)
    CoalesceStreamsPreprocessor().preprocess(nb, {})
    for cell in nb.cells:
        cell.metadata.pop("execution", None)


def execute_notebook(path: str | Path, timeout: int = CELL_TIMEOUT) -> Executed:
    """Run one notebook top to bottom in a fresh python3 kernel in its folder; store it in place.

    A failing cell raises SigninLabError naming the notebook, the cell and the error, and the
    file is left untouched.
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    path = Path(path).resolve()
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name=KERNEL,
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
    )
    started = time.perf_counter()
    with _moto_environment():
        try:
            # The kernel's own log (e.g. ipykernel's TCP notice) is not the notebook's output.
            client.execute(stderr=subprocess.DEVNULL)
        except CellExecutionError as exc:
            index = next(
                (i for i, c in enumerate(nb.cells) if any(o.get("output_type") == "error" for o in c.get("outputs", []))),
                None,
            )
            where = f"cell {index}" if index is not None else "a cell"
            raise SigninLabError(
                f"{path.name}: {where} failed: {getattr(exc, 'ename', 'error')}: {getattr(exc, 'evalue', exc)}"
            ) from None
    seconds = time.perf_counter() - started
    _scrub(nb)
    nbformat.validate(nb)
    nbformat.write(nb, path)
    cells = sum(1 for c in nb.cells if c.cell_type == "code")
    return Executed(path, cells, seconds)


def select_notebooks(names: Sequence[str | Path] = (), folder: str | Path | None = None) -> list[Path]:
    """The named notebooks (paths, or names in `folder` with or without .ipynb), default the
    whole course in reading order; none at all is a SigninLabError."""
    root = Path(folder) if folder is not None else NOTEBOOKS
    paths = _resolve(names, root) if names else course_notebooks(root)
    if not paths:
        raise SigninLabError(f"no course notebooks (NN_topic.ipynb) in {root}")
    return paths


def execute(names: Sequence[str | Path] = (), folder: str | Path | None = None) -> list[Executed]:
    """Re-execute the named notebooks (default: the whole course, in order); one result each.

    `signin-lab docs execute` runs the same loop, showing progress as it goes.
    """
    return [execute_notebook(path) for path in select_notebooks(names, folder)]


# -- the site ---------------------------------------------------------------------------------

#: The nbconvert "lab" page without any script from a CDN: no require.js, MathJax or mermaid
#: (the course uses none), so every page renders offline; a small navigation bar on top.
_PAGE_TEMPLATE = """\
{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block body_header -%}
{{ super() }}
<nav class="signin-lab-nav" style="padding:0.5em 1em;border-bottom:1px solid #ddd;font-family:sans-serif">
{{ resources.signin_lab_nav }}
</nav>
{%- endblock body_header -%}
"""
_HEADING = re.compile(r"^#\s+(.+?)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Page:
    """One notebook's page in the site: source notebook, output file name, title and summary."""

    notebook: Path
    filename: str
    title: str
    summary: str


def notebook_title(nb: Any, name: str = "notebook") -> tuple[str, str]:
    """The first cell's `# Title` and the first line after it: the page title and its summary."""
    if not nb.cells or nb.cells[0].cell_type != "markdown":
        raise SigninLabError(f"{name}: the first cell must be a markdown cell with a '# Title'")
    source = nb.cells[0].source
    match = _HEADING.search(source)
    if match is None:
        raise SigninLabError(f"{name}: the first cell has no '# Title' heading")
    rest = [line.strip() for line in source[match.end():].splitlines() if line.strip()]
    return match.group(1), (rest[0] if rest else "")


def _nav(pages: Sequence[Page], index: int) -> str:
    parts = ['<a href="index.html">Contents</a>']
    if index > 0:
        prev = pages[index - 1]
        parts.append(f'<a href="{prev.filename}">&larr; {html.escape(prev.title)}</a>')
    if index + 1 < len(pages):
        nxt = pages[index + 1]
        parts.append(f'<a href="{nxt.filename}">{html.escape(nxt.title)} &rarr;</a>')
    return " &middot; ".join(parts)


def _inline_markdown(text: str) -> str:
    """The summary line for the index: escaped, with `code` and **bold** kept."""
    out = html.escape(text)
    out = re.sub(r"`([^`]+)`", r"<code>\1</code>", out)
    out = re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", out)
    out = re.sub(r"\*([^*]+)\*", r"<em>\1</em>", out)
    return out


def _index_html(pages: Sequence[Page]) -> str:
    items = "\n".join(
        f'  <li><a href="{p.filename}">{html.escape(p.title)}</a>'
        + (f"<br><span class=\"summary\">{_inline_markdown(p.summary)}</span>" if p.summary else "")
        + "</li>"
        for p in pages
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>signin-lab: the course</title>
<style>
body {{ font-family: sans-serif; max-width: 50em; margin: 2em auto; padding: 0 1em; line-height: 1.5; }}
li {{ margin-bottom: 0.8em; }}
.summary {{ color: #555; }}
</style>
</head>
<body>
<h1>signin-lab: the course</h1>
<p>AWS console sign-in alerts, rebuilt step by step: IAM, SNS, CloudTrail, CloudWatch Logs,
metric filters, alarms, and what it costs. Each page is an executed notebook from
<code>notebooks/</code>, in reading order.</p>
<ol>
{items}
</ol>
</body>
</html>
"""


def build_site(outdir: str | Path = "site", folder: str | Path | None = None) -> list[Page]:
    """Convert every course notebook (as stored, executed) to HTML in `outdir`, plus index.html."""
    import jinja2
    import nbformat
    from nbconvert import HTMLExporter

    notebooks = course_notebooks(folder)
    if not notebooks:
        raise SigninLabError(f"no course notebooks (NN_topic.ipynb) in {folder or NOTEBOOKS}")
    out = Path(outdir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SigninLabError(
            f"cannot write the site to folder {str(out)!r}: {exc.strerror or exc}", field="outdir"
        ) from None
    loaded = []
    pages: list[Page] = []
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        title, summary = notebook_title(nb, path.name)
        loaded.append(nb)
        pages.append(Page(path, path.with_suffix(".html").name, title, summary))
    exporter = HTMLExporter(
        template_name="lab",
        embed_images=True,
        extra_loaders=[jinja2.DictLoader({"signin_lab_page.html.j2": _PAGE_TEMPLATE})],
        template_file="signin_lab_page.html.j2",
    )
    for i, (page, nb) in enumerate(zip(pages, loaded, strict=True)):
        resources = {"metadata": {"name": page.title}, "signin_lab_nav": _nav(pages, i)}
        body, _ = exporter.from_notebook_node(nb, resources=resources)
        (out / page.filename).write_text(body, encoding="utf-8")
    (out / "index.html").write_text(_index_html(pages), encoding="utf-8")
    return pages
