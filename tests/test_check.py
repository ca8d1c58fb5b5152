"""The hand-calculation checker: printed digits, tolerances, first divergence, errors, HTML."""
import doctest
import math


import pytest

import autograd.checker
from autograd import Value
from autograd.checker import check, printed_tolerance


def _net():
    """y = sigmoid(w*x), L = (y - 1)^2 with w = 0.5, x = 2: y = 0.7310586, dL/dw = -0.2115..."""
    w, x = Value(0.5, label="w"), Value(2.0, label="x", requires_grad=False)
    s = (w * x).named("s")
    y = s.sigmoid().named("y")
    loss = ((y - 1.0) ** 2).named("L")
    loss.backward()
    return loss


@pytest.mark.parametrize("text, tol", [("0.731", 5e-4), ("1", 0.5), ("-4.27", 5e-3),
                                       ("1.38e-24", 5e-27), ("2.8e-5", 5e-7), ("0.00110", 5e-6)])
def test_printed_tolerance_is_half_a_unit_in_the_last_place(text, tol):
    assert printed_tolerance(text) == pytest.approx(tol, rel=1e-6)


def test_printed_tolerance_refuses_non_numbers():
    with pytest.raises(ValueError, match="not a printed number"):
        printed_tolerance("about 3")


def test_values_rounded_to_the_printed_digits_match():
    loss = _net()
    report = check(loss, {"s": "1", "y": "0.731", "L": "0.0723", "w": (None, "-0.2115")})
    assert report.ok and not report.mismatches and report.first_mismatch is None
    y = next(e for e in report.entries if e.label == "y")
    assert y.actual == pytest.approx(1 / (1 + math.exp(-1)), abs=1e-15)
    assert y.abs_error == pytest.approx(0.7310585786 - 0.731, abs=1e-10)
    assert y.rel_error == pytest.approx(y.abs_error / 0.7310585786, rel=1e-9)
    assert report.summary() == "All 4 printed numbers are correct."


def test_one_unit_off_is_rounding_two_are_a_slip_and_rtol_can_forgive_it():
    loss = _net()  # y = 0.7310586: the precision policy at the printed number's own digits
    assert [check(loss, {"y": y}).entries[0].verdict for y in ("0.731", "0.732", "0.733")] == \
        ["correct", "rounding", "slip"]
    assert check(loss, {"y": "0.732"}).ok and not check(loss, {"y": "0.733"}).ok
    assert check(loss, {"y": "0.733"}, rtol=3e-3).entries[0].verdict == "rounding"
    assert check(loss, {"y": "\u22120.731"}).entries[0].verdict == "slip"  # a Unicode minus
    assert check(loss, {"y": 0.7310585}, digits=False, atol=1e-7).ok
    assert not check(loss, {"y": 0.731}, digits=False).ok  # exact comparison


def test_floats_are_read_through_their_repr():
    loss = _net()
    assert check(loss, {"y": 0.731}).entries[0].tolerance == pytest.approx(5e-4, rel=1e-6)


def test_first_divergence_follows_forward_then_backward_order():
    loss = _net()
    report = check(loss, {"w": (None, "-0.30"), "L": ("0.0723", "1"), "y": ("0.75", "-0.54"),
                          "s": "1"})
    steps = [(e.label, e.quantity) for e in report.entries]
    # values in forward order, then grads from the root down
    assert steps == [("s", "value"), ("y", "value"), ("L", "value"), ("L", "grad"),
                     ("y", "grad"), ("w", "grad")]
    assert [(e.label, e.quantity) for e in report.mismatches] == [("y", "value"), ("w", "grad")]
    assert report.first_mismatch.label == "y" and report.first_mismatch.step == 2
    assert "First slip: step 2, the value of 'y'" in report.summary()
    assert "4 of 6 printed numbers are correct" in report.summary()


def test_notes_turn_a_mismatch_into_rounding_but_never_hide_a_match():
    loss = _net()
    notes = {("y", "value"): ("rounding", "cut, not rounded"), ("w", "grad"): ("slip", "sign")}
    report = check(loss, {"y": "0.730", "w": (None, "0.2126")}, notes=notes)
    assert [e.verdict for e in report.entries] == ["rounding", "slip"]
    assert [e.label for e in report.slips] == ["w"] and report.first_slip.label == "w"
    matched = check(loss, {"y": "0.731"}, notes={("y", "value"): ("slip", "claimed")})
    assert matched.entries[0].verdict == "correct"


def test_bad_notes_are_refused():
    loss = _net()
    with pytest.raises(KeyError, match="not a checked"):
        check(loss, {"y": "0.731"}, notes={("y", "grad"): ("slip", "x")})
    with pytest.raises(ValueError, match="must be"):
        check(loss, {"y": "0.731"}, notes={("y", "value"): ("typo", "x")})


def test_unknown_label_lists_the_known_ones():
    with pytest.raises(KeyError, match=r"no node labelled 'h1'.*known labels: w, x, s, y, L"):
        check(_net(), {"h1": "0.5"})


def test_duplicate_labels_are_an_error():
    a, b = Value(1.0, label="a"), Value(2.0, label="a")
    total = (a + b).named("t")
    total.backward()
    with pytest.raises(ValueError, match="2 nodes are labelled 'a'"):
        check(total, {"a": "1"})
    assert check(total, {"t": "3"}).ok  # other labels stay checkable


def test_grads_need_backward_and_a_single_root():
    y = Value(1.0, label="x").exp().named("y")
    with pytest.raises(ValueError, match="call root.backward"):
        check(y, {"x": (None, "2.718")})
    with pytest.raises(ValueError, match="ONE root"):
        check(autograd.trace.Trace([y, y * 2]), {"x": (None, "2.718")})


def test_bad_inputs():
    loss = _net()
    with pytest.raises(TypeError, match="needs a Value"):
        check([1, 2], {})
    with pytest.raises(TypeError, match="mapping"):
        check(loss, [("y", 1)])
    with pytest.raises(TypeError, match="expected value of 'y'"):
        check(loss, {"y": [0.7]})
    with pytest.raises(ValueError, match="rtol and atol"):
        check(loss, {"y": "0.7"}, rtol=-1)
    with pytest.raises(ValueError, match="expected value of 'y': number out of range"):
        check(loss, {"y": "1e999"})
    with pytest.raises(ValueError, match="`\\^` is not a power"):
        check(loss, {"y": "e^2"})


def test_text_and_html_output():
    loss = _net()
    report = check(loss, {"y": "0.75", "s": "1"}, notes={("y", "value"): ("slip", "a <typo>")})
    text = report.to_text()
    assert text.splitlines()[0].split()[:3] == ["step", "label", "quantity"]
    assert "slip" in text and "0.7310585786" in text and str(report) == text
    html = report._repr_html_()
    assert html.count("<tr") == 3 and "background:#f8c8c8" in html  # the first slip stands out
    assert "a &lt;typo&gt;" in html and "First slip" in html


def test_docstring_example():
    results = doctest.testmod(autograd.checker)
    assert results.attempted >= 4 and results.failed == 0


def test_a_gradient_slip_is_diagnosed_from_the_engines_numbers():
    x = Value(0.5, label="x")
    h = x.tanh().named("h")
    y = (h * h * 0.5).named("y")   # h is used twice: two paths
    y.backward()
    dh = h.data
    report = check(y, {"h": (None, f"{-dh:.4f}"), "x": (None, f"{(1 - x.data ** 2) * dh:.4f}")})
    codes = {e.label: e.diagnosis.code for e in report.entries if e.diagnosis}
    assert codes == {"h": "sign_flip", "x": "input_for_output"}
    assert "likely: sign flip" in report.to_text()
    assert check(y, {"h": (None, f"{dh:.4f}")}).entries[0].diagnosis is None  # correct: none
    half = check(y, {"h": (None, f"{dh / 2:.4f}")}).entries[0]
    assert half.verdict == "slip" and half.diagnosis.code == "missed_path"
