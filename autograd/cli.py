"""The command line, `python -m autograd` or `teachgrad`.

    python -m autograd examples list
    python -m autograd examples run seed002 [--out DIR] [--all-stages] [--precision N]
    python -m autograd demo
    python -m autograd sheet solve|blank|grade ...   (autograd/sheets/cli.py)

`examples run` builds a worked example, prints its forward and backward tables and the checker's
verdict on the numbers printed in the original solution, and writes the forward diagram, the
backward diagram and the step-by-step backward page into DIR (default ./teachgrad-out/NAME).
It exits 0 even when the solution has slips (finding them is the point); usage errors exit 2.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .value import Value


def demo() -> int:
    """Build L = (a*b + c) * f, backpropagate, print every value and gradient."""
    a, b, c = Value(2.0, label="a"), Value(-3.0, label="b"), Value(10.0, label="c")
    e = (a * b).named("e")
    d = (e + c).named("d")
    f = Value(-2.0, label="f")
    loss = (d * f).named("L")
    loss.backward()
    for node in (a, b, c, e, d, f, loss):
        print(f"{node.label:>2} = {node.data:8.4f}   dL/d{node.label} = {node.grad:8.4f}")
    return 0


def _list() -> int:
    from . import examples
    width = max(map(len, examples.names()))
    for name in examples.names():
        print(f"{name.ljust(width)}  {examples.describe(name)}")
    return 0


def _run(args) -> int:
    from . import examples
    from .examples.runner import report_text, write_files
    example = examples.get(args.name)
    print(report_text(example, precision=args.precision))
    if args.no_diagrams:
        return 0
    out = Path(args.out) if args.out else Path("teachgrad-out") / example.name
    written, problem = write_files(example, out, all_stages=args.all_stages)
    print(f"\nFiles written to {out.resolve()}:")
    for path in written:
        print(f"  {path.name}")
    if problem:
        print(f"\nNote: {problem}", file=sys.stderr)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m autograd", description=__doc__.split("\n")[0],
                                     epilog="see `python -m autograd examples --help`")
    sub = parser.add_subparsers(dest="command", metavar="{examples,demo,sheet}")
    sub.add_parser("demo", help="a small expression, forward and backward")
    ex = sub.add_parser("examples", help="the worked examples from the seed homework solutions")
    ex_sub = ex.add_subparsers(dest="action", metavar="{list,run}")
    ex_sub.add_parser("list", help="list the worked examples")
    run = ex_sub.add_parser("run", help="run one worked example: tables, checker verdict, diagrams")
    run.add_argument("name", help="an example name from `examples list` (or seed000 .. seed004)")
    run.add_argument("--out", help="folder for the diagrams (default ./teachgrad-out/NAME)")
    run.add_argument("--all-stages", action="store_true", help="draw every stage, not just the first")
    run.add_argument("--precision", type=int, default=6, help="decimals in the tables (default 6)")
    run.add_argument("--no-diagrams", action="store_true", help="print the tables only")
    from .sheets.cli import register  # the worksheet commands register themselves
    register(sub)
    return parser


def main(argv=None) -> int:
    """Entry point of `python -m autograd` and the `teachgrad` console script; returns the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)  # exits 2 with a message on a usage error
    if getattr(args, "handler", None):
        return args.handler(args)
    if args.command == "demo":
        return demo()
    if args.command == "examples" and args.action == "list":
        return _list()
    if args.command == "examples" and args.action == "run":
        from . import examples
        try:
            examples.describe(args.name)  # resolves short names; cheap: builds no graph
        except KeyError:
            parser.error(f"no worked example named {args.name!r}; try `python -m autograd examples list`")
        if not 0 <= args.precision <= 17:
            parser.error(f"--precision must be from 0 to 17, got {args.precision}")
        return _run(args)
    parser.print_help(sys.stderr)
    return 2
