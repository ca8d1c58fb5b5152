"""Practice mode's questions: what each backward step asks, the exact answers and the wrong
numbers each named misconception gives, all computed here when the page is built.

At a step, the node being processed sends `local derivative x its gradient` along each input
edge. The page asks for that number before showing it (`dL/dw = ?` for an input used once;
for one used on several paths, `dL/dw += ?` per path and, on its last path, the total). Each
question carries:

    exact   the engine's number;        key    it printed at the required digits ('0.07790')
    place   the decimal exponent of the last required digit (grading.required_place)
    alts    [[code, [[number, place], ...]], ...] in catalogue order: the numbers that
            `sign_flip`, `no_upstream`, `dropped_factor`, ... give for this edge
            (misconceptions.edge_alternatives), or for a total `missed_path`'s partial sums
    hints   the local derivative's formula, then the upstream gradient
    node, edge  the input's index in the order and the edge's position among the step's
            inputs: once every question about that input is answered, the page shows its
            grad field and the edge's text

so the page's script only compares a typed number with these under the grader's policy
(`autograd.grading.verdict`, mirrored in html.py). `ask`: only these Values' gradients are asked
(a worksheet's practice page asks what the sheet asks, each as its total).
"""
from __future__ import annotations

from collections.abc import Container, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..grading import key_number, required_place
from ..misconceptions import CATALOGUE, CODES, edge_alternatives, total_alternatives
from .annotate import grouped, local_formula
from .style import format_number, gets_gradient

if TYPE_CHECKING:
    from ..value import Value
    from .frames import Frame

__all__ = ["practice_data", "Question"]

Question = dict[str, Any]  # one asked number, as the page's script reads it (module docstring)


def _alternatives(node: Value, index: int, g: float) -> dict[str, float]:
    """{code: wrong number} for the edge from input `index` into `node` at upstream grad g."""
    parents = node.parents
    local = node.local[index]
    right = local * g
    try:
        return edge_alternatives(node.op, [p.data for p in parents], node.data,
                                 node.arg if node.op == "pow" else None, index, g,
                                 [not gets_gradient(p) for p in parents])
    except (KeyError, IndexError, TypeError, ValueError, ArithmeticError):
        # an op the catalogue's table does not cover (an n-ary sum): the two universal ones
        found = {"sign_flip": -right, "no_upstream": local}
        return {code: x for code, x in found.items() if x != right}


def _ordered(alts: Mapping[str, float | Sequence[float]], digits: int) -> list[list[Any]]:
    """Alternatives as the page reads them: catalogue order, each number with its place."""
    rows = []
    for code in sorted(alts, key=lambda c: CODES.index(c) if c in CODES else len(CODES)):
        numbers = alts[code]
        listed = [numbers] if isinstance(numbers, (int, float)) else list(numbers)
        rows.append([code, [[float(x), required_place(float(x), digits)] for x in listed]])
    return rows


def _question(ask: str, exact: float, digits: int, alts: Mapping[str, float | Sequence[float]],
              hints: list[str], node: int, edge: int) -> Question:
    return {"ask": ask, "exact": exact, "place": required_place(exact, digits),
            "key": key_number(exact, digits), "alts": _ordered(alts, digits), "hints": hints,
            "node": node, "edge": edge}


def practice_data(frames: Sequence[Frame], order: Sequence[Value], names: Mapping[Value, str],
                  digits: int, precision: int = 4,
                  ask: Container[Value] | None = None) -> dict[str, Any]:
    """{"q": per frame its questions, "codes": code -> sentence, "digits": digits}."""
    uses: dict[Value, int] = {}
    for node in order:
        for parent in node.parents:
            uses[parent] = uses.get(parent, 0) + 1
    index = {node: j for j, node in enumerate(order)}
    paths: dict[Value, list[float]] = {}  # the contributions each node has received so far
    fmt = lambda x: format_number(x, precision)  # noqa: E731  (a short local alias)
    pages: list[list[Question]] = []
    for frame in frames:
        node = frame.node
        g = frame.grads[frame.current] or 0.0
        d_node = f"dL/d{names[node]}"
        upstream = f"the gradient arriving from above is {d_node} = {fmt(g)}"
        asked: list[Question] = []
        for k, (parent, local) in enumerate(zip(node.parents, node.local)):
            if not gets_gradient(parent):
                continue
            part = local * g
            paths.setdefault(parent, []).append(part)
            if ask is not None and parent not in ask:
                continue
            formula = local_formula(node, k, names) or fmt(local).removesuffix(".0")
            local_hint = (f"the local derivative of {names[node]} with respect to "
                          f"{names[parent]} is {formula}")
            d_parent = f"dL/d{names[parent]}"
            alts = _alternatives(node, k, g)
            count, done = uses[parent], len(paths[parent])
            if count == 1:
                asked.append(_question(f"{d_parent} = ?", part, digits, alts,
                                       [local_hint, upstream], index[parent], k))
                continue
            if ask is None:  # every path of a reused input, then its total
                asked.append(_question(f"{d_parent} += ? (path {done} of {count})", part,
                                       digits, alts, [local_hint, upstream], index[parent], k))
            if done == count:
                total = sum(paths[parent])
                before = total - part
                wrong: dict[str, float | Sequence[float]] = {
                    code: before + x for code, x in alts.items() if code != "no_upstream"}
                wrong.update(total_alternatives(paths[parent]))
                wrong["sign_flip"] = (-total, before - part)  # all of it, or this path's
                sums = " + ".join(fmt(x) for x in paths[parent])
                asked.append(_question(
                    f"{d_parent} = ? (total of its {count} paths)", total, digits, wrong,
                    [f"{names[parent]} is used on {count} paths: add what every path sends",
                     f"the earlier paths sent {sums.rsplit(' + ', 1)[0]}; this last one sends "
                     f"{grouped(formula)}·{d_node}, and {upstream}"], index[parent], k))
        pages.append(asked)
    return {"q": pages, "codes": {code: m.text for code, m in CATALOGUE.items()},
            "digits": digits}
