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
