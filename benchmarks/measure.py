"""Timing and memory measurement: engines alternate inside every repetition; each repetition
gives one ratio per pair of engines, reported as min and median over the repetitions.

Before every timed run the garbage collector is run (outside the timing) so that neither engine
pays for the other's garbage. Inside a graph run the collector keeps its default settings,
except where a row pauses it (the 10^5 and 10^6 rows: with it on, they mostly measure CPython's
full-collection policy, which depends on how many other objects are alive; one row keeps it on,
labelled). Training rows run warm-up steps right before the timed ones (outside the timing), so
the first repetition's re-trace and cold caches do not count.

Times are CPU seconds of this process (`time.process_time`, user + system, so the collector,
allocation and page faults all count): on a shared machine, wall-clock time also counts the
time other programs hold the CPU, which made repeated runs differ by 2x. Wall-clock totals are
recorded too (`wall_s`), and `--clock wall` makes them the measure.
"""
from __future__ import annotations

import gc
import statistics
import time
import tracemalloc

from . import workloads

_clock = time.process_time
_wall = time.perf_counter


def use_wall_clock() -> None:
    """Measure wall-clock time instead of process CPU time (for an otherwise idle machine)."""
    global _clock
    _clock = time.perf_counter


def _settle() -> None:
    gc.collect()


def graph_run(engine, workload: str, n: int, collect: bool = True) -> dict:
    """One forward + backward of a chain or wide graph of size n: seconds and op-node count.
    collect=False pauses the cycle collector for the timed part."""
    inputs = workloads.make_wide_inputs(engine.Value, n) if workload == "wide" else None
    _settle()
    if not collect:
        gc.disable()
    wall, start = _wall(), _clock()
    root = (workloads.build_chain(engine.Value, n) if workload == "chain"
            else workloads.build_wide(inputs))
    built = _clock()
    root.backward()
    done, wall = _clock(), _wall() - wall
    gc.enable()
    nodes = engine.count_op_nodes(root)
    del root, inputs
    return {"forward_s": built - start, "backward_s": done - built, "op_nodes": nodes, "wall_s": wall}


def floor_run(n: int) -> dict:
    """The pure-float chain: the cost of the arithmetic alone (3 float ops per step)."""
    _settle()
    wall, start = _wall(), _clock()
    workloads.float_chain(n)
    return {"forward_s": _clock() - start, "backward_s": 0.0, "op_nodes": 3 * n,
            "wall_s": _wall() - wall}


def train_run(step, steps: int, warmup: int = 1) -> dict:
    """`steps` consecutive training steps with no collection in between (as in a real loop),
    after `warmup` untimed ones."""
    _settle()
    for _ in range(warmup):
        step()
    wall, start = _wall(), _clock()
    for _ in range(steps):
        loss = step()
    elapsed, wall = _clock() - start, _wall() - wall
    return {"forward_s": elapsed / steps, "backward_s": 0.0, "loss": getattr(loss, "data", loss),
            "wall_s": wall / steps}


def fit_run(fit, steps: int) -> dict:
    """One call of `fit` for `steps` steps: its own CPU time per step (the loop, not the
    tracing before it; History.cpu_seconds_per_step)."""
    _settle()
    wall = _wall()
    history = fit(steps)
    wall = _wall() - wall
    return {"forward_s": history.cpu_seconds_per_step, "backward_s": 0.0,
            "loss": history.step_loss[-1], "wall_s": wall / steps}


def alternate(runners: dict, repeats: int) -> dict:
    """Run every runner `repeats` times, alternating which engine goes first; samples by name."""
    samples = {name: [] for name in runners}
    names = list(runners)
    for rep in range(repeats):
        for name in (names if rep % 2 == 0 else names[::-1]):
            samples[name].append(runners[name]())
    return samples


def summarize(runs: list) -> dict:
    """Medians of forward, backward and total seconds over the repetitions, plus the raw totals."""
    totals = [r["forward_s"] + r["backward_s"] for r in runs]
    return {"total_s": statistics.median(totals),
            "forward_s": statistics.median(r["forward_s"] for r in runs),
            "backward_s": statistics.median(r["backward_s"] for r in runs),
            "op_nodes": runs[0].get("op_nodes"), "repeats": len(runs), "samples_s": totals,
            "wall_total_s": statistics.median(r["wall_s"] for r in runs)}


def peak_bytes_per_node(engine, n: int) -> dict:
    """tracemalloc peak of building and back-propagating the wide graph, per op node.

    The 2n input leaves are made before tracing starts: only the graph itself is counted
    (op nodes, the constants they create, local derivatives and backward's work lists).
    """
    inputs = workloads.make_wide_inputs(engine.Value, n)
    _settle()
    tracemalloc.start()
    root = workloads.build_wide(inputs)
    after_forward = tracemalloc.get_traced_memory()[0]
    root.backward()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    nodes = engine.count_op_nodes(root)
    del root, inputs
    _settle()
    return {"peak_bytes_per_node": peak / nodes, "graph_bytes_per_node": after_forward / nodes,
            "op_nodes": nodes}
