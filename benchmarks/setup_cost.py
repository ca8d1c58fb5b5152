"""Setup rows: what `autograd.compile` costs before the first step, on the digits-sized MLP.

Each measurement runs in a FRESH Python process (so the peak memory is this setup's alone and no
earlier row's garbage or warm caches count): the model is built first, then `compile` is timed
(CPU seconds: trace, the structure check of `extra`, code generation) and the first call,
which traces a second sample to check the structure, separately. Memory is the growth of the
process's peak resident set from before `compile` to after the first call: Linux's VmHWM, reset
just before (`ru_maxrss` would do elsewhere, but on Linux it survives exec: a child of a big
benchmark process starts with its parent's peak).
"""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time


def _kb(field: str) -> int | None:
    """A size from /proc/self/status in KB (None where there is none)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def _reset_peak() -> int:
    """The resident set now (KB), with the peak reset to it where the system allows."""
    now = _kb("VmRSS")
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")  # 5: reset the peak resident set size
    except OSError:
        now = None
    return now if now is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _peak() -> int:
    peak = _kb("VmHWM")
    return peak if peak is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _child(hidden: int, backend: str, l2: bool) -> None:
    """In the fresh process: build, compile, first call; print the figures as JSON."""
    import numpy as np  # noqa: F401  (imported before the baseline, as the user has it)

    import autograd
    import nn
    from nn.sample_losses import SAMPLE_LOSSES

    from . import digits
    X, y = digits.data()
    net = digits.model(hidden)
    params = net.parameters()
    row = SAMPLE_LOSSES["cross_entropy"]
    T = row.targets(y, digits.CLASSES)
    before = _reset_peak()
    start = time.process_time()
    step = autograd.compile(lambda x, t: row.term(net(x), t), params, example=(X[0], T[0]),
                            extra=(lambda: digits.ALPHA * nn.l2_penalty(params)) if l2 else None,
                            backend=backend)
    made = time.process_time()
    step(X[:100], T[:100])
    done = time.process_time()
    peak = _peak()
    print(json.dumps({"parameters": len(params), "compile_s": made - start,
                      "first_call_s": done - made, "peak_mb": (peak - before) / 1024}))


def measure(hidden: int, backend: str, l2: bool) -> dict:
    """One fresh-process measurement (see the module docstring)."""
    code = (f"from benchmarks.setup_cost import _child; _child({hidden}, {backend!r}, {l2})")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=root, check=True).stdout
    result: dict = json.loads(out.strip().splitlines()[-1])
    return result
