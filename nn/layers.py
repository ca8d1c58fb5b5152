"""`Neuron` and `Layer`: a weighted sum plus bias through an activation, and a row of them.

A neuron's weighted sum is ONE `vsum` node over the products w_i * x_i (and the bias), not a
chain of additions: the graph is smaller, backward faster and a diagram easier to read.
Numeric inputs become constant leaves (requires_grad=False) labelled x1, x2, ... (1-based, as
in the worked examples), so they show in diagrams but are never mistaken for parameters.

micrograd's spellings work too: `Neuron(nin, nonlin=False)`, `Layer(nin, nout, nonlin=True)`
(nonlin=True is micrograd's ReLU), and a layer with ONE output returns that Value itself, as
micrograd's does (more outputs: a list).
"""
from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from typing import TypeVar

from autograd import Value, vsum
from autograd.coerce import checked_flag

from .activations import (apply_activation, apply_activation_float, init_weight, make_rng,
                          resolve_activation)
from .inputs import Inputs, as_floats, as_inputs, check_size, checked_number
from .module import Module

__all__ = ["Neuron", "Layer"]


T = TypeVar("T")


def one_or_list(outputs: list[T]) -> T | list[T]:
    """micrograd's rule: the single output itself when there is one, else the list."""
    return outputs[0] if len(outputs) == 1 else outputs


class Neuron(Module):
    """activation(w . x + b) for one output; `Neuron(nin, activation="tanh", bias=True, rng=None)`.

    rng is None (seed 0), an int seed or a `random.Random`. Calling a neuron returns one Value.
    `nonlin=True/False` (micrograd's keyword) means activation "relu"/"linear".
    """

    def __init__(self, nin: int, activation: str | None = None, bias: bool = True,
                 rng: int | random.Random | None = None, *, nonlin: bool | None = None) -> None:
        nin = self.nin = check_size(nin, "Neuron: nin")
        activation = self.activation = resolve_activation(activation, nonlin, "Neuron")
        rng = make_rng(rng)
        self.w = [Value(init_weight(rng, nin, activation)) for _ in range(nin)]
        # Biases start at 0: the random weights already break the symmetry between neurons.
        self.b = Value(0.0) if checked_flag(bias, "Neuron: bias") else None
        self.label_parameters()

    @classmethod
    def from_weights(cls, w: Iterable[float], b: float | None = None,
                     activation: str = "tanh") -> Neuron:
        """A neuron with exactly these weights (a list of nin numbers) and bias (None: no bias)."""
        weights = list(w)
        neuron = cls(len(weights), activation, bias=b is not None)
        for p, v in zip(neuron.w, weights):
            p.data = checked_number(p.label, v)
        if neuron.b is not None:  # made exactly when b is given
            neuron.b.data = checked_number(neuron.b.label, b)
        return neuron

    def forward(self, x: Inputs) -> Value:
        """activation(sum_i w_i x_i + b) as a Value; x is a list of nin numbers or Values."""
        return self._weighted(as_inputs(x, self.nin, f"{self._prefix or 'Neuron'}"))

    def _weighted(self, x: list[Value]) -> Value:
        """forward for x already checked and wrapped (a Layer checks its input once, not per
        neuron: this loop is the hot path of training)."""
        terms = [wi * xi for wi, xi in zip(self.w, x)]
        if self.b is not None:
            terms.append(self.b)
        z = vsum(terms)
        z.label = self._z_label  # names made once, by label_parameters (not per sample)
        if self.activation == "linear":
            return z
        a = apply_activation(self.activation, z)
        a.label = self._a_label
        return a

    _z_label, _a_label = "z", "a"  # the names of the nodes a forward pass makes (no prefix)

    def label_parameters(self, prefix: str = "") -> None:
        """As `Module.label_parameters`, and the names of the two nodes a forward pass makes
        (`<prefix>z`, `<prefix>a`), made here once: the forward pass is training's hot loop."""
        super().label_parameters(prefix)
        self._z_label, self._a_label = prefix + "z", prefix + "a"

    def predict(self, x: Inputs) -> float:
        """The same output as a plain float, without building a graph (fast; for plots)."""
        return self.predict_checked(as_floats(x, self.nin, (self._prefix.rstrip(".") or "Neuron") + ".predict"))

    def predict_checked(self, x: list[float]) -> float:
        """predict for x already a list of nin floats (a Layer checks its input once)."""
        z = sum(wi.data * xi for wi, xi in zip(self.w, x))
        if self.b is not None:
            z += self.b.data
        return apply_activation_float(self.activation, z)

    def architecture(self) -> dict[str, object]:
        """What the neuron is, beyond its parameter names (saved with its weights)."""
        return {"type": "Neuron", "nin": self.nin, "activation": self.activation,
                "bias": self.b is not None}

    def extra_repr(self) -> str:
        """'3 inputs, tanh, bias': what the repr shows."""
        bias = "bias" if self.b is not None else "no bias"
        return f"{self.nin} inputs, {self.activation}, {bias}"


class Layer(Module):
    """`Layer(nin, nout, activation="tanh", bias=True, rng=None)`: nout neurons on the same inputs.

    Calling a layer returns a list of nout Values, or the Value itself when nout is 1
    (micrograd's rule); `output_list` always returns the list. `nonlin=` as for `Neuron`.
    """

    def __init__(self, nin: int, nout: int, activation: str | None = None, bias: bool = True,
                 rng: int | random.Random | None = None, *, nonlin: bool | None = None) -> None:
        nout = check_size(nout, "Layer: nout")
        activation = resolve_activation(activation, nonlin, "Layer")
        rng = make_rng(rng)  # one stream shared by the neurons, so they differ from each other
        self.nin, self.nout, self.activation = check_size(nin, "Layer: nin"), nout, activation
        self.neurons = [Neuron(nin, activation, bias, rng) for _ in range(nout)]
        self.label_parameters()

    @classmethod
    def from_weights(cls, rows: Iterable[Iterable[float]], biases: Sequence[float] | None = None,
                     activation: str = "tanh") -> Layer:
        """A layer from weight rows (one row of nin numbers per neuron) and biases (or None)."""
        matrix = [list(r) for r in rows]
        if not matrix or any(len(r) != len(matrix[0]) for r in matrix):
            raise ValueError(f"weight rows must be non-empty and of equal length, got {matrix!r}")
        if biases is not None and len(biases) != len(matrix):
            raise ValueError(f"{len(matrix)} weight rows but {len(biases)} biases: {biases!r}")
        layer = cls(len(matrix[0]), len(matrix), activation, bias=biases is not None)
        for j, neuron in enumerate(layer.neurons):
            for p, v in zip(neuron.w, matrix[j]):
                p.data = checked_number(p.label, v)
            if biases is not None and neuron.b is not None:  # made exactly when biases are given
                neuron.b.data = checked_number(neuron.b.label, biases[j])
        return layer

    def forward(self, x: Inputs) -> Value | list[Value]:
        """[neuron(x) for each neuron]: a list of nout Values, or one Value when nout is 1."""
        return one_or_list(self.output_list(x))

    def output_list(self, x: Inputs) -> list[Value]:
        """[neuron(x) for each neuron] as a list, even for one neuron (what an MLP chains)."""
        leaves = as_inputs(x, self.nin, f"{self._prefix or 'Layer'}")  # one shared leaf per input
        return [n._weighted(leaves) for n in self.neurons]

    def predict(self, x: Inputs) -> float | list[float]:
        """The outputs as plain floats (one float when nout is 1), without building a graph."""
        return one_or_list(self.predict_list(x))

    def predict_list(self, x: Inputs) -> list[float]:
        """The outputs as a list of plain floats, even for one neuron."""
        floats = as_floats(x, self.nin, (self._prefix.rstrip(".") or "Layer") + ".predict")
        return [n.predict_checked(floats) for n in self.neurons]

    def architecture(self) -> dict[str, object]:
        """What the layer is, beyond its parameter names (saved with its weights)."""
        return {"type": "Layer", "nin": self.nin, "nout": self.nout,
                "activation": self.activation, "bias": self.neurons[0].b is not None}

    def extra_repr(self) -> str:
        """'2 -> 16, relu': what the repr shows."""
        return f"{self.nin} -> {self.nout}, {self.activation}"

    def __repr__(self) -> str:
        # A layer of 16 identical neurons reads better as one line than as 16 lines.
        return f"Layer({self.extra_repr()}, {self.num_parameters()} parameters)"
