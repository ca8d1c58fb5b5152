"""The project's formula language: a safe subset of Python expressions, parsed once into a tree.

One parsed formula serves every reader. The op table writes each derivative as a formula
(`tanh`: `1 - out**2`) and derives from it the float rule, the rule on nodes (second
derivatives), the python and numpy replay source and the text a diagram prints; worksheets
parse their node definitions with it. Nothing here imports the op table: what the operators and
functions MEAN is handed in as a `Language`, and every interpretation takes callables.

    >>> lang = Language(operators={("+", 2): "add", ("*", 2): "mul", ("-", 1): "neg",
    ...                            ("-", 2): "sub", ("/", 2): "div", ("**", 1): "pow",
    ...                            ("**", 2): "pow_value"},
    ...                 precedence={"add": 1, "sub": 1, "mul": 2, "div": 2, "neg": 3,
    ...                             "pow": 4, "pow_value": 4},
    ...                 functions={"cos": ("cos", 1)})
    >>> tree = parse("1 - out**2", lang)
    >>> show(tree, lang, {"out": "tanh"})
    '1 - tanh²'
    >>> source(tree, lang, {"out": "o"}, lambda key, args: "")
    '1.0 - o * o'

The public API (other modules build on it):
    Num, Name, Apply, Tree      the tree: a number, a name, an op key applied to argument trees
                                (`param`: the number exponent of `x ** 2`, an op with a parameter)
    Language                    operators (symbol, arity) -> op key, their precedence, functions
                                (name -> (op key, arity)) and how functions print (`shown`)
    parse(text, lang)           the tree, or FormulaError (whitelist and size limits below)
    names_in(tree)              the names a tree refers to
    evaluate(tree, env, apply)  the value: names from `env`, every op through `apply(key, args,
                                param)` (floats, Values: whatever `apply` builds)
    source(tree, lang, names, call)   python source (numpy too: `call` writes each function);
                                `x ** 2` of a name is written `x * x` (the rules square by
                                multiplying: exactly rounded, as pow may not be)
    render(tree, lang, ...)     the formula as written (`w0*x0 + sigmoid(b)`), names replaced
    show(tree, lang, names, numbers)  the formula as a reader sees it: `·`, `²`, `σ`, `√`, with
                                names replaced by text and parameters by numbers (folded:
                                `p * x ** (p - 1)` with p = 3 shows `3·x^2`)
    read_shown(text, lang)      the tree of a shown text (the inverse of `show`), so a printed
                                formula can be evaluated and checked

Allowed: numbers (int or float literals; they become floats before any arithmetic, so
`9**9**9` overflows instead of building a huge integer), names, the operators of the language,
unary `+`, parentheses, and calls of the language's functions. Limits, checked before anything
else: MAX_CHARS characters, MAX_NODES syntax nodes, MAX_DEPTH levels of nesting.
"""
from __future__ import annotations

import ast
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Union

__all__ = ["Num", "Name", "Apply", "Tree", "Language", "FormulaError", "parse", "names_in",
           "evaluate", "source", "render", "show", "read_shown", "fold",
           "MAX_CHARS", "MAX_NODES", "MAX_DEPTH"]

MAX_CHARS = 1000
MAX_NODES = 400
MAX_DEPTH = 40

_SYMBOLS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
_ATOM = 5  # the precedence of a name, a number or a call: never parenthesised


class FormulaError(ValueError):
    """A formula outside the language (or too large): the message says what is not allowed."""


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
    """An op key applied to argument trees; `param` is the number of an op with a parameter
    (the exponent of `x ** 2`), None otherwise."""

    op: str
    args: tuple[Tree, ...]
    param: float | None = None


Tree = Union[Num, Name, Apply]  # a parsed formula: what `parse` returns


@dataclass(frozen=True)
class Language:
    """What a formula may say and what each part means, handed in by whoever owns the ops.

    `operators`: (symbol, arity) -> op key, for the symbols + - * / ** (arity 1 for unary
    minus, and for `**` with a NUMBER exponent, which becomes the op's parameter; arity 2 for
    `**` with any other exponent). `precedence`: op key -> binding strength (higher binds
    tighter). `functions`: the name written in a call -> (op key, arity). `shown`: op key ->
    how `show` prints the function (`σ` for sigmoid; `√` prints as a prefix, `√x`).
    """

    operators: Mapping[tuple[str, int], str]
    precedence: Mapping[str, int]
    functions: Mapping[str, tuple[str, int]] = field(default_factory=dict)
    shown: Mapping[str, str] = field(default_factory=dict)

    def symbol(self, key: str) -> str:
        """The operator symbol of op `key` ('' when the op is a function)."""
        for (symbol, _), op in self.operators.items():
            if op == key:
                return symbol
        return ""

    def call_name(self, key: str) -> str:
        """The name a call of op `key` is written with (`sigmoid`)."""
        for name, (op, _) in self.functions.items():
            if op == key:
                return name
        raise FormulaError(f"op {key!r} is neither an operator nor a function of the language")


# --- parsing ------------------------------------------------------------------------------------
def _checked_syntax(text: object) -> ast.Expression:
    if not isinstance(text, str):
        raise FormulaError(f"an expression must be a string, got {type(text).__name__}")
    if len(text) > MAX_CHARS:
        raise FormulaError(f"expression too long ({len(text)} characters; at most {MAX_CHARS})")
    if not text.strip():
        raise FormulaError("empty expression")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        raise FormulaError(f"not a valid expression: {getattr(exc, 'msg', None) or exc}") from None
    count = 0
    stack: list[tuple[ast.AST, int]] = [(tree.body, 1)]
    while stack:  # iterative: the limits must hold before any recursion over the tree
        node, depth = stack.pop()
        count += 1
        if count > MAX_NODES:
            raise FormulaError(f"expression too large (more than {MAX_NODES} parts)")
        if depth > MAX_DEPTH:
            raise FormulaError(f"expression nested too deeply (more than {MAX_DEPTH} levels)")
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return tree


def _number(value: object) -> Num:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise FormulaError(f"only numbers and names are allowed, not {value!r}")
    try:
        number = float(value)  # floats before arithmetic: no big-integer work, ever
    except OverflowError:
        raise FormulaError(f"number too large for a float: {str(value)[:20]}...") from None
    if number - number:
        raise FormulaError(f"number is not finite: {value!r}")
    return Num(number)


class _Reader:
    """ast -> Tree for one language (a class only to carry the language through the recursion)."""

    def __init__(self, lang: Language) -> None:
        self.lang = lang

    def refuse(self, what: str) -> FormulaError:
        symbols = " ".join(dict.fromkeys(s for s, _ in self.lang.operators))
        return FormulaError(f"{what} is not allowed: use numbers, names, {symbols}, parentheses "
                            f"and the functions {', '.join(sorted(self.lang.functions))}")

    def operator(self, symbol: str, arity: int, what: str) -> str:
        key = self.lang.operators.get((symbol, arity))
        if key is None:
            raise self.refuse(what)
        return key

    def convert(self, node: ast.AST) -> Tree:
        if isinstance(node, ast.Constant):
            return _number(node.value)
        if isinstance(node, ast.Name):
            return Name(node.id)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            operand = self.convert(node.operand)
            if isinstance(node.op, ast.UAdd):
                return operand
            if isinstance(operand, Num):
                return Num(-operand.value)
            return Apply(self.operator("-", 1, "USub"), (operand,))
        if isinstance(node, ast.BinOp) and type(node.op) in _SYMBOLS:
            symbol = _SYMBOLS[type(node.op)]
            left, right = self.convert(node.left), self.convert(node.right)
            if isinstance(right, Num) and (symbol, 1) in self.lang.operators and symbol != "-":
                # `x ** 2`: a number exponent is the op's parameter (pow), not an input
                return Apply(self.lang.operators[(symbol, 1)], (left,), right.value)
            return Apply(self.operator(symbol, 2, type(node.op).__name__), (left, right))
        if isinstance(node, ast.Call):
            return self.call(node)
        what = (type(node.op).__name__ if isinstance(node, (ast.BinOp, ast.UnaryOp))
                else type(node).__name__)
        raise self.refuse(what)

    def call(self, node: ast.Call) -> Apply:
        known = self.lang.functions
        if not isinstance(node.func, ast.Name) or node.func.id not in known:
            name = node.func.id if isinstance(node.func, ast.Name) else ast.dump(node.func)[:40]
            raise FormulaError(f"unknown function {name!r}; the functions are "
                               f"{', '.join(sorted(known))}")
        key, arity = known[node.func.id]
        if node.keywords or len(node.args) != arity:
            raise FormulaError(f"{node.func.id}() takes {arity} argument{'s' * (arity > 1)}, "
                               f"got {len(node.args) + len(node.keywords)}")
        return Apply(key, tuple(self.convert(arg) for arg in node.args))


def parse(text: str, lang: Language) -> Tree:
    """The tree of `text`, or a FormulaError saying what is wrong (never another error)."""
    return _Reader(lang).convert(_checked_syntax(text).body)


def names_in(tree: Tree) -> set[str]:
    """Every name the tree refers to."""
    if isinstance(tree, Name):
        return {tree.id}
    if isinstance(tree, Apply):
        return set[str]().union(*(names_in(arg) for arg in tree.args))
    return set()


# --- evaluating ---------------------------------------------------------------------------------
def evaluate(tree: Tree, env: Mapping[str, Any], apply: Callable[[str, list[Any], Any], Any],
             number: Callable[[float], Any] = float) -> Any:
    """The value of `tree`: names from `env` (a KeyError for a missing one), numbers through
    `number`, every op through `apply(key, args, param)` (floats, nodes, arrays alike)."""
    if isinstance(tree, Num):
        return number(tree.value)
    if isinstance(tree, Name):
        return env[tree.id]
    return apply(tree.op, [evaluate(arg, env, apply, number) for arg in tree.args], tree.param)


def fold(tree: Tree, numbers: Mapping[str, float], lang: Language) -> Tree:
    """`tree` with the names in `numbers` replaced by those numbers and the arithmetic on
    numbers done (`p - 1` with p = 3 is 2; `x ** 1` is x, `x ** 0` is 1): for showing."""
    if isinstance(tree, Name):
        return Num(float(numbers[tree.id])) if tree.id in numbers else tree
    if isinstance(tree, Num):
        return tree
    args = tuple(fold(arg, numbers, lang) for arg in tree.args)
    symbol = lang.symbol(tree.op)
    if symbol == "**" and len(args) == 2 and isinstance(args[1], Num):
        if args[1].value == 1.0:
            return args[0]
        if args[1].value == 0.0:
            return Num(1.0)
    if symbol in ("+", "-", "*", "/") and all(isinstance(a, Num) for a in args):
        values = [a.value for a in args if isinstance(a, Num)]
        if len(values) == 1:
            return Num(-values[0])
        try:
            return Num(_ARITHMETIC[symbol](values[0], values[1]))
        except ArithmeticError:  # not folded: 1/0 stays written out and fails where evaluated
            return Apply(tree.op, args, tree.param)
    return Apply(tree.op, args, tree.param)


_ARITHMETIC: dict[str, Callable[[float, float], float]] = {
    "+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
    "/": lambda a, b: a / b}


# --- printing -----------------------------------------------------------------------------------
def _shortest(x: float) -> str:
    """A literal as written: the shortest repr, without a trailing '.0' (2, not 2.0)."""
    return repr(x).removesuffix(".0")


@dataclass(frozen=True)
class _Style:
    """How one printer writes the operators (by symbol) and the numbers."""

    infix: Mapping[str, str]  # symbol -> text between the operands
    number: Callable[[float], str]
    square_names: bool = False  # `x ** 2` of a name as `x * x` (python source)
    unicode: bool = False  # `²`, `^`, `√`, shown function names


_PLAIN = {"+": " + ", "-": " - ", "*": "*", "/": "/", "**": "**"}
_PYTHON = {"+": " + ", "-": " - ", "*": " * ", "/": " / ", "**": " ** "}
_SHOWN = {"+": " + ", "-": " - ", "*": "·", "/": "/", "**": "^"}


class _Printer:
    """Tree -> text with parentheses only where the precedence needs them."""

    def __init__(self, lang: Language, style: _Style, names: Mapping[str, str],
                 call: Callable[[str, list[str]], str] | None = None) -> None:
        self.lang, self.style, self.names, self.call = lang, style, names, call

    def precedence(self, tree: Tree) -> int:
        if (self.style.square_names and isinstance(tree, Apply) and tree.param == 2.0
                and isinstance(tree.args[0], Name)):
            return self.lang.precedence[self.lang.operators[("*", 2)]]  # written `x * x`
        if isinstance(tree, Apply) and self.lang.symbol(tree.op):
            return self.lang.precedence.get(tree.op, _ATOM)
        if isinstance(tree, Apply) and self.style.unicode and self.lang.shown.get(tree.op) == "√":
            return self.lang.precedence.get(self.lang.operators.get(("-", 1), ""), 3)
        if isinstance(tree, Num) and tree.value < 0:
            return self.lang.precedence.get(self.lang.operators.get(("-", 1), ""), 3)
        return _ATOM

    def text(self, tree: Tree) -> str:
        if isinstance(tree, Num):
            return self.style.number(tree.value)
        if isinstance(tree, Name):
            return self.names.get(tree.id, tree.id)
        symbol = self.lang.symbol(tree.op)
        if not symbol:
            return self.function(tree)
        mine = self.lang.precedence.get(tree.op, _ATOM)

        def sub(arg: Tree, right: bool = False) -> str:
            text = self.text(arg)
            inner = self.precedence(arg)
            # source keeps the tree's order exactly (float + and * are not associative)
            needs = inner < mine or (right and inner == mine and (
                symbol in ("-", "/", "**") or self.style.square_names))
            needs = needs or (symbol == "**" and not right and inner <= mine)
            needs = needs or (text.startswith("-") and (right or symbol == "**" or (
                isinstance(arg, (Name, Num)) and symbol in ("*", "/")
                and not self.style.unicode)))  # `-1·x^-2` reads as written
            if (self.style.unicode and symbol == "**" and right and isinstance(arg, Num)):
                needs = False  # `x^-2`: a number exponent reads without parentheses
            return f"({text})" if needs else text

        if len(tree.args) == 1 and tree.param is None:  # unary minus
            return "-" + sub(tree.args[0], right=True)
        if tree.param is not None:  # `x ** 2`: the exponent is the op's parameter
            base = tree.args[0]
            if tree.param == 2.0 and self.style.square_names and isinstance(base, Name):
                return f"{self.text(base)} * {self.text(base)}"
            if tree.param == 2.0 and self.style.unicode:
                return sub(base) + "²"
            exponent = self.style.number(tree.param)
            if tree.param < 0 and not self.style.unicode:
                exponent = f"({exponent})"
            return sub(base) + self.style.infix[symbol] + exponent
        return sub(tree.args[0]) + self.style.infix[symbol] + sub(tree.args[1], right=True)

    def function(self, tree: Apply) -> str:
        args = [self.text(arg) for arg in tree.args]
        if self.call is not None:
            return self.call(tree.op, args)
        if self.style.unicode:
            shown = self.lang.shown.get(tree.op, self.lang.call_name(tree.op))
            if shown == "√":
                inner = tree.args[0]
                atom = self.precedence(inner) == _ATOM and not args[0].startswith("-")
                return "√" + (args[0] if atom else f"({args[0]})")
            return f"{shown}({', '.join(args)})"
        return f"{self.lang.call_name(tree.op)}({', '.join(args)})"


def render(tree: Tree, lang: Language, number: Callable[[float], str] | None = None,
           names: Mapping[str, str] | None = None) -> str:
    """The tree as written (`w0*x0 + sigmoid(b)`): names as written, or replaced by
    `names[id]`; `number(x)` formats a literal (default: shortest repr, `2` not `2.0`)."""
    style = _Style(_PLAIN, number or _shortest)
    return _Printer(lang, style, names or {}).text(tree)


def source(tree: Tree, lang: Language, names: Mapping[str, str],
           call: Callable[[str, list[str]], str]) -> str:
    """Python source of `tree` (names replaced by `names[id]`, numbers as float literals);
    `call(key, argument sources)` writes each function call (python: the row's forward; numpy:
    its kernel). The source evaluates exactly the tree's operations, in the tree's order."""
    style = _Style(_PYTHON, repr, square_names=True)
    return _Printer(lang, style, names, call).text(tree)


def show(tree: Tree, lang: Language, names: Mapping[str, str] | None = None,
         numbers: Mapping[str, float] | None = None,
         number: Callable[[float], str] | None = None) -> str:
    """The formula as a reader sees it: `1 - out²`, `out·(1 - out)`, `1/(2·√x)`, `σ(x)`.

    `names` replace names by text (a label, `#7`, a number as text); `numbers` replace names by
    numbers and fold the arithmetic (see `fold`). `number` formats literals (default: `g`).
    """
    if numbers:
        tree = fold(tree, numbers, lang)
    style = _Style(_SHOWN, number or (lambda x: f"{x:g}"), unicode=True)
    return _Printer(lang, style, names or {}).text(tree)


def read_shown(text: str, lang: Language) -> Tree:
    """The tree of a text `show` printed (`3·x^2`, `1 - out²`, `σ(x)`, `1/(2·√x)`): the same
    language read back, so a printed formula can be evaluated and checked against its rule."""
    python = text.replace("·", "*").replace("²", "**2").replace("^", "**")
    for name, (key, _) in lang.functions.items():
        shown = lang.shown.get(key)
        if shown and shown != "√":
            python = re.sub(rf"(?<![\w.]){re.escape(shown)}\(", f"{name}(", python)
    while "√" in python:  # √ binds to the atom (a name, a number, a call) or group after it
        sqrt = next((name for name, (key, _) in lang.functions.items()
                     if lang.shown.get(key) == "√"), "√")
        start = end = python.rindex("√") + 1  # the last first: `√√x` reads as √(√x)
        while end < len(python) and (python[end].isalnum() or python[end] in "._"):
            end += 1
        if python[end:end + 1] == "(":
            depth = 0
            for end in range(end, len(python)):
                depth += (python[end] == "(") - (python[end] == ")")
                if depth == 0:
                    break
            end += 1
        python = f"{python[:start - 1]}{sqrt}({python[start:end]}){python[end:]}"
    return parse(python, lang)
