"""A way out to PyTorch: an `MLP` as a `torch.nn.Sequential` and back, with identical weights.

`MLP.to_torch()` builds Linear layers in float64 (the engine's precision, so outputs and
gradients agree to rounding) followed by the same activations; `MLP.from_torch(seq)` reads a
Sequential of Linear layers, each optionally followed by one activation. torch is optional:
it is imported only here, when one of the two is called, and a missing torch names the extra
that installs it.
"""
from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # types only: MLP.to_torch / from_torch import this module
    from .mlp import MLP

__all__ = ["import_torch", "to_sequential", "describe_sequential", "TORCH_EXTRA"]

TORCH_EXTRA = 'pip install "teachgrad[torch]"  (torch==2.13.0)'

# activation name <-> torch module class name; "linear" has no module of its own
_TORCH_NAMES = {"tanh": "Tanh", "relu": "ReLU", "sigmoid": "Sigmoid"}


def import_torch(who: str) -> ModuleType:
    """The torch module, or an ImportError that names the call and the extra to install."""
    try:
        import torch
    except ImportError:
        raise ImportError(f"{who} needs PyTorch, which is optional: {TORCH_EXTRA}") from None
    return torch


def to_sequential(model: MLP) -> Any:
    """`torch.nn.Sequential` of float64 Linear layers (and activations) copying `model` (an MLP)."""
    torch = import_torch("MLP.to_torch")
    modules: list[Any] = []  # torch modules (Any: torch is optional and unchecked here)
    for layer in model.layers:
        has_bias = layer.neurons[0].b is not None
        linear = torch.nn.Linear(layer.nin, layer.nout, bias=has_bias, dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.tensor([[p.data for p in n.w] for n in layer.neurons],
                                             dtype=torch.float64))
            if has_bias:
                linear.bias.copy_(torch.tensor([n.b.data for n in layer.neurons if n.b is not None],
                                               dtype=torch.float64))
        modules.append(linear)
        if layer.activation != "linear":
            modules.append(getattr(torch.nn, _TORCH_NAMES[layer.activation])())
    return torch.nn.Sequential(*modules)


def _refuse_what_differs(torch: Any, module: Any, where: str, *exact: type) -> None:
    """A ValueError naming `where` unless the module computes exactly what its torch class
    does: its type is one of `exact` (not a subclass, whose forward could be anything), it has
    no forward hooks, and a Linear's weights are real floating-point numbers."""
    if type(module) not in exact:
        raise ValueError(f"MLP.from_torch: {where} is a subclass of "
                         f"{type(module).__mro__[1].__name__}, whose forward may compute "
                         "something else; only torch's own Linear, Tanh, ReLU, Sigmoid and "
                         "Identity can be reproduced exactly")
    hooks = [name for name in ("_forward_hooks", "_forward_pre_hooks", "_backward_hooks")
             if getattr(module, name, None)]
    if hooks:
        raise ValueError(f"MLP.from_torch: {where} has hooks ({', '.join(hooks)}) that change "
                         "what it computes; remove them first")
    for name, tensor in module.named_parameters(recurse=False):
        if not tensor.dtype.is_floating_point:
            raise ValueError(f"MLP.from_torch: {where}.{name} has dtype {tensor.dtype}; only "
                             "real floating-point weights can be copied exactly")


def describe_sequential(sequential: Any) -> tuple[list[list[list[float]]],
                                                  list[list[float] | None], str, str]:
    """(weights, biases, hidden activation, output activation) of a Sequential, for
    `MLP.from_weights`; an unsupported layer or layout raises a ValueError naming it."""
    torch = import_torch("MLP.from_torch")
    if not isinstance(sequential, torch.nn.Sequential):
        raise TypeError("MLP.from_torch needs a torch.nn.Sequential, "
                        f"got {type(sequential).__name__}")
    _refuse_what_differs(torch, sequential, "the Sequential", torch.nn.Sequential)
    names = {cls: name for name, cls in _TORCH_NAMES.items()}
    by_type = {getattr(torch.nn, cls): name for cls, name in names.items()}  # types, not names
    known = {getattr(torch.nn, cls) for cls in _TORCH_NAMES.values()} | {torch.nn.Identity,
                                                                       torch.nn.Linear}
    weights: list[list[list[float]]] = []
    biases: list[list[float] | None] = []
    activations: list[str] = []
    for index, module in enumerate(sequential):
        kind = type(module).__name__
        if isinstance(module, tuple(known)):  # a subclass may compute anything: exact types only
            _refuse_what_differs(torch, module, f"layer {index} ({kind})", *known)
        if isinstance(module, torch.nn.Linear):
            weights.append(module.weight.detach().double().tolist())
            biases.append(None if module.bias is None else module.bias.detach().double().tolist())
            activations.append("linear")
        elif type(module) in by_type or type(module) is torch.nn.Identity:
            if not weights or activations[-1] != "linear":
                raise ValueError(f"MLP.from_torch: layer {index} ({kind}) must follow a Linear "
                                 "layer directly (one activation per Linear)")
            if type(module) in by_type:
                activations[-1] = by_type[type(module)]
        else:
            raise ValueError(f"MLP.from_torch: layer {index} is {kind}, which an MLP cannot "
                             "hold; supported: Linear, then optionally one of "
                             + ", ".join(sorted(names)) + " or Identity")
    if not weights:
        raise ValueError("MLP.from_torch: the Sequential has no Linear layer")
    hidden = set(activations[:-1])
    if len(hidden) > 1:
        raise ValueError(f"MLP.from_torch: the hidden layers use different activations "
                         f"{activations[:-1]}; an MLP has one hidden activation")
    hidden_activation = hidden.pop() if hidden else "tanh"
    return weights, biases, hidden_activation, activations[-1]
