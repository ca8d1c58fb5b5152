"""Every row's accelerators (`Op.inline`) against the row's own forward and rule.

Generated from the table: for each row with inline templates, the python templates must give
BITWISE the row's forward and local derivatives (or raise where the row raises) over a grid
with kinks, ties, +-0, subnormals and huge values; the numpy kernels must agree to 2 ulp
wherever the row's forward is finite (numpy's exp/tanh/log may round differently from math's).
"""
from __future__ import annotations

import itertools
import math
import struct

import numpy as np
import pytest

from autograd import OPS, Value
from autograd.ops import INLINE_NAMES

GRID = [0.0, -0.0, 5e-324, -5e-324, 2.2250738585072014e-308, 1e-300, 0.5, -0.5, 1.0, -1.0,
        2.0, -3.0, 0.1, 7.25, 1e10, -1e10, 709.0, 710.0, -745.5, 1e300, -1e300]
ROWS = [row for row in OPS.values() if row.inline is not None]
POW_EXPONENTS = [0, 1, 2, 3, -1, -2, 0.5, 2.5, -1.5]


def _bits(x) -> int:
    return struct.unpack("<q", struct.pack("<d", x))[0]


def _points(row):
    if row.arity == 2:
        return [((x, y), None) for x, y in itertools.product(GRID, repeat=2)]
    if row.arity == 0:
        return [(xs, None) for xs in itertools.product(GRID[:12], repeat=3)]
    if row.name == "pow":
        return [((x,), p) for x in GRID for p in POW_EXPONENTS]
    return [((x,), None) for x in GRID]


def _rule(row, xs, p):
    """(forward, locals) by the row itself, or the exception type it raises."""
    try:
        if row.arity == 0:
            out = row.forward(list(xs))
            return out, tuple(row.local(list(xs), out))
        if row.arity == 1:
            out = row.forward(xs[0], p)
            return out, tuple(row.local(xs[0], out, p))
        out = row.forward(*xs)
        return out, tuple(row.local(*xs, out))
    except (ArithmeticError, ValueError) as exc:
        return type(exc), None


def _names(xs, p):
    names = {f"a{i}": x for i, x in enumerate(xs)}
    fill = dict(x="a0", y="a1" if len(xs) > 1 else "", p=repr(p), out="out",
                xs=", ".join(names))
    return names, fill


def _inline(row, xs, p):
    """(forward, locals) by the templates, or the exception type they raise."""
    names, fill = _names(xs, p)
    scope = dict(INLINE_NAMES, **names)
    try:
        out = eval(row.inline.forward.format(**fill), scope)  # the table's own templates
        scope["out"] = out
        count = len(xs)
        local = tuple(eval(row.inline.local[min(k, len(row.inline.local) - 1)].format(**fill),
                           scope) for k in range(count))
    except (ArithmeticError, ValueError) as exc:
        return type(exc), None
    if row.inline.eager and any(d - d for d in local):
        return OverflowError, None  # the row's `_finite` raises on an infinite derivative
    return out, local


@pytest.mark.parametrize("row", ROWS, ids=[r.name for r in ROWS])
def test_python_templates_are_bitwise_the_rows_rule(row):
    checked = 0
    for xs, p in _points(row):
        want, got = _rule(row, xs, p), _inline(row, xs, p)
        if isinstance(want[0], type):
            # the row refuses: replay must refuse too (any error: the step then asks the engine)
            assert isinstance(got[0], type) or any(v - v for v in (got[0], *got[1])), (xs, p)
            continue
        if isinstance(got[0], type):  # replay refuses where the row does not: only on overflow
            assert got[0] is OverflowError and any(d - d for d in want[1]), (row.name, xs, p)
            continue
        assert _bits(got[0]) == _bits(want[0]), (row.name, xs, p, got, want)
        assert [_bits(d) for d in got[1]] == [_bits(float(d)) for d in want[1]], (row.name, xs, p)
        checked += 1
    assert checked >= 10, f"{row.name}: only {checked} points inside the domain"


def _close(a: float, b: float, scale: float) -> bool:
    return abs(a - b) <= 2 * math.ulp(max(abs(b), scale))


@pytest.mark.parametrize("row", [r for r in ROWS if r.inline.np_forward],
                         ids=[r.name for r in ROWS if r.inline.np_forward])
def test_numpy_kernels_agree_with_the_rows_rule_to_2_ulp(row):
    """The forward to 2 ulp (of the largest |term| for a sum, which numpy does not round
    exactly); each local derivative to 2 ulp of what the ROW's rule gives at numpy's own output
    (1 - out**2 magnifies a 1-ulp difference in out: that is the forward's difference, not the
    rule's). A kernel may give inf/nan where the row is finite (pow's 0 * 0**-1): replay then
    finds a non-finite value and asks the object engine, so that is never a wrong number."""
    checked = 0
    for xs, p in _points(row):
        want = _rule(row, xs, p)
        if isinstance(want[0], type) or want[0] - want[0] or any(d - d for d in want[1]):
            continue  # the node would refuse: replay's checks send such a step to the engine
        names, fill = _names(xs, p)
        scope = {"np": np, **{k: np.array([v]) for k, v in names.items()}}
        with np.errstate(all="ignore"):
            out = float(np.asarray(eval(row.inline.np_forward.format(**fill), scope))
                        .reshape(-1)[0])  # the table's own kernels
            scope["out"] = np.array([out])
            local = [float(np.broadcast_to(eval(row.inline.np_local[min(
                k, len(row.inline.np_local) - 1)].format(**fill), scope), (1,))[0])
                for k in range(len(xs))]
        if out - out or any(d - d for d in local):
            continue
        scale = max(map(abs, xs)) if row.arity == 0 else 0.0
        assert _close(out, want[0], scale), (row.name, xs, p, out, want[0])
        if row.arity == 0:
            at_out = row.local(list(xs), out)
        elif row.arity == 1:
            at_out = row.local(xs[0], out, p)
        else:
            at_out = row.local(*xs, out)
        for a, b in zip(local, at_out):
            assert _close(a, float(b), 0.0), (row.name, xs, p, local, at_out)
        for g in (1.5, -0.25) if row.inline.np_backward else ():
            scope["gg"] = np.array([g])
            for k, template in enumerate(row.inline.np_backward):
                passed = float(eval(template.format(g="gg", **fill), scope)[0])
                assert passed == float(at_out[k]) * g, (row.name, xs, g, k)  # +-0 compare equal
        checked += 1
    assert checked >= 10


def test_a_row_without_accelerators_replays_through_its_own_forward_and_rule():
    # Accelerators are optional, so a new op works in `compile` as soon as its row exists (the
    # replay calls the row's forward and rule): adding an op stays one row + one catalogue case.
    # pow_value is such a row; the replayed gradients are bitwise the object engine's.
    import autograd
    assert OPS["pow_value"].inline is None
    a, b = Value(1.5, label="a"), Value(0.75, label="b")
    step = autograd.compile(lambda x: (a ** b) * x, [a, b], example=(1.0,), backend="python")
    xs = [0.5, -2.0, 3.0]
    loss = step(xs)
    replayed = (a.grad, b.grad)
    a.grad = b.grad = 0.0
    total = autograd.vsum([(a ** b) * x for x in xs]) / len(xs)
    total.backward()
    assert loss == total.data and replayed == (a.grad, b.grad)
