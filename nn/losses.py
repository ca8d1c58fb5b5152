"""Regression losses and shared helpers: mse, half sum of squares, L1, Huber, cosine, L2 penalty.

Every loss takes predictions (Values or numbers, a list or a single one) and targets, checks
that the two have the same length, and reduces the per-element losses with `reduction`:
"mean" (the default, as in PyTorch), "sum", or "none" (the list of per-element losses).
Closed-form gradients (seed 003 Part B), for r = yhat - y:
    mse:   2 r / n        half_sse: r         l1: sign(r) (0 at r = 0)
    huber: r if |r| <= delta else delta sign(r)
    cosine: y_i / (|y||yhat|) - yhat_i cos / |yhat|^2
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from numbers import Real
from typing import Literal, Union, overload

from autograd import Value, minimum, vsum

from .inputs import Inputs, as_vector
from .optim import HasParameters

__all__ = ["REDUCTIONS", "reduce", "paired", "mse_loss", "half_sse", "l1_loss", "huber_loss",
           "cosine_similarity", "l2_penalty", "Reduced", "Reduction", "squared_error_term"]

REDUCTIONS = ("mean", "sum", "none")
# "mean" and "sum" give one Value; "none" (any string, to a type checker) the list of terms.
Reduction = Literal["mean", "sum"]
Reduced = Union[Value, list[Value]]


@overload
def reduce(terms: list[Value], reduction: Reduction, who: str) -> Value: ...
@overload
def reduce(terms: list[Value], reduction: str, who: str) -> Reduced: ...


def reduce(terms: list[Value], reduction: str, who: str) -> Reduced:
    """Combine per-element losses: their mean or sum as one Value, or the list itself."""
    if reduction == "mean":
        return vsum(terms) / len(terms)
    if reduction == "sum":
        return vsum(terms)
    if reduction == "none":
        return terms
    raise ValueError(f"{who}: unknown reduction {reduction!r}; valid: {', '.join(REDUCTIONS)}")


def paired(pred: Inputs, target: Inputs, who: str,
           reduction: str = "mean") -> tuple[list[Value], list[Value]]:
    """(predictions, targets) as equally long lists of Values, or a clear error."""
    if not isinstance(reduction, str) or reduction not in REDUCTIONS:
        raise ValueError(f"{who}: unknown reduction {reduction!r}; valid: {', '.join(REDUCTIONS)}")
    p, t = as_vector(pred, f"{who} predictions"), as_vector(target, f"{who} targets")
    if len(p) != len(t):
        raise ValueError(f"{who}: {len(p)} predictions but {len(t)} targets")
    return p, t


@overload
def mse_loss(pred: Inputs, target: Inputs, reduction: Reduction = "mean") -> Value: ...
@overload
def mse_loss(pred: Inputs, target: Inputs, reduction: str) -> Reduced: ...


def mse_loss(pred: Inputs, target: Inputs, reduction: str = "mean") -> Reduced:
    """Mean (or sum) of (yhat - y)^2, as PyTorch's `MSELoss`.

    The gradient to each prediction is 2 (yhat - y) / n for the mean (2 (yhat - y) for the sum);
    `reduction="none"` gives the list of squares.
    """
    p, t = paired(pred, target, "mse_loss", reduction)
    return reduce([(pi - ti) ** 2 for pi, ti in zip(p, t)], reduction, "mse_loss")


def squared_error_term(outputs: list[Value], target: Sequence[Value | float]) -> Value:
    """One sample's mean squared error over its outputs: mean_k (o_k - t_k)^2 (the target's
    length checked by the caller)."""
    return vsum([(o - tk) ** 2 for o, tk in zip(outputs, target)]) / len(outputs)


def half_sse(pred: Inputs, target: Inputs) -> Value:
    """1/2 sum_i (y_i - yhat_i)^2, the worked examples' loss: its gradient is yhat - y."""
    p, t = paired(pred, target, "half_sse")
    return 0.5 * vsum([(ti - pi) ** 2 for pi, ti in zip(p, t)])


@overload
def l1_loss(pred: Inputs, target: Inputs, reduction: Reduction = "mean") -> Value: ...
@overload
def l1_loss(pred: Inputs, target: Inputs, reduction: str) -> Reduced: ...


def l1_loss(pred: Inputs, target: Inputs, reduction: str = "mean") -> Reduced:
    """Mean (or sum) of |yhat - y|; the gradient is sign(yhat - y), 0 where they are equal."""
    p, t = paired(pred, target, "l1_loss", reduction)
    return reduce([(pi - ti).abs() for pi, ti in zip(p, t)], reduction, "l1_loss")


@overload
def huber_loss(pred: Inputs, target: Inputs, delta: float = 1.0,
               reduction: Reduction = "mean") -> Value: ...
@overload
def huber_loss(pred: Inputs, target: Inputs, delta: float, reduction: str) -> Reduced: ...
@overload
def huber_loss(pred: Inputs, target: Inputs, *, reduction: str) -> Reduced: ...


def huber_loss(pred: Inputs, target: Inputs, delta: float = 1.0,
               reduction: str = "mean") -> Reduced:
    """1/2 r^2 where |r| <= delta, else delta (|r| - delta/2), with r = yhat - y.

    Quadratic near the target, linear (robust to outliers) far from it; the two pieces and
    their slopes meet at |r| = delta.
    """
    if isinstance(delta, bool) or not isinstance(delta, Real) or not delta > 0:
        raise ValueError(f"huber_loss: delta must be a positive number, got {delta!r}")
    p, t = paired(pred, target, "huber_loss", reduction)
    terms: list[Value] = []
    for pi, ti in zip(p, t):
        # With m = min(|r|, delta): 1/2 m^2 + delta (|r| - m) is both pieces in one graph whose
        # shape does not depend on r (which autograd.compile needs); min's tie rule sends the
        # gradient to |r| at |r| = delta, where both slopes are delta anyway.
        a = (pi - ti).abs()
        m = minimum(a, delta)
        terms.append(0.5 * m ** 2 + delta * (a - m))
    return reduce(terms, reduction, "huber_loss")


def cosine_similarity(a: Inputs, b: Inputs) -> Value:
    """sum a_i b_i / (|a| |b|): the cosine of the angle between two vectors, in [-1, 1]."""
    u, v = paired(a, b, "cosine_similarity")
    for name, vec in (("first", u), ("second", v)):
        if all(x.data == 0.0 for x in vec):
            raise ValueError(f"cosine_similarity: the {name} vector is zero, so its direction "
                             "(and the cosine) is undefined")
    dot = vsum([ui * vi for ui, vi in zip(u, v)])
    norm_u = vsum([ui * ui for ui in u]).sqrt()
    norm_v = vsum([vi * vi for vi in v]).sqrt()
    return dot / (norm_u * norm_v)


def l2_penalty(params: HasParameters | Iterable[Value]) -> Value:
    """sum_p p^2 over parameters (a Module or a list of Values): add alpha * this to a loss."""
    source = params.parameters() if hasattr(params, "parameters") else params
    if isinstance(source, Value) or not isinstance(source, Iterable):
        raise TypeError("l2_penalty needs a non-empty list of Values or a Module, got "
                        f"{type(params).__name__}")
    values = list(source)
    if not values or not all(type(p) is Value for p in values):
        raise TypeError("l2_penalty needs a non-empty list of Values or a Module")
    return vsum([p * p for p in values])
