"""`draw(root, ...)`: the diagram of a computation graph as a `graphviz.Digraph`."""
from __future__ import annotations

import warnings

import graphviz

from ..graph import topological_order
from ..value import Value
from .collapse import add_collapsed, assign_groups
from .dot import VIEWS, GraphBuilder
from .figure import Diagram
from .renderer import configure_graphviz
from .style import ROLE_STYLE, ROLE_TITLES

__all__ = ["draw", "GraphTooLarge", "GradsNotComputedWarning", "parameter_set", "new_diagram"]


# Above this many Values, edge texts are placed after layout (xlabel): measured on a 200-Value
# graph, inline labels made graphviz's layout about 6 times slower.
INLINE_LABEL_LIMIT = 120


class GraphTooLarge(ValueError):
    """The graph has more nodes than `max_nodes`: layout would take minutes."""


class GradsNotComputedWarning(UserWarning):
    """A backward view was drawn before backward() ran: every grad would show as 0."""


def parameter_set(params) -> set:
    """The Values to colour as parameters: an iterable of Values or a model with .parameters()."""
    if params is None:
        return set()
    if hasattr(params, "parameters") and callable(params.parameters):
        params = params.parameters()
    found = set()
    for p in params:
        if type(p) is not Value:
            raise TypeError(f"params must hold Values (or be a model with .parameters()), "
                            f"got {type(p).__name__}: {p!r}")
        found.add(p)
    return found


def new_diagram(rankdir="LR", size=None, title=None) -> Diagram:
    """An empty Diagram with the layout options checked and applied."""
    if rankdir not in ("LR", "TB", "RL", "BT"):
        raise ValueError(f"rankdir must be 'LR' (left to right) or 'TB' (top to bottom) "
                         f"(or 'RL'/'BT'), got {rankdir!r}")
    attrs = {"rankdir": rankdir}
    if size is not None:
        if isinstance(size, (tuple, list)) and len(size) == 2:
            size = f"{float(size[0]):g},{float(size[1]):g}"
        if not isinstance(size, str):
            raise TypeError(f"size must be 'width,height' in inches or a (width, height) pair, "
                            f"got {size!r}")
        attrs["size"] = size
    if title:
        # nohtml: a title like "<b>t</b>" is text to show, not a graphviz HTML label.
        attrs.update({"label": graphviz.nohtml(str(title)), "labelloc": "t", "fontsize": "16"})
    return Diagram(graph_attr=attrs, node_attr={"fontname": "Helvetica", "fontsize": "12"},
                   edge_attr={"fontname": "Helvetica"})


def check_options(root, view, precision, max_nodes) -> None:
    """Clear errors for the arguments every drawing function shares."""
    if type(root) is not Value:
        raise TypeError(f"draw needs a Value (the output of a computation), got "
                        f"{type(root).__name__}: {root!r}")
    if view not in VIEWS:
        raise ValueError(f"view must be one of {VIEWS}, got {view!r}")
    if isinstance(precision, bool) or not isinstance(precision, int) or not 0 <= precision <= 17:
        raise ValueError(f"precision must be an int from 0 to 17 (decimals shown), got {precision!r}")
    if isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 1:
        raise ValueError(f"max_nodes must be a positive int, got {max_nodes!r}")


def edge_label_mode(edge_labels, count: int) -> str:
    """'inline' or 'external' for a graph of `count` Values ('auto': inline up to the limit)."""
    if edge_labels not in ("auto", "inline", "external"):
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


def draw(root, view="backward", params=None, rankdir="LR", precision=4, size=None,
         max_nodes=2000, collapse=None, title=None, *, legend=False,
         edge_labels="auto") -> Diagram:
    """Draw the graph that produced `root`.

    view: 'forward' (data), 'backward' (data, grads, and on each edge what it passes back:
    `b·ḡ = 3.0 × 1.5 = 4.5`, ḡ the gradient arriving at the op) or 'both' (also the value
    each edge carries forward).
    params: Values (or a model with .parameters()) coloured as parameters. rankdir 'LR' or 'TB';
    size 'w,h' inches; precision: decimals. max_nodes: refuse bigger graphs (GraphTooLarge);
    collapse: group nodes into boxes by label depth or a callable (see collapse.py).
    legend: add a key of the role colours. edge_labels: 'inline' (laid out with the graph),
    'external' (placed after layout: several times faster, may overlap) or 'auto' (inline up
    to INLINE_LABEL_LIMIT Values). Warns (GradsNotComputedWarning) for a backward view
    of a graph whose backward() has not run.
    """
    check_options(root, view, precision, max_nodes)
    order = topological_order(root)
    if collapse is None and len(order) > max_nodes:
        raise too_large(len(order), max_nodes, False)
    edge_labels = edge_label_mode(edge_labels, len(order))
    if view != "forward" and all(node.grad == 0.0 for node in order):
        warnings.warn(f"drawing a {view!r} view, but every grad in this graph is 0.0: backward() "
                      f"has not run (call {root.label or 'root'}.backward() first, or draw "
                      "view='forward')", GradsNotComputedWarning, stacklevel=2)
    builder = GraphBuilder(root, order, view, parameter_set(params), precision,
                           edge_labels=edge_labels)
    dg = new_diagram(rankdir, size, title)
    if collapse is None:
        for node in order:
            builder.add_value(dg, node)
            if not node.is_leaf:
                builder.add_uses(dg, node)
    else:
        groups = assign_groups(order, root, collapse)
        drawn = len(set(groups.values())) + len(order) - len(groups)
        if drawn > max_nodes:
            raise too_large(drawn, max_nodes, True)
        add_collapsed(builder, dg, order, groups)
    if legend:
        add_legend(dg)
    configure_graphviz()  # so that graphviz's own .render()/.view() find our renderer too
    return dg


def add_legend(dg) -> None:
    """A small boxed key: one sample node per role colour."""
    with dg.subgraph(name="cluster_legend") as key:
        key.attr(label="legend", fontsize="11", style="dashed")
        for role, style in ROLE_STYLE.items():
            key.node(f"legend_{role}", ROLE_TITLES[role], shape="box", style="filled",
                     fontsize="10", **style)
