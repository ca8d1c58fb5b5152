"""Optimizers: `SGD` (momentum, weight decay) and `Adam`, with a learning-rate schedule hook.

Both follow PyTorch's update rules, so numbers can be compared with it:
    SGD:  g = grad + wd p;  v = momentum v + g;  p -= lr v          (v = g when momentum = 0)
    Adam: g = grad + wd p;  m = b1 m + (1-b1) g;  s = b2 s + (1-b2) g^2;
          p -= lr (m / (1 - b1^t)) / (sqrt(s / (1 - b2^t)) + eps)
`lr` is a number or a schedule: a callable `lr(k)` of the number k of steps already taken
(0 at the first step), e.g. `lr=lambda k: 1.0 - 0.9 * k / 100` or `linear_decay(1.0, 0.1, 100)`.

`step()` is all or nothing: it computes every new parameter value and optimizer state first,
checks that all are finite, and only then writes them; a learning rate from a schedule is
checked before that. So a step that would overflow raises an OverflowError naming the
parameter and leaves parameters, state and step count exactly as they were.
"""
from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from typing import Protocol, Union

from autograd import Value
from autograd.coerce import exact_float, is_number

__all__ = ["Optimizer", "SGD", "Adam", "linear_decay", "HasParameters", "LearningRate",
           "check_rate", "check_adam", "rate_at"]

LearningRate = Union[float, Callable[[int], float]]  # a number, or a schedule: step -> rate


class HasParameters(Protocol):
    """What an optimizer accepts besides a list of Values: anything with `parameters()` (a Module)."""

    def parameters(self) -> list[Value]:
        """The trainable Values to optimise."""
        ...


def linear_decay(start: float, end: float, steps: int) -> Callable[[int], float]:
    """A schedule going linearly from `start` (step 0) to `end` (step `steps`), then staying."""
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
        raise ValueError(f"linear_decay: steps must be a positive int, got {steps!r}")

    def schedule(k: int) -> float:
        """The learning rate for step k (0-based)."""
        return start + (end - start) * min(k, steps) / steps
    return schedule


def check_rate(who: str, name: str, x: object, low: float = 0.0, high: float = math.inf,
                low_open: bool = False) -> float:
    """x as a float in [low, high) ((low, high) with low_open), or a ValueError naming it."""
    interval = ("(" if low_open else "[") + f"{low}, {high})"
    try:
        finite = is_number(x) and math.isfinite(x)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):  # Decimal('sNaN'), 10**400
        finite = False
    if not finite:
        raise ValueError(f"{who}: {name} must be a number in {interval}, got {x!r}")
    # exactly a float (numpy numbers, Fraction, Decimal) or refused: no rounding behind the back
    value = exact_float(x, f"{who}: {name}")
    if not (low < value if low_open else low <= value) or not value < high:
        raise ValueError(f"{who}: {name} must be a number in {interval}, got {x!r}")
    return value


def check_adam(betas: object, eps: object,
               weight_decay: object) -> tuple[float, float, float, float]:
    """Adam's settings checked, as (beta1, beta2, eps, weight_decay): betas a pair of floats in
    [0, 1) (or an error saying what a pair looks like), eps > 0, weight_decay >= 0. One check
    for both Adams (nn.optim's over Values, nn.flat_optim's over an array)."""
    if isinstance(betas, (str, bytes)) or not isinstance(betas, (tuple, list)) or len(betas) != 2:
        raise ValueError(f"Adam: betas must be a pair (beta1, beta2) of numbers in [0, 1), "
                         f"e.g. (0.9, 0.999), got {betas!r}")
    return (check_rate("Adam", "betas[0]", betas[0], 0.0, 1.0),
            check_rate("Adam", "betas[1]", betas[1], 0.0, 1.0),
            check_rate("Adam", "eps", eps, low_open=True),
            check_rate("Adam", "weight_decay", weight_decay))


def rate_at(who: str, lr: LearningRate, steps: int) -> float:
    """The learning rate for the step after `steps` steps (a schedule evaluated), checked."""
    rate = lr(steps) if callable(lr) else lr
    if not is_number(rate) or not math.isfinite(rate) or rate < 0:
        raise ValueError(f"{who}: the lr schedule gave {rate!r} at step {steps}; it must return "
                         "a finite number >= 0")
    return exact_float(rate, f"{who}: the lr schedule at step {steps}")


class Optimizer(ABC):
    """Holds the parameters and the step counter; subclasses define
    `_propose(i, p, grad, lr, t) -> (new p, new state of slot i)` for parameter number i, without
    changing anything, and `_commit(i, state)` to store that state (see `step`)."""

    def __init__(self, params: HasParameters | Iterable[Value], lr: LearningRate) -> None:
        if hasattr(params, "parameters"):  # a Module: optimise all of its parameters
            params = params.parameters()
        if isinstance(params, Value) or not isinstance(params, Iterable):
            raise TypeError(f"{type(self).__name__}: params must be a list of Values or a "
                            f"Module, got {type(params).__name__}")
        self.params: list[Value] = list(params)
        if not self.params:
            raise ValueError(f"{type(self).__name__} got an empty parameter list")
        seen: dict[int, int] = {}  # id of a parameter -> its index
        for i, p in enumerate(self.params):
            if type(p) is not Value:
                raise TypeError(f"{type(self).__name__}: parameter {i} is a "
                                f"{type(p).__name__}, not a Value: {p!r}")
            if id(p) in seen:  # it would be stepped twice per step()
                raise ValueError(f"{type(self).__name__}: parameter {i} "
                                 f"({p.label or 'unlabelled'}) is the same Value as parameter "
                                 f"{seen[id(p)]}; list each parameter once")
            seen[id(p)] = i
        if not callable(lr):
            check_rate(type(self).__name__, "lr", lr)
        self.lr = lr
        self.steps = 0  # how many times step() has run

    @property
    def current_lr(self) -> float:
        """The learning rate the next step() will use (the schedule evaluated at `steps`)."""
        return rate_at(type(self).__name__, self.lr, self.steps)

    def zero_grad(self) -> None:
        """Set every parameter's gradient to 0 (they accumulate across backward calls)."""
        for p in self.params:
            p.grad = 0.0

    def step(self) -> None:
        """Update every parameter from its current `.grad`, all or nothing (see the module)."""
        lr = self.current_lr
        t = self.steps + 1  # the number of this step, 1-based (Adam's bias correction)
        proposals = []
        for i, p in enumerate(self.params):
            grad = p.grad if type(p.grad) is float else self._checked_grad(p, i, t)
            new, state = self._propose(i, p.data, grad, lr, t)
            if not all(map(math.isfinite, (new, *state))):  # say where, before changing anything
                raise OverflowError(
                    f"{type(self).__name__} step {t}: parameter {p.label or i!r} would become "
                    f"{new!r} (gradient {p.grad!r}, lr {lr!r}); nothing was changed: lower the "
                    "learning rate or look for the source of the large gradient")
            proposals.append((new, state))
        self._apply(proposals, t)

    def _checked_grad(self, p: Value, i: int, t: int) -> float:
        """A `.grad` that is not a float (set by hand: a numpy number, None, a list) as an exact
        float, or an error naming the parameter."""
        try:
            return exact_float(p.grad, f"{type(self).__name__} step {t}: the grad of parameter "
                                       f"{p.label or i!r}")
        except ValueError as exc:  # inf or nan: the same error as a step that overflows
            raise OverflowError(f"{exc}; nothing was changed") from None

    def _apply(self, proposals: list[tuple[float, tuple[float, ...]]], t: int) -> None:
        """Write the new values and states and count the step, as one unit under Ctrl-C.

        A KeyboardInterrupt can arrive between any two bytecodes, so half the parameters could
        hold the new values and half the old (a torn step that no later step repairs). The
        writes are plain stores of values computed beforehand, so repeating them is harmless:
        if anything interrupts them, they are all done again before the interrupt goes on, and
        the step is complete (the state an uninterrupted step leaves), never half done.
        """
        try:
            self._write(proposals, t)
        except BaseException:
            self._write(proposals, t)
            raise

    def _write(self, proposals: list[tuple[float, tuple[float, ...]]], t: int) -> None:
        for i, (p, (new, state)) in enumerate(zip(self.params, proposals)):
            p.data = new
            self._commit(i, state)
        self.steps = t

    @abstractmethod
    def _propose(self, i: int, p: float, grad: float, lr: float,
                 t: int) -> tuple[float, tuple[float, ...]]:
        """The new value of parameter i and its new optimizer state, changing nothing."""

    @abstractmethod
    def _commit(self, i: int, state: tuple[float, ...]) -> None:
        """Store the state `_propose` gave for parameter i (called only once all are finite)."""


class SGD(Optimizer):
    """`SGD(params, lr, momentum=0.0, weight_decay=0.0)`: (momentum) gradient descent."""

    def __init__(self, params: HasParameters | Iterable[Value], lr: LearningRate,
                 momentum: float = 0.0, weight_decay: float = 0.0) -> None:
        super().__init__(params, lr)
        self.momentum = check_rate("SGD", "momentum", momentum, 0.0, 1.0)
        self.weight_decay = check_rate("SGD", "weight_decay", weight_decay)
        self.velocity = [0.0] * len(self.params)

    def step(self) -> None:
        """Update every parameter, all or nothing. Plain SGD (no momentum) runs as one list
        comprehension of the same arithmetic as `_propose` (a compiled step spends most of its
        time here otherwise); a non-finite result re-runs the general step, which names it."""
        if self.momentum:
            return super().step()
        lr, wd = self.current_lr, self.weight_decay
        params = self.params
        try:
            new = [p.data - lr * (p.grad + wd * p.data) for p in params]
            finite = not any(v - v for v in new)  # inf - inf and nan - nan are nan
        except (TypeError, ValueError, ArithmeticError):  # a .grad set by hand to a non-number
            finite = False
        if not finite or any(type(v) is not float for v in new):  # let step() say where
            return super().step()
        self._apply([(v, ()) for v in new], self.steps + 1)  # _commit keeps no state here
        return None

    def _propose(self, i: int, p: float, grad: float, lr: float,
                 t: int) -> tuple[float, tuple[float, ...]]:
        g = grad + self.weight_decay * p
        if self.momentum:
            # The buffer starts at 0, so the first step moves by g itself (as PyTorch does).
            g = self.momentum * self.velocity[i] + g
        return p - lr * g, (g,)

    def _commit(self, i: int, state: tuple[float, ...]) -> None:
        if self.momentum:
            self.velocity[i] = state[0]


class Adam(Optimizer):
    """`Adam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0)`; eps > 0 (it
    keeps the division finite where a gradient has always been 0)."""

    def __init__(self, params: HasParameters | Iterable[Value], lr: LearningRate = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0) -> None:
        super().__init__(params, lr)
        self.beta1, self.beta2, self.eps, self.weight_decay = check_adam(betas, eps, weight_decay)
        self.m = [0.0] * len(self.params)  # running mean of gradients
        self.s = [0.0] * len(self.params)  # running mean of squared gradients

    def _propose(self, i: int, p: float, grad: float, lr: float,
                 t: int) -> tuple[float, tuple[float, ...]]:
        g = grad + self.weight_decay * p
        m = self.beta1 * self.m[i] + (1.0 - self.beta1) * g
        s = self.beta2 * self.s[i] + (1.0 - self.beta2) * g * g
        # Both averages start at 0, so early on they are biased towards 0: divide that out.
        m_hat = m / (1.0 - self.beta1 ** t)
        s_hat = s / (1.0 - self.beta2 ** t)
        return p - lr * m_hat / (math.sqrt(s_hat) + self.eps), (m, s)

    def _commit(self, i: int, state: tuple[float, ...]) -> None:
        self.m[i], self.s[i] = state
