"""The package's layering (DESIGN.md): the import-linter contract in .importlinter holds."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent


def _lint_imports() -> subprocess.CompletedProcess[str]:
    code = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports(no_cache=True))"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-c", code], check=False, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def test_layers_contract_is_kept() -> None:
    """`lint-imports` keeps every contract: no module imports a layer above its own."""
    result = _lint_imports()
    assert 0 == result.returncode, result.stdout[-4000:]


def test_filterpattern_imports_only_lower_layers() -> None:
    """signin_lab.filterpattern imports nothing of the kit but itself and signin_lab.errors."""
    graph = grimp.build_graph("signin_lab", cache_dir=None)
    imported = {
        m for m in graph.find_upstream_modules("signin_lab.filterpattern", as_package=True)
    }
    assert {"signin_lab.errors"} == {m for m in imported if not m.startswith("signin_lab.filterpattern")}
