"""Step-by-step backward: one frame per node, in the order backward() processes them.

Frame k shows the moment node k (in reverse topological order) passes its gradient to its
inputs: node k is highlighted, nodes already processed show their final grads and the edges
they passed back along, and nodes not reached yet are greyed out (with the part of their grad
received so far, so accumulation over several uses is visible). The gradients are simulated
from the stored local derivatives (frames.py): the user's `.grad` fields are never touched.
A constant has no frame of its own (it passes nothing on); after the last step a summary page
lists every parameter's gradient. With `collapse=` a frame is a whole group (step_units.py);
with `practice=True` the page asks for each step's gradients first (practice.py).

All frames share ONE graphviz layout (step_layout.py), so building the player costs a single
render whatever the number of steps, and nodes stay put while stepping.
"""
from __future__ import annotations

import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..graph import topological_order
from ..numbers import check_digits
from .collapse import assign_groups
from .dot import GraphBuilder
from .draw import (UNREADABLE_NODES, UnreadableDiagramWarning, check_options, edge_label_mode,
                   new_diagram, parameter_set, too_large, value_set)
from .explain_frame import explain_frame
from .figure import error_bundle
from .frames import build_frames, folded_steps, merged_frames
from .html import player_data, stepper_fragment, stepper_page
from .labels import reader_names
from .panel import step_lines, summary_lines
from .practice import practice_data
from .renderer import RenderError
from .step_layout import (collapsed_layout, layout_builder, layout_diagram, mark_svg,
                          widest_texts)
from .step_units import unit_captions, unit_near, unit_pages, unit_sequence, unit_steps
from .style import gets_gradient

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

    `frames`: one `frames.Frame` record per step (one per node that gets a gradient: a
    constant has no step of its own, it turns done with its last consumer); `captions`: one
    line per page (each frame, then the summary page); `diagram`: the single shared layout (a
    Diagram, final grads); `frame_digraph(k)`: a standalone Diagram of frame k; `panel`: per
    page, the side panel's lines (the step's arithmetic, panel.py; the last page lists every
    parameter's gradient); `save(path)` writes a self-contained HTML page (one inline SVG,
    prev/next buttons, a slider, a fit/100 % button, arrow keys and Home/End, no network); in
    Jupyter the same player displays inline. Takes draw()'s keywords (view 'backward' or
    'both'; params and inputs), `grad` (the seed, default 1.0) and `edge_labels` ('auto',
    'inline' or 'external', as in draw()). Warns (UnreadableDiagramWarning) above
    UNREADABLE_NODES steps, as draw() does. `collapse=` (as in draw: a label depth or a
    callable) steps a group (a neuron, a layer) at a time: its box is one step, whose panel
    lists the group's parameter gradients and unfolds into its scalar steps (step_units.py).

    Practice mode (`practice=True`): each step asks for the gradients it sends to its inputs
    before showing them and judges a typed answer as the sheet grader does (`digits`
    significant digits required, default `precision`), naming the likely misconception of a
    slip; `ask` (Values) limits the questions to those Values' gradients. `questions`: per
    frame, the embedded questions (practice.py).

    `explain` (a Value): one more frame after the steps, its gradient assembled as the sum over
    the paths from it to root (explain_frame.py); its page comes after the summary.
    """

    def __init__(self, root: Value, view: str = "backward",
                 params: Value | Iterable[Value] | HasParameters | None = None,
                 rankdir: str = "LR", precision: int = 4, size: Size | None = None,
                 max_nodes: int = STEPPER_MAX_NODES, title: str | None = None, *,
                 collapse: int | Grouper | None = None, grad: float = 1.0,
                 edge_labels: str = "auto", inputs: Value | Iterable[Value] = (),
                 practice: bool = False, digits: int | None = None,
                 ask: Value | Iterable[Value] | None = None,
                 explain: Value | None = None) -> None:
        check_options(root, view, precision, max_nodes)
        if view == "forward":
            raise ValueError("a backward stepper needs view='backward' or 'both'")
        if not isinstance(practice, bool):
            raise TypeError(f"practice must be True or False, got {type(practice).__name__}: "
                            f"{practice!r} (to ask only some gradients, pass ask=[values])")
        if practice and collapse is not None:
            raise ValueError("practice mode asks for every scalar gradient, so it does not "
                             "collapse groups; practise on a smaller graph (one neuron)")
        self.digits = check_digits(precision if digits is None else digits, "digits")
        asked = None if ask is None else value_set(ask, "ask")
        self.order = topological_order(root)
        if len(self.order) > max_nodes:
            raise too_large(len(self.order), max_nodes, False)
        if asked is not None and not practice:
            raise ValueError("ask= names the gradients practice mode asks for: pass "
                             "practice=True with it")
        if asked is not None:
            members = set(self.order)
            stray = [v for v in asked if v not in members or not gets_gradient(v)]
            if stray:
                raise ValueError(f"ask= holds {len(stray)} Value(s) that get no gradient from "
                                 f"this root (not in its graph, or requires_grad=False), e.g. "
                                 f"{stray[0]!r}")
        self.root, self.view, self.precision, self.title = root, view, precision, title
        self.params, self.inputs = parameter_set(params), value_set(inputs, "inputs")
        self._layout: tuple[str, Size | None, str | None] = (rankdir, size, title)
        self.collapsed = collapse is not None
        groups = {} if collapse is None else assign_groups(self.order, root, collapse)
        units = unit_sequence(self.order, root, groups) if groups else None
        node_frames = build_frames(self.order, root, grad, precision,
                                   None if units is None else units.sequence)
        names = reader_names(self.order, precision)
        self._widest = widest_texts(node_frames)
        builder = layout_builder(root, self.order, node_frames, self._widest, view, self.params,
                                 precision, self.inputs, edge_labels)
        if groups:  # edge texts inline or not by what is drawn: a few boxes, not every node
            drawn = len(set(groups.values())) + len(self.order) - len(groups)
            builder.set_label_mode(edge_label_mode(edge_labels, drawn))
        for i, node in enumerate(self.order):
            if not builder.shows_grad(node) or node in groups:
                self._widest[i] = None  # constants and boxed nodes have no grad field
        node_pages = step_lines(node_frames, self.order, names, precision)
        near: list[list[int]]
        if units is None:
            frames = node_frames
            pages = node_pages
            index = {node: i for i, node in enumerate(self.order)}
            near = [[f.current] + [index[p] for p in f.node.parents] for f in frames]
            steps = folded_steps(self.order, frames)
            self.diagram = layout_diagram(builder, self.order, rankdir, size)
        else:
            captions = unit_captions(units, node_frames, self.order, names, builder.params,
                                     precision)
            frames = merged_frames(node_frames, units.members, captions)
            pages = unit_pages(units, node_frames, node_pages, captions, self.order, names,
                               builder.params, precision)
            near, steps = unit_near(units, self.order), unit_steps(units, self.order)
            reps = {name: units.reps[u] for u, name in enumerate(units.names) if name}
            self.diagram = collapsed_layout(builder, self.order, groups, reps, rankdir, size)
        if len(frames) > UNREADABLE_NODES:
            warnings.warn(f"this stepper has {len(frames)} steps over a diagram of "
                          f"{len(self.order)} nodes: too many to follow or read; step through "
                          "it a layer or a neuron at a time with collapse=2 or collapse=4 (for "
                          "labels like 'layers.0.neurons.1.w.2'), or through a smaller graph",
                          UnreadableDiagramWarning, stacklevel=3)
        summary = summary_lines(frames, self.order, names, builder.roles, precision)
        # explain=: one more frame (every node done) whose page assembles the sum over paths
        explained = None if explain is None else explain_frame(frames, self.order, root, explain,
                                                               precision)
        self.frames = frames + ([explained[0]] if explained else [])
        self.panel = pages + [summary] + ([explained[1]] if explained else [])
        self.captions = ([frame.caption for frame in frames] + [summary[0]]
                         + ([explained[0].caption] if explained else []))
        self.data = player_data(self.frames, self.panel, steps, self.captions, near,
                                [not gets_gradient(n) for n in self.order])
        self.questions: list[list[dict[str, Any]]] | None = None
        if practice:
            extra = practice_data(frames, self.order, names, self.digits, precision, asked)
            self.questions = extra["q"]
            self.data.update(extra)
        self._svg: str | None = None  # rendered on first use

    def frame_digraph(self, k: int) -> Diagram:
        """Frame k as a standalone Diagram (its own layout: for a single picture, e.g. a slide)."""
        if self.collapsed:
            raise ValueError("frame_digraph draws every node: not for a collapsed stepper "
                             "(draw(root, collapse=...) draws the collapsed graph)")
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
        default = "Backward, practice" if self.questions is not None else "Backward, step by step"
        return stepper_page(self.svg(), self.data, self.title or default)

    def save(self, path: str | Path) -> Path:
        """Write the HTML page to `path` and return it as a pathlib.Path."""
        file = Path(path)
        file.write_text(self.html(), encoding="utf-8")
        return file

    def __len__(self) -> int:
        return len(self.frames)

    @property
    def pages(self) -> int:
        """The pages of the player: every frame, then the summary."""
        return len(self.captions)

    def _repr_html_(self) -> str:
        # Jupyter display: the player, or the reason it cannot render plus the DOT source.
        try:
            return stepper_fragment(self.svg(), self.data)
        except RenderError as exc:
            return error_bundle(exc, self.diagram.source)["text/html"]


def step_backward(root: Value, **kwargs: Any) -> BackwardStepper:
    """The step-by-step backward of `root` (see BackwardStepper for the keywords)."""
    return BackwardStepper(root, **kwargs)
