"""The numpy backend: each tape entry runs over the whole batch at once, as arrays.

The tape becomes straight-line source again, now over arrays of shape (batch,): an input slot
is a row of the input matrix, a parameter or constant a float (broadcast), and each op entry
one numpy expression from its row's `np_forward` / `np_local` kernels (a row without kernels
is looped element by element with its own forward and rule). Dense layers are recognised:
a sum whose terms are products parameter * x (each used by that sum only), plus at most one
parameter (the bias), is a neuron, and the neurons that read the same x in the same order form
one matrix product `W @ X + b`; backward is `W.T @ gZ` and `gZ @ X.T`.

Gradients agree with the object engine to about 1e-15 relative (sums are in another order, and
numpy's exp/tanh may round differently from math's); not bitwise. A non-finite value anywhere
sends the step back to the object engine, which raises its named error.
"""
from __future__ import annotations

import numpy as np

from .pysource import PROPAGATING

__all__ = ["generate_numpy"]


def _dense_groups(tape) -> tuple:
    """([(sum slots, x slots, weight param indices (nout x nin), bias param indices or None)],
    set of mul slots folded into them)."""
    entries = tape.entries
    uses = [0] * len(entries)
    for e in entries:
        for i in e.inputs:
            uses[i] += 1
    varies = [e.kind == "input" for e in entries]
    for slot, e in enumerate(entries):
        if e.kind == "op" and any(varies[i] for i in e.inputs):
            varies[slot] = True
    groups = {}
    for slot, e in enumerate(entries):
        if e.kind != "op" or e.row.name != "sum":
            continue
        weights, xs, bias, ok = [], [], [], True
        for i in e.inputs:
            t = entries[i]
            if t.kind == "param":
                bias.append(t.index)
                continue
            if t.kind != "op" or t.row.name != "mul" or uses[i] != 1 or i == tape.root:
                ok = False
                break
            a, b = t.inputs
            if entries[a].kind == "param" and entries[b].kind != "param" and varies[b]:
                weights.append(entries[a].index), xs.append(b)
            elif entries[b].kind == "param" and entries[a].kind != "param" and varies[a]:
                weights.append(entries[b].index), xs.append(a)
            else:
                ok = False
                break
        if not ok or not weights or len(bias) > 1 or len(set(xs)) != len(xs):
            continue
        key = (tuple(xs), bool(bias))
        groups.setdefault(key, []).append((slot, weights, bias[0] if bias else None,
                                           [i for i in e.inputs if entries[i].kind == "op"]))
    result, folded = [], set()
    for (xs, has_bias), neurons in groups.items():
        result.append(([n[0] for n in neurons], list(xs), [n[1] for n in neurons],
                       [n[2] for n in neurons] if has_bias else None))
        for n in neurons:
            folded.update(n[3])
    return result, folded, varies


def generate_numpy(tape):
    """(source, function) of the batched replay: function(X, P, PA, A, L, groot, n) with X the
    inputs as a (inputs, batch) array, P the parameters' data (floats), PA the same as an
    array, A the gradient accumulators (an array, updated in place), L the live leaves' data.
    Returns (per-sample losses, chk)."""
    entries = tape.entries
    needs = tape.needs_grad
    groups, folded, varies = _dense_groups(tape)
    group_of = {}
    ns = {"np": np}
    lines = ["def replay(X, P, PA, A, L, groot, n):"]
    ind = "    "
    for slot, e in enumerate(entries):
        if e.kind == "param":
            lines.append(f"{ind}v{slot} = P[{e.index}]")
        elif e.kind == "input":
            lines.append(f"{ind}v{slot} = X[{e.index}]")
        elif e.kind == "const":
            lines.append(f"{ind}v{slot} = {e.value!r}")
    for k, (slot, _) in enumerate(tape.live):
        lines.append(f"{ind}v{slot} = L[{k}]")
    for g, (sums, xs, w, b) in enumerate(groups):
        ns[f"WI{g}"] = np.array(w, dtype=np.intp)
        if b is not None:
            ns[f"BI{g}"] = np.array(b, dtype=np.intp)
        for j, s in enumerate(sums):
            group_of[s] = (g, j)
    checks, local_exprs, emitted_groups, backward_exprs = [], {}, set(), {}
    for slot, e in enumerate(entries):
        if e.kind != "op" or slot in folded:
            continue
        if slot in group_of:
            g, _ = group_of[slot]
            if g not in emitted_groups:
                emitted_groups.add(g)
                sums, xs, _, b = groups[g]
                lines.append(f"{ind}X{g} = np.stack(({', '.join(f'v{x}' for x in xs)},))")
                lines.append(f"{ind}W{g} = PA[WI{g}]")
                bias = f" + PA[BI{g}][:, None]" if b is not None else ""
                lines.append(f"{ind}Z{g} = W{g} @ X{g}{bias}")
                lines.append(f"{ind}" + ", ".join(f"v{s}" for s in sums) + f", = Z{g}")
            continue
        row = e.row
        names = [f"v{i}" for i in e.inputs]
        fill = dict(x=names[0] if names else "", y=names[1] if len(names) > 1 else "",
                    out=f"v{slot}", p=repr(e.arg), xs=", ".join(names))
        inline = row.inline
        if inline is not None and inline.np_forward:
            lines.append(f"{ind}v{slot} = {inline.np_forward.format(**fill)}")
            exprs = [inline.np_local[min(k, len(inline.np_local) - 1)].format(**fill)
                     for k in range(len(names))]
            if inline.eager:
                for k, expr in enumerate(exprs):
                    lines.append(f"{ind}d{slot}_{k} = {expr}")
                exprs = [f"d{slot}_{k}" for k in range(len(names))]
                checks += exprs
        else:  # no kernel: loop the row's own forward and rule over the batch
            ns[f"R{slot}"] = row
            ns["loop_row"] = _loop_row
            lines.append(f"{ind}v{slot}, D{slot} = loop_row(R{slot}, ({', '.join(names)},), "
                         f"{e.arg!r}, n)")
            exprs = [f"D{slot}[{k}]" for k in range(len(names))]
            checks += exprs
        local_exprs[slot] = exprs
        if inline is not None and inline.np_backward:
            backward_exprs[slot] = [inline.np_backward[k].format(g=f"g{slot}", **fill)
                                    for k in range(len(names))]
        if row.name not in PROPAGATING:
            # a row of a layer's output is checked once, as the whole layer (one np.sum)
            checks += [f"Z{group_of[i][0]}" if i in group_of else n
                       for n, i in zip(names, e.inputs) if entries[i].kind != "const"]
    root = tape.root
    lines.append(f"{ind}loss = v{root} + np.zeros(n)")  # broadcast: a loss that ignores x
    checks.append("loss")
    lines.append(f"{ind}chk = " + " + ".join(f"np.sum({c})" for c in dict.fromkeys(checks)))
    lines.append(f"{ind}g{root} = np.full(n, groot)")
    have = {root}

    def add(target: int, expr: str) -> None:
        t = entries[target]
        if t.kind == "param":
            lines.append(f"{ind}A[{t.index}] += np.sum({expr})")
        elif target in have:
            lines.append(f"{ind}g{target} = g{target} + {expr}")
        else:
            lines.append(f"{ind}g{target} = {expr}")
            have.add(target)

    for slot in range(len(entries) - 1, -1, -1):
        e = entries[slot]
        if e.kind != "op" or not needs[slot] or slot in folded:
            continue
        if slot in group_of:
            g, _ = group_of[slot]
            sums, xs, _, b = groups[g]
            if slot != min(sums):
                continue  # the layer's backward waits until every neuron's grad is complete
            rows = ", ".join(f"g{s}" if s in have else "np.zeros(n)" for s in sums)
            lines.append(f"{ind}GZ{g} = np.stack(({rows},))")
            lines.append(f"{ind}np.add.at(A, WI{g}, GZ{g} @ X{g}.T)")
            if b is not None:
                lines.append(f"{ind}np.add.at(A, BI{g}, GZ{g}.sum(axis=1))")
            if any(needs[x] for x in xs):
                lines.append(f"{ind}GX{g} = W{g}.T @ GZ{g}")
                for k, x in enumerate(xs):
                    if needs[x]:
                        add(x, f"GX{g}[{k}]")
            continue
        if slot not in have:
            continue  # no gradient reached this node
        for k, parent in enumerate(e.inputs):
            if not needs[parent]:
                continue
            d = local_exprs[slot][k]
            if d == "0.0":
                continue
            if slot in backward_exprs:
                add(parent, backward_exprs[slot][k])
                continue
            add(parent, f"g{slot}" if d == "1.0" else f"-g{slot}" if d == "-1.0"
                else f"({d}) * g{slot}")
    lines.append(f"{ind}return loss, chk")
    source = "\n".join(lines) + "\n"
    exec(compile(source, "<autograd.compile numpy>", "exec"), ns)  # generated, never user text
    return source, ns["replay"]


def _loop_row(row, inputs: tuple, arg, n: int):
    """(values, locals per input) of a row without numpy kernels, one element at a time."""
    columns = [np.broadcast_to(np.asarray(x, dtype=float), (n,)) for x in inputs]
    values, locs = np.empty(n), np.empty((len(inputs), n))
    for i in range(n):
        xs = [float(c[i]) for c in columns]
        if row.arity == 0:
            out = row.forward(xs)
            local = row.local(xs, out)
        elif row.arity == 1:
            out = row.forward(xs[0], arg)
            local = row.local(xs[0], out, arg)
        else:
            out = row.forward(*xs)
            local = row.local(*xs, out)
        values[i] = out
        locs[:, i] = local
    return values, locs
