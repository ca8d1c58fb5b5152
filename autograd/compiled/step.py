"""`Step`: a compiled training step (made by `autograd.compile`): replay, fall back, check.

A step owns the tape of the user's one-sample function (and of the optional params-only
`extra` term), a replay function made from it by a backend, and the object-engine recipe the
replay stands in for:

    loss = vsum([fn(*sample) for sample in batch]) / len(batch)   (reduction="mean"; "sum": no /)
    loss = loss + extra()                                            (when extra is given)
    loss.backward()

`step(*columns)` fills every parameter's `.grad` exactly as that recipe would (the python
backend bitwise, numpy within ~1e-15) and returns the loss as a float. Anything unusual during
replay (a domain error, an overflow, a non-finite value, a malformed input) runs the recipe
itself instead, so the user gets the object engine's result or its named error.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from numbers import Real
from typing import Any

from ..forwards import div_forward, sum_forward
from ..gradients import gradients
from ..value import Value, vsum
from . import tape as tapes
from .pysource import Fallback, Replay, generate
from .tape import Argument

__all__ = ["Step", "CheckReport", "Column"]

# One column of a batch: the values of one argument of fn, one per sample.
Column = Sequence[Argument]

_REPLAY_ERRORS = (ArithmeticError, ValueError, TypeError, Fallback)


class CheckReport:
    """What `Step.check` found: `ok`, the loss and the largest gradient difference between the
    replay and the object engine, and the first divergent node (or None)."""

    def __init__(self, ok: bool, loss_engine: float, loss_replay: float, max_grad_diff: float,
                 divergence: str | None, backend: str) -> None:
        self.ok, self.loss_engine, self.loss_replay = ok, loss_engine, loss_replay
        self.max_grad_diff, self.divergence, self.backend = max_grad_diff, divergence, backend

    def __str__(self) -> str:
        head = (f"check ({self.backend} backend): loss {self.loss_replay!r} vs object engine "
                f"{self.loss_engine!r}; largest |grad difference| {self.max_grad_diff:.3g}")
        if self.divergence is None:
            return head + "; no node diverges" + ("" if self.ok else " (but the totals differ)")
        return head + "; FIRST DIVERGENT NODE: " + self.divergence

    __repr__ = __str__


class Step:
    """A compiled step; see the module docstring. Made by `autograd.compile`."""

    def __init__(self, fn: Callable[..., Value], params: list[Value], example: Sequence[Argument],
                 names: list[str], reduction: str, extra: Callable[[], Value] | None,
                 backend: str) -> None:
        self.fn, self.params, self.names = fn, params, names
        self.reduction, self.extra_fn, self.backend = reduction, extra, backend
        self._example = tuple(example)
        self.tape, _ = tapes.trace(fn, params, self._example, names, "compile")
        self._shape = [_width(v) for v in self._example]  # after the trace has checked them
        self.extra_tape: tapes.Tape | None = None
        self._extra_replay: Replay | None = None
        if extra is not None:
            self.extra_tape, _ = tapes.trace(lambda: extra(), params, (), [], "compile (extra)")
            with _nudged(params):
                second, _ = tapes.trace(lambda: extra(), params, (), [], "compile (extra)")
            tapes.compare(self.extra_tape, second, "compile (extra)", "extra with the "
                          "parameters nudged")
            self._extra_source, self._extra_replay = generate(self.extra_tape, "extra")
        self._verified = False
        self.source, self._replay = generate(self.tape)
        self._numpy: Replay | None = None
        self.numpy_source: str | None = None  # the numpy backend's generated source
        if backend == "numpy":
            from .numpy_replay import generate_numpy
            self.numpy_source, self._numpy = generate_numpy(self.tape)

    def __repr__(self) -> str:
        """One line: the signature, the tape's size, the parameters, the backend, the reduction."""
        extra = "" if self.extra_tape is None else f" + extra ({len(self.extra_tape)} entries)"
        return (f"<Step ({', '.join(self.names)}): tape of {len(self.tape)} entries "
                f"({self.tape.op_count()} ops){extra}, {len(self.params)} parameters, "
                f"{self.backend} backend, {self.reduction} over the batch>")

    # --- the batch ----------------------------------------------------------------------------
    def _check_shape(self, columns: Sequence[Column]) -> None:
        """The batch's shape, checked before anything runs: a TypeError/ValueError naming it.
        (A sample of the wrong width is left to the object engine, which names it.)"""
        if len(columns) != len(self.names):
            raise TypeError(f"step takes {len(self.names)} columns ({', '.join(self.names)}), "
                            f"got {len(columns)}")
        sizes = {len(c) for c in columns}
        if len(sizes) != 1 or 0 in sizes:
            raise ValueError(f"step: the columns must be non-empty and of one length, got "
                             f"lengths {[len(c) for c in columns]}")

    def _matrix(self, columns: Sequence[Column]) -> Any:  # Any: numpy is an optional dependency
        """The inputs as one (flat inputs, batch) float array (numpy backend); finite."""
        import numpy as np
        parts = []
        for width, column in zip(self._shape, columns):
            block = np.asarray(column, dtype=float)  # a ragged column raises ValueError
            if block.shape != ((len(column),) if width is None else (len(column), width)):
                raise ValueError(f"step: a column of shape {block.shape} does not match the "
                                 "example")  # the object engine then names the mismatch
            parts.append(block.reshape(1, -1) if width is None else block.T)
        X = np.concatenate(parts) if parts else np.zeros((0, 0))
        if not np.isfinite(X).all():
            raise ValueError("step: inputs must be finite numbers")
        return X

    def _flat_columns(self, columns: Sequence[Column]) -> list[list[float]]:
        """One list of floats per flat input (a vector argument gives one per element)."""
        flat: list[list[float]] = []
        for name, width, column in zip(self.names, self._shape, columns):
            if width is None:
                flat.append([_number(v) for v in column])
            else:
                rows = [_vector(v) for v in column]
                if any(len(r) != width for r in rows):  # the engine then names the mismatch
                    raise ValueError(f"step: every {name} must hold {width} numbers")
                flat.extend([_number(r[j]) for r in rows] for j in range(width))
        for column in flat:
            for v in column:
                if v - v:
                    raise ValueError("step: inputs must be finite numbers")
        return flat

    def _verify(self, columns: Sequence[Column]) -> None:
        """Trace a second sample (the batch row most unlike the example, with the parameters
        nudged) and refuse, naming the node, when the graph's structure differs."""
        rows = list(zip(*columns))
        example = [_plain(v) for v in self._example]
        best = max(range(len(rows)), key=lambda i: sum(
            _plain(a) != b for a, b in zip(rows[i], example)))
        with _nudged(self.params):
            second, _ = tapes.trace(self.fn, self.params, rows[best], self.names, "compile")
        tapes.compare(self.tape, second, "compile", f"batch sample {best}")
        self._verified = True

    def __call__(self, *columns: Column) -> float:
        """Forward and backward over the batch (one sequence per argument of fn); fills
        `p.grad` of every parameter and returns the loss."""
        self._check_shape(columns)
        if not self._verified:
            try:
                self._verify(columns)
            except (ArithmeticError, ValueError) as exc:
                if isinstance(exc, tapes.TraceError):
                    raise
                # The second trace failed (on nudged parameters): let the object engine run
                # this batch and report its own error with the true numbers; verify next time.
                return self.object_step(*columns)
        try:
            loss, grads = self._run(columns, [p.grad for p in self.params])
        except _REPLAY_ERRORS:
            return self.object_step(*columns)
        for p, g in zip(self.params, grads):
            p.grad = g
        return loss

    def _run(self, columns: Sequence[Column], start: Sequence[float]) -> tuple[float, list[float]]:
        """(loss, gradient accumulators) by replay, or an exception (nothing is written)."""
        n = len(columns[0])
        params = self.params
        data = tuple(p.data for p in params)
        grads: Sequence[float] = tuple(start)
        chk = 0.0
        extra_value = 0.0
        if self.extra_tape is not None and self._extra_replay is not None:
            # the extra term's nodes are the newest: backward visits them first
            live = tuple(v.data for _, v in self.extra_tape.live)
            (extra_value,), grads, chk = self._extra_replay([()], data, grads, live, 0.0 + 1.0)
        g_div = 0.0 + 1.0  # the root (or the add with extra) passes 1.0 to the batch term
        if self.reduction == "mean":
            g_sum = 0.0 + (1.0 / float(n)) * g_div
        else:
            g_sum = g_div
        groot = 0.0 + 1.0 * g_sum
        live = tuple(v.data for _, v in self.tape.live)
        if self._numpy is None:
            flat = self._flat_columns(columns)
            rows: list[tuple[float, ...]] = list(zip(*flat))[::-1] if flat else [()] * n
            losses, grads, c = self._replay(rows, data, grads, live, groot)
            total = sum_forward(losses)
        else:
            import numpy as np
            with np.errstate(all="ignore"):
                acc = np.array(grads, dtype=float)
                X = self._matrix(columns)
                losses, c = self._numpy(X, data, np.array(data, dtype=float), acc, live, groot, n)
                total = float(np.sum(losses))
                grads = acc.tolist()
        if self.reduction == "mean":
            total = div_forward(total, float(n))
        if self.extra_tape is not None:
            total = total + extra_value
        check = chk + c + total + math.fsum(grads)
        if check - check:
            raise Fallback
        return total, list(grads)

    # --- the object engine ----------------------------------------------------------------------
    def object_loss(self, *columns: Column) -> Value:
        """The recipe itself: the loss Value of the whole batch built by the object engine."""
        rows = list(zip(*columns))
        terms = [self.fn(*tapes.sample_leaves(row, self.names)[0]) for row in rows]
        loss = vsum(terms)
        if self.reduction == "mean":
            loss = loss / len(terms)
        if self.extra_fn is not None:
            loss = loss + self.extra_fn()
        return loss

    def object_step(self, *columns: Column) -> float:
        """The step on the object engine (what replay falls back to): fills p.grad, returns the
        loss; any error is the object engine's own."""
        loss = self.object_loss(*columns)
        loss.backward()
        return loss.data

    def check(self, *columns: Column) -> CheckReport:
        """Run the batch both ways WITHOUT touching any `.grad` and compare: the loss, every
        parameter's gradient, and each sample's node values (naming the first node that
        differs). Python backend: exact equality; numpy: 1e-12 of the largest gradient."""
        self._check_shape(columns)
        loss = self.object_loss(*columns)
        reference = gradients(loss, self.params)
        got_loss, got = self._run(columns, [0.0] * len(self.params))
        exact = self._numpy is None
        diffs = [abs(a - b) for a, b in zip(got, reference)]
        worst = max(diffs, default=0.0)
        # numpy: 1e-12 of the gradient's scale (a sum that cancels to ~0 has no relative digits)
        tol = 0.0 if exact else 1e-12 * max((abs(r) for r in reference), default=0.0)
        ok = worst <= tol and (
            got_loss == loss.data if exact else abs(got_loss - loss.data) <= 1e-12 * abs(loss.data))
        divergence = self._first_divergence(columns)
        return CheckReport(ok and divergence is None, loss.data, got_loss, worst, divergence,
                           "python" if exact else "numpy")

    def _first_divergence(self, columns: Sequence[Column]) -> str | None:
        """'sample i, node #k ...' for the first tape node whose replayed value differs from
        the object engine's node for that sample, or None."""
        flat = self._flat_columns(columns)
        rows = list(zip(*flat))
        _, replay = generate(self.tape, "replay", collect=True)
        data = tuple(p.data for p in self.params)
        live = tuple(v.data for _, v in self.tape.live)
        *_, values = replay(rows, data, [0.0] * len(data), live, 1.0)
        for i, row in enumerate(zip(*columns)):
            sample_tape, _ = tapes.trace(self.fn, self.params, row, self.names, "check")
            for slot, entry in enumerate(sample_tape.entries):
                replayed = values[i][slot]
                if not (replayed == entry.value or (replayed != replayed and entry.value != entry.value)):
                    label = f" {entry.label!r}" if entry.label else ""
                    return (f"sample {i}, node #{slot}{label} ({entry.name}): object engine "
                            f"{entry.value!r}, replay {replayed!r}")
        return None


def _width(v: object) -> int | None:
    """None for a number (one input), else the length of a vector argument."""
    return None if _is_number(v) else len(_vector(v))


def _is_number(v: object) -> bool:
    return isinstance(v, Real) and not isinstance(v, bool)


def _number(v: object) -> float:
    """A sample's number as a float; anything else (a bool, a Value, a string) is a TypeError,
    so that replay falls back to the object engine, which names it."""
    if isinstance(v, (int, float, Real)) and not isinstance(v, bool):
        return float(v)
    raise TypeError(f"step: expected a number, got {type(v).__name__}")


def _vector(v: object) -> list[object]:
    """A vector argument as a list (a number, or anything not iterable, is a TypeError)."""
    if _is_number(v) or isinstance(v, (str, bytes)) or not hasattr(v, "__iter__"):
        raise TypeError(f"step: expected a list of numbers, got {type(v).__name__}")
    return list(v)


def _plain(v: object) -> float | tuple[float, ...]:
    return _number(v) if _is_number(v) else tuple(_number(x) for x in _vector(v))


class _nudged:
    """Within the block every parameter's data is moved by a tiny relative amount (and put back
    after): a constant the function derives from a parameter's `.data` then shows as a
    difference between two traces."""

    def __init__(self, params: list[Value]) -> None:
        self.params = params
        self.saved: list[float] = []

    def __enter__(self) -> _nudged:
        self.saved = [p.data for p in self.params]
        for p in self.params:
            p.data = p.data * (1.0 + 2.0 ** -20) + 2.0 ** -30
        return self

    def __exit__(self, *exc: object) -> None:  # None: an exception in the block propagates
        for p, d in zip(self.params, self.saved):
            p.data = d


def checked_reduction(reduction: str) -> str:
    """'mean' or 'sum', else a ValueError."""
    if not isinstance(reduction, str) or reduction not in ("mean", "sum"):
        raise ValueError(f"compile: reduction must be 'mean' or 'sum', got {reduction!r}")
    return reduction


