"""DOT-source tests of `autograd.diagram.draw`: nodes, edges, labels, edge annotations, colours.

DOT text is deterministic, so these tests read it directly (no renderer involved).
"""
import math
import re
import warnings

import graphviz
import pytest

from autograd import Value, gradients, maximum, minimum, vsum
from autograd.diagram import Diagram, GradsNotComputedWarning, GraphTooLarge, draw
from autograd.diagram.style import EDGE_PAD, ROLE_STYLE, format_number

NODE = re.compile(r'^\t(\w+) \[label=("(?:[^"\\]|\\.)*"|\S+)(.*)\]$', re.M)
EDGE = re.compile(r'^\t(\w+) -> (\w+)(?: \[(.*)\])?$', re.M)


def nodes(dg):
    """{dot name: (label, rest of attributes)} for every node statement."""
    return {m.group(1): (m.group(2).strip('"'), m.group(3)) for m in NODE.finditer(dg.source)}


def edges(dg):
    """[(src, dst, attributes)] in order, one per edge statement."""
    return [(m.group(1), m.group(2), m.group(3) or "") for m in EDGE.finditer(dg.source)]


def edge_labels(dg):
    # strip(): labels are padded with spaces (a margin before the next arrowhead)
    return [re.search(r'label="([^"]*)"', a).group(1).strip() for _, _, a in edges(dg) if "label=" in a]


def backward_quietly(root):
    root.backward()
    return root


def test_counts_one_record_per_value_one_op_node_per_op_one_edge_per_use():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    out = backward_quietly((a * b + a).named("out"))  # values a, b, a*b, out; ops *, +
    dg = draw(out)
    assert isinstance(dg, graphviz.Digraph) and isinstance(dg, Diagram)
    names = nodes(dg)
    assert sorted(n for n in names if n.startswith("v")) == ["v0", "v1", "v2", "v3"]
    assert sorted(n for n in names if n.startswith("o")) == ["o2", "o3"]
    # 4 input edges (a, b into *; a*b, a into +) and 2 op -> result edges
    assert len(edges(dg)) == 6
    assert names["v0"][0] == "{a | data 2.0 | grad -2.0}"
    assert names["o2"][0] == "*" and names["o3"][0] == "+"


def test_reused_value_draws_one_arrow_per_use():
    a = Value(1.5, label="a")
    out = backward_quietly(a + a)
    dg = draw(out)
    into_op = [e for e in edges(dg) if e[0] == "v0" and e[1] == "o1"]
    assert len(into_op) == 2  # a + a: two arrows from a into the same + node
    assert edge_labels(dg) == ["1·ḡ = 1.0", "1·ḡ = 1.0"]
    assert "grad 2.0" in nodes(dg)["v0"][0]  # accumulated over both uses


def test_mul_edges_say_x2_times_g_with_the_numbers():
    # seed 001's multiply gate: the edge from x1 passes x2·ḡ back; here x2 = 3, g = 1.5
    x1, x2 = Value(2.0), Value(3.0)
    out = x1 * x2
    out.backward(1.5)
    # unlabelled operands are named as Trace names them: #0 and #1, never x1/x2 (users' labels)
    assert edge_labels(draw(out)) == ["#1·ḡ = 3.0 × 1.5 = 4.5", "#0·ḡ = 2.0 × 1.5 = 3.0"]


def test_mul_names_the_other_factor_by_its_label():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    out = backward_quietly(a * b)
    assert edge_labels(draw(out)) == ["b·ḡ = -3.0 × 1.0 = -3.0", "a·ḡ = 2.0 × 1.0 = 2.0"]


def test_add_sub_edges_pass_plus_or_minus_g():
    x, y = Value(1.0), Value(4.0)
    out = x - y
    out.backward(2.5)
    assert edge_labels(draw(out)) == ["1·ḡ = 2.5", "-1·ḡ = -2.5"]
    s = x + y
    s.backward(2.5)
    assert edge_labels(draw(s)) == ["1·ḡ = 2.5", "1·ḡ = 2.5"]


@pytest.mark.parametrize("x1, x2, expected", [
    (5.0, 2.0, ["1·ḡ = 2.0", "0·ḡ = 0.0"]),   # x1 wins
    (2.0, 5.0, ["0·ḡ = 0.0", "1·ḡ = 2.0"]),   # x2 wins
    (3.0, 3.0, ["1·ḡ = 2.0", "0·ḡ = 0.0"]),   # tie: max routes to x1 (x1 >= x2)
])
def test_max_edges_route_g_to_the_winner_with_ties_to_the_first_input(x1, x2, expected):
    out = maximum(Value(x1), Value(x2))
    out.backward(2.0)
    assert edge_labels(draw(out)) == expected


@pytest.mark.parametrize("x1, x2, expected", [
    (5.0, 2.0, ["0·ḡ = 0.0", "1·ḡ = 2.0"]),
    (2.0, 5.0, ["1·ḡ = 2.0", "0·ḡ = 0.0"]),
    (3.0, 3.0, ["1·ḡ = 2.0", "0·ḡ = 0.0"]),   # tie: min routes to x1 (x1 <= x2)
])
def test_min_edges_route_g_to_the_smaller_with_ties_to_the_first_input(x1, x2, expected):
    out = minimum(Value(x1), Value(x2))
    out.backward(2.0)
    assert edge_labels(draw(out)) == expected


def test_unary_ops_show_rule_symbol_local_value_and_product():
    x = Value(0.5, label="x")
    out = backward_quietly((x ** 3).tanh())
    labels = edge_labels(draw(out, precision=3))
    t = 0.5 ** 3
    dtanh = 1 - math.tanh(t) ** 2
    assert labels == [f"3·x^2·ḡ = 0.75 × {format_number(dtanh, 3)} = {format_number(0.75 * dtanh, 3)}",
                      f"(1 - tanh^2)·ḡ = {format_number(dtanh, 3)} × 1.0 = {format_number(dtanh, 3)}"]
    assert nodes(draw(out))["o1"][0] == "**3"


def test_forward_view_has_no_grads_and_no_edge_labels():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    out = a * b
    dg = draw(out, view="forward")  # no warning: a forward view needs no grads
    assert edge_labels(dg) == []
    assert "grad" not in dg.source
    assert nodes(dg)["v2"][0] == "{#2 | data -6.0}"  # an unlabelled node shows its Trace name


def test_both_view_shows_forward_value_and_backward_annotation():
    x1, x2 = Value(2.0), Value(3.0)
    out = x1 * x2
    out.backward(1.5)
    assert edge_labels(draw(out, view="both"))[0] == "→ 2.0\\n← #1·ḡ = 3.0 × 1.5 = 4.5"


def test_roles_are_coloured_input_constant_parameter_output():
    w, x = Value(0.5, label="w"), Value(3.0, label="x")
    out = backward_quietly((w * x + 1.0).named("loss"))  # 1.0 becomes a constant leaf
    named = {label.split(" |")[0].strip("{}"): attrs for label, attrs in nodes(draw(out, params=[w])).values()}
    assert ROLE_STYLE["parameter"]["fillcolor"] in named["w"]
    assert ROLE_STYLE["input"]["fillcolor"] in named["x"]
    assert ROLE_STYLE["constant"]["fillcolor"] in named["data 1.0"]
    assert ROLE_STYLE["output"]["fillcolor"] in named["loss"]
    # a constant has no grad field and its edge carries no gradient text
    assert nodes(draw(out))["v3"][0] == "{data 1.0}" and edges(draw(out))[-1] == ("v3", "o4", "")
    # the legend is on by default, one row (one <tr> without a title), and can be turned off
    assert "output / loss" not in draw(out, legend=False).source
    legend = draw(out).source
    assert "output / loss" in legend and legend.count("<tr>") == 1


def test_params_accepts_a_model_with_parameters_and_rejects_non_values():
    w = Value(0.5, label="w")
    out = backward_quietly(w * 2.0)

    class Model:
        def parameters(self):
            return [w]
    assert ROLE_STYLE["parameter"]["fillcolor"] in nodes(draw(out, params=Model()))["v0"][1]
    with pytest.raises(TypeError, match="params must hold Values.*float"):
        draw(out, params=[0.5])


def test_layout_options_precision_and_title():
    x = Value(1.0 / 3.0, label="x")
    out = backward_quietly(x * 3.0)
    dg = draw(out, rankdir="TB", size=(4, 3), precision=2, title="one third")
    assert "rankdir=TB" in dg.source and 'size="4,3"' in dg.source and ">one third</font>" in dg.source
    assert "{x | data 0.33 | grad 3.0}" in dg.source
    with pytest.raises(ValueError, match="rankdir must be 'LR'.*got 'UP'"):
        draw(out, rankdir="UP")
    with pytest.raises(ValueError, match="view must be one of"):
        draw(out, view="sideways")
    with pytest.raises(ValueError, match="precision must be an int"):
        draw(out, precision=-1)
    with pytest.raises(TypeError, match="draw needs a Value.*float"):
        draw(1.0)


def test_number_format_keeps_small_numbers_visible():
    assert format_number(3.0) == "3.0" and format_number(-0.0) == "0.0"
    assert format_number(0.123456) == "0.1235"
    assert format_number(1.5e-7) == "1.500e-07"  # not a misleading 0.0
    assert format_number(2.5e7) == "2.500e+07"


def test_record_labels_escape_record_syntax():
    x = Value(1.0, label="a|b{c}")
    out = backward_quietly(x * 2.0)
    assert "{a\\|b\\{c\\} | data 1.0 | grad 2.0}" in draw(out).source  # a\|b\{c\} in DOT


def test_backward_view_before_backward_warns():
    a, b = Value(2.0), Value(3.0)
    out = a * b
    with pytest.warns(GradsNotComputedWarning, match="backward\\(\\) has not run"):
        draw(out)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # after backward(): no warning at all
        out.backward()
        draw(out)
        draw(a * b, view="forward")


def test_max_nodes_guard_names_the_count_and_the_fix():
    x = Value(1.0)
    out = vsum([x * float(i) for i in range(30)])  # 30 muls + 30 constants + x + sum = 62 Values
    out.backward()
    with pytest.raises(GraphTooLarge, match=r"62 nodes.*max_nodes=50.*collapse="):
        draw(out, max_nodes=50)
    assert len([n for n in nodes(draw(out, max_nodes=62)) if n.startswith("v")]) == 62


def test_double_backward_graph_draws_with_consistent_edges():
    x = Value(1.5, label="x")
    y = x ** 3 + x * x.tanh()
    (dydx,) = gradients(y, [x], create_graph=True)  # a Value whose graph is the backward pass
    dydx.backward()
    dg = draw(dydx)
    names = nodes(dg)
    # every edge joins drawn nodes, and every op node has exactly one edge into its result
    assert all(s in names and d in names for s, d, _ in edges(dg))
    op_nodes = [n for n in names if n.startswith("o")]
    assert len(op_nodes) >= 5
    assert sum(1 for s, _, _ in edges(dg) if s.startswith("o")) == len(op_nodes)
    assert f"data {format_number(dydx.data)}" in dg.source
    t = math.tanh(1.5)  # d2y/dx2 = 6x + 2 sech^2(x) - 2x tanh(x) sech^2(x)
    assert x.grad == pytest.approx(6 * 1.5 + 2 * (1 - t * t) - 2 * 1.5 * t * (1 - t * t), abs=1e-12)


def test_big_graphs_place_edge_texts_after_layout_unless_asked():
    x = Value(0.5)
    out = vsum([x * float(i) for i in range(70)])  # 142 Values > INLINE_LABEL_LIMIT (120)
    out.backward()
    auto = draw(out).source.replace(EDGE_PAD, "")
    assert 'xlabel="1·ḡ = 1.0"' in auto and ' [label="1·ḡ' not in auto
    inline = draw(out, edge_labels="inline").source.replace(EDGE_PAD, "")
    assert 'xlabel=' not in inline and inline.count('label="1·ḡ = 1.0"') == 70
    assert 'xlabel=' not in draw(x * 3.0, edge_labels="auto", view="forward").source
    with pytest.raises(ValueError, match="edge_labels must be"):
        draw(out, edge_labels="above")


def test_a_fraction_exponent_draws_like_its_float():
    from fractions import Fraction
    x = Value(4.0, label="x")
    out = backward_quietly(x ** Fraction(1, 2))
    dg = draw(out)
    assert nodes(dg)["o1"][0] == "**0.5"
    assert edge_labels(dg) == ["0.5·x^-0.5·ḡ = 0.25 × 1.0 = 0.25"]
