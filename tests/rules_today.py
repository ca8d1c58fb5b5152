"""The op table's rules as they were written by hand before derivatives became formulas
(issue 18): a frozen reference, so tests/test_fused.py can prove the rules DERIVED from the
formulas are bitwise the ones the engine computed before. Do not edit to match the table: a
difference here is a change of behaviour. New ops have no entry (their formula is the rule).
"""
from __future__ import annotations

import math

from autograd.forwards import sigmoid_forward
from autograd.ops import OPS


def _finite(d):
    if type(d) is float and d - d:
        raise OverflowError(f"local derivative {d!r} is not a finite float")
    return d


def _pow_local(x, out, p):
    if p == 0:
        return (0.0,)
    return (_finite(p * x ** (p - 1)),)


def _pow_value_local(x, y, out):
    dy = _finite(out * math.log(x)) if x > 0.0 else 0.0
    if x == 0.0 and y < 1.0:
        return (0.0, dy)
    if x < 0.0:
        return (_finite(y * x ** (y - 1.0)), dy)
    return (_finite(y * x ** (y - 1)), dy)


# name -> the float rule as it was (forwards did not change: the rows keep their callables)
LOCAL = {
    "add": lambda x, y, out: (1.0, 1.0),
    "sub": lambda x, y, out: (1.0, -1.0),
    "mul": lambda x, y, out: (y, x),
    "div": lambda x, y, out: (_finite(1.0 / y), _finite(-out / y)),
    "neg": lambda x, out, p: (-1.0,),
    "pow": _pow_local,
    "pow_value": _pow_value_local,
    "abs": lambda x, out, p: (1.0 if x > 0.0 else -1.0 if x < 0.0 else 0.0,),
    "exp": lambda x, out, p: (out,),
    "log": lambda x, out, p: (_finite(1.0 / x),),
    "sqrt": lambda x, out, p: (0.5 / out,),
    "sigmoid": lambda x, out, p: (out * (1.0 - out),),
    "tanh": lambda x, out, p: (1.0 - out * out,),
    "relu": lambda x, out, p: (1.0 if x > 0.0 else 0.0,),
    "softplus": lambda x, out, p: (sigmoid_forward(x),),
    "sin": lambda x, out, p: (math.cos(x),),
    "cos": lambda x, out, p: (-math.sin(x),),
    "max": lambda x, y, out: (1.0, 0.0) if x >= y else (0.0, 1.0),
    "min": lambda x, y, out: (1.0, 0.0) if x <= y else (0.0, 1.0),
    "sum": lambda xs, out: (1.0,) * len(xs),
    "max_shift": lambda xs, out: (0.0,) * len(xs),
}

assert set(LOCAL) <= set(OPS)
