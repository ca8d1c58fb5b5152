"""Reverse mode over floats: `backward` and `zero_grad` (gradients as Values: `gradients.py`).

Backward twice (the documented rule, as in PyTorch): leaf gradients ACCUMULATE across calls
until you zero them (`zero_grad(root)` or an optimizer's `zero_grad()`); interior gradients are
RECOMPUTED by every call (set to 0 before the pass), so they never hold doubled, stale values.

This module works on the floats stored in the nodes and imports no node class; `Value.backward`
calls `backward` here.
"""
from __future__ import annotations

from collections.abc import Iterable
from numbers import Real
from typing import TYPE_CHECKING

from .finite import gradient_overflow
from .graph import Order, all_nodes, interior_nodes, sort_by_creation

if TYPE_CHECKING:  # types only: this module works on the nodes' floats (see above)
    from .value import Value

__all__ = ["backward", "zero_grad", "checked_seed"]


def backward(root: Value, grad: object = 1.0, order: Order | None = None) -> None:
    """Seed `root.grad` with `grad` (a finite number) and fill the `.grad` of every node root
    depends on.

    Each node passes `local derivative x its own grad` to each parent along every edge, and
    a parent used twice (`a + a`) receives along both edges: gradients are added with `+=`.
    `order`: `creation_order(root)` or `topological_order(root)` of this same root, to skip
    building it again when backward runs twice on one graph (any other list is refused).

    A leaf with requires_grad=False (a constant, or data) keeps `.grad` 0.0: its gradient is
    not accumulated (`gradients(root, [leaf])` computes it when asked for).
    Every gradient stays a finite float: a gradient that would overflow raises OverflowError
    naming the node where it happened (the grads already passed on stay as they are).
    The graph is a snapshot: its local derivatives were evaluated when each node was made, so
    changing a leaf's `.data` afterwards does not move the point where gradients are taken
    (rebuild the graph for the new point; `gradients(create_graph=True)` refuses such a graph).
    """
    seed = checked_seed(grad, "backward")
    nodes: Iterable[Value]  # before any grad is reset: a refused call changes nothing
    constants: list[Value] = []  # leaves with requires_grad=False: their grads stay 0.0
    if order is None:
        _check_root(root, "backward")
        nodes = interior_nodes(root, constants)  # their grads set to 0.0
        sort_by_creation(nodes, reverse=True)  # children before parents: backward's order
    elif not isinstance(order, Order) or order.root is not root:
        raise ValueError("backward(root, order=...): order must be creation_order(root) or "
                         "topological_order(root) made for this root (a hand-made list could "
                         "leave nodes out and silently give wrong gradients)")
    else:
        interior: list[Value] = []
        for node in order:
            if node._row is not None:
                node.grad = 0.0  # interior: recomputed by this pass (leaves accumulate)
                interior.append(node)
            elif not node.requires_grad:
                constants.append(node)
        nodes = reversed(interior)  # leaves only receive: _propagate visits op nodes only
    root.grad += seed
    _propagate(nodes)
    # The chain rule writes into every parent without asking (a test per edge would slow every
    # backward); a constant leaf's sum is cleared here instead: it keeps grad 0.0, as diagrams,
    # Trace and the stepper say. `gradients(root, [const])` still computes it on request.
    for leaf in constants:
        leaf.grad = 0.0


def checked_seed(grad: object, caller: str) -> float:
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


def _propagate(nodes: Iterable[Value]) -> None:
    """The chain rule over op nodes (no leaves) given children first:
    parent.grad += local * node.grad.

    Every sum is checked before it is stored (`v - v` is 0.0 for a finite float and nan for
    inf or nan), so no grad ever holds inf or nan: with finite grads and finite local
    derivatives, an overflow can only appear in a product or a sum, right here. That is also
    why a zero local derivative can never meet an infinite gradient (0 * inf = nan).
    """
    for node in nodes:
        g = node.grad
        if g == 0.0:  # nothing to pass on (common below a relu)
            continue
        # Reads the node's slots (see `autograd.value`); the `parents`/`local` tuples would cost
        # two tuples per node. A folded number (`x * 2.0`) has no node: such a node passes
        # gradient to its one Value, exactly like a unary node.
        #
        # An edge with local derivative 1.0 (every edge of a sum, `+`, a relu that passes) into
        # a parent whose grad is still 0.0 gives that parent g itself: 0.0 + 1.0 * g is g
        # exactly (g is finite and not zero here, so not even the sign of a zero can differ),
        # so the parent shares g's float object instead of getting a new, equal one. Measured
        # on wide 2x10^4: 24 B per op node less at backward's peak (the interior grads of a
        # chain of adds are all one float), and no multiply, add or check on such edges.
        a = node._p0
        if a is None:  # an n-ary node (sum)
            parents, locals_ = node._arg
            for parent, local in zip(parents, locals_):
                v = parent.grad
                if local == 1.0 and v == 0.0:
                    parent.grad = g
                    continue
                v = v + local * g
                if v - v:
                    raise _overflow(node, g)
                parent.grad = v
            continue
        v = a.grad
        d = node._d0
        if d == 1.0 and v == 0.0:
            a.grad = g
        else:
            v = v + d * g
            if v - v:
                raise _overflow(node, g)
            a.grad = v  # stored before b is read: in `x * x`, a and b are the same node
        b = node._p1
        if b is not None:  # a binary node
            v = b.grad
            d = node._d1
            if d == 1.0 and v == 0.0:
                b.grad = g
                continue
            v = v + d * g
            if v - v:
                raise _overflow(node, g)
            b.grad = v


def _overflow(node: Value, g: float) -> OverflowError:
    """A gradient passed back from `node` (grad g) overflowed a float in one of its inputs."""
    return gradient_overflow(node, g, "backward")


def _check_root(root: object, caller: str) -> None:
    """A TypeError naming `caller` unless root is a graph node (this module imports no Value:
    a node is what has the node slots)."""
    if not hasattr(type(root), "_row"):
        text = repr(root)
        text = text if len(text) <= 60 else text[:57] + "..."
        raise TypeError(f"{caller} needs a Value (the root of a graph), got "
                        f"{type(root).__name__}: {text}")


def zero_grad(root: Value) -> None:
    """Set `.grad = 0.0` on every node of root's graph (leaves included)."""
    _check_root(root, "zero_grad")
    for node in all_nodes(root):
        node.grad = 0.0
