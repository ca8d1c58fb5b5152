"""softmax, log_softmax and logsumexp over a list of logits.

All three subtract the largest logit m first: exp(z - m) is at most 1, so nothing overflows
even for logits like +-86 (seed 000) or +-1000. The shift is exact, not an approximation:
softmax(z - m) = softmax(z) for any constant m, and m enters as a plain number (a detached
constant) or, in log_softmax, as the `max_shift` node (value max z, derivative 0), so no
gradient flows through the choice of m and the gradients are unchanged.

softmax and logsumexp are stable for ANY finite logits, even ones spanning more than the float
range (e.g. [1e308, -1e308], where z - m itself overflows): a logit more than `UNDERFLOW` below
the largest has e^(z - m) = 0 exactly in floats, so its term is built as z * 0 (value 0,
gradient 0: the true gradient, e^(z - m) times a bounded factor, also rounds to 0) without ever
forming z - m. log_softmax returns z_i - logsumexp(z), which for such a logit is below
-1.8e308 itself: that is not a float, and the engine raises an OverflowError naming the op.
"""
from __future__ import annotations

from autograd import Value, vsum
from autograd.value import max_shift

from .inputs import as_vector

__all__ = ["softmax", "log_softmax", "logsumexp", "UNDERFLOW"]

# e^x is exactly 0.0 in float64 for x < -745.14 (below the smallest subnormal, 5e-324).
UNDERFLOW = 746.0


def _shifted_exps(z: list, m: float) -> list:
    """e^(z_i - m) for each logit; exactly-zero terms are z_i * 0, never forming z_i - m."""
    # The zero takes z_i's sign so that the product is +0.0, as e^(z_i - m) would round to.
    return [(v - m).exp() if v.data - m > -UNDERFLOW else v * (0.0 if v.data >= 0 else -0.0)
            for v in z]


def logsumexp(logits) -> Value:
    """log(sum_k e^(z_k)) computed as m + log(sum_k e^(z_k - m)) with m = max z (no overflow)."""
    z = as_vector(logits, "logsumexp")
    m = max(v.data for v in z)
    return vsum(_shifted_exps(z, m)).log() + m


def log_softmax(logits) -> list:
    """[z_i - logsumexp(z)] for each logit: log-probabilities, finite even when a probability
    underflows to 0 (where log(softmax(z)) would fail).

    Computed as (z_i - m) - log(sum_k e^(z_k - m)), never as z_i - (m + log(...)): for the
    most likely class z_i - m is exactly 0, so a log-probability near 0 (a confident, correct
    prediction, e.g. -9.6e-14) keeps its digits instead of being rounded at the scale of m.
    A log-probability below -1.8e308 (logits spanning more than the float range) is not a
    float: the subtraction raises an OverflowError naming the op.
    """
    z = as_vector(logits, "log_softmax")
    # The shift is a node of the table (value max z, derivative 0), not the number max(z.data):
    # the same gradients, and a graph whose shape never depends on which logit is largest, so
    # `autograd.compile` can replay it on other samples.
    m = max_shift(z)
    shifted = [v - m for v in z]
    log_total = vsum([s.exp() for s in shifted]).log()
    return [s - log_total for s in shifted]


def softmax(logits) -> list:
    """[e^(z_i - m) / sum_k e^(z_k - m)]: probabilities that sum to 1, m = max z (no overflow)."""
    z = as_vector(logits, "softmax")
    m = max(v.data for v in z)
    exps = _shifted_exps(z, m)
    total = vsum(exps)  # >= 1, since the largest term is e^0 = 1: never a division by 0
    return [e / total for e in exps]
