"""The `sheet` sub-command: solution keys, blank worksheets and grading from the command line.

    teachgrad sheet solve SHEET [--format md|tex|html|pdf] [--seed N] [--out F] [--paper a4|letter] [--graph]
    teachgrad sheet blank SHEET [--format md|tex|html|pdf] [--seed N] [--out F] [--paper a4|letter]
                                [--graph] [--no-structure]
    teachgrad sheet grade SHEET ANSWERS... [--seed N] [--json] [--csv BOOK] [--gradescope F]
    teachgrad sheet gradescope SHEET --out autograder.zip [--seed N] [--visibility V]
    teachgrad sheet prairielearn SHEET --out QUESTION_FOLDER [--topic T]

SHEET is a .toml file or the name of a shipped sheet (`seed002`, ...). `register(subparsers)`
adds the command to the main parser; the handler returns the exit code: 0, or 2 with one line
`error: ...` for a usage error or a sheet/answers file that cannot be used. Grading exits 0
even when there are slips (finding them is the point).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import NoReturn

from .answers import load_answers
from .errors import SheetError
from .figures import page_figure
from .files import find_sheet, library_names
from .grade import grade
from .gradescope import VISIBILITIES, write_autograder
from .handout import PAPERS
from .key import write_key
from .prairielearn import write_question
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
    """Add `sheet` (with `solve`, `blank`, `grade`) to an argparse sub-parsers object."""
    sheet = subparsers.add_parser("sheet", help="worksheets: solution keys, blank sheets, grading",
                                  description=__doc__.split("\n")[0])
    actions = sheet.add_subparsers(dest="sheet_action",
                                   metavar="{solve,blank,grade,gradescope,prairielearn}")
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
    g.add_argument("--json", action="store_true", help="print the verdicts as JSON")
    g.add_argument("--csv", help="append one row per answers file to this gradebook CSV")
    g.add_argument("--gradescope", help="write Gradescope's results.json here (one answers file)")
    _one_line_errors(g)
    gs = actions.add_parser("gradescope", help="a Gradescope autograder zip for the sheet")
    gs.add_argument("sheet", help="a sheet .toml file or a shipped sheet name")
    gs.add_argument("--out", required=True, help="the zip to write (autograder.zip)")
    gs.add_argument("--seed", type=int, help="the variant every submission is graded against "
                    "(otherwise each answers file gives its seed)")
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
        figure = page_figure(problem, args.paper, blank=blank)[0]
        svg = figure.svg if figure else ""
    sys.stdout.write(write_key(problem, args.format, blank, diagram_svg=svg, structure=structure,
                               paper=args.paper))
    return 0


def _grade(args: argparse.Namespace) -> int:
    if args.gradescope and len(args.answers) != 1:
        raise SheetError("--gradescope writes the results of ONE submission: give one answers file")
    sheet = find_sheet(args.sheet)
    reports = [grade(sheet, load_answers(path), args.seed) for path in args.answers]
    if args.json:
        data = [dict(r.to_json(), student=r.student) for r in reports]
        print(json.dumps(data[0] if len(data) == 1 else data, indent=2))
    else:
        print("\n\n".join(r.to_text() for r in reports))
    if args.csv:
        for report in reports:
            report.append_csv(args.csv)
    if args.gradescope:
        Path(args.gradescope).write_text(json.dumps(reports[0].gradescope(), indent=2), encoding="utf-8")
    return 0


def _platform(args: argparse.Namespace) -> int:
    """gradescope / prairielearn: the sheet's file is copied, so a shipped name is resolved."""
    path = find_sheet(args.sheet).source
    if args.sheet_action == "gradescope":
        print(f"wrote {write_autograder(path, args.out, args.seed, args.visibility)}")
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
    try:
        if args.sheet_action in ("gradescope", "prairielearn"):
            return _platform(args)
        return _grade(args) if args.sheet_action == "grade" else _key(args)
    except SheetError as exc:
        print(f"error: {exc}".replace("\n", " "), file=sys.stderr)
        return 2
    except OSError as exc:  # an --out / --csv / --gradescope path that cannot be written
        print(f"error: cannot write: {exc}", file=sys.stderr)
        return 2
