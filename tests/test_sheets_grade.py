"""Sheets and grading: the file format and its errors, variants, every verdict (a planted early
slip whose consequences come out `carried`), and the shipped seed sheets against the reference
(docs/seed_reference.md)."""
import csv
import math

import pytest

from autograd.sheets import (SheetError, answers_path, find_sheet, grade, library_names,
                             load_answers, loads, loads_answers, update_gradebook)
from sheet_samples import NEURON

S = 1 / (1 + math.exp(-1.0))  # f: dot = -2 + 6 - 3 = 1
DS = S * (1 - S)


def _verdicts(report):
    return {(e.label, e.quantity): e.verdict for e in report.entries}


def _grade(answers: str, sheet: str = NEURON):
    return grade(loads(sheet, "neuron.toml"), loads_answers(answers, "answers.toml"))


def test_problem_values_and_grads_come_from_the_engine():
    problem = loads(NEURON, "neuron.toml").problem()
    assert problem.values["dot"] == 1.0
    assert problem.values["f"] == pytest.approx(S, rel=1e-15)
    assert problem.grads["w0"] == pytest.approx(-DS, rel=1e-15)
    assert problem.grads["w1"] == pytest.approx(-2 * DS, rel=1e-15)
    assert problem.grads["w2"] == pytest.approx(DS, rel=1e-15)


def test_all_correct():
    report = _grade('[values]\ndot = "1"\nf = "0.7311"\n'
                    '[grads]\ndot = "0.1966"\nw0 = "-0.1966"\nw1 = "-0.3932"\nw2 = "0.1966"\n')
    assert set(_verdicts(report).values()) == {"correct"}
    assert report.score == 1.0 and report.first_slip is None


def test_planted_early_slip_is_carried_forward():
    # dot is wrong (1.5, a slip); f = sigmoid(1.5) and the gradients follow from it: carried
    f = 1 / (1 + math.exp(-1.5))
    d = round(f * (1 - f), 4)  # sigma' from the student's OWN f, as the student writes it
    report = _grade(f'[values]\ndot = "1.5"\nf = "{f:.4f}"\n'
                    f'[grads]\ndot = "{d:.4f}"\nw0 = "{-d:.4f}"\nw1 = "{-2 * d:.4f}"\nw2 = "{d:.4f}"\n')
    assert _verdicts(report) == {("dot", "value"): "slip", ("f", "value"): "carried",
                                 ("dot", "grad"): "carried", ("w0", "grad"): "carried",
                                 ("w1", "grad"): "carried", ("w2", "grad"): "carried"}
    assert (report.first_slip.label, report.first_slip.quantity) == ("dot", "value")
    assert report.score == pytest.approx(5 / 6, abs=1e-12)
    carried = next(e for e in report.entries if e.label == "w1")
    assert carried.consistent == pytest.approx(-2 * float(f"{d:.4f}"), rel=1e-12)
    assert "error carried forward" in carried.explanation()


def test_sigma_prime_uses_the_students_own_output():
    # f is a slip (0.75); dot's gradient 0.75 * 0.25 follows from it (carried), while the
    # true sigma'(1) = 0.1966 is still correct
    report = _grade('[values]\nf = "0.75"\n[grads]\ndot = "0.1875"\n')
    assert _verdicts(report)[("f", "value")] == "slip"
    assert _verdicts(report)[("dot", "grad")] == "carried"
    assert _verdicts(_grade('[values]\nf = "0.75"\n[grads]\ndot = "0.1966"\n'))[("dot", "grad")] == "correct"


def test_sign_slip_rounding_and_missing():
    report = _grade('[values]\ndot = "1"\nf = "0.7310"\n'  # cut instead of rounded
                    '[grads]\ndot = "0.1966"\nw0 = "0.1966"\nw1 = "-0.3932"\n')  # w0: sign slip
    v = _verdicts(report)
    assert v[("f", "value")] == "rounding"
    assert v[("w0", "grad")] == "slip"
    assert v[("w2", "grad")] == "missing"
    assert (report.first_slip.label, report.first_slip.quantity) == ("w0", "grad")
    assert report.score == pytest.approx(4 / 6, abs=1e-12)
    slip = next(e for e in report.entries if e.label == "w0")
    assert slip.explanation().startswith("df/dw0 = 0.1966: slip") and "-0.1966" in slip.explanation()


def test_rounding_carried_from_rounded_inputs():
    # dot's gradient one unit off in the 4th digit (rounding); w1's worked from it, -2 * 0.1967:
    # not the exact -0.3932 to 4 digits, but exactly what the student's rounded number gives
    report = _grade('[grads]\ndot = "0.1967"\nw1 = "-0.3934"\n')
    assert _verdicts(report)[("dot", "grad")] == "rounding"
    assert _verdicts(report)[("w1", "grad")] == "rounding"


def test_json_gradescope_and_csv(tmp_path):
    report = _grade('[values]\ndot = "1.5"\n')
    data = report.to_json()
    assert {"sheet", "seed", "student", "score", "points", "entries", "first_slip"} <= set(data)
    assert set(data["entries"][0]) == {"label", "quantity", "given", "expected", "consistent",
                                       "verdict", "points", "earned", "diagnosis"}
    assert data["first_slip"] == {"label": "dot", "quantity": "value"}
    assert data["score"] == 0.0 and data["points"] == 6.0 and data["sheet"] == "neuron"
    gs = report.gradescope()
    assert gs["score"] == 0.0 and len(gs["tests"]) == 6
    assert set(gs["tests"][0]) == {"name", "score", "max_score", "output"}
    book = tmp_path / "book.csv"
    update_gradebook(book, [report])
    update_gradebook(book, [_grade('[values]\ndot = "1"\n')])  # the same student, regraded
    rows = list(csv.DictReader(book.open()))
    assert len(rows) == 1 and rows[0]["student"] == "answers" and rows[0]["correct"] == "1"
    html = report._repr_html_()
    assert "<table" in html and "slip" in html


VARIANT = NEURON.replace("w0 = 2.0", "w0 = { min = -2.0, max = 2.0, step = 0.5 }")


def test_variants_are_reproducible_by_seed():
    sheet = loads(VARIANT, "variant.toml")
    assert sheet.variants == ["w0"]
    drawn = [sheet.problem(seed).numbers["w0"] for seed in range(20)]
    assert drawn == [sheet.problem(seed).numbers["w0"] for seed in range(20)]  # same seed, same
    assert len(set(drawn)) > 3 and all(-2.0 <= w <= 2.0 and (w * 2).is_integer() for w in drawn)
    with pytest.raises(SheetError, match="has variants"):
        sheet.problem()
    seed = next(s for s in range(20) if drawn[s] != 2.0)
    w0 = drawn[seed]
    dot = -w0 + 6 - 3
    report = grade(sheet, loads_answers(f'seed = {seed}\n[values]\ndot = "{dot:g}"\n'))
    assert _verdicts(report)[("dot", "value")] == "correct" and report.seed == seed
    with pytest.raises(SheetError, match="answers are for seed"):
        grade(sheet, loads_answers(f"seed = {seed}\n"), seed=seed + 1)


@pytest.mark.parametrize("edit, message", [
    (("dot = \"w0*x0 + w1*x1 + w2\"", "dot = \"w0*x0 + w1*x1 + w3\""), r"neuron.toml, line 11, node 'dot': uses 'w3'"),
    (("f = \"sigmoid(dot)\"", "f = \"sigmoid(f)\""), r"line 12, node 'f': uses 'f'"),
    (("f = \"sigmoid(dot)\"", "f = \"sigmod(dot)\""), r"line 12, node 'f': unknown function 'sigmod'"),
    (("f = \"sigmoid(dot)\"", "f = \"log(w1)\""), r"line 12, node 'f': log\(-3.0\)"),
    (("f = \"sigmoid(dot)\"", "f = \"dot\""), r"node 'f': 'dot' is a bare name"),
    (("x1 = -2.0", "x1 = \"a\""), r"line 5, node 'x1': must be a number"),
    (("x1 = -2.0", "x-1 = -2.0"), r"node 'x-1': a name must be"),
    (("x1 = -2.0", "w0 = -2.0"), r"defined twice"),
    (("grads = [", "grads = [\"nope\", "), r"\[ask\] grads: unknown name 'nope'"),
    (("[ask]", "[ask]\nroot = \"zz\""), r"root 'zz' is not a node"),
    (("title", "titel"), r"unknown key"),
    (("[nodes]", "[nodes\n"), r"not valid TOML.*line 10"),
])
def test_sheet_errors_name_file_line_and_node(edit, message):
    with pytest.raises(SheetError, match=message):
        loads(NEURON.replace(*edit), "neuron.toml").problem()


@pytest.mark.parametrize("text, message", [
    ('[values]\ndot = "one"\n', r"answers.toml, line 2, node 'dot': not a printed number"),
    ('[values]\nzz = "1"\n', r"line 2, node 'zz': the sheet has no quantity 'zz'"),
    ('seed = "x"\n', "seed must be an integer"),
    ('[values]\ndot = [1]\n', "must be a printed number"),
])
def test_answers_errors(text, message):
    with pytest.raises(SheetError, match=message):
        _grade(text)


# --- the shipped seed sheets, graded, against docs/seed_reference.md ------------------------------
EXPECTED = {  # (label, quantity) -> verdict, for every entry that is not `correct`
    # the printed solutions write fewer digits than the sheets ask for: too_few_digits
    "seed000_q3": {("h1", "value"): "rounding", ("s3", "value"): "rounding",
                   ("w2", "grad"): "rounding",  # worked from h1, h2 cut to 3 digits
                   **{k: "too_few_digits" for k in (("h2", "value"), ("yhat", "value"),
                                                     ("w4", "grad"), ("w3", "grad"), ("w1", "grad"))}},
    "seed001_gates": {},
    "seed001_neuron": {(n, "value"): "slip" for n in ("norm", "n_hat1", "n_hat2", "d")},
    "seed002": {("a1_1", "value"): "rounding", ("a1_2", "value"): "slip",
                ("a1_2", "grad"): "too_few_digits", ("a1_1", "grad"): "too_few_digits",
                ("W2_2", "grad"): "too_few_digits", ("z1_1", "grad"): "rounding",
                ("b1_1", "grad"): "rounding", ("W1_12", "grad"): "rounding",
                ("z1_2", "grad"): "slip",
                **{(p, "grad"): "slip" for p in ("b1_2", "W1_11", "W1_21", "W1_22")}},
    "seed002_update": {("W1_11_new", "value"): "too_few_digits",
                       ("z1_1_new", "value"): "too_few_digits",
                       **{(p, "value"): "rounding" for p in ("W1_21_new", "W1_22_new", "W2_1_new")},
                       ("b1_2_new", "value"): "carried",
                       **{(p, "value"): "slip" for p in ("a1_1_new", "z1_2_new", "a1_2_new",
                                                         "z2_new", "yhat_new", "L_new")}},
    "seed003_q3": {("sq", "value"): "rounding", ("z1_2", "grad"): "rounding",
                   ("B1_2", "grad"): "rounding", ("w31_1", "grad"): "slip",
                   **{k: "too_few_digits" for k in (
                       ("L", "value"), *((n, "grad") for n in (
                           "y2_1", "y1_1", "z2_1", "z1_1", "w21_2", "w11_2", "B2_1", "w32_1",
                           "w22_1", "w12_1", "B1_1", "w21_1", "w11_1")))}},
    "seed004_222": {},
}
FIRST_SLIP = {"seed001_neuron": ("norm", "value"), "seed002": ("a1_2", "value"),
              "seed002_update": ("a1_1_new", "value"), "seed003_q3": ("w31_1", "grad")}


def test_every_shipped_sheet_has_its_printed_answers():
    assert library_names() == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_seed_sheets_report_the_reference_verdicts(name):
    sheet = find_sheet(name)
    report = grade(sheet, load_answers(answers_path(sheet)))
    found = {k: v for k, v in _verdicts(report).items() if v != "correct"}
    assert found == EXPECTED[name]
    first = report.first_slip
    assert (None if first is None else (first.label, first.quantity)) == FIRST_SLIP.get(name)
