"""Solution keys: every number is the engine's, rounded to the sheet's digits; the gradients agree
with sympy (an independent method); the local derivatives are written out from the op table; the
blank sheet hides the asked numbers; the formats are well formed."""
import re
import xml.etree.ElementTree as ET

import pytest
import sympy

from autograd.grading import key_number
from autograd.sheets import find_sheet, library_names, loads, steps, write_key
from autograd.sheets.expr import Name, Num
from autograd.sheets.key import number

SYMPY_FUNCTIONS = {"exp": sympy.exp, "log": sympy.log, "sqrt": sympy.sqrt, "tanh": sympy.tanh,
                   "sigmoid": lambda x: 1 / (1 + sympy.exp(-x)), "sin": sympy.sin, "cos": sympy.cos,
                   "abs": sympy.Abs, "softplus": lambda x: sympy.log(1 + sympy.exp(x))}
SMOOTH = [n for n in library_names() if n != "seed001_gates"]  # the gates sheet has max/min ties


def _sympy(tree, env):
    """The sheet's tree as a sympy expression over `env` (name -> sympy expression)."""
    if isinstance(tree, Num):
        return sympy.Float(tree.value, 30)
    if isinstance(tree, Name):
        return env[tree.id]
    args = [_sympy(a, env) for a in tree.args]
    binary = {"add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
              "div": lambda a, b: a / b, "pow_value": lambda a, b: a ** b}
    if tree.op in binary:
        return binary[tree.op](*args)
    if tree.op == "neg":
        return -args[0]
    if tree.op == "pow":
        return args[0] ** sympy.Float(tree.param, 30)
    return SYMPY_FUNCTIONS[tree.op](args[0])


@pytest.mark.parametrize("name", SMOOTH)
def test_key_numbers_agree_with_sympy(name):
    sheet = find_sheet(name)
    problem = sheet.problem()
    symbols = {n: sympy.Symbol(n) for n in sheet.leaves}
    env = dict(symbols)
    for node, tree in sheet.nodes.items():  # every node in terms of the leaves
        env[node] = _sympy(tree, env)
    point = {symbols[n]: sympy.Float(v, 30) for n, v in problem.numbers.items()}
    for step in steps(problem):
        if step.kind == "forward":
            exact = env[step.name].evalf(30, subs=point)
        elif step.name in symbols:
            exact = sympy.diff(env[sheet.root], symbols[step.name]).evalf(30, subs=point)
        else:
            continue  # a node's gradient: checked through the leaves' gradients and the engine below
        assert float(exact) == pytest.approx(step.result, rel=1e-12, abs=1e-15), (name, step.name)


@pytest.mark.parametrize("name", library_names())
def test_key_prints_the_engine_numbers_to_the_sheets_digits(name):
    problem = find_sheet(name).problem()
    text = write_key(problem, "md")
    digits = problem.sheet.digits
    for step in steps(problem):
        exact = problem.values[step.name] if step.kind == "forward" else problem.grads[step.name]
        assert step.result == exact  # the engine's number at full precision
        if step.kind == "forward" or step.name != problem.sheet.root:
            line = next(line for line in text.splitlines()
                        if line.startswith(f"    {step.label(problem.sheet.root)} = "))
            shown = re.search(r"= (\S+)(    \[.*\])?$", line).group(1)
            assert shown == key_number(exact, digits)  # trailing zeros kept: 0.7790, not 0.779
            assert float(shown) == float(number(exact, digits))


def test_local_derivatives_are_written_from_the_op_table():
    problem = loads('[inputs]\nx0 = -1.0\nx1 = -2.0\n[params]\nw0 = 2.0\nw1 = -3.0\nw2 = -3.0\n'
                    '[nodes]\ndot = "w0*x0 + w1*x1 + w2"\nf = "sigmoid(dot)"\nL = "-log(f)"\n'
                    '[ask]\ngrads = ["w0"]\n', "n.toml").problem()
    by_name = {s.name: s for s in steps(problem) if s.kind == "backward"}
    assert by_name["w0"].local == "∂dot/∂w0 = x0"
    assert by_name["dot"].local == "∂f/∂dot = f·(1 - f)"
    assert by_name["f"].local == "∂L/∂f = -1/f"
    assert by_name["w0"].formula == "∂L/∂dot·∂dot/∂w0"
    assert by_name["dot"].numbers == "-1.368·0.7311·(1 - 0.7311)"


def test_blank_hides_the_asked_numbers():
    problem = find_sheet("seed004_222").problem()
    blank = write_key(problem, "md", blank=True)
    assert "0.3932" not in blank and "0.7311" not in blank and "(asked)" in blank
    assert "w1 = 2" in blank  # the data are given
    key = write_key(problem, "md")
    assert "0.3932" in key and "0.7311" in key


def test_formats_are_well_formed():
    problem = find_sheet("seed002").problem()
    html = write_key(problem, "html", diagram_svg='<svg xmlns="http://www.w3.org/2000/svg"></svg>')
    assert html.startswith("<!DOCTYPE html>") and "<svg" in html
    assert not re.search(r"(src|href)=\"https?:", html)  # self-contained: nothing fetched
    body = html[html.index("<body>"):html.index("</html>")]
    ET.fromstring(body)  # balanced tags
    tex = write_key(problem, "tex")
    assert tex.startswith(r"\documentclass[11pt,a4paper]{article}") and tex.rstrip().endswith(r"\end{document}")
    assert r"\begin{verbatim}" not in tex and tex.count(r"\begin{align*}") == 2  # real maths
    assert r"\frac{\partial L}{\partial z_{1,1}}" in tex
    assert all(ord(c) < 128 for c in tex)  # pdflatex-safe
    with pytest.raises(ValueError, match="format must be one of md, tex, html"):
        write_key(problem, "docx")
