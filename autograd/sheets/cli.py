"""The `sheet` sub-command: solution keys, blank worksheets and grading from the command line.

    teachgrad sheet solve SHEET [--format md|tex|html|pdf] [--seed N] [--out F] [--paper a4|letter] [--graph]
    teachgrad sheet blank SHEET [--format md|tex|html|pdf] [--seed N] [--out F] [--paper a4|letter]
                                [--graph] [--no-structure]
    teachgrad sheet grade SHEET ANSWERS... [--seed N] [--roster CSV] [--json] [--csv BOOK]
                          [--gradescope F] [--summary] [--html F]
    teachgrad sheet variants SHEET --roster roster.csv --out DIR [--format md|tex|html|pdf] [--paper P]
    teachgrad sheet gradescope SHEET --out autograder.zip [--seed N] [--roster CSV] [--visibility V]
    teachgrad sheet prairielearn SHEET --out QUESTION_FOLDER [--topic T]

SHEET is a .toml file or the name of a shipped sheet (`seed002`, ...). `register(subparsers)`
adds the command to the main parser; the handler returns the exit code: 0, or 2 with one line
`error: ...` for a usage error or a sheet file that cannot be used. Grading grades EVERY
answers file it can: a file that cannot be read or graded gets an error row (text, JSON, CSV,
Gradescope) naming file, line and reason, and the exit status is then 1, after the whole
batch. Slips do not change the exit status (finding them is the point). `--json` prints a list
of reports (always valid JSON, ASCII only); `--csv` rewrites the gradebook by student (a regrade
replaces the row); `--summary` adds the class summary, which the `--html` report also shows.
Text goes to stdout in its encoding, characters it cannot show replaced (a Windows console).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from html import escape
from pathlib import Path
from typing import Any, NoReturn

from ..safetext import clean_text
from .batch import (ClassSummary, ErrorReport, Result, assign_seeds, grade_files, read_roster,
                    update_gradebook, write_roster)
from .errors import SheetError
from .booklets import write_booklets
from .figures import page_figure
from .files import find_sheet, library_names
from .gradescope import VISIBILITIES, write_autograder
from .handout import PAPERS
from .key import write_key
from .prairielearn import write_question
from .printcss import print_css
from .printing import HANDOUT_FORMATS, save_handout

__all__ = ["register", "run"]


def _one_line_errors(parser: argparse.ArgumentParser) -> None:
    """Make `parser` report a usage error as one line `error: ...` and exit 2."""
    def error(message: str) -> NoReturn:
        print(f"error: {message}", file=sys.stderr)
        sys.exit(2)
    # On this one instance (sub-parsers are made by argparse, so no subclass); setattr because
    # type checkers refuse assigning to a method.
    setattr(parser, "error", error)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `sheet` (solve, blank, grade, variants, gradescope, prairielearn) to a sub-parsers object."""
    sheet = subparsers.add_parser("sheet", help="worksheets: solution keys, blank sheets, grading",
                                  description=__doc__.split("\n")[0])
    actions = sheet.add_subparsers(dest="sheet_action",
                                   metavar="{solve,blank,grade,variants,gradescope,prairielearn}")
    for name, text in (("solve", "the solution key, worked step by step"),
                       ("blank", "the worksheet with the asked numbers left blank")):
        p = actions.add_parser(name, help=text)
        p.add_argument("sheet", help=f"a sheet .toml file or a shipped sheet ({', '.join(library_names())})")
        p.add_argument("--format", choices=HANDOUT_FORMATS, default="md",
                       help="md (default), tex, html or pdf (pdf needs teachgrad[pdf] and --out)")
        p.add_argument("--seed", type=int, help="draw this student's variant (sheets with ranges)")
        p.add_argument("--out", help="write to this file instead of stdout (html and pdf embed the "
                       "diagram; md and tex get it beside the file; a blank has none unless --graph)")
        p.add_argument("--paper", choices=PAPERS, default="a4", help="the printed page: a4 (default) or letter")
        p.add_argument("--graph", action="store_true", help="the blank graph (values filled in, "
                       "empty gradient boxes); with solve, its key: the backward diagram")
        if name == "blank":
            p.add_argument("--no-structure", dest="structure", action="store_false",
                           help="hide the chain-rule skeleton (the formulas): students write it too")
        _one_line_errors(p)
    g = actions.add_parser("grade", help="grade answers files with error carried forward")
    g.add_argument("sheet", help="a sheet .toml file or a shipped sheet name")
    g.add_argument("answers", nargs="+", help="one or more answers .toml files")
    g.add_argument("--seed", type=int, help="the variant (when the answers file gives no seed)")
    g.add_argument("--roster", help="the class roster CSV (name, id, seed): each student's seed")
    g.add_argument("--json", action="store_true", help="print a list of reports as JSON")
    g.add_argument("--csv", help="write one row per student to this gradebook CSV (rewritten by student)")
    g.add_argument("--gradescope", help="write Gradescope's results.json here (one answers file)")
    g.add_argument("--summary", action="store_true", help="add the class summary")
    g.add_argument("--html", help="write an HTML report (every submission and the class summary)")
    _one_line_errors(g)
    v = actions.add_parser("variants", help="a blank sheet and a key per student of a roster")
    v.add_argument("sheet", help="a sheet .toml file or a shipped sheet name")
    v.add_argument("--roster", required=True, help="CSV with a header naming name and id")
    v.add_argument("--out", required=True, help="the folder to write into")
    v.add_argument("--format", choices=HANDOUT_FORMATS, default="md", help="md (default), tex, html "
                   "or pdf (one booklet per student, the keys, and all booklets merged for printing)")
    v.add_argument("--paper", choices=PAPERS, default="a4", help="the printed page: a4 (default) or letter")
    _one_line_errors(v)
    gs = actions.add_parser("gradescope", help="a Gradescope autograder zip for the sheet")
    gs.add_argument("sheet", help="a sheet .toml file or a shipped sheet name")
    gs.add_argument("--out", required=True, help="the zip to write (autograder.zip)")
    gs.add_argument("--seed", type=int, help="the variant every submission is graded against "
                    "(otherwise each answers file gives its seed)")
    gs.add_argument("--roster", help="the class roster CSV (name, id, seed; email optional): "
                    "each submitter's variant")
    gs.add_argument("--visibility", choices=VISIBILITIES, default="visible",
                    help="when students see each test's result (default visible)")
    _one_line_errors(gs)
    pl = actions.add_parser("prairielearn", help="a PrairieLearn question folder for the sheet")
    pl.add_argument("sheet", help="a sheet .toml file or a shipped sheet name")
    pl.add_argument("--out", required=True, help="the question folder to write")
    pl.add_argument("--topic", default="Backpropagation", help="info.json's topic")
    _one_line_errors(pl)
    _one_line_errors(sheet)
    sheet.set_defaults(handler=run)


def _key(args: argparse.Namespace) -> int:
    problem = find_sheet(args.sheet).problem(args.seed)
    blank = args.sheet_action == "blank"
    structure = getattr(args, "structure", True)
    if args.out:
        written, note = save_handout(problem, Path(args.out), args.format, blank, structure,
                                     args.paper, args.graph)
        for path in written:
            print(f"wrote {path}")
        if note:
            print(f"note: no diagram: {note}", file=sys.stderr)
        return 0
    if args.format == "pdf":
        raise SheetError("--format pdf writes a file: give --out FILE.pdf")
    svg = ""
    if args.format == "html" and (args.graph or not blank):
        figure = page_figure(problem, args.paper, blank, True if args.graph else None)[0]
        svg = figure.svg if figure else ""
    _write(write_key(problem, args.format, blank, diagram_svg=svg, structure=structure,
                     paper=args.paper))
    return 0


def _write(text: str) -> None:
    """Write to stdout; characters its encoding cannot show (a cp1252 console) are replaced."""
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        text = text.encode(encoding, errors="replace").decode(encoding, errors="replace")
    sys.stdout.write(text)


def _html_report(results: list[Result], summary: ClassSummary | None,
                 path: Path | None = None) -> str:
    from ..diagram.graded_page import graded_section  # pictures need graphviz: only here
    parts = []
    written: set[Path] = set()
    for result in results:
        if isinstance(result, ErrorReport):
            parts.append(f"<h2>{escape(clean_text(result.student))}</h2><p>{escape(result.summary())}</p>")
        else:
            seed = f" (seed {result.seed})" if result.seed is not None else ""
            flag = " — flagged" if result.suspect else ""
            # each row links to its step of a stepper page written beside the report, and
            # the graph shows the verdicts (autograd.diagram.graded)
            links, figure = ({}, "") if path is None else graded_section(
                result, path.parent, path.stem, written)
            parts.append(f"<h2>{escape(clean_text(result.student))}{seed}{flag}</h2>"
                         f"{result.to_html(links)}{figure}")
    title = escape(clean_text(results[0].sheet_name)) if results else "grades"
    body = (summary.to_html() if summary else "") + "".join(parts)
    return ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>Grades: {title}</title><style>{print_css()}</style></head>"
            f"<body>{body}</body></html>\n")  # printable: page numbers, tables kept together


def _grade(args: argparse.Namespace) -> int:
    if args.gradescope and len(args.answers) != 1:
        raise SheetError("--gradescope writes the results of ONE submission: give one answers file")
    sheet = find_sheet(args.sheet)
    roster = read_roster(args.roster) if args.roster else []
    results = grade_files(sheet, args.answers, args.seed, roster)
    summary = ClassSummary.of(results) if args.summary or args.html else None
    if args.json:
        data: Any = [r.to_json() for r in results]
        if args.summary and summary is not None:
            data = {"reports": data, "summary": summary.to_json()}
        _write(json.dumps(data, indent=2, allow_nan=False) + "\n")
    else:
        text = "\n\n".join(r.to_text() for r in results)
        if args.summary and summary is not None:
            text += "\n\n" + summary.to_text()
        _write(text + "\n")
    if args.csv:
        update_gradebook(args.csv, results)
    if args.gradescope:
        Path(args.gradescope).write_text(json.dumps(results[0].gradescope(), indent=2), encoding="utf-8")
    if args.html:
        Path(args.html).write_text(_html_report(results, summary, Path(args.html)),
                                   encoding="utf-8")
    failed = sum(isinstance(r, ErrorReport) for r in results)
    if failed:
        print(f"error: {failed} of {len(results)} files could not be graded (see their rows)",
              file=sys.stderr)
    return 1 if failed else 0


def _file_name(text: str) -> str:
    """A student's name as a safe file name: letters, digits, - and _ only."""
    return re.sub(r"[^A-Za-z0-9_-]+", "_", text).strip("_")[:60] or "student"


def _variants(args: argparse.Namespace) -> int:
    sheet = find_sheet(args.sheet)
    roster = assign_seeds(sheet, read_roster(args.roster))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if args.format == "pdf":  # booklets: one per student, the keys, one merged file to print
        for path in write_booklets(sheet, roster, out, args.paper):
            print(f"wrote {clean_text(str(path))}")
        write_roster(out / "roster.csv", roster)
        return 0
    names: set[str] = set()
    for row in roster:
        stem = _file_name(f"{row['name']}_{row['id']}")
        if stem in names:
            raise SheetError(f"two students give the same file name {stem!r}: make names or ids distinct")
        names.add(stem)
        problem = sheet.problem(int(row["seed"]))
        for blank, kind in ((True, "blank"), (False, "key")):
            path = out / f"{stem}.{kind}.{args.format}"
            path.write_text(write_key(problem, args.format, blank, paper=args.paper), encoding="utf-8")
    written = write_roster(out / "roster.csv", roster)
    distinct = len({tuple(sheet.numbers(int(r["seed"])).items()) for r in roster})
    print(f"wrote a blank sheet and a key for {len(roster)} students into {clean_text(str(out))}; "
          f"{distinct} distinct variants; seeds in {clean_text(str(written))}")
    return 0


def _platform(args: argparse.Namespace) -> int:
    """gradescope / prairielearn: the sheet's file is copied, so a shipped name is resolved."""
    sheet = find_sheet(args.sheet)
    path = sheet.source
    if args.sheet_action == "gradescope":
        roster = assign_seeds(sheet, read_roster(args.roster)) if args.roster else []
        print(f"wrote {write_autograder(path, args.out, args.seed, args.visibility, roster)}")
    else:
        for written in write_question(path, args.out, args.topic):
            print(f"wrote {written}")
    return 0


def run(args: argparse.Namespace) -> int:
    """The handler of `sheet`: run the chosen action; 2 with `error: ...` when it cannot."""
    if not getattr(args, "sheet_action", None):
        print("error: choose an action: sheet solve, blank, grade, gradescope or prairielearn",
              file=sys.stderr)
        return 2
    action = {"grade": _grade, "variants": _variants, "gradescope": _platform,
              "prairielearn": _platform}.get(args.sheet_action, _key)
    try:
        return action(args)
    except SheetError as exc:
        print(f"error: {clean_text(str(exc), 500)}", file=sys.stderr)
        return 2
    except OSError as exc:  # an --out / --csv / --gradescope path that cannot be written
        print(f"error: cannot write: {clean_text(str(exc), 500)}", file=sys.stderr)
        return 2
