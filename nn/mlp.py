"""`MLP`: a multi-layer perceptron, built at random from a seed or from given weights.

    >>> from nn import MLP
    >>> net = MLP(2, [2, 1], activation="sigmoid", output_activation="sigmoid")
    >>> [name for name, _ in net.named_parameters()][:3]
    ['layers.0.neurons.0.w.0', 'layers.0.neurons.0.w.1', 'layers.0.neurons.0.b']

`MLP.from_weights` reproduces a worked example exactly: pass the weight matrix of each layer as
rows (one row per neuron, as printed), the biases, and optionally the labels the example uses
(`w1`, `b1`, ...), which then show in diagrams instead of the dotted names.
"""
from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from numbers import Integral
from typing import Any

from autograd import Value

from .activations import check_activation, make_rng
from .inputs import Inputs, as_floats, as_inputs, check_size
from .layers import Layer, one_or_list
from .module import Module

__all__ = ["MLP"]


class MLP(Module):
    """`MLP(nin, sizes, activation="tanh", output_activation="linear", bias=True, seed=0)`.

    `sizes` lists the width of every layer, the last one being the output. Hidden layers use
    `activation`, the last layer `output_activation`. Calling the model returns a list of
    Values, or the Value itself when the last layer has one output (micrograd's rule).
    Sizes may be any whole-number type (numpy integers too). micrograd's `MLP(nin, nouts)`
    builds the same shapes (its activation is relu: pass activation="relu" for its numbers).
    """

    def __init__(self, nin: int, sizes: int | Iterable[int], activation: str = "tanh",
                 output_activation: str = "linear", bias: bool = True,
                 seed: int | random.Random | None = 0) -> None:
        if isinstance(sizes, (int, Integral)) and not isinstance(sizes, bool):  # int: for mypy
            sizes = [int(sizes)]
        elif isinstance(sizes, (str, bytes)) or not isinstance(sizes, Iterable):
            raise TypeError(f"MLP: sizes must be a list of layer widths, e.g. MLP(2, [16, 16, 1]), "
                            f"got {type(sizes).__name__}: {sizes!r}")
        sizes = list(sizes)
        if not sizes:
            raise ValueError("MLP needs at least one layer size, e.g. MLP(2, [16, 16, 1])")
        check_activation(activation)
        check_activation(output_activation)
        rng = make_rng(seed)  # one stream for the whole model: seed -> the same model, always
        dims = [check_size(nin, "MLP: nin")] + [check_size(s, "MLP: layer size") for s in sizes]
        self.nin = dims[0]
        self.layers = [Layer(dims[i], dims[i + 1],
                             output_activation if i == len(sizes) - 1 else activation, bias, rng)
                       for i in range(len(sizes))]
        self.label_parameters()

    @classmethod
    def from_weights(cls, weights: Iterable[Iterable[Iterable[float]]],
                     biases: Iterable[Sequence[float] | None] | None = None,
                     activation: str = "tanh", output_activation: str = "linear",
                     weight_labels: Sequence[Sequence[Sequence[object]]] | None = None,
                     bias_labels: Sequence[Sequence[object]] | None = None) -> MLP:
        """A model with exactly the given weights.

        weights[k] is layer k's matrix as rows (one per neuron, nin numbers each); biases[k] its
        list of biases (biases=None, or biases[k]=None, for a layer without bias). The optional
        weight_labels / bias_labels mirror weights / biases with strings.
        """
        matrices = [[list(row) for row in layer] for layer in weights]
        if not matrices or not all(matrices):
            raise ValueError("from_weights needs at least one layer of weight rows, "
                             "e.g. [[[0.15, 0.20], [0.25, 0.30]], [[0.40, 0.45]]]")
        bias_lists = [None] * len(matrices) if biases is None else list(biases)
        if len(bias_lists) != len(matrices):
            raise ValueError(f"{len(matrices)} weight matrices but {len(bias_lists)} bias lists")
        model = cls.__new__(cls)
        model.nin = len(matrices[0][0])
        model.layers = []
        for k, (rows, b) in enumerate(zip(matrices, bias_lists)):
            act = output_activation if k == len(matrices) - 1 else activation
            try:
                model.layers.append(Layer.from_weights(rows, b, act))
            except (TypeError, ValueError) as exc:  # say which layer: names inside are relative
                raise type(exc)(f"layers.{k}: {exc}") from None
        for k in range(1, len(model.layers)):
            if model.layers[k].nin != model.layers[k - 1].nout:
                raise ValueError(f"layer {k} has rows of {model.layers[k].nin} weights but layer "
                                 f"{k - 1} has {model.layers[k - 1].nout} outputs")
        model.label_parameters()
        if weight_labels is not None or bias_labels is not None:
            model._apply_labels(weight_labels, bias_labels)
        return model

    def _apply_labels(self, weight_labels: Sequence[Sequence[Sequence[object]]] | None,
                      bias_labels: Sequence[Sequence[object]] | None) -> None:
        """Replace the dotted names by the worked example's own labels, checking the shapes."""
        for k, layer in enumerate(self.layers):
            for j, neuron in enumerate(layer.neurons):
                if weight_labels is not None:
                    row = _shaped(weight_labels, (k, j), len(neuron.w), "weight_labels")
                    for p, label in zip(neuron.w, row):
                        p.label = str(label)
                if bias_labels is not None and neuron.b is not None:
                    neuron.b.label = str(_shaped(bias_labels, (k, j), None, "bias_labels"))

    def forward(self, x: Inputs) -> Value | list[Value]:
        """The output layer's Values: a list, or one Value when the last layer has one output."""
        return one_or_list(self.output_list(x))

    def output_list(self, x: Inputs) -> list[Value]:
        """The output layer's Values as a list, even for one output."""
        values = as_inputs(x, self.nin, "MLP")
        for layer in self.layers:
            values = layer.output_list(values)
        return values

    def predict(self, x: Inputs) -> float | list[float]:
        """The outputs as plain floats (one float for one output), without building a graph
        (fast; for plots). Checks the input as forward does: exactly nin numbers or Values."""
        floats = as_floats(x, self.nin, "MLP.predict")
        for layer in self.layers:
            floats = layer.predict_list(floats)
        return one_or_list(floats)

    def architecture(self) -> dict[str, object]:
        """Input size, layer widths, and each layer's activation and bias (saved with weights)."""
        return {"type": "MLP", "nin": self.nin, "sizes": self.sizes,
                "activations": [layer.activation for layer in self.layers],
                "bias": [layer.neurons[0].b is not None for layer in self.layers]}

    def to_torch(self) -> Any:  # a torch.nn.Sequential; Any: torch is an optional dependency
        """A `torch.nn.Sequential` (float64) with identical weights and the same activations.

        Needs PyTorch: `pip install "teachgrad[torch]"`. The copy shares nothing with this model.
        """
        from .torch_bridge import to_sequential
        return to_sequential(self)

    @classmethod
    def from_torch(cls, sequential: Any) -> MLP:
        """An MLP with the weights of a `torch.nn.Sequential` of Linear layers, each optionally
        followed by Tanh, ReLU or Sigmoid (or Identity); any other layer is refused by name.
        Hidden layers must share one activation (an MLP has one hidden activation)."""
        from .torch_bridge import describe_sequential
        weights, biases, activation, output_activation = describe_sequential(sequential)
        return cls.from_weights(weights, biases, activation=activation,
                                output_activation=output_activation)

    @property
    def sizes(self) -> list[int]:
        """The width of every layer, output last."""
        return [layer.nout for layer in self.layers]

    def extra_repr(self) -> str:
        """'2 -> [16, 16, 1], 337 parameters': what the repr shows."""
        return f"{self.nin} -> {self.sizes}, {self.num_parameters()} parameters"


def _shaped(labels: Sequence[Sequence[Any]], index: tuple[int, int], length: int | None,
            what: str) -> Any:
    """labels[k][j] (a row of `length` labels, or one label when length is None), or an error."""
    try:
        item = labels[index[0]][index[1]]
    except (IndexError, TypeError, KeyError):
        raise ValueError(f"{what} has no entry for layer {index[0]}, neuron {index[1]}") from None
    if length is not None and (isinstance(item, str) or len(item) != length):
        raise ValueError(f"{what}[{index[0]}][{index[1]}] should list {length} labels, "
                         f"got {item!r}")
    return item
