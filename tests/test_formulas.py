"""Formulas as data (issue 18): every printed formula against the rule the engine computes.

- For every case of the catalogue (tests/op_catalogue.py), at every probe point, the text a
  diagram prints along each input (`row.edge_formula`, overrides included, pow's exponent folded
  in) is READ BACK (`formula.read_shown`) and evaluated: it must equal the node's stored local
  derivative to rel 1e-12 (abs 1e-12 near 0). A mistyped printed formula fails (shown below).
- Every numpy kernel (the stable sigmoid and the kink rules are overrides; the rest is derived)
  agrees with the row's forward and rule at the same probe points to 2 ulp.
- The language itself: printing and reading back give the same tree (hypothesis), names are
  substituted, precedence is kept, the whitelist refuses what it must.
- The facts in rows (kink, propagates, node.row) and `graph.sweep` against backward.
"""
from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import OPS, Value, gradients
from autograd import formula
from autograd.formula import Apply, FormulaError, Name, Num
from autograd.graph import creation_order, interior_nodes, interior_nodes_by_set, sweep
from autograd.ops import LANGUAGE, SHOWN, SHOWN_FUNCTIONS
from op_catalogue import ALL_CASES, build_on_values

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

NAMES = {"x": "x", "y": "y", "out": "out"}
CASES = ALL_CASES


def _float_apply(key: str, args: list, param: object) -> float:
    """What a printed formula means on floats: the table's forwards (and `sign`)."""
    if key in SHOWN_FUNCTIONS:
        return SHOWN_FUNCTIONS[key](*args)
    row = OPS[key]
    return row.forward(args[0], param) if row.arity == 1 else row.forward(*args)


def printed(row, index: int, p: object) -> str:
    """What a diagram prints along input `index`, over the plain names x, y, out."""
    return row.edge_formula(index, dict(NAMES, p=p))


def mismatches(case, text_of=printed) -> list:
    """(point, input, printed text, its value, the rule's value) wherever they differ."""
    wrong = []
    for point in case.points:
        _, node = build_on_values(case, point)
        row = node.row
        env = {"x": point[0], "y": point[1] if len(point) > 1 else None, "out": node.data}
        for index, local in enumerate(node.local):
            text = text_of(row, index, node.arg)
            if not text:  # shown as its number: the number is the rule's value itself
                continue
            value = formula.evaluate(formula.read_shown(text, SHOWN), env, _float_apply)
            if not math.isclose(value, local, rel_tol=1e-12, abs_tol=1e-12):
                wrong.append((point, index, text, value, local))
    return wrong


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.label)
def test_every_printed_formula_is_the_rule_at_the_probe_points(case):
    assert mismatches(case) == []


def test_a_mistyped_printed_formula_fails():
    # what issue 18 found: atan's edge typed as 1/(1 - x²) passed every test. Here tanh's
    # printed formula is replaced by wrong texts; the check must catch each.
    tanh = next(case for case in CASES if case.op == "tanh")
    for typo in ("1/(1 - x²)", "1 + out²", "1 - out", "out·(1 - out)"):
        found = mismatches(tanh, lambda row, index, p: typo)
        assert found and found[0][2] == typo, typo
    # and pow's number folding: 3·x^2 printed as 3·x^3 is caught
    cube = next(case for case in CASES if case.label == "pow(x, 3)")
    assert mismatches(cube, lambda row, index, p: "3·x^3")


def test_printed_forms_a_reader_knows():
    assert [OPS[n].edge_formula(i, dict(NAMES, p=None)) for n, i in [
        ("tanh", 0), ("sigmoid", 0), ("div", 0), ("div", 1), ("sqrt", 0), ("exp", 0),
        ("softplus", 0), ("cos", 0), ("mul", 0), ("abs", 0), ("add", 0), ("relu", 0),
        ("pow_value", 0)]] == [
        "1 - out²", "out·(1 - out)", "1/y", "-x/y²", "1/(2·√x)", "exp(x)", "σ(x)",
        "-sin(x)", "y", "sign(x)", "", "", "y·x^(y - 1)"]
    pow_row = OPS["pow"]
    assert [pow_row.edge_formula(0, {"x": "w", "p": p}) for p in (3, 2, 1, 0.5, -1, 0)] == [
        "3·w^2", "2·w", "1", "0.5·w^-0.5", "-1·w^-2", "0·w^-1"]


def _close_ulp(a: float, b: float) -> bool:
    return abs(a - b) <= 2 * math.ulp(max(abs(a), abs(b)))


NUMPY_CASES = [case for case in CASES if OPS[case.op].inline is not None
               and OPS[case.op].inline.np_forward and OPS[case.op].arity in (1, 2)]


@pytest.mark.parametrize("case", NUMPY_CASES, ids=lambda c: c.label)
def test_every_numpy_kernel_is_the_rule_at_the_probe_points_to_2_ulp(case):
    for point in case.points:
        _, node = build_on_values(case, point)
        row = node.row
        inline = row.inline
        fill = {"x": "a", "y": "b", "out": "o", "p": repr(node.arg)}
        scope = {"np": np, "a": np.array([point[0]]),
                 "b": np.array([point[-1]])}
        out = float(eval(inline.np_forward.format(**fill), scope)[0])  # the table's kernels
        assert _close_ulp(out, node.data), (case.label, point, out, node.data)
        scope["o"] = np.array([node.data])
        for index, local in enumerate(node.local):
            kernel = inline.np_local[min(index, len(inline.np_local) - 1)]
            got = float(np.broadcast_to(eval(kernel.format(**fill), scope), (1,))[0])
            assert _close_ulp(got, local), (case.label, point, index, got, local)


# --- the language -------------------------------------------------------------------------------
_NAME = st.sampled_from(["x", "y", "out", "w0"])
_NUMBER = st.sampled_from([0.5, 1.0, 2.0, 3.0, 1e-3])


def _trees():
    functions = st.sampled_from(sorted(key for key, arity in LANGUAGE.functions.values()
                                       if arity == 1))
    leaves = st.one_of(_NAME.map(Name), _NUMBER.map(Num))

    def grow(children):
        binary = st.tuples(st.sampled_from(["add", "sub", "mul", "div", "pow_value"]),
                           children, children).filter(
            lambda t: t[0] != "pow_value" or not isinstance(t[2], Num)).map(  # `x ** 2` is pow
            lambda t: Apply(t[0], (t[1], t[2])))
        unary = st.tuples(functions, children).map(lambda t: Apply(t[0], (t[1],)))
        neg = children.filter(lambda t: not isinstance(t, Num)).map(
            lambda t: Apply("neg", (t,)))
        power = st.tuples(children, st.sampled_from([2.0, 3.0, 0.5])).map(
            lambda t: Apply("pow", (t[0],), t[1]))
        return st.one_of(binary, unary, neg, power)
    return st.recursive(leaves, grow, max_leaves=8)


TREES = _trees()


def _value(tree, env):
    try:
        return formula.evaluate(tree, env, _float_apply)
    except (ArithmeticError, ValueError):
        return None


@given(TREES, st.floats(0.1, 3.0), st.floats(0.1, 3.0))
def test_rendering_and_reading_back_give_the_same_formula(tree, x, y):
    # printed text drops the parentheses of x + (y + z): the same formula, not the same tree,
    # so the two are compared by value (python source keeps the tree exactly: next test)
    env = {"x": x, "y": y, "out": 0.75, "w0": 1.25}
    want = _value(tree, env)
    shown = formula.show(tree, SHOWN, number=repr)
    for back in (formula.parse(formula.render(tree, LANGUAGE), LANGUAGE),
                 formula.read_shown(shown, SHOWN)):
        got = _value(back, env)
        if want is None or got is None or not math.isfinite(want):
            continue
        assert got == pytest.approx(want, rel=1e-9, abs=1e-12), shown
    assert formula.read_shown(formula.show(Apply("mul", (Name("x"), Apply("add", (
        Name("y"), Name("x"))))), SHOWN), SHOWN) == Apply("mul", (Name("x"), Apply("add", (
            Name("y"), Name("x")))))


@given(TREES, st.floats(0.1, 3.0), st.floats(0.1, 3.0))
def test_python_source_evaluates_as_the_tree(tree, x, y):
    env = {"x": x, "y": y, "out": 0.75, "w0": 1.25}

    def squared(t):  # source writes a name squared as `x * x` (exactly rounded; pow may not be)
        if isinstance(t, Apply) and t.param == 2.0 and isinstance(t.args[0], Name):
            return Apply("mul", (t.args[0], t.args[0]))
        return Apply(t.op, tuple(map(squared, t.args)), t.param) if isinstance(t, Apply) else t
    try:
        want = formula.evaluate(squared(tree), env, _float_apply)
    except (ArithmeticError, ValueError):
        return
    text = formula.source(tree, LANGUAGE, {}, lambda key, args: f"F['{key}']({', '.join(args)})")
    got = eval(text, {"F": {k: (lambda *a, _k=k: _float_apply(_k, list(a), None))
                            for k in OPS}}, dict(env))  # our own generated source
    assert got == want or (got - got and want - want), (text, got, want)


def test_names_are_substituted_as_text_and_numbers_fold():
    tree = formula.parse("p * x ** (p - 1)", LANGUAGE)
    assert formula.show(tree, SHOWN, {"x": "#3"}, {"p": 4.0}) == "4·#3^3"
    assert formula.render(formula.parse("-x**2 + (a - b)/c", LANGUAGE), LANGUAGE) == \
        "-x**2 + (a - b)/c"


@pytest.mark.parametrize("text, message", [
    ("__import__('os')", "unknown function"), ("x.real", "Attribute is not allowed"),
    ("x if y else z", "IfExp is not allowed"), ("x // y", "FloorDiv is not allowed"),
    ("sign(x)", "unknown function 'sign'"), ("cos(x, y)", "takes 1 argument"),
    ("-(" * 50 + "x" + ")" * 50, "nested too deeply"),
])
def test_the_language_refuses_what_is_not_a_formula(text, message):
    with pytest.raises(FormulaError, match=message):
        formula.parse(text, LANGUAGE)


def test_a_row_formula_may_name_only_its_inputs_output_and_parameters():
    from autograd.ops import Op
    with pytest.raises(ValueError, match=r"formula names \['q'\]"):
        Op(name="bad", symbol="bad", arity=1, forward=lambda x, p: x, derivatives="q * x")
    good = Op(name="cube", symbol="cube", arity=1, forward=lambda x, p: x * x * x,
              derivatives="3 * x**2", python="{x} * {x} * {x}")
    assert good.local(2.0, 8.0) == (12.0,) and good.fused(2.0) == (8.0, 12.0)
    assert good.edge_formula(0, {"x": "w"}) == "3·w²"


# --- facts in rows ------------------------------------------------------------------------------
def test_kinks_and_propagation_are_facts_of_the_rows():
    # (at least these: a new row states its own facts)
    assert {n for n, row in OPS.items() if row.kink} >= {"abs", "relu", "max", "min"}
    assert {n for n, row in OPS.items() if row.propagates} >= {
        "add", "sub", "mul", "neg", "abs", "sum", "log", "sqrt"}
    for name, row in OPS.items():  # a propagating row shows an inf input in its output
        if row.propagates and row.arity == 1 and name not in ("log", "sqrt"):
            assert math.isinf(row.forward(math.inf, None)), name


def test_a_node_holds_its_row():
    x = Value(2.0)
    assert x.row is None and (x * 3).row is OPS["mul"] and (x ** 2).row.node_symbol(2) == "**2"


# --- the one reverse sweep -----------------------------------------------------------------------
def test_sweep_gives_backwards_gradients_without_touching_grad():
    a, b = Value(0.5, label="a"), Value(-1.25, label="b")
    h = (a * b).tanh()
    y = h * h + a.exp() * 2.0
    totals = {}
    for step in sweep(y, 1.5):
        totals[step.parent] = step.total
        assert step.total == pytest.approx(totals[step.parent])
    assert a.grad == b.grad == 0.0
    y.backward(1.5)
    assert (totals[a], totals[b]) == (a.grad, b.grad)  # the same floats, the same order
    assert gradients(y, [a, b], grad=1.5) == [a.grad, b.grad]


def test_interior_nodes_without_identity_marks_are_the_same_walk():
    x = Value(0.3)
    y = ((x * 2.0 + x).relu() * x).sigmoid() + x.exp()
    ops = [n for n in creation_order(y) if not n.is_leaf]  # (reading makes the 2.0 a leaf)
    marked, by_set = [], []
    assert interior_nodes(y, marked) == interior_nodes_by_set(y, by_set)
    assert len(interior_nodes(y)) == len(ops)
    assert marked == by_set and [c.data for c in marked] == [2.0]  # the constants met


def test_the_metadata_declares_cpython_where_float_identity_marks_visits():
    meta = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    assert ("Programming Language :: Python :: Implementation :: CPython"
            in meta["project"]["classifiers"])
