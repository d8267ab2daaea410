"""Only signin_lab/cli/ writes to the terminal: every other module returns data (checked with ast)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "signin_lab"
CLI = PACKAGE / "cli"
#: Calls that write to the terminal, by the dotted name they are called through.
WRITERS = {"print", "pprint", "pprint.pprint", "sys.stdout.write", "sys.stderr.write",
           "click.echo", "click.secho", "echo", "secho"}
#: Methods that write wherever their object is (a rich Console's print and rule, any `.print`).
WRITER_METHODS = {"print", "rule"}
#: Terminal libraries: importing one outside the CLI means something there renders.
TERMINAL_MODULES = ("rich", "click", "tqdm")


def dotted(node: ast.expr) -> str:
    """`a.b.c` for a Name/Attribute chain, "" for anything else (a call, a subscript...)."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted(node.value)
        return f"{base}.{node.attr}" if base else ""
    return ""


def terminal_output(source: str) -> list[str]:
    """Every call or import in `source` that writes to the terminal, as "line: what"."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            name = dotted(node.func)
            method = node.func.attr if isinstance(node.func, ast.Attribute) else ""
            if name in WRITERS or method in WRITER_METHODS:
                found.append(f"{node.lineno}: {name or method}(...)")
        elif isinstance(node, ast.Import | ast.ImportFrom):
            modules = ([a.name for a in node.names] if isinstance(node, ast.Import)
                       else [node.module or ""])
            found += [f"{node.lineno}: import {m}" for m in modules
                      if m.split(".")[0] in TERMINAL_MODULES]
    return found


def library_modules() -> list[Path]:
    """Every module of the package outside signin_lab/cli/."""
    return sorted(p for p in PACKAGE.rglob("*.py") if CLI not in p.parents)


@pytest.mark.parametrize(
    "source",
    ["print('x')", "import sys\nsys.stderr.write('x')", "console.print('x')", "from rich import table",
     "click.echo('x')", "console.rule('x')", "import tqdm"],
)
def test_checker_finds_terminal_output(source: str) -> None:
    """The checker catches each way of writing to the terminal it is meant to catch."""
    assert 1 == len(terminal_output(source))


def test_checker_passes_plain_code() -> None:
    """Returning data, warnings and writing files are not terminal output."""
    source = ("import math, warnings\nwarnings.warn('x')\nopen('f', 'w').write('x')\n"
              "fig.savefig('p')\nmath.log(2)")
    assert [] == terminal_output(source)


def test_no_library_module_prints() -> None:
    """No module outside signin_lab/cli/ prints, echoes, writes to stdout/stderr or imports rich/click."""
    offenders = {
        str(path.relative_to(PACKAGE)): hits
        for path in library_modules()
        if (hits := terminal_output(path.read_text(encoding="utf-8")))
    }
    assert {} == offenders


def test_the_cli_package_is_where_output_lives() -> None:
    """The check is not vacuous: the CLI package itself does write to the terminal."""
    assert any(terminal_output(p.read_text(encoding="utf-8")) for p in CLI.glob("*.py"))
