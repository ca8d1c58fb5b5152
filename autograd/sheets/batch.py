"""Grading a whole class: every file graded, error rows, the gradebook, the roster, a summary.

    >>> from autograd import sheets
    >>> sheet = sheets.find_sheet("seed002")
    >>> results = sheets.grade_files(sheet, [sheets.answers_path(sheet), "no-such-file.toml"])
    >>> [type(r).__name__ for r in results]
    ['GradeReport', 'ErrorReport']
    >>> results[1].reason[:24]
    'cannot read the answers:'

`grade_files` grades every file it can; a file that cannot be read or graded becomes an
`ErrorReport` (file, line, reason) in the same list, so the CSV, the JSON and Gradescope get a
row for every student. `update_gradebook` rewrites the CSV by student (a regrade replaces the
row). A roster (`read_roster`: a CSV whose header names at least `name` and `id`; other
columns are kept; an optional `seed` column) maps students to seeds; `assign_seeds` gives
each student a seed whose variant is distinct from the others' where the ranges allow, and
asks no number that is exactly 0.
`ClassSummary` counts, per asked quantity, verdicts and diagnoses, and names where the class
first slips most.
"""
from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any, Union

from ..grading import VERDICTS
from ..safetext import clean_text
from .answers import Answers, load_answers
from .errors import SheetError, as_path, require
from .grade import grade
from .report import CSV_FIELDS, GradeReport, csv_cell
from .sheet import Problem, Sheet, read_text

__all__ = ["ErrorReport", "Result", "grade_files", "update_gradebook", "read_roster",
           "assign_seeds", "write_roster", "ClassSummary", "MAX_ROSTER_BYTES"]

MAX_ROSTER_BYTES = 2_000_000
_LINE = re.compile(r", line (\d+)")


@dataclass(frozen=True)
class ErrorReport:
    """A file that could not be graded: which file, which line (0: unknown), why."""

    file: str
    sheet_name: str
    student: str
    reason: str
    line: int = 0
    seed: int | None = None

    @property
    def score(self) -> float:
        """0: nothing could be graded."""
        return 0.0

    def summary(self) -> str:
        """One line naming the file, the line and the reason."""
        where = f", line {self.line}" if self.line else ""
        return clean_text(f"{self.student}: NOT GRADED ({self.file}{where}): {self.reason}", 600)

    def to_text(self) -> str:
        """The summary line (what `sheet grade` prints for this file)."""
        return self.summary()

    def to_json(self) -> dict[str, Any]:
        """The `--json` form: the same keys as a graded report, with `error` set."""
        return {"sheet": self.sheet_name, "seed": self.seed, "student": self.student,
                "score": None, "points": None, "earned": None, "entries": [], "first_slip": None,
                "suspect": None, "error": {"file": self.file, "line": self.line or None,
                                           "reason": self.reason}}

    def csv_row(self) -> dict[str, object]:
        """A gradebook row with the error column filled."""
        row: dict[str, object] = {k: "" for k in CSV_FIELDS}
        where = f"{self.file}, line {self.line}" if self.line else self.file
        row.update(student=self.student, sheet=self.sheet_name,
                   seed="" if self.seed is None else self.seed, error=f"{where}: {self.reason}")
        return {k: csv_cell(v) for k, v in row.items()}

    def gradescope(self) -> dict[str, Any]:
        """Gradescope's results.json for a submission that could not be graded."""
        return {"score": 0.0, "output": clean_text(self.summary(), 2000), "tests": []}


Result = Union[GradeReport, ErrorReport]


def _error(path: str | Path, sheet: Sheet, exc: Exception, student: str = "",
           seed: int | None = None) -> ErrorReport:
    """The error row of one file: the file the message names (the answers file, or the sheet
    when a variant cannot be built), its line, and the rest of the message as the reason."""
    message = clean_text(str(exc), 500)
    answers, named = clean_text(str(path), 200), clean_text(sheet.source, 200)
    source = answers if message.startswith(answers) or not message.startswith(named) else named
    found = _LINE.match(message[len(source):]) if message.startswith(source) else None
    # the row names file and line in their own columns: the reason is the rest of the message
    reason = re.sub(r"^(, line \d+)?(, )?(: )?", "", message[len(source):]) \
        if message.startswith(source) else message
    return ErrorReport(source, sheet.name, student or Path(str(path)).stem, reason,
                       int(found.group(1)) if found else 0, seed)


def _roster_seed(roster: Sequence[Mapping[str, str]], answers: Answers, path: Path) -> int | None:
    keys = {answers.student, path.stem}
    for row in roster:
        if (row.get("name") in keys or row.get("id") in keys) and row.get("seed", "").strip():
            return int(row["seed"])
    return None


def grade_files(sheet: Sheet, paths: Iterable[str | Path], seed: int | None = None,
                roster: Sequence[Mapping[str, str]] = ()) -> list[Result]:
    """Grade every answers file; a file that cannot be read or graded gives an ErrorReport.

    A student's seed: the answers file's, else the roster's (matched by the answers' student
    name or the file's stem, against the roster's name or id), else `seed`. Submissions are
    compared with the keys of every seed of the class (roster and files) to flag copies.
    """
    require(sheet, Sheet, "sheets.grade_files", "a Sheet")
    if isinstance(paths, (str, bytes, os.PathLike)) or not isinstance(paths, Iterable):
        raise TypeError(f"sheets.grade_files: needs a list of answers file paths, got "
                        f"{type(paths).__name__}")
    _check_roster(roster, "sheets.grade_files")
    loaded: list[tuple[Path, Answers | Exception, int | None]] = []
    for path in paths:
        file = as_path(path, "sheets.grade_files")
        try:
            answers = load_answers(file)
            own = answers.seed if answers.seed is not None else _roster_seed(roster, answers, file)
            loaded.append((file, answers, own if own is not None else seed))
        except (SheetError, ValueError) as exc:
            loaded.append((file, exc, None))
    seeds = [s for _, _, s in loaded if s is not None]
    seeds += [int(r["seed"]) for r in roster if r.get("seed", "").strip()]
    results: list[Result] = []
    keys: dict[int, Problem] = {}  # each variant built once for the whole batch's copy check
    for file, answers_or_error, chosen in loaded:
        if isinstance(answers_or_error, Exception):
            results.append(_error(file, sheet, answers_or_error))
            continue
        try:
            if answers_or_error.seed is not None and seed is not None and answers_or_error.seed != seed:
                chosen = answers_or_error.seed  # the file's own seed wins over --seed in a batch
            results.append(grade(sheet, _with_seed(answers_or_error, chosen), None, seeds, keys))
        except (SheetError, ArithmeticError, ValueError) as exc:
            results.append(_error(file, sheet, exc, answers_or_error.student, chosen))
    return results


def _check_roster(roster: object, call: str) -> None:
    if isinstance(roster, (str, bytes)) or not isinstance(roster, Sequence) or not all(
            isinstance(r, Mapping) for r in roster):
        raise TypeError(f"{call}: a roster is a list of rows (dicts with name, id, seed), as "
                        f"read_roster gives; got {type(roster).__name__}")


def _results(results: object, call: str) -> list[Result]:
    if isinstance(results, (str, bytes)) or not isinstance(results, Iterable):
        raise TypeError(f"{call}: needs a list of results (grade_files gives one), got "
                        f"{type(results).__name__}")
    found = list(results)
    for r in found:
        require(r, (GradeReport, ErrorReport), call, "results of grade_files")
    return found


def _with_seed(answers: Answers, seed: int | None) -> Answers:
    if answers.seed is not None or seed is None:
        return answers
    return Answers(answers.student, answers.source, seed, answers.values, answers.grads,
                   answers.lines, answers.jvp)


def update_gradebook(path: str | Path, results: Iterable[Result]) -> Path:
    """Rewrite the gradebook CSV at `path` with one row per (student, sheet): new rows replace
    old ones, other rows and extra columns are kept. Written to a temporary file, then replaced."""
    file = as_path(path, "sheets.update_gradebook")
    results = _results(results, "sheets.update_gradebook")
    rows: dict[tuple[str, str], dict[str, object]] = {}
    fields = list(CSV_FIELDS)
    if file.exists():
        text = read_text(file, "gradebook", MAX_ROSTER_BYTES)
        reader = csv.DictReader(io.StringIO(text))
        fields += [f for f in reader.fieldnames or [] if f and f not in fields]
        for old in reader:
            rows[(str(old.get("student", "")), str(old.get("sheet", "")))] = dict(old)
    for result in results:
        row = result.csv_row()
        rows[(str(row["student"]), str(row["sheet"]))] = row
    handle, temp = tempfile.mkstemp(dir=file.parent if str(file.parent) else ".", suffix=".csv.tmp")
    try:
        with os.fdopen(handle, "w", newline="", encoding="utf-8") as out:
            writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows.values())
        os.replace(temp, file)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return file


def read_roster(path: str | Path) -> list[dict[str, str]]:
    """The roster CSV: a header naming at least `name` and `id` (other columns kept); names and
    ids unique; `seed`, when present, an integer >= 0 or empty."""
    text = read_text(as_path(path, "sheets.read_roster"), "roster", MAX_ROSTER_BYTES)
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in reader.fieldnames or []]
    shown = clean_text(str(path), 200)
    if not {"name", "id"} <= set(header):
        raise SheetError(f"{shown}: a roster needs a header row naming at least name and id "
                         f"(got {clean_text(', '.join(header), 100) or 'no header'})")
    rows: list[dict[str, str]] = []
    seen: set[str] = set()
    for number, raw in enumerate(reader, 2):
        row = {k.strip(): (v or "").strip() for k, v in raw.items() if k}
        if not row.get("name") or not row.get("id"):
            raise SheetError(f"{shown}, line {number}: every student needs a name and an id")
        for key in ("name", "id"):
            if f"{key}:{row[key]}" in seen:
                raise SheetError(f"{shown}, line {number}: {key} {clean_text(row[key], 60)!r} "
                                 "appears twice")
            seen.add(f"{key}:{row[key]}")
        seed = row.get("seed", "")
        if seed and not (seed.isdigit() and len(seed) < 19):
            raise SheetError(f"{shown}, line {number}: seed must be an integer >= 0, got "
                             f"{clean_text(seed, 30)!r}")
        rows.append(row)
    if not rows:
        raise SheetError(f"{shown}: the roster lists no students")
    return rows


def _usable(sheet: Sheet, seed: int) -> bool:
    """A seed whose variant can be built and asks no number that is exactly 0 (a drawn 0 can
    make an asked number trivially 0: such a variant is skipped while others exist)."""
    try:
        problem = sheet.problem(seed)
    except SheetError:
        return False
    return all(problem.values[n] != 0.0 for n in sheet.values) and \
        all(problem.grads[n] != 0.0 for n in sheet.grads)


def assign_seeds(sheet: Sheet, roster: Sequence[Mapping[str, str]],
                 tries: int = 2_000) -> list[dict[str, str]]:
    """The roster with a `seed` for every student that has none: seeds whose drawn numbers
    differ from every other student's while the ranges allow (then repeats, least used first),
    and whose variant asks no number that is exactly 0."""
    require(sheet, Sheet, "sheets.assign_seeds", "a Sheet")
    _check_roster(roster, "sheets.assign_seeds")
    rows = [dict(r) for r in roster]
    used = [int(r["seed"]) for r in rows if r.get("seed")]
    taken = {tuple(sheet.numbers(s).items()) for s in used} if sheet.variants else set()
    candidate = 1
    for row in rows:
        if row.get("seed"):
            continue
        if not sheet.variants:
            row["seed"] = "0"
            continue
        for _ in range(tries):
            draw = tuple(sheet.numbers(candidate).items())
            candidate += 1
            if draw not in taken and _usable(sheet, candidate - 1):
                taken.add(draw)
                row["seed"] = str(candidate - 1)
                break
        else:  # every usable variant is taken: reuse, the least used first
            row["seed"] = str(min(used or [1], key=used.count))
        used.append(int(row["seed"]))
    return rows


def write_roster(path: str | Path, roster: Sequence[Mapping[str, str]]) -> Path:
    """Write a roster CSV (name, id, seed first, the other columns kept), cells neutralised."""
    file = as_path(path, "sheets.write_roster")
    _check_roster(roster, "sheets.write_roster")
    if not roster:
        raise SheetError("sheets.write_roster: the roster lists no students")
    fields = ["name", "id", "seed"] + [k for k in roster[0] if k not in ("name", "id", "seed")]
    with file.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows({k: csv_cell(v) for k, v in row.items()} for row in roster)
    return file


@dataclass
class ClassSummary:
    """Per asked quantity: verdict counts and diagnoses; where the class first slips most."""

    sheet: str
    graded: int
    errors: int
    quantities: list[str] = field(default_factory=list)  # entry names, in grading order
    verdicts: dict[str, Counter[str]] = field(default_factory=dict)
    diagnoses: dict[str, Counter[str]] = field(default_factory=dict)
    first_slips: Counter[str] = field(default_factory=Counter)
    scores: list[float] = field(default_factory=list)
    suspects: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, results: Sequence[Result]) -> ClassSummary:
        """The summary of a batch's results."""
        results = _results(results, "ClassSummary.of")
        reports = [r for r in results if isinstance(r, GradeReport)]
        sheet = results[0].sheet_name if results else ""
        summary = cls(sheet, len(reports), len(results) - len(reports))
        for report in reports:
            summary.scores.append(report.score)
            if report.suspect:
                summary.suspects.append(f"{clean_text(report.student, 60)} (matches seed "
                                        f"{report.suspect['matches_seed']})")
            for e in report.entries:
                if e.name not in summary.verdicts:
                    summary.quantities.append(e.name)
                    summary.verdicts[e.name], summary.diagnoses[e.name] = Counter(), Counter()
                summary.verdicts[e.name][e.verdict] += 1
                if e.diagnosis is not None:
                    summary.diagnoses[e.name][e.diagnosis.code] += 1
            if report.first_slip is not None:
                summary.first_slips[report.first_slip.name] += 1
        return summary

    @property
    def hardest(self) -> tuple[str, int] | None:
        """(the quantity most often the first slip, how many), or None."""
        if not self.first_slips:
            return None
        order = {q: i for i, q in enumerate(self.quantities)}
        name = min(self.first_slips, key=lambda q: (-self.first_slips[q], order.get(q, 0)))
        return name, self.first_slips[name]

    def rows(self) -> list[list[str]]:
        """The table: quantity, one column per verdict, the diagnoses."""
        out = [["quantity", *VERDICTS, "diagnoses"]]
        for q in self.quantities:
            named = ", ".join(f"{code} x{n}" for code, n in self.diagnoses[q].most_common())
            out.append([q, *(str(self.verdicts[q][v]) for v in VERDICTS), named])
        return out

    def lines(self) -> list[str]:
        """The sentences under the table."""
        mean = sum(self.scores) / len(self.scores) if self.scores else 0.0
        text = [f"{self.graded} graded, {self.errors} not graded; mean score {mean:.3f}."]
        hardest = self.hardest
        if hardest:
            text.append(f"The class first slips most at {hardest[0]} ({hardest[1]} of "
                        f"{self.graded}).")
        if self.suspects:
            text.append("Flagged as matching another seed's key: " + "; ".join(self.suspects) + ".")
        return text

    def to_text(self) -> str:
        """An aligned text table and the sentences."""
        rows = self.rows()
        widths = [max(len(r[c]) for r in rows) for c in range(len(rows[0]))]
        table = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
        return "\n".join([f"Class summary: {clean_text(self.sheet)}", ""] + table + [""] + self.lines())

    __str__ = to_text

    def to_html(self) -> str:
        """The same as an HTML table and paragraphs."""
        rows = self.rows()
        head = "".join(f"<th>{escape(h)}</th>" for h in rows[0])
        body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in rows[1:])
        return (f"<h2>Class summary: {escape(self.sheet)}</h2><table class=\"teachgrad-summary\">"
                f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
                + "".join(f"<p>{escape(t)}</p>" for t in self.lines()))

    _repr_html_ = to_html

    def to_json(self) -> dict[str, Any]:
        """The summary as JSON data."""
        return {"sheet": self.sheet, "graded": self.graded, "errors": self.errors,
                "quantities": [{"quantity": q, "verdicts": dict(self.verdicts[q]),
                                "diagnoses": dict(self.diagnoses[q])} for q in self.quantities],
                "first_slips": dict(self.first_slips),
                "hardest": None if self.hardest is None else self.hardest[0],
                "suspects": list(self.suspects)}

