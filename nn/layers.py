"""`Neuron` and `Layer`: a weighted sum plus bias through an activation, and a row of them.

A neuron's weighted sum is ONE `vsum` node over the products w_i * x_i (and the bias), not a
chain of additions: the graph is smaller, backward faster and a diagram easier to read.
Numeric inputs become constant leaves (requires_grad=False) labelled x1, x2, ... (1-based, as
in the worked examples), so they show in diagrams but are never mistaken for parameters.
"""
from __future__ import annotations

from autograd import Value, vsum

from .activations import (apply_activation, apply_activation_float, check_activation,
                          init_weight, make_rng)
from .functional import as_vector
from .module import Module, checked_number

__all__ = ["Neuron", "Layer", "as_inputs"]


def as_inputs(x, nin: int, who: str) -> list:
    """x (numbers or Values) as a list of Values, checking there are exactly `nin` of them."""
    values = as_vector(x, who, label="x")
    if len(values) != nin:
        raise ValueError(f"{who} expects {nin} inputs, got {len(values)}: {x!r}")
    return values


def _check_size(n, what: str) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"{what} must be a positive int, got {n!r}")
    return n


class Neuron(Module):
    """activation(w . x + b) for one output; `Neuron(nin, activation="tanh", bias=True, rng=None)`.

    rng is None (seed 0), an int seed or a `random.Random`. Calling a neuron returns one Value.
    """

    def __init__(self, nin: int, activation: str = "tanh", bias: bool = True, rng=None):
        self.nin = _check_size(nin, "nin")
        self.activation = check_activation(activation)
        rng = make_rng(rng)
        self.w = [Value(init_weight(rng, nin, activation)) for _ in range(nin)]
        # Biases start at 0: the random weights already break the symmetry between neurons.
        self.b = Value(0.0) if bias else None
        self.label_parameters()

    @classmethod
    def from_weights(cls, w, b=None, activation: str = "tanh") -> "Neuron":
        """A neuron with exactly these weights (a list of nin numbers) and bias (None: no bias)."""
        w = list(w)
        neuron = cls(len(w), activation, bias=b is not None)
        for p, v in zip(neuron.w, w):
            p.data = checked_number(p.label, v)
        if b is not None:
            neuron.b.data = checked_number(neuron.b.label, b)
        return neuron

    def forward(self, x) -> Value:
        """activation(sum_i w_i x_i + b) as a Value; x is a list of nin numbers or Values."""
        return self._weighted(as_inputs(x, self.nin, f"{self._prefix or 'Neuron'}"))

    def _weighted(self, x: list) -> Value:
        """forward for x already checked and wrapped (a Layer checks its input once, not per
        neuron: this loop is the hot path of training)."""
        terms = [wi * xi for wi, xi in zip(self.w, x)]
        if self.b is not None:
            terms.append(self.b)
        z = vsum(terms).named(self._prefix + "z")
        if self.activation == "linear":
            return z
        return apply_activation(self.activation, z).named(self._prefix + "a")

    def predict(self, x) -> float:
        """The same output as a plain float, without building a graph (fast; for plots)."""
        z = sum(wi.data * float(xi) for wi, xi in zip(self.w, x))
        if self.b is not None:
            z += self.b.data
        return apply_activation_float(self.activation, z)

    def extra_repr(self) -> str:
        """'3 inputs, tanh, bias': what the repr shows."""
        bias = "bias" if self.b is not None else "no bias"
        return f"{self.nin} inputs, {self.activation}, {bias}"


class Layer(Module):
    """`Layer(nin, nout, activation="tanh", bias=True, rng=None)`: nout neurons on the same inputs.

    Calling a layer ALWAYS returns a list of Values, even when nout is 1.
    """

    def __init__(self, nin: int, nout: int, activation: str = "tanh", bias: bool = True, rng=None):
        _check_size(nout, "nout")
        rng = make_rng(rng)  # one stream shared by the neurons, so they differ from each other
        self.nin, self.nout, self.activation = _check_size(nin, "nin"), nout, activation
        self.neurons = [Neuron(nin, activation, bias, rng) for _ in range(nout)]
        self.label_parameters()

    @classmethod
    def from_weights(cls, rows, biases=None, activation: str = "tanh") -> "Layer":
        """A layer from weight rows (one row of nin numbers per neuron) and biases (or None)."""
        rows = [list(r) for r in rows]
        if not rows or any(len(r) != len(rows[0]) for r in rows):
            raise ValueError(f"weight rows must be non-empty and of equal length, got {rows!r}")
        if biases is not None and len(biases) != len(rows):
            raise ValueError(f"{len(rows)} weight rows but {len(biases)} biases: {biases!r}")
        layer = cls(len(rows[0]), len(rows), activation, bias=biases is not None)
        for j, neuron in enumerate(layer.neurons):
            for p, v in zip(neuron.w, rows[j]):
                p.data = checked_number(p.label, v)
            if biases is not None:
                neuron.b.data = checked_number(neuron.b.label, biases[j])
        return layer

    def forward(self, x) -> list:
        """[neuron(x) for each neuron]: a list of nout Values."""
        x = as_inputs(x, self.nin, f"{self._prefix or 'Layer'}")  # one shared leaf per input
        return [n._weighted(x) for n in self.neurons]

    def predict(self, x) -> list:
        """The outputs as plain floats, without building a graph."""
        return [n.predict(x) for n in self.neurons]

    def extra_repr(self) -> str:
        """'2 -> 16, relu': what the repr shows."""
        return f"{self.nin} -> {self.nout}, {self.activation}"

    def __repr__(self) -> str:
        # A layer of 16 identical neurons reads better as one line than as 16 lines.
        return f"Layer({self.extra_repr()}, {self.num_parameters()} parameters)"
