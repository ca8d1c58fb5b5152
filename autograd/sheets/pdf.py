"""PDF without a TeX installation: Typst source (typeset.py) compiled by the `typst` wheel.

    pip install "teachgrad[pdf]"      # the typst wheel: its compiler is inside, nothing else

`handout_pdf(problem, ...)` returns the PDF bytes of a key, a blank or a blank graph (A4 or
Letter) with the maths typeset and the diagram embedded; `diagram_pdf(svg)` a one-page PDF of a
diagram, sized to it (what the LaTeX key includes). Without the wheel every function raises
SheetError with the install command.
"""
from __future__ import annotations

import importlib
import tempfile
from pathlib import Path
from typing import Any

from .errors import SheetError
from .figures import page_figure
from .key import handout
from .sheet import Problem
from .typeset import document

__all__ = ["typst_module", "compile_typst", "handout_pdf", "diagram_pdf", "INSTALL"]

INSTALL = 'pip install "teachgrad[pdf]"'


def typst_module() -> Any:
    """The `typst` package, or a SheetError saying how to install it."""
    try:
        return importlib.import_module("typst")
    except ImportError:
        raise SheetError(f"PDF output needs the typst package (a pip wheel with its own "
                         f"compiler; no TeX needed): {INSTALL}") from None


def compile_typst(source: str, files: dict[str, str] | None = None) -> bytes:
    """The PDF of Typst `source`; `files` (name -> text) are written beside it (the diagram)."""
    typst = typst_module()
    with tempfile.TemporaryDirectory(prefix="teachgrad-pdf-") as tmp:
        root = Path(tmp)
        for name, text in (files or {}).items():
            (root / name).write_text(text, encoding="utf-8")
        main = root / "main.typ"
        main.write_text(source, encoding="utf-8")
        try:
            pdf: bytes = typst.compile(str(main), root=str(root), format="pdf")
        except Exception as exc:  # the compiler's own error type; the source is ours, so a bug
            raise SheetError(f"the typesetter failed on the generated document: {exc}") from None
    return pdf


def handout_pdf(problem: Problem, blank: bool = False, structure: bool = True,
                paper: str = "a4", graph: bool = False, student: str = "", code: str = "",
                extra: dict[str, str] | None = None, diagram: bool = True) -> tuple[bytes, str]:
    """(PDF bytes, note): the key or the blank; `graph=True` the blank graph (blank) or its
    key (the backward diagram). The note says why there is no diagram ('' when there is one)."""
    doc = handout(problem, blank, structure, paper, student, code, extra)
    figure, note = (None, "") if not diagram or (blank and not graph) else \
        page_figure(problem, paper, blank and graph, True if graph else None)
    files = {"diagram.svg": figure.svg} if figure else {}
    source = document(doc, figure, "diagram.svg", note, graph_only=graph)
    return compile_typst(source, files), note


def diagram_pdf(svg: str) -> bytes:
    """A one-page PDF of an SVG diagram, the page the size of the diagram."""
    return compile_typst('#set page(width: auto, height: auto, margin: 4pt)\n'
                         '#image("diagram.svg")\n', {"diagram.svg": svg})
