"""The precision policy (autograd.grading), the [grading] table, and the named misconceptions
(autograd.misconceptions): each code planted in a student's answer is named."""
import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import sheets
from autograd.grading import (NumberError, Policy, key_number, parse_number, required_place,
                              verdict)
from autograd.misconceptions import (CATALOGUE, MUTATIONS, diagnose, edge_alternatives,
                                     total_alternatives)
from autograd.sheets import SheetError, find_sheet, grade, loads, loads_answers
from sheet_samples import NEURON


@pytest.mark.parametrize("text, exact, digits, expected", [
    ("0.779", 0.77897, 4, "correct"),      # the examples
    ("0.7790", 0.77897, 4, "correct"),
    ("-1", -0.85, 4, "too_few_digits"),    # one significant digit: never correct
    ("2", 2.223, 4, "too_few_digits"),
    ("0", -0.85, 4, "slip"),               # zero is no special case
    ("0.7789", 0.77897, 4, "rounding"),    # cut instead of rounded: within one unit
    ("0.7788", 0.77897, 4, "slip"),
    ("\u22120.85", -0.85, 2, "correct"),   # the Unicode minus of a PDF
    ("0.14966", 0.1496658, 6, "too_few_digits"),  # cut to 5 digits where 6 are asked
    ("0", 0.0, 4, "correct"),
    ("1e-9", 0.0, 4, "slip"),
    ("1.38e-24", 1.3802e-24, 3, "correct"),
])
def test_verdict_is_judged_at_the_required_digits(text, exact, digits, expected):
    assert verdict(text, exact, digits) == expected


def test_rtol_and_atol_widen_the_rounding_band_only():
    assert verdict("0.7786", 0.77897, 4) == "slip"
    assert verdict("0.7786", 0.77897, 4, rtol=1e-3) == "rounding"
    assert verdict("0.001", 0.0, 4, atol=0.01) == "rounding"


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False).filter(lambda x: abs(x) > 1e-12),
       st.integers(min_value=1, max_value=12))
def test_the_key_number_is_always_correct_and_keeps_its_digits(x, digits):
    key = key_number(x, digits)
    assert verdict(key, x, digits) == "correct"
    assert parse_number(key).significant == digits or float(key) == 0.0


@given(st.floats(min_value=1e-6, max_value=1e6), st.integers(min_value=2, max_value=8))
def test_fewer_digits_are_never_full_credit(x, digits):
    short = f"{x:.{digits - 1}g}"
    place = required_place(x, digits)
    if abs(float(short) - x) > 10.0 ** place * (1 + 1e-9):  # not accidentally exact
        assert verdict(short, x, digits) == "too_few_digits"


def test_key_number_keeps_trailing_zeros():
    assert [key_number(x, 4) for x in (0.779, 1.0, -2.5, 1.38e-24, 0.0, 123456.0)] == \
        ["0.7790", "1.000", "-2.500", "1.380e-24", "0", "1.235e5"]


@pytest.mark.parametrize("text, message", [
    ("e^2", "`^` is not a power: write `e**2`"),
    ("1e400", "out of range"),
    ("1e-400", "out of range"),
    ("1" * 401, "number too long (401 characters"),
    ("nan", "not a printed number"),
    ("inf", "not a printed number"),
    ("", "not a printed number"),
    ("0.5 0.6", "not a printed number"),
])
def test_parse_number_refuses_with_a_reason(text, message):
    with pytest.raises(NumberError, match=message.replace("(", r"\(").replace("^", r"\^")
                       .replace("*", r"\*")):
        parse_number(text)


@given(st.text(max_size=80))
def test_parse_number_raises_only_number_error(text):
    try:
        printed = parse_number(text)
    except NumberError as exc:
        assert len(str(exc)) < 200
    else:
        assert math.isfinite(printed.value)


def test_parse_number_reads_the_unicode_minus_and_counts_digits():
    printed = parse_number(" \u22120.0070 ")
    assert (printed.value, printed.significant, printed.last_place, printed.text) == \
        (-0.007, 2, -4, "-0.0070")


# --- the lazy and one-digit files score 0 on seed002 ----------------------------------

def _all(sheet, fmt):
    problem = sheet.problem()
    return ("[values]\n" + "".join(f'{n} = "{fmt(problem.values[n])}"\n' for n in sheet.values)
            + "[grads]\n" + "".join(f'{n} = "{fmt(problem.grads[n])}"\n' for n in sheet.grads))


def test_lazy_zero_file_scores_zero_on_seed002():
    sheet = find_sheet("seed002")
    report = grade(sheet, loads_answers(_all(sheet, lambda x: "0"), "lazy.toml"))
    assert report.score == 0.0 and report.count("slip") == 22


def test_one_digit_file_scores_zero_on_seed002():
    sheet = find_sheet("seed002")
    report = grade(sheet, loads_answers(_all(sheet, lambda x: f"{x:.1g}"), "one.toml"))
    assert report.score == 0.0 and report.count("too_few_digits") == 22


def test_the_key_itself_scores_one_on_seed002():
    sheet = find_sheet("seed002")
    report = grade(sheet, loads_answers(_all(sheet, lambda x: key_number(x, 6)), "key.toml"))
    assert report.score == 1.0 and report.count("correct") == 22


# --- the [grading] table ----------------------------------------------------------------------

def test_points_and_credits_set_the_score():
    sheet = loads(NEURON + '[grading]\npoints = { default = 1, f = 4, "df/dw0" = 2 }\n'
                           'rounding = 0.5\ncarried = 0.25\n', "neuron.toml")
    assert sheet.policy.points_for("f", "value", "f") == 4.0
    assert sheet.policy.points_for("w0", "grad", "f") == 2.0
    answers = loads_answers('[values]\ndot = "1"\nf = "0.7310"\n[grads]\nw0 = "-0.1966"\n')
    report = grade(sheet, answers)
    # dot 1/1, f rounding 0.5 * 4, w0 correct 2/2, three missing (1 point each)
    assert report.points == 1 + 4 + 1 + 2 + 1 + 1
    assert report.earned == pytest.approx(1 + 2 + 2, abs=1e-12)
    assert report.score == pytest.approx(5 / 10, abs=1e-12)
    data = report.to_json()
    assert data["points"] == 10 and data["earned"] == 5
    f = next(e for e in data["entries"] if e["label"] == "f")
    assert (f["points"], f["earned"]) == (4, 2)
    gs = report.gradescope()
    assert gs["score"] == pytest.approx(5.0) and sum(t["max_score"] for t in gs["tests"]) == 10


def test_too_few_digits_can_be_given_credit():
    sheet = loads(NEURON + "[grading]\ntoo_few_digits = 0.5\n", "neuron.toml")
    assert grade(sheet, loads_answers('[values]\nf = "0.73"\n')).earned == 0.5


@pytest.mark.parametrize("table, message", [
    ("points = 10", "points must be a table"),
    ("points = { h = 2 }", "'h' is not an asked quantity"),
    ("points = { f = -1 }", "points for 'f' must be a number from 0"),
    ("slip = 2", "slip must be a number from 0 to 1"),
    ("bonus = 1", "unknown key"),
])
def test_grading_table_errors_name_the_line(table, message):
    with pytest.raises(SheetError, match=message):
        loads(NEURON + "[grading]\n" + table + "\n", "neuron.toml")


def test_policy_defaults():
    policy = Policy()
    assert [policy.credit(v) for v in ("correct", "rounding", "carried", "too_few_digits",
                                       "slip", "missing")] == [1, 1, 1, 0, 0, 0]


# --- named misconceptions ---------------------------------------------------------------------

CHAIN = """
[inputs]
x = 0.5
y = 0.2
[params]
w = 1.5
c = 0.3
[nodes]
z = "w*x + c"
h = "tanh(z)"
s = "sigmoid(h)"
a = "s*x"
L = "(a - y)**2 + 0.5*x"
[ask]
values = ["s", "a"]
grads = ["a", "s", "h", "z", "w", "x"]
"""


def _planted():
    sheet = loads(CHAIN, "chain.toml")
    p = sheet.problem()
    g, v = p.grads, p.values
    return sheet, {  # code -> (the quantity, the number that misconception gives)
        "sign_flip": ("a", -g["a"]),
        "dropped_factor": ("a", v["a"] - v["y"]),                 # the square's 2 left out
        "activation_for_derivative": ("h", g["s"] * v["s"]),      # sigma for sigma'
        "input_for_output": ("z", g["h"] * (1 - v["z"] ** 2)),    # 1 - z**2 for 1 - h**2
        "no_upstream": ("w", v["x"]),                             # dz/dw alone
        "missed_path": ("x", g["z"] * v["w"]),                    # x feeds z, a and L: one path
    }


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_a_planted_misconception_is_named(code):
    sheet, planted = _planted()
    name, number = planted[code]
    report = grade(sheet, loads_answers(f'[grads]\n{name} = "{key_number(number, 4)}"\n'))
    entry = next(e for e in report.entries if (e.label, e.quantity) == (name, "grad"))
    assert entry.verdict == "slip"
    assert entry.diagnosis is not None and entry.diagnosis.code == code
    assert entry.to_json()["diagnosis"] == {"code": code, "text": CATALOGUE[code].text}
    assert CATALOGUE[code].text in report.to_text()


def test_a_misconception_is_found_from_the_students_own_numbers():
    # s is wrong (0.6, so a = 0.3 and ds = 2 (0.3 - 0.2) 0.5 = 0.1 are carried) and h's gradient
    # is sigma written for sigma', from the student's OWN s and ds: 0.1 * 0.6, still named
    sheet = loads(CHAIN, "chain.toml")
    report = grade(sheet, loads_answers('[values]\ns = "0.6000"\na = "0.3000"\n'
                                        '[grads]\ns = "0.1000"\nh = "0.06000"\n'))
    verdicts = {(e.label, e.quantity): (e.verdict, e.diagnosis and e.diagnosis.code)
                for e in report.entries}
    assert verdicts[("s", "grad")] == ("carried", None)
    assert verdicts[("h", "grad")] == ("slip", "activation_for_derivative")


def test_an_arithmetic_slip_gets_no_diagnosis():
    sheet, _ = _planted()
    report = grade(sheet, loads_answers('[grads]\nw = "0.1234"\n'))
    assert all(e.diagnosis is None for e in report.entries)
    assert report.to_json()["entries"][0]["diagnosis"] is None


def test_edge_alternatives_and_totals():
    s = 1 / (1 + math.exp(-1.0))
    alts = edge_alternatives("sigmoid", (1.0,), s, None, 0, upstream=2.0)
    assert alts["sign_flip"] == pytest.approx(-2 * s * (1 - s), rel=1e-15)
    assert alts["no_upstream"] == pytest.approx(s * (1 - s), rel=1e-15)
    assert alts["activation_for_derivative"] == pytest.approx(2 * s, rel=1e-15)
    assert alts["input_for_output"] == pytest.approx(0.0, abs=1e-15)  # 1 * (1 - 1)
    square = edge_alternatives("pow", (3.0,), 9.0, 2.0, 0, upstream=1.0)
    assert square["dropped_factor"] == 3.0 and "no_upstream" not in square  # upstream 1: the same
    mean = edge_alternatives("div", (6.0, 3.0), 2.0, None, 0, upstream=1.0, constants=(False, True))
    assert mean["dropped_factor"] == 1.0
    assert "dropped_factor" not in edge_alternatives("div", (6.0, 3.0), 2.0, None, 0, 1.0)
    assert total_alternatives([0.5, 0.25]) == {"missed_path": (0.25, 0.5)}
    assert total_alternatives([0.5]) == {}
    assert diagnose("0.5000", total_alternatives([0.5, 0.25]), 4) == "missed_path"
    assert diagnose("0.7", {"sign_flip": -0.7}, 4) is None
    assert diagnose("not a number", {"sign_flip": 1.0}, 4) is None
    with pytest.raises(KeyError, match="no op row 'frob'"):
        edge_alternatives("frob", (1.0,), 1.0, None, 0, 1.0)


def test_every_mutation_names_a_catalogue_code_and_an_op_row():
    from autograd.ops import OPS
    assert set(MUTATIONS) <= set(CATALOGUE)
    assert {"sign_flip", "no_upstream", "missed_path", "dropped_factor",
            "activation_for_derivative", "input_for_output"} <= set(CATALOGUE)
    assert all(op in OPS for table in MUTATIONS.values() for op in table)


def test_sheets_formula_caret_and_unicode_minus():
    with pytest.raises(SheetError, match="`\\^` is not a power: write `e\\*\\*2`"):
        sheets.parse("e^2")
    assert sheets.evaluate("\u22122*x", {"x": 1.5}) == -3.0


@pytest.mark.parametrize("code, op, index", [
    (code, op, m.index) for code, table in MUTATIONS.items() for op, ms in table.items() for m in ms])
def test_each_mutation_formula_says_what_its_rule_computes(code, op, index):
    """The catalogue's data is a formula in the op table's edge notation and a rule; the formula,
    read by the sheets' parser, gives the rule's number at probe points (so the data can move
    onto parsed derivative formulas unchanged)."""
    from autograd.ops import OPS
    mutation = next(m for m in MUTATIONS[code][op] if m.index == index)
    text = mutation.formula
    for a, b in (("{x}", "x"), ("{y}", "y"), ("{out}", "out"), ("{p}", "p"), ("·", "*"),
                 ("²", "**2"), ("σ", "sigmoid"), ("^", "**")):
        text = text.replace(a, b)
    text = re.sub(r"√(\w+)", r"sqrt(\1)", text)  # √out: the root of the next name
    row = OPS[op]
    for x, y, p in ((0.7, 1.3, 2.0), (1.9, 0.4, 3.0), (0.3, 2.5, -1.0)):
        out = row.forward(x, p) if row.arity == 1 else row.forward(x, y)
        point = {"x": x, "y": y, "out": out, "p": p}
        assert sheets.evaluate(text, point) == pytest.approx(mutation.rule(x, y, out, p), rel=1e-12)


def test_docstring_examples():
    import doctest

    import autograd.grading
    import autograd.misconceptions
    import autograd.sheets.batch
    for module in (autograd.grading, autograd.misconceptions, autograd.sheets.batch):
        results = doctest.testmod(module)
        assert results.attempted >= 2 and results.failed == 0, module.__name__
