"""`draw(root, ...)`: the diagram of a computation graph as a `graphviz.Digraph`."""
from __future__ import annotations

import warnings
from collections.abc import Iterable
from typing import Protocol, Union, runtime_checkable

from ..graph import topological_order
from ..value import Value
from .collapse import Grouper, add_collapsed, assign_groups
from .dot import VIEWS, DotSink, GraphBuilder
from .highlight import PathSink, drawn_explanation, items_of, legend_rows
from .figure import Diagram
from .graded import check_report, grade_marks
from .renderer import configure_graphviz
from ..numbers import check_digits
from .style import legend_label, title_label
from .tangent_view import TangentBuilder, checked_seed_map

__all__ = ["draw", "GraphTooLarge", "GradsNotComputedWarning", "UnreadableDiagramWarning",
           "parameter_set", "value_set", "new_diagram", "spacing", "UNREADABLE_NODES"]


# Above this many Values, edge texts are placed after layout (xlabel): measured on a 200-Value
# graph, inline labels made graphviz's layout about 6 times slower.
INLINE_LABEL_LIMIT = 120
# Above this many drawn nodes a diagram is a texture, not a figure: warn and suggest collapse=.
UNREADABLE_NODES = 150
# Layout spacing (inches). dot puts an inline edge label in a rank of its own with only half of
# ranksep on either side, so with labels the gap must leave room for the arrowhead after it.
RANKSEP, RANKSEP_LABELLED, NODESEP = "0.45", "0.9", "0.25"


def spacing(dg: Diagram, view: str, label_mode: str) -> None:
    """Widen the rank gaps of `dg` when its edges carry inline labels."""
    if view != "forward" and label_mode == "inline":
        dg.graph_attr["ranksep"] = RANKSEP_LABELLED


Size = Union[str, tuple[float, float], list[float]]  # 'width,height' in inches, or the pair


@runtime_checkable
class HasParameters(Protocol):
    """A model: what `params=` accepts besides Values (its `.parameters()` are coloured)."""

    def parameters(self) -> Iterable[Value]:
        """The model's trainable Values."""
        ...


class GraphTooLarge(ValueError):
    """The graph has more nodes than `max_nodes`: layout would take minutes."""


class GradsNotComputedWarning(UserWarning):
    """A backward view was drawn before backward() ran: every grad would show as 0."""


class UnreadableDiagramWarning(UserWarning):
    """The diagram has so many nodes that its text cannot be read at any sensible size."""


def value_set(values: Value | Iterable[Value], name: str) -> set[Value]:
    """A set of Values from an iterable of Values (a clear TypeError naming `name` otherwise)."""
    found = set()
    if not isinstance(values, (Value, Iterable)) or isinstance(values, (str, bytes)):
        raise TypeError(f"{name} must be a list of Values (or a model with .parameters()), got "
                        f"{type(values).__name__}")
    for v in [values] if isinstance(values, Value) else values:
        if type(v) is not Value:
            raise TypeError(f"{name} must hold Values (or be a model with .parameters()), "
                            f"got {type(v).__name__}: {v!r}")
        found.add(v)
    return found


def parameter_set(params: Value | Iterable[Value] | HasParameters | None) -> set[Value] | None:
    """The Values to colour as parameters (an iterable of Values or a model with .parameters()),
    or None when not given: then style.assign_roles decides by requires_grad."""
    if params is None:
        return None
    if isinstance(params, HasParameters) and callable(params.parameters):  # a model
        return value_set(params.parameters(), "params")
    return value_set(params, "params")  # Values, or anything else, refused by name


def new_diagram(rankdir: str = "LR", size: Size | None = None, title: str | None = None,
                legend: bool = False) -> Diagram:
    """An empty Diagram with the layout options checked and applied; the title and the one-row
    legend form its (HTML, escaped) graph label."""
    if not isinstance(rankdir, str) or rankdir not in ("LR", "TB", "RL", "BT"):
        raise ValueError(f"rankdir must be 'LR' (left to right) or 'TB' (top to bottom) "
                         f"(or 'RL'/'BT'), got {rankdir!r}")
    attrs = {"rankdir": rankdir, "ranksep": RANKSEP, "nodesep": NODESEP}
    if size is not None:
        if isinstance(size, (tuple, list)) and len(size) == 2:
            size = f"{float(size[0]):g},{float(size[1]):g}"
        if not isinstance(size, str):
            raise TypeError(f"size must be 'width,height' in inches or a (width, height) pair, "
                            f"got {size!r}")
        attrs["size"] = size
    if title or legend:
        label = legend_label(title) if legend else title_label(title)
        attrs.update({"label": label, "labelloc": "t", "labeljust": "l" if legend else "c"})
    attrs["fontname"] = "Helvetica"  # the title and legend, like every other text
    return Diagram(graph_attr=attrs, node_attr={"fontname": "Helvetica", "fontsize": "12"},
                   edge_attr={"fontname": "Helvetica"})


def check_options(root: object, view: str, precision: int, max_nodes: int,
                  views: tuple[str, ...] = VIEWS) -> None:
    """Clear errors for the arguments every drawing function shares."""
    if type(root) is not Value:
        raise TypeError(f"draw needs a Value (the output of a computation), got "
                        f"{type(root).__name__}: {root!r}")
    if view not in views:
        raise ValueError(f"view must be one of {views}, got {view!r}")
    check_digits(precision)
    if isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 1:
        raise ValueError(f"max_nodes must be a positive int, got {max_nodes!r}")


def edge_label_mode(edge_labels: str, count: int) -> str:
    """'inline' or 'external' for a graph of `count` Values ('auto': inline up to the limit)."""
    if not isinstance(edge_labels, str) or edge_labels not in ("auto", "inline", "external"):
        raise ValueError(f"edge_labels must be 'auto', 'inline' or 'external', got {edge_labels!r}")
    if edge_labels == "auto":
        return "inline" if count <= INLINE_LABEL_LIMIT else "external"
    return edge_labels


def too_large(count: int, max_nodes: int, collapsed: bool) -> GraphTooLarge:
    """The error for a graph over the limit, saying what to do about it."""
    what = "after collapsing" if collapsed else "Values"
    return GraphTooLarge(
        f"this graph has {count} nodes ({what}), more than max_nodes={max_nodes}; graphviz "
        "layout grows faster than linearly (minutes for a few thousand nodes). Draw a collapsed "
        "view, e.g. draw(root, collapse=2) to group labels like 'layers.0.neurons.1.w.2' by "
        "their first 2 parts (or collapse=lambda node: group name or None), or raise max_nodes.")


def draw(root: Value, view: str = "backward",
         params: Value | Iterable[Value] | HasParameters | None = None, rankdir: str = "LR",
         precision: int = 4, size: Size | None = None, max_nodes: int = 2000,
         collapse: int | Grouper | None = None, title: str | None = None, *, legend: bool = True,
         inputs: Value | Iterable[Value] = (), edge_labels: str = "auto",
         explain: Value | None = None, seed: dict[Value, float] | None = None,
         blank: str | None = None, tables: bool = False, grades: object = None) -> Diagram:
    """Draw the graph that produced `root`.

    view: 'forward' (data), 'backward' (data, grads, and on each edge what it passes back:
    `b·ḡ = 3.0 × 1.5 = 4.5`, ḡ the gradient arriving at the op) or 'both' (also the value
    each edge carries forward).
    params: Values (or a model with .parameters()) coloured as parameters; without it every
    leaf that requires grad is a parameter except those in `inputs` (see style.assign_roles).
    Constants (requires_grad=False, e.g. plain numbers) show no gradient. rankdir 'LR' or 'TB';
    size 'w,h' inches; precision: significant digits (autograd.numbers). max_nodes: refuse
    bigger graphs (GraphTooLarge); collapse: group nodes into boxes by label depth or a callable
    (see collapse.py). legend: a one-row key of the role colours under the title.
    edge_labels: 'inline' (laid out with the graph), 'external' (placed after layout: several
    times faster, may overlap) or 'auto' (inline up to INLINE_LABEL_LIMIT drawn nodes).
    blank: "grad" draws the blank-graph worksheet (every value filled in, an empty box sized
    for handwriting where each gradient goes, no edge texts); its key is view="backward", or
    with tables=True the same layout with the gradients filled in. tables: each Value one table
    with its op in the heading (no op nodes, no edge texts), compact enough to print. Warns
    (GradsNotComputedWarning) for a backward view of a graph whose backward() has not run, and
    (UnreadableDiagramWarning) when more than UNREADABLE_NODES nodes would be drawn.
    explain: a Value; every path from it to root is coloured (each path, or each group of
    paths through one node, its own colour; width by its share of the gradient), the chains
    and products listed under the title (see `autograd.paths` and highlight.py).
    view='tangent' with seed={x: 1.0}: forward mode, the mirror of 'backward': each record
    shows its tangent ṫ and each edge `local·ṫ = ... × ... = ...` (tangent_view.py).
    grades: a graded submission (`autograd.grading.Report`, e.g. from `autograd.sheets.grade`):
    each asked node coloured by its verdict, the student's number beside the exact one
    (graded.py).
    """
    check_options(root, view, precision, max_nodes, VIEWS + ("tangent",))
    if (view == "tangent") != (seed is not None):
        raise ValueError("seed= goes with view='tangent' (and that view needs it): "
                         "draw(root, view='tangent', seed={x: 1.0})")
    if explain is not None and collapse is not None:
        raise ValueError("explain= colours the paths through every node, so it cannot be "
                         "combined with collapse=; draw the full graph or a smaller one")
    if blank not in (None, "grad"):
        raise ValueError(f"blank must be None or 'grad' (empty gradient boxes), got {blank!r}")
    if (blank or tables) and (explain is not None or view == "tangent" or collapse is not None):
        raise ValueError("blank='grad' and tables=True draw every Value as a table: they cannot "
                         "be combined with explain=, collapse= or view='tangent'")
    order = topological_order(root)
    if collapse is None and len(order) > max_nodes:
        raise too_large(len(order), max_nodes, False)
    if view not in ("forward", "tangent") and not blank and all(node.grad == 0.0 for node in order):
        warnings.warn(f"drawing a {view!r} view, but every grad in this graph is 0.0: backward() "
                      f"has not run (call {root.label or 'root'}.backward() first, or draw "
                      "view='forward')", GradsNotComputedWarning, stacklevel=2)
    if view == "tangent":
        builder: GraphBuilder = TangentBuilder(root, order, checked_seed_map(seed),
                                               parameter_set(params), precision,
                                               value_set(inputs, "inputs"))
    else:
        builder = GraphBuilder(root, order, view, parameter_set(params), precision,
                               inputs=value_set(inputs, "inputs"), blank=blank, tables=tables)
    if grades is not None:
        builder.marks = grade_marks(check_report(grades), order, precision)
    groups: dict[Value, str] = {} if collapse is None else assign_groups(order, root, collapse)
    drawn = len(set(groups.values())) + len(order) - len(groups)
    if collapse is not None and drawn > max_nodes:
        raise too_large(drawn, max_nodes, True)
    if drawn > UNREADABLE_NODES:
        hint = ("collapse=4 (one box per neuron) or collapse=2 (per layer) for labels like "
                "'layers.0.neurons.1.w.2'" if collapse is None else "a smaller collapse depth")
        warnings.warn(f"this diagram draws {drawn} nodes: its text will be unreadable at any "
                      f"sensible size; draw fewer with {hint}, or use step_backward(root, "
                      "collapse=4) to walk through it", UnreadableDiagramWarning, stacklevel=2)
    mode = edge_label_mode(edge_labels, drawn)  # chosen on what is actually drawn
    builder.set_label_mode(mode)
    dg = new_diagram(rankdir, size, title, legend or explain is not None)
    spacing(dg, "forward" if blank or tables else view, mode)  # tables: no edge texts
    sink: DotSink = dg
    if explain is not None:
        explanation = drawn_explanation(root, explain, precision)
        items = items_of(explanation)
        sink = PathSink(dg, builder, items, explain)
        # the paths' table under the role legend, each in a cell of its own (one shared table
        # would stretch the role swatches to the width of the longest chain)
        dg.graph_attr["label"] = (f'<<table border="0" cellspacing="0"><tr><td align="left">'
                                  f'{dg.graph_attr["label"][1:-1]}</td></tr><tr><td align="left">'
                                  f"{legend_rows(explanation, items)}</td></tr></table>>")
    if collapse is None:
        for node in order:
            builder.add_value(sink, node)
            if not node.is_leaf:
                builder.add_uses(sink, node)
    else:
        add_collapsed(builder, dg, order, groups)
    configure_graphviz()  # so that graphviz's own .render()/.view() find our renderer too
    return dg
