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

from numbers import Real

from autograd import Value, vsum

from .inputs import as_vector

__all__ = ["REDUCTIONS", "reduce", "paired", "mse_loss", "half_sse", "l1_loss", "huber_loss",
           "cosine_similarity", "l2_penalty"]

REDUCTIONS = ("mean", "sum", "none")


def reduce(terms: list, reduction: str, who: str):
    """Combine per-element losses: their mean or sum as one Value, or the list itself."""
    if reduction == "mean":
        return vsum(terms) / len(terms)
    if reduction == "sum":
        return vsum(terms)
    if reduction == "none":
        return terms
    raise ValueError(f"{who}: unknown reduction {reduction!r}; valid: {', '.join(REDUCTIONS)}")


def paired(pred, target, who: str, reduction: str = "mean") -> tuple:
    """(predictions, targets) as equally long lists of Values, or a clear error."""
    if reduction not in REDUCTIONS:
        raise ValueError(f"{who}: unknown reduction {reduction!r}; valid: {', '.join(REDUCTIONS)}")
    p, t = as_vector(pred, f"{who} predictions"), as_vector(target, f"{who} targets")
    if len(p) != len(t):
        raise ValueError(f"{who}: {len(p)} predictions but {len(t)} targets")
    return p, t


def mse_loss(pred, target, reduction: str = "mean"):
    """Mean (or sum) of (yhat - y)^2."""
    p, t = paired(pred, target, "mse_loss", reduction)
    return reduce([(pi - ti) ** 2 for pi, ti in zip(p, t)], reduction, "mse_loss")


def half_sse(pred, target) -> Value:
    """1/2 sum_i (y_i - yhat_i)^2, the worked examples' loss: its gradient is yhat - y."""
    p, t = paired(pred, target, "half_sse")
    return 0.5 * vsum([(ti - pi) ** 2 for pi, ti in zip(p, t)])


def l1_loss(pred, target, reduction: str = "mean"):
    """Mean (or sum) of |yhat - y|; the gradient is sign(yhat - y), 0 where they are equal."""
    p, t = paired(pred, target, "l1_loss", reduction)
    return reduce([(pi - ti).abs() for pi, ti in zip(p, t)], reduction, "l1_loss")


def huber_loss(pred, target, delta: float = 1.0, reduction: str = "mean"):
    """1/2 r^2 where |r| <= delta, else delta (|r| - delta/2), with r = yhat - y.

    Quadratic near the target, linear (robust to outliers) far from it; the two pieces and
    their slopes meet at |r| = delta.
    """
    if isinstance(delta, bool) or not isinstance(delta, Real) or not delta > 0:
        raise ValueError(f"huber_loss: delta must be a positive number, got {delta!r}")
    p, t = paired(pred, target, "huber_loss", reduction)
    terms = []
    for pi, ti in zip(p, t):
        # With m = min(|r|, delta): 1/2 m^2 + delta (|r| - m) is both pieces in one graph whose
        # shape does not depend on r (which autograd.compile needs); min's tie rule sends the
        # gradient to |r| at |r| = delta, where both slopes are delta anyway.
        a = (pi - ti).abs()
        m = a.min(delta)
        terms.append(0.5 * m ** 2 + delta * (a - m))
    return reduce(terms, reduction, "huber_loss")


def cosine_similarity(a, b) -> Value:
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


def l2_penalty(params) -> Value:
    """sum_p p^2 over parameters (a Module or a list of Values): add alpha * this to a loss."""
    if hasattr(params, "parameters"):
        params = params.parameters()
    params = list(params)
    if not params or not all(type(p) is Value for p in params):
        raise TypeError("l2_penalty needs a non-empty list of Values or a Module")
    return vsum([p * p for p in params])
