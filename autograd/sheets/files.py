"""Finding sheets (a path, or the name of a sheet shipped in the package) and writing keys.

The shipped sheets live in `autograd/sheets/library/`: NAME.toml, and for the worked examples
NAME.answers.toml with the numbers the seed's printed solution gave.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..safetext import clean_text
from .errors import SheetError, as_path, require
from .key import write_key
from .sheet import Problem, Sheet, load

__all__ = ["LIBRARY", "library_names", "find_sheet", "answers_path", "diagram_svg", "save_key"]

LIBRARY = Path(__file__).resolve().parent / "library"


def library_names() -> list[str]:
    """The names of the sheets shipped with the package (sorted)."""
    return sorted(p.stem for p in LIBRARY.glob("*.toml") if not p.stem.endswith(".answers"))


def find_sheet(spec: str | Path) -> Sheet:
    """The sheet at path `spec`, or the shipped sheet called `spec` (e.g. 'seed002')."""
    path = as_path(spec, "sheets.find_sheet")
    if path.suffix == ".toml" or _exists(path):
        return load(path)
    shipped = LIBRARY / f"{spec}.toml"
    if not re.fullmatch(r"[A-Za-z0-9_.-]{1,100}", str(spec)) or not shipped.exists():
        raise SheetError(f"no sheet file {clean_text(str(spec), 100)!r} and no shipped sheet of "
                         f"that name (shipped: {', '.join(library_names())})")
    return load(shipped)


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except (OSError, ValueError):  # a name too long for the file system is not a file
        return False


def answers_path(sheet: Sheet) -> Path | None:
    """The shipped answers file of a shipped sheet (the printed solution), or None."""
    require(sheet, Sheet, "sheets.answers_path", "a Sheet")
    path = Path(sheet.source).with_suffix(".answers.toml")
    return path if path.exists() else None


def diagram_svg(problem: Problem, precision: int = 4) -> tuple[str, None] | tuple[None, str]:
    """(SVG text of the backward diagram, None) or (None, why it could not be drawn)."""
    from ..diagram import RenderError, draw
    from ..diagram.draw import GraphTooLarge
    try:
        dg = draw(problem.root, view="backward", params=problem.params, precision=precision,
                  title=problem.sheet.title)
        svg = dg.pipe("svg", encoding="utf-8")
    except (RenderError, GraphTooLarge) as exc:
        return None, str(exc)
    start = svg.find("<svg")  # drop the XML prolog and doctype: the SVG goes inside a page
    return svg[start:], None


def save_key(problem: Problem, out: str | Path, fmt: str = "md", blank: bool = False,
             diagram: bool = True) -> tuple[list[Path], str | None]:
    """Write the key (or blank sheet) to `out`; return (paths written, note or None).

    HTML embeds the diagram; Markdown and LaTeX get it as OUT-stem.svg beside the file.
    """
    require(problem, Problem, "sheets.save_key", "a Problem (sheet.problem())")
    file = as_path(out, "sheets.save_key")
    if not file.name or file.name in (".", ".."):
        raise ValueError(f"sheets.save_key: needs a file name to write, got {clean_text(str(out), 100)!r}")
    svg, note = diagram_svg(problem) if diagram and not blank else (None, None)
    written: list[Path] = []
    side = file.with_name(file.stem + ".svg")
    if svg and fmt != "html":
        side.write_text(svg, encoding="utf-8")
        written.append(side)
    text = write_key(problem, fmt, blank, diagram_svg=svg or "",
                     diagram_file=side.name if svg else "")
    file.write_text(text, encoding="utf-8")
    return [file] + written, note
