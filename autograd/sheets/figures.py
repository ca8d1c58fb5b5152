"""The diagram of a worksheet for paper: laid out to fit a page, as SVG, with its print size.

A backward diagram drawn left to right is a long strip (seed002: 5401 x 387 pt), unreadable at
a page's width. `page_figure` lays the graph out both left-to-right and top-to-bottom and puts
the one that prints largest on a portrait or a landscape page (whichever fits it better), and
says the size it prints at. `blank=True` draws the blank graph (values filled in, empty
gradient boxes) instead of the backward diagram.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .sheet import Problem

__all__ = ["PageFigure", "page_figure", "PAPER_MM", "MARGIN_MM", "HEADING_MM", "svg_size"]

PAPER_MM = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}  # width, height (portrait)
MARGIN_MM = (15.0, 18.0)  # left/right, top/bottom: the same in the HTML page's @page rule
HEADING_MM = 22.0         # the figure page's heading and caption take this much height
PT_PER_MM = 72 / 25.4


@dataclass(frozen=True)
class PageFigure:
    """An SVG diagram and how it prints: on a landscape page or not, at what size (mm)."""

    svg: str
    landscape: bool
    width_mm: float
    height_mm: float
    scale: float  # printed size / drawn size (1.0: the diagram's own 12 pt text prints at 12 pt)


def svg_size(svg: str) -> tuple[float, float]:
    """The (width, height) in pt that an SVG from graphviz declares."""
    m = re.search(r'<svg[^>]*?width="([\d.]+)pt"[^>]*?height="([\d.]+)pt"', svg, re.S)
    if not m:
        raise ValueError("the SVG declares no width and height in pt")
    return float(m.group(1)), float(m.group(2))


def _svg(problem: Problem, rankdir: str, blank: bool) -> str:
    from ..diagram import draw
    dg = draw(problem.root, view="backward", params=problem.params, rankdir=rankdir,
              precision=problem.sheet.digits, title=problem.sheet.title,
              blank="grad" if blank else None)
    svg = dg.pipe("svg", encoding="utf-8")
    return svg[svg.find("<svg"):]  # no XML prolog: the SVG goes inside a page or a document


def page_figure(problem: Problem, paper: str = "a4", blank: bool = False) -> tuple[PageFigure | None, str]:
    """(the figure that prints largest on `paper`, '') or (None, why no diagram could be made)."""
    from ..diagram import RenderError
    from ..diagram.draw import GraphTooLarge
    width, height = PAPER_MM[paper]
    best: PageFigure | None = None
    for rankdir in ("LR", "TB"):
        try:
            svg = _svg(problem, rankdir, blank)
        except (RenderError, GraphTooLarge) as exc:
            return None, str(exc)
        w_pt, h_pt = svg_size(svg)
        for landscape in (False, True):
            page_w, page_h = (height, width) if landscape else (width, height)
            room_w = page_w - 2 * MARGIN_MM[0]
            room_h = page_h - 2 * MARGIN_MM[1] - HEADING_MM
            scale = min(room_w / (w_pt / PT_PER_MM), room_h / (h_pt / PT_PER_MM), 1.0)
            if best is None or scale > best.scale + 1e-9:
                best = PageFigure(svg, landscape, w_pt / PT_PER_MM * scale,
                                  h_pt / PT_PER_MM * scale, scale)
    return best, ""
