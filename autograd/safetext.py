"""The one policy for text from a student, a sheet, a file name or a label on its way to an
output (a terminal, an error message, HTML, Markdown, CSV, JSON, LaTeX, Typst).

    >>> clean_text("ada\\x1b[2J\\u202edcba\\x00\\tok")
    'ada\\\\x1b[2J\\\\u202edcba\\\\x00 ok'

The policy: every character Python does not call printable (`str.isprintable`: control
characters such as ESC, BEL, NUL and DEL; format characters, among them the bidi overrides
U+202E / U+202D and zero-width characters; line and paragraph separators; surrogates; private-use
and unassigned code points; spaces other than the ASCII space) is SHOWN as its Python escape
(`\\x1b`, `\\u202e`, `\\x00`), never passed through and never removed; a tab, newline or carriage
return becomes one space (these outputs are one line per item). Then the text is cut to `limit`
characters (ending in "…"). `clean_lines` is the same rule for text whose line breaks are kept.

Why show rather than remove: passed through, such a character drives a terminal (clears the
screen, retitles the window), reorders what is displayed (U+202E makes "evil.txt" look like
something else) or breaks a file; removed, it makes the output lie: a file named "a\\x1bb.toml"
would be reported as "ab.toml", which does not exist, and the answer "0.7\\x0031" would be refused
as "not a printed number: '0.731'". Shown as an escape, it is inert printable ASCII in every
output (each output then escapes it as its own syntax needs: `\\` is `\\textbackslash{}` in
LaTeX) and the instructor sees exactly what was typed. One rule for every output, so a name
reads the same in the terminal, the HTML report, the CSV gradebook and the handout.

The result is always printable, applying it twice changes nothing, and text without such
characters (and within the limit) comes back unchanged.
"""
from __future__ import annotations

__all__ = ["clean_text", "clean_lines"]

_SPACES = str.maketrans("\t\n\r", "   ")


def clean_text(text: str, limit: int | None = 200) -> str:
    """`text` with every non-printable character shown as its escape (tab, newline and CR as a
    space), cut to `limit` characters (None: not cut); see the module docstring."""
    text = text.translate(_SPACES)
    if not text.isprintable():  # the common case costs one C call
        text = "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii")
                       for ch in text)
    return text if limit is None or len(text) <= limit else text[:limit - 1] + "…"


def clean_lines(text: str) -> str:
    """`text` with each line cleaned (`clean_text`, not cut) and its line breaks kept: for the
    outputs whose line breaks mean something (Markdown, an HTML handout's paragraphs)."""
    return "\n".join(clean_text(line, None) for line in text.split("\n"))
