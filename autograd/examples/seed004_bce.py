"""Seed 004: binary cross-entropy through a sigmoid output (1.1-1.6) and f = sigmoid(w.x) (2.2.2).

Part 1 derives, in closed form, the gradients of a two-layer net whose sigmoid output feeds a
binary cross-entropy: the gradient at the output pre-activation is h2 - y, the bias gets the
same, W2 gets (h2 - y) h1, and the hidden layer gets W2 (h2 - y) * h1 (1 - h1), times x for W1.
The solution has no numbers there, so the first stage puts the closed forms to work on numbers of
our own choosing and compares them with autodiff (digits=False: formulas, not printed digits).

Part 2.2.2 evaluates df/dx = sigma'(w.x) w and df/dw = sigma'(w.x) x for w = (2, -3, -3) and
x = (-1, -2, 1), where w.x = 1. What the checker finds: no slip in either part.

Why this stays a Python module: a sheet cannot say part 1 (boxed formulas checked against
autodiff at points of our choosing, digits=False). Part 2.2.2 is a sheet, so its stage is the
shipped worksheet `seed004_222` (graded with error carried forward), not a second copy here.
"""
from dataclasses import replace

from ..value import Value
from .base import Example, Stage

NAME = "seed004_bce"


def _closed_form_stage() -> Stage:
    x = [Value(1.0, label="x1", requires_grad=False), Value(-2.0, label="x2", requires_grad=False)]
    y = 1.0
    W1 = [[Value(0.5, label="W1_11"), Value(-0.3, label="W1_12")], [Value(0.2, label="W1_21"), Value(0.4, label="W1_22")]]
    b1 = [Value(0.1, label="b1_1"), Value(-0.1, label="b1_2")]
    W2, b2 = [Value(0.7, label="W2_1"), Value(-0.6, label="W2_2")], Value(0.05, label="b2")
    h1 = [(W1[r][0] * x[0] + W1[r][1] * x[1] + b1[r]).named(f"a1_{r + 1}").sigmoid().named(f"h1_{r + 1}")
          for r in range(2)]
    a2 = (W2[0] * h1[0] + W2[1] * h1[1] + b2).named("a2")
    h2 = a2.sigmoid().named("h2")
    loss = (-(y * h2.log() + (1 - y) * (1 - h2).log())).named("J")
    # the solution's boxed formulas, evaluated with plain floats
    g = h2.data - y                                                     # (1.2), (1.3)
    hidden = [W2[r].data * g * h1[r].data * (1 - h1[r].data) for r in range(2)]  # (1.5), (1.6)
    printed = {"h2": (None, (h2.data - y) / (h2.data * (1 - h2.data))),  # (1.1)
               "a2": (None, g), "b2": (None, g),
               **{f"W2_{r + 1}": (None, g * h1[r].data) for r in range(2)},  # (1.4)
               **{f"h1_{r + 1}": (None, W2[r].data * g) for r in range(2)},
               **{f"b1_{r + 1}": (None, hidden[r]) for r in range(2)},
               **{f"W1_{r + 1}{c + 1}": (None, hidden[r] * x[c].data) for r in range(2) for c in range(2)}}
    return Stage("closed_form", "1.1-1.6: boxed closed forms vs autodiff (our numbers)", loss,
                 printed, rtol=1e-12, digits=False, inputs=tuple(x))


def _sigmoid_dot_stage() -> Stage:
    # 2.2.2 exists once, as the shipped sheet (its labels: wx for w.x); only the stage's name is ours
    from .from_sheet import PREFIX, sheet_example
    (stage,) = sheet_example(PREFIX + "seed004_222").stages
    return replace(stage, name="sigmoid_dot", title="2.2.2: df/dx and df/dw of f = sigmoid(w.x)")


def build() -> Example:
    """Both parts as stages."""
    return Example(NAME, "BCE through a sigmoid output; f = sigmoid(w.x)",
                   "homework 004, questions 1.1-1.6 and 2.2.2", __doc__,
                   [_closed_form_stage(), _sigmoid_dot_stage()])
