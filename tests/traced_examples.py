"""Loss functions that read a number out of a node, for the compile rows of tests/error_cases.py.

In their own file so that the line each refusal names (the error message quotes the line of the
user's function) stays the same when the case lists grow: docs/errors.md shows these lines.
"""
import nn
from autograd import Value

W = Value(0.5, label="w")
MODEL = nn.MLP(1, [1], seed=0)


def reads_data(x, y):
    return (1 - y.data * (W * x)).relu()


def compares(x):
    return W * x if x > 0 else W


def converts(x):
    return W * float(x)


def rounds(x):
    return W * round(x)


def branches(x):
    return W * x if x else W


def formats(x):
    return Value(len(f"{x}")) * W


def reads_grad(x):
    return W * x * (1.0 - 0.1 * W.grad)


def reads_local(x):
    y = (W * x).tanh()
    return y * y.local[0]


def predicts(x):
    return W * x - MODEL.predict([x])


def scores(x, y):
    return W * x * nn.accuracy(MODEL, [[x]], [y])
