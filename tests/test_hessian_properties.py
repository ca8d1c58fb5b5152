"""Property tests: on random expression graphs the Hessian is symmetric and agrees with finite
differences of the (first-order, float) gradient.

The graphs use the smooth ops only (add, sub, mul, neg, pow, div by a positive denominator, exp
of a bounded argument, tanh, sigmoid, softplus, log and sqrt of positive arguments): a finite
difference straddling a relu/abs/max/min kink would measure a jump, not a second derivative.
Those ops are covered exactly by tests/test_higher_order.py.

Tolerances, stated: symmetry |H_ij - H_ji| <= 1e-9 (1 + |H_ij|), since both are the same exact
quantity reached by two different float paths; finite differences use the central difference
(g(x + h e_j) - g(x - h e_j)) / 2h with h = 1e-5, whose truncation error is h^2/6 |g'''| and
rounding error about 1e-16 |g| / h, so |H_ij - FD_ij| <= 1e-5 (1 + |H_ij|) is ample for inputs
in [-1.5, 1.5] and graphs of at most 10 leaves.
"""
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value, gradients
from autograd.higher import hessian

N_VARS = 3
H = 1e-5

LEAF = st.one_of(st.integers(0, N_VARS - 1).map(lambda i: ("var", i)),
                 st.floats(-2.0, 2.0, allow_nan=False).map(lambda c: ("const", c)))
UNARY = ("neg", "square", "cube", "tanh", "sigmoid", "softplus", "bounded_exp", "log_pos", "sqrt_pos")
BINARY = ("add", "sub", "mul", "div_pos")


def extend(children):
    unary = st.tuples(st.sampled_from(UNARY), children)
    binary = st.tuples(st.sampled_from(BINARY), children, children)
    return unary | binary


EXPRESSIONS = st.recursive(LEAF, extend, max_leaves=10)
POINTS = st.lists(st.floats(-1.5, 1.5, allow_nan=False), min_size=N_VARS, max_size=N_VARS)


def evaluate(tree, xs):
    """Build the expression `tree` on the Values xs (every op keeps arguments in its domain)."""
    kind = tree[0]
    if kind == "var":
        return xs[tree[1]]
    if kind == "const":
        return xs[0] * 0.0 + tree[1]  # a node, so unary ops can be applied to it
    a = evaluate(tree[1], xs)
    if kind in BINARY:
        b = evaluate(tree[2], xs)
        return {"add": lambda: a + b, "sub": lambda: a - b, "mul": lambda: a * b,
                "div_pos": lambda: a / (1.0 + b * b)}[kind]()
    return {"neg": lambda: -a, "square": lambda: a ** 2, "cube": lambda: a ** 3,
            "tanh": a.tanh, "sigmoid": a.sigmoid, "softplus": a.softplus,
            "bounded_exp": lambda: a.tanh().exp(), "log_pos": lambda: (1.0 + a * a).log(),
            "sqrt_pos": lambda: (1.0 + a * a).sqrt()}[kind]()


def first_order_gradient(tree, point):
    leaves = [Value(x, label=f"x{i}") for i, x in enumerate(point)]
    return gradients(evaluate(tree, leaves), leaves)  # the float fast path


@settings(max_examples=60, deadline=None)
@given(EXPRESSIONS, POINTS)
def test_hessian_is_symmetric_and_matches_finite_differences_of_the_gradient(tree, point):
    h = hessian(lambda *xs: evaluate(tree, xs), point)
    for i in range(N_VARS):
        for j in range(i + 1, N_VARS):
            assert abs(h[i][j] - h[j][i]) <= 1e-9 * (1.0 + abs(h[i][j])), (tree, point, h)
    for j in range(N_VARS):
        plus, minus = list(point), list(point)
        plus[j] += H
        minus[j] -= H
        g_plus, g_minus = first_order_gradient(tree, plus), first_order_gradient(tree, minus)
        for i in range(N_VARS):
            fd = (g_plus[i] - g_minus[i]) / (2 * H)
            assert abs(h[i][j] - fd) <= 1e-5 * (1.0 + abs(h[i][j])), (tree, point, i, j, h, fd)
