"""The trace table: one row per node in forward order, text and HTML output."""
import doctest
import math

import pytest

import autograd.trace
from autograd import Value, topological_order
from autograd.trace import Trace


def _graph():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = (a * b).named("c")
    d = (c + 1.5).named("d")   # 1.5 becomes an unlabelled constant leaf
    e = (d * a).tanh()         # unlabelled interior nodes
    e.named("e")
    e.backward()
    return a, b, c, d, e


def test_rows_follow_topological_order_with_values_and_grads():
    a, b, c, d, e = _graph()
    trace = Trace(e)
    assert [row.node for row in trace] == topological_order(e)
    assert len(trace) == len(topological_order(e))
    row_c = trace.find("c")
    assert (row_c.op, row_c.inputs, row_c.value) == ("mul", ("a", "b"), -6.0)
    # e = tanh((c + 1.5) * a) with c = -6, a = 2: de/dc = a * (1 - tanh(-9)^2)
    assert row_c.grad == pytest.approx(2.0 * (1.0 - math.tanh(-9.0) ** 2), rel=1e-12)
    position = {row.node: row.index for row in trace}
    for row in trace:  # every node comes after its inputs
        assert all(position[p] < row.index for p in row.node.parents)


def test_inputs_name_constants_by_value_and_unlabelled_nodes_by_row():
    *_, e = _graph()
    trace = Trace(e, precision=3)
    assert trace.find("d").inputs == ("c", "1.5")
    mul = next(row for row in trace if row.op == "mul" and not row.label)
    assert mul.inputs == ("d", "a")
    assert trace.find("e").inputs == (f"#{mul.index}",)
    assert trace.find("a").op == "leaf"
    assert next(row for row in trace if row.node.data == 1.5).op == "const"


def test_text_table_is_aligned_and_uses_the_precision():
    *_, e = _graph()
    text = Trace(e, precision=2).to_text()
    lines = text.splitlines()
    assert lines[0].split() == ["#", "label", "op", "inputs", "value", "grad"]
    assert len(lines) == len(Trace(e)) + 1
    # two significant digits: -6.0 (not -6.00), and a tiny grad keeps its digits (never 0.00)
    assert " -6.0 " in text and "-6.00" not in text
    grad_a = Trace(e).find("a").grad
    assert 0 < abs(grad_a) < 1e-6 and f"{grad_a:.1e}" in text
    assert str(Trace(e, precision=2)) == text
    # numbers are right-aligned, and grad is the last column: every data line ends at one column
    # (a constant's grad is blank: it has none, so its line ends at its value)
    ends = {len(line) for line, row in zip(lines[1:], Trace(e)) if row.op != "const"}
    assert len(ends) == 1
    consts = [line for line, row in zip(lines[1:], Trace(e)) if row.op == "const"]
    assert consts and all(line.endswith("1.5") for line in consts)


def test_forward_and_backward_tables():
    *_, e = _graph()
    trace = Trace(e, precision=4)
    forward, backward = trace.forward_text().splitlines(), trace.backward_text().splitlines()
    assert forward[0].split() == ["#", "label", "op", "inputs", "value"]
    assert backward[0].split() == ["#", "label", "op", "grad"]
    assert backward[1].split()[:2] == [str(len(trace) - 1), "e"]  # root first
    assert backward[1].split()[-1] == "1.0"


def test_html_table_escapes_and_has_one_row_per_node():
    x = Value(1.0, label="<x>")
    y = (x * 2).named("y&z")
    y.backward()
    html = Trace(y)._repr_html_()
    assert html.startswith("<table") and html.count("<tr>") == len(Trace(y)) + 1
    assert "&lt;x&gt;" in html and "y&amp;z" in html and "<x>" not in html


def test_several_roots_share_nodes_once():
    a = Value(1.0, label="a")
    u, v = (a * 2).named("u"), (a + 3).named("v")
    trace = Trace([u, v])
    assert [row.label for row in trace if row.label] == ["a", "u", "v"]
    assert trace.root == [u, v]


def test_find_errors_name_the_labels():
    a = Value(1.0, label="a")
    s = (a + Value(2.0, label="a")).named("s")
    with pytest.raises(KeyError, match="known labels: a, s"):
        Trace(s).find("q")
    with pytest.raises(ValueError, match="2 nodes are labelled 'a'"):
        Trace(s).find("a")


def test_bad_arguments():
    with pytest.raises(TypeError, match="Trace needs the Value"):
        Trace(3.0)
    with pytest.raises(ValueError, match="precision"):
        Trace(Value(1.0), precision=-1)
    with pytest.raises(ValueError, match="significant digits"):
        Trace(Value(1.0), precision=0)


def test_docstring_example():
    assert doctest.testmod(autograd.trace).failed == 0


def test_numbers_keep_their_significant_digits():
    """4 significant digits by default: small values keep their digits, tiny ones go scientific."""
    w = Value(0.0006684, label="w")
    y = (w * 1.57e-21).named("y")
    y.backward()
    text = Trace(y).to_text()
    assert "0.0006684" in text and "1.570e-21" in text  # w's value, then w's grad
    assert "0.000000" not in text and "-0.0" not in text
    assert Trace(y, precision=2).find("w").value == 0.0006684  # the row keeps the exact float
