"""Re-execute the notebooks and store their outputs: `python notebooks/refresh.py [NAME ...]`.

Run it after editing a notebook or anything a notebook shows (the test suite compares the
stored outputs with a fresh run, see notebooks/README.md). Without names it refreshes every
notebook in this folder; a name may be given with or without `.ipynb`.

Each notebook runs top to bottom in a kernel started from THIS interpreter (a one-off kernel
spec, so a stale "python3" kernel of another environment is never used), in this folder, with
figures inline. Then what cannot be shown outside a live kernel is dropped (widget outputs) and
so is what changes on every run without meaning anything (execution timing metadata). A cell
whose new outputs equal the stored ones up to the sanitizers of `sanitize.cfg` (the patterns
the tests ignore: timings, memory addresses; and each SVG diagram is compared as its structural
summary, svg_summary.py, so another machine's Graphviz does not rewrite it) keeps its stored outputs, so a refresh that
changes nothing leaves the file byte for byte as it was.
"""
from __future__ import annotations

import configparser
import json
import os
import re
import sys
import tempfile
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

from svg_summary import summarize_svgs

FOLDER = Path(__file__).resolve().parent
WIDGET = "application/vnd.jupyter.widget-view+json"
CELL_TIMEOUT_S = 120
KERNEL_NAME = "teachgrad-refresh-python"


def kernel_env() -> dict:
    """The environment of the kernel: figures inline whatever backend the shell selects."""
    env = dict(os.environ)
    env["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    return env


def clean(nb) -> None:
    """Drop widget-only outputs and per-run metadata, in place."""
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type != "code":
            continue
        for output in cell.outputs:
            output.get("data", {}).pop(WIDGET, None)
        cell.outputs = [o for o in cell.outputs
                        if o.output_type not in ("display_data", "execute_result") or o.data]


def sanitizers() -> list:
    """(compiled regex, replacement) pairs from sanitize.cfg, the file the tests use too."""
    config = configparser.ConfigParser()
    config.read(FOLDER / "sanitize.cfg", encoding="utf-8")
    return [(re.compile(config[s]["regex"]), config[s]["replace"]) for s in config.sections()]


def _summarized(value):
    """A stored output value (a string, or a list of lines) with its SVGs summarized."""
    if isinstance(value, list) and all(isinstance(line, str) for line in value):
        value = "".join(value)
    return summarize_svgs(value) if isinstance(value, str) else value


def _sanitized(outputs: list, patterns: list) -> str:
    # SVGs as their structural summary first, as the tests compare them: a refresh on a machine
    # with another Graphviz renderer leaves stored diagrams alone.
    summarized = [{**output, "data": {mime: _summarized(value)
                                      for mime, value in output.get("data", {}).items()}}
                  for output in outputs]
    text = json.dumps(summarized, sort_keys=True)
    for regex, replace in patterns:
        text = regex.sub(replace, text)
    return text


def refresh(path: Path, kernels: Path) -> None:
    """Execute one notebook and write it back with its fresh outputs."""
    nb = nbformat.read(path, as_version=4)
    stored = [cell.get("outputs") for cell in nb.cells]
    km = KernelManager(kernel_name=KERNEL_NAME,
                       kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(kernels)]))
    client = NotebookClient(nb, km=km, timeout=CELL_TIMEOUT_S, allow_errors=False,
                            resources={"metadata": {"path": str(FOLDER)}})
    client.execute(env=kernel_env())
    clean(nb)
    patterns = sanitizers()
    for cell, old in zip(nb.cells, stored):
        if old is not None and _sanitized(old, patterns) == _sanitized(cell.outputs, patterns):
            cell.outputs = old
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python",
                                 "name": "python3"}  # not the one-off spec's name
    nb.metadata.get("language_info", {}).pop("version", None)  # differs per machine
    nbformat.write(nb, path)


def main(argv=None) -> int:
    """Refresh the notebooks named in argv (all when none); returns the exit code."""
    names = sys.argv[1:] if argv is None else argv
    paths = ([FOLDER / (n if n.endswith(".ipynb") else f"{n}.ipynb") for n in names]
             or sorted(FOLDER.glob("*.ipynb")))
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        print(f"error: no such notebook: {', '.join(missing)}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as kernels:
        spec = Path(kernels) / KERNEL_NAME
        spec.mkdir()
        (spec / "kernel.json").write_text(json.dumps({
            "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "Python (refresh)", "language": "python"}))
        for path in paths:
            print(f"refreshing {path.name}", flush=True)
            refresh(path, Path(kernels))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
