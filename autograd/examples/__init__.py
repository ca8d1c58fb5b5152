"""The worked examples: one module per homework question of the seeds, and a registry.

    >>> from autograd import examples
    >>> examples.names()[:2]
    ['seed000_softmax', 'seed000_net221']
    >>> example = examples.get("seed003_net321")
    >>> [(e.label, e.quantity) for _, _, report in example.run() for e in report.slips]
    [('w31_1', 'grad')]

Each module has `NAME`, a docstring that states the problem in our own words and what the
checker finds, and `build() -> Example` (fresh graphs on every call). A worked example that a
worksheet can express exists once, as the sheet: its name here runs the shipped sheet, graded
with error carried forward (`seed000_net221` is the sheet `seed000_q3`, `seed001_gates` the
sheet `seed001_gates`, `seed003_net321` the sheet `seed003_q3`, whose labels write '_' for the
seed's '-': `w31_1`). Python modules remain for what a sheet cannot say (softmax batches,
Jacobians, formulas checked at points, a training step on the same graph); each says why in
its docstring.

Worksheets (TOML, see `autograd.sheets`) run the same way: `get("sheet-seed002")` or
`get("path/to/sheet.toml")` gives an Example whose printed numbers are the sheet's answers file;
`sheet_names()` lists the shipped sheets under those names.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from importlib import import_module
from types import ModuleType
from typing import TypeVar

from .base import Example, Stage

__all__ = ["Example", "Stage", "names", "sheet_names", "get", "describe"]

# in the order of the seed homework's index (homework 000 .. 004)
_MODULES = ("seed000_softmax", "seed000_net221", "seed001_neuron", "seed001_gates",
            "seed001_jacobians", "seed001_q12", "seed002_net221_sgd", "seed003_net321", "seed004_bce")
# examples that exist once, as shipped sheets: name -> (sheet, provenance)
_AS_SHEETS = {"seed000_net221": ("seed000_q3", "homework 000, question 3"),
              "seed001_gates": ("seed001_gates", "homework 001, computation graphs"),
              "seed003_net321": ("seed003_q3", "homework 003, question 3")}
_ALIASES = {"seed000": "seed000_softmax", "seed001": "seed001_neuron", "seed002": "seed002_net221_sgd",
            "seed003": "seed003_net321", "seed004": "seed004_bce"}


def names() -> list[str]:
    """The names of every worked example, in seed order."""
    return list(_MODULES)


def sheet_names() -> list[str]:
    """The shipped worksheets, as example names ('sheet-seed002', ...)."""
    from ..sheets import library_names
    from .from_sheet import PREFIX
    return [PREFIX + name for name in library_names()]


T = TypeVar("T")


def _module(name: str) -> ModuleType:
    full = _ALIASES.get(name, name)
    if full not in _MODULES:
        raise KeyError(f"no worked example named {name!r}; known: {', '.join(_MODULES)} "
                       f"(short names: {', '.join(_ALIASES)})")
    return import_module(f"{__name__}.{full}")


def get(name: str) -> Example:
    """Build the example called `name` (a short alias such as "seed002", or a sheet name)."""
    from .from_sheet import PREFIX, is_sheet_name, sheet_example
    if is_sheet_name(name):
        return _sheet(name, sheet_example)
    full = _ALIASES.get(name, name)
    if full in _AS_SHEETS:
        sheet, source = _AS_SHEETS[full]
        example = _sheet(PREFIX + sheet, sheet_example)
        return replace(example, name=full, source=f"{source} (the worksheet {sheet})")
    return _module(name).build()


def _sheet(name: str, make: Callable[[str], T]) -> T:
    from ..sheets import SheetError
    try:
        return make(name)
    except SheetError as exc:  # the registry's contract: an unknown or unusable name is a KeyError
        raise KeyError(str(exc)) from None


def describe(name: str) -> str:
    """The first line of the example's description (for a sheet: its title)."""
    from .from_sheet import is_sheet_name
    full = _ALIASES.get(name, name)
    if is_sheet_name(name) or full in _AS_SHEETS:
        from ..sheets import find_sheet
        spec = _AS_SHEETS[full][0] if full in _AS_SHEETS else name.removeprefix("sheet-")
        return _sheet(spec, lambda n: find_sheet(n).title)
    return (_module(name).__doc__ or "").strip().splitlines()[0]
