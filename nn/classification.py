"""Classification losses: binary cross-entropy (on probabilities or logits), cross-entropy over
softmax logits, and the SVM hinge loss.

Closed-form gradients these implementations must reproduce (seeds 001, 003, 004):
    cross_entropy(z, Y):                 dL/dz = softmax(z) - Y          (P - Y)
    binary_cross_entropy(sigmoid(a), y): dL/da = sigmoid(a) - y          (yhat - y)
    hinge_loss(s, y):                    dL/ds = -y where y s < 1, else 0
"""
from __future__ import annotations

import sys
from collections.abc import Sequence
from numbers import Integral, Real
from typing import Union, cast, overload

from autograd import Value, maximum, vsum

from .functional import log_softmax
from .inputs import Inputs, as_vector
from .losses import REDUCTIONS, Reduced, Reduction, paired, reduce

__all__ = ["binary_cross_entropy", "binary_cross_entropy_with_logits", "cross_entropy",
           "hinge_loss", "hinge_term", "logits_bce_term", "cross_entropy_term"]


# A cross-entropy target: a class index, or class probabilities (a one-hot list).
Target = Union[int, Inputs]

# The smallest normal float: log of it is finite, and so is its derivative 1 / _TINY.
_TINY = sys.float_info.min
# Any positive weight w (w >= 2^-1074) times this is >= 2^-1021, above _TINY.
_SCALE = 2.0 ** 53


def _check_unit_interval(values: list[Value], who: str, what: str, hint: str = "") -> None:
    """Refuse any value outside [0, 1], naming the loss, what it is and where it is."""
    for i, v in enumerate(values):
        if not 0.0 <= v.data <= 1.0:
            where = f" (node {v.label!r})" if v.label else ""
            raise ValueError(f"{who}: {what} must lie in [0, 1], got {v.data!r} at position "
                             f"{i}{where}{hint}")


def _zero_weight_floor(weight: Value, zero: Value, label: str) -> Value:
    """_TINY where the weight is 0 and exactly 0.0 where it is positive (a node, not a branch
    on .data, so the graph has the same shape for every target); `zero` is a node worth 0.0."""
    return maximum(_TINY - weight * _SCALE, zero).named(label)


def _unit_interval_zero(t: Value, not_t: Value) -> Value:
    """0.0, computed from t and 1 - t so that it is a domain error for t outside [0, 1]:
    (t (1 - t))^1.5 needs t (1 - t) >= 0. The object engine refuses such a target before
    building anything; a compiled replay (which has no such check) fails here and falls back
    to the object engine, which names it."""
    return (0.0 * (t * not_t) ** 1.5).named("0 (y in [0, 1])")


@overload
def binary_cross_entropy(prob: Inputs, target: Inputs,
                         reduction: Reduction = "mean") -> Value: ...
@overload
def binary_cross_entropy(prob: Inputs, target: Inputs, reduction: str) -> Reduced: ...


def binary_cross_entropy(prob: Inputs, target: Inputs, reduction: str = "mean") -> Reduced:
    """-(y log p + (1 - y) log(1 - p)) for probabilities p in [0, 1] and targets y in [0, 1].

    Soft targets (any y in [0, 1], e.g. label smoothing) are accepted, as in PyTorch; a
    probability or target outside [0, 1] is refused (it would give a meaningless, possibly
    negative, loss). A term whose weight is 0 (y = 0 or y = 1) contributes exactly 0, so
    p = 1 with y = 1 costs exactly 0. A probability that makes a weighted term log(0) raises:
    use the logits variant instead.
    """
    p, t = paired(prob, target, "binary_cross_entropy", reduction)
    _check_unit_interval(p, "binary_cross_entropy", "probabilities",
                         "; pass sigmoid outputs, or logits to binary_cross_entropy_with_logits")
    _check_unit_interval(t, "binary_cross_entropy", "targets")
    terms = []
    for pi, ti in zip(p, t):
        y = ti.data
        if (y > 0.0 and pi.data <= 0.0) or (y < 1.0 and pi.data >= 1.0):
            raise ValueError(
                f"binary_cross_entropy: probability {pi.data!r}"
                + (f" (node {pi.label!r})" if pi.label else "")
                + f" with target {y!r} needs log(0); a saturated sigmoid rounds to 0 or 1, so pass "
                "the logits to binary_cross_entropy_with_logits, which is exact for any logit")
        # Both terms for every sample: leaving out the one whose weight is 0 would make the
        # graph's shape depend on the target, which `autograd.compile` cannot replay. Such a
        # term may meet log(0) (p = 0 with y = 0, p = 1 with y = 1), so its argument gets _TINY
        # added exactly when its weight is 0: the term is then 0 * log(_TINY) = 0 and passes
        # no gradient. A positive weight adds 0.0, leaving the term unchanged to the bit.
        not_y = 1.0 - ti
        zero = _unit_interval_zero(ti, not_y)
        log_p = (pi + _zero_weight_floor(ti, zero, "tiny if y = 0")).log()
        log_not_p = ((1.0 - pi) + _zero_weight_floor(not_y, zero, "tiny if y = 1")).log()
        terms.append(-vsum([ti * log_p, not_y * log_not_p]))
    return reduce(terms, reduction, "binary_cross_entropy")


@overload
def binary_cross_entropy_with_logits(logits: Inputs, target: Inputs,
                                     reduction: Reduction = "mean") -> Value: ...
@overload
def binary_cross_entropy_with_logits(logits: Inputs, target: Inputs,
                                     reduction: str) -> Reduced: ...


def binary_cross_entropy_with_logits(logits: Inputs, target: Inputs,
                                     reduction: str = "mean") -> Reduced:
    """binary_cross_entropy(sigmoid(z), y) computed as softplus(z) - y z: no exp overflow, no
    log(0); the gradient is exactly sigmoid(z) - y. Logits are any finite numbers; targets
    must lie in [0, 1] (soft targets accepted)."""
    z, t = paired(logits, target, "binary_cross_entropy_with_logits", reduction)
    _check_unit_interval(t, "binary_cross_entropy_with_logits", "targets")
    return reduce([logits_bce_term(zi, ti) for zi, ti in zip(z, t)], reduction,
                  "binary_cross_entropy_with_logits")


def logits_bce_term(z: Value, y: Value | float) -> Value:
    """One sample's binary cross-entropy from its logit z and target y (checked by the
    caller): softplus(z) - y z."""
    return z.softplus() - y * z


def hinge_term(score: Value, label: Value | float) -> Value:
    """One sample's hinge loss max(0, 1 - y s) for a label y in {-1, +1} (checked by the
    caller). y * s, not y.data * s: the label is an input of the graph, not a number frozen
    into it, so a compiled step (autograd.compile) replays the same graph for every label."""
    return (1.0 - label * score).relu()


def cross_entropy_term(logits: list[Value], target: Sequence[Value | float]) -> Value:
    """One sample's softmax cross-entropy -sum_k Y_k log softmax(z)_k for a target vector Y of
    the logits' length (checked by the caller). Every class keeps its term (a zero weight adds
    exactly 0): the graph's shape must not depend on the target's values, or a compiled step
    could not replay it for other targets."""
    return -vsum([yk * lk for yk, lk in zip(target, log_softmax(logits))])


def _sample_cross_entropy(logits: Inputs, target: Target, who: str) -> Value:
    """-sum_k Y_k log softmax(z)_k for one sample; target a class index or a vector Y."""
    z = as_vector(logits, who)
    if isinstance(target, (int, Integral)) and not isinstance(target, bool):
        log_p = log_softmax(z)
        index = int(target)
        if not 0 <= index < len(log_p):
            raise ValueError(f"{who}: class index {target} out of range for {len(log_p)} classes")
        return -log_p[index]
    if isinstance(target, (Real, bool, str)):
        raise TypeError(f"{who}: a target is a class index (int) or a list of class "
                        f"probabilities (one-hot), got {type(target).__name__}: {target!r}")
    y = as_vector(target, f"{who} target")
    if len(y) != len(z):
        raise ValueError(f"{who}: {len(z)} logits but a target of length {len(y)}")
    if any(yk.data < 0.0 for yk in y):
        raise ValueError(f"{who}: target probabilities must be >= 0, got {[v.data for v in y]}")
    return cross_entropy_term(z, y)


@overload
def cross_entropy(logits: Inputs | Sequence[Inputs], target: Target | Sequence[Target],
                  reduction: Reduction = "mean") -> Value: ...
@overload
def cross_entropy(logits: Inputs | Sequence[Inputs], target: Target | Sequence[Target],
                  reduction: str) -> Reduced: ...


def cross_entropy(logits: Inputs | Sequence[Inputs], target: Target | Sequence[Target],
                  reduction: str = "mean") -> Reduced:
    """Softmax cross-entropy from raw logits (never from probabilities).

    One sample: logits is a list of C numbers/Values and target a class index or a one-hot
    (or probability) list. A batch: logits is a list of such lists and target a list of
    targets; the per-sample losses are combined by `reduction` ("mean", "sum" or "none").
    With a target that sums to 1, dL/dz = softmax(z) - Y.
    """
    if not isinstance(reduction, str) or reduction not in REDUCTIONS:
        raise ValueError(f"cross_entropy: unknown reduction {reduction!r}; "
                         f"valid: {', '.join(REDUCTIONS)}")
    if not (isinstance(logits, (list, tuple)) and logits and isinstance(logits[0], (list, tuple))):
        # one sample (as_vector and _sample_cross_entropy check what it holds)
        return _sample_cross_entropy(cast(Inputs, logits), cast(Target, target), "cross_entropy")
    targets = list(target) if isinstance(target, (list, tuple)) else None
    if targets is None or len(targets) != len(logits):
        raise ValueError(f"cross_entropy: {len(logits)} samples of logits need a list of "
                         f"{len(logits)} targets")
    terms = [_sample_cross_entropy(z, y, f"cross_entropy (sample {i})")
             for i, (z, y) in enumerate(zip(logits, targets))]
    return reduce(terms, reduction, "cross_entropy")


@overload
def hinge_loss(scores: Inputs, labels: Inputs, reduction: Reduction = "mean") -> Value: ...
@overload
def hinge_loss(scores: Inputs, labels: Inputs, reduction: str) -> Reduced: ...


def hinge_loss(scores: Inputs, labels: Inputs, reduction: str = "mean") -> Reduced:
    """max(0, 1 - y s) for scores s and labels y in {-1, +1} (the SVM max-margin loss).

    Labels 0/1 are refused rather than guessed: convert with y = 2 * label - 1.
    """
    s, y = paired(scores, labels, "hinge_loss", reduction)
    for yi in y:
        if yi.data not in (-1.0, 1.0):
            raise ValueError(f"hinge_loss: labels must be -1 or +1, got {yi.data!r} "
                             "(for 0/1 labels use 2 * label - 1)")
    return reduce([hinge_term(si, yi) for si, yi in zip(s, y)], reduction, "hinge_loss")
