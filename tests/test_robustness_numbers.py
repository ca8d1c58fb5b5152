"""Every number that enters the engine becomes an exact Python float (or is refused, naming its
type): numpy floats and ints, Fraction, Decimal, at every door (constructor, operators,
exponents, vsum, optimizers, predict, parameters, fit data, from_torch) and through compile."""
import json
import math
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import nn
from autograd import Value, compile, maximum, vsum

EXACT = [np.float16(0.1), np.float32(0.1), np.float64(0.1), np.int8(-3), np.int64(7),
         np.uint16(9), Fraction(3, 8), Decimal("0.375"), Decimal("-2"), np.longdouble(0.5)]
INEXACT = [Fraction(1, 3), Decimal("0.1"), np.longdouble(1) / 3]
NOT_NUMBERS = [np.bool_(True), True, "1.0", 1j, None, [1.0], np.array([1.0, 2.0])]


def _is_plain(node: Value) -> bool:
    return type(node.data) is float and type(node.grad) is float and all(
        type(d) is float for d in node.local)


@pytest.mark.parametrize("number", EXACT, ids=repr)
def test_every_door_converts_exactly_to_a_python_float(number):
    want = float(number)
    x = Value(1.25, label="x")
    built = [Value(number), x * number, number * x, x + number, number - x, x / number
             if number else x, x ** number, vsum([x, number]), maximum(x, number)]
    for node in built:
        node.backward()
        assert _is_plain(node), (number, node)
    assert Value(number).data == want and type(Value(number).data) is float
    assert (x * number).data == 1.25 * want  # the same as the float itself: exact conversion
    for node in built:
        for parent in node.parents:
            assert type(parent.data) is float


@pytest.mark.parametrize("exponent", [np.float32(2.5), np.float16(0.5), np.int64(3),
                                      Fraction(1, 2), Decimal("1.5")], ids=repr)
def test_a_numpy_or_fraction_exponent_keeps_every_value_and_grad_a_python_float(exponent):
    x = Value(2.0, label="x")
    y = (x ** exponent * 3.0).tanh()
    y.backward()
    assert type(x.grad) is float and type(y.data) is float
    plain = Value(2.0)
    ((plain ** (int(exponent) if isinstance(exponent, np.integer) else float(exponent))) * 3.0
     ).tanh().backward()
    assert x.grad == plain.grad  # bitwise: the exponent entered as the float it equals



def test_a_model_trained_with_a_numpy_exponent_saves(tmp_path):
    model = nn.MLP(1, [1], seed=0)
    out = model([0.5])
    ((out * out + 1.0) ** np.float32(1.5)).backward()
    nn.SGD(model, lr=0.1).step()
    assert all(type(p.data) is float for p in model.parameters())
    path = model.save(tmp_path / "w.json")
    assert json.loads(path.read_text())["parameters"] == model.state_dict()


@pytest.mark.parametrize("backend", ["python", "numpy"])
@pytest.mark.parametrize("exponent", [np.float32(2.5), np.int64(2), Fraction(1, 2),
                                      np.float64(3.0)], ids=repr)
def test_compile_replays_numpy_and_fraction_exponents(backend, exponent):
    w = Value(1.5, label="w")
    step = compile(lambda x: (w * x) ** exponent, [w], example=(1.0,), backend=backend)
    loss = step([1.0, 2.0, 0.5])
    got = w.grad
    w.grad = 0.0
    want = step.object_step([1.0, 2.0, 0.5])
    if backend == "python":
        assert (loss, got) == (want, w.grad)
    else:
        assert math.isclose(loss, want, rel_tol=1e-12) and math.isclose(got, w.grad, rel_tol=1e-12)


@pytest.mark.parametrize("number", INEXACT, ids=repr)
def test_a_number_with_no_exact_float_is_refused_naming_its_type(number):
    kind = type(number).__name__
    for call in (lambda: Value(number), lambda: Value(1.0) * number, lambda: Value(2.0) ** number,
                 lambda: vsum([Value(1.0), number]), lambda: nn.SGD([Value(1.0)], lr=number)):
        with pytest.raises(ValueError, match=rf"{kind}.*is not exactly a float.*float\(x\)"):
            call()


@pytest.mark.parametrize("thing", NOT_NUMBERS, ids=repr)
def test_what_is_not_a_real_number_is_refused_naming_its_type(thing):
    with pytest.raises(TypeError, match=type(thing).__name__.rstrip("_")):
        Value(thing)


@pytest.mark.parametrize("number", [np.float64("nan"), np.float32("inf"), Decimal("Infinity"),
                                    Decimal("NaN"), 10 ** 400], ids=repr)
def test_non_finite_numbers_of_other_types_are_refused(number):
    with pytest.raises(ValueError, match="finite|too large|no float value"):
        Value(number)
    with pytest.raises(ValueError):
        Value(1.0) + number


@given(st.floats(allow_nan=False, allow_infinity=False, width=32),
       st.sampled_from([np.float16, np.float32, np.float64]))
def test_numpy_floats_of_any_width_convert_exactly(x, kind):
    with np.errstate(over="ignore"):  # a float32 beyond float16's range becomes inf: skipped
        number = kind(x)
    if not np.isfinite(number):
        return
    assert Value(number).data == float(number)
    assert (Value(1.0) * number).data == float(number)


def test_optimizer_hyper_parameters_and_schedule_values_are_python_floats():
    w = Value(1.0)
    w.grad = 0.5
    opt = nn.Adam([w], lr=np.float32(0.125), betas=(np.float64(0.9), np.float32(0.5)),
                  eps=Decimal("0.25"))
    assert all(type(v) is float for v in (opt.beta1, opt.beta2, opt.eps, opt.current_lr))
    opt.step()
    assert type(w.data) is float
    sched = nn.SGD([w], lr=lambda k: np.float32(0.5))
    assert type(sched.current_lr) is float and sched.current_lr == 0.5
    with pytest.raises(ValueError, match="lr schedule"):
        nn.SGD([w], lr=lambda k: Fraction(1, 3)).current_lr


def test_model_inputs_parameters_and_fit_data_as_numpy():
    model = nn.MLP(2, [3, 1], seed=1)
    x = np.array([0.5, -1.0], dtype=np.float32)
    assert type(model.predict(x)) is float
    assert model.predict(x) == model.predict([float(v) for v in x])
    out = model(x)
    out.backward()
    assert all(type(p.grad) is float for p in model.parameters())
    state = {k: np.float32(v) for k, v in model.state_dict().items()}
    model.load_state_dict(state)
    assert all(type(p.data) is float for p in model.parameters())
    with pytest.raises(ValueError, match="not exactly a float"):
        model.load_state_dict({k: Fraction(1, 3) for k in state})


@pytest.mark.parametrize("compiled", [False, "python", "numpy"])
@pytest.mark.parametrize("loss", ["hinge", "bce", "mse", "cross_entropy"])
def test_fit_takes_numpy_arrays_and_trains_exactly_as_with_lists(compiled, loss):
    X, y = nn.datasets.make_moons(24, noise=0.1, seed=3)
    if loss == "cross_entropy":
        y = [int(t) for t in y]
    out = 2 if loss == "cross_entropy" else 1
    lists, arrays = nn.MLP(2, [4, out], seed=2), nn.MLP(2, [4, out], seed=2)
    h1 = nn.fit(lists, X, y, loss=loss, epochs=2, batch_size=8, progress=False, compile=compiled)
    h2 = nn.fit(arrays, np.array(X), np.array(y), loss=loss, epochs=2, batch_size=8,
                progress=False, compile=compiled)
    assert h1.loss == h2.loss  # bitwise: the arrays' numbers are the same floats
    assert lists.state_dict() == arrays.state_dict()
    assert nn.accuracy(arrays, np.array(X), np.array(y)) == nn.accuracy(lists, X, y)


def test_losses_take_numpy_vectors():
    p, t = np.array([0.2, 0.7]), np.array([0.0, 1.0])
    assert nn.mse_loss(p, t).data == nn.mse_loss([0.2, 0.7], [0.0, 1.0]).data
    assert nn.binary_cross_entropy(p, t).data == nn.binary_cross_entropy([0.2, 0.7], [0.0, 1.0]).data
    assert nn.cross_entropy(p, np.int64(1)).data == nn.cross_entropy([0.2, 0.7], 1).data
