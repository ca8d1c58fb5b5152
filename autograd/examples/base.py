"""The shape of a worked example: stages, each a graph plus the numbers the seed printed.

A worked example (one homework question and its hand-written solution) is a list of `Stage`s.
A stage is one computation graph built from `autograd.Value`s, labelled with the seed's own
variable names, with the values (and gradients) the solution PRINTED for those nodes, written as
strings exactly as printed so the checker can read the printed precision. Numbers the solution
printed that are not a node of any graph are left out; the description says so.

`notes` records, for printed numbers that differ from the truth, whether the difference is
rounding only or a genuine slip, with a short reason (from docs/seed_reference.md, the
independent reference). The checker's numeric verdict decides WHETHER a number differs; a
note only says WHY.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Union

from ..backward import backward
from ..check_report import CheckReport
from ..checker import check
from ..trace import Trace
from ..value import Value

__all__ = ["Stage", "Example", "Printed", "leaves_named"]

Number = Union[str, float, None]  # as printed ("0.731"), a formula's value, or None: not printed
Printed = Union[Number, tuple[Number, Number]]  # the value, or (value, grad)


def leaves_named(root: Value, labels: Iterable[str]) -> tuple[Value, ...]:
    """The leaves of root's graph labelled with one of `labels` (a network's data `x1`, `x2`),
    in graph order: what a stage passes as `inputs` so the diagrams colour them as inputs."""
    from ..graph import topological_order
    wanted = set(labels)
    return tuple(n for n in topological_order(root) if n.is_leaf and n.label in wanted)


@dataclass
class Stage:
    """One graph of a worked example and the numbers printed for its nodes."""

    name: str        # short id, used in file names ("forward_backward", "update", ...)
    title: str       # one line for people
    root: Value | list[Value]  # the graph's output (a loss, one output), or a list of outputs
    printed: Mapping[str, Printed]  # label -> printed value, or (value, grad); None = not printed
    # (label, "value"/"grad") -> ("rounding"/"slip", why)
    notes: Mapping[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    rtol: float = 0.0
    atol: float = 0.0
    digits: bool = True  # False for printed FORMULAS evaluated at a point (no printed digits)
    # What the diagrams colour as parameters (None: every leaf that requires grad, except
    # `inputs`) and as inputs: the leaves a student would call the data, not the weights.
    params: Iterable[Value] | None = None
    inputs: tuple[Value, ...] = ()

    def run(self, precision: int = 6) -> tuple[Trace, CheckReport]:
        """Backpropagate from the root (once) and return (trace, checker report)."""
        if isinstance(self.root, Value) and self.root.grad == 0.0:  # a list of roots: values only
            backward(self.root)
        trace = Trace(self.root, precision=precision)
        report = check(trace, self.printed, rtol=self.rtol, atol=self.atol, digits=self.digits,
                       notes=self.notes)
        return trace, report


@dataclass
class Example:
    """A worked example: where it comes from, what it is about, and its stages."""

    name: str
    title: str
    source: str       # provenance: which homework and question (a note, not a path)
    description: str  # the problem in our own words
    stages: list[Stage]

    def run(self, precision: int = 6) -> list[tuple[Stage, Trace, CheckReport]]:
        """[(stage, trace, report), ...] for every stage, in order."""
        return [(stage, *stage.run(precision)) for stage in self.stages]

    def slips(self) -> list[tuple[str, str, str]]:
        """(stage name, label, quantity) of every slip the checker finds, in order."""
        return [(stage.name, e.label, e.quantity) for stage, _, report in self.run()
                for e in report.slips]
