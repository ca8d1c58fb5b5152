"""Seed 003 Q3: a 3-2-1 sigmoid network with biases and named parameters.

Input x = (0.02, 0.03, -2.06), target y = 0.61. Parameter w{i}{j}-{l} joins input i to unit j of
layer l and B{j}-{l} is the bias of unit j in layer l; every unit is a sigmoid and
L = 1/2 (y - yhat)^2. The solution prints the forward pass and every partial derivative.

What the checker finds: one genuine slip, dL/dw31-1 (printed -0.00285; even the solution's own
0.0014 * (-2.06) is -0.002884; the truth is -0.0029288). The hidden deltas were carried to two
significant digits, so dL/dw21-1, dL/dw32-1 and (y - yhat)^2 are off by rounding only. The
solution's first try at dyhat/dz1-2 used the pre-activation, z(1 - z) = 0.0789; that local
derivative is not a node of the graph, so it is left out (the corrected 0.2043 is used later).
"""
from ..value import Value
from .base import Example, Printed, Stage, leaves_named

NAME = "seed003_net321"


def build() -> Example:
    """The graph with the seed's parameter names, and the values its solution printed."""
    x = [Value(v, label=f"x{i}", requires_grad=False) for i, v in enumerate((0.02, 0.03, -2.06), 1)]
    hidden = {1: ((0.36, 0.74, -0.28), 0.7), 2: ((0.29, -0.27, -0.84), 0.17)}
    outs = []
    for j, (weights, bias) in hidden.items():
        w = [Value(v, label=f"w{i}{j}-1") for i, v in enumerate(weights, 1)]
        z = (w[0] * x[0] + w[1] * x[1] + w[2] * x[2] + Value(bias, label=f"B{j}-1")).named(f"z{j}-1")
        outs.append(z.sigmoid().named(f"y{j}-1"))
    w11, w21, b = Value(0.4, label="w11-2"), Value(1.16, label="w21-2"), Value(-0.41, label="B1-2")
    z2 = (outs[0] * w11 + outs[1] * w21 + b).named("z1-2")
    yhat = z2.sigmoid().named("yhat")
    square = ((Value(0.61, label="y", requires_grad=False) - yhat) ** 2).named("(y-yhat)^2")
    loss = (0.5 * square).named("L")
    grads = {"w11-1": "2.8e-5", "w21-1": "4.2e-5", "w31-1": "-0.00285", "w12-1": "5.6e-5",
             "w22-1": "8.4e-5", "w32-1": "-0.00577", "B1-1": "0.0014", "B2-1": "0.0028",
             "w11-2": "0.0167", "w21-2": "0.0184", "B1-2": "0.0212"}
    printed: dict[str, Printed] = {"z1-1": "1.3062", "z2-1": "1.8981", "y1-1": ("0.7869", "0.0085"),
               "y2-1": ("0.8697", "0.0246"), "z1-2": ("0.9136", "0.0212"),
               "yhat": ("0.7137", "0.1037"), "(y-yhat)^2": "0.01075", "L": "0.0054",
               **{label: (None, g) for label, g in grads.items()}}
    printed["z1-1"], printed["z2-1"] = ("1.3062", "0.0014"), ("1.8981", "0.0028")
    notes = {
        ("(y-yhat)^2", "value"): ("rounding", "worked from yhat rounded to 0.7137"),
        ("w21-1", "grad"): ("rounding", "0.0014 * 0.03 with the delta cut to 2 significant digits"),
        ("w32-1", "grad"): ("rounding", "0.0028 * (-2.06) with the delta cut to 2 significant digits"),
        ("w31-1", "grad"): ("slip", "0.0014 * (-2.06) is -0.002884, not -0.00285"),
    }
    stage = Stage("forward_backward", "forward pass and every partial derivative", loss, printed, notes,
                  inputs=leaves_named(loss, ("x1", "x2", "x3")))
    return Example(NAME, "3-2-1 sigmoid net with named parameters, L = 1/2 (y - yhat)^2",
                   "homework 003, question 3", __doc__, [stage])
