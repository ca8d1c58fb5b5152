"""The finite promise on every gradient API, and reading a graph after a huge backward.

`backward` raises an OverflowError naming the node when a gradient overflows; `gradients`,
`grad`, `value_and_grad`, `jacobian`, `hessian`, `create_graph=True` and a compiled step must
raise the same error (naming the same node), never return inf or nan. And what is finite must
not be refused: reading a graph after a successful backward, or `x / 1e-160`."""
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import (Value, compile, creation_order, gradients, grad, hessian, jacobian,
                      topological_order, value_and_grad, zero_grad)


def _steep(x):
    """sqrt at a tiny x times a huge factor: a finite value whose gradient overflows."""
    return x.sqrt() * 1e300


def _backward_message(make_root):
    x = Value(1e-300, label="x")
    with pytest.raises(OverflowError) as caught:
        make_root(x).backward()
    return str(caught.value)


API_CALLS = {
    "gradients": lambda: (lambda x: gradients(_steep(x), [x]))(Value(1e-300, label="x")),
    "grad": lambda: grad(_steep)(1e-300),
    "value_and_grad": lambda: value_and_grad(_steep)(1e-300),
    "jacobian": lambda: jacobian(lambda x: [_steep(x), x], [1e-300]),
    "hessian": lambda: hessian(_steep, [1e-300]),
}


@pytest.mark.parametrize("name", sorted(API_CALLS))
def test_every_gradient_api_raises_backwards_error_naming_the_node(name):
    want = _backward_message(_steep)
    with pytest.raises(OverflowError) as caught:
        API_CALLS[name]()
    text = str(caught.value)
    assert text.startswith(f"{name}: ")
    # the same node, grad and local derivatives as backward names
    assert text.split(": ", 1)[1] == want.split(": ", 1)[1]


def test_gradients_with_create_graph_and_a_value_seed_keep_the_promise():
    x = Value(1e-300, label="x")
    with pytest.raises(OverflowError, match=r"^gradients: the gradient passed back from"):
        gradients(_steep(x), [x], create_graph=True)
    with pytest.raises(OverflowError, match=r"^grad: the gradient passed back from"):
        grad(_steep)(Value(1e-300))  # a Value argument records (create_graph) too


def test_nan_from_zero_times_an_overflowing_gradient_is_refused_not_returned():
    # relu(-1) passes 0 * g back: with g = inf that was nan where backward raises
    x = Value(1e-300, label="x")
    y = x.sqrt() * 1e300
    root = (y * 1e10).relu() + (x - 2.0).relu()
    with pytest.raises(OverflowError):
        root.backward()
    with pytest.raises(OverflowError, match="gradients: the gradient passed back"):
        gradients(root, [x])


@given(st.floats(1e-320, 1e-200), st.floats(1e200, 1e308))
def test_gradients_is_finite_or_raises_exactly_when_backward_does(tiny, big):
    x = Value(tiny, label="x")
    root = x.sqrt() * big
    try:
        root.backward()
        want = x.grad
    except OverflowError as exc:
        with pytest.raises(OverflowError, match="^gradients: " + str(exc).split(": ", 1)[1][:30]):
            gradients(root, [x])
        return
    got, = gradients(root, [x])
    assert got == want and math.isfinite(got)


@pytest.mark.parametrize("backend", ["python", "numpy"])
def test_a_compiled_step_raises_backwards_overflow_error(backend):
    w = Value(1.0, label="w")
    step = compile(lambda x: (w * x).sqrt() * 1e300, [w], example=(1.0,), backend=backend)
    with pytest.raises(OverflowError, match="backward: the gradient passed back from"):
        step([1.0, 1e-300])
    with pytest.raises(OverflowError, match="gradients: the gradient passed back from"):
        step.check([1.0, 1e-300])


def test_an_overflow_that_reaches_no_requested_gradient_is_not_refused():
    x, other = Value(1e-300, label="x"), Value(2.0, label="other")
    root = _steep(x) + other
    assert gradients(root, [other]) == [1.0]  # only d root / d x overflows


def test_gradients_refuses_wrong_root_and_wrt_by_name():
    x = Value(1.0)
    with pytest.raises(TypeError, match="gradients needs a Value"):
        gradients(2.0, [x])
    with pytest.raises(TypeError, match=r"gradients: wrt\[1\] must be a Value"):
        gradients(x * 2, [x, 2.0])
    with pytest.raises(TypeError, match="wrap a single node"):
        gradients(x * 2, x)


# --- reading a graph after a huge backward; refusing only what is really not finite --------
def _huge_graph():
    x = Value(1e300, label="x")
    z = x * 1e-300  # the constant's gradient, 1e300 * 1e10, would overflow
    z.backward(1e10)
    return x, z


@pytest.mark.parametrize("read", [zero_grad, creation_order, topological_order,
                                  lambda z: z.parents, lambda z: z.local],
                         ids=["zero_grad", "creation_order", "topological_order", "parents",
                              "local"])
def test_reading_the_graph_after_a_successful_huge_backward_never_overflows(read):
    x, z = _huge_graph()
    assert x.grad == 1e-290
    read(z)
    leaf = z.parents[1]
    assert leaf.data == 1e-300 and leaf.grad == 0.0 and not leaf.requires_grad


def test_drawing_after_a_huge_backward_works():
    from autograd import draw
    _, z = _huge_graph()
    svg = draw(z).pipe(format="svg").decode()
    assert "grad 1.000e&#45;290" in svg  # x's gradient; the constant shows none


def test_division_by_a_tiny_number_is_refused_only_when_something_needed_is_infinite():
    x = Value(1.0, label="x")
    y = x / 1e-160
    y.backward()
    assert (y.data, x.grad) == (1e160, 1e160)
    assert y.parents[1].data == 1e-160  # the constant can be read (its own derivative is inf)
    with pytest.raises(OverflowError, match="not a finite float"):
        x / 1e-320  # the VALUE overflows: refused
    with pytest.raises(ZeroDivisionError):
        x / 0.0
