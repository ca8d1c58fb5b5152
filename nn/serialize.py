"""Save and load a model's weights as JSON: readable, diffable, and safe (never pickle, which
runs arbitrary code when loaded).

File layout:
    {"format": "teachgrad.nn.weights", "version": 1, "model": "MLP(2 -> [16, 16, 1], ...)",
     "parameters": {"layers.0.neurons.0.w.0": 0.12, ...}}
`load` checks the whole file (valid JSON, the format tag, every parameter name present, every
value a finite number) before writing anything, so a corrupt or mismatched file raises a
ValueError naming the file and the problem, and leaves the model unchanged.
"""
from __future__ import annotations

import json
import math
from pathlib import Path

__all__ = ["save", "load", "FORMAT", "VERSION"]

FORMAT = "teachgrad.nn.weights"
VERSION = 1


def save(model, path) -> Path:
    """Write the model's parameters (`state_dict`) to `path` as JSON; returns the path."""
    path = Path(path)
    document = {"format": FORMAT, "version": VERSION,
                "model": repr(model).splitlines()[0],  # for a human reading the file only
                "parameters": model.state_dict()}
    # repr of a float round-trips exactly, and json writes floats with repr: no precision lost.
    path.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    return path


def _reject_constant(name: str):
    # json accepts NaN/Infinity by default; a weight file must not smuggle them in.
    raise ValueError(f"{name} is not a finite number")


def load(model, path) -> None:
    """Read weights written by `save` into `model` (same architecture), all or nothing."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise OSError(f"cannot read weights file {str(path)!r}: {exc.strerror or exc}") from None
    try:
        document = json.loads(text, parse_constant=_reject_constant)
    except ValueError as exc:
        raise ValueError(f"{str(path)!r} is not a valid weights file: {exc}") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValueError(f"{str(path)!r} is not a teachgrad weights file "
                         f"(expected \"format\": {FORMAT!r})")
    if document.get("version") != VERSION:
        raise ValueError(f"{str(path)!r} has version {document.get('version')!r}; "
                         f"this teachgrad reads version {VERSION}")
    state = document.get("parameters")
    if not isinstance(state, dict):
        raise ValueError(f"{str(path)!r} has no \"parameters\" object")
    for name, value in state.items():
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"{str(path)!r}: parameter {name!r} is {value!r}")
    try:
        model.load_state_dict(state)  # validates everything before writing anything
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{str(path)!r} does not fit this model: {exc}") from None
