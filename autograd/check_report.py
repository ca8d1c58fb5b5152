"""The report of a check: one `Entry` per compared number, and the `CheckReport` that holds them.

An entry is one printed number (a node's value or grad) next to the engine's; its `verdict` is
"match" (within the tolerance), "rounding" (a mismatch that a note explains as rounding only) or
"SLIP". The report lists entries in computation order (see `autograd.check`), names the first
slip, and prints as a text table (`str`) or an HTML table (`_repr_html_`, for Jupyter).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from .numbers import format_number

__all__ = ["Entry", "CheckReport"]

ENGINE_DIGITS = 10  # the engine's number beside a printed one: enough digits to see any slip


@dataclass(frozen=True)
class Entry:
    """One compared number: which node and quantity, the printed and the engine's value, errors."""

    step: int
    label: str
    quantity: str  # "value" or "grad"
    printed: str
    actual: float
    tolerance: float
    note_kind: str = ""  # "rounding", "slip" or "" (no note)
    note: str = ""

    @property
    def expected(self) -> float:
        """The printed number as a float."""
        return float(self.printed)

    @property
    def abs_error(self) -> float:
        """|printed - engine|."""
        return abs(self.expected - self.actual)

    @property
    def rel_error(self) -> float:
        """|printed - engine| / |engine| (inf when the engine's value is 0 and the printed is not)."""
        if self.actual == 0.0:
            return 0.0 if self.abs_error == 0.0 else math.inf
        return self.abs_error / abs(self.actual)

    @property
    def ok(self) -> bool:
        """True when the printed number is within the tolerance of the engine's value."""
        return self.abs_error <= self.tolerance

    @property
    def verdict(self) -> str:
        """"match", "rounding" (a mismatch noted as rounding only) or "SLIP"."""
        if self.ok:
            return "match"
        return "rounding" if self.note_kind == "rounding" else "SLIP"


class CheckReport:
    """Every entry of a check, in computation order, with the verdict and the first divergence."""

    def __init__(self, entries: list[Entry]) -> None:
        self.entries = entries

    @property
    def ok(self) -> bool:
        """True when every entry matches."""
        return all(e.ok for e in self.entries)

    @property
    def mismatches(self) -> list[Entry]:
        """The entries that do not match, in computation order."""
        return [e for e in self.entries if not e.ok]

    @property
    def first_mismatch(self) -> Entry | None:
        """The first mismatching entry in computation order (None if all match)."""
        return next(iter(self.mismatches), None)

    @property
    def slips(self) -> list[Entry]:
        """The mismatches not explained as rounding, in computation order."""
        return [e for e in self.entries if e.verdict == "SLIP"]

    @property
    def first_slip(self) -> Entry | None:
        """The first slip in computation order (None if there is none)."""
        return next(iter(self.slips), None)

    def __bool__(self) -> bool:
        return self.ok

    def _rows(self) -> list[list[str]]:
        return [[str(e.step), e.label, e.quantity, e.printed, format_number(e.actual, ENGINE_DIGITS), f"{e.abs_error:.3g}",
                 f"{e.rel_error:.3g}", f"{e.tolerance:.3g}", e.verdict, e.note]
                for e in self.entries]

    _HEADER = ["step", "label", "quantity", "printed", "engine", "abs err", "rel err", "tol", "verdict", "note"]

    def summary(self) -> str:
        """A few sentences: how many match, differ by rounding, are slips; the first divergence."""
        n, bad = len(self.entries), len(self.mismatches)
        if not bad:
            if n == 1:
                return "The 1 printed number matches the engine."
            return f"All {n} printed numbers match the engine."
        rounding = bad - len(self.slips)
        slips = len(self.slips)
        text = (f"{n - bad} of {n} printed numbers match; "
                f"{rounding} {'differs' if rounding == 1 else 'differ'} by rounding only; "
                f"{slips} {'is a slip' if slips == 1 else 'are slips'}.")
        first = self.first_slip or self.mismatches[0]  # bad > 0: there is a first mismatch
        what = "slip" if first.verdict == "SLIP" else "divergence (rounding)"
        return (text + f" First {what}: step {first.step}, the {first.quantity} of {first.label!r} "
                f"(printed {first.printed}, engine {format_number(first.actual, ENGINE_DIGITS)}); later mismatches may be "
                "consequences of it.")

    def to_text(self) -> str:
        """An aligned text table of every entry, then the summary."""
        table = [self._HEADER] + self._rows()
        widths = [max(len(r[c]) for r in table) for c in range(len(self._HEADER))]
        lines = ["  ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip() for r in table]
        return "\n".join(lines + ["", self.summary()])

    __str__ = to_text

    def __repr__(self) -> str:
        return f"CheckReport({len(self.entries)} entries, {len(self.mismatches)} mismatches)"

    def _repr_html_(self) -> str:
        """An HTML table with mismatches highlighted, then the summary (Jupyter shows this)."""
        from html import escape
        head = "".join(f"<th>{escape(h)}</th>" for h in self._HEADER)
        first = self.first_mismatch
        rows = []
        for entry, cells in zip(self.entries, self._rows()):
            style = "" if entry.ok else (' style="background:#f8c8c8;font-weight:bold"' if entry is first
                                         else ' style="background:#fde2e2"')
            rows.append(f"<tr{style}>" + "".join(f"<td>{escape(c)}</td>" for c in cells) + "</tr>")
        return (f'<table class="teachgrad-check"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}'
                f"</tbody></table><p>{escape(self.summary())}</p>")
