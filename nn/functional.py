"""softmax, log_softmax and logsumexp over a list of logits, stable for any finite logits.

All three subtract the largest logit m first: exp(z - m) is at most 1, so nothing overflows
even for logits like +-86 (seed 000) or +-1000. The shift is exact, not an approximation:
softmax(z - m) = softmax(z) for any constant m, and m enters as a plain number (a detached
constant), so no gradient flows through the choice of m and the gradients are unchanged.
"""
from __future__ import annotations

from numbers import Real

from autograd import Value, vsum

__all__ = ["softmax", "log_softmax", "logsumexp", "as_vector"]


def as_vector(xs, who: str, label: str = "") -> list:
    """xs (a list of numbers/Values, or one of them) as a non-empty list of Values.

    Numbers become constant leaves (requires_grad=False): inputs and targets, not parameters.
    With `label`, the i-th new leaf is labelled label + str(i + 1) (x1, x2, ... for inputs).
    """
    if isinstance(xs, (Value, Real)):
        xs = [xs]
    try:
        xs = list(xs)
    except TypeError:
        raise TypeError(f"{who}: expected a list of numbers or Values, got "
                        f"{type(xs).__name__}: {xs!r}") from None
    if not xs:
        raise ValueError(f"{who}: got an empty list")
    out = []
    for i, x in enumerate(xs):
        if type(x) is Value:
            out.append(x)
        elif isinstance(x, Real) and not isinstance(x, bool):
            out.append(Value(x, label=f"{label}{i + 1}" if label else "", requires_grad=False))
        else:
            raise TypeError(f"{who}: expected numbers or Values, got {type(x).__name__}: {x!r}")
    return out


def logsumexp(logits) -> Value:
    """log(sum_k e^(z_k)) computed as m + log(sum_k e^(z_k - m)) with m = max z (no overflow)."""
    z = as_vector(logits, "logsumexp")
    m = max(v.data for v in z)
    return vsum([(v - m).exp() for v in z]).log() + m


def log_softmax(logits) -> list:
    """[z_i - logsumexp(z)] for each logit: log-probabilities, finite even when a probability
    underflows to 0 (where log(softmax(z)) would fail).

    Computed as (z_i - m) - log(sum_k e^(z_k - m)), never as z_i - (m + log(...)): for the
    most likely class z_i - m is exactly 0, so a log-probability near 0 (a confident, correct
    prediction, e.g. -9.6e-14) keeps its digits instead of being rounded at the scale of m.
    """
    z = as_vector(logits, "log_softmax")
    m = max(v.data for v in z)
    shifted = [v - m for v in z]
    log_total = vsum([s.exp() for s in shifted]).log()
    return [s - log_total for s in shifted]


def softmax(logits) -> list:
    """[e^(z_i - m) / sum_k e^(z_k - m)]: probabilities that sum to 1, m = max z (no overflow)."""
    z = as_vector(logits, "softmax")
    m = max(v.data for v in z)
    exps = [(v - m).exp() for v in z]
    total = vsum(exps)  # >= 1, since the largest term is e^0 = 1: never a division by 0
    return [e / total for e in exps]
