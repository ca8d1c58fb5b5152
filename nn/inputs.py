"""Input coercion shared by every nn module: numbers and Values in, checked Values/floats out.

One home for the rules, so that a layer, a loss and a weights file refuse the same bad input
with the same kind of message: `as_vector` (a list of Values, numbers becoming constant leaves),
`as_inputs` (the same, of an exact length), `checked_number` (a finite float for a parameter)
and `check_size` (a positive whole number: any `numbers.Integral`, so numpy integers count).
"""
from __future__ import annotations

import math
import random
from collections.abc import Iterable
from numbers import Integral, Real
from typing import Union

from autograd import Value
from autograd.coerce import checked_flag, exact_float

from .optim import Optimizer

__all__ = ["as_vector", "as_inputs", "as_floats", "checked_number", "check_size", "check_labels", "check_fit_options", "seeded_rng", "MAX_SIZE", "Scalar",
           "Inputs", "Output"]

Scalar = Union[float, Value]  # one number or node
Inputs = Union[Scalar, Iterable[Scalar]]  # what a module, a loss or a metric takes
Output = Union[Value, list[Value]]  # a model's output: one Value for one output (micrograd's rule)


def as_vector(xs: Inputs, who: str, label: str = "") -> list[Value]:
    """xs (a list of numbers/Values, or one of them) as a non-empty list of Values.

    Numbers become constant leaves (requires_grad=False): inputs and targets, not parameters.
    With `label`, the i-th new leaf is labelled label + str(i + 1) (x1, x2, ... for inputs).
    """
    try:  # int and float are Reals; named too because type checkers do not know that
        items = [xs] if isinstance(xs, (Value, int, float, Real)) else list(xs)
    except TypeError:
        raise TypeError(f"{who}: expected a list of numbers or Values, got "
                        f"{type(xs).__name__}: {xs!r}") from None
    if not items:
        raise ValueError(f"{who}: got an empty list")
    out = []
    for i, x in enumerate(items):
        if type(x) is Value:
            out.append(x)
        elif isinstance(x, Real) and not isinstance(x, bool):
            out.append(Value(x, label=f"{label}{i + 1}" if label else "",
                             requires_grad=False))
        else:
            raise TypeError(f"{who}: expected numbers or Values, got {type(x).__name__}: {x!r}")
    return out


def as_inputs(x: Inputs, nin: int, who: str) -> list[Value]:
    """x (numbers or Values) as a list of Values, checking there are exactly `nin` of them."""
    values = as_vector(x, who, label="x")
    if len(values) != nin:
        raise ValueError(f"{who} expects {nin} inputs, got {len(values)}: {x!r}")
    return values


def checked_number(name: str, x: object) -> float:
    """x as a finite float, or an error naming the parameter it was meant for."""
    if isinstance(x, bool) or not isinstance(x, Real):
        raise TypeError(f"parameter {name!r}: expected a number, got {type(x).__name__}: {x!r}")
    try:
        number = float(x)
    except OverflowError:  # an int too large for a float (e.g. 4,000 digits)
        raise ValueError(f"parameter {name!r}: expected a finite number, got an integer of "
                         f"{len(str(abs(math.trunc(x))))} digits, beyond the float range") from None
    if not math.isfinite(number):
        raise ValueError(f"parameter {name!r}: expected a finite number, got {number!r}")
    return exact_float(x, f"parameter {name!r}")  # numpy, Fraction, Decimal: exactly or refused


# The largest width, input count or data-set size accepted: 10 million Values is far beyond
# what a scalar engine trains, and far below what would exhaust memory.
MAX_SIZE = 10_000_000


def check_labels(y: Iterable[object], who: str) -> None:
    """Every label a finite number (a class, 0/1, -1/+1, a target) or a list of finite numbers
    (one-hot, several targets), else an error naming `who` and the position: a label such as
    'cat' or nan would otherwise fail deep inside a loss (or train on garbage)."""
    for i, label in enumerate(y):
        items = label if isinstance(label, Iterable) and not isinstance(label, (str, bytes)) \
            else [label]
        for item in items:
            if isinstance(item, bool) or not isinstance(item, Real):
                raise TypeError(f"{who}: label {i} must be a number or a list of numbers, got "
                                f"{type(label).__name__}: {repr(label)[:60]}")
            try:
                finite = math.isfinite(item)
            except OverflowError:  # 10**400
                finite = False
            if not finite:
                raise ValueError(f"{who}: label {i} is not a finite number: {repr(label)[:60]}")


def check_fit_options(optimizer: object, l2: object, track_accuracy: object) -> None:
    """fit's options that are not data: an Optimizer (or None), l2 a finite number >= 0, and
    track_accuracy True, False or None; each refused by name before training starts."""
    if optimizer is not None and not isinstance(optimizer, Optimizer):
        raise TypeError(f"fit: optimizer must be an nn.optim optimizer (SGD, Adam) or None, got "
                        f"{type(optimizer).__name__}")
    if isinstance(l2, bool) or not isinstance(l2, Real) or not 0 <= float(l2) < math.inf:
        raise ValueError(f"fit: l2 must be a finite number >= 0, got {repr(l2)[:60]}")
    if track_accuracy is not None:
        checked_flag(track_accuracy, "fit: track_accuracy")


def seeded_rng(seed: object, who: str) -> random.Random:
    """A private random.Random(seed) for a whole-number seed (numpy ints count) or None (fresh
    randomness), else a TypeError naming `who` (random.Random would take a str or reject a
    list with its own message)."""
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, Integral)):
        raise TypeError(f"{who}: seed must be an int (or None), got {type(seed).__name__}: "
                        f"{repr(seed)[:60]}")
    return random.Random(None if seed is None else int(seed))


def check_size(n: object, what: str) -> int:
    """n as a positive int (any whole-number type, e.g. numpy.int64), or a ValueError naming it."""
    # int(n) < 1: numbers.Integral declares no comparison with an int literal
    if isinstance(n, bool) or not isinstance(n, Integral) or int(n) < 1:
        raise ValueError(f"{what} must be a positive int, got {n!r}")
    if int(n) > MAX_SIZE:  # 10**400 would fill memory one Value at a time before failing
        raise ValueError(f"{what} must be at most {MAX_SIZE:,} (a scalar engine's layer or "
                         f"data set), got {int(n) if int(n) < 10 ** 30 else 'a huge number'}")
    return int(n)


def as_floats(x: Inputs, nin: int, who: str) -> list[float]:
    """x (numbers or Values) as a list of exactly `nin` floats: the input of a float-only predict."""
    items = [x] if isinstance(x, (Value, int, float, Real)) else x  # int, float: as in as_vector
    try:
        values = [v.data if type(v) is Value else v for v in items]
    except TypeError:
        raise TypeError(f"{who}: expected a list of numbers or Values, got "
                        f"{type(x).__name__}: {x!r}") from None
    for v in values:
        if isinstance(v, bool) or not isinstance(v, Real):
            raise TypeError(f"{who}: expected numbers or Values, got {type(v).__name__}: {v!r}")
    if len(values) != nin:
        raise ValueError(f"{who} expects {nin} inputs, got {len(values)}: {items!r}")
    return [exact_float(v, who) for v in values]
