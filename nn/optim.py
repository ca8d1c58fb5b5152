"""Optimizers: `SGD` (momentum, weight decay) and `Adam`, with a learning-rate schedule hook.

Both follow PyTorch's update rules, so numbers can be compared with it:
    SGD:  g = grad + wd p;  v = momentum v + g;  p -= lr v          (v = g when momentum = 0)
    Adam: g = grad + wd p;  m = b1 m + (1-b1) g;  s = b2 s + (1-b2) g^2;
          p -= lr (m / (1 - b1^t)) / (sqrt(s / (1 - b2^t)) + eps)
`lr` is a number or a schedule: a callable `lr(k)` of the number k of steps already taken
(0 at the first step), e.g. `lr=lambda k: 1.0 - 0.9 * k / 100` or `linear_decay(1.0, 0.1, 100)`.
"""
from __future__ import annotations

import math
from numbers import Real

from autograd import Value

__all__ = ["Optimizer", "SGD", "Adam", "linear_decay"]


def linear_decay(start: float, end: float, steps: int):
    """A schedule going linearly from `start` (step 0) to `end` (step `steps`), then staying."""
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
        raise ValueError(f"linear_decay: steps must be a positive int, got {steps!r}")

    def schedule(k: int) -> float:
        """The learning rate for step k (0-based)."""
        return start + (end - start) * min(k, steps) / steps
    return schedule


def _check_rate(name: str, x, low: float = 0.0, high: float = math.inf) -> float:
    if isinstance(x, bool) or not isinstance(x, Real) or not low <= x < high:
        raise ValueError(f"{name} must be a number in [{low}, {high}), got {x!r}")
    return float(x)


class Optimizer:
    """Holds the parameters and the step counter; subclasses define
    `_update(i, p, grad, lr) -> new p` for parameter number i (its slot in their state lists)."""

    def __init__(self, params, lr):
        if hasattr(params, "parameters"):  # a Module: optimise all of its parameters
            params = params.parameters()
        self.params = list(params)
        if not self.params:
            raise ValueError(f"{type(self).__name__} got an empty parameter list")
        for i, p in enumerate(self.params):
            if type(p) is not Value:
                raise TypeError(f"{type(self).__name__}: parameter {i} is a "
                                f"{type(p).__name__}, not a Value: {p!r}")
        if not callable(lr):
            _check_rate("lr", lr)
        self.lr = lr
        self.steps = 0  # how many times step() has run

    @property
    def current_lr(self) -> float:
        """The learning rate the next step() will use (the schedule evaluated at `steps`)."""
        lr = self.lr(self.steps) if callable(self.lr) else self.lr
        if isinstance(lr, bool) or not isinstance(lr, Real) or not math.isfinite(lr) or lr < 0:
            raise ValueError(f"the lr schedule gave {lr!r} at step {self.steps}; "
                             "it must return a finite number >= 0")
        return float(lr)

    def zero_grad(self) -> None:
        """Set every parameter's gradient to 0 (they accumulate across backward calls)."""
        for p in self.params:
            p.grad = 0.0

    def step(self) -> None:
        """Update every parameter from its current `.grad`."""
        lr = self.current_lr
        self.steps += 1
        for i, p in enumerate(self.params):
            p.data = self._update(i, p.data, p.grad, lr)
            if p.data - p.data:  # inf or nan: say where instead of training on garbage
                raise OverflowError(f"{type(self).__name__} step {self.steps}: parameter "
                                    f"{p.label or i!r} became {p.data!r}; lower the learning rate")


class SGD(Optimizer):
    """`SGD(params, lr, momentum=0.0, weight_decay=0.0)`: (momentum) gradient descent."""

    def __init__(self, params, lr, momentum: float = 0.0, weight_decay: float = 0.0):
        super().__init__(params, lr)
        self.momentum = _check_rate("momentum", momentum, 0.0, 1.0)
        self.weight_decay = _check_rate("weight_decay", weight_decay)
        self.velocity = [0.0] * len(self.params)

    def _update(self, i: int, p: float, grad: float, lr: float) -> float:
        g = grad + self.weight_decay * p
        if self.momentum:
            # The buffer starts at 0, so the first step moves by g itself (as PyTorch does).
            g = self.velocity[i] = self.momentum * self.velocity[i] + g
        return p - lr * g


class Adam(Optimizer):
    """`Adam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0)`."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0):
        super().__init__(params, lr)
        self.beta1 = _check_rate("betas[0]", betas[0], 0.0, 1.0)
        self.beta2 = _check_rate("betas[1]", betas[1], 0.0, 1.0)
        self.eps = _check_rate("eps", eps)
        self.weight_decay = _check_rate("weight_decay", weight_decay)
        self.m = [0.0] * len(self.params)  # running mean of gradients
        self.s = [0.0] * len(self.params)  # running mean of squared gradients

    def _update(self, i: int, p: float, grad: float, lr: float) -> float:
        g = grad + self.weight_decay * p
        self.m[i] = self.beta1 * self.m[i] + (1.0 - self.beta1) * g
        self.s[i] = self.beta2 * self.s[i] + (1.0 - self.beta2) * g * g
        # Both averages start at 0, so early on they are biased towards 0: divide that out.
        m_hat = self.m[i] / (1.0 - self.beta1 ** self.steps)
        s_hat = self.s[i] / (1.0 - self.beta2 ** self.steps)
        return p - lr * m_hat / (math.sqrt(s_hat) + self.eps)
