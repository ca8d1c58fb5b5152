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
    opt = nn.optim.SGD(params, lr=lambda k: 1.0 - 0.9 * k / 100)

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
        lr = 1.0 - 0.9 * steps[0] / 100
        for p in params:
            p.data -= lr * p.grad
        steps[0] += 1
        return loss

    return step


def _data(batch: int) -> tuple:
    import nn
    X, y = nn.datasets.make_moons(batch, noise=0.1, seed=0)
    return X, [2.0 * label - 1.0 for label in y]


def compiled_trainer(backend: str, batch: int = 100):
    """The same step through `autograd.compile` (backend "python" or "numpy"): the one-sample
    hinge loss traced once, replayed over the batch; returns the loss (a float)."""
    import autograd
    import nn
    X, y = _data(batch)
    if backend == "numpy":  # data kept as arrays, as the numpy MLP below keeps it (not timed)
        import numpy as np
        X, y = np.array(X), np.array(y)
    model = nn.MLP(2, [16, 16, 1], activation="relu", seed=0)
    params = model.parameters()
    opt = nn.optim.SGD(params, lr=lambda k: 1.0 - 0.9 * k / 100)
    step = autograd.compile(lambda x, t: (1.0 - t * model(x)).relu(), params,
                            example=(X[0], y[0]), extra=lambda: ALPHA * nn.l2_penalty(params),
                            backend=backend)

    def run():
        opt.zero_grad()
        loss = step(X, y)
        opt.step()
        return loss

    return run


def _initial_weights():
    """The starting weights of the nn model (seed 0) as numpy matrices, for the array MLPs."""
    import numpy as np

    import nn
    model = nn.MLP(2, [16, 16, 1], activation="relu", seed=0)
    return [(np.array([[w.data for w in n.w] for n in layer.neurons]),
             np.array([n.b.data for n in layer.neurons])) for layer in model.layers]


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
        lr = 1.0 - 0.9 * steps[0] / 100
        for (W, b), gW, gb in zip(layers, (gW1, gW2, gW3), (gb1, gb2, gb3)):
            W -= lr * (gW + 2.0 * ALPHA * W)
            b -= lr * (gb + 2.0 * ALPHA * b)
        steps[0] += 1
        return float(loss)

    return run


def torch_trainer(batch: int = 100):
    """The same step as a batched torch MLP (float64, CPU), when torch is installed."""
    import torch

    import nn
    X, y = _data(batch)
    X, y = torch.tensor(X, dtype=torch.float64), torch.tensor(y, dtype=torch.float64)
    net = nn.MLP(2, [16, 16, 1], activation="relu", seed=0).to_torch()
    params = list(net.parameters())
    opt = torch.optim.SGD(params, lr=1.0)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda k: 1.0 - 0.9 * k / 100)

    def run():
        opt.zero_grad()
        s = net(X)[:, 0]
        loss = torch.relu(1.0 - y * s).mean() + ALPHA * sum((p * p).sum() for p in params)
        loss.backward()
        opt.step()
        sched.step()
        return float(loss)

    return run
