"""A PrairieLearn question made from a worksheet: one folder, ready for a course's questions/.

    teachgrad sheet prairielearn SHEET --out questions/backprop-seed002

The folder holds
- `info.json`: uuid (stable: derived from the sheet's name and title), title, topic, tags;
- `question.html`: the problem text, the given numbers (from `generate`), the blank graph
  (sheets without ranges: a variant's numbers would differ from a drawing made now), one
  `pl-number-input` per asked quantity compared to the sheet's significant digits, and an
  answer panel with the worked key;
- `server.py`: `generate(data)` draws the numbers from the sheet's ranges with PrairieLearn's
  `data["variant_seed"]`; `grade(data)` grades the submitted numbers as printed (the raw
  strings) with error carried forward and the sheet's credits, and writes each
  quantity's score and explanation into `data["partial_scores"]`;
- `sheet.toml` and `lib/autograd`: the sheet and the engine it is graded with (standard
  library only), so the question needs nothing installed on PrairieLearn's side.
"""
from __future__ import annotations

import json
import shutil
import uuid
from html import escape
from pathlib import Path

from .errors import SheetError
from .figures import page_figure
from .key import handout
from .sheet import Sheet, load, read_text
from .sweep import TANGENT, direction_text

__all__ = ["write_question", "answer_name", "key_lines", "SERVER_PY", "NAMESPACE"]

NAMESPACE = uuid.UUID("6f1d8c52-34b5-4c55-9f5e-2f0a4e7c9b10")  # teachgrad's questions

SERVER_PY = '''"""PrairieLearn server code for a teachgrad worksheet (written by `teachgrad sheet prairielearn`)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))

from autograd.sheets.plserver import generate_data, grade_data  # noqa: E402

SHEET = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sheet.toml")


def generate(data):
    """The variant's numbers (drawn with data["variant_seed"]) and the exact answers."""
    generate_data(SHEET, data)


def grade(data):
    """Error carried forward over the submitted numbers, with the sheet's credits."""
    grade_data(SHEET, data)
'''


def answer_name(label: str, quantity: str) -> str:
    """The pl-number-input name of one asked quantity: 'value_z1_1', 'grad_W1_11' or 'jvp_L'."""
    return f"{quantity if quantity in ('value', 'jvp') else 'grad'}_{label}"


def _inputs(sheet: Sheet) -> list[str]:
    root, out = sheet.root, []
    along = direction_text(sheet.jvp, lambda t: f"{t:g}")
    for quantity, names in (("value", sheet.values), ("grad", sheet.grads),
                            ("jvp", [root] if sheet.jvp else [])):
        for name in names:
            label = escape({"value": name, "grad": f"∂{root}/∂{name}"}.get(
                quantity, f"{TANGENT}({root}) along {along}"))
            out.append(f'<pl-number-input answers-name="{answer_name(name, quantity)}" '
                       f'comparison="sigfig" digits="{sheet.digits}" label="{label} ="'
                       ' size="12"></pl-number-input>')
    return out


def _question_html(sheet: Sheet, diagram_svg: str) -> str:
    given = [f"<li>{escape(group)}: " + ", ".join(f"{escape(n)} = {{{{params.{n}}}}}" for n in table)
             + "</li>" for group, table in (("inputs", sheet.inputs), ("parameters", sheet.params))
             if table]
    parts = ["<pl-question-panel>", f"<h3>{escape(sheet.title)}</h3>",
             *[f"<p>{escape(p)}</p>" for p in sheet.text.split("\n\n") if p.strip()],
             f"<ul>{''.join(given)}</ul>",
             f"<p>Give each number to {sheet.digits} significant digits.</p>"]
    if diagram_svg:
        parts.append(f'<div class="teachgrad-graph" style="max-width:100%;overflow:auto">{diagram_svg}</div>')
    parts += ["</pl-question-panel>", *_inputs(sheet),
              "<pl-answer-panel>", "<p>The worked key:</p>",
              "<ul>{{#params.key}}<li>{{.}}</li>{{/params.key}}</ul>", "</pl-answer-panel>"]
    return "\n".join(parts) + "\n"


def _copy_engine(target: Path) -> None:
    """The autograd package (without caches) into target/autograd."""
    package = Path(__file__).resolve().parents[1]
    shutil.copytree(package, target / "autograd",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"), dirs_exist_ok=True)


def write_question(sheet_path: str | Path, out: str | Path, topic: str = "Backpropagation") -> list[Path]:
    """Write the question folder for the sheet file at `sheet_path` into `out`; the paths."""
    sheet = load(sheet_path)
    folder = Path(out)
    if folder.exists() and any(folder.iterdir()) and not (folder / "info.json").exists():
        raise SheetError(f"{folder}: not empty and not a question folder; give a new folder")
    folder.mkdir(parents=True, exist_ok=True)
    svg = ""
    if not sheet.variants:
        figure, _ = page_figure(sheet.problem(), blank=True)
        svg = figure.svg if figure else ""
    info = {"uuid": str(uuid.uuid5(NAMESPACE, f"{sheet.name}\n{sheet.title}")),
            "title": sheet.title, "topic": topic, "tags": ["teachgrad", "backprop", sheet.name],
            "type": "v3", "singleVariant": not sheet.variants}
    files = {"info.json": json.dumps(info, indent=2) + "\n",
             "question.html": _question_html(sheet, svg), "server.py": SERVER_PY,
             "sheet.toml": read_text(sheet_path, "sheet")}
    written = []
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
        written.append(folder / name)
    _copy_engine(folder / "lib")
    return written + [folder / "lib"]


def key_lines(sheet: Sheet, seed: int | None) -> list[str]:
    """The worked key as lines of text (the answer panel's list)."""
    doc = handout(sheet.problem(seed))
    lines = []
    for kind in ("forward", "backward"):
        for label, formula, numbers, result, _ in doc.rows(kind):
            lines.append(" = ".join(p for p in (label, formula, numbers, result) if p))
    return lines

