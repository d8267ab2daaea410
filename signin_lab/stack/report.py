"""Print a deploy or teardown result as a table in the terminal (rich)."""

from __future__ import annotations

from signin_lab.stack.deploy import StackResult

_STYLE = {"created": "green", "updated": "yellow", "deleted": "red", "kept": "cyan", "unchanged": "dim", "absent": "dim"}


def render(result: StackResult) -> None:
    """A table of every resource and what happened to it, then the one-line summary."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"signin-lab {result.operation}")
    for col in ("section", "resource", "name", "action", "detail"):
        table.add_column(col)
    for c in result.changes:
        style = _STYLE.get(c.action, "")
        table.add_row(c.section, c.kind, c.name, f"[{style}]{c.action}[/]" if style else c.action, c.detail)
    console = Console()
    console.print(table)
    console.print(result.summary())


print_deploy = render
print_teardown = render
