"""Seed 001 Q12: a three-sample regression net with the bias trick.

Samples x* = (1, 1, 2), (1, 1, 3), (1, 2, 2) (a 1 prepended), three logistic hidden units with
weight rows w1 = (.01, .02, .03), w2 = (.03, .01, .02), w3 = (.02, .03, .01), a linear output
yhat_i = v . (1, z_i1, z_i2, z_i3) with v = (.01, .02, .03, .04), targets (8, 11, 10) and
L = sum_i (y_i - yhat_i)^2 (no 1/2). Labels follow the solution: XW{j}_{i} is entry i of X* w_j,
Z{j}_{i} = sigmoid of it, w{j}_{k} is entry k of w_j.

What the checker finds: the pre-activations and hidden outputs are right, and everything after
them is wrong. The solution fed the output unit hidden unit j over the three samples instead
of sample i's three hidden units (Z* transposed), so every yhat is off; the squares and the total
(287.694, truth 281.700) do not even follow from its own numbers; dL/dyhat has the wrong sign
(it printed 2(y - yhat)), which flips every gradient after it; and dL/dW comes from a mis-shaped
chain, 2.7 to 12 times too large. Not modelled: the stacked Z matrices and the sigma' table
(repeats of node values and local derivatives).

Why this stays a Python module: no shipped sheet states this three-sample net (a sheet could;
until one ships, the example is here).
"""
from ..value import Value, vsum
from .base import Example, Printed, Stage

NAME = "seed001_q12"
_X = ((1.0, 1.0, 2.0), (1.0, 1.0, 3.0), (1.0, 2.0, 2.0))
_W = ((0.01, 0.02, 0.03), (0.03, 0.01, 0.02), (0.02, 0.03, 0.01))
_PRINTED_XW = (("0.09", "0.12", "0.11"), ("0.08", "0.10", "0.09"), ("0.07", "0.08", "0.10"))
_PRINTED_Z = (("0.52248", "0.52996", "0.52747"), ("0.51999", "0.52498", "0.52248"),
              ("0.51749", "0.51999", "0.52498"))
_PRINTED_DW = (("3.46", "3.46", "6.92"), ("1.15", "1.73", "2.88"), ("1.73", "2.31", "4.04"))


def build() -> Example:
    """The batch graph and the values its solution printed."""
    w = [[Value(v, label=f"w{j + 1}_{k + 1}") for k, v in enumerate(row)] for j, row in enumerate(_W)]
    v = [Value(c, label=f"v{k + 1}") for k, c in enumerate((0.01, 0.02, 0.03, 0.04))]
    losses = []
    for i, (xs, target) in enumerate(zip(_X, (8.0, 11.0, 10.0)), 1):
        xw = [vsum(wk * xk for wk, xk in zip(w[j], xs)).named(f"XW{j + 1}_{i}") for j in range(3)]
        z = [node.sigmoid()
             .named(f"Z{j + 1}_{i}") for j, node in enumerate(xw)]
        yhat = (v[0] + vsum(vk * zk for vk, zk in zip(v[1:], z))).named(f"yhat{i}")
        losses.append(((Value(target, label=f"y{i}", requires_grad=False) - yhat) ** 2).named(f"L{i}"))
    loss = vsum(losses).named("L")
    printed: dict[str, Printed] = {f"XW{j + 1}_{i + 1}": _PRINTED_XW[j][i] for j in range(3) for i in range(3)}
    printed.update({f"Z{j + 1}_{i + 1}": _PRINTED_Z[j][i] for j in range(3) for i in range(3)})
    printed.update({"yhat1": ("0.0574", "15.885"), "yhat2": ("0.0570", "21.886"),
                    "yhat3": ("0.0569", "19.886"), "L1": "63.0841", "L2": "119.7482",
                    "L3": "98.9643", "L": "287.694"})
    printed.update({f"v{k + 1}": (None, g) for k, g in enumerate(("57.657", "29.971", "30.249", "30.254"))})
    printed.update({f"w{j + 1}_{k + 1}": (None, _PRINTED_DW[j][k]) for j in range(3) for k in range(3)})
    notes = {(f"yhat{i}", "value"): ("slip", "Z* transposed: hidden unit i over the samples used")
             for i in (1, 2, 3)}
    notes.update({(f"yhat{i}", "grad"): ("slip", "sign flipped: 2(y - yhat) printed") for i in (1, 2, 3)})
    notes[("L", "value")] = ("slip", "not even the sum of its own three terms (281.797)")
    stage = Stage("forward_backward", "batch forward pass, dL/dyhat, dL/dv, dL/dW", loss, printed, notes)
    return Example(NAME, "three-sample regression net with the bias trick",
                   "homework 001, question 12", __doc__, [stage])
