"""`fit(..., compile=...)`: the training steps of `fit` through `autograd.compile`.

The one-sample loss that is traced is the built-in loss's own term (nn.sample_losses), so the
compiled step and `fit`'s object-engine step run the very same function: the minibatch loss is
the mean of the per-sample terms, plus l2 * sum p^2 when l2 is set (compiled as `extra=`).

With the numpy backend the data stay arrays end to end: the inputs and encoded targets become
one (inputs, samples) matrix once, each minibatch is gathered from it into a buffer reused from
step to step, and an nn.optim SGD or Adam runs as its flat twin (nn.flat_optim) over the
parameters as one array; the model's Values are written back when accuracy needs them and when
training ends (however it ends).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Protocol, cast

from autograd import Value
from autograd import compile as compile_step

from .inputs import Inputs, Output
from .losses import l2_penalty
from .metrics import Label, output_list
from .optim import Optimizer
from .sample_losses import SAMPLE_LOSSES, SampleLoss

__all__ = ["CompiledTrainer", "BACKEND_CHOICES", "Trainable", "Runner", "sample_floats"]

BACKEND_CHOICES = {True: "auto", "auto": "auto", "python": "python", "numpy": "numpy"}


class Trainable(Protocol):
    """What `fit` trains: a model (Neuron, Layer, MLP) called on one input, with its
    parameters and a float-only `predict` (used for accuracy and to size the targets)."""

    def __call__(self, x: Inputs) -> Output:
        """The model's output(s) for one input, as Values (a graph)."""
        ...

    def parameters(self) -> list[Value]:
        """The trainable parameters."""
        ...

    def predict(self, x: Inputs) -> float | list[float]:
        """The model's output(s) as plain floats (no graph)."""
        ...


class Runner(Protocol):
    """How `fit` runs its steps (on the object engine, or compiled). Accuracy is not the
    runner's business: `fit` measures it with `model.predict` after `close()` (see nn.train)."""

    @property
    def current_lr(self) -> float:
        """The learning rate of the next step."""
        ...

    def begin_epoch(self, order: list[int]) -> None:
        """The sample order of this epoch."""
        ...

    def step(self, start: int, stop: int) -> float:
        """One step on the samples order[start:stop]: the minibatch's loss."""
        ...

    def close(self) -> None:
        """Hand the trained state back to the model and the optimizer: after an epoch whose
        accuracy is measured, and when fit ends (also on Ctrl-C). May be called repeatedly."""
        ...


def sample_floats(x: Inputs) -> list[float]:
    """One input sample (a number or a list of numbers/Values) as a list of floats."""
    items = list(x) if isinstance(x, Iterable) else [x]
    return [float(v.data if type(v) is Value else v) for v in items]


def _sample_loss(model: Trainable, loss: SampleLoss) -> Any:
    """fn(x, t) -> Value: the model's outputs for x through the loss's one-sample term."""
    def one_sample(x: list[Value], t: Any) -> Value:
        return loss.term(cast(list[Value], output_list(model(x))), t)
    return one_sample


class CompiledTrainer:
    """`fit`'s steps through one compiled step (see the module docstring); a `Runner`."""

    def __init__(self, model: Trainable, loss: object, X: Sequence[Inputs], y: Sequence[Label],
                 l2: float, choice: bool | str, optimizer: Optimizer) -> None:
        if not isinstance(loss, str):
            raise ValueError("fit(compile=...) supports the built-in losses ('hinge', 'bce', "
                             "'cross_entropy', 'mse'); compile a custom loss yourself with "
                             "autograd.compile")
        if choice not in BACKEND_CHOICES:
            raise ValueError(f"fit: compile must be False, True, 'python' or 'numpy', "
                             f"got {choice!r}")
        self.model, self.optimizer, self.n = model, optimizer, len(X)
        row = SAMPLE_LOSSES[loss]
        n_out = len(output_list(model.predict(X[0])))
        inputs = [sample_floats(x) for x in X] if _is_list(X) else _matrix_rows(X)
        targets = row.targets(list(y) if _is_list(y) else y.tolist(), n_out)  # type: ignore
        params = model.parameters()
        extra = (lambda: l2 * l2_penalty(params)) if l2 else None
        self.step_fn = compile_step(_sample_loss(model, row), params,
                                    example=(list(map(float, inputs[0])), targets[0]),
                                    extra=extra, backend=BACKEND_CHOICES[choice])
        self.flat_optimizer: Any = None
        if self.step_fn.flat is None:  # python backend: columns of Python floats
            self.inputs, self.targets = inputs, targets
            return
        import numpy as np

        from .flat_optim import flat_twin
        self.matrix = self.step_fn.matrix(inputs, targets)  # all samples, checked once
        self.step_fn.verify_matrix(self.matrix)  # the structure check, before the first step
        self.flat_optimizer = flat_twin(optimizer, self.step_fn.flat)
        self.order: Any = np.arange(self.n)
        self.buffers: dict[int, Any] = {}  # batch size -> the minibatch's matrix, reused
        self.np = np

    @property
    def current_lr(self) -> float:
        """The learning rate of the next step."""
        return (self.flat_optimizer or self.optimizer).current_lr

    def begin_epoch(self, order: list[int]) -> None:
        """The sample order of this epoch (an index array for the numpy backend)."""
        if self.step_fn.flat is None:
            self.order = order
        elif len(order) < self.n or order != sorted(order):
            self.order = self.np.array(order)
        else:
            self.order = None  # in order: the whole matrix, no gather

    def step(self, start: int, stop: int) -> float:
        """One step on order[start:stop]: the minibatch's loss."""
        if self.step_fn.flat is None:
            idx = self.order[start:stop]
            self.optimizer.zero_grad()
            loss = self.step_fn([self.inputs[i] for i in idx], [self.targets[i] for i in idx])
            self.optimizer.step()
            return loss
        if self.order is None:  # samples in order: a view, nothing copied
            X = self.matrix[:, start:stop]
        else:
            X = self.buffers.get(stop - start)
            if X is None:
                X = self.buffers[stop - start] = self.np.empty((len(self.matrix), stop - start))
            self.np.take(self.matrix, self.order[start:stop], axis=1, out=X)
        if self.flat_optimizer is None:  # another optimizer reads and writes the Values
            self.optimizer.zero_grad()
            loss = self._values_step(X)
            self.optimizer.step()
            return loss
        self.flat_optimizer.zero_grad()
        loss = self.step_fn.run_flat(X)
        self.flat_optimizer.step()
        return loss

    def _values_step(self, X: Any) -> float:
        """A flat step whose gradients are written into the Values (for an optimizer that
        has no flat twin)."""
        flat = self.step_fn.flat
        assert flat is not None
        flat.load()
        loss = self.step_fn.run_flat(X)
        flat.sync()
        return loss

    def close(self) -> None:
        """Write the flat parameters into the Values and the optimizer state into the
        optimizer (nothing to do on the python backend); again after each call's steps."""
        if self.flat_optimizer is not None:
            self.flat_optimizer.write_back(self.optimizer)
            assert self.step_fn.flat is not None
            self.step_fn.flat.sync()


def _is_list(data: Any) -> bool:
    """Whether data is a plain sequence (not a numpy array)."""
    return not hasattr(data, "ndim")


def _matrix_rows(X: Any) -> Any:
    """An array of samples as (samples, features) floats (a 1-D array: one feature each)."""
    import numpy as np
    rows = np.asarray(X, dtype=float)
    return rows.reshape(len(rows), -1)
