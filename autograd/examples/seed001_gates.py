"""Seed 001, computation graphs: how add, multiply, max and min gates route the gradient.

With an upstream gradient g arriving at a gate: add passes g to both inputs; multiply passes
x2 * g to x1 and x1 * g to x2; max passes g to the input that won and 0 to the other, and on a
tie (x1 >= x2) to the FIRST input; min does the same with x1 <= x2. The seed states these rules
without numbers, so this example puts them on numbers of our own (g = 2, with a tie for max and
for min) and compares the rules (digits=False) with the engine. The checker finds no slip.
"""
from ..value import Value, maximum, minimum, vsum
from .base import Example, Stage

NAME = "seed001_gates"
G = 2.0  # the upstream gradient every gate receives


def build() -> Example:
    """One graph: L = g * (each gate's output), summed, so each gate receives g."""
    x = {name: Value(v, label=name) for name, v in (("add_x1", 3.0), ("add_x2", -1.0), ("mul_x1", 3.0),
                                              ("mul_x2", -1.0), ("max_x1", 1.5), ("max_x2", 1.5),
                                              ("min_x1", 1.5), ("min_x2", 1.5), ("maxw_x1", -1.0),
                                              ("maxw_x2", 4.0))}
    gates = [(x["add_x1"] + x["add_x2"]).named("add"), (x["mul_x1"] * x["mul_x2"]).named("mul"),
             maximum(x["max_x1"], x["max_x2"]).named("max (tie)"),
             minimum(x["min_x1"], x["min_x2"]).named("min (tie)"),
             maximum(x["maxw_x1"], x["maxw_x2"]).named("max")]
    g = Value(G, label="g", requires_grad=False)
    loss = vsum(g * gate for gate in gates).named("L")
    rule = {"add_x1": 1 * G, "add_x2": 1 * G,            # 1 * g to each input
            "mul_x1": -1.0 * G, "mul_x2": 3.0 * G,        # the other input times g
            "max_x1": 1 * G, "max_x2": 0 * G,             # tie: x1 >= x2, so x1 gets g
            "min_x1": 1 * G, "min_x2": 0 * G,             # tie: x1 <= x2, so x1 gets g
            "maxw_x1": 0 * G, "maxw_x2": 1 * G}           # x2 is larger: it gets g
    printed = {label: (None, grad) for label, grad in rule.items()}
    printed.update({gate.label: (None, G) for gate in gates})
    stage = Stage("gates", "gradient routing through add, mul, max and min (ties included)",
                  loss, printed, rtol=1e-12, digits=False, inputs=tuple(x.values()))
    return Example(NAME, "how add, mul, max and min gates route the upstream gradient",
                   "homework 001, computation graphs", __doc__, [stage])
