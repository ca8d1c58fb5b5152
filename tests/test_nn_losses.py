"""Losses and softmax: values and gradients against closed forms (seeds 001, 003 Part B, 004)
computed with plain floats here, plus autograd.gradcheck (central differences, rtol 1e-5).

Tolerances: closed forms vs backward agree to rounding, asserted at rel 1e-12 (abs 1e-15).
"""
import math

import pytest

import nn
from autograd import Value, creation_order, gradcheck

REL, ABS = 1e-12, 1e-15


def leaves(xs):
    return [Value(x, label=f"v{i}") for i, x in enumerate(xs)]


def grads_of(loss, vs):
    loss.backward()
    return [v.grad for v in vs]


def ref_softmax(z):
    m = max(z)
    e = [math.exp(v - m) for v in z]
    return [v / sum(e) for v in e]


@pytest.mark.parametrize("z", [[1.0, 2.0, 3.0], [16.0621, -38.7486, -42.4689, -13.9217],
                               [-17.8656, -86.2229, 26.465, 7.2868], [1000.0, -1000.0, 0.0]])
def test_softmax_and_log_softmax_stable_and_exact(z):
    p = nn.softmax(z)
    assert [v.data for v in p] == pytest.approx(ref_softmax(z), rel=REL, abs=ABS)
    assert math.fsum(v.data for v in p) == pytest.approx(1.0, abs=1e-15)
    m = max(z)
    lse = m + math.log(sum(math.exp(v - m) for v in z))
    assert [v.data for v in nn.log_softmax(z)] == pytest.approx([v - lse for v in z], rel=REL)
    assert nn.logsumexp(z).data == pytest.approx(lse, rel=REL)


def test_log_softmax_of_a_near_certain_class_keeps_its_digits():
    # Seed 000, sample x1: P_cat = 1 - 9.558122360e-14, so -log P_cat = 9.558122360e-14 (40-digit
    # mpmath value). The only unavoidable error is rounding 1 + 9.56e-14 to a float (at most half
    # an ulp of 1, 1.11e-16); adding the max logit (16.06) back before subtracting it again cost
    # up to 1.8e-15 more (the result was 9.592e-14, 0.36 % off).
    z = [16.0621, -38.7486, -42.4689, -13.9167]
    loss = nn.cross_entropy(z, 0)
    assert loss.data == pytest.approx(9.558122360172113e-14, abs=1.2e-16)
    assert nn.log_softmax(z)[0].data == pytest.approx(-9.558122360172113e-14, abs=1.2e-16)


def test_softmax_jacobian_closed_form():
    z = [0.5, -1.0, 2.0]
    p = ref_softmax(z)
    for i in range(3):
        vs = leaves(z)
        nn.softmax(vs)[i].backward()
        expected = [p[i] * ((1.0 if i == j else 0.0) - p[j]) for j in range(3)]
        assert [v.grad for v in vs] == pytest.approx(expected, rel=1e-12, abs=1e-16)


@pytest.mark.parametrize("target", [2, [0.0, 0.0, 1.0, 0.0], [0.1, 0.2, 0.3, 0.4]])
def test_cross_entropy_gradient_is_p_minus_y(target):
    z = [0.3, -1.2, 2.5, 0.0]
    y = [1.0 if k == target else 0.0 for k in range(4)] if isinstance(target, int) else target
    p = ref_softmax(z)
    vs = leaves(z)
    loss = nn.cross_entropy(vs, target)
    assert loss.data == pytest.approx(-sum(yk * math.log(pk) for yk, pk in zip(y, p)), rel=REL)
    assert grads_of(loss, vs) == pytest.approx([pk - yk for pk, yk in zip(p, y)], rel=REL, abs=ABS)
    gradcheck(lambda *a: nn.cross_entropy(list(a), target), z)


def test_cross_entropy_batch_mean_divides_by_n_and_large_logits_are_finite():
    batch = [[86.0, -86.0], [-86.0, 86.0], [0.0, 1.0]]
    vs = [leaves(z) for z in batch]
    loss = nn.cross_entropy(vs, [1, 1, 0], reduction="mean")
    ref = [-(z[c] - max(z) - math.log(sum(math.exp(v - max(z)) for v in z)))
           for z, c in zip(batch, [1, 1, 0])]
    assert loss.data == pytest.approx(sum(ref) / 3, rel=REL)
    loss.backward()
    for z, v, c in zip(batch, vs, [1, 1, 0]):
        expected = [(pk - (k == c)) / 3 for k, pk in enumerate(ref_softmax(z))]
        assert [x.grad for x in v] == pytest.approx(expected, rel=REL, abs=ABS)
    # -log softmax(86, -86)[1] = 172 + log(1 + e^-172): finite, where e^86 / sum would not be
    assert nn.cross_entropy(batch[0], 1).data == pytest.approx(172.0, rel=1e-15)


def test_binary_cross_entropy_through_sigmoid_gradient_is_yhat_minus_y():
    for a, y in [(0.7, 1.0), (-2.0, 0.0), (0.3, 0.25)]:
        av = Value(a, label="a")
        yhat = 1 / (1 + math.exp(-a))
        loss = nn.binary_cross_entropy(av.sigmoid(), y)
        assert loss.data == pytest.approx(-(y * math.log(yhat) + (1 - y) * math.log(1 - yhat)),
                                          rel=REL)
        assert grads_of(loss, [av]) == pytest.approx([yhat - y], rel=1e-11)
        bv = Value(a)
        logit_loss = nn.binary_cross_entropy_with_logits(bv, y)
        assert logit_loss.data == pytest.approx(loss.data, rel=1e-12)
        assert grads_of(logit_loss, [bv]) == pytest.approx([yhat - y], rel=1e-12)
        gradcheck(lambda v: nn.binary_cross_entropy_with_logits(v, y), [a])
        gradcheck(lambda v: nn.binary_cross_entropy(v.sigmoid(), y), [a])


def test_bce_with_logits_is_exact_where_probabilities_saturate():
    z = Value(800.0)
    loss = nn.binary_cross_entropy_with_logits([z, -800.0], [0.0, 0.0], reduction="sum")
    assert loss.data == 800.0  # softplus(800) + softplus(-800) = 800 + ~0
    loss.backward()
    assert z.grad == 1.0
    with pytest.raises(ValueError, match="binary_cross_entropy_with_logits"):
        nn.binary_cross_entropy(Value(40.0).sigmoid(), 0.0)  # sigmoid(40) rounds to 1.0
    assert nn.binary_cross_entropy(Value(40.0).sigmoid(), 1.0).data == 0.0


def test_hinge_gradient_is_minus_y_inside_the_margin():
    s, y = [0.3, -2.0, 1.5, -0.2], [1.0, -1.0, 1.0, 1.0]
    vs = leaves(s)
    loss = nn.hinge_loss(vs, y, reduction="sum")
    assert loss.data == pytest.approx(sum(max(0.0, 1 - yi * si) for si, yi in zip(s, y)), rel=REL)
    assert grads_of(loss, vs) == [-yi if yi * si < 1 else 0.0 for si, yi in zip(s, y)]
    gradcheck(lambda *a: nn.hinge_loss(list(a), y), s)
    with pytest.raises(ValueError, match="2 \\* label - 1"):
        nn.hinge_loss([0.5], [0])


def test_l1_half_sse_mse_gradients():
    p, t = [0.5, -1.0, 2.0], [1.0, -1.0, 0.0]
    vs = leaves(p)
    assert grads_of(nn.l1_loss(vs, t, reduction="sum"), vs) == [-1.0, 0.0, 1.0]  # sign, 0 at 0
    vs = leaves(p)
    loss = nn.half_sse(vs, t)
    assert loss.data == pytest.approx(0.5 * (0.25 + 0.0 + 4.0), rel=REL)
    assert grads_of(loss, vs) == pytest.approx([pi - ti for pi, ti in zip(p, t)], rel=REL)
    vs = leaves(p)
    loss = nn.mse_loss(vs, t)
    assert loss.data == pytest.approx(4.25 / 3, rel=REL)
    assert grads_of(loss, vs) == pytest.approx([2 * (pi - ti) / 3 for pi, ti in zip(p, t)], rel=REL)
    gradcheck(lambda *a: nn.l1_loss(list(a), t), [0.6, -0.8, 1.7])
    gradcheck(lambda *a: nn.mse_loss(list(a), t), p)
    gradcheck(lambda *a: nn.half_sse(list(a), t), p)


def test_huber_both_regions():
    p, t, delta = [0.2, 3.0, -4.0], [0.0, 0.0, 0.0], 1.5
    vs = leaves(p)
    loss = nn.huber_loss(vs, t, delta=delta, reduction="sum")
    assert loss.data == pytest.approx(0.5 * 0.04 + 1.5 * (3.0 - 0.75) + 1.5 * (4.0 - 0.75), rel=REL)
    assert grads_of(loss, vs) == pytest.approx([0.2, 1.5, -1.5], rel=REL)
    gradcheck(lambda *a: nn.huber_loss(list(a), t, delta=delta), p)
    with pytest.raises(ValueError, match="delta"):
        nn.huber_loss([1.0], [0.0], delta=0)


def test_cosine_similarity_closed_form():
    y, yhat = [1.0, 2.0, -1.0], [0.5, -0.3, 2.0]
    ny, nh = math.sqrt(sum(v * v for v in y)), math.sqrt(sum(v * v for v in yhat))
    cos = sum(a * b for a, b in zip(y, yhat)) / (ny * nh)
    vs = leaves(yhat)
    j = nn.cosine_similarity(y, vs)
    assert j.data == pytest.approx(cos, rel=REL)
    expected = [y[i] / (ny * nh) - yhat[i] * cos / nh ** 2 for i in range(3)]
    assert grads_of(j, vs) == pytest.approx(expected, rel=1e-12)
    gradcheck(lambda *a: nn.cosine_similarity(y, list(a)), yhat)
    with pytest.raises(ValueError, match="second vector is zero"):
        nn.cosine_similarity([1.0, 2.0], [0.0, 0.0])


def test_bad_inputs_raise_specific_errors():
    with pytest.raises(ValueError, match="2 predictions but 3 targets"):
        nn.mse_loss([1.0, 2.0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="unknown reduction 'avg'"):
        nn.l1_loss([1.0], [1.0], reduction="avg")
    with pytest.raises(ValueError, match="class index 4 out of range for 4 classes"):
        nn.cross_entropy([0.0] * 4, 4)
    with pytest.raises(TypeError, match="class index"):
        nn.cross_entropy([0.0] * 4, 1.0)
    with pytest.raises(ValueError, match="targets must lie in \\[0, 1\\]"):
        nn.binary_cross_entropy_with_logits([0.0], [2.0])
    with pytest.raises(TypeError, match="str"):
        nn.softmax(["a", 1.0])
    assert [v.data for v in nn.l1_loss([1.0, 3.0], [0.0, 0.0], reduction="none")] == [1.0, 3.0]


def _ops(node):
    """The graph's shape: each node's op and its parents' positions, in creation order."""
    order = creation_order(node)
    slot = {id(n): i for i, n in enumerate(order)}
    return [(n.op, tuple(slot[id(p)] for p in n.parents)) for n in order]


def test_binary_cross_entropy_builds_one_graph_shape_for_hard_and_soft_targets():
    # trace-safe (autograd.compile): no term is left out for y = 0 or y = 1
    shapes = {str(_ops(nn.binary_cross_entropy(Value(p), y)))
              for p, y in [(0.3, 0.0), (0.3, 1.0), (0.3, 0.25), (0.0, 0.0), (1.0, 1.0)]}
    assert len(shapes) == 1
    # a zero-weight term meeting log(0) adds exactly 0 and no gradient
    for p, y, dp in [(0.0, 0.0, 1.0), (1.0, 1.0, -1.0)]:  # d/dp -log(1 - p) = 1 at p = 0, ...
        pv = Value(p)
        loss = nn.binary_cross_entropy(pv, y)
        assert loss.data == 0.0
        assert grads_of(loss, [pv]) == [dp]
    # a weighted term is unchanged: a tiny (subnormal) probability with y = 1 keeps its log
    tiny = Value(1e-308)
    assert nn.binary_cross_entropy(tiny, 1.0).data == -math.log(1e-308)
    assert grads_of(nn.binary_cross_entropy(tiny, 1.0), [tiny]) == [-1.0 / 1e-308]


def test_softmax_and_logsumexp_build_one_graph_shape_whichever_logit_is_largest():
    for f in (lambda z: nn.softmax(z)[0], nn.logsumexp, lambda z: nn.log_softmax(z)[0]):
        shapes = {str(_ops(f([Value(v) for v in z])))
                  for z in ([3.0, -1.0, 0.5], [-1.0, 3.0, 0.5], [0.0, -900.0, 1e308])}
        assert len(shapes) == 1
    z = [Value(1e308), Value(-1e308)]
    nn.logsumexp(z).backward()  # z_2 - m would overflow: the floor keeps the graph finite
    assert [v.grad for v in z] == [1.0, 0.0]
