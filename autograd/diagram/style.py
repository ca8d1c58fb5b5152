"""How a diagram looks: number format, record-label escaping, node roles and their colours.

Kept apart from the graph-building code so that every colour and format decision lives in one
place (a teacher restyling the diagrams edits only this file).
"""
from __future__ import annotations

import html
from collections.abc import Container, Iterable
from typing import TYPE_CHECKING

from ..numbers import format_number

if TYPE_CHECKING:
    from ..value import Value

__all__ = ["format_number", "escape_record", "escape_text", "ROLE_STYLE", "OP_STYLE",
           "CURRENT_STYLE", "PENDING_STYLE", "GROUP_STYLE", "ROLE_TITLES", "assign_roles",
           "gets_gradient", "EDGE_FONT", "EDGE_PAD", "legend_label", "title_label", "table_label",
           "BLANK_BOX_PT"]

# Fill colours by role. Light tints so black text stays readable when printed in grey.
ROLE_STYLE = {
    "output": {"fillcolor": "#f4cccc", "color": "#990000"},      # the root: output or loss
    "parameter": {"fillcolor": "#d9ead3", "color": "#38761d"},   # trained weights and biases
    "input": {"fillcolor": "#cfe2f3", "color": "#0b5394"},       # data leaves that require grad
    "constant": {"fillcolor": "#eeeeee", "color": "#666666"},    # leaves with requires_grad=False
    "intermediate": {"fillcolor": "#ffffff", "color": "#000000"},
}
ROLE_TITLES = {"output": "output / loss", "parameter": "parameter", "input": "input",
               "constant": "constant", "intermediate": "intermediate"}
OP_STYLE = {"shape": "ellipse", "style": "filled", "fillcolor": "#fff2cc", "fontsize": "11",
            "margin": "0.02", "width": "0.3", "height": "0.3"}
# Step-by-step backward: the node whose gradient is being passed on, and nodes not reached yet.
CURRENT_STYLE = {"penwidth": "3", "color": "#e69138", "fillcolor": "#ffe599"}
PENDING_STYLE = {"color": "#b7b7b7", "fontcolor": "#999999", "fillcolor": "#f8f8f8"}
# margin: box text must not touch the border (inches, horizontal,vertical).
GROUP_STYLE = {"shape": "box3d", "style": "filled", "fillcolor": "#d9ead3", "color": "#38761d",
               "margin": "0.3,0.12"}
# Edge texts: small, dark red, padded so a label never ends on the arrowhead that follows it.
EDGE_FONT = {"fontsize": "10", "fontcolor": "#990000"}
EDGE_PAD = "   "


def escape_record(text: str) -> str:
    """Text made safe inside a graphviz record label (braces, bars and angles are syntax)."""
    out = []
    for ch in str(text):
        if ch in "{}|<>\\\"":
            out.append("\\" + ch)
        elif ch == "\n":
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def escape_text(text: str) -> str:
    """Text made safe as a plain DOT string attribute (a tooltip, a non-record label).

    graphviz's Python quoting escapes only the double quote, so a backslash stays a DOT
    escape: one at the end (`name\\`) swallowed the closing quote and broke the whole
    diagram, and `\\N` or `\\G` would be replaced by the node's or graph's name. Doubling
    every backslash keeps it a backslash; a newline becomes DOT's line break.
    """
    return str(text).replace("\\", "\\\\").replace("\n", "\\n")


def gets_gradient(node: Value) -> bool:
    """Whether backward accumulates a gradient in `node`: every op result, and the leaves that
    require grad. A leaf with requires_grad=False (a constant, or an input given as plain data)
    keeps grad 0.0 and shows no gradient anywhere."""
    return not node.is_leaf or node.requires_grad


def assign_roles(order: Iterable[Value], root: Value, params: Container[Value] | None = None,
                 inputs: Iterable[Value] = ()) -> dict[Value, str]:
    """{node: 'output' | 'parameter' | 'input' | 'constant' | 'intermediate'} for `order`.

    With `params` (a set), exactly those leaves are parameters and other leaves that require
    grad are inputs. Without it, a leaf that requires grad is a parameter unless it is in
    `inputs`: what a student builds by hand (`w = Value(0.4)`) is usually a weight. A leaf in
    `inputs` is an input even with requires_grad=False (the data of a network). Any other leaf
    with requires_grad=False is a constant (plain numbers become such leaves) and shows no gradient.
    """
    given_inputs = set(inputs)
    roles: dict[Value, str] = {}
    for node in order:
        if node is root:
            roles[node] = "output"
        elif not node.is_leaf:
            roles[node] = "intermediate"
        elif params is not None and node in params:
            roles[node] = "parameter"
        elif node in given_inputs:  # named as data: an input, whether it requires grad or not
            roles[node] = "input"
        elif not node.requires_grad:
            roles[node] = "constant"
        elif params is None and node not in given_inputs:
            roles[node] = "parameter"
        else:
            roles[node] = "input"
    return roles


def legend_label(title: object = None) -> str:
    """The graph label: an optional title line above ONE row of role swatches (an HTML label,
    so the title is escaped as text and a trailing backslash or a `<b>` means nothing to DOT)."""
    cells = "".join(f'<td bgcolor="{style["fillcolor"]}" border="1" color="{style["color"]}" '
                    f'cellpadding="5"><font point-size="10">{html.escape(ROLE_TITLES[role])}</font></td>'
                    for role, style in ROLE_STYLE.items())
    rows = f"<tr>{cells}</tr>"
    if title:
        rows = (f'<tr><td colspan="{len(ROLE_STYLE)}" border="0"><font point-size="16">'
                f"{html.escape(str(title))}</font></td></tr>{rows}")
    return f'<<table border="0" cellspacing="4" cellborder="1">{rows}</table>>'


def title_label(title: object) -> str:
    """A title alone as an HTML graph label (escaped: any text is safe, a trailing `\\` too)."""
    return f'<<font point-size="16">{html.escape(str(title))}</font>>'


# The blank graph's gradient box (points at the diagram's own size): a signed 6-digit number
# written by hand, once the page scales the diagram down to fit.
BLANK_BOX_PT = (84, 30)


def table_label(name: str, op: str, role: str, data: str, grad: str | None) -> str:
    """A Value as one table (an HTML label, escaped), coloured by role: its name and the op that
    made it, its value, and its gradient: `grad` '' is an empty box sized for handwriting (the
    blank graph), None no gradient row (a constant), else the number, in a cell of that size."""
    style = ROLE_STYLE[role]
    head = " ".join(x for x in (f"<b>{html.escape(name)}</b>" if name else "",
                                f"({html.escape(op)})" if op else "") if x)
    rows = f'<tr><td colspan="2">{head}</td></tr>' if head else ""
    rows += f'<tr><td>data</td><td>{html.escape(data)}</td></tr>'
    if grad is not None:
        rows += (f'<tr><td>grad</td><td width="{BLANK_BOX_PT[0]}" height="{BLANK_BOX_PT[1]}" '
                 f'bgcolor="white">{html.escape(grad) or " "}</td></tr>')
    return (f'<<table border="0" cellborder="1" cellspacing="0" cellpadding="3" '
            f'bgcolor="{style["fillcolor"]}" color="{style["color"]}">{rows}</table>>')
