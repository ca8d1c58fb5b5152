"""Step-by-step backward: one diagram per node, in the order backward() processes them.

Frame k shows the moment node k (in reverse topological order) passes its gradient to its
inputs: node k is highlighted, nodes already processed show their final grads and the edges
they passed back along, and nodes not reached yet are greyed out (with the part of their grad
received so far, so accumulation over several uses is visible). The gradients are simulated
here from the stored local derivatives: the user's `.grad` fields are never touched.
"""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..backward import topological_order
from .draw import check_options, new_diagram, parameter_set, too_large
from .dot import GraphBuilder
from .figure import error_bundle
from .html import stepper_fragment, stepper_page
from .renderer import RenderError
from .style import format_number

__all__ = ["BackwardStepper", "step_backward", "simulate_backward"]

STEPPER_MAX_NODES = 60  # every frame is a full layout: N frames of N nodes each


def simulate_backward(order, root, seed: float = 1.0):
    """Yield (node, grads) per backward step; grads is a fresh dict after that node's step.

    Only nodes that have received something are keys of `grads` (the rest show 'grad ?').
    """
    grads = {root: float(seed)}
    for node in reversed(order):
        g = grads.get(node, 0.0)
        for parent, local in zip(node._prev, node._local):
            grads[parent] = grads.get(parent, 0.0) + local * g
        yield node, dict(grads)


class BackwardStepper:
    """The frames of a step-by-step backward pass of `root`'s graph.

    `frames`: one graphviz.Digraph per step (`len(frames) == number of nodes`); `captions`: one
    line per frame; `save(path)` writes a self-contained HTML page (inline SVGs, prev/next
    buttons and a slider, no network); in Jupyter the same player displays inline. Takes
    draw()'s keywords (view is 'backward' or 'both'; collapse is not supported here) and
    `grad` (the seed, default 1.0).
    """

    def __init__(self, root, view="backward", params=None, rankdir="LR", precision=4, size=None,
                 max_nodes=STEPPER_MAX_NODES, title=None, *, collapse=None, grad: float = 1.0):
        check_options(root, view, precision, max_nodes)
        if collapse is not None:
            raise ValueError("the stepper draws every node (one frame each), so collapse= is not "
                             "supported; step through a smaller graph, or draw(collapse=...)")
        if view == "forward":
            raise ValueError("a backward stepper needs view='backward' or 'both'")
        order = topological_order(root)
        if len(order) > max_nodes:
            raise too_large(len(order), max_nodes, False)
        params = parameter_set(params)
        self.frames, self.captions = [], []
        for step, (node, grads) in enumerate(simulate_backward(order, root, grad)):
            done = set(order[len(order) - step:])
            states = {n: "done" if n in done else "pending" for n in order}
            states[node] = "current"
            builder = GraphBuilder(root, order, view, params, precision, grads, states)
            dg = new_diagram(rankdir, size, title)
            for n in order:
                builder.add_value(dg, n)
                if n._op is not None:
                    builder.add_uses(dg, n)
            self.frames.append(dg)
            self.captions.append(self._caption(step, len(order), node, grads, precision))

    @staticmethod
    def _caption(step, total, node, grads, precision) -> str:
        name = node.label or (f"{node._op.name} node" if node._op else "a leaf")
        g = format_number(grads.get(node, 0.0), precision)
        passes = (f", passes it to {len(node._prev)} input edge(s)" if node._prev
                  else " (a leaf: its gradient is final)")
        return f"step {step + 1}/{total}: {name} has grad {g}{passes}"

    def svgs(self, timeout: float = 60.0) -> list:
        """Each frame rendered to SVG text (through the project's renderer)."""
        # Each frame is an independent subprocess: render them side by side.
        with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
            return list(pool.map(lambda f: f.pipe("svg", encoding="utf-8", timeout=timeout),
                                 self.frames))

    def html(self) -> str:
        """The self-contained HTML page of the player."""
        return stepper_page(self.svgs(), self.captions)

    def save(self, path):
        """Write the HTML page to `path` and return it as a pathlib.Path."""
        path = Path(path)
        path.write_text(self.html(), encoding="utf-8")
        return path

    def __len__(self) -> int:
        return len(self.frames)

    def _repr_html_(self) -> str:
        # Jupyter display: the player, or the reason it cannot render plus the DOT source.
        try:
            return stepper_fragment(self.svgs(), self.captions)
        except RenderError as exc:
            return error_bundle(exc, self.frames[0].source)["text/html"]


def step_backward(root, **kwargs) -> BackwardStepper:
    """The step-by-step backward of `root` (see BackwardStepper for the keywords)."""
    return BackwardStepper(root, **kwargs)
