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
from ..trace import node_names
from .style import format_number

if TYPE_CHECKING:
    from ..value import Value

__all__ = ["Frame", "build_frames", "grad_field_text", "DONE", "CURRENT", "PENDING"]

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
    player only rewrites those; `caption`: one line describing the step; `steps`: the chain
    rule's steps of this node, one per input edge (what the panel writes out).
    """

    step: int
    node: Value
    current: int
    grads: tuple[float | None, ...]
    changed: tuple[int, ...]
    caption: str
    precision: int = 4
    steps: tuple[Step, ...] = ()

    def state(self, index: int) -> str:
        """'done', 'current' or 'pending' for order[index] at this step."""
        if index == self.current:
            return CURRENT
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


def _caption(step: int, total: int, node: Value, name: str, g: float, precision: int) -> str:
    if node.is_leaf and not node.requires_grad:
        return f"step {step + 1}/{total}: {name} is a constant (no gradient)"
    who = name if node.label or node.is_leaf else f"{name} ({node.op})"
    passes = (f", passes it to {len(node.parents)} input edge(s)" if node.parents
              else " (a leaf: its gradient is final)")
    return f"step {step + 1}/{total}: {who} has grad {format_number(g, precision)}{passes}"


def build_frames(order: Sequence[Value], root: Value, seed: float = 1.0,
                 precision: int = 4) -> list[Frame]:
    """One Frame per node of `order` (a topological order ending with `root`), in backward order."""
    start = checked_seed(seed, "backward")
    index = {node: i for i, node in enumerate(order)}
    names = node_names(order, precision)  # as Trace names them: label, constant's value, #k
    steps_of: dict[Value, list[Step]] = {}
    for chain in sweep(root, start, order):
        steps_of.setdefault(chain.node, []).append(chain)
    total = len(order)
    grads: list[float | None] = [None] * total  # None: nothing received yet
    grads[index[root]] = start
    frames = []
    for step in range(total):
        i = total - 1 - step
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
                            _caption(step, total, node, names[node],
                                     0.0 if received is None else received, precision),
                            precision, mine))
    return frames
