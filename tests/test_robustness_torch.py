"""`MLP.from_torch` refuses everything it cannot reproduce exactly: subclasses of Linear or of
the activations (their forward may compute anything), look-alike classes with the same name,
modules with hooks, a Sequential subclass, complex weights; and what it accepts gives the
same outputs as torch (within float64 rounding) and plain Python floats."""
import pytest

from optional import require

import nn

torch = require("torch", 'pip install "teachgrad[torch]"')


class DoubledLinear(torch.nn.Linear):
    """A Linear whose forward is not Linear's."""

    def forward(self, x):
        return 2 * super().forward(x)


class ReLU(torch.nn.Module):
    """Named like torch's ReLU, computing something else."""

    def forward(self, x):
        return x.abs()


class LeakyTanh(torch.nn.Tanh):
    """A subclass of an activation with its own forward."""

    def forward(self, x):
        return torch.tanh(x) + 0.01 * x


class MySequential(torch.nn.Sequential):
    """A Sequential subclass may run its layers however it likes."""


def _hooked():
    layer = torch.nn.Linear(2, 1)
    layer.register_forward_hook(lambda module, inputs, output: output * 2)
    return torch.nn.Sequential(layer)


@pytest.mark.parametrize("make,phrase", [
    (lambda: torch.nn.Sequential(DoubledLinear(2, 1)), "layer 0 (DoubledLinear) is a subclass of Linear"),
    (lambda: torch.nn.Sequential(torch.nn.Linear(2, 3), ReLU(), torch.nn.Linear(3, 1)),
     "layer 1 is ReLU, which an MLP cannot hold"),
    (lambda: torch.nn.Sequential(torch.nn.Linear(2, 3), LeakyTanh(), torch.nn.Linear(3, 1)),
     "layer 1 (LeakyTanh) is a subclass of Tanh"),
    (lambda: MySequential(torch.nn.Linear(2, 1)), "the Sequential is a subclass of Sequential"),
    (_hooked, "has hooks (_forward_hooks)"),
    (lambda: torch.nn.Sequential(torch.nn.Linear(2, 1, dtype=torch.complex64)),
     "dtype torch.complex64"),
], ids=["Linear subclass", "look-alike ReLU", "Tanh subclass", "Sequential subclass", "hook",
        "complex"])
def test_from_torch_refuses_what_it_cannot_reproduce(make, phrase):
    with pytest.raises(ValueError, match=phrase.replace("(", r"\(").replace(")", r"\)")):
        nn.MLP.from_torch(make())


@pytest.mark.parametrize("dtype", [torch.float16, torch.float32, torch.float64])
def test_what_it_accepts_computes_what_torch_computes(dtype):
    torch.manual_seed(0)
    seq = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 1)).to(dtype)
    model = nn.MLP.from_torch(seq)
    assert all(type(p.data) is float for p in model.parameters())
    x = [0.5, -1.25, 2.0]
    want = seq.double()(torch.tensor([x], dtype=torch.float64)).item()
    assert abs(model.predict(x) - want) <= 1e-12 * max(1.0, abs(want))
