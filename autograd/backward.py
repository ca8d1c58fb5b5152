"""Reverse mode: a topological order without recursion, `backward`, and `gradients`.

Why iterative: a chain of a million nodes is an ordinary graph (a long training loop, a deep
unrolled recurrence), and a recursive depth-first search dies at Python's recursion limit
(about 1000 frames). Here the search keeps its own stack of (node, iterator over its parents).

Backward twice (the documented rule, as in PyTorch): leaf gradients ACCUMULATE across calls
until you zero them (`zero_grad(root)` or an optimizer's `zero_grad()`); interior gradients are
RECOMPUTED by every call (set to 0 before the pass), so they never hold doubled, stale values.
"""
from __future__ import annotations

from .ops import local_derivatives
from .value import Value

__all__ = ["topological_order", "backward", "gradients", "zero_grad"]


def topological_order(root: Value) -> list:
    """Every node `root` depends on, each once, parents before children; root is last."""
    order = []
    seen = {root}
    stack = [(root, iter(root._prev))]
    push, pop, append, mark = stack.append, stack.pop, order.append, seen.add
    while stack:
        node, parents = stack[-1]
        for parent in parents:  # resumes where this node's iterator stopped last time
            if parent not in seen:
                mark(parent)
                push((parent, iter(parent._prev)))
                break
        else:  # all parents done: the node itself is done
            pop()
            append(node)
    return order


def backward(root: Value, grad: float = 1.0) -> None:
    """Seed `root.grad` with `grad` and fill the `.grad` of every node root depends on.

    Each node passes `local derivative x its own grad` to each parent along every edge, and
    a parent used twice (`a + a`) receives along both edges: gradients are added with `+=`.
    """
    order = topological_order(root)
    for node in order:
        if node._prev:
            node.grad = 0.0  # interior: recomputed by this pass (leaves accumulate)
    root.grad += float(grad)
    for node in reversed(order):
        g = node.grad
        if g == 0.0:  # nothing to pass on (common below a relu); also skips leaves cheaply
            continue
        for parent, local in zip(node._prev, node._local):
            parent.grad += local * g


def zero_grad(root: Value) -> None:
    """Set `.grad = 0.0` on every node of root's graph (leaves included)."""
    for node in topological_order(root):
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
    order = topological_order(root)
    acc = {root: float(grad) if not isinstance(grad, Value) else grad}
    for node in reversed(order):
        g = acc.get(node)
        if g is None or not node._prev:
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
