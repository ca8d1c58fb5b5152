"""`explain(root, wrt)`: a gradient as the sum, over every path from `wrt` to `root`, of the
product of the local derivatives along the path -- the chain rule as the homework writes it.

    >>> from autograd import Value, explain
    >>> a = Value(3.0, label="a")
    >>> b = (a * a).named("b"); c = (b + a).named("c")
    >>> e = explain(c, a)
    >>> e.count, e.total                       # a -> b twice (both edges of a*a), a -> c once
    (3, 7.0)
    >>> print(e.paths[0].text())
    ∂c/∂b · ∂b/∂a = 1.0 × 3.0 = 3.0

This is the idea behind both halves of backprop: `+=` at a reused node is the addition of the
paths that meet there, and reverse mode is cheap because it adds them up from the root down
without listing them. The same sum, taken the other way (from `wrt` up), is forward mode.

Counting never lists: the number of paths into each node is the sum over its input edges of
the numbers into their ends (dynamic programming over one topological order, exact Python ints),
so `count` is exact even for 2**200 paths. Up to `limit` paths are listed; above it the paths
are GROUPED by the node they pass through at one cut of the graph ("all 16 paths through #31"),
each group's sum being (sum of the paths wrt -> node) x (sum of the paths node -> root), both
found by the same dynamic programming: time and memory linear in the graph, never in the count.

The factors are the local derivatives stored in the nodes (`Value.local`, filled from the op
table's rules when the node was made): explain adds no calculus of its own.
"""
from __future__ import annotations

import html
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from .graph import topological_order
from .numbers import check_digits, format_number
from .safetext import clean_text
from .trace import node_names
from .value import Value

__all__ = ["explain", "Explanation", "ChainPath", "PathGroup", "PathCounts", "count_paths",
           "DEFAULT_LIMIT", "MAX_GROUPS"]

DEFAULT_LIMIT = 200  # paths listed one by one up to this many; grouped above it
MAX_GROUPS = 24  # a cut with more groups than this is a texture, not an explanation


@dataclass(frozen=True)
class ChainPath:
    """One path from `root` down to `wrt`: `nodes[0]` is root, `nodes[-1]` is wrt.

    `edges[i]` is the input position of `nodes[i + 1]` in `nodes[i]` (so the two edges of
    `a * a` are two paths); `locals[i]` = d nodes[i] / d nodes[i + 1] along that edge (the
    stored local derivative); `product` their product, the path's share of the gradient.
    """

    nodes: tuple[Value, ...]
    edges: tuple[int, ...]
    locals: tuple[float, ...]
    product: float
    names: tuple[str, ...]  # what a reader calls each node (label, constant value or #k)

    def chain(self, compact: bool = True) -> list[tuple[str, str, float]]:
        """The factors as (top name, low name, value), root side first. compact: a stretch
        through unlabelled nodes (`#k`, the ops inside `w·x + b`) is one factor between the
        labelled nodes around it (its value the product of the stretch), as a hand solution
        writes d z2 / d a1 = w; else one factor per edge."""
        keep = [i for i, node in enumerate(self.nodes)
                if not compact or node.label or i in (0, len(self.nodes) - 1)]
        found = []
        for top, low in zip(keep, keep[1:]):
            value = self.locals[top]
            for d in self.locals[top + 1:low]:
                value *= d
            found.append((self.names[top], self.names[low], value))
        return found

    def factors(self, compact: bool = True) -> list[str]:
        """The chain written symbolically: ['∂L/∂h2', '∂h2/∂z2', ...] (root side first)."""
        return [f"∂{top}/∂{low}" for top, low, _ in self.chain(compact)]

    def text(self, precision: int = 4, compact: bool = True) -> str:
        """'∂L/∂h · ∂h/∂w = 0.5 × 2.0 = 1.0' (for wrt = root: '∂r/∂r = 1.0')."""
        if not self.locals:
            return f"∂{self.names[0]}/∂{self.names[0]} = 1.0"
        chain = self.chain(compact)
        numbers = " × ".join(format_number(d, precision) for _, _, d in chain)
        return (f"{' · '.join(f'∂{top}/∂{low}' for top, low, _ in chain)} = {numbers} = "
                f"{format_number(self.product, precision)}")


@dataclass(frozen=True)
class PathGroup:
    """The paths that leave the cut at node `through`: `count` = `before` x `after` of them.

    `into` = the sum over the `before` paths wrt -> through of their products (d through /
    d wrt); `onward` = the sum over the `after` paths through -> root that leave at the cut
    (d root / d through when every edge of `through` crosses it); `total` = into x onward.
    """

    through: Value
    name: str
    before: int
    after: int
    into: float
    onward: float
    total: float
    exits: tuple[tuple[Value, int], ...] = ()  # the edges (child, input position) leaving the cut

    @property
    def count(self) -> int:
        """How many paths the group holds."""
        return self.before * self.after

    def text(self, root: str, wrt: str, precision: int = 4) -> str:
        """'all 16 paths through h1: ∂L/∂h1 (4 paths) × ∂h1/∂w (4 paths) = 0.5 × 2.0 = 1.0'."""
        def part(top: str, low: str, n: int) -> str:
            return f"∂{top}/∂{low}" + (f" ({n} paths)" if n != 1 else "")
        f = format_number
        return (f"{'all ' if self.count > 1 else ''}{self.count} path{'s' if self.count != 1 else ''} "
                f"through {self.name}: {part(root, self.name, self.after)} × "
                f"{part(self.name, wrt, self.before)} = {f(self.onward, precision)} × "
                f"{f(self.into, precision)} = {f(self.total, precision)}")


@dataclass(frozen=True)
class PathCounts:
    """The dynamic programming behind explain, over one topological `order` of root's graph.

    `into[v]`: number of paths wrt -> v (only nodes reached from wrt); `onto[v]`: number of paths
    v -> root; `tangent[v]` = d v / d wrt (their product sums, forward); `adjoint[v]` = d root /
    d v (backward). A node lies on some path exactly when it is in both `into` and `onto`.
    """

    order: Sequence[Value]
    into: dict[Value, int]
    onto: dict[Value, int]
    tangent: dict[Value, float]
    adjoint: dict[Value, float]


def count_paths(root: Value, wrt: Value, order: Sequence[Value] | None = None) -> PathCounts:
    """Counts and partial sums of the paths wrt -> root, in time linear in the graph."""
    order = topological_order(root) if order is None else order
    into: dict[Value, int] = {wrt: 1}
    tangent: dict[Value, float] = {wrt: 1.0}
    for node in order:  # forward: parents first
        if node is wrt or node.is_leaf:
            continue
        n, t = 0, []
        for parent, local in zip(node.parents, node.local):
            if parent in into:
                n += into[parent]
                t.append(local * tangent[parent])
        if n:
            into[node] = n
            tangent[node] = math.fsum(t)
    onto: dict[Value, int] = {root: 1}
    adjoint: dict[Value, float] = {root: 1.0}
    for node in reversed(order):  # backward: children first
        if node not in onto or node is wrt or node.is_leaf:
            continue
        for parent, local in zip(node.parents, node.local):
            if parent in into:
                onto[parent] = onto.get(parent, 0) + onto[node]
                adjoint[parent] = adjoint.get(parent, 0.0) + local * adjoint[node]
    return PathCounts(order, into, onto, tangent, adjoint)


class Explanation:
    """Every path from `wrt` to `root` with its chain of local derivatives, and their sum.

    `count`: the number of paths (exact, counted without listing them); `total`: the sum of
    their products, d root / d wrt (math.fsum of the listed products; of the group totals
    when grouped); `paths`: the ChainPath records when `count <= limit`, else (); `groups`: the
    PathGroup records when grouped, else (). `str()` is a table for a terminal, `_repr_html_`
    the same table in Jupyter; `iter_paths()` lists paths lazily whatever their number.
    `max_groups`: the most groups a cut may make (a diagram asks for as many as it has colours).
    """

    def __init__(self, root: Value, wrt: Value, limit: int = DEFAULT_LIMIT,
                 precision: int = 4, compact: bool = True, max_groups: int = MAX_GROUPS
                 ) -> None:
        if type(root) is not Value or type(wrt) is not Value:
            bad = root if type(root) is not Value else wrt
            raise TypeError(f"explain(root, wrt) needs two Values, got {type(bad).__name__}: "
                            f"{bad!r}")
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
            raise ValueError(f"explain: limit must be an int >= 0 (paths listed before grouping), "
                             f"got {limit!r}")
        if isinstance(max_groups, bool) or not isinstance(max_groups, int) or max_groups < 1:
            raise ValueError(f"explain: max_groups must be an int >= 1, got {max_groups!r}")
        self.precision = check_digits(precision)
        self.root, self.wrt, self.limit, self.compact = root, wrt, limit, compact
        order = topological_order(root)
        self.names = node_names(order, precision)
        if wrt not in self.names:
            label = f"{wrt.label!r}" if wrt.label else f"an unlabelled node (data {wrt.data!r})"
            raise ValueError(f"explain: wrt, {label}, is not in the graph of root "
                             f"{self.names[root]!r}: root does not depend on it, so there is no "
                             "path (and its gradient is 0)")
        self.counts = count_paths(root, wrt, order)
        self.count: int = self.counts.into[root]
        self.paths: tuple[ChainPath, ...] = ()
        self.groups: tuple[PathGroup, ...] = ()
        if self.count <= limit:
            self.paths = tuple(self.iter_paths())
            self.total = math.fsum(p.product for p in self.paths)
        else:
            self.groups = tuple(_groups(self.counts, root, wrt, self.names, max_groups))
            self.total = math.fsum(g.total for g in self.groups)

    @property
    def grouped(self) -> bool:
        """True when the paths are summarised by groups instead of listed."""
        return bool(self.groups)

    def iter_paths(self) -> Iterator[ChainPath]:
        """Every path root -> wrt, depth-first (no recursion: a long chain is one path)."""
        into, names, wrt = self.counts.into, self.names, self.wrt
        # stack of (node, edge index it was reached by, local, iterator over its input edges)
        trail: list[tuple[Value, int, float]] = [(self.root, -1, 1.0)]
        stack = [iter(_edges_in(self.root, into, wrt))]
        while stack:
            step = next(stack[-1], None)
            if step is None:
                stack.pop()
                trail.pop()
                continue
            parent, index, local = step
            trail.append((parent, index, local))
            if parent is wrt:
                nodes = tuple(t[0] for t in trail)
                locals_ = tuple(t[2] for t in trail[1:])
                product = 1.0
                for d in locals_:
                    product *= d
                yield ChainPath(nodes, tuple(t[1] for t in trail[1:]), locals_, product,
                           tuple(names[n] for n in nodes))
                trail.pop()
                continue
            stack.append(iter(_edges_in(parent, into, wrt)))
        if self.root is wrt:
            yield ChainPath((wrt,), (), (), 1.0, (names[wrt],))

    # --- output ------------------------------------------------------------------------------
    def _rows(self) -> list[tuple[str, str, str, str]]:
        """(#, chain, numbers, product) per listed path, or per group."""
        p, rows = self.precision, []
        for k, path in enumerate(self.paths):
            if not path.locals:
                rows.append((str(k + 1), path.text(p), "", "1.0"))
                continue
            chain = path.chain(self.compact)
            rows.append((str(k + 1), " · ".join(f"∂{top}/∂{low}" for top, low, _ in chain),
                         " × ".join(format_number(d, p) for _, _, d in chain),
                         format_number(path.product, p)))
        root, wrt = self.names[self.root], self.names[self.wrt]
        for k, group in enumerate(self.groups):
            rows.append((str(k + 1), f"{group.count} paths through {group.name}: "
                         f"∂{root}/∂{group.name} · ∂{group.name}/∂{wrt}",
                         f"{format_number(group.onward, p)} × {format_number(group.into, p)}",
                         format_number(group.total, p)))
        return rows

    def _shown_rows(self) -> list[tuple[str, ...]]:
        """The rows with the names' control and bidi characters shown as escapes (a label is
        anyone's text: see autograd.safetext), for the terminal table and the HTML one."""
        return [tuple(clean_text(cell, None) for cell in row) for row in self._rows()]

    def heading(self) -> str:
        """'∂L/∂w = sum over 3 paths = 0.25' (grouped: how the paths were grouped)."""
        root, wrt = self.names[self.root], self.names[self.wrt]
        what = f"{self.count} path{'s' if self.count != 1 else ''}"
        if self.grouped:
            what += f", in {len(self.groups)} groups by the node they pass through"
        return f"∂{root}/∂{wrt} = sum over {what} = {format_number(self.total, self.precision)}"

    def __str__(self) -> str:
        header = ("#", "chain of local derivatives", "numbers", "product")
        table = [header] + self._shown_rows()
        widths = [max(len(r[c]) for r in table) for c in range(4)]
        lines = ["  ".join(cell.rjust(w) if c in (0, 3) and n else cell.ljust(w)
                           for c, (cell, w) in enumerate(zip(row, widths))).rstrip()
                 for n, row in enumerate(table)]
        total = f"sum (math.fsum) = {format_number(self.total, self.precision)}"
        return "\n".join([clean_text(self.heading(), None)] + lines
                         + [total.rjust(len(lines[0]))])

    def __repr__(self) -> str:
        how = f"{len(self.groups)} groups" if self.grouped else "listed"
        return (f"Explanation(∂{clean_text(self.names[self.root], 60)}/"
                f"∂{clean_text(self.names[self.wrt], 60)}: {self.count} "
                f"paths ({how}), total={self.total!r})")

    def _repr_html_(self) -> str:
        """The table as HTML (Jupyter shows this); every name is escaped."""
        cells = "".join(
            "<tr>" + "".join(f'<td style="text-align:{"right" if c in (0, 3) else "left"}">'
                             f"{html.escape(v)}</td>" for c, v in enumerate(row)) + "</tr>"
            for row in self._shown_rows())
        head = "".join(f"<th>{h}</th>" for h in ("#", "chain of local derivatives", "numbers",
                                                 "product"))
        total = (f'<tr><td></td><td colspan="2" style="text-align:right">sum (math.fsum)</td>'
                 f'<td style="text-align:right">{format_number(self.total, self.precision)}'
                 "</td></tr>")
        heading = html.escape(clean_text(self.heading(), None))
        return (f'<div class="teachgrad-explain"><p>{heading}</p>'
                f"<table><thead><tr>{head}</tr></thead><tbody>{cells}{total}</tbody></table></div>")


def _made(node: Value) -> int:
    """When node was made (a topological order key)."""
    return node.creation_number


def _edges_in(node: Value, into: dict[Value, int], wrt: Value) -> list[tuple[Value, int, float]]:
    """(parent, input position, local) for each input edge of node that some path uses."""
    if node is wrt or node.is_leaf:
        return []
    return [(parent, i, local) for i, (parent, local) in enumerate(zip(node.parents, node.local))
            if parent in into]


def _groups(counts: PathCounts, root: Value, wrt: Value, names: dict[Value, str],
            max_groups: int = MAX_GROUPS) -> list[PathGroup]:
    """The paths grouped at one cut of the graph: by the last node each path visits at or
    before position k of the topological order (every path has exactly one such node, so the
    groups partition the paths). Among the cuts with at most `max_groups` groups, preferred in
    this order: one that every path of a group leaves by ALL its edges (then a group is "all
    paths through v"); at least two groups; every group a labelled node (a layer of named
    units, not half a layer and a few unnamed products); then as many groups as possible.
    Linear in the graph (plus a sort)."""
    order, into, onto = counts.order, counts.into, counts.onto
    # creation order, not the depth-first one: a layer's nodes are made one after another, so
    # a cut can fall between two layers (depth-first interleaves a unit with its consumer)
    on = sorted((v for v in order if v in into and v in onto), key=_made)
    pos = {v: i for i, v in enumerate(on)}
    succ: dict[Value, list[tuple[Value, float, int]]] = {v: [] for v in on}
    for v in on:
        if v is wrt:
            continue
        for index, (parent, local) in enumerate(zip(v.parents, v.local)):
            if parent in pos:
                succ[parent].append((v, local, index))
    size = len(on) + 1
    opened, unclean, labelled = [0] * size, [0] * size, [0] * size
    for u in on:
        if u is root:
            continue
        first = min(pos[v] for v, _, _ in succ[u])
        last = max(pos[v] for v, _, _ in succ[u])
        # u is the group of cut k for pos(u) <= k < last; it has an edge inside the cut (so its
        # group is not all of u's paths) for first <= k < last
        opened[pos[u]] += 1
        opened[last] -= 1
        unclean[first] += 1
        unclean[last] -= 1
        if u.label:
            labelled[pos[u]] += 1
            labelled[last] -= 1
    best, best_key = 0, None
    n_open = n_unclean = n_label = 0
    for k in range(len(on) - 1):  # the cut k = len - 1 would be after root: no path crosses
        n_open += opened[k]
        n_unclean += unclean[k]
        n_label += labelled[k]
        key = (n_open <= max_groups, n_unclean == 0, n_open >= 2, n_label == n_open,
               n_open if n_open <= max_groups else -n_open, n_label)
        if best_key is None or key >= best_key:  # ties: the latest such cut, where a layer
            # is complete (just before its outputs are used), not half a unit into the next
            best, best_key = k, key
    groups = []
    for u in on[:best + 1]:
        crossing = [(v, local, i) for v, local, i in succ[u] if pos[v] > best]
        if not crossing:
            continue
        onward = math.fsum(local * counts.adjoint[v] for v, local, _ in crossing)
        into_u = counts.tangent[u]
        groups.append(PathGroup(u, names[u], into[u], sum(onto[v] for v, _, _ in crossing),
                                into_u, onward, into_u * onward,
                                tuple((v, i) for v, _, i in crossing)))
    return groups


def explain(root: Value, wrt: Value, limit: int = DEFAULT_LIMIT, precision: int = 4,
            compact: bool = True) -> Explanation:
    """d root / d wrt as a sum over every path from wrt to root (see the module docstring).

    `limit`: list the paths one by one up to this many, group them above it; `precision`:
    significant digits in the printed table; `compact`: print one factor per stretch between
    labelled nodes (False: one per edge, unlabelled ops as `#k`). The sum equals `wrt.grad` after `root.backward()`
    (up to rounding: it is added in another order).
    """
    return Explanation(root, wrt, limit, precision, compact)
