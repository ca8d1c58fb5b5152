"""The numpy backend's whole-layer replay (autograd/compiled/numpy_replay.py): every way a
layer's rows are kept as one 2-D block (or not) gives the object engine's loss and gradients to
1e-12 of the gradient's scale, and a failure inside a block still ends in the engine's error."""
from __future__ import annotations

import random

import pytest

import nn
from autograd import Value, compile, vsum

TOL = 1e-12


def _weights(rows: int, cols: int, seed: int) -> list[list[Value]]:
    rng = random.Random(seed)
    return [[Value(rng.uniform(-1.0, 1.0), label=f"w{seed}_{i}_{j}") for j in range(cols)]
            for i in range(rows)]


def _dense(W: list[list[Value]], b: list[Value], x: list) -> list[Value]:
    """One neuron per row of W as nn builds it: one sum of w * x terms and the bias."""
    return [vsum([w * xi for w, xi in zip(row, x)] + [bi]) for row, bi in zip(W, b)]


def _columns(n: int, seed: int) -> tuple[list[list[float]], list[float]]:
    rng = random.Random(seed)
    return ([[rng.uniform(-2.0, 2.0) for _ in range(3)] for _ in range(n)],
            [rng.choice((-1.0, 1.0)) for _ in range(n)])


def _agree(fn, params: list[Value], columns: tuple, reduction: str = "mean") -> str:
    """Run fn compiled (numpy) and on the object engine; assert the loss and every gradient
    agree to TOL (of the largest gradient); return the generated source."""
    X, T = columns
    step = compile(fn, params, example=(X[0], T[0]), reduction=reduction, backend="numpy")
    for p in params:
        p.grad = 0.0
    loss = step(X, T)
    got = [p.grad for p in params]
    for p in params:
        p.grad = 0.0
    expected = step.object_step(X, T)
    want = [p.grad for p in params]
    scale = max(map(abs, want))
    assert scale > 0.0
    assert abs(loss - expected) <= TOL * abs(expected), (loss, expected)
    worst = max(abs(a - c) for a, c in zip(got, want))
    assert worst <= TOL * scale, (worst, scale)
    return step.numpy_source


def _forward(source: str) -> str:
    return source.split("chk =")[0]


def test_moons_mlp_runs_as_three_matrix_products_without_restacking_rows():
    X, y = nn.datasets.make_moons(200, noise=0.1, seed=3)
    model = nn.MLP(2, [16, 16, 1], activation="relu", seed=0)
    params = model.parameters()
    source = _agree(lambda x, t: (1.0 - t * model(x)).relu(), params,
                    (X, [2.0 * t - 1.0 for t in y]))
    forward = _forward(source)
    assert forward.count("np.matmul(") == 3 and "np.stack" not in forward
    # every layer-sized array is written into a buffer kept for the batch size (out=)
    assert forward.count(", out=B") == 5 and "= buffers(n)" in source
    # one relu per hidden LAYER (not per neuron) plus the hinge's; no hidden row unpacked
    assert forward.count("np.maximum(") == 3 and ", = Z0" not in source
    assert "PA[WI" not in source  # nn's parameters form a grid: read through slices
    # the issue-12 version had ~470 lines here (one per neuron per op, and the stacking)
    assert len(source.splitlines()) < 60, len(source.splitlines())


def test_a_chain_of_elementwise_maps_and_an_eager_one_over_a_layer():
    W1, b1 = _weights(4, 3, 1), [Value(0.1 * i) for i in range(4)]
    W2, b2 = _weights(1, 4, 2), [Value(0.3)]
    params = [p for row in W1 for p in row] + b1 + [p for row in W2 for p in row] + b2

    def loss(x, t):
        h = [z.tanh().sigmoid() ** 2 for z in _dense(W1, b1, x)]  # three maps, pow is eager
        (s,) = _dense(W2, b2, h)
        return (s - t) ** 2

    source = _agree(loss, params, _columns(50, 0))
    assert "np.tanh(Z0, out=B" in source and "logaddexp(0.0, -H" in source
    assert "DH" in _forward(source)  # pow's local derivative made with the forward, checked


def test_rows_read_one_by_one_and_as_a_block_get_both_gradients():
    W1, b1 = _weights(3, 3, 3), [Value(0.2), Value(-0.1), Value(0.05)]
    W2, b2 = _weights(2, 3, 4), [Value(0.0), Value(0.1)]
    params = [p for row in W1 + W2 for p in row] + b1 + b2

    def loss(x, t):
        h = [z.relu() for z in _dense(W1, b1, x)]
        out = _dense(W2, b2, h)
        return (out[0] * out[1] + h[1] * 0.5 - t).abs()  # h[1] also alone; Z of W2 by rows

    source = _agree(loss, params, _columns(40, 1), reduction="sum")
    assert "= H" in _forward(source).split("Z1 =")[1] or ", = H" in source  # h unpacked
    assert "np.stack((" in source.split("chk =")[1]  # per-row gradients joined to the block


def test_a_layer_reading_its_inputs_in_another_order_stacks_them():
    W1, b1 = _weights(3, 3, 5), [Value(0.0) for _ in range(3)]
    W2, b2 = _weights(1, 3, 6), [Value(0.5)]
    params = [p for row in W1 + W2 for p in row] + b1 + b2

    def loss(x, t):
        h = [z.tanh() for z in _dense(W1, b1, x)]
        (s,) = _dense(W2, b2, h[::-1])
        return (1.0 - t * s).relu()

    source = _agree(loss, params, _columns(30, 2))
    assert "X1 = np.stack(" in source and "GX1" in source


def test_a_shared_weight_and_parameters_off_the_grid_use_index_arrays():
    shared = Value(0.7, label="shared")
    u, v, c = Value(-0.4), Value(0.9), Value(0.25)

    def loss(x, t):
        z0 = vsum([shared * x[0], u * x[1], c])
        z1 = vsum([shared * x[0], v * x[1], c])  # the same bias too
        return (z0.sigmoid() + z1.sigmoid() - t) ** 2

    source = _agree(loss, [v, c, u, shared], _columns(25, 3))
    assert "np.add.at(A, WI0" in source and "np.add.at(A, BI0" in source


def test_a_layer_of_a_sample_without_bias_and_inputs_not_in_a_row():
    W = _weights(2, 2, 7)
    params = [p for row in W for p in row]

    def loss(x, t):
        z = [vsum([w * xi for w, xi in zip(row, (x[2], x[0]))]) for row in W]
        return (z[0].exp() - z[1] * t) ** 2

    source = _agree(loss, params, _columns(20, 4))
    assert "X0 = np.stack(" in source and "PA[" in source


@pytest.mark.parametrize("hide", [False, True])
def test_an_overflow_inside_a_block_is_the_object_engines_error(hide):
    W = [[Value(2.0), Value(0.5), Value(-0.5)], [Value(-1.0), Value(0.25), Value(1.0)]]
    b = [Value(0.0), Value(0.0)]
    params = [p for row in W for p in row] + b

    def loss(x, t):
        z = _dense(W, b, x)
        if hide:  # relu(-inf) = 0: the inf is in the layer's block, found by its check
            return vsum([zi.relu() for zi in z]) * t
        return vsum([zi.exp() for zi in z]) * t

    X, T = _columns(10, 5)
    step = compile(loss, params, example=(X[0], T[0]), backend="numpy")
    assert step(X, T) == pytest.approx(step.object_step(X, T), rel=TOL)
    X[3] = [-1e308 if hide else 400.0, 0.0, 0.0]  # 2 * x: -inf, or exp(800)
    with pytest.raises((OverflowError, ValueError)) as compiled_error:
        step(X, T)
    with pytest.raises((OverflowError, ValueError)) as engine_error:
        step.object_step(X, T)
    assert type(compiled_error.value) is type(engine_error.value)
    assert str(compiled_error.value) == str(engine_error.value)
    assert ("not a finite" if hide else "exp(800.0) overflows") in str(engine_error.value)


def test_parameter_only_terms_of_any_shape_replay_as_arrays():
    """extra= terms (L2, L1, a smooth penalty) become array statements over the parameters,
    each within 1e-12 of the object engine; a constant-only or mixed sum stays line by line."""
    X, y = nn.datasets.make_moons(30, noise=0.1, seed=5)
    model = nn.MLP(2, [8, 1], activation="tanh", seed=0)
    params = model.parameters()
    terms = {
        "l2": lambda: 1e-2 * nn.l2_penalty(params),
        "l1": lambda: 1e-2 * vsum([p.abs() for p in params]),
        "smooth": lambda: 1e-2 * vsum([(0.5 * p).sigmoid() * (p * p) for p in params]),
        "mixed": lambda: 1e-2 * vsum([p * p for p in params[:-1]] + [params[-1].exp()]),
    }
    for name, extra in terms.items():
        step = compile(lambda x, t: (1.0 - t * model(x)).relu(), params, example=(X[0], 1.0),
                       extra=extra, backend="numpy")
        labels = [2.0 * t - 1.0 for t in y]
        assert step.check(X, labels).ok, name
        source = step.extra_numpy_source
        if name == "mixed":  # terms of two shapes: one line per term, as before
            assert "PA[0:32:1]" not in source and len(source.splitlines()) > 100
        else:  # all 33 parameters as one slice, not a line per parameter
            assert "PA[0:33:1]" in source and len(source.splitlines()) < 30, name


def test_buffers_are_kept_per_batch_size_and_never_leak_into_results():
    X, y = nn.datasets.make_moons(64, noise=0.1, seed=6)
    labels = [2.0 * t - 1.0 for t in y]
    model = nn.MLP(2, [16, 16, 1], activation="relu", seed=0)
    params = model.parameters()
    step = compile(lambda x, t: (1.0 - t * model(x)).relu(), params, example=(X[0], 1.0),
                   backend="numpy")
    sizes = [64, 10, 64, 3, 10, 64, 7, 9]  # more sizes than the pool keeps
    expected = []
    for n in sizes:
        for p in params:
            p.grad = 0.0
        expected.append((step.object_step(X[:n], labels[:n]), [p.grad for p in params]))
    for n, (loss, grads) in zip(sizes, expected):
        for p in params:
            p.grad = 0.0
        got = step(X[:n], labels[:n])
        assert abs(got - loss) <= TOL * abs(loss), n
        scale = max(map(abs, grads))
        assert max(abs(p.grad - g) for p, g in zip(params, grads)) <= TOL * scale, n


# --- a binary op over every row of a block: a shared other input, or the input rows ----------
def _softmax_columns(n: int, seed: int) -> tuple[list[list[float]], list[list[float]]]:
    rng = random.Random(seed)
    X = [[rng.uniform(-2.0, 2.0) for _ in range(3)] for _ in range(n)]
    T = [[1.0 if k == rng.randrange(4) else 0.0 for k in range(4)] for _ in range(n)]
    return X, T


def test_softmax_cross_entropy_over_a_layer_runs_as_whole_block_operations():
    # the shift z_i - m, exp, the shift by log(sum) and t_i * logp_i are each ONE array
    # operation over the layer's block (not one per class), forward and backward
    W, b = _weights(4, 3, 11), [Value(0.1 * i) for i in range(4)]
    params = [p for row in W for p in row] + b
    source = _agree(lambda x, t: nn.sample_losses.SAMPLE_LOSSES["cross_entropy"].term(
        _dense(W, b, x), t), params, _softmax_columns(40, 5))
    forward = _forward(source)
    assert forward.count("np.subtract(") == 2 and forward.count("np.exp(") == 1, forward
    assert forward.count("np.multiply(X[") == 1, forward  # the one-hot targets' rows at once
    backward = source.split("chk =")[1]
    assert backward.count("np.multiply(") <= 4 and backward.count(" = -g") <= 2, backward


@pytest.mark.parametrize("kind", ["param", "op", "left", "divide", "inputs"])
def test_a_binary_op_with_every_row_of_a_block_agrees_with_the_engine(kind):
    W, b = _weights(3, 3, 12), [Value(-0.2 * i) for i in range(3)]
    p = Value(0.7, label="p")
    params = [q for row in W for q in row] + b + [p]

    def loss(x, t):
        z = _dense(W, b, x)
        if kind == "param":  # the shared input is a parameter: its gradient sums every row
            rows = [zi - p for zi in z]
        elif kind == "op":  # a node made from the sample, shared by every row
            s = (z[0] * z[1]).tanh()
            rows = [zi * s for zi in z]
        elif kind == "left":  # the row on the right: p - z_i
            rows = [p - zi for zi in z]
        elif kind == "divide":  # eager: its rule can fail, so its local derivatives are checked
            s = vsum([zi.exp() for zi in z])
            rows = [zi.exp() / s for zi in z]
        else:  # the sample's own input rows, in order
            rows = [zi * xi for zi, xi in zip(z, x)]
        return vsum([r * r for r in rows]) * t
    source = _agree(loss, params, _columns(30, 6))
    assert "H" in _forward(source)  # the rows are one block


def test_a_shift_with_one_row_stays_a_row():
    # a block of one row gains nothing from being a block (a stack and an unpack more)
    w = [Value(0.5), Value(-0.25), Value(1.0)]
    c = Value(0.3)
    source = _agree(lambda x, t: ((vsum([wi * xi for wi, xi in zip(w, x)] + [c]) - t) ** 2),
                    w + [c], _columns(20, 7))
    assert "H1 = " not in source and source.count("np.stack") == 1  # the layer's own only
