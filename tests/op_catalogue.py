"""The test-side twin of `autograd.OPS`: for every op, its exact sympy formula and where to probe it.

Each `OpCase` says how to build the op on sympy symbols (`sympy`) and on `Value`s (`apply`),
how many Value inputs it takes (`arity`), a grid of `points` inside the op's domain and away
from its kinks and ties (where the derivative is classical), and the `kinks`: points where the
derivative is only a convention, each with the first derivatives the engine promises there.

`CATALOGUE` has exactly one case per entry of `autograd.OPS` (a test fails when an op is added
to the table without a case here); `ALL_CASES` adds variants of the same ops (pow with other
exponents, max/min through the module functions) so one op can be probed in several shapes.
Other test files (first-order, higher-order) import this module and loop over it.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Callable

import sympy

from autograd import Value, maximum, minimum, vsum
from autograd.value import max_shift

__all__ = ["OpCase", "CATALOGUE", "ALL_CASES", "symbols_for", "exact_value", "exact_gradient",
           "build_on_values"]


@dataclass(frozen=True)
class OpCase:
    """One way to exercise one op of the table, with its exact formula and probe points."""

    op: str  # key in autograd.OPS
    label: str  # unique id for pytest parametrisation, e.g. "pow(x, 0.5)"
    arity: int  # number of Value inputs `apply` takes
    sympy: Callable  # (*sympy symbols) -> sympy expression
    apply: Callable  # (*Values) -> Value made by op `op`
    points: list  # tuples of floats inside the domain, away from kinks and ties
    kinks: list = field(default_factory=list)  # (point, expected first derivatives) conventions
    slope: bool = True  # False: the derivative is declared (max_shift's 0), not the slope

    def __repr__(self) -> str:  # short, so hypothesis' falsifying examples stay readable
        return f"<case {self.label}>"


def _grid(values, arity):
    """Every tuple of `arity` values drawn from `values` (the Cartesian power)."""
    return list(itertools.product(values, repeat=arity))


_REALS = (-2.5, -0.3, 0.7, 3.0)
_NONZERO_PAIRS = _grid(_REALS, 2)
_SMOOTH = (-6.0, -1.5, -0.2, 0.3, 2.0, 6.0)  # where sigmoid/tanh/softplus are well curved
_UNEQUAL_PAIRS = [(x, y) for x, y in _grid((-1.5, 0.25, 2.0), 2) if x != y]


def _pow_case(p, points, kinks=()):
    exact = sympy.nsimplify(p)  # 0.5 -> 1/2 so sympy differentiates the exact power
    return OpCase("pow", f"pow(x, {p!r})", 1, lambda x: x ** exact, lambda a: a ** p,
                  [(x,) for x in points], list(kinks))


class _MaxShift(sympy.Function):
    """max(xs) as a value with derivative 0 to every input (the `max_shift` row)."""

    def fdiff(self, argindex=1):
        return sympy.S.Zero

    def _eval_evalf(self, prec):
        return sympy.Max(*self.args)._eval_evalf(prec)


_PRIMARY = [
    OpCase("add", "add", 2, lambda x, y: x + y, lambda a, b: a + b, _NONZERO_PAIRS),
    OpCase("sub", "sub", 2, lambda x, y: x - y, lambda a, b: a - b, _NONZERO_PAIRS),
    OpCase("mul", "mul", 2, lambda x, y: x * y, lambda a, b: a * b, _NONZERO_PAIRS + [(0.0, 2.0)]),
    OpCase("div", "div", 2, lambda x, y: x / y, lambda a, b: a / b, _NONZERO_PAIRS + [(0.0, 2.0)]),
    OpCase("neg", "neg", 1, lambda x: -x, lambda a: -a, [(x,) for x in _REALS]),
    _pow_case(3, (-2.5, -0.3, 0.0, 0.7, 3.0)),
    OpCase("pow_value", "pow_value", 2, lambda x, y: x ** y, lambda a, b: a ** b,
           list(itertools.product((0.3, 1.7, 2.5), (-2.5, -0.5, 0.0, 0.7, 3.0))),
           # x = 0 with y > 0: d/dy x**y = x**y log x has the limit 0 (documented in ops.py);
           # d/dx is y x**(y-1): 0 for y = 2, 1 for y = 1 (0**0 = 1).
           [((0.0, 2.0), (0.0, 0.0)), ((0.0, 1.0), (1.0, 0.0))]),
    OpCase("abs", "abs", 1, lambda x: sympy.Abs(x), lambda a: abs(a), [(x,) for x in _REALS],
           [((0.0,), (0.0,))]),
    OpCase("exp", "exp", 1, sympy.exp, lambda a: a.exp(), [(x,) for x in (-3.0, -0.5, 0.4, 2.0, 10.0)]),
    OpCase("log", "log", 1, sympy.log, lambda a: a.log(), [(x,) for x in (0.05, 0.5, 1.0, 3.0, 100.0)]),
    OpCase("sqrt", "sqrt", 1, sympy.sqrt, lambda a: a.sqrt(), [(x,) for x in (0.01, 0.5, 2.0, 9.0)]),
    OpCase("sigmoid", "sigmoid", 1, lambda x: 1 / (1 + sympy.exp(-x)), lambda a: a.sigmoid(),
           [(x,) for x in _SMOOTH]),
    OpCase("tanh", "tanh", 1, sympy.tanh, lambda a: a.tanh(), [(x,) for x in _SMOOTH]),
    OpCase("relu", "relu", 1, lambda x: sympy.Max(x, 0), lambda a: a.relu(),
           [(x,) for x in _REALS], [((0.0,), (0.0,))]),
    OpCase("softplus", "softplus", 1, lambda x: sympy.log(1 + sympy.exp(x)), lambda a: a.softplus(),
           [(x,) for x in _SMOOTH]),
    OpCase("sin", "sin", 1, sympy.sin, lambda a: a.sin(), [(x,) for x in (-2.0, -0.4, 0.0, 1.1, 3.0)]),
    OpCase("cos", "cos", 1, sympy.cos, lambda a: a.cos(), [(x,) for x in (-2.0, -0.4, 0.0, 1.1, 3.0)]),
    # Ties go to the FIRST input for both max (x1 >= x2) and min (x1 <= x2).
    OpCase("max", "max", 2, sympy.Max, lambda a, b: a.max(b), _UNEQUAL_PAIRS,
           [((1.25, 1.25), (1.0, 0.0)), ((-3.0, -3.0), (1.0, 0.0))]),
    OpCase("min", "min", 2, sympy.Min, lambda a, b: a.min(b), _UNEQUAL_PAIRS,
           [((1.25, 1.25), (1.0, 0.0)), ((-3.0, -3.0), (1.0, 0.0))]),
    OpCase("sum", "sum", 3, lambda x, y, z: x + y + z, lambda a, b, c: vsum([a, b, c]),
           [(1.0, -2.0, 0.5), (3.0, 0.1, -7.25)]),
    OpCase("max_shift", "max_shift", 3, lambda x, y, z: _MaxShift(x, y, z),
           lambda a, b, c: max_shift([a, b, c]), [(1.0, -2.0, 0.5), (3.0, 0.1, -7.25)],
           [((2.0, 2.0, 2.0), (0.0, 0.0, 0.0))], slope=False),
]

CATALOGUE: dict = {case.op: case for case in _PRIMARY}

_VARIANTS = [
    _pow_case(-2, (-2.5, -0.3, 0.7, 3.0)),
    _pow_case(0.5, (0.01, 0.7, 3.0)),
    _pow_case(2.5, (0.3, 1.0, 3.0), [((0.0,), (0.0,))]),  # 2.5 * 0**1.5 = 0
    _pow_case(1, (-2.5, 0.0, 3.0)),
    _pow_case(0, (-2.5, 0.7, 3.0), [((0.0,), (0.0,))]),  # x**0 is the constant 1, even at 0
    _pow_case(-1.5, (0.3, 2.0)),
    OpCase("max", "maximum(a, b)", 2, sympy.Max, maximum, _UNEQUAL_PAIRS,
           [((0.5, 0.5), (1.0, 0.0))]),
    OpCase("min", "minimum(a, b)", 2, sympy.Min, minimum, _UNEQUAL_PAIRS,
           [((0.5, 0.5), (1.0, 0.0))]),
    OpCase("sum", "sum of 1", 1, lambda x: x, lambda a: vsum([a]), [(2.0,), (-0.5,)]),
    OpCase("sum", "sum of 5", 5, lambda *xs: sum(xs), lambda *vs: vsum(vs),
           [(1.0, 2.0, 3.0, 4.0, 5.0), (-1.5, 0.0, 2.25, 1e-3, 7.0)]),
]

ALL_CASES: list = _PRIMARY + _VARIANTS


def symbols_for(case: OpCase) -> tuple:
    """Real sympy symbols x0, x1, ... one per input of `case`."""
    return sympy.symbols(f"x0:{case.arity}", real=True)


def _substitute(expr, symbols, point):
    # evalf(subs=...) evaluates at 30 digits; expr.subs(...) would round each step to a double
    # first (log(1 + exp(-6)) then loses about 1e-13 relative to cancellation).
    return float(expr.evalf(30, subs={s: sympy.Float(x, 30) for s, x in zip(symbols, point)}))


def exact_value(case: OpCase, point) -> float:
    """The op's value at `point`, evaluated exactly by sympy then rounded to a float."""
    xs = symbols_for(case)
    return _substitute(case.sympy(*xs), xs, point)


def exact_gradient(case: OpCase, point, order: int = 1) -> tuple:
    """d^order f / d x_i^order for each input i at `point` (order 1: the gradient), via sympy."""
    xs = symbols_for(case)
    expr = case.sympy(*xs)
    return tuple(_substitute(sympy.diff(expr, x, order), xs, point) for x in xs)


def build_on_values(case: OpCase, point) -> tuple:
    """(leaves, out): fresh leaf Values at `point` labelled x0, x1, ... and the op applied to them."""
    leaves = [Value(x, label=f"x{i}") for i, x in enumerate(point)]
    return leaves, case.apply(*leaves)


def draw_steps(draw, cases: dict, count: int, max_steps: int, window: int) -> list:
    """A random graph's steps for hypothesis (`draw` is a composite strategy's): 1..max_steps
    steps, each (case label, indices of earlier nodes) over the `count` nodes so far; parents
    are biased towards the `window` newest nodes (a deep graph) but any earlier node may be
    reused (shared nodes, so gradients accumulate)."""
    from hypothesis import strategies as st

    steps = []
    for _ in range(draw(st.integers(1, max_steps))):
        case = cases[draw(st.sampled_from(sorted(cases)))]
        parents = tuple(draw(st.integers(max(0, count - window), count - 1) | st.integers(0, count - 1))
                        for _ in range(case.arity))
        steps.append((case.label, parents))
        count += 1
    return steps
