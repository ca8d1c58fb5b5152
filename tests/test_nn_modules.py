"""Neuron, Layer, MLP and Module: names, labels, init, state dicts, repr and errors."""
import math
import random

import pytest

import nn
from autograd import Value, topological_order


def test_named_parameters_are_stable_dotted_names_and_labels():
    model = nn.MLP(3, [4, 2], activation="relu")
    names = [name for name, _ in model.named_parameters()]
    assert len(names) == model.num_parameters() == 3 * 4 + 4 + 4 * 2 + 2
    assert names[:5] == ["layers.0.neurons.0.w.0", "layers.0.neurons.0.w.1",
                         "layers.0.neurons.0.w.2", "layers.0.neurons.0.b",
                         "layers.0.neurons.1.w.0"]
    assert names[-1] == "layers.1.neurons.1.b"
    assert all(p.label == name for name, p in model.named_parameters())
    assert names == [name for name, _ in nn.MLP(3, [4, 2], activation="relu").named_parameters()]


def test_same_seed_same_model_independent_of_global_random():
    random.seed(123)
    a = nn.MLP(2, [8, 1], seed=7).state_dict()
    random.random()
    b = nn.MLP(2, [8, 1], seed=7).state_dict()
    c = nn.MLP(2, [8, 1], seed=8).state_dict()
    assert a == b
    assert a != c
    # fan-in scaling: relu weights are uniform on +-sqrt(2)*sqrt(3/nin), biases start at 0
    weights = nn.Layer(16, 200, activation="relu", rng=1).parameters()
    limit = math.sqrt(2.0) * math.sqrt(3.0 / 16)
    w = [p.data for p in weights if not p.label.endswith(".b")]
    assert max(abs(v) for v in w) <= limit
    assert max(abs(v) for v in w) > 0.95 * limit
    assert all(p.data == 0.0 for p in weights if p.label.endswith(".b"))


def test_forward_matches_hand_computation_and_predict():
    model = nn.MLP.from_weights([[[0.5, -1.0], [2.0, 0.25]], [[1.0, -3.0]]],
                                [[0.1, -0.2], [0.05]], activation="tanh")
    x = [0.3, -0.7]
    h = [math.tanh(0.5 * 0.3 + 1.0 * 0.7 + 0.1), math.tanh(2.0 * 0.3 - 0.25 * 0.7 - 0.2)]
    expected = h[0] - 3.0 * h[1] + 0.05  # linear output
    out = model(x)
    assert isinstance(out, Value)  # one output: the Value itself (micrograd's rule)
    assert out.data == pytest.approx(expected, rel=1e-14)
    assert model.predict(x) == pytest.approx(expected, rel=1e-14)
    assert model.output_list(x)[0].data == out.data


def test_inputs_are_labelled_constants_not_parameters():
    model = nn.MLP(2, [3, 1])
    out = model([1.0, 2.0])
    leaves = [v for v in topological_order(out) if v.is_leaf]
    inputs = [v for v in leaves if not v.requires_grad]
    assert sorted(v.label for v in inputs) == ["x1", "x2"]
    assert {id(p) for p in model.parameters()} == {id(v) for v in leaves if v.requires_grad}


def test_layer_of_one_output_returns_the_value_and_bias_false():
    layer = nn.Layer(3, 1, activation="sigmoid", bias=False)
    out = layer([1.0, 2.0, 3.0])
    assert isinstance(out, Value)
    assert [v.data for v in layer.output_list([1.0, 2.0, 3.0])] == [out.data]
    assert isinstance(nn.Layer(3, 2)([1.0, 2.0, 3.0]), list)
    assert layer.num_parameters() == 3
    neuron = nn.Neuron(2, activation="linear", bias=False, rng=3)
    assert neuron([1.0, 1.0]).data == pytest.approx(sum(p.data for p in neuron.parameters()))
    given = nn.Neuron.from_weights([2.0, -3.0, -3.0], activation="sigmoid")  # seed 004, 2.2.2
    assert given([-1.0, -2.0, 1.0]).data == pytest.approx(1 / (1 + math.exp(-1.0)), rel=1e-15)
    assert [p.label for p in given.parameters()] == ["w.0", "w.1", "w.2"]


def test_unknown_activation_and_bad_sizes_are_clear_errors():
    with pytest.raises(ValueError, match="'tanh', 'relu', 'sigmoid', 'linear'"):
        nn.MLP(2, [3, 1], activation="gelu")
    with pytest.raises(ValueError, match="layer size must be a positive int"):
        nn.MLP(2, [3, 0])
    with pytest.raises(ValueError, match="expects 2 inputs, got 3"):
        nn.MLP(2, [1])([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="layer 1 has rows of 3 weights but layer 0 has 2"):
        nn.MLP.from_weights([[[1.0], [2.0]], [[1.0, 2.0, 3.0]]])
    with pytest.raises(ValueError, match="weight_labels\\[0\\]\\[0\\] should list 2 labels"):
        nn.MLP.from_weights([[[1.0, 2.0]]], weight_labels=[[["a"]]])
    with pytest.raises(TypeError, match="layers.0: parameter 'neurons.0.w.1': expected a number"):
        nn.MLP.from_weights([[[1.0, "2"]]])


def test_state_dict_round_trip_and_mismatch_leaves_model_unchanged():
    a, b = nn.MLP(2, [3, 1], seed=1), nn.MLP(2, [3, 1], seed=2)
    b.load_state_dict(a.state_dict())
    assert b.state_dict() == a.state_dict()
    before = b.state_dict()
    bad = dict(before, **{"layers.0.neurons.2.b": float("nan")})
    with pytest.raises(ValueError, match="'layers.0.neurons.2.b'.*finite"):
        b.load_state_dict(bad)
    smaller = nn.MLP(2, [2, 1]).state_dict()
    with pytest.raises(ValueError, match="missing \\['layers.0.neurons.2.w.0'"):
        b.load_state_dict(smaller)
    assert b.state_dict() == before


def test_zero_grad_and_repr():
    model = nn.MLP(2, [16, 16, 1], activation="relu")
    model([1.0, -1.0]).backward()
    assert any(p.grad != 0.0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())
    assert repr(model) == ("MLP(2 -> [16, 16, 1], 337 parameters\n"
                           "  (layers.0): Layer(2 -> 16, relu, 48 parameters)\n"
                           "  (layers.1): Layer(16 -> 16, relu, 272 parameters)\n"
                           "  (layers.2): Layer(16 -> 1, linear, 17 parameters)\n)")
    assert repr(nn.Neuron(3, "sigmoid", bias=False)) == "Neuron(3 inputs, sigmoid, no bias)"


def test_docstring_examples():
    import doctest

    import nn.mlp
    for module in (nn, nn.mlp):  # nn's fit line is marked +SKIP (it trains for seconds)
        results = doctest.testmod(module)
        assert results.attempted >= 3 and results.failed == 0, module.__name__
