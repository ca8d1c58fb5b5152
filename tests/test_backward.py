"""Backward semantics: reuse, backward twice, seeding, constants, reflected ops, big graphs.

Values here are exact in binary floating point unless a tolerance is stated.
"""
import math
import random
import re

import pytest

from autograd import Value, gradients, topological_order, vsum, zero_grad


def test_a_plus_a_has_two_parents_and_reuse_accumulates():
    a = Value(3.0, label="a")
    b = a + a
    assert b.parents == (a, a) and b.op == "add"
    c = b + b
    c.backward()
    assert (c.data, a.grad, b.grad, c.grad) == (12.0, 4.0, 2.0, 1.0)


def test_topological_order_lists_each_node_once_parents_first():
    a, b = Value(1.0), Value(2.0)
    c = a * b
    d = c + a
    e = d * c
    order = topological_order(e)
    assert order[-1] is e
    assert len(order) == len({id(n) for n in order}) == 5
    position = {id(n): i for i, n in enumerate(order)}
    for node in order:
        assert all(position[id(p)] < position[id(node)] for p in node.parents)


def _two_level_graph():
    a = Value(2.0, label="a")
    b = a * a  # interior: db/da = 2a = 4
    c = b * 3.0  # dc/db = 3
    return a, b, c


def test_backward_twice_accumulates_leaves_and_recomputes_interior():
    a, b, c = _two_level_graph()
    c.backward()
    assert (a.grad, b.grad, c.grad) == (12.0, 3.0, 1.0)
    c.backward()
    assert a.grad == 24.0  # leaf: accumulated, like PyTorch
    assert (b.grad, c.grad) == (3.0, 1.0)  # interior: recomputed, never 6.0 / 2.0


def test_zero_grad_clears_every_node_of_the_graph():
    a, b, c = _two_level_graph()
    c.backward()
    zero_grad(c)
    assert (a.grad, b.grad, c.grad) == (0.0, 0.0, 0.0)
    c.backward()
    assert a.grad == 12.0


def test_backward_with_a_seed_scales_every_gradient():
    a, b, c = _two_level_graph()
    c.backward(grad=2.5)
    assert (a.grad, b.grad, c.grad) == (30.0, 7.5, 2.5)


def test_plain_numbers_become_constant_leaves():
    v = Value(1.5, label="v")
    out = v * 2 + 0.5
    constants = [n for n in topological_order(out) if n.is_leaf and n is not v]
    assert [n.data for n in constants] == [2.0, 0.5]
    assert all(n.requires_grad is False for n in constants)
    assert v.requires_grad is True and out.requires_grad is True
    frozen = Value(4.0, requires_grad=False)
    assert frozen.requires_grad is False and frozen.detach().requires_grad is False


@pytest.mark.parametrize("make,value,slope", [
    (lambda v: 2 * v, 6.0, 2.0),
    (lambda v: 2.5 * v, 7.5, 2.5),
    (lambda v: v * 2, 6.0, 2.0),
    (lambda v: 1 - v, -2.0, -1.0),
    (lambda v: 1.5 - v, -1.5, -1.0),
    (lambda v: v - 1, 2.0, 1.0),
    (lambda v: 1 + v, 4.0, 1.0),
    (lambda v: 0.5 + v, 3.5, 1.0),
    (lambda v: 1 / v, 1 / 3, -1 / 9),
    (lambda v: 1.5 / v, 0.5, -1.5 / 9),
    (lambda v: v / 2, 1.5, 0.5),
    (lambda v: 2 ** v, 8.0, 8.0 * math.log(2.0)),
    (lambda v: 0.5 ** v, 0.125, 0.125 * math.log(0.5)),
    (lambda v: v ** 2, 9.0, 6.0),
    (lambda v: v ** 2.5, 3.0 ** 2.5, 2.5 * 3.0 ** 1.5),
    (lambda v: v ** Value(2.0), 9.0, 6.0),
    (lambda v: -v, -3.0, -1.0),
    (lambda v: +v, 3.0, 1.0),
])
def test_reflected_and_mixed_operators(make, value, slope):
    v = Value(3.0)
    out = make(v)
    out.backward()
    assert math.isclose(out.data, value, rel_tol=1e-15)
    assert math.isclose(v.grad, slope, rel_tol=1e-15)


def test_value_exponent_gets_its_own_gradient():
    x, y = Value(2.0), Value(3.0)
    out = x ** y
    out.backward()
    assert (out.data, x.grad) == (8.0, 12.0)  # y x^(y-1)
    assert math.isclose(y.grad, 8.0 * math.log(2.0), rel_tol=1e-15)  # x^y log x


def test_gradients_returns_derivatives_without_touching_grad():
    a, b = Value(2.0), Value(-3.0)
    c = a * b + b ** 2
    d_a, d_b = gradients(c, [a, b])
    assert (d_a, d_b) == (-3.0, -4.0)
    assert (a.grad, b.grad, c.grad) == (0.0, 0.0, 0.0)
    assert gradients(c, [a], grad=2.0) == [-6.0]
    unrelated = Value(1.0)
    assert gradients(c, [unrelated]) == [0.0]


def test_deep_chain_of_a_million_nodes_backward_without_recursion():
    n, factor = 10**6, 1.000001
    x = Value(1.0, label="x")
    y = x
    for _ in range(n):
        y = y * factor
    y.backward()
    # d y / d x = factor**n; each of the n products rounds once: relative error <= n * 2**-53.
    assert math.isclose(x.grad, factor ** n, rel_tol=1e-9)
    assert math.isclose(y.data, factor ** n, rel_tol=1e-9)
    assert math.isclose(x.grad, math.e, rel_tol=1e-6)  # (1 + 1/n)**n -> e


def test_wide_sum_of_a_hundred_thousand_products_is_exact():
    rng = random.Random(2)
    n = 10**5
    ws = [Value(rng.uniform(-1.0, 1.0)) for _ in range(n)]
    xs = [Value(rng.uniform(-1.0, 1.0)) for _ in range(n)]
    loss = vsum(w * x for w, x in zip(ws, xs))
    loss.backward()
    assert len(loss.parents) == n
    assert all(w.grad == x.data and x.grad == w.data for w, x in zip(ws, xs))
    assert loss.data == math.fsum(w.data * x.data for w, x in zip(ws, xs))


def test_wide_sum_built_with_plus_is_exact_too():
    n = 10**5
    xs = [Value(float(i % 7) - 3.0) for i in range(n)]
    total = xs[0] * xs[0]
    for x in xs[1:]:
        total = total + x * x  # a chain of 10^5 adds: also a deep graph
    total.backward()
    assert all(x.grad == 2.0 * x.data for x in xs)


@pytest.mark.parametrize("seed,error,words", [
    (math.nan, ValueError, "must be a finite number, got nan"),
    (math.inf, ValueError, "must be a finite number, got inf"),
    ("1.0", TypeError, "must be a number, got str: '1.0'"),
    (None, TypeError, "must be a number, got NoneType"),
])
def test_backward_and_gradients_refuse_a_seed_that_is_not_a_finite_number(seed, error, words):
    a, b, c = _two_level_graph()
    with pytest.raises(error, match=r"backward: grad \(the seed\) " + re.escape(words)):
        c.backward(seed)
    assert (a.grad, b.grad, c.grad) == (0.0, 0.0, 0.0)  # refused before anything was touched
    with pytest.raises(error, match=r"gradients: grad \(the seed\) " + re.escape(words)):
        gradients(c, [a], grad=seed)


def test_numbers_in_vsum_become_constant_leaves_like_in_any_other_op():
    x = Value(1.5, label="x")
    s = vsum([x, 2, 0.5])
    assert [p.requires_grad for p in s.parents] == [True, False, False]
    assert [p.data for p in s.parents[1:]] == [2.0, 0.5]
    s.backward()
    assert (s.data, x.grad) == (4.0, 1.0)
    with pytest.raises(TypeError, match="sum: expected a Value or a real number, got str: 'a'"):
        vsum([x, "a"])


@pytest.mark.parametrize("with_order", [False, True])
def test_a_leaf_with_requires_grad_false_keeps_grad_zero(with_order):
    """One story everywhere: a constant (or data) leaf gets no gradient from backward (diagrams
    and Trace show none); gradients(root, [leaf]) still computes it when asked."""
    c = Value(3.0, label="c", requires_grad=False)
    x = Value(2.0, label="x")
    s = vsum([c * x, c * c, x])  # c on three edges, one of them inside an n-ary sum
    order = topological_order(s) if with_order else None
    for _ in range(2):  # twice: nothing accumulates in c either
        s.backward(order=order) if with_order else s.backward()
    assert c.grad == 0.0 and x.grad == 2 * (3.0 + 1.0)
    assert gradients(s, [c])[0] == pytest.approx(x.data + 2 * c.data)
    folded = x * 2.0  # a folded number's constant leaf too
    folded.backward()
    assert [p.grad for p in folded.parents] == [x.grad, 0.0]
