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
  * an unlabelled constant joins the group of its consumers when they all agree;
  * the root and every node outside a group are drawn as ordinary nodes.
"""
from __future__ import annotations

import math

from .style import GROUP_STYLE, format_number

__all__ = ["group_function", "assign_groups", "add_collapsed"]


def group_function(collapse):
    """node -> group name or None, from an int label depth or a callable."""
    if callable(collapse):
        return collapse
    if isinstance(collapse, bool) or not isinstance(collapse, int) or collapse < 1:
        raise ValueError(f"collapse must be a label depth >= 1 (e.g. 2 groups "
                         f"'layers.0.neurons.1.w.2' as 'layers.0') or a callable node -> group "
                         f"name or None; got {collapse!r}")

    def by_prefix(node):
        """The first `collapse` dotted parts of node's label, if the label is longer."""
        parts = node.label.split(".") if node.label else ()
        return ".".join(parts[:collapse]) if len(parts) > collapse else None
    return by_prefix


def assign_groups(order, root, collapse) -> dict:
    """{node: group name} for every node that is drawn inside a group (see module docstring)."""
    key = group_function(collapse)
    named = {}
    for node in order:
        name = key(node)
        if name is not None:
            named[node] = str(name)
    groups = {}
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
    consumers = {}
    for node in order:
        for parent in node.parents:
            if parent.is_leaf and not parent.label and parent not in named:
                consumers.setdefault(parent, set()).add(groups.get(node))
    for leaf, names in consumers.items():
        if len(names) == 1 and None not in names:
            groups[leaf] = next(iter(names))
    groups.pop(root, None)  # the output always stays visible
    return groups


def add_collapsed(builder, dg, order, groups) -> int:
    """Draw `order` into dg with grouped nodes as boxes; return the number of drawn nodes."""
    members = {}
    for node, name in groups.items():
        members.setdefault(name, []).append(node)
    box_ids = {name: f"g{i}" for i, name in enumerate(sorted(members, key=lambda n: min(
        builder.ids[m] for m in members[n])))}
    for name, nodes in members.items():
        dg.node(box_ids[name], _box_label(builder, name, nodes), **GROUP_STYLE)

    def source(node):
        """The drawn node an edge from `node` starts at: its group's box or its own record."""
        return box_ids[groups[node]] if node in groups else builder.value_id(node)

    counts = {}
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
    for (src, dst), n in counts.items():
        dg.edge(src, dst, **({"label": f"×{n}", "fontsize": "10"} if n > 1 else {}))
    return len(members) + sum(1 for node in order if node not in groups)


def _box_label(builder, name, nodes) -> str:
    """Group name, its size, and in backward views the norm of its parameters' gradients."""
    params = [n for n in nodes if n in builder.params]
    lines = [name.replace("\\", "\\\\"), f"{len(nodes)} nodes, {len(params)} parameters"]
    if builder.view != "forward" and params:
        norm = math.sqrt(math.fsum(builder.grad(p) ** 2 for p in params))
        lines.append(f"‖grad‖ {format_number(norm, builder.precision)}")
    return "\\n".join(lines)
