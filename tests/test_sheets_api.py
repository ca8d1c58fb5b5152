"""The public API of autograd.sheets swept with wrong types, empty, huge, nan, inf and numpy
inputs: every call raises a named error (SheetError, TypeError, ValueError; OSError only for a
path the system cannot write), with a bounded message, and leaves no file open."""
import math
import os

import numpy as np
import pytest

from autograd import sheets
from autograd.sheets import SheetError

SHEET = sheets.find_sheet("seed004_222")
PROBLEM = SHEET.problem()
ANSWERS = sheets.load_answers(sheets.answers_path(SHEET))
BAD = [None, 3, 3.5, math.nan, math.inf, "", "x" * 100_000, [], {}, np.float64(1.0), b"x",
       object(), True]
CALLS = {
    "load": lambda a: sheets.load(a),
    "loads(text)": lambda a: sheets.loads(a),
    "loads(source)": lambda a: sheets.loads("", a),
    "find_sheet": lambda a: sheets.find_sheet(a),
    "answers_path": lambda a: sheets.answers_path(a),
    "load_answers": lambda a: sheets.load_answers(a),
    "loads_answers(text)": lambda a: sheets.loads_answers(a),
    "loads_answers(student)": lambda a: sheets.loads_answers("", "s", a),
    "grade(sheet)": lambda a: sheets.grade(a, ANSWERS),
    "grade(answers)": lambda a: sheets.grade(SHEET, a),
    "grade(seed)": lambda a: sheets.grade(SHEET, ANSWERS, a),
    "grade(other_seeds)": lambda a: sheets.grade(SHEET, ANSWERS, None, a),
    "steps": lambda a: sheets.steps(a),
    "write_key(problem)": lambda a: sheets.write_key(a),
    "write_key(fmt)": lambda a: sheets.write_key(PROBLEM, a),
    "save_key(out)": lambda a: sheets.save_key(PROBLEM, a),
    "save_key(fmt)": lambda a: sheets.save_key(PROBLEM, "k.md", a),
    "evaluate(text)": lambda a: sheets.evaluate(a, {}),
    "evaluate(numbers)": lambda a: sheets.evaluate("x", a),
    "evaluate(number)": lambda a: sheets.evaluate("x*2", {"x": a}),
    "parse": lambda a: sheets.parse(a),
    "grade_files(sheet)": lambda a: sheets.grade_files(a, []),
    "grade_files(paths)": lambda a: sheets.grade_files(SHEET, a),
    "grade_files(roster)": lambda a: sheets.grade_files(SHEET, [], None, a),
    "ClassSummary.of": lambda a: sheets.ClassSummary.of(a),
    "update_gradebook(path)": lambda a: sheets.update_gradebook(a, []),
    "update_gradebook(results)": lambda a: sheets.update_gradebook("gb.csv", a),
    "read_roster": lambda a: sheets.read_roster(a),
    "assign_seeds(sheet)": lambda a: sheets.assign_seeds(a, []),
    "assign_seeds(roster)": lambda a: sheets.assign_seeds(SHEET, a),
    "write_roster(roster)": lambda a: sheets.write_roster("r.csv", a),
    "write_roster(path)": lambda a: sheets.write_roster(a, [{"name": "a", "id": "1"}]),
    "suspect_seed": lambda a: sheets.suspect_seed(SHEET, ANSWERS, a, []),
    "Sheet.problem": lambda a: SHEET.problem(a),
    "Problem": lambda a: sheets.Problem(SHEET, a),
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_bad_inputs_raise_named_bounded_errors(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    opened = len(os.listdir("/proc/self/fd"))
    for value in BAD:
        try:
            CALLS[name](value)
        except (SheetError, TypeError, ValueError) as exc:
            message = str(exc)
            assert message and len(message) < 600, (name, repr(value)[:20], message[:100])
            if type(exc) in (TypeError, ValueError):  # not the engine's or Python's own words
                assert not any(bare in message for bare in (
                    "object is not", "has no attribute", "not iterable", "expected str, bytes",
                    "unsupported operand", "object is not subscriptable")), (name, message)
        except OSError as exc:  # a path the file system refuses (too long, a folder)
            assert name in ("save_key(out)", "update_gradebook(path)", "write_roster(path)"), exc
    assert len(os.listdir("/proc/self/fd")) <= opened
