"""Check hand-computed values against the engine: the homework checker.

    >>> from autograd import Value
    >>> from autograd import check
    >>> x = Value(1.0, label="x"); y = x.sigmoid().named("y"); y.backward()
    >>> report = check(y, {"y": "0.731", "x": (1, "0.197")})   # printed to 3 digits: accepted
    >>> report.ok
    True

`expected` maps a node label to its value, or to a `(value, grad)` pair (either may be None).
A value written as a STRING, e.g. "0.731" or "1.38e-24" (a Unicode minus is a minus), is taken
as printed; a float is read the same way through its shortest repr (0.731 reads as "0.731").

Verdicts are the one grader's (`autograd.grading`): a printed number is judged at the digits
it shows (for a printed solution, its own digits are the required ones): `correct` within half
a unit of its last place, `rounding` within one unit, or within `rtol`/`atol` (to forgive
rounding carried through earlier steps of a hand calculation), else `slip`. With
`digits=False` (formulas evaluated, not numbers printed) only rtol/atol count: `correct`
within them, else `slip`.

Order of steps: the forward values in topological order, then the gradients in REVERSE
topological order, the order backprop computes them. The first slip in that order is the
first divergence; later slips are often its consequences, not new slips.

`notes` (optional) explains known differences: {(label, "value" or "grad"): (kind, text)} with
kind "rounding" (off only through rounding or cutting digits: not counted as a slip) or "slip".
A note never hides a correct number. Each entry's `verdict` is "correct", "rounding" or
"slip"; `report.slips` lists the slips and `report.first_slip` the first of them. A gradient
slip that a named misconception reproduces (`autograd.misconceptions`: a flipped sign, the
upstream gradient left out, one path of several, ...) carries it as `entry.diagnosis`.
"""
from __future__ import annotations

import math
from collections.abc import Mapping

from .check_report import CheckReport, Entry
from .coerce import checked_flag
from .grading import NumberError, Printed, parse_number, verdict_at
from .safetext import clean_text
from .misconceptions import Edge, chain_alternatives, diagnose, diagnosis
from .trace import Trace
from .value import Value

__all__ = ["Entry", "CheckReport", "check", "printed_tolerance"]


def printed_tolerance(text: str) -> float:
    """Half a unit in the last place of a printed number: "0.731" -> 0.0005, "1.38e-24" -> 5e-27."""
    # the 1e-9 slack keeps a value exactly half a unit away (a rounding tie) on the accepting side
    return 0.5 * 10.0 ** parse_number(text).last_place * (1 + 1e-9)


def _as_printed(number: object, label: str, quantity: str) -> Printed:
    if isinstance(number, bool) or not isinstance(number, (str, int, float)):
        raise TypeError(f"expected {quantity} of {clean_text(repr(label), 60)} must be a number "
                        f"or a printed number string, got {type(number).__name__}")
    try:
        return parse_number(number)
    except NumberError as exc:
        raise ValueError(f"check: expected {quantity} of {clean_text(repr(label), 60)}: {exc}") from None


def check(graph: Value | Trace, expected: Mapping[str, object], rtol: float = 0.0,
          atol: float = 0.0, digits: bool = True,
          notes: Mapping[tuple[str, str], tuple[str, str]] | None = None) -> CheckReport:
    """Compare printed values (and grads) with the engine's; see the module docstring."""
    trace = graph if isinstance(graph, Trace) else Trace(graph) if isinstance(graph, Value) else None
    if trace is None:
        raise TypeError(f"check needs a Value (the graph's root) or a Trace, got {type(graph).__name__}")
    if not hasattr(expected, "items"):
        raise TypeError(f"expected must be a mapping label -> value or (value, grad), got {type(expected).__name__}")
    if not all(not isinstance(t, bool) and isinstance(t, (int, float)) and 0 <= t <= 1.7976931348623157e308
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
    root = trace.root.label if isinstance(trace.root, Value) and trace.root.label else "root"
    entries: list[Entry] = []
    for index, part in order:
        label, number = wanted[index][0], wanted[index][part]  # part: 1 the value, 2 the grad
        if number is None:
            continue
        quantity = "value" if part == 1 else "grad"
        printed = _as_printed(number, label, quantity)
        row = trace.rows[index]
        actual = row.node.data if part == 1 else row.node.grad
        place = printed.last_place if checked_flag(digits, "check: digits") else None
        verdict = verdict_at(printed, actual, place, rtol, atol)
        tol = max(0.0 if place is None else 0.5 * 10.0 ** place, atol, rtol * abs(actual))
        kind, text = notes.get((label, quantity), ("", ""))
        if verdict != "correct" and kind:  # a note says why a number differs, never hides one
            verdict = "rounding" if kind == "rounding" else "slip"
        code = _diagnose(trace, row.node, printed) if verdict == "slip" and part == 2 else None
        entries.append(Entry(label, quantity, printed.text, actual, None, verdict, root=root,
                             credit=1.0 if verdict in ("correct", "rounding") else 0.0,
                             diagnosis=diagnosis(code), digits=max(printed.significant, 1),
                             step=len(entries) + 1, tolerance=tol, note_kind=kind, note=text))
    return CheckReport(entries)


def _diagnose(trace: Trace, node: Value, printed: Printed) -> str | None:
    """The misconception that reproduces a printed gradient from the engine's numbers: each
    edge out of `node` is a path (upstream gradient x local derivative), mutated as the
    catalogue says (`autograd.misconceptions`)."""
    terms = []
    for row in trace.rows:
        consumer = row.node
        for index, parent in enumerate(consumer.parents):
            if parent is not node:
                continue
            parents = consumer.parents
            # a literal constant: an unlabelled leaf that needs no gradient (a mean's 1/n)
            constants = tuple(not p.op and not p.requires_grad and not p.label for p in parents)
            op = consumer.row
            known = None if op is not None and op.arity in (1, 2) else consumer.local[index]
            edge = Edge(consumer.op, tuple(p.data for p in parents), consumer.data, consumer.arg,
                        index, constants, known)
            terms.append((consumer.grad, [edge]))
    if not terms:
        return None
    return diagnose(printed, chain_alternatives(terms), max(printed.significant, 1))
