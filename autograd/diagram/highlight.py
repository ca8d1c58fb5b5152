"""`draw(root, explain=wrt)`: the paths from `wrt` to `root` highlighted in the diagram.

Each path (or, above `len(PALETTE)` paths, each group of paths through one node, see
`autograd.paths`) gets its own colour; an edge used by several paths is drawn as parallel
lines, one per colour (graphviz's `color="a:b"`), and its width grows with the share of the
gradient those paths carry (|product| over the sum of all |products|). Edges on no path are
greyed. Under the title, the legend lists each path's chain and product and their sum, which
is the gradient of `wrt`.
"""
from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..paths import Explanation
from ..value import Value
from .dot import DotSink
from .style import format_number

if TYPE_CHECKING:
    from .dot import GraphBuilder

__all__ = ["PALETTE", "Item", "items_of", "PathSink", "legend_rows", "drawn_explanation"]

# Tableau 10: told apart in print and by most colour-blind readers; text on it stays dark
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#e377c2",
           "#8c564b", "#bcbd22", "#7f7f7f")
FADED = "#c8c8c8"
MAX_WIDTH = 4.5  # penwidth of an edge carrying the whole gradient (a thin one: 1.2)

Edge = tuple[Value, Value, int]  # (input, node, input position)


class Item:
    """One coloured thing in the picture: a path or a group, its edges, value and legend text."""

    def __init__(self, colour: str, edges: set[Edge], value: float, text: str, numbers: str
                 ) -> None:
        self.colour, self.edges, self.value, self.text, self.numbers = (colour, edges, value,
                                                                        text, numbers)


def drawn_explanation(root: Value, wrt: Value, precision: int) -> Explanation:
    """The explanation a diagram can colour: listed up to len(PALETTE) paths, else grouped."""
    if type(wrt) is not Value:
        raise TypeError(f"draw(explain=...) needs a Value of the graph (the one whose paths to "
                        f"root are coloured), got {type(wrt).__name__}: {wrt!r}")
    return Explanation(root, wrt, limit=len(PALETTE), precision=precision,
                       max_groups=len(PALETTE))


def items_of(e: Explanation) -> list[Item]:
    """One Item per listed path, or per group (colours repeat only past len(PALETTE))."""
    items = []
    p = e.precision
    for k, path in enumerate(e.paths):
        edges = {(path.nodes[i + 1], path.nodes[i], path.edges[i]) for i in range(len(path.edges))}
        chain = path.chain(e.compact)
        items.append(Item(PALETTE[k % len(PALETTE)], edges, path.product,
                          " · ".join(f"∂{top}/∂{low}" for top, low, _ in chain),
                          " × ".join(format_number(d, p) for _, _, d in chain)))
    if e.groups:
        children = _children(e.counts.order)
        root, wrt = e.names[e.root], e.names[e.wrt]
        for k, group in enumerate(e.groups):
            items.append(Item(PALETTE[k % len(PALETTE)], _group_edges(e, group.through,
                                                                        group.exits, children),
                              group.total,
                              f"{group.count} path{'s' if group.count != 1 else ''} through "
                              f"{group.name}: ∂{root}/∂{group.name} · ∂{group.name}/∂{wrt}",
                              f"{format_number(group.onward, p)} × {format_number(group.into, p)}"))
    return items


def _children(order: Sequence[Value]) -> dict[Value, list[tuple[Value, int]]]:
    found: dict[Value, list[tuple[Value, int]]] = {}
    for node in order:
        for index, parent in enumerate(node.parents):
            found.setdefault(parent, []).append((node, index))
    return found


def _group_edges(e: Explanation, through: Value, exits: Sequence[tuple[Value, int]],
                 children: dict[Value, list[tuple[Value, int]]]) -> set[Edge]:
    """The edges of every path of one group: wrt -> through, the exits, onward to root."""
    into, onto, wrt = e.counts.into, e.counts.onto, e.wrt
    edges: set[Edge] = set()
    stack, seen = [through], {through}
    while stack:  # backwards from `through` to wrt
        node = stack.pop()
        if node is wrt or node.is_leaf:
            continue
        for index, parent in enumerate(node.parents):
            if parent in into:
                edges.add((parent, node, index))
                if parent not in seen:
                    seen.add(parent)
                    stack.append(parent)
    stack, seen = [], set()
    for child, index in exits:
        edges.add((through, child, index))
        if child not in seen:
            seen.add(child)
            stack.append(child)
    while stack:  # forwards from the exits to root
        node = stack.pop()
        for child, index in children.get(node, ()):
            if child in onto:
                edges.add((node, child, index))
                if child not in seen:
                    seen.add(child)
                    stack.append(child)
    return edges


class PathSink:
    """Stands in for the Digraph while a GraphBuilder draws: colours and widens path edges,
    greys the others, and outlines `wrt` (a DotSink)."""

    def __init__(self, dg: DotSink, builder: GraphBuilder, items: Sequence[Item], wrt: Value
                 ) -> None:
        self.dg, self.items = dg, items
        self.by_id = {f"{kind}{i}": node for node, i in builder.ids.items() for kind in "vo"}
        self.wrt_id = builder.value_id(wrt)
        self.uses: dict[str, int] = {}  # op node id -> index of its last drawn input
        scale = sum(abs(item.value) for item in items) or 1.0
        self.on_edge: dict[Edge, list[Item]] = {}
        self.entered: dict[Value, list[Item]] = {}  # nodes a path enters: their op -> record edge
        for item in items:
            for edge in sorted(item.edges, key=lambda e: e[2]):
                self.on_edge.setdefault(edge, []).append(item)
                if item not in self.entered.setdefault(edge[1], []):
                    self.entered[edge[1]].append(item)
        self.scale = scale

    def node(self, name: str, label: str | None = None, **attrs: str) -> None:
        """Draw a node; `wrt` gets a thick outline."""
        if name == self.wrt_id:
            attrs = {**attrs, "penwidth": "3"}
        self.dg.node(name, label, **attrs)

    def edge(self, tail: str, head: str, **attrs: str) -> None:
        """Draw an edge in the colours of the paths along it (grey when on none)."""
        if head.startswith("o"):  # an input's use: one per input position, in order
            k = self.uses[head] = self.uses.get(head, -1) + 1
            using = self.on_edge.get((self.by_id[tail], self.by_id[head], k), [])
        else:  # op -> its record
            using = self.entered.get(self.by_id[head], [])
        if using:
            share = sum(abs(item.value) for item in using) / self.scale
            width = 1.2 + (MAX_WIDTH - 1.2) * min(share, 1.0)
            attrs = {**attrs, "color": ":".join(item.colour for item in using),
                     "penwidth": f"{width:.2f}"}
        else:
            attrs = {**attrs, "color": FADED}
            if "fontcolor" in attrs:
                attrs["fontcolor"] = "#9a9a9a"
        self.dg.edge(tail, head, **attrs)


def legend_rows(e: Explanation, items: Sequence[Item]) -> str:
    """An HTML table (for a graph label) with one row per item and the sum: escaped text."""
    rows = []
    p = e.precision
    for item in items:
        rows.append(f'<tr><td bgcolor="{item.colour}" border="1" width="24" fixedsize="true" '
                    f'height="14"> </td><td border="0" align="left"><font point-size="11">'
                    f"{html.escape(item.text)} = {html.escape(item.numbers)} = "
                    f"<b>{html.escape(format_number(item.value, p))}</b></font></td></tr>")
    rows.append(f'<tr><td colspan="2" border="0" align="left"><font point-size="12">'
                f"{html.escape(e.heading())} (math.fsum)</font></td></tr>")
    return f'<table border="0" cellspacing="3" cellborder="0">{"".join(rows)}</table>'
