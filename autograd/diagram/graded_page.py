"""A sheet's graded submission in the HTML report: its graph with the verdicts and a stepper.

`graded_section(report, folder, stem, written)` gives the links that make each row of the
report a link to its step of the stepper page of that submission's numbers (written beside the
report, once per variant), and the graded diagram (`draw(..., grades=report)`) as inline SVG.
Used by `teachgrad sheet grade ... --html F`.
"""
from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from .draw import draw
from .graded import step_links
from .html import inline_svg
from .renderer import RenderError
from .stepper import step_backward

__all__ = ["graded_section"]


def graded_section(report: Any, folder: Path, stem: str, written: set[Path]) -> tuple[dict[str, str], str]:
    """For a sheet's graded submission (a GradeReport): (links from its rows to the stepper
    page of its numbers, the graded diagram as inline HTML). The stepper page,
    `STEM-steps[-seedN].html` in `folder`, is written once per variant (`written`)."""
    sheet = report.sheet
    problem = sheet.problem(report.seed)
    params, inputs = problem.params, [problem.nodes[n] for n in sheet.inputs]
    stepper = step_backward(problem.root, params=params, inputs=inputs,
                            title=f"{sheet.title}: backward, step by step")
    page = folder / f"{stem}-steps{'' if report.seed is None else f'-seed{report.seed}'}.html"
    try:
        if page not in written:
            stepper.save(page)
            written.add(page)
        svg = draw(problem.root, grades=report, params=params, inputs=inputs,
                   precision=sheet.digits).pipe("svg", encoding="utf-8")
    except RenderError as exc:  # no renderer: the table still reads, without its pictures
        return {}, f"<p>(no diagram: {html.escape(str(exc)[:200])})</p>"
    tag = f"g{abs(hash((report.student, report.seed))) % 10**8}-"  # one page, many figures
    figure = (f'<div class="teachgrad-graded" style="overflow:auto;max-height:40em">'
              f"{inline_svg(svg, tag)}</div>")
    return step_links(report, stepper, page.name), figure
