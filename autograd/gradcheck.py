"""`gradcheck`: compare backward's gradients with central finite differences, input by input.

Modelled on `torch.autograd.gradcheck`: for each input x_j, the numeric derivative is
(f(x + eps e_j) - f(x - eps e_j)) / (2 eps), and it must agree with the analytic one within
`atol + rtol * |numeric|`. The report names every input, both values and the error, so a
failing check says exactly where the derivative is wrong.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from collections.abc import Callable, Iterable, Sequence
from numbers import Real

from .gradients import gradients
from .functional import as_leaves  # numbers -> labelled leaf Values, shared with grad and hessian
from .value import Value, as_value

__all__ = ["gradcheck", "GradcheckError", "GradcheckReport", "GradcheckRow"]


@dataclass(frozen=True)
class GradcheckRow:
    """One (output, input) pair: analytic vs numeric derivative."""

    output: int
    name: str
    analytic: float
    numeric: float

    @property
    def abs_error(self) -> float:
        """|analytic - numeric|."""
        return abs(self.analytic - self.numeric)

    def ok(self, rtol: float, atol: float) -> bool:
        """Whether the two agree within atol + rtol * |numeric|."""
        return self.abs_error <= atol + rtol * abs(self.numeric)


@dataclass
class GradcheckReport:
    """All rows of a check and its tolerances; `passed` is True when every row agrees."""

    rows: list[GradcheckRow] = field(default_factory=list)
    eps: float = 1e-6
    rtol: float = 1e-5
    atol: float = 1e-8

    @property
    def passed(self) -> bool:
        """True when every row agrees within tolerance."""
        return all(row.ok(self.rtol, self.atol) for row in self.rows)

    @property
    def failures(self) -> list[GradcheckRow]:
        """The rows that disagree."""
        return [row for row in self.rows if not row.ok(self.rtol, self.atol)]

    def __str__(self) -> str:
        lines = [f"gradcheck (eps={self.eps:g}, rtol={self.rtol:g}, atol={self.atol:g}): "
                 + ("passed" if self.passed else f"{len(self.failures)} mismatch(es)"),
                 f"{'out':>3}  {'input':<12} {'analytic':>16} {'numeric':>16} {'abs error':>11}"]
        for row in self.rows:
            mark = "" if row.ok(self.rtol, self.atol) else "  <-- mismatch"
            lines.append(f"{row.output:>3}  {row.name:<12} {row.analytic:>16.9g} "
                         f"{row.numeric:>16.9g} {row.abs_error:>11.3g}{mark}")
        return "\n".join(lines)


class GradcheckError(AssertionError):
    """Raised by `gradcheck` when a derivative disagrees; `.report` holds every row."""

    def __init__(self, report: GradcheckReport) -> None:
        super().__init__(str(report))
        self.report = report


def _outputs(f: Callable[..., object], leaves: list[Value]) -> list[Value]:
    """f(*leaves), its output(s) as a list of Values; anything else is refused by name."""
    if not callable(f):
        raise TypeError(f"gradcheck: f must be a function, got {type(f).__name__}")
    out = f(*leaves)
    outs = out if isinstance(out, (list, tuple)) else [out]
    if not outs or not all(isinstance(y, (Value, Real)) and not isinstance(y, bool) for y in outs):
        raise TypeError(f"gradcheck: f must return a Value, a number, or a non-empty list of "
                        f"them, got {type(out).__name__}: {out!r}")
    return [as_value(y) for y in outs]


def _check_setting(name: str, x: object, positive: bool) -> float:
    """A finite number > 0 (eps) or >= 0 (tolerances), or a ValueError naming the setting."""
    # float(x): numbers.Real declares no comparison with int, but every Real converts to float
    try:  # math.isfinite(10**400) raises OverflowError: that is not a finite float either
        finite = isinstance(x, Real) and not isinstance(x, bool) and math.isfinite(x)
    except OverflowError:
        finite = False
    value = float(x) if finite and isinstance(x, Real) else math.nan  # nan fails both tests
    if not (value > 0 if positive else value >= 0):
        raise ValueError(f"gradcheck: {name} must be a finite number {'> 0' if positive else '>= 0'}, "
                         f"got {x!r}")
    return value


def _central_differences(f: Callable[..., object], xs: Sequence[float], names: Sequence[str],
                         j: int, eps: float) -> list[float]:
    """(f(x + eps e_j) - f(x - eps e_j)) / (2 eps) for every output of f: column j, numerically."""
    up, down = list(xs), list(xs)
    up[j] += eps
    down[j] -= eps
    return [(u.data - d.data) / (2 * eps)
            for u, d in zip(_outputs(f, as_leaves(up, names)), _outputs(f, as_leaves(down, names)))]


def gradcheck(f: Callable[..., object], inputs: Iterable[float | Value], eps: float = 1e-6,
              rtol: float = 1e-5, atol: float = 1e-8, names: Iterable[str] | None = None,
              raise_exception: bool = True) -> GradcheckReport:
    """Check backward against central differences for f at `inputs` (numbers).

    f takes one Value per input and returns a Value or a list of Values. Returns the report;
    raises `GradcheckError` (an AssertionError) on a mismatch unless `raise_exception=False`.
    """
    eps = _check_setting("eps", eps, positive=True)
    rtol, atol = _check_setting("rtol", rtol, False), _check_setting("atol", atol, False)
    if isinstance(inputs, (Value, Real)):
        raise TypeError(f"gradcheck: inputs must be a list (one number per argument of f), got "
                        f"the single {type(inputs).__name__} {inputs!r}; wrap it: [x]")
    inputs = list(inputs)  # read twice below (values, then names): a generator must not run dry
    if not inputs:
        raise ValueError("gradcheck: inputs is empty, so there is nothing to check; give one "
                         "number per argument of f")
    for j, x in enumerate(inputs):
        if not isinstance(x, Value) and (not isinstance(x, Real) or isinstance(x, bool)):
            raise TypeError(f"gradcheck: input {j} must be a number or a Value, "
                            f"got {type(x).__name__}: {x!r}")
    xs = [float(x.data if isinstance(x, Value) else x) for x in inputs]
    if names is None:
        names = [x.label if isinstance(x, Value) and x.label else f"inputs[{j}]"
                 for j, x in enumerate(inputs)]
    elif len(names := list(names)) != len(xs):  # zip would silently drop inputs or names
        raise ValueError(f"gradcheck: names has {len(names)} entries for {len(xs)} inputs; "
                         "give one name per input")
    leaves = as_leaves(xs, names)
    outs = _outputs(f, leaves)
    # Two evaluations of f per input, shared by all outputs: numeric[j][i] = d out_i / d x_j.
    numeric = [_central_differences(f, xs, names, j, eps) for j in range(len(xs))]
    report = GradcheckReport(eps=eps, rtol=rtol, atol=atol)
    for i, y in enumerate(outs):
        for j, (name, analytic) in enumerate(zip(names, gradients(y, leaves))):
            report.rows.append(GradcheckRow(i, name, analytic, numeric[j][i]))
    if raise_exception and not report.passed:
        raise GradcheckError(report)
    return report
