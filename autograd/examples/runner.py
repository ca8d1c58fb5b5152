"""Run a worked example end to end: tables and checker verdicts as text, diagrams as files.

`report_text(example)` is what `python -m autograd examples run NAME` prints; `write_files`
writes, for each drawn stage, the forward diagram, the backward diagram (SVG) and the
step-by-step backward page (HTML). If no Graphviz renderer can be found it writes the DOT
source (.gv) instead and returns the reason, so the caller can say how to fix it.
"""
from __future__ import annotations

from pathlib import Path

from ..value import Value
from .base import Example

__all__ = ["report_text", "write_files", "drawable_stages"]


def report_text(example: Example, precision: int = 6) -> str:
    """The example's description, then per stage the forward and backward tables and the verdict."""
    parts = [f"{example.name}: {example.title}", f"source: {example.source}", "",
             example.description.strip(), ""]
    for stage, trace, report in example.run(precision):
        parts += [f"=== stage {stage.name}: {stage.title} ===", "", "forward pass:",
                  trace.forward_text(), ""]
        if isinstance(stage.root, Value):
            parts += ["backward pass (root first):", trace.backward_text(), ""]
        else:
            parts += ["(several outputs: values only, no backward pass)", ""]
        parts += ["checker, printed solution vs engine:", report.to_text(), ""]
    slips = example.slips()
    parts.append(f"Slips found: {len(slips)}" + "".join(f"\n  - stage {s}: {q} of {label!r}"
                                                         for s, label, q in slips))
    return "\n".join(parts)


def drawable_stages(example: Example, all_stages: bool = False) -> list:
    """Stages with one root (a list of outputs has no single backward pass to draw)."""
    single = [s for s in example.stages if isinstance(s.root, Value)]
    return single if all_stages else single[:1]


def write_files(example: Example, out: Path, all_stages: bool = False, precision: int = 4):
    """Write the diagrams into `out`; return (list of paths written, renderer problem or None)."""
    from ..diagram import RendererNotFound, draw, save, step_backward
    from ..diagram.draw import GraphTooLarge

    out.mkdir(parents=True, exist_ok=True)
    written, problem = [], None
    for stage in drawable_stages(example, all_stages):
        if stage.root.grad == 0.0:
            stage.run()
        prefix = "" if not all_stages else f"{stage.name}_"
        title = f"{example.name}: {stage.title}"
        roles = {"params": stage.params, "inputs": stage.inputs}  # colours as the legend says
        views = {view: draw(stage.root, view=view, precision=precision, title=title, **roles)
                 for view in ("forward", "backward")}
        for view, dg in views.items():
            svg = out / f"{prefix}{view}.svg"
            try:
                written.append(save(dg, svg))
            except RendererNotFound as exc:  # keep the DOT source: any Graphviz can render it later
                problem = str(exc)
                written.append(save(dg, svg.with_suffix(".gv")))
        steps = out / f"{prefix}backward_steps.html"
        try:
            written.append(step_backward(stage.root, precision=precision, title=title,
                                         **roles).save(steps))
        except GraphTooLarge as exc:
            problem = problem or f"step-by-step page skipped: {exc}"
        except RendererNotFound as exc:
            problem = str(exc)
    return written, problem
