"""Every row of `autograd.OPS` against sympy's exact derivative and central finite differences.

The tests loop over `op_catalogue`, which must have a case for every op of the table, so an op
added to the table is covered automatically (or the coverage test fails until it is).
Tolerances: value and gradient vs sympy |engine - exact| <= 1e-12 |exact| + 1e-15 (the 1e-15
absolute floor covers results near 0, e.g. tanh'(6) = 1 - out**2 is 2.46e-5 computed from a
rounded out); vs central differences with h = 1e-6 max(1, |x|), an error of 1e-6 relative to
max(1, |f|, |f'|) (truncation ~h**2 plus round-off ~1e-16 |f| / h).
"""
import math

import pytest

from autograd import OPS, Value
from op_catalogue import ALL_CASES, CATALOGUE, build_on_values, exact_gradient, exact_value

POINTS = [(case, point) for case in ALL_CASES for point in case.points]
KINKS = [(case, point, expected) for case in ALL_CASES for point, expected in case.kinks]


def _ids(item):
    return f"{item[0].label}@{item[1]}"


def _close_to_exact(got, exact):
    return abs(got - exact) <= 1e-12 * abs(exact) + 1e-15


def test_catalogue_has_exactly_one_case_per_op_in_the_table():
    assert set(CATALOGUE) == set(OPS), (
        f"ops without a catalogue case: {sorted(set(OPS) - set(CATALOGUE))}; "
        f"stale cases: {sorted(set(CATALOGUE) - set(OPS))}")


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda c: c.label)
def test_case_builds_a_node_of_its_op_with_the_declared_arity(case):
    assert case.points, "a case needs at least one probe point"
    leaves, out = build_on_values(case, case.points[0])
    assert out.op == case.op
    assert len(out.parents) == case.arity
    assert OPS[case.op].arity in (case.arity, 0)  # 0: the n-ary sum takes any number


@pytest.mark.parametrize("case,point", POINTS, ids=[_ids(p) for p in POINTS])
def test_value_and_gradient_match_sympy(case, point):
    leaves, out = build_on_values(case, point)
    out.backward()
    assert _close_to_exact(out.data, exact_value(case, point)), (out.data, exact_value(case, point))
    for leaf, exact in zip(leaves, exact_gradient(case, point)):
        assert _close_to_exact(leaf.grad, exact), (leaf.label, leaf.grad, exact)


def _numeric_gradient(case, point):
    grads = []
    for i, x in enumerate(point):
        h = 1e-6 * max(1.0, abs(x))
        up, down = list(point), list(point)
        up[i] += h
        down[i] -= h
        f_up = case.apply(*[Value(v) for v in up]).data
        f_down = case.apply(*[Value(v) for v in down]).data
        grads.append((f_up - f_down) / (up[i] - down[i]))
    return grads


# max_shift passes no gradient by definition (a stop-gradient max): its slope is not its rule.
SLOPE_POINTS = [(case, point) for case, point in POINTS if case.slope]


@pytest.mark.parametrize("case,point", SLOPE_POINTS, ids=[_ids(p) for p in SLOPE_POINTS])
def test_gradient_matches_central_differences(case, point):
    leaves, out = build_on_values(case, point)
    out.backward()
    for leaf, numeric in zip(leaves, _numeric_gradient(case, point)):
        scale = max(1.0, abs(out.data), abs(leaf.grad))
        assert abs(leaf.grad - numeric) <= 1e-6 * scale, (leaf.label, leaf.grad, numeric)


@pytest.mark.parametrize("case,point,expected", KINKS, ids=[_ids(k) for k in KINKS])
def test_kink_and_tie_conventions(case, point, expected):
    leaves, out = build_on_values(case, point)
    out.backward()
    assert tuple(leaf.grad for leaf in leaves) == expected


def test_ties_go_to_the_first_input_in_either_order():
    for first, second in ((2.0, 2.0), (-0.0, 0.0), (0.0, -0.0)):
        a, b = Value(first), Value(second)
        a.max(b).backward()
        assert (a.grad, b.grad) == (1.0, 0.0)
        c, d = Value(first), Value(second)
        c.min(d).backward()
        assert (c.grad, d.grad) == (1.0, 0.0)


def test_relu_and_abs_have_zero_derivative_at_zero():
    for make in (lambda v: v.relu(), lambda v: abs(v), lambda v: v.abs()):
        for zero in (0.0, -0.0):
            v = Value(zero)
            out = make(v)
            out.backward()
            assert out.data == 0.0 and v.grad == 0.0


@pytest.mark.parametrize("x,value,slope", [(1000.0, 1.0, 0.0), (-1000.0, 0.0, 0.0),
                                           (800.0, 1.0, 0.0), (-800.0, 0.0, 0.0)])
def test_sigmoid_exact_limits(x, value, slope):
    v = Value(x)
    out = v.sigmoid()
    out.backward()
    assert (out.data, v.grad) == (value, slope)


@pytest.mark.parametrize("x,value", [(1000.0, 1.0), (-1000.0, -1.0)])
def test_tanh_exact_limits(x, value):
    v = Value(x)
    out = v.tanh()
    out.backward()
    assert (out.data, v.grad) == (value, 0.0)


def test_softplus_is_stable_far_out():
    big = Value(1000.0)
    out = big.softplus()
    out.backward()
    assert out.data == 1000.0 and big.grad == 1.0  # log(1 + e^1000) = 1000 + log1p(e^-1000)
    small = Value(-1000.0)
    out = small.softplus()
    out.backward()
    assert out.data == 0.0 and small.grad == 0.0  # e^-1000 underflows to exactly 0
    mid = Value(-30.0)
    assert math.isclose(mid.softplus().data, math.exp(-30.0), rel_tol=1e-12)  # log1p(e^x) ~ e^x


def test_every_op_has_a_symbol_and_one_edge_formula_per_input_for_diagrams():
    names = {"x": "a", "y": "b", "out": "c", "p": 3}
    for name, op in OPS.items():
        assert op.name == name
        assert op.symbol and op.arity in (0, 1, 2)
        assert len(op.edges) == max(op.arity, 1), name  # n-ary: one template for every input
        for index in range(max(op.arity, 1)):
            formula = op.edge_formula(index, names)
            assert isinstance(formula, str) and "{" not in formula, (name, formula)


def test_every_named_method_is_generated_from_its_row_with_the_rows_docstring():
    named = {op.method: op for op in OPS.values() if op.method}
    assert {"exp", "log", "sqrt", "sigmoid", "tanh", "relu", "softplus", "abs", "max",
            "min"} <= set(named)
    for method, op in named.items():
        assert getattr(Value, method).__doc__ == op.doc and op.doc, method
        x = Value(0.5)
        out = getattr(x, method)() if op.arity == 1 else getattr(x, method)(0.25)
        assert out.op == op.name and out.data == op.forward(*((0.5, None) if op.arity == 1
                                                             else (0.5, 0.25)))


def test_a_leaf_has_no_local_derivatives_in_either_form():
    from autograd.gradients import local_on_nodes
    leaf = Value(2.0)
    assert leaf.local == () and local_on_nodes(leaf) == ()
