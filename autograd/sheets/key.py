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

from .expr import render
from .sheet import Problem
from .sweep import direction_text, sweep_lines
from .symbolic import derivative, top_level_sum

__all__ = ["Step", "steps", "write_key", "number", "FORMATS", "BLANK"]

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


def _forward(problem: Problem, fmt: Format) -> list[Step]:
    sheet, shown = problem.sheet, {n: fmt(v) for n, v in problem.values.items()}
    return [Step("forward", name, sheet.formulas[name], "",
                 render(tree, fmt, shown), problem.values[name], name in sheet.values)
            for name, tree in sheet.nodes.items()]


def _backward(problem: Problem, fmt: Format) -> list[Step]:
    sheet, root = problem.sheet, problem.sheet.root
    shown = {n: fmt(v) for n, v in problem.values.items()}
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
            numbers.append(f"{fmt(problem.grads[c])}·({term})" if wrap else f"{fmt(problem.grads[c])}·{term}")
        out.append(Step("backward", name, " + ".join(chain), "; ".join(local), " + ".join(numbers),
                        problem.grads[name], name in sheet.grads))
    return out


def steps(problem: Problem) -> list[Step]:
    """Every step of the key: the forward pass, then the backward pass from the root down."""
    fmt = lambda x: number(x, problem.sheet.digits)  # noqa: E731 - one line, used as a callback
    return _forward(problem, fmt) + _backward(problem, fmt)


def _given(problem: Problem, fmt: Format) -> list[str]:
    sheet = problem.sheet
    groups = [("inputs", sheet.inputs), ("parameters", sheet.params)]
    return [f"{title}: " + ", ".join(f"{n} = {fmt(problem.values[n])}" for n in table)
            for title, table in groups if table]


def _line(step: Step, root: str, fmt: Format, blank: bool) -> str:
    label = step.label(root)
    if step.kind == "backward" and step.name == root:
        return f"{label} = 1"
    if blank:
        mark = " (asked)" if step.asked else ""
        return f"{label} = {step.formula} = {BLANK}{mark}"
    if step.kind == "forward":
        return f"{label} = {step.formula} = {step.numbers} = {fmt(step.result)}"
    return f"{label} = {step.formula} = {step.numbers} = {fmt(step.result)}    [{step.local}]"


def _summary(problem: Problem, fmt: Format, blank: bool) -> list[tuple[str, str, str]]:
    """Rows (quantity, value, gradient) for every named quantity; blanks where asked."""
    sheet = problem.sheet
    rows: list[tuple[str, str, str]] = []
    for name in sheet.order:
        leaf = name not in sheet.nodes
        value = fmt(problem.values[name]) if leaf or not blank else (BLANK if name in sheet.values else "")
        grad = "" if blank and name not in sheet.grads else (
            BLANK if blank else fmt(problem.grads[name]))
        rows.append((name, value, grad))
    return rows


def _header(problem: Problem) -> tuple[str, str]:
    sheet = problem.sheet
    title = sheet.title + (f" (variant: seed {problem.seed})" if problem.seed is not None else "")
    return title, sheet.text


def _ascii(text: str) -> str:
    """Unicode maths as plain ASCII, for LaTeX's verbatim (pdflatex reads no Unicode there)."""
    for a, b in (("∂", "d"), ("·", "*"), ("²", "^2"), ("√", "sqrt"), ("σ", "sigmoid"), ("ḡ", "g"),
                 ("ṫ", "tdot")):
        text = text.replace(a, b)
    return text


def _tex_escape(text: str) -> str:
    for a, b in (("\\", r"\textbackslash{}"), ("&", r"\&"), ("%", r"\%"), ("$", r"\$"),
                 ("#", r"\#"), ("_", r"\_"), ("{", r"\{"), ("}", r"\}"), ("~", r"\~{}"),
                 ("^", r"\^{}")):
        text = text.replace(a, b)
    return _ascii(text)


def write_key(problem: Problem, fmt: str = "md", blank: bool = False, diagram_svg: str = "",
              diagram_file: str = "") -> str:
    """The key (or, with blank=True, the blank worksheet) as Markdown, LaTeX or HTML text.

    `diagram_svg` (SVG text) is embedded in the HTML page; `diagram_file` (a file name) is
    linked from Markdown and named in LaTeX.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    digits, root = problem.sheet.digits, problem.sheet.root
    show = lambda x: number(x, digits)  # noqa: E731
    all_steps = steps(problem)
    forward = [_line(s, root, show, blank) for s in all_steps if s.kind == "forward"]
    backward = [_line(s, root, show, blank) for s in all_steps if s.kind == "backward"]
    sweep = sweep_lines(problem, show, show, blank, BLANK)  # [] unless [ask] jvp
    seed = direction_text(problem.sheet.jvp, show)
    title, text = _header(problem)
    kind = "Worksheet" if blank else "Solution key"
    summary = _summary(problem, show, blank)
    given = _given(problem, show)
    ask = (f"Asked: the values of {', '.join(problem.sheet.values) or 'none'}; the gradients "
           f"of {root} with respect to {', '.join(problem.sheet.grads) or 'none'}"
           + (f"; the derivative of {root} in the direction {seed} (forward mode)." if sweep
              else "."))
    note = (f"Numbers are printed to {digits} significant digits; each result is the exact "
            "value rounded, not the rounded numbers recomputed.")
    head = ["quantity", "value", f"∂{root}/∂"]
    if fmt == "md":
        parts = [f"# {kind}: {title}", "", text, "", *[f"- {g}" for g in given], "", ask, "",
                 "## Forward pass", "", *[f"    {line}" for line in forward], "",
                 f"## Backward pass (from {root} down)", "", *[f"    {line}" for line in backward],
                 "", "## Summary", "", "| " + " | ".join(head) + " |", "| --- | --- | --- |",
                 *[f"| {n} | {v} | {g} |" for n, v, g in summary], "", "" if blank else note]
        if sweep:
            parts += ["", f"## Forward sweep (tangents for {seed})", "",
                      *[f"    {line}" for line in sweep]]
        if diagram_file and not blank:
            parts += ["", "## Diagram", "", f"![the graph of {root}]({diagram_file})"]
        return "\n".join(parts).rstrip() + "\n"
    if fmt == "tex":
        rows = "\n".join(f"{_tex_escape(n)} & {_tex_escape(v)} & {_tex_escape(g)} \\\\"
                         for n, v, g in summary)
        parts = [r"\documentclass{article}", r"\begin{document}",
                 rf"\section*{{{_tex_escape(kind)}: {_tex_escape(title)}}}", _tex_escape(text), "",
                 r"\begin{itemize}", *[rf"\item {_tex_escape(g)}" for g in given], r"\end{itemize}",
                 _tex_escape(ask), r"\subsection*{Forward pass}", r"\begin{verbatim}",
                 *map(_ascii, forward), r"\end{verbatim}",
                 rf"\subsection*{{Backward pass (from {_tex_escape(root)} down)}}",
                 r"\begin{verbatim}", *map(_ascii, backward), r"\end{verbatim}",
                 r"\subsection*{Summary}", r"\begin{tabular}{lll}",
                 rf"quantity & value & d{_tex_escape(root)}/d \\ \hline", rows, r"\end{tabular}",
                 "" if blank else "\n" + _tex_escape(note)]
        if sweep:
            parts += [rf"\subsection*{{Forward sweep (tangents for {_tex_escape(seed)})}}",
                      r"\begin{verbatim}", *map(_ascii, sweep), r"\end{verbatim}"]
        if diagram_file and not blank:
            parts.append(f"\n% the diagram of the graph: {diagram_file}")
        return "\n".join(parts + [r"\end{document}"]) + "\n"
    table = "".join(f"<tr><td>{escape(n)}</td><td>{escape(v)}</td><td>{escape(g)}</td></tr>"
                    for n, v, g in summary)
    body = [f"<h1>{escape(kind)}: {escape(title)}</h1>", f"<p>{escape(text)}</p>",
            "<ul>" + "".join(f"<li>{escape(g)}</li>" for g in given) + "</ul>",
            f"<p>{escape(ask)}</p>", "<h2>Forward pass</h2>",
            "<pre>" + escape("\n".join(forward)) + "</pre>",
            f"<h2>Backward pass (from {escape(root)} down)</h2>",
            "<pre>" + escape("\n".join(backward)) + "</pre>", "<h2>Summary</h2>",
            "<table><thead><tr>" + "".join(f"<th>{escape(h)}</th>" for h in head)
            + f"</tr></thead><tbody>{table}</tbody></table>"]
    if not blank:
        body.append(f"<p>{escape(note)}</p>")
    if sweep:
        body += [f"<h2>Forward sweep (tangents for {escape(seed)})</h2>",
                 "<pre>" + escape("\n".join(sweep)) + "</pre>"]
    if diagram_svg and not blank:
        body += ["<h2>Diagram</h2>", f'<div class="diagram">{diagram_svg}</div>']
    style = ("body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em}"
             "pre{background:#f6f6f6;padding:.6em;overflow-x:auto;white-space:pre-wrap}"
             "table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:.2em .6em}"
             ".diagram{overflow-x:auto}")
    return ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>{escape(kind)}: {escape(title)}</title><style>{style}</style></head>"
            f"<body>{''.join(body)}</body></html>\n")
