"""What a traced function may still do, and that the trace-time guard leaves nothing behind:
ops, nn layers and losses, plain numbers, labels, print/repr, sets and dicts of Values and
`==` between Values and reading the structure (`.parents`, `.op`) all work while tracing; after
the trace (also after a refusal) `.data`, `.grad`, `.local`, `float()`, `bool()`, comparisons
and formatting behave exactly as before."""
import io
import math
from contextlib import redirect_stdout

import pytest

import autograd
import nn
from autograd import Value, compile, maximum, readouts, vsum
from autograd.compiled import TraceError
from nn import accuracy as score  # an alias in the traced function's globals


def test_allowed_inside_a_traced_function():
    w = Value(0.5, label="w")
    model = nn.MLP(2, [3, 1], seed=0)
    params = model.parameters() + [w]
    seen = []

    def loss(x, t):
        out = model(x)
        print(out, repr(t))  # shows the traced sample once, changes nothing
        seen.append({out, w} | {t})  # hashing Values: identity
        assert out == out and out != t  # == between Values is identity
        named = (out * w).named("scaled")
        return nn.hinge_loss([maximum(named, -3.0)], [t]) + vsum([0.0, 1e-3 * w * w])

    with redirect_stdout(io.StringIO()) as printed:
        step = compile(loss, params, example=([0.5, -1.0], 1.0), backend="python")
        got = step([[0.5, -1.0], [1.0, 2.0]], [1.0, -1.0])
    assert "Value(data=" in printed.getvalue() and seen
    for p in params:
        p.grad = 0.0
    want = step.object_step([[0.5, -1.0], [1.0, 2.0]], [1.0, -1.0])
    assert got == want


def _behaves_as_outside_a_trace():
    v = Value(2.5, label="v")
    assert v.data == 2.5 and float(v) == 2.5 and bool(v) is True
    assert (v == 2.5) is False and (v != 2.5) is True and v == v
    assert format(v, "").startswith("Value(data=2.5")
    with pytest.raises(TypeError, match="Values are not ordered"):
        v < 3.0
    with pytest.raises(TypeError):
        int(v)
    with pytest.raises(TypeError):
        round(v)
    v.data = 4.0
    assert v.data == 4.0
    v.grad = 1.5
    assert v.grad == 1.5
    y = v.tanh()
    assert y.local == (1.0 - y.data ** 2,)
    y.local = (3.0,)
    assert y.local == (3.0,)
    # the fields are the class's own again (a slot's member descriptor, the plain property):
    # nothing of the guard costs anything outside a trace
    assert {type(Value.__dict__[name]).__name__ for name in ("data", "grad")} == {
        "member_descriptor"}
    assert Value.__dict__["local"] is _LOCAL


_LOCAL = Value.__dict__["local"]


@pytest.mark.parametrize("refused", [lambda x: x * x.data, lambda x: x if x > 0 else -x,
                                     lambda x: x * float(x), lambda x: x * int(x),
                                     lambda x: x * x.grad, lambda x: x * x.tanh().local[0]])
def test_the_guard_is_gone_after_a_refusal(refused):
    _behaves_as_outside_a_trace()
    w = Value(1.0)
    with pytest.raises(TraceError, match="while tracing"):
        compile(lambda x: refused(x) * w, [w], example=(1.5,))
    _behaves_as_outside_a_trace()


def test_the_guard_is_gone_after_an_error_inside_the_function_and_a_nested_compile():
    w = Value(1.0)

    def broken(x):
        raise RuntimeError("the user's own bug")
    with pytest.raises(RuntimeError, match="own bug"):
        compile(broken, [w], example=(1.0,))
    _behaves_as_outside_a_trace()

    def nesting(x):
        inner = compile(lambda y: y * w, [w], example=(2.0,))  # a trace inside a trace
        assert inner.tape.op_count() == 1
        return x * w
    step = compile(nesting, [w], example=(1.0,), backend="python")
    assert math.isclose(step([1.0, 3.0]), 2.0)
    _behaves_as_outside_a_trace()


def _readouts_are_the_originals():
    """Every read-out is its own plain function again, wherever it is bound."""
    for r in readouts.READOUTS:
        if r.owner is not None:
            assert r.owner.__dict__[r.name] is r.function, r.shown
        else:  # a twin carries __wrapped__ (functools.wraps): none is left anywhere
            assert not hasattr(r.function, "__wrapped__"), r.shown
    assert nn.accuracy is nn.metrics.accuracy is score
    assert not any(hasattr(f, "__wrapped__") for f in (
        nn.accuracy, score, autograd.gradients, nn.metrics.is_correct, nn.fit, nn.train.fit))


def test_read_outs_are_put_back_after_a_trace_and_after_a_refusal():
    model = nn.MLP(2, [2, 1], seed=0)
    _readouts_are_the_originals()
    compile(lambda x, t: (1.0 - t * model(x)).relu(), model, example=([0.5, 1.0], 1.0))
    _readouts_are_the_originals()
    with pytest.raises(TraceError, match=r"calling nn\.accuracy\(\)"):
        compile(lambda x, t: model(x) * score(model, [x], [t]), model, example=([0.5, 1.0], 1.0))
    _readouts_are_the_originals()
    with pytest.raises(TraceError, match=r"calling MLP\.predict\(\)"):
        compile(lambda x, t: model(x) * model.predict(x), model, example=([0.5, 1.0], 1.0))
    _readouts_are_the_originals()
    # and they work as before (outside a trace nothing is swapped: no cost)
    assert nn.accuracy(model, [[0.5, 1.0]], [1.0]) in (0.0, 1.0)
    assert model.predict([0.5, 1.0]) == model([0.5, 1.0]).data


def test_a_read_out_inside_a_nested_trace_is_refused_and_all_is_put_back():
    w = Value(1.0)

    def nesting(x):
        inner = compile(lambda y: y * w, [w], example=(2.0,))  # a trace inside a trace
        return x * w * inner([1.0, 2.0])  # the inner step's loss: a number of this trace
    with pytest.raises(TraceError, match=r"calling a compiled step\(\.\.\.\) at "
                                         r"test_robustness_compile\.py line \d+"):
        compile(nesting, [w], example=(1.0,))
    _readouts_are_the_originals()
    _behaves_as_outside_a_trace()
