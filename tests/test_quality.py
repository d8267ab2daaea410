"""The code stays ruff- and mypy-clean (CONVENTIONS.md): checked in the test command, not by hand."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_finds_nothing() -> None:
    """ruff, configured in pyproject.toml, reports no finding in the package, tests, benchmarks, notebooks."""
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "signin_lab", "tests", "benchmarks", "notebooks"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert 0 == result.returncode, result.stdout + result.stderr


def test_mypy_finds_nothing() -> None:
    """mypy, configured in pyproject.toml, reports no error in the package."""
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "signin_lab"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert 0 == result.returncode, result.stdout + result.stderr
