"""The built-in losses of `fit`, each written ONCE: the loss of one sample and its target.

A row of `SAMPLE_LOSSES` holds the one-sample loss `term(outputs, target)` (the model's outputs
for one sample as a list of Values, and the target as the term reads it) and `encode(label,
n_outputs)`, which checks a label and turns it into that target: hinge reads -1/+1, bce a number
in [0, 1], cross-entropy a probability vector (a class index becomes one-hot), mse a vector of
the outputs' length. The minibatch loss is the mean of the terms (`batch_loss`), built the same
way whether `fit` builds the graph each step or `autograd.compile` traces `term` once and
replays it (`fit(compile=...)`): both run the very same function.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from numbers import Integral, Real
from typing import Any, Union, cast

from autograd import Value

from .classification import cross_entropy_term, hinge_term, logits_bce_term
from .inputs import Output
from .losses import reduce, squared_error_term
from .metrics import Label, output_list

__all__ = ["SampleLoss", "SAMPLE_LOSSES", "SampleTarget", "scalar_label", "batch_loss"]

# What a one-sample loss reads as its target: a number, or a vector (one-hot, mse's outputs).
SampleTarget = Union[float, list[float]]


def scalar_label(t: Label) -> float:
    """A one-output model's label (a class, 0/1 or -1/+1) as a number; a list is refused."""
    if isinstance(t, bool) or not isinstance(t, Real):
        raise TypeError(f"fit: a one-output model's label is a number (0/1 or -1/+1), got {t!r}")
    return float(t)


def _sign(t: Label, n_out: int) -> SampleTarget:
    """hinge: labels > 0 (1, +1) are +1, the others (0, -1) are -1."""
    return 1.0 if scalar_label(t) > 0 else -1.0


def _probability(t: Label, n_out: int) -> SampleTarget:
    """bce: the label itself, a number in [0, 1] (soft labels accepted)."""
    y = scalar_label(t)
    if not 0.0 <= y <= 1.0:
        raise ValueError(f"fit: bce targets must lie in [0, 1], got {t!r}")
    return y


def _distribution(t: Label, n_out: int) -> SampleTarget:
    """cross_entropy: a class index becomes one-hot; a list of n_out probabilities stays."""
    if isinstance(t, (int, Integral)) and not isinstance(t, bool):
        if not 0 <= int(t) < n_out:
            raise ValueError(f"fit: class index {t} out of range for {n_out} classes")
        return [1.0 if k == int(t) else 0.0 for k in range(n_out)]
    if not isinstance(t, (list, tuple)):
        raise TypeError(f"fit: a cross_entropy label is a class index (int) or a list of "
                        f"{n_out} class probabilities, got {type(t).__name__}: {t!r}")
    y = _vector(t, n_out, "cross_entropy")
    if any(v < 0.0 for v in y):
        raise ValueError(f"fit: target probabilities must be >= 0, got {t!r}")
    return y


def _targets(t: Label, n_out: int) -> SampleTarget:
    """mse: one number per output (a one-output model's label may be the number itself)."""
    return _vector(output_list(t), n_out, "mse")


def _vector(t: Sequence[Any], n_out: int, loss: str) -> list[float]:
    if len(t) != n_out or any(isinstance(v, bool) or not isinstance(v, Real) for v in t):
        raise ValueError(f"fit: a {loss} target is a list of {n_out} numbers (one per output), "
                         f"got {t!r}")
    return [float(v) for v in t]


@dataclass(frozen=True)
class SampleLoss:
    """One built-in loss: its name, the one-sample loss and how a label becomes its target."""

    name: str
    term: Callable[[list[Value], Any], Value]  # (outputs of one sample, its target) -> loss
    encode: Callable[[Label, int], SampleTarget]  # (label, number of outputs) -> target

    def targets(self, labels: Sequence[Label], n_out: int) -> list[SampleTarget]:
        """Every label checked and encoded (a ValueError/TypeError names the first bad one)."""
        return [self.encode(t, n_out) for t in labels]


SAMPLE_LOSSES: dict[str, SampleLoss] = {
    "hinge": SampleLoss("hinge", lambda outs, t: hinge_term(outs[0], t), _sign),
    "bce": SampleLoss("bce", lambda outs, t: logits_bce_term(outs[0], t), _probability),
    "cross_entropy": SampleLoss("cross_entropy", cross_entropy_term, _distribution),
    "mse": SampleLoss("mse", squared_error_term, _targets),
}


def batch_loss(loss: SampleLoss, outputs: Sequence[Output], labels: Sequence[Label]) -> Value:
    """The minibatch loss: the mean over samples of `loss.term` (what compile replays)."""
    outs = [cast(list[Value], output_list(o)) for o in outputs]
    if loss.name in ("hinge", "bce") and any(len(o) != 1 for o in outs):
        raise ValueError(f"fit: the {loss.name} loss needs a one-output model, got "
                         f"{len(outs[0])} outputs")
    targets = loss.targets(labels, len(outs[0]))
    return reduce([loss.term(o, t) for o, t in zip(outs, targets)], "mean", f"fit ({loss.name})")
