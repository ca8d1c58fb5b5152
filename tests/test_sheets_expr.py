"""The sheet expression language: values, the whitelist, the limits, and a hypothesis fuzz
(any string gives a float or a SheetError, never another exception, never more than 1 s)."""
import math
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autograd.ops import OPS
from autograd.sheets import SheetError, evaluate, functions, parse
from autograd.sheets.expr import MAX_CHARS, render

NUMBERS = {"x": 1.5, "y": -2.0, "z": 0.25}


def _balanced(depth: int) -> str:
    """A balanced sum of 2**depth x's: shallow, but many parts."""
    return "x" if depth == 0 else f"({_balanced(depth - 1)}+{_balanced(depth - 1)})"


@pytest.mark.parametrize("text, expected", [
    ("x + y * z", 1.5 - 0.5),
    ("-x ** 2", -2.25),
    ("(x - y) / z", 14.0),
    ("2 ** -1", 0.5),
    ("x ** y", 1.5 ** -2.0),
    ("sigmoid(0)", 0.5),
    ("max(x, y) + min(x, y)", -0.5),
    ("exp(log(x))", 1.5),
    ("tanh(z) + relu(y) + abs(y) + sqrt(z)", math.tanh(0.25) + 0 + 2 + 0.5),
    ("sin(x) ** 2 + cos(x) ** 2", 1.0),
    ("+x", 1.5),
    ("1e-3 * 1_000", 1.0),
])
def test_values(text, expected):
    assert evaluate(text, NUMBERS) == pytest.approx(expected, rel=1e-12, abs=1e-15)


def test_functions_come_from_the_op_table():
    # every row with a Value method is callable in a sheet, and nothing else is
    assert set(functions()) == {row.method for row in OPS.values() if row.method}
    assert {"exp", "log", "sigmoid", "tanh", "relu", "max", "min", "abs", "sqrt", "sin", "cos"} <= set(functions())


@pytest.mark.parametrize("text, message", [
    ("9**9**9", "overflows"),
    ("10**400", "overflows"),
    ("exp(1000)", "overflows"),
    ("log(y)", "log is defined only for inputs > 0"),
    ("x / (z - 0.25)", "division by zero"),
    ("__import__('os')", "unknown function '__import__'"),
    ("x.real", "Attribute is not allowed"),
    ("x if y else z", "IfExp is not allowed"),
    ("[x]", "List is not allowed"),
    ("x < y", "Compare is not allowed"),
    ("x // y", "FloorDiv is not allowed"),
    ("'text'", "only numbers and names"),
    ("1j", "only numbers and names"),
    ("True", "only numbers and names"),
    ("exp(x, y)", "exp() takes 1 argument, got 2"),
    ("max(x)", "max() takes 2 arguments, got 1"),
    ("sigmoid(x=1)", "takes 1 argument"),
    ("w + 1", "unknown name 'w'"),
    ("", "empty expression"),
    ("x +", "not a valid expression"),
    ("(" * 300 + "x" + ")" * 300, "not a valid expression"),
    ("-" * 200 + "x", "nested too deeply"),
    (_balanced(7), "too large"),
    ("1" * (MAX_CHARS + 1), "too long"),
])
def test_errors_are_sheet_errors_with_a_reason(text, message):
    with pytest.raises(SheetError, match=message.replace("(", r"\(").replace(")", r"\)")):
        evaluate(text, NUMBERS)


def test_render_round_trips_and_parenthesises_negative_numbers():
    for text in ("w0*x0 + w1*x1 + w2", "0.5*(yhat - y)**2", "x - (y - z)", "a/(b*c)", "max(a, -b)"):
        assert render(parse(text)) == text
    assert render(parse("w*x"), names={"w": "2", "x": "-1"}) == "2*(-1)"
    assert render(parse("x**2"), names={"x": "-1.5"}) == "(-1.5)**2"


# --- the fuzz ----------------------------------------------------------------------------------
_atoms = st.one_of(st.sampled_from(["x", "y", "z", "w", "0", "1", "-1", "2.5", "1e308", "1e-320",
                                    "9", "10**400", "0.0"]),
                   st.floats(allow_nan=False, allow_infinity=False).map(repr))
_calls = sorted(functions()) + ["eval", "open", "__import__", "print"]


def _extend(children):
    return st.one_of(
        st.tuples(children, st.sampled_from([" + ", " - ", "*", "/", "**", " // ", " < ", " and "]),
                  children).map("".join),
        children.map(lambda c: f"-({c})"),
        children.map(lambda c: f"({c})"),
        st.tuples(st.sampled_from(_calls), st.lists(children, min_size=0, max_size=3)).map(
            lambda t: f"{t[0]}({', '.join(t[1])})"))


_expressions = st.recursive(_atoms, _extend, max_leaves=40)
_junk = st.text(alphabet=st.sampled_from(list("xyz019.e+-*/()[]{}'\" ,:;_=<>!@#%^&|~lambdasigmoid\n\t")),
                max_size=300)


def _evaluate_bounded(text):
    start = time.perf_counter()
    try:
        result = evaluate(text, NUMBERS)
    except SheetError as exc:
        assert str(exc)  # a reason, never an empty message
        result = None
    assert time.perf_counter() - start < 1.0, f"{text[:80]!r} took more than 1 s"
    if result is not None:
        assert isinstance(result, float) and math.isfinite(result)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_expressions)
def test_fuzz_grammar_expressions_give_a_value_or_the_sheet_error(text):
    _evaluate_bounded(text)


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(max_size=400), _junk))
def test_fuzz_any_string_gives_a_value_or_the_sheet_error(text):
    _evaluate_bounded(text)


@pytest.mark.parametrize("text", ["9**9**9**9", "2**2**2**2**2**2", "(1e308*10)", "1" * 999,
                                  "-" * 999, "((((((((((((((((((((x))))))))))))))))))))" * 20,
                                  "\x00", "x\ny", "9" * 400 + "**9"])
def test_pathological_strings_are_quick(text):
    _evaluate_bounded(text)
