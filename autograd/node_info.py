"""What a node tells about itself (`op`, `parents`, `is_leaf`, repr, `named`, `detach`) as a mixin.

Kept apart from `autograd.node`, which holds the fields and how nodes are built; `Value`
inherits these (the mixin has no slots of its own, so nodes stay as small).
"""
from __future__ import annotations

__all__ = ["NodeInfo"]


class NodeInfo:
    """Reading a node: the op that made it, its parents, its label; refusing comparisons."""

    __slots__ = ()

    @property
    def op(self) -> str:
        """The name of the op that made this node ('' for a leaf), a key of `autograd.OPS`."""
        return self._op.name if self._op is not None else ""

    @property
    def parents(self) -> tuple:
        """The inputs of the op that made this node, in order, duplicates kept."""
        return self._prev

    @property
    def is_leaf(self) -> bool:
        """True for inputs, parameters and constants (nodes no op made)."""
        return self._op is None

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        op = f", op={self._op.name!r}" if self._op is not None else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{label}{op})"

    def __float__(self) -> float:
        return self.data

    def detach(self):
        """A new constant leaf with this node's data: gradients do not flow through it."""
        return type(self)(self.data, self.label, requires_grad=False)

    def named(self, label: str):
        """Set the label (shown in diagrams, traces and error messages) and return self."""
        self.label = label
        return self

    # Comparisons are refused: they are not differentiable, and `max(a, b)` would lose grads.
    def _no_compare(self, other):
        raise TypeError("Values are not ordered: compare a.data with b.data, or use "
                        "autograd.maximum(a, b) / autograd.minimum(a, b) for a differentiable max/min")

    __lt__ = __le__ = __gt__ = __ge__ = _no_compare
