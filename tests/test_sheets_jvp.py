"""Sheets that ask for a directional derivative (`[ask] jvp = { x = 1.0 }`): the key writes the
forward sweep (each named node's tangent, its local derivatives and numbers) and every result
is the engine's tangent, equal to reverse mode's gradient . direction to 1e-12 relative; a
student's `[jvp]` answer is graded under the precision policy, with error carried forward, in
every grading output."""
import csv
import json
import math
from pathlib import Path
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, strategies as st

from autograd import jvp
from autograd.cli import main
from autograd.grading import key_number
from autograd.sheets import find_sheet, grade, loads, loads_answers, write_key
from autograd.sheets.errors import SheetError
from autograd.sheets.plserver import generate_data, grade_data
from autograd.sheets.prairielearn import _question_html
from autograd.sheets.sweep import checked_direction, sweep_lines, tangents
from autograd.sheets.key import number

Q10 = """
title = "Q10: a Jacobian entry of F(G(a, b))"
[params]
a = 2.0
b = 3.0
[nodes]
c = "a - 5*b"
d = "a*b"
e = "a - b"
F1 = "3*c*d"
[ask]
jvp = { a = 1.0 }
"""


def test_a_jacobian_entry_is_the_tangent_of_the_root_and_the_key_writes_the_sweep():
    problem = loads(Q10, "q10.toml").problem()
    t = tangents(problem)
    assert t["F1"] == 6 * 2 * 3 - 15 * 3 ** 2 == -99.0  # dF1/da = 6ab - 15b^2 (homework 001)
    assert (t["c"], t["d"], t["e"]) == (1.0, 3.0, 1.0)
    key = write_key(problem, "md")
    assert "the derivative of F1 in the direction ṫ(a) = 1 (forward mode)" in key
    assert "    ṫ(d) = ∂d/∂a·ṫ(a) = 3·1 = 3" in key
    assert "    ṫ(F1) = ∂F1/∂c·ṫ(c) + ∂F1/∂d·ṫ(d) = 6·3·1 + (3*(-13))·3 = -99" in key


def test_seed002_sweep_ends_in_the_gradient_of_w1_21():
    sheet = find_sheet("seed002")
    text = Path(sheet.source).read_text().replace("[ask]\n", "[ask]\njvp = { W1_21 = 1.0 }\n")
    problem = loads(text, "seed002_jvp.toml").problem()
    lines = sweep_lines(problem, lambda x: number(x, 6), lambda x: number(x, 6))
    assert lines[0] == "ṫ(W1_21) = 1 (given)" and lines[1:3] == ["ṫ(z1_1) = 0", "ṫ(a1_1) = 0"]
    assert lines[-1].startswith("ṫ(L) = ∂L/∂yhat·ṫ(yhat) = ") and lines[-1].endswith("= 0.000749804")
    grad = sheet.problem().grads["W1_21"]
    assert abs(tangents(problem)["L"] - grad) <= 1e-12 * abs(grad)
    blank = write_key(problem, "md", blank=True)
    assert "    ṫ(L) = ________ (asked)" in blank and "0.000749804" not in blank


def test_a_direction_over_two_leaves_is_gradient_dot_direction():
    text = Q10.replace("jvp = { a = 1.0 }", "jvp = { a = 0.5, b = -2.0 }\ngrads = ['a', 'b']")
    problem = loads(text, "q10.toml").problem()
    expected = 0.5 * problem.grads["a"] - 2.0 * problem.grads["b"]
    assert math.isclose(tangents(problem)["F1"], expected, rel_tol=1e-12)
    _, dot = jvp(lambda a, b: 3 * (a - 5 * b) * (a * b), [2.0, 3.0], [0.5, -2.0])
    assert math.isclose(dot, expected, rel_tol=1e-12)


def test_sweep_in_every_format():
    problem = loads(Q10, "q10.toml").problem()
    page = write_key(problem, "html")
    ET.fromstring(page[page.index("<body>"):page.index("</html>")])  # balanced tags
    assert "<h2>Forward sweep (tangents for ṫ(a) = 1)</h2>" in page
    tex = write_key(problem, "tex")
    assert r"\dot{t}\left(F_{1}\right) &= \frac{\partial F_{1}}{\partial c} \cdot \dot{t}\left(c\right)" in tex
    assert all(ord(c) < 128 for c in tex) and r"\begin{verbatim}" not in tex  # typeset maths


@pytest.mark.parametrize("jvp_text, phrase", [
    ("jvp = { z = 1.0 }", "node 'z': [ask] jvp: a tangent is given to an input or a parameter"),
    ("jvp = { c = 1.0 }", "node 'c': [ask] jvp: a tangent is given to an input or a parameter"),
    ("jvp = { a = 'one' }", "node 'a': [ask] jvp: the tangent must be a finite number"),
    ("jvp = { a = nan }", "node 'a': [ask] jvp: the tangent must be a finite number"),
    ("jvp = {}", "[ask] jvp must be a table of input or parameter names"),
    ("jvp = 1.0", "[ask] jvp must be a table of input or parameter names"),
])
def test_bad_directions_name_the_file_line_and_leaf(jvp_text, phrase):
    with pytest.raises(SheetError, match="q10.toml, line 12") as info:
        loads(Q10.replace("jvp = { a = 1.0 }", jvp_text), "q10.toml")
    assert phrase in str(info.value)


@given(st.one_of(st.none(), st.floats(allow_nan=True), st.text(max_size=5),
                 st.dictionaries(st.sampled_from(["a", "b", "c", "x"]),
                                 st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                                           st.booleans(), st.integers(), st.text(max_size=3)),
                                 max_size=4)))
def test_direction_parser_accepts_exactly_finite_tangents_of_leaves(given_value):
    try:
        direction = checked_direction(given_value, ["a", "b"], "s.toml", 3)
    except SheetError as exc:
        assert str(exc).startswith("s.toml, line 3")
        return
    assert given_value is None or set(direction) <= {"a", "b"} and direction
    assert all(type(t) is float and math.isfinite(t) for t in direction.values())


# --- grading a directional derivative: answers' [jvp] table ---------------------------------------

def _graded(answers_text, sheet_text=Q10, student="a"):
    report = grade(loads(sheet_text, "q10.toml"), loads_answers(answers_text, f"{student}.toml"))
    (entry,) = [e for e in report.entries if e.quantity == "jvp"]
    return report, entry


@pytest.mark.parametrize("answers_text, verdict, consistent", [
    ('[jvp]\nF1 = "-99.00"', "correct", -99.0),           # exact -99, at the sheet's 4 digits
    ('[jvp]\nF1 = -99.0', "correct", -99.0),              # a TOML number: its shortest repr
    ('[jvp]\nF1 = "\u221299.00"', "correct", -99.0),      # a Unicode minus
    ('[jvp]\nF1 = "-99.01"', "rounding", -99.0),          # one unit in the 4th digit
    ('[jvp]\nF1 = "-98.00"', "slip", -99.0),
    ('[jvp]\nF1 = "0"', "slip", -99.0),
    ('[jvp]\nF1 = "-1e2"', "too_few_digits", -99.0),
    # the student's own wrong tangent of d (3 exact) carried through the sweep's step:
    # ṫ(F1) = 3d·ṫ(c) + 3c·ṫ(d) = 18·1 + (-39)·2 = -60
    ('[jvp]\nd = "2.000"\nF1 = "-60.00"', "carried", -60.0),
    # the student's own wrong value of d (6 exact) in the local derivative: 3·7·1 - 39·3 = -96
    ('[values]\nd = "7.000"\n[jvp]\nF1 = "-96.00"', "carried", -96.0),
    ("", "missing", None),
])
def test_a_tangent_is_graded_under_the_precision_policy_with_error_carried_forward(
        answers_text, verdict, consistent):
    report, entry = _graded(answers_text)
    assert (entry.label, entry.name, entry.verdict) == ("F1", "ṫ(F1)", verdict)
    assert entry.expected == -99.0 and entry.consistent == consistent  # exact: integer arithmetic
    assert entry.earned == (1.0 if verdict in ("correct", "rounding", "carried") else 0.0)
    assert entry.formula == "dF1/dc * ṫ(c) + dF1/dd * ṫ(d)"
    if verdict == "slip":
        assert report.first_slip is entry
        assert entry.explanation().startswith(f"ṫ(F1) = {entry.given}: slip: from your own "
                                              "numbers dF1/dc * ṫ(c) + dF1/dd * ṫ(d) gives -99")


def test_the_tangent_comes_last_and_takes_its_points_from_grading():
    text = Q10.replace("jvp = { a = 1.0 }", 'jvp = { a = 1.0 }\nvalues = ["d"]\ngrads = ["a"]')
    text += "[grading]\npoints = { jvp = 3, default = 1 }\n"
    report, entry = _graded('[values]\nd = "6.000"\n[grads]\na = "-99.00"\n[jvp]\nF1 = "-90.00"',
                            text)
    assert [(e.name, e.verdict) for e in report.entries] == [
        ("value of d", "correct"), ("dF1/da", "correct"), ("ṫ(F1)", "slip")]
    assert (entry.points, report.points, report.earned) == (3.0, 5.0, 2.0)
    with pytest.raises(SheetError, match=r"q10\.toml, line 1\d: \[grading\] points: 'jvp' is not "
                                         r"an asked quantity"):
        loads(text.replace("jvp = { a = 1.0 }\n", ""), "q10.toml")


@pytest.mark.parametrize("answers_text, phrase", [
    ('[jvp]\nF1 = "minus 99"', r"a\.toml, line 2, node 'F1': "),
    ('[jvp]\nF1 = "1e400"', r"a\.toml, line 2, node 'F1': "),
    ('[jvp]\nF1 = "nan"', r"a\.toml, line 2, node 'F1': "),
    ('[jvp]\nF1 = true', r"a\.toml, line 2, node 'F1': an answer must be a printed number"),
    ('jvp = "-99"', r"a\.toml, line 1: \[jvp\] must be a table of name = \"number\" lines"),
    ('[jvp]\nz = "1.000"', r"a\.toml, line 2, node 'z': the sheet has no quantity 'z'"),
])
def test_a_bad_tangent_answer_names_the_file_and_line(answers_text, phrase):
    with pytest.raises(SheetError, match=phrase):
        grade(loads(Q10, "q10.toml"), loads_answers(answers_text, "a.toml"))


def test_a_tangent_answered_on_a_sheet_that_asks_none_is_refused():
    text = Q10.replace("jvp = { a = 1.0 }", 'values = ["d"]')
    with pytest.raises(SheetError, match=r"a\.toml, line 4, node 'F1': \[jvp\] answers a "
                                         r"directional derivative, but this sheet asks for none"):
        grade(loads(text, "q10.toml"), loads_answers('[values]\nd = "6"\n[jvp]\nF1 = "-99"', "a.toml"))


def test_the_tangent_reaches_every_grading_output(tmp_path, capsys):
    sheet_file = tmp_path / "q10.toml"
    sheet_file.write_text(Q10, encoding="utf-8")
    good, bad = tmp_path / "ada.toml", tmp_path / "bob.toml"
    good.write_text('student = "ada"\n[jvp]\nF1 = "-99.00"\n', encoding="utf-8")
    bad.write_text('student = "<b>bob</b>\\u001b[31m"\n[jvp]\nF1 = "-98.00"\n', encoding="utf-8")
    book, page = tmp_path / "book.csv", tmp_path / "report.html"
    assert main(["sheet", "grade", str(sheet_file), str(good), str(bad), "--csv", str(book),
                 "--summary", "--html", str(page)]) == 0
    text = capsys.readouterr().out
    assert "ṫ(F1)     -98.00  -99    -99                slip     0/1" in text
    assert "ṫ(F1) = -98.00: slip: from your own numbers" in text and "\x1b" not in text
    rows = list(csv.DictReader(book.open(encoding="utf-8")))
    assert [(r["student"], r["correct"], r["slip"], r["first_slip"]) for r in rows] == [
        ("ada", "1", "0", ""), ("<b>bob</b>\\x1b[31m", "0", "1", "ṫ(F1)")]
    html = page.read_text(encoding="utf-8")
    # the row links to no backward step (no backward step computes a tangent); the graph marks
    # the root with the student's tangent
    assert "<td>ṫ(F1)</td><td>-98.00</td>" in html and "<b>bob" not in html
    assert "ṫ(F1): you &#45;98.00 · exact &#45;99.00 (slip)" in html  # SVG text
    assert "&lt;b&gt;bob&lt;/b&gt;\\x1b[31m" in html
    assert main(["sheet", "grade", str(sheet_file), str(good), str(bad), "--json",
                 "--summary"]) == 0
    data = json.loads(capsys.readouterr().out)
    entries = [r["entries"] for r in data["reports"]]
    assert entries[1] == [{"label": "F1", "quantity": "jvp", "given": "-98.00", "expected": -99.0,
                           "consistent": -99.0, "verdict": "slip", "points": 1.0, "earned": 0.0,
                           "diagnosis": None}]
    (quantity,) = data["summary"]["quantities"]
    assert quantity["quantity"] == "ṫ(F1)" and quantity["verdicts"] == {"correct": 1, "slip": 1}
    report = grade(loads(Q10, "q10.toml"), loads_answers(bad.read_text(), "bob.toml"))
    (test,) = report.gradescope()["tests"]
    assert (test["name"], test["score"], test["max_score"]) == ("ṫ(F1)", 0.0, 1.0)


def test_prairielearn_asks_and_grades_the_tangent(tmp_path):
    sheet_file = tmp_path / "q10.toml"
    sheet_file.write_text(Q10, encoding="utf-8")
    data = {}
    generate_data(str(sheet_file), data)
    assert data["correct_answers"] == {"jvp_F1": -99.0}
    assert 'answers-name="jvp_F1"' in _question_html(loads(Q10, "q10.toml"), "")
    for typed, score in (("-99.00", 1.0), ("-98.00", 0.0)):
        data = {"raw_submitted_answers": {"jvp_F1": typed}}
        grade_data(str(sheet_file), data)
        assert data["partial_scores"]["jvp_F1"]["score"] == score and data["score"] == score


def _key_tangents(problem):
    """The results the key prints on its forward sweep, by node: what a student copying the key
    writes in [jvp]."""
    digits = problem.sheet.digits
    lines = sweep_lines(problem, lambda x: number(x, digits), lambda x: key_number(x, digits))
    return {line[2:line.index(")")]: line.rsplit(" = ", 1)[1] for line in lines
            if not line.endswith("(given)")}


@given(st.floats(-4.0, 4.0), st.floats(-4.0, 4.0), st.floats(-3.0, 3.0), st.floats(-3.0, 3.0),
       st.integers(2, 8))
def test_the_keys_own_tangents_always_grade_correct(a, b, ta, tb, digits):
    text = (Q10.replace("a = 2.0", f"a = {a!r}").replace("b = 3.0", f"b = {b!r}")
            .replace("jvp = { a = 1.0 }", f"jvp = {{ a = {ta!r}, b = {tb!r} }}")
            .replace('title = "', f'digits = {digits}\ntitle = "'))
    problem = loads(text, "q10.toml").problem()
    printed = _key_tangents(problem)
    assert set(printed) == {"c", "d", "e", "F1"}
    answers = "[jvp]\n" + "".join(f'{name} = "{t}"\n' for name, t in printed.items())
    report = grade(problem.sheet, loads_answers(answers, "key.toml"))
    (entry,) = report.entries
    assert entry.verdict == "correct" and report.score == 1.0, (printed, entry)
    root_only = grade(problem.sheet, loads_answers(f'[jvp]\nF1 = "{printed["F1"]}"', "key.toml"))
    assert root_only.entries[0].verdict == "correct"
