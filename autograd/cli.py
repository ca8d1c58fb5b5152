"""The command line, `teachgrad` or `python -m autograd`.

    teachgrad examples list
    teachgrad examples run seed002 [--out DIR] [--stage NAME] [--all-stages] [--precision N]
                                   [--format text|json] [--no-diagrams]
    teachgrad examples run all [--out DIR]
    teachgrad demo
    teachgrad ops
    teachgrad sheet solve|blank|grade SHEET ...   (autograd/sheets/cli.py)
    teachgrad practice seed002 [--out FILE] [--stage NAME] [--digits N] [--seed N]
    teachgrad --version

`examples run` builds a worked example, prints the checker's verdict on the numbers printed in
the original solution, its forward and backward tables, and writes the forward diagram, the
backward diagram and the step-by-step backward page into DIR (default ./teachgrad-out/NAME).
It exits 0 even when the solution has slips (finding them is the point); usage errors, and an
output folder that cannot be written (checked before any work), exit 2 with one line.

`practice` writes a practice page (`step_backward(root, practice=True)`) for a worked example or
a worksheet (`sheet-seed002` or a .toml path): the student types each gradient the backward
steps send and the page judges it as the sheet grader does. A sheet's page asks exactly the
gradients the sheet asks, at the sheet's digits (`--seed` draws a variant's numbers).

Sub-commands are added by registrars: functions `register(subparsers)` that add one parser
and give it a `handler(args) -> exit code` with `set_defaults`. To add a sub-command, write
such a function in its own module and append it to `REGISTRARS` (nothing else here changes).
"""
from __future__ import annotations

import argparse
import json
import sys
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from .numbers import format_number
from .value import Value

if TYPE_CHECKING:
    from .diagram import BackwardStepper

__all__ = ["main", "build_parser", "demo", "version", "fit_columns", "TERMINAL_COLUMNS",
           "REGISTRARS", "register_demo", "register_examples", "register_ops", "register_sheet",
           "register_practice", "practice_stepper"]

DEFAULT_OUT = Path("teachgrad-out")


def version() -> str:
    """The installed distribution's version ("unknown" when run from a tree never installed)."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as dist_version
    try:
        return dist_version("teachgrad")
    except PackageNotFoundError:
        return "unknown (not installed)"


def demo() -> int:
    """Build L = (a*b + c) * f, backpropagate, print every value and gradient."""
    a, b, c = Value(2.0, label="a"), Value(-3.0, label="b"), Value(10.0, label="c")
    e = (a * b).named("e")
    d = (e + c).named("d")
    f = Value(-2.0, label="f")
    loss = (d * f).named("L")
    loss.backward()
    for node in (a, b, c, e, d, f, loss):  # the one number format, as in diagrams and tables
        print(f"{node.label:>2} = {format_number(node.data):>6}   "
              f"dL/d{node.label} = {format_number(node.grad):>6}")
    return 0


TERMINAL_COLUMNS = 80


def fit_columns(head: str, text: str) -> str:
    """`head` then `text` wrapped to TERMINAL_COLUMNS, continuation lines indented under it."""
    return "\n".join(textwrap.wrap(text, width=TERMINAL_COLUMNS, initial_indent=head,
                                    subsequent_indent=" " * len(head), break_on_hyphens=False))


# What `add_subparsers()` returns; argparse names its class with an underscore but documents it.
Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
Handler = Callable[[argparse.Namespace], int]


def register_demo(subparsers: Subparsers) -> None:
    """The `demo` sub-command."""
    parser = subparsers.add_parser("demo", help="a small expression, forward and backward")
    parser.set_defaults(handler=lambda args: demo())


# --- examples ---------------------------------------------------------------------------------
def _list(args: argparse.Namespace) -> int:
    from . import examples
    every = examples.names() + examples.sheet_names()  # worksheets run the same way
    width = max(map(len, every))
    for name in every:
        print(fit_columns(f"{name.ljust(width)}  ", examples.describe(name)))
    return 0


def _help(parser: argparse.ArgumentParser) -> Handler:
    def handler(args: argparse.Namespace) -> int:
        parser.print_help(sys.stderr)
        return 2
    return handler


def _chosen(args: argparse.Namespace) -> list[str]:
    """The full names `args.name` denotes (every example for "all"); usage errors exit 2."""
    from . import examples
    from .examples.runner import resolve
    parser: argparse.ArgumentParser = args.parser
    if args.name == "all":
        if args.stage is not None:
            parser.error("--stage needs one example, not all")
        return examples.names()
    try:
        return [resolve(args.name)]
    except (LookupError, ValueError) as exc:
        parser.error(f"{exc}; see `{args.top_prog} examples list`")  # exits 2


def _out_folder(args: argparse.Namespace, name: str, several: bool) -> Path:
    base = Path(args.out) if args.out else DEFAULT_OUT
    return base / name if several or not args.out else base


def _run(args: argparse.Namespace) -> int:
    from . import examples
    from .examples.runner import (FILES_PER_STAGE, drawable_stages, folder_problem, report_data,
                                  report_text, select_stages, write_files)
    if not 1 <= args.precision <= 17:
        args.parser.error(f"--precision must be from 1 to 17 significant digits, "
                          f"got {args.precision}")
    names = _chosen(args)
    built = [examples.get(name) for name in names]  # builds graphs only: cheap, and checks --stage
    for example in built:
        try:
            select_stages(example, args.stage)
        except ValueError as exc:
            args.parser.error(str(exc))
    outs = [_out_folder(args, name, len(names) > 1) for name in names]
    if not args.no_diagrams:  # before any work: a folder we cannot write fails now, not at the end
        for out in outs:
            problem = folder_problem(out)
            if problem:
                print(f"{args.top_prog}: error: cannot write to '{out}': {problem}",
                      file=sys.stderr)
                return 2
    from tqdm.auto import tqdm  # the same bar as nn.fit; off when stderr is not a terminal

    units = [1 + (0 if args.no_diagrams else
                  FILES_PER_STAGE * len(drawable_stages(ex, args.all_stages, args.stage)))
             for ex in built]
    bar = tqdm(total=sum(units), desc="examples", unit="step", file=sys.stderr,
               disable=True if args.no_progress else None, leave=False)
    records, notes = [], []
    for example, out in zip(built, outs):
        if args.format == "json":
            record = report_data(example, args.stage)
        else:
            bar.write(report_text(example, args.precision, args.stage), file=sys.stdout)
        bar.update(1)
        if not args.no_diagrams:
            written, problem = write_files(example, out, args.all_stages, args.precision,
                                           args.stage, progress=bar.update)
            if args.format == "json":
                record.update(folder=str(out.resolve()), files=[p.name for p in written],
                              problem=problem)
            else:
                bar.write(f"Files written to {out.resolve()}:\n"
                          + "\n".join(f"  {p.name}" for p in written) + "\n", file=sys.stdout)
            if problem:
                notes.append(f"Note ({example.name}): {problem}")
        if args.format == "json":
            records.append(record)
    bar.close()
    if args.format == "json":
        print(json.dumps(records if len(records) > 1 else records[0], indent=2))
    for note in notes:
        print(note, file=sys.stderr)
    return 0


def register_examples(subparsers: Subparsers) -> None:
    """The `examples` sub-command and its actions `list` and `run`."""
    ex = subparsers.add_parser("examples", help="the worked examples from the seed homework")
    ex.set_defaults(handler=_help(ex))  # `examples` without an action: its help, exit 2
    actions = ex.add_subparsers(title="actions")
    actions.add_parser("list", help="list the worked examples").set_defaults(handler=_list)
    run = actions.add_parser("run", help="run one worked example: verdict, tables, diagrams")
    run.add_argument("name", help="an example name from `examples list`, a prefix that names "
                                  "only one (seed002), or `all`")
    run.add_argument("--out", help="folder for the diagrams (default ./teachgrad-out/NAME; "
                                   "with `all`, one sub-folder per example)")
    run.add_argument("--stage", help="only this stage of the example (tables and diagrams)")
    run.add_argument("--all-stages", action="store_true",
                     help="draw every stage, not just the first")
    run.add_argument("--precision", type=int, default=4,
                     help="significant digits, default 4")
    run.add_argument("--format", choices=("text", "json"), default="text",
                     help="text for people (default), json for machines")
    run.add_argument("--no-diagrams", action="store_true", help="print the report only")
    run.add_argument("--no-progress", action="store_true",
                     help="no progress bar (it is shown only on a terminal anyway)")
    run.set_defaults(handler=_run, parser=run)


# Each adds one sub-command; append another module's `register` to add yours.
def register_ops(subparsers: Subparsers) -> None:
    """The `ops` sub-command: the op table, one line per row, read from the rows themselves."""
    parser = subparsers.add_parser("ops", help="list every op of the table and its derivative")

    def handler(args: argparse.Namespace) -> int:
        from .ops import describe
        for line in describe().splitlines():  # describe() writes the op in 14 columns, a space
            print(fit_columns(line[:15], line[15:]))
        return 0
    parser.set_defaults(handler=handler)


def register_sheet(subparsers: Subparsers) -> None:
    """The `sheet` sub-command (worksheets: solve, blank, grade), defined in autograd/sheets."""
    from .sheets.cli import register
    register(subparsers)


# --- practice ---------------------------------------------------------------------------------
def practice_stepper(name: str, stage: str | None = None, digits: int | None = None,
                     seed: int | None = None) -> BackwardStepper:
    """The practice stepper of a worked example (its first stage, or `stage`) or a worksheet
    (`sheet-NAME` or a .toml path: it asks what the sheet asks, at the sheet's digits)."""
    from .diagram import step_backward
    from .examples import get
    from .examples.from_sheet import is_sheet_name
    from .examples.runner import resolve, select_stages
    full = resolve(name)  # LookupError / ValueError with the known names
    if is_sheet_name(full):
        from .sheets import find_sheet
        sheet = find_sheet(full.removeprefix("sheet-") if full.startswith("sheet-") else full)
        problem = sheet.problem(seed)
        asked = [problem.nodes[label] for label in sheet.grads if label in problem.nodes]
        return step_backward(problem.root, params=problem.params,
                             inputs=[problem.nodes[n] for n in sheet.inputs],
                             title=f"Practice: {sheet.title}", practice=True,
                             digits=digits or sheet.digits, ask=asked or None)
    example = get(full)
    chosen = [st for st in select_stages(example, stage) if isinstance(st.root, Value)]
    if not chosen:
        raise ValueError(f"{full} has no stage with a single output to practise on")
    st = chosen[0]
    st.run()
    root = st.root
    assert isinstance(root, Value)  # chosen keeps single roots only
    return step_backward(root, params=st.params, inputs=st.inputs, practice=True,
                         digits=digits, title=f"Practice: {example.name}: {st.title}")


def _practice(args: argparse.Namespace) -> int:
    from .examples.runner import folder_problem
    out = Path(args.out) if args.out else DEFAULT_OUT / f"{args.name}-practice.html"
    if args.digits is not None and not 1 <= args.digits <= 17:
        args.parser.error(f"--digits must be from 1 to 17 significant digits, got {args.digits}")
    problem = folder_problem(out.parent) or (
        "it is a folder, not a file name" if out.is_dir() else None)
    if problem:
        print(f"{args.top_prog}: error: cannot write '{out}': {problem}", file=sys.stderr)
        return 2
    try:
        stepper = practice_stepper(args.name, args.stage, args.digits, args.seed)
    except (LookupError, ValueError) as exc:
        args.parser.error(str(exc).strip("'\""))  # exits 2
    path = stepper.save(out)
    asked = sum(len(q) for q in stepper.questions or [])
    print(f"Practice page ({len(stepper.frames)} steps, {asked} questions) written to "
          f"{path.resolve()}")
    return 0


def register_practice(subparsers: Subparsers) -> None:
    """The `practice` sub-command: a practice page for a worked example or a worksheet."""
    parser = subparsers.add_parser("practice", help="a page where the student computes each "
                                   "gradient of the backward pass and the page answers")
    parser.add_argument("name", help="a worked example (seed002, ...) or a worksheet "
                                     "(sheet-seed002, or a path to a .toml sheet)")
    parser.add_argument("--out", help="the HTML file to write (default "
                                      "./teachgrad-out/NAME-practice.html)")
    parser.add_argument("--stage", help="for a worked example: the stage to practise "
                                        "(default the first)")
    parser.add_argument("--digits", type=int, help="significant digits an answer needs "
                                                   "(default: the sheet's, or 4)")
    parser.add_argument("--seed", type=int, help="for a sheet with variants: whose numbers")
    parser.set_defaults(handler=_practice, parser=parser)


REGISTRARS: list[Callable[[Subparsers], None]] = [register_examples, register_demo, register_ops,
                                                  register_sheet, register_practice]


def build_parser(prog: str | None = None) -> argparse.ArgumentParser:
    """The argument parser with every registered sub-command; prog defaults to argv[0]'s name."""
    parser = argparse.ArgumentParser(prog=prog, description=__doc__.split("\n")[0],
                                     epilog="see `%(prog)s examples --help`")
    parser.add_argument("--version", action="version", version=f"%(prog)s {version()}")
    subparsers = parser.add_subparsers(title="commands")
    for register in REGISTRARS:
        register(subparsers)
    parser.set_defaults(handler=_help(parser), top_prog=parser.prog)
    return parser


def main(argv: Sequence[str] | None = None, prog: str | None = None) -> int:
    """Entry point of `teachgrad` and `python -m autograd`; returns the exit code."""
    args = build_parser(prog).parse_args(argv)  # exits 2 with a message on a usage error
    try:
        return args.handler(args)
    except BrokenPipeError:  # `teachgrad ops | head`: the reader left; not an error of ours
        sys.stderr.close()  # nothing more can be written; keeps Python from a second traceback
        return 0
