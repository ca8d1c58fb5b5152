"""The side panel of the step-by-step page: each step's arithmetic, written as a hand solution.

For the node being processed: the step's caption (its name -- label, or `#k (op)` as Trace
and the diagram's box name it -- and its gradient), then for each input the local derivative's
formula, the numbers and what the input receives, with the running total when gradient
reaches it along several edges; after the last step, a summary of every parameter's gradient:

    step 3 of 28: z2, dL/dz2 = 0.1385
    dL/dW2_1 += a1_1·dL/dz2 = 0.5933 × 0.1385 = 0.08217

The formulas are the op table's (`annotate.local_formula`) and the numbers the chain rule's
steps the frames carry (`autograd.graph.sweep`); nothing is re-derived or re-added here.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from .annotate import grouped, local_formula
from .style import format_number, gets_gradient

if TYPE_CHECKING:
    from ..value import Value
    from .frames import Frame

__all__ = ["step_lines", "summary_lines"]


def step_lines(frames: Sequence[Frame], order: Sequence[Value], names: Mapping[Value, str],
               precision: int = 4) -> list[list[str]]:
    """For each frame, the panel's lines: the frame's caption, then one line per input edge."""
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
        lines = [frame.caption]
        if node.is_leaf:
            lines.append("a leaf: this gradient is final")
        for k, step in enumerate(frame.steps):
            parent, local = step.parent, step.local
            if not gets_gradient(parent):
                lines.append(f"{names[parent]} receives nothing (requires_grad=False: a "
                             "constant, or data)")
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


def summary_lines(frames: Sequence[Frame], order: Sequence[Value], names: Mapping[Value, str],
                  roles: Mapping[Value, str], precision: int = 4) -> list[str]:
    """The last page: every parameter's gradient (then every input's that gets one)."""
    final = frames[-1].grads if frames else ()
    lines = []
    for role in ("parameter", "input"):
        for i, node in enumerate(order):
            if roles[node] == role and gets_gradient(node):
                lines.append(f"dL/d{names[node]} = {format_number(final[i] or 0.0, precision)}")
    count = sum(1 for node in order if roles[node] == "parameter")
    head = (f"summary: the gradient of every parameter ({count})" if count
            else "summary: the gradient of every input")
    return [head] + (lines or ["no node of this graph gets a gradient"])
