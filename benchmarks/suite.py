"""The benchmark suite: which workloads run at which sizes, against which peers and targets."""
from __future__ import annotations

import importlib.util
from dataclasses import dataclass

from . import digits, measure, moons, setup_cost


@dataclass(frozen=True)
class Case:
    """One row (or group of rows) of the results table.

    `ours` is the runner under test, `baselines` the peers run in the same repetitions. The
    ratio is a speed-up (baseline time / ours: targets are minimums) or a cost (ours /
    baseline: targets are maximums), one per repetition, reported as min and median.
    """

    name: str  # e.g. "chain", "moons b=100"
    n: int  # graph size, or steps (epochs for digits) per repetition
    kind: str  # "graph", "floor", "train", "fit", "setup"
    ours: str = "teachgrad"
    baselines: tuple[str, ...] = ()
    targets: tuple[tuple[str, float], ...] = ()  # (baseline, target ratio)
    ratio: str = "speedup"  # or "cost"
    size_class: str = ""  # "small", "large", "deep", "training", "batch", "epoch", "setup"
    batch: int = 100  # samples per step (moons); the hidden width H (digits)
    collect: bool = True  # graph rows: the cycle collector on during the timed part
    workload: str = "moons"  # train rows: "moons" or "digits"
    warmup: int = 1  # untimed steps right before the timed ones


def available(module: str) -> bool:
    """Whether an optional peer is installed."""
    return importlib.util.find_spec(module) is not None


_PEERS = {"numpy MLP": "numpy", "torch f64": "torch", "torch f32": "torch",
          "jax.jit f64": "jax", "compiled numpy": "numpy", "compiled numpy (fit)": "numpy",
          "micrograd": "micrograd"}

_MOONS = {
    "teachgrad": lambda c: moons.teachgrad_trainer(),
    "micrograd": lambda c: moons.micrograd_trainer(),
    "compiled python": lambda c: moons.compiled_trainer("python", c.batch),
    "compiled numpy": lambda c: moons.compiled_trainer("numpy", c.batch),
    "python floor": lambda c: moons.python_floor_trainer(c.batch),
    "numpy MLP": lambda c: moons.numpy_trainer(c.batch),
    "torch f64": lambda c: moons.torch_trainer(c.batch, "float64"),
    "torch f32": lambda c: moons.torch_trainer(c.batch, "float32"),
    "jax.jit f64": lambda c: moons.jax_trainer(c.batch),
}
_DIGITS = {
    "compiled numpy": lambda c: digits.compiled_trainer(c.batch),
    "numpy MLP": lambda c: digits.numpy_trainer(c.batch),
    "torch f64": lambda c: digits.torch_trainer(c.batch, "float64"),
    "torch f32": lambda c: digits.torch_trainer(c.batch, "float32"),
    "jax.jit f64": lambda c: digits.jax_trainer(c.batch),
}
ARRAY_PEERS = ("numpy MLP", "jax.jit f64", "torch f64", "torch f32")


def cases(quick: bool = False) -> list[Case]:
    """The rows of the table. `quick` shrinks the large sizes and the repetitions' steps."""
    large = 10**4 if quick else 10**5
    mg = ("micrograd",)
    rows = [Case("chain", 1000, "graph", baselines=mg, targets=(("micrograd", 4.0),),
                 size_class="small"),
            Case("wide", 5000, "graph", baselines=mg, targets=(("micrograd", 3.5),),
                 size_class="small"),
            Case("chain", large, "graph", baselines=mg, size_class="large", collect=False),
            Case("wide", large, "graph", baselines=mg, size_class="large", collect=False),
            Case("wide", large, "graph", baselines=mg, size_class="large"),
            Case("floor", large, "floor", ours="python floats", size_class="floor")]
    if not quick:
        rows.insert(4, Case("chain", 10**6, "graph", size_class="deep", collect=False))
    rows += [
        Case("moons step", 1 if quick else 3, "train", baselines=mg,
             targets=(("micrograd", 25.0),), size_class="training"),
        Case("moons b=100", 20 if quick else 100, "train", "compiled numpy", ARRAY_PEERS,
             (("numpy MLP", 1.7), ("jax.jit f64", 1.0)), "cost", "training", warmup=10),
        Case("moons b=100", 2 if quick else 5, "train", "compiled python", ("python floor",),
             (("python floor", 1.3),), "cost", "training"),
        Case("moons b=10,000", 5 if quick else 20, "fit", "compiled numpy (fit)", ARRAY_PEERS,
             (("numpy MLP", 1.3),), "cost", "batch", batch=10_000, warmup=2),
        Case("digits H=256 epoch", 1, "train", "compiled numpy", ARRAY_PEERS,
             (("numpy MLP", 1.5),), "cost", "epoch", batch=256, workload="digits"),
        Case("digits H=64 epoch", 1 if quick else 3, "train", "compiled numpy", ARRAY_PEERS,
             (), "cost", "epoch", batch=64, workload="digits"),
        Case("compile setup, 85k parameters, numpy, L2", 1, "setup", size_class="setup",
             batch=256, targets=(("compile_s", 3.0), ("peak_mb", 300.0)), ratio="cost"),
    ]
    if not quick:
        rows += [Case("compile setup, 85k parameters, numpy", 1, "setup", size_class="setup",
                      batch=256),
                 Case("compile setup, 9k parameters, python, L2", 1, "setup",
                      size_class="setup", batch=64)]
    return rows


def runners(case: Case, engines: dict) -> dict:
    """name -> zero-argument function doing one repetition of `case` with that engine;
    a peer that is not installed maps to None."""
    if case.kind == "floor":
        return {case.ours: lambda: measure.floor_run(case.n)}
    if case.kind == "setup":
        backend = "python" if "python" in case.name else "numpy"
        return {case.ours: lambda: setup_cost.measure(case.batch, backend, "L2" in case.name)}
    if case.kind == "graph":
        chosen = {case.ours: engines["teachgrad"]}
        chosen.update({name: engines[name] for name in case.baselines})
        return {name: (lambda e=engine: measure.graph_run(e, case.name, case.n, case.collect))
                for name, engine in chosen.items()}
    table = _DIGITS if case.workload == "digits" else _MOONS
    out: dict = {}
    for name in (case.ours,) + case.baselines:
        if name in _PEERS and not available(_PEERS[name]):
            out[name] = None
        elif name == "compiled numpy (fit)":
            out[name] = (lambda f=moons.fit_trainer(case.batch): measure.fit_run(f, case.n))
        else:
            out[name] = (lambda s=table[name](case): measure.train_run(s, case.n, case.warmup))
    return out
