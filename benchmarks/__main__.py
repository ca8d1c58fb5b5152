"""`python -m benchmarks`: run the suite, print the table, write the JSON (see README.md)."""
from __future__ import annotations

import argparse
import os
import sys
import threading

# One BLAS thread for the array rows (numpy, torch): times are CPU seconds of this process, and
# a BLAS thread pool spinning on the second core would count twice for the same work.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")
# The same for jax's XLA CPU backend (its Eigen thread pool) and torch (torch.set_num_threads).
os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false "
                      "intra_op_parallelism_threads=1")

from . import engines, measure, report, suite

_STACK_BYTES = 512 * 1024 * 1024  # micrograd's recursive topological sort goes 3 * 10**5 deep


def main(argv=None) -> int:
    """Parse the options, run every case with both engines alternating, report."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--repeats", type=int, default=7,
                        help="repetitions per case (ratios: min and median; setup rows: 3)")
    parser.add_argument("--quick", action="store_true", help="smaller large sizes, no 10**6 chain")
    parser.add_argument("--json", default=None, help="output file (default benchmarks/results/)")
    parser.add_argument("--no-install", action="store_true",
                        help="fail instead of pip-installing micrograd==0.1.0 when it is missing")
    parser.add_argument("--clock", choices=("cpu", "wall"), default="cpu",
                        help="cpu: this process's CPU time (default, robust to other load); wall")
    args = parser.parse_args(argv)
    if args.clock == "wall":
        measure.use_wall_clock()
    found = {"teachgrad": engines.ours(), "micrograd": engines.micrograd(not args.no_install)}
    sys.setrecursionlimit(10**7)  # micrograd's backward recurses once per node
    result = {}
    # A big thread stack keeps that recursion safe on Pythons that use the C stack for it (3.10).
    threading.stack_size(_STACK_BYTES)
    worker = threading.Thread(target=lambda: result.update(run(found, args)))
    worker.start()
    worker.join()
    if "rows" not in result:
        return 1
    print(report.table(result["rows"], result["memory"]))
    print(f"JSON: {report.write_json(result['rows'], result['memory'], args.json)}")
    return 0


def run(found: dict, args) -> dict:
    """Every case of the suite (printing progress), then the memory measurement."""
    rows = []
    for case in suite.cases(args.quick):
        print(f"running {case.name} ({case.ours}) ...", flush=True)
        every = suite.runners(case, found)
        present = {name: runner for name, runner in every.items() if runner is not None}
        repeats = min(args.repeats, 3) if case.kind == "setup" else args.repeats
        samples = measure.alternate(present, repeats)
        if case.kind == "setup":
            engines = {name: {"runs": runs} for name, runs in samples.items()}
        else:
            engines = {name: measure.summarize(runs) for name, runs in samples.items()}
        rows.append({"case": case, "engines": engines})
    # Bytes per node do not depend on N (measured: the same at 2000 and 20,000 within 5%), and
    # micrograd under tracemalloc slows down faster than linearly (~4 min at N = 10**5).
    n = 5000 if args.quick else 20_000
    print(f"measuring memory, wide N={n:,} ...", flush=True)
    memory = {name: measure.peak_bytes_per_node(engine, n) for name, engine in found.items()}
    memory["n"] = n
    return {"rows": rows, "memory": memory}


if __name__ == "__main__":
    sys.exit(main())
