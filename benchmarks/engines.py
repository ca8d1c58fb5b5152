"""The two engines under test, behind one small interface, and how to count a graph's nodes.

A "node" in every figure is an OP NODE: a node that an operation created (x * y, x + y,
relu(x), a sum). Leaves (inputs, parameters and the constants that plain numbers become) are
not counted. Both engines create exactly the same op nodes for the chain and wide workloads,
which are written once and run on either engine's Value class, so ns/node ratios there are
ratios of total times.
"""
from __future__ import annotations

import importlib
import subprocess
import sys
from dataclasses import dataclass

MICROGRAD_REQUIREMENT = "micrograd==0.1.0"


@dataclass(frozen=True)
class Engine:
    """An engine's name, its scalar class and whether a node is an op node (vs a leaf)."""

    name: str
    Value: type
    is_op_node: object  # callable(node) -> bool

    def count_op_nodes(self, root) -> int:
        """The number of op nodes in root's graph (iterative, so deep chains are fine)."""
        seen, stack, ops = {id(root)}, [root], 0
        while stack:
            node = stack.pop()
            ops += self.is_op_node(node)
            for parent in node._prev:  # the one parent reader both engines have (micrograd's name)
                if id(parent) not in seen:
                    seen.add(id(parent))
                    stack.append(parent)
        return ops


def ours() -> Engine:
    """This repository's engine (`autograd.Value`)."""
    from autograd import Value
    return Engine("teachgrad", Value, lambda node: not node.is_leaf)


def micrograd(install: bool = True) -> Engine:
    """micrograd 0.1.0 from PyPI, pip-installed into this interpreter first if it is missing."""
    try:
        engine = importlib.import_module("micrograd.engine")
    except ImportError:
        if not install:
            raise
        print(f"installing {MICROGRAD_REQUIREMENT} (the baseline) with pip ...", flush=True)
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", MICROGRAD_REQUIREMENT],
                       check=True)
        importlib.invalidate_caches()
        engine = importlib.import_module("micrograd.engine")
    return Engine("micrograd", engine.Value, lambda node: node._op != "")
