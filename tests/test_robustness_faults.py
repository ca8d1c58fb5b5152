"""Faults that must not lose data: a save that fails keeps the old weights, a load never blocks
or reads without bound, and an optimizer step interrupted anywhere (Ctrl-C) leaves every
parameter and every optimizer state either before or after the step, never between."""
import copy
import os
import signal
import stat
import subprocess
import sys
import threading
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nn
from nn.serialize import WeightsFileError
from interrupts import run_interrupted

OPTIM_FILE = os.path.abspath(nn.optim.__file__)


# --- save: temp file, flush, fsync, replace -------------------------------------------------
def _model(seed=0):
    return nn.MLP(2, [3, 1], seed=seed)


@pytest.mark.parametrize("failing", ["write", "fsync", "replace", "interrupt"])
def test_a_failed_save_leaves_the_previous_file_intact(tmp_path, monkeypatch, failing):
    path = tmp_path / "weights.json"
    _model(0).save(path)
    before = path.read_bytes()
    error = KeyboardInterrupt if failing == "interrupt" else OSError
    target = {"write": "fdopen", "fsync": "fsync", "replace": "replace",
              "interrupt": "fsync"}[failing]
    real = getattr(os, target)

    def broken(*args, **kwargs):
        if target == "fdopen":  # a handle whose write fails, as on a full disk
            handle = real(*args, **kwargs)
            handle.write = lambda data: (_ for _ in ()).throw(OSError(28, "No space left"))
            return handle
        raise error("simulated failure")
    monkeypatch.setattr(os, target, broken)
    with pytest.raises(error):
        _model(1).save(path)
    monkeypatch.undo()
    assert path.read_bytes() == before  # the old weights are all there
    assert [p.name for p in tmp_path.iterdir()] == ["weights.json"]  # no temp file left
    restored = _model(2)
    restored.load(path)
    assert restored.state_dict() == _model(0).state_dict()


def test_save_replaces_in_one_step_and_keeps_the_files_permissions(tmp_path):
    path = tmp_path / "w.json"
    _model(0).save(path)
    os.chmod(path, 0o640)
    _model(1).save(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    loaded = _model(5)
    loaded.load(path)
    assert loaded.state_dict() == _model(1).state_dict()


# --- load: non-regular files refused before opening, sizes checked first ---------------------
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_load_of_a_named_pipe_is_refused_at_once(tmp_path):
    pipe = tmp_path / "pipe.json"
    os.mkfifo(pipe)
    result = {}

    def run():
        try:
            _model().load(pipe)
        except Exception as exc:  # noqa: BLE001 - the test inspects it
            result["error"] = exc
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(5.0)
    if thread.is_alive():  # unblock the reader so the test process can finish
        with open(pipe, "wb"):
            pass
        pytest.fail("load blocked on a named pipe")
    assert isinstance(result["error"], WeightsFileError)
    assert "not a regular file" in str(result["error"])


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null"])
def test_load_of_a_device_is_refused(device):
    if not os.path.exists(device):
        pytest.skip(f"{device} does not exist here")
    start = time.perf_counter()
    with pytest.raises(WeightsFileError, match="not a regular file"):
        _model().load(device)
    assert time.perf_counter() - start < 1.0


def test_load_of_a_folder_and_of_a_huge_file(tmp_path):
    with pytest.raises(WeightsFileError, match="is a folder"):
        _model().load(tmp_path)
    huge = tmp_path / "huge.json"
    with open(huge, "wb") as handle:
        handle.truncate(10 ** 9)  # sparse: only its size is ever looked at
    with pytest.raises(WeightsFileError, match="over the"):
        _model().load(huge)


# --- Optimizer.step under Ctrl-C ------------------------------------------------------------
OPTIMIZERS = {
    "sgd": lambda ps: nn.SGD(ps, lr=0.1),
    "sgd-momentum": lambda ps: nn.SGD(ps, lr=0.1, momentum=0.9, weight_decay=1e-3),
    "adam": lambda ps: nn.Adam(ps, lr=0.05, weight_decay=1e-3),
}


def _state(model, opt):
    """Everything a step changes: parameters, the optimizer's buffers and its step count."""
    buffers = [list(getattr(opt, name)) for name in ("velocity", "m", "s") if hasattr(opt, name)]
    return [p.data for p in model.parameters()], buffers, opt.steps


class _InterruptAt:
    """A trace hook raising KeyboardInterrupt at the n-th line run inside nn/optim.py: an
    interrupt delivered at an arbitrary point of the step (a signal arrives between any two
    bytecodes; lines are the finest points a trace hook sees)."""

    def __init__(self, n):
        self.n, self.count, self.fired = n, 0, False

    def __call__(self, frame, event, arg):
        if frame.f_code.co_filename != OPTIM_FILE:
            return None
        return self.local

    def local(self, frame, event, arg):
        if event == "line" and not self.fired:
            self.count += 1
            if self.count == self.n:
                self.fired = True
                raise KeyboardInterrupt
        return self.local


def _lines_in_a_step(make):
    model = _model(3)
    opt = make(model.parameters())
    _loss(model).backward()
    counter = _InterruptAt(10 ** 9)
    sys.settrace(counter)
    try:
        opt.step()
    finally:
        sys.settrace(None)
    return counter.count


def _loss(model):
    return sum(((model([x, -x]) - 0.3) ** 2 for x in (0.5, -1.0, 2.0)), start=0.0)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(OPTIMIZERS)), st.floats(0.0, 1.0), st.integers(0, 2))
def test_an_interrupted_step_leaves_everything_before_or_after_it(name, where, warmup):
    make = OPTIMIZERS[name]
    model = _model(3)
    opt = make(model.parameters())
    for _ in range(warmup):  # optimizer state that is not all zeros
        opt.zero_grad()
        _loss(model).backward()
        opt.step()
    opt.zero_grad()
    _loss(model).backward()
    before = copy.deepcopy(_state(model, opt))
    twin_model = copy.deepcopy((model, opt))
    twin_model[1].step()
    after = _state(*twin_model)
    total = _lines_in_a_step(make)
    hook = _InterruptAt(1 + int(where * (total - 1)))
    run_interrupted(opt.step, hook)
    assert hook.fired
    now = _state(model, opt)
    assert now in (before, after), f"{name}: a torn step after line {hook.n} of {total}"


def test_a_real_sigint_during_fit_leaves_a_consistent_state():
    """SIGINT-like interrupts (SIGALRM -> KeyboardInterrupt) at random moments of `fit` (Adam):
    afterwards the model and optimizer equal an uninterrupted run of the same number of steps.
    Run in a child process: an interrupt may also land inside a third-party library (a lock
    of the progress bar, the garbage collector switch) and must not leave this one broken."""
    if not hasattr(signal, "setitimer"):
        pytest.skip("needs setitimer (POSIX)")
    script = f"import sys; sys.path[:0] = {sys.path[:3]!r}; " \
             "import test_robustness_faults as t; t.interrupted_fits()"
    done = subprocess.run([sys.executable, "-c", script], cwd=os.path.dirname(__file__),
                          capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().endswith("6 interrupted fits consistent"), done.stdout


def interrupted_fits():
    """The child process of the test above: six fits interrupted after different delays."""
    X, y = nn.datasets.make_moons(16, noise=0.1, seed=1)
    for delay in (0.0005, 0.001, 0.002, 0.003, 0.005, 0.008):
        model = _model(4)
        opt = nn.Adam(model, lr=0.01)
        previous = signal.signal(signal.SIGALRM, signal.default_int_handler)
        signal.setitimer(signal.ITIMER_REAL, delay)
        try:
            nn.fit(model, X, y, optimizer=opt, epochs=40, batch_size=4, progress=False)
        except KeyboardInterrupt:
            pass
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        twin = _model(4)
        twin_opt = nn.Adam(twin, lr=0.01)
        _replay(twin, twin_opt, X, y, opt.steps)
        assert _state(model, opt) == _state(twin, twin_opt), f"torn at delay {delay}"
    print("6 interrupted fits consistent")


def _replay(model, opt, X, y, steps):
    """fit's first `steps` steps (batch 4, hinge, seed 0 shuffling) on a fresh model."""
    import random
    rng, order = random.Random(0), list(range(len(X)))
    done = 0
    while done < steps:
        rng.shuffle(order)
        for b in range(0, len(X), 4):
            if done == steps:
                return
            idx = order[b:b + 4]
            nn.train.train_step(model, nn.train.LOSSES["hinge"], opt,
                                [X[i] for i in idx], [y[i] for i in idx])
            done += 1
