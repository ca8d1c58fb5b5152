"""The generated fast methods (`autograd.value`, engine room) against the readable ones they
replace: for every operator, side and named one-input method, over a grid of awkward values,
the same node (data and local derivatives to the bit, parents, side of a folded number, label,
requires_grad) or the same error (type and message), or the same NotImplemented.
"""
import math
from fractions import Fraction

import pytest

from autograd import OPS, Value, no_grad
from autograd.value import generated_method_source, readable_method

GENERATED = ("__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__",
             "__truediv__", "__rtruediv__", "__neg__", "abs", "exp", "log", "sqrt", "sigmoid",
             "tanh", "relu", "softplus", "sin", "cos")
DATA = (0.0, -0.0, 1.0, -2.5, 0.5, 3.0, 1e-300, 5e-324, -5e-324, 1e300, -1e300, 1.7e308,
        709.0, 710.0, -745.5, 1e-160)
NUMBERS = DATA + (math.inf, -math.inf, math.nan, 2, 0, -3, 10**400, Fraction(1, 3), "a", [1.0],
                  None)


def outcome(method, *args):
    """What a call gives, in comparable form: the node's public fields, an error, or a value."""
    try:
        result = method(*args)
    except Exception as exc:  # compared by type and message
        return ("error", type(exc), str(exc))
    if result is NotImplemented:
        return ("NotImplemented",)
    assert type(result) is Value
    bits = [float.hex(result.data), result.op, result.label, result.requires_grad, result.grad,
            result.arg, result.creation_number % 8]
    # reading parents unfolds a folded number: its constant leaf is compared by value
    bits.append(tuple(p if p in args else ("constant", float.hex(p.data), p.requires_grad)
                      for p in result.parents))
    bits.append(tuple(float.hex(d) for d in result.local))
    return ("node", *bits)


def operands(name):
    x_values = [Value(d, label="x") for d in DATA]
    if name.startswith("__") and name not in ("__neg__",):
        others = [Value(d, label="y") for d in DATA] + list(NUMBERS)
        if name.startswith("__r"):  # reflected: only ever called with a non-Value
            others = list(NUMBERS)
        return [(x, o) for x in x_values for o in others]
    return [(x,) for x in x_values]


@pytest.mark.parametrize("name", GENERATED)
def test_a_generated_method_does_what_its_readable_method_does(name):
    fast, readable = getattr(Value, name), readable_method(name)
    assert fast is not readable, "the fast method is installed"
    compared = 0
    for args in operands(name):
        assert outcome(fast, *args) == outcome(readable, *args), (name, args)
        compared += 1
    assert compared >= len(DATA)


def test_every_operator_and_one_input_method_of_the_table_is_generated():
    names = {row.method for row in OPS.values()
             if row.method and row.arity == 1 and not row.param}
    assert names <= set(GENERATED)
    for name in GENERATED:
        assert generated_method_source(name).startswith(f"def {name}(self")
    with pytest.raises(KeyError, match="not a generated method"):
        generated_method_source("max")


def test_the_source_is_the_rows_templates_filled_in():
    # mul: the forward and both derivatives written inline (no call left);
    # div: its rule can fail, so one fused call (errors come from the row itself)
    source = generated_method_source("__mul__")
    assert "out = x * y" in source and "dx = y" in source and "dy = x" in source
    assert "FUSED" in generated_method_source("__truediv__")
    assert "(1.0 if x > 0.0 else 0.0)" in generated_method_source("relu")


def test_a_folded_number_on_either_side_keeps_its_side():
    x = Value(3.0, label="x")
    left, right = 2.0 - x, x - 2.0
    assert (left.data, right.data) == (-1.0, 1.0)
    assert left.parents[1] is x and right.parents[0] is x
    assert left.local == (1.0, -1.0) and right.local == (1.0, -1.0)
    y = 1.0 / x
    y.backward()
    assert x.grad == -1.0 / 9.0


def test_no_grad_puts_the_readable_methods_back_while_it_is_active():
    x = Value(2.0)
    with no_grad():
        for name in GENERATED:
            assert Value.__dict__[name] is readable_method(name)
        y = (x * x + 1.0).relu()
        assert y.is_leaf and y.data == 5.0
    for name in GENERATED:
        assert Value.__dict__[name] is not readable_method(name)
    assert not (x * x).is_leaf


def test_errors_from_a_generated_method_name_the_op_and_operands():
    x = Value(0.0, label="x")
    with pytest.raises(ZeroDivisionError, match="x"):
        1.0 / x
    with pytest.raises(ValueError, match="log"):
        x.log()
    big = Value(710.0, label="big")
    with pytest.raises(OverflowError, match="exp"):
        big.exp()
    with pytest.raises(TypeError, match="list"):
        x * [1.0]
