"""The chain rule two ways: `explain` (a gradient as a sum over paths) and forward mode (`jvp`,
`jacobian(mode="forward")`, `hvp(mode="forward")`), each checked against reverse mode.

Random graphs reuse nodes (every op of the table, via tests/op_catalogue.py; draws hitting a
domain error are discarded). Tolerance for a sum compared across two orders of addition:
|a - b| <= 1e-12 x (the sum of the absolute values of the terms), the relative error that
rounding allows whatever the cancellation (a plain relative 1e-12 of a result that cancels to
near 0 would ask for more digits than the terms hold).
"""
import math
import time

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import nn
from autograd import (Explanation, Value, explain, gradients, hessian, hvp, jacobian, jvp,
                      topological_order)
from autograd.examples import seed001_jacobians, seed002_net221_sgd
from autograd.graph import all_nodes
from autograd.paths import count_paths
from autograd.tangents import push_tangents
from op_catalogue import ALL_CASES, draw_steps

TOL = 1e-12
_CASES = {case.label: case for case in ALL_CASES if case.slope}
_DOMAIN_ERRORS = (ValueError, ZeroDivisionError, OverflowError)


@st.composite
def dags(draw):
    """(input values, steps): each step applies an op case to earlier nodes (reuse likely)."""
    inputs = draw(st.lists(st.floats(-2.0, 2.0).filter(lambda x: abs(x) > 1e-3),
                           min_size=1, max_size=3))
    return inputs, draw_steps(draw, _CASES, len(inputs), max_steps=10, window=3)


def build(inputs, steps):
    """(leaves, output), or a discarded draw when an op leaves its domain."""
    leaves = [Value(x, label=f"x{i}") for i, x in enumerate(inputs)]
    try:
        return leaves, apply_steps(leaves, steps)
    except _DOMAIN_ERRORS:
        assume(False)


def apply_steps(leaves, steps):
    """The output of the graph `steps` describes, built on the given input nodes."""
    nodes = list(leaves)
    for label, parents in steps:
        nodes.append(_CASES[label].apply(*[nodes[i] for i in parents]))
    return nodes[-1]


def close(a, b, scale):
    return abs(a - b) <= TOL * scale + 1e-300


# --- explain -----------------------------------------------------------------------------------
def test_reuse_is_two_paths_and_the_sum_is_the_gradient():
    a = Value(3.0, label="a")
    b = (a * a).named("b")
    c = (b + a).named("c")
    e = explain(c, a)
    assert (e.count, e.total) == (3, 7.0)  # b = a*a passes a twice: 3 + 3, plus c = b + a: 1
    assert [p.product for p in e.paths] == [3.0, 3.0, 1.0]
    assert [p.edges for p in e.paths] == [(0, 0), (0, 1), (1,)]  # the two edges of a * a
    assert e.paths[0].text() == "∂c/∂b · ∂b/∂a = 1.0 × 3.0 = 3.0"
    c.backward()
    assert a.grad == e.total == 7.0
    assert "sum (math.fsum) = 7.0" in str(e) and "∂c/∂a = sum over 3 paths = 7.0" in str(e)


def test_seed002_w1_21_is_one_path_the_homework_multiplies_by_hand():
    stage = seed002_net221_sgd.build().stages[0]
    stage.run()
    w = next(n for n in topological_order(stage.root) if n.label == "W1_21")
    e = explain(stage.root, w)
    assert e.count == 1 and not e.grouped
    assert e.paths[0].text() == ("∂L/∂yhat · ∂yhat/∂z2 · ∂z2/∂a1_2 · ∂a1_2/∂z1_2 · ∂z1_2/∂W1_21"
                                 " = 0.7414 × 0.1868 × 0.45 × 0.2406 × 0.05 = 0.0007498")
    # the hand solution used unit 1's sigma' (0.2413) and printed 0.0007487
    assert abs(e.total - w.grad) <= TOL * abs(w.grad)
    full = e.paths[0].text(compact=False)  # one factor per edge: the ops inside w·x + b as #k
    assert full.startswith("∂L/∂#") and full.count("·") == 10


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(dags())
def test_explain_sums_equal_backward_on_random_dags_with_reuse(graph):
    leaves, out = build(*graph)
    out.backward()
    for leaf in leaves:
        if leaf not in set(topological_order(out)):
            continue
        listed = explain(out, leaf, limit=10_000)
        scale = math.fsum(abs(p.product) for p in listed.paths)
        assert listed.count == len(listed.paths) >= 1
        assert close(listed.total, leaf.grad, scale), (listed.total, leaf.grad)
        grouped = explain(out, leaf, limit=0)  # every path in groups, never listed
        assert grouped.count == listed.count and grouped.paths == ()
        assert sum(g.count for g in grouped.groups) == listed.count
        assert close(grouped.total, leaf.grad, scale), (grouped.total, leaf.grad)


def test_two_to_the_forty_paths_are_counted_and_grouped_without_listing():
    a = Value(1.1, label="a")
    v = a
    for i in range(40):  # each step a diamond: sin(v) and cos(v)*0.5 both come from v
        v = (v.sin() + v.cos() * 0.5).named(f"d{i}")
    start = time.perf_counter()
    e = explain(v, a)
    seconds = time.perf_counter() - start
    assert e.count == 2 ** 40 and e.grouped and e.paths == ()
    assert sum(g.count for g in e.groups) == 2 ** 40
    assert seconds < 1.0, seconds  # about 5 ms measured: linear in the 200 nodes, not 10**12
    v.backward()
    assert abs(e.total - a.grad) <= TOL * abs(a.grad)
    huge = count_paths(v, a)  # exact integers well past floats' range of exact counts
    assert huge.into[v] == 2 ** 40 and huge.onto[a] == 2 ** 40


def test_mlp_paths_group_by_hidden_unit_when_above_the_limit():
    model = nn.MLP(2, [16, 16, 1], activation="tanh", seed=0)
    x = [Value(0.5, label="x1", requires_grad=False), Value(-1.0, label="x2", requires_grad=False)]
    loss = ((model(x) - 1.0) ** 2).named("loss")
    loss.backward()
    w = model.parameters()[0]  # a first-layer weight: 16 paths, one per second-layer unit
    assert explain(loss, w).count == 16
    e = explain(loss, w, limit=10)
    assert e.grouped and len(e.groups) == 16 and all(g.count == 1 for g in e.groups)
    assert {g.name for g in e.groups} == {f"layers.1.neurons.{k}.a" for k in range(16)}
    assert abs(e.total - w.grad) <= TOL * math.fsum(abs(g.total) for g in e.groups)
    x0 = Value(0.5, label="x0")  # an input feeds all 16 first-layer units: 256 paths
    out = model([x0, Value(-1.0, requires_grad=False)])
    out.backward()
    e = explain(out, x0)
    assert e.count == 256 and e.grouped and sum(g.count for g in e.groups) == 256
    assert len(e.groups) == 16 and {g.count for g in e.groups} == {16}
    assert "16 paths through layers." in str(e)
    assert abs(e.total - x0.grad) <= TOL * math.fsum(abs(g.total) for g in e.groups)


def test_wrt_root_is_one_empty_path_and_bad_arguments_are_named():
    a = Value(2.0, label="a")
    e = explain(a, a)
    assert (e.count, e.total, e.paths[0].text()) == (1, 1.0, "∂a/∂a = 1.0")
    b = Value(1.0, label="lonely")
    with pytest.raises(ValueError, match="'lonely', is not in the graph of root 'out'"):
        explain((a * 2).named("out"), b)
    with pytest.raises(TypeError, match="two Values, got float"):
        explain(a, 1.0)
    with pytest.raises(ValueError, match="limit must be an int >= 0"):
        explain(a, a, limit=-1)
    with pytest.raises(ValueError, match="max_groups must be an int >= 1"):
        Explanation(a, a, max_groups=0)


def test_names_are_escaped_in_html_and_terminal():
    a = Value(2.0, label="<b>w\x1b[31m")
    out = (a * a).named("L&")
    e = explain(out, a)
    page = e._repr_html_()
    assert "&lt;b&gt;" in page and "L&amp;" in page and "<b>" not in page
    assert "\x1b" not in str(e) and "\\x1b[31m" in str(e)
    assert isinstance(e, Explanation) and "2 paths" in repr(e)


# --- forward mode ------------------------------------------------------------------------------
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(dags(), st.lists(st.floats(-2.0, 2.0), min_size=3, max_size=3))
def test_jvp_equals_the_reverse_mode_directional_derivative(graph, direction):
    inputs, steps = graph
    leaves, out = build(inputs, steps)
    v = direction[:len(inputs)]
    grads = gradients(out, leaves)
    terms = [g * t for g, t in zip(grads, v)]

    def f(*xs):
        return apply_steps(xs, steps)

    value, dot = jvp(f, inputs, v)
    assert value == out.data
    # The rounding bound of either sweep is over the PATHS, not the terms: a tangent of 1e-290
    # added to one of 1.0 is lost, and paths that cancel (a gradient of 0 made of +1 and -1)
    # leave the lost part out of the exact result (found by hypothesis: dot 0.0 vs 4.2e-290).
    reached = set(all_nodes(out))
    scale = math.fsum(abs(t) * math.fsum(abs(path.product) for path in explain(out, leaf).paths)
                      for leaf, t in zip(leaves, v) if leaf in reached)
    assert close(dot, math.fsum(terms), scale), (dot, terms, scale)


def test_forward_jacobians_of_seed001_equal_reverse_ones():
    def G(a, b):
        return [a - 5 * b, a * b, a - b]

    def FG(a, b):
        c, d, e = G(a, b)
        return [3 * c * d, d - e]
    a, b = 2.0, 3.0
    forward, reverse = jacobian(FG, [a, b], mode="forward"), jacobian(FG, [a, b])
    assert forward == reverse == [[6 * a * b - 15 * b ** 2, 3 * a ** 2 - 30 * a * b],
                                  [b - 1, a + 1]]

    def H(x):  # F(G(x)) with G = (x, x^2), F = (x^2 + 2y, 3x + 4y^2)
        g1, g2 = x, x ** 2
        return [g1 ** 2 + 2 * g2, 3 * g1 + 4 * g2 ** 2]
    assert jacobian(H, [2.0], mode="forward") == jacobian(H, [2.0]) == [[12.0], [3 + 16 * 8.0]]
    for stage in seed001_jacobians.build().stages:  # every printed row the engine confirms
        stage.run()
    with pytest.raises(ValueError, match="mode must be 'reverse'.*got 'sideways'"):
        jacobian(H, [2.0], mode="sideways")


def test_one_forward_sweep_gives_every_output_of_a_column():
    value, column = jvp(lambda x, y: [x * y, x + y, y.exp()], [2.0, 0.5], [1.0, 0.0])
    assert value == [1.0, 2.5, math.exp(0.5)] and column == [0.5, 1.0, 0.0]
    x = Value(3.0, label="x")
    y = (x * x).named("y")
    seeds = push_tangents(y, {x: 2.0})
    assert seeds[y] == 12.0 and seeds[x] == 2.0


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-1.5, 1.5), min_size=2, max_size=2),
       st.lists(st.floats(-2.0, 2.0), min_size=2, max_size=2))
def test_hvp_forward_over_reverse_equals_reverse_over_reverse_and_the_hessian(x, v):
    def f(a, b):
        return (a * b).tanh() * a + (a - b).sin() * b.exp() + a ** 3

    rr, fr = hvp(f, x, v), hvp(f, x, v, mode="forward")
    full = hessian(f, x)
    for i in range(2):
        terms = [full[i][j] * v[j] for j in range(2)]
        scale = math.fsum(abs(t) for t in terms) + abs(rr[i])
        assert close(fr[i], rr[i], scale) and close(fr[i], math.fsum(terms), scale)
    recorded = hvp(f, [Value(x[0]), Value(x[1])], v, mode="forward")  # Values: differentiable
    assert all(isinstance(h, Value) for h in recorded)
    assert all(close(h.data, r, abs(r) + 1.0) for h, r in zip(recorded, rr))
    # reverse over forward: the gradient of the directional derivative (a Value) is H v too
    leaves = [Value(x[0], label="a"), Value(x[1], label="b")]
    _, dot = jvp(f, leaves, v)
    ro = gradients(dot, leaves)
    for i in range(2):
        assert close(ro[i], rr[i], math.fsum(abs(full[i][j] * v[j]) for j in range(2)) + abs(rr[i]))


def test_tangents_of_values_are_differentiable_again():
    x = Value(0.7, label="x")
    value, dot = jvp(lambda t: t.sin() * t, [x], [1.0])  # d/dx x sin x = sin x + x cos x
    assert isinstance(dot, Value)
    assert abs(dot.data - (math.sin(0.7) + 0.7 * math.cos(0.7))) <= 1e-15
    second = gradients(dot, [x])[0]  # 2 cos x - x sin x
    assert abs(second - (2 * math.cos(0.7) - 0.7 * math.sin(0.7))) <= 1e-15


def test_jvp_errors_name_the_argument():
    with pytest.raises(ValueError, match="one entry per primal \\(2\\), got 1"):
        jvp(lambda x, y: x * y, [1.0, 2.0], [1.0])
    with pytest.raises(TypeError, match="tangents entry 0 must be a number or a Value, got str"):
        jvp(lambda x: x, [1.0], ["1"])
    with pytest.raises(TypeError, match="wrap it"):
        jvp(lambda x: x, 1.0, [1.0])
    with pytest.raises(TypeError, match="f must return a Value"):
        jvp(lambda x: "x", [1.0], [1.0])
    with pytest.raises(ValueError, match="hvp: mode must be"):
        hvp(lambda x: x * x, [1.0], [1.0], mode="both")
    x = Value(1.0, label="x")
    with pytest.raises(ValueError, match="tangent of 'x' must be finite"):
        push_tangents(x * 2, {x: math.inf})
    with pytest.raises(TypeError, match="pass create_graph=True"):
        push_tangents(x * 2, {x: Value(1.0)})
