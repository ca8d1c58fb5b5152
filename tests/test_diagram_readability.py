"""What makes a diagram readable: names, roles, numbers, titles, label placement, collapsed views,
and the step-by-step page's arithmetic panel (the numbers are checked against the engine)."""
import math
import re
import sys
import warnings
from pathlib import Path

import pytest

import nn
from autograd import Value, topological_order
from autograd.diagram import UnreadableDiagramWarning, draw, save, step_backward
from autograd.diagram.labels import short_label
from autograd.diagram.style import ROLE_STYLE
from autograd.examples import seed002_net221_sgd
from autograd.numbers import format_number

sys.path.insert(0, str(Path(__file__).parent))
import svg_geometry  # noqa: E402  (a helper module next to the tests)


def seed002_loss():
    stage = seed002_net221_sgd.build().stages[0]
    stage.run()
    return stage


def mlp_2_16_16_1():
    model = nn.MLP(2, [16, 16, 1], activation="tanh", seed=0)
    x = [Value(0.5, label="x1", requires_grad=False), Value(-1.0, label="x2", requires_grad=False)]
    loss = ((model(x) - 1.0) ** 2).named("loss")
    loss.backward()
    return model, loss


def test_numbers_keep_four_significant_digits_in_diagrams():
    w = Value(0.0006684, label="w")
    out = (w * 1.57e-21).named("out")
    out.backward()
    source = draw(out).source
    assert "data 0.0006684" in source and "grad 1.570e-21" in source
    assert "0.000000" not in source and "-0.0 " not in source
    assert "data 0.00067" in draw(out, precision=2).source  # precision= reaches the diagram
    assert format_number(-1e-300) == "-1.000e-300" and format_number(-0.0) == "0.0"


def test_operands_are_named_by_label_constant_value_or_row_never_x1_x2():
    g = Value(2.0, label="g")
    y = (g * g).named("y")
    y.backward()
    assert "g·ḡ = 2.0 × 1.0 = 2.0" in draw(y).source  # ḡ, the upstream gradient, is not g
    stage = seed002_loss()
    source = draw(stage.root, params=stage.params).source
    assert "a1_1·ḡ = 0.5933 × 0.1385 = 0.08217" in source
    assert "a1_1·(1 - a1_1)·ḡ = 0.2413 × 0.0554 = 0.01337" in source  # explicit precedence
    assert "0.5·ḡ = 0.5 × 1.0 = 0.5" in source  # the constant 0.5 by its value


def test_roles_without_params_and_constants_without_gradient():
    w, x = Value(0.5, label="w"), Value(3.0, label="x")
    out = (w * x + 2.0).named("out")
    out.backward()
    plain = draw(out).source
    assert f'fillcolor="{ROLE_STYLE["parameter"]["fillcolor"]}"' in re.search(r"\tv0 \[.*", plain).group(0)
    marked = draw(out, inputs=[x]).source  # x marked as data: an input, not a parameter
    assert ROLE_STYLE["input"]["fillcolor"] in re.search(r"\tv1 \[.*", marked).group(0)
    constant = re.search(r"\tv3 \[.*", plain).group(0)
    assert "{data 2.0}" in constant and ROLE_STYLE["constant"]["fillcolor"] in constant
    with pytest.raises(TypeError, match="inputs must hold Values"):
        draw(out, inputs=[3.0])


def test_long_names_are_shortened_with_the_full_name_in_the_tooltip():
    assert short_label("layers.0.neurons.1.w.0") == "w[0,1,0]"
    w = Value(0.5, label="layers.0.neurons.1.w.0")
    v = Value(2.0, label="a_really_long_descriptive_label_for_this_input_value")
    out = (w * v).named("out")
    out.backward()
    source = draw(out).source
    assert "{w[0,1,0] |" in source and 'tooltip="layers.0.neurons.1.w.0"' in source
    assert "{" + v.label[:39] + "… | data 2.0 | grad 0.5}" in source
    assert re.search(r'tooltip="?a_really_long_descriptive_label_for_this_input_value"?\]', source)
    assert "w[0,1,0]·ḡ" in source  # the edge formula uses the short name too


def test_titles_are_escaped_and_render(tmp_path):
    x = Value(1.0, label="x")
    out = (x * 2.0).named("out")
    out.backward()
    for title in ("ends with a backslash \\", "<b>not bold</b> & \"quoted\""):
        path = save(draw(out, title=title), tmp_path / "t.svg")
        assert "ends with" in path.read_text() or "&lt;b&gt;not bold" in path.read_text()


def test_unreadable_diagrams_warn_and_label_mode_follows_the_drawn_nodes():
    model, loss = mlp_2_16_16_1()
    with pytest.warns(UnreadableDiagramWarning, match="collapse="):
        draw(loss, params=model, edge_labels="external", view="forward")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        collapsed = draw(loss, params=model, collapse=4).source  # 35 drawn nodes: no warning
    assert "xlabel=" not in collapsed and 'label="' in collapsed  # inline: few nodes drawn


def test_collapsed_mlp_keeps_loss_ops_outside_neurons_in_order_and_counts_parameters(tmp_path):
    model, loss = mlp_2_16_16_1()
    for params in (model, None):  # without params=, requires_grad leaves count as parameters
        source = draw(loss, params=params, collapse=4).source
        assert "layers.2.neurons.0\\n34 nodes, 17 parameters" in source  # no '- 1.0', no '**2'
        assert "layers.1.neurons.3\\n35 nodes, 17 parameters" in source
    names = re.findall(r'\t(g\d+) \[label="(layers\.1\.neurons\.\d+)', source)
    ids = [int(g[1:]) for g, _ in names]
    assert [int(n.rsplit(".", 1)[1]) for _, n in names] == sorted(int(n.rsplit(".", 1)[1]) for _, n in names)
    assert ids == sorted(ids)
    layer = draw(loss, params=model, collapse=1).source
    assert "layers\\n" in layer and f"{len(model.parameters())} parameters" in layer
    svg = save(draw(loss, params=model, collapse=4), tmp_path / "mlp.svg").read_text()
    assert svg_geometry.label_collisions(svg) == []
    # box text keeps clear of the border: every text of a box lies inside it with a margin
    for box, texts in svg_geometry.boxed_texts(svg):
        for t in texts:
            assert t[0] >= box[0] + 4 and t[2] <= box[2] - 4, (box, t)


def test_seed002_edge_labels_never_overlap_nodes_or_arrowheads(tmp_path):
    stage = seed002_loss()
    svg = save(draw(stage.root, params=stage.params), tmp_path / "b.svg").read_text()
    nodes, heads, labels = svg_geometry.boxes(svg)
    assert len(labels) >= 20 and len(heads) >= 40
    assert svg_geometry.label_collisions(svg) == []
    stepper_svg = step_backward(stage.root, params=stage.params).svg()
    assert svg_geometry.label_collisions(stepper_svg) == []


def test_panel_writes_each_step_like_a_hand_solution():
    stage = seed002_loss()
    stepper = step_backward(stage.root, params=stage.params)
    lines = [line for page in stepper.panel for line in page]
    # W2_1 * a1_1 is an unlabelled node: named as Trace names it (#k)
    assert any(re.fullmatch(r"dL/dW2_1 \+= a1_1·dL/d#\d+ = 0\.5933 × 0\.1385 = 0\.08217", line)
               for line in lines)
    assert "dL/dz1_1 += a1_1·(1 - a1_1)·dL/da1_1 = 0.2413 × 0.0554 = 0.01337" in lines
    assert "0.5 receives nothing (requires_grad=False: a constant, or data)" in lines
    # every processed node's gradient in the panel is the engine's, to 4 significant digits
    order = topological_order(stage.root)
    names = {n.label: n for n in order if n.label}
    checked = 0
    for page in stepper.panel[:-1]:  # each step's heading (its caption) ends with its gradient
        m = re.fullmatch(r"step \d+ of \d+: .*, dL/d(\S+) = (\S+)", page[0])
        assert m, page[0]
        if m.group(1) in names:
            checked += 1
            assert float(m.group(2)) == pytest.approx(names[m.group(1)].grad, rel=5e-4)
    assert checked >= 15
    # a node used by several ops shows its running total
    x = Value(3.0, label="x")
    y = (x * x + x).named("y")
    y.backward()
    totals = [line for page in step_backward(y).panel for line in page if "running total" in line]
    assert totals[-1].strip() == f"running total dL/dx = {format_number(x.grad)}"
    assert math.isclose(x.grad, 7.0)
