"""Free functions that build Values: `as_value`, `maximum`, `minimum` and the n-ary `vsum`."""
from __future__ import annotations

from . import errors
from .node import Value, constant
from .ops import OPS

__all__ = ["as_value", "maximum", "minimum", "vsum"]

_SUM = OPS["sum"]
_DOMAIN_ERRORS = (ArithmeticError, ValueError)


def as_value(x, label: str = "") -> Value:
    """x if it is already a Value, else a new leaf Value holding x."""
    return x if type(x) is Value else Value(x, label)


def maximum(a, b) -> Value:
    """Differentiable max(a, b): the gradient goes to a when a >= b (ties to the first input)."""
    return as_value(a).max(b)


def minimum(a, b) -> Value:
    """Differentiable min(a, b): the gradient goes to a when a <= b (ties to the first input)."""
    return as_value(a).min(b)


def _term(x) -> Value:
    """A term of vsum as a node: a number becomes a constant leaf, anything else a TypeError."""
    node = constant(x)
    if node is None:
        raise errors.not_a_number(x, "sum")
    return node


def vsum(terms) -> Value:
    """The sum of many Values (or numbers) as ONE node with one edge per term.

    One node instead of a chain of n - 1 additions: less memory, a faster backward, and an
    exactly rounded sum (math.fsum) that does not depend on the order of the terms. Plain
    numbers become constant leaves (requires_grad=False), as in `x + 2`.
    """
    parents = tuple(terms)
    for term in parents:
        if type(term) is not Value:  # usually every term is a node: one scan, no call per term
            parents = tuple(map(_term, parents))
            break
    if not parents:
        return Value(0.0, requires_grad=False)
    try:
        out = _SUM.forward([p.data for p in parents])
    except _DOMAIN_ERRORS as exc:
        raise errors.explain(exc, _SUM, parents) from None
    return Value._many_parents(_SUM, parents, out, _SUM.local(parents, out))
