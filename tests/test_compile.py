"""autograd.compile: replay equals the object engine (python bitwise, numpy to 1e-12 of the
gradient's scale), refusal of data-dependent structure, the object engine's own errors."""
from __future__ import annotations

import itertools
import math
import re

import pytest

import autograd
import nn
import autograd.newton
from autograd import Value, compile, vsum
from autograd.compiled import TraceError
from nn.metrics import accuracy as score  # an alias: the guard finds it in these globals

ALPHA = 1e-4


def _moons():
    X, y = nn.datasets.make_moons(100, noise=0.1, seed=0)
    return X, [2.0 * t - 1.0 for t in y]


def _compiled(model, X, Y, backend):
    params = model.parameters()
    step = compile(lambda x, t: (1.0 - t * model(x)).relu(), params, example=(X[0], Y[0]),
                   extra=lambda: ALPHA * nn.l2_penalty(params), backend=backend)
    return step, params


def _engine_step(model, params, X, Y):
    """The ordinary nn code (the benchmark's): one graph for the batch, backward."""
    loss = nn.hinge_loss([model(x) for x in X], Y) + ALPHA * nn.l2_penalty(params)
    for p in params:
        p.grad = 0.0
    loss.backward()
    return loss.data


def _sgd(params, lr):
    for p in params:
        p.data -= lr * p.grad


def _side_by_side(backend: str, steps: int):
    """Per step: (k, compiled loss, engine loss, compiled params, engine params), both models
    starting from the same weights and zeroed grads; the caller updates them."""
    X, Y = _moons()
    ours, theirs = (nn.MLP(2, [16, 16, 1], activation="relu", seed=0) for _ in range(2))
    step, params = _compiled(ours, X, Y, backend)
    reference = theirs.parameters()
    for k in range(steps):
        for p in params:
            p.grad = 0.0
        loss = step(X, Y)
        yield k, loss, _engine_step(theirs, reference, X, Y), params, reference


def test_python_backend_is_bitwise_the_object_engine_over_100_sgd_steps_on_moons():
    for k, loss, expected, params, reference in _side_by_side("python", 100):
        assert loss == expected, k
        assert [p.grad for p in params] == [p.grad for p in reference], k  # every bit
        lr = 1.0 - 0.9 * k / 100
        _sgd(params, lr)
        _sgd(reference, lr)
    assert [p.data for p in params] == [p.data for p in reference]


def test_numpy_backend_within_1e_12_of_the_object_engine_over_sgd_steps():
    for k, loss, expected, params, reference in _side_by_side("numpy", 20):
        assert abs(loss - expected) <= 1e-12 * abs(expected), k
        # relative to the gradient's scale: a sum that cancels to ~1e-20 has no relative digits
        scale = max(abs(p.grad) for p in reference)
        worst = max(abs(a.grad - b.grad) for a, b in zip(params, reference))
        assert worst <= 1e-12 * scale, (k, worst, scale)
        # step on the SAME numbers (copy ours), so the comparison stays at one point per step
        _sgd(reference, 0.5)
        for a, b in zip(params, reference):
            a.data = b.data


def test_check_reports_agreement_and_the_tape_is_a_table():
    X, Y = _moons()
    model = nn.MLP(2, [3, 1], activation="relu", seed=1)
    step, params = _compiled(model, X[:10], Y[:10], "python")
    report = step.check(X[:10], Y[:10])
    assert report.ok and report.max_grad_diff == 0.0 and report.divergence is None
    assert all(p.grad == 0.0 for p in params)  # check touches no .grad
    text = str(step.tape).splitlines()
    assert text[0].split() == ["#", "op", "inputs", "value", "grad", "label"]
    ops = [line.split()[1] for line in text[1:]]
    assert ops.count("param") == len(params) and ops[-1] == "relu" and "sum" in ops
    assert len(text) == len(step.tape) + 1 and "def replay" in step.source


def test_the_tape_table_is_narrow_and_the_step_repr_is_one_line():
    """README's moons step: 4 significant digits, a 17-input sum listed as 4 slots and a count,
    so no row is wider than 100 columns (was 165); repr(step) says what the step is."""
    X, Y = _moons()
    model = nn.MLP(2, [16, 16, 1], activation="relu", seed=0)
    step, params = _compiled(model, X[:10], Y[:10], "python")
    rows = step.tape.rows()
    assert max(len(line) for line in str(step.tape).splitlines()) <= 100
    sums = [r for r in rows if r[1] == "sum" and "(17 inputs)" in r[2]]  # 16 neurons, 1 output
    assert len(sums) == 17 and re.fullmatch(r"#\d+, #\d+, #\d+, \.\.\., #\d+ \(17 inputs\)",
                                            sums[0][2])
    for _, _, _, value, grad, _ in rows:  # the one number format: at most 4 significant digits
        for text in (value, grad):
            digits = re.sub(r"e.*$", "", text).lstrip("-").replace(".", "").lstrip("0")
            assert len(digits.rstrip("0")) <= 4, text
    assert float(rows[0][3]) == pytest.approx(params[0].data, rel=5e-4)
    text = repr(step)
    assert "\n" not in text and len(text) < 120
    assert text == (f"<Step (x, t): tape of {len(step.tape)} entries ({step.tape.op_count()} ops) "
                    f"+ extra ({len(step.extra_tape)} entries), {len(params)} parameters, python "
                    "backend, mean over the batch>")


def test_sum_reduction_vector_inputs_and_several_arguments_match_the_engine():
    w = [Value(0.3), Value(-0.7)]
    b = Value(0.1)

    def f(x, t, scale):
        z = vsum([wi * xi for wi, xi in zip(w, x)]) + b
        return scale * ((z - t) ** 2) + (z.tanh() - t).abs() + (z * 0.5).exp() / (1.0 + z * z)

    cols = ([[1.0, 2.0], [0.5, -1.0], [-2.0, 0.25]], [0.5, -1.0, 2.0], [1.0, 2.0, 0.5])
    for backend in ("python", "numpy"):
        step = compile(f, w + [b], example=([1.0, 2.0], 0.5, 1.0), reduction="sum",
                       backend=backend)
        for p in w + [b]:
            p.grad = 0.0
        loss = step(*cols)
        got = [p.grad for p in w + [b]]
        for p in w + [b]:
            p.grad = 0.0
        expected = step.object_step(*cols)
        want = [p.grad for p in w + [b]]
        if backend == "python":
            assert (loss, got) == (expected, want)
        else:
            assert abs(loss - expected) <= 1e-12 * abs(expected)
            assert all(abs(a - c) <= 1e-12 * max(map(abs, want)) for a, c in zip(got, want))


def test_refuses_structure_that_depends_on_the_data_naming_the_node():
    w = Value(0.5, label="w")
    # a read of .data is refused while tracing, naming the node and the user's line
    with pytest.raises(TraceError, match=r"reading \.data of node 'y' \(input or constant, "
                                         r"traced value "
                                         r"1\.0\) at test_compile\.py line \d+ .*y \* s"):
        compile(lambda x, y: (1.0 - y.data * (w * x)).relu(), [w], example=(1.0, 1.0))
    with pytest.raises(TraceError, match=r"comparing with > of node 'x'.*relu"):
        compile(lambda x: w * x if x > 0 else (w * x).relu(), [w], example=(1.0,))
    # what no read reveals (a number that changes from call to call) is still caught by the
    # second trace at the first call
    calls = itertools.count(1)
    drifting = compile(lambda x: w * x * float(next(calls)), [w], example=(1.0,))
    with pytest.raises(TraceError, match="structure depends on the data"):
        drifting([1.0, -2.0])


def test_refuses_a_constant_frozen_from_a_parameter_and_a_node_made_outside():
    w = Value(0.5, label="w")
    with pytest.raises(TraceError, match=r"compile \(extra\): reading \.data of node 'w'"):
        compile(lambda x: w * x, [w], example=(1.0,), extra=lambda: w * w.data)
    outside = w * 2.0
    with pytest.raises(TraceError, match="computed before tracing"):
        compile(lambda x: outside * x, [w], example=(1.0,))
    with pytest.raises(TraceError, match=r"reading \.data of node 'w' \(parameter or leaf"):
        compile(lambda x: w * x - w.data, [w], example=(1.0,))


def test_refuses_reading_grad_and_local_but_allows_the_structure():
    w = Value(0.5, label="w")
    w.grad = 2.0  # left from an earlier step: a traced read would freeze it
    with pytest.raises(TraceError, match=r"reading \.grad of node 'w' \(parameter or leaf, "
                                         r"traced value 0\.5\) at test_compile\.py line \d+ "
                                         r".*w\.grad.*gradient stored when tracing.*fills p\.grad"):
        compile(lambda x: w * x * (1.0 - 0.1 * w.grad), [w], example=(1.0,))
    with pytest.raises(TraceError, match=r"reading \.grad of node 'x'"):
        compile(lambda x: w * x + x.grad, [w], example=(1.0,))
    with pytest.raises(TraceError, match=r"reading \.local of an unlabelled tanh node \(traced "
                                         r"value 0\.46211715726000974\) at test_compile\.py "
                                         r"line \d+ .*the traced sample's local derivatives"):
        compile(lambda x: (w * x).tanh() * (w * x).tanh().local[0], [w], example=(1.0,))
    with pytest.raises(TraceError, match=r"reading \.grad of node 'w'"):
        compile(lambda x: w * x, [w], example=(1.0,), extra=lambda: w * getattr(w, "grad"))
    assert w.grad == 2.0  # the refusals changed nothing

    # the structure is the same for every sample: reading it is allowed, and the step built
    # from it replays the object engine bitwise
    def rebuilt(x):
        y = (w * x + 1.0).tanh()
        (inner,) = y.parents
        assert y.op == "tanh" and inner.op == "add" and len(inner.parents) == 2
        return y * inner.parents[0]
    step = compile(rebuilt, [w], example=(1.0,), backend="python")
    w.grad = 0.0
    got, grad = step([1.0, -2.0]), w.grad
    w.grad = 0.0
    assert got == step.object_step([1.0, -2.0]) and grad == w.grad


_NET = nn.MLP(2, [3, 1], seed=0)
_LAYER, _NEURON = nn.Layer(2, 2, rng=1), nn.Neuron(2, rng=2)
_INNER = compile(lambda x, t: (1.0 - t * _NET(x)).relu(), _NET, example=([0.5, -1.0], 1.0))


# Each library read-out called from a traced function: what it is shown as, and the call.
_READOUTS = [
    ("MLP.predict()", lambda x, t: _NET(x) * _NET.predict(x)),
    ("Layer.predict()", lambda x, t: _NET(x) * _LAYER.predict(x)[0]),
    ("Layer.predict_list()", lambda x, t: _NET(x) * _LAYER.predict_list(x)[0]),
    ("Neuron.predict()", lambda x, t: _NET(x) * _NEURON.predict(x)),
    ("Neuron.predict_checked()", lambda x, t: _NET(x) * _NEURON.predict_checked([1.0, 2.0])),
    ("nn.accuracy()", lambda x, t: _NET(x) * nn.accuracy(_NET, [x], [t])),
    ("nn.accuracy()", lambda x, t: _NET(x) * nn.metrics.accuracy(_NET, [x], [t])),
    ("nn.accuracy()", lambda x, t: _NET(x) * score(_NET, [x], [t])),
    ("nn.metrics.is_correct()", lambda x, t: _NET(x) * nn.metrics.is_correct(_NET(x), t)),
    ("nn.metrics.predicted_class()", lambda x, t: _NET(x) * nn.metrics.predicted_class(_NET(x))),
    ("Module.state_dict()", lambda x, t: _NET(x) * _NET.state_dict()["layers.0.neurons.0.b"]),
    ("nn.inputs.as_floats()", lambda x, t: _NET(x) * nn.inputs.as_floats(x, 2, "me")[0]),
    ("nn.plot.decision_grid()", lambda x, t: _NET(x) * nn.plot.decision_grid(_NET, [x])[0][0]),
    ("nn.fit()", lambda x, t: _NET(x) * nn.fit(_NET, [x], [t], epochs=1, progress=False)
     .losses[0]),
    ("nn.train.train_step()", lambda x, t: _NET(x) * nn.train.train_step(
        _NET, nn.hinge_loss, nn.SGD(_NET.parameters(), lr=0.1), [x], [t])[1]),
    ("autograd.gradients()", lambda x, t: _NET(x) * autograd.gradients(_NET(x), x)[0]),
    ("autograd.jacobian()", lambda x, t: _NET(x) * autograd.jacobian(lambda a: [a * a], x)[0][0]),
    ("autograd.gradcheck()", lambda x, t: _NET(x) * autograd.gradcheck(lambda a: a * a, x[:1])
     .rows[0].analytic),
    ("autograd.check()", lambda x, t: _NET(x) * autograd.check(_NET(x), {}).ok),
    ("autograd.explain()", lambda x, t: _NET(x) * len(autograd.explain(_NET(x), x[0]).text())),
    ("Trace(...)", lambda x, t: _NET(x) * len(autograd.Trace(_NET(x)).rows)),
    ("Value.detach()", lambda x, t: _NET(x) * x[0].detach()),
    ("autograd.newton.newton_step()", lambda x, t: _NET(x) * autograd.newton.newton_step(
        lambda a: a * a, x[:1]).value),
    ("a compiled step(...)", lambda x, t: _NET(x) * _INNER([x], [t])),
    ("Step.check()", lambda x, t: _NET(x) * _INNER.check([x], [t]).max_grad_diff),
]


@pytest.mark.parametrize("shown, fn", _READOUTS, ids=[f"{i}-{s}" for i, (s, _) in
                                                      enumerate(_READOUTS)])
def test_refuses_a_library_read_out_called_from_the_traced_function(shown, fn):
    # the library may read .data (so the read-out would succeed and freeze the traced sample's
    # numbers); called from the user's function it is refused, naming it, the line, the way out
    before = _NET.state_dict()
    with pytest.raises(TraceError, match=re.escape(f"compile: calling {shown} at test_compile.py "
                                                   "line ") + r"\d+ \(`.*`\) while tracing: it "
                                         r"reads .* out of Values on your behalf.*frozen.*"
                                         r"model\(x\), not model\.predict\(x\).*outside the "
                                         r"function, before or after the step"):
        compile(fn, _NET, example=([0.5, -1.0], 1.0))
    assert _NET.state_dict() == before  # refused before it ran (fit did not train)


def test_allows_what_keeps_values_values_and_the_librarys_own_read_outs(tmp_path):
    w = Value(0.5, label="w")

    def loss(x):
        y = w * x
        (dy_dw,) = autograd.gradients(y * y, [w], create_graph=True)  # Values: in the graph
        (g,) = autograd.gradients(y * y, [w], 1.0, True)  # create_graph given by position
        twice = autograd.grad(lambda a: a * a * a)(y)  # grad of Values records: a Value
        constant = autograd.hessian(lambda a: a ** 3, [2.0])[0][0]  # of plain numbers: 12.0
        _NET.save(tmp_path / "net.json")  # calls state_dict from the library: allowed
        return dy_dw + g + twice + constant * y
    step = compile(loss, [w], example=(1.0,), backend="python")
    assert (tmp_path / "net.json").exists()
    w.grad = 0.0
    got, grad = step([1.0, -2.0]), w.grad
    w.grad = 0.0
    assert got == step.object_step([1.0, -2.0]) and grad == w.grad
    # d/dw of 2 (2 w x^2) + 3 (w x)^2 + 12 w x, averaged over x = 1, -2
    assert math.isclose(grad, (4 * 1 + 6 * 0.5 * 1 + 12 * 1 + 4 * 4 + 6 * 0.5 * 4 - 24) / 2,
                        rel_tol=1e-12)


@pytest.mark.parametrize("backend", ["python", "numpy"])
def test_domain_error_and_overflow_during_replay_are_the_object_engines_errors(backend):
    w = Value(1.0, label="w")
    step = compile(lambda x: (w * x).log(), [w], example=(2.0,), backend=backend)
    assert math.isclose(step([2.0, 3.0]), (math.log(2.0) + math.log(3.0)) / 2, rel_tol=1e-15)
    with pytest.raises(ValueError) as compiled_error:
        step([2.0, -1.0])
    with pytest.raises(ValueError) as engine_error:
        (w * Value(-1.0, requires_grad=False)).log()
    assert str(compiled_error.value) == str(engine_error.value)
    hot = compile(lambda x: (w * x).exp(), [w], example=(1.0,), backend=backend)
    with pytest.raises(OverflowError, match=r"exp\(800.0\) overflows"):
        hot([1.0, 800.0])
    # inf hidden by an op that makes it finite again (relu(-inf) = 0) is still found
    big = compile(lambda x: (w * x * x).relu() + w, [w], example=(1.0,), backend=backend)
    with pytest.raises(OverflowError, match="not a finite float"):
        big([1.0, -1e200])


def test_a_failed_replay_changes_no_grad_before_the_engine_runs():
    w = Value(1.0, label="w")
    w.grad = 5.0
    step = compile(lambda x: (w * x).sqrt(), [w], example=(4.0,), backend="python")
    with pytest.raises(ValueError, match="sqrt"):
        step([4.0, -4.0])
    assert w.grad == 5.0  # the object engine raised while building: nothing was accumulated


def test_argument_and_option_errors():
    w = Value(1.0)
    with pytest.raises(ValueError, match="reduction"):
        compile(lambda x: w * x, [w], example=(1.0,), reduction="max")
    with pytest.raises(ValueError, match="backend"):
        compile(lambda x: w * x, [w], example=(1.0,), backend="gpu")
    with pytest.raises(TraceError, match="must return one Value"):
        compile(lambda x: [w * x], [w], example=(1.0,))
    step = compile(lambda x, y: w * x * y, [w], example=(1.0, 2.0))
    with pytest.raises(ValueError, match="one length"):
        step([1.0, 2.0], [1.0])
    with pytest.raises(TypeError, match="2 columns"):
        step([1.0])


@pytest.mark.parametrize("backend", [True, "python", "numpy"])
@pytest.mark.parametrize("loss", ["hinge", "bce", "cross_entropy", "mse"])
def test_fit_compile_gives_the_same_losses_as_fit(loss, backend):
    X, y = nn.datasets.make_moons(40, noise=0.1, seed=1)
    outputs = 2 if loss in ("cross_entropy", "mse") else 1
    labels = [[float(t), 1.0 - t] for t in y] if loss == "mse" else y
    histories = []
    for compiled in (False, backend):
        model = nn.MLP(2, [6, outputs], activation="tanh", seed=0)
        histories.append(nn.train.fit(model, X, labels, loss=loss, epochs=3, batch_size=16,
                                      l2=1e-3, progress=False, compile=compiled))
    plain, fast = histories
    # fit and compile run the same per-sample term (nn.sample_losses): the python backend
    # replays the very same sums
    tolerance = 0.0 if backend == "python" else 1e-12
    assert all(abs(a - b) <= tolerance * abs(a) for a, b in zip(plain.step_loss, fast.step_loss))


def test_fit_compile_refuses_a_custom_loss():
    X, y = nn.datasets.make_moons(10, seed=0)
    with pytest.raises(ValueError, match="built-in losses"):
        nn.train.fit(nn.MLP(2, [1]), X, y, loss=lambda outs, ys: outs[0], compile=True,
                     progress=False)


def _bce_setup(backend):
    """A logistic model on probabilities: hard labels 0 and 1 and a soft one in one batch."""
    w, b = [Value(0.8, label="w0"), Value(-0.5, label="w1")], Value(0.1, label="b")
    prob = lambda x: (vsum([wi * xi for wi, xi in zip(w, x)]) + b).sigmoid()  # noqa: E731
    step = compile(lambda x, t: nn.binary_cross_entropy(prob(x), t), w + [b],
                   example=([0.5, 1.0], 1.0), backend=backend)
    X = [[0.5, 1.0], [-1.0, 2.0], [2.0, -0.5], [0.3, 0.3], [-2.0, -1.0]]
    T = [1.0, 0.0, 1.0, 0.25, 0.0]
    return step, w + [b], prob, X, T


def test_binary_cross_entropy_on_probabilities_compiles_python_bitwise_the_object_engine():
    step, params, prob, X, T = _bce_setup("python")
    for k in range(20):  # SGD steps: the replay and nn's own batch graph on the same numbers
        loss = nn.binary_cross_entropy([prob(x) for x in X], T)
        for p in params:
            p.grad = 0.0
        loss.backward()
        expected = [p.grad for p in params]
        for p in params:
            p.grad = 0.0
        assert step(X, T) == loss.data, k
        assert [p.grad for p in params] == expected, k  # every bit
        _sgd(params, 0.5)
    assert step.check(X, T).ok


def test_binary_cross_entropy_on_probabilities_numpy_and_its_errors_when_compiled():
    step, params, prob, X, T = _bce_setup("numpy")
    expected = step.object_step(X, T)
    reference = [p.grad for p in params]
    for p in params:
        p.grad = 0.0
    assert abs(step(X, T) - expected) <= 1e-12 * expected
    scale = max(map(abs, reference))
    assert all(abs(p.grad - r) <= 1e-12 * scale for p, r in zip(params, reference))
    assert step.check(X, T).ok  # replayed, not fallen back to the object engine
    # a saturated sigmoid (p = 1.0) with label 0 needs log(0): the object engine's own error
    for backend in ("python", "numpy"):
        step, params, prob, X, T = _bce_setup(backend)
        with pytest.raises(ValueError, match="needs log\\(0\\)") as compiled_error:
            step([[0.5, 1.0], [60.0, 0.0]], [1.0, 0.0])
        with pytest.raises(ValueError) as engine_error:
            nn.binary_cross_entropy(prob([60.0, 0.0]), 0.0)
        assert str(compiled_error.value) == str(engine_error.value)
        # a target outside [0, 1] (which the replay has no check for) is refused by name too
        for bad in (1.5, -0.25, -5e-324):
            with pytest.raises(ValueError, match="targets must lie in \\[0, 1\\], got "
                                                 + re.escape(repr(bad))):
                step([[0.5, 1.0], [0.3, 0.3]], [1.0, bad])


def test_softmax_and_logsumexp_compile_whichever_logit_is_largest():
    W = [[Value(0.5), Value(-1.0)], [Value(-0.3), Value(0.8)], [Value(0.1), Value(0.2)]]
    params = [v for row in W for v in row]

    def logits(x):
        return [vsum([wi * xi for wi, xi in zip(row, x)]) for row in W]

    def brier_plus_logsumexp(x, t):  # softmax and logsumexp, each read from the logits
        z = logits(x)
        p = nn.softmax(z)
        return vsum([(pk - tk) ** 2 for pk, tk in zip(p, t)]) + nn.logsumexp(z)

    step = compile(brier_plus_logsumexp, params, example=([1.0, 0.0], [1.0, 0.0, 0.0]),
                   backend="python")
    X = [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [-3.0, 2.0]]  # a different logit is largest
    T = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [0.0, 1.0, 0.0]]
    loss = step(X, T)
    got = [p.grad for p in params]
    for p in params:
        p.grad = 0.0
    assert loss == step.object_step(X, T)
    assert got == [p.grad for p in params]
    assert step.check(X, T).ok


@pytest.mark.parametrize("backend", ["python", "numpy"])
def test_a_parameter_only_extra_reads_replays_instead_of_falling_back(backend):
    """w[1] appears only in extra=: the replay keeps every parameter in its place (it used to
    fail to unpack, fall back to the object engine on every step, and crash in check)."""
    w = [Value(0.5, label="a"), Value(1.5, label="b"), Value(-0.3, label="c")]
    step = compile(lambda x: w[0] * x + w[2] * x * x, w, example=(1.0,), backend=backend,
                   extra=lambda: w[0] ** w[1] + w[1] * w[1])
    report = step.check([1.0, 2.0, -0.5])
    assert report.ok and (backend == "numpy" or report.max_grad_diff == 0.0), report
    replayed = step._run if backend == "python" else None
    if replayed is not None:  # the replay itself runs (no exception, no fall-back)
        loss, grads = replayed([[1.0, 2.0, -0.5]], [0.0, 0.0, 0.0])
        assert len(grads) == 3 and grads[1] != 0.0
