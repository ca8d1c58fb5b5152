"""Second derivatives of a scalar function of several inputs: Hessians and Hessian-vector products.

Both come from differentiating a gradient. `gradients(out, leaves, create_graph=True)` runs the
backward pass with the op table's rules evaluated on Values, so each partial derivative
df/dx_i is itself a Value whose graph reaches back to the inputs; one more reverse pass from
df/dx_i gives row i of the Hessian. No second copy of the calculus is involved.

    >>> hessian(lambda x, y: (2 * x + 3 * y) ** 2, [1.0, -1.0])
    [[8.0, 12.0], [12.0, 18.0]]
    >>> hvp(lambda x, y: x * x * y, [1.0, 2.0], [1.0, 0.0])   # H = [[2y, 2x], [2x, 0]]
    [4.0, 2.0]

Inputs that are plain numbers give plain floats. Inputs that are Values (or a Hessian computed
inside another transform) give Values connected to the inputs' graph, so the result can be
differentiated again (third derivatives and beyond).

Tie and kink rules have ZERO second derivative almost everywhere. max, min, relu and abs are
piecewise linear: their local derivatives are the constants 0, 1 or -1, so a Hessian sees no
curvature from them, only from the smooth ops around them. At the kink itself (x = 0 for relu
and abs, x1 = x2 for max and min) the function has no second derivative; the engine returns 0
there too, by the same conventions as the first derivative (relu'(0) = abs'(0) = 0, ties go to
the first input). So Newton's method on a pure relu network sees a zero Hessian.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from numbers import Real
from typing import Any

from .gradients import gradients
from .functional import as_leaves, checked_inputs, param_name
from .tangents import push_tangents
from .value import Value, vsum

__all__ = ["hessian", "hvp", "value_grad_hessian"]


def _scalar_output(f: Callable[..., object], leaves: list[Value], caller: str) -> Value:
    """f(*leaves) as one Value; a list or any other non-scalar is refused (the Hessian is of a scalar)."""
    if not callable(f):
        raise TypeError(f"{caller}: f must be a function, got {type(f).__name__}")
    out = f(*leaves)
    if isinstance(out, Value):
        return out
    if isinstance(out, Real) and not isinstance(out, bool):
        return Value(out, requires_grad=False)  # a constant function: every derivative is 0
    raise TypeError(f"{caller}: f must return one scalar (a Value or a number), got "
                    f"{type(out).__name__}: {out!r}; for a vector-valued f take one component")


def _first_order(f: Callable[..., object], inputs: Iterable[object],
                 caller: str) -> tuple[list[Value], Value, list[Value], bool]:
    """(leaves, output, gradient as Values, recording?) shared by every function below."""
    items = checked_inputs(inputs, caller)
    leaves = as_leaves(items, [param_name(f, i) for i in range(len(items))])
    out = _scalar_output(f, leaves, caller)
    recording = any(isinstance(item, Value) for item in items)
    return leaves, out, gradients(out, leaves, create_graph=True, caller=caller), recording


def _value_grad_hessian(f: Callable[..., object], inputs: Iterable[object],
                        caller: str) -> tuple[Any, list[Any], list[list[Any]]]:
    """value_grad_hessian, with errors naming the public function the user called."""
    leaves, out, first, recording = _first_order(f, inputs, caller)
    # One reverse pass per row, through the recorded graph of df/dx_i.
    rows = [gradients(g, leaves, create_graph=recording, caller=caller) for g in first]
    if recording:
        return out, first, rows
    return out.data, [g.data for g in first], rows


def value_grad_hessian(f: Callable[..., object],
                       inputs: Iterable[object]) -> tuple[Any, list[Any], list[list[Any]]]:
    """(f(inputs), gradient, Hessian) in one go: what a Newton step needs.

    `f` takes len(inputs) scalars and returns one Value. The gradient is a list with one entry
    per input, the Hessian a list of rows with H[i][j] = d2f / dx_i dx_j. All floats for number
    inputs; Values (differentiable again) when any input is a Value.
    """
    return _value_grad_hessian(f, inputs, "value_grad_hessian")


def hessian(f: Callable[..., object], inputs: Iterable[object]) -> list[list[Any]]:
    """The Hessian of scalar-valued f at `inputs`: rows `H[i][j] = d2f / dx_i dx_j`.

    Floats for number inputs; Values (differentiable again) when any input is a Value.
    Costs one first-order pass plus one pass per input over the recorded gradient graph.
    """
    return _value_grad_hessian(f, inputs, "hessian")[2]


def hvp(f: Callable[..., object], inputs: Iterable[object], vector: Iterable[object],
        mode: str = "reverse") -> list[Any]:
    """The Hessian-vector product H v of scalar-valued f at `inputs`, without forming H.

    mode 'reverse': H v is the gradient of the scalar (grad f . v), two reverse passes.
    'forward' (forward over reverse): H v is the tangent of the gradient in direction v, the
    recorded gradient's graph swept forward once (`autograd.tangents`). Either costs a few
    passes whatever the number of inputs. Floats for number inputs and vector; Values when
    any input is a Value.
    """
    if not isinstance(mode, str) or mode not in ("reverse", "forward"):
        raise ValueError(f"hvp: mode must be 'reverse' (reverse over reverse) or 'forward' "
                         f"(forward over reverse), got {mode!r}")
    leaves, _out, first, recording = _first_order(f, inputs, "hvp")
    if isinstance(vector, (Value, Real)):
        raise TypeError(f"hvp: vector must be a list with one entry per input ({len(leaves)}), "
                        f"got the single {type(vector).__name__} {vector!r}; wrap it: [v]")
    v = list(vector)
    if len(v) != len(leaves):
        raise ValueError(f"hvp: vector must have one entry per input ({len(leaves)}), "
                         f"got {len(v)} entries")
    for index, entry in enumerate(v):
        if not isinstance(entry, (Value, Real)) or isinstance(entry, bool):
            raise TypeError(f"hvp: vector entry {index} must be a number or a Value, "
                            f"got {type(entry).__name__}: {entry!r}")
    recording = recording or any(isinstance(entry, Value) for entry in v)
    if mode == "forward":
        seed: dict[Value, Any] = {}
        for leaf, entry in zip(leaves, v):  # a leaf passed twice gets the sum of its entries
            seed[leaf] = seed.get(leaf, 0.0) + entry
        pushed = push_tangents(first, seed, create_graph=recording)
        if recording:
            return [t if isinstance(t, Value) else Value(t, requires_grad=False)
                    for t in (pushed.get(g, 0.0) for g in first)]
        return [float(pushed.get(g, 0.0)) for g in first]
    directional = vsum([g * entry for g, entry in zip(first, v)])
    return gradients(directional, leaves, create_graph=recording, caller="hvp")
