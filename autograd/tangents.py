"""Forward mode: tangents pushed from the inputs to the outputs through the same op rows.

Reverse mode sends ONE output's sensitivity back to every input (`backward`): the gradient,
a row of the Jacobian. Forward mode sends ONE input direction forward to every output: the
tangent of a node is

    ṫ(v) = Σ over v's input edges   local derivative of the edge × ṫ(input)

with the seed ṫ(x) = dx/ds given for the inputs (1.0 for "d/dx", a vector for a directional
derivative). One sweep, parents first, gives a column of the Jacobian (Jacobian-vector product).
It is the dual-number rule (x + ẋε) ↦ f(x) + f'(x)ẋε, evaluated on the graph the forward pass
recorded: the local derivatives are the ones stored in the nodes (`Value.local`, from the op
table's rules), the same numbers reverse mode multiplies, so the two modes cannot disagree
about calculus, only about the order of additions.

With `create_graph=True` the rules are evaluated on the nodes (`gradients.local_on_nodes`) and
every tangent is a Value: it can be differentiated again (reverse over forward), and pushing
tangents through a recorded gradient (forward over reverse) gives Hessian-vector products.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Union

from .graph import all_nodes, sort_by_creation
from .gradients import local_on_nodes
from .value import Value

__all__ = ["push_tangents", "Tangent"]

Tangent = Union[float, Value]


def _union_order(roots: list[Value]) -> list[Value]:
    """Every node of the roots' graphs once, parents first (by creation number).

    One walk with one `seen` set for all roots: m outputs sharing a hidden layer cost one walk
    of the shared part, not m (which made a forward sweep m times dearer than a reverse pass).
    """
    if len(roots) == 1:
        nodes = all_nodes(roots[0])
    else:
        nodes = list(dict.fromkeys(roots))
        seen = set(nodes)
        for node in nodes:  # grows while walked: breadth-first over the union, no recursion
            for parent in node.parents:
                if parent not in seen:
                    seen.add(parent)
                    nodes.append(parent)
    sort_by_creation(nodes)
    return nodes


def push_tangents(roots: Value | Iterable[Value], seed: Mapping[Value, Tangent],
                  create_graph: bool = False) -> dict[Value, Tangent]:
    """ṫ of every node of the roots' graphs that the seeded nodes reach (others are 0).

    `seed` maps input nodes to their tangents (numbers, or Values with create_graph). A seeded
    node keeps its seed: what flows into it from its own inputs is ignored, as if it were the
    variable. Returns {node: tangent}; a node missing from the result has tangent 0.
    """
    order = _union_order([roots] if isinstance(roots, Value) else list(roots))
    given = {node: _checked_seed(node, t, create_graph) for node, t in seed.items()}
    if create_graph:
        return _push_on_nodes(order, given)
    tangent: dict[Value, float] = {node: t for node, t in given.items() if type(t) is float}
    get = tangent.get
    for node in order:
        if node.is_leaf or node in given:
            continue
        acc: float | None = None
        for parent, local in zip(node.parents, node.local):
            t = get(parent)
            if t is not None:  # only inputs the seed reaches: most of a big graph is skipped
                acc = local * t if acc is None else acc + local * t
        if acc is not None:
            if acc - acc:  # inf or nan: refuse here, naming the node, as backward does
                raise OverflowError(f"a tangent overflowed a float at {node.label or node.op!r} "
                                    f"(data {node.data!r}); scale the seed down")
            tangent[node] = acc
    return dict(tangent)


def _checked_seed(node: object, t: object, create_graph: bool) -> Tangent:
    """One seed entry checked: a Value key, a finite number (or a Value with create_graph)."""
    if type(node) is not Value:
        raise TypeError(f"tangent seed keys must be Values (the inputs), got "
                        f"{type(node).__name__}: {node!r}")
    name = repr(node.label) if node.label else f"the input with data {node.data!r}"
    if isinstance(t, Value):
        if not create_graph:
            raise TypeError(f"the tangent of {name} is a Value: pass create_graph=True to "
                            "differentiate tangents again, or give a number")
        return t
    if isinstance(t, bool) or not isinstance(t, (int, float)):
        raise TypeError(f"the tangent of {name} must be a number, got {type(t).__name__}: {t!r}")
    value = float(t)
    if value - value:
        raise ValueError(f"the tangent of {name} must be finite, got {value!r}")
    return value


def _push_on_nodes(order: list[Value], seed: dict[Value, Tangent]) -> dict[Value, Tangent]:
    """push_tangents with the rules evaluated on the nodes: every tangent a Value or a float."""
    tangent = dict(seed)
    get = tangent.get
    for node in order:
        if node.is_leaf or node in seed:
            continue
        total: Tangent | None = None
        for parent, local in zip(node.parents, local_on_nodes(node)):
            t = get(parent)
            if t is None or (type(local) is float and local == 0.0):
                continue
            term = t if type(local) is float and local == 1.0 else local * t
            total = term if total is None else total + term
        if total is not None:
            tangent[node] = total
    return tangent
