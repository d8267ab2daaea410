"""The parse tree explained: one node a line (FilterPattern's repr) and the regexes it holds."""

from __future__ import annotations

from typing import Any

from signin_lab.filterpattern import nodes
from signin_lab.filterpattern.visitor import Visitor


def regexes(tree: nodes.Pattern) -> list[nodes.Regex]:
    """Every `%...%` regex in a parse tree, in order (AWS counts them per pattern and log group)."""
    return _Regexes().visit(tree)


class _Regexes(Visitor[list[nodes.Regex]]):
    """Every `%...%` in a pattern, in order."""

    def visit_MatchAll(self, x: nodes.MatchAll) -> list[nodes.Regex]:
        return []

    visit_TermPattern = visit_NotExists = visit_IsCheck = visit_MatchAll  # type: ignore[assignment]

    def visit_RegexPattern(self, x: nodes.RegexPattern) -> list[nodes.Regex]:
        return [x.regex]

    def visit_JsonPattern(self, x: nodes.JsonPattern) -> list[nodes.Regex]:
        return self.visit(x.expr)

    def visit_SpacePattern(self, x: nodes.SpacePattern) -> list[nodes.Regex]:
        return [r for f in x.fields if isinstance(f, nodes.Field) and f.condition is not None
                for r in self.visit(f.condition)]

    def visit_And(self, x: nodes.And | nodes.Or) -> list[nodes.Regex]:
        return [r for item in x.items for r in self.visit(item)]

    visit_Or = visit_And

    def visit_Compare(self, x: nodes.Compare) -> list[nodes.Regex]:
        return [x.value] if isinstance(x.value, nodes.Regex) else []


def tree_lines(x: Any, indent: str) -> list[str]:
    """The parse tree, one node a line, children indented: for notebooks and debugging."""
    return _Explain().visit(x, indent)


class _Explain(Visitor[list[str]]):
    def visit_MatchAll(self, x: nodes.MatchAll, indent: str) -> list[str]:
        return [f"{indent}MatchAll"]

    def visit_RegexPattern(self, x: nodes.RegexPattern, indent: str) -> list[str]:
        return [f"{indent}Regex {x.regex}"]

    def visit_TermPattern(self, x: nodes.TermPattern, indent: str) -> list[str]:
        lines = [f"{indent}Terms"]
        dropped = not x.optional and any(t.mode == "optional" for t in x.terms)
        for t in x.terms:
            note = "  (ignored: ? mixed with other terms)" if dropped and t.mode == "optional" else ""
            lines.append(f"{indent}  {t.mode} {t.text!r}{note}")
        return lines

    def visit_JsonPattern(self, x: nodes.JsonPattern, indent: str) -> list[str]:
        return [f"{indent}Json", *self.visit(x.expr, indent + "  ")]

    def visit_SpacePattern(self, x: nodes.SpacePattern, indent: str) -> list[str]:
        more = indent + "  "
        lines = [f"{indent}SpaceDelimited"]
        for f in x.fields:
            if isinstance(f, nodes.Ellipsis_):
                lines.append(f"{more}...")
            else:
                lines.append(f"{more}Field {f.name or '(unnamed)'}")
                if f.condition is not None:
                    lines.extend(self.visit(f.condition, more + "  "))
        return lines

    def visit_And(self, x: nodes.And | nodes.Or, indent: str) -> list[str]:
        lines = [f"{indent}{type(x).__name__}"]
        for item in x.items:
            lines.extend(self.visit(item, indent + "  "))
        return lines

    visit_Or = visit_And

    def visit_Compare(self, x: nodes.Compare | nodes.IsCheck | nodes.NotExists, indent: str) -> list[str]:
        return [f"{indent}{type(x).__name__} {x}"]

    visit_IsCheck = visit_NotExists = visit_Compare
