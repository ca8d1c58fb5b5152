"""The python backend: the tape turned into straight-line Python source, one function per tape.

Every op entry becomes one assignment made from its row's `inline` templates (or a call of the
row's own forward and rule where a row has none), and the reverse sweep becomes one
`target = target + local * g` per edge, in exactly the object engine's order: nodes children
first, parents in order, a node with gradient 0 passing nothing on. The batch loop runs the
samples LAST FIRST, as backward over one graph of the whole batch does (it visits nodes by
creation number, newest first), so every parameter's gradient is the same sum in the same
order: bitwise equal to the object engine.

Checks: a forward that fails raises here just as the node would (the step then re-runs on the
object engine, which raises the named error). Overflow to inf is cheap to miss in a float
expression, so the function also returns `chk`, a sum of every value that could hide one: the
inputs of ops that can turn inf into a finite number (relu, max, tanh, division, ...), the
eagerly evaluated local derivatives of rules that can overflow, and each sample's loss;
infinite or nan gradients reach the parameter sums, which the step checks too.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from ..ops import INLINE_NAMES, template
from .tape import Entry, Tape

__all__ = ["generate", "Fallback", "Replay"]

# A generated replay function: (rows, P, A, L, groot) -> (losses, accumulators, chk[, values]);
# see `generate`. Any: the tuple's parts are lists and floats built by generated source.
Replay = Callable[..., Any]



class Fallback(Exception):
    """Raised inside generated code where a check needs the object engine to decide."""


def _name(tape: Tape, slot: int) -> str:
    return f"v{slot}"


def _names(tape: Tape, entry: Entry, slot: int) -> dict[str, str]:
    """What a row's templates are filled with. Made once per entry: an n-ary node's `xs` is
    n names long, so making it per input made code generation quadratic in n."""
    names = [_name(tape, i) for i in entry.inputs]
    return dict(x=names[0] if names else "", y=names[1] if len(names) > 1 else "",
                out=_name(tape, slot), p=repr(entry.arg), xs=", ".join(names))


def _fill(template: str, tape: Tape, entry: Entry, slot: int) -> str:
    return template.format(**_names(tape, entry, slot))


def _locals(tape: Tape, entry: Entry, slot: int, lines: list[str], indent: str,
            namespace: dict[str, object]) -> list[str]:
    """The local derivative of each input edge as an expression (evaluated eagerly into
    variables when the row's rule can fail, as when a node is made)."""
    row = entry.op_row
    count = len(entry.inputs)
    if row.inline is None:
        namespace[f"L{slot}"] = row.local
        args = ", ".join(_name(tape, i) for i in entry.inputs) if row.arity else \
            "(" + ", ".join(_name(tape, i) for i in entry.inputs) + ",)"
        targets = [f"d{slot}_{k}" for k in range(count)]
        extra = f", {entry.arg!r}" if row.arity == 1 else ""
        lines.append(f"{indent}{', '.join(targets)}{',' if count == 1 else ''} = "
                     f"L{slot}({args}, {_name(tape, slot)}{extra})")
        return targets
    templates = row.inline.local
    names = _names(tape, entry, slot)
    filled = [t.format(**names) for t in templates]  # each template once; n-ary rows repeat
    exprs = [filled[min(k, len(filled) - 1)] for k in range(count)]
    if row.inline.eager:
        targets = [f"d{slot}_{k}" for k in range(count)]
        for target, expr in zip(targets, exprs):
            lines.append(f"{indent}{target} = {expr}")
        return targets
    return exprs


def generate(tape: Tape, loop_name: str = "replay", collect: bool = False) -> tuple[str, Replay]:
    """(source, function) of the replay of `tape` over rows of inputs.

    The function takes (rows, P, A, L, groot): rows of flat input values (in the order to run
    them), the parameters' data, their gradient accumulators, the live leaves' data and the
    gradient arriving at each sample's root. It returns (losses, accumulators, chk[, values]).
    """
    namespace: dict[str, object] = dict(INLINE_NAMES)
    namespace["Fallback"] = Fallback
    entries = tape.entries
    needs = tape.needs_grad
    params = [s for s, e in enumerate(entries) if e.kind == "param"]
    every = sorted(entries[s].index for s in params) == list(range(len(tape.params)))
    inputs = sorted((e.index, s) for s, e in enumerate(entries) if e.kind == "input")
    head = [f"def {loop_name}(rows, P, A, L, groot):"]
    if params:
        by_index = sorted(params, key=lambda s: entries[s].index)
        if every:
            head.append("    " + ", ".join(f"v{s}" for s in by_index) + ", = P")
            head.append("    " + ", ".join(f"a{s}" for s in by_index) + ", = A")
        else:  # by index: a parameter only `extra=` reads keeps its place (and its gradient)
            head.append("    A = list(A)")
            head += [f"    v{s}, a{s} = P[{entries[s].index}], A[{entries[s].index}]"
                     for s in by_index]
    for k, (slot, _) in enumerate(tape.live):
        head.append(f"    v{slot} = L[{k}]")
    head += ["    losses = []", "    append = losses.append", "    chk = 0.0"]
    if collect:
        head += ["    values = []"]
    # inputs missing from the tape (unused by fn) still take their place in each row
    row_names = ["_"] * tape.n_inputs
    for index, slot in inputs:
        row_names[index] = f"v{slot}"
    head.append(f"    for ({', '.join(row_names)}{',' if len(row_names) == 1 else ''}) in rows:")
    ind = "        "
    body: list[str] = []
    checks: list[str] = []
    local_exprs: dict[int, list[str]] = {}
    for slot, e in enumerate(entries):
        if e.kind == "const":
            body.append(f"{ind}v{slot} = {e.value!r}")
            continue
        if e.kind != "op":
            continue
        row = e.op_row
        if row.inline is None:
            namespace[f"F{slot}"] = row.forward
            if row.arity == 0:
                call = "([" + ", ".join(f"v{i}" for i in e.inputs) + "])"
            elif row.arity == 1:
                call = f"(v{e.inputs[0]}, {e.arg!r})"
            else:
                call = "(" + ", ".join(f"v{i}" for i in e.inputs) + ")"
            if row.fallback:  # the node builder's own refusals: let the engine decide
                body.append(f"{ind}if {_fill(template(row.fallback), tape, e, slot)}: "
                            "raise Fallback")
            body.append(f"{ind}v{slot} = F{slot}{call}")
        else:
            body.append(f"{ind}v{slot} = {_fill(row.inline.forward, tape, e, slot)}")
        exprs = _locals(tape, e, slot, body, ind, namespace)
        local_exprs[slot] = exprs
        if row.inline is None or row.inline.eager:
            checks += exprs
        if not row.propagates:  # an inf input could vanish in its output: check the inputs
            checks += [f"v{i}" for i in e.inputs if entries[i].kind != "const"]
    root = tape.root
    checks.append(f"v{root}")
    body.append(f"{ind}chk = chk + " + " + ".join(dict.fromkeys(checks)))
    body.append(f"{ind}append(v{root})")
    if collect:
        body.append(f"{ind}values.append((" + ", ".join(f"v{s}" for s in range(len(entries)))
                    + ",))")
    interior = [s for s, e in enumerate(entries) if e.kind == "op" and needs[s] and s != root]
    if interior:
        body.append(f"{ind}" + " = ".join(f"g{s}" for s in interior) + " = 0.0")
    body.append(f"{ind}g{root} = groot")
    for slot in range(len(entries) - 1, -1, -1):
        e = entries[slot]
        if e.kind != "op" or not needs[slot]:
            continue
        edges = []
        for k, parent in enumerate(e.inputs):
            if not needs[parent]:
                continue
            target = f"a{parent}" if entries[parent].kind == "param" else f"g{parent}"
            d = local_exprs[slot][k]
            if d == "1.0":
                edges.append(f"{target} = {target} + g{slot}")
            elif d == "-1.0":
                edges.append(f"{target} = {target} - g{slot}")
            elif d == "0.0" and target[0] == "g":
                continue  # an interior grad is never -0.0, so adding 0.0 * g changes no bit
            else:
                edges.append(f"{target} = {target} + ({d}) * g{slot}")
        if edges:
            body.append(f"{ind}if g{slot}:")
            body += [f"{ind}    {line}" for line in edges]
    order = sorted(params, key=lambda s: entries[s].index)
    if every:
        grads = "(" + "".join(f"a{s}, " for s in order) + ")"
    else:
        grads = "A"
        body += [f"    A[{entries[s].index}] = a{s}" for s in order]
    tail = [f"    return losses, {grads}, chk" + (", values" if collect else "")]
    source = "\n".join(head + body + tail) + "\n"
    code = compile(source, f"<autograd.compile {loop_name}>", "exec")
    exec(code, namespace)  # our own generated source (numbers and op templates), never user text
    return source, cast(Replay, namespace[loop_name])  # the function the source defines
