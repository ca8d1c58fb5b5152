"""Classification metrics: which class an output votes for, and accuracy over a data set.

The conventions match nn.train and the built-in losses: a one-output model is a binary
classifier whose score (a logit, or a hinge score) votes class 1 when > 0; labels 1 or +1 are
class 1, labels 0 or -1 class 0. A several-output model votes for its largest output.
An output is what a model returns: one Value or float (a one-output model) or a list of them.
"""
from __future__ import annotations

__all__ = ["output_list", "predicted_class", "is_correct", "accuracy"]


def output_list(output) -> list:
    """A model output as a list: a single Value or number (one output) becomes [it]."""
    return list(output) if isinstance(output, (list, tuple)) else [output]


def predicted_class(output) -> int:
    """The class a model output votes for: score > 0 for one output, else the argmax."""
    values = [float(v.data if hasattr(v, "data") else v) for v in output_list(output)]
    if len(values) == 1:
        return 1 if values[0] > 0.0 else 0
    return max(range(len(values)), key=values.__getitem__)


def is_correct(output, label) -> bool:
    """Whether the output votes for the label's class. One output: labels > 0 (1 or +1) are
    class 1, others (0 or -1) class 0. Several: the label is a class index or a one-hot list."""
    if len(output_list(output)) == 1:
        return predicted_class(output) == (1 if label > 0 else 0)
    if isinstance(label, (list, tuple)):
        label = predicted_class(label)
    return predicted_class(output) == label


def accuracy(model, X, y) -> float:
    """Fraction of samples whose predicted class (see `predicted_class`) equals the label;
    uses the model's float-only `predict`, so it builds no graph."""
    if len(X) != len(y) or not X:
        raise ValueError(f"accuracy: {len(X)} inputs but {len(y)} labels")
    return sum(is_correct(model.predict(x), t) for x, t in zip(X, y)) / len(X)
