"""The results table (plain text) and the JSON record of a benchmark run."""
from __future__ import annotations

import json
import platform
import subprocess
import sys
import time
from pathlib import Path

RESULTS_DIR = Path(__file__).resolve().parent / "results"  # git-ignored


def _ratio(row: dict):
    ours, base = row["engines"].get("teachgrad"), row["engines"].get(row["case"].baseline)
    if not ours or not base:
        return None
    return base["total_s"] / ours["total_s"]  # same graphs, so also the ratio per node


def _per_unit(case, stats) -> str:
    if case.kind == "train":
        return f"{stats['total_s']:.4f} s/step"
    ns = stats["total_s"] / stats["op_nodes"] * 1e9
    if case.kind == "floor":
        return f"{ns:,.0f} ns/op"
    fwd = stats["forward_s"] / stats["op_nodes"] * 1e9
    return f"{ns:,.0f} ns/node ({fwd:,.0f} fwd)"


def table(rows: list, memory: dict | None) -> str:
    """The aligned text table of all rows, then the memory line and the definition of a node."""
    lines = [f"{'workload':<38} {'N':>9} {'op nodes':>10}  {'teachgrad':>26}  "
             f"{'baseline':>26}  {'speed-up':>8}  {'target':>6}  met"]
    for row in rows:
        case = row["case"]
        engines = row["engines"]
        ours = engines.get("teachgrad") or engines.get("python floats")
        base = engines.get(case.baseline)
        ratio = _ratio(row)
        nodes = ours.get("op_nodes") or "-"
        name = case.name if case.kind != "train" else (
            f"{case.name} b={case.batch:,}" + (f" vs {case.baseline}" if base else ""))
        lines.append(
            f"{name:<38} {case.n:>9,} {nodes:>10}  {_per_unit(case, ours):>26}  "
            f"{_per_unit(case, base) if base else '-':>26}  "
            f"{f'{ratio:.2f}x' if ratio else '-':>8}  "
            f"{_target(case.target):>6}  "
            f"{('yes' if ratio >= case.target else 'NO') if ratio and case.target else '-'}")
    lines += _per_sample(rows)
    if memory:
        ours, base = memory["teachgrad"], memory["micrograd"]
        share = ours["peak_bytes_per_node"] / base["peak_bytes_per_node"]
        lines.append(f"memory, wide N={memory['n']:,}: peak {ours['peak_bytes_per_node']:.0f} B/node "
                     f"(graph alone {ours['graph_bytes_per_node']:.0f}) vs micrograd "
                     f"{base['peak_bytes_per_node']:.0f} B/node (graph alone "
                     f"{base['graph_bytes_per_node']:.0f}): {share:.2f} of micrograd's "
                     f"(target <= 0.25: {'yes' if share <= 0.25 else 'NO'})")
    lines.append("node = op node: a node made by an operation (*, +, relu, sum); leaves (inputs, "
                 "parameters, constants) are not counted. ns/node = median forward + backward time "
                 "/ op nodes; speed-up = micrograd time / teachgrad time for the same graph (moons: "
                 "per training step, each engine's own MLP code).")
    return "\n".join(lines)


def _target(target) -> str:
    """'30x', '1000x', or '0.33x' (at most 3x slower than the baseline); '-' for none."""
    if not target:
        return "-"
    return f"{target:.0f}x" if target >= 1 else f"{target:.2f}x"


def _per_sample(rows: list) -> list:
    """Per-sample cost of each compiled backend at batch 100 and 10,000 (target: within 25%)."""
    found = {}
    for row in rows:
        case = row["case"]
        if case.kind == "train" and case.engine.startswith("compiled"):
            found.setdefault(case.engine, {})[case.batch] = \
                row["engines"]["teachgrad"]["total_s"] / case.batch
    lines = []
    for engine, per in found.items():
        if 100 in per and 10_000 in per:
            change = per[10_000] / per[100] - 1.0
            lines.append(f"{engine}: {per[100] * 1e6:.2f} us/sample at batch 100, "
                         f"{per[10_000] * 1e6:.2f} at 10,000 ({change:+.0%}; target within "
                         f"+-25%: {'yes' if abs(change) <= 0.25 else 'NO'})")
    return lines


def _git_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, cwd=RESULTS_DIR.parent, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def write_json(rows: list, memory: dict | None, path: Path | None) -> Path:
    """Write the run (environment, every sample, medians, ratios) as JSON; return the path."""
    record = {
        "time_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "commit": _git_commit(), "python": sys.version.split()[0], "platform": platform.platform(),
        "node_definition": "op node: made by an operation; leaves and constants not counted",
        "rows": [{"workload": r["case"].name, "n": r["case"].n, "kind": r["case"].kind,
                  "size_class": r["case"].size_class, "target_speedup": r["case"].target,
                  "speedup": _ratio(r), "engines": r["engines"]} for r in rows],
        "memory": memory,
    }
    if path is None:
        RESULTS_DIR.mkdir(exist_ok=True)
        path = RESULTS_DIR / f"bench-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=2) + "\n")
    return path
