"""The seeds' networks rebuilt with nn.MLP.from_weights, checked against an independent
plain-float computation (hand-written chain rule, no engine) written out in this file.

Tolerance: the engine and the reference do the same arithmetic in a different order, so they
agree to ~1e-15; we assert rel 1e-12. Where the printed solution is right, its rounded values
are also asserted (abs 5e-7 for 6-decimal numbers), which pins the set-up itself.
"""
import math

import pytest

import nn
from autograd import Value, topological_order

REL = 1e-12


def sig(z):
    return 1.0 / (1.0 + math.exp(-z))


# --- seed 002: 2-2-1 sigmoid net, one SGD step with lr 0.5 ----------------------------------
X2, Y2, LR2 = [0.05, 0.10], 0.01, 0.5
W1, B1, W2, B2 = [[0.15, 0.20], [0.25, 0.30]], [0.35, 0.35], [0.40, 0.45], 0.60


def seed002_reference(W1, B1, W2, B2):
    """Forward values, loss and every gradient of L = 1/2 (yhat - y)^2, by hand."""
    z1 = [W1[j][0] * X2[0] + W1[j][1] * X2[1] + B1[j] for j in range(2)]
    a1 = [sig(z) for z in z1]
    z2 = W2[0] * a1[0] + W2[1] * a1[1] + B2
    yhat = sig(z2)
    loss = 0.5 * (yhat - Y2) ** 2
    d2 = (yhat - Y2) * yhat * (1 - yhat)                       # dL/dz2
    d1 = [W2[j] * d2 * a1[j] * (1 - a1[j]) for j in range(2)]  # dL/dz1_j
    grads = {"W1": [[d1[j] * X2[i] for i in range(2)] for j in range(2)], "b1": d1,
             "W2": [d2 * a1[j] for j in range(2)], "b2": d2}
    return {"z1": z1, "a1": a1, "z2": z2, "yhat": yhat, "loss": loss, "grads": grads}


def seed002_model():
    return nn.MLP.from_weights([W1, [W2]], [B1, [B2]], activation="sigmoid",
                               output_activation="sigmoid",
                               weight_labels=[[["w1", "w2"], ["w3", "w4"]], [["w5", "w6"]]],
                               bias_labels=[["b1", "b2"], ["b3"]])


def test_seed002_forward_values_and_labels():
    ref = seed002_reference(W1, B1, W2, B2)
    model = seed002_model()
    yhat = model(X2)
    loss = nn.half_sse(yhat, Y2)
    nodes = {v.label: v for v in topological_order(loss)}
    for j in range(2):
        assert nodes[f"layers.0.neurons.{j}.z"].data == pytest.approx(ref["z1"][j], rel=REL)
        assert nodes[f"layers.0.neurons.{j}.a"].data == pytest.approx(ref["a1"][j], rel=REL)
    assert nodes["layers.1.neurons.0.z"].data == pytest.approx(ref["z2"], rel=REL)
    assert yhat.data == pytest.approx(ref["yhat"], rel=REL)
    assert loss.data == pytest.approx(ref["loss"], rel=REL)
    # the printed forward values that are right (the printed loss 0.274811 is: 0.2748109...)
    assert ref["z1"] == pytest.approx([0.3775, 0.3925], abs=1e-15)
    assert ref["a1"] == pytest.approx([0.593269992, 0.596884378], abs=5e-10)
    assert yhat.data == pytest.approx(0.751365, abs=5e-7)
    assert loss.data == pytest.approx(0.274811, abs=5e-7)
    assert [p.label for p in model.parameters()] == ["w1", "w2", "b1", "w3", "w4", "b2",
                                                     "w5", "w6", "b3"]


def test_seed002_every_gradient_update_and_new_loss():
    ref = seed002_reference(W1, B1, W2, B2)
    model = seed002_model()
    opt = nn.SGD(model.parameters(), lr=LR2)
    opt.zero_grad()
    nn.half_sse(model(X2), Y2).backward()
    g = {p.label: p.grad for p in model.parameters()}
    expected = [ref["grads"]["W1"][0][0], ref["grads"]["W1"][0][1], ref["grads"]["b1"][0],
                ref["grads"]["W1"][1][0], ref["grads"]["W1"][1][1], ref["grads"]["b1"][1],
                ref["grads"]["W2"][0], ref["grads"]["W2"][1], ref["grads"]["b2"]]
    assert list(g.values()) == pytest.approx(expected, rel=REL)
    # The printed dL/dW2 and dL/db2 are right to 6 decimals (its W1 row 2 gradients are slips).
    assert [g["w5"], g["w6"], g["b3"]] == pytest.approx([0.082167, 0.082668, 0.138499], abs=1e-6)
    opt.step()
    new = {p.label: p.data for p in model.parameters()}
    old = dict(zip(g, [0.15, 0.20, 0.35, 0.25, 0.30, 0.35, 0.40, 0.45, 0.60]))
    for name in g:
        assert new[name] == pytest.approx(old[name] - LR2 * g[name], rel=REL)
    W1n = [[new["w1"], new["w2"]], [new["w3"], new["w4"]]]
    ref_new = seed002_reference(W1n, [new["b1"], new["b2"]], [new["w5"], new["w6"]], new["b3"])
    new_loss = nn.half_sse(model(X2), Y2)
    assert new_loss.data == pytest.approx(ref_new["loss"], rel=REL)
    assert new_loss.data < ref["loss"]
    assert new_loss.data == pytest.approx(0.2580149, abs=5e-8)  # the seed printed 0.2570 (a slip)


# --- seed 003 Q3: 3-2-1 sigmoid net, every partial derivative -------------------------------
X3, Y3 = [0.02, 0.03, -2.06], 0.61
H_ROWS, H_B = [[0.36, 0.74, -0.28], [0.29, -0.27, -0.84]], [0.7, 0.17]
O_ROW, O_B = [0.4, 1.16], -0.41


def test_seed003_q3_every_partial():
    z11 = sum(w * x for w, x in zip(H_ROWS[0], X3)) + H_B[0]
    z21 = sum(w * x for w, x in zip(H_ROWS[1], X3)) + H_B[1]
    y11, y21 = sig(z11), sig(z21)
    z12 = O_ROW[0] * y11 + O_ROW[1] * y21 + O_B
    yhat = sig(z12)
    d_yhat = yhat - Y3
    d_z12 = d_yhat * yhat * (1 - yhat)
    d_y11, d_y21 = d_z12 * O_ROW[0], d_z12 * O_ROW[1]
    d_z11, d_z21 = d_y11 * y11 * (1 - y11), d_y21 * y21 * (1 - y21)
    ref = {"w11-1": d_z11 * X3[0], "w21-1": d_z11 * X3[1], "w31-1": d_z11 * X3[2],
           "B1-1": d_z11, "w12-1": d_z21 * X3[0], "w22-1": d_z21 * X3[1],
           "w32-1": d_z21 * X3[2], "B2-1": d_z21, "w11-2": d_z12 * y11, "w21-2": d_z12 * y21,
           "B1-2": d_z12}
    model = nn.MLP.from_weights([H_ROWS, [O_ROW]], [H_B, [O_B]], "sigmoid", "sigmoid",
                                weight_labels=[[["w11-1", "w21-1", "w31-1"],
                                                ["w12-1", "w22-1", "w32-1"]],
                                               [["w11-2", "w21-2"]]],
                                bias_labels=[["B1-1", "B2-1"], ["B1-2"]])
    xs = [Value(x, label=f"x{i + 1}") for i, x in enumerate(X3)]  # inputs with gradients
    out = model(xs)
    loss = nn.half_sse(out, Y3)
    loss.backward()
    nodes = {v.label: v for v in topological_order(loss)}
    assert {p.label: p.grad for p in model.parameters()} == pytest.approx(ref, rel=REL)
    interior = {"layers.1.neurons.0.a": d_yhat, "layers.1.neurons.0.z": d_z12,
                "layers.0.neurons.0.a": d_y11, "layers.0.neurons.1.a": d_y21,
                "layers.0.neurons.0.z": d_z11, "layers.0.neurons.1.z": d_z21}
    for label, expected in interior.items():
        assert nodes[label].grad == pytest.approx(expected, rel=REL), label
    for i, x in enumerate(xs):
        assert x.grad == pytest.approx(d_z11 * H_ROWS[0][i] + d_z21 * H_ROWS[1][i], rel=REL)
    # the seed's forward values and rounded partials that are right
    assert (z11, z21) == pytest.approx((1.3062, 1.8981), abs=1e-12)
    assert out.data == pytest.approx(0.7137, abs=5e-5)
    assert [ref["B1-2"], ref["w11-2"], ref["w21-2"]] == pytest.approx([0.0212, 0.0167, 0.0184],
                                                                      abs=5e-5)


# --- seed 000 Q1-Q2: 4x4 softmax classifier without bias, lr 0.2 ----------------------------
W0 = [[-0.57, 1.24, -3.37, 6.43], [-5.53, -1.13, -8.05, 3.21],
      [4.23, 0.98, -2.53, -7.67], [-2.31, -1.84, 6.93, -8.66]]
SAMPLES = [[1.52, 2.63, 5.37, 4.94], [8.87, 1.25, 4.49, 0.12],
           [3.22, 4.63, 3.55, 5.41], [1.38, 0.63, 2.90, 8.52]]
CLASSES = [0, 0, 1, 3]  # cat, cat, dog, horse


def seed000_reference():
    """Summed gradient sum_n (P_n - Y_n) x_n^T with a max-shifted softmax, by hand."""
    grad = [[0.0] * 4 for _ in range(4)]
    loss = 0.0
    for x, c in zip(SAMPLES, CLASSES):
        z = [sum(W0[k][i] * x[i] for i in range(4)) for k in range(4)]
        m = max(z)
        e = [math.exp(zk - m) for zk in z]
        p = [ek / sum(e) for ek in e]
        loss += -(z[c] - m - math.log(sum(e)))
        for k in range(4):
            for i in range(4):
                grad[k][i] += (p[k] - (1.0 if k == c else 0.0)) * x[i]
    return loss, grad


def test_seed000_softmax_classifier_gradient_and_update():
    ref_loss, ref_grad = seed000_reference()
    model = nn.MLP.from_weights([W0], None, output_activation="linear")
    assert model.num_parameters() == 16  # no biases
    logits = [model(x) for x in SAMPLES]
    # exp(-86) stays harmless; the seed printed -86.2379 for this logit (a slip: -86.2229)
    assert logits[1][1].data == pytest.approx(-86.2229, abs=1e-12)
    loss = nn.cross_entropy(logits, CLASSES, reduction="sum")
    assert loss.data == pytest.approx(ref_loss, rel=REL)
    opt = nn.SGD(model, lr=0.2)
    opt.zero_grad()
    loss.backward()
    grad = [[n.w[i].grad for i in range(4)] for n in model.layers[0].neurons]
    for k in range(4):
        assert grad[k] == pytest.approx(ref_grad[k], rel=1e-9, abs=1e-12)
    # The seed's summed gradient (rounded to 2 decimals) is right: P is 0 or 1 up to ~6e-9.
    printed = [[-4.27, 4.01, 1.96, 13.81], [-3.22, -4.63, -3.55, -5.41],
               [8.87, 1.25, 4.49, 0.12], [-1.38, -0.63, -2.90, -8.52]]
    for k in range(4):
        assert grad[k] == pytest.approx(printed[k], abs=1e-7)
    opt.step()
    new = [[n.w[i].data for i in range(4)] for n in model.layers[0].neurons]
    for k in range(4):
        assert new[k] == pytest.approx([W0[k][i] - 0.2 * ref_grad[k][i] for i in range(4)],
                                       rel=REL)
    printed_new = [[0.284, 0.438, -3.762, 3.668], [-4.886, -0.204, -7.340, 4.292],
                   [2.456, 0.730, -3.428, -7.694], [-2.034, -1.714, 7.510, -6.956]]
    for k in range(4):
        assert new[k] == pytest.approx(printed_new[k], abs=1e-8)
