"""SGD (momentum, weight decay), Adam and the lr schedule hook against hand-computed updates.

Each test sets gradients by hand (no model needed) and recomputes the update rule with plain
floats; tolerance rel 1e-14 (same arithmetic, at most a different association).
"""
import math

import pytest

import nn
from autograd import Value
from nn.optim import linear_decay


def params(*data):
    return [Value(d, label=f"p{i}") for i, d in enumerate(data)]


def test_plain_sgd_step_and_zero_grad():
    p = params(1.0, -2.0)
    opt = nn.SGD(p, lr=0.1)
    p[0].grad, p[1].grad = 0.5, -4.0
    opt.step()
    assert [v.data for v in p] == pytest.approx([1.0 - 0.05, -2.0 + 0.4], rel=1e-15)
    opt.zero_grad()
    assert [v.grad for v in p] == [0.0, 0.0]
    assert opt.steps == 1


def test_sgd_momentum_and_weight_decay_two_steps():
    (p,) = params(1.0)
    opt = nn.SGD([p], lr=0.1, momentum=0.9, weight_decay=0.01)
    p.grad = 2.0
    opt.step()
    g1 = 2.0 + 0.01 * 1.0  # v1 = g1
    x1 = 1.0 - 0.1 * g1
    assert p.data == pytest.approx(x1, rel=1e-14)
    p.grad = -1.0
    opt.step()
    v2 = 0.9 * g1 + (-1.0 + 0.01 * x1)
    assert p.data == pytest.approx(x1 - 0.1 * v2, rel=1e-14)


def test_adam_two_steps():
    (p,) = params(0.5)
    opt = nn.Adam([p], lr=0.01, betas=(0.9, 0.999), eps=1e-8)
    x, m, s = 0.5, 0.0, 0.0
    for t, g in enumerate([0.3, -0.2], start=1):
        p.grad = g
        opt.step()
        m = 0.9 * m + 0.1 * g
        s = 0.999 * s + 0.001 * g * g
        x -= 0.01 * (m / (1 - 0.9 ** t)) / (math.sqrt(s / (1 - 0.999 ** t)) + 1e-8)
        assert p.data == pytest.approx(x, rel=1e-14)
    # bias correction: the first step moves by lr * sign(g) (up to eps), whatever |g| is
    (q,) = params(0.0)
    q.grad = -1000.0
    nn.Adam([q], lr=0.01).step()
    assert q.data == pytest.approx(0.01, rel=1e-9)


def test_lr_schedule_hook_sees_the_step_count():
    (p,) = params(0.0)
    seen = []
    opt = nn.SGD([p], lr=lambda k: seen.append(k) or 1.0 - 0.9 * k / 100)
    for _ in range(3):
        p.grad = 1.0
        opt.step()
    assert seen == [0, 1, 2]
    assert p.data == pytest.approx(-(1.0 + 0.991 + 0.982), rel=1e-14)
    decay = linear_decay(1.0, 0.1, 100)
    assert [decay(0), decay(50), decay(100), decay(150)] == pytest.approx([1.0, 0.55, 0.1, 0.1])
    with pytest.raises(ValueError, match="steps must be a positive int, got 0"):
        linear_decay(1.0, 0.1, 0)  # would divide by 0 at the first step


def test_optimizer_accepts_a_module_and_rejects_bad_input():
    model = nn.MLP(2, [2, 1])
    assert nn.SGD(model, lr=0.1).params == model.parameters()
    with pytest.raises(ValueError, match="empty parameter list"):
        nn.SGD([], lr=0.1)
    with pytest.raises(TypeError, match="parameter 1 is a float"):
        nn.Adam([Value(1.0), 2.0])
    with pytest.raises(ValueError, match="lr must be a number"):
        nn.SGD(model, lr=-0.1)
    with pytest.raises(ValueError, match="momentum must be a number in \\[0.0, 1.0\\)"):
        nn.SGD(model, lr=0.1, momentum=1.0)
    opt = nn.SGD(model, lr=lambda k: float("nan"))
    with pytest.raises(ValueError, match="schedule gave nan at step 0"):
        opt.step()
    (p,) = params(1.0)
    p.grad = 1e308
    with pytest.raises(OverflowError, match="'p0' would become -inf"):
        nn.SGD([p], lr=10.0).step()
