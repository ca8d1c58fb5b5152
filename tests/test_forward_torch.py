"""Forward mode against PyTorch: `jvp` = `torch.func.jvp`, forward and reverse Jacobians =
`torch.autograd.functional.jacobian`, to 1e-12 (float64) on random points.

torch is the optional extra `teachgrad[torch]`, run the way tests/test_nn_torch.py runs it:
required in CI, skipped elsewhere with the install hint.
"""
import math
import random

import pytest

from autograd import jacobian, jvp
from optional import require

torch = require("torch", 'pip install -e ".[torch]"')

TOL = 1e-12


def engine_f(x, y, z):
    """R^3 -> R^4 with reuse (x appears in three outputs, y*z in two)."""
    yz = y * z
    return [x * yz + x.sin(), (x - 2 * y).tanh() * z, yz.exp() / (1 + x * x), (x * x + 1).log()]


def torch_f(v):
    x, y, z = v
    yz = y * z
    return torch.stack([x * yz + torch.sin(x), torch.tanh(x - 2 * y) * z,
                        torch.exp(yz) / (1 + x * x), torch.log(x * x + 1)])


def points(n=20, seed=7):
    rng = random.Random(seed)
    return [[rng.uniform(-1.5, 1.5) for _ in range(3)] for _ in range(n)]


@pytest.mark.parametrize("point", points())
def test_jvp_equals_torch_func_jvp(point):
    rng = random.Random(hash(tuple(point)))
    v = [rng.uniform(-2, 2) for _ in range(3)]
    value, dot = jvp(engine_f, point, v)
    t_value, t_dot = torch.func.jvp(torch_f, (torch.tensor(point, dtype=torch.float64),),
                                    (torch.tensor(v, dtype=torch.float64),))
    for mine, theirs in zip(value + dot, t_value.tolist() + t_dot.tolist()):
        assert math.isclose(mine, theirs, rel_tol=TOL, abs_tol=TOL), (mine, theirs)


@pytest.mark.parametrize("point", points(10, seed=11))
def test_forward_and_reverse_jacobians_equal_torch(point):
    theirs = torch.autograd.functional.jacobian(
        torch_f, torch.tensor(point, dtype=torch.float64)).tolist()
    for mode in ("forward", "reverse"):
        mine = jacobian(engine_f, point, mode=mode)
        assert len(mine) == 4 and all(len(row) == 3 for row in mine)
        for row_m, row_t in zip(mine, theirs):
            for a, b in zip(row_m, row_t):
                assert math.isclose(a, b, rel_tol=TOL, abs_tol=TOL), (mode, a, b)
