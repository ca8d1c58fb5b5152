"""Reverse mode: `backward`, `zero_grad` and `gradients` (orders of a graph: `graph_order.py`).

Backward twice (the documented rule, as in PyTorch): leaf gradients ACCUMULATE across calls
until you zero them (`zero_grad(root)` or an optimizer's `zero_grad()`); interior gradients are
RECOMPUTED by every call (set to 0 before the pass), so they never hold doubled, stale values.
"""
from __future__ import annotations

from numbers import Real

from .graph_order import (_by_creation, _graph_nodes, _interior_nodes, creation_order,
                          topological_order)
from .ops import local_derivatives
from .value import Value

__all__ = ["topological_order", "creation_order", "backward", "gradients", "zero_grad"]


def backward(root: Value, grad: float = 1.0, order=None) -> None:
    """Seed `root.grad` with `grad` (a finite number) and fill the `.grad` of every node root
    depends on.

    Each node passes `local derivative x its own grad` to each parent along every edge, and
    a parent used twice (`a + a`) receives along both edges: gradients are added with `+=`.
    `order`: a topological order of root's graph ending with root (`creation_order(root)` or
    `topological_order(root)`), to skip building it again when backward runs twice on one graph.
    """
    seed = _checked_seed(grad, "backward")  # before any grad is reset: a refused call changes nothing
    if order is None:
        nodes = _interior_nodes(root)
        nodes.sort(key=_by_creation, reverse=True)  # children before parents: backward's order
    elif not order or order[-1] is not root:
        raise ValueError("backward(root, order=...): order must be a topological order of root's "
                         "graph ending with root, e.g. creation_order(root)")
    else:
        for node in order:
            if node._op is not None:
                node.grad = 0.0  # interior: recomputed by this pass (leaves accumulate)
        nodes = reversed(order)
    root.grad += seed
    _propagate(nodes)


def _checked_seed(grad, caller: str) -> float:
    """The seed d root / d root as a finite float; a non-number or inf/nan would fill every
    grad of the graph with garbage, so it is refused here, naming `caller`."""
    if isinstance(grad, bool) or not isinstance(grad, (Real, Value)):
        raise TypeError(f"{caller}: grad (the seed) must be a number, got "
                        f"{type(grad).__name__}: {grad!r}")
    seed = float(grad)
    if seed - seed:  # inf - inf and nan - nan are nan (truthy)
        raise ValueError(f"{caller}: grad (the seed) must be a finite number, got {seed!r}")
    return seed


def _propagate(nodes) -> None:
    """The chain rule over nodes given children first: parent.grad += local * node.grad."""
    for node in nodes:
        g = node.grad
        if g == 0.0 or node._op is None:  # nothing to pass on (common below a relu), or a leaf
            continue
        # Reads the slots (see `autograd.node`): binary, then unary (almost every node), then
        # n-ary. The `_prev`/`_local` tuples would cost two tuples per node.
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


def zero_grad(root: Value) -> None:
    """Set `.grad = 0.0` on every node of root's graph (leaves included)."""
    for node in _graph_nodes(root):
        node.grad = 0.0


def _times(local, g):
    """local * g, skipping the trivial products so a recorded backward graph stays small."""
    if type(local) is float:
        if local == 1.0:
            return g
        if type(g) is float:
            return local * g
    elif type(g) is float and g == 1.0:
        return local
    return local * g


def gradients(root: Value, wrt, grad: float = 1.0, create_graph: bool = False) -> list:
    """d root / d w for each w in `wrt`, without touching any `.grad`.

    With `create_graph=False` the results are floats, from the local derivatives stored in the
    nodes. With `create_graph=True` the derivative rules of the op table are evaluated on the
    nodes themselves, so each result is a Value whose graph can be differentiated again
    (second and higher derivatives, Hessians, Newton's method).
    """
    order = creation_order(root)
    acc = {root: grad if isinstance(grad, Value) else _checked_seed(grad, "gradients")}
    for node in reversed(order):
        g = acc.get(node)
        if g is None or node._op is None:
            continue
        if not create_graph:
            for parent, local in zip(node._prev, node._local):
                acc[parent] = acc.get(parent, 0.0) + local * g
            continue
        for parent, local in zip(node._prev, local_derivatives(node, as_values=True)):
            if type(local) is float and local == 0.0:
                continue
            contribution = _times(local, g)
            previous = acc.get(parent)
            acc[parent] = contribution if previous is None else previous + contribution
    if not create_graph:
        return [acc.get(w, 0.0) for w in wrt]
    return [_as_node(acc.get(w, 0.0)) for w in wrt]


def _as_node(g):
    return g if isinstance(g, Value) else Value(g, requires_grad=False)
