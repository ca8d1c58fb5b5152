"""`gradcheck`: passes on correct derivatives, names the input and both values on a wrong one.

A wrong derivative is made by corrupting a node's stored local derivatives (`local`), which
is exactly what a wrong rule in the op table would produce.
"""
import math

import pytest

from autograd import GradcheckError, Value, gradcheck


def _smooth(x, y):
    return (x * y).tanh() + x.exp() / (1 + y * y) - y.sigmoid().log()


def _wrong_square(x, y):
    """x*x + y, but the second edge of x*x carries 0 instead of x: d/dx comes out x, not 2x."""
    square = x * x
    square.local = (square.local[0], 0.0)
    return square + y


def test_passes_on_a_correct_function_and_reports_every_input():
    report = gradcheck(_smooth, [0.3, -1.2])
    assert report.passed and report.failures == []
    assert [row.name for row in report.rows] == ["inputs[0]", "inputs[1]"]
    for row in report.rows:
        assert row.abs_error <= 1e-8 + 1e-5 * abs(row.numeric)


def test_vector_output_gets_one_row_per_output_and_input():
    report = gradcheck(lambda a, b: [a * b, a - b.exp()], [1.5, 0.25], names=["a", "b"])
    assert report.passed
    rows = {(row.output, row.name): row.analytic for row in report.rows}
    assert rows == {(0, "a"): 0.25, (0, "b"): 1.5, (1, "a"): 1.0, (1, "b"): -math.exp(0.25)}


def test_labels_of_value_inputs_name_the_rows():
    report = gradcheck(lambda p, q: p * q, [Value(2.0, label="p"), Value(5.0, label="q")])
    assert [(row.name, row.analytic) for row in report.rows] == [("p", 5.0), ("q", 2.0)]


def test_wrong_derivative_raises_naming_the_input_and_both_values():
    with pytest.raises(GradcheckError) as caught:
        gradcheck(_wrong_square, [1.5, 2.0], names=["x", "y"])
    message = str(caught.value)
    failures = caught.value.report.failures
    assert [row.name for row in failures] == ["x"]
    (row,) = failures
    assert row.analytic == 1.5  # the corrupted d/dx = x
    assert math.isclose(row.numeric, 3.0, rel_tol=1e-6)  # the true 2x
    assert "x" in message and "mismatch" in message
    assert f"{row.analytic:.9g}" in message and f"{row.numeric:.9g}" in message


def test_gradcheck_error_is_an_assertion_error():
    with pytest.raises(AssertionError):
        gradcheck(_wrong_square, [1.0, 0.0])


def test_without_raising_returns_the_failures():
    report = gradcheck(_wrong_square, [1.5, 2.0], names=["x", "y"], raise_exception=False)
    assert not report.passed
    assert [(row.name, row.analytic) for row in report.failures] == [("x", 1.5)]
    assert math.isclose(report.failures[0].numeric, 3.0, rel_tol=1e-6)
    assert "<-- mismatch" in str(report)


def test_tolerances_decide_what_counts_as_a_mismatch():
    # A derivative off by 1e-4 relative passes a loose check and fails the default one.
    def slightly_wrong(x):
        y = x * 3.0
        y.local = (3.0003, y.local[1])
        return y

    assert gradcheck(slightly_wrong, [1.0], rtol=1e-3).passed
    assert not gradcheck(slightly_wrong, [1.0], raise_exception=False).passed


def test_names_must_match_the_inputs_one_to_one():
    for names in (["x"], ["x", "y", "z"]):
        with pytest.raises(ValueError, match=f"gradcheck: names has {len(names)} entries for 2 inputs"):
            gradcheck(lambda x, y: x * y, [1.0, 2.0], names=names)
