"""The worked examples: one module per homework question of the seeds, and a registry.

    >>> from autograd import examples
    >>> examples.names()[:2]
    ['seed000_softmax', 'seed000_net221']
    >>> example = examples.get("seed003_net321")
    >>> [(e.label, e.quantity) for _, _, report in example.run() for e in report.slips]
    [('w31-1', 'grad')]

Each module has `NAME`, a docstring that states the problem in our own words and what the
checker finds, and `build() -> Example` (fresh graphs on every call).
"""
from __future__ import annotations

from importlib import import_module

from .base import Example, Stage

__all__ = ["Example", "Stage", "names", "get", "describe"]

# in the order of the seed homework's index (homework 000 .. 004)
_MODULES = ("seed000_softmax", "seed000_net221", "seed001_neuron", "seed001_gates",
            "seed001_jacobians", "seed001_q12", "seed002_net221_sgd", "seed003_net321", "seed004_bce")
_ALIASES = {"seed000": "seed000_softmax", "seed001": "seed001_neuron", "seed002": "seed002_net221_sgd",
            "seed003": "seed003_net321", "seed004": "seed004_bce"}


def names() -> list:
    """The names of every worked example, in seed order."""
    return list(_MODULES)


def _module(name: str):
    full = _ALIASES.get(name, name)
    if full not in _MODULES:
        raise KeyError(f"no worked example named {name!r}; known: {', '.join(_MODULES)} "
                       f"(short names: {', '.join(_ALIASES)})")
    return import_module(f"{__name__}.{full}")


def get(name: str) -> Example:
    """Build the example called `name` (or a short alias such as "seed002")."""
    return _module(name).build()


def describe(name: str) -> str:
    """The first line of the example's description, without building its graphs."""
    return (_module(name).__doc__ or "").strip().splitlines()[0]
