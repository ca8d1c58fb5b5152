"""THE table of operations: one row per op, the single home of everything about that op.

A row (`Op`, keyword-only) holds the op's float forward, its derivative along each input as a
FORMULA (`tanh`: `"1 - out**2"`, `mul`: `("y", "x")`), the symbol a diagram prints in the op's
node, the facts others ask about (infix operator and precedence, kink, whether inf/nan
propagates) and, for ops called as functions, the name and docstring of the `Value` method
(`x.exp()`) that `autograd.value` generates from the row. Nothing else in the engine knows an op
by name: the node holds its row (`node.row`), and backward, higher derivatives, diagrams,
traces, sheets, compile and the docs all read the rows.

Formulas are written in the names `x`, `y` (the inputs), `out` (the op's value) and `p` (pow's
exponent), with + - * / **, numbers and the functions of the table (`cos(x)`, `sigmoid(x)`).
Each is parsed ONCE (`autograd.formula`) and everything is derived from the one tree:

    row.local        the float rule (x, out, p) -> (dx,) / (x, y, out) -> (dx, dy); it also runs
                     on Value nodes (`create_graph=True`): calls go through `apply`, so second
                     derivatives keep working
    row.fused        forward + rule in one call (`autograd.fused`), what the node builders call
    row.inline       python and numpy replay source for `autograd.compile`
    row.edge_formula the text diagrams, the stepper panel and keys print (`1 - tanh²`)

A Python rule (`rule=`) stays only where a formula cannot say it: the ties of max/min and the
kinks of relu/abs (a python expression over the inputs' data, one per input) and pow's
special cases (a callable). Where a reader should see another form than the one computed
(`exp(x)` for exp's `out`), `shows=` gives it, per input; tests/test_formulas.py evaluates
every printed formula against the rule at the catalogue's probe points.

To add an op: write one row in `_ROWS` below and one case in `tests/op_catalogue.py` (its sympy
formula and probe points). That is all: `Value.<method>` appears, the diagrams print its
formula, sheets accept it, `autograd.compile` replays it on both backends, and the first-,
second- and third-derivative tests against sympy pick it up. `python=` / `numpy=` (the forward
as source) give the fast paths; without them replay calls the row's forward.

Signatures by arity:
    unary   forward(x, param)      local(x, out, param) -> (dx,)
    binary  forward(x, y)          local(x, y, out)     -> (dx, dy)
    n-ary   forward(xs)            local(xs, out)       -> (dx1, dx2, ...)   (constant formulas)

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
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Union

from . import formula
from .formula import Apply, Language, Name, Num, Tree
from .forwards import (div_forward, exp_forward, log_forward, pow_forward, sigmoid_forward,
                       softplus_forward, sqrt_forward, sum_forward)
from .fused import fuse

if TYPE_CHECKING:  # types only: the node module imports this one
    from .value import Value

__all__ = ["Op", "Inline", "OPS", "LANGUAGE", "SHOWN", "SHOWN_FUNCTIONS", "INLINE_NAMES",
           "apply", "template", "describe"]

# What a rule receives and returns: floats in the fast pass, nodes under create_graph
Scalar = Union[float, "Value"]


@dataclass(frozen=True)
class Inline:
    """A row's source for compiled replay (`autograd.compile`), DERIVED from the row.

    Python templates are filled with variable names for `{x}`, `{y}`, `{out}`, `{p}` (pow's
    exponent as a literal) and, for n-ary rows, `{xs}` (the inputs, comma-separated). They may
    use the names in `INLINE_NAMES`. `eager`: the rule can raise or overflow (division, log,
    ...), so replay evaluates it with the forward, as a node does when it is made. `np_forward`
    / `np_local`: numpy kernels (`np` is numpy); empty: the backend loops the row. `np_backward`
    (optional) writes `local * {g}` per input as one kernel where the local derivative is a 0/1
    switch (relu, max, min): one masked copy instead of three array ops.
    tests/test_compile_rows.py checks them against the row's forward and rule.
    """

    forward: str
    local: tuple  # one template per input; n-ary: one for every input
    eager: bool = False
    np_forward: str = ""
    np_local: tuple = ()
    np_backward: tuple = ()


@dataclass(frozen=True, kw_only=True)
class Op:
    """One row of the table: how an operation computes, differentiates, draws and is called."""

    name: str  # key in OPS, e.g. "mul"
    symbol: str  # what a diagram prints in the op's node, e.g. "*"
    arity: int  # 1, 2, or 0 for "any number of inputs"
    forward: Callable
    # the derivative along each input as a formula (a string for one input; n-ary: one formula
    # for every input); empty where `rule` says it
    derivatives: tuple[str, ...] | str = ()
    # a Python rule where a formula cannot say it: one python expression per input over the
    # inputs' data (ties, kinks: piecewise constants), or a callable with the row's signature
    rule: tuple[str, ...] | Callable | None = None
    # what a reader sees per input, where it differs from the formula ('' = show the number);
    # each is evaluated against the rule by tests/test_formulas.py
    shows: tuple[str, ...] = ()
    python: str = ""  # the forward as python source ({x}, {y}, {p}, {xs}): replay's fast path
    numpy: str = ""  # the forward as a numpy kernel (`np`): the numpy backend's fast path
    np_rule: tuple[str, ...] = ()  # numpy kernels of a python `rule` (one per input)
    np_backward: tuple[str, ...] = ()  # `local * {g}` per input in one kernel (a masked copy)
    eager: bool | None = None  # the rule can fail; None: a formula with / or ** can
    method: str = ""  # the Value method made from this row (x.exp()); '' for operator-only ops
    doc: str = ""  # what the op computes and how it differentiates (the method's docstring)
    written: str = ""  # how an operator-only op is written (`x + y`), for `describe`
    param: str = ""  # the name of the op's number parameter in its formulas (pow: `p`)
    infix: str = ""  # the operator symbol of an operator row (`+`); `**` for pow's number power
    precedence: int = 5  # how tightly the operator binds (formulas and sheets print with it)
    shown: str = ""  # how a formula prints this function (`σ`, `√`); '' = its method name
    kink: str = ""  # a formula whose zero is the kink or tie (`x`, `x - y`); '' = smooth
    propagates: bool = False  # an inf or nan input always shows in the output (or raises)
    # a python condition on the inputs where the node builder refuses or decides more than the
    # forward does (`x <= 0.0` for pow_value): compiled replay then asks the object engine
    fallback: str = ""
    # --- derived from the above when the table is made (see `_finish`) ---
    formulas: tuple[Tree, ...] = field(init=False, repr=False, compare=False)
    local: Callable[..., tuple] = field(init=False, repr=False, compare=False)
    inline: Inline | None = field(init=False, repr=False, compare=False)
    # forward + rule in ONE call, made from this row (`autograd.fused`): what the node
    # builders call, one call per node instead of two
    fused: Callable[..., tuple] = field(init=False, repr=False, compare=False)
    # what a reader sees per input, parsed (None: the number is shown)
    displays: tuple[Tree | None, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # A row made once the table exists (a test, an experiment) is derived at once; the
        # table's own rows are derived together below, once their functions all exist.
        if _TABLE_MADE:
            _finish(self)

    def edge_formula(self, index: int, names: dict) -> str:
        """The local derivative along input `index` as printed text over `names`.

        `names` maps `x`, `y`, `out` to what a reader calls them (labels, `#7`) and `p` to
        pow's exponent (a number, folded in: `3·x^2`). '' when the derivative is best shown as
        its number (a constant, a 0/1 switch).
        """
        tree = self.displays[min(index, len(self.displays) - 1)]
        if tree is None:
            return ""
        texts = {k: str(v) for k, v in names.items() if k in ("x", "y", "out") and v is not None}
        number = names.get(self.param) if self.param else None  # folded in: `3·x^2`
        return formula.show(tree, SHOWN, texts,
                            {self.param: float(number)} if number is not None else None)

    def node_symbol(self, param: Any = None) -> str:
        """What a diagram prints in the op's node: the symbol, with the number parameter of a
        row that has one (`**2` and `**-1` differ only by the exponent)."""
        if self.param and param is not None:
            return f"{self.symbol}{float(param):g}"  # float: 'g' formats no Fraction (< 3.12)
        return self.symbol

    @property
    def edges(self) -> tuple[str, ...]:
        """The printed formula per input over the plain names x, y, out ('' = the number)."""
        return tuple(self.edge_formula(i, {}) for i in range(max(self.arity, 1)))


def _data(x: Scalar) -> float:
    """The float inside x, whether x is a float or a Value (rules branch on data, never on nodes)."""
    return x if isinstance(x, float) else x.data


def apply(name: str, x: Scalar, param: object = None) -> Scalar:
    """Op `name` of the table applied to x: its float forward for a float, its node for a Value.

    How a rule uses another op (sin's rule is `cos(x)`, run as `apply("cos", x)`) so that it
    serves the float pass and `create_graph` alike.
    """
    row = OPS[name]
    if type(x) is float:
        out: float = row.forward(x, param)
        return out
    node: Value = getattr(x, row.method)()
    return node


def _finite(d: Scalar) -> Scalar:
    """d itself, unless it is a float that overflowed to +-inf (1/x at a subnormal x, ...).

    The rules that divide or raise to a power can overflow while their forward is finite; their
    results pass through here so an infinite local derivative raises (`autograd.value` turns it
    into a ValueError naming the op and operands) instead of making backward return inf.
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


# The names replay source may use (generated code gets exactly these, plus F_<op> / R_<op>:
# each row's forward and python rule, added when the table is made).
INLINE_NAMES: dict[str, object] = {
    "math": math, "fsum": math.fsum, "tanh": math.tanh, "sin": math.sin, "cos": math.cos,
    "exp_forward": exp_forward, "log_forward": log_forward, "sqrt_forward": sqrt_forward,
    "sigmoid_forward": sigmoid_forward, "softplus_forward": softplus_forward,
    "pow_forward": pow_forward}

def _pick(name: str, wins: str, forward: Callable[[float, float], float]) -> Op:
    """The row of max or min: x when `x wins y` (`>=`, `<=`: ties go to x), else y. The
    gradient goes to the one picked, a 0/1 switch (a tie rule: no formula can say it)."""
    switch = f"{{x}} {wins} {{y}}"
    return Op(name=name, symbol=name, arity=2, forward=forward,
              rule=(f"1.0 if x {wins} y else 0.0", f"0.0 if x {wins} y else 1.0"),
              python=f"({{x}} if {switch} else {{y}})", numpy=f"np.where({switch}, {{x}}, {{y}})",
              np_rule=(f"np.where({switch}, 1.0, 0.0)", f"np.where({switch}, 0.0, 1.0)"),
              np_backward=(f"np.where({switch}, {{g}}, 0.0)", f"np.where({switch}, 0.0, {{g}})"),
              kink="x - y", method=name,
              doc=f"Differentiable {name}: the gradient goes to self when self {wins} other "
              "(ties to self).")


_TABLE_MADE = False  # set once the table's own rows are derived (see Op.__post_init__)
_ROWS = [
    Op(name="add", symbol="+", arity=2, forward=lambda x, y: x + y, derivatives=("1", "1"),
       python="{x} + {y}", numpy="{x} + {y}", infix="+", precedence=1, propagates=True,
       doc="Sum; derivative 1 to each input.", written="x + y"),
    Op(name="sub", symbol="-", arity=2, forward=lambda x, y: x - y, derivatives=("1", "-1"),
       python="{x} - {y}", numpy="{x} - {y}", infix="-", precedence=1, propagates=True,
       doc="Difference; derivative 1 to x, -1 to y.", written="x - y"),
    Op(name="mul", symbol="*", arity=2, forward=lambda x, y: x * y, derivatives=("y", "x"),
       python="{x} * {y}", numpy="{x} * {y}", infix="*", precedence=2, propagates=True,
       doc="Product; derivative y to x and x to y.", written="x * y"),
    Op(name="div", symbol="/", arity=2, forward=div_forward, derivatives=("1 / y", "-out / y"),
       shows=("1 / y", "-x / y**2"), python="{x} / {y}", numpy="{x} / {y}", infix="/",
       precedence=2, doc="Quotient; ZeroDivisionError for y = 0; derivatives 1/y and -x/y**2.",
       written="x / y"),
    Op(name="neg", symbol="-", arity=1, forward=lambda x, p: -x, derivatives="-1",
       python="-{x}", numpy="-{x}", infix="-", precedence=3, propagates=True,
       doc="Negation; derivative -1.", written="-x"),
    Op(name="pow", symbol="**", arity=1, forward=pow_forward, derivatives="p * x ** (p - 1)",
       rule=_pow_local, param="p", python="pow_forward({x}, {p})", numpy="{x} ** {p}", infix="**",
       precedence=4, doc="x to a number power p; derivative p·x**(p-1).", written="x ** p"),
    Op(name="pow_value", symbol="**", arity=2, forward=lambda x, y: pow_forward(x, y),
       derivatives=("y * x ** (y - 1)", "out * log(x)"), rule=_pow_value_local,
       shows=("y * x ** (y - 1)", "x ** y * log(x)"), infix="**", precedence=4,
       fallback="x <= 0.0",
       doc="x to a Value power y; derivatives y·x**(y-1) and x**y·ln x (0 at x = 0).",
       written="x ** y"),
    Op(name="abs", symbol="abs", arity=1, forward=lambda x, p: abs(x),
       rule=("1.0 if x > 0.0 else -1.0 if x < 0.0 else 0.0",), shows=("sign(x)",),
       python="abs({x})", numpy="np.abs({x})", np_rule=("np.sign({x})",), kink="x",
       propagates=True, method="abs", doc="|x|; derivative sign(x), 0 at 0."),
    Op(name="exp", symbol="exp", arity=1, forward=exp_forward, derivatives="out",
       shows=("exp(x)",), python="exp_forward({x})", numpy="np.exp({x})", method="exp",
       doc="e**x; derivative exp(x); OverflowError for x > ~709.78 instead of inf."),
    Op(name="log", symbol="log", arity=1, forward=log_forward, derivatives="1 / x",
       python="log_forward({x})", numpy="np.log({x})", shown="ln", propagates=True,
       method="log", doc="Natural log; derivative 1/x; ValueError for x <= 0."),
    Op(name="sqrt", symbol="sqrt", arity=1, forward=sqrt_forward, derivatives="0.5 / out",
       shows=("1 / (2 * sqrt(x))",), python="sqrt_forward({x})", numpy="np.sqrt({x})",
       shown="√", propagates=True, method="sqrt",
       doc="Square root; derivative 1/(2 sqrt(x)); ValueError for x < 0 (and for x = 0, where "
       "the derivative is infinite)."),
    # numpy: the stable sigmoid (no exp of a large positive number), its kernel everywhere
    Op(name="sigmoid", symbol="σ", arity=1, forward=sigmoid_forward,
       derivatives="out * (1 - out)", python="sigmoid_forward({x})",
       numpy="np.exp(-np.logaddexp(0.0, -{x}))", shown="σ", method="sigmoid",
       doc="1 / (1 + e**-x), exact limits 0 and 1 for large |x|; derivative out(1 - out)."),
    # eager=False: out is in [-1, 1], so 1 - out**2 cannot overflow
    Op(name="tanh", symbol="tanh", arity=1, forward=lambda x, p: math.tanh(x),
       derivatives="1 - out**2", eager=False, python="tanh({x})", numpy="np.tanh({x})",
       method="tanh", doc="Hyperbolic tangent; derivative 1 - out**2."),
    Op(name="relu", symbol="relu", arity=1, forward=lambda x, p: x if x > 0.0 else 0.0,
       rule=("1.0 if x > 0.0 else 0.0",), python="({x} if {x} > 0.0 else 0.0)",
       numpy="np.maximum({x}, 0.0)", np_rule=("np.where({x} > 0.0, 1.0, 0.0)",),
       np_backward=("{g} * ({x} > 0.0)",), kink="x", method="relu",
       doc="max(x, 0); derivative 1 for x > 0, else 0 (relu'(0) = 0)."),
    Op(name="softplus", symbol="softplus", arity=1, forward=softplus_forward,
       derivatives="sigmoid(x)", python="softplus_forward({x})",
       numpy="np.logaddexp(0.0, {x})", method="softplus",
       doc="log(1 + e**x) without overflow; derivative sigmoid(x)."),
    Op(name="sin", symbol="sin", arity=1, forward=lambda x, p: math.sin(x),
       derivatives="cos(x)", python="sin({x})", numpy="np.sin({x})", method="sin",
       doc="Sine (radians); derivative cos(x)."),
    Op(name="cos", symbol="cos", arity=1, forward=lambda x, p: math.cos(x),
       derivatives="-sin(x)", python="cos({x})", numpy="np.cos({x})", method="cos",
       doc="Cosine (radians); derivative -sin(x)."),
    _pick("max", ">=", lambda x, y: x if x >= y else y),
    _pick("min", "<=", lambda x, y: x if x <= y else y),
    Op(name="sum", symbol="Σ", arity=0, forward=sum_forward, derivatives="1",
       python="fsum(({xs},))", numpy="np.add.reduce([{xs}])", propagates=True,
       doc="Exactly rounded sum of many terms as one node; derivative 1 to each.",
       written="vsum(xs)"),
    # The largest input as a SHIFT: its value is max(xs) but no gradient flows through it (as
    # if it were a constant). softmax(z - m) = softmax(z) for any m, so the max is there only
    # to keep exp from overflowing; being a node (not a number read from `.data`) keeps the
    # graph's structure the same for every input, which compiled replay needs.
    Op(name="max_shift", symbol="max·", arity=0, forward=lambda xs: max(xs), derivatives="0",
       python="max(({xs},))", numpy="np.maximum.reduce([{xs}])",
       doc="The largest input as a constant shift (softmax's stabiliser): value max(xs), "
       "derivative 0 to every input.", written="max_shift(xs)"),
]

OPS: dict[str, Op] = {row.name: row for row in _ROWS}


def _language(rows: list[Op], extra: dict[str, tuple[str, int]]) -> Language:
    """The formula language of the table: its operator rows and its functions."""
    operators = {(row.infix, row.arity): row.name for row in rows if row.infix}
    return Language(
        operators=operators,
        precedence={row.name: row.precedence for row in rows if row.infix},
        functions={**{row.method: (row.name, row.arity) for row in rows
                      if row.method and row.arity in (1, 2)}, **extra},
        shown={row.name: row.shown for row in rows if row.shown})


# What formulas (rows, sheets) may say; `SHOWN` adds what only a printed form may use:
# `sign(x)`, abs's derivative, is no op of the table (`SHOWN_FUNCTIONS` gives its meaning).
LANGUAGE = _language(_ROWS, {})
SHOWN = _language(_ROWS, {"sign": ("sign", 1)})
SHOWN_FUNCTIONS: dict[str, Callable[[float], float]] = {
    "sign": lambda x: 1.0 if x > 0.0 else -1.0 if x < 0.0 else 0.0}

_PLACEHOLDERS = {name: "{" + name + "}" for name in ("x", "y", "out", "p")}


def _filled(template: str, args: list[str]) -> str:
    """A forward template filled with argument sources (parenthesised unless simple)."""
    wrapped = [a if re.fullmatch(r"[\w{}.]+", a) else f"({a})" for a in args]
    return template.format(x=wrapped[0], y=wrapped[1] if len(wrapped) > 1 else "")


def _call(key: str, args: list[str]) -> str:
    """A call of op `key` in replay source: its python forward, else its forward by name."""
    row = OPS[key]
    if row.python:
        return _filled(row.python, args)
    return f"F_{row.name}({', '.join(args)}{', None' if row.arity == 1 else ''})"


def _rule_call(key: str, args: list[str]) -> str:
    """A call in a float rule: through `apply`, so the same rule also runs on nodes."""
    if len(args) != 1:
        raise ValueError(f"a derivative formula calls {key} with {len(args)} arguments; "
                         "only functions of one argument can be called in a formula")
    return f'apply("{key}", {args[0]})'


def _np_call(key: str, args: list[str]) -> str:
    """A call of op `key` in a numpy kernel: its numpy forward."""
    row = OPS[key]
    if not row.numpy:
        raise LookupError(f"{key} has no numpy kernel")
    return _filled(row.numpy, args)


def _compiled(name: str, source: str) -> Any:
    """The function `name` defined by `source` (the table's own formulas, never user text)."""
    namespace: dict[str, Any] = {"apply": apply, "_finite": _finite, "_data": _data}
    exec(compile(source, f"<op table {name}>", "exec"), namespace)
    return namespace[name]


def _params(row: Op) -> str:
    return {0: "xs, out", 1: "x, out, p=None", 2: "x, y, out"}[row.arity]


def _formula_rule(row: Op, trees: tuple[Tree, ...], eager: bool) -> Callable[..., tuple]:
    """The float (and node) rule of a row written in formulas."""
    if row.arity == 0:  # n-ary: one constant for every input
        tree = trees[0]
        if not isinstance(tree, Num):
            raise ValueError(f"op {row.name!r}: an n-ary row's derivative must be a number")
        return _constant_rule(row.name, float(tree.value))
    exprs = [formula.source(t, LANGUAGE, {}, _rule_call) for t in trees]
    if eager:
        exprs = [f"_finite({e})" for e in exprs]
    return _compiled(f"local_{row.name}", f"def local_{row.name}({_params(row)}):\n"
                     f"    return ({', '.join(exprs)},)\n")


_SHARED_UP_TO = 4096  # inputs: longer tuples are made per node, not kept


def _constant_rule(name: str, value: float) -> Callable[..., tuple]:
    """The rule of an n-ary row whose derivative is one constant for every input: the tuple
    (value, value, ...) of the inputs' length, one per length, shared by every node with that
    many inputs (immutable, and `node.local = ...` replaces it rather than changing it): a
    neuron's sum then makes no tuple per sample, a tuple the collector would have to visit."""
    tuples: dict[int, tuple[float, ...]] = {}

    def rule(xs: Any, out: Any) -> tuple[float, ...]:
        n = len(xs)
        shared = tuples.get(n)
        if shared is None:
            shared = (value,) * n
            if n <= _SHARED_UP_TO:
                tuples[n] = shared
        return shared
    rule.__name__ = rule.__qualname__ = f"local_{name}"
    return rule


def _python_rule(row: Op, rules: tuple[str, ...]) -> Callable[..., tuple]:
    """The float (and node) rule of a row with python rule expressions: they branch on the
    inputs' data and give constants, so on nodes they give the same constants."""
    unpack = {1: "    x = _data(x)\n", 2: "    x, y = _data(x), _data(y)\n"}[row.arity]
    return _compiled(f"local_{row.name}", f"def local_{row.name}({_params(row)}):\n{unpack}"
                     f"    return ({', '.join(f'({r})' for r in rules)},)\n")


def template(rule: str) -> str:
    """A python expression of the table (a rule, a fallback condition) as a replay template:
    its names x, y, out, p become placeholders."""
    return "(" + re.sub(r"\b(x|y|out|p)\b", lambda m: "{" + m.group(1) + "}", rule) + ")"


def _inline(row: Op, trees: tuple[Tree, ...], eager: bool) -> Inline | None:
    """Replay source of a row with a python forward (None: replay calls the row itself)."""
    if not row.python:
        return None
    rule = row.rule
    np_local: tuple[str, ...] = ()
    if callable(rule):
        local: tuple[str, ...] = tuple(
            f"R_{row.name}({{x}}, {{out}}, {{p}})[{k}]" for k in range(max(row.arity, 1)))
    elif rule is not None:
        local, np_local = tuple(template(r) for r in rule), row.np_rule
    else:
        local = tuple(formula.source(t, LANGUAGE, _PLACEHOLDERS, _call) for t in trees)
    if not np_local and trees:
        try:
            np_local = tuple(formula.source(t, LANGUAGE, _PLACEHOLDERS, _np_call)
                             for t in trees)
        except LookupError:  # a function without a kernel: the numpy backend loops the row
            np_local = ()
    return Inline(row.python, local, eager, row.numpy if np_local else "", np_local,
                  row.np_backward)


def _eager(row: Op, trees: tuple[Tree, ...]) -> bool:
    """Whether the rule can raise or overflow: a callable rule, or a division or power."""
    if row.eager is not None:
        return row.eager
    if callable(row.rule):
        return True
    if row.rule is not None:
        return False

    def risky(tree: Tree) -> bool:
        return isinstance(tree, Apply) and (
            LANGUAGE.symbol(tree.op) in ("/", "**") or any(risky(a) for a in tree.args))
    return any(risky(t) for t in trees)


def _finish(row: Op) -> None:
    """Parse the row's formulas and derive its rule, replay source and fused call (once)."""
    texts = (row.derivatives,) if isinstance(row.derivatives, str) else tuple(row.derivatives)
    trees = tuple(formula.parse(text, LANGUAGE) for text in texts)
    for tree in trees:
        unknown = formula.names_in(tree) - {"x", "y", "out", row.param} - {""}
        if unknown:
            raise ValueError(f"op {row.name!r}: formula names {sorted(unknown)} are none of "
                             f"x, y, out{', ' + row.param if row.param else ''}")
    eager = _eager(row, trees)
    if callable(row.rule):
        local = row.rule
        INLINE_NAMES[f"R_{row.name}"] = row.rule
    elif row.rule is not None:
        local = _python_rule(row, row.rule)
    else:
        local = _formula_rule(row, trees, eager)
    INLINE_NAMES[f"F_{row.name}"] = row.forward
    set_field = object.__setattr__  # frozen: derived fields are set once, here
    set_field(row, "derivatives", texts)
    set_field(row, "formulas", trees)
    set_field(row, "local", local)
    set_field(row, "inline", _inline(row, trees, eager))
    set_field(row, "fused", fuse(row, INLINE_NAMES))
    shown = row.shows or texts or ("",)
    set_field(row, "displays", tuple(_display(text) for text in shown))


def _display(text: str) -> Tree | None:
    """The parsed printed form of one derivative (None: a number, shown as its value)."""
    tree = formula.parse(text, SHOWN) if text else None
    return None if tree is None or isinstance(tree, Num) else tree


for _row in _ROWS:
    _finish(_row)
_TABLE_MADE = True


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
