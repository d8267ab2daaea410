"""One dispatch over parse-tree nodes: `Visitor.visit(node)` calls `visit_<NodeType>(node)`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

R = TypeVar("R")

# (visitor class, node class) -> the unbound visit_ method: looked up once, not per call.
_METHODS: dict[tuple[type, type], Callable[..., Any]] = {}


class Visitor(Generic[R]):
    """Dispatch on the node's type, as jmespath's visitor does: a subclass defines
    `visit_Compare`, `visit_And`, ... for the node types it handles (signin_lab.filterpattern.nodes);
    a node without a method raises TypeError naming both, never a silent default."""

    def visit(self, node: Any, *args: Any) -> R:
        """The result of `visit_<type(node).__name__>(node, *args)`."""
        key = (type(self), type(node))
        method = _METHODS.get(key)
        if method is None:
            name = f"visit_{type(node).__name__}"
            method = getattr(type(self), name, None)
            if method is None:
                raise TypeError(f"{type(self).__name__} has no {name}")
            _METHODS[key] = method
        result: R = method(self, node, *args)
        return result
