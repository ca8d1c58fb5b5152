"""Issue 14, nn side: nothing silent, nothing half-applied, no bare Python errors.

Each test here failed before the change it covers: optimizer steps that half-applied or took
bad settings, predict answering for a wrong-length input, binary cross-entropy taking
probabilities outside [0, 1], softmax overflowing on logits spanning the float range, hostile
weights files raising RecursionError / UnicodeDecodeError / OverflowError, and load accepting
a file saved from another activation.
"""
import json
import math

import numpy as np
import pytest

import nn
from autograd import Value


def params(*values):
    return [Value(v, label=f"p{i}") for i, v in enumerate(values)]


# --- optimizers --------------------------------------------------------------------------------
@pytest.mark.parametrize("make", [
    lambda ps: nn.SGD(ps, lr=1.0),
    lambda ps: nn.SGD(ps, lr=1.0, momentum=0.9),
    lambda ps: nn.Adam(ps, lr=1e300, eps=1e-300),
])
def test_a_step_that_would_overflow_changes_nothing(make):
    ps = params(1.0, 2.0, 3.0)
    opt = make(ps)
    ps[0].grad, ps[1].grad, ps[2].grad = 1.0, 1.0, -1.7e308
    ps[2].data = 1.7e308  # 1.7e308 - lr * (-1.7e308) overflows for the LAST parameter only
    state = {k: list(v) if isinstance(v, list) else v for k, v in vars(opt).items()
             if k != "params"}
    with pytest.raises(OverflowError, match="parameter 'p2' would become (inf|nan).*nothing was changed"):
        opt.step()
    assert [p.data for p in ps] == [1.0, 2.0, 1.7e308]  # the first two did not move either
    assert {k: list(v) if isinstance(v, list) else v for k, v in vars(opt).items()
            if k != "params"} == state
    assert opt.steps == 0


def test_adam_state_overflow_is_refused_before_any_change():
    (p,) = params(0.0)
    opt = nn.Adam([p], lr=0.1)
    p.grad = 1e200  # g * g overflows the second-moment average to inf
    with pytest.raises(OverflowError, match="'p0'"):
        opt.step()
    assert (p.data, opt.m, opt.s, opt.steps) == (0.0, [0.0], [0.0], 0)


@pytest.mark.parametrize("make, message", [
    (lambda ps: nn.Adam(ps, eps=0), "Adam: eps must be a number in \\(0.0, inf\\), got 0"),
    (lambda ps: nn.Adam(ps, betas=0.9), "Adam: betas must be a pair \\(beta1, beta2\\)"),
    (lambda ps: nn.Adam(ps, betas=(0.9,)), "Adam: betas must be a pair"),
    (lambda ps: nn.Adam(ps, betas=(0.9, 1.0)), "Adam: betas\\[1\\] must be a number in \\[0.0, 1.0\\)"),
    (lambda ps: nn.Adam(ps, betas=(-0.1, 0.9)), "Adam: betas\\[0\\] must be"),
    (lambda ps: nn.SGD(ps, lr=-0.1), "SGD: lr must be a number in \\[0.0, inf\\), got -0.1"),
    (lambda ps: nn.SGD(ps, lr=math.inf), "SGD: lr must be"),
    (lambda ps: nn.Adam(ps, lr=math.nan), "Adam: lr must be"),
    (lambda ps: nn.SGD([ps[0], ps[1], ps[0]], lr=0.1),
     "SGD: parameter 2 \\(p0\\) is the same Value as parameter 0"),
])
def test_bad_optimizer_settings_are_refused(make, message):
    with pytest.raises(ValueError, match=message):
        make(params(1.0, 2.0))


@pytest.mark.parametrize("bad", [-0.5, math.inf, math.nan])
def test_a_schedule_returning_a_bad_lr_is_refused_at_the_step_before_any_change(bad):
    ps = params(1.0, 2.0)
    opt = nn.SGD(ps, lr=lambda k: 0.1 if k == 0 else bad)
    for p in ps:
        p.grad = 1.0
    opt.step()
    before = [p.data for p in ps]
    with pytest.raises(ValueError, match=f"SGD: the lr schedule gave {bad!r} at step 1"):
        opt.step()
    assert [p.data for p in ps] == before and opt.steps == 1


def test_a_model_with_a_shared_parameter_list_is_refused_not_stepped_twice():
    model = nn.MLP(2, [1])
    with pytest.raises(ValueError, match="is the same Value as parameter 0"):
        nn.SGD(model.parameters() + model.parameters()[:1], lr=0.1)


# --- models ------------------------------------------------------------------------------------
def test_predict_refuses_a_wrong_length_input_as_forward_does():
    model = nn.MLP(2, [3, 1])
    with pytest.raises(ValueError, match="MLP.predict expects 2 inputs, got 3"):
        model.predict([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="expects 2 inputs, got 1"):
        model.predict([1.0])
    with pytest.raises(ValueError, match="layers.0.predict expects 2 inputs, got 3"):
        model.layers[0].predict([1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match="MLP.predict: expected numbers or Values, got str"):
        model.predict([1.0, "2"])
    assert model.predict([Value(0.5), 0.25]) == model([0.5, 0.25]).data


def test_sizes_may_be_numpy_integers_and_none_is_a_named_error():
    model = nn.MLP(np.int64(2), [np.int32(3), np.int64(1)])
    assert model.sizes == [3, 1] and model.nin == 2 and type(model.nin) is int
    assert nn.Layer(np.int64(2), np.int64(2)).nout == 2
    with pytest.raises(TypeError, match="MLP: sizes must be a list of layer widths.*NoneType"):
        nn.MLP(2, None)
    with pytest.raises(ValueError, match="MLP: nin must be a positive int, got None"):
        nn.MLP(None, [1])
    with pytest.raises(ValueError, match="MLP: layer size must be a positive int, got 2.5"):
        nn.MLP(2, [2.5])


# --- losses ------------------------------------------------------------------------------------
@pytest.mark.parametrize("prob, target, message", [
    ([1.5], [1.0], "probabilities must lie in \\[0, 1\\], got 1.5 at position 0"),
    ([0.5, -0.25], [1.0, 0.0], "probabilities must lie in \\[0, 1\\], got -0.25 at position 1"),
    ([0.5], [1.5], "targets must lie in \\[0, 1\\], got 1.5"),
    ([0.5], [-1.0], "targets must lie in \\[0, 1\\], got -1.0"),
])
def test_binary_cross_entropy_refuses_values_outside_the_unit_interval(prob, target, message):
    with pytest.raises(ValueError, match="binary_cross_entropy: " + message):
        nn.binary_cross_entropy(prob, target)


def test_binary_cross_entropy_accepts_soft_targets_and_checks_the_logits_variant():
    p, y = 0.8, 0.3  # soft target: -(0.3 log 0.8 + 0.7 log 0.2)
    assert nn.binary_cross_entropy([p], [y]).data == pytest.approx(
        -(y * math.log(p) + (1 - y) * math.log(1 - p)), rel=1e-15)
    with pytest.raises(ValueError, match="binary_cross_entropy_with_logits: targets must lie"):
        nn.binary_cross_entropy_with_logits([3.0], [2.0])
    z = 1.5  # logits are any finite numbers, even outside [0, 1]
    assert nn.binary_cross_entropy_with_logits([z], [y]).data == pytest.approx(
        math.log1p(math.exp(z)) - y * z, rel=1e-15)


def test_softmax_is_stable_for_logits_spanning_more_than_the_float_range():
    z = [Value(1e308), Value(-1e308), Value(0.0)]
    p = nn.softmax(z)
    assert [q.data for q in p] == [1.0, 0.0, 0.0]
    p[0].backward()
    assert [v.grad for v in z] == [0.0, 0.0, 0.0]  # d p0 / d z_k = p0 (delta - p_k) = 0 here
    assert nn.logsumexp([1e308, -1e308]).data == 1e308
    q = nn.softmax([-1e308, 1e308])
    assert [v.data for v in q] == [0.0, 1.0] and math.copysign(1.0, q[0].data) == 1.0
    with pytest.raises(OverflowError):  # log p = -2e308 is not a float: refused, documented
        nn.log_softmax([1e308, -1e308])
    # near the cut (e^-745 is the smallest subnormal) the ordinary path still runs
    assert nn.softmax([0.0, -740.0])[1].data == pytest.approx(math.exp(-740.0), rel=1e-12)


# --- weights files -----------------------------------------------------------------------------
def _assert_refused(model, path, message):
    before = model.state_dict()
    with pytest.raises(nn.serialize.WeightsFileError, match=message) as info:
        model.load(path)
    assert str(path) in str(info.value)
    assert isinstance(info.value, ValueError)
    assert model.state_dict() == before


def test_hostile_weights_files_get_one_error_type_naming_the_file(tmp_path):
    model = nn.MLP(2, [3, 1])
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    _assert_refused(model, deep, "nested too deeply")
    latin = tmp_path / "latin1.json"
    latin.write_bytes('{"format": "teachgrad.nn.weights", "x": "caf\xe9"}'.encode("latin-1"))
    _assert_refused(model, latin, "not UTF-8 text \\(byte 44")
    digits = tmp_path / "digits.json"
    document = json.loads(model.save(tmp_path / "ok.json").read_text())
    text = json.dumps(document).replace(repr(document["parameters"]["layers.0.neurons.0.b"]),
                                        "9" * 4000, 1)
    digits.write_text(text)
    _assert_refused(model, digits, "an integer of 4000 digits is not a weight")
    big = tmp_path / "big.json"
    with big.open("wb") as handle:  # sparse: 1 GiB on paper, nothing on disk
        handle.truncate(2 ** 30)
    _assert_refused(model, big, "is 1073741824 bytes, over the 67108864-byte limit")


def test_the_size_cap_is_checked_before_reading(tmp_path, monkeypatch):
    path = nn.MLP(2, [1]).save(tmp_path / "w.json")
    monkeypatch.setattr(type(path), "open", lambda *a, **k: pytest.fail("read before stat"))
    with pytest.raises(nn.serialize.WeightsFileError, match="over the 10-byte limit"):
        nn.serialize.load(nn.MLP(2, [1]), path, max_bytes=10)


@pytest.mark.parametrize("other, difference", [
    (nn.MLP(2, [3, 1], activation="relu"), "activations: file \\['tanh', 'linear'\\], model "
                                           "\\['relu', 'linear'\\]"),
    (nn.MLP(2, [3, 1], output_activation="sigmoid"), "activations: "),
    (nn.MLP(2, [3, 1], bias=False), "bias: file \\[True, True\\], model \\[False, False\\]"),
    (nn.MLP(2, [4, 1]), "sizes: file \\[3, 1\\], model \\[4, 1\\]"),
    (nn.Layer(2, 3), "type: file 'MLP', model 'Layer'"),
])
def test_load_checks_the_whole_architecture_not_just_names(tmp_path, other, difference):
    path = nn.MLP(2, [3, 1], seed=4).save(tmp_path / "w.json")
    _assert_refused(other, path, "saved from another architecture: .*" + difference)


def test_the_saved_model_description_is_complete(tmp_path):
    model = nn.MLP(3, [4, 2], activation="relu", output_activation="sigmoid", bias=False)
    document = json.loads(model.save(tmp_path / "w.json").read_text())
    assert document["model"] == {"type": "MLP", "nin": 3, "sizes": [4, 2],
                                 "activations": ["relu", "sigmoid"], "bias": [False, False]}
    twin = nn.MLP(3, [4, 2], activation="relu", output_activation="sigmoid", bias=False, seed=9)
    twin.load(tmp_path / "w.json")
    assert twin.state_dict() == model.state_dict()
