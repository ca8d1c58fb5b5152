"""The numpy backend on the flat parameter buffer (autograd/compiled/flat.py, nn/flat_optim.py):
50 SGD and Adam steps on a digits-shaped MLP and on moons stay within 1e-12 of the object
engine; the buffer and the user's Values agree after every step and after an interrupt; the
flat optimizers are nn.optim's rules to the bit and all or nothing (also under Ctrl-C)."""
from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
import nn
from nn.flat_optim import FlatAdam, FlatSGD, flat_twin
from nn.sample_losses import SAMPLE_LOSSES, batch_loss
from interrupts import run_interrupted

TOL = 1e-12  # relative to max(1, |value|): sums run in another order than the object engine's


def _digits(n: int, seed: int) -> tuple[list[list[float]], list[int]]:
    """A digits-shaped set (8x8 pixels scaled from [0, 16] to [0, 1], 10 classes): a blob per
    class."""
    rng = random.Random(seed)
    centres = [[rng.uniform(0.0, 16.0) for _ in range(64)] for _ in range(10)]
    labels = [i % 10 for i in range(n)]
    return ([[min(16.0, max(0.0, c + rng.gauss(0.0, 3.0))) / 16.0 for c in centres[t]]
             for t in labels], labels)


def _setups():
    X, y = _digits(30, 0)
    digits = (nn.MLP(64, [12, 12, 10], activation="relu", seed=1), X, y, "cross_entropy", 0.05)
    mX, my = nn.datasets.make_moons(60, noise=0.1, seed=2)
    moons = (nn.MLP(2, [16, 16, 1], activation="relu", seed=0), mX,
             [2.0 * t - 1.0 for t in my], "hinge", 0.5)
    return {"digits": digits, "moons": moons}


def _optimizer(kind: str, params, lr: float):
    return nn.SGD(params, lr=lr, momentum=0.9) if kind == "sgd" else nn.Adam(params, lr=lr / 10)


def _close(a: list[float], b: list[float]) -> float:
    return max(abs(x - y) / max(1.0, abs(y)) for x, y in zip(a, b))


@pytest.mark.parametrize("kind", ["sgd", "adam"])
@pytest.mark.parametrize("name", ["digits", "moons"])
def test_fifty_flat_steps_stay_within_1e12_of_the_object_engine(name, kind):
    model, X, y, loss, lr = _setups()[name]
    twin = nn.MLP(model.nin, [len(layer.neurons) for layer in model.layers],
                  activation="relu", seed=0)
    for p, q in zip(twin.parameters(), model.parameters()):
        p.data = q.data
    row = SAMPLE_LOSSES[loss]
    n_out = len(model.layers[-1].neurons)
    T = row.targets(y, n_out)
    step = autograd.compile(lambda x, t: row.term(nn.metrics.output_list(model(x)), t), model,
                            example=(X[0], T[0]), extra=lambda: 1e-3 * nn.l2_penalty(model),
                            backend="numpy")
    flat_opt = flat_twin(_optimizer(kind, model.parameters(), lr), step.flat)
    assert flat_opt is not None
    ref_opt = _optimizer(kind, twin.parameters(), lr)
    M = step.matrix(np.array(X), T)
    for k in range(50):
        batch = slice(10 * (k % 3), 10 * (k % 3) + 10)  # three minibatches in turn
        flat_opt.zero_grad()
        got = step.run_flat(M[:, batch])
        flat_opt.step()
        ref_opt.zero_grad()
        reference = batch_loss(row, [twin(x) for x in X[batch]], y[batch]) \
            + 1e-3 * nn.l2_penalty(twin)
        reference.backward()
        ref_opt.step()
        assert abs(got - reference.data) <= TOL * max(1.0, abs(reference.data)), k
        assert _close(step.flat.data.tolist(), [p.data for p in twin.parameters()]) <= TOL, k
    step.flat.sync()
    assert _close([p.data for p in model.parameters()], [p.data for p in twin.parameters()]) \
        <= TOL


def test_the_buffer_and_the_values_agree_after_every_step():
    model, X, y, loss, lr = _setups()["moons"]
    params = model.parameters()
    step = autograd.compile(lambda x, t: SAMPLE_LOSSES["hinge"].term([model(x)], t), model,
                            example=(X[0], y[0]), backend="numpy")
    opt = FlatAdam(step.flat, lr=0.01)
    M = step.matrix(X, y)
    assert not np.shares_memory(M, step.matrix(X[::-1], y[::-1]))  # each call a new array
    step(X, y)  # the Values' path reuses a buffer of its own: M is untouched
    assert M[:, 0].tolist() == list(X[0]) + [y[0]]
    for _ in range(5):
        opt.zero_grad()
        step.run_flat(M)
        opt.step()
        assert step.flat.stale  # the Values lag until synced ...
        step.flat.sync()  # ... and agree exactly afterwards, data and grad
        assert [p.data for p in params] == step.flat.data.tolist()
        assert [p.grad for p in params] == step.flat.grad.tolist()
    # the Values' own call path reads a lagging buffer back first, so nothing is lost
    opt.step()
    moved = step.flat.data.tolist()
    step(X, y)
    assert [p.data for p in params] == moved and not step.flat.stale


def _fit(compile_: bool | str, interrupt_at: int | None, kind: str):
    model, X, y, loss, lr = _setups()["digits"]
    base = lr if kind == "sgd" else lr / 10

    def schedule(k: int) -> float:
        if k == interrupt_at:
            raise KeyboardInterrupt
        return base

    opt = nn.SGD(model, lr=schedule, momentum=0.9) if kind == "sgd" else \
        nn.Adam(model, lr=schedule)
    data = np.array(X) if compile_ else X
    try:
        nn.fit(model, data, np.array(y) if compile_ else y, loss=loss, optimizer=opt, epochs=6,
               batch_size=10, l2=1e-3, progress=False, compile=compile_, track_accuracy=False)
    except KeyboardInterrupt:
        pass
    state = opt.velocity if kind == "sgd" else opt.m + opt.s
    return [p.data for p in model.parameters()], state, opt.steps


@pytest.mark.parametrize("kind", ["sgd", "adam"])
@pytest.mark.parametrize("interrupt_at", [None, 7])
def test_fit_numpy_hands_back_values_and_optimizer_state_also_after_an_interrupt(kind,
                                                                               interrupt_at):
    values, state, steps = _fit("numpy", interrupt_at, kind)
    ref_values, ref_state, ref_steps = _fit(False, interrupt_at, kind)
    assert steps == ref_steps == (18 if interrupt_at is None else interrupt_at)
    assert _close(values, ref_values) <= TOL
    assert _close(state, ref_state) <= TOL


def test_fit_numpy_with_another_optimizer_writes_the_values_every_step():
    class Halved(nn.SGD):
        """An SGD subclass: no flat twin, so the Values are read and written each step."""

    X, y = nn.datasets.make_moons(40, noise=0.1, seed=1)
    results = []
    for compile_ in (False, "numpy"):
        model = nn.MLP(2, [4, 1], activation="tanh", seed=0)
        opt = Halved(model, lr=0.2) if compile_ else nn.SGD(model, lr=0.2)
        nn.fit(model, X, y, loss="bce", optimizer=opt, epochs=2, batch_size=8,
               progress=False, compile=compile_)
        results.append([p.data for p in model.parameters()])
    assert _close(*results) <= TOL


arrays = st.lists(st.floats(-1e3, 1e3), min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(arrays, st.data(), st.sampled_from(["sgd", "momentum", "adam"]))
def test_flat_optimizers_are_nn_optims_rules_to_the_bit(values, data, kind):
    grads = data.draw(st.lists(st.floats(-1e3, 1e3), min_size=len(values),
                               max_size=len(values)))
    params = [autograd.Value(v) for v in values]
    step = autograd.compile(lambda: autograd.vsum([p * p for p in params]), params, example=(),
                            backend="numpy")
    if kind == "adam":
        ref = nn.Adam(params, lr=0.01, weight_decay=0.1)
    else:
        ref = nn.SGD(params, lr=0.01, momentum=0.9 if kind == "momentum" else 0.0,
                     weight_decay=0.1)
    flat = flat_twin(ref, step.flat)
    assert flat is not None
    for _ in range(3):
        for p, g in zip(params, grads):
            p.grad = g
        step.flat.grad = np.array(grads)
        ref.step()
        flat.step()
        assert step.flat.data.tolist() == [p.data for p in params]  # every bit


def test_a_step_that_would_overflow_names_the_parameter_and_changes_nothing():
    params = [autograd.Value(1.0, label="w0"), autograd.Value(2.0, label="w1")]
    step = autograd.compile(lambda: params[0] * params[1], params, example=(), backend="numpy")
    opt = FlatAdam(step.flat, lr=1e308)
    opt.step()  # grads 0: Adam moves by lr * 0 / eps = 0
    step.flat.grad = np.array([0.0, 1e300])
    before = (step.flat.data.copy(), opt.m.copy(), opt.s.copy(), opt.steps)
    with pytest.raises(OverflowError, match="FlatAdam step 2: parameter 'w1' would become"):
        opt.step()
    after = (step.flat.data, opt.m, opt.s, opt.steps)
    assert all(np.array_equal(a, b) for a, b in zip(before[:3], after[:3]))
    assert before[3] == after[3] == 1
    with pytest.raises(ValueError, match="momentum must be a number in"):
        FlatSGD(step.flat, lr=0.1, momentum=1.5)
    with pytest.raises(TypeError, match="flat parameters of a compiled numpy step"):
        FlatSGD(params, lr=0.1)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 400))
def test_a_ctrl_c_anywhere_in_a_flat_step_leaves_it_all_done_or_all_undone(nth_line):
    params = [autograd.Value(0.1 * i) for i in range(5)]
    step = autograd.compile(lambda: autograd.vsum([p * p for p in params]), params, example=(),
                            backend="numpy")
    opt = FlatAdam(step.flat, lr=0.1)
    step.flat.grad = np.arange(5.0)
    opt.step()
    old = (step.flat.data.tolist(), opt.m.tolist(), opt.s.tolist(), opt.steps)
    count = [0]

    def hook(frame, event, arg):  # a KeyboardInterrupt at the nth line event of the step
        if event == "line":
            count[0] += 1
            if count[0] == nth_line:
                raise KeyboardInterrupt
        return hook

    run_interrupted(opt.step, hook)
    now = (step.flat.data.tolist(), opt.m.tolist(), opt.s.tolist(), opt.steps)
    assert now == old or now[3] == 2 and all(a != b for a, b in zip(now[:3], old[:3]))


def test_numpy_setup_generates_no_python_source_and_the_l2_term_as_arrays():
    model = nn.MLP(8, [32, 32, 4], activation="relu", seed=0)  # 1,476 parameters
    step = autograd.compile(lambda x, t: SAMPLE_LOSSES["cross_entropy"].term(model(x), t),
                            model, example=([0.5] * 8, [1.0, 0.0, 0.0, 0.0]),
                            extra=lambda: 1e-4 * nn.l2_penalty(model), backend="numpy")
    assert step._python is None  # made only if check() needs it
    assert len(step.extra_numpy_source.splitlines()) < 20  # not one line per parameter
    assert "PA[0:1476:1]" in step.extra_numpy_source  # every parameter as one slice
    X = [[random.Random(i).uniform(-1, 1) for _ in range(8)] for i in range(12)]
    T = [[1.0 if k == i % 4 else 0.0 for k in range(4)] for i in range(12)]
    report = step.check(X, T)
    assert report.ok, report


def test_losses_are_written_once_and_fit_encodes_labels_with_named_errors():
    X, y = nn.datasets.make_moons(6, seed=0)
    with pytest.raises(ValueError, match=r"bce targets must lie in \[0, 1\], got 2"):
        nn.fit(nn.MLP(2, [1]), X, [2] * 6, loss="bce", progress=False)
    with pytest.raises(ValueError, match="class index 3 out of range for 2 classes"):
        nn.fit(nn.MLP(2, [2]), X, [3] * 6, loss="cross_entropy", progress=False,
               compile="python")
    with pytest.raises(ValueError, match="mse target is a list of 2 numbers"):
        nn.fit(nn.MLP(2, [2]), X, [[1.0]] * 6, loss="mse", progress=False)
    with pytest.raises(ValueError, match="needs a one-output model"):
        nn.fit(nn.MLP(2, [2]), X, y, loss="hinge", progress=False)
    # the batch loss of nn.classification is the mean of the same per-sample term
    z = [autograd.Value(v) for v in (0.3, -1.2, 2.0)]
    labels = [1.0, -1.0, -1.0]
    assert nn.hinge_loss(z, labels).data == batch_loss(SAMPLE_LOSSES["hinge"], z, labels).data
