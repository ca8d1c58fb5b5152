"""A key, a blank or a blank graph as Typst source: the input of the PDF (pdf.py).

Sheet text (title, statement, names) enters the source only as Typst string literals
(`#"..."`, escaped by mathtext.typst_string), never as markup; formulas are typeset as maths by
mathtext.to_typst. The page has the paper size, page numbers ("page 1 of 3") and, on blanks,
the Name / ID / date line; a blank's numbers are boxes sized for handwriting (38 x 11 mm). The
diagram (an SVG file beside the source) gets a page of its own, landscape where it prints
larger so, at the size figures.page_figure worked out.
"""
from __future__ import annotations

from .figures import MARGIN_MM, PageFigure
from .handout import Handout
from .mathtext import to_typst, typst_string

__all__ = ["document", "figure_page", "BOX", "SMALL_BOX"]

BOX = "box(width: 38mm, height: 11mm, stroke: 0.6pt)"
SMALL_BOX = "box(width: 30mm, height: 8mm, stroke: 0.6pt)"  # the summary repeats the asked numbers


def _math(text: str) -> str:
    return f"${to_typst(text)}$"


def _head(h: Handout, title: str) -> list[str]:
    out = [f"#set document(title: {typst_string(title)})",
           f'#set page(paper: "{"us-letter" if h.paper == "letter" else "a4"}", '
           f"margin: (x: {MARGIN_MM[0]}mm, y: {MARGIN_MM[1]}mm), "
           'footer: context align(center, text(size: 9pt)[page #counter(page).display() of '
           '#counter(page).final().first()]))',
           '#set text(size: 10.5pt, lang: "en")', "#set par(justify: false)",
           "#show heading: set block(above: 1.1em, below: 0.7em)"]
    fields = h.heading_fields()
    if fields:
        cells = ", ".join(f"[#{typst_string(k)}: #box(width: 1fr, stroke: (bottom: 0.6pt), "
                          f"inset: (bottom: 2pt))[#{typst_string(v)}]]" for k, v in fields)
        widths = ", ".join("2fr" if k == "Name" else "1fr" for k, _ in fields)
        out.append(f"#grid(columns: ({widths},), column-gutter: 1.2em, {cells})")
    return out


def _steps(h: Handout, kind: str) -> str:
    locals_ = h.locals()
    cells = []
    for label, formula, numbers, result, asked in h.rows(kind):
        mark = ' #text(fill: rgb("#b00000"))[\\*]' if asked and h.blank else ""
        middle = " ".join(f"$= {to_typst(p)}$" for p in (formula, numbers) if p)
        for a, b in locals_.get(label, []):
            middle += f" \\ #text(size: 8.5pt, fill: luma(90))[where ${to_typst(a)} = {to_typst(b)}$]"
        value = f"#{BOX}" if h.blank and result == "" else f"$= {to_typst(result)}$"
        cells.append(f"[${'display(' + to_typst(label) + ')'}${mark}], [{middle}], [{value}]")
    rows = ",\n  ".join(cells)
    return (f"#table(columns: (auto, 1fr, auto), stroke: 0.4pt + luma(180), inset: 5pt, "
            f"align: horizon,\n  {rows})")


def _summary(h: Handout) -> str:
    def cell(text: str) -> str:
        if h.blank and text == h.box:
            return f"[#{SMALL_BOX}]"
        return f"[{_math(text)}]" if text else "[]"
    rows = ",\n  ".join(f"[{_math(n)}], {cell(v)}, {cell(g)}" for n, v, g in h.summary)
    # may break across pages (a blank's is long): the header row is repeated on each
    return (f"#table(columns: 3, stroke: 0.4pt + luma(180), inset: 4pt, align: horizon, "
            f"table.header([*quantity*], [*value*], [*{_math('∂' + h.root)}/∂*]),\n  {rows})")


def figure_page(fig: PageFigure, file: str, caption: str) -> str:
    """A page holding only the diagram (SVG at `file`), turned landscape where it fits better."""
    body = (f"#heading(level: 2, {typst_string(caption)})\n"
            f'#align(center, image("{file}", width: {fig.width_mm:.1f}mm, height: {fig.height_mm:.1f}mm))')
    return f"#page(flipped: {'true' if fig.landscape else 'false'})[\n{body}\n]"


def document(h: Handout, figure: PageFigure | None = None, figure_file: str = "",
             figure_note: str = "", graph_only: bool = False) -> str:
    """The Typst source of the handout; the figure (at `figure_file`) on a page of its own.

    `graph_only`: the blank-graph worksheet (heading, problem, the blank graph) or its key (the
    backward diagram), without the step tables.
    """
    title = f"{h.kind}: {h.title}" + (f" ({h.student})" if h.student else "")
    out = _head(h, title)
    out.append(f"#heading(level: 1, {typst_string(h.kind + ': ' + h.title)})")
    if h.student and not h.blank:
        who = [h.student] + [f"{k} {v}" for k, v in h.extra.items()]
        out.append(f"#text(weight: \"bold\")[#{typst_string('For: ' + ', '.join(who))}]\n")
    if h.code:
        out.append(f"Variant code: #text(weight: \"bold\", size: 12pt)[#{typst_string(h.code)}]"
                   + (f" #h(1em) (typed answers: write #raw({typst_string('code = ' + chr(34) + h.code + chr(34))}) "
                      "at the top of your answers file)\n" if h.blank else "\n"))
    out += [f"#{typst_string(p)}\n" for p in h.text.split("\n\n") if p.strip()]
    for group, pairs in h.given:
        out.append(f"- #{typst_string(group)}: " + ", ".join(f"${to_typst(n)} = {to_typst(v)}$" for n, v in pairs))
    if not graph_only:
        out.append(f"\n#{typst_string(h.ask)}")
        if h.blank:
            out.append("Write each asked number (marked \\*) in its box.")
        out += ["#heading(level: 2)[Forward pass]", _steps(h, "forward"),
                f"#heading(level: 2)[Backward pass (from {_math(h.root)} down)]", _steps(h, "backward"),
                "#heading(level: 2)[Summary]", _summary(h)]
        if h.note:
            out.append(f"\n#text(size: 9pt)[#{typst_string(h.note)}]")
        if h.sweep:  # the forward sweep ([ask] jvp), typeset like the steps
            cells = []
            for label, parts, note, box in h.sweep_rows():
                middle, last = (parts, "#" + BOX) if box else (parts[:-1], f"$= {to_typst(parts[-1])}$")
                cells.append(f"[${to_typst(label)}$" + (f" ({note})" if note else "") + "], "
                             f"[{' '.join(f'$= {to_typst(p)}$' for p in middle)}], [{last}]")
            out += [f"#heading(level: 2, {typst_string('Forward sweep (tangents for ' + h.seed + ')')})",
                    "#table(columns: (auto, 1fr, auto), stroke: 0.4pt + luma(180), inset: 5pt, "
                    "align: horizon,\n  " + ",\n  ".join(cells) + ")"]
    elif h.blank:
        out.append("\nFill in every gradient box: the gradient of the output with respect to "
                   "that quantity.")
    if figure is not None:
        out.append(figure_page(figure, figure_file, figure.caption(h.blank)))
    elif figure_note:
        out.append(f"\n#text(size: 9pt)[#{typst_string('No diagram: ' + figure_note)}]")
    return "\n".join(out) + "\n"
