"""Save and load a model's weights as JSON: readable, diffable, and safe (never pickle, which
runs arbitrary code when loaded).

File layout (version 2):
    {"format": "teachgrad.nn.weights", "version": 2,
     "model": {"type": "MLP", "nin": 2, "sizes": [16, 16, 1],
               "activations": ["relu", "relu", "linear"], "bias": [true, true, true]},
     "parameters": {"layers.0.neurons.0.w.0": 0.12, ...}}
"model" is the complete architecture (`Module.architecture()`), not just a title: `load`
refuses a file whose architecture differs from the model's in any way (a size, an activation,
a bias), which parameter names alone cannot show. Version 1 files (whose "model" was a
one-line description) still load, checked by parameter names only.

`load` treats the file as hostile: the size is read with stat and capped (`MAX_BYTES`) before
any byte is read, then the whole file is checked (UTF-8, valid JSON, not nested absurdly deep,
the format tag, the architecture, every parameter name present, every value a finite number)
before anything is written. Every such problem raises ONE error type, `WeightsFileError` (a
ValueError), naming the file and what is wrong, and leaves the model unchanged. A file that
cannot be read at all (missing, no permission) raises OSError naming it; a folder, a named
pipe or a device is refused before it is opened (a pipe would block `load` forever).

`save` never truncates the old file: it writes a temporary file beside it, flushes and fsyncs
it, then replaces the old file in one rename, so a failed save (disk full, Ctrl-C) leaves the
previous weights intact.
"""
from __future__ import annotations

import contextlib
import json
import math
import os
import stat
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:  # types only: Module.save/load import this module
    from .module import Module

__all__ = ["save", "load", "write_atomically", "WeightsFileError", "FORMAT", "VERSION", "MAX_BYTES"]

FORMAT = "teachgrad.nn.weights"
VERSION = 2
READABLE_VERSIONS = (1, 2)
# 64 MiB: about two million parameters written with full precision; far above any model a
# scalar engine trains, far below what reading a hostile file whole could cost.
MAX_BYTES = 64 * 2 ** 20
# Longest integer literal accepted: a weight is a float; 20 digits already exceed any int64.
MAX_INT_DIGITS = 20


class WeightsFileError(ValueError):
    """A weights file that is not valid for this model; the message names the file and why."""


def save(model: Module, path: str | Path) -> Path:
    """Write the model's architecture and parameters (`state_dict`) to `path` as JSON,
    atomically (see the module docstring)."""
    file = _checked_path(path, "save")
    document = {"format": FORMAT, "version": VERSION, "model": model.architecture(),
                "parameters": model.state_dict()}
    # repr of a float round-trips exactly, and json writes floats with repr: no precision lost.
    write_atomically(file, (json.dumps(document, indent=1) + "\n").encode("utf-8"))
    return file


def write_atomically(file: Path, data: bytes) -> None:
    """Write `data` to `file` so that the old file survives any failure (disk full, Ctrl-C,
    a crash): a temporary file in the same folder (so the final rename stays on one file
    system) is written, flushed and fsynced, then renamed over `file` in one step
    (`os.replace`); on any failure the temporary file is removed and `file` is untouched."""
    if file.is_dir():
        raise IsADirectoryError(21, f"cannot write weights file {str(file)!r}: it is a folder")
    folder = file.parent
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{file.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:  # no such folder, no permission: name the file the user gave
        raise OSError(exc.errno, f"cannot write weights file {str(file)!r}: "
                                 f"{exc.strerror or exc}") from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if file.exists():  # keep the old file's permissions, as rewriting it in place did
            os.chmod(temporary, stat.S_IMODE(file.stat().st_mode))
        os.replace(temporary, file)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _checked_path(path: object, who: str) -> Path:
    """`path` (a str or os.PathLike) as a Path, or a TypeError naming `who`."""
    if not isinstance(path, (str, os.PathLike)) or isinstance(path, bytes) or path == "":
        raise TypeError(f"{who}: the path must be a file name (str or pathlib.Path), got "
                        f"{type(path).__name__}: {path!r}")
    return Path(path)


def _reject_constant(name: str) -> NoReturn:
    # json accepts NaN/Infinity by default; a weight file must not smuggle them in.
    raise ValueError(f"{name} is not a finite number")


def _parse_int(text: str) -> int:
    # json would build an int of any length (4,000 digits take quadratic time to convert).
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise ValueError(f"an integer of {len(text.lstrip('-'))} digits is not a weight")
    return int(text)


def _read_document(path: Path, max_bytes: int) -> object:
    """The file's JSON object, after the size cap, UTF-8 and JSON checks."""
    name = str(path)
    try:
        info = path.stat()
    except OSError as exc:
        raise OSError(f"cannot read weights file {name!r}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):  # a pipe would block forever, /dev/zero never end
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        raise WeightsFileError(f"{name!r} is {kind} (a named pipe, device or socket cannot be "
                               "a weights file)")
    size = info.st_size
    if size > max_bytes:
        raise WeightsFileError(f"{name!r} is {size} bytes, over the {max_bytes}-byte limit for "
                               "a weights file (pass max_bytes= to allow more)")
    try:
        with path.open("rb") as handle:
            raw = handle.read(max_bytes + 1)  # the file may have grown since stat
    except OSError as exc:
        raise OSError(f"cannot read weights file {name!r}: {exc.strerror or exc}") from None
    if len(raw) > max_bytes:
        raise WeightsFileError(f"{name!r} is over the {max_bytes}-byte limit for a weights file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise WeightsFileError(f"{name!r} is not UTF-8 text (byte {exc.start}: "
                               f"{raw[exc.start:exc.start + 1]!r}); a weights file is JSON") from None
    try:
        return json.loads(text, parse_constant=_reject_constant, parse_int=_parse_int)
    except RecursionError:
        raise WeightsFileError(f"{name!r} is not a valid weights file: JSON nested too deeply") from None
    except ValueError as exc:
        raise WeightsFileError(f"{name!r} is not a valid weights file: {exc}") from None


def _architecture_differences(saved: object, actual: dict[str, object]) -> list[str]:
    """'key: file X, model Y' for every entry where two architecture descriptions differ."""
    if not isinstance(saved, dict):
        return [f"\"model\" should describe the architecture as an object, got {saved!r}"]
    keys = list(actual) + [k for k in saved if k not in actual]
    return [f"{key}: file {saved.get(key, '(missing)')!r}, model {actual.get(key, '(missing)')!r}"
            for key in keys if saved.get(key) != actual.get(key)]


def load(model: Module, path: str | Path, max_bytes: int = MAX_BYTES) -> None:
    """Read weights written by `save` into `model` (same architecture), all or nothing."""
    file = _checked_path(path, "load")
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 1:
        raise TypeError(f"load: max_bytes must be a positive int, got {max_bytes!r}")
    name = str(file)
    document = _read_document(file, max_bytes)
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise WeightsFileError(f"{name!r} is not a teachgrad weights file "
                               f"(expected \"format\": {FORMAT!r})")
    version = document.get("version")
    if version not in READABLE_VERSIONS or isinstance(version, bool):
        raise WeightsFileError(f"{name!r} has version {version!r}; this teachgrad reads "
                               f"versions {', '.join(map(str, READABLE_VERSIONS))}")
    if version >= 2:
        differences = _architecture_differences(document.get("model"), model.architecture())
        if differences:
            raise WeightsFileError(f"{name!r} was saved from another architecture: "
                                   + "; ".join(differences))
    state = document.get("parameters")
    if not isinstance(state, dict):
        raise WeightsFileError(f"{name!r} has no \"parameters\" object")
    for key, value in state.items():
        if isinstance(value, float) and not math.isfinite(value):
            raise WeightsFileError(f"{name!r}: parameter {key!r} is {value!r}")
    try:
        model.load_state_dict(state)  # validates everything before writing anything
    except (TypeError, ValueError) as exc:
        raise WeightsFileError(f"{name!r} does not fit this model: {exc}") from None
