"""Grading a class: whole batches with error rows, the gradebook rewritten by student, safe text
in every output, variants and rosters, copies flagged, the class summary, the CLI's output
encodings, file sizes and linear work on big sheets."""
import csv
import json
import os
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import sheets
from autograd.cli import main
from autograd.grading import key_number
from autograd.sheets import (ClassSummary, ErrorReport, SheetError, find_sheet, grade,
                             grade_files, loads, loads_answers, write_key)
from autograd.sheets.sheet import MAX_ANSWERS_BYTES, Range
from sheet_samples import NEURON

GOOD = '[values]\ndot = "1.000"\nf = "0.7311"\n[grads]\ndot = "0.1966"\nw0 = "-0.1966"\n' \
       'w1 = "-0.3932"\nw2 = "0.1966"\n'


def _write(folder, name, text):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.fixture
def batch(tmp_path):
    """A sheet and six answers files: two good, four that cannot be graded."""
    sheet = _write(tmp_path, "neuron.toml", NEURON)
    files = [_write(tmp_path, "ada.toml", GOOD),
             _write(tmp_path, "unknown.toml", '[values]\ndot = "1"\nzz = "2"\n'),
             _write(tmp_path, "huge.toml", '[values]\ndot = "1e400"\n'),
             _write(tmp_path, "long.toml", '[values]\ndot = "' + "9" * 401 + '"\n'),
             str(tmp_path / "absent.toml"),
             _write(tmp_path, "bob.toml", '[values]\ndot = "1.5"\n')]
    return tmp_path, sheet, files


def test_a_batch_with_bad_files_writes_a_row_for_every_file(batch, capsys):
    folder, sheet, files = batch
    book = folder / "book.csv"
    assert main(["sheet", "grade", sheet, *files, "--json", "--csv", str(book)]) == 1
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert [r["student"] for r in data] == ["ada", "unknown", "huge", "long", "absent", "bob"]
    assert all({"sheet", "seed", "student", "score", "points", "entries"} <= set(r) for r in data)
    assert data[0]["score"] == 1.0 and data[5]["score"] == 0.0
    errors = {r["student"]: r["error"] for r in data if r["error"]}
    assert set(errors) == {"unknown", "huge", "long", "absent"}
    assert errors["unknown"]["line"] == 3 and "no quantity 'zz'" in errors["unknown"]["reason"]
    assert errors["huge"]["line"] == 2 and "out of range" in errors["huge"]["reason"]
    assert "too long" in errors["long"]["reason"] and errors["long"]["file"].endswith("long.toml")
    assert "cannot read the answers" in errors["absent"]["reason"]
    assert "4 of 6 files could not be graded" in captured.err
    rows = list(csv.DictReader(book.open(encoding="utf-8")))
    assert len(rows) == 6 and rows[1]["error"].startswith(files[1] + ", line 3: ")
    assert rows[0]["score"] == "1.0000" and rows[0]["error"] == ""


def test_a_variant_that_overflows_is_one_students_error_row(tmp_path):
    sheet = loads('[params]\nw = { min = 700.0, max = 720.0, step = 10.0 }\n[nodes]\n'
                  'f = "exp(w)"\n[ask]\nvalues = ["f"]\n', "exp.toml")
    seeds = {sheet.numbers(s)["w"]: s for s in range(50)}
    files = [_write(tmp_path, f"s{w:g}.toml", f'seed = {s}\n[values]\nf = "1"\n')
             for w, s in sorted(seeds.items())]
    results = grade_files(sheet, files)
    assert [type(r).__name__ for r in results] == ["GradeReport", "ErrorReport", "ErrorReport"]
    assert "exp" in results[1].reason and results[1].seed == seeds[710.0]
    assert (results[1].file, results[1].line) == ("exp.toml", 4)  # the sheet's line, not the answers'
    assert results[1].student == "s710"


def test_the_gradebook_is_rewritten_by_student(tmp_path):
    sheet, book = loads(NEURON, "neuron.toml"), tmp_path / "book.csv"
    book.write_text("student,sheet,score,comment\nzoe,neuron,0.5,kept\nada,neuron,0.1,old\n")
    sheets.update_gradebook(book, [grade(sheet, loads_answers('[values]\ndot = "7"\n', student="ada"))])
    sheets.update_gradebook(book, [grade(sheet, loads_answers(GOOD, student="ada"))])
    rows = list(csv.DictReader(book.open()))
    assert [(r["student"], r["score"], r["comment"]) for r in rows] == \
        [("zoe", "0.5", "kept"), ("ada", "1.0000", "")]


INJECTION = "=HYPERLINK(\"http://evil\",\"x\")"


def test_injection_strings_come_out_neutral_in_csv_and_terminal(tmp_path, capsys):
    sheet = _write(tmp_path, "neuron.toml", NEURON)
    evil = _write(tmp_path, "evil.toml", f"student = '{INJECTION}'\n" + GOOD)
    escape = _write(tmp_path, "esc.toml", 'student = "\\u001b[2J\\u001b]0;pwned\\u0007mallory"\n' + GOOD)
    for start in ("+1", "-1", "@SUM(A1)", "\tx"):
        sheets.update_gradebook(tmp_path / "book.csv", [grade(
            loads(NEURON, "n.toml"), loads_answers(GOOD, student=start))])
    book = tmp_path / "book.csv"
    assert main(["sheet", "grade", sheet, evil, escape, "--csv", str(book)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "mallory: score 1.000" in out
    cells = [r["student"] for r in csv.DictReader(book.open(encoding="utf-8"))]
    assert cells[:4] == ["'+1", "'-1", "'@SUM(A1)", "' x"]
    assert cells[4] == "'" + INJECTION and "\x1b" not in cells[5]


EVIL_SHEET = NEURON.replace(
    'title = "A neuron"',
    'title = "<script>alert(1)</script> \\\\end{verbatim} # [x](javascript:y) $\\\\input{/etc/passwd}$"\n'
    'text = "<img src=x onerror=alert(2)> *bold* \\\\end{verbatim}"').replace(
    'f = "sigmoid(dot)"', 'f = "sigmoid(dot) # \\\\end{verbatim}\\\\input{/etc/passwd} <b>"')


def test_injection_strings_come_out_neutral_in_markdown_html_and_latex():
    problem = loads(EVIL_SHEET, "evil.toml").problem()
    assert problem.sheet.formulas["f"] == "sigmoid(dot)"  # the parsed expression, no comment
    md, html, tex = (write_key(problem, fmt) for fmt in ("md", "html", "tex"))
    for text in (md, html, tex):
        assert "<script>" not in text and "<img" not in text and "<b>" not in text
    assert r"\input{" not in tex and r"\textbackslash{}input\{/etc/passwd\}" in tex
    assert "&lt;script&gt;" in md and r"\*bold\*" in md and r"\[x\]" in md
    assert r"\begin{verbatim}" not in tex  # text escaped, formulas typeset as maths
    assert r"\textbackslash{}end\{verbatim\}" in tex and r"\$" in tex and r"\#" in tex
    report = grade(loads(EVIL_SHEET, "evil.toml"), loads_answers(GOOD))
    assert "<script>" not in report._repr_html_()


def test_json_is_always_a_list_and_valid(tmp_path, capsys):
    sheet = _write(tmp_path, "neuron.toml", NEURON)
    one = _write(tmp_path, "one.toml", '[values]\ndot = "\u22121.5"\n')
    assert main(["sheet", "grade", sheet, one, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert isinstance(data, list) and data[0]["entries"][0]["given"] == "-1.5"
    assert data[0]["entries"][1]["expected"] == 0.731058578630005  # 15 digits: no float noise


def test_solve_on_a_cp1252_console_replaces_what_it_cannot_show():
    env = dict(os.environ, PYTHONIOENCODING="cp1252")
    done = subprocess.run([sys.executable, "-m", "autograd", "sheet", "solve", "seed004_222"],
                          capture_output=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    text = done.stdout.decode("cp1252")
    assert "?f/?wx = f" in text and "0.1966" in text


@pytest.mark.parametrize("make, message", [
    (lambda p: os.mkfifo(p), "not a regular file"),
    (lambda p: open(p, "wb").truncate(MAX_ANSWERS_BYTES + 1), "more than the 200000"),
])
def test_answers_files_are_checked_before_reading(tmp_path, make, message):
    path = tmp_path / "a.toml"
    make(str(path))
    with pytest.raises(SheetError, match=message):
        sheets.load_answers(path)
    result = grade_files(loads(NEURON, "n.toml"), [path])[0]
    assert isinstance(result, ErrorReport) and message in result.reason


def test_sheet_files_are_checked_before_reading(tmp_path, capsys):
    big = tmp_path / "big.toml"
    with open(big, "wb") as handle:
        handle.truncate(5_000_000)
    assert main(["sheet", "solve", str(big)]) == 2
    assert "5000000 bytes, more than" in capsys.readouterr().err
    assert main(["sheet", "solve", "/dev/zero"]) == 2
    assert "not a regular file" in capsys.readouterr().err


def test_error_messages_are_bounded():
    name = "q" * 100_000
    with pytest.raises(SheetError) as info:
        grade(loads(NEURON, "n.toml"), loads_answers(f'[values]\n{name} = "1"\n'))
    assert len(str(info.value)) < 1000
    many = "[inputs]\n" + "".join(f"x{i} = 1.0\n" for i in range(3000)) + \
        '[nodes]\ny = "x0*2"\n[ask]\nvalues = ["y"]\n'
    with pytest.raises(SheetError) as info:
        grade(loads(many, "m.toml"), loads_answers('[values]\nnope = "1"\n'))
    assert len(str(info.value)) < 1000 and "(3001 in all)" in str(info.value)


# --- variants ----------------------------------------------------------------------------------

@given(st.floats(min_value=-100, max_value=100), st.floats(min_value=0, max_value=50),
       st.sampled_from([0.1, 0.25, 0.3, 1.0, 0.07]), st.integers(min_value=0, max_value=10 ** 6))
def test_ranges_never_draw_outside_min_max(low, width, step, seed):
    import random
    rng = Range(low, low + width, step)
    value = rng.draw(random.Random(seed))
    assert low <= value <= low + width
    assert abs((value - low) / step - round((value - low) / step)) < 1e-6 or value == low + width


def test_exclude_and_the_errors_of_a_range():
    sheet = loads(NEURON.replace("w0 = 2.0", "w0 = { min = -1.0, max = 1.0, step = 1.0, exclude = [0] }"),
                  "v.toml")
    assert {sheet.numbers(s)["w0"] for s in range(40)} == {-1.0, 1.0}
    with pytest.raises(SheetError, match="excludes every value"):
        loads(NEURON.replace("w0 = 2.0", "w0 = { min = 0.0, max = 0.0, step = 1.0, exclude = [0] }"),
              "v.toml")
    with pytest.raises(SheetError, match="a range needs min, max and step"):
        loads(NEURON.replace("w0 = 2.0", "w0 = { min = 0.0, max = 1.0, step = 1.0, skip = [0] }"),
              "v.toml")


VARIANT = NEURON.replace("w0 = 2.0", "w0 = { min = -2.0, max = 2.0, step = 0.5, exclude = [0.0] }")


def _answers_for(problem, student):
    return (f'student = "{student}"\n[values]\ndot = "{key_number(problem.values["dot"], 4)}"\n'
            f'f = "{key_number(problem.values["f"], 4)}"\n[grads]\n'
            f'w0 = "{key_number(problem.grads["w0"], 4)}"\nw1 = "{key_number(problem.grads["w1"], 4)}"\n')


def test_variants_from_a_roster_then_grading_finds_each_seed_and_flags_a_copy(tmp_path, capsys):
    sheet_file = _write(tmp_path, "v.toml", VARIANT)
    roster = _write(tmp_path, "roster.csv", "name,id,section\nAda Lovelace,s1,A\nBob,s2,B\n"
                                            "Cy,s3,A\n=cmd,s4,B\n")
    out = tmp_path / "out"
    assert main(["sheet", "variants", sheet_file, "--roster", roster, "--out", str(out)]) == 0
    assert "4 distinct variants" in capsys.readouterr().out
    files = sorted(p.name for p in out.iterdir())
    assert "Ada_Lovelace_s1.key.md" in files and "Ada_Lovelace_s1.blank.md" in files
    assert "cmd_s4.key.md" in files and "roster.csv" in files
    rows = list(csv.DictReader((out / "roster.csv").open()))
    assert [r["section"] for r in rows] == ["A", "B", "A", "B"] and rows[3]["name"] == "'=cmd"
    seeds = {r["id"]: int(r["seed"]) for r in rows}
    sheet = find_sheet(sheet_file)
    assert len({sheet.numbers(s)["w0"] for s in seeds.values()}) == 4
    key = (out / "Bob_s2.key.md").read_text()
    assert f"(variant: seed {seeds['s2']})" in key
    # Ada and Bob work their own variant; Cy hands in Ada's numbers
    ada = _write(tmp_path, "ada.toml", _answers_for(sheet.problem(seeds["s1"]), "Ada Lovelace"))
    bob = _write(tmp_path, "bob.toml", _answers_for(sheet.problem(seeds["s2"]), "s2"))
    cy = _write(tmp_path, "cy.toml", _answers_for(sheet.problem(seeds["s1"]), "Cy"))
    assert main(["sheet", "grade", sheet_file, ada, bob, cy, "--roster", str(out / "roster.csv"),
                 "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(r["seed"], r["score"] > 0.5, r["suspect"]) for r in data] == [
        (seeds["s1"], True, None), (seeds["s2"], True, None),
        (seeds["s3"], False, {"matches_seed": seeds["s1"]})]
    assert main(["sheet", "grade", sheet_file, ada, cy, "--roster", str(out / "roster.csv")]) == 0
    assert f"SUSPECT: matches the key of seed {seeds['s1']}" in capsys.readouterr().out


def test_roster_errors(tmp_path):
    for text, message in (("who,id\nx,1\n", "naming at least name and id"),
                          ("name,id\nx,1\ny,1\n", "id '1' appears twice"),
                          ("name,id,seed\nx,1,abc\n", "seed must be an integer"),
                          ("name,id\n", "lists no students")):
        with pytest.raises(SheetError, match=message):
            sheets.read_roster(_write(tmp_path, "r.csv", text))


# --- the class summary: a made-up class of five --------------------------------------------------

def class_of_five(folder):
    """The class of the report: a lazy '0' file, a copier, a diagnosed slip, a good one, and a
    file that cannot be graded."""
    sheet_file = _write(folder, "v.toml", VARIANT)
    sheet = find_sheet(sheet_file)
    roster = _write(folder, "roster.csv", "name,id,seed\nada,1,3\nbob,2,5\ncy,3,7\ndee,4,11\neve,5,1\n")
    p = {s: sheet.problem(s) for s in (3, 5, 7, 11)}
    files = [_write(folder, "ada.toml", _answers_for(p[3], "ada")),
             _write(folder, "bob.toml", 'student = "bob"\n[values]\ndot = "0"\nf = "0"\n'
                                        '[grads]\nw0 = "0"\nw1 = "0"\n'),
             _write(folder, "cy.toml", _answers_for(p[3], "cy")),  # ada's numbers
             _write(folder, "dee.toml", _answers_for(p[11], "dee").replace(
                 f'w1 = "{key_number(p[11].grads["w1"], 4)}"',
                 f'w1 = "{key_number(p[11].values["x1"], 4)}"')),  # dwx/dw1 alone: no upstream
             _write(folder, "eve.toml", 'student = "eve"\n[values]\ndot = "1,5"\n')]
    return sheet_file, roster, files


def test_the_class_summary_counts_verdicts_and_diagnoses(tmp_path, capsys):
    sheet_file, roster, files = class_of_five(tmp_path)
    results = grade_files(find_sheet(sheet_file), files, roster=sheets.read_roster(roster))
    summary = ClassSummary.of(results)
    assert (summary.graded, summary.errors) == (4, 1)
    assert summary.verdicts["df/dw1"]["slip"] == 3  # bob's 0, cy's copy, dee's missing upstream
    assert summary.diagnoses["df/dw1"] == {"no_upstream": 1}
    assert summary.suspects == ["cy (matches seed 3)"]
    assert main(["sheet", "grade", sheet_file, *files, "--roster", roster, "--summary",
                 "--html", str(tmp_path / "report.html")]) == 1
    out = capsys.readouterr().out
    assert "Class summary: v" in out and "no_upstream x1" in out and "4 graded, 1 not graded" in out
    html = (tmp_path / "report.html").read_text()
    assert "<h2>Class summary: v</h2>" in html and "no_upstream x1" in html


# --- linear work on big sheets -------------------------------------------------------------------

def _chain_sheet(n):
    lines = ["[inputs]", "x = 0.5", "[params]", "w = 0.9", "[nodes]", 'n0 = "w*x"']
    lines += [f'n{i} = "tanh(n{i - 1})*w + x"' if i % 2 else f'n{i} = "n{i - 1}*0.5 + n{i // 2}*0.1"'
              for i in range(1, n)]
    return "\n".join(lines + ["[ask]", f'values = ["n{n - 1}"]', 'grads = ["w", "x"]'])


def test_solving_and_grading_do_linear_work(monkeypatch):
    """The number of expression walks grows like the sheet (not its square): 2,000 nodes take
    twice the walks of 1,000. (Timing lives in the benchmarks, never in tests.)"""
    from autograd.sheets import expr, grade as grade_module, sheet as sheet_module, symbolic
    calls = [0]
    original = expr.names_in

    def counting(tree):
        calls[0] += 1
        return original(tree)

    for module in (expr, sheet_module, grade_module, symbolic):
        monkeypatch.setattr(module, "names_in", counting, raising=False)
    work = []
    for n in (1000, 2000):
        calls[0] = 0
        sheet = loads(_chain_sheet(n), "big.toml")
        write_key(sheet.problem(), "md")
        grade(sheet, loads_answers('[values]\nn5 = "0.1"\n[grads]\nw = "1"\n'))
        work.append(calls[0])
    assert work[1] < 2.3 * work[0]


def test_assigned_seeds_avoid_variants_that_ask_a_trivial_zero():
    # w0 = 0 makes dot's gradient w.r.t. x0 exactly 0: those seeds are skipped
    sheet = loads(NEURON.replace("w0 = 2.0", "w0 = { min = -1.0, max = 1.0, step = 1.0 }")
                  .replace('grads = ["dot", "w0", "w1", "w2"]', 'grads = ["x0", "w1"]'), "v.toml")
    assert any(sheet.problem(s).grads["x0"] == 0.0 for s in range(10))
    roster = sheets.assign_seeds(sheet, [{"name": n, "id": n} for n in "ab"])
    assert sorted(sheet.numbers(int(r["seed"]))["w0"] for r in roster) == [-1.0, 1.0]
    more = sheets.assign_seeds(sheet, [{"name": n, "id": n} for n in "abcd"])
    assert all(sheet.problem(int(r["seed"])).grads["x0"] != 0.0 for r in more)
