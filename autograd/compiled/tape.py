"""The tape (Wengert list) of a traced function: one entry per node, in creation order.

Tracing runs the user's one-sample function ONCE on the object engine, with fresh input leaves
for the sample, and flattens the graph it builds into a list of instructions: parameters,
inputs and constants first appear as leaf entries, and every op node becomes an entry naming
its op-table row and the entries (slots) of its inputs. Replaying that list on other numbers is
what `autograd.compile` does; reading it is how a student sees that reverse mode is "run the
list forwards, then backwards".

Structure that depends on the data cannot be replayed: code that reads `.data` to decide what
to build (`y.data * s`, `if r.data > 1: ...`) freezes the decision into the tape. Such reads
are refused while tracing (`autograd.compiled.guard`, naming the node and the line); `compare`
is the second line of defence for what no read reveals (a random number drawn inside the
function): it traces a second, different sample (with the parameters nudged) and names the
first entry whose op, inputs, exponent or constant differs.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from numbers import Real
from typing import NamedTuple, Union

from ..graph import creation_order, sweep
from ..numbers import format_number
from ..ops import Op
from ..value import Value
from .guard import refusing_reads

__all__ = ["SHOWN_INPUTS", "Entry", "Tape", "trace", "compare", "TraceError", "sample_leaves",
           "Argument", "Row"]

# One argument of a sample: a number, or a list of numbers (an input vector).
Argument = Union[float, Sequence[float]]
# One row of `Tape.rows()`: #, op, inputs, value, grad, label.
Row = tuple[str, str, str, str, str, str]


class TraceError(ValueError):
    """The function cannot be compiled: its graph's structure depends on the data, or it does
    not return a loss built from its inputs (the message names the node)."""


class Entry(NamedTuple):
    """One instruction of the tape.

    kind: "param" (a parameter: its data is read at every step and it receives a gradient),
    "input" (an element of the sample), "const" (a number made inside the function), "live"
    (a leaf made outside the function: its data is read at every step, no gradient) or "op".

    A NamedTuple, immutable like the frozen dataclass it was, made 3x faster: a trace makes one
    per node (510,000 at 85k parameters with L2), and a frozen dataclass's 0.77 us each was a
    tenth of compile's setup.
    """

    kind: str
    row: Op | None  # the op-table row of an "op" entry, else None
    inputs: tuple[int, ...]  # slots of the op's inputs, in order (duplicates kept)
    arg: float | None  # pow's exponent, else None
    # which parameter / which flat input element; -1 otherwise (the field hides tuple.index,
    # which nothing calls on an entry)
    index: int  # type: ignore[assignment]
    value: float  # the value when traced
    label: str

    @property
    def name(self) -> str:
        """The op's name, or the kind of leaf."""
        return self.row.name if self.row is not None else self.kind

    @property
    def op_row(self) -> Op:
        """The op-table row of an "op" entry (a leaf entry has none: TypeError)."""
        if self.row is None:
            raise TypeError(f"a {self.kind!r} entry of the tape has no op row")
        return self.row


def _describe(node: Value) -> str:
    return f"{node.label!r} ({node.op or 'leaf'})" if node.label else \
        f"an unlabelled {node.op or 'leaf'} node with data {node.data!r}"


SHOWN_INPUTS = 4  # the table lists at most this many input slots of an entry


def _shortened(inputs: Sequence[int]) -> list[str]:
    """The slots to list: all of a short list; the first three, "...", the last of a long one."""
    slots = [f"#{i}" for i in inputs]
    if len(slots) <= SHOWN_INPUTS:
        return slots
    return [*slots[:SHOWN_INPUTS - 1], "...", slots[-1]]


class Tape:
    """The flat tape of one traced sample: `entries` (slot = position), the `root` slot, the
    parameters, the live leaves, and which slots lie on a path to a parameter (`needs_grad`)."""

    def __init__(self, entries: list[Entry], params: list[Value], live: list[tuple[int, Value]],
                 n_inputs: int, grads: list[float]) -> None:
        self.entries = entries
        self.root = len(entries) - 1
        self.params = params
        self.live = live  # (slot, the leaf) per live leaf
        self.n_inputs = n_inputs
        self.grads = grads  # d root / d entry for the traced sample (for the table)
        needs = [e.kind == "param" for e in entries]
        for slot, entry in enumerate(entries):
            if entry.kind == "op" and any(needs[i] for i in entry.inputs):
                needs[slot] = True
        self.needs_grad = needs

    def __len__(self) -> int:
        return len(self.entries)

    def op_count(self) -> int:
        """How many entries are op nodes (the rest are leaves)."""
        return sum(e.kind == "op" for e in self.entries)

    def rows(self) -> list[Row]:
        """The table as rows of strings: #, op, inputs, value, grad, label."""
        out: list[Row] = []
        for slot, e in enumerate(self.entries):
            ins = ", ".join(_shortened(e.inputs))
            if len(e.inputs) > SHOWN_INPUTS:  # a neuron's sum has a term per input: keep it short
                ins += f" ({len(e.inputs)} inputs)"
            if e.arg is not None:
                ins += f", p={e.arg!r}"
            out.append((f"#{slot}", e.name, ins, format_number(e.value),
                        format_number(self.grads[slot]), e.label))
        return out

    def __str__(self) -> str:
        head: Row = ("#", "op", "inputs", "value", "grad", "label")
        rows = [head] + self.rows()
        widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
        return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows)

    def __repr__(self) -> str:
        return (f"<Tape: {len(self)} entries ({self.op_count()} ops, {len(self.params)} "
                f"parameters); print it for the table>")

    def _repr_html_(self) -> str:
        """An HTML table in Jupyter."""
        from html import escape
        head = "".join(f"<th>{h}</th>" for h in ("#", "op", "inputs", "value", "grad", "label"))
        body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>"
                       for r in self.rows())
        return f"<table><tr>{head}</tr>{body}</table>"


def sample_leaves(sample: Sequence[Argument], names: Sequence[str]
                  ) -> tuple[tuple[Value | list[Value], ...], list[Value]]:
    """(arguments for fn, flat list of the input leaves): a number becomes one leaf, a list of
    numbers a list of leaves; leaves are constants (requires_grad=False), labelled by name."""
    args: list[Value | list[Value]] = []
    flat: list[Value] = []
    for name, value in zip(names, sample):
        if isinstance(value, (int, float, Real)):  # int and float named for type checkers
            if isinstance(value, bool):
                raise TypeError(f"argument {name!r} is a bool ({value!r}); a sample's arguments "
                                "are numbers or lists of numbers")
            leaf = Value(value, label=name, requires_grad=False)  # converted exactly, or refused
            args.append(leaf)
            flat.append(leaf)
        else:
            if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__") or getattr(
                    value, "ndim", 1) != 1:
                raise TypeError(f"argument {name!r} must be a number or a list of numbers, got "
                                f"{type(value).__name__}: {repr(value)[:60]}")
            leaves = [Value(v, label=f"{name}[{j}]", requires_grad=False)
                      for j, v in enumerate(value)]
            args.append(leaves)
            flat.extend(leaves)
    return tuple(args), flat


def _example_grads(nodes: Sequence[Value], index: dict[int, int]) -> list[float]:
    """d root / d node for every node of the trace, from the nodes' own local derivatives."""
    grads = [0.0] * len(nodes)
    grads[-1] = 1.0
    for step in sweep(nodes[-1], 1.0, nodes):
        grads[index[id(step.parent)]] = step.total
    return grads


def trace(fn: Callable[..., object], params: list[Value], sample: Sequence[Argument],
          names: Sequence[str], who: str, grads: bool = True) -> tuple[Tape, Value]:
    """Run fn once on `sample` (new input leaves) and flatten its graph: (Tape, root Value).
    grads=False: a tape only compared with another (its table's grads are left 0: computing
    them is a fifth of a trace at 85k parameters)."""
    marker = Value(0.0, requires_grad=False)  # every node made from here on is "inside"
    args, flat = sample_leaves(sample, names)
    # a number read out of a node would be frozen (fn's globals: where the user's imports live)
    with refusing_reads(who, TraceError, getattr(fn, "__globals__", None)):
        root = fn(*args)
    if type(root) is not Value:
        raise TraceError(f"{who}: the function must return one Value (the sample's loss), got "
                         f"{type(root).__name__}: {str(root)[:60]}")
    if root.is_leaf:
        raise TraceError(f"{who}: the function returned a leaf ({_describe(root)}), not a loss "
                         "computed from its inputs and parameters")
    nodes = list(creation_order(root))
    start = marker.creation_number
    param_index = {id(p): i for i, p in enumerate(params)}
    input_index = {id(v): i for i, v in enumerate(flat)}
    slot_of = {id(node): slot for slot, node in enumerate(nodes)}
    entries: list[Entry] = []
    live: list[tuple[int, Value]] = []
    for slot, node in enumerate(nodes):
        key = id(node)
        if not node.is_leaf:
            if node.creation_number < start:
                raise TraceError(f"{who}: node {_describe(node)} was computed before tracing "
                                 "(outside the function), so it would never change; compute it "
                                 "inside the function (or in extra=)")
            assert node.row is not None  # not a leaf
            entries.append(Entry("op", node.row, tuple(
                slot_of[id(p)] for p in node.parents), node.arg, -1, node.data, node.label))
        elif key in param_index:
            entries.append(Entry("param", None, (), None, param_index[key], node.data, node.label))
        elif key in input_index:
            entries.append(Entry("input", None, (), None, input_index[key], node.data, node.label))
        elif node.creation_number >= start:
            entries.append(Entry("const", None, (), None, -1, node.data, node.label))
        else:
            live.append((slot, node))
            entries.append(Entry("live", None, (), None, -1, node.data, node.label))
    return Tape(entries, params, live, len(flat), _example_grads(nodes, slot_of) if grads
                else [0.0] * len(nodes)), root


def compare(first: Tape, second: Tape, who: str, what: str) -> None:
    """Raise TraceError naming the first entry where the two tapes' structure differs."""
    if len(first) != len(second):
        raise TraceError(f"{who}: the graph's structure depends on the data: tracing {what} "
                         f"made {len(second)} nodes where the example made {len(first)}; code "
                         "that reads .data (or branches on it) to decide what to build cannot "
                         "be compiled (e.g. write y * s, not y.data * s)")
    for slot, (a, b) in enumerate(zip(first.entries, second.entries)):
        differs = ((a.kind, a.row, a.inputs, a.index) != (b.kind, b.row, b.inputs, b.index)
                   or a.arg != b.arg or (a.kind == "const" and not _same(a.value, b.value)))
        if differs:
            label = f" {a.label!r}" if a.label else ""
            raise TraceError(
                f"{who}: the graph's structure depends on the data at node #{slot}{label} "
                f"({a.name}, inputs {list(a.inputs)}, value {a.value!r}): tracing {what} gave "
                f"{b.name}, inputs {list(b.inputs)}, value {b.value!r}. A number read from "
                ".data (or a branch on it) is frozen when traced; keep it a Value (write "
                "y * s, not y.data * s)")


def _same(a: float, b: float) -> bool:
    return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)
