"""The side panel of the step-by-step page: each step's arithmetic, written as a hand solution.

For the node being processed: its name (label, a constant's value, or `#k (op)` as Trace names
it) and its gradient, then for each input the local derivative's formula, the numbers and what
the input receives, with the running total when gradient reaches it along several edges:

    z2 (+): dL/dz2 = 0.1385
    dL/dW2_1 += a1_1·dL/dz2 = 0.5933 × 0.1385 = 0.08217

The formulas are the op table's (`annotate.local_formula`) and the numbers the chain rule's
steps the frames carry (`autograd.graph.sweep`); nothing is re-derived or re-added here.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from .annotate import grouped, local_formula
from .style import format_number

if TYPE_CHECKING:
    from ..value import Value
    from .frames import Frame

__all__ = ["step_lines"]


def _who(node: Value, names: Mapping[Value, str]) -> str:
    name = names[node]
    return name if node.label or node.is_leaf else f"{name} ({node.op})"


def step_lines(frames: Sequence[Frame], order: Sequence[Value], names: Mapping[Value, str],
               roles: Mapping[Value, str], precision: int = 4) -> list[list[str]]:
    """For each frame, the panel's lines: a heading, then one line per input edge."""
    uses: dict[Value, int] = {}
    for node in order:
        for parent in node.parents:
            uses[parent] = uses.get(parent, 0) + 1
    fmt = lambda x: format_number(x, precision)  # noqa: E731  (a short local alias)
    pages = []
    for frame in frames:
        node, i = frame.node, frame.current
        g = frame.grads[i] or 0.0
        d_node = f"dL/d{names[node]}"
        lines = [f"step {frame.step + 1} of {len(frames)}: {_who(node, names)}"]
        if roles[node] == "constant":
            pages.append(lines + ["a constant: it has no gradient and passes nothing on"])
            continue
        lines.append(f"{d_node} = {fmt(g)}")
        if node.is_leaf:
            lines.append("a leaf: this gradient is final")
        for k, step in enumerate(frame.steps):
            parent, local = step.parent, step.local
            if roles[parent] == "constant":
                lines.append(f"{names[parent]} is a constant: it receives nothing")
                continue
            part = local * step.upstream
            formula = local_formula(node, k, names)
            head = f"dL/d{names[parent]} += "
            if formula:
                lines.append(f"{head}{grouped(formula)}·{d_node} = {fmt(local)} × {fmt(g)} = "
                             f"{fmt(part)}")
            else:
                lines.append(f"{head}{fmt(local).removesuffix('.0')}·{d_node} = {fmt(part)}")
            if uses[parent] > 1:
                lines.append(f"    running total dL/d{names[parent]} = {fmt(step.total)}")
        pages.append(lines)
    return pages
