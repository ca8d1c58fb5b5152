"""Seed 001, artificial neurons: the bias trick, a decision boundary, sigmoid(0.0001), log-sigmoid.

Q1: weights (0.1, 0.2, 0.3) on the input (1, 1) with a 1 prepended (the bias trick) give the
pre-activation 0.6. Q4: the boundary of g = 1 + 2 x1 + 3 x2 has normal n = (2, 3); its unit
normal is n / |n| and its signed offset -theta0 / |n|, with |n| = sqrt(13). Q6: sigmoid(0.0001),
a value a step function would call 1, is barely above 0.5. Q8: d/da log(sigmoid(a)) = 1 - sigmoid(a),
checked at a = 0.5 (our choice). Q4 and Q8 print formulas, so they are evaluated and compared
with digits=False.

What the checker finds: Q4 is wrong. The solution put theta0 into the norm and then simplified
to sqrt(6) (as if 1 + 2 + 3 were the sum of squares), printing |n| as sqrt(1 + 4 + 9),
n_hat = (sqrt(6)/3, sqrt(6)/3) and d = -sqrt(6)/6. Q1, Q6 and Q8 are right.

Why this stays a Python module (the sheet `seed001_neuron` holds the same numbers): Q4 and Q8
were printed as formulas, checked here as formulas (digits=False, rtol 1e-9 and 1e-12) with a
note on why Q4 is wrong, where the sheet grades them as 7-digit decimals; the labels differ
('|n|', 'sigmoid(a)' here; 'norm', 's6' in the sheet); and the sheet's four questions are four
separate graphs, which the sheet-as-example stage (one root) cannot yet run.
"""
import math

from ..value import Value, vsum
from .base import Example, Stage

NAME = "seed001_neuron"


def _q1() -> Stage:
    theta = [Value(v, label=f"theta{i}") for i, v in enumerate((0.1, 0.2, 0.3))]
    x = [Value(v, label=f"x{i}", requires_grad=False) for i, v in enumerate((1.0, 1.0, 1.0))]
    out = vsum(t * xi for t, xi in zip(theta, x)).named("output")
    return Stage("q1_bias_trick", "Q1: a neuron with the bias trick", out, {"output": "0.6"},
                 inputs=tuple(x))


def _q4() -> Stage:
    t0, t1, t2 = Value(1.0, label="theta0"), Value(2.0, label="theta1"), Value(3.0, label="theta2")
    norm = (t1 ** 2 + t2 ** 2).sqrt().named("|n|")
    outputs = [(t1 / norm).named("n_hat1"), (t2 / norm).named("n_hat2"), (-t0 / norm).named("d")]
    printed = {"|n|": math.sqrt(1 + 4 + 9), "n_hat1": math.sqrt(6) / 3,  # the printed formulas
               "n_hat2": math.sqrt(6) / 3, "d": -math.sqrt(6) / 6}
    why = "theta0 included in the norm, then simplified with sqrt(6)"
    notes = {(label, "value"): ("slip", why) for label in printed}
    return Stage("q4_boundary", "Q4: unit normal and offset of 1 + 2 x1 + 3 x2 = 0", outputs,
                 printed, notes, rtol=1e-9, digits=False)


def _q6() -> Stage:
    out = (Value(0.0001, label="a").sigmoid()
           .named("sigmoid(a)"))
    return Stage("q6_sigmoid", "Q6: sigmoid(0.0001)", out, {"sigmoid(a)": "0.500025"})


def _q8() -> Stage:
    a = Value(0.5, label="a")
    out = (a.sigmoid()
           .named("sigmoid(a)").log().named("log sigmoid(a)"))
    formula = 1 - 1 / (1 + math.exp(-0.5))  # the printed 1 - sigmoid(a) at a = 0.5
    return Stage("q8_log_sigmoid", "Q8: d/da log sigmoid(a) = 1 - sigmoid(a)", out,
                 {"a": (None, formula)}, rtol=1e-12, digits=False)


def build() -> Example:
    """The four neuron questions as stages."""
    return Example(NAME, "a neuron: bias trick, decision boundary, sigmoid(0.0001), log-sigmoid",
                   "homework 001, artificial neurons questions 1, 4, 6, 8", __doc__,
                   [_q1(), _q4(), _q6(), _q8()])
