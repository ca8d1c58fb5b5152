"""The sheet expression language: the project's formula language (`autograd.formula`) with the
op table's operators and functions, parsed with `ast` and a whitelist, never eval'd.

    >>> tree = parse("w0*x0 + sigmoid(b)")
    >>> sorted(names_in(tree))
    ['b', 'w0', 'x0']
    >>> round(evaluate("2 * x ** 2", {"x": 3.0}), 12)
    18.0

Allowed: numbers (int or float literals; they become floats before any arithmetic, so
`9**9**9` overflows to a SheetError instead of building a huge integer), names, `+ - * / **`,
unary `-` and `+`, parentheses, and calls of the functions of the op table (the rows of
`autograd.ops.OPS` that name a `Value` method: exp, log, sigmoid, tanh, relu, max, min, abs,
sqrt, sin, cos, softplus, ... as the table grows). Limits, checked before anything is
evaluated: MAX_CHARS characters, MAX_NODES syntax nodes, MAX_DEPTH levels of nesting.

A parsed expression is a small tree of `Num`, `Name` and `Apply` (one op-table row applied to
argument trees). `to_value` builds it out of `Value`s (the engine does every computation);
`render` prints it, with names or with numbers substituted.
"""
from __future__ import annotations

import operator
from collections.abc import Callable, Mapping

from .. import formula
from ..formula import (MAX_CHARS, MAX_DEPTH, MAX_NODES, Apply, FormulaError, Name, Num, Tree,
                       names_in)
from ..ops import LANGUAGE, OPS, Op
from ..value import Value
from .errors import SheetError

__all__ = ["Num", "Name", "Apply", "Tree", "parse", "names_in", "to_value", "evaluate", "render",
           "functions", "MAX_CHARS", "MAX_NODES", "MAX_DEPTH"]

_ENGINE_ERRORS = (ArithmeticError, ValueError, TypeError)  # the engine's domain/overflow errors
# how an operator row is applied to nodes (its `infix` symbol; `-` with one input is negation)
_OPERATORS: dict[tuple[str, int], Callable[..., Value]] = {
    ("+", 2): operator.add, ("-", 2): operator.sub, ("*", 2): operator.mul,
    ("/", 2): operator.truediv, ("-", 1): operator.neg, ("**", 2): operator.pow}


def functions() -> dict[str, Op]:
    """The callable functions: method name -> op-table row, read from the table itself."""
    return {name: OPS[key] for name, (key, _) in LANGUAGE.functions.items()}


def parse(text: str) -> Tree:
    """The tree of an expression, or a SheetError saying what is wrong (never another error)."""
    try:
        if isinstance(text, str) and len(text) <= MAX_CHARS and text.strip():
            if "^" in text:  # Python's ^ is xor: say what the student meant instead of "BitXor"
                raise SheetError("`^` is not a power: write `e**2`")
            text = text.replace("\u2212", "-")  # the Unicode minus that PDFs give
        return formula.parse(text, LANGUAGE)
    except FormulaError as exc:
        raise SheetError(str(exc)) from None


def _apply_op(op: str, args: list[Value], param: float | None) -> Value:
    """The engine's node for one row on Value arguments (operators for the operator rows)."""
    row = OPS[op]
    if param is not None:  # `x ** 2`: the number is the row's parameter
        return args[0] ** param
    if row.method:
        node: Value = getattr(args[0], row.method)(*args[1:])
        return node
    return _OPERATORS[(row.infix, len(args))](*args)


def to_value(tree: Tree, env: Mapping[str, Value]) -> Value:
    """The tree built out of the engine's Values; `env` maps each name to its Value.

    Raises SheetError for an unknown name, and for a domain error or an overflow (with the
    engine's message, which names the op and the numbers).
    """
    for name in sorted(names_in(tree)):
        if name not in env:
            raise SheetError(f"unknown name {name!r}")

    def node(op: str, args: list[Value], param: float | None) -> Value:
        try:
            return _apply_op(op, args, param)
        except _ENGINE_ERRORS as exc:
            raise SheetError(str(exc)) from None

    built: Value = formula.evaluate(tree, env, node, lambda v: Value(v, requires_grad=False))
    return built


def evaluate(text: str, numbers: Mapping[str, float]) -> float:
    """The value of the expression `text` with names taken from `numbers` (name -> float)."""
    tree = parse(text)
    if not isinstance(numbers, Mapping):
        raise TypeError(f"evaluate: numbers must be a mapping name -> number, got "
                        f"{type(numbers).__name__}")
    env: dict[str, Value] = {}
    for name in names_in(tree):
        if name not in numbers:
            raise SheetError(f"unknown name {name!r}")
        number = numbers[name]
        if isinstance(number, bool) or not isinstance(number, (int, float)) or number - number:
            raise SheetError(f"evaluate: {name} must be a finite number, got {type(number).__name__}")
        env[name] = Value(float(number), label=name)
    return to_value(tree, env).data


def render(tree: Tree, number: Callable[[float], str] | None = None,
           names: Mapping[str, str] | None = None) -> str:
    """The tree as text: names as written, or replaced by `names[id]` (e.g. numbers as text).

    `number(x)` formats a literal (default: shortest repr). Parentheses are added only where
    the precedence needs them (and around negative numbers that are operands).
    """
    return formula.render(tree, LANGUAGE, number, names)
