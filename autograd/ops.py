"""THE table of operations: one entry per op, holding its forward and its local derivatives.

Every derivative rule in the engine lives here and nowhere else. A rule receives the op's inputs
and its output and returns one local partial derivative per input. The rules are written so that
they work on plain floats (the fast first-order backward, evaluated once when the node is made)
AND on `Value` nodes (`create_graph=True`, where the backward pass is itself recorded as a graph
and can be differentiated again). That is why a rule says `out * (1 - out)` rather than calling
`math`: the same expression builds new nodes when given Values.

Signatures by arity:
    unary   forward(x, param)      local(x, out, param) -> (dx,)
    binary  forward(x, y)          local(x, y, out)     -> (dx, dy)
    n-ary   forward(xs)            local(xs, out)       -> (dx1, dx2, ...)

Tie and kink rules (the conventions of seed 001's gate drawings), all in this one place:
    max(x1, x2) sends the gradient to x1 when x1 >= x2, else to x2;
    min(x1, x2) sends the gradient to x1 when x1 <= x2, else to x2;
    relu'(0) = 0;  abs'(0) = 0.
These piecewise rules are constants (0 or +-1) wherever they are differentiable, so their second
and higher derivatives are zero almost everywhere; at the kinks the derivative is a convention.

The float forwards that can fail live in `forwards.py`: their errors name the op and the
offending value, and the node module adds the labels of the operand nodes.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

from .forwards import (div_forward, exp_forward, log_forward, pow_forward, sigmoid_forward,
                       softplus_forward, sqrt_forward, sum_forward)

__all__ = ["Op", "OPS", "local_derivatives"]

@dataclass(frozen=True)
class Op:
    """One row of the table: how an operation computes and how it differentiates."""

    name: str  # key in OPS, e.g. "mul"
    symbol: str  # what a diagram prints in the op's node, e.g. "*"
    arity: int  # 1, 2, or 0 for "any number of inputs"
    forward: Callable
    local: Callable
    formula: str  # the local derivatives in words, for diagrams and docs


def _data(x):
    """The float inside x, whether x is a float or a Value (rules branch on data, never on nodes)."""
    return x if type(x) is float else x.data


def _is_float(x) -> bool:
    return type(x) is float


# --- helpers that let one rule serve floats and Values -----------------------------------------

def _finite(d):
    """d itself, unless it is a float that overflowed to +-inf (1/x at a subnormal x, ...).

    Only the rules that divide or raise to a power can overflow while their forward is finite;
    they pass their result through here so an infinite local derivative raises (`autograd.node`
    turns it into a ValueError naming the op and operands) instead of making backward return inf.
    """
    if type(d) is float and d - d:
        raise OverflowError(f"local derivative {d!r} is not a finite float")
    return d


def _sigmoid_any(x):
    return sigmoid_forward(x) if _is_float(x) else x.sigmoid()


def _log_any(x):
    return math.log(x) if _is_float(x) else x.log()


def _pow_local(x, out, p):
    # d/dx x**p = p x**(p-1); x**0 is the constant 1, whose derivative is 0 even at x = 0.
    if p == 0:
        return (0.0,)
    return (_finite(p * x ** (p - 1)),)


def _pow_value_local(x, y, out):
    # d/dy x**y = x**y log x exists only for x > 0; at x = 0 (y > 0) the limit is 0.
    # A negative base with a differentiable exponent is refused when the node is made.
    dy = _finite(out * _log_any(x)) if _data(x) > 0.0 else 0.0
    if _data(y) == 0.0 and _data(x) == 0.0:
        # 0 * 0**-1 is undefined; take 0. Only at x = 0: elsewhere y x**(y-1) must stay a node
        # even when y = 0, or d2/dx dy (= x**-1 there) would be lost under create_graph.
        return (0.0, dy)
    if _data(x) < 0.0:
        # Then y is a constant (see above) with an integer value: a number exponent keeps the
        # derivative node real (x ** (y - 1) with y - 1 a node would be refused for x < 0).
        return (_finite(y * x ** (_data(y) - 1.0)), dy)
    return (_finite(y * x ** (y - 1)), dy)


def _abs_local(x, out, _p):
    d = _data(x)
    return (1.0 if d > 0.0 else -1.0 if d < 0.0 else 0.0,)


_ROWS = [
    Op("add", "+", 2, lambda x, y: x + y, lambda x, y, out: (1.0, 1.0), "d/dx = 1, d/dy = 1"),
    Op("sub", "-", 2, lambda x, y: x - y, lambda x, y, out: (1.0, -1.0), "d/dx = 1, d/dy = -1"),
    Op("mul", "*", 2, lambda x, y: x * y, lambda x, y, out: (y, x), "d/dx = y, d/dy = x"),
    Op("div", "/", 2, div_forward, lambda x, y, out: (_finite(1.0 / y), _finite(-out / y)),
       "d/dx = 1/y, d/dy = -x/y^2"),
    Op("neg", "-", 1, lambda x, p: -x, lambda x, out, p: (-1.0,), "d/dx = -1"),
    Op("pow", "**", 1, pow_forward, _pow_local, "d/dx = p x^(p-1)  (p a number)"),
    Op("pow_value", "**", 2, lambda x, y: pow_forward(x, y), _pow_value_local,
       "d/dx = y x^(y-1), d/dy = x^y log x"),
    Op("abs", "abs", 1, lambda x, p: abs(x), _abs_local, "d/dx = sign(x), 0 at 0"),
    Op("exp", "exp", 1, exp_forward, lambda x, out, p: (out,), "d/dx = exp(x) = out"),
    Op("log", "log", 1, log_forward, lambda x, out, p: (_finite(1.0 / x),), "d/dx = 1/x"),
    Op("sqrt", "sqrt", 1, sqrt_forward, lambda x, out, p: (0.5 / out,), "d/dx = 1/(2 sqrt(x))"),
    Op("sigmoid", "σ", 1, sigmoid_forward, lambda x, out, p: (out * (1.0 - out),),
       "d/dx = σ(x)(1 - σ(x)) = out(1 - out)"),
    Op("tanh", "tanh", 1, lambda x, p: math.tanh(x), lambda x, out, p: (1.0 - out * out,),
       "d/dx = 1 - tanh(x)^2 = 1 - out^2"),
    Op("relu", "relu", 1, lambda x, p: x if x > 0.0 else 0.0,
       lambda x, out, p: (1.0 if _data(x) > 0.0 else 0.0,), "d/dx = 1 if x > 0 else 0"),
    Op("softplus", "softplus", 1, softplus_forward, lambda x, out, p: (_sigmoid_any(x),),
       "d/dx = σ(x)"),
    Op("max", "max", 2, lambda x, y: x if x >= y else y,
       lambda x, y, out: (1.0, 0.0) if _data(x) >= _data(y) else (0.0, 1.0),
       "to x if x >= y, else to y"),
    Op("min", "min", 2, lambda x, y: x if x <= y else y,
       lambda x, y, out: (1.0, 0.0) if _data(x) <= _data(y) else (0.0, 1.0),
       "to x if x <= y, else to y"),
    Op("sum", "Σ", 0, sum_forward, lambda xs, out: (1.0,) * len(xs), "d/dxi = 1"),
]

OPS: dict[str, Op] = {row.name: row for row in _ROWS}


def local_derivatives(node, as_values: bool = False) -> tuple:
    """The local partials of `node` with respect to each of its parents, in parent order.

    With `as_values=False` these are the floats stored when the node was made. With
    `as_values=True` the same table rule is evaluated on the parent nodes themselves, so the
    result is built from Values and can be differentiated again (higher-order derivatives).
    """
    if not as_values or node._op is None:  # a leaf has no input edges: () either way
        return node._local
    op, parents = node._op, node._prev
    if op.arity == 1:
        return op.local(parents[0], node, node._arg)
    if op.arity == 2:
        return op.local(parents[0], parents[1], node)
    return op.local(parents, node)
