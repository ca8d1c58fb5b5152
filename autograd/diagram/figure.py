"""`Diagram`: the `graphviz.Digraph` that `draw` returns, and `save(diagram, path)`.

A Diagram is an ordinary `graphviz.Digraph` (`.source`, `.render`, `.pipe` all work) with three
differences: it renders through `renderer.py` (our renderer resolution, a timeout, PNG limits);
a missing renderer raises `RendererNotFound` with fix instructions; and in Jupyter a diagram that
cannot be rendered shows that message and its DOT source as text, never a traceback.
"""
from __future__ import annotations

import html
from pathlib import Path

import graphviz

from .renderer import FIX, RenderError, RendererNotFound, configure_graphviz, render_source

__all__ = ["Diagram", "save", "FORMATS"]

FORMATS = {".svg": "svg", ".png": "png", ".pdf": "pdf", ".gv": "gv", ".dot": "gv"}


class Diagram(graphviz.Digraph):
    """A `graphviz.Digraph` that renders safely (see the module docstring)."""

    def pipe(self, format=None, *args, encoding=None, timeout: float = 60.0, **kwargs):
        """Rendered output as bytes (or str with `encoding`), through our bounded renderer."""
        fmt = format or self.format or "svg"
        if args or kwargs or fmt not in ("svg", "png", "pdf"):
            return self._through_graphviz(super().pipe, format, *args, encoding=encoding, **kwargs)
        data = render_source(self.source, fmt, engine=self.engine, timeout=timeout)
        return data.decode(encoding) if encoding else data

    def render(self, *args, **kwargs):
        """graphviz's own `render` (files next to `filename`), with our renderer and errors."""
        return self._through_graphviz(super().render, *args, **kwargs)

    # No `save` method here on purpose: graphviz.Digraph.save writes the DOT file that
    # graphviz's own render() reads. Use the module function `save(diagram, path)`.

    def _repr_mimebundle_(self, include=None, exclude=None, **_):
        # Jupyter calls this to display the diagram: show a message instead of raising.
        try:
            return {"image/svg+xml": self.pipe("svg", encoding="utf-8")}
        except RenderError as exc:
            return error_bundle(exc, self.source)

    @staticmethod
    def _through_graphviz(method, *args, **kwargs):
        configure_graphviz()
        try:
            return method(*args, **kwargs)
        except graphviz.ExecutableNotFound as exc:
            raise RendererNotFound(f"{exc}. {FIX}") from None
        except graphviz.CalledProcessError as exc:
            if exc.returncode in (126, 127):
                raise RendererNotFound(f"the renderer is broken (exit {exc.returncode}). "
                                       f"{FIX}") from None
            raise


def error_bundle(exc: Exception, source: str) -> dict:
    """What Jupyter shows for a diagram that cannot be rendered: the reason and the DOT text."""
    text = f"Cannot render this diagram: {exc}\n\nDOT source:\n{source}"
    return {"text/plain": text,
            "text/html": f"<pre style='white-space:pre-wrap'>{html.escape(text)}</pre>"}


def save(digraph, path, format=None, *, dpi: float = 96, timeout: float = 60.0) -> Path:
    """Write `digraph` to `path` and return the path.

    The format comes from `format` or the suffix: .svg (default choice: any size, zoomable),
    .png (refused above renderer.PNG_MAX_NODES nodes, dpi capped), .pdf (needs Graphviz's own
    dot), .gv/.dot (the DOT source; needs no renderer). Raises `RendererNotFound` when nothing
    can render, `RenderError` on timeout or a refused size, ValueError for an unknown format.
    """
    path = Path(path)
    fmt = format or FORMATS.get(path.suffix.lower())
    if fmt not in FORMATS.values():
        raise ValueError(f"cannot tell the format of {str(path)!r}: use a .svg, .png, .pdf or .gv "
                         f"suffix, or format='svg'/'png'/'pdf'/'gv' (got format={format!r})")
    if fmt == "gv":
        path.write_text(digraph.source, encoding="utf-8")
        return path
    data = render_source(digraph.source, fmt, engine=getattr(digraph, "engine", "dot") or "dot",
                         timeout=timeout, dpi=dpi)
    path.write_bytes(data)
    return path
