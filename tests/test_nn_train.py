"""fit: the moons benchmark (micrograd's demo set-up), determinism, minibatches, progress bar."""
import pytest

import nn


def test_moons_hinge_l2_reaches_97_percent_in_100_steps():
    # micrograd's demo: MLP(2, [16, 16, 1]) relu, hinge + 1e-4 L2, full batch of 100 samples,
    # SGD with lr 1.0 - 0.9 k / 100. Model seed 0 and data seed 0 reach 100% by step 100.
    X, y = nn.datasets.make_moons(100, noise=0.1, seed=0)
    model = nn.MLP(2, [16, 16, 1], activation="relu", seed=0)
    opt = nn.SGD(model, lr=lambda k: 1.0 - 0.9 * k / 100)
    history = nn.fit(model, X, y, loss="hinge", optimizer=opt, epochs=100, l2=1e-4,
                     progress=False)
    print(f"\nmoons: {history.seconds_per_step:.4f} s (wall), "
          f"{history.cpu_seconds_per_step:.4f} s (CPU) per training step")
    assert len(history.step_loss) == len(history.loss) == 100
    assert history.lr == pytest.approx([1.0 - 0.9 * k / 100 for k in range(100)], rel=1e-15)
    assert nn.accuracy(model, X, y) >= 0.97
    assert max(history.accuracy) >= 0.97
    assert history.step_loss[-1] < 0.1 * history.step_loss[0]


def small_run(batch_size, seed=0):
    X, y = nn.datasets.make_moons(40, noise=0.1, seed=1)
    model = nn.MLP(2, [4, 1], activation="tanh", seed=3)
    history = nn.fit(model, X, y, loss="bce", optimizer=nn.Adam(model, lr=0.05), epochs=3,
                     batch_size=batch_size, seed=seed, progress=False)
    return model, history


def test_fit_is_deterministic_and_batches_cover_the_data():
    m1, h1 = small_run(batch_size=16)
    m2, h2 = small_run(batch_size=16)
    assert h1.step_loss == h2.step_loss and h1.accuracy == h2.accuracy
    assert m1.state_dict() == m2.state_dict()
    assert len(h1.step_loss) == 3 * 3  # 40 samples in batches of 16: 16, 16, 8
    assert len(h1.loss) == len(h1.accuracy) == 3
    assert all(0.0 <= a <= 1.0 for a in h1.accuracy)
    _, h3 = small_run(batch_size=16, seed=1)  # another shuffle, another path
    assert h3.step_loss != h1.step_loss


@pytest.mark.parametrize("compile", [False, "python", "numpy"])
@pytest.mark.parametrize("optimizer", [nn.SGD, nn.Adam])
def test_each_epochs_accuracy_is_model_predict_after_the_epochs_updates(compile, optimizer):
    # The documented rule, the same on every path: history.accuracy[k] is nn.accuracy (built
    # on model.predict) of the parameters after epoch k's updates, i.e. of a model trained the
    # same way for k + 1 epochs. Exact: both count the same floats.
    X, y = nn.datasets.make_moons(48, noise=0.2, seed=4)

    def run(epochs):
        model = nn.MLP(2, [6, 1], activation="tanh", seed=2)
        history = nn.fit(model, X, y, loss="hinge", optimizer=optimizer(model, lr=0.1),
                         epochs=epochs, batch_size=20, progress=False, compile=compile)
        return model, history

    _, history = run(4)
    after = [nn.accuracy(run(k)[0], X, y) for k in range(1, 5)]
    assert history.accuracy == after
    assert len(set(after)) > 1  # the accuracy moves, so counting at another time would show


def test_cross_entropy_on_blobs_learns_three_classes():
    X, y = nn.datasets.make_blobs(60, centers=[[-3.0, 0.0], [3.0, 0.0], [0.0, 4.0]],
                                  cluster_std=0.6, seed=2)
    model = nn.MLP(2, [8, 3], activation="tanh", seed=0)
    history = nn.fit(model, X, y, loss="cross_entropy", optimizer=nn.Adam(model, lr=0.05),
                     epochs=15, batch_size=20, progress=False)
    assert history.loss[-1] < 0.5 * history.loss[0]
    assert nn.accuracy(model, X, y) >= 0.95


def test_progress_bar_shows_loss_and_silent_mode_prints_nothing(capsys):
    X, y = nn.datasets.make_moons(10, seed=0)
    nn.fit(nn.MLP(2, [1]), X, y, epochs=2, progress=False)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""
    nn.fit(nn.MLP(2, [1]), X, y, epochs=2, progress=True)
    assert "loss=" in capsys.readouterr().err


def test_progress_in_a_pipe_is_plain_lines_ending_with_the_last_loss(capsys):
    """stderr captured (not a terminal): no carriage returns, one line per redraw, and a short
    run (far under PLAIN_INTERVAL_S) shows only its start and its end."""
    X, y = nn.datasets.make_moons(20, seed=0)
    history = nn.fit(nn.MLP(2, [4, 1], seed=0), X, y, epochs=30, progress=True)
    err = capsys.readouterr().err
    assert "\r" not in err
    lines = err.splitlines()
    assert len(lines) == 2 and lines[0].startswith("fit:   0%")
    assert lines[1].startswith("fit: 100%") and f"loss={history.loss[-1]:.4f}" in lines[1]


def test_fit_rejects_bad_arguments():
    X, y = nn.datasets.make_moons(10, seed=0)
    model = nn.MLP(2, [1])
    with pytest.raises(ValueError, match="unknown loss 'hing'"):
        nn.fit(model, X, y, loss="hing", progress=False)
    with pytest.raises(ValueError, match="10 inputs but 9 labels"):
        nn.fit(model, X, y[:9], progress=False)
    with pytest.raises(ValueError, match="batch_size must be a positive int"):
        nn.fit(model, X, y, batch_size=0, progress=False)


def test_mse_regression_tracks_no_accuracy():
    X = [[x / 10] for x in range(10)]
    y = [2.0 * x[0] - 1.0 for x in X]
    model = nn.MLP(1, [1], seed=0)
    history = nn.fit(model, X, y, loss="mse", optimizer=nn.SGD(model, lr=0.5), epochs=200,
                     progress=False)
    assert history.accuracy[-1] is None
    w, b = (p.data for p in model.parameters())
    assert (w, b) == pytest.approx((2.0, -1.0), abs=1e-6)


def test_history_repr_is_short_and_fit_ends_with_a_summary_line(capsys):
    X, y = nn.datasets.make_moons(10, seed=0)
    history = nn.fit(nn.MLP(2, [1], seed=0), X, y, epochs=3, progress=True)
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and out.startswith("fit: 3 epochs, 3 steps in ")
    assert f"loss {history.loss[0]:.4g} -> {history.loss[-1]:.4g}; accuracy " in out
    assert out == history.summary() + "\n"
    assert repr(history).startswith("History(3 epochs, 3 steps, loss ") and len(repr(history)) < 80
    many = nn.train.History(loss=[0.5] * 1000, step_loss=[0.5] * 1000, accuracy=[None] * 1000)
    assert repr(many) == "History(1000 epochs, 1000 steps, loss 0.5, 0.00 s)"
    assert repr(nn.train.History()) == "History(empty)"
