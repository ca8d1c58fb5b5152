"""A student's answers to a worksheet, read from TOML.

    student = "ada"        # optional: the gradebook name (default: the file name)
    seed = 7               # optional: the variant the student was given
    [values]
    dot = "1.000"          # strings keep the printed digits
    [grads]
    w0 = "-0.1966"

A number written as a string is taken as printed ("0.7310" has four decimals); a TOML number
is read through its shortest repr, as `autograd.check` reads a float. Every answer is checked
to be a printed number here, with the file and line in the message.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from ..checker import printed_tolerance
from .errors import SheetError, where
from .sheet import key_lines, read_text, read_toml

__all__ = ["Answers", "load_answers", "loads_answers"]


@dataclass
class Answers:
    """The printed numbers of one submission: values and gradients by name, as strings."""

    student: str
    source: str
    seed: int | None
    values: dict[str, str]  # name -> the printed number
    grads: dict[str, str]
    lines: dict[tuple[str, str], int]  # (table, name) -> line, for messages

    def check_names(self, known: list[str]) -> None:
        """A SheetError for the first answered name the sheet does not have."""
        for table in ("values", "grads"):
            for name in getattr(self, table):
                if name not in known:
                    line = self.lines.get((table, name), 0)
                    raise SheetError(where(self.source, line, name) + f"the sheet has no quantity "
                                     f"{name!r} (it has {', '.join(known)})")


def _printed(value: object, source: str, line: int, name: str) -> str:
    if isinstance(value, str):
        try:
            printed_tolerance(value)
        except ValueError as exc:
            raise SheetError(where(source, line, name) + str(exc)) from None
        return value.strip()
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return repr(float(value)) if isinstance(value, float) else str(value)
    raise SheetError(where(source, line, name) + f"an answer must be a printed number such as "
                     f"\"0.731\", got {value!r}")


def loads_answers(text: str, source: str = "<answers>", student: str = "") -> Answers:
    """Answers from TOML text; `source` starts every error message."""
    doc, lines = read_toml(text, source), key_lines(text)
    unknown = set(doc) - {"student", "seed", "values", "grads"}
    if unknown:
        raise SheetError(f"{source}: unknown key(s) {', '.join(sorted(unknown))}; an answers file "
                         "has student, seed, [values] and [grads]")
    seed = doc.get("seed")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise SheetError(where(source, lines.get(("", "seed"), 0)) + f"seed must be an integer, got {seed!r}")
    tables: dict[str, dict[str, str]] = {}
    for table in ("values", "grads"):
        entries = doc.get(table, {})
        if not isinstance(entries, dict):
            raise SheetError(f"{source}: [{table}] must be a table of name = \"number\" lines")
        tables[table] = {name: _printed(v, source, lines.get((table, name), 0), name)
                         for name, v in entries.items()}
    name = doc.get("student", student or Path(source).stem)
    if not isinstance(name, str):
        raise SheetError(f"{source}: student must be a string")
    return Answers(name, source, seed, tables["values"], tables["grads"], lines)


def load_answers(path: str | Path) -> Answers:
    """Read the answers file at `path`."""
    file = Path(path)
    return loads_answers(read_text(file, "answers"), str(file), file.stem)
