"""Seed 001 Q10 and Q13: Jacobians of vector functions, one output (one graph) at a time.

A scalar engine gets a Jacobian row by row: backpropagate from each output in turn. Q10
composes G(a, b) = (c, d, e) = (a - 5b, ab, a - b) with F(c, d, e) = (3cd, d - e); Q13 asks
for the gradient of (2x + 3y)^2, the Jacobian of (x^2 + 2y, 3x + 4y^2) at (1, 2), and the
derivative of that F after G(x) = (x, x^2). The solution prints formulas; each stage evaluates
them at a point (Q10 at (a, b) = (2, 3), Q13a at (1, 2), Q13c at x = 2: our choices) and
compares them with the engine (digits=False).

What the checker finds: in Q10 the solution wrote dF1/de = 3ab, but F1 = 3cd has no e (it is
0), so its dF1/da = 9ab - 15b^2 and dF1/db = 3a^2 - 33ab are wrong (truth 6ab - 15b^2 and
3a^2 - 30ab). dF1/de itself is not a node of F1's graph, so only its consequences are checked.
The F2 row and all of Q13 are right.

Why this stays a Python module: a Jacobian is one backward pass per output, and the printed
answers are formulas checked at points of our choice; a sheet has one root and printed digits.
"""
from __future__ import annotations

from typing import TypedDict

from ..value import Value
from .base import Example, Printed, Stage

NAME = "seed001_jacobians"
class _Exact(TypedDict):
    """The keywords of a stage whose printed numbers are formulas (exact, no printed digits)."""

    rtol: float
    digits: bool


_EXACT: _Exact = {"rtol": 1e-12, "digits": False}


def _q10() -> list[Stage]:
    a0, b0 = 2.0, 3.0
    stages = []
    for out in ("F1", "F2"):
        a, b = Value(a0, label="a"), Value(b0, label="b")
        c, d, e = (a - 5 * b).named("c"), (a * b).named("d"), (a - b).named("e")
        if out == "F1":
            root = (3 * c * d).named("F1")
            printed: dict[str, Printed] = {"c": (None, 3 * a0 * b0), "d": (None, 3 * (a0 - 5 * b0)),
                       "a": (None, 9 * a0 * b0 - 15 * b0 ** 2), "b": (None, -33 * a0 * b0 + 3 * a0 ** 2)}
            why = "the spurious dF1/de = 3ab (it is 0) adds to it"
            notes = {("a", "grad"): ("slip", why), ("b", "grad"): ("slip", why)}
        else:
            root = (d - e).named("F2")
            printed = {"d": (None, 1.0), "e": (None, -1.0), "a": (None, b0 - 1), "b": (None, a0 + 1)}
            notes = {}
        stages.append(Stage(f"q10_{out}", f"Q10: row {out} of the Jacobian of F(G(a, b))", root,
                            printed, notes, **_EXACT))
    return stages


def _q13() -> list[Stage]:
    x, y = Value(1.0, label="x"), Value(2.0, label="y")
    f = ((2 * x + 3 * y) ** 2).named("f")
    stages = [Stage("q13a", "Q13a: gradient of (2x + 3y)^2 at (1, 2)", f,
                    {"x": (None, 8 * 1.0 + 12 * 2.0), "y": (None, 12 * 1.0 + 18 * 2.0)},
                    inputs=(x, y), **_EXACT)]
    for row, build, formula in (("F1", lambda x, y: x ** 2 + 2 * y, (2 * 1.0, 2.0)),
                                ("F2", lambda x, y: 3 * x + 4 * y ** 2, (3.0, 8 * 2.0))):
        x, y = Value(1.0, label="x"), Value(2.0, label="y")
        stages.append(Stage(f"q13b_{row}", f"Q13b: row {row} of DF at (1, 2)", build(x, y).named(row),
                            {"x": (None, formula[0]), "y": (None, formula[1])}, **_EXACT))
    for row, slope in (("H1", 6 * 2.0), ("H2", 3 + 16 * 2.0 ** 3)):
        x = Value(2.0, label="x")
        g1, g2 = x, (x ** 2).named("x^2")  # G(x) = (x, x^2)
        h = (g1 ** 2 + 2 * g2) if row == "H1" else (3 * g1 + 4 * g2 ** 2)
        stages.append(Stage(f"q13c_{row}", f"Q13c: d/dx of row {row} of F(G(x)) at x = 2",
                            h.named(row), {"x": (None, slope)}, **_EXACT))
    return stages


def build() -> Example:
    """One stage per output row."""
    return Example(NAME, "Jacobians of vector functions, row by row",
                   "homework 001, questions 10 and 13", __doc__, _q10() + _q13())
