"""Writing hand-outs to files: the key, the blank or the blank graph as md, tex, html or pdf.

`save_handout(problem, out, fmt, ...)` is what `teachgrad sheet solve|blank --out F` runs. The
diagram goes where the format can hold it: embedded in HTML (laid out to fit the page) and in
the PDF (a page of its own), beside a Markdown file as SVG, beside a LaTeX file as PDF (made by
the typesetter; without it the .tex says so and the SVG is written). A blank gets no diagram
(the backward diagram would give the answers away) unless `graph=True`: then the blank graph
(values filled in, empty gradient boxes), whose key (`blank=False, graph=True`) is the backward
diagram.
"""
from __future__ import annotations

from pathlib import Path

from .errors import SheetError
from .figures import page_figure
from .files import save_key
from .handout import to_html
from .key import handout, write_key
from .pdf import diagram_pdf, handout_pdf
from .sheet import Problem
from .tex import to_tex

__all__ = ["save_handout", "HANDOUT_FORMATS"]

HANDOUT_FORMATS = ("md", "tex", "html", "pdf")


def save_handout(problem: Problem, out: str | Path, fmt: str = "md", blank: bool = False,
                 structure: bool = True, paper: str = "a4",
                 graph: bool = False) -> tuple[list[Path], str | None]:
    """Write the key or blank (or blank graph) to `out`; return (paths written, note or None)."""
    if fmt not in HANDOUT_FORMATS:
        raise SheetError(f"format must be one of {', '.join(HANDOUT_FORMATS)}, got {fmt!r}")
    file = Path(out)
    if fmt == "pdf":
        pdf, note = handout_pdf(problem, blank, structure, paper, graph)
        file.write_bytes(pdf)
        return [file], note or None
    if fmt == "md" and not graph:
        if blank and not structure:
            file.write_text(write_key(problem, "md", True, structure=False), encoding="utf-8")
            return [file], None
        return save_key(problem, file, "md", blank)
    show_diagram = graph or not blank
    figure, note = page_figure(problem, paper, blank and graph, True if graph else None) if show_diagram else (None, "")
    doc = handout(problem, blank, structure, paper)
    written = [file]
    if fmt == "html":
        caption = figure.caption(blank) if figure else ""
        file.write_text(to_html(doc, figure.svg if figure else "", caption), encoding="utf-8")
        return written, note or None
    side = file.with_name(file.stem + "-diagram" + (".svg" if fmt == "md" else ".pdf"))
    if figure is not None and fmt == "md":
        side.write_text(figure.svg, encoding="utf-8")
        text = write_key(problem, "md", blank, diagram_file=side.name, structure=structure)
        file.write_text(text + f"\n![the graph]({side.name})\n" if blank else text, encoding="utf-8")
        return written + [side], None
    if figure is not None:
        try:
            side.write_bytes(diagram_pdf(figure.svg))
            written.append(side)
        except SheetError as exc:  # no typesetter: the SVG beside, and the .tex says why
            note = f"{exc}; the diagram is written as SVG instead"
            svg = side.with_suffix(".svg")
            svg.write_text(figure.svg, encoding="utf-8")
            written.append(svg)
    tex_file = side.name if side in written else ""
    file.write_text(to_tex(doc, tex_file, note), encoding="utf-8")
    return written, note or None
