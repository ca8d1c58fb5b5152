"""nn: a thin, PyTorch-shaped neural-network layer on top of `autograd.Value`.

    >>> import nn
    >>> X, y = nn.datasets.make_moons(100, noise=0.1, seed=0)
    >>> model = nn.MLP(2, [16, 16, 1], activation="relu")
    >>> opt = nn.optim.SGD(model.parameters(), lr=lambda k: 1.0 - 0.9 * k / 100)
    >>> history = nn.train.fit(model, X, y, loss="hinge", optimizer=opt, epochs=100,
    ...                        l2=1e-4, progress=False)                     # doctest: +SKIP

Modules: `Module`, `Neuron`, `Layer`, `MLP` (and `MLP.from_weights` for worked examples);
functions and losses: `softmax`, `log_softmax`, `logsumexp`, `mse_loss`, `half_sse`,
`binary_cross_entropy`, `binary_cross_entropy_with_logits`, `cross_entropy`, `hinge_loss`,
`l1_loss`, `huber_loss`, `cosine_similarity`, `l2_penalty`; sub-modules `optim` (SGD, Adam),
`datasets` (make_moons, make_circles, make_blobs), `train` (fit), `sample_losses` (fit's
built-in losses, one per-sample term each), `flat_optim` (SGD and Adam over a compiled numpy
step's flat parameter array; loaded on first use, it needs numpy), `metrics` (accuracy),
`serialize` (JSON weights), `inputs` (the input checks every module shares), `torch_bridge`
(`MLP.to_torch` / `MLP.from_torch`, needing the optional torch only when called) and `plot`
(needs the optional matplotlib only when called).
"""
from autograd import readouts

from . import (datasets, inputs, metrics, optim, plot, sample_losses,  # plot: matplotlib lazily
               serialize, torch_bridge, train)  # torch_bridge: torch only when called
from .activations import ACTIVATIONS
from .classification import (binary_cross_entropy, binary_cross_entropy_with_logits,
                             cross_entropy, hinge_loss)
from .functional import log_softmax, logsumexp, softmax
from .layers import Layer, Neuron
from .losses import cosine_similarity, half_sse, huber_loss, l1_loss, l2_penalty, mse_loss
from .mlp import MLP
from .module import Module
from .metrics import accuracy
from .optim import SGD, Adam
from .train import History, fit

# The read-outs (see autograd.readouts): refused from the user's code while compile traces.

for owner, method in ((MLP, "predict"), (Layer, "predict"), (Layer, "predict_list"),
                      (Neuron, "predict"), (Neuron, "predict_checked")):
    readouts.register_method(owner, method, "the model's outputs")
readouts.register_method(Module, "state_dict", "the parameters' numbers")
readouts.register_method(MLP, "to_torch", "the parameters' numbers (into a torch copy)")
readouts.register(torch_bridge.to_sequential, "nn.torch_bridge.to_sequential",
                  "the parameters' numbers (into a torch copy)")
readouts.register(accuracy, "nn.accuracy", "the model's accuracy")
readouts.register(metrics.predicted_class, "nn.metrics.predicted_class",
                  "the class an output votes for")
readouts.register(metrics.is_correct, "nn.metrics.is_correct",
                  "whether an output votes for the label")
readouts.register(inputs.as_floats, "nn.inputs.as_floats", "the inputs' numbers")
readouts.register(plot.decision_grid, "nn.plot.decision_grid", "the model's predicted classes")
readouts.register(fit, "nn.fit", "the training losses")
readouts.register(train.train_step, "nn.train.train_step", "the minibatch's loss")
del owner, method

__all__ = [
    "Module", "Neuron", "Layer", "MLP", "ACTIVATIONS",
    "softmax", "log_softmax", "logsumexp",
    "mse_loss", "half_sse", "binary_cross_entropy", "binary_cross_entropy_with_logits",
    "cross_entropy", "hinge_loss", "l1_loss", "huber_loss", "cosine_similarity", "l2_penalty",
    "SGD", "Adam", "fit", "accuracy", "History",
    "datasets", "inputs", "metrics", "optim", "plot", "serialize", "train", "sample_losses",
]  # not flat_optim: `from nn import *` must work without numpy


def __getattr__(name: str) -> object:
    """`nn.flat_optim` on first use: it needs numpy, which `import nn` does not."""
    if name == "flat_optim":
        import importlib
        return importlib.import_module(".flat_optim", __name__)
    raise AttributeError(f"module 'nn' has no attribute {name!r}")
