"""MkDocs hooks (mkdocs.yml `hooks:`): the parts of the site that are made from the code.

A page asks for one with an HTML comment on a line of its own, which Markdown passes through:

- `<!-- teachgrad:op-table -->`: the op table, one row per row of `autograd.OPS`, read from the
  rows themselves at build time (so it is never a stale copy);
- `<!-- teachgrad:stepper -->`: the live step-by-step player of the README's neuron (the one
  `docs/pictures.py` draws), the same HTML fragment Jupyter displays: it steps in the page;
- `<!-- teachgrad:structure -->`: the structure picture, the packages' modules and their
  imports, read from the source with `ast` when the site is built.

Text from the rows is escaped for HTML (a docstring may hold `<` or `&`).
"""
from __future__ import annotations

import html
import importlib.util
from pathlib import Path
from typing import Any

OP_TABLE = "<!-- teachgrad:op-table -->"
STEPPER = "<!-- teachgrad:stepper -->"
DOCS = Path(__file__).resolve().parent


def op_table() -> str:
    """The op table as an HTML table: how it is written, the diagram's symbol, the row's text."""
    from autograd import OPS
    rows = []
    for op in OPS.values():
        if op.method:
            written = f"x.{op.method}()" if op.arity == 1 else f"x.{op.method}(y)"
        else:
            written = op.written
        rows.append(f"<tr><td><code>{html.escape(written)}</code></td>"
                    f"<td><code>{html.escape(op.name)}</code></td>"
                    f"<td>{html.escape(op.symbol)}</td><td>{html.escape(op.doc)}</td></tr>")
    head = "<tr><th>written</th><th>row</th><th>in a diagram</th><th>computes; derivative</th></tr>"
    return (f'<table class="teachgrad-ops"><thead>{head}</thead><tbody>{"".join(rows)}'
            "</tbody></table>")


def stepper_html() -> str:
    """The step-by-step player of docs/pictures.py's neuron, as a fragment for a page."""
    spec = importlib.util.spec_from_file_location("docs_pictures", DOCS / "pictures.py")
    assert spec is not None and spec.loader is not None
    pictures = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(pictures)
    return str(pictures.stepper()._repr_html_())


STRUCTURE = "<!-- teachgrad:structure -->"
# The picture's boxes: a module, or a sub-package drawn as one box (its own modules inside).
CLUSTERS = {
    "the engine core (standard library only)": ["formula", "ops", "forwards", "fused", "value",
                                                "errors", "graph", "backward", "gradients",
                                                "numbers"],
    "derivatives and checks": ["functional", "higher", "newton", "gradcheck", "trace",
                               "checker", "check_report", "forward_mode", "tangents", "paths"],
    "built on the engine": ["diagram", "compiled", "sheets", "examples", "cli"],
}


def clusters(root: Path) -> dict[str, list[str]]:
    """CLUSTERS plus a box for every module or sub-package of autograd they do not name yet
    (in "more"), so a new module shows up in the picture before anyone files it."""
    named = {name for members in CLUSTERS.values() for name in members}
    found = sorted(p.stem if p.is_file() else p.name for p in (root / "autograd").iterdir()
                   if (p.suffix == ".py" and p.stem not in ("__init__", "__main__"))
                   or (p.is_dir() and (p / "__init__.py").exists()))
    more = [name for name in found if name not in named]
    return {**CLUSTERS, **({"more": more} if more else {})}


def module_imports(root: Path) -> dict[str, set[str]]:
    """For each box (a module of `autograd`, a sub-package, or `nn`), the boxes it imports
    (relative imports, and `autograd` imports from nn; TYPE_CHECKING-only imports left out)."""
    import ast
    boxes = [name for members in clusters(root).values() for name in members]
    edges: dict[str, set[str]] = {name: set() for name in [*boxes, "nn"]}

    def box_of(parts: list[str]) -> str | None:
        if parts[:1] == ["nn"]:
            return "nn"
        return parts[1] if len(parts) > 1 and parts[0] == "autograd" and parts[1] in boxes else None

    init = ast.parse((root / "autograd" / "__init__.py").read_text(encoding="utf-8"))
    reexports = {alias.name: node.module.split(".")[0] for node in init.body
                 if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module
                 for alias in node.names}
    reexports.update(dict.fromkeys(("draw", "save", "step_backward", "BackwardStepper"),
                                   "diagram"))  # loaded lazily by autograd.__getattr__
    for path in [*(root / "autograd").rglob("*.py"), *(root / "nn").rglob("*.py")]:
        parts = list(path.relative_to(root).with_suffix("").parts)
        source = box_of(parts if parts[-1] != "__init__" or len(parts) > 2 else parts[:1])
        if source is None:
            continue
        package = parts[:-1]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        hidden = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If)
                  and "TYPE_CHECKING" in ast.unparse(node.test) for n in ast.walk(node)}
        for node in ast.walk(tree):
            if id(node) in hidden or not isinstance(node, ast.ImportFrom):
                continue
            if node.level:
                base = package[:len(package) - (node.level - 1)]
                target = base + (node.module.split(".") if node.module else [])
            elif node.module and node.module.split(".")[0] == "autograd":
                target = node.module.split(".")
            else:
                continue
            for alias in node.names:
                if target == ["autograd"]:  # a name the package re-exports: where it lives
                    found = box_of(["autograd", reexports.get(alias.name, alias.name)])
                else:
                    found = box_of(target)
                if found and found != source:
                    edges[source].add(found)
    return edges


def reduced(edges: dict[str, set[str]]) -> dict[str, set[str]]:
    """The edges without those implied by a longer path (a transitive reduction): fewer arrows,
    the same "who depends on whom". (The structure check keeps the import graph acyclic.)"""
    def reach(start: str) -> set[str]:
        seen, todo = set(), [start]
        while todo:
            for nxt in edges[todo.pop()] - seen:
                seen.add(nxt)
                todo.append(nxt)
        return seen
    out: dict[str, set[str]] = {}
    for a, targets in edges.items():
        implied = set().union(*(reach(c) for c in targets))  # reached through another target
        out[a] = targets - implied
    return out


def structure_dot(root: Path) -> str:
    """The structure picture as DOT: clusters of modules, an arrow for each import that is not
    implied by others."""
    edges = reduced(module_imports(root))
    lines = ["digraph structure {", "  rankdir=BT; nodesep=0.2; ranksep=0.5;",
             '  node [shape=box style="rounded,filled" fillcolor="#ffffff" fontname=Helvetica '
             "fontsize=11]; edge [color=\"#8899aa\" arrowsize=0.6];"]
    for k, (title, members) in enumerate(clusters(root).items()):
        lines.append(f'  subgraph cluster_{k} {{ label="{title}"; fontname=Helvetica; '
                     'fontsize=11; style="rounded,filled"; fillcolor="#f3f6f9"; color="#c5d0db";')
        lines.extend(f'    "{name}";' for name in members)
        lines.append("  }")
    lines.append('  "nn" [fillcolor="#d9ead3"];')
    lines.extend(f'  "{a}" -> "{b}";' for a in sorted(edges) for b in sorted(edges[a]))
    lines.append("}")
    return "\n".join(lines)


def structure_svg() -> str:
    """The structure picture rendered to inline SVG (by the renderer diagrams use)."""
    from autograd.diagram.renderer import render_source
    svg = render_source(structure_dot(DOCS.parent), "svg").decode("utf-8")
    return svg[svg.index("<svg"):]


def on_page_content(html_text: str, page: Any, **kwargs: Any) -> str:
    """Replace each marker in a page's HTML with what it asks for."""
    if OP_TABLE in html_text:
        html_text = html_text.replace(OP_TABLE, op_table())
    if STEPPER in html_text:
        html_text = html_text.replace(STEPPER, stepper_html())
    if STRUCTURE in html_text:
        html_text = html_text.replace(STRUCTURE, f'<div class="teachgrad-structure">'
                                                 f"{structure_svg()}</div>")
    return html_text
