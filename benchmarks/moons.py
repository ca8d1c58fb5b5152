"""Workload 3: one training step on the two-moons data, MLP(2, [16, 16, 1]) with ReLU hidden layers.

Each engine is driven the way its own users write it: micrograd with its demo's code
(`micrograd.nn.MLP`, `sum(...)` of the hinge losses, `alpha * sum(p * p)`), teachgrad with its
`nn` package (`nn.MLP(..., activation="relu")`, `nn.hinge_loss`, `nn.l2_penalty`,
`nn.optim.SGD`). Same data (nn.datasets.make_moons(100, noise=0.1, seed=0)), same loss (mean
hinge + 1e-4 * L2), same update (SGD with the demo's learning rate 1.0 - 0.9 k / 100).
"""
from __future__ import annotations

import random

ALPHA = 1e-4


def lr(k: int) -> float:
    """The demo's schedule 1.0 - 0.9 k / 100, held at 0.1 from step 100 on (the fast rows run
    hundreds of steps; the demo's would turn negative at step 112)."""
    return max(0.1, 1.0 - 0.9 * k / 100)


def moons_data() -> tuple:
    """100 two-moons samples and their labels as -1/+1 floats (as the micrograd demo uses)."""
    import nn
    X, y = nn.datasets.make_moons(100, noise=0.1, seed=0)
    return X, [2.0 * label - 1.0 for label in y]


def teachgrad_trainer():
    """A function that runs one training step of teachgrad's nn and returns the loss Value."""
    import nn
    X, y = moons_data()
    model = nn.MLP(2, [16, 16, 1], activation="relu", seed=0)
    params = model.parameters()
    opt = nn.optim.SGD(params, lr=lr)

    def step():
        scores = [model(x) for x in X]
        loss = nn.hinge_loss(scores, y) + ALPHA * nn.l2_penalty(params)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss

    return step


def micrograd_trainer():
    """The same step with micrograd's demo code (micrograd/demo.ipynb), returning the loss."""
    from micrograd.engine import Value
    from micrograd.nn import MLP
    random.seed(0)
    X, y = moons_data()
    model = MLP(2, [16, 16, 1])
    params = model.parameters()
    steps = [0]

    def step():
        inputs = [list(map(Value, row)) for row in X]
        scores = list(map(model, inputs))
        losses = [(1 + -yi * si).relu() for yi, si in zip(y, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        loss = data_loss + ALPHA * sum(p * p for p in params)
        model.zero_grad()
        loss.backward()
        rate = lr(steps[0])
        for p in params:
            p.data -= rate * p.grad
        steps[0] += 1
        return loss

    return step


def _data(batch: int) -> tuple:
    import nn
    X, y = nn.datasets.make_moons(batch, noise=0.1, seed=0)
    return X, [2.0 * label - 1.0 for label in y]


def compiled_trainer(backend: str, batch: int = 100):
    """The same step through `autograd.compile`: the one-sample hinge loss traced once and
    replayed over the batch, L2 as `extra=`. python: the Values and nn.optim.SGD; numpy: the
    parameters as one array (`step.flat`) and nn.flat_optim.FlatSGD over it, the batch as one
    matrix made once (as the numpy MLP's arrays are). Returns the loss (a float)."""
    import autograd
    import nn
    X, y = _data(batch)
    model = nn.MLP(2, [16, 16, 1], activation="relu", seed=0)
    params = model.parameters()
    step = autograd.compile(lambda x, t: (1.0 - t * model(x)).relu(), params,
                            example=(X[0], y[0]), extra=lambda: ALPHA * nn.l2_penalty(params),
                            backend=backend)
    if backend == "python":
        opt = nn.optim.SGD(params, lr=lr)

        def run():
            opt.zero_grad()
            loss = step(X, y)
            opt.step()
            return loss
        return run
    from nn.flat_optim import FlatSGD
    flat_opt = FlatSGD(step.flat, lr=lr)
    M = step.matrix(X, y)

    def run_flat():
        flat_opt.zero_grad()
        loss = step.run_flat(M)
        flat_opt.step()
        return loss
    return run_flat


def fit_trainer(batch: int):
    """The compiled numpy step through `nn.train.fit(compile="numpy")` with the data as arrays:
    one call of fit per repetition; its per-step CPU time (History.cpu_seconds_per_step: the
    training loop only, not the tracing) is the measurement (see measure.fit_run)."""
    import numpy as np

    import nn
    X, y = _data(batch)
    X, y = np.array(X), np.array(y)

    def run(steps: int):
        model = nn.MLP(2, [16, 16, 1], activation="relu", seed=0)
        opt = nn.optim.SGD(model, lr=lr)
        return nn.train.fit(model, X, y, loss="hinge", optimizer=opt, epochs=steps, l2=ALPHA,
                            progress=False, track_accuracy=False, compile="numpy")
    return run


def python_floor_trainer(batch: int = 100):
    """The pure-Python floor of the compiled python step: the same MLP, hinge loss, L2 and SGD
    written by hand with floats and lists (no graph, no tape, no checks)."""
    X, y = _data(batch)
    layers = [([list(w) for w in W], list(b)) for W, b in _initial_lists()]
    steps = [0]

    def run():
        (W1, b1), (W2, b2), (W3, b3) = layers
        g = [([[0.0] * len(r) for r in W], [0.0] * len(b)) for W, b in layers]
        total = 0.0
        for x, t in zip(X, y):
            z1 = [sum(w * xi for w, xi in zip(r, x)) + bi for r, bi in zip(W1, b1)]
            a1 = [z if z > 0.0 else 0.0 for z in z1]
            z2 = [sum(w * ai for w, ai in zip(r, a1)) + bi for r, bi in zip(W2, b2)]
            a2 = [z if z > 0.0 else 0.0 for z in z2]
            s = sum(w * ai for w, ai in zip(W3[0], a2)) + b3[0]
            margin = 1.0 - t * s
            if margin <= 0.0:
                continue
            total += margin
            gs = -t / batch
            d2 = [gs * w if z > 0.0 else 0.0 for w, z in zip(W3[0], z2)]
            g[2][1][0] += gs
            row = g[2][0][0]
            for j, ai in enumerate(a2):
                row[j] += gs * ai
            d1 = [0.0] * len(z1)
            for i, di in enumerate(d2):
                if di:
                    g[1][1][i] += di
                    row, w = g[1][0][i], W2[i]
                    for j, ai in enumerate(a1):
                        row[j] += di * ai
                        d1[j] += di * w[j]
            for i, di in enumerate(d1):
                if di and z1[i] > 0.0:
                    g[0][1][i] += di
                    row = g[0][0][i]
                    for j, xj in enumerate(x):
                        row[j] += di * xj
        rate = lr(steps[0])
        l2 = 0.0
        for (W, b), (gW, gb) in zip(layers, g):
            for r, gr in zip(W, gW):
                for j, (w, gw) in enumerate(zip(r, gr)):
                    l2 += w * w
                    r[j] = w - rate * (gw + 2.0 * ALPHA * w)
            for j, (bi, gbi) in enumerate(zip(b, gb)):
                l2 += bi * bi
                b[j] = bi - rate * (gbi + 2.0 * ALPHA * bi)
        steps[0] += 1
        return total / batch + ALPHA * l2

    return run


def _initial_lists():
    """The starting weights of the nn model (seed 0) as (rows, biases) lists per layer."""
    import nn
    model = nn.MLP(2, [16, 16, 1], activation="relu", seed=0)
    return [([[w.data for w in n.w] for n in layer.neurons], [n.b.data for n in layer.neurons])
            for layer in model.layers]


def _initial_weights():
    """The starting weights of the nn model (seed 0) as numpy matrices, for the array MLPs."""
    import numpy as np
    return [(np.array(W), np.array(b)) for W, b in _initial_lists()]


def numpy_trainer(batch: int = 100):
    """The floor: the same step written by hand in numpy (matrices, no graph, no tape)."""
    import numpy as np
    X, y = _data(batch)
    X, y = np.array(X).T, np.array(y)  # (2, batch), (batch,)
    layers = _initial_weights()
    steps = [0]

    def run():
        (W1, b1), (W2, b2), (W3, b3) = layers
        z1 = W1 @ X + b1[:, None]
        a1 = np.maximum(z1, 0.0)
        z2 = W2 @ a1 + b2[:, None]
        a2 = np.maximum(z2, 0.0)
        s = (W3 @ a2 + b3[:, None])[0]
        margin = 1.0 - y * s
        loss = np.maximum(margin, 0.0).mean() + ALPHA * sum((W * W).sum() + (b * b).sum()
                                                             for W, b in layers)
        gs = np.where(margin > 0.0, -y, 0.0) / batch
        g3 = gs[None, :]
        gW3, gb3 = g3 @ a2.T, g3.sum(1)
        g2 = (W3.T @ g3) * (z2 > 0.0)
        gW2, gb2 = g2 @ a1.T, g2.sum(1)
        g1 = (W2.T @ g2) * (z1 > 0.0)
        gW1, gb1 = g1 @ X.T, g1.sum(1)
        rate = lr(steps[0])
        for (W, b), gW, gb in zip(layers, (gW1, gW2, gW3), (gb1, gb2, gb3)):
            W -= rate * (gW + 2.0 * ALPHA * W)
            b -= rate * (gb + 2.0 * ALPHA * b)
        steps[0] += 1
        return loss.item()

    return run


def torch_trainer(batch: int = 100, dtype: str = "float64"):
    """The same step as a batched torch MLP (CPU, one thread), when torch is installed."""
    import torch

    import nn
    torch.set_num_threads(1)
    kind = getattr(torch, dtype)
    X, y = _data(batch)
    X, y = torch.tensor(X, dtype=kind), torch.tensor(y, dtype=kind)
    net = nn.MLP(2, [16, 16, 1], activation="relu", seed=0).to_torch().to(kind)
    params = list(net.parameters())
    opt = torch.optim.SGD(params, lr=1.0)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr)

    def run():
        opt.zero_grad()
        s = net(X)[:, 0]
        loss = torch.relu(1.0 - y * s).mean() + ALPHA * sum((p * p).sum() for p in params)
        loss.backward()
        opt.step()
        sched.step()
        return loss.item()

    return run


def jax_trainer(batch: int = 100):
    """The same step as one `jax.jit`-compiled function (value_and_grad + the SGD update),
    float64, when jax is installed."""
    import jax
    import jax.numpy as jnp
    jax.config.update("jax_enable_x64", True)
    X, y = _data(batch)
    X, y = jnp.array(X, dtype=jnp.float64), jnp.array(y, dtype=jnp.float64)
    params = [(jnp.array(W), jnp.array(b)) for W, b in _initial_lists()]

    def loss_fn(params, X, y):
        h = jax_mlp(params, X)
        data = jnp.maximum(1.0 - y * h[:, 0], 0.0).mean()
        return data + ALPHA * sum((W * W).sum() + (b * b).sum() for W, b in params)

    @jax.jit
    def update(params, X, y, rate):
        loss, grads = jax.value_and_grad(loss_fn)(params, X, y)
        return jax.tree_util.tree_map(lambda p, g: p - rate * g, params, grads), loss

    state = [params, 0]

    def run():
        state[0], loss = update(state[0], X, y, lr(state[1]))
        state[1] += 1
        return float(loss)  # waits for the result

    return run


def jax_mlp(params, h):
    """The MLP on a batch of rows in jax: h @ W.T + b per layer, ReLU between layers."""
    import jax.numpy as jnp
    for i, (W, b) in enumerate(params):
        h = h @ W.T + b
        if i < len(params) - 1:
            h = jnp.maximum(h, 0.0)
    return h
