"""The one error a worksheet raises: `SheetError`, saying where (file, line, node) and what.

Everything that can go wrong with a sheet or an answers file (bad TOML, an unknown name, an
expression outside the whitelist, a log of a negative number, an overflow) is reported as a
SheetError, so a caller (the CLI, a notebook, the fuzz test) needs to catch one type only.
"""
from __future__ import annotations

import os
from pathlib import Path

from ..safetext import clean_text

__all__ = ["SheetError", "where", "as_path", "require"]


class SheetError(ValueError):
    """A problem with a worksheet or an answers file; the message names file, line and node."""


def where(source: str = "", line: int = 0, node: str = "") -> str:
    """'sheet.toml, line 12, node 'dot': ' (the parts that are known), to start a message."""
    parts = [clean_text(source, 200)] if source else []  # a file name can hold terminal escapes
    if line:
        parts.append(f"line {line}")
    if node:
        parts.append(f"node {clean_text(node, 60)!r}")
    return ", ".join(parts) + ": " if parts else ""


def as_path(value: object, call: str) -> Path:
    """`value` as a Path, or a TypeError naming the call: a str or os.PathLike is a path."""
    if isinstance(value, bool) or not isinstance(value, (str, os.PathLike)):
        raise TypeError(f"{call}: needs a file path (str or pathlib.Path), got {type(value).__name__}")
    return Path(value)


def require(value: object, kind: type | tuple[type, ...], call: str, what: str) -> None:
    """A TypeError naming the call when `value` is not a `kind` (what: how the docs call it)."""
    if not isinstance(value, kind):
        raise TypeError(f"{call}: needs {what}, got {type(value).__name__}")
