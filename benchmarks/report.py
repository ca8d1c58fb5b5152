"""The results table (plain text) and the JSON record of a benchmark run.

Every ratio is computed per repetition (the engines alternate inside each one, so a repetition's
engines shared the machine's state) and reported as `min / median` over the repetitions: the
median is what a target is judged on, and the distance to the min shows the spread.
"""
from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

RESULTS_DIR = Path(__file__).resolve().parent / "results"  # git-ignored


def ratios(row: dict, baseline: str) -> list[float] | None:
    """One ratio per repetition of the row's subject against `baseline` (see the module):
    speed-up = baseline / ours, cost = ours / baseline."""
    case, engines = row["case"], row["engines"]
    ours, base = engines.get(case.ours), engines.get(baseline)
    if not ours or not base:
        return None
    pairs = zip(ours["samples_s"], base["samples_s"])
    if case.ratio == "speedup":
        return [b / o for o, b in pairs]
    return [o / b for o, b in pairs]


def _spread(values: list[float]) -> tuple[float, float]:
    """(min, median)."""
    return min(values), statistics.median(values)


def _per_unit(case, stats) -> str:
    if case.kind in ("train", "fit"):
        unit = "epoch" if case.workload == "digits" else "step"
        return f"{stats['total_s'] * 1e3:,.3f} ms/{unit}"
    ns = stats["total_s"] / stats["op_nodes"] * 1e9
    if case.kind == "floor":
        return f"{ns:,.0f} ns/op"
    fwd = stats["forward_s"] / stats["op_nodes"] * 1e9
    return f"{ns:,.0f} ns/node ({fwd:,.0f} fwd)"


def _met(case, value: float, target: float) -> str:
    good = value >= target if case.ratio == "speedup" else value <= target
    return "yes" if good else "NO"


def _label(case) -> str:
    label = f"{case.name} N={case.n:,}" if case.kind in ("graph", "floor") else case.name
    if case.kind == "graph" and case.n >= 10**5:
        label += " (gc ON)" if case.collect else " (gc paused)"
    return label


def table(rows: list, memory: dict | None) -> str:
    """The aligned text table of all rows, then the memory line and the definitions."""
    head = (f"{'workload':<44} {'subject':<22} {'time':>24}  {'vs':<14} {'peer time':>22}  "
            f"{'ratio min / median':>20}  {'target':>8}  met")
    lines = [head]
    for row in rows:
        case, engines = row["case"], row["engines"]
        if case.kind == "setup":
            lines.append(_setup_line(row))
            continue
        ours = engines.get(case.ours)
        first = f"{_label(case):<44} {case.ours:<22} {_per_unit(case, ours):>24}"
        if not case.baselines:
            lines.append(first)
            continue
        targets = dict(case.targets)
        for k, name in enumerate(case.baselines):
            lead = first if k == 0 else " " * len(first)
            base = engines.get(name)
            if base is None:
                lines.append(f"{lead}  {name:<14} {'not installed':>22}")
                continue
            values = ratios(row, name) or []
            low, mid = _spread(values)
            word = "x faster" if case.ratio == "speedup" else "x time"
            target = targets.get(name)
            goal = "-" if target is None else (">=" if case.ratio == "speedup" else "<=") + \
                f"{target:g}"
            lines.append(f"{lead}  {name:<14} {_per_unit(case, base):>22}  "
                         f"{f'{low:.2f} / {mid:.2f}{word}':>20}  {goal:>8}  "
                         f"{'-' if target is None else _met(case, mid, target)}")
    if memory:
        ours, base = memory["teachgrad"], memory["micrograd"]
        share = ours["peak_bytes_per_node"] / base["peak_bytes_per_node"]
        lines.append(f"memory, wide N={memory['n']:,}: peak {ours['peak_bytes_per_node']:.0f} B/node "
                     f"(graph alone {ours['graph_bytes_per_node']:.0f}) vs micrograd "
                     f"{base['peak_bytes_per_node']:.0f} B/node (graph alone "
                     f"{base['graph_bytes_per_node']:.0f}): {share:.2f} of micrograd's")
    lines.append("node = op node (*, +, relu, sum; leaves and constants not counted); ns/node = "
                 "median (forward + backward) time / op nodes. Ratios are per repetition (engines "
                 "alternate inside each), shown as min / median; 'x faster' = peer time / ours, "
                 "'x time' = ours / peer time. Targets are judged on the median.")
    return "\n".join(lines)


def _setup_line(row: dict) -> str:
    """compile time, first call and peak memory, min / median over fresh processes."""
    case, runs = row["case"], row["engines"][row["case"].ours]["runs"]
    compile_s = _spread([r["compile_s"] for r in runs])
    first = _spread([r["first_call_s"] for r in runs])
    peak = _spread([r["peak_mb"] for r in runs])
    targets = dict(case.targets)
    verdicts = []
    for key, (_, mid) in (("compile_s", compile_s), ("peak_mb", peak)):
        if key in targets:
            verdicts.append(f"{key} <= {targets[key]:g}: {'yes' if mid <= targets[key] else 'NO'}")
    return (f"{case.name} ({runs[0]['parameters']:,}): compile {compile_s[0]:.2f} / "
            f"{compile_s[1]:.2f} s, first call (structure check) {first[0]:.2f} / {first[1]:.2f}"
            f" s, peak +{peak[0]:.0f} / {peak[1]:.0f} MB (min / median of {len(runs)} fresh "
            "processes)" + (f"; {'; '.join(verdicts)}" if verdicts else ""))


def _git_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, cwd=RESULTS_DIR.parent, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _machine() -> dict:
    """What the numbers were measured on (the README states it with the spread)."""
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    return {"cpu": cpu, "cores": os.cpu_count(), "load_average_at_end": load}


def write_json(rows: list, memory: dict | None, path: Path | None) -> Path:
    """Write the run (machine, every sample, per-repetition ratios) as JSON; return the path."""
    record = {
        "time_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "commit": _git_commit(), "python": sys.version.split()[0], "platform": platform.platform(),
        "machine": _machine(),
        "node_definition": "op node: made by an operation; leaves and constants not counted",
        "rows": [{"workload": r["case"].name, "n": r["case"].n, "kind": r["case"].kind,
                  "subject": r["case"].ours, "ratio_kind": r["case"].ratio,
                  "targets": dict(r["case"].targets), "gc": r["case"].collect,
                  "ratios": {b: ratios(r, b) for b in r["case"].baselines},
                  "engines": r["engines"]} for r in rows],
        "memory": memory,
    }
    if path is None:
        RESULTS_DIR.mkdir(exist_ok=True)
        path = RESULTS_DIR / f"bench-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=2) + "\n")
    return path
