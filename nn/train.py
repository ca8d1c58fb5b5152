"""`fit`: the training loop (minibatches, progress bar, per-epoch history), and `accuracy`.

One step is: zero the gradients, run the model on a minibatch (building one graph for the whole
batch), compute the loss (+ alpha * sum p^2 when l2=alpha), backward, optimizer step. The
minibatch order comes from a private `random.Random(seed)`, so a fixed seed (and model) gives
the same history on every run. Labels are class indices (0/1 for a one-output model).
"""
from __future__ import annotations

import random
import time
from dataclasses import dataclass, field

from .classification import binary_cross_entropy_with_logits, cross_entropy, hinge_loss
from .losses import l2_penalty, mse_loss
from .optim import SGD

__all__ = ["fit", "History", "accuracy", "predicted_class", "is_correct", "LOSSES"]


def _scores(outputs):
    return [out[0] for out in outputs]


# Built-in losses take (outputs, labels): outputs holds the model's list of Values per sample.
LOSSES = {
    "hinge": lambda outs, ys: hinge_loss(_scores(outs), [1.0 if y > 0 else -1.0 for y in ys]),
    "bce": lambda outs, ys: binary_cross_entropy_with_logits(_scores(outs), ys),
    "cross_entropy": lambda outs, ys: cross_entropy([list(o) for o in outs], list(ys)),
    "mse": lambda outs, ys: mse_loss([v for o in outs for v in o],
                                     [t for y in ys for t in (y if isinstance(y, (list, tuple)) else [y])]),
}


@dataclass
class History:
    """What `fit` measured: per-epoch mean loss and accuracy, per-step loss and lr, times."""

    loss: list = field(default_factory=list)
    accuracy: list = field(default_factory=list)
    step_loss: list = field(default_factory=list)
    lr: list = field(default_factory=list)
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


def predicted_class(output) -> int:
    """The class a model output votes for: score > 0 for one output, else the argmax."""
    values = [float(v.data if hasattr(v, "data") else v) for v in output]
    if len(values) == 1:
        return 1 if values[0] > 0.0 else 0
    return max(range(len(values)), key=values.__getitem__)


def is_correct(output, label) -> bool:
    """Whether the output votes for the label's class. One output: labels > 0 (1 or +1) are
    class 1, others (0 or -1) class 0. Several: the label is a class index or a one-hot list."""
    if len(output) == 1:
        return predicted_class(output) == (1 if label > 0 else 0)
    if isinstance(label, (list, tuple)):
        label = predicted_class(label)
    return predicted_class(output) == label


def accuracy(model, X, y) -> float:
    """Fraction of samples whose predicted class (see `predicted_class`) equals the label;
    uses the model's float-only `predict`, so it builds no graph."""
    if len(X) != len(y) or not X:
        raise ValueError(f"accuracy: {len(X)} inputs but {len(y)} labels")
    return sum(is_correct(model.predict(x), t) for x, t in zip(X, y)) / len(X)


def fit(model, X, y, loss="hinge", optimizer=None, epochs: int = 10, batch_size=None,
        l2: float = 0.0, seed: int = 0, progress: bool = True, track_accuracy=None) -> History:
    """Train `model` on (X, y) and return a `History`.

    loss: "hinge", "bce" (logits), "cross_entropy", "mse", or a callable(outputs, labels) -> Value.
    optimizer: defaults to SGD(model, lr=0.1). batch_size None means the whole set per step.
    progress=False is silent (for tests and scripts). track_accuracy defaults to True except
    for "mse" (regression has no classes).
    """
    loss_fn = LOSSES.get(loss) if isinstance(loss, str) else loss
    if not callable(loss_fn):
        raise ValueError(f"fit: unknown loss {loss!r}; use one of {sorted(LOSSES)} or a callable")
    if len(X) != len(y) or not X:
        raise ValueError(f"fit: {len(X)} inputs but {len(y)} labels (need at least one of each)")
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 1:
        raise ValueError(f"fit: epochs must be a positive int, got {epochs!r}")
    size = len(X) if batch_size is None else batch_size
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise ValueError(f"fit: batch_size must be a positive int or None, got {batch_size!r}")
    optimizer = optimizer if optimizer is not None else SGD(model, lr=0.1)
    track = (loss != "mse") if track_accuracy is None else track_accuracy
    rng, order = random.Random(seed), list(range(len(X)))
    batches_per_epoch = -(-len(X) // size)
    from tqdm.auto import tqdm  # imported here: `import nn` stays fast and light

    history = History()
    bar = tqdm(total=epochs * batches_per_epoch, desc="fit", disable=not progress)
    start, cpu_start = time.perf_counter(), time.process_time()
    for _ in range(epochs):
        if size < len(X):
            rng.shuffle(order)
        epoch_loss, correct = 0.0, 0
        for b in range(batches_per_epoch):
            idx = order[b * size:(b + 1) * size]
            history.lr.append(optimizer.current_lr)
            optimizer.zero_grad()
            outputs = [model(X[i]) for i in idx]
            total = loss_fn(outputs, [y[i] for i in idx])
            if l2:
                total = total + l2 * l2_penalty(model)
            total.backward()
            optimizer.step()
            history.step_loss.append(total.data)
            epoch_loss += total.data * len(idx)
            if track:
                correct += sum(is_correct(out, y[i]) for out, i in zip(outputs, idx))
            bar.update(1)
            bar.set_postfix(loss=f"{total.data:.4f}")
        history.loss.append(epoch_loss / len(X))
        history.accuracy.append(correct / len(X) if track else None)
    history.seconds = time.perf_counter() - start
    history.cpu_seconds = time.process_time() - cpu_start
    bar.close()
    return history
