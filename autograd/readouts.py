"""The library's read-outs: public functions and methods that take Values (a node, a model's
parameters or outputs) and hand their numbers back as Python data (floats, a report, a table).

Why a list: while `autograd.compile` traces, the library's own code may read `.data` (its input
checks and its internal use build no graph that depends on what they read), so a read-out called
from the user's traced function would read the traced sample's numbers on the user's behalf and
freeze them into the tape silently (`y * model.predict(x)`, `nn.accuracy(model, [x], [t])`).
Each package registers its read-outs here, where it assembles its public names; while tracing,
`autograd.compiled.guard` swaps each for a twin that refuses a call from the user's code (and
passes the library's own calls through) and puts the original back after. Outside a trace
nothing is swapped: registering costs nothing at call time.

Not read-outs (allowed while tracing): functions that keep Values Values (`grad`,
`value_and_grad`, `hessian`, `hvp`, `jvp` record a graph when given Values; `gradients` with
`create_graph=True`), pictures and text (`repr`/`print`, `draw`, `save`, `step_backward`, nn's
plots), writers that return no numbers (`Module.save`), and plain-number helpers.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["Readout", "READOUTS", "register", "register_method"]


@dataclass(frozen=True)
class Readout:
    """One read-out: `owner` a class (the method `name` is swapped on it) or None (a function,
    swapped wherever a module binds it); `gives` what it hands back, for the error; `records`
    (optional) tells from the call's arguments when it keeps Values Values (then it is allowed)."""

    owner: type | None
    name: str
    function: Callable[..., Any]
    shown: str  # how the error shows a call: `nn.accuracy()`, `MLP.predict()`, `Trace(...)`
    gives: str  # what it reads, completing "it reads ...": "the model's outputs as floats"
    records: Callable[[tuple[Any, ...], Mapping[str, Any]], bool] | None = None


READOUTS: list[Readout] = []


def register(function: Callable[..., Any], shown: str, gives: str,
             records: Callable[[tuple[Any, ...], Mapping[str, Any]], bool] | None = None) -> None:
    """List a module-level function as a read-out (see the module docstring); `shown` is its
    public name (`nn.accuracy`)."""
    READOUTS.append(Readout(None, function.__name__, function, f"{shown}()", gives, records))


def register_method(owner: type, name: str, gives: str, shown: str = "") -> None:
    """List the method `owner.name` (defined on owner itself) as a read-out; `shown` how the
    error shows a call (default `Owner.name()`)."""
    READOUTS.append(Readout(owner, name, owner.__dict__[name],
                            shown or f"{owner.__name__}.{name}()", gives))
