"""Fuzz of `autograd.compile`: random MLPs and random losses, some of them written to depend on
the data (a branch on `.data`, a constant read from an input, a branch on a parameter that
training flips). For every case compile either refuses (TraceError) or matches the object
engine: bitwise with the python backend, within 1e-12 (relative to the largest gradient) with
numpy, on several batches and after parameter updates. Data-dependent losses must ALWAYS be
refused, when `compile` is called (never later, never silently).

Derandomized in CI (tests/conftest.py); locally hypothesis explores new cases every run.
"""
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nn
from autograd import Value, compile, maximum, minimum, vsum
from autograd.compiled import TraceError


# --- per-sample losses: (name, data-dependent?, builder(model, params) -> fn(x, y)) ---------


def _out(model, x):
    out = model(x)
    return out if isinstance(out, Value) else out[0]


def _hinge(model, params):
    return lambda x, y: (1.0 - y * _out(model, x)).relu()


def _squared(model, params):
    return lambda x, y: (_out(model, x) - y) ** 2


def _bce_logits(model, params):
    # a branch-free softplus form: log(1 + exp(-|z|)) + relu(z) - y z
    def loss(x, y):
        z = _out(model, x)
        return (1.0 + (-abs(z)).exp()).log() + z.relu() - y * z
    return loss


def _huber(model, params):
    def loss(x, y):
        a = abs(_out(model, x) - y)
        m = minimum(a, 1.0)
        return 0.5 * m ** 2 + (a - m)
    return loss


def _clipped(model, params):
    return lambda x, y: maximum(_out(model, x) * y, -2.0).tanh() * -1.0 + vsum([0.5, y * y])


# the data-dependent ones: each reads a number out of a node while tracing
def _branch_on_label(model, params):
    return lambda x, y: (_out(model, x) - y) ** 2 if y.data > 0 else (1.0 - _out(model, x)).relu()


def _constant_from_input(model, params):
    return lambda x, y: (_out(model, x) * x[0].data - y) ** 2


def _branch_on_parameter(model, params):
    w = params[0]
    return lambda x, y: (_out(model, x) - y) ** 2 if w.data > 0 else (_out(model, x) + y) ** 2


def _float_of_output(model, params):
    return lambda x, y: (_out(model, x) - y) ** 2 * (1.0 + 0.0 * float(_out(model, x)))


def _compare_output(model, params):
    return lambda x, y: _out(model, x).relu() if _out(model, x) > y else (y - _out(model, x))


def _round_label(model, params):
    return lambda x, y: (_out(model, x) - round(y)) ** 2


LOSSES = [("hinge", False, _hinge), ("squared", False, _squared), ("bce", False, _bce_logits),
          ("huber", False, _huber), ("clipped", False, _clipped),
          ("branch on y.data", True, _branch_on_label),
          ("constant from x[0].data", True, _constant_from_input),
          ("branch on a parameter", True, _branch_on_parameter),
          ("float(output)", True, _float_of_output), ("output > y", True, _compare_output),
          ("round(y)", True, _round_label)]

numbers = st.floats(-2.0, 2.0, allow_nan=False, width=64)


@st.composite
def cases(draw):
    nin = draw(st.integers(1, 3))
    sizes = draw(st.lists(st.integers(1, 4), min_size=0, max_size=2)) + [1]
    activation = draw(st.sampled_from(["relu", "tanh", "sigmoid", "linear"]))
    seed = draw(st.integers(0, 10_000))
    loss = draw(st.sampled_from(LOSSES))
    backend = draw(st.sampled_from(["python", "numpy"]))
    reduction = draw(st.sampled_from(["mean", "sum"]))
    batches = [(draw(st.lists(st.lists(numbers, min_size=nin, max_size=nin), min_size=1,
                              max_size=5)))
               for _ in range(2)]
    labels = [draw(st.lists(st.sampled_from([-1.0, 1.0, 0.5, -0.25]), min_size=len(b),
                            max_size=len(b))) for b in batches]
    lr = draw(st.sampled_from([0.0, 0.1, 3.0]))  # 3.0 flips signs of parameters
    return nin, sizes, activation, seed, loss, backend, reduction, batches, labels, lr


def _engine_step(params, fn, reduction, X, Y):
    """The object engine's step: the loss and each parameter's grad (grads zeroed first)."""
    for p in params:
        p.grad = 0.0
    terms = [fn([Value(v, requires_grad=False) for v in x], Value(y, requires_grad=False))
             for x, y in zip(X, Y)]
    loss = vsum(terms)
    if reduction == "mean":
        loss = loss / len(terms)
    loss.backward()
    return loss.data, [p.grad for p in params]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_compile_refuses_or_matches_the_object_engine(case):
    nin, sizes, activation, seed, (name, dependent, make), backend, reduction, batches, \
        labels, lr = case
    model = nn.MLP(nin, sizes, activation=activation, seed=seed)
    params = model.parameters()
    fn = make(model, params)
    try:
        step = compile(fn, params, example=(batches[0][0], labels[0][0]), backend=backend,
                       reduction=reduction)
    except TraceError as exc:
        assert dependent, f"{name}: a replayable loss was refused: {exc}"
        assert "while tracing" in str(exc) and "test_compile_fuzz.py line" in str(exc)
        return
    assert not dependent, f"{name}: a data-dependent loss was compiled"
    for X, Y in zip(batches, labels):
        for p in params:
            p.grad = 0.0
        try:
            got = step([list(x) for x in X], Y)
        except (ValueError, OverflowError, ArithmeticError) as exc:  # the engine's own error
            with pytest.raises(type(exc)):
                _engine_step(params, fn, reduction, X, Y)
            continue
        got_grads = [p.grad for p in params]
        want, want_grads = _engine_step(params, fn, reduction, X, Y)
        if backend == "python":
            assert got == want and got_grads == want_grads, name
        else:
            scale = max(map(abs, want_grads), default=0.0)
            assert abs(got - want) <= 1e-12 * max(abs(want), 1.0), name
            assert all(abs(a - b) <= 1e-12 * max(scale, 1e-300)
                       for a, b in zip(got_grads, want_grads)), name
        for p, g in zip(params, want_grads):  # train: later batches see other parameters
            p.data -= lr * g
            assert math.isfinite(p.data)
