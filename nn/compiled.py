"""`fit(..., compile=...)`: the built-in losses as one-sample functions for `autograd.compile`.

Each built-in loss of `nn.train` is written here for ONE sample (x, target), so the training
step can be traced once and replayed over every minibatch (see `autograd.compile`). The
per-sample terms are the ones the batch losses build (hinge: relu(1 - t s); bce:
softplus(z) - t z; cross-entropy: -sum_k t_k log_softmax(z)_k with a one-hot t; mse: the mean
over outputs of (o - t)^2), averaged over the batch, plus l2 * sum p^2 when l2 is set.
"""
from __future__ import annotations

from autograd import compile as compile_step
from autograd import vsum

from .functional import log_softmax
from .losses import l2_penalty
from .metrics import output_list

__all__ = ["CompiledTrainer", "BACKEND_CHOICES"]

BACKEND_CHOICES = {True: "auto", "auto": "auto", "python": "python", "numpy": "numpy"}


def _targets(loss: str, y: list, n_out: int) -> list:
    """Each label as the target the one-sample loss reads (a number or a one-hot list)."""
    if loss == "hinge":
        return [1.0 if t > 0 else -1.0 for t in y]
    if loss == "bce":
        return [float(t) for t in y]
    if loss == "cross_entropy":
        out = []
        for t in y:
            if isinstance(t, (list, tuple)):
                out.append([float(v) for v in t])
            else:
                if not 0 <= t < n_out:
                    raise ValueError(f"fit: class index {t} out of range for {n_out} classes")
                out.append([1.0 if k == t else 0.0 for k in range(n_out)])
        return out
    return [[float(v) for v in output_list(t)] for t in y]  # mse


def _sample_loss(model, loss: str):
    """The one-sample loss fn(x, t) -> Value for a built-in loss name."""
    if loss == "hinge":
        return lambda x, t: (1.0 - t * output_list(model(x))[0]).relu()
    if loss == "bce":
        def bce(x, t):
            z = output_list(model(x))[0]
            return z.softplus() - t * z
        return bce
    if loss == "cross_entropy":
        return lambda x, t: -vsum([tk * lk for tk, lk in zip(t, log_softmax(output_list(model(x))))])

    def mse(x, t):
        outs = output_list(model(x))
        return vsum([(o - tk) ** 2 for o, tk in zip(outs, t)]) / len(outs)
    return mse


class CompiledTrainer:
    """One compiled step for `fit`: `trainer(indices)` runs forward and backward over those
    samples (filling every parameter's .grad) and returns the loss."""

    def __init__(self, model, loss, X, y, l2: float, choice):
        if not isinstance(loss, str):
            raise ValueError("fit(compile=...) supports the built-in losses ('hinge', 'bce', "
                             "'cross_entropy', 'mse'); compile a custom loss yourself with "
                             "autograd.compile")
        if choice not in BACKEND_CHOICES:
            raise ValueError(f"fit: compile must be False, True, 'python' or 'numpy', "
                             f"got {choice!r}")
        n_out = len(output_list(model.predict(X[0])))
        self.X = [[float(v) for v in output_list(x)] for x in X]
        self.T = _targets(loss, list(y), n_out)
        params = model.parameters()
        extra = (lambda: l2 * l2_penalty(params)) if l2 else None
        self.step = compile_step(_sample_loss(model, loss), params,
                                 example=(self.X[0], self.T[0]), extra=extra,
                                 backend=BACKEND_CHOICES[choice])

    def __call__(self, indices) -> float:
        return self.step([self.X[i] for i in indices], [self.T[i] for i in indices])
