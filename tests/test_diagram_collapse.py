"""The collapsed view: an MLP drawn as one box per neuron or per layer, and its grouping rules."""
import re
import time

import pytest

from autograd import Value, topological_order, vsum
from autograd.diagram import draw, save
from autograd.diagram.collapse import assign_groups
from autograd.numbers import format_number


def mlp_loss(sizes=(2, 16, 16, 1), x=(0.5, -1.0), target=1.0):
    """An MLP built from Values, labelled like nn's parameters (layers.L.neurons.N.w.I / .b)."""
    inputs = [Value(v, label=f"x{i + 1}", requires_grad=False) for i, v in enumerate(x)]
    params, acts = [], inputs
    for layer, (nin, nout) in enumerate(zip(sizes, sizes[1:])):
        outs = []
        for n in range(nout):
            name = f"layers.{layer}.neurons.{n}"
            w = [Value(0.1 * ((layer + n + i) % 5 - 2), label=f"{name}.w.{i}") for i in range(nin)]
            b = Value(0.01 * n, label=f"{name}.b")
            params += w + [b]
            z = vsum([wi * xi for wi, xi in zip(w, acts)] + [b])
            outs.append(z.tanh() if layer < len(sizes) - 2 else z)
        acts = outs
    loss = ((acts[0] - target) ** 2).named("loss")
    loss.backward()
    return loss, params


def box_labels(dg):
    return re.findall(r'\t(g\d+) \[label="([^"\\]*(?:\\.[^"\\]*)*)"', dg.source)


def test_per_neuron_boxes_for_an_mlp():
    loss, params = mlp_loss()
    dg = draw(loss, params=params, collapse=4)
    boxes = box_labels(dg)
    assert len(boxes) == 16 + 16 + 1
    names = {label.split("\\n")[0] for _, label in boxes}
    assert "layers.0.neurons.15" in names and "layers.2.neurons.0" in names
    # a hidden neuron of layer 1: 16 w + b, 16 products, the sum, the tanh = 35 nodes
    l1 = next(label for _, label in boxes if label.startswith("layers.1.neurons.3\\n"))
    assert "35 nodes, 17 parameters" in l1
    # the dense connections (2 inputs x 16 neurons, 16 x 16) go through one point each: 2 + 16
    # and 16 + 16 arrows instead of 32 and 256; the 16 arrows into the output neuron stay
    box_edges = re.findall(r"\t(g\d+|v\d+|bus\d+) -> (g\d+|bus\d+)( \[style=invis\])?", dg.source)
    drawn = [(a, b) for a, b, invisible in box_edges if not invisible]
    assert len(drawn) == (2 + 16) + (16 + 16) + 16
    assert len({b for a, b in drawn if b.startswith("bus")}) == 2
    assert "loss | data" in dg.source  # the root always stays visible


def test_per_layer_boxes_and_parameter_grad_norm():
    loss, params = mlp_loss()
    dg = draw(loss, params=params, collapse=2)
    boxes = dict((label.split("\\n")[0], label) for _, label in box_labels(dg))
    assert sorted(boxes) == ["layers.0", "layers.1", "layers.2"]
    out_layer = [p for p in params if p.label.startswith("layers.2.")]
    norm = sum(p.grad ** 2 for p in out_layer) ** 0.5
    assert f"‖grad‖ {format_number(norm)}" in boxes["layers.2"]
    # 16 x 16 products between layer 0 and 1 collapse into one arrow labelled with the count
    assert re.search(r'-> g\d+ \[label="×16"', dg.source)


def test_collapsed_mlp_renders_in_seconds(tmp_path):
    loss, params = mlp_loss()
    assert len(topological_order(loss)) == 711
    start = time.perf_counter()
    path = save(draw(loss, params=params, collapse=4), tmp_path / "mlp.svg")
    assert time.perf_counter() - start < 20.0  # measured ~0.2 s; generous for a loaded CI box
    assert "layers.1.neurons.7" in path.read_text(encoding="utf-8")


def test_max_nodes_counts_after_collapsing():
    loss, params = mlp_loss()
    with pytest.raises(ValueError, match=r"711 nodes \(Values\).*max_nodes=500"):
        draw(loss, max_nodes=500)
    with pytest.raises(ValueError, match=r"36 nodes \(after collapsing\).*max_nodes=20"):
        draw(loss, collapse=4, max_nodes=20)  # 33 neuron boxes + x1, x2 and the loss
    assert len(box_labels(draw(loss, collapse=2, max_nodes=20))) == 3


def test_grouping_rules_for_unlabelled_nodes():
    w1, w2 = Value(0.5, label="n.a.w1"), Value(-1.0, label="n.b.w1")
    x = Value(2.0, label="x")
    ha = (w1 * x).tanh()          # joins n.a: w1 is its labelled parameter parent
    hb = w2 * ha                  # joins n.b: the parameter parent wins over ha's group
    c = hb * 3.0                  # the constant 3.0 joins n.b with its only consumer
    out = (c + ha).named("out")   # parents in n.b and n.a: a meeting point, stays visible
    order = topological_order(out)
    groups = assign_groups(order, out, 2)
    assert groups[w1] == groups[ha] == groups[ha.parents[0]] == "n.a"
    assert groups[w2] == groups[hb] == groups[c] == groups[c.parents[1]] == "n.b"
    assert x not in groups and out not in groups
    below = (out + 0.0) * 1.0     # under a meeting point: no group to inherit
    groups = assign_groups(topological_order(below), below, 2)
    assert out not in groups and below.parents[0] not in groups


def test_callable_collapse_and_bad_collapse_values():
    loss, params = mlp_loss(sizes=(2, 3, 1))
    dg = draw(loss, collapse=lambda node: "weights" if node.label.endswith(".b") else None)
    assert [label.split("\\n")[0] for _, label in box_labels(dg)] == ["weights"]
    for bad in (0, -1, True, "layers"):
        with pytest.raises(ValueError, match="collapse must be a label depth >= 1"):
            draw(loss, collapse=bad)


def test_nn_mlp_draws_as_one_box_per_neuron():
    import nn
    model = nn.MLP(2, [16, 16, 1])
    loss = (model([0.5, -1.0]) - 1.0) ** 2
    loss.backward()
    dg = draw(loss, params=model, collapse=4)
    names = sorted(label.split("\\n")[0] for _, label in box_labels(dg))
    assert len(names) == 33 and names[0] == "layers.0.neurons.0"
    assert all(f"{16 + 1} parameters" in label for _, label in box_labels(dg)
               if label.startswith("layers.1."))  # 16 weights and a bias per hidden neuron
