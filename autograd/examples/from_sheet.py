"""A worksheet as a worked example: the sheet's graph is the stage, its answers the printed numbers.

`examples run sheet-seed002` (or `examples run path/to/sheet.toml`) runs a sheet exactly like a
Python example: the forward and backward tables, the checker's verdict on the numbers of the
sheet's answers file (NAME.answers.toml beside it, if there is one) and the diagrams. The
grader's verdicts (error carried forward) become the checker's notes, so a `carried` number
reads "slip" with the reason "carried forward: ...", and the full grading report is part of the
example's description.
"""
from __future__ import annotations

from pathlib import Path

from ..graph import all_nodes
from ..grading import parse_number, verdict_at
from ..value import Value
from ..sheets import answers_path, find_sheet, grade, load_answers
from .base import Example, Stage

__all__ = ["PREFIX", "sheet_example", "is_sheet_name"]

PREFIX = "sheet-"


def is_sheet_name(name: str) -> bool:
    """True for 'sheet-NAME' (a shipped sheet) and for a path to a .toml file."""
    return name.startswith(PREFIX) or name.endswith(".toml")


def _spec(name: str) -> str:
    return name[len(PREFIX):] if name.startswith(PREFIX) else name


def sheet_example(name: str) -> Example:
    """The sheet `name` (see `is_sheet_name`) as an Example with one stage."""
    sheet = find_sheet(_spec(name))
    problem = sheet.problem()
    printed: dict[str, tuple[str | None, str | None]] = {}
    notes: dict[tuple[str, str], tuple[str, str]] = {}
    description = sheet.text or sheet.title
    path = answers_path(sheet)
    if path is not None:
        report = grade(sheet, load_answers(path))
        for entry in report.entries:
            if entry.given is None:
                continue
            value, grad = printed.get(entry.label, (None, None))
            printed[entry.label] = (entry.given, grad) if entry.quantity == "value" else (value, entry.given)
            at_own_digits = verdict_at(entry.given, entry.expected, parse_number(entry.given).last_place)
            if entry.verdict != "correct" and at_own_digits != "correct":  # else check accepts it
                # too few digits is a precision matter, not an arithmetic slip
                kind = "rounding" if entry.verdict in ("rounding", "too_few_digits") else "slip"
                notes[(entry.label, entry.quantity)] = (kind, entry.explanation())
        description += ("\n\nGrading of the printed numbers, with error carried forward:\n\n"
                        + report.to_text())
    # A sheet may hold several separate graphs (seed001_neuron asks about four): one stage per
    # graph, the sheet's root first, so every number the sheet prints is checked on its own graph.
    stages: list[Stage] = []
    checked: set[str] = set()  # a node two graphs share (norm under n_hat1 and d) is checked once
    for i, root in enumerate(_roots(problem.root, problem.nodes)):
        inside = {n.label for n in all_nodes(root)} - checked
        checked |= inside
        stages.append(Stage("sheet" if i == 0 else f"sheet_{root.label}", sheet.title, root,
                            {k: v for k, v in printed.items() if k in inside},
                            {k: v for k, v in notes.items() if k[0] in inside},
                            rtol=sheet.rtol, atol=sheet.atol, params=problem.params,
                            inputs=tuple(problem.nodes[n] for n in sheet.inputs)))
    source = Path(sheet.source).name + (f" with {path.name}" if path else "")
    return Example(PREFIX + sheet.name if name.startswith(PREFIX) else sheet.name, sheet.title,
                   source, description, stages)


def _roots(root: Value, nodes: dict[str, Value]) -> list[Value]:
    """The sheet's root, then the last node of each graph of the sheet that does not reach it
    (later nodes are built from earlier ones, so the last one of a graph is its output)."""
    covered = {id(n) for n in all_nodes(root)}
    roots: list[Value] = [root]
    for node in reversed(list(nodes.values())):
        if id(node) not in covered:
            roots.append(node)
            covered.update(id(n) for n in all_nodes(node))
    return roots
