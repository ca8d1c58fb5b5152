"""While `autograd.compile` traces the user's function, refuse every read that turns a Value
into Python data.

Why: a compiled step replays the ONE graph it traced. Code that reads a number out of a node
(`y.data * s`, `if h.data > 0: ...`, `float(z)`, `round(w)`, `f"{x}"`) freezes that sample's
number, or that sample's branch, into the tape; every later sample, batch and parameter value
would then silently replay it. A second trace can only catch the cases it happens to meet, so
the refusal is made certain at the source: during tracing, such a read from the user's code
raises `TraceError`, naming the node and the line of the user's function, with the way out.

What stays allowed inside a traced function: every op on Values (+ - * / ** and the named
methods: relu, tanh, exp, log, abs, max/min, `autograd.maximum` / `minimum`, `vsum`, the nn
layers and losses), plain Python numbers and lists, labels (`named`), `repr(v)`/`print(v)`
(shows the traced sample's numbers once, changes nothing) and `a is b` / `a == b` between
Values (identity), and the graph's structure: `.parents`, `.op`, `.row`, `.arg`, `.is_leaf`,
`.label` (the same for every sample, since no branch on a number gets through). Refused too:
`.grad` (the gradient stored when tracing, a number of an earlier step: the compiled step fills
`p.grad` itself) and `.local` (the traced sample's local derivatives: the replay computes each
sample's own). Writes pass unchanged (they are not reads). The library's own code
(packages `autograd` and `nn`) may read all of them (input checks, error messages, `repr`): it
never builds a graph whose shape depends on what it reads.

How: for the duration of the trace only, the class's `data` and `grad` slots and its `local`
property are wrapped in properties that check the caller, and the conversion and comparison
methods are replaced (and everything is put back after, also on an error), the same
process-wide swap `autograd.no_grad` uses; nothing costs anything outside a trace. The caller is found with `sys._getframe`, which only tracing pays for.
The read-outs are swapped the same way: a method on its class; a function in every module of
the library that binds it and in the traced function's own globals (`from nn import accuracy`);
a read-out bound to another name elsewhere before the trace (`p = model.predict` kept in a
closure) is not seen: the second trace at the first call is the check left for it.
"""
from __future__ import annotations

import functools
import linecache
import os
import sys
from types import FrameType
from typing import Any, Callable, NoReturn

from ..readouts import READOUTS, Readout
from ..value import Value

__all__ = ["refusing_reads"]

# The folder that holds the packages `autograd` and `nn` (side by side, in a checkout or in
# site-packages): a caller whose file lies in one of them is library code.
_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_LIBRARY = tuple(os.path.join(_ROOT, name) + os.sep for name in ("autograd", "nn"))
_SLOT: Any = Value.__dict__["data"]  # the member descriptor of the `data` slot
# The fields whose reads give a number of the traced sample (or of an earlier step): what the
# number is, and the field's own way out (before `_WAY_OUT`, which follows every message).
_FIELDS = {"data": ("the traced sample's number", ""),
           "grad": ("the gradient stored when tracing (from an earlier step)",
                    "The compiled step fills p.grad itself: read gradients after calling the "
                    "step, outside the function. "),
           "local": ("the traced sample's local derivatives",
                     "The replay computes each sample's own: inspect them on a graph built "
                     "without compile. ")}
_WAY_OUT = ("Keep it a Value: branch-free ops such as relu, abs, autograd.maximum / minimum "
            "(or x.max(y) / x.min(y)) express the choice inside the graph, and a number "
            "derived from a node should stay a node (y * s, not y.data * s). Or train "
            "without compile")


def _is_library(frame: FrameType | None) -> bool:
    return frame is not None and frame.f_code.co_filename.startswith(_LIBRARY)


def _where(frame: FrameType | None) -> str:
    """'file.py line 12 (`if h.data > 0:`)' for the user's line."""
    if frame is None:
        return "an unknown line"
    name, line = frame.f_code.co_filename, frame.f_lineno
    text = linecache.getline(name, line).strip()
    shown = f" (`{text[:80]}`)" if text else ""
    return f"{os.path.basename(name)} line {line}{shown}"


def _node(v: Value) -> str:
    slot = _SLOT.__get__(v, Value)
    what = v.op or ("input or constant" if not v.requires_grad else "parameter or leaf")
    return (f"node {v.label!r} ({what}, traced value {slot!r})" if v.label
            else f"an unlabelled {what} node (traced value {slot!r})")


def _unguarded(v: Value, name: str, args: tuple[object, ...]) -> Any:
    """What `name` does outside a trace, for the library's own calls during one."""
    original = refusing_reads._saved.get(name)
    if original is not None:
        return original(v, *args)
    if name == "__bool__":
        return True  # an object's default truth
    if name == "__format__":
        return object.__format__(v, *args)  # type: ignore[arg-type]
    return NotImplemented  # comparisons: Python's default (identity for ==, else TypeError)


class refusing_reads:
    """`with refusing_reads(who, make_error):` the guard described in the module docstring.
    `make_error(message)` builds the exception to raise (compile's TraceError)."""

    _active = 0
    _saved: dict[str, Any] = {}
    # the swapped read-outs: (a class or a module's namespace, name, original, twin)
    _swapped: list[tuple[Any, str, Any, Any]] = []

    def __init__(self, who: str, make_error: Callable[[str], Exception],
                 namespace: dict[str, Any] | None = None) -> None:
        """namespace: the traced function's globals, where the user's own imports live."""
        self.who, self.make_error, self.namespace = who, make_error, namespace

    def refuse(self, v: Value, how: str, frame: FrameType | None,
               what: str = "the traced sample's number", why: str = "") -> NoReturn:
        """Raise the error for `how` (".data", "float()", ...) read from node v at frame:
        `what` the read gives, and `why` (a field's own way out) before the general one."""
        raise self.make_error(
            f"{self.who}: {how} of {_node(v)} at {_where(frame)} while tracing: {what} would be "
            "frozen into the compiled step, and every later sample, batch and parameter value "
            f"would silently replay it. {why}{_WAY_OUT}")

    def refuse_call(self, readout: Readout, frame: FrameType | None) -> NoReturn:
        """Raise the error for the user's call of a read-out at frame."""
        raise self.make_error(
            f"{self.who}: calling {readout.shown} at {_where(frame)} while tracing: it reads "
            f"{readout.gives} out of Values on your behalf as Python data, which would be frozen "
            "into the compiled step: every later sample, batch and parameter value would silently "
            "replay it. Keep Values inside the function (model(x), not model.predict(x)) and "
            "call it outside the function, before or after the step; or train without compile")

    def twin(self, readout: Readout) -> Callable[..., Any]:
        """The read-out as it is while tracing: the library's calls (and calls that keep Values
        Values) pass; a call from the user's code is refused."""
        original, records, guard = readout.function, readout.records, self

        @functools.wraps(original)
        def checked(*args: Any, **kwargs: Any) -> Any:
            frame = sys._getframe(1)
            if _is_library(frame) or (records is not None and records(args, kwargs)):
                return original(*args, **kwargs)
            guard.refuse_call(readout, frame)
        return checked

    def swap_readouts(self) -> None:
        """Put each read-out's twin where calls find it (see the module docstring)."""
        swapped = refusing_reads._swapped
        library = [vars(module) for name, module in list(sys.modules.items())
                   if module is not None and name.partition(".")[0] in ("autograd", "nn")]
        functions: dict[int, Any] = {}
        for readout in READOUTS:
            twin = self.twin(readout)
            if readout.owner is not None:
                swapped.append((readout.owner, readout.name, readout.function, twin))
                setattr(readout.owner, readout.name, twin)
                continue
            functions[id(readout.function)] = twin
            for space in library:
                if space.get(readout.name) is readout.function:
                    swapped.append((space, readout.name, readout.function, twin))
                    space[readout.name] = twin
        if self.namespace is not None:  # the user's names, under any alias
            for name, value in list(self.namespace.items()):
                found = functions.get(id(value))
                if found is not None:
                    swapped.append((self.namespace, name, value, found))
                    self.namespace[name] = found

    @staticmethod
    def restore_readouts() -> None:
        """Put every original back (a name the traced code rebound keeps its new value)."""
        for where, name, original, twin in reversed(refusing_reads._swapped):
            if isinstance(where, dict):
                if where.get(name) is twin:
                    where[name] = original
            elif where.__dict__.get(name) is twin:
                setattr(where, name, original)
        refusing_reads._swapped = []

    def __enter__(self) -> refusing_reads:
        if refusing_reads._active:  # a trace inside a trace (compile called in fn): one guard
            refusing_reads._active += 1
            return self
        guard = self

        def field(name: str, what: str, why: str) -> property:
            # the slot's member descriptor (data, grad) or the property (local) stays the store
            original = Value.__dict__[name]
            read, caller = original.__get__, sys._getframe

            def get(v: Value) -> Any:
                # `_is_library` written out: every op's own read of its operands' data comes
                # here while tracing (2 per node: a tenth of compile's setup at 85k parameters)
                frame = caller(1)
                if frame.f_code.co_filename.startswith(_LIBRARY):
                    return read(v, Value)
                guard.refuse(v, f"reading .{name}", frame, what, why)

            def put(v: Value, value: Any) -> None:
                original.__set__(v, value)
            return property(get, put, doc=original.__doc__)

        def converter(name: str, how: str) -> Callable[..., Any]:
            def convert(v: Value, *args: object) -> Any:
                frame = sys._getframe(1)
                if _is_library(frame):  # the library's own reads behave as outside a trace
                    return _unguarded(v, name, args)
                guard.refuse(v, how, frame)
            return convert

        def compare(name: str, how: str) -> Callable[[Value, object], Any]:
            def check(v: Value, other: object) -> Any:
                frame = sys._getframe(1)
                if isinstance(other, Value) and name in ("__eq__", "__ne__") or _is_library(frame):
                    return _unguarded(v, name, (other,))  # == between Values is identity
                guard.refuse(v, f"comparing with {how}", frame)
            return check

        replaced: dict[str, Any] = {name: field(name, *reason) for name, reason in _FIELDS.items()}
        for name, how in (("__float__", "float()"), ("__bool__", "bool() / if / and / or"),
                          ("__int__", "int()"), ("__index__", "using as an index (int)"),
                          ("__round__", "round()"), ("__trunc__", "math.trunc()"),
                          ("__floor__", "math.floor()"), ("__ceil__", "math.ceil()"),
                          ("__format__", "formatting (f-string / format())"),
                          ("__complex__", "complex()")):
            replaced[name] = converter(name, how)
        for name, how in (("__lt__", "<"), ("__le__", "<="), ("__gt__", ">"), ("__ge__", ">="),
                          ("__eq__", "=="), ("__ne__", "!=")):
            replaced[name] = compare(name, how)
        refusing_reads._saved = {name: Value.__dict__.get(name) for name in replaced}
        for name, method in replaced.items():  # __hash__ stays (identity): only a class
            setattr(Value, name, method)          # statement drops it when __eq__ is defined
        refusing_reads._active = 1
        try:
            self.swap_readouts()
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc_info: object) -> None:
        refusing_reads._active -= 1
        if refusing_reads._active:
            return
        refusing_reads.restore_readouts()
        for name, method in refusing_reads._saved.items():
            if method is None:
                delattr(Value, name)
            else:
                setattr(Value, name, method)
        refusing_reads._saved = {}
