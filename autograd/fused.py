"""One call per node: a row's forward and local rule fused into one callable, made FROM the row.

Building a node used to make two calls into its op-table row, `forward` and then `local`; each
Python call costs ~50 ns, a tenth of a node. `fuse(row)` returns one callable doing both:

    unary   fused(x, param) -> (out, dx)
    binary  fused(x, y)     -> (out, dx, dy)

It is never a second copy of the maths. Where a row has python replay source (`Op.inline`:
its python forward and the source DERIVED from its derivative formulas, tested BITWISE against
the row's own `forward` and `local` by tests/test_compile_rows.py) and its rule cannot fail
(`eager` is False), the callable is compiled from that source, with no call left inside for
simple ops (add, mul, relu, ...). Every other row (ones whose rule can raise or overflow,
pow_value with no python forward, n-ary rows) gets the plain composition of its own forward
and rule. tests/test_fused.py checks every fused callable bitwise against forward + local over
a grid.

A fused callable only computes; it explains nothing. The node builders call it first and, if it
raises, run the row's forward and rule again one by one to raise the row's own error (see
`autograd.value`): errors cost a second evaluation, ordinary nodes a single call.

The source is the project's own text in the op table (never user input); it is compiled once,
at import, the way `autograd.compile` compiles it for replay.
"""
from __future__ import annotations

from typing import Any, Callable, Mapping

__all__ = ["fuse"]


def fuse(row: Any, names: Mapping[str, object]) -> Callable[..., tuple]:
    """The fused forward + rule of `row` (an `autograd.ops.Op`); `names` are the names its
    inline templates may use (`autograd.ops.INLINE_NAMES`)."""
    inline = row.inline
    if inline is not None and not inline.eager and row.arity in (1, 2):
        return _from_templates(row.name, row.arity, inline.forward, inline.local, names)
    return _composed(row.arity, row.forward, row.local)


def _from_templates(name: str, arity: int, forward: str, local: tuple, names: Mapping[str, object]
                    ) -> Callable[..., tuple]:
    fill = {"x": "x", "y": "y", "p": "p", "out": "out"}
    params = "x, p=None" if arity == 1 else "x, y"
    rules = ", ".join(template.format(**fill) for template in local)
    source = (f"def fused_{name}({params}):\n"
              f"    out = {forward.format(**fill)}\n"
              f"    return out, {rules}\n")
    namespace: dict[str, Any] = dict(names)
    exec(compile(source, f"<fused {name}>", "exec"), namespace)  # the table's own templates
    fused: Callable[..., tuple] = namespace[f"fused_{name}"]
    fused.__doc__ = f"{name}: forward and local derivatives in one call (from its templates)."
    return fused


def _composed(arity: int, forward: Callable[..., Any], local: Callable[..., Any]
              ) -> Callable[..., tuple]:
    if arity == 1:
        def fused_unary(x: float, p: object = None) -> tuple:
            out = forward(x, p)
            return (out, *local(x, out, p))
        return fused_unary
    if arity == 2:
        def fused_binary(x: float, y: float) -> tuple:
            out = forward(x, y)
            return (out, *local(x, y, out))
        return fused_binary

    def fused_many(xs: list) -> tuple:
        out = forward(xs)
        return (out, *local(xs, out))
    return fused_many
