"""The tangent view, `draw(root, view="tangent", seed={x: 1.0})`: forward mode drawn as the
mirror of the backward view.

Each record shows its value and its tangent ṫ = d node / d s for the seeded direction s (the
seed nodes say "seed"); each edge from an input the seed reaches carries what it adds to the
op's tangent, written like the backward edges but forward: `b·ṫ = -3.0 × 1.0 = -3.0` is the
local derivative (from the op's row) times the tangent arriving along the edge. The tangents
come from `autograd.tangents.push_tangents`, the same sweep `jvp` uses.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from ..tangents import push_tangents
from ..value import Value
from .annotate import edge_text
from .dot import GraphBuilder
from .labels import short_label
from .style import escape_record

if TYPE_CHECKING:
    from collections.abc import Container

__all__ = ["TangentBuilder", "TANGENT", "checked_seed_map"]

TANGENT = "ṫ"  # the tangent arriving along an edge (t with a dot: a time derivative's mark)


def checked_seed_map(seed: object) -> dict[Value, float]:
    """`seed` as {input node: tangent}; a clear error for anything else."""
    if not isinstance(seed, Mapping) or not seed:
        raise TypeError(f"view='tangent' needs seed={{x: 1.0}}: a non-empty dict from input "
                        f"Values to their tangents (the direction), got {seed!r}")
    for node in seed:
        if type(node) is not Value:
            raise TypeError(f"seed keys must be Values (the inputs to perturb), got "
                            f"{type(node).__name__}: {node!r}")
    return dict(seed)


class TangentBuilder(GraphBuilder):
    """A GraphBuilder whose records show tangents and whose edges carry `local·ṫ`."""

    def __init__(self, root: Value, order: Sequence[Value], seed: Mapping[Value, float],
                 params: Container[Value] | None, precision: int,
                 inputs: Iterable[Value] = ()) -> None:
        super().__init__(root, order, "tangent", params, precision, inputs=inputs)
        for node in seed:
            if node not in self.ids:  # its tangent could reach nothing: every ṫ would be 0
                name = repr(node.label) if node.label else f"a Value with data {node.data!r}"
                raise ValueError(f"view='tangent': the seed {name} is not in this graph, so no "
                                 "tangent would flow; seed an input of root")
        self.seed = seed
        self.tangents = push_tangents(root, seed)

    def shows_grad(self, node: Value) -> bool:
        """No grad field in this view (its last field is the tangent)."""
        return False

    def record_label(self, node: Value) -> str:
        """'{label | data 2.0 | ṫ 1.0 (seed)}': value and tangent (none for a constant)."""
        fields = [escape_record(short_label(node.label))] if node.label else []
        fields.append(f"data {self._fmt(node.data)}")
        if self.roles[node] != "constant" or node in self.seed:
            t = float(self.tangents.get(node, 0.0))
            fields.append(f"{TANGENT} {self._fmt(t)}" + (" (seed)" if node in self.seed else ""))
        return "{" + " | ".join(fields) + "}"

    def edge_label(self, node: Value, index: int) -> str:
        """What the edge from input `index` adds to node's tangent ('' where no tangent flows)."""
        t = self.tangents.get(node.parents[index])
        if t is None:
            return ""
        return edge_text(node, index, float(t), self.names, self.precision, symbol=TANGENT)
