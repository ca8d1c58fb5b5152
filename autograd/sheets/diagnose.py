"""The misconceptions a gradient slip may come from, computed from the student's own numbers.

For the gradient of `name`, every named node that uses it contributes, along every path
through its expression, `upstream gradient x the product of the op rows' local derivatives`.
`gradient_alternatives` mutates that sum as each misconception of `autograd.misconceptions`
says (one edge at a time, per the catalogue's per-op table; a sign flipped; the upstream
gradient left out; one path only) and returns the catalogue's {code: numbers}, ready for
`misconceptions.diagnose`. The numbers are the student's (values and upstream gradients), as
error carried forward uses them, so a slip made from wrong earlier numbers is still named.
"""
from __future__ import annotations

from collections.abc import Mapping

from ..misconceptions import Edge, chain_alternatives
from .errors import SheetError
from .expr import Apply, Name, Num, Tree
from .symbolic import point_value

__all__ = ["paths", "gradient_alternatives"]


def paths(tree: Tree, name: str, point: Mapping[str, float], out: float) -> list[list[Edge]]:
    """Every path from the tree's top op down to `name`, as its edges (top first).

    `out` is the top op's output (the student's number for the node); inner outputs are
    computed by the engine at `point`.
    """
    if not isinstance(tree, Apply):
        return [[]] if isinstance(tree, Name) and tree.id == name else []
    inputs = tuple(point_value(a, point) for a in tree.args)
    constants = tuple(isinstance(a, Num) for a in tree.args)
    found: list[list[Edge]] = []
    for index, arg in enumerate(tree.args):
        below = _below(arg, name, point)
        edge = Edge(tree.op, inputs, out, tree.param, index, constants)
        found += [[edge] + rest for rest in below]
    return found


def _below(tree: Tree, name: str, point: Mapping[str, float]) -> list[list[Edge]]:
    if isinstance(tree, Apply):
        return paths(tree, name, point, point_value(tree, point))
    return [[]] if isinstance(tree, Name) and tree.id == name else []


def gradient_alternatives(trees: Mapping[str, Tree], name: str, values: Mapping[str, float],
                          upstream: Mapping[str, float]) -> dict[str, list[float]]:
    """{code: wrong totals} for d(root)/d(name): `trees` are the consumers' expressions (node ->
    tree), `values` the student's numbers, `upstream` the student's gradient of each consumer."""
    terms: list[tuple[float, list[Edge]]] = []  # (upstream, the path's edges)
    try:
        for node, tree in trees.items():
            terms += [(upstream[node], path) for path in paths(tree, name, values, values[node])]
    except (SheetError, ArithmeticError, ValueError, KeyError):
        return {}
    return chain_alternatives(terms)
