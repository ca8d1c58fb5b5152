"""`autograd.compile`: trace a one-sample loss once, then replay its tape over whole batches.

    step = autograd.compile(lambda x1, x2, y: (1 - y * model([x1, x2])).relu(),
                            model.parameters(), example=(0.5, -0.2, 1.0),
                            extra=lambda: 1e-4 * nn.l2_penalty(model))
    loss = step(X1, X2, Y)       # forward + backward over the batch; fills every p.grad
    print(step.tape)             # the Wengert list: op, inputs, value, grad per entry

Why it is fast: the object engine makes one Python object per op and per number, every step.
The graph of ONE sample is the same list of instructions for every sample (a tape, or Wengert
list); tracing records it once, and replay runs it as plain float code (python backend:
generated straight-line source, bitwise equal to the object engine) or as array code over
the whole batch (numpy backend). Modules: `tape` (tracing and the structure check),
`pysource` (the python backend), `numpy_replay` (the numpy backend), `step` (the step object,
its fall-back to the object engine and `check`).
"""
from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Sequence
from numbers import Real
from typing import Protocol

from ..value import Value
from .step import CheckReport, Step, checked_reduction
from .tape import Argument, Tape, TraceError

__all__ = ["compile", "Step", "Tape", "TraceError", "CheckReport", "BACKENDS", "HasParameters"]

BACKENDS = ("auto", "python", "numpy")


class HasParameters(Protocol):
    """What `compile` accepts instead of a list of parameters: a model (an nn.Module)."""

    def parameters(self) -> list[Value]:
        """The model's parameters, in a fixed order."""
        ...


def _numpy_available() -> bool:
    try:
        import numpy  # noqa: F401
    except ImportError:
        return False
    return True


def compile(fn: Callable[..., Value], params: HasParameters | Iterable[Value],
            example: Argument | Sequence[Argument], reduction: str = "mean",
            extra: Callable[[], Value] | None = None, backend: str = "auto") -> Step:
    """A compiled training step for the per-sample loss `fn` (see the module docstring).

    fn(*sample) is ordinary Value code for ONE sample, returning its loss as a Value; each
    argument is a number or a list of numbers (an input vector). params: the Values that
    receive gradients (a list, or a Module with `.parameters()`). example: one sample, used to
    trace fn. reduction: "mean" or "sum" of the per-sample losses. extra: an optional
    function of no arguments returning a params-only term added once (e.g. an L2 penalty).
    backend: "python" (standard library; gradients bitwise equal to the object engine),
    "numpy" (the batch as arrays; within ~1e-15), or "auto" (numpy when installed).

    Only the graph's structure is replayed, so while fn is traced every read that turns a
    Value into Python data (`.data`, `.grad`, `.local`, `float()`, `bool()` / `if`, `<` or `==`
    with a number, `int()`, `round()`, f-strings) raises TraceError naming the node and the
    line of fn, with the way out (relu, abs, maximum / minimum keep a choice inside the graph).
    So does calling a library read-out that would read the numbers on fn's behalf
    (`model.predict`, `nn.accuracy`, `state_dict`, `gradients` without create_graph, `jacobian`,
    `gradcheck`, `check`, `explain`, `Trace`, `detach`, a compiled step: the list is
    `autograd.readouts`), naming it and the line of fn; call it outside fn, before or after the
    step. Allowed: every op on Values, the nn layers and losses, plain numbers, labels,
    `print(v)`, what keeps Values Values (`grad`, `hessian`, `jvp`, `gradients(...,
    create_graph=True)`) and the graph's structure (`.parents`, `.op`; see
    `autograd.compiled.guard`). As a second check, the first call traces another sample (with
    the parameters nudged) and refuses, naming the node, if the structure differs.
    """
    if not callable(fn):
        raise TypeError(f"compile: fn must be callable, got {type(fn).__name__}")
    values = list(params.parameters() if hasattr(params, "parameters") else params)
    if not all(type(p) is Value for p in values):
        raise TypeError("compile: params must be a list of Values (or a Module)")
    if len({id(p) for p in values}) != len(values):
        raise ValueError("compile: a parameter is listed twice")
    if backend not in BACKENDS:
        raise ValueError(f"compile: backend must be one of {BACKENDS}, got {backend!r}")
    if backend == "auto":
        backend = "numpy" if _numpy_available() else "python"
    elif backend == "numpy" and not _numpy_available():
        raise ImportError('compile: backend="numpy" needs numpy: pip install "teachgrad[numpy]"')
    # one number (or a string, refused when traced) is a sample of one argument
    sample: tuple[Argument, ...] = (example,) if isinstance(
        example, (int, float, Real, str, bytes)) else tuple(example)
    names = _argument_names(fn, len(sample))
    _check_arity(fn, sample)
    if extra is not None and not callable(extra):
        raise TypeError("compile: extra must be a function of no arguments (or None)")
    return Step(fn, values, sample, names, checked_reduction(reduction), extra, backend)


def _check_arity(fn: Callable[..., object], sample: tuple[object, ...]) -> None:
    """A TypeError naming compile when fn cannot take the example's arguments (checked here,
    not left to the call inside the trace)."""
    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError):  # a builtin or a C function: the trace will tell
        return
    try:
        signature.bind(*sample)
    except TypeError as exc:
        raise TypeError(f"compile: the example has {len(sample)} argument(s) but fn cannot take "
                        f"them ({exc}); give one number or list per argument of fn") from None


def _argument_names(fn: Callable[..., object], count: int) -> list[str]:
    """fn's parameter names for the labels of the input leaves (x0, x1, ... when unknown)."""
    try:
        names = [p.name for p in inspect.signature(fn).parameters.values()
                 if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        names = []
    if len(names) != count:
        names = [f"x{i}" for i in range(count)]
    return names
