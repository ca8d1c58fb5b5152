"""micrograd code runs unchanged with only the imports changed.

`from micrograd.engine import Value` -> `from autograd import Value` and
`from micrograd.nn import Neuron, Layer, MLP` -> `from nn import Neuron, Layer, MLP`. The two
loops below are written as micrograd's users write them: Karpathy's lecture loop and the
training loop of micrograd's demo.ipynb (SVM max-margin loss, L2, hand-written SGD).
"""
import pytest

from autograd import Value
from nn import MLP, Layer, Neuron
import nn

# Measured with this engine (float64, deterministic: seeded models and data), rel 1e-9.
LECTURE_FIRST, LECTURE_LAST = 3.5173624480317343, 0.000824227471695844
DEMO_FIRST, DEMO_LAST, DEMO_LAST_ACCURACY = 0.9164732294722167, 0.17126183855311317, 0.93


def test_lecture_loop_runs_verbatim_and_the_loss_falls():
    xs = [
        [2.0, 3.0, -1.0],
        [3.0, -1.0, 0.5],
        [0.5, 1.0, 1.0],
        [1.0, 1.0, -1.0],
    ]
    ys = [1.0, -1.0, -1.0, 1.0]  # desired targets
    n = MLP(3, [4, 4, 1])
    losses = []
    for k in range(20):
        # forward pass
        ypred = [n(x) for x in xs]
        loss = sum((yout - ygt)**2 for ygt, yout in zip(ys, ypred))
        # backward pass
        for p in n.parameters():
            p.grad = 0.0
        loss.backward()
        # update
        for p in n.parameters():
            p.data += -0.1 * p.grad
        losses.append(loss.data)
    assert isinstance(ypred[0], Value)
    assert losses[0] == pytest.approx(LECTURE_FIRST, rel=1e-9)
    assert losses[-1] == pytest.approx(LECTURE_LAST, rel=1e-9)
    assert losses[-1] < 0.05 * losses[0]


def test_demo_notebook_training_loop_runs_verbatim():
    X, labels = nn.datasets.make_moons(100, noise=0.1, seed=0)
    y = [2 * t - 1 for t in labels]  # make y be -1 or 1, as the demo does
    model = MLP(2, [16, 16, 1], activation="relu")  # micrograd's neurons are relu
    print(model)
    print("number of parameters", len(model.parameters()))

    # loss function
    def loss():
        Xb, yb = X, y  # the demo's batch_size=None branch: the whole data set
        inputs = [list(map(Value, xrow)) for xrow in Xb]

        # forward the model to get scores
        scores = list(map(model, inputs))

        # svm "max-margin" loss
        losses = [(1 + -yi*scorei).relu() for yi, scorei in zip(yb, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        # L2 regularization
        alpha = 1e-4
        reg_loss = alpha * sum((p*p for p in model.parameters()))
        total_loss = data_loss + reg_loss

        # also get accuracy
        accuracy = [(yi > 0) == (scorei.data > 0) for yi, scorei in zip(yb, scores)]
        return total_loss, sum(accuracy) / len(accuracy)

    history = []
    for k in range(30):
        # forward
        total_loss, acc = loss()

        # backward
        model.zero_grad()
        total_loss.backward()

        # update (sgd)
        learning_rate = 1.0 - 0.9*k/100
        for p in model.parameters():
            p.data -= learning_rate * p.grad

        history.append((total_loss.data, acc))
    assert history[0][0] == pytest.approx(DEMO_FIRST, rel=1e-9)
    assert history[-1][0] == pytest.approx(DEMO_LAST, rel=1e-9)
    assert history[-1][1] >= DEMO_LAST_ACCURACY


def test_micrograd_constructor_spellings():
    relu = Neuron(3, nonlin=True)  # micrograd's default neuron is a ReLU neuron
    linear = Neuron(3, nonlin=False)
    assert (relu.activation, linear.activation) == ("relu", "linear")
    layer = Layer(3, 2, nonlin=False)
    assert layer.activation == "linear" and isinstance(layer([1.0, 2.0, 3.0]), list)
    single = Layer(3, 1, nonlin=True)([1.0, 2.0, 3.0])
    assert isinstance(single, Value)  # micrograd: one output is the Value itself
    assert len(MLP(2, [16, 16, 1]).parameters()) == 337  # same count as micrograd's MLP
    with pytest.raises(ValueError, match="Neuron: give activation='tanh' or nonlin=True, not both"):
        Neuron(3, activation="tanh", nonlin=True)
    with pytest.raises(TypeError, match="Layer: nonlin must be True \\(relu\\) or False"):
        Layer(3, 2, nonlin="relu")
    model = MLP(2, [3, 1])
    model([1.0, 2.0]).backward()
    model.zero_grad()  # micrograd's Module.zero_grad
    assert all(p.grad == 0.0 for p in model.parameters())
