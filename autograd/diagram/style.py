"""How a diagram looks: number format, record-label escaping, node roles and their colours.

Kept apart from the graph-building code so that every colour and format decision lives in one
place (a teacher restyling the diagrams edits only this file).
"""
from __future__ import annotations

from ..numbers import format_number

__all__ = ["format_number", "escape_record", "ROLE_STYLE", "role_of", "OP_STYLE",
           "CURRENT_STYLE", "PENDING_STYLE", "GROUP_STYLE"]

# Fill colours by role. Light tints so black text stays readable when printed in grey.
ROLE_STYLE = {
    "output": {"fillcolor": "#f4cccc", "color": "#990000"},      # the root: output or loss
    "parameter": {"fillcolor": "#d9ead3", "color": "#38761d"},   # trained weights and biases
    "input": {"fillcolor": "#cfe2f3", "color": "#0b5394"},       # leaves that require grad
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
GROUP_STYLE = {"shape": "box3d", "style": "filled", "fillcolor": "#d9ead3", "color": "#38761d"}


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


def role_of(node, root, params: set) -> str:
    """'output', 'parameter', 'input', 'constant' or 'intermediate' for one Value."""
    if node is root:
        return "output"
    if node in params:
        return "parameter"
    if node.is_leaf:
        return "input" if node.requires_grad else "constant"
    return "intermediate"
