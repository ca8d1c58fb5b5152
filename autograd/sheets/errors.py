"""The one error a worksheet raises: `SheetError`, saying where (file, line, node) and what.

Everything that can go wrong with a sheet or an answers file (bad TOML, an unknown name, an
expression outside the whitelist, a log of a negative number, an overflow) is reported as a
SheetError, so a caller (the CLI, a notebook, the fuzz test) needs to catch one type only.
"""
from __future__ import annotations

from ..grading import clean_text

__all__ = ["SheetError", "where"]


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
