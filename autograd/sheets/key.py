"""The solution key of a worksheet, worked step by step, and the blank worksheet to hand out.

`steps(problem)` works the sheet out: one `Step` per named node in forward order (its formula,
the numbers substituted, the result) and one per named quantity in the backward pass from the
root down (the chain rule over the named nodes that use it, each local derivative written out
from the op table's edge formulas, the numbers, the result). Every number comes from the engine
at full precision and is printed to the sheet's `digits` significant digits.

`write_key(problem, fmt)` renders the steps as Markdown, LaTeX or a self-contained HTML page;
`blank=True` leaves every computed number empty (the asked ones marked) for handing out.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from ..grading import key_number
from ..safetext import clean_lines, clean_text
from .errors import require
from .expr import render
from .handout import PAPERS, Handout, to_html
from .sheet import Problem
from .tex import to_tex
from .sweep import direction_text, sweep_lines
from .symbolic import derivative, top_level_sum

__all__ = ["Step", "steps", "write_key", "handout", "number", "md_escape", "FORMATS", "BLANK"]

FORMATS = ("md", "tex", "html")
BLANK = "________"
Format = Callable[[float], str]  # how a number is written in the key


def number(x: float, digits: int) -> str:
    """x to `digits` significant digits ('-0' printed as '0')."""
    text = f"{x:.{digits}g}"
    return "0" if text in ("-0", "-0.0") else text


@dataclass(frozen=True)
class Step:
    """One line of the key: what it defines, the formula, the numbers, the result."""

    kind: str        # "forward" or "backward"
    name: str        # the node (forward) or the quantity whose gradient this is (backward)
    formula: str     # 'w0*x0 + w1' or the chain rule '∂L/∂f·∂f/∂dot'
    local: str       # backward: the local derivatives written out ('∂f/∂dot = f·(1 - f)')
    numbers: str     # the formula with numbers substituted
    result: float
    asked: bool

    def label(self, root: str) -> str:
        """'dot' for a value, '∂L/∂dot' for a gradient."""
        return self.name if self.kind == "forward" else f"∂{root}/∂{self.name}"


def _shown(problem: Problem, fmt: Format, result: Format) -> dict[str, str]:
    """Every value as substituted into a formula: a given number short (as written), a
    computed one with its digits (0.1050, as the line that computed it printed it)."""
    sheet = problem.sheet
    return {n: result(v) if n in sheet.nodes else fmt(v) for n, v in problem.values.items()}


def _forward(problem: Problem, fmt: Format, result: Format) -> list[Step]:
    sheet, shown = problem.sheet, _shown(problem, fmt, result)
    return [Step("forward", name, sheet.formulas[name], "",
                 render(tree, fmt, shown), problem.values[name], name in sheet.values)
            for name, tree in sheet.nodes.items()]


def _backward(problem: Problem, fmt: Format, result: Format) -> list[Step]:
    sheet, root = problem.sheet, problem.sheet.root
    shown = _shown(problem, fmt, result)
    out = [Step("backward", root, "1", "", "1", 1.0, root in sheet.grads)]
    order = [n for n in reversed(list(sheet.nodes)) if n != root] + list(reversed(sheet.params))
    order += [n for n in reversed(list(sheet.inputs)) if n in sheet.grads]
    reach = {root}  # the nodes whose value reaches the root: only they pass a gradient back
    for name in reversed(list(sheet.nodes)):
        if any(c in reach for c in sheet.consumers(name)):
            reach.add(name)
    for name in order:
        consumers = [c for c in sheet.consumers(name) if c in reach]
        if not consumers:
            continue
        chain, local, numbers = [], [], []
        for c in consumers:
            d = derivative(sheet.nodes[c], name, c, problem.values)
            chain.append(f"∂{root}/∂{c}·∂{c}/∂{name}")
            local.append(f"∂{c}/∂{name} = {d.text()}")
            term = d.text(shown, fmt)
            wrap = top_level_sum(term) or term.startswith("-")
            upstream = result(problem.grads[c]) if c != root else "1"
            numbers.append(f"{upstream}·({term})" if wrap else f"{upstream}·{term}")
        out.append(Step("backward", name, " + ".join(chain), "; ".join(local), " + ".join(numbers),
                        problem.grads[name], name in sheet.grads))
    return out


def steps(problem: Problem) -> list[Step]:
    """Every step of the key: the forward pass, then the backward pass from the root down."""
    require(problem, Problem, "sheets.steps", "a Problem (sheet.problem())")
    fmt = lambda x: number(x, problem.sheet.digits)  # noqa: E731 - one line, used as a callback
    result = lambda x: key_number(x, problem.sheet.digits)  # noqa: E731
    return _forward(problem, fmt, result) + _backward(problem, fmt, result)


def _line(step: Step, root: str, fmt: Format, blank: bool, structure: bool = True) -> str:
    label = step.label(root)
    if step.kind == "backward" and step.name == root:
        return f"{label} = 1"
    if blank:
        mark = " (asked)" if step.asked else ""
        formula = f"{step.formula} = " if structure else ""
        return f"{label} = {formula}{BLANK}{mark}"
    if step.kind == "forward":
        return f"{label} = {step.formula} = {step.numbers} = {fmt(step.result)}"
    return f"{label} = {step.formula} = {step.numbers} = {fmt(step.result)}    [{step.local}]"


def _summary(problem: Problem, fmt: Format, result: Format,
             blank: bool) -> list[tuple[str, str, str]]:
    """Rows (quantity, value, gradient) for every named quantity; blanks where asked."""
    sheet = problem.sheet
    rows: list[tuple[str, str, str]] = []
    for name in sheet.order:
        leaf = name not in sheet.nodes
        value = fmt(problem.values[name]) if leaf else (
            (BLANK if name in sheet.values else "") if blank else result(problem.values[name]))
        grad = "" if blank and name not in sheet.grads else (
            BLANK if blank else result(problem.grads[name]))
        rows.append((name, value, grad))
    return rows


def _header(problem: Problem) -> tuple[str, str]:
    sheet = problem.sheet
    title = sheet.title + (f" (variant: seed {problem.seed})" if problem.seed is not None else "")
    return title, sheet.text


def handout(problem: Problem, blank: bool = False, structure: bool = True, paper: str = "a4",
            student: str = "", code: str = "", extra: dict[str, str] | None = None) -> Handout:
    """The key (or the blank) as a printable `Handout`: what the HTML, LaTeX and PDF forms show.

    `structure=False` hides the formulas on a blank; `student`, `code` and `extra` (e.g. an
    ID from a roster) are printed in a booklet's heading.
    """
    if paper not in PAPERS:
        raise ValueError(f"paper must be one of {', '.join(PAPERS)}, got {paper!r}")
    sheet, digits = problem.sheet, problem.sheet.digits
    show = lambda x: number(x, digits)  # noqa: E731
    # results keep their trailing zeros (0.7790 says four digits are known); the given numbers
    # and the numbers substituted into formulas are printed short
    result = lambda x: key_number(x, digits)  # noqa: E731
    title, text = _header(problem)
    given = [(group, [(n, show(problem.values[n])) for n in table])
             for group, table in (("inputs", sheet.inputs), ("parameters", sheet.params)) if table]
    sweep = sweep_lines(problem, show, result, blank, BLANK)  # [] unless [ask] jvp
    seed = direction_text(sheet.jvp, show)
    ask = (f"Asked: the values of {', '.join(sheet.values) or 'none'}; the gradients "
           f"of {sheet.root} with respect to {', '.join(sheet.grads) or 'none'}"
           + (f"; the derivative of {sheet.root} in the direction {seed} (forward mode)."
              if sweep else "."))
    note = (f"Numbers are printed to {digits} significant digits; each result is the exact "
            "value rounded, not the rounded numbers recomputed.")
    return Handout("Worksheet" if blank else "Solution key", title, text, given, ask, sheet.root,
                   steps(problem), _summary(problem, show, result, blank), "" if blank else note,
                   blank, result, structure, student, code, paper, dict(extra or {}), BLANK, sweep,
                   seed)


_MD = set("\\`*_[]#|!~")


def md_escape(text: str) -> str:
    """Text for Markdown: HTML escaped (no raw tags reach a renderer), Markdown's active
    characters backslash-escaped, control and bidi characters shown as escapes
    (autograd.safetext); line breaks kept."""
    lines = []
    for line in clean_lines(text).split("\n"):
        line = escape(line, quote=False)
        lines.append("".join("\\" + ch if ch in _MD else ch for ch in line))
    return "\n".join(lines)


def write_key(problem: Problem, fmt: str = "md", blank: bool = False, diagram_svg: str = "",
              diagram_file: str = "", structure: bool = True, paper: str = "a4") -> str:
    """The key (or, with blank=True, the blank worksheet) as Markdown, LaTeX or HTML text.

    `diagram_svg` (SVG text) is embedded in the HTML page; `diagram_file` (a file name) is
    linked from Markdown and included by LaTeX (a PDF file; any other file is named in a
    sentence, as LaTeX cannot include it). `structure=False` hides the formulas on a blank;
    `paper` ('a4' or 'letter') sets the printed page of HTML and LaTeX.
    """
    require(problem, Problem, "sheets.write_key", "a Problem (sheet.problem())")
    if not isinstance(fmt, str) or fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, got "
                         f"{clean_text(repr(fmt), 40)}")
    doc = handout(problem, blank, structure, paper)
    if fmt == "tex":
        return to_tex(doc, diagram_file)
    if fmt == "html":
        return to_html(doc, diagram_svg)
    root = doc.root
    forward = [_line(s, root, doc.show, blank, structure) for s in doc.steps if s.kind == "forward"]
    backward = [_line(s, root, doc.show, blank, structure) for s in doc.steps if s.kind == "backward"]
    given = [f"{group}: " + ", ".join(f"{n} = {v}" for n, v in pairs) for group, pairs in doc.given]
    head = ["quantity", "value", f"∂{root}/∂"]
    parts = [f"# {doc.kind}: {md_escape(doc.title.replace(chr(10), ' '))}", "", md_escape(doc.text), "",
             *[f"- {g}" for g in given], "",
             doc.ask, "", "## Forward pass", "", *[f"    {line}" for line in forward], "",
             f"## Backward pass (from {root} down)", "", *[f"    {line}" for line in backward],
             "", "## Summary", "", "| " + " | ".join(head) + " |", "| --- | --- | --- |",
             *[f"| {n} | {v} | {g} |" for n, v, g in doc.summary], "", doc.note]
    if doc.sweep:
        parts += ["", f"## Forward sweep (tangents for {doc.seed})", "",
                  *[f"    {line}" for line in doc.sweep]]
    if diagram_file and not blank:
        parts += ["", "## Diagram", "", f"![the graph of {root}]({diagram_file})"]
    return "\n".join(parts).rstrip() + "\n"
