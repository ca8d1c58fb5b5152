"""Activations by name ("tanh", "relu", "sigmoid", "linear") and the random initialisation.

Each activation is looked up once, when a layer is built, so a typo fails at construction time
with the list of valid names, not in the middle of training. The float versions come from the
engine's own op table (`autograd.OPS[...].forward`), so `Module.predict` (no graph) and the
Value forward cannot disagree.
"""
from __future__ import annotations

import math
import random

from autograd import OPS, Value

__all__ = ["ACTIVATIONS", "check_activation", "resolve_activation", "apply_activation", "apply_activation_float",
           "make_rng", "init_weight"]

# Gains keep the variance of a layer's output near that of its input at initialisation:
# relu zeroes half of its inputs, so its weights are sqrt(2) larger (He et al. 2015).
ACTIVATIONS = {"tanh": 1.0, "relu": math.sqrt(2.0), "sigmoid": 1.0, "linear": 1.0}


def check_activation(name: str) -> str:
    """`name` if it is a known activation, else a ValueError listing the valid ones."""
    if not isinstance(name, str) or name not in ACTIVATIONS:
        raise ValueError(f"unknown activation {name!r}; valid activations are "
                         + ", ".join(repr(a) for a in ACTIVATIONS))
    return name


def resolve_activation(activation: str | None, nonlin: bool | None, who: str) -> str:
    """The activation name from `activation=` or micrograd's `nonlin=` (True: relu, False: linear).

    Both None: "tanh" (this package's default). micrograd's Neuron(nin, nonlin=True) is a ReLU
    neuron, so micrograd code keeps its meaning; giving both keywords is refused, not guessed.
    """
    if nonlin is None:
        return check_activation("tanh" if activation is None else activation)
    if activation is not None:
        raise ValueError(f"{who}: give activation={activation!r} or nonlin={nonlin!r}, not both "
                         "(nonlin=True is micrograd's relu, nonlin=False linear)")
    if not isinstance(nonlin, bool):
        raise TypeError(f"{who}: nonlin must be True (relu) or False (linear), "
                        f"got {type(nonlin).__name__}: {nonlin!r}")
    return "relu" if nonlin else "linear"


def apply_activation(name: str, z: Value) -> Value:
    """The activation `name` applied to the node z ("linear" returns z itself: no extra node)."""
    if name == "linear":
        return z
    node: Value = getattr(z, name)()  # Value.tanh / .relu / .sigmoid: one node from the op table
    return node


def apply_activation_float(name: str, z: float) -> float:
    """The activation `name` applied to a plain float, by the same op-table forward."""
    if name == "linear":
        return z
    out: float = OPS[name].forward(z, None)
    return out


def make_rng(rng: int | random.Random | None) -> random.Random:
    """A `random.Random` from None (seed 0), an int seed, or an existing Random (shared).

    Models never touch the global `random` state: the same seed gives the same model whatever
    else the program has drawn.
    """
    if rng is None:
        return random.Random(0)
    if isinstance(rng, random.Random):
        return rng
    if isinstance(rng, int) and not isinstance(rng, bool):
        return random.Random(rng)
    raise TypeError(f"rng must be None, an int seed or a random.Random, got {type(rng).__name__}")


def init_weight(rng: random.Random, nin: int, activation: str) -> float:
    """A fan-in scaled random weight: uniform on +-gain*sqrt(3/nin), i.e. variance gain^2/nin."""
    limit = ACTIVATIONS[activation] * math.sqrt(3.0 / nin)
    return rng.uniform(-limit, limit)
