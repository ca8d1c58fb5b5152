"""Seed 002: a 2-2-1 sigmoid network with biases, one SGD step, and the forward pass again.

x = (0.05, 0.10), target y = 0.01, W1 = [[.15, .20], [.25, .30]] (row r feeds hidden unit r),
b1 = (.35, .35), W2 = (.40, .45), b2 = .60, sigmoid units, L = 1/2 (yhat - y)^2, learning
rate 0.5. Stage 1 is the forward and backward pass; stage 2 applies the update
p_new = p - 0.5 dL/dp (the gradients come from the engine) and runs the forward pass again.

What the checker finds: sigma(0.3925) printed as 0.596889 (truth 0.596884); hidden unit 2's
delta written as 0.062325 * 0.241300 (unit 1's sigma' reused; unit 2's is 0.240613), printed
0.0149974 (truth 0.0149961) and then used as 0.014974, which spoils dL/dW1_21, dL/dW1_22,
dL/db1_2 and their updates; dL/dW1_11 printed 0.0006689 for 0.0006684; and in the second
forward pass everything after z1_1_new is wrong (the new loss is 0.258015, not 0.2570, though
it does fall). Several values were cut instead of rounded (0.593269, 0.14966), which is
rounding only. Not modelled: the loose fragment at the top of the file (it uses y = 0.07) and
sigma' values, which are local derivatives, not nodes.

Why this stays a Python module: stage 2 is a training step on the same graph, started from the
engine's gradients of stage 1; the sheets `seed002` and `seed002_update` are two sheets, and
the second starts from the printed gradients (graded as carried), so its verdicts differ.
"""
from ..value import Value
from .base import Example, Printed, Stage, leaves_named

NAME = "seed002_net221_sgd"
LR = 0.5
_PARAMS = {"W1_11": 0.15, "W1_12": 0.20, "W1_21": 0.25, "W1_22": 0.30, "b1_1": 0.35,
           "b1_2": 0.35, "W2_1": 0.40, "W2_2": 0.45, "b2": 0.60}


def _forward(p: dict[str, Value], suffix: str = "") -> Value:
    """The network on x with parameters p (label -> Value); node labels get `suffix`."""
    x1, x2 = Value(0.05, label="x1", requires_grad=False), Value(0.10, label="x2", requires_grad=False)
    a = [((p[f"W1_{r}1"] * x1 + p[f"W1_{r}2"] * x2 + p[f"b1_{r}"]).named(f"z1_{r}{suffix}")
          .sigmoid().named(f"a1_{r}{suffix}")) for r in (1, 2)]
    z2 = (p["W2_1"] * a[0] + p["W2_2"] * a[1] + p["b2"]).named(f"z2{suffix}")
    yhat = z2.sigmoid().named(f"yhat{suffix}")
    return (0.5 * (yhat - Value(0.01, label="y", requires_grad=False)) ** 2).named(f"L{suffix}")


def _step_one() -> Stage:
    params = {label: Value(v, label=label) for label, v in _PARAMS.items()}
    loss = _forward(params)
    printed: dict[str, Printed] = {"z1_1": ("0.3775", "0.013368"), "z1_2": ("0.3925", "0.0149974"),
               "a1_1": ("0.593269", "0.055400"), "a1_2": ("0.596889", "0.062325"),
               "z2": ("1.1059054", "0.138499"), "yhat": ("0.751365", "0.741365"), "L": "0.274811",
               "W2_1": (None, "0.082167"), "W2_2": (None, "0.082668"), "b2": (None, "0.138499"),
               "W1_11": (None, "0.0006689"), "W1_12": (None, "0.0013368"),
               "W1_21": (None, "0.0007487"), "W1_22": (None, "0.0014974"),
               "b1_1": (None, "0.013368"), "b1_2": (None, "0.014974")}
    from_delta = "follows from unit 2's delta taken as 0.014974"
    notes = {("a1_1", "value"): ("rounding", "0.5932700 cut to 6 decimals"),
             ("z2", "value"): ("rounding", "worked from the cut 0.593269"),
             ("a1_1", "grad"): ("rounding", "from dL/dz2 rounded to 0.138499"),
             ("a1_2", "grad"): ("rounding", "from dL/dz2 rounded to 0.138499"),
             ("a1_2", "value"): ("slip", "sigma(0.3925) is 0.596884"),
             ("z1_2", "grad"): ("slip", "written 0.062325 * 0.241300 (unit 1's sigma')"),
             ("W1_11", "grad"): ("slip", "0.013368 * 0.05 is 0.0006684"),
             ("W1_21", "grad"): ("slip", from_delta), ("W1_22", "grad"): ("slip", from_delta),
             ("b1_2", "grad"): ("slip", from_delta)}
    return Stage("forward_backward", "forward pass and backpropagation", loss, printed, notes,
                 params=tuple(params.values()), inputs=leaves_named(loss, ("x1", "x2")))


def _step_two() -> Stage:
    # gradients of the same network from the engine: stage two starts from the true step
    first = _forward({label: Value(v, label=label) for label, v in _PARAMS.items()})
    first.backward()
    grads = {n.label: n.grad for n in _leaves(first) if n.label in _PARAMS}
    old = {label: Value(v, label=label) for label, v in _PARAMS.items()}
    new = {label: (old[label] - LR * Value(grads[label], label=f"dL/d{label}", requires_grad=False))
           .named(f"{label}_new") for label in _PARAMS}
    loss = _forward(new, "_new")
    printed: dict[str, Printed] = {"W2_1_new": "0.358917", "W2_2_new": "0.408666", "b2_new": "0.530751",
               "W1_11_new": "0.14966", "W1_12_new": "0.199332", "W1_21_new": "0.249626",
               "W1_22_new": "0.299251", "b1_1_new": "0.343316", "b1_2_new": "0.342513",
               "z1_1_new": "0.37073", "z1_2_new": "0.38919", "a1_1_new": "0.591862",
               "a1_2_new": "0.595952", "z2_new": "0.98615", "yhat_new": "0.727083", "L_new": "0.2570"}
    notes = {("W2_1_new", "value"): ("rounding", "from the gradient rounded to 0.082167"),
             ("W1_11_new", "value"): ("rounding", "0.1496658 cut to 0.14966"),
             ("W1_21_new", "value"): ("slip", "follows from unit 2's delta 0.014974"),
             ("W1_22_new", "value"): ("slip", "follows from unit 2's delta 0.014974"),
             ("b1_2_new", "value"): ("slip", "follows from unit 2's delta 0.014974"),
             ("z1_2_new", "value"): ("slip", "its own terms add up to 0.38492"),
             ("a1_1_new", "value"): ("slip", "sigma(0.37073) is 0.591636")}
    return Stage("update", "one SGD step (lr 0.5) and the forward pass again", loss, printed, notes,
                 params=tuple(old.values()), inputs=leaves_named(loss, ("x1", "x2")))


def _leaves(root: Value) -> list[Value]:
    from ..graph import topological_order
    return [n for n in topological_order(root) if n.is_leaf]


def build() -> Example:
    """Both stages: backprop, then the update and the new forward pass."""
    return Example(NAME, "2-2-1 sigmoid net with biases, one SGD step (lr 0.5)",
                   "homework 002, the two-layer net exercise", __doc__, [_step_one(), _step_two()])
