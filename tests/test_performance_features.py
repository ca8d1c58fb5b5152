"""The engine features that exist for speed: creation order, order reuse, deep graphs, memory.

No timings here (they belong to `python -m benchmarks`); every test checks values or bytes.
Tolerances: gradients that are exact sums of products compare with ==; the deep chain's
gradient 1.0001**N is a product of N roundings, so it is compared with rel. error 1e-9.
"""
import gc
import tracemalloc

import pytest

import nn
from autograd import Value, backward, topological_order, vsum, zero_grad
from autograd.graph import creation_order


def _small_graph():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = a * b          # -6
    d = c + b ** 2     # 3
    e = (d * a).relu() + 2 * c   # relu(6) - 12 = -6
    return a, b, c, d, e


def test_creation_order_is_a_topological_order_of_the_same_nodes():
    a, b, c, d, e = _small_graph()
    order = creation_order(e)
    position = {id(node): i for i, node in enumerate(order)}
    assert len(position) == len(order)  # each node once
    assert {id(n) for n in order} == {id(n) for n in topological_order(e)}
    assert order[-1] is e
    for node in order:
        for parent in node.parents:
            assert position[id(parent)] < position[id(node)]


def test_a_child_is_numbered_after_its_parents():
    a = Value(1.0)
    b = a * 3 + 1
    assert b._serial > b.parents[0]._serial > a._serial


def test_backward_with_a_reused_order_gives_the_same_gradients():
    a, b, c, d, e = _small_graph()
    e.backward()
    expected = (a.grad, b.grad, c.grad, d.grad)
    # de/da = d + a * b + 2b = 3 - 6 - 6 = -9; de/db = a*(a + 2b) + 2a = 2*(-4) + 4 = -4
    assert expected[:2] == (-9.0, -4.0)
    zero_grad(e)
    order = creation_order(e)
    backward(e, order=order)
    assert (a.grad, b.grad, c.grad, d.grad) == expected
    e.backward(order=topological_order(e))  # any topological order works; leaves accumulate
    assert (a.grad, b.grad) == (-18.0, -8.0)
    assert (c.grad, d.grad) == expected[2:]  # interior grads are recomputed, not doubled


def test_backward_refuses_an_order_made_for_another_root_or_by_hand():
    a, b, c, d, e = _small_graph()
    with pytest.raises(ValueError, match=r"order must be creation_order\(root\) or "
                                         r"topological_order\(root\) made for this root"):
        backward(e, order=creation_order(d))
    with pytest.raises(ValueError, match="made for this root"):
        backward(e, order=[])
    # an incomplete hand-made order (the root last, a middle node left out) used to give
    # silently wrong gradients; now it is refused before any grad changes
    partial = [node for node in creation_order(e) if node is not d]
    e.backward()
    before = (a.grad, b.grad)
    with pytest.raises(ValueError, match="could leave nodes out"):
        backward(e, order=partial)
    assert (a.grad, b.grad) == before


def test_nary_sum_and_repeated_parents_backpropagate_through_every_edge():
    x = Value(1.5)
    s = vsum([x, x * x, 2 * x, 7])  # ds/dx = 1 + 2x + 2 = 6
    y = s * s                         # dy/dx = 2 s * 6 with s = 1.5 + 2.25 + 3 + 7 = 13.75
    y.backward()
    assert x.grad == 2 * 13.75 * 6.0


def test_a_chain_of_300000_op_nodes_backpropagates_without_recursion():
    steps = 100_000
    x = Value(0.5)
    y = x
    for _ in range(steps):
        y = (y * 1.0001 + 0.0001).relu()
    y.backward()
    # every relu is active (y grows from 0.5), so dy/dx = 1.0001 ** steps
    assert x.grad == pytest.approx(1.0001 ** steps, rel=1e-9)


def _build_and_drop(n: int) -> int:
    """Build and back-propagate a graph of n products, drop it; return its traced size."""
    start = tracemalloc.get_traced_memory()[0]
    leaves = [Value(float(i)) for i in range(n)]
    root = vsum(a * b for a, b in zip(leaves, leaves[1:]))
    root.backward()
    size = tracemalloc.get_traced_memory()[0] - start
    del root, leaves
    return size


def test_a_graph_is_freed_by_reference_counting_alone():
    # No node refers back to itself (no closures), so dropping the root frees the whole graph
    # even with the cyclic collector switched off. The first round fills CPython's tuple free
    # lists (kept, not leaked); after that, memory must come back to the same level every time.
    was_enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    tracemalloc.start()
    try:
        _build_and_drop(5000)
        settled = tracemalloc.get_traced_memory()[0]
        sizes = [_build_and_drop(5000) for _ in range(3)]
        left = tracemalloc.get_traced_memory()[0] - settled
    finally:
        tracemalloc.stop()
        if was_enabled:
            gc.enable()
    assert min(sizes) > 500_000  # the graph really was built (5000 products, > 100 B each)
    assert left < 2_000  # and freed three times over: nothing accumulates


def test_fifty_training_steps_do_not_grow_memory():
    X, labels = nn.datasets.make_moons(20, noise=0.1, seed=0)
    y = [2.0 * t - 1.0 for t in labels]
    model = nn.MLP(2, [8, 1], activation="relu", seed=0)
    opt = nn.optim.SGD(model.parameters(), lr=0.05)

    def step():
        loss = nn.hinge_loss([model(x) for x in X], y) + 1e-4 * nn.l2_penalty(model)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss.data

    losses = [step() for _ in range(10)]
    gc.collect()
    tracemalloc.start()
    try:
        after_10 = tracemalloc.get_traced_memory()[0]
        losses += [step() for _ in range(40)]
        gc.collect()
        after_50 = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert after_50 - after_10 < 20_000  # one step's graph alone is ~500 KB
    assert gc.isenabled()
    assert losses[-1] < losses[0]  # and the steps did train


# --- the slot layout (autograd.value): `parents`/`local` tuples built from one object per node ---

def _kinds():
    """A leaf, a constant, a unary, a binary, a binary with a repeated parent and an n-ary node."""
    x, y = Value(2.0, label="x"), Value(-0.5, label="y")
    c = x * 3            # 3 becomes a constant leaf
    return {"leaf": (x, (), ()),
            "constant": (c.parents[1], (), ()),
            "unary": (x ** 3, (x,), (12.0,)),
            "binary": (x * y, (x, y), (-0.5, 2.0)),
            "repeated": (x * x, (x, x), (2.0, 2.0)),
            "nary": (vsum([x, y, x, c]), (x, y, x, c), (1.0, 1.0, 1.0, 1.0))}


@pytest.mark.parametrize("kind", ["leaf", "constant", "unary", "binary", "repeated", "nary"])
def test_parents_and_local_are_the_parallel_tuples_of_every_kind_of_node(kind):
    node, parents, local = _kinds()[kind]
    assert type(node.parents) is tuple and type(node.local) is tuple
    assert len(node.parents) == len(parents) and all(p is q for p, q in zip(node.parents, parents))
    assert node._prev == node.parents  # micrograd's name, kept as an alias
    assert node.local == local  # exact: 3 * 2**2 = 12 and the other rules give exact floats
    assert node.is_leaf == (parents == ())


def test_leaves_store_no_parent_slots_and_op_nodes_store_them_by_arity():
    nodes = _kinds()
    leaf = nodes["leaf"][0]
    for name in ("_p0", "_p1", "_d0", "_d1", "_arg"):  # never set on a leaf: nothing to pay
        with pytest.raises(AttributeError):
            getattr(leaf, name)
    assert leaf.requires_grad and not leaf.creation_number % 2  # requires_grad: a bit of it
    unary, binary, nary = nodes["unary"][0], nodes["binary"][0], nodes["nary"][0]
    assert (unary._p0, unary._p1, unary._d0, unary.arg) == (nodes["leaf"][0], None, 12.0, 3)
    assert (binary._p1.label, binary._d0, binary._d1) == ("y", -0.5, 2.0)
    assert nary._p0 is None and nary._p1 is None
    assert nary._arg == nary.parents and nary._d0 == nary.local  # two slots, no pair tuple
    relu = nodes["leaf"][0].relu()
    # An op node leaves unset what it does not use (no store, nothing for the collector to
    # visit)
    for node, unset in ((binary, ("_arg",)), (relu, ("_arg", "_d1")), (nary, ("_d1",))):
        for name in unset:
            with pytest.raises(AttributeError):
                getattr(node, name)
        assert (node.label, node.requires_grad, node.arg) == ("", True, None)
    relu.named("r")
    relu.requires_grad = False  # allowed on an op node, as before: backward ignores it there
    assert (relu.label, relu.requires_grad) == ("r", False)
    relu.backward()
    assert nodes["leaf"][0].grad == 1.0


def test_requires_grad_is_a_bit_of_the_creation_number_that_never_reorders_nodes():
    a = Value(1.0)
    c = Value(2.0, requires_grad=False)
    b = Value(3.0)
    folded = 2.0 * b  # its constant leaf, made on reading, sorts between b and the product
    numbers = [a.creation_number, c.creation_number, b.creation_number]
    assert numbers == sorted(numbers) and [n % 2 for n in numbers] == [0, 1, 0]
    for flag in (True, False, True, False):
        c.requires_grad = flag
        assert c.requires_grad is flag
        assert a.creation_number < c.creation_number < b.creation_number
    leaf = folded.parents[0]
    assert not leaf.requires_grad and leaf.data == 2.0
    assert b.creation_number < leaf.creation_number < folded.creation_number
    y = a * c + folded
    y.backward()
    assert (a.grad, c.grad, b.grad, leaf.grad) == (2.0, 0.0, 2.0, 0.0)  # constants keep 0.0


def test_setting_local_changes_what_backward_uses_and_checks_its_length():
    x, y = Value(2.0), Value(-0.5)
    z = x * y
    z.local = (7.0, 0.25)  # what tests/test_gradcheck.py does to plant a wrong derivative
    assert z.local == (7.0, 0.25)
    z.backward()
    assert (x.grad, y.grad) == (7.0, 0.25)
    u = x.tanh()
    u.local = [0.5]  # any sequence; stored as the node's one local derivative
    assert u.local == (0.5,)
    s = vsum([x, y, z])
    s.local = (1.0, 2.0, 3.0)
    assert s.local == (1.0, 2.0, 3.0) and s.parents == (x, y, z)
    with pytest.raises(ValueError, match=r"local needs 2 local derivative\(s\), one per parent, got 1"):
        z.local = (1.0,)
    with pytest.raises(ValueError, match="needs 0 local derivative"):
        x.local = (1.0,)
    x.local = ()  # a leaf has none: setting none is allowed and changes nothing
    assert x.local == () and z.local == (7.0, 0.25)


def test_a_unit_edge_into_a_zero_grad_passes_the_seed_itself_and_values_stay_exact():
    a, b = Value(0.25), Value(-3.0)
    s = vsum([a * b, a + b])  # every edge of the sum and of `+` has local derivative 1.0
    s.backward(grad=0.3)
    product, total = s.parents
    assert product.grad is total.grad is s.grad  # shared float, no new equal one per node
    # a gets 0.3 * b + 0.3 along two edges, b gets 0.3 * a + 0.3: the same floats as a + 1.0 * g
    assert a.grad == 0.0 + (-3.0) * 0.3 + 1.0 * 0.3 and b.grad == 0.0 + 0.25 * 0.3 + 1.0 * 0.3


def test_a_folded_number_keeps_its_side_without_a_slot_of_its_own():
    x = Value(2.0, label="x")
    left, right = 3.0 - x, x - 3.0
    assert left._serial % 8 == 4 and right._serial % 8 == 0  # the side, in the number
    assert left.parents[1] is x and left.parents[0].data == 3.0 and left.local == (1.0, -1.0)
    assert right.parents[0] is x and right.parents[1].data == 3.0 and right.local == (1.0, -1.0)
    for node in (left, right):  # the constant sorts after x and before the node it stands for
        assert x._serial < min(p._serial for p in node.parents if p is not x) < node._serial
    assert left.creation_number < right.creation_number and type(left.creation_number) is int
