"""The text on an edge of a backward diagram: what the edge passes back to its input.

Every edge from an input into an op carries `local derivative x upstream gradient`, written the
way a hand solution writes it: `w2·ḡ = 3.0 × 1.5 = 4.5` for the first input of a product whose
other input is `w2`, `(1 - h^2)·ḡ = ...` for tanh (powers always as `^`), `1·ḡ = 1.5` for an add, `1·ḡ` / `0·ḡ` for the
winning / losing input of max and min. The formula comes from the op's row in the op table
(`Op.edge_formula`), filled with the names a reader sees: labels, a constant's value, or `#k`
(the node's row in `Trace`). `ḡ` is the gradient arriving at the op's output: a symbol that
cannot clash with a label. The numbers are the engine's stored floats.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from .labels import one_power_notation
from .style import format_number

if TYPE_CHECKING:
    from ..value import Value

__all__ = ["UPSTREAM", "grouped", "local_formula", "edge_text", "forward_text"]

UPSTREAM = "ḡ"  # the upstream gradient: never a label (labels are what users type)


def grouped(formula: str) -> str:
    """The formula in parentheses when `·ḡ` would bind to only part of it.

    Products and powers (`3·x^2`, `-sin(x)`) need none; a sum, a difference or a quotient
    does: `(1 - tanh^2)·ḡ`, `(1/b)·ḡ`.
    """
    depth, compound = 0, False
    for ch in formula:
        depth += ch == "("
        depth -= ch == ")"
        if depth == 0 and ch in " +/":  # a sum, difference or quotient outside any call
            compound = True
    return f"({formula})" if compound else formula


def local_formula(node: Value, index: int, names: Mapping[Value, str]) -> str:
    """The local derivative of `node` along input `index` as a formula over the names of its
    operands (`names` maps nodes to what a reader calls them); '' when the number says it best.
    """
    row = node.row
    assert row is not None, "a leaf has no input edges"
    parents = node.parents
    # An unlabelled output reads best as its function: (1 - tanh^2), σ·(1 - σ), not (1 - #7^2).
    out = names[node] if node.label else (row.symbol if row.method else names[node])
    fields: dict[str, object] = {"x": names[parents[0]], "out": out, "p": node.arg}
    if len(parents) > 1:
        fields["y"] = names[parents[1]]
    return one_power_notation(row.edge_formula(index, fields))


def edge_text(node: Value, index: int, g: float, names: Mapping[Value, str],
              precision: int = 4, symbol: str = UPSTREAM) -> str:
    """What the edge from input `index` into `node` passes back when node's grad is `g`.

    The same text with another `symbol` and number is the forward mirror: `symbol='ṫ'` and
    g the tangent of the input gives what the edge carries forward (the tangent view)."""
    local = node.local[index]
    product = format_number(local * g, precision)
    formula = local_formula(node, index, names)
    if not formula:
        return f"{format_number(local, precision).removesuffix('.0')}·{symbol} = {product}"
    return (f"{grouped(formula)}·{symbol} = {format_number(local, precision)} × "
            f"{format_number(g, precision)} = {product}")


def forward_text(parent: Value, precision: int = 4) -> str:
    """What an edge carries forward: the input's value (used by the 'both' view)."""
    return f"→ {format_number(parent.data, precision)}"
