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

__all__ = ["short_label", "MAX_LABEL"]

MAX_LABEL = 40  # characters; a longer label pushes its record wider than the rest of the graph


def short_label(label: str) -> str:
    """The label as a diagram prints it (see the module docstring)."""
    parts = label.split(".")
    numbers = [p for p in parts if p.isdigit()]
    words = [p for p in parts if p and not p.isdigit()]
    if len(parts) > 2 and numbers and words and all(re.fullmatch(r"\w+", p) for p in parts):
        label = f"{words[-1]}[{','.join(numbers)}]"
    return label if len(label) <= MAX_LABEL else label[:MAX_LABEL - 1] + "…"
