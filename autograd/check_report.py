"""The report of a check: one `Entry` per compared number, and the `CheckReport` that holds them.

Both are the one grader's types (`autograd.grading.Entry` and `Report`) with what a check adds:
an entry's step number, its tolerance and its note. An entry is one printed number (a node's
value or grad) next to the engine's; its `verdict` is "correct", "rounding" or "slip" (the
precision policy of `autograd.grading`, at the printed number's own digits). The report lists
entries in computation order (see `autograd.check`), names the first slip, and prints as a
text table (`str`) or an HTML table (`_repr_html_`, for Jupyter).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

from .grading import Entry as GradedEntry
from .grading import Report
from .safetext import clean_text
from .numbers import format_number

__all__ = ["Entry", "CheckReport"]

ENGINE_DIGITS = 10  # the engine's number beside a printed one: enough digits to see any slip
_OK = ("correct", "rounding")


@dataclass(frozen=True)
class Entry(GradedEntry):
    """One compared number: the graded entry, its step, tolerance (half a unit of the printed
    place, or rtol/atol) and note (kind "rounding"/"slip"/"", and why)."""

    step: int = 0
    tolerance: float = 0.0
    note_kind: str = ""
    note: str = ""

    @property
    def printed(self) -> str:
        """The printed number as text (normalised: a Unicode minus reads '-')."""
        return self.given or ""

    @property
    def actual(self) -> float:
        """The engine's number."""
        return self.expected

    @property
    def abs_error(self) -> float:
        """|printed - engine|."""
        return abs(float(self.printed) - self.actual)

    @property
    def rel_error(self) -> float:
        """|printed - engine| / |engine| (inf when the engine's value is 0 and the printed is not)."""
        if self.actual == 0.0:
            return 0.0 if self.abs_error == 0.0 else math.inf
        return self.abs_error / abs(self.actual)

    @property
    def ok(self) -> bool:
        """True when the printed number is correct at its own digits."""
        return self.verdict == "correct"


class CheckReport(Report[Entry]):
    """Every entry of a check, in computation order, with the verdict and the first divergence."""

    def __init__(self, entries: list[Entry]) -> None:
        super().__init__("check", "", "", None, entries)

    @property
    def ok(self) -> bool:
        """True when no entry is a slip (each is correct, or off by rounding only)."""
        return all(e.verdict in _OK for e in self.entries)

    @property
    def mismatches(self) -> list[Entry]:
        """The entries that are not correct, in computation order."""
        return [e for e in self.entries if e.verdict != "correct"]

    @property
    def first_mismatch(self) -> Entry | None:
        """The first entry that is not correct, in computation order (None if all are)."""
        return next(iter(self.mismatches), None)

    def __bool__(self) -> bool:
        return self.ok

    def _rows(self) -> list[list[str]]:
        return [[str(e.step), clean_text(e.label, 60), e.quantity, e.printed,
                 format_number(e.actual, ENGINE_DIGITS), f"{e.abs_error:.3g}",
                 f"{e.rel_error:.3g}", f"{e.tolerance:.3g}", e.verdict, self._note(e)]
                for e in self.entries]

    @staticmethod
    def _note(entry: Entry) -> str:
        """The entry's note, and the misconception a slip was diagnosed as ("likely: ...")."""
        parts = [clean_text(entry.note, 300)] if entry.note else []
        if entry.diagnosis is not None:
            parts.append(f"likely: {entry.diagnosis.code.replace('_', ' ')}")
        return "; ".join(parts)

    _HEADER = ["step", "label", "quantity", "printed", "engine", "abs err", "rel err", "tol", "verdict", "note"]

    def summary(self) -> str:
        """A few sentences: how many are correct, differ by rounding, are slips; the first divergence."""
        n, bad = len(self.entries), len(self.mismatches)
        if not bad:
            if n == 1:
                return "The 1 printed number is correct."
            return f"All {n} printed numbers are correct."
        slips = len(self.slips)
        rounding = bad - slips
        text = (f"{n - bad} of {n} printed numbers are correct; "
                f"{rounding} {'differs' if rounding == 1 else 'differ'} by rounding only; "
                f"{slips} {'is a slip' if slips == 1 else 'are slips'}.")
        first = self.first_slip or self.mismatches[0]  # bad > 0: there is a first mismatch
        what = "slip" if first.verdict == "slip" else "divergence (rounding)"
        return (text + f" First {what}: step {first.step}, the {first.quantity} of "
                f"{clean_text(repr(first.label), 60)} (printed {first.printed}, engine "
                f"{format_number(first.actual, ENGINE_DIGITS)}); later slips may be consequences of it.")

    def to_text(self) -> str:
        """An aligned text table of every entry, then the summary."""
        table = [self._HEADER] + self._rows()
        widths = [max(len(r[c]) for r in table) for c in range(len(self._HEADER))]
        lines = ["  ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip() for r in table]
        return "\n".join(lines + ["", self.summary()])

    __str__ = to_text

    def __repr__(self) -> str:
        return f"CheckReport({len(self.entries)} entries, {len(self.slips)} slips)"

    def _repr_html_(self) -> str:
        """An HTML table with slips highlighted, then the summary (Jupyter shows this)."""
        head = "".join(f"<th>{escape(h)}</th>" for h in self._HEADER)
        first = self.first_slip
        colours = {"slip": "#fde2e2", "rounding": "#fdf3c0"}
        rows = []
        for entry, cells in zip(self.entries, self._rows()):
            style = ' style="background:#f8c8c8;font-weight:bold"' if entry is first else (
                f' style="background:{colours[entry.verdict]}"' if entry.verdict in colours else "")
            rows.append(f"<tr{style}>" + "".join(f"<td>{escape(c)}</td>" for c in cells) + "</tr>")
        return (f'<table class="teachgrad-check"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}'
                f"</tbody></table><p>{escape(self.summary())}</p>")
