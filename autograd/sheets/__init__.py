"""Worksheets: problems as TOML data files, solution keys, blank sheets, grading.

    >>> from autograd import sheets
    >>> sheet = sheets.find_sheet("seed002")          # a shipped sheet, or a path to a .toml
    >>> problem = sheet.problem()                     # numbers fixed, graph built and backpropagated
    >>> round(problem.values["L"], 6)
    0.274811
    >>> report = sheets.grade(sheet, sheets.load_answers(sheets.answers_path(sheet)))
    >>> report.first_slip.label, report.first_slip.quantity
    ('a1_2', 'value')

`sheets.write_key(problem, "md" | "tex" | "html", blank=False)` writes the key (or the blank
worksheet); a `GradeReport` prints as text, shows as an HTML table in Jupyter, and gives the
`--json`, gradebook CSV and Gradescope forms. `grade_files` grades a class (an `ErrorReport`
for a file that cannot be graded), `update_gradebook` rewrites the CSV by student,
`ClassSummary.of(results)` counts verdicts and diagnoses per quantity, and a roster
(`read_roster`, `assign_seeds`) gives each student a distinct variant. The precision policy,
verdicts and credit are `autograd.grading`'s; the named misconceptions `autograd.
misconceptions`'. The command line is `teachgrad sheet ...` (autograd/sheets/cli.py). The
file format: docs/sheets.md.

Hand-outs and platforms (docs/handouts.md): `save_handout(problem, out, "md" | "tex" | "html" |
"pdf", blank=..., structure=..., paper=..., graph=...)` writes a printable key, blank or blank
graph; `handout_pdf` returns the PDF bytes (the `pdf` extra); `write_booklets` an exam form per
student of a roster; `write_autograder` a Gradescope autograder zip; `write_question` a
PrairieLearn question folder; `variant_code(seed)` the short code a booklet prints.
"""
from .answers import Answers, load_answers, loads_answers
from .batch import (ClassSummary, ErrorReport, assign_seeds, grade_files, read_roster,
                    update_gradebook, write_roster)
from .errors import SheetError
from .expr import evaluate, functions, parse
from .files import answers_path, find_sheet, library_names, save_key
from .grade import grade, suspect_seed
from .key import steps, write_key
from .report import Entry, GradeReport
from .sheet import Problem, Range, Sheet, load, loads
from .booklets import write_booklets
from .gradescope import write_autograder
from .pdf import handout_pdf
from .prairielearn import write_question
from .printing import save_handout
from .variantcode import variant_code

__all__ = ["SheetError", "Sheet", "Problem", "Range", "load", "loads", "find_sheet",
           "library_names", "answers_path", "Answers", "load_answers", "loads_answers", "grade",
           "GradeReport", "Entry", "steps", "write_key", "save_key", "evaluate", "parse",
           "functions", "grade_files", "ErrorReport", "ClassSummary", "update_gradebook",
           "read_roster", "assign_seeds", "write_roster", "suspect_seed", "save_handout",
           "handout_pdf", "write_booklets", "write_autograder", "write_question", "variant_code"]
