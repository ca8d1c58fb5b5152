"""The key's plain-text maths typeset: Typst math and LaTeX math from one small parser.

    >>> to_latex("∂L/∂z1_1")
    '\\\\frac{\\\\partial L}{\\\\partial z_{1,1}}'
    >>> to_typst("sigmoid(W1_11*x1 + b1_1)")
    'sigma(W_(1,11) dot.c x_(1) + b_(1,1))'

The key writes formulas as text (`w0*x0 + w1`, `∂L/∂f·∂f/∂dot`, `f·(1 - f)`, `1/(2·√x)`,
`x^(y - 1)`, `6.68e-05`). `parse` reads that text into a small tree; `to_typst` and `to_latex`
print the tree as maths: ∂a/∂b and every `/` as a fraction, `**`, `^` and `²` as powers, names
with digits as subscripts (`W1_11` is W with subscript 1,11), `yhat` as y with a hat, sigmoid
as σ, exponents of numbers as × 10^k. Text that is not such a formula (it never is in a key, but
a parser must not trust its input) is typeset as upright text, escaped, never as markup.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Union

from ..safetext import clean_text

__all__ = ["MathError", "Node", "parse", "to_typst", "to_latex", "typst_string", "tex_text"]


class MathError(ValueError):
    """The text is not a formula of the key's kind (the callers fall back to upright text)."""


@dataclass(frozen=True)
class Node:
    """One part of a formula: `kind` with its text and children.

    kinds: num (text), name (text), partial (children: the name), neg, sqrt, abs, paren,
    tangent (one child), frac, pow (two), sum (children alternate with `ops`: '+'/'-'), mul (factors),
    call (text: the function; children: arguments).
    """

    kind: str
    text: str = ""
    children: tuple[Node, ...] = ()
    ops: tuple[str, ...] = ()


Child = Union[Node, str]
_TOKEN = re.compile(r"\s*(?:(?P<num>\d+(?:\.\d*)?(?:e[+-]?\d+)?|\.\d+(?:e[+-]?\d+)?)"
                    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<op>\*\*|[-+*/·^²√∂(),|ṫ]))")
# What the functions of the op table are called in print; the rest keep their name, upright.
_FUNCTIONS_TYPST = {"sigmoid": "sigma", "log": "ln", "exp": "exp", "tanh": "tanh", "sin": "sin",
                    "cos": "cos", "max": "max", "min": "min", "ln": "ln"}
_FUNCTIONS_TEX = {"sigmoid": r"\sigma", "log": r"\ln", "exp": r"\exp", "tanh": r"\tanh",
                  "sin": r"\sin", "cos": r"\cos", "max": r"\max", "min": r"\min", "ln": r"\ln"}
_UPRIGHT_FUNCTIONS = {"relu": "ReLU", "softplus": "softplus", "sign": "sign"}
_GREEK = {"alpha", "beta", "gamma", "delta", "epsilon", "eta", "theta", "lambda", "mu", "sigma",
          "tau", "phi", "rho", "omega", "kappa", "nu", "xi", "pi", "chi", "psi", "zeta"}
_NAME = re.compile(r"([A-Za-z]+?)(hat|bar)?(\d*)((?:_[A-Za-z0-9]+)*)")  # base, accent, digits, _parts
MAX_CHARS = 4000  # a key line is far shorter; longer text is not parsed (upright text instead)


def _tokens(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise MathError(f"cannot read {text[pos:pos + 10]!r}")
        kind = m.lastgroup or "op"
        out.append((kind, m.group(kind)))
        pos = m.end()
    return out


class _Parser:
    """Recursive descent; `/` binds tighter than `*` and `·` so ∂L/∂f·∂f/∂x is two fractions
    (the value is the same as Python's left-to-right reading: (a·b)/c = a·(b/c))."""

    def __init__(self, text: str) -> None:
        if len(text) > MAX_CHARS:
            raise MathError(f"formula too long ({len(text)} characters)")
        self.toks, self.i, self.depth = _tokens(text), 0, 0

    def peek(self) -> str:
        return self.toks[self.i][1] if self.i < len(self.toks) else ""

    def take(self, want: str | None = None) -> tuple[str, str]:
        if self.i >= len(self.toks) or (want is not None and self.toks[self.i][1] != want):
            raise MathError(f"expected {want or 'more'} at token {self.i}")
        self.i += 1
        return self.toks[self.i - 1]

    def whole(self) -> Node:
        node = self.sum()
        if self.i != len(self.toks):
            raise MathError(f"unexpected {self.peek()!r}")
        return node

    def sum(self) -> Node:
        self.depth += 1
        if self.depth > 60:
            raise MathError("formula nested too deeply")
        terms, ops = [self.product()], []
        while self.peek() in ("+", "-"):
            ops.append(self.take()[1])
            terms.append(self.product())
        self.depth -= 1
        return terms[0] if not ops else Node("sum", children=tuple(terms), ops=tuple(ops))

    def product(self) -> Node:
        factors = [self.quotient()]
        while self.peek() in ("*", "·") or self._starts_atom():
            if self.peek() in ("*", "·"):
                self.take()
            factors.append(self.quotient())
        return factors[0] if len(factors) == 1 else Node("mul", children=tuple(factors))

    def _starts_atom(self) -> bool:  # implicit product: 'ln x', '2√x'
        if self.i >= len(self.toks):
            return False
        kind, text = self.toks[self.i]
        return kind in ("num", "name") or text in ("(", "√", "∂")

    def quotient(self) -> Node:
        node = self.unary()
        while self.peek() == "/":
            self.take()
            node = Node("frac", children=(node, self.unary()))
        return node

    def unary(self) -> Node:
        if self.peek() in ("-", "+"):
            sign = self.take()[1]
            inner = self.unary()
            return Node("neg", children=(inner,)) if sign == "-" else inner
        return self.power()

    def power(self) -> Node:
        base = self.atom()
        while self.peek() == "²":
            self.take()
            base = Node("pow", children=(base, Node("num", "2")))
        if self.peek() in ("**", "^"):
            self.take()
            exponent = self.unary()
            return Node("pow", children=(base, _strip(exponent)))
        return base

    def atom(self) -> Node:
        kind, text = self.take()
        if kind == "num":
            return Node("num", text)
        if text == "∂":
            return Node("partial", children=(self.atom(),))
        if text == "ṫ":  # a tangent, ṫ(x): forward mode's mirror of the gradient
            self.take("(")
            inner = self.sum()
            self.take(")")
            return Node("tangent", children=(inner,))
        if text == "√":
            return Node("sqrt", children=(_strip(self.power()),))
        if text == "(":
            inner = self.sum()
            self.take(")")
            return Node("paren", children=(inner,))
        if text == "|":
            inner = self.sum()
            self.take("|")
            return Node("abs", children=(inner,))
        if kind == "name":
            if text == "ln" and self.peek() != "(" and self._starts_atom():  # 'ln x'; else a name
                return Node("call", text, (self.power(),))
            if self.peek() == "(":
                self.take()
                args = [self.sum()]
                while self.peek() == ",":
                    self.take()
                    args.append(self.sum())
                self.take(")")
                return Node("call", text, tuple(args))
            return Node("name", text)
        raise MathError(f"unexpected {text!r}")


def _strip(node: Node) -> Node:
    """The inside of parentheses that only group (a fraction's parts, an exponent, a root)."""
    return node.children[0] if node.kind == "paren" else node


def parse(text: str) -> Node:
    """The tree of a key formula, or MathError."""
    return _Parser(text).whole()


def typst_string(text: str) -> str:
    """`text` as a Typst string literal (code mode `#"..."` or math-mode text): shown as is,
    control and bidi characters as escapes (autograd.safetext)."""
    escaped = clean_text(text, None).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def tex_text(text: str) -> str:
    """`text` with LaTeX's special characters escaped (for \\text{...} and ordinary text),
    control and bidi characters shown as escapes first (autograd.safetext)."""
    table = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
             "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}",
             "^": r"\textasciicircum{}", "<": r"\textless{}", ">": r"\textgreater{}",
             "|": r"\textbar{}", "\n": " ", "\r": " ",
             # the maths characters a sheet's text uses, so pdflatex needs no Unicode set-up
             "∂": r"$\partial$", "·": r"$\cdot$", "σ": r"$\sigma$", "²": r"$^2$", "√": r"$\surd$",
             "−": "-", "×": r"$\times$", "η": r"$\eta$", "λ": r"$\lambda$", "ŷ": r"$\hat{y}$",
             "ḡ": r"$\bar{g}$", "ṫ": r"$\dot{t}$", "→": r"$\to$", "≈": r"$\approx$", "–": "--", "—": "---"}
    return "".join(table.get(ch, ch) for ch in clean_text(text, None))


def _name_parts(name: str) -> tuple[str, str, list[str]] | None:
    """(base, accent, subscripts) of `W1_11` ('W', '', ['1', '11']), `yhat` ('y', 'hat', [])."""
    m = _NAME.fullmatch(name)
    if not m:
        return None
    base, accent, digits, rest = m.group(1), m.group(2) or "", m.group(3), m.group(4)
    if accent and not base:
        return None
    subs = ([digits] if digits else []) + [p for p in rest.split("_") if p]
    return base, accent, subs


def _number(text: str, times: str, power: str) -> str:
    mantissa, _, exponent = text.partition("e")
    if not exponent:
        return text
    return f"{mantissa} {times} 10{power.format(int(exponent))}"


def _typst_name(text: str) -> str:
    parts = _name_parts(text)
    if parts is None:
        return typst_string(text)
    base, accent, subs = parts
    shown = base if len(base) == 1 or base in _GREEK else typst_string(base)
    if accent:
        shown = f"{accent}({shown})"
    # a subscript part that is a word must be text: in Typst maths a bare word is a variable
    words = [p if p.isdigit() or len(p) == 1 else typst_string(p) for p in subs]
    return shown + (f"_({','.join(words)})" if words else "")


def _tex_name(text: str) -> str:
    parts = _name_parts(text)
    if parts is None:
        return rf"\text{{{tex_text(text)}}}"
    base, accent, subs = parts
    shown = base if len(base) == 1 else (f"\\{base}" if base in _GREEK else rf"\mathrm{{{base}}}")
    if accent:
        shown = rf"\{accent}{{{shown}}}"
    words = [p if p.isdigit() or len(p) == 1 else rf"\mathrm{{{p}}}" for p in subs]
    return shown + (f"_{{{','.join(words)}}}" if words else "")


@dataclass(frozen=True)
class _Language:
    """How one maths language writes each kind of node ({0}, {1}: the children)."""

    templates: dict[str, str]
    name: Callable[[str], str]
    function: Callable[[str], str]  # the head of a call, by the op table's method name


_TYPST = _Language(
    {"partial": "partial {0}", "neg": "-{0}", "sqrt": "sqrt({0})", "abs": "abs({0})",
     "paren": "({0})", "frac": "frac({0}, {1})", "pow": "{0}^({1})", "mul": " dot.c ",
     "call": "{0}({1})", "times": "times", "power": "^({})", "tangent": "dot(t)({0})"},
    _typst_name,
    lambda f: _FUNCTIONS_TYPST.get(f) or f"op({typst_string(_UPRIGHT_FUNCTIONS.get(f, f))})")
_LATEX = _Language(
    {"partial": r"\partial {0}", "neg": "-{0}", "sqrt": r"\sqrt{{{0}}}", "abs": r"\left|{0}\right|",
     "paren": r"\left({0}\right)", "frac": r"\frac{{{0}}}{{{1}}}", "pow": "{{{0}}}^{{{1}}}",
     "mul": r" \cdot ", "call": r"{0}\left({1}\right)", "times": r"\times", "power": "^{{{}}}",
     "tangent": r"\dot{{t}}\left({0}\right)"},
    _tex_name,
    lambda f: _FUNCTIONS_TEX.get(f) or rf"\operatorname{{{tex_text(_UPRIGHT_FUNCTIONS.get(f, f))}}}")


def _render(n: Node, lang: _Language) -> str:
    t = lang.templates
    if n.kind == "num":
        return _number(n.text, t["times"], t["power"])
    if n.kind == "name":
        return lang.name(n.text)
    if n.kind == "frac":  # a fraction's parts need no parentheses of their own
        return t["frac"].format(*(_render(_strip(c), lang) for c in n.children))
    kids = [_render(c, lang) for c in n.children]
    if n.kind == "sum":
        return kids[0] + "".join(f" {op} {k}" for op, k in zip(n.ops, kids[1:]))
    if n.kind == "mul":
        return t["mul"].join(kids)
    if n.kind != "call":
        return t[n.kind].format(*kids)
    head = lang.function(n.text)
    if n.text in ("ln", "log") and len(kids) == 1 and n.children[0].kind in ("name", "num"):
        return f"{head} {kids[0]}"  # ln x, as printed
    return t["call"].format(head, ", ".join(kids))


def to_typst(text: str) -> str:
    """Typst math (without the $ signs) for a key formula; upright quoted text if not one."""
    try:
        return _render(parse(text), _TYPST)
    except MathError:
        return typst_string(text)


def to_latex(text: str) -> str:
    """LaTeX math (without the $ signs) for a key formula; \\text{...} (escaped) if not one."""
    try:
        return _render(parse(text), _LATEX)
    except MathError:
        return rf"\text{{{tex_text(text)}}}"
