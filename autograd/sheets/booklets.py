"""Exam booklets: one PDF per student of a roster, the keys, and one merged file to print.

    teachgrad sheet variants SHEET --roster roster.csv --format pdf --out DIR [--paper letter]

Each student's booklet is the blank worksheet of their variant with their name, ID and seed
printed in the heading and the seed as a short variant code (variantcode.py: `V7-7`) that an
answers file gives back as `code = "V7-7"`, so grading finds the variant. Beside each booklet
its key. `booklets.pdf` holds every booklet in roster order, each starting on an odd page (a
blank page added where needed, so a duplex print never puts two students on one sheet), and
`keys.pdf` every key. Needs the `pdf` extra (typst, and pypdf to merge).
"""
from __future__ import annotations

import importlib
import re
from collections.abc import Mapping, Sequence
from io import BytesIO
from pathlib import Path
from typing import Any

from .errors import SheetError
from .pdf import INSTALL, handout_pdf
from .sheet import Sheet
from .variantcode import variant_code

__all__ = ["write_booklets", "merge_pdfs", "file_stem"]


def file_stem(name: str, ident: str) -> str:
    """A student's files' stem: name_id with letters, digits, - and _ only."""
    return re.sub(r"[^A-Za-z0-9_-]+", "_", f"{name}_{ident}").strip("_")[:60] or "student"


def _pypdf() -> Any:
    try:
        return importlib.import_module("pypdf")
    except ImportError:
        raise SheetError(f"merging booklets needs the pypdf package: {INSTALL}") from None


def merge_pdfs(parts: Sequence[bytes], odd_starts: bool = False) -> bytes:
    """One PDF of `parts` in order; `odd_starts`: a blank page after each part of odd length."""
    pypdf = _pypdf()
    writer = pypdf.PdfWriter()
    for part in parts:
        reader = pypdf.PdfReader(BytesIO(part))
        for page in reader.pages:
            writer.add_page(page)
        if odd_starts and len(reader.pages) % 2:
            last = reader.pages[-1]
            writer.add_blank_page(width=last.mediabox.width, height=last.mediabox.height)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def write_booklets(sheet: Sheet, roster: Sequence[Mapping[str, str]], out: str | Path,
                   paper: str = "a4") -> list[Path]:
    """Booklet and key per student (roster rows with name, id, seed), and the merged files."""
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    booklets: list[bytes] = []
    keys: list[bytes] = []
    written: list[Path] = []
    stems: set[str] = set()
    for row in roster:
        stem = file_stem(row["name"], row["id"])
        if stem in stems:
            raise SheetError(f"two students give the same file name {stem!r}: make names or ids distinct")
        stems.add(stem)
        seed = int(row["seed"])
        problem = sheet.problem(seed)
        code = variant_code(seed)
        extra = {"ID": row["id"], "Seed": str(seed)}
        for blank, kind, bucket in ((True, "booklet", booklets), (False, "key", keys)):
            pdf, _ = handout_pdf(problem, blank=blank, paper=paper, student=row["name"],
                                 code=code, extra=extra)
            path = folder / f"{stem}.{kind}.pdf"
            path.write_bytes(pdf)
            written.append(path)
            bucket.append(pdf)
    for name, parts, odd in (("booklets.pdf", booklets, True), ("keys.pdf", keys, False)):
        path = folder / name
        path.write_bytes(merge_pdfs(parts, odd_starts=odd))
        written.append(path)
    return written
