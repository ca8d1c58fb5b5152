"""A graded submission on its graph: `draw(root, grades=report)` and the report linked to steps.

Each asked node is coloured by its verdict -- green (correct, rounding), amber (too few digits,
carried forward), red (slip, missing) -- and its record gains a field with the student's
number beside the exact one (`dL/dw: you 0.01 · exact 0.01337`). `report_html(report,
stepper, href)` is the report as an HTML table whose rows link to the step of a saved stepper
page (`href#step=K`) where that node's gradient is computed. The student's text is escaped for
each output (DOT record syntax by GraphBuilder, HTML here).
"""
from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..grading import Report, key_number
from ..safetext import clean_text

if TYPE_CHECKING:
    from ..value import Value
    from .stepper import BackwardStepper

__all__ = ["VERDICT_STYLE", "Mark", "grade_marks", "report_html", "check_report", "step_links"]

GREEN = {"fillcolor": "#d9ead3", "color": "#38761d", "penwidth": "2"}
AMBER = {"fillcolor": "#fce5cd", "color": "#b45f06", "penwidth": "2"}
RED = {"fillcolor": "#f7a1a1", "color": "#cc0000", "penwidth": "3"}  # darker than the output's
VERDICT_STYLE = {"correct": GREEN, "rounding": GREEN, "too_few_digits": AMBER, "carried": AMBER,
                 "slip": RED, "missing": RED}
_WORST = ("slip", "missing", "too_few_digits", "carried", "rounding", "correct")

Mark = tuple[dict[str, str], list[str]]  # a node's style and its record's extra lines


def check_report(grades: object) -> Report[Any]:
    """`grades` if it is a grading Report, else a TypeError saying what is expected."""
    if not isinstance(grades, Report):
        raise TypeError(f"grades must be a graded submission (an autograd.grading.Report, e.g. "
                        f"from autograd.sheets.grade), got {type(grades).__name__}")
    return grades


def grade_marks(grades: Report[Any], order: Sequence[Value], digits: int = 4) -> dict[Value, Mark]:
    """{node: (style, lines)} for every node an entry of `grades` names (by label); the style
    is its worst verdict's. An entry naming no node of the graph is a ValueError."""
    by_label: dict[str, Value] = {}
    for node in order:
        if node.label:
            by_label.setdefault(node.label, node)
    marks: dict[Value, Mark] = {}
    worst: dict[Value, str] = {}
    missing: list[str] = []
    for entry in grades.entries:
        found = by_label.get(entry.label)
        if found is None:
            missing.append(entry.label)
            continue
        node = found
        given = "-" if entry.given is None else clean_text(entry.given, 24)
        what = {"value": "value", "jvp": f"ṫ({entry.label})"}.get(  # jvp: its tangent
            entry.quantity, f"d{entry.root or 'L'}/d{entry.label}")
        exact = key_number(entry.expected, max(digits, getattr(entry, "digits", digits)))
        line = f"{what}: you {given} · exact {exact} ({entry.verdict.replace('_', ' ')})"
        style, lines = marks.setdefault(node, ({}, []))
        lines.append(line)
        if node not in worst or _WORST.index(entry.verdict) < _WORST.index(worst[node]):
            worst[node] = entry.verdict
            style.clear()
            style.update(VERDICT_STYLE.get(entry.verdict, RED))
    if missing:
        raise ValueError(f"the graded report names {len(missing)} quantity(ies) that are not in "
                         f"this graph, e.g. {clean_text(missing[0], 40)!r}: draw the graph of "
                         "the sheet that was graded")
    return marks


def report_html(grades: Report[Any], stepper: BackwardStepper, href: str) -> str:
    """The report as an HTML table, each row linking to `href#step=K`, the stepper step that
    processes the row's node (its gradient is final there); a tangent's row (a sheet's jvp, a
    forward-mode number no backward step computes) links nowhere."""
    check_report(grades)
    step_of = {frame.node: frame.step for frame in stepper.frames}
    labels = {node.label: node for node in stepper.order if node.label}
    rows = []
    for entry in grades.entries:
        node = labels.get(entry.label)
        name = html.escape(clean_text(entry.name, 80))
        cell = (f'<a href="{html.escape(href)}#step={step_of[node]}">{name}</a>'
                if node in step_of and entry.quantity != "jvp" else name)
        style = VERDICT_STYLE.get(entry.verdict, RED)["fillcolor"]
        rows.append(f'<tr style="background:{style}"><td>{cell}</td>'
                    f"<td>{html.escape(clean_text(entry.given or '-', 40))}</td>"
                    f"<td>{html.escape(key_number(entry.expected, 7))}</td>"
                    f"<td>{html.escape(entry.verdict)}</td></tr>")
    head = "".join(f"<th>{h}</th>" for h in ("quantity", "given", "exact", "verdict"))
    return (f'<table class="teachgrad-grade"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>"
            f"<p>{html.escape(grades.summary())}</p>")


def step_links(grades: Report[Any], stepper: BackwardStepper, href: str) -> dict[str, str]:
    """{entry name: `href#step=K`} for every entry whose node has a step in `stepper` (the
    step that processes it: its gradient is final there); not a tangent's (a sheet's jvp: no
    backward step computes it)."""
    step_of = {frame.node: frame.step for frame in stepper.frames if frame.current >= 0}
    labels = {node.label: node for node in stepper.order if node.label}
    return {entry.name: f"{href}#step={step_of[labels[entry.label]]}" for entry in grades.entries
            if labels.get(entry.label) in step_of and entry.quantity != "jvp"}

