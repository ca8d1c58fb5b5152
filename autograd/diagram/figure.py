"""`Diagram`: the `graphviz.Digraph` that `draw` returns, and `save(diagram, path)`.

A Diagram is an ordinary `graphviz.Digraph` (`.source`, `.render`, `.pipe` all work) with three
differences: it renders through `renderer.py` (our renderer resolution, a timeout, PNG limits);
a missing renderer raises `RendererNotFound` with fix instructions; and in Jupyter a diagram that
cannot be rendered shows that message and its DOT source as text, never a traceback.
"""
from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Protocol, TypeVar, overload

import graphviz

from .renderer import FIX, RenderError, RendererNotFound, configure_graphviz, render_source

__all__ = ["Diagram", "save", "FORMATS"]

FORMATS = {".svg": "svg", ".png": "png", ".pdf": "pdf", ".gv": "gv", ".dot": "gv"}


T = TypeVar("T")


class DotSource(Protocol):
    """What `save` needs: DOT text (a graphviz Digraph, Graph or Source; `engine` is read if set)."""

    @property
    def source(self) -> str:
        """The DOT text."""
        ...


class Diagram(graphviz.Digraph):
    """A `graphviz.Digraph` that renders safely (see the module docstring)."""

    @overload
    def pipe(self, format: str | None = None, *args: Any, encoding: str,
             timeout: float = 60.0, **kwargs: Any) -> str: ...

    @overload
    def pipe(self, format: str | None = None, *args: Any, encoding: None = None,
             timeout: float = 60.0, **kwargs: Any) -> bytes: ...

    def pipe(self, format: str | None = None, *args: Any, encoding: str | None = None,
             timeout: float = 60.0, **kwargs: Any) -> bytes | str:
        """Rendered output as bytes (or str with `encoding`), through our bounded renderer."""
        fmt = format or self.format or "svg"
        if args or kwargs or fmt not in ("svg", "png", "pdf"):
            out: bytes | str = self._through_graphviz(super().pipe, format, *args,
                                                      encoding=encoding, **kwargs)
            return out
        data = render_source(self.source, fmt, engine=self.engine, timeout=timeout)
        return data.decode(encoding) if encoding else data

    def render(self, *args: Any, **kwargs: Any) -> str:
        """graphviz's own `render` (files next to `filename`), with our renderer and errors."""
        path: str = self._through_graphviz(super().render, *args, **kwargs)
        return path

    # No `save` method here on purpose: graphviz.Digraph.save writes the DOT file that
    # graphviz's own render() reads. Use the module function `save(diagram, path)`.

    def _repr_mimebundle_(self, include: object = None, exclude: object = None,
                          **_: object) -> Mapping[str, object]:
        # Jupyter calls this to display the diagram: show a message instead of raising.
        try:
            return {"image/svg+xml": self.pipe("svg", encoding="utf-8")}
        except RenderError as exc:
            return error_bundle(exc, self.source)

    @staticmethod
    def _through_graphviz(method: Callable[..., T], *args: Any, **kwargs: Any) -> T:
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


def error_bundle(exc: Exception, source: str) -> dict[str, str]:
    """What Jupyter shows for a diagram that cannot be rendered: the reason and the DOT text."""
    text = f"Cannot render this diagram: {exc}\n\nDOT source:\n{source}"
    return {"text/plain": text,
            "text/html": f"<pre style='white-space:pre-wrap'>{html.escape(text)}</pre>"}


def save(digraph: DotSource, path: str | Path, format: str | None = None, *, dpi: float = 96,
         timeout: float = 60.0) -> Path:
    """Write `digraph` to `path` and return the path.

    The format comes from `format` or the suffix: .svg (default choice: any size, zoomable),
    .png (refused above renderer.PNG_MAX_NODES nodes, dpi capped), .pdf (needs Graphviz's own
    dot), .gv/.dot (the DOT source; needs no renderer). Raises `RendererNotFound` when nothing
    can render, `RenderError` on timeout or a refused size, ValueError for an unknown format.
    """
    if format is not None and not isinstance(format, str):
        raise TypeError(f"save: format must be a str such as 'svg', got {type(format).__name__}")
    file = Path(path)
    fmt = format or FORMATS.get(file.suffix.lower())
    if fmt is None or fmt not in FORMATS.values():
        raise ValueError(f"cannot tell the format of {str(file)!r}: use a .svg, .png, .pdf or .gv "
                         f"suffix, or format='svg'/'png'/'pdf'/'gv' (got format={format!r})")
    if fmt == "gv":
        file.write_text(digraph.source, encoding="utf-8")
        return file
    data = render_source(digraph.source, fmt, engine=getattr(digraph, "engine", "dot") or "dot",
                         timeout=timeout, dpi=dpi)
    file.write_bytes(data)
    return file
