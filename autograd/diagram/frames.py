"""The frames of a step-by-step backward, as small records: no drawing happens here.

Backward processes the topological order from its end (the root) to its start. Frame k is the
moment node `order[n-1-k]` passes its gradient to its inputs: nodes after it in the order are
done, nodes before it are pending. A frame stores that node's index and the gradient every node
has received so far (None: nothing reached it yet). The gradients are the chain rule's steps
over each node's stored local derivatives (`autograd.graph.sweep`): the user's `.grad` fields
are never touched.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..backward import checked_seed
from ..graph import Step, sweep
from .labels import reader_names
from .style import format_number, gets_gradient

if TYPE_CHECKING:
    from ..value import Value

__all__ = ["Frame", "build_frames", "merged_frames", "folded_steps", "grad_field_text", "caption", "who", "DONE",
           "CURRENT", "PENDING"]

DONE, CURRENT, PENDING = "done", "current", "pending"


def grad_field_text(state: str, grad: float | None, precision: int = 4) -> str:
    """The grad field of a Value's record in a frame: 'grad ?', 'grad so far 1.5' or 'grad 3.0'."""
    if state == PENDING:
        # A pending node may still receive more (it is used again further back): say so.
        return "grad ?" if grad is None else f"grad so far {format_number(grad, precision)}"
    return f"grad {format_number(0.0 if grad is None else grad, precision)}"


@dataclass(frozen=True)
class Frame:
    """One backward step: `node` (at `current` in the topological order) passes its grad on.

    `grads[i]`: what order[i] has received after this step (None: nothing yet); `changed`: the
    indices whose grad-field text differs from the previous frame (every index in frame 0), so a
    player only rewrites those; `caption`: one line describing the step. A collapsed stepper's
    frame processes a whole group: `members` (its indices; `current` stands for them) and
    `done` (the indices processed before it); otherwise the nodes after `current` are done.
    `steps`: the chain rule's steps of this node, one per input edge (what the panel writes).
    """

    step: int
    node: Value
    current: int
    grads: tuple[float | None, ...]
    changed: tuple[int, ...]
    caption: str
    precision: int = 4
    members: frozenset[int] = frozenset()
    done: frozenset[int] | None = None
    steps: tuple[Step, ...] = ()

    def state(self, index: int) -> str:
        """'done', 'current' or 'pending' for order[index] at this step."""
        if index == self.current or index in self.members:
            return CURRENT
        if self.done is not None:
            return DONE if index in self.done else PENDING
        return DONE if index > self.current else PENDING

    @property
    def states(self) -> tuple[str, ...]:
        """The state of every node, by index in the topological order."""
        return tuple(self.state(i) for i in range(len(self.grads)))

    def text(self, index: int) -> str:
        """The grad-field text of order[index] at this step."""
        return grad_field_text(self.state(index), self.grads[index], self.precision)

    @property
    def grad_texts(self) -> tuple[str, ...]:
        """Every node's grad-field text at this step, by index in the topological order."""
        return tuple(self.text(i) for i in range(len(self.grads)))


def who(node: Value, name: str) -> str:
    """How a step's heading names its node: the name, with the op for an unlabelled result."""
    return name if node.label or node.is_leaf else f"{name} ({node.op})"


def caption(step: int, total: int, node: Value, name: str, g: float, precision: int) -> str:
    """The one line that heads a step, in the caption and in the panel alike."""
    return (f"step {step + 1} of {total}: {who(node, name)}, "
            f"dL/d{name} = {format_number(g, precision)}")


def build_frames(order: Sequence[Value], root: Value, seed: float = 1.0,
                 precision: int = 4, sequence: Sequence[int] | None = None) -> list[Frame]:
    """One Frame per node of `order` (a topological order ending with `root`) that gets a
    gradient, in backward order. A constant (a leaf with requires_grad=False) has no step of
    its own: it passes nothing on, so its frame would only say so (it is folded into its
    consumer's step, see `folded_steps`). `sequence`: the indices in the order to process
    them (a collapsed stepper's group by group; each node after all its consumers)."""
    start = checked_seed(seed, "backward")
    index = {node: i for i, node in enumerate(order)}
    names = reader_names(order, precision)  # as the diagram and Trace name them
    total = len(order)
    grads: list[float | None] = [None] * total  # None: nothing received yet
    grads[index[root]] = start
    frames: list[Frame] = []
    visit = list(reversed(range(total)) if sequence is None else sequence)
    steps_of: dict[Value, list[Step]] = {}  # the chain rule, in this processing order
    for chain in sweep(root, start, [order[i] for i in reversed(visit)]):
        steps_of.setdefault(chain.node, []).append(chain)
    steps = [i for i in visit if gets_gradient(order[i]) or order[i] is root]
    processed: set[int] = set()
    for step, i in enumerate(steps):
        node = order[i]
        received = grads[i]
        changed = {i}  # its text turns from 'grad so far x' into 'grad x'
        mine = tuple(steps_of.get(node, ()))
        for chain in mine:
            j = index[chain.parent]
            grads[j] = chain.total
            changed.add(j)
        frames.append(Frame(step, node, i, tuple(grads),
                            tuple(range(total)) if step == 0 else tuple(sorted(changed)),
                            caption(step, len(steps), node, names[node],
                                    0.0 if received is None else received, precision),
                            precision, done=None if sequence is None else frozenset(processed),
                            steps=mine))
        processed.add(i)
    return frames


def merged_frames(frames: Sequence[Frame], units: Sequence[Sequence[int]],
                  captions: Sequence[str]) -> list[Frame]:
    """One frame per unit (a group of consecutive frames: a collapsed group's nodes, or one
    node): its grads are those after its last node, its changes the union of theirs."""
    merged: list[Frame] = []
    at = 0
    for step, (unit, text) in enumerate(zip(units, captions)):
        part = frames[at:at + len(unit)]
        at += len(unit)
        changed = sorted({i for f in part for i in f.changed} | set(unit))
        merged.append(Frame(step, part[-1].node, part[-1].current, part[-1].grads,
                            tuple(range(len(part[-1].grads))) if step == 0 else tuple(changed),
                            text, part[-1].precision, frozenset(unit), part[0].done))
    return merged


def folded_steps(order: Sequence[Value], frames: Sequence[Frame]) -> list[int]:
    """For each node of `order`, the step at which it is processed; a constant (no step of
    its own) counts as processed with the last of its consumers, so it turns from pending to
    done when nothing more flows past it."""
    index = {node: i for i, node in enumerate(order)}
    step = [-1] * len(order)
    for frame in frames:
        step[frame.current] = frame.step
    for frame in frames:  # backward order: a later frame is a later step
        for parent in frame.node.parents:
            j = index[parent]
            if not gets_gradient(parent):
                step[j] = max(step[j], frame.step)
    return [max(s, 0) for s in step]
