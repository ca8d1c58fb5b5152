"""`jvp(f, primals, tangents)`: the value of f and its derivative in one direction, forward mode.

    >>> jvp(lambda x, y: x * y + y ** 2, [2.0, 3.0], [1.0, 0.0])   # d/dx of xy + y² = y
    (15.0, 3.0)
    >>> jvp(lambda x: [x ** 2, 3 * x], [2.0], [1.0])              # one column of a Jacobian
    ([4.0, 6.0], [4.0, 3.0])

f runs once on leaf Values (as for `grad`), then the tangents are pushed forward from the inputs
through the recorded graph (`autograd.tangents`): one sweep for any number of outputs, where
reverse mode needs one backward pass per output. With Value primals or tangents the results are
Values, connected to their graphs, so they can be differentiated again.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from numbers import Real
from typing import Any

from .functional import as_leaves, param_name
from .tangents import push_tangents
from .value import Value, as_value

__all__ = ["jvp", "outputs_of"]


def outputs_of(result: object, caller: str) -> tuple[list[Value], bool]:
    """f's result as a list of Values, and whether it was a list (a vector function)."""
    if isinstance(result, (Value, Real)) and not isinstance(result, bool):
        return [as_value(result)], False
    if not isinstance(result, (list, tuple)) or not result or not all(
            isinstance(y, (Value, Real)) and not isinstance(y, bool) for y in result):
        raise TypeError(f"{caller}: f must return a Value, a number, or a non-empty list of them "
                        f"(one per output), got {type(result).__name__}: {result!r}")
    return [as_value(y) for y in result], True


def _entries(items: Iterable[object], what: str) -> list[object]:
    """A list of numbers or Values (checked one by one, named by position)."""
    if isinstance(items, (Value, Real)):
        raise TypeError(f"jvp: {what} must be a list (one entry per argument of f), got the single "
                        f"{type(items).__name__} {items!r}; wrap it: [{items!r}]")
    found = list(items)
    for index, item in enumerate(found):
        if not isinstance(item, Value) and (not isinstance(item, Real) or isinstance(item, bool)):
            raise TypeError(f"jvp: {what} entry {index} must be a number or a Value, "
                            f"got {type(item).__name__}: {item!r}")
    return found


def jvp(f: Callable[..., object], primals: Iterable[object], tangents: Iterable[object]
        ) -> tuple[Any, Any]:
    """(f(*primals), J·tangents): f's value and its derivative along `tangents`, forward mode.

    For an f returning one Value both are floats; for an f returning a list, both are lists.
    Values instead of floats when any primal or tangent is a Value (differentiable again).
    """
    xs, ts = _entries(primals, "primals"), _entries(tangents, "tangents")
    if not xs:
        raise ValueError("jvp: primals is empty; f needs at least one argument")
    if len(ts) != len(xs):
        raise ValueError(f"jvp: tangents must have one entry per primal ({len(xs)}), "
                         f"got {len(ts)}")
    leaves = as_leaves(xs, [param_name(f, i) for i in range(len(xs))])
    outs, is_list = outputs_of(f(*leaves), "jvp")
    recording = any(isinstance(v, Value) for v in xs + ts)
    seed: dict[Value, Any] = {}
    for leaf, t in zip(leaves, ts):  # one leaf passed twice gets the sum of its tangents
        seed[leaf] = seed.get(leaf, 0.0) + t
    pushed = push_tangents(outs, seed, create_graph=recording)
    if recording:
        values: list[Any] = outs
        dots: list[Any] = [_node(pushed.get(y, 0.0)) for y in outs]
    else:
        values = [y.data for y in outs]
        dots = [float(pushed.get(y, 0.0)) for y in outs]
    return (values, dots) if is_list else (values[0], dots[0])


def _node(t: object) -> Value:
    return t if isinstance(t, Value) else Value(t, requires_grad=False)
