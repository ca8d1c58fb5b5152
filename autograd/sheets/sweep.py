"""A worksheet's forward sweep: `[ask] jvp = { x = 1.0 }` asks for the derivative of the root in a
direction of the leaves (one leaf at 1 and the rest 0: an entry of a Jacobian column), and the
key writes the tangents of every named node, in forward order, the way forward mode works them:

    ṫ(z) = ∂z/∂w·ṫ(w) + ∂z/∂x·ṫ(x) = x·1 + w·0 = 0.05

Each local derivative is the one the backward pass writes (`symbolic.derivative`, from the op
table's edge formulas); each result is the engine's tangent (`autograd.tangents`), at full
precision, printed to the sheet's digits.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from ..tangents import push_tangents
from .errors import SheetError, where
from .expr import names_in
from .symbolic import derivative, top_level_sum

if TYPE_CHECKING:
    from .sheet import Problem

__all__ = ["checked_direction", "tangents", "sweep_lines", "direction_text", "TANGENT"]

TANGENT = "ṫ"


def checked_direction(given: object, leaves: Sequence[str], source: str, line: int
                      ) -> dict[str, float]:
    """`[ask] jvp` as {leaf: tangent} ({} when not asked); a SheetError naming what is wrong."""
    if given is None:
        return {}
    if not isinstance(given, dict) or not given:
        raise SheetError(where(source, line) + "[ask] jvp must be a table of input or parameter "
                         f"names and their tangents, e.g. jvp = {{ x = 1.0 }}, got {given!r}")
    direction = {}
    for name, value in given.items():
        if name not in leaves:
            raise SheetError(where(source, line, name) + "[ask] jvp: a tangent is given to an "
                             f"input or a parameter (this sheet has {', '.join(leaves)})")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value - value:
            raise SheetError(where(source, line, name) + f"[ask] jvp: the tangent must be a "
                             f"finite number, got {value!r}")
        direction[name] = float(value)
    return direction


def direction_text(direction: Mapping[str, float], fmt: Callable[[float], str]) -> str:
    """'ṫ(w) = 1' or 'ṫ(x) = 1, ṫ(y) = 0.5': the seed as the key writes it."""
    return ", ".join(f"{TANGENT}({name}) = {fmt(t)}" for name, t in direction.items())


def tangents(problem: Problem) -> dict[str, float]:
    """Every named quantity's tangent along the sheet's direction (0.0 where none flows)."""
    direction = problem.sheet.jvp
    pushed = push_tangents(list(problem.nodes.values()),
                           {problem.nodes[name]: t for name, t in direction.items()})
    return {name: float(pushed.get(node, 0.0)) for name, node in problem.nodes.items()}


def sweep_lines(problem: Problem, fmt: Callable[[float], str], result: Callable[[float], str],
                blank: bool = False, blank_mark: str = "________") -> list[str]:
    """The forward sweep, one line per named node in forward order ([] when jvp is not asked).

    `fmt` prints the numbers substituted into formulas, `result` each line's result; `blank`
    leaves the results empty (the worksheet handed out), marking the root's as asked.
    """
    sheet = problem.sheet
    if not sheet.jvp:
        return []
    t = tangents(problem)
    shown = {n: fmt(v) for n, v in problem.values.items()}
    lines = [f"{TANGENT}({name}) = {fmt(value)} (given)" for name, value in sheet.jvp.items()]
    order = sheet.order
    for node, tree in sheet.nodes.items():
        used = sorted((n for n in names_in(tree) if t[n] != 0.0), key=order.index)
        head = f"{TANGENT}({node})"
        if blank:
            lines.append(f"{head} = {blank_mark}" + (" (asked)" if node == sheet.root else ""))
            continue
        if not used:  # nothing seeded reaches it
            lines.append(f"{head} = 0")
            continue
        formula, numbers = [], []
        for name in used:
            local = derivative(tree, name, node, problem.values)
            formula.append(f"∂{node}/∂{name}·{TANGENT}({name})")
            term = local.text(shown, fmt)
            wrap = top_level_sum(term) or term.startswith("-")
            numbers.append(f"({term})·{fmt(t[name])}" if wrap else f"{term}·{fmt(t[name])}")
        lines.append(f"{head} = {' + '.join(formula)} = {' + '.join(numbers)} = "
                     f"{result(t[node])}")
    return lines
