"""Orders of a graph without recursion: which nodes a root depends on, parents before children.

Why no recursion: a chain of a million nodes is an ordinary graph (a long training loop, a deep
unrolled recurrence), and a recursive depth-first search dies at Python's recursion limit
(about 1000 frames). Every walk here keeps its own list or stack.

Two orders, both "parents before children, root last":
- `creation_order(root)`, which backward uses: sweep the graph once with a growing list, then
  sort by each node's creation number. A parent always exists before its child, so creation
  order is topological, and the sweep + C sort is ~3x faster than a depth-first search in Python.
- `topological_order(root)`: the depth-first post-order (inputs in the order each op lists
  them), which reads like the expression; traces and diagrams show this one.
"""
from __future__ import annotations

from operator import attrgetter

from .value import Value

__all__ = ["topological_order", "creation_order"]

_by_creation = attrgetter("_serial")


def _graph_nodes(root: Value) -> list:
    """Every node root depends on, each once, root first, in no particular order."""
    nodes = [root]
    seen = {root}
    mark, keep = seen.add, nodes.append
    for node in nodes:  # the list grows while it is walked: a breadth-first sweep, no recursion
        for parent in node._prev:
            if parent not in seen:
                mark(parent)
                keep(parent)
    return nodes


def _interior_nodes(root: Value) -> list:
    """Every op node root depends on (leaves left out), each once, their grads set to 0.

    What backward needs: leaves only receive gradient, so they need not be listed, marked as
    seen or sorted (in a training step they are about half the nodes: parameters, inputs,
    constants). The grads are reset on the way ("interior grads are recomputed") to save a
    second walk. Reads the parent slots directly (see `autograd.node`): building `_prev` tuples
    here would cost a tuple per node.
    """
    if root._op is None:
        return []
    nodes = [root]
    seen = {root}
    mark, keep = seen.add, nodes.append
    for node in nodes:  # the list grows while it is walked: a breadth-first sweep, no recursion
        node.grad = 0.0
        a = node._p0
        if a is None:  # an n-ary node
            for parent in node._many[0]:
                if parent._op is not None and parent not in seen:
                    mark(parent)
                    keep(parent)
            continue
        if a._op is not None and a not in seen:
            mark(a)
            keep(a)
        b = node._p1
        if b is not None and b._op is not None and b not in seen:
            mark(b)
            keep(b)
    return nodes


def creation_order(root: Value) -> list:
    """Every node `root` depends on, each once, in the order they were created (root last).

    A topological order (parents before children). Build it once and pass it to
    `backward(root, order=...)` to run backward on the same graph again without rebuilding it.
    """
    nodes = _graph_nodes(root)
    nodes.sort(key=_by_creation)
    return nodes


def topological_order(root: Value) -> list:
    """Every node `root` depends on, each once, parents before children (depth-first); root last."""
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
