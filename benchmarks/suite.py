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
    engine: str = "teachgrad"  # the trainer under test (train rows): see `_TRAINERS`
    batch: int = 100  # samples per training step (train rows)
    baseline: str = "micrograd"  # what the speed-up is measured against


def _available(module: str) -> bool:
    import importlib.util
    return importlib.util.find_spec(module) is not None


# Trainers of the moons step by name: (factory, arguments).
_TRAINERS = {
    "teachgrad": lambda batch: moons.teachgrad_trainer(),
    "micrograd": lambda batch: moons.micrograd_trainer(),
    "compiled python": lambda batch: moons.compiled_trainer("python", batch),
    "compiled numpy": lambda batch: moons.compiled_trainer("numpy", batch),
    "numpy MLP": moons.numpy_trainer,
    "torch MLP": moons.torch_trainer,
}


def cases(quick: bool = False) -> list:
    """The rows of the table. `quick` shrinks the large sizes for a fast smoke run."""
    large = 10**4 if quick else 10**5
    rows = [Case("chain", 1000, "graph", 3.0, "small"), Case("wide", 5000, "graph", 3.0, "small"),
            Case("chain", large, "graph", 10.0, "large"), Case("wide", large, "graph", 10.0, "large"),
            Case("floor", large, "floor", None, "floor"),
            Case("moons step", 1 if quick else 3, "train", 30.0, "training")]
    steps = 1 if quick else 3
    rows += [Case("compiled python", steps, "train", 250.0, "training", "compiled python"),
             Case("compiled numpy", steps, "train", 1000.0, "training", "compiled numpy"),
             Case("numpy MLP", steps, "train", None, "training", "numpy MLP")]
    # batch 10,000 against the hand-written numpy floor (micrograd would take minutes a step);
    # target: at most 3x the floor's time, i.e. a "speed-up" of at least 1/3
    rows += [Case("compiled numpy", steps, "train", 1 / 3, "batch", "compiled numpy", 10_000,
                  "numpy MLP"),
             Case("compiled python", 1, "train", None, "batch", "compiled python", 10_000,
                  "numpy MLP")]
    if _available("torch"):
        rows += [Case("torch MLP", steps, "train", None, "training", "torch MLP"),
                 Case("torch MLP", steps, "train", None, "batch", "torch MLP", 10_000,
                      "numpy MLP")]
    if not _available("numpy"):
        rows = [r for r in rows if "numpy" not in (r.engine + r.baseline)]
    if not quick:
        rows.insert(4, Case("chain", 10**6, "graph", None, "deep"))
    return rows


def runners(case: Case, engines: dict) -> dict:
    """name -> zero-argument function doing one repetition of `case` on that engine."""
    if case.kind == "floor":
        return {"python floats": lambda: measure.floor_run(case.n)}
    if case.kind == "train":
        names = [case.engine] + ([case.baseline] if case.target is not None
                                 or case.baseline != "micrograd" else [])
        if case.engine == "teachgrad":
            names = list(engines)
        return {("teachgrad" if name == case.engine else name):
                (lambda s=_TRAINERS[name](case.batch): measure.train_run(s, case.n))
                for name in names}
    chosen = engines if case.target is not None else {"teachgrad": engines["teachgrad"]}
    return {name: (lambda e=engine: measure.graph_run(e, case.name, case.n))
            for name, engine in chosen.items()}
