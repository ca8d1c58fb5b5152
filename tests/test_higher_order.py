"""Higher-order derivatives: every op's 2nd and 3rd derivatives, and Hessians, against sympy.

The per-op test loops over `autograd.OPS` (through the catalogue in tests/op_catalogue.py), so an
op added to the table is checked here without editing this file. Tolerance: every comparison is
|engine - sympy| <= 1e-9 * (1 + |sympy|): the engine evaluates the same closed forms in float
arithmetic, so only a few ulps of rounding per op separate it from sympy's 30-digit value.
"""
import itertools
import math

import pytest
import sympy

from autograd import OPS, Value, as_value, gradients, grad
from autograd.higher import hessian, hvp, value_grad_hessian
from autograd.gradients import local_on_nodes
from op_catalogue import ALL_CASES, CATALOGUE, build_on_values, symbols_for

REL = 1e-9
# rows whose rule is python expressions (ties, kinks): piecewise constants, a fact of the row
TIE_AND_KINK_OPS = tuple(name for name, row in OPS.items() if isinstance(row.rule, tuple))


def close(engine, exact, rel=REL):
    return abs(engine - exact) <= rel * (1.0 + abs(exact))


def exact_at(expr, symbols, point):
    """expr at `point`, evaluated by sympy to 30 digits, as a float."""
    return float(expr.subs(dict(zip(symbols, map(sympy.Float, point)))).evalf(30))


def derivative_tensors(leaves, out):
    """{(i, j): d2 out/dx_i dx_j, (i, j, k): d3 out/...} from the engine, every index combination."""
    found = {}
    first = gradients(out, leaves, create_graph=True)
    for i, g_i in enumerate(first):
        second = gradients(g_i, leaves, create_graph=True)
        for j, h_ij in enumerate(second):
            found[(i, j)] = h_ij.data
            for k, t_ijk in enumerate(gradients(h_ij, leaves)):
                found[(i, j, k)] = t_ijk
    return found


def cases_for(op_name):
    primary = CATALOGUE.get(op_name)
    assert primary is not None, f"op {op_name!r} is in autograd.OPS but has no case in op_catalogue"
    return [case for case in ALL_CASES if case.op == op_name]


@pytest.mark.parametrize("op_name", sorted(OPS))
def test_rule_gives_the_same_numbers_on_floats_and_on_values(op_name):
    # The create_graph path evaluates the rule on nodes; the fast path stored floats. Same table.
    for case in cases_for(op_name):
        for point in case.points + [p for p, _ in case.kinks]:
            _, out = build_on_values(case, point)
            as_nodes = local_on_nodes(out)
            as_data = [d.data if isinstance(d, Value) else d for d in as_nodes]
            assert len(as_data) == len(out.local), case.label
            for mine, stored in zip(as_data, out.local):
                assert close(mine, stored, 1e-15), (case.label, point, as_data, out.local)


@pytest.mark.parametrize("op_name", sorted(OPS))
def test_a_rule_on_values_keeps_every_derivative_that_is_not_constant_as_a_node(op_name):
    # A rule written with math.cos(x) instead of apply("cos", x) would turn the node into a
    # float and silently cut every higher derivative. So: wherever sympy says the local
    # derivative d out/d x_i still depends on an input, the rule must return a Value for it
    # (a float is allowed only for a locally constant derivative: add's 1, relu's 0/1 switch).
    for case in cases_for(op_name):
        xs = symbols_for(case)
        expr = case.sympy(*xs)
        for point in case.points:
            _, out = build_on_values(case, point)
            for i, local in enumerate(local_on_nodes(out)):
                first = sympy.diff(expr, xs[i])
                varies = any(exact_at(sympy.diff(first, x), xs, point) != 0.0 for x in xs)
                if varies:
                    assert isinstance(local, Value), (
                        f"{case.label} at {point}: the rule returned the float {local!r} for "
                        f"d/d{xs[i]}, which is not constant there: write the rule with "
                        "operators and autograd.ops.apply, not math, so it stays a node")


@pytest.mark.parametrize("op_name", sorted(OPS))
def test_second_and_third_derivatives_match_sympy(op_name):
    for case in cases_for(op_name):
        xs = symbols_for(case)
        expr = case.sympy(*xs)
        indices = [ix for n in (2, 3) for ix in itertools.product(range(case.arity), repeat=n)]
        exact_forms = {ix: sympy.diff(expr, *(xs[i] for i in ix)) for ix in indices}
        for point in case.points:
            leaves, out = build_on_values(case, point)
            engine = derivative_tensors(leaves, out)
            for ix in indices:
                exact = exact_at(exact_forms[ix], xs, point)
                assert close(engine[ix], exact), (case.label, point, ix, engine[ix], exact)


@pytest.mark.parametrize("op_name", TIE_AND_KINK_OPS)
def test_tie_and_kink_ops_have_zero_second_derivative_even_at_the_kink(op_name):
    case = CATALOGUE[op_name]
    for point in case.points + [p for p, _ in case.kinks]:
        leaves, out = build_on_values(case, point)
        engine = derivative_tensors(leaves, out)
        assert all(value == 0.0 for value in engine.values()), (op_name, point, engine)


def sympy_hessian(expr, symbols, point):
    return [[exact_at(sympy.diff(expr, a, b), symbols, point) for b in symbols] for a in symbols]


def assert_matrix_close(engine, exact, rel=REL):
    assert len(engine) == len(exact)
    for row_e, row_x in zip(engine, exact):
        assert len(row_e) == len(row_x)
        assert all(close(a, b, rel) for a, b in zip(row_e, row_x)), (engine, exact)


X, Y = sympy.symbols("x y", real=True)
GRID = [(-1.2, 1.0), (0.0, 0.0), (1.0, 1.0), (0.5, -2.0), (2.0, 3.5)]


def test_hessian_of_seed_001_q13_is_the_constant_8_12_18():
    # f = (2x + 3y)^2, grad = [8x + 12y, 12x + 18y] (seed 001 Q13), so H = [[8, 12], [12, 18]].
    f = lambda x, y: (2 * x + 3 * y) ** 2
    for point in GRID:
        assert hessian(f, list(point)) == [[8.0, 12.0], [12.0, 18.0]]
        assert_matrix_close(hessian(f, list(point)), sympy_hessian((2 * X + 3 * Y) ** 2, (X, Y), point))


def test_hessian_of_rosenbrock_matches_sympy():
    f = lambda x, y: (1 - x) ** 2 + 100 * (y - x * x) ** 2
    exact = (1 - X) ** 2 + 100 * (Y - X ** 2) ** 2
    for point in GRID:
        assert_matrix_close(hessian(f, list(point)), sympy_hessian(exact, (X, Y), point))


def tiny_mlp_loss(w1, w5, sigmoid, square):
    """Seed 002's 2-2-1 sigmoid net, loss 1/2 (yhat - y)^2, as a function of weights w1 and w5.

    w1 is W1[0][0] (input 1 -> hidden 1), w5 is W2[0] (hidden 1 -> output); the other weights
    stay at the seed's values. The same code builds Values or sympy expressions.
    """
    x1, x2, target = 0.05, 0.10, 0.01
    h1 = sigmoid(w1 * x1 + 0.20 * x2 + 0.35)
    h2 = sigmoid(0.25 * x1 + 0.30 * x2 + 0.35)
    yhat = sigmoid(w5 * h1 + 0.45 * h2 + 0.60)
    return square(yhat - target) / 2


def test_hessian_of_a_small_mlp_loss_wrt_two_weights_matches_sympy():
    engine_loss = lambda w1, w5: tiny_mlp_loss(w1, w5, lambda z: as_value(z).sigmoid(),
                                                     lambda z: z * z)
    sym_sigmoid = lambda z: 1 / (1 + sympy.exp(-z))
    exact = tiny_mlp_loss(X, Y, sym_sigmoid, lambda z: z ** 2)
    for point in [(0.15, 0.40), (-1.0, 2.0), (3.0, -0.5)]:  # the seed's weights first
        assert_matrix_close(hessian(engine_loss, list(point)), sympy_hessian(exact, (X, Y), point))


def test_hvp_equals_the_hessian_times_the_vector():
    f = lambda x, y, z: (x * y).tanh() + (y - z).exp() * x + z.sigmoid() / (1 + x * x)
    point, vector = [0.3, -1.1, 0.8], [2.0, -0.5, 1.5]
    h = hessian(f, point)
    product = [sum(a * b for a, b in zip(row, vector)) for row in h]
    assert all(close(a, b, 1e-12) for a, b in zip(hvp(f, point, vector), product))


def test_value_inputs_give_value_hessians_that_differentiate_again():
    # f = x^3 y^2: H = [[6 x y^2, 6 x^2 y], [6 x^2 y, 2 x^3]]; H[0][0]'s derivatives are 6 y^2 (in x) and 12 x y (in y).
    x, y = Value(1.5, label="x"), Value(-2.0, label="y")
    h = hessian(lambda a, b: a ** 3 * b ** 2, [x, y])
    assert all(isinstance(entry, Value) for row in h for entry in row)
    assert [[e.data for e in row] for row in h] == [[36.0, -27.0], [-27.0, 6.75]]
    assert gradients(h[0][0], [x, y]) == [24.0, -36.0]
    hv = hvp(lambda a, b: a ** 3 * b ** 2, [x, y], [1.0, 0.0])  # column 0 of H, as Values
    assert [e.data for e in hv] == [36.0, -27.0]
    assert gradients(hv[1], [x, y]) == [-36.0, 13.5]  # d/dx and d/dy of 6 x^2 y
    assert x.grad == 0.0 and y.grad == 0.0  # Hessians never touch .grad


def test_grad_composes_to_third_derivatives():
    # third derivatives: (x^4)''' = 24 x and (x e^x)''' = (x + 3) e^x
    assert close(grad(grad(grad(lambda x: x ** 4)))(1.5), 24 * 1.5)
    assert close(grad(grad(grad(lambda x: x.exp() * x)))(0.7), 3.7 * math.exp(0.7))


def test_value_grad_hessian_returns_all_three():
    value, gradient, h = value_grad_hessian(lambda x, y: x * x * y, [3.0, 2.0])
    assert (value, gradient, h) == (18.0, [12.0, 9.0], [[4.0, 6.0], [6.0, 0.0]])


@pytest.mark.parametrize("call, error, words", [
    (lambda: hessian(lambda x, y: [x, y], [1.0, 2.0]), TypeError, "one scalar"),
    (lambda: hessian(lambda x: x, []), ValueError, "inputs is empty"),
    (lambda: hessian(lambda x: x, 2.0), TypeError, "wrap it"),
    (lambda: hessian(lambda x: x, ["a"]), TypeError, "input 0 must be a number"),
    (lambda: hvp(lambda x, y: x * y, [1.0, 2.0], [1.0]), ValueError, "one entry per input (2)"),
    (lambda: hvp(lambda x, y: x * y, [1.0, 2.0], [1.0, None]), TypeError, "vector entry 1"),
    (lambda: hvp(lambda x: x * x, [1.0], 2.0), TypeError, "single float 2.0; wrap it: [v]"),
])
def test_bad_input_is_refused_with_a_specific_message(call, error, words):
    with pytest.raises(error) as info:
        call()
    assert words in str(info.value)


def test_a_double_backward_graph_draws_like_any_other_graph():
    import re

    from autograd import topological_order
    from autograd.diagram import draw

    # y = tanh(x^2); dy = 2x (1 - tanh(x^2)^2) is recorded as a graph; backward through it gives
    # y'' = 2 (1 - t^2)(1 - 4 x^2 t) with t = tanh(x^2): 1.4196 at x = 0.5, drawn with 4
    # significant digits (1.420, trailing zero dropped).
    x = Value(0.5, label="x")
    dy = gradients((x * x).tanh(), [x], create_graph=True)[0]
    dy.backward()
    source = draw(dy, view="backward").source
    op_nodes = [node for node in topological_order(dy) if not node.is_leaf]
    drawn_ops = re.findall(r"^\s*o\d+ \[label=(\S+)", source, flags=re.M)
    assert len(drawn_ops) == len(op_nodes) >= 5
    assert {"tanh", '"*"', '"-"', '"+"'} <= set(drawn_ops)
    assert "{x | data 0.5 | grad 1.42}" in source
