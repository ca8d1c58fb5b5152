"""The numpy backend: the tape runs over the whole batch at once, as arrays.

The tape becomes straight-line source again, now over arrays of shape (batch,): an input slot
is a row of the input matrix, a parameter or constant a float (broadcast), and each op entry
one numpy expression from its row's `np_forward` / `np_local` kernels (a row without kernels
is looped element by element with its own forward and rule).

Whole layers are recognised and kept as ONE 2-D array (a block: one row per neuron), since
numpy's fixed cost per call (~1-2 us) and its per-row overhead, not the arithmetic, is what a
scalar tape pays for:
- a dense layer: a sum whose terms are products parameter * x (each used by that sum only),
  plus at most one parameter (the bias), is a neuron; the neurons that read the same x in the
  same order form one block `Z = W @ X + b`, backward `W.T @ GZ` and `GZ @ X.T`;
- an elementwise map: the same unary op (relu, tanh, ...) applied to every row of a block is
  one kernel call on the block, backward one call too;
- an elementwise binary op applied to every row of a block (of two rows or more) with ONE
  shared other input (a softmax's shift `z_i - m`, a division by a shared sum: broadcast;
  backward sums the shared input's gradient over the rows) or with the sample's input rows in
  order (a one-hot target's `t_i * logp_i`) is one kernel call on the block too: softmax
  cross-entropy over 10 classes went from ~125 row operations per step to ~25;
- X of a layer that is exactly the rows of a block (the previous layer's activations, or
  consecutive inputs) is that block itself: nothing is re-stacked.
Rows of a block are unpacked into per-row arrays only where other code reads them one by one.
Parameters laid out as a regular grid (nn's neuron by neuron) are read and accumulated through
slices of the parameter arrays (views) instead of index arrays.

Gradients agree with the object engine to about 1e-15 relative (sums are in another order, and
numpy's exp/tanh may round differently from math's); not bitwise. A non-finite value anywhere
sends the step back to the object engine, which raises its named error.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
from numpy.typing import NDArray

from ..ops import Op
from .tape import Entry, Tape

__all__ = ["generate_numpy", "Replay"]

Array = NDArray[np.float64]
# replay(X, PA, A, L, groot, n) -> (per-sample losses, chk); see generate_numpy
Replay = Callable[[Array, Array, Array, tuple[float, ...], float, int], tuple[Array, float]]


@dataclass
class _Layer:
    """A dense layer: the sum slots (one per neuron), the shared x slots, the weights'
    parameter indices (neurons x inputs) and the biases' (or None)."""

    sums: list[int]
    xs: list[int]
    weights: list[list[int]]
    bias: list[int] | None


@dataclass
class _Block:
    """Slots kept as the rows of one 2-D array named `name`: a layer's output (`layer` >= 0)
    or the elementwise op `row` (with `arg`) applied to every row of block `source`; for a
    binary `row`, with each row as input `side` (0: x, 1: y) and as the other input either
    ONE slot `other` shared by every row (a softmax's shift `z_i - m`, broadcast) or the
    consecutive input rows `rows` (`X[64:74]`: a one-hot target's `t_i * logp_i`)."""

    name: str
    members: list[int]
    layer: int = -1
    row: Op | None = None
    arg: object = None
    source: int = -1
    side: int = 0
    other: int = -1
    other_is_param: bool = False
    rows: str = ""


def _row_of(entry: Entry) -> Op:
    """The op-table row of an op entry."""
    row = entry.row
    if not isinstance(row, Op):
        raise TypeError(f"numpy replay: entry {entry.label!r} ({entry.kind}) has no op row")
    return row


def _analyse(tape: Tape) -> tuple[list[_Layer], set[int], list[bool], list[int]]:
    """(the dense layers, the mul slots folded into them, which slots vary with the sample,
    how many op entries read each slot)."""
    entries: list[Entry] = tape.entries
    uses = [0] * len(entries)
    for e in entries:
        for i in e.inputs:
            uses[i] += 1
    varies = [e.kind == "input" for e in entries]
    for slot, e in enumerate(entries):
        if e.kind == "op" and any(varies[i] for i in e.inputs):
            varies[slot] = True
    groups: dict[tuple[tuple[int, ...], bool], list[tuple[int, list[int], int | None,
                                                         list[int]]]] = {}
    for slot, e in enumerate(entries):
        if e.kind != "op" or _row_of(e).name != "sum":
            continue
        weights: list[int] = []
        xs: list[int] = []
        bias: list[int] = []
        ok = True
        for i in e.inputs:
            t = entries[i]
            if t.kind == "param":
                bias.append(t.index)
                continue
            if t.kind != "op" or _row_of(t).name != "mul" or uses[i] != 1 or i == tape.root:
                ok = False
                break
            a, b = t.inputs
            if entries[a].kind == "param" and entries[b].kind != "param" and varies[b]:
                weights.append(entries[a].index)
                xs.append(b)
            elif entries[b].kind == "param" and entries[a].kind != "param" and varies[a]:
                weights.append(entries[b].index)
                xs.append(a)
            else:
                ok = False
                break
        if not ok or not weights or len(bias) > 1 or len(set(xs)) != len(xs):
            continue
        groups.setdefault((tuple(xs), bool(bias)), []).append(
            (slot, weights, bias[0] if bias else None,
             [i for i in e.inputs if entries[i].kind == "op"]))
    layers: list[_Layer] = []
    folded: set[int] = set()
    for (xs_key, has_bias), neurons in groups.items():
        biases = [n[2] for n in neurons]
        layers.append(_Layer([n[0] for n in neurons], list(xs_key), [n[1] for n in neurons],
                             [b for b in biases if b is not None] if has_bias else None))
        for n in neurons:
            folded.update(n[3])
    return layers, folded, varies, uses


def _blocks(tape: Tape, layers: list[_Layer], folded: set[int]) -> list[_Block]:
    """The layers' outputs, then every elementwise op applied row by row to a whole block (each
    row by its own entry) as blocks: a unary op, or a binary one whose other input is one
    shared slot or the consecutive input rows (see _Block); a slot belongs to one block at
    most."""
    entries: list[Entry] = tape.entries
    consumers: dict[int, list[int]] = {}
    for slot, e in enumerate(entries):
        if e.kind == "op" and slot not in folded:
            for i in e.inputs:
                consumers.setdefault(i, []).append(slot)
    blocks = [_Block(f"Z{g}", list(layer.sums), layer=g) for g, layer in enumerate(layers)]
    taken = {s for b in blocks for s in b.members}
    input_slot = {e.index: slot for slot, e in enumerate(entries) if e.kind == "input"}
    k = 0
    while k < len(blocks):  # blocks made here are searched too (tanh then relu, ...)
        members = blocks[k].members
        for first in consumers.get(members[0], []):
            row, arg = _row_of(entries[first]), entries[first].arg
            if first in taken or row.inline is None or not row.inline.np_forward:
                continue
            if row.arity == 1:
                mapped = [next((c for c in consumers.get(m, []) if c not in taken
                                and _row_of(entries[c]) is row and entries[c].arg == arg), -1)
                          for m in members]
                if -1 not in mapped:
                    blocks.append(_Block(f"H{len(blocks)}", mapped, row=row, arg=arg, source=k))
                    taken.update(mapped)
            elif row.arity == 2 and len(members) > 1:  # (one row: nothing to gain)
                found = _binary_block(entries, consumers, taken, input_slot, members, first,
                                      row)
                if found is not None:
                    found.name, found.source = f"H{len(blocks)}", k
                    blocks.append(found)
                    taken.update(found.members)
        k += 1
    return blocks


def _binary_block(entries: list[Entry], consumers: dict[int, list[int]], taken: set[int],
                  input_slot: dict[int, int], members: list[int], first: int,
                  row: Op) -> _Block | None:
    """The block of `row` applied to every row of `members` (as `first` is to the first) with
    one shared other input or the consecutive input rows, or None."""
    inputs = entries[first].inputs
    if inputs[0] == inputs[1]:
        return None
    side = 0 if inputs[0] == members[0] else 1
    other = inputs[1 - side]
    if other in members:
        return None
    o = entries[other]
    by_rows = o.kind == "input"  # then row i's other input is input o.index + i
    mapped = []
    for i, m in enumerate(members):
        want = input_slot.get(o.index + i, -1) if by_rows else other
        found = next((c for c in consumers.get(m, []) if c not in taken
                      and _row_of(entries[c]) is row and entries[c].inputs[side] == m
                      and entries[c].inputs[1 - side] == want), -1)
        if found < 0 or want < 0:
            return None
        mapped.append(found)
    if by_rows:
        return _Block("", mapped, row=row, side=side,
                      rows=f"X[{o.index}:{o.index + len(members)}]")
    return _Block("", mapped, row=row, side=side, other=other,
                  other_is_param=o.kind == "param")


@dataclass
class _Terms:
    """A sum of many parameter-only terms of one shape (an L2 penalty: sum of p * p), kept as
    arrays over the terms. `nodes` is the shape in post-order: ("P", j) the term's j-th
    parameter, ("C", value) a constant, ("op", row, arg, child nodes); `params[j]` the j-th
    parameter's index in every term; `slots` every interior slot of every term."""

    nodes: list[tuple[Any, ...]]
    params: list[list[int]]
    slots: list[int]


_MIN_TERMS = 8  # below this, one line per term reads better and costs about the same


def _shape(entries: list[Entry], uses: list[int], slot: int, nodes: list[tuple[Any, ...]],
           params: list[int], slots: list[int]) -> bool:
    """Append the post-order shape of the term at `slot` (see _Terms); False when the term is
    not a tree of kernel ops over parameters and constants."""
    e = entries[slot]
    if e.kind == "param":
        j = params.index(e.index) if e.index in params else len(params)
        if j == len(params):
            params.append(e.index)
        nodes.append(("P", j))
        return True
    if e.kind == "const":
        nodes.append(("C", e.value))
        return True
    if e.kind != "op" or uses[slot] != 1:
        return False
    row = _row_of(e)
    if row.arity == 0 or row.inline is None or not row.inline.np_forward:
        return False
    children = []
    for i in e.inputs:
        leaf = entries[i]
        if leaf.kind == "param":  # leaves here, not by recursion: 85k terms of L2 are 1/3 faster
            j = params.index(leaf.index) if leaf.index in params else len(params)
            if j == len(params):
                params.append(leaf.index)
            nodes.append(("P", j))
        elif leaf.kind == "const":
            nodes.append(("C", leaf.value))
        elif not _shape(entries, uses, i, nodes, params, slots):
            return False
        children.append(len(nodes) - 1)
    nodes.append(("op", row, e.arg, tuple(children)))
    slots.append(slot)
    return True


def _term_sums(tape: Tape, uses: list[int], taken: set[int]) -> dict[int, _Terms]:
    """The sums (not in `taken`: a layer's) whose inputs are _MIN_TERMS or more parameter-only
    terms of one shape, by slot: each becomes a few array statements, not one line per term."""
    entries: list[Entry] = tape.entries
    found: dict[int, _Terms] = {}
    for slot, e in enumerate(entries):
        if (e.kind != "op" or slot in taken or _row_of(e).name != "sum"
                or len(e.inputs) < _MIN_TERMS or len(set(e.inputs)) != len(e.inputs)):
            continue
        shape: list[tuple[Any, ...]] | None = None
        columns: list[list[int]] = []
        interior: list[int] = []
        for i in e.inputs:
            nodes: list[tuple[Any, ...]] = []
            params: list[int] = []
            if i == tape.root or not _shape(entries, uses, i, nodes, params, interior) \
                    or not params or (shape is not None and nodes != shape):
                shape = None
                break
            shape = nodes
            if not columns:
                columns = [[] for _ in params]
            for column, index in zip(columns, params):
                column.append(index)
        if shape is not None:
            found[slot] = _Terms(shape, columns, interior)
    return found


def _grid(indices: list[list[int]], size: int) -> str | None:
    """A slice of a parameter array that IS this (rows x columns) index grid, as source
    ('[3:99].reshape(16, 3)[:, :2]': a view, cheaper than indexing), or None."""
    k, m = len(indices), len(indices[0])
    base = indices[0][0]
    stride = indices[1][0] - base if k > 1 else m
    if stride < m or base + k * stride > size or any(
            len(r) != m or r != list(range(base + i * stride, base + i * stride + m))
            for i, r in enumerate(indices)):
        return None
    # (the trailing [:, :m] also makes it a target of +=, which a bare call cannot be)
    return f"[{base}:{base + k * stride}].reshape({k}, {stride})[:, :{m}]"


def _strided(indices: list[int]) -> str | None:
    """A slice '[5:101:3]' that IS this list of indices (increasing, evenly spaced), or None."""
    step = indices[1] - indices[0] if len(indices) > 1 else 1
    if step < 1 or indices != list(range(indices[0], indices[0] + step * len(indices), step)):
        return None
    return f"[{indices[0]}:{indices[-1] + 1}:{step}]"


class _Source:
    """The lines of the generated function and the names it needs (`ns`)."""

    def __init__(self) -> None:
        self.lines = ["def replay(X, PA, A, L, groot, n):"]
        self.ns: dict[str, object] = {"np": np}
        # the shape of each reused buffer (see `buffer`): (rows, None) means (rows, batch)
        self.rows: list[tuple[int, int | None]] = []  # (0, columns): 1-D

    def buffer(self, rows: int, columns: int | None = None) -> str:
        """The name of a (rows, batch) array ((rows, columns) with columns) the replay keeps for
        its batch size and writes with `out=` on every call: a 10^4-wide block allocated afresh
        each step is mostly page faults (measured: system time 1.7x the arithmetic's user time
        at the moons MLP), and so is a 256 x 256 gradient or an 85k-long L2 term."""
        self.rows.append((rows, columns))
        return f"B{len(self.rows) - 1}"

    def into(self, rows: int, expr: str, kernel: str = "", columns: int | None = None) -> str:
        """expr (a kernel call `np.f(...)`, or `a @ b`, `a * b` given as kernel "@", "*" with
        expr "a|b") computed into a reused buffer where its form allows, else expr."""
        if kernel:
            a, b = expr.split("|")
            return f"np.{_KERNELS[kernel]}({a}, {b}, out={self.buffer(rows, columns)})"
        if _single_call(expr):
            return f"{expr[:-1]}, out={self.buffer(rows, columns)})"
        return expr

    def source(self) -> str:
        """The function's source, the buffers fetched for the batch size first."""
        lines = list(self.lines)
        if self.rows:
            names = ", ".join(f"B{i}" for i in range(len(self.rows)))
            lines.insert(1, f"    {names}, = buffers(n)")
            self.ns["buffers"] = _pool(list(self.rows))
        return "\n".join(lines) + "\n"

    def emit(self, line: str) -> None:
        """One statement of the function body."""
        self.lines.append("    " + line)

    def params(self, name: str, indices: list[int] | list[list[int]],
               view: str | None) -> tuple[str, str]:
        """(how to read these parameters from PA, how to add an array of their gradients to A):
        the slice `view` when there is one, else an index array (np.add.at when repeated)."""
        if view is not None:
            return f"PA{view}", f"A{view} += {{}}"
        array = np.array(indices, dtype=np.intp)
        self.ns[name] = array
        if np.unique(array).size == array.size:
            return f"PA[{name}]", f"A[{name}] += {{}}"
        return f"PA[{name}]", f"np.add.at(A, {name}, {{}})"  # a shared weight: add every use


def _single_call(expr: str) -> bool:
    """Whether expr is ONE call `np.name(...)` of a numpy ufunc (which takes `out=`)."""
    if not expr.startswith("np.") or not expr.endswith(")") or "(" not in expr:
        return False
    name = expr[3:expr.index("(")]
    if not name.isidentifier() or not isinstance(getattr(np, name, None), np.ufunc):
        return False
    depth = 0
    for k, c in enumerate(expr):
        depth += (c == "(") - (c == ")")
        if depth == 0 and c == ")" and k != len(expr) - 1:
            return False  # np.f(a) + np.g(b): two calls
    return True


_KERNELS = {"@": "matmul", "*": "multiply", "+": "add", "-": "subtract"}
# rows whose numpy forward is one of those operators on their two inputs
_BINARY = {"mul": "*", "add": "+", "sub": "-"}


def _pool(rows: list[tuple[int, int | None]]) -> Callable[[int], list[Array]]:
    """buffers(n): the replay's arrays for batch size n, made once per size (the last few
    sizes kept: a training loop alternates between the batch size and the last batch's)."""
    kept: dict[int, list[Array]] = {}

    def buffers(n: int) -> list[Array]:
        got = kept.get(n)
        if got is None:
            if len(kept) >= 4:
                kept.pop(next(iter(kept)))
            got = kept[n] = [np.empty((r, n) if c is None else (r, c) if r else (c,))
                             for r, c in rows]
        return got
    return buffers


def _fill(row: Op, names: list[str], out: str, arg: object) -> dict[str, str]:
    """The names a row's templates are filled with."""
    return dict(x=names[0] if names else "", y=names[1] if len(names) > 1 else "",
                out=out, p=repr(arg), xs=", ".join(names))


def _locals(row: Op, fill: dict[str, str], count: int) -> list[str]:
    """The row's numpy local-derivative kernels, one per input."""
    assert row.inline is not None
    np_local = row.inline.np_local
    return [np_local[min(k, len(np_local) - 1)].format(**fill) for k in range(count)]


def _times(local: str, g: str) -> str:
    """`local * g` as short source ('' when the local derivative is 0)."""
    if local == "0.0":
        return ""
    return g if local == "1.0" else f"-{g}" if local == "-1.0" else f"({local}) * {g}"


def generate_numpy(tape: Tape) -> tuple[str, Replay]:
    """(source, function) of the batched replay: function(X, PA, A, L, groot, n) with X the
    inputs as a (inputs, batch) array, PA the parameters' data (one float64 array), A the
    gradient accumulators (an array, updated in place), L the live leaves' data.
    Returns (per-sample losses, chk)."""
    entries: list[Entry] = tape.entries
    needs: list[bool] = tape.needs_grad
    size = len(tape.params)
    layers, folded, varies, uses = _analyse(tape)
    terms = _term_sums(tape, uses, folded | {s for layer in layers for s in layer.sums})
    for found in terms.values():
        folded.update(found.slots)
    blocks = _blocks(tape, layers, folded | set(terms))  # a sum of terms is no block's reader
    block_of = {s: b for b, block in enumerate(blocks) for s in block.members}
    head = {min(block.members): b for b, block in enumerate(blocks)}
    out = _Source()

    # where each layer's X comes from: a block as it is, consecutive input rows, or a stack
    x_source: list[str] = []
    x_block: list[int] = []
    for layer in layers:
        b = block_of.get(layer.xs[0], -1)
        firsts = [entries[x].index for x in layer.xs]
        if b >= 0 and blocks[b].members == layer.xs:
            x_source.append(blocks[b].name)
        elif all(entries[x].kind == "input" for x in layer.xs) and firsts == list(
                range(firsts[0], firsts[0] + len(firsts))):
            x_source.append(f"X[{firsts[0]}:{firsts[-1] + 1}]")
            b = -1
        else:
            x_source.append("")
            b = -1
        x_block.append(b)
    # the slots other code reads one row at a time (a block's rows are unpacked for them)
    single = {tape.root}
    for slot, e in enumerate(entries):
        if e.kind == "op" and slot not in folded and slot not in block_of and slot not in terms:
            single.update(e.inputs)
    for layer, src in zip(layers, x_source):
        if not src:
            single.update(layer.xs)
    single.update(block.other for block in blocks if block.other >= 0)  # broadcast rows

    for slot, e in enumerate(entries):  # the leaves read one by one (a layer's: as slices)
        if slot not in single:
            continue
        if e.kind == "param":
            out.emit(f"v{slot} = float(PA[{e.index}])")
        elif e.kind == "input":
            out.emit(f"v{slot} = X[{e.index}]")
        elif e.kind == "const":
            out.emit(f"v{slot} = {e.value!r}")
    for k, (slot, _) in enumerate(tape.live):
        if slot in single:
            out.emit(f"v{slot} = L[{k}]")

    weight_io: list[tuple[str, str]] = []
    bias_io: list[tuple[str, str]] = []
    for g, layer in enumerate(layers):
        weight_io.append(out.params(f"WI{g}", layer.weights, _grid(layer.weights, size)))
        bias_io.append(out.params(f"BI{g}", layer.bias, _strided(layer.bias))
                       if layer.bias else ("", ""))

    checks: list[str] = []
    local_exprs: dict[int, list[str]] = {}
    backward_exprs: dict[int, list[str]] = {}
    block_local: dict[int, tuple[str, ...]] = {}
    term_locals: dict[int, dict[int, list[str]]] = {}
    for slot, e in enumerate(entries):
        if slot in terms:
            term_locals[slot] = _forward_terms(out, slot, terms[slot], checks)
            continue
        if e.kind != "op" or slot in folded:
            continue
        if slot in block_of:
            if slot in head:
                _forward_block(out, head[slot], blocks, layers, x_source, weight_io, bias_io,
                               checks, block_local)
                block = blocks[head[slot]]
                if single.intersection(block.members):
                    out.emit(", ".join(f"v{s}" for s in block.members) + f", = {block.name}")
            continue
        row = _row_of(e)
        names = [f"v{i}" for i in e.inputs]
        fill = _fill(row, names, f"v{slot}", e.arg)
        inline = row.inline
        if inline is not None and inline.np_forward:
            out.emit(f"v{slot} = {inline.np_forward.format(**fill)}")
            exprs = _locals(row, fill, len(names))
            if inline.eager:
                for k, expr in enumerate(exprs):
                    out.emit(f"d{slot}_{k} = {expr}")
                exprs = [f"d{slot}_{k}" for k in range(len(names))]
                checks += exprs
            if inline.np_backward:
                backward_exprs[slot] = [inline.np_backward[k].format(g=f"g{slot}", **fill)
                                        for k in range(len(names))]
        else:  # no kernel: loop the row's own forward and rule over the batch
            out.ns[f"R{slot}"] = row
            out.ns["loop_row"] = _loop_row
            out.emit(f"v{slot}, D{slot} = loop_row(R{slot}, ({', '.join(names)},), "
                     f"{e.arg!r}, n)")
            exprs = [f"D{slot}[{k}]" for k in range(len(names))]
            checks += exprs
        local_exprs[slot] = exprs
        if not row.propagates:
            # an input that is a block's row is checked once, as the whole block (one sum)
            checks += [blocks[block_of[i]].name if i in block_of else n
                       for n, i in zip(names, e.inputs) if entries[i].kind != "const"]
    root = tape.root
    # broadcast only a loss that ignores x (a float): otherwise it is already (batch,)
    # a tape without inputs (extra=) runs once, on floats: no arrays of one element
    scalar = tape.n_inputs == 0
    out.emit(f"loss = (v{root},)" if scalar else
             f"loss = v{root}" + ("" if varies[root] else " + np.zeros(n)"))
    checks.append("loss")
    # np.add.reduce(x, None), not np.sum(x): the same sum without np.sum's Python wrapper
    # (~1 us less per call, a tenth of a moons step at batch 100)
    out.emit("chk = " + " + ".join(f"np.add.reduce({c}, None)" for c in dict.fromkeys(checks)))
    out.emit(f"g{root} = groot" if scalar else f"g{root} = np.full(n, groot)")
    have = {root}
    block_have: set[int] = set()

    def add(target: int, expr: str) -> None:
        t = entries[target]
        if t.kind == "param":
            out.emit(f"A[{t.index}] += np.add.reduce({expr}, None)")
        elif target in have:
            # `g - h`, not `g + -h`: one array op instead of two (sub's second input, and
            # every shift of a softmax, accumulate this way)
            negated = expr[1:] if expr.startswith("-") and expr[1:].isidentifier() else ""
            out.emit(f"g{target} = g{target} - {negated}" if negated
                     else f"g{target} = g{target} + {expr}")
        else:
            out.emit(f"g{target} = {expr}")
            have.add(target)

    shared: set[int] = set()  # blocks whose gradient is (still) another array's name

    def add_block(b: int, expr: str) -> None:
        # in place, unless the gradient is another array itself (a unit derivative passed g)
        name = f"G{blocks[b].name}"
        if b not in block_have:
            out.emit(f"{name} = {expr}")
            if expr.isidentifier():
                shared.add(b)
        elif b in shared:
            out.emit(f"{name} = {name} + {expr}")
            shared.discard(b)
        else:
            out.emit(f"{name} += {expr}")
        block_have.add(b)

    for slot in range(len(entries) - 1, -1, -1):
        e = entries[slot]
        if e.kind != "op" or not needs[slot] or slot in folded:
            continue
        if slot in block_of:
            if slot in head:  # every row's gradient is complete: the block's backward
                b = head[slot]
                block = blocks[b]
                if have.intersection(block.members):
                    add_block(b, "np.stack((" + ", ".join(
                        f"g{s}" if s in have else "np.zeros(n)" for s in block.members) + ",))")
                if b in block_have:
                    _backward_block(out, b, blocks, layers, x_source, x_block, weight_io,
                                    bias_io, block_local, needs, add, add_block)
            continue
        if slot not in have:
            continue  # no gradient reached this node
        if slot in terms:
            _backward_terms(out, slot, terms[slot], term_locals[slot])
            continue
        for k, parent in enumerate(e.inputs):
            if not needs[parent]:
                continue
            if slot in backward_exprs:
                add(parent, backward_exprs[slot][k])
                continue
            expr = _times(local_exprs[slot][k], f"g{slot}")
            if expr:
                add(parent, expr)
    out.emit("return loss, float(chk)")  # a float: inf - inf in the caller warns on numpy's
    source = out.source()
    exec(compile(source, "<autograd.compile numpy>", "exec"), out.ns)  # generated, never user text
    replay: Replay = out.ns["replay"]  # type: ignore[assignment]
    return source, replay


def _forward_terms(out: _Source, slot: int, terms: _Terms,
                   checks: list[str]) -> dict[int, list[str]]:
    """The statements computing a sum of parameter-only terms as arrays over the terms (see
    _Terms); returns the local-derivative expressions of each op node of the shape."""
    names: list[str] = []
    io: list[tuple[str, str]] = []
    for j, column in enumerate(terms.params):
        io.append(out.params(f"TI{slot}_{j}", column, _strided(column)))
        out.emit(f"T{slot}_p{j} = {io[j][0]}")
    locs: dict[int, list[str]] = {}
    for k, node in enumerate(terms.nodes):
        if node[0] == "P":
            names.append(f"T{slot}_p{node[1]}")
            continue
        if node[0] == "C":
            names.append(repr(node[1]))
            continue
        _, row, arg, children = node
        assert row.inline is not None  # _shape takes kernel rows only
        name = f"T{slot}_{k}"
        names.append(name)
        fill = _fill(row, [names[c] for c in children], name, arg)
        width = len(terms.params[0])  # a 1-D buffer (rows 0) of one element per term
        if row.name in _BINARY:
            forward = out.into(0, f"{fill['x']}|{fill['y']}", _BINARY[row.name], width)
        else:
            forward = out.into(0, row.inline.np_forward.format(**fill), "", width)
        out.emit(f"{name} = {forward}")
        exprs = _locals(row, fill, len(children))
        if row.inline.eager:
            for i, expr in enumerate(exprs):
                out.emit(f"{name}_d{i} = {expr}")
            exprs = [f"{name}_d{i}" for i in range(len(children))]
            checks += exprs
        if not row.propagates:
            checks += [names[c] for c in children if terms.nodes[c][0] != "C"]
        locs[k] = exprs
    out.emit(f"v{slot} = float(np.add.reduce({names[-1]}, None))")
    return locs


def _backward_terms(out: _Source, slot: int, terms: _Terms, locs: dict[int, list[str]]) -> None:
    """The reverse sweep through the terms' shape, over all terms at once, into A."""
    last = len(terms.nodes) - 1
    out.emit(f"TG{slot}_{last} = float(np.add.reduce(g{slot}, None))")
    into: dict[int, list[str]] = {j: [] for j in range(len(terms.params))}
    for k in range(last, -1, -1):
        node = terms.nodes[k]
        if node[0] != "op":
            continue
        for i, child in enumerate(node[3]):
            expr = _times(locs[k][i], f"TG{slot}_{k}")
            kind = terms.nodes[child][0]
            if not expr or kind == "C":
                continue
            if kind == "P":
                into[terms.nodes[child][1]].append(expr)
            else:  # a tree: this node is the child's only reader
                out.emit(f"TG{slot}_{child} = {expr}")
    for j, exprs in into.items():
        if not exprs:
            continue
        column = terms.params[j]
        _, accumulate = out.params(f"TI{slot}_{j}", column, _strided(column))
        if len(set(exprs)) == 1 and exprs[0].startswith("("):  # p * p: (p) * g twice
            local, g = exprs[0][1:].rsplit(") * ", 1)
            # k (a g) = a (k g) to the bit (k a small whole number: exact), into a buffer
            factor = g if len(exprs) == 1 else f"{len(exprs)}.0 * {g}"
            out.emit(accumulate.format(out.into(0, f"{local}|{factor}", "*", len(column))))
        else:
            out.emit(accumulate.format(" + ".join(exprs)))


def _forward_block(out: _Source, b: int, blocks: list[_Block], layers: list[_Layer],
                   x_source: list[str], weight_io: list[tuple[str, str]],
                   bias_io: list[tuple[str, str]], checks: list[str],
                   block_local: dict[int, tuple[str, ...]]) -> None:
    """The statements computing block b as a whole (a layer's product, or one kernel call)."""
    block = blocks[b]
    if block.row is None:
        g = block.layer
        layer = layers[g]
        if not x_source[g]:
            out.emit(f"X{g} = np.stack(({', '.join(f'v{x}' for x in layer.xs)},))")
            x_source[g] = f"X{g}"
        out.emit(f"W{g} = {weight_io[g][0]}")
        rows = len(block.members)
        out.emit(f"{block.name} = {out.into(rows, f'W{g}|{x_source[g]}', '@')}")
        if layer.bias:
            out.emit(f"{block.name} += {bias_io[g][0]}[:, None]")
        return
    row, source = block.row, blocks[block.source].name
    assert row.inline is not None
    rows = len(block.members)
    if row.arity == 2:  # the other input: one row broadcast over the block, or input rows
        other = block.rows or f"v{block.other}"
        names = [source, other] if block.side == 0 else [other, source]
        fill = _fill(row, names, block.name, block.arg)
        forward = (out.into(rows, f"{names[0]}|{names[1]}", _BINARY[row.name])
                   if row.name in _BINARY else out.into(rows, row.inline.np_forward.format(**fill)))
        out.emit(f"{block.name} = {forward}")
        local = _locals(row, fill, 2)
        if row.inline.eager:
            for k, expr in enumerate(local):
                out.emit(f"D{block.name}_{k} = {expr}")
            local = [f"D{block.name}_{k}" for k in range(2)]
            checks.extend(local)
        # (block's local, other's local)
        block_local[b] = (local[block.side], local[1 - block.side])
        if not row.propagates:
            checks.extend(names)
        return
    fill = _fill(row, [source], block.name, block.arg)
    out.emit(f"{block.name} = {out.into(rows, row.inline.np_forward.format(**fill))}")
    local = _locals(row, fill, 1)
    if row.inline.eager:
        out.emit(f"D{block.name} = {local[0]}")
        local = [f"D{block.name}"]
        checks.append(local[0])
    block_local[b] = (local[0],)
    if not row.propagates:
        checks.append(source)


def _backward_block(out: _Source, b: int, blocks: list[_Block], layers: list[_Layer],
                    x_source: list[str], x_block: list[int],
                    weight_io: list[tuple[str, str]], bias_io: list[tuple[str, str]],
                    block_local: dict[int, tuple[str, ...]], needs: list[bool],
                    add: Callable[[int, str], None],
                    add_block: Callable[[int, str], None]) -> None:
    """The statements passing block b's gradient G<name> on: to the layer's parameters and X,
    or through the elementwise op to the block it maps."""
    block = blocks[b]
    grad = f"G{block.name}"
    if block.row is None:
        g = block.layer
        layer = layers[g]
        out.emit(weight_io[g][1].format(out.into(len(layer.weights), f"{grad}|{x_source[g]}.T",
                                                 "@", len(layer.weights[0]))))
        if layer.bias:
            out.emit(bias_io[g][1].format(f"{grad}.sum(axis=1)"))
        if not any(needs[x] for x in layer.xs):
            return
        if x_block[g] >= 0:
            add_block(x_block[g], out.into(len(layer.xs), f"W{g}.T|{grad}", "@"))
            return
        out.emit(f"GX{g} = {out.into(len(layer.xs), f'W{g}.T|{grad}', '@')}")
        for k, x in enumerate(layer.xs):
            if needs[x]:
                add(x, f"GX{g}[{k}]")
        return
    row, source = block.row, blocks[block.source].name
    assert row.inline is not None
    rows = len(block.members)
    if row.arity == 2:
        local, other_local = block_local[b]
        if block.other >= 0 and needs[block.other]:  # first: `grad` is not yet passed on
            expr = _times(other_local, grad)
            if expr:  # summed over the rows it was broadcast to (all of it, for a parameter)
                add(block.other, expr if block.other_is_param else f"np.add.reduce({expr}, 0)")
        if not needs[blocks[block.source].members[0]]:
            return
        expr = _times(local, grad)
        if expr.startswith("(") and expr.endswith(f") * {grad}"):
            expr = out.into(rows, f"{expr[1:-len(grad) - 4]}|{grad}", "*")
        if expr:
            add_block(block.source, expr)
        return
    if not needs[blocks[block.source].members[0]]:
        return
    if row.inline.np_backward:
        fill = _fill(row, [source], block.name, block.arg)
        template = row.inline.np_backward[0]
        if template.startswith("{g} * "):  # a product: into a buffer
            expr = out.into(rows, grad + "|" + template[6:].format(g=grad, **fill), "*")
        else:
            expr = out.into(rows, template.format(g=grad, **fill))
    else:
        expr = _times(block_local[b][0], grad)
        if expr.startswith("(") and expr.endswith(f") * {grad}"):
            expr = out.into(rows, f"{expr[1:-len(grad) - 4]}|{grad}", "*")
    if expr:
        add_block(block.source, expr)


def _loop_row(row: Op, inputs: tuple[Array | float, ...], arg: object,
              n: int) -> tuple[Array, Array]:
    """(values, locals per input) of a row without numpy kernels, one element at a time."""
    columns = [np.broadcast_to(np.asarray(x, dtype=float), (n,)) for x in inputs]
    values = np.empty(n)
    locs = np.empty((len(inputs), n))
    for i in range(n):
        xs = [float(c[i]) for c in columns]
        if row.arity == 0:
            value = row.forward(xs)
            local = row.local(xs, value)
        elif row.arity == 1:
            value = row.forward(xs[0], arg)
            local = row.local(xs[0], value, arg)
        else:
            value = row.forward(*xs)
            local = row.local(*xs, value)
        values[i] = value
        locs[:, i] = local
    return values, locs
