"""Sheets that ask for a directional derivative (`[ask] jvp = { x = 1.0 }`): the key writes the
forward sweep (each named node's tangent, its local derivatives and numbers) and every result
is the engine's tangent, equal to reverse mode's gradient . direction to 1e-12 relative."""
import math
from pathlib import Path
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, strategies as st

from autograd import jvp
from autograd.sheets import find_sheet, loads, write_key
from autograd.sheets.errors import SheetError
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
