"""The stored course notebooks are executed, in order, deterministic and clean (nbformat, no kernel)."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from signin_lab.docs import NOTEBOOKS, course_notebooks, notebook_title

PATHS = course_notebooks(NOTEBOOKS)
IDS = [p.name for p in PATHS]

# AWS access key ids: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids
ACCESS_KEY = re.compile(r"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b")
SECRET_KEY = re.compile(r"aws_secret_access_key\s*[=:]\s*['\"]?(?!testing\b)[A-Za-z0-9/+=]{40}", re.IGNORECASE)
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@([A-Za-z0-9.-]+\.[A-Za-z]{2,})")
# Phone numbers in E.164 or written with a leading + and spaces.
PHONE = re.compile(r"\+\d[\d ]{8,16}\d")
# Fictional ranges only: UK drama numbers +44 7700 900000-900999.
FICTIONAL_PHONE = re.compile(r"^\+44 ?7700 ?900\d{0,3}$")  # "+44 7700 900xxx" in prose too
HOME_PATH = re.compile(r"(?<![\w.])/(?:root|home)/[\w.-]+")


def _load(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def _code_cells(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [c for c in nb.cells if c.cell_type == "code"]


def _output_text(nb: nbformat.NotebookNode) -> str:
    """Every textual output of every code cell, joined (images left out)."""
    parts = []
    for cell in _code_cells(nb):
        for out in cell.get("outputs", []):
            if "text" in out:
                parts.append(out["text"])
            for mime, value in out.get("data", {}).items():
                if mime.startswith("text/") or mime == "application/json":
                    parts.append(value if isinstance(value, str) else str(value))
            parts.extend(out.get("traceback", []))
    return "\n".join(parts)


def _all_text(nb: nbformat.NotebookNode) -> str:
    return "\n".join(c.source for c in nb.cells) + "\n" + _output_text(nb)


def test_course_has_the_first_notebooks() -> None:
    """The course starts with the overview and the four setup sections, in reading order."""
    assert ["00_overview.ipynb", "01_iam.ipynb", "02_sns.ipynb", "03_cloudtrail.ipynb",
            "04_cloudwatch_logs.ipynb"] == IDS[:5]


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_notebook_is_valid_nbformat(path: Path) -> None:
    """Each notebook validates against the nbformat v4 schema."""
    nbformat.validate(_load(path))


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_kernel_is_python3(path: Path) -> None:
    """Each notebook names the python3 kernel, the one `signin_lab.docs execute` and nbval use."""
    assert "python3" == _load(path).metadata.get("kernelspec", {}).get("name")


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_execution_counts_run_one_to_n(path: Path) -> None:
    """Every code cell is executed, top to bottom in one run: counts are 1..N in order."""
    cells = _code_cells(_load(path))
    assert list(range(1, len(cells) + 1)) == [c.execution_count for c in cells]


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_no_error_outputs(path: Path) -> None:
    """No stored cell output is an error or a traceback."""
    errors = [
        (i, out.get("ename"))
        for i, cell in enumerate(_load(path).cells)
        for out in cell.get("outputs", [])
        if out.get("output_type") == "error" or "Traceback (most recent call last)" in out.get("text", "")
    ]
    assert [] == errors


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_no_stderr_outputs(path: Path) -> None:
    """No stored output went to stderr (warnings would differ between machines)."""
    stderr = [
        i for i, cell in enumerate(_load(path).cells)
        for out in cell.get("outputs", [])
        if out.get("output_type") == "stream" and out.get("name") == "stderr"
    ]
    assert [] == stderr


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_title_cell_first(path: Path) -> None:
    """The first cell is markdown with a '# NN · Title' heading and a one-line summary after it."""
    nb = _load(path)
    title, summary = notebook_title(nb, path.name)
    assert title.startswith(path.name[:2] + " ")
    assert summary != ""


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_setup_cell_uses_lab_from_env(path: Path) -> None:
    """The first code cell imports Lab, calls Lab.from_env(), sets a figure size and a seed."""
    setup = _code_cells(_load(path))[0].source
    assert "from signin_lab import Lab" in setup
    assert "Lab.from_env()" in setup
    assert "figure.figsize" in setup
    assert re.search(r"\bseed\(\d+\)", setup)


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_no_sys_path_tricks(path: Path) -> None:
    """No cell edits sys.path: the package is installed."""
    assert [] == [i for i, c in enumerate(_load(path).cells) if "sys.path" in c.source]


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_has_exam_tip_and_checked_exercise(path: Path) -> None:
    """Each notebook has an Exam tip box, an Exercise heading and a check cell after it."""
    nb = _load(path)
    markdown = [c.source for c in nb.cells if c.cell_type == "markdown"]
    assert any(s.startswith(":::{admonition} Exam tip") for s in markdown)
    assert any(re.search(r"^## Exercise", s, re.MULTILINE) for s in markdown)
    assert any(c.source.startswith("# Check") for c in _code_cells(nb))


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_no_access_keys(path: Path) -> None:
    """No AWS access key id or secret access key appears in sources or outputs."""
    text = _all_text(_load(path))
    assert [] == ACCESS_KEY.findall(text)
    assert [] == SECRET_KEY.findall(text)


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_only_example_emails(path: Path) -> None:
    """Every email address is at example.com (or another reserved example domain)."""
    domains = {m.group(1).lower() for m in EMAIL.finditer(_all_text(_load(path)))}
    assert set() == {d for d in domains if not re.fullmatch(r"(?:[\w-]+\.)*example\.(?:com|org|net)", d)}


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_only_fictional_phone_numbers(path: Path) -> None:
    """Every phone number is in the UK's fictional +44 7700 900xxx range."""
    numbers = {m.group(0) for m in PHONE.finditer(_all_text(_load(path)))}
    assert set() == {n for n in numbers if not FICTIONAL_PHONE.match(n)}


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_no_home_paths_in_outputs(path: Path) -> None:
    """No output shows an absolute /root or /home path (a machine's user and layout)."""
    assert [] == HOME_PATH.findall(_output_text(_load(path)))


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_no_run_metadata(path: Path) -> None:
    """No cell keeps execution timings, which change on every run."""
    assert [] == [i for i, c in enumerate(_load(path).cells) if "execution" in c.metadata]
