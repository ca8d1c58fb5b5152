"""Emitting DOT: one record node per Value, one small node per op, one edge per use.

`GraphBuilder` knows how to draw a single Value, its op and its incoming edges in each view; the
full view (`draw`), the collapsed view (`collapse.py`) and the step-by-step frames
(`stepper.py`) all draw through it, so a node looks the same in every kind of picture.
"""
from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Protocol

from .annotate import edge_text, forward_text
from .labels import reader_names, short_label
from .style import (escape_text, CURRENT_STYLE, EDGE_FONT, EDGE_PAD, OP_STYLE, PENDING_STYLE, ROLE_STYLE,
                    assign_roles, escape_record, format_number, gets_gradient, table_label)

if TYPE_CHECKING:
    from ..value import Value

__all__ = ["GraphBuilder", "VIEWS", "reader_names", "DotSink"]

VIEWS = ("forward", "backward", "both")


class DotSink(Protocol):
    """Where a GraphBuilder draws: a `graphviz.Digraph`, or a stand-in that adds ids to it."""

    def node(self, name: str, label: str | None = None, **attrs: str) -> None:
        """Add node `name` with text `label` and DOT attributes."""
        ...

    def edge(self, tail: str, head: str, **attrs: str) -> None:
        """Add an edge from node `tail` to node `head` with DOT attributes."""
        ...


class GraphBuilder:
    """Draws Values of one graph into a `graphviz.Digraph`.

    `params`: the set of parameter Values, or None to decide by the rule in
    `style.assign_roles` (`inputs` then names the data leaves). `grads` (optional) overrides
    `node.grad` (the stepper shows simulated, partial gradients without touching the user's
    graph); `states` maps nodes to 'done', 'current' or 'pending'. `tables=True` draws each
    Value as one table with its op in the heading (no op nodes, no edge texts: half the ranks,
    so a page prints it larger); `blank="grad"` (implies tables) leaves each gradient an empty
    box: the blank-graph worksheet.
    """

    def __init__(self, root: Value, order: Sequence[Value], view: str,
                 params: Container[Value] | None, precision: int,
                 grads: Mapping[Value, float] | None = None,
                 states: Mapping[Value, str] | None = None, edge_labels: str = "inline",
                 inputs: Iterable[Value] = (), blank: str | None = None,
                 tables: bool = False) -> None:
        self.root, self.view, self.precision = root, view, precision
        self.blank, self.tables = blank, tables or blank == "grad"
        self.roles = assign_roles(order, root, params, inputs)
        self.params = {node for node, role in self.roles.items() if role == "parameter"}
        self.set_label_mode(edge_labels)
        self.ids = {node: i for i, node in enumerate(order)}
        self.names = reader_names(order, precision)  # what edge formulas call each operand
        self.grads, self.states = grads, states or {}
        # node -> (style, extra record lines): a graded submission's verdicts (graded.py)
        self.marks: dict[Value, tuple[dict[str, str], list[str]]] = {}

    def set_label_mode(self, edge_labels: str) -> None:
        """'inline' labels take part in the layout (readable, but dot gets several times slower
        on big graphs); 'external' ones (xlabel) are placed afterwards and may overlap."""
        self.label_attr = "label" if edge_labels == "inline" else "xlabel"

    # --- reading ----------------------------------------------------------------------------
    def grad(self, node: Value) -> float:
        """The gradient to show for node: the simulated one when given, else node.grad."""
        return node.grad if self.grads is None else self.grads.get(node, 0.0)

    def shows_grad(self, node: Value) -> bool:
        """Whether node's record has a grad field: not in a forward view, never for a constant
        (nor for an input that does not require grad: its gradient is not accumulated)."""
        return self.view != "forward" and gets_gradient(node)

    def value_id(self, node: Value) -> str:
        """DOT name of node's record."""
        return f"v{self.ids[node]}"

    def op_id(self, node: Value) -> str:
        """DOT name of the op node that made `node`."""
        return f"o{self.ids[node]}"

    def _fmt(self, x: float) -> str:
        return format_number(x, self.precision)

    # --- drawing ----------------------------------------------------------------------------
    def record_label(self, node: Value) -> str:
        """'{label | data 2.0 | grad -3.0}': the fields of node's record."""
        # An unlabelled node shows the name formulas and the panel call it (`#7`, its Trace
        # row); a constant's name is its value, which the data field already shows.
        name = self.names[node] if node.label or self.roles[node] != "constant" else ""
        fields = [escape_record(name)] if name else []
        fields.append(f"data {self._fmt(node.data)}")
        if self.shows_grad(node):
            state = self.states.get(node)
            if state == "pending" and self.grads is not None and node not in self.grads:
                fields.append("grad ?")  # nothing has reached it yet
            elif state == "pending":
                fields.append(f"grad so far {self._fmt(self.grad(node))}")
            else:
                fields.append(f"grad {self._fmt(self.grad(node))}")
        if node in self.marks:  # the student's numbers beside the exact ones
            fields.append("\\n".join(escape_record(line) for line in self.marks[node][1]))
        return "{" + " | ".join(fields) + "}"

    def add_value(self, dg: DotSink, node: Value) -> None:
        """The record node of one Value, coloured by its role (and its stepper state)."""
        attrs: dict[str, str] = {"shape": "record", "style": "filled"}
        attrs.update(ROLE_STYLE[self.roles[node]])
        attrs.update(self._state_style(node))
        if node in self.marks:
            attrs.update(self.marks[node][0])
        if node.label and short_label(node.label) != node.label:
            attrs["tooltip"] = escape_text(node.label)  # the full name, on hover
        if self.tables:
            name = short_label(node.label) if node.label else ""
            grad: str | None = None  # a constant (or a forward view) has no gradient row
            if gets_gradient(node) and (self.blank == "grad" or self.view != "forward"):
                grad = "" if self.blank == "grad" else self._fmt(self.grad(node))
            dg.node(self.value_id(node), table_label(name, "" if node.is_leaf else self.symbol(node),
                                                     self.roles[node], self._fmt(node.data), grad),
                    shape="plaintext", margin="0")
            return
        dg.node(self.value_id(node), self.record_label(node), **attrs)
        if not node.is_leaf:
            self.add_op(dg, node)

    def symbol(self, node: Value) -> str:
        """The symbol of the op that made node (pow with its exponent: x**2 and x**-1 differ)."""
        assert node.row is not None  # an op node
        return node.row.node_symbol(node.arg)

    def add_op(self, dg: DotSink, node: Value) -> None:
        """The small op node (showing the op's symbol) and its edge into the result."""
        symbol = self.symbol(node)
        attrs = dict(OP_STYLE)
        attrs.update({k: v for k, v in self._state_style(node).items() if k != "fillcolor"})
        dg.node(self.op_id(node), symbol, **attrs)
        dg.edge(self.op_id(node), self.value_id(node), **self._edge_state(node))

    def add_uses(self, dg: DotSink, node: Value,
                 source_id: Callable[[Value], str] | None = None) -> None:
        """One edge per input of node (duplicates kept: `a + a` draws two arrows)."""
        for index, parent in enumerate(node.parents):
            src = source_id(parent) if source_id else self.value_id(parent)
            head = self.value_id(node) if self.tables else self.op_id(node)  # tables: no op node
            dg.edge(src, head, **self.use_edge_attrs(node, index))

    def edge_label(self, node: Value, index: int) -> str:
        """The text on the edge from input `index` into node's op ('' for none): what it passes
        back (a constant receives nothing worth showing), and in 'both' what it carries forward."""
        parent = node.parents[index]
        back = ""
        if gets_gradient(parent) and self.view != "forward" and not self.tables:
            back = edge_text(node, index, self.grad(node), self.names, self.precision)
        if self.view != "both":
            return back
        forward = forward_text(parent, self.precision)
        return f"{forward}\\n← {back}" if back else forward

    def use_edge_attrs(self, node: Value, index: int) -> dict[str, str]:
        """Label and style of the edge from input `index` into node's op."""
        attrs = self._edge_state(node)
        if self.view == "forward" or self.states.get(node) == "pending":
            return attrs
        text = self.edge_label(node, index)
        if text:
            attrs.update({self.label_attr: f"{EDGE_PAD}{text}{EDGE_PAD}", **EDGE_FONT})
        return attrs

    def _state_style(self, node: Value) -> dict[str, str]:
        state = self.states.get(node)
        if state == "current":
            return CURRENT_STYLE
        return PENDING_STYLE if state == "pending" else {}

    def _edge_state(self, node: Value) -> dict[str, str]:
        state = self.states.get(node)
        if state == "current":
            return {"color": CURRENT_STYLE["color"], "penwidth": "2.5"}
        if state == "pending":
            return {"color": PENDING_STYLE["color"]}
        return {}
