"""A Gradescope autograder for a worksheet: the zip an instructor uploads, and what it runs.

    teachgrad sheet gradescope SHEET --out autograder.zip [--seed N] [--roster CSV] [--visibility V]

The zip holds what Gradescope's autograder expects at its top level: `setup.sh` (installs
teachgrad from the wheel inside the zip: the version that wrote the autograder grades),
`run_autograder` (grades the student's `submission/*.toml` answers file and writes
`results/results.json`), the sheet, `autograder.json` (the settings), the wheel, and with
`--roster` the class roster with each student's seed (a submission's variant: its answers
file's seed or booklet code, else the roster's seed of the submitter Gradescope names in
submission_metadata.json, else --seed).

Gradescope unzips into /autograder/source, runs setup.sh once when the image is built, and for
each submission copies run_autograder to /autograder and runs it. The root is read from the
environment variable TEACHGRAD_AUTOGRADER_ROOT (default /autograder), so a test (or an
instructor trying the zip out) runs it against any folder laid out the same way.

results.json has one test per asked quantity (its points and score from the sheet's grading,
the error-carried-forward explanation as its output, the visibility chosen), the total score,
and a top-level output with the summary. A submission that cannot be graded (no answers
file, two of them, a file with an error) scores 0 with the reason as the output, never a crash.
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .answers import load_answers
from .batch import read_roster, write_roster
from .errors import SheetError
from .grade import grade
from .sheet import Sheet, load, read_text
from .selfwheel import build_wheel

__all__ = ["write_autograder", "run", "results", "roster_seed", "VISIBILITIES", "ROOT_VARIABLE",
           "main"]

VISIBILITIES = ("visible", "hidden", "after_due_date", "after_published")
ROOT_VARIABLE = "TEACHGRAD_AUTOGRADER_ROOT"

SETUP_SH = """#!/usr/bin/env bash
# Gradescope runs this once, in /autograder/source, when it builds the autograder's image.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v python3 >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-pip
fi
# the wheel inside this zip: the teachgrad version that wrote the autograder grades
python3 -m pip install --quiet --break-system-packages ./{wheel} 2>/dev/null \\
  || python3 -m pip install --quiet ./{wheel}
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this (copied to /autograder/run_autograder) for every submission.
# TEACHGRAD_AUTOGRADER_ROOT names another root folder laid out like /autograder (for a trial run).
set -uo pipefail
ROOT="${TEACHGRAD_AUTOGRADER_ROOT:-/autograder}"
mkdir -p "$ROOT/results"
exec python3 -m autograd.sheets.gradescope "$ROOT"
"""


def write_autograder(sheet_path: str | Path, out: str | Path, seed: int | None = None,
                     visibility: str = "visible",
                     roster: Sequence[Mapping[str, str]] = ()) -> Path:
    """Write the autograder zip for the sheet file at `sheet_path` to `out`.

    `roster` (rows with name, id, seed): each submitter's variant, found from Gradescope's
    submission_metadata.json (the student's sid, email or name against the roster's id, email
    or name) when the answers file gives no seed and no variant code.
    """
    if visibility not in VISIBILITIES:
        raise SheetError(f"visibility must be one of {', '.join(VISIBILITIES)}, got {visibility!r}")
    sheet = load(sheet_path)  # checked now: a broken sheet fails here, not on Gradescope
    settings = {"sheet": "sheet.toml", "seed": seed, "visibility": visibility,
                "title": sheet.title, "roster": "roster.csv" if roster else None}
    with tempfile.TemporaryDirectory(prefix="teachgrad-gs-") as tmp:
        wheel = build_wheel(tmp)
        file = Path(out)
        with zipfile.ZipFile(file, "w", zipfile.ZIP_DEFLATED) as z:
            for name, text in (("setup.sh", SETUP_SH.format(wheel=wheel.name)),
                               ("run_autograder", RUN_AUTOGRADER)):
                info = zipfile.ZipInfo(name)
                info.external_attr = 0o755 << 16  # executable once unzipped
                info.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(info, text)
            z.writestr("sheet.toml", read_text(sheet_path, "sheet"))
            z.writestr("autograder.json", json.dumps(settings, indent=2) + "\n")
            if roster:
                with tempfile.TemporaryDirectory(prefix="teachgrad-roster-") as rdir:
                    z.write(write_roster(Path(rdir) / "roster.csv", roster), "roster.csv")
            z.write(wheel, wheel.name)
    return file


def _failed(sheet_title: str, reason: str) -> dict[str, Any]:
    return {"score": 0.0, "output": f"{sheet_title}: could not grade this submission: {reason}",
            "visibility": "visible", "stdout_visibility": "hidden", "tests": []}


def roster_seed(roster: Sequence[Mapping[str, str]], metadata: Mapping[str, Any]) -> int | None:
    """The seed of the submitter named in Gradescope's submission metadata, from the roster."""
    users = metadata.get("users") or []
    keys = {str(u.get(k, "")).strip().lower() for u in users if isinstance(u, dict)
            for k in ("sid", "email", "name")} - {""}
    for row in roster:
        mine = {str(row.get(k, "")).strip().lower() for k in ("id", "email", "name")} - {""}
        if mine & keys and str(row.get("seed", "")).strip():
            return int(row["seed"])
    return None


def results(sheet: Sheet, submission: Path, seed: int | None, visibility: str,
            roster: Sequence[Mapping[str, str]] = (),
            metadata: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Gradescope's results.json for the answers file in folder `submission`.

    The variant: the answers file's seed or code, else the roster's seed of the submitter
    (`metadata`: Gradescope's submission_metadata.json), else `seed`.
    """
    files = sorted(submission.glob("*.toml"))
    if len(files) != 1:
        found = ", ".join(f.name for f in files) or "none"
        return _failed(sheet.title, f"submit exactly one answers .toml file (found: {found})")
    try:
        answers = load_answers(files[0])
        chosen = answers.seed
        if chosen is None:
            chosen = roster_seed(roster, metadata or {})
        if chosen is None:
            chosen = seed
        others = [int(r["seed"]) for r in roster if str(r.get("seed", "")).strip()]
        report = grade(sheet, answers, chosen if answers.seed is None else None, others)
    except (SheetError, ArithmeticError, ValueError) as exc:
        return _failed(sheet.title, str(exc))
    data = report.gradescope()
    for number, test in enumerate(data["tests"], 1):
        test["visibility"] = visibility
        test["number"] = str(number)
    data["output"] = report.summary()
    data["visibility"] = visibility
    data["stdout_visibility"] = "hidden"
    return data


def run(root: str | Path) -> dict[str, Any]:
    """Grade ROOT/submission with the autograder in ROOT/source; write ROOT/results/results.json."""
    base = Path(root)
    source = base / "source"
    settings = json.loads(read_text(source / "autograder.json", "autograder settings"))
    meta_file = base / "submission_metadata.json"
    try:
        sheet = load(source / settings["sheet"])
        roster = read_roster(source / settings["roster"]) if settings.get("roster") else []
        metadata = json.loads(read_text(meta_file, "submission metadata")) if meta_file.exists() else {}
        data = results(sheet, base / "submission", settings.get("seed"), settings["visibility"],
                       roster, metadata)
    except SheetError as exc:
        data = _failed(str(settings.get("title", "sheet")), str(exc))
    out = base / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return data


def main(argv: list[str] | None = None) -> int:
    """`python -m autograd.sheets.gradescope [ROOT]`: what run_autograder runs."""
    args = sys.argv[1:] if argv is None else argv
    root = args[0] if args else os.environ.get(ROOT_VARIABLE, "/autograder")
    data = run(root)
    print(data.get("output", ""))
    return 0


if __name__ == "__main__":  # pragma: no cover - run by run_autograder
    sys.exit(main())
