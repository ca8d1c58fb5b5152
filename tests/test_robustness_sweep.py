"""A systematic sweep of the public API with bad inputs: every callable in `__all__` of
`autograd` and `nn`, the methods of the objects they return, and every CLI command (the
`sheet` commands have their own tests), called with wrong types, empty, huge, nan, inf and
numpy values. Each call must either work or raise an error the library raised ON PURPOSE:
the innermost frame of the traceback, when it lies in the library, must be a `raise`
statement. A bare Python error from inside the library (`len(None)`, `tuple(3)`, numpy's
"truth value of an array is ambiguous", a KeyError, an OverflowError from `10.0 ** 999`) is a
failure, reported with the call and the library line it came from."""
import contextlib
import inspect
import io
import itertools
import linecache
import math
import os
import warnings

import numpy as np
import pytest

import autograd
import nn
from autograd import Value
from autograd.cli import main

LIBRARY = tuple(os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(m.__file__))),
                             name) + os.sep for m, name in ((autograd, "autograd"), (nn, "nn")))


def _pool():
    """Fresh bad (and a few good) arguments: made per call so no call sees another's changes."""
    return [None, "x", "", [], {}, 3, 2.0, -1, 0, math.nan, math.inf, 10 ** 400, True,
            np.float32(1.5), np.int64(2), np.array([1.0, 2.0]), np.array(1.0),
            Value(1.0, label="v"), [math.nan], [Value(2.0), 1.0], [1.0, 2.0], object(),
            lambda *a: a[0] * 2 if a else Value(1.0)]


def _bare(exc: BaseException) -> str | None:
    """'file:line: code' when exc escaped from inside the library without a `raise` of its own:
    raised by a library line that is not a `raise` statement, or by the standard library,
    numpy or another package the library called. None when the library raised it on purpose,
    when it came from the user's own function (this file), or from the call itself (a wrong
    signature, raised before any library line ran)."""
    frames = []
    tb = exc.__traceback__
    while tb is not None:
        frames.append((tb.tb_frame.f_code.co_filename, tb.tb_lineno))
        tb = tb.tb_next
    if not frames or frames[-1][0] == __file__:
        return None  # the user's function raised (or the call did not even start)
    inside = [(name, line) for name, line in frames if name.startswith(LIBRARY)]
    if not inside:
        return None
    name, line = inside[-1]
    lines = [linecache.getline(name, line - k).strip() for k in range(4)]
    if frames[-1][0].startswith(LIBRARY) and any(text.startswith("raise") for text in lines):
        return None  # the statement may span lines
    where = "" if frames[-1][0].startswith(LIBRARY) else f" (inside {os.path.basename(frames[-1][0])})"
    return f"{os.path.relpath(name)}:{line}: {lines[0]}{where}"


# Pairs are drawn from these positions of the pool only (one of each kind: None, a str, an
# empty list, an int, nan, a huge int, a numpy float, an array, a Value, a list of numbers):
# every pair of all 23 would make the sweep ten times slower for little more.
PAIRED = (0, 1, 3, 5, 9, 11, 13, 15, 17, 20)


def _sweep(label, function, arities=(1, 2)):
    """Every failure of `function` over the pool (1 and 2 positional arguments)."""
    problems = []
    size = len(_pool())
    for arity in arities:
        picks_of = (itertools.product(range(size), repeat=1) if arity == 1
                    else itertools.product(PAIRED, repeat=arity))
        for picks in picks_of:
            pool = _pool()
            args = [pool[i] for i in picks]
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    with contextlib.redirect_stdout(io.StringIO()):
                        function(*args)
            except RecursionError:
                continue
            except Exception as exc:  # every kind: the test is which ones are bare
                where = _bare(exc)
                if where:
                    problems.append(f"{label}{tuple(args)!r:.80}: {type(exc).__name__}: "
                                    f"{exc!s:.80} at {where}")
    return problems


def _public(module):
    return [(f"{module.__name__}.{name}", getattr(module, name)) for name in module.__all__
            if callable(getattr(module, name)) and not inspect.ismodule(getattr(module, name))
            and name not in ("draw", "save", "step_backward", "BackwardStepper")]


SLOW = {"nn.fit"}  # trains: swept with one argument only


@pytest.mark.parametrize("label,function", _public(autograd) + _public(nn),
                         ids=lambda v: v if isinstance(v, str) else "")
def test_public_functions_raise_only_on_purpose(label, function):
    problems = _sweep(label, function, (1,) if label in SLOW else (1, 2))
    assert not problems, "\n".join(problems[:20])


def _graph():
    x = Value(2.0, label="x")
    y = (x * 3.0 + x.tanh()).named("y")
    y.backward()
    return y


def _model():
    return nn.MLP(2, [3, 1], seed=0)


def _step():
    w = Value(0.5, label="w")
    return autograd.compile(lambda x: (w * x).relu(), [w], example=(1.0,), backend="python")


METHODS = {
    "Value.__add__": lambda a: _graph() + a, "Value.__radd__": lambda a: a + _graph(),
    "Value.__mul__": lambda a: _graph() * a, "Value.__rmul__": lambda a: a * _graph(),
    "Value.__truediv__": lambda a: _graph() / a, "Value.__rtruediv__": lambda a: a / _graph(),
    "Value.__pow__": lambda a: _graph() ** a, "Value.__rpow__": lambda a: a ** _graph(),
    "Value.max": lambda a: _graph().max(a), "Value.backward": lambda a: _graph().backward(a),
    "Value.named": lambda a: _graph().named(a), "Value.local=": lambda a: setattr(
        _graph(), "local", a),
    "autograd.check": lambda a: autograd.check(_graph(), {"y": a}),
    "autograd.check(grad)": lambda a: autograd.check(_graph(), {"x": ("2.0", a)}),
    "autograd.Trace": lambda a: autograd.Trace(_graph(), a),
    "MLP.__call__": lambda a: _model()(a), "MLP.predict": lambda a: _model().predict(a),
    "MLP.load_state_dict": lambda a: _model().load_state_dict(a),
    "MLP.load_state_dict(value)": lambda a: _model().load_state_dict(
        {k: a for k in _model().state_dict()}),
    "MLP.save": lambda a: _model().save(a) if not isinstance(a, str) else None,
    "MLP.load": lambda a: _model().load(a) if not isinstance(a, str) else None,
    "SGD.step(grad)": lambda a: _stepped(nn.SGD, a), "Adam.step(grad)": lambda a: _stepped(
        nn.Adam, a),
    "Step.__call__": lambda a: _step()(a), "Step.__call__(list)": lambda a: _step()([a, 1.0]),
    "Step.check": lambda a: _step().check([a]),
    "compile(example)": lambda a: autograd.compile(lambda x: x * 2.0, [Value(1.0)], example=a),
    "compile(params)": lambda a: autograd.compile(lambda x: x * 2.0, a, example=(1.0,)),
    "fit(X)": lambda a: nn.fit(_model(), a, [1.0], epochs=1, progress=False),
    "fit(y)": lambda a: nn.fit(_model(), [[1.0, 2.0]], a, epochs=1, progress=False),
    "fit(compile)": lambda a: nn.fit(_model(), [[1.0, 2.0]], [1.0], epochs=1, progress=False,
                                     compile=a),
    "datasets.make_moons": lambda a: nn.datasets.make_moons(a),
    "datasets.make_blobs": lambda a: nn.datasets.make_blobs(10, a),
}


def _stepped(kind, grad):
    w = Value(1.0)
    w.grad = grad
    kind([w], lr=0.1).step()


@pytest.mark.parametrize("label", sorted(METHODS))
def test_methods_and_options_raise_only_on_purpose(label):
    problems = _sweep(label, METHODS[label], (1,))
    assert not problems, "\n".join(problems[:20])


CLI = [["examples"], ["examples", "run"], ["examples", "run", "nope"], ["examples", "run", ""],
       ["examples", "run", "seed002", "--precision", "0"], ["examples", "run", "seed002",
                                                           "--precision", "1e999"],
       ["examples", "run", "seed002", "--stage", "nope"], ["examples", "run", "seed002",
                                                           "--format", "xml"],
       ["examples", "run", "seed002", "--out", "/dev/null/x"], ["demo", "extra"],
       ["ops", "--x"], ["examples", "list", "extra"], ["--version", "x"], ["\udcff"],
       ["examples", "run", "\udcff"]]


@pytest.mark.parametrize("argv", CLI, ids=" ".join)
def test_cli_commands_exit_2_with_one_line_never_a_traceback(argv, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv, prog="teachgrad")
        except SystemExit as stop:
            code = stop.code
    assert code in (0, 2), (argv, code, err.getvalue())
    assert "Traceback" not in err.getvalue()
    if code == 2:  # a usage error: the message (or the usage) names the program
        assert "teachgrad" in err.getvalue()


def _small_graph():
    x = Value(2.0, label="x")
    y = (x * 3.0).tanh().named("y")
    y.backward()
    return y


def _moons():
    return nn.datasets.make_moons(8, seed=0)


# One keyword at a time: every option of the calls people configure most, given each value of
# the pool (the other options at their defaults).
KEYWORDS = {
    "fit": (lambda **k: nn.fit(nn.MLP(2, [2, 1]), *_moons(), progress=False, **k),
            ["loss", "optimizer", "epochs", "batch_size", "l2", "seed", "track_accuracy",
             "compile"]),
    "SGD": (lambda **k: nn.SGD(nn.MLP(2, [1]).parameters(), **{"lr": 0.1, **k}),
            ["lr", "momentum", "weight_decay"]),
    "Adam": (lambda **k: nn.Adam(nn.MLP(2, [1]).parameters(), **k),
             ["lr", "betas", "eps", "weight_decay"]),
    "MLP": (lambda **k: nn.MLP(2, [2, 1], **k), ["activation", "output_activation", "bias", "seed"]),
    "draw": (lambda **k: autograd.draw(_small_graph(), **k),
             ["view", "precision", "title", "collapse", "params", "inputs", "edge_labels",
              "rankdir"]),
    "step_backward": (lambda **k: autograd.step_backward(_small_graph(), **k),
                      ["precision", "title", "collapse"]),
    "compile": (lambda **k: autograd.compile(lambda x: x * Value(1.0), [Value(1.0)],
                                             example=(1.0,), **k),
                ["reduction", "extra", "backend"]),
    "gradcheck": (lambda **k: autograd.gradcheck(lambda a: a * a, [1.0], **k),
                  ["eps", "rtol", "atol"]),
    "check": (lambda **k: autograd.check(_small_graph(), {"y": "0.9951"}, **k),
              ["rtol", "atol", "digits"]),
    "make_blobs": (lambda **k: nn.datasets.make_blobs(**k),
                   ["n_samples", "centers", "cluster_std", "n_features", "center_box", "seed"]),
    "make_spirals": (lambda **k: nn.datasets.make_spirals(**k),
                     ["n_samples", "classes", "noise", "seed"]),
    "huber_loss": (lambda **k: nn.huber_loss([1.0], [2.0], **k), ["delta", "reduction"]),
    "gradients": (lambda **k: autograd.gradients(_small_graph(), [Value(1.0)], **k),
                  ["grad", "create_graph"]),
    "jacobian": (lambda **k: autograd.jacobian(lambda a: [a * a], [1.0], **k), ["mode"]),
    "hvp": (lambda **k: autograd.hvp(lambda a: a * a, [1.0], [1.0], **k), ["mode"]),
}


@pytest.mark.parametrize("label", sorted(KEYWORDS))
def test_keyword_options_raise_only_on_purpose(label):
    call, names = KEYWORDS[label]
    problems = []
    for name in names:
        problems += _sweep(f"{label}({name}=...)", lambda value, name=name: call(**{name: value}),
                           (1,))
    assert not problems, "\n".join(problems[:20])
