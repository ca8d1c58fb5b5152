"""Local derivatives written out: d(node)/d(name) as a sum over paths of op-table edge formulas.

    >>> from autograd.sheets.expr import parse
    >>> local = derivative(parse("w0*x0 + w1*x1 + w2"), "w0", "dot", {"w0": 2.0, "x0": -1.0,
    ...                    "w1": -3.0, "x1": -2.0, "w2": -3.0, "dot": 1.0})
    >>> local.text()
    'x0'

Every factor comes from the op table: a row's edge formula (`row.edge_formula`, e.g. `{y}` for
the first input of a product, `{out}·(1 - {out})` for sigmoid), or, where the row's formula is
empty (add, sub, relu, max, ...), the number its derivative rule gives at the point. So a new
op row is written out here with no change. `{out}` of the node's own top op is the node's name
(sigmoid's derivative of `f = sigmoid(dot)` reads `f·(1 - f)`): evaluated at a student's
numbers it uses the student's f, as grading with error carried forward requires.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from ..ops import OPS
from ..value import Value
from .expr import Apply, Name, Num, Tree, render, to_value

__all__ = ["Local", "Leaves", "derivative", "point_value", "top_level_sum"]


class Leaves(Mapping[str, Value]):
    """name -> a fresh leaf Value of `point[name]`, made when the expression reads it.

    Lazy, so evaluating a subtree costs the subtree, not a walk collecting its names first
    (the key of a 2,000-node sheet evaluates ~20,000 subtrees)."""

    def __init__(self, point: Mapping[str, float]) -> None:
        self.point = point

    def __getitem__(self, name: str) -> Value:
        return Value(self.point[name])

    def __contains__(self, name: object) -> bool:
        return name in self.point

    def __iter__(self) -> Iterator[str]:
        return iter(self.point)

    def __len__(self) -> int:
        return len(self.point)


def point_value(tree: Tree, point: Mapping[str, float]) -> float:
    """The float value of a (sub)tree at `point` (name -> float), computed by the engine."""
    return to_value(tree, Leaves(point)).data


@dataclass(frozen=True)
class _Edge:
    """The edge formula of input `index` of `apply`; `top` when `apply` is the whole node."""

    apply: Apply
    index: int
    top: bool


Term = tuple[float, list[_Edge]]  # a product: its number and its edge factors


@dataclass
class Local:
    """d node / d name: terms, each (number, [edge factors]); `node` names the node itself."""

    node: str
    terms: list[Term]

    def text(self, numbers: Mapping[str, str] | None = None,
             fmt: Callable[[float], str] | None = None) -> str:
        """The formula with names, or (given `numbers`: name -> text) with numbers substituted."""
        if not self.terms:
            return "0"
        parts = [_product(coef, edges, self.node, numbers, fmt) for coef, edges in self.terms]
        out = parts[0]
        for part in parts[1:]:
            out += f" - {part[1:]}" if part.startswith("-") else f" + {part}"
        return out


def _operand(tree: Tree, numbers: Mapping[str, str] | None,
             fmt: Callable[[float], str] | None) -> str:
    text = render(tree, fmt, numbers)
    simple = isinstance(tree, (Name, Num)) and not text.startswith("-")
    return text if simple else f"({text})"


def _edge_text(edge: _Edge, node: str, numbers: Mapping[str, str] | None,
               fmt: Callable[[float], str] | None) -> str:
    row, apply = OPS[edge.apply.op], edge.apply
    names: dict[str, object] = {"x": _operand(apply.args[0], numbers, fmt)}  # p is a number
    if len(apply.args) > 1:
        names["y"] = _operand(apply.args[1], numbers, fmt)
    out = Name(node) if edge.top else apply
    names["out"] = _operand(out, numbers, fmt)
    if apply.param is not None:
        names["p"] = apply.param
    return row.edge_formula(edge.index, names)


def top_level_sum(text: str) -> bool:
    """True when text has a + or - between terms outside any parentheses ('1 - f', not 'f·(1 - f)')."""
    depth = 0
    for i, ch in enumerate(text):
        depth += (ch == "(") - (ch == ")")
        if depth == 0 and ch in "+-" and 0 < i < len(text) - 1 and text[i - 1] == " " == text[i + 1]:
            return True
    return False


def _product(coef: float, edges: list[_Edge], node: str, numbers: Mapping[str, str] | None,
             fmt: Callable[[float], str] | None) -> str:
    factors = []
    for edge in edges:
        text = _edge_text(edge, node, numbers, fmt)
        if text.startswith("-") and not top_level_sum(text[1:]):  # '-x/y²': a sign, not a term
            coef, text = -coef, text[1:]
        factors.append(text)
    if len(factors) > 1 or abs(coef) != 1.0:
        factors = [f"({f})" if top_level_sum(f) else f for f in factors]
    elif factors and re.fullmatch(r"\(-[\d.e+-]+\)", factors[0]):
        factors[0] = factors[0][1:-1]  # a lone negative number needs no parentheses
    number = (fmt or (lambda x: repr(x).removesuffix(".0")))(abs(coef))
    if abs(coef) != 1.0 or not factors:
        factors.insert(0, number)
    text = "·".join(factors)
    if coef < 0 and text.startswith("-"):
        return "-(" + text + ")"
    return "-" + text if coef < 0 else text


def _local_number(apply: Apply, index: int, point: Mapping[str, float], out: float) -> float:
    """The row's derivative rule along input `index` at the point (for rows with no formula)."""
    row = OPS[apply.op]
    args = [point_value(a, point) for a in apply.args]
    if row.arity == 1:
        return float(row.local(args[0], out, apply.param)[index])
    return float(row.local(args[0], args[1], out)[index])


def _paths(tree: Tree, name: str, node: str, point: Mapping[str, float], top: bool) -> list[Term]:
    if isinstance(tree, Name):
        return [(1.0, [])] if tree.id == name else []
    if isinstance(tree, Num):
        return []
    out = point[node] if top else point_value(tree, point)
    terms: list[Term] = []
    for index, arg in enumerate(tree.args):
        below = _paths(arg, name, node, point, False)
        if not below:
            continue
        if OPS[tree.op].edges[min(index, len(OPS[tree.op].edges) - 1)]:
            factor, edge = 1.0, [_Edge(tree, index, top)]
        else:  # the table shows this derivative as its number (a constant or a 0/1 switch)
            factor, edge = _local_number(tree, index, point, out), []
        if factor == 0.0:
            continue
        terms += [(factor * coef, edge + edges) for coef, edges in below]
    return terms


def derivative(tree: Tree, name: str, node: str, point: Mapping[str, float]) -> Local:
    """d node / d name where node = tree, as a `Local` (point: name -> float, incl. the node)."""
    return Local(node, _paths(tree, name, node, point, True))
