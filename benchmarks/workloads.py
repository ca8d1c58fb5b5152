"""The workloads, each written ONCE against an engine's Value class (the same Python code runs
on both engines, so both build the same graph).

Each `build_*` returns the root of a fresh graph; timing and memory are measured by the caller.
"""
from __future__ import annotations


def build_chain(Value, n: int):
    """y = relu(y * 1.0001 + 0.0001), n times: a graph n * 3 op nodes deep."""
    y = Value(0.5)
    for _ in range(n):
        y = (y * 1.0001 + 0.0001).relu()
    return y


def make_wide_inputs(Value, n: int) -> tuple:
    """The 2n leaves of the wide workload (made before timing starts)."""
    return ([Value(0.5 + 1e-6 * i) for i in range(n)], [Value(1.5 - 1e-6 * i) for i in range(n)])


def build_wide(inputs: tuple):
    """sum(a_i * b_i) with Python's sum: n products and n additions (2n op nodes)."""
    a, b = inputs
    return sum(x * y for x, y in zip(a, b))


def float_chain(n: int) -> float:
    """The pure-Python floor: the float arithmetic of the chain workload, with no graph."""
    y = 0.5
    for _ in range(n):
        y = y * 1.0001 + 0.0001
        y = y if y > 0.0 else 0.0
    return y
