"""The fast paths of the object engine (issue 12, part 6) against the long way they replace.

- every row's rule, now DERIVED from its derivative formulas (issue 18), is BITWISE the rule
  the engine computed before (tests/rules_today.py, a frozen copy), over the same grid;
- every row's fused forward + rule (`Op.fused`) is BITWISE the row's own `forward` and `local`
  (or raises where they raise), over a grid with kinks, ties, +-0, subnormals and huge values;
- a plain number folded into its op node (`x * 2.0`) gives the same values, local derivatives,
  gradients (bitwise), parents, errors and creation order as the constant leaf it replaces;
- backward's walk, which marks nodes by a zero of its own instead of a `seen` set, recomputes
  interior grads on every call and visits a node used many times once.
Every comparison is exact (==, or bit patterns): both sides do the same float operations.
"""
from __future__ import annotations

import itertools
import struct

import pytest

from autograd import OPS, Value, backward, no_grad
from autograd.graph import creation_order

from rules_today import LOCAL as TODAY

GRID = [0.0, -0.0, 5e-324, -5e-324, 1e-300, 0.5, -0.5, 1.0, -1.0, 2.0, -3.0, 0.1, 7.25,
        1e10, -1e10, 709.0, 710.0, -745.5, 1e300, -1e300]
POW_EXPONENTS = [0, 1, 2, 3, -1, -2, 0.5, 2.5, -1.5]


def _bits(values) -> list:
    return [struct.pack("<d", v) if isinstance(v, float) else v for v in values]


def _long_way(row, args):
    """(out, *locals) by the row's forward and rule, or the exception type they raise."""
    try:
        if row.arity == 1:
            out = row.forward(*args)
            return (out, *row.local(args[0], out, args[1]))
        out = row.forward(*args)
        return (out, *row.local(*args, out))
    except (ArithmeticError, ValueError) as exc:
        return type(exc)


def _points(row):
    if row.arity == 2:
        return list(itertools.product(GRID, repeat=2))
    if row.name == "pow":
        return [(x, p) for x in GRID for p in POW_EXPONENTS]
    return [(x, None) for x in GRID]


@pytest.mark.parametrize("row", [r for r in OPS.values() if r.arity in (1, 2)], ids=lambda r: r.name)
def test_every_fused_call_is_bitwise_the_rows_forward_and_rule(row):
    for args in _points(row):
        expected = _long_way(row, args)
        try:
            got = row.fused(*args)
        except (ArithmeticError, ValueError):
            # the builders then run the long way, which raises the row's own error
            assert isinstance(expected, type), (row.name, args)
            continue
        if isinstance(expected, type):  # the long way raised in the rule: the fused call
            continue                    # may return a non-finite value (checked below)
        assert _bits(got) == _bits(expected), (row.name, args, got, expected)


def _outcome(local, row, args):
    """(out, *locals) by the row's forward and `local`, or the exception type raised."""
    try:
        if row.arity == 0:
            out = row.forward(list(args))
            return (out, *local(list(args), out))
        if row.arity == 1:
            out = row.forward(*args)
            return (out, *local(args[0], out, args[1]))
        out = row.forward(*args)
        return (out, *local(*args, out))
    except (ArithmeticError, ValueError) as exc:
        return type(exc)


@pytest.mark.parametrize("row", [r for r in OPS.values() if r.name in TODAY], ids=lambda r: r.name)
def test_every_rule_derived_from_formulas_is_bitwise_todays_rule(row):
    points = (list(itertools.product(GRID[:12], repeat=3)) if row.arity == 0
              else _points(row))
    checked = 0
    for args in points:
        want, got = _outcome(TODAY[row.name], row, args), _outcome(row.local, row, args)
        if isinstance(want, type):
            assert got is want, (row.name, args, got, want)  # the same error, or none
            continue
        assert _bits(got) == _bits(want), (row.name, args, got, want)
        checked += 1
    assert checked >= 10, row.name


def test_rows_with_templates_get_compiled_fused_calls_and_others_the_composition():
    assert OPS["mul"].fused.__name__ == "fused_mul"  # from the checked templates
    assert OPS["relu"].fused.__name__ == "fused_relu"
    assert OPS["div"].fused.__name__ == "fused_binary"  # its rule can raise: the composition
    assert OPS["pow_value"].fused.__name__ == "fused_binary"  # no templates


def _pairs():
    """(folded, with an explicit constant leaf) for every operator a number can fold into."""
    x = Value(1.75, label="x")
    c = lambda v: Value(v, requires_grad=False)  # noqa: E731  the constant the old engine made
    return x, [(x + 2.0, x + c(2.0)), (2.0 + x, c(2.0) + x), (x - 3, x - c(3.0)),
               (3 - x, c(3.0) - x), (x * 0.1, x * c(0.1)), (0.1 * x, c(0.1) * x),
               (x / 7, x / c(7.0)), (7 / x, c(7.0) / x)]


def test_a_folded_number_gives_the_values_locals_and_gradients_of_a_constant_leaf():
    x, pairs = _pairs()
    for folded, explicit in pairs:
        assert folded.op == explicit.op and folded.data == explicit.data
        for root in (folded, explicit):
            x.grad = 0.0
            (root * root).backward()  # the folded node is interior here
            if root is folded:
                grad_folded = x.grad
        assert _bits([grad_folded]) == _bits([x.grad])
        assert folded.local == explicit.local
        assert [p.data for p in folded.parents] == [p.data for p in explicit.parents]
        assert [p.requires_grad for p in folded.parents] == [p.requires_grad
                                                              for p in explicit.parents]
        # the constant's grad: what the node passed it, as the explicit leaf received it
        assert [p.grad for p in folded.parents if p is not x] == [
            p.grad for p in explicit.parents if p is not x]


def test_the_constant_of_a_folded_number_is_made_once_and_kept():
    x = Value(3.0)
    y = x * 2
    first = y.parents
    assert first[0] is x and first[1].is_leaf and first[1].data == 2.0
    assert type(first[1].data) is float and type(y.local[0]) is float  # an int folds as a float
    assert y.parents[1] is first[1] and y._prev[1] is first[1]
    z = 5 - x
    assert z.local == (1.0, -1.0) and z.parents[1] is x and z.parents[0] is z.parents[0]


def test_creation_order_lists_folded_constants_before_their_node():
    x = Value(0.5)
    y = ((x * 1.0001 + 0.0001).relu() * 3).tanh()
    order = creation_order(y)
    position = {id(n): i for i, n in enumerate(order)}
    assert len(order) == 9  # x, 3 constants, 5 op nodes
    for node in order:
        for parent in node.parents:
            assert position[id(parent)] < position[id(node)]


@pytest.mark.parametrize("make, error, message", [
    (lambda x: x / 0, ZeroDivisionError, r"div\(2\.0, 0\.0\): division by zero"),
    (lambda x: x * float("inf"), ValueError, r"mul: a constant must be a finite float, got inf"),
    (lambda x: x + 10 ** 400, ValueError, r"add: a constant must be a finite float"),
    (lambda x: x * 1e308, OverflowError, r"mul\(2\.0 \(node .x.\), 1e\+308\) = inf is not"),
    (lambda x: 0 / (x - 2), ZeroDivisionError, r"div\(0\.0, 0\.0\)"),
])
def test_a_folded_number_that_fails_raises_the_constant_leafs_error(make, error, message):
    with pytest.raises(error, match=message):
        make(Value(2.0, label="x"))


def test_no_grad_folds_nothing_and_records_nothing():
    x = Value(2.0)
    with no_grad():
        y = 3 * x + 1
    assert y.is_leaf and y.data == 7.0 and not y.requires_grad
    z = 3 * x + 1  # builders restored on exit
    assert not z.is_leaf and z.parents[0].parents[0].data == 3.0


def test_backward_twice_recomputes_interior_grads_and_visits_a_shared_node_once():
    x = Value(0.5)
    h = x * 1.5
    y = h * h + h * 2.0  # h is reached along three edges
    y.backward()
    first = (x.grad, h.grad)
    assert first == (1.5 * (2 * 0.75 + 2.0), 2 * 0.75 + 2.0)
    y.backward()  # leaves accumulate, interior grads are recomputed (not doubled)
    assert (x.grad, h.grad) == (2 * first[0], first[1])
    backward(y, order=creation_order(y))
    assert (x.grad, h.grad) == (3 * first[0], first[1])
