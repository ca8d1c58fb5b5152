"""The sheet expression language: parsed with `ast` and a whitelist, never eval'd.

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

import ast
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Union

from ..ops import OPS, Op
from ..value import Value
from .errors import SheetError

__all__ = ["Num", "Name", "Apply", "Tree", "parse", "names_in", "to_value", "evaluate", "render",
           "functions", "MAX_CHARS", "MAX_NODES", "MAX_DEPTH"]

MAX_CHARS = 1000
MAX_NODES = 400
MAX_DEPTH = 40

_BINARY = {ast.Add: "add", ast.Sub: "sub", ast.Mult: "mul", ast.Div: "div", ast.Pow: "pow"}
_INFIX = {"add": " + ", "sub": " - ", "mul": "*", "div": "/"}
_PRECEDENCE = {"add": 1, "sub": 1, "mul": 2, "div": 2, "neg": 3, "pow": 4, "pow_value": 4}
_ENGINE_ERRORS = (ArithmeticError, ValueError, TypeError)  # the engine's domain/overflow errors


@dataclass(frozen=True)
class Num:
    """A number literal (already a float)."""

    value: float


@dataclass(frozen=True)
class Name:
    """A reference to an input, a parameter or an earlier node."""

    id: str


@dataclass(frozen=True)
class Apply:
    """One op-table row (`OPS[op]`) applied to argument trees; `param` is pow's number exponent."""

    op: str
    args: tuple[Tree, ...]
    param: float | None = None


Tree = Union[Num, Name, Apply]  # a parsed expression: what `parse` returns


def functions() -> dict[str, Op]:
    """The callable functions: method name -> op-table row, read from the table itself."""
    return {row.method: row for row in OPS.values() if row.method and row.arity in (1, 2)}


def _check_size(text: str) -> ast.Expression:
    if not isinstance(text, str):
        raise SheetError(f"an expression must be a string, got {type(text).__name__}")
    if len(text) > MAX_CHARS:
        raise SheetError(f"expression too long ({len(text)} characters; at most {MAX_CHARS})")
    if not text.strip():
        raise SheetError("empty expression")
    if "^" in text:  # Python's ^ is xor: say what the student meant instead of "BitXor"
        raise SheetError("`^` is not a power: write `e**2`")
    text = text.replace("\u2212", "-")  # the Unicode minus that PDFs give
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        raise SheetError(f"not a valid expression: {getattr(exc, 'msg', None) or exc}") from None
    count = 0
    stack: list[tuple[ast.AST, int]] = [(tree.body, 1)]
    while stack:  # iterative: the limits must hold before any recursion over the tree
        node, depth = stack.pop()
        count += 1
        if count > MAX_NODES:
            raise SheetError(f"expression too large (more than {MAX_NODES} parts)")
        if depth > MAX_DEPTH:
            raise SheetError(f"expression nested too deeply (more than {MAX_DEPTH} levels)")
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return tree


def _number(value: object) -> Num:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise SheetError(f"only numbers and names are allowed, not {value!r}")
    try:
        number = float(value)  # floats before arithmetic: no big-integer work, ever
    except OverflowError:
        raise SheetError(f"number too large for a float: {str(value)[:20]}...") from None
    if number - number:
        raise SheetError(f"number is not finite: {value!r}")
    return Num(number)


def _convert(node: ast.AST) -> Tree:
    if isinstance(node, ast.Constant):
        return _number(node.value)
    if isinstance(node, ast.Name):
        return Name(node.id)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        operand = _convert(node.operand)
        if isinstance(node.op, ast.UAdd):
            return operand
        return Num(-operand.value) if isinstance(operand, Num) else Apply("neg", (operand,))
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        left, right = _convert(node.left), _convert(node.right)
        op = _BINARY[type(node.op)]
        if op == "pow":
            if isinstance(right, Num):
                return Apply("pow", (left,), right.value)
            return Apply("pow_value", (left, right))
        return Apply(op, (left, right))
    if isinstance(node, ast.Call):
        return _call(node)
    what = type(node.op).__name__ if isinstance(node, (ast.BinOp, ast.UnaryOp)) else type(node).__name__
    raise SheetError(f"{what} is not allowed: use numbers, names, + - * / **, parentheses and "
                     f"the functions {', '.join(sorted(functions()))}")


def _call(node: ast.Call) -> Apply:
    known = functions()
    if not isinstance(node.func, ast.Name) or node.func.id not in known:
        name = node.func.id if isinstance(node.func, ast.Name) else ast.dump(node.func)[:40]
        raise SheetError(f"unknown function {name!r}; the functions are {', '.join(sorted(known))}")
    row = known[node.func.id]
    if node.keywords or len(node.args) != row.arity:
        raise SheetError(f"{row.method}() takes {row.arity} argument{'s' * (row.arity > 1)}, "
                         f"got {len(node.args) + len(node.keywords)}")
    return Apply(row.name, tuple(_convert(arg) for arg in node.args))


def parse(text: str) -> Tree:
    """The tree of an expression, or a SheetError saying what is wrong (never another error)."""
    return _convert(_check_size(text).body)


def names_in(tree: Tree) -> set[str]:
    """Every name the tree refers to."""
    if isinstance(tree, Name):
        return {tree.id}
    if isinstance(tree, Apply):
        return set[str]().union(*(names_in(arg) for arg in tree.args))
    return set()


def _apply_op(op: str, args: list[Value], param: float | None) -> Value:
    """The engine's node for one row on Value arguments (operators for the operator-only rows)."""
    if op == "add":
        return args[0] + args[1]
    if op == "sub":
        return args[0] - args[1]
    if op == "mul":
        return args[0] * args[1]
    if op == "div":
        return args[0] / args[1]
    if op == "neg":
        return -args[0]
    if op == "pow":
        return args[0] ** param
    if op == "pow_value":
        return args[0] ** args[1]
    method = getattr(args[0], OPS[op].method)
    node: Value = method(*args[1:])
    return node


def to_value(tree: Tree, env: Mapping[str, Value]) -> Value:
    """The tree built out of the engine's Values; `env` maps each name to its Value.

    Raises SheetError for an unknown name, and for a domain error or an overflow (with the
    engine's message, which names the op and the numbers).
    """
    if isinstance(tree, Num):
        return Value(tree.value, requires_grad=False)
    if isinstance(tree, Name):
        if tree.id not in env:
            raise SheetError(f"unknown name {tree.id!r}")
        return env[tree.id]
    args = [to_value(arg, env) for arg in tree.args]
    try:
        return _apply_op(tree.op, args, tree.param)
    except _ENGINE_ERRORS as exc:
        raise SheetError(str(exc)) from None


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


def _shortest(x: float) -> str:
    """A literal as written: the shortest repr, without a trailing '.0' (2, not 2.0)."""
    return repr(x).removesuffix(".0")


def _precedence(tree: Tree) -> int:
    if isinstance(tree, Apply) and tree.op in _PRECEDENCE:
        return _PRECEDENCE[tree.op]
    if isinstance(tree, Num) and tree.value < 0:
        return 3
    return 5


def render(tree: Tree, number: Callable[[float], str] | None = None,
           names: Mapping[str, str] | None = None) -> str:
    """The tree as text: names as written, or replaced by `names[id]` (e.g. numbers as text).

    `number(x)` formats a literal (default: shortest repr). Parentheses are added only where
    the precedence needs them (and around negative numbers that are operands).
    """
    number = number or _shortest
    if isinstance(tree, Num):
        return number(tree.value)
    if isinstance(tree, Name):
        return names[tree.id] if names and tree.id in names else tree.id
    mine = _PRECEDENCE.get(tree.op, 5)

    def sub(arg: Tree, right: bool = False) -> str:
        text = render(arg, number, names)
        inner = _precedence(arg)
        needs = inner < mine or (right and inner == mine and tree.op in ("sub", "div", "pow"))
        needs = needs or (tree.op == "pow" and not right and inner <= mine)
        needs = needs or (text.startswith("-") and (right or tree.op in ("pow", "pow_value") or (
            isinstance(arg, (Name, Num)) and tree.op in ("mul", "div"))))
        return f"({text})" if needs else text

    if tree.op in _INFIX:
        return sub(tree.args[0]) + _INFIX[tree.op] + sub(tree.args[1], right=True)
    if tree.op == "neg":
        return "-" + sub(tree.args[0], right=True)
    if tree.op == "pow" and tree.param is not None:  # pow always has its number exponent
        return sub(tree.args[0]) + "**" + number(tree.param) if tree.param >= 0 else \
            sub(tree.args[0]) + f"**({number(tree.param)})"
    if tree.op == "pow_value":
        return sub(tree.args[0]) + "**" + sub(tree.args[1], right=True)
    return f"{OPS[tree.op].method}({', '.join(render(a, number, names) for a in tree.args)})"
