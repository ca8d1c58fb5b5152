"""Check hand-computed values against the engine: the homework checker.

    >>> from autograd import Value
    >>> from autograd import check
    >>> x = Value(1.0, label="x"); y = x.sigmoid().named("y"); y.backward()
    >>> report = check(y, {"y": "0.731", "x": (1, "0.197")})   # printed to 3 digits: accepted
    >>> report.ok
    True

`expected` maps a node label to its value, or to a `(value, grad)` pair (either may be None).
A value written as a STRING, e.g. "0.731" or "1.38e-24", is taken as printed: it matches when
it equals the engine's value rounded to the digits shown (tolerance: half a unit in the last
printed place). A float is read the same way through its shortest repr (0.731 reads as
"0.731"). `rtol` and `atol` widen that tolerance, e.g. to forgive rounding carried through
earlier steps of a hand calculation; `digits=False` uses only rtol/atol.

Order of steps: the forward values in topological order, then the gradients in REVERSE
topological order, the order backprop computes them. The first mismatch in that order is the
first divergence; later mismatches are often its consequences, not new slips.

`notes` (optional) explains known mismatches: {(label, "value" or "grad"): (kind, text)} with
kind "rounding" (off only through rounding or cutting digits: not counted as a slip) or "slip".
A mismatch without a note counts as a slip. Each entry's `verdict` is "match", "rounding" or
"SLIP"; `report.slips` lists the slips and `report.first_slip` the first of them.
"""
from __future__ import annotations

import math
import re
from collections.abc import Mapping

from .check_report import CheckReport, Entry
from .trace import Trace
from .value import Value

__all__ = ["Entry", "CheckReport", "check", "printed_tolerance"]

_NUMBER = re.compile(r"^\s*[-+]?(\d*)(?:\.(\d*))?(?:[eE]([-+]?\d+))?\s*$")


def printed_tolerance(text: str) -> float:
    """Half a unit in the last place of a printed number: "0.731" -> 0.0005, "1.38e-24" -> 5e-27."""
    match = _NUMBER.match(text)
    if match is None or not (match.group(1) or match.group(2)):
        raise ValueError(f"not a printed number: {text!r} (write it like '0.731' or '1.38e-24')")
    decimals = len(match.group(2) or "")
    exponent = int(match.group(3) or 0)
    # the 1e-9 slack keeps a value exactly half a unit away (a rounding tie) on the accepting side
    try:
        tolerance = 0.5 * 10.0 ** (exponent - decimals) * (1 + 1e-9)
        if math.isinf(float(text)):
            raise OverflowError
    except OverflowError:  # '1e999': a printed number, but beyond every float
        raise ValueError(f"not a finite number: {text!r} is beyond the float range") from None
    return tolerance


def _as_printed(number: object, label: str, quantity: str) -> str:
    if isinstance(number, str):
        try:
            printed_tolerance(number)  # validates
        except ValueError as exc:
            raise ValueError(f"check: expected {quantity} of {label!r}: {exc}") from None
        return number.strip()
    if isinstance(number, (int, float)) and not isinstance(number, bool) and math.isfinite(number):
        return repr(float(number)) if isinstance(number, float) else str(number)
    raise TypeError(f"expected {quantity} of {label!r} must be a number or a printed number string, "
                    f"got {type(number).__name__}: {number!r}")


def check(graph: Value | Trace, expected: Mapping[str, object], rtol: float = 0.0,
          atol: float = 0.0, digits: bool = True,
          notes: Mapping[tuple[str, str], tuple[str, str]] | None = None) -> CheckReport:
    """Compare printed values (and grads) with the engine's; see the module docstring."""
    trace = graph if isinstance(graph, Trace) else Trace(graph) if isinstance(graph, Value) else None
    if trace is None:
        raise TypeError(f"check needs a Value (the graph's root) or a Trace, got {type(graph).__name__}")
    if not hasattr(expected, "items"):
        raise TypeError(f"expected must be a mapping label -> value or (value, grad), got {type(expected).__name__}")
    if not all(not isinstance(t, bool) and isinstance(t, (int, float)) and 0 <= t < math.inf
               for t in (rtol, atol)):  # `not 0 <= t` also refuses nan, which compares False
        raise ValueError(f"check: rtol and atol must be finite numbers >= 0, "
                         f"got rtol={rtol!r}, atol={atol!r}")
    wanted: dict[int, tuple[str, object, object]] = {}
    for label, spec in expected.items():
        if isinstance(spec, tuple) and len(spec) != 2:
            raise ValueError(f"check: expected[{label!r}] must be a value or a (value, grad) "
                             f"pair, got a tuple of {len(spec)}: {spec!r}")
        value, grad = spec if isinstance(spec, tuple) else (spec, None)
        wanted[trace.find(label).index] = (label, value, grad)
    if any(g is not None for _, _, g in wanted.values()):
        if not isinstance(trace.root, Value):
            raise ValueError("gradients can only be checked on a graph with ONE root (the value they "
                             "are gradients of); this trace has several roots")
        if trace.root.grad == 0.0:
            raise ValueError("expected gradients, but the root's grad is 0: call root.backward() "
                             "before check()")
    notes = dict(notes or {})
    known = {(label, q) for label, value, grad in wanted.values()
             for q, n in (("value", value), ("grad", grad)) if n is not None}
    for key, note in notes.items():
        if key not in known:
            raise KeyError(f"note for {key!r}, which is not a checked (label, quantity) pair")
        if not (isinstance(note, tuple) and len(note) == 2 and note[0] in ("rounding", "slip")):
            raise ValueError(f"note for {key!r} must be ('rounding' or 'slip', text), got {note!r}")
    order = [(i, 1) for i in sorted(wanted)] + [(i, 2) for i in sorted(wanted, reverse=True)]
    entries: list[Entry] = []
    for index, part in order:
        label, number = wanted[index][0], wanted[index][part]  # part: 1 the value, 2 the grad
        if number is None:
            continue
        quantity = "value" if part == 1 else "grad"
        printed = _as_printed(number, label, quantity)
        row = trace.rows[index]
        actual = row.node.data if part == 1 else row.node.grad
        tol = max(printed_tolerance(printed) if digits else 0.0, atol, rtol * abs(actual))
        kind, text = notes.get((label, quantity), ("", ""))
        entries.append(Entry(len(entries) + 1, label, quantity, printed, actual, tol, kind, text))
    return CheckReport(entries)
