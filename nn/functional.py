"""softmax, log_softmax and logsumexp over a list of logits.

All three subtract the largest logit m first: exp(z - m) is at most 1, so nothing overflows
even for logits like +-86 (seed 000) or +-1000. The shift is exact, not an approximation:
softmax(z - m) = softmax(z) for any constant m, and m is the `max_shift` node (value max z,
derivative 0), so no gradient flows through the choice of m and the gradients are unchanged.
Being a node rather than the number max(z.data), it also keeps the graph's shape independent
of the data, which `autograd.compile` needs to replay these functions on other samples.

softmax and logsumexp are stable for ANY finite logits, even ones spanning more than the float
range (e.g. [1e308, -1e308], where z - m itself overflows): each logit is first raised to a
floor well below m (`max(z_i, floor) - m` is then always a float), which only moves
logits whose e^(z_i - m) is exactly 0 in floats anyway (value 0, gradient 0: the true
gradient, e^(z_i - m) times a bounded factor, also rounds to 0). log_softmax returns
z_i - logsumexp(z), which for such a logit is below -1.8e308 itself: that is not a float, and
the engine raises an OverflowError naming the op.
"""
from __future__ import annotations

import sys

from autograd import Value, maximum, minimum, vsum
from autograd.value import max_shift

from .inputs import Inputs, as_vector

__all__ = ["softmax", "log_softmax", "logsumexp", "UNDERFLOW"]

# e^x is exactly 0.0 in float64 for x < -745.14 (below the smallest subnormal, 5e-324): a
# logit more than UNDERFLOW below the largest has probability exactly 0.
UNDERFLOW = 746.0

# Half the largest float (exact: halving is exact), where the floor below saturates.
_HALF_LARGEST = sys.float_info.max / 2


def _shifted_exps(z: list[Value], m: Value) -> list[Value]:
    """e^(z_i - m) for each logit (m = max_shift(z)); z_i - m is never formed where it would
    overflow."""
    # The floor is -2048 for m >= 0, and 2 (m - 1024) for m < 0 (never below -1.8e308): it is
    # always below m, by at least 2048 or |m|, and floor - m is a float. So a logit below the
    # floor has e^(z_i - m) = 0 in floats, as does the floor itself: raising the logit to it
    # changes no value and passes no gradient (the max sends that to the floor, which gets
    # only 0: e^(floor - m) = 0 is the exp's local derivative). Every other logit is
    # untouched: max(z_i, floor) - m is z_i - m to the bit. The same nodes for every input:
    # nothing here reads .data.
    floor = 2.0 * maximum(minimum(m, 0.0) - 1024.0, -_HALF_LARGEST)
    return [(maximum(v, floor) - m).exp() for v in z]


def logsumexp(logits: Inputs) -> Value:
    """log(sum_k e^(z_k)) computed as m + log(sum_k e^(z_k - m)) with m = max z (no overflow)."""
    z = as_vector(logits, "logsumexp")
    m = max_shift(z)
    return vsum(_shifted_exps(z, m)).log() + m


def log_softmax(logits: Inputs) -> list[Value]:
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


def softmax(logits: Inputs) -> list[Value]:
    """[e^(z_i - m) / sum_k e^(z_k - m)]: probabilities that sum to 1, m = max z (no overflow)."""
    z = as_vector(logits, "softmax")
    m = max_shift(z)
    exps = _shifted_exps(z, m)
    total = vsum(exps)  # >= 1, since the largest term is e^0 = 1: never a division by 0
    return [e / total for e in exps]
