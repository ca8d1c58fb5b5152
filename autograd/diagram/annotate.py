"""The text on an edge of a backward diagram: what the edge passes back to its input.

Every edge from an input x_i into an op carries `local derivative x upstream grad g`, written the
way hand-drawn gate diagrams write it: `x2·g = 3.0 × 1.5 = 4.5` for the first input of a product,
`1·g = 1.5` for an add, `1·g` / `0·g` for the winning / losing input of max and min. The symbol
names the rule (from the op table's conventions); the numbers are the engine's stored floats.
"""
from __future__ import annotations

from .style import format_number

__all__ = ["local_symbol", "edge_text", "forward_text"]

# Symbolic local derivative per op and input position. Ops whose local derivative is always a
# constant (add, sub, neg, sum) or a 0/1 switch (max, min, relu) are written by their number.
_SYMBOLS = {
    "div": ("1/x2", "-x1/x2²"),
    "pow_value": ("x2·x1^(x2-1)", "x1^x2·ln x1"),
    "abs": ("sign(x)",),
    "exp": ("exp(x)",),
    "log": ("1/x",),
    "sqrt": ("1/(2√x)",),
    "sigmoid": ("σ(1-σ)",),
    "tanh": ("1-tanh²",),
    "softplus": ("σ(x)",),
}
_NUMERIC = {"add", "sub", "neg", "sum", "max", "min", "relu"}


def _pow_symbol(p: float) -> str:
    """'2·x' for p = 2, '3·x^2' for p = 3, '-1·x^-2' for p = -1: the power rule with numbers."""
    coeff, exponent = f"{p:g}", f"{p - 1:g}"
    if exponent == "0":
        return coeff
    return f"{coeff}·x" if exponent == "1" else f"{coeff}·x^{exponent}"


def local_symbol(node, index: int) -> str:
    """The local derivative of `node` with respect to its input number `index`, as a formula.

    A product names the other factor by its label when it has one (`b·g`), else `x1`/`x2` as the
    gate drawings do. Returns '' when the derivative is best shown as its number alone.
    """
    name = node._op.name
    if name in _NUMERIC:
        return ""
    if name == "mul":
        other = node._prev[1 - index]
        return other.label or f"x{2 - index}"
    if name == "pow":
        return _pow_symbol(float(node._arg))  # float: 'g' formats no Fraction before 3.12
    symbols = _SYMBOLS.get(name)
    if symbols is None:
        return "∂"  # an op added to the table later: still annotated, with a generic symbol
    return symbols[min(index, len(symbols) - 1)]


def edge_text(node, index: int, g: float, precision: int = 4) -> str:
    """What the edge from input `index` into `node` passes back when node's grad is `g`."""
    local = node._local[index]
    product = format_number(local * g, precision)
    symbol = local_symbol(node, index)
    if not symbol:
        return f"{format_number(local, precision).removesuffix('.0')}·g = {product}"
    return (f"{symbol}·g = {format_number(local, precision)} × {format_number(g, precision)}"
            f" = {product}")


def forward_text(parent, precision: int = 4) -> str:
    """What an edge carries forward: the input's value (used by the 'both' view)."""
    return f"→ {format_number(parent.data, precision)}"
