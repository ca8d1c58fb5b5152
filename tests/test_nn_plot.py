"""Plot helpers on the Agg backend: the plotted data is the history / the model's predictions."""
import sys

import matplotlib
import pytest

import nn
import nn.plot

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def close_figures():
    yield
    import matplotlib.pyplot as plt
    plt.close("all")


def test_plot_loss_draws_the_history():
    history = nn.train.History(loss=[3.0, 2.0, 1.5], accuracy=[0.5, 0.7, 0.9])
    ax = nn.plot.plot_loss(history)
    xs, ys = ax.lines[0].get_data()
    assert list(xs) == [1, 2, 3] and list(ys) == [3.0, 2.0, 1.5]
    twin = [a for a in ax.figure.axes if a is not ax][0]
    assert list(twin.lines[0].get_data()[1]) == [0.5, 0.7, 0.9]
    assert ax.get_xlabel() == "epoch"


def test_decision_boundary_grid_matches_the_model():
    model = nn.MLP.from_weights([[[1.0, -1.0]]], [[0.0]])  # class 1 where x1 > x2
    X, y = [[0.0, 1.0], [1.0, 0.0], [2.0, 2.5]], [0, 1, 0]
    xs, ys, classes = nn.plot.decision_grid(model, X, resolution=5, padding=0.0)
    assert xs == pytest.approx([0.0, 0.5, 1.0, 1.5, 2.0])
    assert ys == pytest.approx([0.0, 0.625, 1.25, 1.875, 2.5])
    for j, v in enumerate(ys):
        assert classes[j] == [1 if u - v > 0 else 0 for u in xs]
    ax = nn.plot.plot_decision_boundary(model, X, y, resolution=5)
    assert len(ax.collections) >= 2  # filled regions and the scatter of samples
    with pytest.raises(ValueError, match="2-D inputs"):
        nn.plot.decision_grid(nn.MLP(3, [1]), [[1.0, 2.0, 3.0]])


def test_missing_matplotlib_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)  # makes the import fail
    with pytest.raises(ImportError, match=r"pip install teachgrad\[plot\]"):
        nn.plot.plot_loss([1.0, 0.5])


def test_plot_loss_has_a_legend_and_integer_epoch_ticks():
    history = nn.train.History(loss=[3.0, 2.0, 1.5], accuracy=[0.5, 0.7, 0.9])
    ax = nn.plot.plot_loss(history)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["loss", "accuracy"]
    ax.figure.canvas.draw()
    ticks = [t for t in ax.get_xticks() if 1 <= t <= 3]
    assert ticks and all(float(t).is_integer() for t in ticks)
    only_loss = nn.plot.plot_loss([1.0, 0.5])
    assert [t.get_text() for t in only_loss.get_legend().get_texts()] == ["loss"]
