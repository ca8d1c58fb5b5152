"""A worksheet read from TOML: `Sheet` (the file, ranges and all) and `Problem` (one instance).

    title = "A neuron"
    text = "Compute f and its gradients."    # optional problem statement
    digits = 4                             # significant digits printed (default 4)
    rtol = 0.0                             # optional: tolerances as in autograd.check
    [inputs]
    x0 = -1.0
    [params]
    w0 = 2.0
    w1 = { min = -3.0, max = 3.0, step = 0.5, exclude = [0.0] }   # a variant (--seed N)
    [nodes]                                # in forward order, each over earlier names
    dot = "w0*x0 + w1"
    f = "sigmoid(dot)"
    [ask]
    values = ["dot", "f"]
    grads = ["w0", "w1"]
    root = "f"                             # optional: default the last node
    jvp = { w0 = 1.0 }                     # optional: d root along this direction (sweep.py)
    [grading]                              # optional: points and credits (docs/sheets.md)
    points = { default = 1, f = 2, "df/dw0" = 3 }
    rounding = 1.0                         # credit per verdict, a fraction of the points

Sizes are checked before anything is parsed: a sheet file of at most MAX_SHEET_BYTES, an
answers file of at most MAX_ANSWERS_BYTES, regular files only (never a pipe or a device).

`load(path)` reads and checks a sheet (every error names the file, the line and the node);
`sheet.problem(seed)` fixes the numbers (drawing the ranges with `random.Random(seed)`, so a
seed always gives the same numbers) and builds the engine's graph: `problem.values` and
`problem.grads` hold every named quantity's exact value and gradient.
"""
from __future__ import annotations

import math
import os
import random
import re
import stat
import sys
from dataclasses import dataclass, field
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Union

from ..backward import backward
from ..grading import DEFAULT_CREDITS, Policy
from ..safetext import clean_text
from ..value import Value
from .errors import SheetError, as_path, require, where
from .expr import Apply, names_in, parse, render, to_value
from .sweep import checked_direction

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ["Range", "Sheet", "Problem", "load", "loads", "read_toml", "read_text", "key_lines",
           "DEFAULT_DIGITS", "MAX_SHEET_BYTES", "MAX_ANSWERS_BYTES", "MAX_POINTS"]

DEFAULT_DIGITS = 4
MAX_SHEET_BYTES = 1_000_000   # a sheet of 2,000+ nodes is ~100 kB; more is not a worksheet
MAX_ANSWERS_BYTES = 200_000   # an answers file holds one printed number per asked quantity
MAX_POINTS = 1e6
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_TOP_KEYS = {"title", "text", "digits", "rtol", "atol", "inputs", "params", "nodes", "ask",
             "grading"}


def read_toml(text: str, source: str) -> dict[str, Any]:
    """The TOML document as a dict, or a SheetError naming the file and the line."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SheetError(f"{source}: not valid TOML: {exc}") from None


def key_lines(text: str) -> dict[tuple[str, str], int]:
    """(table, key) -> line number of `key = ...` in `[table]` ('' for top-level keys)."""
    lines: dict[tuple[str, str], int] = {}
    table = ""
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        header = re.match(r"^\[\s*([^\]]+?)\s*\]", stripped)
        if header:
            table = header.group(1).strip('"')
            continue
        key = re.match(r'^("([^"]*)"|[A-Za-z0-9_-]+)\s*=', stripped)
        if key:
            lines.setdefault((table, key.group(2) if key.group(2) is not None else key.group(1)), number)
    return lines


@dataclass(frozen=True)
class Range:
    """A variant: a number drawn from min, min + step, ... up to max (inclusive), never outside
    [min, max], never one of `exclude`."""

    low: float
    high: float
    step: float
    exclude: tuple[float, ...] = ()

    def grid(self) -> list[float]:
        """Every value a draw can give, in order (rounded to the step's decimals, in range)."""
        # floor with a small slack: (0.9 - 0.1) / 0.1 is 7.999999999999999, meaning 8 steps,
        # while round() could add a step past max
        count = math.floor((self.high - self.low) / self.step * (1 + 1e-12) + 1e-9)
        # 12 significant digits: 0.1 * 3 prints as 0.3, as written; then clamped into [min, max]
        values = (min(max(float(f"{self.low + self.step * k:.12g}"), self.low), self.high)
                  for k in range(count + 1))
        return [v for v in values
                if not any(math.isclose(v, e, rel_tol=1e-12, abs_tol=1e-12) for e in self.exclude)]

    def draw(self, rng: random.Random) -> float:
        """One value of the grid."""
        return rng.choice(self.grid())


Leaf = Union[float, Range]  # an input's or parameter's number, or the range a seed draws it from


@dataclass
class Sheet:
    """A worksheet as written: leaves (numbers or ranges), node expressions, what is asked."""

    name: str
    source: str
    title: str
    text: str
    inputs: dict[str, Leaf]      # name -> float or Range
    params: dict[str, Leaf]      # name -> float or Range
    nodes: dict[str, Apply]      # name -> expression tree (forward order)
    formulas: dict[str, str]     # name -> the parsed expression, printed (never the source text)
    values: list[str]            # asked values, forward order
    grads: list[str]             # asked gradients
    root: str
    digits: int = DEFAULT_DIGITS
    rtol: float = 0.0
    atol: float = 0.0
    lines: dict[tuple[str, str], int] = field(default_factory=dict)  # (table, key) -> line
    policy: Policy = field(default_factory=Policy)  # the [grading] table: points and credits
    jvp: dict[str, float] = field(default_factory=dict)  # [ask] jvp: leaf -> tangent (sweep.py)

    @property
    def leaves(self) -> list[str]:
        """Inputs then parameters, in the file's order."""
        return list(self.inputs) + list(self.params)

    @property
    def order(self) -> list[str]:
        """Every named quantity in forward order: inputs, parameters, nodes."""
        return self.leaves + list(self.nodes)

    @property
    def variants(self) -> list[str]:
        """The names given as ranges (drawn from the seed)."""
        return [n for n, v in {**self.inputs, **self.params}.items() if isinstance(v, Range)]

    def consumers(self, name: str) -> list[str]:
        """The named nodes whose expression uses `name`, in forward order."""
        if "_consumers" not in self.__dict__:  # built once: one pass over the nodes, not one per name
            found: dict[str, list[str]] = {}
            for node, tree in self.nodes.items():
                for used in sorted(names_in(tree)):
                    found.setdefault(used, []).append(node)
            self.__dict__["_consumers"] = found
        return list(self.__dict__["_consumers"].get(name, []))

    def numbers(self, seed: int | None = None) -> dict[str, float]:
        """The leaves' numbers; ranges drawn with `seed` (required when the sheet has ranges)."""
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
            raise TypeError(f"a seed must be an int or None, got {type(seed).__name__}")
        if self.variants and seed is None:
            raise SheetError(f"{self.source}: this sheet has variants ({', '.join(self.variants)} "
                             "given as ranges): give a seed (--seed N) to draw a student's numbers")
        rng = random.Random(seed)
        return {n: v.draw(rng) if isinstance(v, Range) else v
                for n, v in {**self.inputs, **self.params}.items()}

    def problem(self, seed: int | None = None) -> Problem:
        """One instance of the sheet: its numbers fixed, its graph built and backpropagated."""
        return Problem(self, self.numbers(seed), seed if self.variants else None)


class Problem:
    """A sheet with its numbers fixed: the engine's graph, and the exact values and gradients."""

    def __init__(self, sheet: Sheet, numbers: Mapping[str, float], seed: int | None = None) -> None:
        require(sheet, Sheet, "Problem", "a Sheet")
        require(numbers, Mapping, "Problem", "a mapping name -> number")
        missing = [n for n in sheet.leaves if n not in numbers]
        if missing or any(isinstance(v, bool) or not isinstance(v, (int, float)) or v - v
                          for v in numbers.values()):
            raise SheetError(f"Problem: numbers must give a finite number for every input and "
                             f"parameter ({clean_text(', '.join(missing[:5]), 80) or 'a bad value'})")
        self.sheet, self.seed, self.numbers = sheet, seed, {n: float(v) for n, v in numbers.items()}
        self.nodes = {n: Value(v, label=n) for n, v in numbers.items()}
        for name, tree in sheet.nodes.items():
            try:
                self.nodes[name] = to_value(tree, self.nodes).named(name)
            except SheetError as exc:
                line = sheet.lines.get(("nodes", name), 0)
                raise SheetError(where(sheet.source, line, name) + str(exc)
                                 + self._variant_note()) from None
        self.root = self.nodes[sheet.root]
        try:
            backward(self.root)
        except (ArithmeticError, ValueError) as exc:
            raise SheetError(where(sheet.source) + f"the backward pass fails: {clean_text(str(exc))}"
                             + self._variant_note()) from None
        self.values = {n: v.data for n, v in self.nodes.items()}
        self.grads = {n: v.grad for n, v in self.nodes.items()}

    def _variant_note(self) -> str:
        return f" (variant drawn with seed {self.seed})" if self.seed is not None else ""

    @property
    def params(self) -> list[Value]:
        """The parameter Values (coloured as parameters in the diagram)."""
        return [self.nodes[n] for n in self.sheet.params]


def _leaf(value: object, source: str, line: int, name: str) -> Leaf:
    if isinstance(value, dict):
        if not {"min", "max", "step"} <= set(value) <= {"min", "max", "step", "exclude"}:
            raise SheetError(where(source, line, name) + "a range needs min, max and step (and "
                             f"optionally exclude), got {clean_text(', '.join(value), 80) or 'nothing'}")
        low, high, step = (_number(value[k], source, line, name) for k in ("min", "max", "step"))
        if not (step > 0 and high >= low) or (high - low) / step > 10 ** 6:
            raise SheetError(where(source, line, name) + f"a range needs min <= max and 0 < step "
                             f"(at most 10^6 steps), got min={low}, max={high}, step={step}")
        exclude = value.get("exclude", [])
        if not isinstance(exclude, list) or len(exclude) > 1000:
            raise SheetError(where(source, line, name) + "exclude must be a list of numbers")
        drawn = Range(low, high, step, tuple(_number(e, source, line, name) for e in exclude))
        if not drawn.grid():
            raise SheetError(where(source, line, name) + "the range excludes every value it has")
        return drawn
    return _number(value, source, line, name)


def _number(value: object, source: str, line: int, name: str) -> float:
    """A leaf's number (or a range's bound) as a finite float, or a SheetError naming it."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise SheetError(where(source, line, name) + f"must be a number or a range "
                         f"{{ min = .., max = .., step = .. }}, got {clean_text(repr(value), 60)}")
    number = float(value)
    if number - number:
        raise SheetError(where(source, line, name) + f"must be finite, got {clean_text(repr(value), 60)}")
    return number


def _table(doc: Mapping[str, Any], key: str, source: str) -> dict[str, Any]:
    table = doc.get(key, {})
    if not isinstance(table, dict):
        raise SheetError(f"{source}: [{key}] must be a table of name = value lines")
    return table


def _check_name(name: str, source: str, line: int, seen: set[str]) -> None:
    if not _NAME.match(name):
        raise SheetError(where(source, line, name) + "a name must be letters, digits and _ "
                         "(not starting with a digit), to be usable in expressions")
    if name in seen:
        raise SheetError(where(source, line, name) + "this name is defined twice")
    seen.add(name)


def loads(text: str, source: str = "<sheet>", name: str = "") -> Sheet:
    """A Sheet from TOML text; `source` (a file name) starts every error message."""
    require(text, str, "sheets.loads", "the sheet's TOML text (a str)")
    require(source, str, "sheets.loads", "a source name (a str)")
    source = clean_text(source, 200)  # it starts every message: bounded, no terminal escapes
    doc, lines = read_toml(text, source), key_lines(text)
    unknown = set(doc) - _TOP_KEYS
    if unknown:
        raise SheetError(f"{source}: unknown key(s) {', '.join(sorted(unknown))}; "
                         f"a sheet has {', '.join(sorted(_TOP_KEYS))}")
    seen: set[str] = set()
    leaves: dict[str, dict[str, Leaf]] = {}
    for table in ("inputs", "params"):
        leaves[table] = {}
        for key, value in _table(doc, table, source).items():
            line = lines.get((table, key), 0)
            _check_name(key, source, line, seen)
            leaves[table][key] = _leaf(value, source, line, key)
    nodes: dict[str, Apply] = {}
    formulas: dict[str, str] = {}
    for key, formula in _table(doc, "nodes", source).items():
        line = lines.get(("nodes", key), 0)
        _check_name(key, source, line, seen)
        if not isinstance(formula, str):
            raise SheetError(where(source, line, key) + f"an expression must be a string, got {formula!r}")
        try:
            tree = parse(formula)
        except SheetError as exc:
            raise SheetError(where(source, line, key) + str(exc)) from None
        if not isinstance(tree, Apply):
            raise SheetError(where(source, line, key) + f"{formula!r} is a bare name or number: "
                             "put numbers in [inputs] or [params], and use the name directly")
        used = names_in(tree)
        undefined = sorted(n for n in used if n not in seen or n == key)  # no copy of seen: linear
        if key in used or undefined:
            bad = key if key in names_in(tree) else undefined[0]
            raise SheetError(where(source, line, key) + f"uses {bad!r}, which is not an input, a "
                             "parameter or an EARLIER node (nodes are in forward order)")
        # stored and printed as parsed: a source comment or odd spacing never reaches a key
        nodes[key], formulas[key] = tree, render(tree)
    if not nodes:
        raise SheetError(f"{source}: a sheet needs at least one entry in [nodes]")
    ask = _table(doc, "ask", source)
    extra = set(ask) - {"values", "grads", "root", "jvp"}
    if extra:
        raise SheetError(f"{source}: unknown key(s) in [ask]: {', '.join(sorted(extra))}")
    root = ask.get("root", list(nodes)[-1])
    if root not in nodes:
        raise SheetError(where(source, lines.get(("ask", "root"), 0)) + f"root {root!r} is not a node")
    asked: dict[str, list[str]] = {}
    for kind in ("values", "grads"):
        names = ask.get(kind, [])
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise SheetError(where(source, lines.get(("ask", kind), 0)) + f"{kind} must be a list of names")
        missing = [n for n in names if n not in seen]
        if missing or len(set(names)) != len(names):
            what = f"unknown name {missing[0]!r}" if missing else "a name is asked twice"
            raise SheetError(where(source, lines.get(("ask", kind), 0)) + f"[ask] {kind}: {what}")
        position = {n: i for i, n in enumerate([*leaves["inputs"], *leaves["params"], *nodes])}
        asked[kind] = sorted(names, key=position.__getitem__)
    direction = checked_direction(ask.get("jvp"), list(leaves["inputs"]) + list(leaves["params"]),
                                  source, lines.get(("ask", "jvp"), 0))
    if not asked["values"] and not asked["grads"] and not direction:
        raise SheetError(f"{source}: [ask] asks for nothing (give values = [...] and/or grads = [...])")
    digits = doc.get("digits", DEFAULT_DIGITS)
    if isinstance(digits, bool) or not isinstance(digits, int) or not 1 <= digits <= 15:
        raise SheetError(where(source, lines.get(("", "digits"), 0)) + f"digits must be 1 to 15, got {digits!r}")
    tolerances = {k: doc.get(k, 0.0) for k in ("rtol", "atol")}
    for key, value in tolerances.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < 1:
            raise SheetError(where(source, lines.get(("", key), 0)) + f"{key} must be a number from 0 to 1")
    title, statement = doc.get("title", name or source), doc.get("text", "")
    if not isinstance(title, str) or not isinstance(statement, str):
        raise SheetError(f"{source}: title and text must be strings")
    asked["jvp"] = [root] if direction else []  # the root's tangent is the one asked
    policy = _policy(doc, source, lines, asked, root)
    return Sheet(name or Path(source).stem, source, title, statement.strip(), leaves["inputs"],
                 leaves["params"], nodes, formulas, asked["values"], asked["grads"], root, digits,
                 float(tolerances["rtol"]), float(tolerances["atol"]), lines, policy, direction)


def _fraction(value: object, what: str, top: float, source: str, line: int) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= top:
        raise SheetError(where(source, line) + f"[grading] {what} must be a number from 0 to "
                         f"{top:g}, got {clean_text(repr(value), 40)}")
    return float(value)


def _policy(doc: Mapping[str, Any], source: str, lines: Mapping[tuple[str, str], int],
            asked: Mapping[str, list[str]], root: str) -> Policy:
    """The [grading] table: points (name, "dL/dname" or jvp -> points, default) and credits."""
    table = _table(doc, "grading", source)
    unknown = set(table) - {"points", *DEFAULT_CREDITS}
    if unknown:
        raise SheetError(where(source, lines.get(("grading", sorted(unknown)[0]), 0))
                         + f"unknown key(s) in [grading]: {clean_text(', '.join(sorted(unknown)), 80)};"
                         f" it has points and the credits {', '.join(DEFAULT_CREDITS)}")
    credits = {v: _fraction(table.get(v, c), v, 1.0, source, lines.get(("grading", v), 0))
               for v, c in DEFAULT_CREDITS.items()}
    points = table.get("points", {})
    if not isinstance(points, dict):
        raise SheetError(where(source, lines.get(("grading", "points"), 0)) + "[grading] points "
                         "must be a table: name (or \"dL/dname\") = points, default = points")
    known = set(asked["values"]) | {f"d{root}/d{n}" for n in asked["grads"]}
    known |= {"jvp"} if asked["jvp"] else set()  # the directional derivative's points
    given: dict[str, float] = {}
    for key, value in points.items():
        line = lines.get(("grading.points", key), lines.get(("grading", "points"), 0))
        if key != "default" and key not in known:
            raise SheetError(where(source, line) + f"[grading] points: {clean_text(key, 60)!r} is "
                             "not an asked quantity (a value's name, a gradient written "
                             f"\"d{root}/dname\", or jvp when [ask] jvp is given)")
        given[key] = _fraction(value, f"points for {clean_text(key, 60)!r}", MAX_POINTS, source, line)
    default = given.pop("default", 1.0)
    return Policy(given, default, credits)


def read_text(path: str | Path, what: str, limit: int = MAX_SHEET_BYTES) -> str:
    """The UTF-8 text of the file at `path`, or a SheetError 'PATH: cannot read the WHAT: ...'.

    Only a regular file of at most `limit` bytes is read (checked before reading: a pipe or
    /dev/zero would block or never end).
    """
    shown = clean_text(str(path), 200)
    try:
        # O_NONBLOCK: opening a named pipe must not wait for a writer before fstat can refuse it
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        try:  # the descriptor is closed here whatever happens (a directory, a device, an error)
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise SheetError(f"{shown}: cannot read the {what}: not a regular file")
            if info.st_size > limit:
                raise SheetError(f"{shown}: cannot read the {what}: {info.st_size} bytes, more "
                                 f"than the {limit} a {what} file may have")
            with open(fd, "rb", buffering=0, closefd=False) as handle:
                data = handle.read(limit + 1)
        finally:
            os.close(fd)
        if len(data) > limit:
            raise SheetError(f"{shown}: cannot read the {what}: more than {limit} bytes")
        return data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SheetError(f"{shown}: cannot read the {what}: {clean_text(str(exc), 200)}") from None


def load(path: str | Path) -> Sheet:
    """Read and check the sheet file at `path`."""
    file = as_path(path, "sheets.load")
    return loads(read_text(file, "sheet"), str(file), file.stem)
