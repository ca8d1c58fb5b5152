"""`Value`: one scalar node of a computation graph, and the functions that build Values.

A Value holds a float (`data`), the gradient that `backward()` fills in (`grad`), an optional
`label`, the op-table row that made it (none for leaves), its inputs in order (`a + a` has two
parents, both `a`) and the local derivative along each incoming edge, evaluated once from the
row's derivative formulas when the node is made: backward then only multiplies and adds.

    >>> a, b = Value(0.5, label="a"), Value(-1.0, label="b")
    >>> y = (a * b + 1.0).tanh()
    >>> y.backward()
    >>> round(a.grad, 6), round(b.grad, 6)   # dy/da = (1 - y**2) * b, dy/db = (1 - y**2) * a
    (-0.786448, 0.393224)

Reading a node (the public way, used by diagrams, traces, checks and tests):
    v.data, v.grad, v.label, v.requires_grad
    v.op        the op's name ('' for a leaf), a key of `autograd.OPS`
    v.row       the op-table row itself (None for a leaf): its formulas, symbol, facts
    v.parents   the op's inputs, in order, duplicates kept (() for a leaf)
    v.local     the local derivative along each input edge, parallel to `parents`
    v.arg       pow's number exponent (None for every other op)
`_prev` and `_op` exist only as micrograd-compatible aliases (micrograd's `draw_dot` reads them).

The story of this file, in order:
    1. the node: fields, reading it, backward()
    2. operators (+ - * / ** unary -): a plain number on either side is a constant
    3. named methods (x.exp(), x.relu(), x.max(y), ...): generated from the op table's rows
    4. functions that build Values: constant, as_value, maximum, minimum, vsum, max_shift
    5. THE ENGINE ROOM (read it for speed, not for the maths): how a node is stored, the
       fast node builders, folded numbers, the checked builders that explain errors, no_grad

Every Value holds a finite float: an operation whose result would be inf or nan raises at the
call that made it, naming the op, the operand values and their labels (see `autograd.errors`).
"""
from __future__ import annotations

import linecache
from collections.abc import Iterable
from contextlib import ContextDecorator
from itertools import count
from typing import TYPE_CHECKING, Any, Callable

from . import errors
from .coerce import exact_exponent, exact_float, is_number
from .backward import backward as _backward_pass
from .graph import CONSTANT_BIT, Order
from .ops import INLINE_NAMES, OPS, Op

__all__ = ["Value", "constant", "as_value", "maximum", "minimum", "vsum", "max_shift", "no_grad"]

_ADD, _SUB, _MUL, _DIV, _NEG = OPS["add"], OPS["sub"], OPS["mul"], OPS["div"], OPS["neg"]
_POW, _POW_VALUE, _SUM, _MAX_SHIFT = OPS["pow"], OPS["pow_value"], OPS["sum"], OPS["max_shift"]
_DOMAIN_ERRORS = (ArithmeticError, ValueError)
_new = object.__new__  # a node without running __init__: its fields are all set right after
_next_serial = count(0, 8).__next__  # thread-safe under the GIL: one C call (engine room)
_CONSTANT, _NUMBER_FIRST = CONSTANT_BIT, 4  # bits of a creation number (engine room)


class Value:
    """A scalar in a computation graph: `data`, `grad`, `label`, the op that made it, parents."""

    # The fields a reader sees, and the slots the engine room uses to store the parents and
    # local derivatives compactly (see "How a node is stored" at the end of this file).
    # `requires_grad` is a property: one bit of the creation number `_serial` (engine room).
    __slots__ = ("data", "grad", "label", "_row", "_serial", "_p0", "_p1", "_d0", "_d1", "_arg")
    data: float
    grad: float
    label: str
    _row: Op | None  # None for a leaf
    _serial: int
    _p0: Value | None  # None for an n-ary node
    _p1: Value | None  # None for unary, folded and n-ary nodes
    _d0: Any  # a float (its local derivative); an n-ary node's tuple of them
    _d1: float
    # pow's exponent (any real number), a folded number (a float), or an n-ary node's parents
    _arg: Any

    if TYPE_CHECKING:
        # The named methods (x.exp(), x.max(y), ...) are generated from the op table's rows
        # (section 3), so a type checker cannot see them; this tells it that any other
        # attribute of a Value is such a method returning a Value, without a second list of
        # op names beside the rows. Not defined at run time: a misspelt attribute still raises.
        def __getattr__(self, name: str) -> Callable[..., Value]: ...

        # The node builders live in the engine room (section 5) and are set on the class there.
        def _unary(self: Value, op: Op, arg: Any = None) -> Value: ...
        def _binary(self: Value, op: Op, other: Value) -> Value: ...
        def _folded(self: Value, op: Op, number: float | int, left: bool) -> Value: ...
        def _unfold(self: Value) -> tuple[Value, Value]: ...
        @staticmethod
        def _many_parents(op: Op, parents: tuple[Value, ...], out: float,
                          local: Iterable[float]) -> Value: ...

    # --- 1. the node ----------------------------------------------------------------------------
    def __init__(self, data: object, *children: object, label: str = "",
                 requires_grad: bool = True) -> None:
        if children:  # micrograd's Value(data, _children, _op) or an old positional label
            raise errors.positional_after_data(data, children)
        self.data = errors.checked_float(data, label)
        self.grad = 0.0
        self.label = errors.checked_label(label)
        self._row = None  # a leaf: parents and local derivatives stay unset (engine room)
        self._serial = _next_serial() if requires_grad else _next_serial() + _CONSTANT

    @property
    def requires_grad(self) -> bool:
        """Whether backward accumulates a gradient in this leaf (False: a constant or data).
        Nodes made by ops always pass gradient on; setting it there changes nothing."""
        return not self._serial & _CONSTANT  # a bit of the creation number (engine room)

    @requires_grad.setter
    def requires_grad(self, flag: bool) -> None:
        self._serial = self._serial & ~_CONSTANT if flag else self._serial | _CONSTANT

    @property
    def op(self) -> str:
        """The name of the op that made this node ('' for a leaf), a key of `autograd.OPS`."""
        return self._row.name if self._row is not None else ""

    @property
    def row(self) -> Op | None:
        """The op-table row that made this node (None for a leaf): its formulas, facts, rule."""
        return self._row

    @property
    def parents(self) -> tuple[Value, ...]:
        """The inputs of the op that made this node, in order, duplicates kept (() for a leaf)."""
        if self._row is None:
            return ()
        a, b = self._p0, self._p1
        if a is None:
            return self._arg
        if b is not None:
            return (a, b)
        if self._row.arity == 2:  # a folded number becomes its constant leaf now, once (5)
            return self._unfold()
        return (a,)

    @property
    def local(self) -> tuple[float, ...]:
        """The local derivative along each input edge, parallel to `parents` (() for a leaf).

        Settable (same length as `parents`) so that teaching code and tests can plant a wrong
        derivative and watch `gradcheck` catch it; backward uses whatever is stored.
        """
        if self._row is None:
            return ()
        if self._p0 is None:
            return self._d0
        if self._p1 is None:
            if self._row.arity == 1:
                return (self._d0,)
            self._unfold()
        return (self._d0, self._d1)

    @local.setter
    def local(self, values: Iterable[float]) -> None:
        if not isinstance(values, Iterable):
            raise TypeError(f"local needs a tuple of {len(self.parents)} numbers (one per parent), "
                            f"got {type(values).__name__}: {values!r}")
        local = tuple(exact_float(v, "local") for v in values)  # planted numbers are floats too
        if len(local) != len(self.parents):
            raise ValueError(f"local needs {len(self.parents)} local derivative(s), one per "
                             f"parent, got {len(local)}: {local!r}")
        if self._row is None:
            return
        if self._p0 is None:
            self._d0 = local
        elif self._p1 is None:
            self._d0, = local
        else:
            self._d0, self._d1 = local

    @property
    def arg(self) -> Any:
        """The op's number parameter: pow's exponent for `x ** 3`; None for every other node."""
        return self._arg if self._row is _POW else None

    @property
    def creation_number(self) -> int:
        """When the node was made, as a count: a parent always has a smaller number than its
        child (`autograd.compile` uses it to tell nodes made inside a traced function)."""
        return self._serial

    @property
    def is_leaf(self) -> bool:
        """True for inputs, parameters and constants (nodes no op made)."""
        return self._row is None

    @property
    def _prev(self) -> tuple[Value, ...]:
        """micrograd's name for the parents (its `draw_dot` iterates over it)."""
        return self.parents

    @property
    def _op(self) -> str:
        """micrograd's name for the op: its symbol ('+', '*', 'tanh', ...; '' for a leaf)."""
        return self._row.symbol if self._row is not None else ""

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        op = f", op={self._row.name!r}" if self._row is not None else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{label}{op})"

    def __float__(self) -> float:
        return self.data

    def detach(self) -> "Value":
        """A new constant leaf with this node's data: gradients do not flow through it."""
        return Value(self.data, label=self.label, requires_grad=False)

    def named(self, label: str) -> "Value":
        """Set the label (shown in diagrams, traces and error messages) and return self."""
        self.label = errors.checked_label(label)
        return self

    def backward(self, grad: object = 1.0, order: Order | None = None) -> None:
        """Fill `.grad` of every node this one depends on (see `autograd.backward.backward`)."""
        _backward_pass(self, grad, order)

    # Comparisons are refused: they are not differentiable, and `max(a, b)` would lose grads.
    def _no_compare(self, other: object) -> bool:
        raise TypeError("Values are not ordered: compare a.data with b.data, or use "
                        "autograd.maximum(a, b) / autograd.minimum(a, b) for a differentiable max/min")

    __lt__ = __le__ = __gt__ = __ge__ = _no_compare

    # --- 2. operators: a plain number on either side is a constant ----------------------------
    # (a float or int is stored in the node itself, a "folded number": see the engine room;
    # other real numbers, e.g. Fraction, become constant leaves)
    def __add__(self, other: object) -> Value:
        if type(other) is Value:
            return self._binary(_ADD, other)
        if type(other) is float or type(other) is int:
            return self._folded(_ADD, other, False)
        if (other := constant(other, "add")) is None:
            return NotImplemented
        return self._binary(_ADD, other)

    def __radd__(self, other: object) -> Value:  # only called when `other` is not a Value
        if type(other) is float or type(other) is int:
            return self._folded(_ADD, other, True)
        if (other := constant(other, "add")) is None:
            return NotImplemented
        return other._binary(_ADD, self)

    def __sub__(self, other: object) -> Value:
        if type(other) is Value:
            return self._binary(_SUB, other)
        if type(other) is float or type(other) is int:
            return self._folded(_SUB, other, False)
        if (other := constant(other, "sub")) is None:
            return NotImplemented
        return self._binary(_SUB, other)

    def __rsub__(self, other: object) -> Value:
        if type(other) is float or type(other) is int:
            return self._folded(_SUB, other, True)
        if (other := constant(other, "sub")) is None:
            return NotImplemented
        return other._binary(_SUB, self)

    def __mul__(self, other: object) -> Value:
        if type(other) is Value:
            return self._binary(_MUL, other)
        if type(other) is float or type(other) is int:
            return self._folded(_MUL, other, False)
        node = constant(other, "mul")
        if node is None:
            _refuse_sequence(other)
            return NotImplemented
        return self._binary(_MUL, node)

    def __rmul__(self, other: object) -> Value:
        if type(other) is float or type(other) is int:
            return self._folded(_MUL, other, True)
        node = constant(other, "mul")
        if node is None:
            _refuse_sequence(other)
            return NotImplemented
        return node._binary(_MUL, self)

    def __truediv__(self, other: object) -> Value:
        if type(other) is Value:
            return self._binary(_DIV, other)
        if type(other) is float or type(other) is int:
            return self._folded(_DIV, other, False)
        if (other := constant(other, "div")) is None:
            return NotImplemented
        return self._binary(_DIV, other)

    def __rtruediv__(self, other: object) -> Value:
        if type(other) is float or type(other) is int:
            return self._folded(_DIV, other, True)
        if (other := constant(other, "div")) is None:
            return NotImplemented
        return other._binary(_DIV, self)

    def __neg__(self) -> Value:
        return self._unary(_NEG)

    def __pos__(self) -> Value:
        return self

    def __pow__(self, exponent: object) -> Value:
        if type(exponent) is Value:
            if self.data < 0.0 and exponent.requires_grad:
                raise errors.negative_base(self)
            if self.data == 0.0 and 0.0 < exponent.data < 1.0 and self.requires_grad:
                # d/dx x**y = y x**(y-1) is infinite at 0; a constant base needs no d/dx.
                raise errors.infinite_derivative(_POW_VALUE, (self, exponent))
            return self._binary(_POW_VALUE, exponent)
        if type(exponent) is int or type(exponent) is float:
            return self._unary(_POW, exponent)
        if is_number(exponent):  # a numpy or Fraction exponent would spread its type
            return self._unary(_POW, exact_exponent(exponent, "pow"))
        return NotImplemented

    def __rpow__(self, base: object) -> Value:
        if (base := constant(base, "pow_value")) is None:
            return NotImplemented
        return base.__pow__(self)

    def __abs__(self) -> Value:
        return self.abs()

    def _operand(self, other: object, op_name: str) -> Value:
        """`other` as a node for a named method (x.max(3)), or a TypeError naming the op."""
        node = constant(other, op_name)
        if node is None:
            raise errors.not_a_number(other, op_name)
        return node


# --- 3. named methods, one per op-table row that names one ------------------------------------
def _unary_method(row: Op) -> Callable[[Value], Value]:
    def method(self: Value) -> Value:
        return self._unary(row)
    return method


def _binary_method(row: Op) -> Callable[[Value, object], Value]:
    def method(self: Value, other: object) -> Value:
        return self._binary(row, self._operand(other, row.name))
    return method


def _add_methods_from_rows() -> None:
    """Give Value one method per row with a `method` name: `x.exp()` is `_unary(OPS["exp"])`.

    Generated, not written out, so a row is the single home of its op: adding a row adds the
    method, with the row's docstring. A closure per row costs no more per call than a written
    method (one cell read instead of one global read).
    """
    for row in OPS.values():
        if not row.method:
            continue
        if row.arity not in (1, 2):
            raise TypeError(f"op {row.name!r}: only unary and binary rows can name a method")
        method: Callable[..., Value] = (_unary_method(row) if row.arity == 1
                                        else _binary_method(row))
        method.__name__, method.__qualname__ = row.method, f"Value.{row.method}"
        method.__doc__ = row.doc
        setattr(Value, row.method, method)


_add_methods_from_rows()


# --- 4. functions that build Values ----------------------------------------------------------
def constant(x: object, op: str = "") -> Value | None:
    """x as a node: a Value passes, a real number becomes a constant leaf, anything else None.

    `op` names the operation the number is used in, for the error when it is not finite.
    """
    if type(x) is Value:
        return x
    if type(x) is float or type(x) is int:  # the common case, without the slow ABC check below
        try:
            data = float(x)
        except OverflowError:  # an int beyond the float range (10**400)
            raise errors.non_finite_constant(x, op) from None
        if data - data:
            raise errors.non_finite_constant(x, op)
        return _result_leaf(data)
    if is_number(x):  # numpy numbers, Fraction, Decimal: converted exactly, or refused
        return _result_leaf(exact_float(x, op or "constant"))
    return None


def _refuse_sequence(other: object) -> None:
    """For `*` only: without this, Python would try sequence repetition and complain about
    'Value' (not the operand's type); other types still get NotImplemented (numpy interop)."""
    if isinstance(other, (str, bytes, bytearray, list, tuple)):
        raise TypeError(f"unsupported operand type(s) for *: 'Value' and '{type(other).__name__}' "
                        f"({other!r}); a Value multiplies only numbers and other Values")


def as_value(x: object, label: str = "") -> Value:
    """x if it is already a Value, else a new leaf Value holding x."""
    return x if type(x) is Value else Value(x, label=label)


def maximum(a: object, b: object) -> Value:
    """Differentiable max(a, b): the gradient goes to a when a >= b (ties to the first input)."""
    return as_value(a).max(b)


def minimum(a: object, b: object) -> Value:
    """Differentiable min(a, b): the gradient goes to a when a <= b (ties to the first input)."""
    return as_value(a).min(b)


def _term(x: object) -> Value:
    """A term of vsum as a node: a number becomes a constant leaf, anything else a TypeError."""
    node = constant(x, "sum")
    if node is None:
        raise errors.not_a_number(x, "sum")
    return node


def vsum(terms: Iterable[object]) -> Value:
    """The sum of many Values (or numbers) as ONE node with one edge per term.

    One node instead of a chain of n - 1 additions: less memory, a faster backward, and an
    exactly rounded sum (math.fsum) that does not depend on the order of the terms. Plain
    numbers become constant leaves (requires_grad=False), as in `x + 2`.
    """
    try:
        given = tuple(terms)
    except TypeError:  # vsum(3), vsum(None): not an iterable at all
        raise TypeError(f"vsum needs a list of Values or numbers, got {type(terms).__name__}: "
                        f"{repr(terms)[:60]}") from None
    # Usually every term is a node: one pass reads the numbers of the Values, and if it read
    # as many as there are terms, nothing needs converting (a neuron's sum: its hot path).
    numbers = [term.data for term in given if type(term) is Value]
    if len(numbers) == len(given):
        parents: tuple[Value, ...] = given  # type: ignore[assignment]  # all Values (checked)
    else:
        parents = tuple(map(_term, given))
        numbers = [p.data for p in parents]
    if not parents:
        return Value(0.0, requires_grad=False)
    try:
        out = _SUM.forward(numbers)
    except _DOMAIN_ERRORS as exc:
        raise errors.explain(exc, _SUM, parents) from None
    return Value._many_parents(_SUM, parents, out, _SUM.local(parents, out))


def max_shift(terms: Iterable[object]) -> Value:
    """The largest of `terms` as ONE node that passes no gradient back: the shift of a stable
    softmax (`exp(z - m)` with m = max z). Its value is max(z) and its derivative 0 to every
    input, exactly like subtracting the plain number max(z.data), but it is a node of the
    graph, so the graph's shape does not depend on which input is largest (what
    `autograd.compile` needs to replay the graph on other inputs)."""
    parents = tuple(map(_term, terms))
    if not parents:
        raise ValueError("max_shift needs at least one term")
    out = _MAX_SHIFT.forward([p.data for p in parents])
    return Value._many_parents(_MAX_SHIFT, parents, out, _MAX_SHIFT.local(parents, out))


# ================================================================================================
# 5. THE ENGINE ROOM: how a node is stored and made fast. Nothing above depends on these details
#    except through `parents` and `local` (and `autograd.backward` / `autograd.graph`, whose hot
#    loops read the slots).
# ================================================================================================
#
# How a node is stored (the slots, by kind of node):
#     every    data, grad, label, _row (None for a leaf), _serial (requires_grad is a bit of it)
#     unary    _p0 (the parent), _d0 (its local derivative), _p1 = None, _arg (pow's exponent)
#     binary   _p0, _p1 and _d0, _d1
#     folded   a binary op with a plain number on one side (`x * 2.0`, `1 - x`): _p0 (the
#              Value), _p1 = None, _d0 (its derivative), _d1 (the number's), _arg (the number,
#              a float); which side the number was on is in the creation number (below)
#     n-ary    _p0 = _p1 = None, _arg (the parents tuple), _d0 (the local derivatives tuple)
#              (sum; two slots, not one (parents, locals) pair: a tuple fewer per node)
# A node made by an op leaves `_arg` and `_d1` unset unless it uses them (and a leaf every
# slot below `_serial`): a slot never written costs no store and no visit by
# CPython's cyclic garbage collector, which walks every live node's slots when it runs (every
# 700 new nodes). Measured (issue 23, a node of 11 slots made and kept, collector on): 8 slots
# written 282 ns, all 11 written 305 ns, 8 slots declared 276 ns: leaving slots unset gains
# nearly what removing them would, without squeezing two jobs into one slot. `label` is
# written (''): an unset one would cost every reader of an unnamed node's label (diagrams,
# traces, compile's tape) an exception, ~0.4 us, for ~5 ns saved per node made.
# One slot per job would be simpler, but every slot costs 8 bytes in every node, set or not:
# `_arg` serves pow's exponent, the folded number and the n-ary parents (no node needs two of
# them), and the side of a folded number is one bit of its creation number, not a slot of its
# own (two slots fewer: 192 -> 176 B per node of the wide graph under tracemalloc). Why slots
# and not a tuple of parents and a tuple of locals: a tuple is one more object that CPython's
# cyclic garbage collector tracks, so a node made of three tracked objects made the collector
# (which rescans the live graph as it grows) cost up to half of a large forward. Only the hot
# loops of `autograd.backward` and `autograd.graph` read the slots, after `_row is None` (the
# unset slots of a leaf must not be read); everything else reads `parents` and `local`.
#
# Creation numbers (`_serial`). A parent always exists before its child, so sorting nodes by
# creation number is a topological order: backward uses this instead of a depth-first search
# (see `autograd.graph`). Numbers are multiples of 8 plus two flags: +1 for a leaf with
# requires_grad=False (a constant: `requires_grad` reads and sets this bit, and backward's walk
# tests it, so no slot holds the flag), +4 for a folded node whose number came first (`2.0 *
# x`, `1 - x`): that is how it remembers its side. The number just below a folded node's (odd:
# a constant) is kept for the constant leaf its number becomes when read (below), so that leaf
# too sorts after everything made before. The flags never move a node past another's number.
#
# Folded numbers. `x * 2.0` used to make a constant leaf for 2.0 (a node, a creation number,
# the checks) and then the product: in `relu(y * 1.0001 + 0.0001)` two of the five nodes made
# per step were such constants. Now the number is stored in the op node itself, which backward
# sees as a unary node (only the Value side receives a gradient), and the constant leaf is
# made when something first reads `parents` or `local` (diagrams, traces, gradcheck,
# `autograd.compile`), then kept, so every read gives the same leaf; from then on the node is
# an ordinary binary node. A constant made on reading has grad 0.0, like every leaf with
# requires_grad=False (backward accumulates no gradient in constants; Trace shows none).
# Measured when introduced: chain 10^3 forward 514 -> 344 ns per op node. Measured again with
# `autograd.compile` in the project (issue 18; chain 10^4 forward + backward, median of 11
# runs, 4 alternating rounds on a busy machine): folded 2007-2234 ns, constant leaves
# 3091-3322 ns per op node, and the graph 168 vs 269 B per op node (tracemalloc): the object
# engine still makes most graphs (diagrams, sheets, fit without compile), so they stay.
#
# The builders make one fused call per node (`Op.fused`: forward and rule together, generated
# from the row, see `autograd.fused`) instead of two calls, and build the node with `_node`.
# The common cases (Value with Value or float: + - * /, relu, tanh, ...) do not come here:
# the generated fast methods below build their nodes inline. What does (pow, max/min, an int or
# a Fraction operand, and everything under no_grad's readable methods) pays one helper call,
# ~10% of a node, for one home of the node's fields. Anything unusual (an error, a non-finite
# result) goes to the checked builders, which evaluate the row's forward and rule one by one
# and raise exactly their errors.


# --- the builders ----------------------------------------------------------------------------
def _node(op: Op, out: float, p0: Value, p1: Value | None, d0: float) -> Value:
    """The node of op with value out, parents p0 (and p1) and p0's local derivative: what every
    builder makes (the caller sets _d1 and _arg where the node has them)."""
    node = _new(Value)
    node.data = out
    node.grad = 0.0
    node.label = ""
    node._row = op
    node._p0 = p0
    node._p1 = p1
    node._d0 = d0
    node._serial = _next_serial()
    return node


def _many_parents(op: Op, parents: tuple[Value, ...], out: float, local: Iterable[float]
                  ) -> Value:
    """The node of an n-ary op (sum) over `parents`, with one local derivative per parent."""
    if out - out:  # inf - inf and nan - nan are nan (truthy); finite - itself is 0.0
        raise errors.not_finite(op, parents, out)
    node = _new(Value)
    node.data = out
    node.grad = 0.0
    node.label = ""
    node._row = op  # one store per line (see the fast builders' note above)
    node._p0 = None
    node._p1 = None
    node._arg = parents
    node._d0 = local if type(local) is tuple else tuple(local)  # a rule's shared tuple, kept
    node._serial = _next_serial()
    return node


def _unary(self: Value, op: Op, arg: Any = None) -> Value:
    try:
        out, d0 = op.fused(self.data, arg)
    except _DOMAIN_ERRORS:
        return _unary_checked(self, op, arg)
    if out - out:  # inf - inf and nan - nan are nan (truthy); finite - itself is 0.0
        return _unary_checked(self, op, arg)
    node = _node(op, out, self, None, d0)
    node._arg = arg
    return node


def _binary(self: Value, op: Op, other: Value) -> Value:
    try:
        out, d0, d1 = op.fused(self.data, other.data)
    except _DOMAIN_ERRORS:
        return _binary_checked(self, op, other)
    if out - out:
        return _binary_checked(self, op, other)
    node = _node(op, out, self, other, d0)
    node._d1 = d1
    return node


def _folded(self: Value, op: Op, number: float | int, left: bool) -> Value:
    """`self op number` (or `number op self` when left) with the number stored in the node
    instead of a constant leaf (see "Folded numbers" above)."""
    if type(number) is not float:  # an int (floats and ints are all that come here)
        try:
            number = float(number)
        except OverflowError:  # 10**400: the constant's own error
            return _binary_with_constant(self, op, number, left)
    x = self.data
    try:
        out, d0, d1 = op.fused(number, x) if left else op.fused(x, number)
    except _DOMAIN_ERRORS:
        return _binary_with_constant(self, op, number, left)
    if out - out or number - number:  # not finite: the checked path names the culprit
        return _binary_with_constant(self, op, number, left)
    if left:
        d0, d1 = d1, d0  # _d0 is always the Value's derivative (backward reads only _p0/_d0)
    node = _node(op, out, self, None, d0)
    node._d1 = d1
    node._arg = number
    if left:
        node._serial += _NUMBER_FIRST  # the side (see "Creation numbers")
    return node


def _unfold(self: Value) -> tuple[Value, Value]:
    """Make the constant leaf of a folded number and store it as the parent it stands for:
    the node becomes an ordinary binary node (see "Folded numbers" above)."""
    # Its grad is 0.0, as for every leaf with requires_grad=False: backward accumulates
    # none in constants (`gradients(root, [leaf])` computes it on request).
    leaf = _result_leaf(self._arg)
    leaf._serial = self._serial - 1  # kept free for it (odd: a constant), after everything
    # made before self
    value = self._p0
    assert value is not None  # a folded node's Value operand
    if self._serial & _NUMBER_FIRST:  # `2.0 * x`: the constant is the first input
        self._p0, self._p1 = leaf, value
        self._d0, self._d1 = self._d1, self._d0
        return (leaf, value)
    self._p1 = leaf
    return (value, leaf)


def _install_builders() -> None:
    """Set the builders on the class (no_grad swaps four of them for its own while active)."""
    for builder in (_unary, _binary, _folded, _unfold):
        setattr(Value, builder.__name__, builder)
    setattr(Value, "_many_parents", staticmethod(_many_parents))


_install_builders()


# --- the checked builders: the row's forward and rule one by one, each error explained ------
def _unary_checked(x: Value, op: Op, arg: Any = None) -> Value:
    """`Value._unary` the long way: reached only when the fused call raised or gave a
    non-finite value, to raise the error the row's forward or rule gives (or build the node)."""
    try:
        out = op.forward(x.data, arg)
    except _DOMAIN_ERRORS as exc:
        raise errors.explain(exc, op, (x,)) from None
    try:
        local = op.local(x.data, out, arg)
    except (ZeroDivisionError, OverflowError):
        if out - out:  # the value itself overflowed: report that, not its derivative
            raise errors.not_finite(op, (x,), out) from None
        raise errors.infinite_derivative(op, (x,), arg) from None
    if out - out:  # inf - inf and nan - nan are nan (truthy); finite - itself is 0.0
        raise errors.not_finite(op, (x,), out)
    d0, = local  # a rule returns a 1-tuple: this also checks there is exactly one
    node = _node(op, out, x, None, d0)
    node._arg = arg
    return node


def _binary_checked(x: Value, op: Op, y: Value) -> Value:
    """`Value._binary` the long way (see `_unary_checked`)."""
    try:
        out = op.forward(x.data, y.data)
    except _DOMAIN_ERRORS as exc:
        raise errors.explain(exc, op, (x, y)) from None
    try:
        local = op.local(x.data, y.data, out)
    except (ZeroDivisionError, OverflowError):
        if out - out:  # the value itself overflowed: report that, not its derivative
            raise errors.not_finite(op, (x, y), out) from None
        raise errors.infinite_derivative(op, (x, y)) from None
    if out - out:
        raise errors.not_finite(op, (x, y), out)
    d0, d1 = local
    node = _node(op, out, x, y, d0)
    node._d1 = d1
    return node


def _binary_with_constant(x: Value, op: Op, number: object, left: bool) -> Value:
    """`x op number` (or `number op x`) with the number as a constant leaf, through the checked
    builder: the path of a folded number that fails, so its error names the constant."""
    if op is _DIV and not left and type(number) is float and number:
        # x / c with a tiny c: d/dc = -out/c can overflow while the value and d/dx = 1/c are
        # finite. Nothing needs d/dc (c is a number, not a parameter), so only a non-finite
        # value or d/dx is refused (issue: `x / 1e-160` was refused though all it needs is finite)
        out, d0 = x.data / number, 1.0 / number
        if not (out - out or d0 - d0):
            node = _node(op, out, x, None, d0)
            node._d1 = -out / number  # may be inf: only read if the constant is ever unfolded
            node._arg = number
            return node
    leaf = constant(number, op.name)  # raises for inf, nan, 10**400
    if leaf is None:  # never: only floats and ints are folded
        raise errors.not_a_number(number, op.name)
    return _binary_checked(leaf, op, x) if left else _binary_checked(x, op, leaf)


# --- the fast operators: the two common cases written inline, generated from the rows -------
#
# Why: `a * b` made three Python calls (the operator, `_binary`, the row's fused call), and a
# call costs 30-60 ns, about a third of making a node. The operators `+ - * /` (both sides),
# unary `-` and the named methods of one input (relu, tanh, exp, ...) are therefore replaced
# here by generated versions of themselves in which the two common cases, a Value with a Value
# and a Value with a float, are straight-line code: the row's forward and derivative templates
# (`Op.inline`: the source `autograd.compile` replays and `fused` runs, derived from the row's
# formulas, tested bitwise against the row) filled in with local names, and the node built
# right there. Every other operand (an int, a Fraction, a numpy number, a list to refuse) is
# handed to the readable method of sections 2 and 3, kept as `_READABLE[name]`, and anything
# unusual (an error, a non-finite value) goes to the checked builders, exactly as there. A row
# whose rule can fail (`eager`: div, log, sqrt) makes one fused call instead of the templates,
# so its errors keep coming from the row's own forward and rule.
# tests/test_fast_methods.py checks every generated method against its readable one over a
# grid with the awkward values (zeros, huge, tiny, inf results, domain errors): the same node
# (data, local derivatives, parents, the side of a folded number) or the same error.
# Measured (issue 23, this change alone, against micrograd in the same run, alternating, 5
# repetitions, forward + backward per op node): chain 10^3 485 -> 373 ns (3.76x -> 4.75x
# micrograd), wide 5,000 606 -> 506 ns (2.55x -> 3.05x), moons step 35.9 -> 32.9 ms.

_OPERATOR_METHODS = {"+": ("__add__", "__radd__"), "-": ("__sub__", "__rsub__"),
                     "*": ("__mul__", "__rmul__"), "/": ("__truediv__", "__rtruediv__")}
_READABLE: dict[str, Callable[..., Any]] = {}  # name -> the readable method it replaces
_FAST: dict[str, Callable[..., Any]] = {}  # name -> the generated method (installed)


def _compute(row: Op, x: str, y: str) -> list[str]:
    """Lines setting `out`, `dx` (and `dy`) from the names x (and y): the row's templates,
    or one fused call for a row whose rule can fail."""
    inline = row.inline
    if inline is None or inline.eager:
        args = f"{x}, {y}" if row.arity == 2 else x
        return [f"out, dx{', dy' if row.arity == 2 else ''} = FUSED({args})"]
    names = {"x": x, "y": y, "out": "out", "p": "None"}
    derivatives = [template.format(**names) for template in inline.local]
    return ([f"out = {inline.forward.format(**names)}", f"dx = {derivatives[0]}"]
            + ([f"dy = {derivatives[1]}"] if row.arity == 2 else []))


def _node_lines(parent0: str, parent1: str, d0: str, d1: str | None, arg: str | None,
                serial: str) -> list[str]:
    """Lines building the node inline: `_node`'s stores, one per line."""
    lines = ["node = _new(Value)", "node.data = out", "node.grad = 0.0", 'node.label = ""',
             "node._row = ROW", f"node._p0 = {parent0}",
             f"node._p1 = {parent1}", f"node._d0 = {d0}"]
    lines += [f"node._d1 = {d1}"] if d1 is not None else []
    lines += [f"node._arg = {arg}"] if arg is not None else []
    return lines + [f"node._serial = {serial}", "return node"]


def _case(test: str, setup: list[str], row: Op, x: str, y: str, fail: str,
          extra_check: str, build: list[str]) -> list[str]:
    """One fast case: `if test:` compute, fall back to `fail` on an error or a non-finite
    value, else build the node."""
    body = setup + ["try:"] + ["    " + line for line in _compute(row, x, y)]
    body += ["except _DOMAIN_ERRORS:", f"    return {fail}",
             f"if out - out{extra_check}:", f"    return {fail}"] + build
    return [f"if {test}:"] + ["    " + line for line in body]


def _binary_source(row: Op, name: str, left: bool) -> str:
    """`self op other` (or `other op self` for the reflected method, left=True)."""
    lines: list[str] = []
    if not left:  # a reflected method is only called when `other` is not a Value
        lines += _case("type(other) is Value", ["x = self.data", "y = other.data"], row, "x",
                       "y", "_binary_checked(self, ROW, other)", "",
                       _node_lines("self", "other", "dx", "dy", None, "_next_serial()"))
    # A float on either side is folded into the node (_d0 is always the Value's derivative)
    x, y = ("other", "self.data") if left else ("self.data", "other")
    d_value, d_number = ("dy", "dx") if left else ("dx", "dy")
    lines += _case("type(other) is float", ["x = " + x, "y = " + y], row, "x", "y",
                   f"_binary_with_constant(self, ROW, other, {left})", " or other - other",
                   _node_lines("self", "None", d_value, d_number, "other",
                               f"_next_serial() + {_NUMBER_FIRST}" if left else "_next_serial()"))
    lines += ["return READABLE(self, other)"]
    return f"def {name}(self, other):\n" + "".join(f"    {line}\n" for line in lines)


def _unary_source(row: Op, name: str) -> str:
    """`self.<method>()` (or `-self`) for a row of one input and no parameter."""
    lines = ["x = self.data", "try:"] + ["    " + line for line in _compute(row, "x", "")]
    lines += ["except _DOMAIN_ERRORS:", "    return _unary_checked(self, ROW)",
              "if out - out:", "    return _unary_checked(self, ROW)"]
    lines += _node_lines("self", "None", "dx", None, None, "_next_serial()")
    return f"def {name}(self):\n" + "".join(f"    {line}\n" for line in lines)


def _generate(row: Op, name: str, source: str) -> Callable[..., Any]:
    """Compile one generated method (the project's own templates, never user text) under a
    file name inside this package, so that compile's read guard sees library code, and with
    its source in linecache, so that a traceback shows the generated lines."""
    readable = _READABLE.setdefault(name, Value.__dict__[name])
    filename = f"{__file__} <Value.{name}, generated from row {row.name!r}>"
    namespace: dict[str, Any] = {
        "Value": Value, "ROW": row, "FUSED": row.fused, "READABLE": readable, "_new": _new,
        "_next_serial": _next_serial, "_DOMAIN_ERRORS": _DOMAIN_ERRORS,
        "_binary_checked": _binary_checked, "_unary_checked": _unary_checked,
        "_binary_with_constant": _binary_with_constant, **INLINE_NAMES}
    defined: dict[str, Any] = {}  # apart from the globals: `tanh` must stay math.tanh there
    exec(compile(source, filename, "exec"), namespace, defined)
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    method: Callable[..., Any] = defined[name]
    method.__qualname__, method.__doc__ = f"Value.{name}", readable.__doc__
    return method


def _method_sources() -> dict[str, tuple[Op, str]]:
    """name -> (row, source) of every generated method."""
    sources = {}
    for row in OPS.values():
        if row.arity == 2 and row.infix in _OPERATOR_METHODS:
            plain, reflected = _OPERATOR_METHODS[row.infix]
            sources[plain] = (row, _binary_source(row, plain, False))
            sources[reflected] = (row, _binary_source(row, reflected, True))
        elif row.arity == 1 and not row.param and (row.method or row.infix == "-"):
            name = row.method or "__neg__"
            sources[name] = (row, _unary_source(row, name))
    return sources


def _install_fast_methods() -> None:
    """Generate the fast methods and set them on the class (no_grad puts the readable ones
    back while it is active: they call the builders it swaps)."""
    for name, (row, source) in _method_sources().items():
        _FAST[name] = _generate(row, name, source)
        setattr(Value, name, _FAST[name])


def generated_method_source(name: str) -> str:
    """The source of the generated fast method `name` ('__mul__', 'relu', ...), as compiled."""
    if name not in _FAST:
        raise KeyError(f"{name!r} is not a generated method; these are: {', '.join(sorted(_FAST))}")
    return "".join(linecache.getlines(_FAST[name].__code__.co_filename))


def readable_method(name: str) -> Callable[..., Any]:
    """The readable method (sections 2 and 3) that the generated fast method `name` replaces:
    what no_grad installs while active, and what the tests compare the fast one with."""
    if name not in _READABLE:
        raise KeyError(f"{name!r} is not a generated method; these are: {', '.join(sorted(_READABLE))}")
    return _READABLE[name]


_install_fast_methods()


# --- no_grad: evaluate without recording a graph ----------------------------------------------
def _result_leaf(out: float) -> Value:
    """A constant leaf holding `out`: what every op returns under no_grad, and a number's node."""
    node = _new(Value)
    node.data = out
    node.grad = 0.0
    node.label = ""
    node._row = None
    node._serial = _next_serial() + _CONSTANT
    return node


def _unary_no_graph(self: Value, op: Op, arg: Any = None) -> Value:
    try:
        out = op.forward(self.data, arg)
    except _DOMAIN_ERRORS as exc:
        raise errors.explain(exc, op, (self,)) from None
    if out - out:
        raise errors.not_finite(op, (self,), out)
    return _result_leaf(out)


def _binary_no_graph(self: Value, op: Op, other: Value) -> Value:
    try:
        out = op.forward(self.data, other.data)
    except _DOMAIN_ERRORS as exc:
        raise errors.explain(exc, op, (self, other)) from None
    if out - out:
        raise errors.not_finite(op, (self, other), out)
    return _result_leaf(out)


def _folded_no_graph(self: Value, op: Op, number: float | int, left: bool) -> Value:
    leaf = constant(number, op.name)
    if leaf is None:  # never: only floats and ints are folded
        raise errors.not_a_number(number, op.name)
    return _binary_no_graph(leaf, op, self) if left else _binary_no_graph(self, op, leaf)


def _many_parents_no_graph(op: Op, parents: tuple[Value, ...], out: float,
                           local: Iterable[float]) -> Value:
    if out - out:
        raise errors.not_finite(op, parents, out)
    return _result_leaf(out)


class no_grad(ContextDecorator):
    """`with autograd.no_grad(): ...` (or `@autograd.no_grad()`): ops record no graph.

    Every op still computes its value with the same checks and errors, but returns a constant
    leaf: no parents, no local derivatives, nothing for backward. For evaluation only
    (`model.predict`, plotting a decision boundary): about half the work and memory per op.

    How: on entry the four node builders of `Value` are swapped for versions that skip the
    derivative rule and the parents (and the generated fast methods for the readable ones,
    which call the builders), and put back on exit; swapping costs nothing when
    no_grad is not in use, where a flag tested in every op would cost every op. Nesting is
    counted. The switch is process-wide (all threads), like the engine itself.
    """

    _depth = 0
    _saved: tuple[Any, ...] = ()

    def __enter__(self) -> "no_grad":
        if no_grad._depth == 0:
            no_grad._saved = (Value.__dict__["_unary"], Value.__dict__["_binary"],
                              Value.__dict__["_folded"], Value.__dict__["_many_parents"])
            # setattr: replacing methods of a class is what this does, on purpose
            for name, builder in (("_unary", _unary_no_graph), ("_binary", _binary_no_graph),
                                  ("_folded", _folded_no_graph),
                                  ("_many_parents", staticmethod(_many_parents_no_graph))):
                setattr(Value, name, builder)
            for name, readable in _READABLE.items():  # they call the builders swapped above
                setattr(Value, name, readable)
        no_grad._depth += 1
        return self

    def __exit__(self, *exc_info: object) -> None:
        no_grad._depth -= 1
        if no_grad._depth == 0:
            for name, builder in zip(("_unary", "_binary", "_folded", "_many_parents"),
                                     no_grad._saved):
                setattr(Value, name, builder)
            for name, fast in _FAST.items():
                setattr(Value, name, fast)
