"""Boxes read from a graphviz SVG: node outlines, arrowheads and edge-label text, for overlap tests.

A text's box is estimated from its font size: width 0.55 em per character (Chromium measures 0.47-0.49 on these labels) (wider than Helvetica,
Arial, Liberation Sans or DejaVu Sans average on these labels, so the estimate errs towards
finding an overlap), height 1 em, placed by its anchor.
"""
import re
import xml.etree.ElementTree as ET

NS = "{http://www.w3.org/2000/svg}"
EM_PER_CHAR = 0.55


def _points(text):
    nums = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", text)]
    return list(zip(nums[0::2], nums[1::2]))


def _bbox(points):
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return (min(xs), min(ys), max(xs), max(ys))


def text_box(el):
    """Estimated (x0, y0, x1, y1) of an SVG <text> element."""
    size = float(el.get("font-size", "14"))
    width = len((el.text or "").strip()) * EM_PER_CHAR * size  # padding spaces are margin
    x, y = float(el.get("x")), float(el.get("y"))
    anchor = el.get("text-anchor", "start")
    x0 = x - width / 2 if anchor == "middle" else x - width if anchor == "end" else x
    return (x0, y - 0.8 * size, x0 + width, y + 0.2 * size)


def shape_box(el):
    """(x0, y0, x1, y1) of a polygon or an ellipse."""
    if el.tag == NS + "ellipse":
        cx, cy, rx, ry = (float(el.get(k)) for k in ("cx", "cy", "rx", "ry"))
        return (cx - rx, cy - ry, cx + rx, cy + ry)
    return _bbox(_points(el.get("points")))


def boxes(svg: str):
    """(node boxes, arrowhead boxes, edge-label boxes with their text), from one SVG."""
    root = ET.fromstring(svg.encode("utf-8"))
    nodes, heads, labels = [], [], []
    for g in root.iter(NS + "g"):
        kind = (g.get("class") or "").split()
        if "node" in kind:
            for el in g:
                if el.tag in (NS + "polygon", NS + "ellipse"):
                    nodes.append((g.get("id"), shape_box(el)))
        elif "edge" in kind:
            for el in g.iter():
                if el.tag == NS + "polygon":
                    heads.append((g.get("id"), shape_box(el)))
                elif el.tag == NS + "text" and el.text:
                    labels.append((el.text, text_box(el)))
    return nodes, heads, labels


def overlap(a, b, slack: float = 0.5) -> bool:
    """Whether two boxes overlap by more than `slack` points in both directions."""
    return (min(a[2], b[2]) - max(a[0], b[0]) > slack) and (min(a[3], b[3]) - max(a[1], b[1]) > slack)


def label_collisions(svg: str) -> list:
    """Every (label text, what it hits) where an edge label's box overlaps a node or arrowhead."""
    nodes, heads, labels = boxes(svg)
    return [(text, name) for text, box in labels
            for name, other in nodes + heads if overlap(box, other)]


def boxed_texts(svg: str):
    """[(box outline, [text boxes inside it])] for every box3d/box node with several texts."""
    root = ET.fromstring(svg.encode("utf-8"))
    found = []
    for g in root.iter(NS + "g"):
        if "node" not in (g.get("class") or "").split():
            continue
        shapes = [shape_box(el) for el in g if el.tag == NS + "polygon"]
        texts = [text_box(el) for el in g if el.tag == NS + "text" and el.text]
        if shapes and len(texts) >= 2 and "polyline" not in "".join(el.tag for el in g):
            found.append((shapes[0], texts))
    return found
