"""Run a worked example end to end: tables and checker verdicts as text or JSON, diagrams as files.

`report_text(example)` is what `teachgrad examples run NAME` prints (at most 80 columns: long
checker notes wrap under their row; the verdict comes first); `report_data(example)` is the same
report as plain data for `--format json`. `write_files` writes, for each drawn stage, the
forward diagram, the backward diagram (SVG) and the step-by-step backward page (HTML). If no
Graphviz renderer can be found it writes the DOT source (.gv) instead and returns the reason, so
the caller can say how to fix it. `resolve` turns a name or an unambiguous prefix into an
example's full name; `folder_problem` says why a folder cannot be written, before any work.
"""
from __future__ import annotations

import tempfile
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..check_report import CheckReport
from ..trace import Trace
from ..value import Value
from . import describe as describe_example
from . import names as example_names
from . import sheet_names
from .base import Example, Stage
from .from_sheet import is_sheet_name

__all__ = ["report_text", "report_data", "write_files", "drawable_stages", "select_stages",
           "resolve", "folder_problem", "checker_text", "WIDTH", "FILES_PER_STAGE"]

WIDTH = 80  # columns of the text report: a default terminal
FILES_PER_STAGE = 3  # what write_files writes for each drawn stage (a progress bar's unit)


def resolve(name: str) -> str:
    """The full name of the example `name` denotes: itself, or the only name it is a prefix of.

    Raises LookupError when nothing matches and ValueError when several names start with it
    (listing them): silently running the first of several would run the wrong example.
    """
    if is_sheet_name(name):  # a worksheet runs like an example: 'sheet-seed002' or a .toml path
        try:
            describe_example(name)  # cheap: reads the sheet, builds no graph
        except KeyError as exc:
            raise LookupError(str(exc).strip("'\"")) from None
        return name
    known = example_names()
    if name in known:
        return name
    matches = [full for full in known if full.startswith(name)] if name else []
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise ValueError(f"{name!r} matches {len(matches)} worked examples: {', '.join(matches)}; "
                         "give more of the name")
    raise LookupError(f"no worked example named {name!r}; known: {', '.join(known)} "
                      f"(and the worksheets {', '.join(sheet_names())})")


def select_stages(example: Example, stage: str | None = None) -> list[Stage]:
    """All stages of the example, or the one called `stage` (ValueError naming the known ones)."""
    if stage is None:
        return list(example.stages)
    chosen = [s for s in example.stages if s.name == stage]
    if not chosen:
        raise ValueError(f"{example.name} has no stage {stage!r}; its stages: "
                         f"{', '.join(s.name for s in example.stages)}")
    return chosen


def folder_problem(out: Path) -> str | None:
    """Why files cannot be written into the folder `out` (None if they can).

    The folder is created if missing, then a temporary file is made and removed in it: the
    only test that holds for every reason (permissions, read-only mounts, a file in the way).
    """
    if out.exists() and not out.is_dir():
        return "it exists and is not a folder"
    try:
        out.mkdir(parents=True, exist_ok=True)
        tempfile.TemporaryFile(dir=out).close()  # created and removed: the folder takes files
    except OSError as exc:
        return exc.strerror or str(exc)
    return None


def _wrap(text: str, indent: str = "") -> list[str]:
    """Each paragraph of `text` refilled to WIDTH columns (blank lines between paragraphs kept).

    A paragraph that is laid out already (a table or list: a line indented, or runs of two
    spaces inside a line, as a sheet's grading report has) keeps its lines; one longer than
    WIDTH continues on indented lines below."""
    lines = []
    for paragraph in text.strip().split("\n\n"):
        if "\n" in paragraph and any(line.startswith((" ", "-")) or "  " in line.strip()
                                      for line in paragraph.splitlines()):
            for line in paragraph.splitlines():  # a row too long continues, indented, below
                hanging = indent + " " * (len(line) - len(line.lstrip()) + 4)
                lines += textwrap.wrap(indent + line, WIDTH, subsequent_indent=hanging) or [""]
            lines.append("")
            continue
        lines += textwrap.wrap(" ".join(paragraph.split()), WIDTH, initial_indent=indent,
                               subsequent_indent=indent) + [""]
    return lines[:-1]


def checker_text(report: CheckReport) -> str:
    """The checker's verdict (its summary first), then one row per compared number.

    Columns: step, label, quantity, printed, engine, verdict; a row's note (why a number
    differs) follows it on wrapped, indented lines, so the table stays within WIDTH columns.
    """
    header = ["step", "label", "qty", "printed", "engine", "verdict"]
    rows = [[str(e.step), e.label, e.quantity, e.printed, f"{e.actual:.10g}", e.verdict]
            for e in report.entries]
    widths = [max(len(r[c]) for r in [header] + rows) for c in range(len(header))]
    lines = _wrap(report.summary()) + [""]
    lines.append("  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip())
    for entry, row in zip(report.entries, rows):
        lines.append("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
        if entry.note and not entry.ok:
            lines += _wrap(f"{entry.note_kind or 'note'}: {entry.note}", indent="      ")
    return "\n".join(lines)


def _slip_lines(results: list[tuple[Stage, Trace, CheckReport]]) -> list[str]:
    slips = [(st.name, e.label, e.quantity) for st, _, report in results for e in report.slips]
    return [f"Slips found: {len(slips)}"] + [f"  - stage {s}: {q} of {label!r}"
                                             for s, label, q in slips]


def _run(example: Example, precision: int,
         stage: str | None) -> list[tuple[Stage, Trace, CheckReport]]:
    return [(s, *s.run(precision)) for s in select_stages(example, stage)]


def report_text(example: Example, precision: int = 4, stage: str | None = None) -> str:
    """The verdict (slips found), the description, then per stage the tables and the checker.

    precision: digits of the value and grad columns; stage: only the stage of that name.
    """
    results = _run(example, precision, stage)
    parts = _wrap(f"{example.name}: {example.title}") + _wrap(f"from: {example.source}") + [""]
    parts += _slip_lines(results) + [""] + _wrap(example.description) + [""]
    for st, trace, report in results:
        parts += _wrap(f"=== stage {st.name}: {st.title} ===") + ["", "forward pass:",
                  trace.forward_text(), ""]
        if isinstance(st.root, Value):
            parts += ["backward pass (root first):", trace.backward_text(), ""]
        else:
            parts += ["(several outputs: values only, no backward pass)", ""]
        parts += ["checker, printed solution vs engine:", checker_text(report), ""]
    return "\n".join(parts).rstrip() + "\n"


def report_data(example: Example, stage: str | None = None) -> dict[str, Any]:
    """The report as JSON-ready data: every node's value and grad and every checked number,
    as full-precision floats (machines need no rounding), with each stage's verdict."""
    results = _run(example, 17, stage)
    return {
        "name": example.name, "title": example.title, "from": example.source,
        "slips": [{"stage": st.name, "label": e.label, "quantity": e.quantity}
                  for st, _, report in results for e in report.slips],
        "stages": [{
            "name": st.name, "title": st.title, "summary": report.summary(),
            "nodes": [{"index": row.index, "label": row.label, "op": row.op,
                       "inputs": list(row.inputs), "value": row.value, "grad": row.grad}
                      for row in trace.rows],
            "checked": [{"step": e.step, "label": e.label, "quantity": e.quantity,
                         "printed": e.printed, "engine": e.actual, "tolerance": e.tolerance,
                         "verdict": e.verdict, "note": e.note} for e in report.entries],
        } for st, trace, report in results],
    }


def drawable_stages(example: Example, all_stages: bool = False,
                    stage: str | None = None) -> list[Stage]:
    """Stages with one root (a list of outputs has no single backward pass to draw): the first,
    every one with all_stages=True, or the one called `stage` (an empty list if it has no root)."""
    single = [s for s in select_stages(example, stage) if isinstance(s.root, Value)]
    return single if all_stages or stage is not None else single[:1]


def write_files(example: Example, out: Path, all_stages: bool = False, precision: int = 4,
                stage: str | None = None,
                progress: Callable[[], object] | None = None) -> tuple[list[Path], str | None]:
    """Write the diagrams into `out`; return (list of paths written, renderer problem or None).

    precision: significant digits of the numbers in the diagrams. stage: draw only that stage.
    progress: called with no argument after each file (e.g. a progress bar's `update`).
    """
    from ..diagram import RendererNotFound, draw, save, step_backward
    from ..diagram.draw import GraphTooLarge

    out.mkdir(parents=True, exist_ok=True)
    written, problem = [], None
    stages = drawable_stages(example, all_stages, stage)
    for st in stages:
        root = st.root
        if not isinstance(root, Value):  # never: drawable_stages keeps single roots only
            continue
        if root.grad == 0.0:
            st.run()
        prefix = f"{st.name}_" if len(stages) > 1 or all_stages else ""
        title = f"{example.name}: {st.title}"
        # params and inputs: the colours the legend explains
        views = {view: draw(root, view=view, precision=precision, title=title,
                            params=st.params, inputs=st.inputs)
                 for view in ("forward", "backward")}
        for view, dg in views.items():
            svg = out / f"{prefix}{view}.svg"
            try:
                written.append(save(dg, svg))
            except RendererNotFound as exc:  # keep the DOT source: any Graphviz can render it later
                problem = str(exc)
                written.append(save(dg, svg.with_suffix(".gv")))
            if progress:
                progress()
        steps = out / f"{prefix}backward_steps.html"
        try:
            written.append(step_backward(root, precision=precision, title=title,
                                         params=st.params, inputs=st.inputs).save(steps))
        except GraphTooLarge as exc:
            problem = problem or f"step-by-step page skipped: {exc}"
        except RendererNotFound as exc:
            problem = str(exc)
        if progress:
            progress()
    return written, problem
