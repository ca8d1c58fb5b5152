"""Reverse mode over floats: `backward` and `zero_grad` (gradients as Values: `gradients.py`).

Backward twice (the documented rule, as in PyTorch): leaf gradients ACCUMULATE across calls
until you zero them (`zero_grad(root)` or an optimizer's `zero_grad()`); interior gradients are
RECOMPUTED by every call (set to 0 before the pass), so they never hold doubled, stale values.

This module works on the floats stored in the nodes and imports no node class; `Value.backward`
calls `backward` here.
"""
from __future__ import annotations

from numbers import Real

from .graph import all_nodes, interior_nodes, sort_by_creation

__all__ = ["backward", "zero_grad", "checked_seed"]


def backward(root, grad: float = 1.0, order=None) -> None:
    """Seed `root.grad` with `grad` (a finite number) and fill the `.grad` of every node root
    depends on.

    Each node passes `local derivative x its own grad` to each parent along every edge, and
    a parent used twice (`a + a`) receives along both edges: gradients are added with `+=`.
    `order`: a topological order of root's graph ending with root (`creation_order(root)` or
    `topological_order(root)`), to skip building it again when backward runs twice on one graph.
    """
    seed = checked_seed(grad, "backward")  # before any grad is reset: a refused call changes nothing
    if order is None:
        nodes = interior_nodes(root, zero_grads=True)
        sort_by_creation(nodes, reverse=True)  # children before parents: backward's order
    elif not order or order[-1] is not root:
        raise ValueError("backward(root, order=...): order must be a topological order of root's "
                         "graph ending with root, e.g. creation_order(root)")
    else:
        for node in order:
            if node._row is not None:
                node.grad = 0.0  # interior: recomputed by this pass (leaves accumulate)
        nodes = reversed(order)
    root.grad += seed
    _propagate(nodes)


def checked_seed(grad, caller: str) -> float:
    """The seed d root / d root as a finite float; a non-number or inf/nan would fill every
    grad of the graph with garbage, so it is refused here, naming `caller`."""
    number = getattr(grad, "data", grad)  # a Value seed counts as its number
    if isinstance(number, bool) or not isinstance(number, Real):
        raise TypeError(f"{caller}: grad (the seed) must be a number, got "
                        f"{type(grad).__name__}: {grad!r}")
    seed = float(number)
    if seed - seed:  # inf - inf and nan - nan are nan (truthy)
        raise ValueError(f"{caller}: grad (the seed) must be a finite number, got {seed!r}")
    return seed


def _propagate(nodes) -> None:
    """The chain rule over nodes given children first: parent.grad += local * node.grad."""
    for node in nodes:
        g = node.grad
        if g == 0.0 or node._row is None:  # nothing to pass on (common below a relu), or a leaf
            continue
        # Reads the node's slots (see `autograd.value`): binary, then unary (almost every
        # node), then n-ary. The `parents`/`local` tuples would cost two tuples per node.
        b = node._p1
        if b is not None:
            node._p0.grad += node._d0 * g
            b.grad += node._d1 * g
        else:
            a = node._p0
            if a is not None:
                a.grad += node._d0 * g
            else:
                parents, locals_ = node._many
                for parent, local in zip(parents, locals_):
                    parent.grad += local * g


def zero_grad(root) -> None:
    """Set `.grad = 0.0` on every node of root's graph (leaves included)."""
    for node in all_nodes(root):
        node.grad = 0.0
