"""`FlatParameters`: a compiled numpy step's parameters as ONE float64 array (and their grads).

Why: at 85k parameters, reading every `p.data` into the replay, writing every `p.grad` back and
stepping an optimizer parameter by parameter cost ~20x the replay itself. With the parameters
in one array, the replay reads it, accumulates gradients into a second array, and an optimizer
over arrays (`nn.flat_optim`) updates it in a handful of numpy calls.

The user's `Value`s are copies, not views (a Value holds a Python float): while a flat
optimizer trains, the ARRAY is the parameters and the Values lag behind. They are written back
by `sync()`, which `nn.train.fit` calls at the end of every epoch (before it measures accuracy)
and on any exit, Ctrl-C included; the step syncs before it falls back to the object engine.
After changing a Value by hand, call `load()` to read the Values into the array again.
Writing 85k Values back costs ~6 ms (measured), several flat steps' worth: hence not per step.
"""
from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from ..value import Value

__all__ = ["FlatParameters", "Array"]

Array = NDArray[np.float64]


class FlatParameters:
    """`data` and `grad`: float64 arrays with one element per parameter, in `params` order.

    `stale` is True while the array holds values the Values do not have yet (see the module).
    """

    def __init__(self, params: list[Value]) -> None:
        self.params = params
        self.data: Array = np.zeros(len(params))
        self.grad: Array = np.zeros(len(params))
        self.stale = False
        self.load()

    def __len__(self) -> int:
        return len(self.params)

    def load(self) -> None:
        """Read every Value's data and grad into the arrays (the Values are the truth now)."""
        self.data = np.array([p.data for p in self.params], dtype=float)
        self.grad = np.array([p.grad for p in self.params], dtype=float)
        self.stale = False

    def sync(self) -> None:
        """Write the arrays into the Values (`p.data`, `p.grad`): afterwards both agree."""
        for p, d, g in zip(self.params, self.data.tolist(), self.grad.tolist()):
            p.data = d
            p.grad = g
        self.stale = False

    def zero_grad(self) -> None:
        """Set every gradient to 0 (in the array, in place; the Values' follow at `sync`)."""
        self.grad.fill(0.0)
        self.stale = True

    def label(self, i: int) -> str:
        """Parameter i's label (or its number), for error messages."""
        return self.params[i].label or f"#{i}"

    def __repr__(self) -> str:
        state = "Values lag (call sync())" if self.stale else "Values agree"
        return f"<FlatParameters: {len(self)} parameters, {state}>"
