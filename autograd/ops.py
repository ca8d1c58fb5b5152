"""THE table of operations: one row per op, the single home of everything about that op.

A row (`Op`) holds the op's float forward, its local derivative rule, the symbol a diagram
prints in the op's node, the formula each backward edge prints (one template per input), and,
for ops that are called as functions, the name and docstring of the `Value` method (`x.exp()`)
that `autograd.value` generates from the row. Nothing else in the engine knows an op by name:
the node, backward, higher derivatives, diagrams, traces and the docs all read these rows.

To add an op: write one row in `_ROWS` below (forward, rule, symbol, edge formulas, method
name and docstring) and one case in `tests/op_catalogue.py` (its sympy formula and probe
points). That is all: `Value.<method>` appears, the diagrams print its edge formulas, sheets
accept it, `autograd.compile` replays it (through the row's forward and rule), and the first-,
second- and third-derivative tests against sympy pick it up. Speed is optional and comes later,
in the same row: an `Inline` (below) gives the fused node builder and the compiled replay their
fast paths, and tests/test_compile_rows.py checks it bitwise against the rule.

How a rule is written. A rule receives the op's inputs and its output and returns one local
partial derivative per input. It must work on plain floats (the fast first-order pass, which
evaluates it once when a node is made) AND on `Value` nodes (`create_graph=True`, where the
backward pass is itself recorded as a graph and differentiated again). So a rule is written
with arithmetic operators (`out * (1 - out)`) and, where it needs another op, with
`apply("cos", x)`, which runs that op's row on a float or on a node alike. Never call `math`
on an input: `math.cos(x)` would turn a node into a float and silently cut every higher
derivative (tests/test_higher_order.py evaluates every rule on nodes and checks the types).

Signatures by arity:
    unary   forward(x, param)      local(x, out, param) -> (dx,)
    binary  forward(x, y)          local(x, y, out)     -> (dx, dy)
    n-ary   forward(xs)            local(xs, out)       -> (dx1, dx2, ...)

Edge formulas. `edges[i]` is the local derivative along input i as a short formula over the
names `{x}`, `{y}` (the inputs), `{out}` (the node itself) and `{p}` (pow's exponent), which
the diagrams fill with labels: `"{y}"` for the first input of a product, `"1 - {out}²"` for
tanh. An empty formula means "show the number" (add, max, relu, ...: a 0/1 switch or a
constant reads best as its value). The last template repeats for n-ary ops.

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
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Union

from .forwards import (div_forward, exp_forward, log_forward, pow_forward, sigmoid_forward,
                       softplus_forward, sqrt_forward, sum_forward)
from .fused import fuse

if TYPE_CHECKING:  # types only: the node module imports this one
    from .value import Value

__all__ = ["Op", "Inline", "OPS", "INLINE_NAMES", "apply", "describe"]

Formula = Union[str, Callable[[dict], str]]
# What a rule receives and returns: floats in the fast pass, nodes under create_graph
Scalar = Union[float, "Value"]


@dataclass(frozen=True)
class Inline:
    """A row's accelerators for compiled replay (`autograd.compile`): the same forward and rule
    written as source templates, so generated code can do them without a call per node.

    Python templates are filled with variable names for `{x}`, `{y}`, `{out}`, `{p}` (pow's
    exponent as a literal) and, for n-ary rows, `{xs}` (the inputs, comma-separated). They may
    use the names in `INLINE_NAMES` (the row forwards that can fail, `fsum`, `tanh`, ...). A
    generated test checks every template BITWISE against the row's `forward` and `local` over a
    grid with kinks, ties, +-0 and subnormals (tests/test_compile_rows.py).

    `eager`: the rule can raise or overflow (division, log, ...), so replay evaluates it with
    the forward, as a node does when it is made. `np_forward` / `np_local` are numpy kernels
    (source over arrays, `np` is numpy) for the numpy backend: same rule, checked to 2 ulp
    (numpy's exp/tanh may round differently from math's). Empty: the backend loops the row.
    `np_backward` (optional) writes `local * {g}` for each input as one kernel, where the local
    derivative is a 0/1 switch (relu, max, min): one masked copy instead of three array ops.
    """

    forward: str
    local: tuple  # one template per input ('1.0' for a constant); n-ary: one for every input
    eager: bool = False
    np_forward: str = ""
    np_local: tuple = ()
    np_backward: tuple = ()  # optional: `local * {g}` per input in one kernel (a masked copy)


@dataclass(frozen=True)
class Op:
    """One row of the table: how an operation computes, differentiates, draws and is called."""

    name: str  # key in OPS, e.g. "mul"
    symbol: str  # what a diagram prints in the op's node, e.g. "*"
    arity: int  # 1, 2, or 0 for "any number of inputs"
    forward: Callable
    local: Callable
    edges: tuple  # per input: the local derivative as a formula template ('' = the number)
    method: str = ""  # the Value method made from this row (x.exp()); '' for operator-only ops
    doc: str = ""  # what the op computes and how it differentiates (the method's docstring)
    written: str = ""  # how an operator-only op is written (`x + y`), for `describe`
    inline: Inline | None = None  # accelerators for compiled replay (None: call the rule)
    # forward + rule in ONE call, made from this row when the row is made (`autograd.fused`):
    # what the node builders call, one call per node instead of two
    fused: Callable[..., tuple] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "fused", fuse(self, INLINE_NAMES))  # frozen: set once, here

    def edge_formula(self, index: int, names: dict) -> str:
        """The local derivative along input `index` as a formula over `names`.

        `names` maps `x`, `y`, `out` (and `p` for pow) to what a reader calls them, e.g. their
        labels. Returns '' when the derivative is best shown as its number.
        """
        template = self.edges[min(index, len(self.edges) - 1)]
        return template(names) if callable(template) else template.format(**names)


def _data(x: Scalar) -> float:
    """The float inside x, whether x is a float or a Value (rules branch on data, never on nodes)."""
    return x if isinstance(x, float) else x.data


def apply(name: str, x: Scalar, param: object = None) -> Scalar:
    """Op `name` of the table applied to x: its float forward for a float, its node for a Value.

    How a rule uses another op (sin's rule is `apply("cos", x)`) so that it serves the float
    pass and `create_graph` alike.
    """
    row = OPS[name]
    if type(x) is float:
        out: float = row.forward(x, param)
        return out
    node: Value = getattr(x, row.method)()
    return node


def _finite(d: Scalar) -> Scalar:
    """d itself, unless it is a float that overflowed to +-inf (1/x at a subnormal x, ...).

    Only the rules that divide or raise to a power can overflow while their forward is finite;
    they pass their result through here so an infinite local derivative raises (`autograd.value`
    turns it into a ValueError naming the op and operands) instead of making backward return inf.
    """
    if type(d) is float and d - d:
        raise OverflowError(f"local derivative {d!r} is not a finite float")
    return d


def _pow_local(x: Scalar, out: Scalar, p: Any) -> tuple[Scalar]:
    # d/dx x**p = p x**(p-1); x**0 is the constant 1, whose derivative is 0 even at x = 0.
    if p == 0:
        return (0.0,)
    return (_finite(p * x ** (p - 1)),)


def _pow_value_local(x: Scalar, y: Scalar, out: Scalar) -> tuple[Scalar, Scalar]:
    # d/dy x**y = x**y log x exists only for x > 0; at x = 0 (y > 0) the limit is 0.
    # A negative base with a differentiable exponent is refused when the node is made.
    dy = _finite(out * apply("log", x)) if _data(x) > 0.0 else 0.0
    if _data(x) == 0.0 and _data(y) < 1.0:
        # y = 0: 0 * 0**-1 is undefined; take 0 (x**0 is the constant 1). 0 < y < 1: the
        # derivative is infinite, so `Value.__pow__` refuses a differentiable base here; this
        # branch serves a CONSTANT base (0.0 ** v), whose edge carries nothing. Only at x = 0:
        # elsewhere y x**(y-1) must stay a node even when y = 0, or d2/dx dy (= x**-1 there)
        # would be lost under create_graph.
        return (0.0, dy)
    if _data(x) < 0.0:
        # Then y is a constant (see above) with an integer value: a number exponent keeps the
        # derivative node real (x ** (y - 1) with y - 1 a node would be refused for x < 0).
        return (_finite(y * x ** (_data(y) - 1.0)), dy)
    return (_finite(y * x ** (y - 1)), dy)


def _abs_local(x: Scalar, out: Scalar, _p: object) -> tuple[float]:
    d = _data(x)
    return (1.0 if d > 0.0 else -1.0 if d < 0.0 else 0.0,)


def _power_rule(names: dict) -> str:
    """'2·x' for p = 2, '3·x^2' for p = 3, '-1·x^-2' for p = -1: the power rule with numbers."""
    p = float(names["p"])  # float: 'g' formats no Fraction before Python 3.12
    coeff, exponent = f"{p:g}", f"{p - 1:g}"
    if exponent == "0":
        return coeff
    x = names["x"]
    return f"{coeff}·{x}" if exponent == "1" else f"{coeff}·{x}^{exponent}"


# The names the python templates of `Inline` may use (generated code gets exactly these).
INLINE_NAMES = {"fsum": math.fsum, "tanh": math.tanh, "sin": math.sin, "cos": math.cos,
                "exp_forward": exp_forward, "log_forward": log_forward,
                "sqrt_forward": sqrt_forward, "sigmoid_forward": sigmoid_forward,
                "softplus_forward": softplus_forward, "pow_forward": pow_forward,
                "pow_local": lambda x, out, p: _pow_local(x, out, p)[0]}

_ROWS = [
    Op("add", "+", 2, lambda x, y: x + y, lambda x, y, out: (1.0, 1.0), ("", ""),
       doc="Sum; derivative 1 to each input.", written="x + y",
       inline=Inline("{x} + {y}", ("1.0", "1.0"), False, "{x} + {y}", ("1.0", "1.0"))),
    Op("sub", "-", 2, lambda x, y: x - y, lambda x, y, out: (1.0, -1.0), ("", ""),
       doc="Difference; derivative 1 to x, -1 to y.", written="x - y",
       inline=Inline("{x} - {y}", ("1.0", "-1.0"), False, "{x} - {y}", ("1.0", "-1.0"))),
    Op("mul", "*", 2, lambda x, y: x * y, lambda x, y, out: (y, x), ("{y}", "{x}"),
       doc="Product; derivative y to x and x to y.", written="x * y",
       inline=Inline("{x} * {y}", ("{y}", "{x}"), False, "{x} * {y}", ("{y}", "{x}"))),
    Op("div", "/", 2, div_forward, lambda x, y, out: (_finite(1.0 / y), _finite(-out / y)),
       ("1/{y}", "-{x}/{y}²"), doc="Quotient; ZeroDivisionError for y = 0; derivatives 1/y and "
       "-x/y**2.", written="x / y",
       inline=Inline("{x} / {y}", ("1.0 / {y}", "-{out} / {y}"), True,
                     "{x} / {y}", ("1.0 / {y}", "-{out} / {y}"))),
    Op("neg", "-", 1, lambda x, p: -x, lambda x, out, p: (-1.0,), ("",),
       doc="Negation; derivative -1.", written="-x",
       inline=Inline("-{x}", ("-1.0",), False, "-{x}", ("-1.0",))),
    Op("pow", "**", 1, pow_forward, _pow_local, (_power_rule,),
       doc="x to a number power p; derivative p·x**(p-1).", written="x ** p",
       inline=Inline("pow_forward({x}, {p})", ("pow_local({x}, {out}, {p})",), True,
                     "{x} ** {p}", ("{p} * {x} ** ({p} - 1)",))),
    Op("pow_value", "**", 2, lambda x, y: pow_forward(x, y), _pow_value_local,
       ("{y}·{x}^({y} - 1)", "{x}^{y}·ln {x}"), doc="x to a Value power y; derivatives "
       "y·x**(y-1) and x**y·ln x (0 at x = 0).", written="x ** y"),
    Op("abs", "abs", 1, lambda x, p: abs(x), _abs_local, ("sign({x})",), "abs",
       "|x|; derivative sign(x), 0 at 0.",
       inline=Inline("abs({x})", ("(1.0 if {x} > 0.0 else -1.0 if {x} < 0.0 else 0.0)",), False,
                     "np.abs({x})", ("np.sign({x})",))),
    Op("exp", "exp", 1, exp_forward, lambda x, out, p: (out,), ("exp({x})",), "exp",
       "e**x; derivative exp(x); OverflowError for x > ~709.78 instead of inf.",
       inline=Inline("exp_forward({x})", ("{out}",), False, "np.exp({x})", ("{out}",))),
    Op("log", "log", 1, log_forward, lambda x, out, p: (_finite(1.0 / x),), ("1/{x}",), "log",
       "Natural log; derivative 1/x; ValueError for x <= 0.",
       inline=Inline("log_forward({x})", ("1.0 / {x}",), True, "np.log({x})", ("1.0 / {x}",))),
    Op("sqrt", "sqrt", 1, sqrt_forward, lambda x, out, p: (0.5 / out,), ("1/(2·√{x})",), "sqrt",
       "Square root; derivative 1/(2 sqrt(x)); ValueError for x < 0 (and for x = 0, where "
       "the derivative is infinite).",
       inline=Inline("sqrt_forward({x})", ("0.5 / {out}",), True, "np.sqrt({x})", ("0.5 / {out}",))),
    Op("sigmoid", "σ", 1, sigmoid_forward, lambda x, out, p: (out * (1.0 - out),),
       ("{out}·(1 - {out})",), "sigmoid",
       "1 / (1 + e**-x), exact limits 0 and 1 for large |x|; derivative out(1 - out).",
       inline=Inline("sigmoid_forward({x})", ("{out} * (1.0 - {out})",), False,
                     "np.exp(-np.logaddexp(0.0, -{x}))", ("{out} * (1.0 - {out})",))),
    Op("tanh", "tanh", 1, lambda x, p: math.tanh(x), lambda x, out, p: (1.0 - out * out,),
       ("1 - {out}²",), "tanh", "Hyperbolic tangent; derivative 1 - out**2.",
       inline=Inline("tanh({x})", ("1.0 - {out} * {out}",), False,
                     "np.tanh({x})", ("1.0 - {out} * {out}",))),
    Op("relu", "relu", 1, lambda x, p: x if x > 0.0 else 0.0,
       lambda x, out, p: (1.0 if _data(x) > 0.0 else 0.0,), ("",), "relu",
       "max(x, 0); derivative 1 for x > 0, else 0 (relu'(0) = 0).",
       inline=Inline("({x} if {x} > 0.0 else 0.0)", ("(1.0 if {x} > 0.0 else 0.0)",), False,
                     "np.maximum({x}, 0.0)", ("np.where({x} > 0.0, 1.0, 0.0)",),
                     ("{g} * ({x} > 0.0)",))),
    Op("softplus", "softplus", 1, softplus_forward, lambda x, out, p: (apply("sigmoid", x),),
       ("σ({x})",), "softplus", "log(1 + e**x) without overflow; derivative sigmoid(x).",
       inline=Inline("softplus_forward({x})", ("sigmoid_forward({x})",), False,
                     "np.logaddexp(0.0, {x})", ("np.exp(-np.logaddexp(0.0, -{x}))",))),
    Op("sin", "sin", 1, lambda x, p: math.sin(x), lambda x, out, p: (apply("cos", x),),
       ("cos({x})",), "sin", "Sine (radians); derivative cos(x).",
       inline=Inline("sin({x})", ("cos({x})",), False, "np.sin({x})", ("np.cos({x})",))),
    Op("cos", "cos", 1, lambda x, p: math.cos(x), lambda x, out, p: (-apply("sin", x),),
       ("-sin({x})",), "cos", "Cosine (radians); derivative -sin(x).",
       inline=Inline("cos({x})", ("-sin({x})",), False, "np.cos({x})", ("-np.sin({x})",))),
    Op("max", "max", 2, lambda x, y: x if x >= y else y,
       lambda x, y, out: (1.0, 0.0) if _data(x) >= _data(y) else (0.0, 1.0), ("", ""), "max",
       "Differentiable max: the gradient goes to self when self >= other (ties to self).",
       inline=Inline("({x} if {x} >= {y} else {y})",
                     ("(1.0 if {x} >= {y} else 0.0)", "(0.0 if {x} >= {y} else 1.0)"), False,
                     "np.where({x} >= {y}, {x}, {y})",
                     ("np.where({x} >= {y}, 1.0, 0.0)", "np.where({x} >= {y}, 0.0, 1.0)"),
                     ("np.where({x} >= {y}, {g}, 0.0)", "np.where({x} >= {y}, 0.0, {g})"))),
    Op("min", "min", 2, lambda x, y: x if x <= y else y,
       lambda x, y, out: (1.0, 0.0) if _data(x) <= _data(y) else (0.0, 1.0), ("", ""), "min",
       "Differentiable min: the gradient goes to self when self <= other (ties to self).",
       inline=Inline("({x} if {x} <= {y} else {y})",
                     ("(1.0 if {x} <= {y} else 0.0)", "(0.0 if {x} <= {y} else 1.0)"), False,
                     "np.where({x} <= {y}, {x}, {y})",
                     ("np.where({x} <= {y}, 1.0, 0.0)", "np.where({x} <= {y}, 0.0, 1.0)"),
                     ("np.where({x} <= {y}, {g}, 0.0)", "np.where({x} <= {y}, 0.0, {g})"))),
    Op("sum", "Σ", 0, sum_forward, lambda xs, out: (1.0,) * len(xs), ("",),
       doc="Exactly rounded sum of many terms as one node; derivative 1 to each.",
       written="vsum(xs)",
       inline=Inline("fsum(({xs},))", ("1.0",), False, "np.add.reduce([{xs}])", ("1.0",))),
    # The largest input as a SHIFT: its value is max(xs) but no gradient flows through it (as
    # if it were a constant). softmax(z - m) = softmax(z) for any m, so the max is there only
    # to keep exp from overflowing; being a node (not a number read from `.data`) keeps the
    # graph's structure the same for every input, which compiled replay needs.
    Op("max_shift", "max·", 0, lambda xs: max(xs), lambda xs, out: (0.0,) * len(xs), ("",),
       doc="The largest input as a constant shift (softmax's stabiliser): value max(xs), "
       "derivative 0 to every input.", written="max_shift(xs)",
       inline=Inline("max(({xs},))", ("0.0",), False, "np.maximum.reduce([{xs}])", ("0.0",))),
]

OPS: dict[str, Op] = {row.name: row for row in _ROWS}


def describe() -> str:
    """The op table as text, one line per row: how the op is written and its docstring
    (what it computes and how it differentiates). Always current: it reads the rows."""
    lines = []
    for row in _ROWS:
        if row.method:
            written = f"x.{row.method}()" if row.arity == 1 else f"x.{row.method}(y)"
        else:
            written = row.written
        lines.append(f"{written:<14} {row.doc}")
    return "\n".join(lines)


# `help(autograd.ops)` ends with the table itself, read from the rows (never a stale copy).
__doc__ += "\nThe rows, as `describe()` prints them:\n\n" + "\n".join(
    "    " + line for line in describe().splitlines()) + "\n"
