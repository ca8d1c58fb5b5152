"""Step-by-step backward: one frame per node, in the order backward() processes them.

Frame k shows the moment node k (in reverse topological order) passes its gradient to its
inputs: node k is highlighted, nodes already processed show their final grads and the edges
they passed back along, and nodes not reached yet are greyed out (with the part of their grad
received so far, so accumulation over several uses is visible). The gradients are simulated
from the stored local derivatives (frames.py): the user's `.grad` fields are never touched.

All frames share ONE graphviz layout (step_layout.py), so building the player costs a single
render whatever the number of steps, and nodes stay put while stepping.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..graph import topological_order
from .dot import GraphBuilder, reader_names
from .draw import check_options, new_diagram, parameter_set, too_large, value_set
from .figure import error_bundle
from .explain_frame import explain_frame
from .frames import build_frames
from .html import stepper_fragment, stepper_page
from .panel import step_lines
from .renderer import RenderError
from .step_layout import layout_builder, layout_diagram, mark_svg, widest_texts

if TYPE_CHECKING:
    from ..value import Value
    from .collapse import Grouper
    from .draw import HasParameters, Size
    from .figure import Diagram

__all__ = ["BackwardStepper", "step_backward", "STEPPER_MAX_NODES"]

# One layout in all (about as costly as draw() of the same graph): a 2-16-16-1 MLP with its
# loss (711 nodes) builds in well under a second.
STEPPER_MAX_NODES = 1000


class BackwardStepper:
    """The frames of a step-by-step backward pass of `root`'s graph.

    `frames`: one `frames.Frame` record per step (`len(frames)` == number of nodes: which node
    is processed, the grads received so far, the grad-field texts); `captions`: one line per
    frame; `diagram`: the single shared layout (a Diagram, final grads); `frame_digraph(k)`: a
    standalone Diagram of frame k; `panel`: per frame, the side panel's lines (the step's
    arithmetic, panel.py); `save(path)` writes a self-contained HTML page (one inline SVG,
    prev/next buttons, a slider, arrow keys and Home/End, no network); in Jupyter the same
    player displays inline. Takes draw()'s keywords (view 'backward' or 'both'; params and
    inputs; no collapse), `grad` (the seed, default 1.0) and `edge_labels` ('auto', 'inline' or
    'external', as in draw()), `explain` (a Value: one more frame at the end, its gradient
    assembled as the sum over the paths from it to root, see explain_frame.py).
    """

    def __init__(self, root: Value, view: str = "backward",
                 params: Value | Iterable[Value] | HasParameters | None = None,
                 rankdir: str = "LR", precision: int = 4, size: Size | None = None,
                 max_nodes: int = STEPPER_MAX_NODES, title: str | None = None, *,
                 collapse: int | Grouper | None = None, grad: float = 1.0,
                 edge_labels: str = "auto", inputs: Value | Iterable[Value] = (),
                 explain: Value | None = None) -> None:
        check_options(root, view, precision, max_nodes)
        if collapse is not None:
            raise ValueError("the stepper draws every node (one frame each), so collapse= is not "
                             "supported; step through a smaller graph, or draw(collapse=...)")
        if view == "forward":
            raise ValueError("a backward stepper needs view='backward' or 'both'")
        self.order = topological_order(root)
        if len(self.order) > max_nodes:
            raise too_large(len(self.order), max_nodes, False)
        self.root, self.view, self.precision, self.title = root, view, precision, title
        self.params, self.inputs = parameter_set(params), value_set(inputs, "inputs")
        self._layout: tuple[str, Size | None, str | None] = (rankdir, size, title)
        backward = build_frames(self.order, root, grad, precision)
        extra = None if explain is None else explain_frame(backward, self.order, root, explain,
                                                           precision)
        self.frames = backward + ([extra[0]] if extra else [])  # explain=: the sum over paths
        self.captions = [frame.caption for frame in self.frames]
        self._widest = widest_texts(self.frames)
        builder = layout_builder(root, self.order, self.frames, self._widest, view, self.params,
                                 precision, self.inputs, edge_labels)
        for i, node in enumerate(self.order):
            if not builder.shows_grad(node):
                self._widest[i] = None  # constants have no grad field to rewrite
        self.diagram = layout_diagram(builder, self.order, rankdir, size)
        self.panel = step_lines(backward, self.order, reader_names(self.order, precision),
                                builder.roles, precision) + ([extra[1]] if extra else [])
        self._svg: str | None = None  # rendered on first use

    def frame_digraph(self, k: int) -> Diagram:
        """Frame k as a standalone Diagram (its own layout: for a single picture, e.g. a slide)."""
        frame = self.frames[k]
        grads = {node: g for node, g in zip(self.order, frame.grads) if g is not None}
        states = dict(zip(self.order, frame.states))
        builder = GraphBuilder(self.root, self.order, self.view, self.params, self.precision,
                               grads, states, inputs=self.inputs)
        dg = new_diagram(*self._layout, legend=True)
        for node in self.order:
            builder.add_value(dg, node)
            if not node.is_leaf:
                builder.add_uses(dg, node)
        return dg

    def svg(self, timeout: float = 60.0) -> str:
        """The shared layout rendered to SVG once (cached), grad fields marked with ids g{i}."""
        if self._svg is None:
            raw = self.diagram.pipe("svg", encoding="utf-8", timeout=timeout)
            self._svg = mark_svg(raw, self._widest, self.frames[-1].grad_texts)
        return self._svg

    def html(self) -> str:
        """The self-contained HTML page of the player."""
        return stepper_page(self.svg(), self.frames, self.title or "Backward, step by step",
                            self.panel)

    def save(self, path: str | Path) -> Path:
        """Write the HTML page to `path` and return it as a pathlib.Path."""
        file = Path(path)
        file.write_text(self.html(), encoding="utf-8")
        return file

    def __len__(self) -> int:
        return len(self.frames)

    def _repr_html_(self) -> str:
        # Jupyter display: the player, or the reason it cannot render plus the DOT source.
        try:
            return stepper_fragment(self.svg(), self.frames, self.panel)
        except RenderError as exc:
            return error_bundle(exc, self.diagram.source)["text/html"]


def step_backward(root: Value, **kwargs: Any) -> BackwardStepper:
    """The step-by-step backward of `root` (see BackwardStepper for the keywords)."""
    return BackwardStepper(root, **kwargs)
