"""Walks over a computation graph without recursion: which nodes a root depends on, and orders.

Why no recursion: a chain of a million nodes is an ordinary graph (a long training loop, a deep
unrolled recurrence), and a recursive depth-first search dies at Python's recursion limit
(about 1000 frames). Every walk here keeps its own list or stack.

    all_nodes(root)          every node root depends on, root first, in no particular order
    interior_nodes(root)     the op nodes only (what backward visits: leaves only receive)
    creation_order(root)     parents before children by creation number (what backward uses)
    topological_order(root)  parents before children depth-first (reads like the expression)
    sweep(root, seed)        the chain rule's steps, children first (node, upstream, parent,
                             local, total): what the stepper, its panel, compile's example
                             gradients and float `gradients` read (backward's own loop is
                             written out for speed in `autograd.backward`)

Both orders are "parents before children, root last". `creation_order` sorts by each node's
creation number: a parent always exists before its child, so creation order is topological,
and a sweep plus C's sort is ~3x faster than a depth-first search in Python.

This module knows no node class: it reads any node through `parents`, except the two sweeps
that backward runs on every call, which read the node's parent slots directly (see the slot
layout in `autograd.value`) because building a `parents` tuple per node would cost a tuple each.
"""
from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Sequence
from operator import attrgetter
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # types only: this module knows nodes by their slots (see above)
    from .value import Value

__all__ = ["CONSTANT_BIT", "Order", "Step", "all_nodes", "interior_nodes", "interior_nodes_by_set", "creation_order", "sort_by_creation",
           "topological_order", "sweep"]


class Order(list["Value"]):
    """A complete order of one root's graph (parents before children, root last), as made by
    `creation_order(root)` or `topological_order(root)`; `root` says whose.

    `backward(root, order=...)` accepts only these, and only for their own root: a graph's node
    set never changes once built (a node's parents are fixed), so an order made for a root is
    complete for it forever, while a hand-made list could leave nodes out and silently give
    wrong gradients. Checking `order.root is root` costs nothing; re-checking the node set would
    cost as much as building the order again.
    """

    __slots__ = ("root",)

    root: Value

    def __init__(self, nodes: Iterable[Value], root: Value) -> None:
        super().__init__(nodes)
        self.root = root

_creation_number = attrgetter("_serial")
# A leaf with requires_grad=False (a constant) has an odd creation number: `requires_grad` is
# this bit (see "Creation numbers" in the engine room of `autograd.value`).
CONSTANT_BIT = 1
# `interior_nodes` marks visited nodes by the identity of a float object it made (below): sound
# where `float("0")` makes a new object per call and `is` compares objects, as on CPython (the
# implementation pyproject.toml declares). Elsewhere the walk keeps a set instead.
IDENTITY_MARKS = sys.implementation.name == "cpython"


def _require_node(root: object, caller: str) -> None:
    """A TypeError naming `caller` unless root is a graph node (what has the node slots)."""
    if not hasattr(type(root), "_row"):
        text = repr(root)
        raise TypeError(f"{caller} needs a Value (the root of a graph), got "
                        f"{type(root).__name__}: {text if len(text) <= 60 else text[:57] + '...'}")


def all_nodes(root: Value) -> list[Value]:
    """Every node root depends on (root and its leaves included), each once, root first.

    A folded number (`x * 2.0`, see `autograd.value`) is read through `parents`, which makes
    its constant leaf, so the list holds every node that `parents` shows.
    """
    nodes = [root]
    seen = {root}
    mark, keep = seen.add, nodes.append
    for node in nodes:  # the list grows while it is walked: a breadth-first sweep, no recursion
        if node._row is None:
            continue
        a = node._p0
        if a is None:  # an n-ary node: its parents are in _arg
            for parent in node._arg:
                if parent not in seen:
                    mark(parent)
                    keep(parent)
            continue
        b = node._p1
        if b is None and node._row.arity == 2:  # a folded number: its constant is made now
            a, b = node.parents
        if a not in seen:
            mark(a)
            keep(a)
        if b is not None and b not in seen:
            mark(b)
            keep(b)
    return nodes


def interior_nodes(root: Value, constants: list[Value] | None = None) -> list[Value]:
    """Every op node root depends on (leaves left out), each once, root first, with its grad
    set to 0.0 on the way (backward's "interior grads are recomputed", without a second walk).

    What backward needs: leaves only receive gradient, so they need not be listed or sorted
    (in a training step they are about half the nodes: parameters, inputs, constants).

    No `seen` set: a node is marked as listed by the zero it gets, a float object made for this
    call (`zero`, equal to 0.0, so the grads hold 0.0 as promised) and told apart by identity.
    A grad still holding an older call's zero object is a different object (that one is alive,
    it is in use), so stale marks are never mistaken for this call's. Measured: backward of
    wide 5,000 164 -> 142 ns per op node, and no set of every node in memory.

    `constants`: if given, every leaf with requires_grad=False met on the way is appended to
    it (once per edge into it), for backward to keep their grads at 0.0.
    """
    if root._row is None:
        return []
    if not IDENTITY_MARKS:
        return interior_nodes_by_set(root, constants)
    zero = float("0")  # a new float object per call: the mark (see above)
    root.grad = zero
    nodes = [root]
    keep = nodes.append
    const = (constants if constants is not None else []).append
    # Inputs are visited last one first (`_p1` before `_p0`, an n-ary node's from the end):
    # an op's later input was usually made later, so the list comes out close to descending
    # creation order and backward's sort is mostly one pass over an ordered run (wide 5,000:
    # the whole list is already in order).
    for node in nodes:  # the list grows while it is walked: a breadth-first sweep, no recursion
        a = node._p0
        if a is None:  # an n-ary node
            for parent in reversed(node._arg):
                if parent._row is None:  # a leaf: listed only if it is a constant
                    if parent._serial & CONSTANT_BIT:
                        const(parent)
                elif parent.grad is not zero:
                    parent.grad = zero
                    keep(parent)
            continue
        b = node._p1  # None for unary nodes and folded numbers (their number is not a node)
        if b is not None:
            if b._row is None:
                if b._serial & CONSTANT_BIT:
                    const(b)
            elif b.grad is not zero:
                b.grad = zero
                keep(b)
        # A constant's creation number is odd (CONSTANT_BIT): testing the bit, not the
        # `requires_grad` property, saves a call per leaf.
        if a._row is None:
            if a._serial & CONSTANT_BIT:  # a constant leaf
                const(a)
        elif a.grad is not zero:
            a.grad = zero
            keep(a)
    return nodes


def interior_nodes_by_set(root: Value, constants: list[Value] | None = None) -> list[Value]:
    """`interior_nodes` with a `seen` set instead of identity marks: the same nodes in the same
    order (and the same `constants`), for Python implementations where a float's identity is no
    mark (see IDENTITY_MARKS)."""
    if root._row is None:
        return []
    root.grad = 0.0
    nodes = [root]
    seen = {root}
    const = (constants if constants is not None else []).append
    for node in nodes:  # breadth-first, last input first, as interior_nodes
        for parent in reversed(node._arg) if node._p0 is None else (node._p1, node._p0):
            if parent is None:  # a unary node or a folded number
                continue
            if parent._row is not None and parent not in seen:
                seen.add(parent)
                parent.grad = 0.0
                nodes.append(parent)
            elif parent._row is None and parent._serial & CONSTANT_BIT:
                const(parent)
    return nodes


def sort_by_creation(nodes: list[Value], reverse: bool = False) -> None:
    """Sort `nodes` in place by creation number: parents first (or, with reverse, children first)."""
    nodes.sort(key=_creation_number, reverse=reverse)


def creation_order(root: Value) -> Order:
    """Every node `root` depends on, each once, in the order they were created (root last).

    A topological order (parents before children). Build it once and pass it to
    `backward(root, order=...)` to run backward on the same graph again without rebuilding it.
    """
    _require_node(root, "creation_order")
    nodes = all_nodes(root)
    nodes.sort(key=_creation_number)
    return Order(nodes, root)


def topological_order(root: Value) -> Order:
    """Every node `root` depends on, each once, parents before children (depth-first); root last."""
    _require_node(root, "topological_order")
    order: list[Value] = []
    seen = {root}
    stack = [(root, iter(root.parents))]
    push, pop, append, mark = stack.append, stack.pop, order.append, seen.add
    while stack:
        node, parents = stack[-1]
        for parent in parents:  # resumes where this node's iterator stopped last time
            if parent not in seen:
                mark(parent)
                push((parent, iter(parent.parents)))
                break
        else:  # all parents done: the node itself is done
            pop()
            append(node)
    return Order(order, root)


class Step(NamedTuple):
    """One step of the chain rule: `node` (holding `upstream`, d root / d node) passes
    `local * upstream` to `parent` along one edge; `total` is what parent has received so far,
    this step included (its running total)."""

    node: Value
    upstream: float
    parent: Value
    local: float
    total: float


def sweep(root: Value, seed: float = 1.0, order: Sequence[Value] | None = None
          ) -> Iterator[Step]:
    """The chain rule over root's graph as steps, children first, one per input edge.

    Every op node of `order` (default `creation_order(root)`; any order with parents before
    children and root last, e.g. `topological_order(root)`) passes its upstream gradient (seed
    at the root, 0.0 where nothing reached it) times each stored local derivative to each
    input, duplicates kept. The totals are plain floats in a dict: no `.grad` is touched.
    """
    totals: dict[Value, float] = {root: seed}
    get = totals.get
    for node in reversed(creation_order(root) if order is None else order):
        if node.is_leaf:
            continue
        g = get(node, 0.0)
        for parent, local in zip(node.parents, node.local):
            total = get(parent, 0.0) + local * g
            totals[parent] = total
            yield Step(node, g, parent, local, total)
