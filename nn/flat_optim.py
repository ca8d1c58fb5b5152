"""Optimizers over a flat parameter array (`FlatSGD`, `FlatAdam`): nn.optim's rules, vectorised.

A compiled numpy step (`autograd.compile(..., backend="numpy")`) keeps the parameters in one
float64 array, `step.flat` (autograd.compiled.flat.FlatParameters). These optimizers update that
array in a few numpy calls instead of one Python statement per parameter; the update rules,
hyper-parameter checks and learning-rate schedules are nn.optim's, and so are the numbers: the
same arithmetic on every element in the same order (IEEE float64), so a flat step gives the
object optimizer's new parameters to the bit.

    step = autograd.compile(loss_of_one_sample, model, example=..., backend="numpy")
    opt = nn.flat_optim.FlatAdam(step.flat, lr=1e-3)
    X = step.matrix(inputs, targets)
    for _ in range(100):
        opt.zero_grad()
        loss = step.run_flat(X)
        opt.step()
    step.flat.sync()  # the Values now hold the trained parameters (see FlatParameters)

`step()` is all or nothing, as nn.optim's: every new value and state is computed first and
checked finite (an OverflowError names the first parameter that would overflow and changes
nothing), then committed in ONE statement with no call inside, so neither an exception nor a
Ctrl-C can leave it half applied. `flat_twin(optimizer, flat)` makes the flat optimizer of an
nn.optim SGD or Adam with its hyper-parameters and state; `write_back` returns the state to it
(`fit(compile="numpy")` does both around training).
"""
from __future__ import annotations

import math
from abc import ABC, abstractmethod
from typing import Any

import numpy as np

from autograd.compiled.flat import Array, FlatParameters

from .optim import SGD, Adam, LearningRate, Optimizer, check_adam, check_rate, rate_at

__all__ = ["FlatOptimizer", "FlatSGD", "FlatAdam", "flat_twin"]


class FlatOptimizer(ABC):
    """The parameters' array, the learning rate (a number or a schedule) and the step count;
    subclasses define `_propose` (new array and state, changing nothing) and `_commit`."""

    def __init__(self, flat: FlatParameters, lr: LearningRate) -> None:
        if not isinstance(flat, FlatParameters):
            raise TypeError(f"{type(self).__name__}: expected the flat parameters of a compiled "
                            f"numpy step (step.flat), got {type(flat).__name__}")
        if not len(flat):
            raise ValueError(f"{type(self).__name__} got an empty parameter list")
        if not callable(lr):
            check_rate(type(self).__name__, "lr", lr)
        self.flat = flat
        self.lr = lr
        self.steps = 0

    @property
    def current_lr(self) -> float:
        """The learning rate the next step() will use (the schedule evaluated at `steps`)."""
        return rate_at(type(self).__name__, self.lr, self.steps)

    def zero_grad(self) -> None:
        """Set every gradient in the array to 0."""
        self.flat.zero_grad()

    def step(self) -> None:
        """Update the array from its gradients, all or nothing (see the module docstring)."""
        lr = self.current_lr
        t = self.steps + 1
        flat = self.flat
        with np.errstate(all="ignore"):  # an overflow is found below and named
            new, state = self._propose(flat.data, flat.grad, lr, t)
            # one pass each: a sum is finite when every element is (or it overflowed: look)
            suspect = not all(map(math.isfinite, [float(a.sum()) for a in (new, *state)]))
        if suspect:
            finite = np.isfinite(new)
            for part in state:
                finite &= np.isfinite(part)
        if suspect and not finite.all():
            i = int(np.argmin(finite))
            raise OverflowError(
                f"{type(self).__name__} step {t}: parameter {flat.label(i)!r} would become "
                f"{float(new[i])!r} (gradient {float(flat.grad[i])!r}, lr {lr!r}); nothing was "
                "changed: lower the learning rate or look for the source of the large gradient")
        self._commit(new, state, t)

    @abstractmethod
    def _propose(self, p: Array, grad: Array, lr: float,
                 t: int) -> tuple[Array, tuple[Array, ...]]:
        """The new parameter array and optimizer state, changing nothing."""

    @abstractmethod
    def _commit(self, new: Array, state: tuple[Array, ...], t: int) -> None:
        """Store the new array, state and step count in one statement (no call inside)."""

    @abstractmethod
    def write_back(self, optimizer: Optimizer) -> None:
        """Copy the state and step count into the nn.optim optimizer this one was made from."""


class FlatSGD(FlatOptimizer):
    """`FlatSGD(flat, lr, momentum=0.0, weight_decay=0.0)`: nn.optim.SGD over the array."""

    def __init__(self, flat: FlatParameters, lr: LearningRate, momentum: float = 0.0,
                 weight_decay: float = 0.0) -> None:
        super().__init__(flat, lr)
        self.momentum = check_rate("SGD", "momentum", momentum, 0.0, 1.0)
        self.weight_decay = check_rate("SGD", "weight_decay", weight_decay)
        self.velocity: Array = np.zeros(len(flat))
        self._spare: Array | None = None  # the parameter array before the last step

    def _propose(self, p: Array, grad: Array, lr: float,
                 t: int) -> tuple[Array, tuple[Array, ...]]:
        if self.momentum:
            g = grad + self.weight_decay * p  # also at 0.0: a zero's sign then matches nn.optim
            # The buffer starts at 0, so the first step moves by g itself (as PyTorch does).
            g = self.momentum * self.velocity + g
            return p - lr * g, (g,)
        # p - lr * (grad + weight_decay * p), the same operations in the same order, all into
        # the array before last step's: no temporary (a fresh 85k array per step page-faults)
        new = self._spare if self._spare is not None and self._spare is not p else np.empty_like(p)
        np.multiply(p, self.weight_decay, out=new)  # also at 0.0: a zero's sign then matches nn.optim
        np.add(grad, new, out=new)
        np.multiply(new, lr, out=new)
        return np.subtract(p, new, out=new), ()

    def _commit(self, new: Array, state: tuple[Array, ...], t: int) -> None:
        velocity = state[0] if state else self.velocity
        # one statement, no call: a signal cannot land between its stores
        (self._spare, self.flat.data, self.flat.stale, self.velocity,
         self.steps) = self.flat.data, new, True, velocity, t

    def write_back(self, optimizer: Optimizer) -> None:
        """Copy velocity and step count into `optimizer` (an nn.optim.SGD)."""
        if not isinstance(optimizer, SGD):
            raise TypeError(f"FlatSGD.write_back: expected an nn.optim.SGD, got "
                            f"{type(optimizer).__name__}")
        optimizer.velocity = self.velocity.tolist()
        optimizer.steps = self.steps


class FlatAdam(FlatOptimizer):
    """`FlatAdam(flat, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0)`: nn.optim.Adam
    over the array."""

    def __init__(self, flat: FlatParameters, lr: LearningRate = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0) -> None:
        super().__init__(flat, lr)
        self.beta1, self.beta2, self.eps, self.weight_decay = check_adam(betas, eps, weight_decay)
        self.m: Array = np.zeros(len(flat))  # running mean of gradients
        self.s: Array = np.zeros(len(flat))  # running mean of squared gradients

    def _propose(self, p: Array, grad: Array, lr: float,
                 t: int) -> tuple[Array, tuple[Array, ...]]:
        # the same operations in the same order as nn.optim.Adam._propose, element by element
        g = grad + self.weight_decay * p
        m = self.beta1 * self.m + (1.0 - self.beta1) * g
        s = self.beta2 * self.s + (1.0 - self.beta2) * g * g
        m_hat = m / (1.0 - self.beta1 ** t)
        s_hat = s / (1.0 - self.beta2 ** t)
        return p - lr * m_hat / (np.sqrt(s_hat) + self.eps), (m, s)

    def _commit(self, new: Array, state: tuple[Array, ...], t: int) -> None:
        m, s = state
        # one statement, no call: a signal cannot land between its stores
        self.flat.data, self.flat.stale, self.m, self.s, self.steps = new, True, m, s, t

    def write_back(self, optimizer: Optimizer) -> None:
        """Copy both running means and the step count into `optimizer` (an nn.optim.Adam)."""
        if not isinstance(optimizer, Adam):
            raise TypeError(f"FlatAdam.write_back: expected an nn.optim.Adam, got "
                            f"{type(optimizer).__name__}")
        optimizer.m, optimizer.s = self.m.tolist(), self.s.tolist()
        optimizer.steps = self.steps


def flat_twin(optimizer: Optimizer, flat: FlatParameters) -> FlatOptimizer | None:
    """The flat optimizer doing what `optimizer` (nn.optim SGD or Adam, exactly those classes)
    does, over `flat`, starting from its state; None for any other optimizer (a subclass may
    change the rule). `flat` must hold the same parameters in the same order."""
    if [id(p) for p in optimizer.params] != [id(p) for p in flat.params]:
        return None
    twin: Any
    if type(optimizer) is SGD:
        twin = FlatSGD(flat, optimizer.lr, optimizer.momentum, optimizer.weight_decay)
        twin.velocity = np.array(optimizer.velocity, dtype=float)
    elif type(optimizer) is Adam:
        twin = FlatAdam(flat, optimizer.lr, (optimizer.beta1, optimizer.beta2), optimizer.eps,
                        optimizer.weight_decay)
        twin.m = np.array(optimizer.m, dtype=float)
        twin.s = np.array(optimizer.s, dtype=float)
    else:
        return None
    twin.steps = optimizer.steps
    return twin
