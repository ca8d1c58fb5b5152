"""The command line: `python -m autograd demo` builds a small expression and backpropagates it."""
from __future__ import annotations

import argparse

from .value import Value


def demo() -> int:
    """Build L = (a*b + c).tanh(), backpropagate, print every value and gradient."""
    a, b, c = Value(2.0, label="a"), Value(-3.0, label="b"), Value(10.0, label="c")
    e = (a * b).named("e")
    d = (e + c).named("d")
    f = Value(-2.0, label="f")
    loss = (d * f).named("L")
    loss.backward()
    for node in (a, b, c, e, d, f, loss):
        print(f"{node.label:>2} = {node.data:8.4f}   dL/d{node.label} = {node.grad:8.4f}")
    return 0


def main(argv=None) -> int:
    """Entry point of `python -m autograd` and the `teachgrad` console script."""
    parser = argparse.ArgumentParser(prog="python -m autograd", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("demo", help="a small expression, forward and backward")
    args = parser.parse_args(argv)
    if args.command in (None, "demo"):
        return demo()
    parser.error(f"unknown command {args.command!r}")
    return 2
