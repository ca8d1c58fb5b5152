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
from typing import TYPE_CHECKING, Any

from ..forwards import div_forward, sum_forward
from ..gradients import gradients
from ..value import Value, vsum
from . import tape as tapes
from .pysource import Fallback, Replay, generate
from .tape import Argument

if TYPE_CHECKING:
    from .flat import FlatParameters
    from .numpy_replay import Replay as NumpyReplay

__all__ = ["Step", "CheckReport", "Column"]

# One column of a batch: the values of one argument of fn, one per sample.
Column = Sequence[Argument]

_REPLAY_ERRORS = (ArithmeticError, ValueError, TypeError, Fallback)


class _NoInputs:
    """The input matrix of the extra term's replay: it reads no inputs (any object would do;
    this one says why it is there)."""


_NO_INPUTS: Any = _NoInputs()


def _array(values: list[float]) -> Any:
    """values as a float64 array (numpy imported only by the numpy backend)."""
    import numpy as np
    return np.array(values, dtype=float)


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
        if extra is not None:
            self.extra_tape, _ = tapes.trace(lambda: extra(), params, (), [], "compile (extra)")
            with _nudged(params):
                second, _ = tapes.trace(lambda: extra(), params, (), [], "compile (extra)",
                                        grads=False)
            tapes.compare(self.extra_tape, second, "compile (extra)", "extra with the "
                          "parameters nudged")
        self._verified = False
        # Each backend generates only its own code: at 85k parameters the python source of a
        # tape is ~170k lines, which CPython takes seconds and a GB to compile. The python
        # replay of a numpy step is made only if `check` needs it.
        self._python: tuple[str, Replay] | None = None
        self._extra_replay: Replay | None = None
        self._numpy: NumpyReplay | None = None
        self._extra_numpy: NumpyReplay | None = None
        self.numpy_source: str | None = None  # the numpy backend's generated source
        self.flat: FlatParameters | None = None  # numpy: the parameters as one array
        self._spare: Any = None  # numpy: the gradient array before the last (reused)
        if backend == "numpy":
            from .flat import FlatParameters
            from .numpy_replay import generate_numpy
            self.numpy_source, self._numpy = generate_numpy(self.tape)
            if self.extra_tape is not None:
                self.extra_numpy_source, self._extra_numpy = generate_numpy(self.extra_tape)
            self.flat = FlatParameters(params)
            self._buffers: dict[int, Any] = {}  # batch size -> the input matrix, reused
        else:
            self._python = generate(self.tape)
            if self.extra_tape is not None:
                _, self._extra_replay = generate(self.extra_tape, "extra")

    @property
    def source(self) -> str:
        """The python backend's generated source (made on first use for a numpy step)."""
        return self._python_replay()[0]

    def _python_replay(self) -> tuple[str, Replay]:
        if self._python is None:
            self._python = generate(self.tape)
        return self._python

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

    def matrix(self, *columns: Column) -> Any:  # Any: numpy is an optional dependency
        """numpy backend: the batch as the replay's (flat inputs, batch) float64 matrix, checked
        (shape, finite): a new array. Build it once and pass it to `run_flat` to skip this
        every step."""
        return self._matrix(columns, False)

    def _matrix(self, columns: Sequence[Column], reuse: bool) -> Any:
        """`matrix`, written into a buffer kept for the batch size when `reuse` (a fresh
        10^4-wide matrix every call page-faults): valid until the next call."""
        import numpy as np
        self._check_shape(columns)
        n = len(columns[0])
        X = self._buffers.get(n) if reuse else None
        if X is None:
            X = np.empty((sum(w or 1 for w in self._shape), n))
            if reuse:
                self._buffers[n] = X
        row = 0
        for width, column in zip(self._shape, columns):
            block = np.asarray(column, dtype=float)  # a ragged column raises ValueError
            if block.shape != ((n,) if width is None else (n, width)):
                raise ValueError(f"step: a column of shape {block.shape} does not match the "
                                 "example")  # the object engine then names the mismatch
            if width is None:
                X[row] = block
                row += 1
            else:
                X[row:row + width] = block.T
                row += width
        if not np.isfinite(X).all():
            raise ValueError("step: inputs must be finite numbers")
        return X

    def _columns_of(self, X: Any) -> list[Column]:
        """The columns a matrix was made from (for the object engine, which needs samples)."""
        columns: list[Column] = []
        row = 0
        for width in self._shape:
            if width is None:
                columns.append(X[row].tolist())
                row += 1
            else:
                columns.append(X[row:row + width].T.tolist())
                row += width
        return columns

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
            second, _ = tapes.trace(self.fn, self.params, rows[best], self.names, "compile",
                                    grads=False)
        tapes.compare(self.tape, second, "compile", f"batch sample {best}")
        self._verified = True

    def _verify_first(self, columns: Sequence[Column]) -> bool:
        """Verify the structure on the first batch (True when done; False: the second trace
        failed on nudged parameters, so the object engine should run this batch and report
        its own error with the true numbers; verify next time)."""
        if self._verified:
            return True
        try:
            self._verify(columns)
        except (ArithmeticError, ValueError) as exc:
            if isinstance(exc, tapes.TraceError):
                raise
            return False
        return True

    def __call__(self, *columns: Column) -> float:
        """Forward and backward over the batch (one sequence per argument of fn); fills
        `p.grad` of every parameter and returns the loss."""
        self._check_shape(columns)
        flat = self.flat
        if flat is not None and flat.stale:  # a flat optimizer ran: its array is the truth
            flat.sync()
        if not self._verify_first(columns):
            return self.object_step(*columns)
        try:
            if flat is None:
                loss, grads = self._run(columns, [p.grad for p in self.params])
            else:
                flat.load()
                loss, flat.grad = self._run_numpy(self._matrix(columns, True), flat.data,
                                                  flat.grad)
                grads = flat.grad.tolist()
        except _REPLAY_ERRORS:
            return self.object_step(*columns)
        for p, g in zip(self.params, grads):
            p.grad = g
        return loss

    def run_flat(self, X: Any) -> float:
        """numpy backend, on the flat buffer: forward and backward over the batch given as a
        matrix (`matrix(*columns)`), reading `flat.data` and adding into `flat.grad`; the
        Values are NOT touched (see FlatParameters). Returns the loss. A replay that fails
        writes the buffer into the Values, runs the object engine (its result, or its named
        error) and reads the Values back."""
        flat = self.flat
        if flat is None:
            raise TypeError("run_flat needs the numpy backend (compile(..., backend='numpy'))")
        if not self.verify_matrix(X):
            return self._object_flat(X)
        try:
            loss, grad = self._run_numpy(X, flat.data, flat.grad)
        except _REPLAY_ERRORS:
            return self._object_flat(X)
        self._spare, flat.grad, flat.stale = flat.grad, grad, True
        return loss

    def verify_matrix(self, X: Any) -> bool:
        """numpy backend: the structure check of the first batch (see `__call__`) on a matrix,
        done once (`fit` does it before its timed loop). False: the check's second trace
        failed on nudged parameters, so the object engine should run this batch."""
        if self._verified:
            return True
        assert self.flat is not None
        if self.flat.stale:
            self.flat.sync()
        # the sample most unlike the example, found with numpy (the same rule as _verify's
        # over rows of Python objects, which at 10^4 samples costs more than many steps)
        example = self.matrix(*[[v] for v in self._example])[:, 0]
        unlike: Any = 0
        row = 0
        for width in self._shape:
            block = slice(row, row + (width or 1))
            unlike = unlike + (X[block] != example[block, None]).any(axis=0)
            row += width or 1
        best = int(unlike.argmax()) if X.shape[1] else 0
        return self._verify_first(self._columns_of(X[:, best:best + 1]))

    def _object_flat(self, X: Any) -> float:
        """The object engine on the batch of matrix X, with the flat buffer synced around it."""
        assert self.flat is not None
        self.flat.sync()
        loss = self.object_step(*self._columns_of(X))
        self.flat.load()
        return loss

    def _scales(self, n: int) -> tuple[float, float]:
        """(gradient arriving at each sample's root, 1.0 for the extra term), as backward over
        the recipe's graph computes them."""
        g_div = 0.0 + 1.0  # the root (or the add with extra) passes 1.0 to the batch term
        g_sum = 0.0 + (1.0 / float(n)) * g_div if self.reduction == "mean" else g_div
        return 0.0 + 1.0 * g_sum, 0.0 + 1.0

    def _run(self, columns: Sequence[Column], start: Sequence[float]) -> tuple[float, list[float]]:
        """python backend: (loss, gradient accumulators) by replay, or an exception (nothing is
        written)."""
        n = len(columns[0])
        data = tuple(p.data for p in self.params)
        grads: Sequence[float] = tuple(start)
        chk = 0.0
        extra_value = 0.0
        groot, gextra = self._scales(n)
        if self.extra_tape is not None:
            if self._extra_replay is None:
                _, self._extra_replay = generate(self.extra_tape, "extra")
            # the extra term's nodes are the newest: backward visits them first
            live = tuple(v.data for _, v in self.extra_tape.live)
            (extra_value,), grads, chk = self._extra_replay([()], data, grads, live, gextra)
        live = tuple(v.data for _, v in self.tape.live)
        flat = self._flat_columns(columns)
        rows: list[tuple[float, ...]] = list(zip(*flat))[::-1] if flat else [()] * n
        losses, grads, c = self._python_replay()[1](rows, data, grads, live, groot)
        total = sum_forward(losses)
        if self.reduction == "mean":
            total = div_forward(total, float(n))
        if self.extra_tape is not None:
            total = total + extra_value
        check = chk + c + total + math.fsum(grads)
        if check - check:
            raise Fallback
        return total, list(grads)

    def _run_numpy(self, X: Any, PA: Any, start: Any) -> tuple[float, Any]:
        """numpy backend: (loss, new gradient array) by replay of the (inputs, batch) matrix X
        with parameters PA, adding to a copy of `start`; or an exception (nothing written)."""
        import numpy as np
        # np.add.reduce(x, None): np.sum without its Python wrapper (~1 us a call, ~10 a step).
        # Held as Any: numpy's stubs type reduce differently from one release to the next.
        add_reduce: Any = np.add.reduce
        assert self._numpy is not None
        n = X.shape[1]
        groot, gextra = self._scales(n)
        acc = self._spare  # a copy of start (all or nothing), in last step's gradient array
        if acc is None or acc is start or acc.shape != start.shape:
            acc = np.empty(len(start))  # (a fresh 680 KB array per step at 85k page-faults)
        self._spare = None
        np.copyto(acc, start)
        with np.errstate(all="ignore"):
            extra_value, chk = 0.0, 0.0
            if self.extra_tape is not None and self._extra_numpy is not None:
                live = tuple(v.data for _, v in self.extra_tape.live) \
                    if self.extra_tape.live else ()
                value, chk = self._extra_numpy(_NO_INPUTS, PA, acc, live, gextra, 1)
                extra_value = float(add_reduce(value, None))  # one number
            live = tuple(v.data for _, v in self.tape.live) if self.tape.live else ()
            losses, c = self._numpy(X, PA, acc, live, groot, n)
            total = float(add_reduce(losses, None))
            if self.reduction == "mean":
                total = div_forward(total, float(n))
            if self.extra_tape is not None:
                total = total + extra_value
            check = chk + c + total + float(add_reduce(acc, None))
        if check - check:
            raise Fallback
        return total, acc

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
        if self.flat is not None and self.flat.stale:  # the Values must be current
            self.flat.sync()
        loss = self.object_loss(*columns)
        loss.backward()
        return loss.data

    def check(self, *columns: Column) -> CheckReport:
        """Run the batch both ways WITHOUT touching any `.grad` and compare: the loss, every
        parameter's gradient, and each sample's node values (naming the first node that
        differs). Python backend: exact equality; numpy: 1e-12 of the largest gradient."""
        self._check_shape(columns)
        if self.flat is not None and self.flat.stale:  # the Values must be current
            self.flat.sync()
        loss = self.object_loss(*columns)
        reference = gradients(loss, self.params)
        exact = self._numpy is None
        if exact:
            got_loss, got = self._run(columns, [0.0] * len(self.params))
        else:
            data = [p.data for p in self.params]
            got_loss, array = self._run_numpy(self.matrix(*columns), _array(data),
                                              _array([0.0] * len(data)))
            got = array.tolist()
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


