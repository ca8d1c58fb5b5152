"""Workload 4: one EPOCH on a digits-sized problem, MLP(64, [H, H, 10]) with ReLU, softmax
cross-entropy + 1e-4 L2, SGD (lr 0.1), minibatches of 100 (the last one 97).

The data has the shape of scikit-learn's digits (1797 samples, 8x8 pixels in [0, 16] scaled to
[0, 1], 10 classes), made here from a seed: one noisy blob per class (scikit-learn is not a
dependency; the costs depend only on the shapes). H = 256 gives 85,002 parameters, H = 64 gives
8,970. Every engine runs the same 18 minibatches in the same order each epoch.
"""
from __future__ import annotations

import random

from .moons import jax_mlp

N, FEATURES, CLASSES, BATCH, ALPHA, LR = 1797, 64, 10, 100, 1e-4, 0.1


def data() -> tuple[list[list[float]], list[int]]:
    """The digits-shaped samples and their class labels."""
    rng = random.Random(0)
    centres = [[rng.uniform(0.0, 16.0) for _ in range(FEATURES)] for _ in range(CLASSES)]
    labels = [rng.randrange(CLASSES) for _ in range(N)]
    X = [[min(16.0, max(0.0, c + rng.gauss(0.0, 4.0))) / 16.0 for c in centres[t]]
         for t in labels]
    return X, labels


def batches() -> list[slice]:
    """The epoch's minibatches."""
    return [slice(a, min(a + BATCH, N)) for a in range(0, N, BATCH)]


def model(hidden: int):
    """The nn model (seed 0): every engine starts from its weights."""
    import nn
    return nn.MLP(FEATURES, [hidden, hidden, CLASSES], activation="relu", seed=0)


def _weights(hidden: int):
    return [([[w.data for w in n.w] for n in layer.neurons], [n.b.data for n in layer.neurons])
            for layer in model(hidden).layers]


def compiled_trainer(hidden: int):
    """teachgrad: the one-sample cross-entropy (nn.sample_losses) compiled with the numpy
    backend, L2 as extra=, FlatSGD over the flat buffer, the data as one matrix."""
    import numpy as np

    import autograd
    import nn
    from nn.flat_optim import FlatSGD
    from nn.sample_losses import SAMPLE_LOSSES
    X, y = data()
    net = model(hidden)
    params = net.parameters()
    row = SAMPLE_LOSSES["cross_entropy"]
    T = row.targets(y, CLASSES)
    step = autograd.compile(lambda x, t: row.term(net(x), t), params, example=(X[0], T[0]),
                            extra=lambda: ALPHA * nn.l2_penalty(params), backend="numpy")
    opt = FlatSGD(step.flat, lr=LR)
    M = np.ascontiguousarray(step.matrix(np.array(X), T))
    parts = [np.ascontiguousarray(M[:, b]) for b in batches()]  # as the others' slices are

    def epoch():
        total = 0.0
        for part in parts:
            opt.zero_grad()
            total += step.run_flat(part)
            opt.step()
        return total

    return epoch


def numpy_trainer(hidden: int):
    """The floor: the same epoch written by hand in numpy."""
    import numpy as np
    X, y = data()
    X = np.array(X)
    Y = np.eye(CLASSES)[y]
    layers = [(np.array(W), np.array(b)) for W, b in _weights(hidden)]
    parts = [(X[b], Y[b]) for b in batches()]

    def epoch():
        total = 0.0
        for xb, yb in parts:
            n = len(xb)
            acts, h = [xb], xb
            for i, (W, b) in enumerate(layers):
                h = h @ W.T + b
                if i < len(layers) - 1:
                    h = np.maximum(h, 0.0)
                acts.append(h)
            z = h - h.max(axis=1, keepdims=True)
            logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
            total += -(yb * logp).sum() / n + ALPHA * sum((W * W).sum() + (b * b).sum()
                                                          for W, b in layers)
            g = (np.exp(logp) * yb.sum(axis=1, keepdims=True) - yb) / n
            grads = []
            for i in range(len(layers) - 1, -1, -1):
                W, _ = layers[i]
                grads.append((g.T @ acts[i], g.sum(axis=0)))
                if i:
                    g = (g @ W) * (acts[i] > 0.0)
            for (W, b), (gW, gb) in zip(layers, grads[::-1]):
                W -= LR * (gW + 2.0 * ALPHA * W)
                b -= LR * (gb + 2.0 * ALPHA * b)
        return total

    return epoch


def torch_trainer(hidden: int, dtype: str = "float64"):
    """The same epoch with torch (CPU, one thread)."""
    import torch
    torch.set_num_threads(1)
    kind = getattr(torch, dtype)
    X, y = data()
    X, y = torch.tensor(X, dtype=kind), torch.tensor(y)
    net = model(hidden).to_torch().to(kind)
    params = list(net.parameters())
    opt = torch.optim.SGD(params, lr=LR)
    parts = [(X[b], y[b]) for b in batches()]

    def epoch():
        total = 0.0
        for xb, yb in parts:
            opt.zero_grad()
            loss = torch.nn.functional.cross_entropy(net(xb), yb) \
                + ALPHA * sum((p * p).sum() for p in params)
            loss.backward()
            opt.step()
            total += loss.item()
        return total

    return epoch


def jax_trainer(hidden: int):
    """The same epoch with one jax.jit-compiled step function (float64)."""
    import jax
    import jax.numpy as jnp
    jax.config.update("jax_enable_x64", True)
    X, y = data()
    X = jnp.array(X, dtype=jnp.float64)
    Y = jax.nn.one_hot(jnp.array(y), CLASSES, dtype=jnp.float64)
    params = [(jnp.array(W), jnp.array(b)) for W, b in _weights(hidden)]
    parts = [(X[b], Y[b]) for b in batches()]

    def loss_fn(params, xb, yb):
        data_loss = -(yb * jax.nn.log_softmax(jax_mlp(params, xb))).sum() / xb.shape[0]
        return data_loss + ALPHA * sum((W * W).sum() + (b * b).sum() for W, b in params)

    @jax.jit
    def update(params, xb, yb):
        loss, grads = jax.value_and_grad(loss_fn)(params, xb, yb)
        return jax.tree_util.tree_map(lambda p, g: p - LR * g, params, grads), loss

    state = [params]

    def epoch():
        total = 0.0
        for xb, yb in parts:
            state[0], loss = update(state[0], xb, yb)
            total += float(loss)
        return total

    return epoch
