"""Smoke tests of the core API that the README shows."""
from autograd import Value


def test_readme_example():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = a * b + b ** 2
    c.backward()
    assert c.data == 3.0
    assert (a.grad, b.grad) == (-3.0, -4.0)


def test_reuse_needs_topological_order():
    a = Value(3.0)
    b = a + a
    c = b + b
    c.backward()
    assert a.grad == 4.0
    assert b.grad == 2.0
