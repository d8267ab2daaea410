"""environment.yml mirrors pyproject.toml, the source of truth for dependencies."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _pyproject_requirements() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        reqs += [r for r in extra if not r.startswith("signin-lab")]
    return {re.sub(r"\s+", "", r) for r in reqs}


def _environment_requirements() -> set[str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    return {re.sub(r"\s+", "", r) for r in pip if r != "-e ."}


def test_environment_mirrors_pyproject() -> None:
    """Every requirement in pyproject.toml is in environment.yml with the same bounds, and no more."""
    assert _pyproject_requirements() == _environment_requirements()


def test_python_versions_agree() -> None:
    """Both files ask for Python 3.11 or newer."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert ">=3.11" == project["requires-python"]
    assert "python>=3.11" in env["dependencies"]
