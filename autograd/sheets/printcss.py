"""The style sheet of printable pages (keys, blanks, booklets, grade reports): screen and paper.

On screen the page is a readable column. On paper (`@media print`, Chromium's print-to-PDF
included): the paper size and margins from `@page`, page numbers in the bottom margin, the
diagram scaled to the page width (never clipped, never a scroll bar), tables and steps kept
together on one page where they fit, headings kept with what follows, blanks as boxes sized
for handwriting (12 mm tall, 38 mm wide: a signed 6-digit number in a normal hand).
"""
from __future__ import annotations

__all__ = ["print_css", "PAGE_SIZES"]

# CSS page sizes by the --paper names
PAGE_SIZES = {"a4": "A4", "letter": "letter"}
# the figure's height on its page: the paper's height less the margins (34 mm) and its heading
_FIGURE_MM = {"a4": 245, "letter": 226}

_SCREEN = (
    "body{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;max-width:60em;margin:2em auto;"
    "padding:0 1em;line-height:1.4}"
    "h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.2em}"
    "table{border-collapse:collapse;margin:.4em 0}"
    "td,th{border:1px solid #bbb;padding:.25em .6em;text-align:left;vertical-align:middle}"
    "table.steps{width:100%}table.steps th,td.result{white-space:nowrap}"
    ".summary .box{width:30mm;height:8mm}"  # the summary repeats the asked boxes: smaller
    "tr.asked th::after{content:' *';color:#b00}"
    ".local{font-size:.85em;color:#555}"
    ".box{display:inline-block;width:38mm;height:12mm;border:1px solid #444;"
    "vertical-align:middle;background:#fff}"
    ".namebar{display:flex;gap:2em;margin-bottom:1em}"
    ".field{flex:1;white-space:nowrap}"
    ".fill{display:inline-block;min-width:10em;border-bottom:1px solid #000;padding:0 .3em}"
    ".diagram{overflow-x:auto}"
    ".diagram svg{max-width:100%;height:auto}"
    ".code b{font-family:monospace;letter-spacing:.1em}"
)


def print_css(paper: str = "a4") -> str:
    """The style sheet for `paper` ('a4' or 'letter')."""
    if paper not in PAGE_SIZES:
        raise ValueError(f"paper must be one of {', '.join(PAGE_SIZES)}, got {paper!r}")
    page = (f"@page{{size:{PAGE_SIZES[paper]} portrait;margin:16mm 15mm 18mm 15mm;"
            "@bottom-center{content:'page ' counter(page) ' of ' counter(pages);"
            "font-size:9pt;color:#555}}")
    paper_rules = (
        "@media print{"
        "body{max-width:none;margin:0;padding:0;font-size:10.5pt}"
        ".diagram,pre{overflow:visible !important}"  # a scroll bar means nothing on paper
        # the figure starts a page and fits what is left of it under its heading
        f".diagram svg{{display:block;max-width:100%;max-height:{_FIGURE_MM[paper]}mm;"
        "width:auto;height:auto}"
        ".figure{break-before:page}"
        "table,tr,.figure{break-inside:avoid}"
        "section.keep{break-inside:auto}"
        "h1,h2{break-after:avoid}"
        "a{color:inherit;text-decoration:none}"
        "}"
    )
    return _SCREEN + page + paper_rules
