"""`fit(..., compile=...)`: the built-in losses as one-sample functions for `autograd.compile`.

Each built-in loss of `nn.train` is written here for ONE sample (x, target), so the training
step can be traced once and replayed over every minibatch (see `autograd.compile`). The
per-sample terms are the ones the batch losses build (hinge: relu(1 - t s); bce:
softplus(z) - t z; cross-entropy: -sum_k t_k log_softmax(z)_k with a one-hot t; mse: the mean
over outputs of (o - t)^2), averaged over the batch, plus l2 * sum p^2 when l2 is set.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol, Union

from autograd import Value
from autograd import compile as compile_step
from autograd import vsum

from .functional import log_softmax
from .inputs import Inputs, Output
from .losses import l2_penalty
from .metrics import Label, output_list

__all__ = ["CompiledTrainer", "BACKEND_CHOICES", "Trainable", "scalar_label", "sample_floats"]

BACKEND_CHOICES = {True: "auto", "auto": "auto", "python": "python", "numpy": "numpy"}

# What the one-sample loss reads as its target: a number, or a list (one-hot, or mse's outputs).
SampleTarget = Union[float, list[float]]


class Trainable(Protocol):
    """What `fit` trains: a model (Neuron, Layer, MLP) called on one input, with its
    parameters and a float-only `predict` (used for accuracy and to size the targets)."""

    def __call__(self, x: Inputs) -> Output:
        """The model's output(s) for one input, as Values (a graph)."""
        ...

    def parameters(self) -> list[Value]:
        """The trainable parameters."""
        ...

    def predict(self, x: Inputs) -> float | list[float]:
        """The model's output(s) as plain floats (no graph)."""
        ...


def scalar_label(t: Label) -> float:
    """A one-output model's label (a class, 0/1 or -1/+1) as a number; a list is refused."""
    if isinstance(t, (list, tuple)):
        raise TypeError(f"fit: a one-output model's label is a number (0/1 or -1/+1), got {t!r}")
    return t


def sample_floats(x: Inputs) -> list[float]:
    """One input sample (a number or a list of numbers/Values) as a list of floats."""
    items = list(x) if isinstance(x, Iterable) else [x]
    return [float(v) for v in items]


def _targets(loss: str, y: Sequence[Label], n_out: int) -> list[SampleTarget]:
    """Each label as the target the one-sample loss reads (a number or a one-hot list)."""
    if loss == "hinge":
        return [1.0 if scalar_label(t) > 0 else -1.0 for t in y]
    if loss == "bce":
        return [float(scalar_label(t)) for t in y]
    if loss == "cross_entropy":
        out: list[SampleTarget] = []
        for t in y:
            if isinstance(t, (list, tuple)):
                out.append([float(v) for v in t])
            else:
                if not 0 <= t < n_out:
                    raise ValueError(f"fit: class index {t} out of range for {n_out} classes")
                out.append([1.0 if k == t else 0.0 for k in range(n_out)])
        return out
    return [[float(v) for v in output_list(t)] for t in y]  # mse


def _outputs(model: Trainable, x: list[float]) -> list[Value]:
    """The model's output Values for one sample, as a list (one output: [it])."""
    out = model(x)
    return list(out) if isinstance(out, (list, tuple)) else [out]


def _sample_loss(model: Trainable, loss: str) -> Callable[[list[float], Any], Value]:
    """The one-sample loss fn(x, t) -> Value for a built-in loss name (t: a number for hinge
    and bce, a list for cross_entropy and mse)."""
    if loss == "hinge":
        def hinge(x: list[float], t: float) -> Value:
            return (1.0 - t * _outputs(model, x)[0]).relu()
        return hinge
    if loss == "bce":
        def bce(x: list[float], t: float) -> Value:
            z = _outputs(model, x)[0]
            return z.softplus() - t * z
        return bce
    if loss == "cross_entropy":
        def cross_entropy(x: list[float], t: list[float]) -> Value:
            return -vsum([tk * lk for tk, lk in zip(t, log_softmax(_outputs(model, x)))])
        return cross_entropy

    def mse(x: list[float], t: list[float]) -> Value:
        outs = _outputs(model, x)
        return vsum([(o - tk) ** 2 for o, tk in zip(outs, t)]) / len(outs)
    return mse


class CompiledTrainer:
    """One compiled step for `fit`: `trainer(indices)` runs forward and backward over those
    samples (filling every parameter's .grad) and returns the loss."""

    def __init__(self, model: Trainable, loss: object, X: Sequence[Inputs], y: Sequence[Label],
                 l2: float, choice: bool | str) -> None:
        if not isinstance(loss, str):
            raise ValueError("fit(compile=...) supports the built-in losses ('hinge', 'bce', "
                             "'cross_entropy', 'mse'); compile a custom loss yourself with "
                             "autograd.compile")
        if choice not in BACKEND_CHOICES:
            raise ValueError(f"fit: compile must be False, True, 'python' or 'numpy', "
                             f"got {choice!r}")
        n_out = len(output_list(model.predict(X[0])))
        self.X = [sample_floats(x) for x in X]
        self.T = _targets(loss, list(y), n_out)
        params = model.parameters()
        extra = (lambda: l2 * l2_penalty(params)) if l2 else None
        self.step = compile_step(_sample_loss(model, loss), params,
                                 example=(self.X[0], self.T[0]), extra=extra,
                                 backend=BACKEND_CHOICES[choice])

    def __call__(self, indices: Sequence[int]) -> float:
        """Forward and backward over the samples at `indices`; returns the loss."""
        return self.step([self.X[i] for i in indices], [self.T[i] for i in indices])
