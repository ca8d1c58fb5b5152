"""The result of grading one submission, in every form a course needs.

`GradeReport` (the one report class of `autograd.grading`, with the sheet it grades) holds one
`Entry` per asked number and prints as text (`str`), as an HTML table (Jupyter), as the
`--json` dict, as a gradebook CSV row and as Gradescope's autograder results.json (one test
per asked entry, worth its points, the explanation as its output). Text from a student or a
sheet is made safe for each output: control characters removed for a terminal, HTML escaped,
CSV cells that a spreadsheet would run as a formula neutralised (`csv_cell`).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape
from typing import TYPE_CHECKING, Any

from ..grading import VERDICTS, Entry, Report
from ..safetext import clean_text

if TYPE_CHECKING:  # types only: the sheet model does not need the reports
    from .sheet import Sheet

__all__ = ["Entry", "GradeReport", "VERDICTS", "CSV_FIELDS", "csv_cell"]

CSV_FIELDS = ["student", "sheet", "seed", "score", "points", "earned", *VERDICTS, "first_slip",
              "suspect", "error"]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A CSV cell a spreadsheet will show as text: a string starting with = + - @ tab or CR
    gets a leading apostrophe (OWASP's advice); control characters are shown as escapes
    (autograd.safetext); numbers pass."""
    if not isinstance(value, str):
        return value
    text = clean_text(value, 500)
    return "'" + text if value.startswith(_FORMULA_START) or text.startswith(_FORMULA_START) else text


class GradeReport(Report[Entry]):
    """Every asked entry with its verdict, points, the first slip and the score of one submission."""

    def __init__(self, sheet: Sheet, student: str, seed: int | None, entries: Iterable[Entry],
                 suspect: Mapping[str, int] | None = None) -> None:
        super().__init__(sheet.title, sheet.name, student, seed, entries, suspect)
        self.sheet = sheet

    def _table(self) -> list[list[str]]:
        rows = [["quantity", "given", "exact", "your numbers give", "verdict", "points"]]
        for e in self.entries:
            rows.append([e.name, clean_text(e.given or "-", 40), f"{e.expected:.10g}",
                         "-" if e.consistent is None else f"{e.consistent:.10g}", e.verdict,
                         f"{e.earned:g}/{e.points:g}"])
        return rows

    def _notes(self) -> list[Entry]:
        return [e for e in self.entries if e.verdict in ("slip", "carried", "too_few_digits")]

    def to_text(self) -> str:
        """A table of the entries, the explanation of each slip and carried entry, the summary."""
        rows = self._table()
        widths = [max(len(r[c]) for r in rows) for c in range(len(rows[0]))]
        lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
        notes = [f"  - {clean_text(e.explanation(), 1000)}" for e in self._notes()]
        title = clean_text(self.title) + (f" (seed {self.seed})" if self.seed is not None else "")
        return "\n".join([title, ""] + lines + ([""] + notes if notes else []) + ["", self.summary()])

    __str__ = to_text

    def __repr__(self) -> str:
        return f"GradeReport({clean_text(self.student)!r}, score={self.score:.3f}, {len(self.entries)} entries)"

    def gradescope(self) -> dict[str, Any]:
        """Gradescope's results.json: one test per asked entry, worth its points."""
        tests = [{"name": e.name, "score": e.earned, "max_score": e.points,
                  "output": clean_text(e.explanation(), 2000)} for e in self.entries]
        out: dict[str, Any] = {"score": sum(t["score"] for t in tests), "tests": tests}
        if self.suspect:
            out["output"] = (f"Flagged: these numbers match the key of seed "
                             f"{self.suspect['matches_seed']} better than this student's own.")
        return out

    def csv_row(self) -> dict[str, object]:
        """One gradebook row (CSV_FIELDS), every text cell neutralised (`csv_cell`)."""
        first = self.first_slip
        row: dict[str, object] = {
            "student": self.student, "sheet": self.sheet_name,
            "seed": "" if self.seed is None else self.seed, "score": f"{self.score:.4f}",
            "points": f"{self.points:g}", "earned": f"{self.earned:g}",
            **{v: self.count(v) for v in VERDICTS}, "first_slip": first.name if first else "",
            "suspect": "" if not self.suspect else f"matches seed {self.suspect['matches_seed']}",
            "error": ""}
        return {k: csv_cell(v) for k, v in row.items()}

    def _repr_html_(self) -> str:
        """An HTML table, slips red and carried entries amber (Jupyter shows this)."""
        return self.to_html()

    def to_html(self, links: Mapping[str, str] | None = None) -> str:
        """The HTML table; `links` (entry name -> URL) makes a row's quantity a link (to the
        stepper step where that gradient is computed, see autograd.diagram.graded)."""
        colours = {"slip": "#f8c8c8", "carried": "#fde9c0", "missing": "#e8e8e8",
                   "too_few_digits": "#fdf3c0"}
        head = "".join(f"<th>{escape(h)}</th>" for h in self._table()[0])

        def cell(entry: Entry, k: int, text: str) -> str:
            url = (links or {}).get(entry.name) if k == 0 else None
            return f'<a href="{escape(url)}">{escape(text)}</a>' if url else escape(text)
        rows = "".join(
            f'<tr style="background:{colours.get(e.verdict, "transparent")}">'
            + "".join(f"<td>{cell(e, k, c)}</td>" for k, c in enumerate(cells)) + "</tr>"
            for e, cells in zip(self.entries, self._table()[1:]))
        notes = "".join(f"<li>{escape(e.explanation())}</li>" for e in self._notes())
        return (f'<table class="teachgrad-grade"><thead><tr>{head}</tr></thead>'
                f"<tbody>{rows}</tbody></table>" + (f"<ul>{notes}</ul>" if notes else "")
                + f"<p>{escape(self.summary())}</p>")
