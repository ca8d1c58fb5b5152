"""Function transforms: `grad`, `value_and_grad` and `jacobian` of plain Python functions.

A function here takes scalars and returns a Value (or a list of Values for `jacobian`); the
transforms wrap the arguments as leaf Values, run the function once, and read the derivatives
back with reverse mode. `grad` composes: `grad(grad(f))(x)` is f''(x), because when a transform
is called with Values (as the outer transform does) it records its backward pass as a graph.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from numbers import Integral, Real
from typing import Any

from .gradients import gradients
from .tangents import push_tangents
from .value import Value, as_value

__all__ = ["grad", "value_and_grad", "jacobian", "as_leaves", "param_name", "checked_inputs"]


def as_leaves(args: Iterable[object], names: Iterable[str]) -> list[Value]:
    """Arguments as Values: Values are kept (so transforms compose), numbers become leaves
    labelled with the given names (shared by grad, jacobian, gradcheck and the Hessians)."""
    return [a if isinstance(a, Value) else Value(a, label=name) for a, name in zip(args, names)]


def checked_inputs(inputs: Iterable[object], caller: str) -> list[object]:
    """`inputs` as a list, refusing an empty or non-numeric one with a message naming `caller`."""
    if isinstance(inputs, (Value, Real)):
        raise TypeError(f"{caller}: inputs must be a list of numbers or Values (one per argument "
                        f"of f), got the single {type(inputs).__name__} {inputs!r}; wrap it: [x]")
    items = list(inputs)
    if not items:
        raise ValueError(f"{caller}: inputs is empty; f needs at least one argument to differentiate")
    for index, item in enumerate(items):
        if not isinstance(item, Value) and (not isinstance(item, Real) or isinstance(item, bool)):
            raise TypeError(f"{caller}: input {index} must be a number or a Value, "
                            f"got {type(item).__name__}: {item!r}")
    return items


def _argnums(argnums: object, count: int) -> tuple[int, ...]:
    """The indices of the arguments to differentiate, checked against the `count` given."""
    if argnums is None:
        return tuple(range(count))
    if isinstance(argnums, Integral) and not isinstance(argnums, bool):
        chosen: tuple[int, ...] = (int(argnums),)
    elif isinstance(argnums, (tuple, list)) and all(
            isinstance(i, Integral) and not isinstance(i, bool) for i in argnums):
        chosen = tuple(int(i) for i in argnums)
    else:
        raise TypeError(f"grad/value_and_grad: argnums must be an int or a tuple of ints "
                        f"(argument positions, from 0), got {argnums!r}")
    if not chosen:
        raise ValueError("grad/value_and_grad: argnums is empty; name at least one argument")
    for index in chosen:
        if not -count <= index < count:
            raise ValueError(f"grad/value_and_grad: argnums {argnums!r} is out of range for {count} argument(s) "
                             "(indices start at 0)")
    return chosen


def _check_argnums_type(argnums: object) -> None:
    """Refuse a malformed argnums when the transform is made, not at its first call."""
    if argnums is not None:
        _argnums(argnums, 1 << 30)  # type check only: the range is checked at each call


def value_and_grad(f: Callable[..., object],
                   argnums: int | Sequence[int] | None = None) -> Callable[..., tuple[Any, Any]]:
    """A function returning (f(*args), gradient of f w.r.t. the chosen arguments).

    The gradient is a float when one argument is differentiated (`argnums` an int, or a
    function of one argument), else a tuple. With Value arguments both come back as Values
    connected to the arguments' graph, so the result can be differentiated again.
    """
    return _transform(f, argnums, "value_and_grad")


def _transform(f: Callable[..., object], argnums: int | Sequence[int] | None,
               name: str) -> Callable[..., tuple[Any, Any]]:
    """value_and_grad, with `name` (the public function called) in its errors."""
    if not callable(f):
        raise TypeError(f"{name}: f must be a function, got {type(f).__name__}")
    _check_argnums_type(argnums)

    def wrapped(*args: object) -> tuple[Any, Any]:
        chosen = _argnums(argnums, len(args))  # checked before f runs
        names = [param_name(f, i) for i in range(len(args))]
        leaves = as_leaves(args, names)
        out = as_value(f(*leaves))
        recording = any(isinstance(a, Value) for a in args)
        grads = gradients(out, [leaves[i] for i in chosen], create_graph=recording,
                          caller=name)
        value = out if recording else out.data
        single = isinstance(argnums, int) or (argnums is None and len(args) == 1)
        return value, (grads[0] if single else tuple(grads))

    wrapped.__name__ = f"value_and_grad({getattr(f, '__name__', 'f')})"
    wrapped.__doc__ = f"Value and gradient of {getattr(f, '__name__', 'f')}."
    return wrapped


def grad(f: Callable[..., object], argnums: int | Sequence[int] | None = None) -> Callable[..., Any]:
    """A function returning the gradient of scalar-valued f (see `value_and_grad`).

    >>> grad(lambda x: x ** 3)(2.0)
    12.0
    >>> grad(grad(lambda x: x ** 3))(2.0)
    12.0
    """
    inner = _transform(f, argnums, "grad")

    def wrapped(*args: object) -> Any:
        return inner(*args)[1]

    wrapped.__name__ = f"grad({getattr(f, '__name__', 'f')})"
    wrapped.__doc__ = f"Gradient of {getattr(f, '__name__', 'f')}."
    return wrapped


def jacobian(f: Callable[..., object], inputs: Iterable[object],
             mode: str = "reverse") -> list[list[float]]:
    """The Jacobian of vector-valued f at `inputs`, as a list of rows (one per output).

    f takes len(inputs) scalars and returns a list of Values (or one Value); row i, column j is
    d f_i / d input_j. mode 'reverse': one backward pass per output, a row each (cheap for few
    outputs); 'forward': one tangent sweep per input, a column each (`autograd.tangents`; cheap
    for few inputs). Both read the same local derivatives and agree to rounding.
    """
    if not isinstance(mode, str) or mode not in ("reverse", "forward"):
        raise ValueError(f"jacobian: mode must be 'reverse' (row by row) or 'forward' (column by "
                         f"column), got {mode!r}")
    if not callable(f):
        raise TypeError(f"jacobian: f must be a function, got {type(f).__name__}")
    items = checked_inputs(inputs, "jacobian")
    names = [param_name(f, i) for i in range(len(items))]
    leaves = as_leaves(items, names)
    outputs = f(*leaves)
    if isinstance(outputs, (Value, Real)) and not isinstance(outputs, bool):
        outputs = [outputs]
    if not isinstance(outputs, (list, tuple)) or not outputs or not all(
            isinstance(y, (Value, Real)) and not isinstance(y, bool) for y in outputs):
        raise TypeError(f"jacobian: f must return a Value, a number, or a non-empty list of them "
                        f"(one per output), got {type(outputs).__name__}: {outputs!r}")
    ys = [as_value(y) for y in outputs]
    if mode == "forward":  # column j: the tangents of every output for the seed d input_j = 1
        columns = []
        for leaf in leaves:
            pushed = push_tangents(ys, {leaf: 1.0})
            columns.append([float(pushed.get(y, 0.0)) for y in ys])
        return [list(row) for row in zip(*columns)]
    return [gradients(y, leaves, caller="jacobian") for y in ys]


def param_name(f: Callable[..., object], index: int) -> str:
    """The name of f's index-th parameter (labels the leaf), or 'arg<index>'."""
    code = getattr(f, "__code__", None)
    if code is not None and index < code.co_argcount:
        return code.co_varnames[index]
    return f"arg{index}"
