"""Finding a program that turns DOT into SVG/PNG/PDF, and running it with bounds.

`pip install` cannot bring Graphviz's own `dot`, so the resolution order is (first found wins):
  1. the environment variable TEACHGRAD_DOT naming a dot-compatible executable;
  2. a real `dot` on PATH (Graphviz proper: PDF output and the machine's fonts);
  3. `graphviz-pure` (a pip-installable static port of Graphviz) in the running interpreter's
     scripts directory -- a Jupyter kernel started from a non-activated venv has no venv `bin/`
     on PATH -- and then on PATH.
Every render runs in a subprocess with a timeout, and PNG is refused for graphs large enough to
need gigabytes of bitmap.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

__all__ = ["ENV_VAR", "RenderError", "RendererNotFound", "find_renderer", "render_source",
           "configure_graphviz", "count_nodes", "PNG_MAX_NODES", "MAX_DPI"]

ENV_VAR = "TEACHGRAD_DOT"
PNG_MAX_NODES = 400  # a 2,000-node PNG took 1-1.8 GB; SVG has no such cost
MAX_DPI = 300
MAX_PNG_PIXELS = 10_000  # longest side of a PNG, in pixels
FIX = ("Fix it with one of: `pip install graphviz-pure` (a renderer pip can install); or install "
       "Graphviz (https://graphviz.org/download/: `apt install graphviz`, `brew install graphviz`, "
       f"`winget install graphviz`); or set {ENV_VAR} to the path of a dot executable. The "
       "diagram itself still works without a renderer: `.source` is its DOT text, and saving to "
       "a .gv file needs no renderer.")


class RenderError(RuntimeError):
    """A diagram could not be rendered (timeout, refused size, the renderer failed)."""


class RendererNotFound(RenderError):
    """No working dot executable: none found, or the one found cannot run (e.g. exit 127)."""


def _pure_name() -> str:
    return "graphviz-pure.exe" if sys.platform == "win32" else "graphviz-pure"


def find_renderer() -> str | None:
    """The dot executable to use (see the module docstring for the order), or None."""
    explicit = os.environ.get(ENV_VAR, "").strip()
    if explicit:
        if not (os.path.isfile(explicit) and os.access(explicit, os.X_OK)):
            # An explicit choice that points nowhere is a mistake to report, not to skip over.
            raise RendererNotFound(f"{ENV_VAR}={explicit!r} is not an executable file. {FIX}")
        return explicit
    dot = shutil.which("dot")
    if dot:
        return dot
    scripts = Path(sysconfig.get_path("scripts")) / _pure_name()
    if scripts.is_file() and os.access(scripts, os.X_OK):
        return str(scripts)
    return shutil.which("graphviz-pure")


def configure_graphviz() -> str | None:
    """Point the `graphviz` package at our renderer, so Digraph.render/.pipe/.view use it too.

    `graphviz.backend.dot_command.DOT_BINARY` is private API, read on every call; the
    dependency is pinned to graphviz>=0.20,<0.22 and a test fails if the attribute goes away.
    """
    from graphviz.backend import dot_command
    try:
        binary = find_renderer()
    except RendererNotFound:
        return None
    if binary:
        dot_command.DOT_BINARY = Path(binary)
    return binary


def count_nodes(source: str) -> int:
    """Node statements in DOT text (lines `name [..]` that are not edges or attribute lines)."""
    pattern = re.compile(r'^\s*("[^"]*"|[\w.]+)\s*\[')
    return sum(1 for line in source.splitlines()
               if "->" not in line and pattern.match(line)
               and not line.strip().startswith(("graph", "node", "edge")))


def _png_caps(source: str, nodes: int, dpi: float) -> str:
    """The source with dpi and size capped so the bitmap has at most MAX_PNG_PIXELS a side."""
    if nodes > PNG_MAX_NODES:
        raise RenderError(
            f"refusing to render a PNG of {nodes} nodes (limit {PNG_MAX_NODES}): bitmaps of big "
            "graphs need gigabytes of memory. Save as .svg instead (any size, zoomable), or draw "
            "fewer nodes (draw(..., collapse=...)).")
    dpi = min(float(dpi), MAX_DPI)
    cap = MAX_PNG_PIXELS / dpi  # inches
    found = re.search(r'\bsize\s*=\s*"?([\d.]+)\s*,\s*([\d.]+)', source)
    width, height = (float(found.group(1)), float(found.group(2))) if found else (cap, cap)
    caps = f'\tgraph [dpi={dpi:g} size="{min(width, cap):g},{min(height, cap):g}"]\n'
    end = source.rstrip().rfind("}")  # the last attribute statement wins, so append it last
    return source[:end] + caps + source[end:]


def render_source(source: str, fmt: str = "svg", engine: str = "dot", timeout: float = 60.0,
                  dpi: float = 96) -> bytes:
    """Run the renderer on DOT `source`; return the output bytes (SVG, PNG or PDF)."""
    if fmt not in ("svg", "png", "pdf"):
        raise ValueError(f"format must be 'svg', 'png' or 'pdf', got {fmt!r}")
    binary = find_renderer()
    if binary is None:
        raise RendererNotFound(f"no Graphviz renderer found (no {ENV_VAR}, no `dot` on PATH, no "
                               f"`graphviz-pure`). {FIX}")
    pure = Path(binary).name.startswith("graphviz-pure")
    if fmt == "pdf" and pure:
        raise RendererNotFound(_PDF_HELP.format(binary=binary))
    if fmt == "png":
        source = _png_caps(source, count_nodes(source), dpi)
    try:
        done = subprocess.run([binary, f"-K{engine}", f"-T{fmt}"], input=source.encode("utf-8"),
                              capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise RenderError(f"{binary} took more than {timeout:g} s to lay out {count_nodes(source)}"
                          " nodes; draw fewer (collapse=...) or pass a larger timeout=") from None
    except OSError as exc:  # missing, not executable, wrong architecture
        raise RendererNotFound(f"cannot run the renderer {binary!r}: {exc}. {FIX}") from None
    err = done.stderr.decode("utf-8", "replace").strip()
    if done.returncode == 127 or done.returncode == 126:  # the shell's "command not found/not runnable"
        raise RendererNotFound(f"the renderer {binary!r} is broken (exit {done.returncode}: "
                               f"{err[:300]}). {FIX}")
    if done.returncode != 0:
        if fmt == "pdf" and "not recognized" in err:
            raise RendererNotFound(_PDF_HELP.format(binary=binary))
        raise RenderError(f"{binary} failed (exit {done.returncode}) rendering {fmt}: {err[:500]}")
    return done.stdout


_PDF_HELP = ("PDF needs Graphviz's own dot; the renderer found ({binary}) writes SVG and PNG only. "
             f"Install Graphviz (`apt install graphviz`, `brew install graphviz`, `winget install "
             f"graphviz`) or set {ENV_VAR} to its dot; or save an .svg and convert it "
             "(e.g. `pip install cairosvg`; `cairosvg diagram.svg -o diagram.pdf`).")
