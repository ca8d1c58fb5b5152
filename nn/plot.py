"""Plot helpers (optional: need matplotlib, `pip install teachgrad[plot]`).

matplotlib is imported inside the functions, never at module import, so `import nn` works
without it; calling a plot function without it raises an ImportError that names the extra.
Both functions draw on `ax` (a new figure when None) and return the Axes.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, cast

from .metrics import Predictor, predicted_class

if TYPE_CHECKING:  # matplotlib is optional: imported for types only
    from matplotlib.axes import Axes

    from .train import History

__all__ = ["plot_loss", "plot_decision_boundary", "decision_grid"]


def _pyplot() -> ModuleType:
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ImportError("nn.plot needs matplotlib, which is an optional extra: "
                          "pip install teachgrad[plot]") from exc
    return plt


def _axes(ax: Axes | None) -> Axes:
    if ax is not None:
        return ax
    new: Axes = _pyplot().subplots(figsize=(5, 4))[1]
    return new


def plot_loss(history: History | Iterable[float], ax: Axes | None = None,
              per_step: bool = False) -> Axes:
    """The loss per epoch (or per step with per_step=True), with accuracy on a second y axis
    when the history has it; a legend names both lines and the x axis has integer ticks only
    (there is no epoch 2.5). `history` is a `nn.train.History` or a plain list of losses."""
    from matplotlib.ticker import MaxNLocator

    ax = _axes(ax)
    # duck-typed: anything with .loss / .step_loss (a History), else the losses themselves
    losses = list(cast("Iterable[float]", getattr(history, "step_loss" if per_step else "loss",
                                                  history)))
    if not losses:
        raise ValueError("plot_loss: the history has no losses to plot")
    lines = ax.plot(range(1, len(losses) + 1), losses, color="tab:blue", label="loss")
    ax.set_xlabel("step" if per_step else "epoch")
    ax.set_ylabel("loss")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    acc = getattr(history, "accuracy", None)
    if not per_step and acc and all(a is not None for a in acc):
        twin = ax.twinx()
        lines += twin.plot(range(1, len(acc) + 1), acc, color="tab:orange", label="accuracy")
        twin.set_ylabel("accuracy")
        twin.set_ylim(0.0, 1.05)
    ax.legend(lines, [str(line.get_label()) for line in lines], loc="center right")
    ax.set_title("training loss")
    return ax


def decision_grid(model: Predictor, X: Sequence[Sequence[float]], resolution: int = 60,
                  padding: float = 0.5) -> tuple[list[float], list[float], list[list[int]]]:
    """(xs, ys, classes): a resolution x resolution grid covering X, and the predicted class at
    each point (rows follow ys), from the model's float-only `predict` (no graphs built)."""

    if isinstance(resolution, bool) or not isinstance(resolution, int) or resolution < 2:
        raise ValueError(f"resolution must be an int >= 2, got {resolution!r}")
    if not len(X) or any(len(x) != 2 for x in X):
        raise ValueError("decision boundaries are drawn for 2-D inputs: X must be [[x1, x2], ...]")
    lo = [min(x[d] for x in X) - padding for d in (0, 1)]
    hi = [max(x[d] for x in X) + padding for d in (0, 1)]
    xs = [lo[0] + (hi[0] - lo[0]) * i / (resolution - 1) for i in range(resolution)]
    ys = [lo[1] + (hi[1] - lo[1]) * j / (resolution - 1) for j in range(resolution)]
    classes = [[predicted_class(model.predict([u, v])) for u in xs] for v in ys]
    return xs, ys, classes


def plot_decision_boundary(model: Predictor, X: Sequence[Sequence[float]], y: Sequence[float],
                           ax: Axes | None = None, resolution: int = 60,
                           padding: float = 0.5) -> Axes:
    """The regions where a 2-D classifier predicts each class, with the samples on top."""
    ax = _axes(ax)
    if len(X) != len(y):
        raise ValueError(f"plot_decision_boundary: {len(X)} inputs but {len(y)} labels")
    xs, ys, classes = decision_grid(model, X, resolution, padding)
    # Labels -1/+1 (hinge) are classes 0/1, as in nn.train; others are class indices.
    colours = [(1 if t > 0 else 0) if t in (-1, 1) else int(t) for t in y]
    n_classes = max(max(max(row) for row in classes), max(colours)) + 1
    levels = [k - 0.5 for k in range(n_classes + 1)]
    ax.contourf(xs, ys, classes, levels=levels, cmap="coolwarm", alpha=0.35)
    ax.scatter([x[0] for x in X], [x[1] for x in X], c=colours, cmap="coolwarm",
               vmin=0, vmax=max(n_classes - 1, 1), edgecolors="k", s=25)
    ax.set_xlim(xs[0], xs[-1])
    ax.set_ylim(ys[0], ys[-1])
    ax.set_title("decision boundary")
    return ax
