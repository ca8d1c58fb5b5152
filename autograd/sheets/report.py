"""The result of grading one submission, in every form a course needs.

`GradeReport` holds one `Entry` per asked number and prints as text (`str`), as an HTML table
(Jupyter), as the `--json` dict, as a gradebook CSV row and as Gradescope's autograder
results.json (one test per asked entry, the explanation as its output).
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # types only: the sheet model does not need the reports
    from .sheet import Sheet

__all__ = ["Entry", "GradeReport", "VERDICTS", "CSV_FIELDS"]

VERDICTS = ("correct", "rounding", "carried", "slip", "missing")
ACCEPTED = ("correct", "rounding", "carried")
CSV_FIELDS = ["student", "sheet", "seed", "score", *VERDICTS, "first_slip"]


@dataclass(frozen=True)
class Entry:
    """One asked number: the student's printed text, the exact value, what their numbers give."""

    label: str
    quantity: str      # "value" or "grad"
    given: str | None  # the printed string, or None (missing)
    expected: float    # the engine's exact number
    consistent: float | None  # what the formula gives from the student's own numbers (None: cannot)
    verdict: str
    formula: str = ""  # the node's expression, or the chain rule it takes part in
    root: str = ""

    @property
    def name(self) -> str:
        """'value of f' or 'dL/dw0'."""
        return f"value of {self.label}" if self.quantity == "value" else f"d{self.root}/d{self.label}"

    def explanation(self, digits: int = 7) -> str:
        """One line: what was given, what is exact, and what the student's numbers give."""
        exact = f"{self.expected:.{digits}g}"
        if self.verdict == "missing":
            return f"{self.name}: not answered (exact {exact})"
        own = "cannot be evaluated" if self.consistent is None else f"gives {self.consistent:.{digits}g}"
        how = f"{self.formula} " if self.formula else ""
        text = {"correct": "correct",
                "rounding": f"off by rounding only (exact {exact})",
                "carried": f"wrong (exact {exact}), but {how}{own} from your own numbers: error carried forward",
                "slip": f"slip: from your own numbers {how}{own}; exact {exact}"}[self.verdict]
        return f"{self.name} = {self.given}: {text}"


class GradeReport:
    """Every asked entry with its verdict, the first slip and the score of one submission."""

    def __init__(self, sheet: Sheet, student: str, seed: int | None, entries: list[Entry]) -> None:
        self.sheet, self.student, self.seed, self.entries = sheet, student, seed, entries

    def count(self, verdict: str) -> int:
        """How many entries have this verdict."""
        return sum(e.verdict == verdict for e in self.entries)

    @property
    def score(self) -> float:
        """(correct + rounding + carried) / asked, from 0 to 1."""
        return sum(e.verdict in ACCEPTED for e in self.entries) / len(self.entries)

    @property
    def slips(self) -> list[Entry]:
        """The slips, values in forward order, then gradients from the root down."""
        return [e for e in self.entries if e.verdict == "slip"]

    @property
    def first_slip(self) -> Entry | None:
        """The first slip in that order (None if there is none)."""
        return next(iter(self.slips), None)

    def summary(self) -> str:
        """The score and the counts in one line, and where the first slip is."""
        counts = ", ".join(f"{self.count(v)} {v}" for v in VERDICTS if self.count(v))
        first = self.first_slip
        where = f"; first slip: {first.name}" if first else "; no slip"
        return f"{self.student}: score {self.score:.3f} ({counts}){where}"

    def to_text(self) -> str:
        """A table of the entries, the explanation of each slip and carried entry, the summary."""
        rows = [["quantity", "given", "exact", "your numbers give", "verdict"]]
        for e in self.entries:
            rows.append([e.name, e.given or "-", f"{e.expected:.10g}",
                         "-" if e.consistent is None else f"{e.consistent:.10g}", e.verdict])
        widths = [max(len(r[c]) for r in rows) for c in range(len(rows[0]))]
        lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
        notes = [f"  - {e.explanation()}" for e in self.entries if e.verdict in ("slip", "carried")]
        title = f"{self.sheet.title}" + (f" (seed {self.seed})" if self.seed is not None else "")
        return "\n".join([title, ""] + lines + ([""] + notes if notes else []) + ["", self.summary()])

    __str__ = to_text

    def __repr__(self) -> str:
        return f"GradeReport({self.student!r}, score={self.score:.3f}, {len(self.entries)} entries)"

    def to_json(self) -> dict[str, Any]:
        """The `--json` form: entries, first slip (label and quantity, or None), score."""
        first = self.first_slip
        return {"entries": [{"label": e.label, "quantity": e.quantity, "given": e.given,
                             "expected": e.expected, "consistent": e.consistent,
                             "verdict": e.verdict} for e in self.entries],
                "first_slip": {"label": first.label, "quantity": first.quantity} if first else None,
                "score": self.score}

    def gradescope(self) -> dict[str, Any]:
        """Gradescope's results.json: one test per asked entry (1 point if accepted)."""
        tests = [{"name": e.name, "score": float(e.verdict in ACCEPTED), "max_score": 1.0,
                  "output": e.explanation()} for e in self.entries]
        return {"score": sum(t["score"] for t in tests), "tests": tests}

    def csv_row(self) -> dict[str, object]:
        """One gradebook row (CSV_FIELDS)."""
        first = self.first_slip
        return {"student": self.student, "sheet": self.sheet.name,
                "seed": "" if self.seed is None else self.seed, "score": f"{self.score:.4f}",
                **{v: self.count(v) for v in VERDICTS}, "first_slip": first.name if first else ""}

    def append_csv(self, path: str | Path) -> Path:
        """Append this submission's row to a gradebook CSV (the header is written once)."""
        file = Path(path)
        new = not file.exists() or file.stat().st_size == 0
        with file.open("a", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=CSV_FIELDS)
            if new:
                writer.writeheader()
            writer.writerow(self.csv_row())
        return file

    def _repr_html_(self) -> str:
        """An HTML table, slips red and carried entries amber (Jupyter shows this)."""
        colours = {"slip": "#f8c8c8", "carried": "#fde9c0", "missing": "#e8e8e8"}
        rows = "".join(
            f'<tr style="background:{colours.get(e.verdict, "transparent")}"><td>{escape(e.name)}</td>'
            f"<td>{escape(e.given or '-')}</td><td>{e.expected:.10g}</td>"
            f"<td>{'-' if e.consistent is None else f'{e.consistent:.10g}'}</td>"
            f"<td>{escape(e.verdict)}</td></tr>" for e in self.entries)
        notes = "".join(f"<li>{escape(e.explanation())}</li>" for e in self.entries
                        if e.verdict in ("slip", "carried"))
        return ('<table class="teachgrad-grade"><thead><tr><th>quantity</th><th>given</th>'
                "<th>exact</th><th>your numbers give</th><th>verdict</th></tr></thead>"
                f"<tbody>{rows}</tbody></table>" + (f"<ul>{notes}</ul>" if notes else "")
                + f"<p>{escape(self.summary())}</p>")
