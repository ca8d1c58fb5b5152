"""Classification metrics: which class an output votes for, and accuracy over a data set.

The conventions match nn.train and the built-in losses: a one-output model is a binary
classifier whose score (a logit, or a hinge score) votes class 1 when > 0; labels 1 or +1 are
class 1, labels 0 or -1 class 0. A several-output model votes for its largest output.
An output is what a model returns: one Value or float (a one-output model) or a list of them.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, Union

from autograd import Value

from .inputs import Inputs, Scalar

__all__ = ["output_list", "predicted_class", "is_correct", "accuracy", "Predictor"]

# One score, or one per class (a list or a tuple: any other object counts as one score).
Outputs = Union[Scalar, list[float], list[Value], list[Scalar], tuple[Scalar, ...]]
Label = Union[float, list[float], tuple[float, ...]]  # a class (1/0, +1/-1, an index) or one-hot


class Predictor(Protocol):
    """What `accuracy` needs of a model: a float-only `predict` (Neuron, Layer, MLP have one)."""

    def predict(self, x: Inputs) -> float | list[float]:
        """The model's output(s) as plain floats."""
        ...


def output_list(output: Outputs) -> list[Scalar]:
    """A model output as a list: a single Value or number (one output) becomes [it]."""
    items: list[Scalar] = list(output) if isinstance(output, (list, tuple)) else [output]
    return items


def predicted_class(output: Outputs) -> int:
    """The class a model output votes for: score > 0 for one output, else the argmax."""
    values = [float(v.data if hasattr(v, "data") else v) for v in output_list(output)]
    if len(values) == 1:
        return 1 if values[0] > 0.0 else 0
    return max(range(len(values)), key=values.__getitem__)


def is_correct(output: Outputs, label: Label) -> bool:
    """Whether the output votes for the label's class. One output: labels > 0 (1 or +1) are
    class 1, others (0 or -1) class 0. Several: the label is a class index or a one-hot list."""
    if len(output_list(output)) == 1:
        if isinstance(label, (list, tuple)):
            raise TypeError(f"is_correct: one output needs one label (a number), got {label!r}")
        return predicted_class(output) == (1 if label > 0 else 0)
    if isinstance(label, (list, tuple)):
        label = predicted_class(label)
    return predicted_class(output) == label


def accuracy(model: Predictor, X: Sequence[Inputs], y: Sequence[Label]) -> float:
    """Fraction of samples whose predicted class (see `predicted_class`) equals the label;
    uses the model's float-only `predict`, so it builds no graph."""
    if not hasattr(X, "__len__") or not hasattr(y, "__len__"):
        raise TypeError(f"accuracy: X and y must be sequences (lists or arrays), got "
                        f"{type(X).__name__} and {type(y).__name__}")
    if len(X) != len(y) or not len(X):  # len: X may be a numpy array
        raise ValueError(f"accuracy: {len(X)} inputs but {len(y)} labels")
    return sum(is_correct(model.predict(x), t) for x, t in zip(X, y)) / len(X)
