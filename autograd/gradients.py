"""`gradients`: d root / d w for chosen nodes, as floats or as Values (higher derivatives).

Unlike `backward`, this touches no `.grad`. With `create_graph=True` the derivative rules of
the op table are evaluated on the nodes themselves (`local_on_nodes`), so each gradient is a
Value whose graph can be differentiated again: Hessians, Newton's method, `grad(grad(f))`.
"""
from __future__ import annotations

from typing import Any

from collections.abc import Iterable, Sequence

from .backward import checked_seed
from .coerce import checked_flag
from .finite import checked_results, overflow_while_recording
from .graph import creation_order, sweep
from .ops import Op
from .value import Value

__all__ = ["gradients", "local_on_nodes"]


def local_on_nodes(node: Value) -> tuple[float | Value, ...]:
    """The local partials of `node` with respect to each of its parents, as Values.

    The same op-table rule that gave the floats in `node.local`, evaluated on the parent nodes
    (and the node itself as `out`), so the result is a graph that can be differentiated again.
    A rule may return a plain float where the derivative is locally constant (1 for add, the 0/1
    switches of max and relu). A leaf has no input edges: ().
    """
    if node.is_leaf:
        return ()
    row, parents = node.row, node.parents
    assert row is not None  # not a leaf (above)
    _check_not_stale(node, row, parents)
    if row.arity == 1:
        return row.local(parents[0], node, node.arg)
    if row.arity == 2:
        return row.local(parents[0], parents[1], node)
    return row.local(parents, node)


def _check_not_stale(node: Value, row: Op, parents: Sequence[Value]) -> None:
    """Refuse a node whose inputs' data changed after it was made (`w.data -= ...` on a leaf).

    The float pass uses the local derivatives stored at construction (the graph is a
    snapshot); rules evaluated on the nodes would read the NEW input values next to the OLD
    output, a mix of two points. Re-running the row's forward finds that at once.
    """
    xs = [p.data for p in parents]
    now: float | None
    try:
        now = (row.forward(xs[0], node.arg) if row.arity == 1 else
               row.forward(*xs) if row.arity == 2 else row.forward(xs))
    except (ArithmeticError, ValueError):
        now = None
    if now != node.data:
        name = repr(node.label) if node.label else f"a {node.op} node"
        raise ValueError(
            f"gradients(create_graph=True): {name} was computed as {node.data!r} but its inputs "
            f"now hold {xs!r}: a leaf's .data changed after the graph was built. A graph is a "
            "snapshot of one point; build it again from the new values")


def _times(local: float | Value, g: float | Value) -> float | Value:
    """local * g, skipping the trivial products so a recorded backward graph stays small."""
    if type(local) is float:
        if local == 1.0:
            return g
        if type(g) is float:
            return local * g
    elif type(g) is float and g == 1.0:
        return local
    return local * g


def gradients(root: Value, wrt: Iterable[Value], grad: float | Value = 1.0,
              create_graph: bool = False, *, caller: str = "gradients") -> list[Any]:
    """d root / d w for each w in `wrt`, without touching any `.grad`.

    Every gradient is finite, as with `backward`: one that overflows raises the same
    OverflowError, naming the node (`caller` names the public function in the message:
    grad, jacobian, ...).
    """
    if type(root) is not Value:
        raise TypeError(f"{caller} needs a Value (the root of a graph), got "
                        f"{type(root).__name__}: {repr(root)[:60]}")
    if isinstance(wrt, Value) or not isinstance(wrt, Iterable):
        raise TypeError(f"{caller}: wrt must be a list of Values, got {type(wrt).__name__}; "
                        "wrap a single node: [w]")
    nodes = list(wrt)
    for index, w in enumerate(nodes):
        if type(w) is not Value:
            raise TypeError(f"{caller}: wrt[{index}] must be a Value (a node of the graph), got "
                            f"{type(w).__name__}: {repr(w)[:60]}")
    create_graph = checked_flag(create_graph, f"{caller}: create_graph")
    seed = grad if isinstance(grad, Value) else checked_seed(grad, caller)
    try:
        results = _accumulated(root, nodes, seed, create_graph)
    except OverflowError as exc:  # create_graph: an op on the gradient Values overflowed
        raise overflow_while_recording(root, seed, caller, exc) from None
    return checked_results(results, root, seed, caller)


def _accumulated(root: Value, wrt: Iterable[Value], grad: float | Value = 1.0,
                 create_graph: bool = False) -> list[Any]:
    """The reverse pass of `gradients` (unchecked: `gradients` checks what comes out).

    With `create_graph=False` the results are floats, from the local derivatives stored in the
    nodes. With `create_graph=True` the derivative rules of the op table are evaluated on the
    nodes themselves, so each result is a Value whose graph can be differentiated again
    (second and higher derivatives, Hessians, Newton's method).
    """
    order = creation_order(root)
    acc: dict[Value, float | Value] = {root: grad}
    if not create_graph:  # floats: the chain rule's steps over the stored local derivatives
        seed: Any = grad
        for step in sweep(root, seed, order):
            acc[step.parent] = step.total
        return [acc.get(w, 0.0) for w in wrt]
    for node in reversed(order):
        g = acc.get(node)
        if g is None or node.is_leaf:
            continue
        for parent, rule in zip(node.parents, local_on_nodes(node)):
            if type(rule) is float and rule == 0.0:
                continue
            contribution = _times(rule, g)
            previous = acc.get(parent)
            acc[parent] = contribution if previous is None else previous + contribution
    return [_as_node(acc.get(w, 0.0)) for w in wrt]


def _as_node(g: float | Value) -> Value:
    return g if isinstance(g, Value) else Value(g, requires_grad=False)
