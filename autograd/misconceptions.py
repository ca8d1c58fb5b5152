"""The catalogue of named misconceptions: typical backprop errors, each a mutation of a formula.

    >>> sorted(CATALOGUE)[:3]
    ['activation_for_derivative', 'dropped_factor', 'input_for_output']
    >>> alts = edge_alternatives("sigmoid", (1.0,), 0.7310585786, None, 0, upstream=2.0)
    >>> round(alts["activation_for_derivative"], 4), round(alts["no_upstream"], 4)
    (1.4621, 0.1966)
    >>> diagnose("1.462", alts, 4)
    'activation_for_derivative'

`CATALOGUE` maps a code to a `Misconception` (title, one sentence for the student). The codes:

- `sign_flip`: the right magnitude with the wrong sign;
- `no_upstream`: the local derivative alone, the upstream gradient not multiplied in;
- `missed_path`: a quantity used twice, one path's contribution only;
- `dropped_factor`: a constant factor left out (a square's 2, a mean's 1/n, a product's
  constant coefficient);
- `activation_for_derivative`: the activation written for its derivative (σ for σ',
  1 - h for tanh's 1 - h²);
- `input_for_output`: a derivative written in terms of the input where the output belongs
  (σ'(z) as z(1 - z)), or the reverse (log's 1/x as 1/out).

**One edge** (`edge_alternatives`): for one chain-rule edge (an op-table row, its input
numbers, its output, pow's exponent, the input index, the upstream gradient) the wrong
numbers each misconception gives, {code: number}. The per-op parts live in ONE table,
`MUTATIONS` (code -> op -> `Mutation`: the wrong local derivative as a formula in the op
table's edge notation, `{x}`, `{y}`, `{out}`, `{p}`, and its rule), so they can move onto
the parsed derivative formulas of the op rows unchanged. `sign_flip` and `no_upstream` apply
to every edge and need no table.

**A total** (`total_alternatives`): a node's gradient summed from its per-path contributions;
`missed_path` is each single contribution (and each sum leaving one out), when there are two
or more paths. `chain_alternatives(terms)` combines both for a gradient written as a sum over
paths of `upstream x local x local ...` (`Edge`s): what the sheet grader and `autograd.check`
use.

**Diagnosis** (`diagnose`): the first code, in catalogue order, one of whose numbers the
student's printed answer matches under the precision policy (`autograd.grading.verdict`
correct or rounding at the required digits), or None. The sheet grader calls it on a slip,
with alternatives computed from the student's OWN earlier numbers; practice pages embed the
alternatives.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
import math
from typing import Union

from .grading import ACCEPTED, Diagnosis, NumberError, verdict
from .ops import OPS

__all__ = ["Misconception", "Mutation", "CATALOGUE", "MUTATIONS", "CODES", "Alternatives",
           "Edge", "local_mutations", "edge_alternatives", "total_alternatives",
           "chain_alternatives", "diagnose", "diagnosis"]


@dataclass(frozen=True)
class Misconception:
    """One named misconception: its code, a short title, one sentence for the student."""

    code: str
    title: str
    text: str


CATALOGUE: dict[str, Misconception] = {m.code: m for m in (
    Misconception("sign_flip", "sign flipped",
                  "the size is right but the sign is flipped: check the sign of each local "
                  "derivative (a subtraction's second input, cos' -sin)."),
    Misconception("no_upstream", "upstream gradient not multiplied",
                  "this is the local derivative alone: the chain rule multiplies it by the "
                  "gradient arriving from above."),
    Misconception("missed_path", "a path left out",
                  "this quantity is used more than once, and this is one path's contribution "
                  "only: add the contributions of every path."),
    Misconception("dropped_factor", "constant factor dropped",
                  "a constant factor is missing (a square's 2, a mean's 1/n, a constant "
                  "coefficient)."),
    Misconception("activation_for_derivative", "activation written for its derivative",
                  "the activation itself was used where its derivative belongs (σ for "
                  "σ(1 - σ), 1 - h for tanh's 1 - h²)."),
    Misconception("input_for_output", "input and output swapped in the derivative",
                  "the derivative was evaluated at the input where the output belongs "
                  "(z(1 - z) for σ'(z) = σ(1 - σ)), or the reverse."),
)}
CODES = tuple(CATALOGUE)  # the order a diagnosis prefers when several codes fit


@dataclass(frozen=True)
class Mutation:
    """A wrong local derivative: its formula (op-table edge notation) and its rule.

    `rule(x, y, out, p)` gives the number (y is 0.0 for a unary op, p is pow's exponent or
    0.0); `index` is the input it concerns; `constant` (for mul/div) says it applies only when
    the OTHER input is a literal constant (then the "factor" is a constant).
    """

    formula: str
    rule: Callable[[float, float, float, float], float]
    index: int = 0
    constant: bool = False


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))


# The per-op data of the catalogue, in one place: code -> op row -> the mutated local derivative.
MUTATIONS: dict[str, dict[str, tuple[Mutation, ...]]] = {
    "dropped_factor": {
        "pow": (Mutation("{x}^({p} - 1)", lambda x, y, out, p: x ** (p - 1)),),
        "mul": (Mutation("1", lambda x, y, out, p: 1.0, 0, True),
                Mutation("1", lambda x, y, out, p: 1.0, 1, True)),
        "div": (Mutation("1", lambda x, y, out, p: 1.0, 0, True),),
    },
    "activation_for_derivative": {
        "sigmoid": (Mutation("{out}", lambda x, y, out, p: out),),
        "tanh": (Mutation("1 - {out}", lambda x, y, out, p: 1.0 - out),),
        "softplus": (Mutation("{out}", lambda x, y, out, p: out),),
        "relu": (Mutation("{out}", lambda x, y, out, p: out),),
    },
    "input_for_output": {
        "sigmoid": (Mutation("{x}·(1 - {x})", lambda x, y, out, p: x * (1.0 - x)),),
        "tanh": (Mutation("1 - {x}²", lambda x, y, out, p: 1.0 - x * x),),
        "exp": (Mutation("{x}", lambda x, y, out, p: x),),
        "log": (Mutation("1/{out}", lambda x, y, out, p: 1.0 / out),),
        "sqrt": (Mutation("1/(2·√{out})", lambda x, y, out, p: 0.5 / math.sqrt(out)),),
        "softplus": (Mutation("σ({out})", lambda x, y, out, p: _sigmoid(out)),),
    },
}

Alternatives = Mapping[str, Union[float, Sequence[float]]]  # code -> a wrong number (or several)


def _correct_local(op: str, inputs: Sequence[float], output: float, param: float | None,
                   index: int) -> float:
    row = OPS[op]
    if row.arity == 1:
        return float(row.local(float(inputs[0]), output, param)[index])
    return float(row.local(float(inputs[0]), float(inputs[1]), output)[index])


def local_mutations(op: str, inputs: Sequence[float], output: float, param: float | None,
                    index: int, constants: Sequence[bool] = ()) -> dict[str, float]:
    """{code: the wrong LOCAL derivative} for one edge, from `MUTATIONS` (finite numbers only).

    `constants[i]` is True when input i is a literal constant of the formula (a mean's n).
    """
    x = float(inputs[0])
    y = float(inputs[1]) if len(inputs) > 1 else 0.0
    p = float(param) if param is not None else 0.0
    out: dict[str, float] = {}
    for code, table in MUTATIONS.items():
        for mutation in table.get(op, ()):
            other = 1 - mutation.index
            if mutation.index != index or (mutation.constant and not (
                    other < len(constants) and constants[other])):
                continue
            try:
                number = float(mutation.rule(x, y, output, p))
            except (ArithmeticError, ValueError):
                continue
            if math.isfinite(number):
                out.setdefault(code, number)
    return out


def edge_alternatives(op: str, inputs: Sequence[float], output: float, param: float | None,
                      index: int, upstream: float, constants: Sequence[bool] = ()) -> dict[str, float]:
    """{code: wrong upstream-times-local} for one chain-rule edge; codes that give the right
    number are left out."""
    if op not in OPS:
        raise KeyError(f"edge_alternatives: no op row {op!r}")
    right = upstream * _correct_local(op, inputs, output, param, index)
    found = {"sign_flip": -right, "no_upstream": right / upstream if upstream else right}
    found.update({code: upstream * local for code, local in
                  local_mutations(op, inputs, output, param, index, constants).items()})
    return {code: number for code, number in found.items()
            if math.isfinite(number) and not math.isclose(number, right, rel_tol=1e-12, abs_tol=0.0)}


def total_alternatives(contributions: Sequence[float]) -> dict[str, tuple[float, ...]]:
    """{"missed_path": (each single contribution, each sum leaving one out)} for 2+ paths."""
    parts = [float(c) for c in contributions]
    if len(parts) < 2:
        return {}
    total = math.fsum(parts)
    sums = {math.fsum(s) for k in range(1, len(parts)) for s in combinations(parts, k)
            if k in (1, len(parts) - 1)}
    return {"missed_path": tuple(s for s in sorted(sums)
                                 if not math.isclose(s, total, rel_tol=1e-12, abs_tol=0.0))}


@dataclass(frozen=True)
class Edge:
    """One chain-rule edge: an op row, its input numbers, output, pow's exponent, the input,
    which inputs are literal constants, and (optionally) the local derivative already known
    (an n-ary row's, which `local()` cannot recompute from two inputs)."""

    op: str
    inputs: tuple[float, ...]
    out: float
    param: float | None
    index: int
    constants: tuple[bool, ...] = ()
    known_local: float | None = None

    def local(self) -> float:
        """The op row's local derivative along this edge."""
        if self.known_local is not None:
            return self.known_local
        return _correct_local(self.op, self.inputs, self.out, self.param, self.index)


def _product(numbers: Sequence[float]) -> float:
    out = 1.0
    for n in numbers:
        out *= n
    return out


def chain_alternatives(terms: Sequence[tuple[float, Sequence[Edge]]]) -> dict[str, list[float]]:
    """{code: wrong totals} for a gradient summed over paths: `terms` are (upstream gradient,
    the path's edges top first). Each misconception mutates the sum as it says: one edge's
    local derivative (`MUTATIONS`), one path's sign, the upstream gradients left out, one
    path only. Numbers equal to the right total are left out."""
    try:
        locals_ = [[edge.local() for edge in path] for _, path in terms]
    except (ArithmeticError, ValueError, KeyError, TypeError, IndexError):
        return {}
    contributions = [g * _product(ls) for (g, _), ls in zip(terms, locals_)]
    total = math.fsum(contributions)
    found: dict[str, list[float]] = {"sign_flip": [-total], "no_upstream": []}
    if any(g != 1.0 for g, _ in terms):
        found["no_upstream"].append(math.fsum(_product(ls) for ls in locals_))
    for i, ((g, path), ls) in enumerate(zip(terms, locals_)):
        if len(terms) > 1:
            found["sign_flip"].append(total - 2 * contributions[i])
        for k, edge in enumerate(path):
            for code, wrong in local_mutations(edge.op, edge.inputs, edge.out, edge.param,
                                               edge.index, edge.constants).items():
                mutated = g * _product([*ls[:k], wrong, *ls[k + 1:]])
                found.setdefault(code, []).append(total - contributions[i] + mutated)
    found.update({code: list(v) for code, v in total_alternatives(contributions).items()})
    return {code: [x for x in numbers if math.isfinite(x)
                   and not math.isclose(x, total, rel_tol=1e-12, abs_tol=0.0)]
            for code, numbers in found.items()}


def diagnose(student: object, alternatives: Alternatives, digits: int) -> str | None:
    """The first code (catalogue order) whose number the printed `student` answer matches.

    Matches means `verdict(student, number, digits)` is correct or rounding: the precision
    policy at the required digits. None when no code fits (or the answer is not a number).
    """
    for code in sorted(alternatives, key=lambda c: CODES.index(c) if c in CODES else len(CODES)):
        numbers = alternatives[code]
        for number in (numbers,) if isinstance(numbers, (int, float)) else numbers:
            try:
                if math.isfinite(number) and verdict(student, float(number), digits) in ACCEPTED:
                    return code
            except NumberError:
                return None
    return None


def diagnosis(code: str | None) -> Diagnosis | None:
    """The `Diagnosis` (code and sentence) of a catalogue code; None for None."""
    if code is None:
        return None
    return Diagnosis(code, CATALOGUE[code].text)
