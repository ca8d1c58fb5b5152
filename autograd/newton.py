"""Newton's method for minimisation, with the gradient and Hessian from `autograd.higher`.

A Newton step models f near x by its second-order Taylor polynomial and jumps to that model's
stationary point: solve H(x) d = -grad f(x), then x <- x + d. On a quadratic this lands on the
minimum in one step; near a minimum with a positive definite Hessian it converges quadratically
(the number of correct digits roughly doubles per step). It is deliberately the plain, undamped
method (no line search), so a step can go uphill or towards a saddle when H is not positive
definite; each `NewtonStep` keeps the numbers so a notebook can show why.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from .higher import value_grad_hessian
from .readouts import register

__all__ = ["NewtonStep", "newton_step", "newton_minimize", "solve"]


@dataclass(frozen=True)
class NewtonStep:
    """One Newton step: where it started, what it saw there, and where it went."""

    point: list[float]  # x_k
    value: float  # f(x_k)
    gradient: list[float]  # grad f(x_k)
    hessian: list[list[float]]  # rows of H(x_k)
    step: list[float]  # d_k, the solution of H d = -gradient
    next_point: list[float]  # x_k + d_k


def solve(matrix: Sequence[Sequence[float]], rhs: Sequence[float]) -> list[float]:
    """x with matrix @ x = rhs, by Gaussian elimination with partial pivoting (small dense systems).

    Raises ValueError when the matrix is singular (to working precision) or not square.
    """
    n = len(rhs)
    if len(matrix) != n or any(len(row) != n for row in matrix):
        raise ValueError(f"solve: need an {n}x{n} matrix for {n} right-hand sides, got {matrix!r}")
    a = [list(map(float, row)) + [float(b)] for row, b in zip(matrix, rhs)]
    scale = max((abs(x) for row in matrix for x in row), default=0.0)
    for col in range(n):
        # The largest pivot keeps the rounding error of the elimination small.
        pivot = max(range(col, n), key=lambda r: abs(a[r][col]))
        if abs(a[pivot][col]) <= 1e-12 * scale or scale == 0.0:
            raise ValueError(f"solve: the matrix {matrix!r} is singular (no unique solution)")
        a[col], a[pivot] = a[pivot], a[col]
        for r in range(col + 1, n):
            factor = a[r][col] / a[col][col]
            for c in range(col, n + 1):
                a[r][c] -= factor * a[col][c]
    x = [0.0] * n
    for r in reversed(range(n)):
        x[r] = (a[r][n] - sum(a[r][c] * x[c] for c in range(r + 1, n))) / a[r][r]
    return x


def newton_step(f: Callable[..., object], point: Iterable[float]) -> NewtonStep:
    """One Newton step for minimising scalar-valued f from `point` (a list of numbers).

    Raises ValueError, naming the point, when the Hessian there is singular (e.g. f is linear
    along some direction, or every op is piecewise linear like relu: see `autograd.higher`).
    """
    start = [float(x) for x in point]
    return _step_from(start, *value_grad_hessian(f, start))


def _step_from(point: list[float], value: float, gradient: list[float],
               hess: list[list[float]]) -> NewtonStep:
    try:
        step = solve(hess, [-g for g in gradient])
    except ValueError:
        raise ValueError(f"newton_step: the Hessian {hess!r} at {point!r} is singular, so the "
                         "Newton step is undefined; start elsewhere or add a small ridge") from None
    return NewtonStep(point, value, gradient, hess, step, [x + d for x, d in zip(point, step)])


def newton_minimize(f: Callable[..., object], start: Iterable[float], max_steps: int = 50,
                    tol: float = 1e-10) -> list[NewtonStep]:
    """Newton steps from `start` until the gradient's largest entry is <= tol (or max_steps).

    Returns the list of `NewtonStep`s taken; the last one's `next_point` is the estimate.
    The stopping test is checked before each step, so a start that is already stationary
    returns an empty list.
    """
    if max_steps < 1 or not math.isfinite(tol) or tol < 0.0:
        raise ValueError(f"newton_minimize: need max_steps >= 1 and a finite tol >= 0, "
                         f"got max_steps={max_steps!r}, tol={tol!r}")
    steps: list[NewtonStep] = []
    point = [float(x) for x in start]
    for _ in range(max_steps):
        value, gradient, hess = value_grad_hessian(f, point)
        if max(abs(g) for g in gradient) <= tol:  # before solving: H may be singular at the end
            break
        steps.append(_step_from(point, value, gradient, hess))
        point = steps[-1].next_point
    return steps


# read-outs (see autograd.readouts): refused from the user's code while compile traces
register(newton_step, "autograd.newton.newton_step", "the Newton step")
register(newton_minimize, "autograd.newton.newton_minimize", "the Newton steps")
