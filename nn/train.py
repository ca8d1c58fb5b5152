"""`fit`: the training loop (minibatches, progress bar, per-epoch history); see nn.metrics.

One step is: zero the gradients, run the model on a minibatch (building one graph for the whole
batch), compute the loss (+ alpha * sum p^2 when l2=alpha), backward, optimizer step. The
minibatch order comes from a private `random.Random(seed)`, so a fixed seed (and model) gives
the same history on every run. Labels are class indices (0/1 for a one-output model).
"""
from __future__ import annotations

import gc
import random
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from dataclasses import dataclass, field
from typing import Any

from autograd import Value

from .compiled import CompiledTrainer, Runner, Trainable
from .inputs import (Inputs, Output, check_fit_options, check_labels, check_size,
                     seeded_rng)
from .losses import l2_penalty
from .metrics import Label, accuracy
from .optim import SGD, Optimizer
from .sample_losses import SAMPLE_LOSSES, batch_loss

__all__ = ["fit", "train_step", "History", "paused_gc", "LOSSES", "LossFunction"]

# A loss for `fit`: (the model's output per sample, the labels) -> the minibatch's loss.
LossFunction = Callable[[list[Output], list[Label]], Value]


# Built-in losses take (outputs, labels): outputs holds the model's output per sample (one
# Value for a one-output model, else a list of Values); each is the mean of its per-sample term
# (nn.sample_losses, which `fit(compile=...)` traces).
LOSSES: dict[str, LossFunction] = {
    name: partial(batch_loss, row) for name, row in SAMPLE_LOSSES.items()}


@dataclass
class History:
    """What `fit` measured: per-epoch mean loss (of the epoch's steps) and accuracy (of the
    model after the epoch's updates), per-step loss and lr, times."""

    loss: list[float] = field(default_factory=list)
    accuracy: list[float | None] = field(default_factory=list)  # None: accuracy not tracked
    step_loss: list[float] = field(default_factory=list)
    lr: list[float] = field(default_factory=list)
    seconds: float = 0.0
    cpu_seconds: float = 0.0

    @property
    def seconds_per_step(self) -> float:
        """Wall-clock seconds per optimizer step (forward + backward + update)."""
        return self.seconds / len(self.step_loss) if self.step_loss else 0.0

    @property
    def cpu_seconds_per_step(self) -> float:
        """CPU seconds of this process per step: unlike wall time, not inflated by other load."""
        return self.cpu_seconds / len(self.step_loss) if self.step_loss else 0.0

    def summary(self) -> str:
        """One line: epochs, steps, time, first and last epoch loss, last accuracy (if tracked)."""
        if not self.loss:
            return "fit: no epochs run"
        acc = self.accuracy[-1] if self.accuracy else None
        return (f"fit: {len(self.loss)} epochs, {len(self.step_loss)} steps in "
                f"{self.seconds:.2f} s; loss {self.loss[0]:.4g} -> {self.loss[-1]:.4g}"
                + ("" if acc is None else f"; accuracy {acc:.1%}"))

    def __repr__(self) -> str:
        """Short: the lists can hold thousands of floats."""
        if not self.loss:
            return "History(empty)"
        acc = self.accuracy[-1] if self.accuracy else None
        return (f"History({len(self.loss)} epochs, {len(self.step_loss)} steps, "
                f"loss {self.loss[-1]:.4g}" + ("" if acc is None else f", accuracy {acc:.3g}")
                + f", {self.seconds:.2f} s)")


def _in_notebook() -> bool:
    """True inside a Jupyter kernel (where a text bar would be stored as noise)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and "IPKernelApp" in getattr(shell, "config", {})


PLAIN_INTERVAL_S = 10.0  # a progress line in a log at most this often


def _on_terminal(stream: Any) -> bool:
    """True when `stream` is an interactive terminal (where a redrawn bar makes sense)."""
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


class PlainLines:
    """A file for tqdm that turns each carriage-return redraw into one plain line.

    tqdm redraws its bar by writing "\r" and the new text; in a pipe or a log file those
    redraws would pile up on one endless line. Here each redraw becomes a line of its own and
    the blank redraw tqdm writes to clear the bar is dropped.
    """

    def __init__(self, stream: Any) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        """Write the text of one redraw as a line (nothing for a blank redraw)."""
        line = text.replace("\r", "").rstrip()
        if line:
            self.stream.write(line + "\n")
        return len(text)

    def flush(self) -> None:
        """Flush the underlying stream."""
        self.stream.flush()


def _progress_bar(total: int, progress: bool) -> Any:  # a tqdm bar (tqdm has no type hints)
    """A bar for `fit`: tqdm's text bar in a terminal; in a notebook the widget bar when
    ipywidgets is installed, else none (the summary line says it all).

    In a notebook the widget is displayed WITHOUT its text fallback: a saved notebook, its
    HTML export and GitHub cannot show a widget, and the fallback would read "fit: 0%| | 0/N"
    forever. The summary line `fit` prints at the end is what survives export.
    """
    from tqdm import tqdm as text_tqdm  # imported here: `import nn` stays fast and light

    if not progress:
        return text_tqdm(total=total, disable=True)
    if not _in_notebook():
        if _on_terminal(sys.stderr):
            return text_tqdm(total=total, desc="fit", leave=False)
        # A pipe or a log file: tqdm's carriage returns would join every redraw into one line,
        # so write each redraw as its own line, at most one per PLAIN_INTERVAL_S, and keep the
        # final one (leave=True) so a log ends with the last loss.
        return text_tqdm(total=total, desc="fit", leave=True, file=PlainLines(sys.stderr),
                         mininterval=PLAIN_INTERVAL_S, ascii=True)
    try:
        import ipywidgets  # noqa: F401  (tqdm.notebook needs it for the widget)
        from IPython.display import display
        from tqdm.notebook import tqdm as widget_tqdm
    except ImportError:
        return text_tqdm(total=total, disable=True)
    bar = widget_tqdm(total=total, desc="fit", leave=False, display=False)
    display({"application/vnd.jupyter.widget-view+json": {
        "model_id": bar.container.model_id, "version_major": 2, "version_minor": 0}}, raw=True)
    return bar


@contextmanager
def paused_gc() -> Iterator[None]:
    """Switch Python's cycle collector off for the block (restoring its previous state).

    Why: one step allocates tens of thousands of nodes, and every 700 allocations the
    collector scans them looking for reference cycles. The engine's graphs have none (nodes hold
    floats and their parents, never closures over themselves), so reference counting alone
    frees each graph and the scans find nothing; on the moons model they were half of a step.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def train_step(model: Trainable, loss_fn: LossFunction, optimizer: Optimizer,
               xs: Sequence[Inputs], ys: Sequence[Label],
               l2: float = 0.0) -> tuple[list[Output], float]:
    """One optimizer step on a minibatch: returns (the model outputs, the loss as a float)."""
    optimizer.zero_grad()
    outputs = [model(x) for x in xs]
    total = loss_fn(outputs, list(ys))
    if type(total) is not Value:  # a custom loss must return the batch's loss as one node
        raise TypeError(f"fit: the loss function must return one Value, got "
                        f"{type(total).__name__}")
    if l2:
        total = total + l2 * l2_penalty(model)
    total.backward()
    optimizer.step()
    return outputs, total.data


class _ObjectRunner:
    """Training steps on the object engine: one graph per minibatch, built and dropped."""

    def __init__(self, model: Trainable, loss_fn: LossFunction, optimizer: Optimizer,
                 X: Sequence[Inputs], y: Sequence[Label], l2: float) -> None:
        self.model, self.loss_fn, self.optimizer = model, loss_fn, optimizer
        self.X, self.y, self.l2 = X, y, l2
        self.order: list[int] = []

    @property
    def current_lr(self) -> float:
        """The learning rate of the next step."""
        return self.optimizer.current_lr

    def begin_epoch(self, order: list[int]) -> None:
        """The sample order of this epoch."""
        self.order = order

    def step(self, start: int, stop: int) -> float:
        """One step on order[start:stop]: the minibatch's loss."""
        idx = self.order[start:stop]
        with paused_gc():
            _, loss = train_step(self.model, self.loss_fn, self.optimizer,
                                 [self.X[i] for i in idx], [self.y[i] for i in idx], self.l2)
        return loss

    def close(self) -> None:
        """Nothing to hand back: the Values and the optimizer were updated in place."""


def _checked(X: Sequence[Inputs], y: Sequence[Label], epochs: object,
             batch_size: object) -> int:
    """The batch size, after checking the data's and the options' shapes."""
    if not hasattr(X, "__len__") or not hasattr(y, "__len__"):
        raise TypeError(f"fit: X and y must be sequences (lists or arrays), got "
                        f"{type(X).__name__} and {type(y).__name__}")
    if len(X) != len(y) or not len(X):  # len: X may be a numpy array
        raise ValueError(f"fit: {len(X)} inputs but {len(y)} labels (need at least one of each)")
    check_labels(y, "fit")
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 1:
        raise ValueError(f"fit: epochs must be a positive int, got {epochs!r}")
    size = len(X) if batch_size is None else batch_size
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise ValueError(f"fit: batch_size must be a positive int or None, got {batch_size!r}")
    return size


def _epochs(runner: Runner, history: History, n: int, epochs: int, size: int,
            rng: random.Random, bar: Any, measure: Callable[[], float] | None) -> None:
    """The training loop: shuffle (when batches are smaller than the data), step, record.
    measure(): the accuracy of the model's Values (None: not tracked)."""
    order = list(range(n))
    for _ in range(epochs):
        if size < n:
            rng.shuffle(order)
        runner.begin_epoch(order)
        epoch_loss = 0.0
        for start in range(0, n, size):
            history.lr.append(runner.current_lr)
            loss_value = runner.step(start, min(start + size, n))
            history.step_loss.append(loss_value)
            epoch_loss += loss_value * (min(start + size, n) - start)
            bar.set_postfix(loss=f"{loss_value:.4f}", refresh=False)  # shown by update:
            bar.update(1)  # redraws at most every mininterval (a log gets few lines)
        history.loss.append(epoch_loss / n)
        if measure is None:
            history.accuracy.append(None)
        else:
            # After the epoch's updates, the same way on every path: counting each batch's
            # outputs as they go by would mix parameters from before each of its updates.
            runner.close()  # the model's Values get the epoch's updates (compiled numpy)
            history.accuracy.append(measure())


def fit(model: Trainable, X: Sequence[Inputs], y: Sequence[Label],
        loss: str | LossFunction = "hinge", optimizer: Optimizer | None = None, epochs: int = 10,
        batch_size: int | None = None, l2: float = 0.0, seed: int = 0, progress: bool = True,
        track_accuracy: bool | None = None, compile: bool | str = False) -> History:
    """Train `model` on (X, y) and return a `History`.

    loss: "hinge", "bce" (logits), "cross_entropy", "mse", or a callable(outputs, labels) -> Value.
    optimizer: defaults to SGD(model, lr=0.1). batch_size None means the whole set per step.
    progress=True shows a bar while training (text in a terminal, a widget in Jupyter) and
    prints `History.summary()` at the end; progress=False is silent (for tests and scripts).
    track_accuracy defaults to True except for "mse" (regression has no classes).
    compile: False (build the graph every step), True / "python" / "numpy": trace one sample
    once with `autograd.compile` and replay it over every minibatch (built-in losses only; the
    python backend's gradients are bitwise those of the graph it replaces). On every path
    the accuracy is measured once per epoch, after the epoch's updates, as
    `nn.accuracy(model, X, y)` (with `model.predict`).
    With "numpy", X and y are kept as arrays and an SGD or Adam optimizer runs over one flat
    parameter array (nn.flat_optim); the model's Values are written back at the end of each
    epoch that measures accuracy and when fit returns or is interrupted.
    """
    loss_fn = LOSSES.get(loss) if isinstance(loss, str) else loss
    if not callable(loss_fn):
        raise ValueError(f"fit: unknown loss {loss!r}; use one of {sorted(LOSSES)} or a callable")
    size = _checked(X, y, epochs, batch_size)
    check_fit_options(optimizer, l2, track_accuracy)
    epochs = check_size(epochs, "fit: epochs")  # also at most MAX_SIZE: 10**40 never ends
    rng = seeded_rng(seed, "fit")
    optimizer = optimizer if optimizer is not None else SGD(model, lr=0.1)
    track = (loss != "mse") if track_accuracy is None else bool(track_accuracy)
    runner: Runner = _ObjectRunner(model, loss_fn, optimizer, X, y, l2) \
        if compile is False else CompiledTrainer(model, loss, X, y, l2, compile, optimizer)
    history = History()
    bar = _progress_bar(epochs * -(-len(X) // size), progress)
    start, cpu_start = time.perf_counter(), time.process_time()
    try:
        _epochs(runner, history, len(X), epochs, size, rng, bar,
                partial(accuracy, model, X, y) if track else None)
    finally:  # Ctrl-C included: the model's Values and the optimizer get the trained state
        runner.close()
        history.seconds = time.perf_counter() - start
        history.cpu_seconds = time.process_time() - cpu_start
        bar.close()
    if progress:
        print(history.summary())  # one line that outlives the bar (and a notebook's export)
    return history
