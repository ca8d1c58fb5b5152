"""`Value`: one scalar node of a computation graph, and the operators that build graphs.

A Value holds a float (`data`), the gradient that `backward()` fills in (`grad`), an optional
`label`, the `Op` that made it (None for leaves) and its parents as an ordered tuple (`a + a` has
two parents, both `a`). When a node is made, the local derivative along each incoming edge is
evaluated once from the op table and stored as a float (`_local`): backward then only multiplies
and adds, and no node holds a closure that refers back to itself (no reference cycles for the
garbage collector to chase).

Every Value holds a finite float: an operation whose result would be inf or nan raises at the
call that made it, naming the op, the operand values and their labels.
"""
from __future__ import annotations

import math
from numbers import Real

from .ops import OPS, Op

__all__ = ["Value", "as_value", "maximum", "minimum", "vsum"]

_ADD, _SUB, _MUL, _DIV, _NEG = OPS["add"], OPS["sub"], OPS["mul"], OPS["div"], OPS["neg"]
_POW, _POW_VALUE, _MAX, _MIN, _SUM = OPS["pow"], OPS["pow_value"], OPS["max"], OPS["min"], OPS["sum"]
_DOMAIN_ERRORS = (ArithmeticError, ValueError)


def _describe(nodes) -> str:
    """'x=-1.0 (label 'a')' for each operand: what an error message shows about the inputs."""
    return ", ".join(f"{v.data!r}" + (f" (node {v.label!r})" if v.label else "") for v in nodes)


def _checked_float(data, label: str) -> float:
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


class Value:
    """A scalar in a computation graph: `data`, `grad`, `label`, the op that made it, parents."""

    __slots__ = ("data", "grad", "label", "requires_grad", "_op", "_prev", "_local", "_arg")

    def __init__(self, data, label: str = "", requires_grad: bool = True):
        self.data = _checked_float(data, label)
        self.grad = 0.0
        self.label = label
        self.requires_grad = requires_grad
        self._op = None
        self._prev = ()
        self._local = ()
        self._arg = None

    # --- reading a node ------------------------------------------------------------------------
    @property
    def op(self) -> str:
        """The name of the op that made this node ('' for a leaf), a key of `autograd.OPS`."""
        return self._op.name if self._op is not None else ""

    @property
    def parents(self) -> tuple:
        """The inputs of the op that made this node, in order, duplicates kept."""
        return self._prev

    @property
    def is_leaf(self) -> bool:
        """True for inputs, parameters and constants (nodes no op made)."""
        return self._op is None

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        op = f", op={self._op.name!r}" if self._op is not None else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{label}{op})"

    def __float__(self) -> float:
        return self.data

    def detach(self) -> "Value":
        """A new constant leaf with this node's data: gradients do not flow through it."""
        return Value(self.data, self.label, requires_grad=False)

    def named(self, label: str) -> "Value":
        """Set the label (shown in diagrams, traces and error messages) and return self."""
        self.label = label
        return self

    # --- building nodes ------------------------------------------------------------------------
    @staticmethod
    def _make(op: Op, parents: tuple, out: float, local: tuple, arg=None) -> "Value":
        if out - out:  # inf - inf and nan - nan are nan (truthy); finite - itself is 0.0
            raise OverflowError(f"{op.name}({_describe(parents)}) = {out!r} is not a finite float")
        node = _new(Value)
        node.data, node.grad, node.label, node.requires_grad = out, 0.0, "", True
        node._op, node._prev, node._local, node._arg = op, parents, local, arg
        return node

    def _unary(self, op: Op, arg=None) -> "Value":
        x = self.data
        try:
            out = op.forward(x, arg)
        except _DOMAIN_ERRORS as exc:
            raise _explain(exc, op, (self,)) from None
        try:
            local = op.local(x, out, arg)
        except ZeroDivisionError:
            raise _infinite_derivative(op, (self,), arg) from None
        return Value._make(op, (self,), out, local, arg)

    def _binary(self, op: Op, other: "Value") -> "Value":
        x, y = self.data, other.data
        try:
            out = op.forward(x, y)
        except _DOMAIN_ERRORS as exc:
            raise _explain(exc, op, (self, other)) from None
        try:
            local = op.local(x, y, out)
        except ZeroDivisionError:
            raise _infinite_derivative(op, (self, other)) from None
        return Value._make(op, (self, other), out, local)

    # --- arithmetic (plain numbers on either side become constant leaves) ----------------------
    def __add__(self, other):
        other = _coerce(other)
        return NotImplemented if other is None else self._binary(_ADD, other)

    def __radd__(self, other):
        other = _coerce(other)
        return NotImplemented if other is None else other._binary(_ADD, self)

    def __sub__(self, other):
        other = _coerce(other)
        return NotImplemented if other is None else self._binary(_SUB, other)

    def __rsub__(self, other):
        other = _coerce(other)
        return NotImplemented if other is None else other._binary(_SUB, self)

    def __mul__(self, other):
        other = _coerce(other)
        return NotImplemented if other is None else self._binary(_MUL, other)

    def __rmul__(self, other):
        other = _coerce(other)
        return NotImplemented if other is None else other._binary(_MUL, self)

    def __truediv__(self, other):
        other = _coerce(other)
        return NotImplemented if other is None else self._binary(_DIV, other)

    def __rtruediv__(self, other):
        other = _coerce(other)
        return NotImplemented if other is None else other._binary(_DIV, self)

    def __neg__(self):
        return self._unary(_NEG)

    def __pos__(self):
        return self

    def __pow__(self, exponent):
        if type(exponent) is Value:
            if self.data < 0.0 and exponent.requires_grad:
                raise ValueError(
                    f"pow_value: base {_describe((self,))} is negative, so x**y has no real "
                    "derivative with respect to the exponent y; use a plain number exponent "
                    "or mark the exponent requires_grad=False")
            return self._binary(_POW_VALUE, exponent)
        if isinstance(exponent, Real) and not isinstance(exponent, bool):
            return self._unary(_POW, exponent)
        return NotImplemented

    def __rpow__(self, base):
        base = _coerce(base)
        return NotImplemented if base is None else base.__pow__(self)

    def __abs__(self):
        return self._unary(OPS["abs"])

    # --- comparisons are refused: they are not differentiable and `max(a, b)` would lose grads --
    def _no_compare(self, other):
        raise TypeError("Values are not ordered: compare a.data with b.data, or use "
                        "autograd.maximum(a, b) / autograd.minimum(a, b) for a differentiable max/min")

    __lt__ = __le__ = __gt__ = __ge__ = _no_compare

    # --- functions -------------------------------------------------------------------------------
    def abs(self) -> "Value":
        """|x|; derivative sign(x), 0 at 0."""
        return self._unary(OPS["abs"])

    def exp(self) -> "Value":
        """e**x; raises OverflowError for x > ~709.78 instead of returning inf."""
        return self._unary(OPS["exp"])

    def log(self) -> "Value":
        """Natural log; ValueError for x <= 0."""
        return self._unary(OPS["log"])

    def sqrt(self) -> "Value":
        """Square root; ValueError for x < 0 (and for x = 0, where the derivative is infinite)."""
        return self._unary(OPS["sqrt"])

    def sigmoid(self) -> "Value":
        """1 / (1 + e**-x), exact limits 0 and 1 for large |x|."""
        return self._unary(OPS["sigmoid"])

    def tanh(self) -> "Value":
        """Hyperbolic tangent."""
        return self._unary(OPS["tanh"])

    def relu(self) -> "Value":
        """max(x, 0); derivative 1 for x > 0, else 0 (relu'(0) = 0)."""
        return self._unary(OPS["relu"])

    def softplus(self) -> "Value":
        """log(1 + e**x) without overflow; derivative sigmoid(x)."""
        return self._unary(OPS["softplus"])

    def max(self, other) -> "Value":
        """Differentiable max: the gradient goes to self when self >= other (ties to self)."""
        return self._binary(_MAX, _coerce_or_raise(other, "max"))

    def min(self, other) -> "Value":
        """Differentiable min: the gradient goes to self when self <= other (ties to self)."""
        return self._binary(_MIN, _coerce_or_raise(other, "min"))

    def backward(self, grad: float = 1.0) -> None:
        """Fill `.grad` of every node this one depends on (see `autograd.backward`)."""
        from .backward import backward
        backward(self, grad)


_new = object.__new__


def _coerce(x):
    """x as a Value: Values pass, real numbers become constant leaves, anything else None."""
    kind = type(x)
    if kind is Value:
        return x
    if kind is float or kind is int:  # the common case, without the slow ABC check below
        node = _new(Value)
        node.data, node.grad, node.label, node.requires_grad = float(x), 0.0, "", False
        node._op, node._prev, node._local, node._arg = None, (), (), None
        if node.data - node.data:
            raise ValueError(f"a constant must be finite, got {x!r}")
        return node
    if isinstance(x, Real):
        return Value(x, requires_grad=False)
    return None


def _coerce_or_raise(x, op_name: str) -> Value:
    value = _coerce(x)
    if value is None:
        raise TypeError(f"{op_name}: expected a Value or a real number, got {type(x).__name__}: {x!r}")
    return value


def _explain(exc: Exception, op: Op, operands: tuple) -> Exception:
    """The same kind of error, also naming the operand nodes by their labels."""
    text = str(exc)
    if not text.startswith((op.name + "(", op.name + ":")):
        text = f"{op.name}: {text}"
    labels = [v.label for v in operands if v.label]
    if labels:
        text += " [input node" + ("s " if len(labels) > 1 else " ") + ", ".join(map(repr, labels)) + "]"
    return type(exc)(text)


def _infinite_derivative(op: Op, operands: tuple, arg=None) -> ValueError:
    """The value exists but its derivative is infinite (sqrt at 0, x**0.5 at 0, ...)."""
    power = f" ** {arg!r}" if arg is not None else ""
    return ValueError(f"{op.name}({_describe(operands)}){power}: the value is defined but its "
                      "derivative is infinite here, so backward could only give inf; keep the "
                      "input away from 0, e.g. add a small epsilon")


def as_value(x, label: str = "") -> Value:
    """x if it is already a Value, else a new leaf Value holding x."""
    return x if type(x) is Value else Value(x, label)


def maximum(a, b) -> Value:
    """Differentiable max(a, b): the gradient goes to a when a >= b (ties to the first input)."""
    return as_value(a).max(b)


def minimum(a, b) -> Value:
    """Differentiable min(a, b): the gradient goes to a when a <= b (ties to the first input)."""
    return as_value(a).min(b)


def vsum(terms) -> Value:
    """The sum of many Values (or numbers) as ONE node with one edge per term."""
    parents = tuple(as_value(t) for t in terms)
    if not parents:
        return Value(0.0, requires_grad=False)
    try:
        out = _SUM.forward([p.data for p in parents])
    except _DOMAIN_ERRORS as exc:
        raise _explain(exc, _SUM, parents) from None
    return Value._make(_SUM, parents, out, _SUM.local(parents, out))
