"""A key or a blank worksheet as a printable document, and its print-ready HTML page.

`Handout` holds what a printed key or blank shows (the heading, the problem, the steps, the
summary table, who it is for); `key.handout(problem, ...)` makes one and `key.write_key` turns
it into HTML (here), LaTeX (tex.py) or Typst (typeset.py, for the PDF). On a blank every
computed number is a box sized for handwriting (the asked ones marked), a Name / ID / date line
heads the page, and with `structure=False` the chain-rule skeleton (the formulas) is hidden so
the student writes it too.

The HTML page carries the print style sheet (printcss.py): the diagram scaled to the page
width, tables and steps kept together, page numbers, no scroll bars on paper.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape as html_escape
from typing import TYPE_CHECKING

from ..safetext import clean_lines
from .printcss import print_css

if TYPE_CHECKING:  # types only
    from .key import Step

__all__ = ["Handout", "to_html", "PAPERS", "BLANK_LINE"]

PAPERS = ("a4", "letter")
BLANK_LINE = ("Name", "ID", "Date")  # the heading line a student fills in


def escape(text: str) -> str:
    """`text` for the page: control and bidi characters shown as escapes (autograd.safetext),
    then HTML-escaped; line breaks kept (paragraphs, the forward sweep's <pre>)."""
    return html_escape(clean_lines(text))


@dataclass(frozen=True)
class Handout:
    """What one printed key or blank shows; `show(x)` prints a number to the sheet's digits."""

    kind: str                                  # "Solution key" or "Worksheet"
    title: str
    text: str                                  # the problem statement
    given: list[tuple[str, list[tuple[str, str]]]]  # ("inputs", [("x1", "0.05"), ...]), ...
    ask: str                                   # the sentence saying what is asked
    root: str
    steps: list[Step]
    summary: list[tuple[str, str, str]]        # (quantity, value, gradient); '' or BLANK on a blank
    note: str                                  # how numbers are printed (keys only)
    blank: bool
    show: Callable[[float], str]
    structure: bool = True                     # False: hide the formulas on a blank
    student: str = ""                          # a booklet: the student's name, printed
    code: str = ""                             # a booklet: the variant's short code
    paper: str = "a4"
    extra: dict[str, str] = field(default_factory=dict)  # e.g. {"ID": "s123"} from a roster
    box: str = "________"                      # what marks a number to fill in, in `summary`
    sweep: list[str] = field(default_factory=list)  # [ask] jvp: the forward sweep's lines
    seed: str = ""                             # ... and its direction, as text

    def rows(self, kind: str) -> list[tuple[str, str, str, str, bool]]:
        """(label, formula, numbers, result, asked) per step of `kind` ("forward"/"backward").

        On a blank, numbers and result are '' (a box is drawn), and the formula too when the
        structure is hidden; the root's own gradient (1) is always given.
        """
        out = []
        for step in self.steps:
            if step.kind != kind:
                continue
            label = step.label(self.root)
            if step.kind == "backward" and step.name == self.root:
                out.append((label, "", "", "1", False))
            elif self.blank:
                out.append((label, step.formula if self.structure else "", "", "", step.asked))
            else:
                out.append((label, step.formula, step.numbers, self.show(step.result), step.asked))
        return out

    def locals(self) -> dict[str, list[tuple[str, str]]]:
        """Key only: step label -> the local derivatives [('∂f/∂dot', 'f·(1 - f)'), ...]."""
        if self.blank:
            return {}
        out: dict[str, list[tuple[str, str]]] = {}
        for step in self.steps:
            if step.kind == "backward" and step.local:
                pairs = [part.partition(" = ") for part in step.local.split("; ")]
                out[step.label(self.root)] = [(a, c) for a, _, c in pairs]
        return out

    def sweep_rows(self) -> list[tuple[str, list[str], str, bool]]:
        """The forward sweep as (label, [formula, numbers, result], note, box): note is 'given'
        or 'asked' (or ''), box True where a blank leaves the number to fill in."""
        rows = []
        for line in self.sweep:
            note = ""
            for suffix in (" (given)", " (asked)"):
                if line.endswith(suffix):
                    line, note = line[: -len(suffix)], suffix.strip(" ()")
            label, *parts = line.split(" = ")
            rows.append((label, [p for p in parts if p != self.box], note, self.box in parts))
        return rows

    def heading_fields(self) -> list[tuple[str, str]]:
        """The Name / ID / Date line (with the booklet's values where known), blanks only."""
        if not self.blank:
            return []
        known = {"Name": self.student, **self.extra}
        return [(f, known.get(f, "")) for f in BLANK_LINE] + \
            [(k, v) for k, v in self.extra.items() if k not in BLANK_LINE]


def _steps_html(h: Handout, kind: str) -> str:
    locals_ = h.locals()
    rows = []
    for label, formula, numbers, result, asked in h.rows(kind):
        mark = ' class="asked"' if asked else ""
        if h.blank and result == "":
            value = '<span class="box"></span>'
        else:
            value = escape(result)
        parts = (formula,) if h.blank else (formula, numbers)  # a blank has no numbers column
        middle = "".join(f"<td>= {escape(part)}</td>" if part else "<td></td>" for part in parts)
        note = "".join(f'<div class="local">{escape(a)} = {escape(b)}</div>'
                       for a, b in locals_.get(label, []))
        rows.append(f'<tr{mark}><th scope="row">{escape(label)}</th>{middle}'
                    f'<td class="result">= {value}{note}</td></tr>')
    return f'<table class="steps">{"".join(rows)}</table>'


def _summary_html(h: Handout, head: list[str]) -> str:
    def cell(text: str) -> str:
        return '<span class="box"></span>' if h.blank and text == h.box else escape(text)
    rows = "".join(f"<tr><th scope=\"row\">{escape(n)}</th><td>{cell(v)}</td><td>{cell(g)}</td></tr>"
                   for n, v, g in h.summary)
    return ('<table class="summary"><thead><tr>' + "".join(f"<th>{escape(x)}</th>" for x in head)
            + f"</tr></thead><tbody>{rows}</tbody></table>")


def to_html(h: Handout, diagram_svg: str = "", diagram_title: str = "Diagram") -> str:
    """The self-contained, print-ready HTML page; `diagram_svg` (SVG text) is embedded."""
    fields = "".join(f'<span class="field">{escape(name)}: <span class="fill">{escape(value)}'
                     "</span></span>" for name, value in h.heading_fields())
    code = f'<p class="code">Variant code: <b>{escape(h.code)}</b></p>' if h.code else ""
    given = "".join(f"<li>{escape(title)}: " + ", ".join(f"{escape(n)} = {escape(v)}" for n, v in
                                                          pairs) + "</li>" for title, pairs in h.given)
    body = [f'<div class="namebar">{fields}</div>' if fields else "",
            f"<h1>{escape(h.kind)}: {escape(h.title)}</h1>", code,
            "".join(f"<p>{escape(p)}</p>" for p in h.text.split("\n\n") if p.strip()),
            f"<ul>{given}</ul>", f"<p>{escape(h.ask)}</p>",
            f'<section class="keep"><h2>Forward pass</h2>{_steps_html(h, "forward")}</section>',
            f'<section class="keep"><h2>Backward pass (from {escape(h.root)} down)</h2>'
            f'{_steps_html(h, "backward")}</section>',
            f'<section class="keep"><h2>Summary</h2>'
            f'{_summary_html(h, ["quantity", "value", f"∂{h.root}/∂"])}</section>']
    if h.note and not h.blank:
        body.append(f"<p>{escape(h.note)}</p>")
    if h.sweep:
        body.append(f'<section class="keep"><h2>Forward sweep (tangents for {escape(h.seed)})</h2>'
                    f'<pre>{escape(chr(10).join(h.sweep))}</pre></section>')
    if diagram_svg:
        body.append(f'<section class="figure"><h2>{escape(diagram_title)}</h2>'
                    f'<div class="diagram">{diagram_svg}</div></section>')
    title = f"{h.kind}: {h.title}" + (f" ({h.student})" if h.student else "")
    return ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width"><title>{escape(title)}</title>'
            f"<style>{print_css(h.paper)}</style></head><body>{''.join(body)}</body></html>\n")
