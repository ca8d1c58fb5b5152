"""The way out to PyTorch: MLP.to_torch() and MLP.from_torch() copy weights exactly, both ways.

torch is the optional extra `teachgrad[torch]` (torch==2.13.0, installed by .ci/run): in CI
these tests always run (a missing torch fails them); elsewhere they are skipped with the hint. Outputs and gradients must agree to 1e-12 on random inputs.
"""
import random
import sys

import pytest

import nn
from optional import require
from autograd import Value

torch = require("torch", 'pip install -e ".[torch]"')

TOL = 1e-12


def _engine_output_and_grads(model, x):
    """The model's outputs at x and d(sum of outputs)/d(inputs and parameters), by the engine."""
    xs = [Value(v, label=f"x{i}") for i, v in enumerate(x)]
    outs = model.output_list(xs)
    total = outs[0]
    for o in outs[1:]:
        total = total + o
    total.backward()
    return [o.data for o in outs], [v.grad for v in xs], [p.grad for p in model.parameters()]


def _torch_output_and_grads(seq, x):
    xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    out = seq(xt)
    out.sum().backward()
    grads = []
    for module in seq:  # parameters in the engine's order: neuron by neuron, weights then bias
        if isinstance(module, torch.nn.Linear):
            for j in range(module.out_features):
                grads += module.weight.grad[j].tolist()
                if module.bias is not None:
                    grads.append(module.bias.grad[j].item())
    return out.tolist(), xt.grad.tolist(), grads


def _assert_identical(model, seq, rng, nin, spread):
    """Outputs and gradients (inputs and every parameter) agree to TOL at 5 random points."""
    for _ in range(5):
        x = [rng.uniform(-spread, spread) for _ in range(nin)]
        model.zero_grad()
        ours, ours_dx, ours_dp = _engine_output_and_grads(model, x)
        theirs, theirs_dx, theirs_dp = _torch_output_and_grads(seq, x)
        seq.zero_grad()
        assert ours == pytest.approx(theirs, abs=TOL, rel=TOL)
        assert ours_dx == pytest.approx(theirs_dx, abs=TOL, rel=TOL)
        assert ours_dp == pytest.approx(theirs_dp, abs=TOL, rel=TOL)


@pytest.mark.parametrize("activation, output_activation, sizes, bias", [
    ("tanh", "linear", [5, 4, 1], True),
    ("relu", "sigmoid", [6, 3], True),
    ("sigmoid", "tanh", [4, 2], False),
])
def test_to_torch_gives_identical_outputs_and_gradients(activation, output_activation, sizes,
                                                        bias):
    rng = random.Random(7)
    model = nn.MLP(3, sizes, activation=activation, output_activation=output_activation,
                   bias=bias, seed=3)
    seq = model.to_torch()
    assert all(p.dtype == torch.float64 for p in seq.parameters())
    _assert_identical(model, seq, rng, 3, 3.0)


def test_from_torch_copies_a_sequential_exactly():
    torch.manual_seed(0)
    seq = torch.nn.Sequential(torch.nn.Linear(4, 6), torch.nn.ReLU(), torch.nn.Linear(6, 6),
                              torch.nn.ReLU(), torch.nn.Linear(6, 2)).double()
    model = nn.MLP.from_torch(seq)
    assert model.architecture() == {"type": "MLP", "nin": 4, "sizes": [6, 6, 2],
                                    "activations": ["relu", "relu", "linear"],
                                    "bias": [True, True, True]}
    _assert_identical(model, seq, random.Random(1), 4, 2.0)
    # and back again: the same numbers bit for bit
    again = nn.MLP.from_torch(model.to_torch())
    assert again.state_dict() == model.state_dict()


def test_from_torch_refuses_what_an_mlp_cannot_hold():
    with pytest.raises(ValueError, match="layer 1 is Dropout, which an MLP cannot hold"):
        nn.MLP.from_torch(torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Dropout()))
    with pytest.raises(ValueError, match="layer 0 \\(ReLU\\) must follow a Linear layer"):
        nn.MLP.from_torch(torch.nn.Sequential(torch.nn.ReLU(), torch.nn.Linear(2, 1)))
    with pytest.raises(ValueError, match="hidden layers use different activations"):
        nn.MLP.from_torch(torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Tanh(),
                                              torch.nn.Linear(3, 3), torch.nn.ReLU(),
                                              torch.nn.Linear(3, 1)))
    with pytest.raises(TypeError, match="needs a torch.nn.Sequential, got Linear"):
        nn.MLP.from_torch(torch.nn.Linear(2, 1))
    with pytest.raises(ValueError, match="has no Linear layer"):
        nn.MLP.from_torch(torch.nn.Sequential())


def test_a_missing_torch_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)  # `import torch` now raises ImportError
    with pytest.raises(ImportError, match='MLP.to_torch needs PyTorch.*teachgrad\\[torch\\]'):
        nn.MLP(2, [1]).to_torch()
