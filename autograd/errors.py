"""The error messages of node construction: what went wrong, in which op, with which inputs.

Every message names the op, the operand values and the operand labels, so that an error raised
deep inside a model still points at the node that caused it. The node code (`autograd.value`)
only decides WHEN to raise; the wording lives here, in one place.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from .coerce import exact_float

if TYPE_CHECKING:  # types only: the node module imports this one
    from .ops import Op
    from .value import Value

__all__ = ["describe", "checked_float", "checked_label", "positional_after_data", "explain", "infinite_derivative", "not_finite",
           "non_finite_constant", "negative_base", "not_a_number"]


def describe(nodes: Iterable[Value]) -> str:
    """'-1.0 (node 'a'), 2.0' for the operands: what an error message shows about the inputs."""
    return ", ".join(f"{v.data!r}" + (f" (node {v.label!r})" if v.label else "") for v in nodes)


def checked_float(data: object, label: str) -> float:
    """`data` as a finite float, or a TypeError / ValueError that names the label; numbers of
    other types are converted exactly or refused (see `autograd.coerce`)."""
    if type(data) is float and data - data == 0.0:  # the common case, without a call
        return data
    try:
        return exact_float(data, "Value")
    except (TypeError, ValueError) as exc:
        raise type(exc)(str(exc) + (f" (label {label!r})" if label else "")) from None


def checked_label(label: object) -> str:
    """`label` if it is a str, else a TypeError (a number label would break traces later)."""
    if type(label) is not str:
        raise TypeError(f"a Value's label must be a str, got {type(label).__name__}: {label!r}")
    return label


def positional_after_data(data: object, extra: tuple[object, ...]) -> TypeError:
    """Value(data, something): micrograd's (children, op) or an old positional label."""
    if extra and isinstance(extra[0], str):
        hint = f"the label is keyword-only: Value({data!r}, label={extra[0]!r})"
    else:
        hint = ("micrograd's Value(data, _children, _op) form is not needed here: ops record "
                f"their inputs themselves; make a leaf with Value({data!r}) or "
                f"Value({data!r}, label='x')")
    return TypeError(f"Value takes one positional argument (the number), got {1 + len(extra)}; "
                     + hint)


def _short(x: object) -> str:
    """repr(x), elided in the middle when long (a 4,000-digit integer)."""
    if isinstance(x, int) and x.bit_length() > 4000:  # repr refuses ints past ~4300 digits
        return f"an int of about {int(x.bit_length() * 0.30103)} digits"
    text = repr(x)
    return text if len(text) <= 40 else f"{text[:18]}...{text[-12:]} ({len(text)} characters)"


def explain(exc: Exception, op: Op, operands: tuple[Value, ...]) -> Exception:
    """The same kind of error as `exc` (raised by an op's forward), also naming the operand labels."""
    text = str(exc)
    if not text.startswith((op.name + "(", op.name + ":")):
        text = f"{op.name}: {text}"
    labels = [v.label for v in operands if v.label]
    if labels:
        text += " [input node" + ("s " if len(labels) > 1 else " ") + ", ".join(map(repr, labels)) + "]"
    return type(exc)(text)


def infinite_derivative(op: Op, operands: tuple[Value, ...], arg: object = None) -> ValueError:
    """The value exists but its derivative is infinite (sqrt at 0, x**0.5 at 0, ...)."""
    power = f" ** {arg!r}" if arg is not None else ""
    return ValueError(f"{op.name}({describe(operands)}){power}: the value is defined but its "
                      "derivative is infinite here, so backward could only give inf; keep the "
                      "input away from 0, e.g. add a small epsilon")


def not_finite(op: Op, operands: tuple[Value, ...], out: float) -> OverflowError:
    """An op whose result overflowed to inf (or became nan): Values are always finite."""
    return OverflowError(f"{op.name}({describe(operands)}) = {out!r} is not a finite float")


def non_finite_constant(x: object, op: str = "") -> ValueError:
    """A plain number used in an op (so made a constant) that is inf, nan or beyond a float."""
    where = f"{op}: " if op else ""
    return ValueError(f"{where}a constant must be a finite float, got {_short(x)}")


def negative_base(base: Value) -> ValueError:
    """x ** y with x < 0 and a differentiable y: d/dy x**y = x**y log x is not real."""
    return ValueError(
        f"pow_value: base {describe((base,))} is negative, so x**y has no real "
        "derivative with respect to the exponent y; use a plain number exponent "
        "or mark the exponent requires_grad=False")


def not_a_number(x: object, op_name: str) -> TypeError:
    """An operand that is neither a Value nor a real number."""
    return TypeError(f"{op_name}: expected a Value or a real number, got {type(x).__name__}: {x!r}")
