"""What a node tells about itself (`op`, `parents`, `is_leaf`, repr, `named`, `detach`) as a mixin.

Also the tuples `_prev` (parents) and `_local` (the local derivative per input edge) that the
diagrams, traces and checks read: the node stores them in slots (see `autograd.node`), and these
properties rebuild the tuples on each read (and `_local` can be overwritten, for tests that
plant a wrong derivative for gradcheck to find).

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
    def local(self) -> tuple:
        """The local derivative along each input edge (floats), parallel to `parents`."""
        return self._local

    # The node keeps its parents and local derivatives in slots (see `autograd.node`); these two
    # properties give them as the parallel tuples every reader uses, built on each read.
    @property
    def _prev(self) -> tuple:
        """The parents as a tuple: () for a leaf, one entry per input edge otherwise."""
        if self._op is None:
            return ()
        if self._p1 is not None:
            return (self._p0, self._p1)
        if self._p0 is not None:
            return (self._p0,)
        return self._many[0]

    @property
    def _local(self) -> tuple:
        """The local derivative along each input edge, parallel to `_prev` (() for a leaf)."""
        if self._op is None:
            return ()
        if self._p1 is not None:
            return (self._d0, self._d1)
        if self._p0 is not None:
            return (self._d0,)
        return self._many[1]

    @_local.setter
    def _local(self, local) -> None:
        # Only tests and teaching code overwrite stored derivatives (to show gradcheck
        # catching a wrong one); the length must match the parents, as when the node was made.
        local = tuple(local)
        if len(local) != len(self._prev):
            raise ValueError(f"_local needs {len(self._prev)} local derivative(s), one per "
                             f"parent, got {len(local)}: {local!r}")
        if self._op is None:
            return
        if self._p0 is None:
            self._many = (self._many[0], local)
        elif self._p1 is None:
            self._d0, = local
        else:
            self._d0, self._d1 = local

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
