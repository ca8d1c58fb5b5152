"""A student's answers to a worksheet, read from TOML.

    student = "ada"        # optional: the gradebook name (default: the file name)
    seed = 7               # optional: the variant the student was given
    code = "V7-7"          # or the variant code printed on the booklet (the same seed)
    [values]
    dot = "1.000"          # strings keep the printed digits
    [grads]
    w0 = "-0.1966"
    [jvp]                  # a sheet with `[ask] jvp`: tangents along its direction, by node
    f = "0.0983"           # the root's is the asked one; others may show the sweep's work

A number written as a string is taken as printed ("0.7310" has four decimals; a Unicode minus
"−0.5" is a minus); a TOML number is read through its shortest repr, as `autograd.check`
reads a float. Every answer is checked to be a printed number here (`autograd.grading.
parse_number`: finite, at most MAX_NUMBER_CHARS characters), with the file and line in the
message. The file itself is at most MAX_ANSWERS_BYTES, a regular file, checked before reading.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..grading import NumberError, parse_number
from ..safetext import clean_text
from .errors import SheetError, as_path, require, where
from .sheet import MAX_ANSWERS_BYTES, key_lines, read_text, read_toml
from .variantcode import CodeError, seed_from_code

__all__ = ["Answers", "load_answers", "loads_answers", "TABLES"]

TABLES = ("values", "grads", "jvp")  # the tables of printed numbers, each name = "number"


@dataclass
class Answers:
    """The printed numbers of one submission: values, gradients and tangents (`[jvp]`) by
    name, as strings."""

    student: str
    source: str
    seed: int | None
    values: dict[str, str]  # name -> the printed number
    grads: dict[str, str]
    lines: dict[tuple[str, str], int]  # (table, name) -> line, for messages
    jvp: dict[str, str] = field(default_factory=dict)  # name -> the printed tangent

    def check_names(self, known: list[str]) -> None:
        """A SheetError for the first answered name the sheet does not have."""
        names = set(known)
        for table in TABLES:
            for name in getattr(self, table):
                if name not in names:
                    line = self.lines.get((table, name), 0)
                    listed = ", ".join(known[:12]) + (f", ... ({len(known)} in all)" if len(known) > 12 else "")
                    raise SheetError(where(self.source, line, clean_text(name, 60)) + "the sheet "
                                     f"has no quantity {clean_text(name, 60)!r} (it has {listed})")


def _printed(value: object, source: str, line: int, name: str) -> str:
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        try:
            return parse_number(value).text
        except NumberError as exc:
            raise SheetError(where(source, line, clean_text(name, 60)) + str(exc)) from None
    raise SheetError(where(source, line, clean_text(name, 60)) + "an answer must be a printed "
                     f"number such as \"0.731\", got {type(value).__name__}")


def loads_answers(text: str, source: str = "<answers>", student: str = "") -> Answers:
    """Answers from TOML text; `source` starts every error message."""
    require(text, str, "sheets.loads_answers", "the answers' TOML text (a str)")
    require(source, str, "sheets.loads_answers", "a source name (a str)")
    require(student, str, "sheets.loads_answers", "a student name (a str)")
    source = clean_text(source, 200)  # it starts every message: bounded, no terminal escapes
    doc, lines = read_toml(text, source), key_lines(text)
    unknown = set(doc) - {"student", "seed", "code", *TABLES}
    if unknown:
        raise SheetError(f"{source}: unknown key(s) {clean_text(', '.join(sorted(unknown)), 80)}; "
                         "an answers file has student, seed (or code), [values], [grads] and "
                         "[jvp]")
    seed = doc.get("seed")
    if "code" in doc:  # the variant code printed on a booklet ('V7-7'): the seed, read back
        try:
            from_code = seed_from_code(doc["code"])
        except CodeError as exc:
            raise SheetError(where(source, lines.get(("", "code"), 0)) + str(exc)) from None
        if seed is not None and seed != from_code:
            raise SheetError(where(source, lines.get(("", "code"), 0)) + f"code {doc['code']!r} "
                             f"is seed {from_code}, but the file also says seed = {seed!r}")
        seed = from_code
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)
                             or not 0 <= seed < 2 ** 63):
        raise SheetError(where(source, lines.get(("", "seed"), 0)) + "seed must be an integer "
                         f"from 0 to 2**63 - 1, got {clean_text(repr(seed), 40)}")
    tables: dict[str, dict[str, str]] = {}
    for table in TABLES:
        entries = doc.get(table, {})
        if not isinstance(entries, dict):
            raise SheetError(where(source, lines.get(("", table), 0)) + f"[{table}] must be a "
                             "table of name = \"number\" lines")
        tables[table] = {name: _printed(v, source, lines.get((table, name), 0), name)
                         for name, v in entries.items()}
    name = doc.get("student", student or Path(source).stem)
    if not isinstance(name, str) or not name.strip() or len(name) > 200:
        raise SheetError(where(source, lines.get(("", "student"), 0)) + "student must be a "
                         "non-empty string of at most 200 characters")
    return Answers(name, source, seed, tables["values"], tables["grads"], lines, tables["jvp"])


def load_answers(path: str | Path) -> Answers:
    """Read the answers file at `path`."""
    file = as_path(path, "sheets.load_answers")
    return loads_answers(read_text(file, "answers", MAX_ANSWERS_BYTES), str(file), file.stem)
