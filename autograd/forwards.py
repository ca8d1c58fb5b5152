"""The float forward of every op that can fail or needs care, each explaining its own errors.

A forward here takes plain floats and returns a float, or raises an error whose message starts
with the op's name and gives the offending value (the node module adds the operand labels).
Kept apart from the table in `ops.py` so that the table reads as a list of rules.
"""
from __future__ import annotations

import math
from collections.abc import Sequence

_LARGEST_EXP_INPUT = math.log(1.7976931348623157e308)  # ~709.78: exp() of more overflows


def exp_forward(x: float, _p: object = None) -> float:
    """e**x, or an OverflowError with a fix when it would overflow (x > ~709.78)."""
    if x > _LARGEST_EXP_INPUT:
        raise OverflowError(
            f"exp({x!r}) overflows a float (the largest input is about 709.78); "
            "compute in log space or shift by the maximum first (e.g. nn.log_softmax)")
    return math.exp(x)


def log_forward(x: float, _p: object = None) -> float:
    """Natural log of x > 0, else a ValueError naming x."""
    if x <= 0.0:
        raise ValueError(f"log({x!r}): log is defined only for inputs > 0")
    return math.log(x)


def sqrt_forward(x: float, _p: object = None) -> float:
    """Square root of x >= 0, else a ValueError naming x."""
    if x < 0.0:
        raise ValueError(f"sqrt({x!r}): sqrt is defined only for inputs >= 0")
    return math.sqrt(x)


def div_forward(x: float, y: float) -> float:
    """x / y, or a ZeroDivisionError naming both operands."""
    if y == 0.0:
        raise ZeroDivisionError(f"div({x!r}, {y!r}): division by zero")
    return x / y


def pow_forward(x: float, p: float) -> float:
    """x ** p for a finite p, refusing 0 to a negative power and a negative base to a
    non-integer one (not real), and naming both on overflow."""
    if p - p:  # inf or nan: x ** inf is 0, 1 or inf, and has no derivative to offer
        raise ValueError(f"{x!r} ** {p!r}: the exponent must be a finite number")
    if x == 0.0 and p < 0:
        raise ZeroDivisionError(f"0.0 ** {p!r}: zero to a negative power is a division by zero")
    if x < 0.0 and p != int(p):
        raise ValueError(f"{x!r} ** {p!r}: a negative base to a non-integer power is not real")
    try:
        return x ** p
    except OverflowError:
        raise OverflowError(f"{x!r} ** {p!r} overflows a float") from None


def sum_forward(xs: Sequence[float]) -> float:
    """The exactly rounded sum of the floats xs, naming the largest term on overflow."""
    # math.fsum: exactly rounded, so the result does not depend on the order of the terms.
    try:
        return math.fsum(xs)
    except OverflowError:  # fsum's own message ("intermediate overflow") names no values
        raise OverflowError(f"sum({len(xs)} terms, largest |term| {max(map(abs, xs))!r}) "
                            "overflows a float") from None


def sigmoid_forward(x: float, _p: object = None) -> float:
    """1 / (1 + e**-x), never overflowing."""
    # Two branches so that exp never sees a large positive argument: exact limits at +-1000.
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def softplus_forward(x: float, _p: object = None) -> float:
    """log(1 + e**x), never overflowing."""
    # log(1 + e^x) without overflow: max(x, 0) + log1p(e^-|x|).
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))
