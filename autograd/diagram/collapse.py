"""The collapsed view: many nodes drawn as one box per group (per neuron, per layer, ...).

Which group a node belongs to:
  * a node whose own label has more than `depth` dotted parts belongs to the group named by
    its first `depth` parts (`layers.0.neurons.1.w.2` with collapse=4 -> `layers.0.neurons.1`,
    with collapse=2 -> `layers.0`); a callable `collapse(node)` may name the group instead;
  * an unlabelled intermediate node joins the group of its nearest labelled parameter: a leaf
    parent that is itself named into a group (`w * x` joins w's neuron even though x is the
    named output of a neuron in the previous layer); failing that, the group all its grouped
    parents share; when they disagree it is a meeting point (e.g. a loss summing several
    outputs) and stays visible;
  * ...but only while it leads to a labelled member of that group: in a group that has labelled
    results (a neuron's `z` and `a`), an unlabelled node none of whose consumers in the group
    leads to one is the NEXT computation (the loss's `- target`, `**2`) and stays outside;
  * an unlabelled constant joins the group of its consumers when they all agree;
  * the root and every node outside a group are drawn as ordinary nodes.

Boxes are drawn in natural order of their names (neuron 2 before neuron 10) and kept in that
order top to bottom; where every box of one set feeds every box of the next (a dense layer),
the n×m arrows are bundled through one point.
"""
from __future__ import annotations

import math
import re

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, TypeAlias

from .style import GROUP_STYLE, escape_text, format_number

if TYPE_CHECKING:
    from graphviz import Digraph

    from ..value import Value
    from .dot import GraphBuilder

# node -> its group's name, or None (drawn on its own); a string: Value is imported for types only
Grouper: TypeAlias = "Callable[[Value], object]"

__all__ = ["group_function", "assign_groups", "add_collapsed", "natural_key"]


def group_function(collapse: int | Grouper) -> Grouper:
    """node -> group name or None, from an int label depth or a callable."""
    if callable(collapse):
        return collapse
    if isinstance(collapse, bool) or not isinstance(collapse, int) or collapse < 1:
        raise ValueError(f"collapse must be a label depth >= 1 (e.g. 2 groups "
                         f"'layers.0.neurons.1.w.2' as 'layers.0') or a callable node -> group "
                         f"name or None; got {collapse!r}")

    def by_prefix(node: Value) -> str | None:
        """The first `collapse` dotted parts of node's label, if the label is longer."""
        parts = node.label.split(".") if node.label else ()
        return ".".join(parts[:collapse]) if len(parts) > collapse else None
    return by_prefix


def assign_groups(order: Sequence[Value], root: Value, collapse: int | Grouper) -> dict[Value, str]:
    """{node: group name} for every node that is drawn inside a group (see module docstring)."""
    key = group_function(collapse)
    named: dict[Value, str] = {}
    for node in order:
        name = key(node)
        if name is not None and not isinstance(name, (str, int)):  # a Value, a list: a mistake
            raise TypeError(f"collapse: the grouping function must return a group name (a str) "
                            f"or None, got {type(name).__name__}: {repr(name)[:60]}")
        if name is not None:
            named[node] = str(name)
    groups: dict[Value, str] = {}
    for node in order:  # parents come first, so their groups are known
        name = named.get(node)
        if name is None and node.parents:
            # A parameter parent (a named leaf) is the nearest labelled parameter: it wins over
            # a named input coming from another group (w * x sits in w's neuron, not x's).
            direct = {named[p] for p in node.parents if p in named and p.is_leaf}
            inherited = {groups[p] for p in node.parents if p in groups}
            choice = direct if direct else inherited
            name = next(iter(choice)) if len(choice) == 1 else None
        if name is not None:
            groups[node] = name
    _leave_next_computation(order, named, groups)
    consumers: dict[Value, set[str | None]] = {}
    for node in order:
        for parent in node.parents:
            if parent.is_leaf and not parent.label and parent not in named:
                consumers.setdefault(parent, set()).add(groups.get(node))
    for leaf, names in consumers.items():
        only = next(iter(names))
        if len(names) == 1 and only is not None:
            groups[leaf] = only
    groups.pop(root, None)  # the output always stays visible
    return groups


def _leave_next_computation(order: Sequence[Value], named: Mapping[Value, str],
                            groups: dict[Value, str]) -> None:
    """Take out of their groups the unlabelled nodes that lead to no labelled member of it."""
    results = {name for node, name in named.items() if not node.is_leaf}
    consumers: dict[Value, list[Value]] = {}
    for node in order:
        for parent in node.parents:
            consumers.setdefault(parent, []).append(node)
    leads = set()  # nodes that lead (within their group) to a labelled result
    for node in reversed(order):  # consumers first
        name = groups.get(node)
        if node in named or name is None or name not in results:
            continue
        if any(groups.get(c) == name and (c in named or c in leads)
               for c in consumers.get(node, ())):
            leads.add(node)
        else:
            del groups[node]


def natural_key(name: str) -> tuple[int | str, ...]:
    """Sort key that puts 'neurons.2' before 'neurons.10'."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name))


def add_collapsed(builder: GraphBuilder, dg: Digraph, order: Sequence[Value],
                  groups: Mapping[Value, str]) -> int:
    """Draw `order` into dg with grouped nodes as boxes; return the number of drawn nodes."""
    members: dict[str, list[Value]] = {}
    for node, name in groups.items():
        members.setdefault(name, []).append(node)
    names = sorted(members, key=natural_key)
    box_ids = {name: f"g{i}" for i, name in enumerate(names)}
    for name in names:
        dg.node(box_ids[name], _box_label(builder, name, members[name]), tooltip=escape_text(name),
                **GROUP_STYLE)
    _keep_order(dg, [box_ids[name] for name in names], names)

    def source(node: Value) -> str:
        """The drawn node an edge from `node` starts at: its group's box or its own record."""
        return box_ids[groups[node]] if node in groups else builder.value_id(node)

    counts: dict[tuple[str, str], int] = {}
    for node in order:
        if node in groups:
            for parent in node.parents:  # edges into a box: one arrow per distinct source
                if groups.get(parent) != groups[node]:
                    pair = (source(parent), box_ids[groups[node]])
                    counts[pair] = counts.get(pair, 0) + 1
            continue
        builder.add_value(dg, node)
        if not node.is_leaf:
            builder.add_uses(dg, node, source_id=source)
    _add_box_edges(dg, counts)
    return len(members) + sum(1 for node in order if node not in groups)


def _keep_order(dg: Digraph, ids: Sequence[str], names: Sequence[str]) -> None:
    """Boxes with the same parent name (the neurons of one layer) stay in name order: invisible
    edges inside one rank fix their order (top to bottom when rankdir is LR)."""
    siblings: dict[str, list[str]] = {}
    for ident, name in zip(ids, names):
        siblings.setdefault(name.rpartition(".")[0], []).append(ident)
    for k, chain in enumerate(c for c in siblings.values() if len(c) > 1):
        with dg.subgraph(name=f"order{k}") as same:
            same.attr(rank="same")
            for a, b in zip(chain, chain[1:]):
                same.edge(a, b, style="invis")


BUNDLE_MIN = 16  # bundle a complete n×m connection once it has at least this many arrows


def _add_box_edges(dg: Digraph, counts: Mapping[tuple[str, str], int]) -> None:
    """The arrows into boxes: `×n` on repeated ones, and each dense n×m connection (every source
    feeds every target once, as between two layers) drawn through one point."""
    sources: dict[str, set[str]] = {}
    for (src, dst), n in counts.items():
        sources.setdefault(dst, set()).add(src)
    by_sources: dict[frozenset[str], list[str]] = {}
    for dst, feeding in sources.items():
        by_sources.setdefault(frozenset(feeding), []).append(dst)
    bundled = set()
    for k, (srcs, dsts) in enumerate(by_sources.items()):
        pairs = [(s, d) for s in srcs for d in dsts]
        if len(srcs) < 2 or len(dsts) < 2 or len(pairs) < BUNDLE_MIN or any(
                counts[pair] != 1 for pair in pairs):
            continue
        bus = f"bus{k}"
        dg.node(bus, "", shape="point", width="0.08", tooltip=f"{len(srcs)}×{len(dsts)}: every "
                "box on the left feeds every box on the right")
        for s in sorted(srcs, key=natural_key):
            dg.edge(s, bus, arrowhead="none", color="#777777")
        for d in sorted(dsts, key=natural_key):
            dg.edge(bus, d, color="#777777")
        bundled.update(pairs)
    for (src, dst), n in counts.items():
        if (src, dst) not in bundled:
            dg.edge(src, dst, **({"label": f"×{n}", "fontsize": "10"} if n > 1 else {}))


def _box_label(builder: GraphBuilder, name: str, nodes: Sequence[Value]) -> str:
    """Group name, its size, and in backward views the norm of its parameters' gradients."""
    params = [n for n in nodes if n in builder.params]
    lines = [name.replace("\\", "\\\\"), f"{len(nodes)} nodes, {len(params)} "
             f"parameter{'s' if len(params) != 1 else ''}"]
    if builder.view != "forward" and params:
        norm = math.sqrt(math.fsum(builder.grad(p) ** 2 for p in params))
        lines.append(f"‖grad‖ {format_number(norm, builder.precision)}")
    return "\\n".join(lines)
