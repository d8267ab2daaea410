"""The course's notebooks as documentation: re-execute them in place, and build the HTML site.

`signin-lab docs execute [NOTEBOOK...]` runs each notebook top to bottom in a fresh python3
kernel on in-process moto (SIGNIN_LAB_TARGET unset), in notebooks/, and stores it with its
outputs and no run-specific metadata, so a re-execution changes nothing that nbval compares.
`signin-lab docs build [OUTDIR]` builds the course book from the executed notebooks as stored
(Sphinx + MyST-NB + sphinx-book-theme, configured in docs/, executing nothing): a chapter sidebar
in reading order, full-text search, a reference generated from the docstrings and the CLI's help.
Both are behind `make notebooks` and `make docs` (the commands live in signin_lab/cli/docs.py);
nbformat, nbclient and nbconvert are imported inside the functions that need them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
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
                (
                    i
                    for i, c in enumerate(nb.cells)
                    if any(o.get("output_type") == "error" for o in c.get("outputs", []))
                ),
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


# -- boxes: "> **Exam tip** (...)" blockquotes as MyST admonitions ----------------------------

#: A box's first line as the notebooks used to write it, and the admonition class of each kind.
_BOX = re.compile(r"^> \*\*(Exam tip|Warning|Caution|Important|Note|Tip)\*\*[ \t]*(\([^)\n]*\))?[ \t]*(.*)$")
_BOX_CLASS = {"Exam tip": "tip", "Warning": "warning", "Caution": "caution", "Important": "important",
              "Note": "note", "Tip": "tip"}


def myst_admonition(markdown: str) -> str:
    """A cell's leading `> **Exam tip** (...)` blockquote box as a MyST admonition; the rest kept.

    The admonition is written with colon fences (`:::{admonition} Exam tip (...)` and
    `:class: tip`), which the book renders as a box and JupyterLab shows as readable text.
    Markdown that does not start with such a box is returned unchanged.
    """
    lines = markdown.split("\n")
    first = _BOX.match(lines[0]) if lines else None
    if first is None:
        return markdown
    end = next((i for i, line in enumerate(lines) if not line.startswith(">")), len(lines))
    kind, note, rest = first.group(1), first.group(2), first.group(3)
    body = [re.sub(r"^> ?", "", line) for line in lines[1:end]]
    while body and not body[0].strip():
        body.pop(0)
    title = f"{kind} {note}" if note else kind
    head = [f":::{{admonition}} {title}", f":class: {_BOX_CLASS[kind]}", ""]
    content = ([rest, ""] if rest else []) + body
    while content and not content[-1].strip():
        content.pop()
    box = head + content + [":::"]
    return "\n".join(box + lines[end:])


def convert_boxes(path: str | Path) -> list[str]:
    """Rewrite a notebook's blockquote boxes as MyST admonitions (only those cells); changed cell ids."""
    import nbformat

    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    changed = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            new = myst_admonition(cell.source)
            if new != cell.source:
                cell.source = new
                changed.append(cell.get("id", ""))
    if changed:
        nbformat.write(nb, path)
    return changed


# -- the site: a Sphinx book (MyST-NB, sphinx-book-theme) over the stored notebooks ---------

#: The book's configuration and landing/reference pages (conf.py, index.md, reference/).
DOCS = Path(__file__).resolve().parent.parent / "docs"
_HEADING = re.compile(r"^#\s+(.+?)\s*$", re.MULTILINE)
#: The first line of an Exam tip box, either as a MyST admonition or as the older blockquote.
_EXAM_TIP = re.compile(r"^(?::::\{admonition\} |> \*\*)Exam tip\**\s*\(([^)\n]+)\)", re.MULTILINE)
#: A Sphinx warning line: "path:line: WARNING: text" (or ERROR / CRITICAL).
_PROBLEM = re.compile(r"(WARNING|ERROR|CRITICAL|SEVERE):")


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


def exam_domains(nb: Any) -> list[str]:
    """What each Exam tip box of a notebook names of the exam guide, e.g. 'DVA-C02 Domain 2: ...'."""
    return [
        m.group(1).strip()
        for cell in nb.cells if cell.cell_type == "markdown"
        for m in _EXAM_TIP.finditer(cell.source)
    ]


def _generated_pages(pages: Sequence[Page], domains: Sequence[list[str]]) -> dict[str, str]:
    """The landing page's chapter list and exam map, from the notebooks themselves (no drift)."""
    chapters = "\n".join(
        f"- {{doc}}`/{Path(p.filename).stem}`" + (f": {p.summary}" if p.summary else "")
        for p in pages
    )
    rows = "\n".join(
        f"| {{doc}}`/{Path(p.filename).stem}` | {'; '.join(dict.fromkeys(d)) if d else '(no exam tip)'} |"
        for p, d in zip(pages, domains, strict=True)
    )
    exam_map = "| chapter | the exam guide's domains and tasks |\n|---|---|\n" + rows
    return {"chapters.md": chapters + "\n", "exam_map.md": exam_map + "\n"}


def _sphinx_problems(output: str) -> list[str]:
    """The warning and error lines of a Sphinx run, without the temporary folder's path."""
    return [line.strip() for line in output.splitlines() if _PROBLEM.search(line)]


def build_site(outdir: str | Path = "site", folder: str | Path | None = None,
               docs: str | Path | None = None) -> list[Page]:
    """Build the course book in `outdir` from the stored, executed notebooks (none is executed).

    Sphinx with MyST-NB and sphinx-book-theme (the Jupyter Book stack), configured by docs/conf.py,
    runs with warnings as errors: any warning is a SigninLabError naming the first one.
    """
    import nbformat

    notebooks = course_notebooks(folder)
    if not notebooks:
        raise SigninLabError(f"no course notebooks (NN_topic.ipynb) in {folder or NOTEBOOKS}")
    config = Path(docs) if docs is not None else DOCS
    if not (config / "conf.py").is_file():
        raise SigninLabError(f"the book's configuration {config / 'conf.py'} does not exist", field="docs")
    out = Path(outdir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SigninLabError(
            f"cannot write the site to folder {str(out)!r}: {exc.strerror or exc}", field="outdir"
        ) from None
    pages: list[Page] = []
    domains: list[list[str]] = []
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        title, summary = notebook_title(nb, path.name)
        pages.append(Page(path, path.with_suffix(".html").name, title, summary))
        domains.append(exam_domains(nb))
    with tempfile.TemporaryDirectory(prefix="signin-lab-docs-") as tmp:
        source = Path(tmp) / "source"
        shutil.copytree(config, source, ignore=shutil.ignore_patterns("_build", "__pycache__"))
        for path in notebooks:
            shutil.copy2(path, source / path.name)
        generated = source / "_generated"
        generated.mkdir(exist_ok=True)
        for name, text in _generated_pages(pages, domains).items():
            (generated / name).write_text(text, encoding="utf-8")
        from signin_lab.diagram import architecture

        (source / "_static").mkdir(exist_ok=True)
        architecture().save(str(source / "_static" / "architecture.png"))
        command = [
            sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-q", "-E",
            "-d", str(Path(tmp) / "doctrees"), str(source), str(out.resolve()),
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        problems = _sphinx_problems(done.stderr) or done.stderr.strip().splitlines()[-1:] or ["no output"]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise SigninLabError(
            f"the book did not build: {problems[0].replace(str(source) + '/', '')}{more}"
        )
    return pages
