"""The benchmark suite: which workloads run at which sizes, on which engines, against which targets."""
from __future__ import annotations

from dataclasses import dataclass

from . import measure, moons


@dataclass(frozen=True)
class Case:
    """One row of the results table."""

    name: str  # e.g. "chain"
    n: int  # size (steps of the chain, terms of the sum, or steps per repetition for moons)
    kind: str  # "graph" (ns per op node), "floor" (ns per float op), "train" (seconds per step)
    target: float | None  # required speed-up over micrograd (None: no micrograd run)
    size_class: str  # "small", "large", "training", "deep", "floor"


def cases(quick: bool = False) -> list:
    """The rows of the table. `quick` shrinks the large sizes for a fast smoke run."""
    large = 10**4 if quick else 10**5
    rows = [Case("chain", 1000, "graph", 3.0, "small"), Case("wide", 5000, "graph", 3.0, "small"),
            Case("chain", large, "graph", 10.0, "large"), Case("wide", large, "graph", 10.0, "large"),
            Case("floor", large, "floor", None, "floor"),
            Case("moons step", 1 if quick else 3, "train", 10.0, "training")]
    if not quick:
        rows.insert(4, Case("chain", 10**6, "graph", None, "deep"))
    return rows


def runners(case: Case, engines: dict) -> dict:
    """name -> zero-argument function doing one repetition of `case` on that engine."""
    if case.kind == "floor":
        return {"python floats": lambda: measure.floor_run(case.n)}
    if case.kind == "train":
        steps = {"teachgrad": moons.teachgrad_trainer, "micrograd": moons.micrograd_trainer}
        return {name: (lambda s=steps[name](): measure.train_run(s, case.n)) for name in engines}
    chosen = engines if case.target is not None else {"teachgrad": engines["teachgrad"]}
    return {name: (lambda e=engine: measure.graph_run(e, case.name, case.n))
            for name, engine in chosen.items()}
