"""Finding sheets (a path, or the name of a sheet shipped in the package) and writing keys.

The shipped sheets live in `autograd/sheets/library/`: NAME.toml, and for the worked examples
NAME.answers.toml with the numbers the seed's printed solution gave.
"""
from __future__ import annotations

from pathlib import Path

from .errors import SheetError
from .key import write_key
from .sheet import Problem, Sheet, load

__all__ = ["LIBRARY", "library_names", "find_sheet", "answers_path", "diagram_svg", "save_key"]

LIBRARY = Path(__file__).resolve().parent / "library"


def library_names() -> list[str]:
    """The names of the sheets shipped with the package (sorted)."""
    return sorted(p.stem for p in LIBRARY.glob("*.toml") if not p.stem.endswith(".answers"))


def find_sheet(spec: str | Path) -> Sheet:
    """The sheet at path `spec`, or the shipped sheet called `spec` (e.g. 'seed002')."""
    path = Path(spec)
    if path.suffix == ".toml" or path.exists():
        return load(path)
    shipped = LIBRARY / f"{spec}.toml"
    if not shipped.exists():
        raise SheetError(f"no sheet file {str(spec)!r} and no shipped sheet of that name "
                         f"(shipped: {', '.join(library_names())})")
    return load(shipped)


def answers_path(sheet: Sheet) -> Path | None:
    """The shipped answers file of a shipped sheet (the printed solution), or None."""
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
    file = Path(out)
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
