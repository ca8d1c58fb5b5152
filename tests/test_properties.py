"""Property test: backward on random expression DAGs equals central finite differences.

A graph is drawn as a list of nodes: 1-3 input leaves (plus maybe a constant), then each new
node applies a random case of `op_catalogue.ALL_CASES` (every op of the table, pow with several
exponents, n-ary sums) to random EARLIER nodes, so subexpressions are shared and reused.

The only exceptions allowed are the documented domain errors (ValueError, ZeroDivisionError,
OverflowError whose message names the op); such a draw is discarded with `assume`. Draws are
also discarded where finite differences are no valid reference, judged from function values
only: a kink argument (each row's `kink` formula: relu/abs input, max/min difference) within
100 steps of 0, a pole or
kink between x - h and x + h (the two one-sided differences disagree by more than 1e-2 of the
scale), or a function so curved that halving h moves the central difference by more than 1e-4
of the scale (scale = max(1, |D(h)|, |f|)).

Inputs are 0 or of magnitude 1e-3 to 3 (smaller ones make float cancellation, not the rules,
the subject of the test). Numeric derivative: step h = 1e-5 max(1, |x|), Richardson-extrapolated (4 D(h/2) - D(h)) / 3.
Tolerance: |backward - numeric| <= 1e-6 max(1, |numeric|) + 1e-9 |f| (the last term covers
the round-off of the differences, about 1e-16 |f| / h). Bounded: 200 examples, no deadline.
"""
import math

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from autograd import OPS, Value, gradients
from autograd.sheets.expr import parse, to_value
from op_catalogue import ALL_CASES, draw_steps

_DOMAIN_ERRORS = (ValueError, ZeroDivisionError, OverflowError)
# Steps hold labels (readable failure reports). Only ops whose derivative is their slope:
# max_shift's declared 0 is no finite difference (its own tests are in test_ops_table.py).
_CASES = {case.label: case for case in ALL_CASES if case.slope}


@st.composite
def dags(draw):
    """(inputs, constant or None, steps): each step is (case label, indices of earlier nodes)."""
    # 0 or 1e-3 <= |x| <= 3: at x ~ 1e-259, x / x passes back +-1e258 along its two edges, and
    # adding those to an O(1) contribution cancels it in float arithmetic (any engine would).
    magnitude = st.one_of(st.just(0.0), st.floats(1e-3, 3.0), st.floats(-3.0, -1e-3))
    inputs = draw(st.lists(magnitude, min_size=1, max_size=3))
    constant = draw(st.one_of(st.none(), st.sampled_from([-2.0, 0.5, 3.0])))
    count = len(inputs) + (constant is not None)
    return inputs, constant, draw_steps(draw, _CASES, count, max_steps=8, window=4)


def _build(inputs, constant, steps):
    """(leaves, nodes): the graph with the given input values; nodes[-1] is the output."""
    leaves = [Value(x, label=f"x{i}") for i, x in enumerate(inputs)]
    nodes = list(leaves) + ([Value(constant, requires_grad=False)] if constant is not None else [])
    for label, parents in steps:
        case = _CASES[label]
        try:
            nodes.append(case.apply(*[nodes[i] for i in parents]))
        except _DOMAIN_ERRORS as exc:
            assert case.op in str(exc), f"domain error without the op name: {exc!r}"
            raise
    return leaves, nodes


def _evaluate(inputs, constant, steps):
    return _build(inputs, constant, steps)[1][-1].data


def _differences(inputs, constant, steps, j, h):
    """(f(x - h), f(x), f(x + h)) along input j: the raw material of the numeric derivatives."""
    up, down = list(inputs), list(inputs)
    up[j] += h
    down[j] -= h
    return (_evaluate(down, constant, steps), _evaluate(inputs, constant, steps),
            _evaluate(up, constant, steps)), up[j] - down[j]


def _kink_argument(node):
    """The node whose value is 0 at `node`'s kink (its row's `kink` formula built on its
    inputs: relu/abs the input, max/min input 1 - input 2), or None. A max of a node with
    itself is no kink: both edges move together."""
    row = node.row
    if row is None or not row.kink or len(set(map(id, node.parents))) < len(node.parents):
        return None
    return to_value(parse(row.kink), dict(zip(("x", "y"), node.parents)))


def _far_from_kinks(nodes, leaves, steps_h):
    """True when no kink argument can reach 0 within 100 finite-difference steps."""
    for node in nodes:
        argument = _kink_argument(node)
        if argument is None:
            continue
        # The slope only sizes the margin; a wrong slope would discard draws, never pass one.
        slope = gradients(argument, leaves)
        gap = argument.data
        reach = sum(abs(s) * h for s, h in zip(slope, steps_h))
        if abs(gap) <= 100.0 * reach + 1e-12:
            return False
    return True


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(dags())
def test_backward_equals_finite_differences_on_random_dags(graph):
    inputs, constant, steps = graph
    try:
        leaves, nodes = _build(inputs, constant, steps)
    except _DOMAIN_ERRORS:
        assume(False)
    out = nodes[-1]
    assert math.isfinite(out.data)
    out.backward()
    assert all(math.isfinite(leaf.grad) for leaf in leaves)
    steps_h = [1e-5 * max(1.0, abs(x)) for x in inputs]
    assume(_far_from_kinks(nodes, leaves, steps_h))
    for j, leaf in enumerate(leaves):
        try:
            (f_down, f_mid, f_up), width = _differences(inputs, constant, steps, j, steps_h[j])
            (g_down, _, g_up), half_width = _differences(inputs, constant, steps, j, steps_h[j] / 2)
        except _DOMAIN_ERRORS:  # a step crossed a domain boundary (log near 0, ...)
            assume(False)
        coarse, fine = (f_up - f_down) / width, (g_up - g_down) / half_width
        # Judged on numeric quantities only (never on backward's answer, which is under test):
        # differences are no reference across a pole (x**-2 near 0 is symmetric, so a central
        # difference alone looks calm) or where the function is too curved for the step.
        scale = max(1.0, abs(coarse), abs(f_mid))
        one_sided_gap = abs((f_up - f_mid) - (f_mid - f_down)) / (width / 2)
        assume(one_sided_gap <= 1e-2 * scale and abs(coarse - fine) <= 1e-4 * scale)
        numeric = (4.0 * fine - coarse) / 3.0  # Richardson: the h**2 error terms cancel
        # 1e-9 |f|: round-off of the differences, about 1e-16 |f| / h with h >= 1e-5.
        tolerance = 1e-6 * max(1.0, abs(numeric)) + 1e-9 * abs(f_mid)
        assert abs(leaf.grad - numeric) <= tolerance, (leaf.label, leaf.grad, numeric, steps)


def test_dag_cases_cover_every_op_of_the_table():
    assert {case.op for case in ALL_CASES} == set(OPS)
    assert {case.op for case in _CASES.values()} == set(OPS) - {"max_shift"}
