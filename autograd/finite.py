"""The finite promise at the boundary of every gradient API: no gradient is ever inf or nan.

`backward` checks every sum it stores; the other ways to get gradients (`gradients`, `grad`,
`value_and_grad`, `jacobian`, the Hessians, `create_graph=True`, a compiled step's check) keep
the same promise with the same error: an OverflowError naming the node whose gradient, passed
back, overflowed. The check sits at the boundary (the results), so it holds whatever the
accumulation loop inside looks like; only a failing call pays for finding the node, by a
second, checked walk over the graph.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .graph import creation_order

if TYPE_CHECKING:  # types only
    from .value import Value

__all__ = ["gradient_overflow", "checked_results", "overflow_while_recording"]


def gradient_overflow(node: Value, g: float, caller: str) -> OverflowError:
    """A gradient passed back from `node` (grad g) overflowed a float in one of its inputs."""
    name = (f"{node.label!r} ({node.op})" if node.label
            else f"an unlabelled {node.op} node with data {node.data!r}")
    return OverflowError(
        f"{caller}: the gradient passed back from {name} (its grad {g!r}, local derivatives "
        f"{node.local!r}) overflows a float in an input; scale the loss or the inputs down")


def _locate(root: Value, seed: float, caller: str) -> OverflowError | None:
    """The error for the first node (children first) whose passed-back gradient overflows, by
    the float rule d parent += local * g; None when the float walk stays finite."""
    acc: dict[int, float] = {id(root): seed}
    for node in reversed(creation_order(root)):
        g = acc.get(id(node))
        if g is None or node.is_leaf:
            continue
        if g - g:  # reached only through a sum that was checked below: never, kept for safety
            return gradient_overflow(node, g, caller)
        for parent, local in zip(node.parents, node.local):
            total = acc.get(id(parent), 0.0) + local * g
            if total - total:
                return gradient_overflow(node, g, caller)
            acc[id(parent)] = total
    return None


def checked_results(results: Sequence[Any], root: Value, seed: object, caller: str
                    ) -> list[Any]:
    """`results` (floats or Values) when all are finite; else the named OverflowError."""
    for r in results:
        number = r if type(r) is float else getattr(r, "data", r)
        if number - number:  # inf - inf and nan - nan are nan (truthy)
            raise _located(root, seed, caller)
    return list(results)


def _located(root: Value, seed: object, caller: str) -> OverflowError:
    start = float(getattr(seed, "data", seed))  # type: ignore[arg-type]
    found = _locate(root, start, caller)
    return found if found is not None else OverflowError(
        f"{caller}: a gradient is not a finite float; scale the loss or the inputs down")


def overflow_while_recording(root: Value, seed: object, caller: str,
                             exc: OverflowError) -> OverflowError:
    """create_graph=True: an op on the gradient Values overflowed (the node's own error);
    named as the float walk finds it, else the op's error with the caller in front."""
    found = _locate(root, float(getattr(seed, "data", seed)), caller)  # type: ignore[arg-type]
    return found if found is not None else OverflowError(f"{caller}: {exc}")
