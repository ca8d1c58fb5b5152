"""A trace of a computation graph: one row per node, in the order the forward pass computes them.

    >>> from autograd import Value
    >>> from autograd.trace import Trace
    >>> a = Value(2.0, label="a"); b = Value(-3.0, label="b")
    >>> c = (a * b).named("c"); c.backward()
    >>> print(Trace(c, precision=2))
    #  label  op   inputs  value  grad
    0  a                     2.0  -3.0
    1  b                    -3.0   2.0
    2  c      mul  a, b     -6.0   1.0

Each row shows the node's label, the op that made it, its inputs (the parents' labels; an
unlabelled parent shows as `#k`, the row number it has in this table, and a constant shows its
value), its value and its grad (`precision` significant digits, see `autograd.numbers`). `str()` gives an aligned text table for a terminal and
`_repr_html_()` an HTML table for Jupyter. Rows are in `autograd.topological_order`: every node
comes after its inputs, so reading top-down replays the forward pass and bottom-up the backward.
"""
from __future__ import annotations

import html
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from .graph import topological_order
from .numbers import check_digits, format_number
from .value import Value

__all__ = ["Row", "Trace", "node_names"]


def node_names(order: Iterable[Value], precision: int = 4) -> dict[Value, str]:
    """What a reader calls each node of `order` (a topological order): its label; for an
    unlabelled constant, its value (`x * 2`, not `x * #3`); otherwise `#k`, its row in the
    Trace of the same graph. Diagrams name edge operands this way too, so the two agree.
    """
    names: dict[Value, str] = {}
    for index, node in enumerate(order):
        if node.label:
            names[node] = node.label
        elif node.is_leaf and not node.requires_grad:
            names[node] = f"{node.data:.{precision}g}"  # `x * 2`: a name, so no trailing .0
        else:
            names[node] = f"#{index}"
    return names


@dataclass(frozen=True)
class Row:
    """One node of a trace: its position, label, op, input names, value, grad and the node."""

    index: int
    label: str
    op: str
    inputs: tuple[str, ...]
    value: float
    grad: float
    node: Value

    @property
    def name(self) -> str:
        """The label, or `#index` for an unlabelled node (how other rows refer to it)."""
        return self.label or f"#{self.index}"


def _merged_order(roots: list[Value]) -> list[Value]:
    """Every node of several graphs, each once, parents before children (roots in given order)."""
    seen: set[int] = set()
    order: list[Value] = []
    for root in roots:
        for node in topological_order(root):  # a node seen before had its parents added before it
            if id(node) not in seen:
                seen.add(id(node))
                order.append(node)
    return order


class Trace:
    """The nodes of `root`'s graph in forward (topological) order, with values and grads.

    `root` may also be a list of Values (several outputs of one computation): their graphs are
    merged, each shared node listed once. `self.root` is then the list.
    """

    def __init__(self, root: Value | Sequence[Value], precision: int = 4) -> None:
        given = list(root) if isinstance(root, (list, tuple)) else [root]
        roots = [r for r in given if isinstance(r, Value)]
        bad = [r for r in given if not isinstance(r, Value)]
        if bad or not roots:
            raise TypeError("Trace needs the Value at the root of a graph (or a list of them), got "
                            f"{type(bad[0]).__name__ if bad else 'an empty list'}: {root!r}")
        check_digits(precision)
        self.root = root
        self.precision = precision
        order = _merged_order(roots)
        names = node_names(order, precision)
        self.rows = [Row(i, node.label, node.op or ("leaf" if node.requires_grad else "const"),
                         tuple(names[p] for p in node.parents), node.data, node.grad, node)
                     for i, node in enumerate(order)]

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    @property
    def labels(self) -> list[str]:
        """The labels of the labelled nodes, in forward order, each once."""
        return list(dict.fromkeys(row.label for row in self.rows if row.label))

    def find(self, label: str) -> Row:
        """The row of the node labelled `label`: KeyError listing the known labels if there is
        none, ValueError if several nodes carry it (which one was meant would be a guess)."""
        matches = [row for row in self.rows if row.label == label]
        if not matches:
            raise KeyError(f"no node labelled {label!r} in this graph; known labels: "
                           + (", ".join(self.labels) or "(none: no node has a label)"))
        if len(matches) > 1:
            rows = ", ".join(f"#{row.index} ({row.op})" for row in matches)
            raise ValueError(f"{len(matches)} nodes are labelled {label!r} (rows {rows}); "
                             "give each node its own label so a value can be matched to one node")
        return matches[0]

    # --- output ------------------------------------------------------------------------------
    def _cells(self, rows: list[Row] | None = None) -> list[list[str]]:
        p = self.precision
        # A constant (op "const": a leaf with requires_grad=False) has no gradient: a blank,
        # as in the diagrams, not a 0.0 that reads like a computed result.
        return [[str(row.index), row.label, row.op if row.op not in ("leaf", "const") else "",
                 ", ".join(row.inputs), format_number(row.value, p),
                 "" if row.op == "const" else format_number(row.grad, p)]
                for row in (self.rows if rows is None else rows)]

    _HEADER = ("#", "label", "op", "inputs", "value", "grad")
    _NUMERIC = (True, False, False, False, True, True)  # right-align numbers, left-align names

    def _table(self, columns: tuple[str, ...], rows: list[Row] | None = None) -> str:
        keep = [self._HEADER.index(c) for c in columns]
        table = [[line[c] for c in keep] for line in [list(self._HEADER)] + self._cells(rows)]
        numeric = [self._NUMERIC[c] for c in keep]
        widths = [max(len(line[c]) for line in table) for c in range(len(keep))]
        lines = ["  ".join(cell.rjust(w) if num and n else cell.ljust(w)
                           for cell, w, num in zip(line, widths, numeric)).rstrip()
                 for n, line in enumerate(table)]
        return "\n".join(lines)

    def to_text(self) -> str:
        """The trace as an aligned plain-text table (one line per node, header first)."""
        return self._table(self._HEADER)

    def forward_text(self) -> str:
        """The forward pass: every node's inputs and value, in the order they are computed."""
        return self._table(("#", "label", "op", "inputs", "value"))

    def backward_text(self) -> str:
        """The backward pass: every node's grad, in the order backprop finalises them (root first)."""
        return self._table(("#", "label", "op", "grad"), list(reversed(self.rows)))

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        return f"Trace({len(self.rows)} nodes, root {self.rows[-1].name!r})"

    def _repr_html_(self) -> str:
        """The trace as an HTML table (Jupyter shows this)."""
        head = "".join(f"<th>{html.escape(h)}</th>" for h in self._HEADER)
        body = []
        for cells in self._cells():
            tds = "".join(f'<td style="text-align:{"right" if n else "left"}">{html.escape(c)}</td>'
                          for c, n in zip(cells, self._NUMERIC))
            body.append(f"<tr>{tds}</tr>")
        return (f'<table class="teachgrad-trace"><thead><tr>{head}</tr></thead>'
                f"<tbody>{''.join(body)}</tbody></table>")
