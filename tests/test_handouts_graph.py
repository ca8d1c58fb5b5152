"""The blank graph (`draw(root, blank="grad")`), the key's maths typesetting, and the print page.

The blank graph shows every value and an empty box per gradient, with no edge texts (they would
give the gradients away); laid out for a page, its boxes print large enough to write in.
mathtext's parser is fuzzed: any text gives maths or escaped upright text, never an error.
"""
import re
import string

import pytest
from hypothesis import given, settings, strategies as st

from autograd.diagram import draw
from autograd.diagram.style import BLANK_BOX_PT
from autograd.sheets import find_sheet
from autograd.sheets.figures import page_figure
from autograd.sheets.handout import to_html
from autograd.sheets.key import handout, write_key
from autograd.sheets.mathtext import parse, tex_text, to_latex, to_typst, typst_string

MM = 72 / 25.4


@pytest.fixture(scope="module")
def seed002():
    return find_sheet("seed002").problem()


def _white_boxes(svg):
    """(width, height) of every white-filled rectangle (graphviz draws table cells as polygons)."""
    boxes = []
    for points in re.findall(r'<polygon fill="white" stroke="[^"]*" points="([^"]+)"', svg):
        xy = [tuple(map(float, p.split(","))) for p in points.split()]
        xs, ys = [x for x, _ in xy], [y for _, y in xy]
        boxes.append((round(max(xs) - min(xs)), round(max(ys) - min(ys))))
    return boxes


def test_blank_graph_has_values_and_empty_gradient_boxes(seed002):
    svg = draw(seed002.root, params=seed002.params, blank="grad", precision=6).pipe("svg", encoding="utf-8")
    assert "0.3775" in svg and "0.274811" in svg  # z1_1 and L: every value is filled in
    for grad in ("0.138499", "0.0826676", "0.0133679"):  # (dL/dyhat = yhat - y is a value too)
        assert grad not in svg  # no gradient anywhere, not on a node nor on an edge
    assert not re.search(r'<text[^>]*fill="#990000"', svg)  # no edge texts (drawn in that red)
    boxes = [b for b in _white_boxes(svg) if b[0] < 200]  # the page's own white background aside
    constants = 1  # the 0.5 of the loss: a constant has no gradient box
    # one box per node that can have a gradient (named and unnamed intermediates alike)
    from autograd.graph import topological_order
    order = topological_order(seed002.root)
    assert len(boxes) == len(order) - constants
    assert all(abs(w - BLANK_BOX_PT[0]) <= 2 and abs(h - BLANK_BOX_PT[1]) <= 2 for w, h in boxes)


def test_blank_graph_boxes_print_large_enough(seed002):
    figure, note = page_figure(seed002, "a4", blank=True)
    assert note == "" and figure is not None
    width_mm = BLANK_BOX_PT[0] * figure.scale / MM
    height_mm = BLANK_BOX_PT[1] * figure.scale / MM
    assert width_mm >= 14 and height_mm >= 5, (width_mm, height_mm)  # seed002: 15 x 5.4 mm
    assert figure.width_mm <= 180 + 1e-6 and figure.height_mm <= 297 - 36 - 22 + 1e-6


def test_blank_option_is_checked(seed002):
    with pytest.raises(ValueError, match="blank must be None or 'grad'"):
        draw(seed002.root, blank="values")


# --- maths ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text,typst,latex", [
    ("∂L/∂z1_1", "frac(partial L, partial z_(1,1))", r"\frac{\partial L}{\partial z_{1,1}}"),
    ("sigmoid(W1_11*x1 + b1_1)", "sigma(W_(1,11) dot.c x_(1) + b_(1,1))",
     r"\sigma\left(W_{1,11} \cdot x_{1} + b_{1,1}\right)"),
    ("6.68396e-05", "6.68396 times 10^(-5)", r"6.68396 \times 10^{-5}"),
    ("yhat·(1 - yhat)", "hat(y) dot.c (1 - hat(y))", r"\hat{y} \cdot \left(1 - \hat{y}\right)"),
    ("1/(2·√x)", "frac(1, 2 dot.c sqrt(x))", r"\frac{1}{2 \cdot \sqrt{x}}"),
    ("n_hat1", 'n_("hat1")', r"n_{\mathrm{hat1}}"),
])
def test_key_formulas_become_maths(text, typst, latex):
    assert to_typst(text) == typst and to_latex(text) == latex


def test_text_is_escaped_for_latex_and_typst():
    assert tex_text(r"\input{x} & 50% #1 $y_2$ ~^<>|") == (
        r"\textbackslash{}input\{x\} \& 50\% \#1 \$y\_2\$ \textasciitilde{}\textasciicircum{}"
        r"\textless{}\textgreater{}\textbar{}")
    # a control character is shown as its escape (autograd.safetext), then escaped as text
    assert typst_string('say "hi" \\ #set\x1b[1m') == '"say \\"hi\\" \\\\ #set\\\\x1b[1m"'
    assert tex_text("a\u202eb\x00") == r"a\textbackslash{}u202eb\textbackslash{}x00"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=string.ascii_letters[:8] + "0123456789_.+-*/·²√∂()^,| eσ\\{}$#%&\"\n\x1b",
               max_size=60))
def test_any_text_gives_maths_or_escaped_text(text):
    typst, latex = to_typst(text), to_latex(text)
    try:
        parse(text)
    except ValueError:  # not a formula: upright text, escaped, never markup
        assert typst == typst_string(text)
        assert latex == rf"\text{{{tex_text(text)}}}"
        return
    assert latex.count("{") == latex.count("}")  # balanced
    assert "\x1b" not in typst + latex


_names = st.from_regex(r"[a-z]{1,2}[0-9]?(_[0-9]{1,2})?", fullmatch=True)
_numbers = st.floats(-1e6, 1e6, allow_nan=False).map(lambda x: f"{x:.4g}")


_FORMULAS = st.recursive(st.one_of(_names, _numbers), lambda inner: st.one_of(
    st.tuples(inner, st.sampled_from([" + ", " - ", "*", "·", "/", "**"]), inner).map("".join),
    inner.map(lambda a: f"({a})"),
    st.tuples(st.sampled_from(["sigmoid", "tanh", "exp", "log", "relu"]), inner).map(
        lambda t: f"{t[0]}({t[1]})"),
    st.tuples(_names, _names).map(lambda t: f"∂{t[0]}/∂{t[1]}")), max_leaves=8)


@settings(max_examples=200, deadline=None)
@given(_FORMULAS)
def test_formulas_parse_and_print_balanced(text):
    parse(text)  # what the key writes always parses
    latex = to_latex(text)
    assert latex.count("{") == latex.count("}") and r"\text{" not in latex


def test_typst_compiles_generated_formulas():
    from optional import require
    typst = require("typst", 'pip install "teachgrad[pdf]"')
    import random
    rng = random.Random(3)
    lines = []
    for _ in range(60):  # random but fixed formulas, as the key would write them
        a, b = rng.choice(["x1", "W1_11", "yhat", "n_hat1", "dot"]), f"{rng.uniform(-9, 9):.4g}"
        text = rng.choice([f"{a}*{b} + {a}", f"sigmoid({a})·(1 - {b})", f"∂L/∂{a}", f"{a}**2/{b}",
                           f"1/(2·√{a})", f"{a}^({b} - 1)", f"x^y·ln {a}", f"relu({a}) - {b}e-05"])
        lines.append(f"$ {to_typst(text)} $")
    pdf = typst.compile("\n".join(lines).encode(), format="pdf")
    assert pdf.startswith(b"%PDF")


# --- print page ----------------------------------------------------------------------------

def test_blank_page_has_name_line_boxes_and_no_answers(seed002):
    page = write_key(seed002, "html", blank=True, paper="letter")
    assert "@page{size:letter portrait" in page and "counter(pages)" in page
    assert page.count('<span class="box"></span>') >= 22 and "Name: " in page
    assert "0.274811" not in page and "sigmoid(z1_1)" in page
    hidden = to_html(handout(seed002, blank=True, structure=False))
    assert "sigmoid(z1_1)" not in hidden and "0.05" in hidden
    key = write_key(seed002, "html")
    assert "Name: " not in key and "0.274811" in key and "break-inside:avoid" in key


def test_key_diagram_prints_readable(seed002):
    """seed002's backward diagram would print at 26 % (3 pt text): the key draws it as tables
    (gradients in the nodes) at 51 %; a small graph keeps the full backward diagram."""
    figure, _ = page_figure(seed002, "a4")
    assert figure.tables and figure.scale >= 0.5 and "0.0133679" in figure.svg
    neuron, _ = page_figure(find_sheet("seed001_neuron").problem(), "a4")
    # renderer-independent bound: the wheel lays it out at > 0.9, Debian's dot 2.43 wider (0.82);
    # either way 12 pt text prints at 9 pt or more
    assert not neuron.tables and neuron.scale > 0.75
    svg = draw(seed002.root, params=seed002.params, tables=True, precision=6).pipe("svg", encoding="utf-8")
    assert "0.000668396" in svg and not re.search(r'<text[^>]*fill="#990000"', svg)
