"""Seed worked examples that need only the engine, checked to 1e-9 against hand-coded chain rules.

The reference derivatives are written out in plain floats (math only, no engine), following the
chain rule by hand, so an engine bug cannot hide in both sides.

Seed 000 Q3: a 2-2-1 net without biases, sigmoid units, inputs x1..x4, weights w1..w6,
    s1 = w1 x1 + w2 x2, s2 = w3 x3 + w4 x4, h = sigmoid(s), s3 = w5 h1 + w6 h2,
    yhat = sigmoid(s3), L = (y - yhat)^2 with y = 0.7 (the seed's loss, no 1/2 factor).
Seed 004 2.2.2: f = sigmoid(w . x) with w = [2, -3, -3], x = [-1, -2, 1] (so w . x = 1).
"""
import math

from autograd import Value

_Q3 = {"w1": -1.7, "w2": 0.1, "w3": -0.6, "w4": -1.8, "w5": -0.2, "w6": 0.5,
       "x1": -0.3, "x2": 4.9, "x3": 1.1, "x4": -2.7}
_TARGET = 0.7


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def _q3_by_hand():
    """(L, {dL/dw_i}) computed with floats and the chain rule written out."""
    p = _Q3
    s1 = p["w1"] * p["x1"] + p["w2"] * p["x2"]
    s2 = p["w3"] * p["x3"] + p["w4"] * p["x4"]
    h1, h2 = _sigmoid(s1), _sigmoid(s2)
    yhat = _sigmoid(p["w5"] * h1 + p["w6"] * h2)
    dl_dyhat = 2.0 * (yhat - _TARGET)
    dl_ds3 = dl_dyhat * yhat * (1.0 - yhat)
    dl_ds1 = dl_ds3 * p["w5"] * h1 * (1.0 - h1)
    dl_ds2 = dl_ds3 * p["w6"] * h2 * (1.0 - h2)
    grads = {"w1": dl_ds1 * p["x1"], "w2": dl_ds1 * p["x2"], "w3": dl_ds2 * p["x3"],
             "w4": dl_ds2 * p["x4"], "w5": dl_ds3 * h1, "w6": dl_ds3 * h2}
    return (_TARGET - yhat) ** 2, grads


def test_seed_000_q3_every_weight_gradient():
    v = {name: Value(x, label=name) for name, x in _Q3.items()}
    h1 = (v["w1"] * v["x1"] + v["w2"] * v["x2"]).sigmoid()
    h2 = (v["w3"] * v["x3"] + v["w4"] * v["x4"]).sigmoid()
    yhat = (v["w5"] * h1 + v["w6"] * h2).sigmoid()
    loss = (_TARGET - yhat) ** 2
    loss.backward()
    expected_loss, expected = _q3_by_hand()
    assert math.isclose(loss.data, expected_loss, rel_tol=1e-9)
    for name, g in expected.items():
        assert math.isclose(v[name].grad, g, rel_tol=1e-9, abs_tol=1e-12), (name, v[name].grad, g)
    # Cross-check against docs/seed_reference.md's true values (10 significant digits there).
    reference = {"w1": -0.0006541001143, "w2": 0.0106836352, "w3": -0.0004438954232,
                 "w4": 0.001089561493, "w5": -0.04053547615, "w6": -0.0546284592}
    for name, true in reference.items():
        assert math.isclose(v[name].grad, true, rel_tol=1e-9), (name, v[name].grad, true)
    # The forward matches the seed's rounded numbers: s1 = 1, s2 = 4.2, yhat ~ 0.586.
    assert math.isclose(yhat.data, 0.586, abs_tol=5e-4)
    # The seed prints dL/dw1..dL/dw4 as about -0.00065, 0.01066, -0.00045, 0.00110.
    printed = {"w1": -0.00065, "w2": 0.01066, "w3": -0.00045, "w4": 0.00110}
    for name, rounded in printed.items():
        assert math.isclose(v[name].grad, rounded, rel_tol=0.03), (name, v[name].grad, rounded)


_W, _X = [2.0, -3.0, -3.0], [-1.0, -2.0, 1.0]


def test_seed_004_sigmoid_of_dot_product_gradients():
    w = [Value(x, label=f"w{i + 1}") for i, x in enumerate(_W)]
    x = [Value(x, label=f"x{i + 1}") for i, x in enumerate(_X)]
    f = (w[0] * x[0] + w[1] * x[1] + w[2] * x[2]).sigmoid()
    f.backward()
    # By hand: f' = sigma(z)(1 - sigma(z)) at z = w . x = 1; df/dx = f' w, df/dw = f' x.
    z = sum(a * b for a, b in zip(_W, _X))
    assert z == 1.0
    slope = _sigmoid(z) * (1.0 - _sigmoid(z))
    assert math.isclose(slope, math.exp(-1.0) / (1.0 + math.exp(-1.0)) ** 2, rel_tol=1e-12)
    for i in range(3):
        assert math.isclose(x[i].grad, slope * _W[i], rel_tol=1e-9)
        assert math.isclose(w[i].grad, slope * _X[i], rel_tol=1e-9)
    # The seed's boxed vectors, rounded to 4 decimals.
    assert [round(v.grad, 4) for v in x] == [0.3932, -0.5898, -0.5898]
    assert [round(v.grad, 4) for v in w] == [-0.1966, -0.3932, 0.1966]
