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

import math
from collections.abc import Mapping
from dataclasses import dataclass

from ..misconceptions import local_mutations, total_alternatives
from ..ops import OPS
from .errors import SheetError
from .expr import Apply, Name, Num, Tree
from .symbolic import point_value

__all__ = ["Edge", "paths", "gradient_alternatives"]


@dataclass(frozen=True)
class Edge:
    """One chain-rule edge: an op row, its input numbers, output, pow's exponent, the input."""

    op: str
    inputs: tuple[float, ...]
    out: float
    param: float | None
    index: int
    constants: tuple[bool, ...]

    def local(self) -> float:
        """The op row's local derivative along this edge."""
        row = OPS[self.op]
        if row.arity == 1:
            return float(row.local(self.inputs[0], self.out, self.param)[self.index])
        return float(row.local(self.inputs[0], self.inputs[1], self.out)[self.index])


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


def _product(numbers: list[float]) -> float:
    out = 1.0
    for n in numbers:
        out *= n
    return out


def gradient_alternatives(trees: Mapping[str, Tree], name: str, values: Mapping[str, float],
                          upstream: Mapping[str, float]) -> dict[str, list[float]]:
    """{code: wrong totals} for d(root)/d(name): `trees` are the consumers' expressions (node ->
    tree), `values` the student's numbers, `upstream` the student's gradient of each consumer."""
    terms: list[tuple[float, list[Edge], list[float]]] = []  # (upstream, edges, their locals)
    try:
        for node, tree in trees.items():
            for path in paths(tree, name, values, values[node]):
                terms.append((upstream[node], path, [e.local() for e in path]))
    except (SheetError, ArithmeticError, ValueError, KeyError):
        return {}
    contributions = [g * _product(locals_) for g, _, locals_ in terms]
    total = math.fsum(contributions)
    found: dict[str, list[float]] = {"sign_flip": [-total], "no_upstream": []}
    if any(g != 1.0 for g, _, _ in terms):
        found["no_upstream"].append(math.fsum(_product(locals_) for _, _, locals_ in terms))
    for i, (g, path, locals_) in enumerate(terms):
        if len(terms) > 1:
            found["sign_flip"].append(total - 2 * contributions[i])
        for k, edge in enumerate(path):
            for code, wrong in local_mutations(edge.op, edge.inputs, edge.out, edge.param,
                                               edge.index, edge.constants).items():
                mutated = g * _product(locals_[:k] + [wrong] + locals_[k + 1:])
                found.setdefault(code, []).append(total - contributions[i] + mutated)
    found.update({code: list(v) for code, v in total_alternatives(contributions).items()})
    return {code: [x for x in numbers if math.isfinite(x)
                   and not math.isclose(x, total, rel_tol=1e-12, abs_tol=0.0)]
            for code, numbers in found.items()}
