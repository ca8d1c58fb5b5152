"""The names a diagram prints: shortened dotted parameter names and elided long labels.

A model's parameter is labelled by its path, `layers.0.neurons.1.w.0`: correct, but too long to
sit in a record or inside an edge formula twice. Printed, it becomes the last word with the
numbers of its path as indices, `w[0,1,0]`; a label longer than `MAX_LABEL` characters is cut
with `…`. Whatever is shortened keeps its full text in the tooltip (see `GraphBuilder`).

    >>> short_label("layers.0.neurons.1.w.0"), short_label("layers.2.neurons.0.b")
    ('w[0,1,0]', 'b[2,0]')
    >>> short_label("W1_11"), short_label("x" * 45)[-3:]
    ('W1_11', 'xx…')
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..trace import node_names

if TYPE_CHECKING:
    from ..value import Value

__all__ = ["short_label", "MAX_LABEL", "reader_names", "one_power_notation"]

MAX_LABEL = 40  # characters; a longer label pushes its record wider than the rest of the graph


def short_label(label: str) -> str:
    """The label as a diagram prints it (see the module docstring)."""
    parts = label.split(".")
    numbers = [p for p in parts if p.isdigit()]
    words = [p for p in parts if p and not p.isdigit()]
    if len(parts) > 2 and numbers and words and all(re.fullmatch(r"\w+", p) for p in parts):
        label = f"{words[-1]}[{','.join(numbers)}]"
    return label if len(label) <= MAX_LABEL else label[:MAX_LABEL - 1] + "…"


def reader_names(order: Iterable[Value], precision: int) -> dict[Value, str]:
    """What a diagram, the stepper and its panel call each node: Trace's names (label, a
    constant's value, `#k`, see `trace.node_names`), long dotted labels shortened."""
    return {node: short_label(name) for node, name in node_names(order, precision).items()}


# The op table writes a fixed square as `²` and the power rule as `x^3`; a page that shows both
# reads as two notations, so every formula a reader sees uses `^`.
_SUPERSCRIPTS = str.maketrans({"²": "^2", "³": "^3"})


def one_power_notation(formula: str) -> str:
    """`formula` with superscript powers written as `^` (`1 - tanh²` -> `1 - tanh^2`)."""
    return formula.translate(_SUPERSCRIPTS)
