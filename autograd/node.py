"""`Value`: one scalar node of a computation graph, and the arithmetic operators that build graphs.

A Value holds a float (`data`), the gradient that `backward()` fills in (`grad`), an optional
`label`, the `Op` that made it (None for leaves), its parents in order (`a + a` has two parents,
both `a`) and the local derivative along each incoming edge, evaluated once from the op table
when the node is made: backward then only multiplies and adds, and no node holds a closure that
refers back to itself (no reference cycles, so freeing a graph is immediate).

Where parents and local derivatives live (the node's slots, by kind of node):
    leaf     nothing: only data, grad, label, requires_grad, _op = None, _serial are set
    unary    _p0 (the parent), _d0 (its local derivative), _p1 = None, _arg (pow's exponent)
    binary   _p0, _p1 and _d0, _d1
    n-ary    _p0 = _p1 = None, _many = (parents tuple, local derivatives tuple)   (sum)
Why slots and not a tuple of parents and a tuple of locals: a tuple is one more object that
CPython's cyclic garbage collector tracks, so a node made of three tracked objects made the
collector (which rescans the live graph as it grows) cost up to half of a large forward. Code
that reads a node uses the tuples `_prev` and `_local` (properties in `autograd.node_info`,
built on demand); only the hot loops of `autograd.backward` and `autograd.graph_order` read the
slots, after `_op is None` (the unset slots of a leaf must not be read).

Every node also gets a creation number (`_serial`). A parent always exists before its child, so
sorting nodes by creation number is a topological order: backward uses this instead of a
depth-first search (see `autograd.graph_order`: collect + sort is ~3x faster than a Python DFS).

Every Value holds a finite float: an operation whose result would be inf or nan raises at the
call that made it, naming the op, the operand values and their labels (see `autograd.errors`).
Reading a node (`op`, `parents`, repr, ...) lives in `autograd.node_info` and the named
functions (`exp`, `relu`, ...) in `autograd.math_methods`; Value inherits both.
"""
from __future__ import annotations

from itertools import count
from numbers import Real

from . import errors
from .math_methods import MathMethods
from .node_info import NodeInfo
from .ops import OPS, Op

__all__ = ["Value", "constant"]

_ADD, _SUB, _MUL, _DIV, _NEG = OPS["add"], OPS["sub"], OPS["mul"], OPS["div"], OPS["neg"]
_POW, _POW_VALUE = OPS["pow"], OPS["pow_value"]
_DOMAIN_ERRORS = (ArithmeticError, ValueError)
_new = object.__new__  # a node without running __init__: its fields are all set right after
_next_serial = count().__next__  # thread-safe under the GIL: one C call


class Value(NodeInfo, MathMethods):
    """A scalar in a computation graph: `data`, `grad`, `label`, the op that made it, parents."""

    __slots__ = ("data", "grad", "label", "requires_grad", "_op", "_serial",
                 "_p0", "_p1", "_d0", "_d1", "_many", "_arg")  # see the module docstring

    def __init__(self, data, label: str = "", requires_grad: bool = True):
        self.data = errors.checked_float(data, label)
        self.grad = 0.0
        self.label = label
        self.requires_grad = requires_grad
        self._op = None  # a leaf: parents and local derivatives stay unset (see the docstring)
        self._serial = _next_serial()

    def backward(self, grad: float = 1.0, order=None) -> None:
        """Fill `.grad` of every node this one depends on (see `autograd.backward.backward`)."""
        from .backward import backward
        backward(self, grad, order)

    # --- building nodes: one op-table row, evaluated once (the hot path: kept flat) -------------
    @staticmethod
    def _many_parents(op: Op, parents: tuple, out: float, local: tuple) -> "Value":
        """The node of an n-ary op (sum) over `parents`, with one local derivative per parent."""
        if out - out:  # inf - inf and nan - nan are nan (truthy); finite - itself is 0.0
            raise errors.not_finite(op, parents, out)
        node = _new(Value)
        node.data, node.grad, node.label, node.requires_grad = out, 0.0, "", True
        node._op, node._p0, node._p1, node._many = op, None, None, (parents, tuple(local))
        node._serial = _next_serial()
        return node

    def _unary(self, op: Op, arg=None) -> "Value":
        x = self.data
        try:
            out = op.forward(x, arg)
        except _DOMAIN_ERRORS as exc:
            raise errors.explain(exc, op, (self,)) from None
        try:
            local = op.local(x, out, arg)
        except (ZeroDivisionError, OverflowError):
            if out - out:  # the value itself overflowed: report that, not its derivative
                raise errors.not_finite(op, (self,), out) from None
            raise errors.infinite_derivative(op, (self,), arg) from None
        if out - out:  # inf - inf and nan - nan are nan (truthy); finite - itself is 0.0
            raise errors.not_finite(op, (self,), out)
        node = _new(Value)  # written out, as in _binary below
        node.data, node.grad, node.label, node.requires_grad = out, 0.0, "", True
        node._op, node._p0, node._p1 = op, self, None
        node._d0, = local  # a rule returns a 1-tuple: this also checks there is exactly one
        node._arg = arg
        node._serial = _next_serial()
        return node

    def _binary(self, op: Op, other: "Value") -> "Value":
        # The node is built right here (and in _unary), not by a shared helper: this runs once
        # per node, and the extra call cost ~10% of a node's construction.
        x, y = self.data, other.data
        try:
            out = op.forward(x, y)
        except _DOMAIN_ERRORS as exc:
            raise errors.explain(exc, op, (self, other)) from None
        try:
            local = op.local(x, y, out)
        except (ZeroDivisionError, OverflowError):
            if out - out:  # the value itself overflowed: report that, not its derivative
                raise errors.not_finite(op, (self, other), out) from None
            raise errors.infinite_derivative(op, (self, other)) from None
        if out - out:
            raise errors.not_finite(op, (self, other), out)
        node = _new(Value)
        node.data, node.grad, node.label, node.requires_grad = out, 0.0, "", True
        node._op, node._p0, node._p1 = op, self, other
        node._d0, node._d1 = local
        node._serial = _next_serial()
        return node

    def _operand(self, other, op_name: str) -> "Value":
        """`other` as a node for a named method (x.max(3)), or a TypeError naming the op."""
        node = constant(other)
        if node is None:
            raise errors.not_a_number(other, op_name)
        return node

    # --- arithmetic: plain numbers on either side become constant leaves ----------------------
    def __add__(self, other):
        if type(other) is not Value and (other := constant(other)) is None:
            return NotImplemented
        return self._binary(_ADD, other)

    def __radd__(self, other):
        if (other := constant(other)) is None:  # only called when `other` is not a Value
            return NotImplemented
        return other._binary(_ADD, self)

    def __sub__(self, other):
        if type(other) is not Value and (other := constant(other)) is None:
            return NotImplemented
        return self._binary(_SUB, other)

    def __rsub__(self, other):
        if (other := constant(other)) is None:
            return NotImplemented
        return other._binary(_SUB, self)

    def __mul__(self, other):
        if type(other) is Value:
            return self._binary(_MUL, other)
        node = constant(other)
        return self._binary(_MUL, node) if node is not None else _refuse_sequence(other)

    def __rmul__(self, other):
        node = constant(other)
        return node._binary(_MUL, self) if node is not None else _refuse_sequence(other)

    def __truediv__(self, other):
        if type(other) is not Value and (other := constant(other)) is None:
            return NotImplemented
        return self._binary(_DIV, other)

    def __rtruediv__(self, other):
        if (other := constant(other)) is None:
            return NotImplemented
        return other._binary(_DIV, self)

    def __neg__(self):
        return self._unary(_NEG)

    def __pos__(self):
        return self

    def __pow__(self, exponent):
        if type(exponent) is Value:
            if self.data < 0.0 and exponent.requires_grad:
                raise errors.negative_base(self)
            return self._binary(_POW_VALUE, exponent)
        if isinstance(exponent, Real) and not isinstance(exponent, bool):
            return self._unary(_POW, exponent)
        return NotImplemented

    def __rpow__(self, base):
        if (base := constant(base)) is None:
            return NotImplemented
        return base.__pow__(self)

    __abs__ = MathMethods.abs


def constant(x):
    """x as a node: a Value passes, a real number becomes a constant leaf, anything else None."""
    kind = type(x)
    if kind is Value:
        return x
    if kind is float or kind is int:  # the common case, without the slow ABC check below
        data = float(x)
        if data - data:
            raise errors.non_finite_constant(x)
        node = _new(Value)
        node.data, node.grad, node.label, node.requires_grad = data, 0.0, "", False
        node._op = None
        node._serial = _next_serial()
        return node
    if isinstance(x, Real):
        return Value(x, requires_grad=False)
    return None


def _refuse_sequence(other):
    """For `*` only: without this, Python would try sequence repetition and complain about
    'Value' (not the operand's type); other types still get NotImplemented (numpy interop)."""
    if isinstance(other, (str, bytes, bytearray, list, tuple)):
        raise TypeError(f"unsupported operand type(s) for *: 'Value' and '{type(other).__name__}' "
                        f"({other!r}); a Value multiplies only numbers and other Values")
    return NotImplemented
