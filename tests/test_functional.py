"""`grad`, `value_and_grad`, `jacobian`: against closed forms derived independently with sympy.

Seed 001 Q10 (F(G(a, b)), G = [a - 5b, ab, a - b], F = [3cd, d - e]) and Q13 (F = [x^2 + 2y,
3x + 4y^2]; F(G(x)) with G = [x, x^2]) give the Jacobians. Tolerance: rel 1e-12 (abs 1e-12 near 0).
"""
import math

import pytest
import sympy

from autograd import Value, grad, jacobian, value_and_grad


def _close(got, exact):
    return math.isclose(got, exact, rel_tol=1e-12, abs_tol=1e-12)


def _sympy_jacobian(outputs, symbols, point):
    """The exact Jacobian of sympy expressions at `point`, as rows of floats."""
    at = dict(zip(symbols, point))
    return [[float(sympy.diff(f, s).subs(at)) for s in symbols] for f in outputs]


def _assert_rows_close(rows, exact):
    assert len(rows) == len(exact)
    for row, exact_row in zip(rows, exact):
        assert len(row) == len(exact_row)
        assert all(_close(g, e) for g, e in zip(row, exact_row)), (rows, exact)


def _q10(a, b):
    c, d, e = a - 5 * b, a * b, a - b  # G(a, b)
    return [3 * c * d, d - e]  # F(c, d, e)


@pytest.mark.parametrize("point", [(1.0, 2.0), (2.0, -1.0), (0.5, 3.0), (-1.25, 0.75)])
def test_jacobian_of_seed_001_q10_composition(point):
    a, b = sympy.symbols("a b")
    exact = _sympy_jacobian(_q10(a, b), (a, b), point)
    _assert_rows_close(jacobian(_q10, list(point)), exact)
    # the closed form by hand: d/da [3(a-5b)ab] = 6ab - 15b^2, d/db = 3a^2 - 30ab; [b - 1, a + 1]
    x, y = point
    _assert_rows_close(exact, [[6 * x * y - 15 * y * y, 3 * x * x - 30 * x * y], [y - 1, x + 1]])


def _q13(x, y):
    return [x ** 2 + 2 * y, 3 * x + 4 * y ** 2]


def test_jacobian_of_seed_001_q13_at_1_2():
    x, y = sympy.symbols("x y")
    exact = _sympy_jacobian(_q13(x, y), (x, y), (1, 2))
    assert exact == [[2.0, 2.0], [3.0, 16.0]]
    _assert_rows_close(jacobian(_q13, [1.0, 2.0]), exact)


@pytest.mark.parametrize("at", [1.0, 1.5, -2.0])
def test_jacobian_of_seed_001_q13_composed_with_g(at):
    x = sympy.symbols("x")
    exact = _sympy_jacobian(_q13(x, x ** 2), (x,), (at,))  # F(G(x)) = [3x^2, 3x + 4x^4]
    _assert_rows_close(jacobian(lambda t: _q13(t, t ** 2), [at]), exact)
    _assert_rows_close(exact, [[6 * at], [3 + 16 * at ** 3]])


def test_jacobian_of_a_scalar_function_is_one_row():
    assert jacobian(lambda x, y: x * y, [3.0, -2.0]) == [[-2.0, 3.0]]


def _f(x, y, z):
    return x * y + z ** 2 + (x * z).exp()


def test_grad_of_all_arguments_by_default():
    gx, gy, gz = grad(_f)(0.5, -2.0, 1.5)
    e = math.exp(0.75)
    assert _close(gx, -2.0 + 1.5 * e) and _close(gy, 0.5) and _close(gz, 3.0 + 0.5 * e)


def test_grad_with_argnums():
    e = math.exp(0.75)
    assert _close(grad(_f, argnums=1)(0.5, -2.0, 1.5), 0.5)
    gx, gz = grad(_f, argnums=(0, 2))(0.5, -2.0, 1.5)
    assert _close(gx, -2.0 + 1.5 * e) and _close(gz, 3.0 + 0.5 * e)


def test_value_and_grad_returns_the_value_as_a_float():
    value, g = value_and_grad(_f, argnums=0)(0.5, -2.0, 1.5)
    assert type(value) is float and _close(value, -1.0 + 2.25 + math.exp(0.75))
    assert _close(g, -2.0 + 1.5 * math.exp(0.75))
    value, (gx, gy) = value_and_grad(lambda x, y: x * y)(3.0, 4.0)
    assert (value, gx, gy) == (12.0, 4.0, 3.0)


_SECOND = [
    (lambda x: x ** 3, lambda s: s ** 3, 2.0),
    (lambda x: x * x.exp(), lambda s: s * sympy.exp(s), 0.7),
    (lambda x: x.tanh(), sympy.tanh, 0.4),
    (lambda x: x.sigmoid(), lambda s: 1 / (1 + sympy.exp(-s)), -1.3),
    (lambda x: (x * x + 1).log(), lambda s: sympy.log(s * s + 1), 0.9),
    (lambda x: 1 / x + x.sqrt(), lambda s: 1 / s + sympy.sqrt(s), 2.5),
]


@pytest.mark.parametrize("f,exact,at", _SECOND)
def test_grad_of_grad_is_the_second_derivative(f, exact, at):
    s = sympy.symbols("s")
    second = float(sympy.diff(exact(s), s, 2).subs(s, at))
    got = grad(grad(f))(at)
    assert math.isclose(float(got), second, rel_tol=1e-12), (got, second)


def test_mixed_second_partial_through_argnums():
    f = lambda x, y: x ** 2 * y ** 3  # d2f / dx dy = 6 x y^2
    got = grad(grad(f, argnums=0), argnums=1)(1.5, -2.0)
    assert math.isclose(float(got), 6 * 1.5 * 4.0, rel_tol=1e-12)


def test_grad_accepts_values_and_keeps_them_in_the_graph():
    x = Value(2.0, label="x")
    g = grad(lambda t: t ** 3)(x)  # recorded: 3 x^2 as a Value connected to x
    assert isinstance(g, Value) and g.data == 12.0
    g.backward()
    assert x.grad == 12.0  # d/dx 3x^2 = 6x


@pytest.mark.parametrize("argnums", [2, (0, 5), -3])
def test_argnums_out_of_range_is_refused_naming_the_argument_count(argnums):
    with pytest.raises(ValueError, match=r"argnums .* out of range for 2 argument\(s\)"):
        grad(lambda x, y: x * y, argnums=argnums)(1.0, 2.0)
