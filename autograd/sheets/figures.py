"""The diagram of a worksheet for paper: laid out to fit a page, as SVG, with its print size.

A backward diagram drawn left to right is a long strip (seed002: 5401 x 387 pt), unreadable at
a page's width. `page_figure` lays the graph out both left-to-right and top-to-bottom and puts
the one that prints largest on a portrait or a landscape page (whichever fits it better), and
says the size it prints at. When even that prints the text below READABLE_SCALE (12 pt text
under 6 pt), the key's diagram is drawn as tables instead (each Value one table with its op
and gradient, no op nodes and no edge texts, which the steps spell out): about twice as
large. `blank=True` draws the blank graph (values filled in, empty gradient boxes); its key
is `tables=True`, the same layout with the gradients filled in.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .sheet import Problem

__all__ = ["PageFigure", "page_figure", "PAPER_MM", "MARGIN_MM", "HEADING_MM", "svg_size",
           "READABLE_SCALE"]

PAPER_MM = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}  # width, height (portrait)
MARGIN_MM = (15.0, 18.0)  # left/right, top/bottom: the same in the HTML page's @page rule
HEADING_MM = 22.0         # the figure page's heading and caption take this much height
PT_PER_MM = 72 / 25.4
READABLE_SCALE = 0.5      # below this the diagram's 12 pt text prints under 6 pt


@dataclass(frozen=True)
class PageFigure:
    """An SVG diagram and how it prints: on a landscape page or not, at what size (mm)."""

    svg: str
    landscape: bool
    width_mm: float
    height_mm: float
    scale: float  # printed size / drawn size (1.0: the diagram's own 12 pt text prints at 12 pt)
    tables: bool = False  # drawn as tables (gradients in the nodes, no edge texts)

    def caption(self, blank: bool) -> str:
        """The heading of the figure's page."""
        if blank:
            return "The graph: fill in the gradients"
        if self.tables:
            return "Diagram: each node with its value and gradient (the steps give each product)"
        return "Diagram"


def svg_size(svg: str) -> tuple[float, float]:
    """The (width, height) in pt that an SVG from graphviz declares."""
    m = re.search(r'<svg[^>]*?width="([\d.]+)pt"[^>]*?height="([\d.]+)pt"', svg, re.S)
    if not m:
        raise ValueError("the SVG declares no width and height in pt")
    return float(m.group(1)), float(m.group(2))


def _svg(problem: Problem, rankdir: str, blank: bool, tables: bool) -> str:
    from ..diagram import draw
    dg = draw(problem.root, view="backward", params=problem.params, rankdir=rankdir,
              precision=problem.sheet.digits, title=problem.sheet.title,
              blank="grad" if blank else None, tables=tables)
    svg = dg.pipe("svg", encoding="utf-8")
    return svg[svg.find("<svg"):]  # no XML prolog: the SVG goes inside a page or a document


def _best(problem: Problem, paper: str, blank: bool, tables: bool) -> PageFigure:
    width, height = PAPER_MM[paper]
    best: PageFigure | None = None
    for rankdir in ("LR", "TB"):
        svg = _svg(problem, rankdir, blank, tables)
        w_pt, h_pt = svg_size(svg)
        for landscape in (False, True):
            page_w, page_h = (height, width) if landscape else (width, height)
            room_w = page_w - 2 * MARGIN_MM[0]
            room_h = page_h - 2 * MARGIN_MM[1] - HEADING_MM
            scale = min(room_w / (w_pt / PT_PER_MM), room_h / (h_pt / PT_PER_MM), 1.0)
            if best is None or scale > best.scale + 1e-9:
                best = PageFigure(svg, landscape, w_pt / PT_PER_MM * scale,
                                  h_pt / PT_PER_MM * scale, scale, tables or blank)
    assert best is not None
    return best


def page_figure(problem: Problem, paper: str = "a4", blank: bool = False,
                tables: bool | None = None) -> tuple[PageFigure | None, str]:
    """(the figure that prints largest on `paper`, '') or (None, why no diagram could be made).

    `tables`: True draws tables, False the backward diagram, None (the key) the backward
    diagram unless it would print below READABLE_SCALE and the tables print larger.
    """
    from ..diagram import RenderError
    from ..diagram.draw import GraphTooLarge
    try:
        if blank or tables:
            return _best(problem, paper, blank, True), ""
        full = _best(problem, paper, False, False)
        if tables is None and full.scale < READABLE_SCALE:
            compact = _best(problem, paper, False, True)
            if compact.scale > full.scale:
                return compact, ""
        return full, ""
    except (RenderError, GraphTooLarge) as exc:
        return None, str(exc)
