"""The last frame of `step_backward(root, explain=wrt)`: wrt's gradient assembled as a sum
over paths, written out in the side panel one path (or group of paths) at a time.

Backward reached `wrt.grad` by `+=` at every node where paths meet; this frame shows the same
number the other way: each path from wrt to root with its chain of local derivatives and
product, and the running sum after each, ending with backward's own gradient beside it.
The frame changes no text in the figure (every node is done): it adds a caption and a page.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..paths import Explanation
from .frames import Frame
from .style import format_number

if TYPE_CHECKING:
    from ..value import Value

__all__ = ["explain_frame", "explain_page", "PANEL_LIMIT"]

PANEL_LIMIT = 20  # paths written one by one in the panel; grouped above this


def explain_page(order: Sequence[Value], root: Value, wrt: Value, backward: float | None,
                 page: int, precision: int = 4) -> tuple[str, list[str]]:
    """(caption, panel lines) of the page assembling wrt's gradient, page `page` (1-based) of
    as many; `backward`: the gradient backward gave wrt (None: it got none)."""
    if wrt not in set(order):
        raise ValueError(f"step_backward(explain=...): {wrt.label or 'that Value'!r} is not in "
                         "this graph, so no path leads from it to the root")
    e = Explanation(root, wrt, limit=PANEL_LIMIT, precision=precision)
    fmt = lambda x: format_number(x, precision)  # noqa: E731  (a short local alias)
    root_name, wrt_name = e.names[root], e.names[wrt]
    lines = [f"step {page} of {page}: dL/d{wrt_name} as a sum over paths",
             f"{e.count} path{'s lead' if e.count != 1 else ' leads'} from {wrt_name} to "
             f"{root_name}"
             + (f", in {len(e.groups)} groups by the node they pass through" if e.grouped else "")]
    terms: list[float] = []
    for k, path in enumerate(e.paths):
        terms.append(path.product)
        lines.append(f"path {k + 1}: {path.text(precision)}")
        lines.append(f"    sum so far = {fmt(math.fsum(terms))}")
    for k, group in enumerate(e.groups):
        terms.append(group.total)
        lines.append(f"group {k + 1}: {group.text(root_name, wrt_name, precision)}")
        lines.append(f"    sum so far = {fmt(math.fsum(terms))}")
    lines.append(f"sum = {fmt(e.total)}; backward gave dL/d{wrt_name} = "
                 f"{fmt(0.0 if backward is None else backward)}")
    caption = (f"step {page}/{page}: the gradient of {wrt_name} is the sum over its {e.count} "
               f"path{'s' if e.count != 1 else ''} to {root_name}: {fmt(e.total)}")
    return caption, lines


def explain_frame(frames: Sequence[Frame], order: Sequence[Value], root: Value, wrt: Value,
                  precision: int = 4) -> tuple[Frame, list[str]]:
    """The extra frame after the last backward step (every node done) and its panel lines."""
    last = frames[-1]
    index = list(order).index(wrt) if wrt in set(order) else None
    caption, lines = explain_page(order, root, wrt, None if index is None else last.grads[index],
                                  len(frames) + 1, precision)
    # current = -1: no node is being processed, every node is done (Frame.state)
    return Frame(len(frames), wrt, -1, last.grads, (), caption, precision), lines
