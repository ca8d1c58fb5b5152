"""Seed 000 Q3: a 2-2-1 sigmoid network without biases and an un-halved squared error.

Two hidden sigmoid units each see two of the four inputs (h1 from x1, x2 through w1, w2; h2
from x3, x4 through w3, w4); the output sigmoid combines h1, h2 through w5, w6, and the loss is
L = (y - yhat)^2 with target y = 0.7 (no 1/2, so dL/dyhat = 2(yhat - y)). The question asks for
dL/dw1 .. dL/dw4.

What the checker finds: no genuine slip. The solution carried h1, h2 and yhat rounded to three
decimals through the chain, so s3 and dL/dw2..dL/dw4 are off in their last printed digit; the
worst is h2(1 - h2) computed as 0.985 * 0.015, which is 1.5 % high.
"""
from ..value import Value
from .base import Example, Printed, Stage, leaves_named

NAME = "seed000_net221"

_ROUNDED = "worked from h1, h2, yhat rounded to 3 decimals"


def build() -> Example:
    """The graph with the seed's numbers, and the values its solution printed."""
    w1, w2, w3 = Value(-1.7, label="w1"), Value(0.1, label="w2"), Value(-0.6, label="w3")
    w4, w5, w6 = Value(-1.8, label="w4"), Value(-0.2, label="w5"), Value(0.5, label="w6")
    x1, x2 = Value(-0.3, label="x1", requires_grad=False), Value(4.9, label="x2", requires_grad=False)
    x3, x4 = Value(1.1, label="x3", requires_grad=False), Value(-2.7, label="x4", requires_grad=False)
    y = Value(0.7, label="y", requires_grad=False)
    s1 = (w1 * x1 + w2 * x2).named("s1")
    s2 = (w3 * x3 + w4 * x4).named("s2")
    h1, h2 = s1.sigmoid().named("h1"), s2.sigmoid().named("h2")
    s3 = (w5 * h1 + w6 * h2).named("s3")
    yhat = s3.sigmoid().named("yhat")
    loss = ((y - yhat) ** 2).named("L")
    printed: dict[str, Printed] = {
        "s1": "1", "s2": "4.2", "h1": "0.731", "h2": "0.985", "s3": "0.3463", "yhat": "0.586",
        "w1": (None, "-0.00065"), "w2": (None, "0.01066"),
        "w3": (None, "-0.00045"), "w4": (None, "0.00110"),
    }
    notes = {
        ("s3", "value"): ("rounding", _ROUNDED),
        ("w2", "grad"): ("rounding", _ROUNDED),
        ("w3", "grad"): ("rounding", _ROUNDED + "; 0.985*0.015 is 1.5% above h2(1-h2)"),
        ("w4", "grad"): ("rounding", _ROUNDED + "; 0.985*0.015 is 1.5% above h2(1-h2)"),
    }
    stage = Stage("forward_backward", "forward pass and dL/dw1..dL/dw4", loss, printed, notes,
                  params=(w1, w2, w3, w4, w5, w6),
                  inputs=leaves_named(loss, ("x1", "x2", "x3", "x4")))
    return Example(NAME, "2-2-1 sigmoid net without biases, L = (y - yhat)^2",
                   "homework 000, question 3", __doc__, [stage])
