"""Newton's method built on the engine's Hessians: exact on quadratics, Rosenbrock from (-1.2, 1).

Tolerances: a quadratic is minimised by one exact linear solve, so its answer is within 1e-12;
Rosenbrock's minimum (1, 1) is reached to 1e-9 because the loop stops at |grad| <= 1e-10 and
converges quadratically there.
"""
import pytest
import sympy

from autograd.newton import newton_minimize, newton_step, solve


def rosenbrock(x, y):
    return (1 - x) ** 2 + 100 * (y - x * x) ** 2


def test_one_step_minimises_a_quadratic_exactly():
    # f = (x - 3)^2 + 2 (x - 3)(y + 1) + 5 (y + 1)^2 + 7 has its minimum 7 at (3, -1).
    f = lambda x, y: (x - 3) ** 2 + 2 * (x - 3) * (y + 1) + 5 * (y + 1) ** 2 + 7
    step = newton_step(f, [10.0, 4.0])
    assert step.hessian == [[2.0, 2.0], [2.0, 10.0]]
    assert step.gradient == [24.0, 64.0]  # [2(x-3) + 2(y+1), 2(x-3) + 10(y+1)] at (10, 4)
    assert all(abs(a - b) <= 1e-12 for a, b in zip(step.next_point, [3.0, -1.0]))


def test_one_dimensional_newton_finds_the_minimum_of_x4_minus_3x():
    # f' = 4x^3 - 3 = 0 at x = (3/4)^(1/3); f'' = 12 x^2 > 0 there.
    steps = newton_minimize(lambda x: x ** 4 - 3 * x, [2.0])
    assert len(steps) <= 8
    assert abs(steps[-1].next_point[0] - 0.75 ** (1 / 3)) <= 1e-12


def test_rosenbrock_from_minus_1_2_and_1_reaches_1_1_with_exact_steps():
    steps = newton_minimize(rosenbrock, [-1.2, 1.0])
    assert len(steps) == 7  # the textbook count for the undamped method from this start
    assert all(abs(c - 1.0) <= 1e-9 for c in steps[-1].next_point)
    x, y = sympy.symbols("x y")
    expr = rosenbrock(x, y)
    first = steps[0]
    exact_grad = [float(sympy.diff(expr, v).subs({x: -1.2, y: 1.0})) for v in (x, y)]
    exact_h = [[float(sympy.diff(expr, a, b).subs({x: -1.2, y: 1.0})) for b in (x, y)] for a in (x, y)]
    assert all(abs(a - b) <= 1e-9 * (1 + abs(b)) for a, b in zip(first.gradient, exact_grad))
    for row, exact_row in zip(first.hessian, exact_h):
        assert all(abs(a - b) <= 1e-9 * (1 + abs(b)) for a, b in zip(row, exact_row))
    for before, after in zip(steps, steps[1:]):  # each step starts where the last one went
        assert after.point == before.next_point


def test_a_stationary_start_takes_no_step():
    assert newton_minimize(rosenbrock, [1.0, 1.0]) == []


def test_singular_hessian_is_refused_naming_the_point():
    with pytest.raises(ValueError, match=r"Hessian \[\[0.0, 0.0\], \[0.0, 0.0\]\] at \[1.0, 2.0\]"):
        newton_step(lambda x, y: (x + y).relu(), [1.0, 2.0])  # piecewise linear: H = 0


def test_solve_matches_a_hand_solved_system_and_refuses_bad_shapes():
    assert solve([[0.0, 2.0], [4.0, 1.0]], [2.0, 9.0]) == [2.0, 1.0]  # needs the row swap
    with pytest.raises(ValueError, match="2x2 matrix"):
        solve([[1.0, 2.0, 3.0]], [1.0, 2.0])
    with pytest.raises(ValueError, match="max_steps >= 1"):
        newton_minimize(rosenbrock, [0.0, 0.0], max_steps=0)
