"""The error messages of node construction: what went wrong, in which op, with which inputs.

Every message names the op, the operand values and the operand labels, so that an error raised
deep inside a model still points at the node that caused it. The node code (`autograd.node`)
only decides WHEN to raise; the wording lives here, in one place.
"""
from __future__ import annotations

import math
from numbers import Real

__all__ = ["describe", "checked_float", "explain", "infinite_derivative", "not_finite",
           "non_finite_constant", "negative_base", "not_a_number"]


def describe(nodes) -> str:
    """'-1.0 (node 'a'), 2.0' for the operands: what an error message shows about the inputs."""
    return ", ".join(f"{v.data!r}" + (f" (node {v.label!r})" if v.label else "") for v in nodes)


def checked_float(data, label: str) -> float:
    """`data` as a finite float, or a TypeError / ValueError that names the label."""
    if type(data) is float:
        value = data
    elif isinstance(data, Real):
        value = float(data)
    else:
        raise TypeError(f"Value needs a real number, got {type(data).__name__}: {data!r}"
                        + (f" (label {label!r})" if label else ""))
    if not math.isfinite(value):
        raise ValueError(f"Value needs a finite number, got {value!r}"
                         + (f" (label {label!r})" if label else ""))
    return value


def explain(exc: Exception, op, operands: tuple) -> Exception:
    """The same kind of error as `exc` (raised by an op's forward), also naming the operand labels."""
    text = str(exc)
    if not text.startswith((op.name + "(", op.name + ":")):
        text = f"{op.name}: {text}"
    labels = [v.label for v in operands if v.label]
    if labels:
        text += " [input node" + ("s " if len(labels) > 1 else " ") + ", ".join(map(repr, labels)) + "]"
    return type(exc)(text)


def infinite_derivative(op, operands: tuple, arg=None) -> ValueError:
    """The value exists but its derivative is infinite (sqrt at 0, x**0.5 at 0, ...)."""
    power = f" ** {arg!r}" if arg is not None else ""
    return ValueError(f"{op.name}({describe(operands)}){power}: the value is defined but its "
                      "derivative is infinite here, so backward could only give inf; keep the "
                      "input away from 0, e.g. add a small epsilon")


def not_finite(op, operands: tuple, out: float) -> OverflowError:
    """An op whose result overflowed to inf (or became nan): Values are always finite."""
    return OverflowError(f"{op.name}({describe(operands)}) = {out!r} is not a finite float")


def non_finite_constant(x) -> ValueError:
    """A plain number used in an op (so made a constant) that is inf or nan."""
    return ValueError(f"a constant must be finite, got {x!r}")


def negative_base(base) -> ValueError:
    """x ** y with x < 0 and a differentiable y: d/dy x**y = x**y log x is not real."""
    return ValueError(
        f"pow_value: base {describe((base,))} is negative, so x**y has no real "
        "derivative with respect to the exponent y; use a plain number exponent "
        "or mark the exponent requires_grad=False")


def not_a_number(x, op_name: str) -> TypeError:
    """An operand that is neither a Value nor a real number."""
    return TypeError(f"{op_name}: expected a Value or a real number, got {type(x).__name__}: {x!r}")
