"""A key or a blank as a LaTeX document with real maths (amsmath), for pdflatex or lualatex.

Every formula is typeset by mathtext.py (∂L/∂w as a fraction, σ, subscripts); every piece of
sheet text (title, statement, names in the heading) is escaped, never copied raw. The diagram
is included with `\\includegraphics` when it is a PDF file (pdf.diagram_pdf makes one with the
typesetter); when none could be made the document says so in a sentence. A blank has the
Name / ID / date line and boxes sized for handwriting.
"""
from __future__ import annotations

import re

from .handout import Handout
from .mathtext import tex_text, to_latex

__all__ = ["to_tex", "BOX"]

BOX = r"\fbox{\rule{0pt}{9mm}\hspace{36mm}}"  # a blank to fill in: 38 x 11 mm on paper


def _steps(h: Handout, kind: str) -> list[str]:
    locals_ = h.locals()
    lines = [r"\begin{align*}"]
    rows = h.rows(kind)
    for i, (label, formula, numbers, result, asked) in enumerate(rows):
        parts = [to_latex(p) for p in (formula, numbers) if p]
        parts.append(BOX if h.blank and result == "" else to_latex(result))
        tag = r" \quad (\ast)" if asked and h.blank else ""
        row = to_latex(label) + " &= " + r" \\ &= ".join(parts) + tag
        for a, b in locals_.get(label, []):
            row += rf" \\ & \qquad \text{{where }} {to_latex(a)} = {to_latex(b)}"
        lines.append(row + (r" \\[4pt]" if i < len(rows) - 1 else ""))
    return lines + [r"\end{align*}"]


def to_tex(h: Handout, diagram_file: str = "", diagram_note: str = "") -> str:
    """The LaTeX document; `diagram_file` (a .pdf beside it) is included, else explained."""
    paper = "letterpaper" if h.paper == "letter" else "a4paper"
    out = [rf"\documentclass[11pt,{paper}]{{article}}",
           r"\usepackage[margin=18mm]{geometry}", r"\usepackage{amsmath,amssymb,longtable}",
           r"\allowdisplaybreaks",  # long step lists break across pages, rows stay whole
           r"\usepackage{graphicx}", r"\usepackage[T1]{fontenc}", r"\usepackage[utf8]{inputenc}",
           r"\begin{document}"]
    fields = h.heading_fields()
    if fields:
        out.append(r"\noindent " + r"\hfill ".join(
            rf"{tex_text(k)}: \underline{{\makebox[{'60' if k == 'Name' else '30'}mm][l]{{{tex_text(v)}}}}}"
            for k, v in fields) + r"\par\medskip")
    out.append(rf"\section*{{{tex_text(h.kind)}: {tex_text(h.title)}}}")
    if h.code:
        out.append(rf"\noindent Variant code: \texttt{{{tex_text(h.code)}}}\par")
    out += [tex_text(p) + "\n" for p in h.text.split("\n\n") if p.strip()]
    out.append(r"\begin{itemize}")
    for group, pairs in h.given:
        out.append(rf"\item {tex_text(group)}: " + ", ".join(
            f"${to_latex(n)} = {to_latex(v)}$" for n, v in pairs))
    out += [r"\end{itemize}", tex_text(h.ask)]
    if h.blank:
        out.append(r"\par Write each asked number (marked $\ast$) in its box.")
    out += [r"\subsection*{Forward pass}", *_steps(h, "forward"),
            rf"\subsection*{{Backward pass (from ${to_latex(h.root)}$ down)}}", *_steps(h, "backward"),
            r"\subsection*{Summary}", r"\begin{longtable}{lll}",  # breaks across pages
            rf"quantity & value & $\partial {to_latex(h.root)}/\partial\cdot$ \\ \hline \endhead"]
    for name, value, grad in h.summary:
        cells = [BOX if h.blank and c == h.box else (f"${to_latex(c)}$" if c else "") for c in (value, grad)]
        out.append(rf"${to_latex(name)}$ & {cells[0]} & {cells[1]} \\")
    out.append(r"\end{longtable}")
    if h.note:
        out += ["", tex_text(h.note)]
    if h.sweep:  # the forward sweep ([ask] jvp), typeset like the steps
        rows = [to_latex(label) + " &= " + r" \\ &= ".join([to_latex(p) for p in parts]
                                                            + ([BOX] if box else []))
                + (rf" \quad \text{{({note})}}" if note else "")
                for label, parts, note, box in h.sweep_rows()]
        out += [rf"\subsection*{{Forward sweep (tangents for {tex_text(h.seed)})}}",
                r"\begin{align*}", " \\\\[4pt]\n".join(rows), r"\end{align*}"]
    if diagram_file.endswith(".pdf") and re.fullmatch(r"[A-Za-z0-9._-]+", diagram_file):
        out += [r"\clearpage", r"\subsection*{Diagram}",
                r"\noindent\includegraphics[width=\linewidth,height=0.85\textheight,keepaspectratio]"
                rf"{{{diagram_file}}}"]  # a plain file name (checked): LaTeX reads it raw
    elif diagram_file or diagram_note:
        why = diagram_note or f"only as {diagram_file}, which LaTeX cannot include"
        out += ["", rf"\noindent (The diagram could not be made as PDF: {tex_text(why)}.)"]
    return "\n".join(out + [r"\end{document}"]) + "\n"
