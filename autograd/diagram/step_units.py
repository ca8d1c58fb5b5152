"""The collapsed stepper's steps: one per group (a neuron, a layer) and one per node left alone.

With `collapse=`, the nodes of a group (collapse.py's `assign_groups`) are processed in ONE step:
its box turns current, every member passes its gradient on (in backward order), and the panel
lists the group's parameter gradients with the group's scalar steps folded under them (lines
starting with a tab: the page shows them on request). A step may only run once every consumer
of its nodes is done, so the steps are the groups and lone nodes in a topological order of the
graph contracted to them (consumers first; among ready ones, the latest computed first). A
grouping whose contraction has a cycle (a group that both feeds and consumes another) cannot
be stepped group by group and is refused.
"""
from __future__ import annotations

import heapq
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .frames import caption
from .style import format_number, gets_gradient

if TYPE_CHECKING:
    from ..value import Value
    from .frames import Frame

__all__ = ["Units", "unit_sequence", "unit_captions", "unit_pages", "unit_steps", "unit_near",
           "DETAIL", "MAX_FRAMED_BOXES"]

DETAIL = "\t"  # a panel line starting with this is one of a group's scalar steps (folded)


@dataclass(frozen=True)
class Units:
    """The steps of a collapsed stepper: `members[u]` (node indices in processing order; the
    last is the step's representative, whose id the box carries), `names[u]` (the group's
    name, or None for a lone node) and `of` (node index -> its step)."""

    members: list[list[int]]
    names: list[str | None]
    of: dict[int, int]

    @property
    def reps(self) -> list[int]:
        """Each step's representative node index."""
        return [m[-1] for m in self.members]

    @property
    def sequence(self) -> list[int]:
        """Every stepped node index, in processing order."""
        return [i for m in self.members for i in m]


def unit_sequence(order: Sequence[Value], root: Value, groups: Mapping[Value, str]) -> Units:
    """The steps for `groups` (node -> group name; nodes without one step alone)."""
    index = {node: i for i, node in enumerate(order)}
    key: dict[int, tuple[str, str | int]] = {}
    for i, node in enumerate(order):
        if gets_gradient(node) or node is root:
            key[i] = ("group", groups[node]) if node in groups else ("node", i)
    keys = list(dict.fromkeys(key.values()))
    unit = {k: u for u, k in enumerate(keys)}
    members: list[list[int]] = [[] for _ in keys]
    for i in sorted(key, reverse=True):  # backward order inside a step
        members[unit[key[i]]].append(i)
    feeds: list[set[int]] = [set() for _ in keys]  # u -> the steps that consume u's nodes
    for i, node in enumerate(order):
        if i not in key:
            continue
        for parent in node.parents:
            j = index[parent]
            if j in key and unit[key[j]] != unit[key[i]]:
                feeds[unit[key[j]]].add(unit[key[i]])
    waiting = [len(f) for f in feeds]
    consumed_by: list[list[int]] = [[] for _ in keys]
    for u, consumers in enumerate(feeds):
        for c in consumers:
            consumed_by[c].append(u)
    ready = [(-max(members[u]), u) for u in range(len(keys)) if waiting[u] == 0]
    heapq.heapify(ready)
    steps: list[int] = []
    while ready:
        _, u = heapq.heappop(ready)
        steps.append(u)
        for p in consumed_by[u]:
            waiting[p] -= 1
            if waiting[p] == 0:
                heapq.heappush(ready, (-max(members[p]), p))
    if len(steps) < len(keys):
        stuck = sorted({str(k[1]) for u, k in enumerate(keys) if u not in set(steps)})
        raise ValueError(f"collapse= makes groups that feed each other in a cycle ({', '.join(stuck[:4])}"
                         f"{', ...' if len(stuck) > 4 else ''}): a group must be done before the "
                         "groups it feeds; collapse by a coarser or finer label depth")
    names = [str(keys[u][1]) if keys[u][0] == "group" else None for u in steps]
    chosen = [members[u] for u in steps]
    return Units(chosen, names, {i: s for s, m in enumerate(chosen) for i in m})


def unit_captions(units: Units, frames: Sequence[Frame], order: Sequence[Value],
                  names: Mapping[Value, str], params: set[Value], precision: int) -> list[str]:
    """One caption per step: a lone node's as in the full stepper (renumbered); a group's
    with its size and the norm of its parameters' gradients."""
    captions = []
    at = 0
    total = len(units.members)
    for step, (members, name) in enumerate(zip(units.members, units.names)):
        part = frames[at:at + len(members)]
        at += len(members)
        if name is None:
            node = order[members[0]]
            g = part[0].grads[members[0]] or 0.0
            captions.append(caption(step, total, node, names[node], g, precision))
            continue
        grads = part[-1].grads
        owned = [i for i in members if order[i] in params]
        norm = math.sqrt(math.fsum((grads[i] or 0.0) ** 2 for i in owned))
        captions.append(f"step {step + 1} of {total}: {name} ({len(members)} nodes, "
                        f"{len(owned)} parameters), ‖dL/dparameters‖ = "
                        f"{format_number(norm, precision)}")
    return captions


def unit_pages(units: Units, frames: Sequence[Frame], node_pages: Sequence[Sequence[str]],
               captions: Sequence[str], order: Sequence[Value], names: Mapping[Value, str],
               params: set[Value], precision: int) -> list[list[str]]:
    """Per step the panel: the caption; for a group its parameters' gradients, then its scalar
    steps (each line prefixed with DETAIL); for a lone node its full-stepper lines."""
    pages = []
    at = 0
    for members, name, head in zip(units.members, units.names, captions):
        own = node_pages[at:at + len(members)]
        grads = frames[at + len(members) - 1].grads
        at += len(members)
        if name is None:
            pages.append([head] + list(own[0][1:]))
            continue
        lines = [head] + [f"dL/d{names[order[i]]} = {format_number(grads[i] or 0.0, precision)}"
                          for i in sorted(members) if order[i] in params]
        for page in own:  # the scalar steps, their numbering dropped (it counts nodes)
            node_head = page[0].split(": ", 1)[-1]
            lines += [DETAIL + node_head] + [DETAIL + "  " + line for line in page[1:]]
        pages.append(lines)
    return pages


def unit_steps(units: Units, order: Sequence[Value]) -> list[int]:
    """Per node index, the step that processes it; a constant outside every step counts as
    processed with its last consumer."""
    index = {node: i for i, node in enumerate(order)}
    step = [units.of.get(i, -1) for i in range(len(order))]
    for i, node in enumerate(order):
        for parent in node.parents:
            j = index[parent]
            if j not in units.of and i in units.of:
                step[j] = max(step[j], units.of[i])
    return [max(s, 0) for s in step]


# A group fed by more boxes than this (a dense layer: every neuron of the layer before) is
# framed with its own edges only, which start at the bundle's point: framing all the boxes
# behind them would shrink the figure until nothing can be read.
MAX_FRAMED_BOXES = 4


def unit_near(units: Units, order: Sequence[Value]) -> list[list[int]]:
    """Per step, the representative ids that frame it: its own, then its inputs' (the record
    of a lone input, the box of a grouped one; see MAX_FRAMED_BOXES)."""
    index = {node: i for i, node in enumerate(order)}
    reps = units.reps
    near = []
    for u, members in enumerate(units.members):
        inside = set(members)
        around: list[int] = []
        for i in members:
            for parent in order[i].parents:
                j = index[parent]
                if j in inside:
                    continue
                r = reps[units.of[j]] if j in units.of else j
                if r not in around:
                    around.append(r)
        boxes = [r for r in around if r in units.of and units.names[units.of[r]] is not None]
        if len(boxes) > MAX_FRAMED_BOXES:
            around = [r for r in around if r not in boxes]
        near.append([reps[u]] + around)
    return near

