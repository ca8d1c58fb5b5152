"""`Module`: the base class of every model, holding parameters and finding them by name.

A module's parameters are the trainable `autograd.Value` leaves it owns, directly as attributes,
inside lists (`self.w = [Value, ...]`, `self.neurons = [Neuron, ...]`) or inside sub-modules.
`named_parameters()` walks the attributes in the order they were assigned, so the dotted names
(`layers.0.neurons.1.w.2`) are stable: the same architecture always gives the same names in the
same order, which is what `state_dict()` and the JSON files of `nn.serialize` rely on.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

from autograd import Value

from .inputs import Inputs, Output, checked_number

__all__ = ["Module"]


class Module:
    """Base class: parameters(), named_parameters(), zero_grad(), state_dict(), load_state_dict().
    """

    _prefix = ""  # this module's dotted name inside its parent; set by label_parameters

    def __call__(self, x: Inputs) -> Output:
        return self.forward(x)

    def forward(self, x: Inputs) -> Output:
        """The model's output for input x; every concrete module defines it."""
        raise TypeError(f"{type(self).__name__} does not define forward(x)")

    # --- finding parameters ----------------------------------------------------------------------
    def named_parameters(self, prefix: str = "") -> Iterator[tuple[str, Value]]:
        """(dotted name, Value) for every trainable parameter, in a stable order."""
        for attr, item in vars(self).items():
            if not attr.startswith("_"):  # private attributes hold caches, never parameters
                yield from _walk(item, prefix + attr)

    def parameters(self) -> list[Value]:
        """Every trainable parameter (Value with requires_grad=True), named_parameters order."""
        return [p for _, p in self.named_parameters()]

    def zero_grad(self) -> None:
        """Set the gradient of every parameter to 0 (leaf gradients accumulate across backward)."""
        for p in self.parameters():
            p.grad = 0.0

    def label_parameters(self, prefix: str = "") -> None:
        """Label every parameter with its dotted name, so diagrams and errors show where it lives.

        Sub-modules also learn their own prefix (`_prefix`), which neurons use to label the
        nodes they make in a forward pass (`layers.0.neurons.1.z`).
        """
        self._prefix = prefix
        for attr, item in vars(self).items():
            if not attr.startswith("_"):
                _label(item, prefix + attr)

    # --- plain-float snapshots -------------------------------------------------------------------
    def state_dict(self) -> dict[str, float]:
        """{dotted name: float} for every parameter: a snapshot that does not share any Value."""
        return {name: p.data for name, p in self.named_parameters()}

    def load_state_dict(self, state: Mapping[str, float]) -> None:
        """Copy floats from `state` into the parameters of the same names.

        Everything is checked before anything is written, so a bad state (missing or extra
        names, a non-number, inf or nan) raises a ValueError/TypeError naming the parameter
        and leaves the model exactly as it was.
        """
        if not isinstance(state, dict):
            raise TypeError("load_state_dict needs a dict {name: float}, "
                            f"got {type(state).__name__}")
        params = dict(self.named_parameters())
        missing = [name for name in params if name not in state]
        unexpected = [name for name in state if name not in params]
        if missing or unexpected:
            raise ValueError(
                f"state does not match {type(self).__name__} ({len(params)} parameters, state has "
                f"{len(state)}): missing {missing[:5]}{' ...' if len(missing) > 5 else ''}, "
                f"unexpected {unexpected[:5]}{' ...' if len(unexpected) > 5 else ''}")
        values = {name: checked_number(name, state[name]) for name in params}
        for name, p in params.items():
            p.data = values[name]

    def save(self, path: str | Path) -> Path:
        """Write the parameters to a JSON file (see `nn.serialize.save`); returns the path."""
        from .serialize import save
        return save(self, path)

    def load(self, path: str | Path) -> None:
        """Read parameters saved by `save`; a bad file raises and changes nothing."""
        from .serialize import load
        load(self, path)

    def architecture(self) -> dict[str, object]:
        """What the model is beyond its parameter names (sizes, activations, bias): saved with
        the weights and checked by `load`. Modules with such settings override it."""
        return {"type": type(self).__name__}

    # --- reading a model -------------------------------------------------------------------------
    def num_parameters(self) -> int:
        """How many parameters the model has."""
        return sum(1 for _ in self.named_parameters())

    def extra_repr(self) -> str:
        """The one-line description inside `Name(...)` in the repr; modules override it."""
        return ""

    def __repr__(self) -> str:
        children = [(attr, item) for attr, item in vars(self).items() if not attr.startswith("_")]
        lines = []
        for attr, item in children:
            if isinstance(item, Module):
                lines.append(f"({attr}): {_indent(repr(item))}")
            elif isinstance(item, list) and item and all(isinstance(m, Module) for m in item):
                lines.extend(f"({attr}.{i}): {_indent(repr(m))}" for i, m in enumerate(item))
        head = f"{type(self).__name__}({self.extra_repr()})"
        if not lines:
            return head
        return head[:-1] + "\n" + "\n".join("  " + line for line in lines) + "\n)"


def _walk(item: object, name: str) -> Iterator[tuple[str, Value]]:
    """Parameters found in one attribute: a Value, a Module, or a list/tuple of them."""
    if isinstance(item, Value):
        if item.is_leaf and item.requires_grad:
            yield name, item
    elif isinstance(item, Module):
        yield from item.named_parameters(name + ".")
    elif isinstance(item, (list, tuple)):
        for i, element in enumerate(item):
            yield from _walk(element, f"{name}.{i}")


def _label(item: object, name: str) -> None:
    """Give the parameters found in one attribute their dotted names (see `_walk`)."""
    if isinstance(item, Value):
        if item.is_leaf and item.requires_grad:
            item.label = name
    elif isinstance(item, Module):
        item.label_parameters(name + ".")
    elif isinstance(item, (list, tuple)):
        for i, element in enumerate(item):
            _label(element, f"{name}.{i}")


def _indent(text: str) -> str:
    return text.replace("\n", "\n  ")
