"""The ONE layout that every frame of the step-by-step backward shares, and its marked-up SVG.

Laying out each frame separately cost one graphviz run per frame and made nodes jump between
frames (grad texts change width). Instead the final backward diagram is laid out once, with each
grad field sized for the widest text it will ever show, and a frame only restyles elements and
rewrites texts. Stable SVG ids (set through graphviz's `id` attribute):

    v{i}  record of order[i]     o{i}  its op node      r{i}  edge op -> record
    e{i}_{k}  edge from input k into order[i]'s op       g{i}  the <text> of v{i}'s grad field

and every element drawn for order[i] has the class `tgn{i}` (plus `tgv` on records, `tgo` on
op nodes).
"""
from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from .collapse import add_collapsed, natural_key
from .dot import GraphBuilder
from .draw import Size, edge_label_mode, new_diagram, spacing
from .frames import DONE
from .renderer import RenderError
from .style import escape_record

if TYPE_CHECKING:
    from ..value import Value
    from .figure import Diagram
    from .frames import Frame

__all__ = ["layout_builder", "layout_diagram", "collapsed_layout", "widest_texts", "mark_svg"]


def _width(text: str) -> float:
    """Rough printed width in Helvetica ems: digits and letters ~0.55, '.', '-', ' ' about half."""
    return sum(0.28 if ch in ".- ?fijlrt" else 0.56 for ch in text)


def widest_texts(frames: Sequence[Frame]) -> list[str | None]:
    """For each node index, the widest grad-field text any frame shows."""
    widest: list[str | None] = [""] * len(frames[0].grads) if frames else []
    for frame in frames:
        for i in frame.changed:  # a text can only change where the frame says it did
            text = frame.text(i)
            if _width(text) > _width(widest[i] or ""):  # every entry is a str here
                widest[i] = text
    return widest


class _LayoutBuilder(GraphBuilder):
    """GraphBuilder whose grad fields hold the given (widest) texts instead of the final grad."""

    def __init__(self, *args: Any, widest: Sequence[str | None], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.widest = widest

    def record_label(self, node: Value) -> str:
        """The usual record label with the grad field's text replaced by node's widest one."""
        if not self.shows_grad(node):
            return super().record_label(node)
        head = super().record_label(node).rsplit(" | ", 1)[0]  # grad is always the last field
        return f"{head} | {escape_record(self.widest[self.ids[node]] or '')}}}"


class _IdNamer:
    """Stands in for the Digraph while GraphBuilder draws: gives each element its id and classes."""

    def __init__(self, dg: Diagram) -> None:
        self.dg = dg
        self.uses: dict[str, int] = {}  # op node number -> index of its last drawn input

    def node(self, name: str, label: str | None = None, **attrs: str) -> None:
        """Draw node `name` ('v5' record or 'o5' op) with id=name and classes tgv/tgo, tgn5."""
        kind = "tgv" if name.startswith("v") else "tgo"
        self.dg.node(name, label, id=name, **{"class": f"{kind} tgn{name[1:]}"}, **attrs)

    def edge(self, tail: str, head: str, **attrs: str) -> None:
        """Draw an edge into op o{i} (id e{i}_{k}, k-th input) or into record v{i} (id r{i})."""
        i = head[1:]
        if head.startswith("o"):  # an input's use: one per input position, in order
            k = self.uses[i] = self.uses.get(i, -1) + 1
            ident = f"e{i}_{k}"
        else:
            ident = f"r{i}"
        self.dg.edge(tail, head, id=ident, **{"class": f"tgn{i}"}, **attrs)


class _UnitNamer(_IdNamer):
    """_IdNamer for a collapsed layout: a group's box (DOT name g{k}) gets the id v{rep} and the
    classes `tgv tgbox tgn{rep}` of its step's representative node; edges into it that class."""

    def __init__(self, dg: Diagram, box_reps: dict[str, int]) -> None:
        super().__init__(dg)
        self.box_reps = box_reps  # DOT name of a box -> its representative node index

    def node(self, name: str, label: str | None = None, **attrs: str) -> None:
        """Boxes as above, records and ops as _IdNamer, anything else (a bus point) as is."""
        if name in self.box_reps:
            rep = self.box_reps[name]
            self.dg.node(name, label, id=f"v{rep}", **{"class": f"tgv tgbox tgn{rep}"}, **attrs)
        elif name[:1] in ("v", "o") and name[1:].isdigit():
            super().node(name, label, **attrs)
        else:
            self.dg.node(name, label, **attrs)

    def edge(self, tail: str, head: str, **attrs: str) -> None:
        """Edges into boxes carry their step's class; into ops and records as _IdNamer."""
        if head in self.box_reps:
            self.dg.edge(tail, head, **{"class": f"tgn{self.box_reps[head]}"}, **attrs)
        elif head[:1] in ("v", "o") and head[1:].isdigit():
            super().edge(tail, head, **attrs)
        else:
            self.dg.edge(tail, head, **attrs)

    def subgraph(self, **kwargs: Any) -> Any:
        """A subgraph of the real Digraph (collapse.py keeps sibling boxes in order with one)."""
        return self.dg.subgraph(**kwargs)


def layout_builder(root: Value, order: Sequence[Value], frames: Sequence[Frame],
                   widest: Sequence[str | None], view: str, params: set[Value] | None,
                   precision: int, inputs: Iterable[Value] = (),
                   edge_labels: str = "auto") -> GraphBuilder:
    """The GraphBuilder of the shared layout (final grads; grad fields holding `widest`)."""
    final = {node: g for node, g in zip(order, frames[-1].grads) if g is not None}
    return _LayoutBuilder(root, order, view, params, precision, grads=final,
                          states=dict.fromkeys(order, DONE),
                          edge_labels=edge_label_mode(edge_labels, len(order)), inputs=inputs,
                          widest=widest)


def layout_diagram(builder: GraphBuilder, order: Sequence[Value], rankdir: str = "LR",
                   size: Size | None = None) -> Diagram:
    """The shared layout as a Diagram, drawn by `layout_builder`'s builder. No title: the page
    shows it once, as its heading; the one-row legend stays with the figure."""
    dg = new_diagram(rankdir, size, None, legend=True)
    spacing(dg, builder.view, "inline" if builder.label_attr == "label" else "external")
    namer = _IdNamer(dg)
    for node in order:
        builder.add_value(namer, node)
        if not node.is_leaf:
            builder.add_uses(namer, node)
    return dg


def collapsed_layout(builder: GraphBuilder, order: Sequence[Value], groups: dict[Value, str],
                     rep_of_group: dict[str, int], rankdir: str = "LR",
                     size: Size | None = None) -> Diagram:
    """The shared layout of a collapsed stepper: boxes for the groups (ids of their steps'
    representatives, see `_UnitNamer`), every other node as in `layout_diagram`."""
    dg = new_diagram(rankdir, size, None, legend=True)
    spacing(dg, builder.view, "inline" if builder.label_attr == "label" else "external")
    names = sorted(set(groups.values()), key=natural_key)  # the DOT names add_collapsed gives
    namer = _UnitNamer(dg, {f"g{k}": rep_of_group[name] for k, name in enumerate(names)})
    add_collapsed(builder, namer, order, groups)  # a Digraph stand-in
    return dg


_TEXT = re.compile(r"(<text\b[^>]*)>([^<]*)</text>")


def mark_svg(svg: str, widest: Sequence[str | None], shown: Sequence[str]) -> str:
    """Give each grad field's <text> the id g{i} and the text `shown[i]` (it was laid out wide).

    The field is found as the last <text> in group v{i} whose content is the text it was laid
    out with (`widest[i]` None: v{i} has no grad field); a renderer that writes it otherwise raises RenderError rather than misplace texts.
    """
    def mark(group: re.Match[str]) -> str:
        opening, i, body = group.group(1), int(group.group(2)), group.group(3)
        if widest[i] is None:  # a record without a grad field (a constant)
            return group.group(0)
        hits = [t for t in _TEXT.finditer(body) if html.unescape(t.group(2)) == widest[i]]
        if not hits:
            raise RenderError(f"cannot find the grad field {widest[i]!r} of node v{i} in the "
                              "renderer's SVG output; the step-by-step player needs it")
        t = hits[-1]  # the grad field is the record's last field
        marked = f'{t.group(1)} id="g{i}">{html.escape(shown[i], quote=False)}</text>'
        return f"{opening}{body[:t.start()]}{marked}{body[t.end():]}</g>"

    return re.sub(r'(<g id="v(\d+)" class="[^"]*">)(.*?)</g>', mark, svg, flags=re.S)
