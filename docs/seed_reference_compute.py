"""Independent reference values for the worked examples in the seed solutions.

Run:  python docs/seed_reference_compute.py

Everything here is written out by hand with the chain rule on plain Python
floats (no autodiff library).  As a second, independent check every gradient
is also recomputed by symbolic differentiation with sympy on exact rational
inputs, evaluated to 30 digits, and the two are compared (the script raises
AssertionError if they disagree by more than 1e-12 relative).

Only the standard library and sympy are used.
"""

import math

import sympy as sp

EXP = math.exp


def sigmoid(t):
    if t >= 0:
        return 1.0 / (1.0 + EXP(-t))
    e = EXP(t)
    return e / (1.0 + e)


def dot(a, b):
    return sum(x * y for x, y in zip(a, b))


def matvec(M, v):
    return [dot(row, v) for row in M]


# ---------------------------------------------------------------------------
# helpers for the sympy cross-check
# ---------------------------------------------------------------------------

def R(x):
    """Exact rational from a decimal literal given as float or str."""
    return sp.Rational(str(x))


def ssig(t):
    return 1 / (1 + sp.exp(-t))


def close(a, b, rel=1e-12, abs_=1e-300):
    a = float(a)
    b = float(b)
    return abs(a - b) <= max(rel * max(abs(a), abs(b)), abs_)


def check(name, hand, symbolic):
    s = float(sp.N(symbolic, 30))
    if not close(hand, s):
        raise AssertionError(f"{name}: hand {hand!r} vs sympy {s!r}")


# ---------------------------------------------------------------------------
# Seed 000, Q1-Q2: 4-class softmax, four samples, batch gradient, SGD step
# ---------------------------------------------------------------------------

CLASSES = ["cat", "dog", "cow", "horse"]
W000 = [[-0.57, 1.24, -3.37, 6.43],
        [-5.53, -1.13, -8.05, 3.21],
        [4.23, 0.98, -2.53, -7.67],
        [-2.31, -1.84, 6.93, -8.66]]
X000 = [[1.52, 2.63, 5.37, 4.94],
        [8.87, 1.25, 4.49, 0.12],
        [3.22, 4.63, 3.55, 5.41],
        [1.38, 0.63, 2.90, 8.52]]
LABELS000 = ["cat", "cat", "dog", "horse"]


def seed000_softmax():
    out = {"samples": []}
    G = [[0.0] * 4 for _ in range(4)]
    for x, lab in zip(X000, LABELS000):
        z = matvec(W000, x)
        m = max(z)
        e = [EXP(zi - m) for zi in z]
        S = sum(e)
        P = [ei / S for ei in e]
        yi = CLASSES.index(lab)
        # P - Y without cancellation for the labelled class:
        # P_y - 1 = -(sum_{k != y} e_k) / S
        PmY = list(P)
        PmY[yi] = -sum(e[k] for k in range(4) if k != yi) / S
        # cross-entropy of this sample, -log P_y = (m - z_y) + log S with S = 1 + (the other terms):
        # log1p keeps the digits that log(1 + 1e-13) would round away
        top = z.index(m)
        loss = (m - z[yi]) + math.log1p(sum(e[k] for k in range(4) if k != top))
        g = [[PmY[r] * x[c] for c in range(4)] for r in range(4)]
        for r in range(4):
            for c in range(4):
                G[r][c] += g[r][c]
        out["samples"].append({"x": x, "label": lab, "z": z, "P": P,
                               "PmY": PmY, "loss": loss, "grad": g})
    lr = 0.2
    dW = [[lr * G[r][c] for c in range(4)] for r in range(4)]
    Wn = [[W000[r][c] - dW[r][c] for c in range(4)] for r in range(4)]
    out.update(G=G, dW=dW, Wnew=Wn)
    return out


def seed000_softmax_sympy_check(res):
    Ws = [[R(v) for v in row] for row in W000]
    for s, (x, lab) in enumerate(zip(X000, LABELS000)):
        xs = [R(v) for v in x]
        z = [sum(Ws[r][c] * xs[c] for c in range(4)) for r in range(4)]
        yi = CLASSES.index(lab)
        # symbolic loss in terms of the four logits, differentiated with sympy
        zs = sp.symbols("z0:4")
        L = -zs[yi] + sp.log(sum(sp.exp(t) for t in zs))
        for r in range(4):
            check(f"000 z{s+1}[{r}]", res["samples"][s]["z"][r], z[r])
            dz = sp.diff(L, zs[r]).subs(dict(zip(zs, z)))
            check(f"000 dL{s+1}/dz[{r}]", res["samples"][s]["PmY"][r], dz)


# ---------------------------------------------------------------------------
# Seed 000, Q3: 2-2-1 sigmoid net without biases, L = (y - yhat)^2
# ---------------------------------------------------------------------------

def seed000_q3(w=(-1.7, 0.1, -0.6, -1.8, -0.2, 0.5), x=(-0.3, 4.9, 1.1, -2.7), y=0.7):
    w1, w2, w3, w4, w5, w6 = w
    x1, x2, x3, x4 = x
    s1 = w1 * x1 + w2 * x2
    s2 = w3 * x3 + w4 * x4
    h1, h2 = sigmoid(s1), sigmoid(s2)
    s3 = w5 * h1 + w6 * h2
    yhat = sigmoid(s3)
    L = (y - yhat) ** 2
    dL_dyhat = 2 * (yhat - y)          # no 1/2 in this loss
    d3 = dL_dyhat * yhat * (1 - yhat)  # dL/ds3
    dh1 = d3 * w5
    dh2 = d3 * w6
    d1 = dh1 * h1 * (1 - h1)           # dL/ds1
    d2 = dh2 * h2 * (1 - h2)           # dL/ds2
    grads = {"w1": d1 * x1, "w2": d1 * x2, "w3": d2 * x3, "w4": d2 * x4,
             "w5": d3 * h1, "w6": d3 * h2}
    return dict(s1=s1, s2=s2, h1=h1, h2=h2, s3=s3, yhat=yhat, L=L,
                dL_dyhat=dL_dyhat, dyhat_ds3=yhat * (1 - yhat), dL_ds3=d3,
                dh1_ds1=h1 * (1 - h1), dh2_ds2=h2 * (1 - h2),
                dL_ds1=d1, dL_ds2=d2, grads=grads)


def seed000_q3_sympy_check(res):
    W = sp.symbols("w1:7")
    vals = dict(zip(W, [R(v) for v in (-1.7, 0.1, -0.6, -1.8, -0.2, 0.5)]))
    x1, x2, x3, x4 = [R(v) for v in (-0.3, 4.9, 1.1, -2.7)]
    y = R(0.7)
    h1 = ssig(W[0] * x1 + W[1] * x2)
    h2 = ssig(W[2] * x3 + W[3] * x4)
    L = (y - ssig(W[4] * h1 + W[5] * h2)) ** 2
    check("000Q3 L", res["L"], L.subs(vals))
    for i, wi in enumerate(W):
        check(f"000Q3 dL/dw{i+1}", res["grads"][f"w{i+1}"], sp.diff(L, wi).subs(vals))


# ---------------------------------------------------------------------------
# Seed 001: artificial neurons, decision boundary, sigmoid, log-sigmoid
# ---------------------------------------------------------------------------

def seed001_neurons():
    theta = [0.1, 0.2, 0.3]
    xs = [1.0, 1.0, 1.0]  # bias trick: [1, x1, x2]
    a = dot(theta, xs)
    t0, t1, t2 = 1.0, 2.0, 3.0
    nrm = math.hypot(t1, t2)
    wrong = math.sqrt(t0 ** 2 + t1 ** 2 + t2 ** 2)
    return dict(
        q1_preactivation=a, q1_sigmoid=sigmoid(a),
        q4_norm=nrm, q4_unit_normal=(t1 / nrm, t2 / nrm),
        q4_signed_distance=-t0 / nrm,
        q4_with_sqrt14=(t1 / wrong, t2 / wrong, -t0 / wrong),
        q4_printed_sqrt6_over_3=math.sqrt(6) / 3,
        q4_printed_minus_sqrt6_over_6=-math.sqrt(6) / 6,
        q6_sigmoid=sigmoid(0.0001),
    )


def seed001_q8_symbolic():
    a = sp.symbols("a", real=True)
    s = 1 / (1 + sp.exp(-a))
    d = sp.diff(sp.log(s), a)
    return sp.simplify(d - (1 - s)) == 0


# ---------------------------------------------------------------------------
# Seed 001 Q10: Jacobian of F(G(a, b))
# ---------------------------------------------------------------------------

def seed001_q10():
    a, b, c, d, e = sp.symbols("a b c d e")
    G = sp.Matrix([a - 5 * b, a * b, a - b])
    F = sp.Matrix([3 * c * d, d - e])
    FG = F.subs({c: G[0], d: G[1], e: G[2]}, simultaneous=True)
    J = FG.jacobian([a, b]).applyfunc(sp.expand)
    JF = F.jacobian([c, d, e]).subs({c: G[0], d: G[1], e: G[2]}, simultaneous=True)
    JG = G.jacobian([a, b])
    J_chain = (JF * JG).applyfunc(sp.expand)
    assert (J - J_chain).applyfunc(sp.simplify) == sp.zeros(2, 2)
    printed = sp.Matrix([[9 * a * b - 15 * b ** 2, -33 * a * b + 3 * a ** 2],
                         [b - 1, a + 1]])
    printed_JF = sp.Matrix([[3 * a * b, 3 * (a - 5 * b), 3 * a * b], [0, 1, -1]])
    return dict(FG=FG.applyfunc(sp.expand), JF=JF, JG=JG, J=J,
                diff=(printed - J).applyfunc(sp.expand),
                JF_diff=(printed_JF - JF).applyfunc(sp.expand))


# ---------------------------------------------------------------------------
# Seed 001 Q13 (computation graphs): gradient, Jacobian, composition
# ---------------------------------------------------------------------------

def seed001_q13():
    x, y = sp.symbols("x y")
    f = (2 * x + 3 * y) ** 2
    grad = [sp.expand(sp.diff(f, v)) for v in (x, y)]
    F = sp.Matrix([x ** 2 + 2 * y, 3 * x + 4 * y ** 2])
    JF = F.jacobian([x, y])
    JF12 = JF.subs({x: 1, y: 2})
    G = sp.Matrix([x, x ** 2])
    FG = F.subs({x: G[0], y: G[1]}, simultaneous=True).applyfunc(sp.expand)
    JFG = FG.jacobian([x]).applyfunc(sp.expand)
    JFG_chain = (JF.subs({x: G[0], y: G[1]}, simultaneous=True) * G.jacobian([x])).applyfunc(sp.expand)
    assert JFG == JFG_chain
    return dict(grad=grad, JF=JF, JF12=JF12, FG=FG, JFG=JFG)


# ---------------------------------------------------------------------------
# Seed 001 Q12: three-sample regression net with the bias trick
# ---------------------------------------------------------------------------

XSTAR = [[1.0, 1.0, 2.0], [1.0, 1.0, 3.0], [1.0, 2.0, 2.0]]   # rows = samples
WH = [[0.01, 0.02, 0.03], [0.03, 0.01, 0.02], [0.02, 0.03, 0.01]]  # rows = hidden units
V = [0.01, 0.02, 0.03, 0.04]
Y12 = [8.0, 11.0, 10.0]


def seed001_q12():
    m, k = len(XSTAR), len(WH)
    A = [[dot(WH[j], XSTAR[i]) for j in range(k)] for i in range(m)]   # A[i][j]
    Z = [[sigmoid(A[i][j]) for j in range(k)] for i in range(m)]       # Z[i][j]
    Zs = [[1.0] + Z[i] for i in range(m)]                               # Z*[i]
    yhat = [dot(V, Zs[i]) for i in range(m)]
    Ls = [(Y12[i] - yhat[i]) ** 2 for i in range(m)]
    L = sum(Ls)
    dL_dyhat = [2 * (yhat[i] - Y12[i]) for i in range(m)]
    dL_dv = [sum(dL_dyhat[i] * Zs[i][c] for i in range(m)) for c in range(4)]
    sp_ = [[Z[i][j] * (1 - Z[i][j]) for j in range(k)] for i in range(m)]
    # dL/da_ij = dL/dyhat_i * v_{j+1} * sigma'(a_ij)
    dL_da = [[dL_dyhat[i] * V[j + 1] * sp_[i][j] for j in range(k)] for i in range(m)]
    dL_dW = [[sum(dL_da[i][j] * XSTAR[i][c] for i in range(m)) for c in range(3)]
             for j in range(k)]
    return dict(A=A, Z=Z, Zstar=Zs, yhat=yhat, losses=Ls, L=L,
                dL_dyhat=dL_dyhat, dL_dv=dL_dv, sigprime=sp_, dL_da=dL_da, dL_dW=dL_dW)


def seed001_q12_sympy_check(res):
    Wsym = sp.Matrix(3, 3, lambda j, c: sp.Symbol(f"w{j+1}{c}"))
    Vsym = sp.symbols("v0:4")
    vals = {Wsym[j, c]: R(WH[j][c]) for j in range(3) for c in range(3)}
    vals.update({Vsym[c]: R(V[c]) for c in range(4)})
    L = 0
    for i in range(3):
        xs = [R(t) for t in XSTAR[i]]
        z = [ssig(sum(Wsym[j, c] * xs[c] for c in range(3))) for j in range(3)]
        yh = Vsym[0] + sum(Vsym[j + 1] * z[j] for j in range(3))
        check(f"001Q12 yhat{i+1}", res["yhat"][i], yh.subs(vals))
        L += (R(Y12[i]) - yh) ** 2
    check("001Q12 L", res["L"], L.subs(vals))
    for c in range(4):
        check(f"001Q12 dL/dv{c}", res["dL_dv"][c], sp.diff(L, Vsym[c]).subs(vals))
    for j in range(3):
        for c in range(3):
            check(f"001Q12 dL/dW[{j}][{c}]", res["dL_dW"][j][c],
                  sp.diff(L, Wsym[j, c]).subs(vals))


# ---------------------------------------------------------------------------
# Seed 002: 2-2-1 sigmoid net with biases, one SGD step, forward again
# ---------------------------------------------------------------------------

def net002_forward(W1, b1, W2, b2, x, y):
    z1 = [dot(W1[r], x) + b1[r] for r in range(2)]
    a1 = [sigmoid(t) for t in z1]
    z2 = dot(W2, a1) + b2
    a2 = sigmoid(z2)
    L = 0.5 * (a2 - y) ** 2
    return z1, a1, z2, a2, L


def seed002():
    x, y, lr = [0.05, 0.10], 0.01, 0.5
    W1 = [[0.15, 0.20], [0.25, 0.30]]
    b1 = [0.35, 0.35]
    W2 = [0.40, 0.45]
    b2 = 0.60
    z1, a1, z2, a2, L = net002_forward(W1, b1, W2, b2, x, y)
    dL_da2 = a2 - y
    sp2 = a2 * (1 - a2)
    g2 = dL_da2 * sp2
    dW2 = [g2 * a1[r] for r in range(2)]
    db2 = g2
    back = [W2[r] * g2 for r in range(2)]
    sp1 = [a1[r] * (1 - a1[r]) for r in range(2)]
    g1 = [back[r] * sp1[r] for r in range(2)]
    dW1 = [[g1[r] * x[c] for c in range(2)] for r in range(2)]
    db1 = list(g1)
    W2n = [W2[r] - lr * dW2[r] for r in range(2)]
    b2n = b2 - lr * db2
    W1n = [[W1[r][c] - lr * dW1[r][c] for c in range(2)] for r in range(2)]
    b1n = [b1[r] - lr * db1[r] for r in range(2)]
    z1n, a1n, z2n, a2n, Ln = net002_forward(W1n, b1n, W2n, b2n, x, y)
    return dict(z1=z1, a1=a1, z2=z2, a2=a2, L=L, dL_da2=dL_da2, sp2=sp2, g2=g2,
                dW2=dW2, db2=db2, back=back, sp1=sp1, g1=g1, dW1=dW1, db1=db1,
                W2n=W2n, b2n=b2n, W1n=W1n, b1n=b1n,
                z1n=z1n, a1n=a1n, z2n=z2n, a2n=a2n, Ln=Ln,
                L_with_y_0_07=0.5 * (a2 - 0.07) ** 2)


def seed002_sympy_check(res):
    names = ["w11", "w12", "w21", "w22", "b1", "b2", "v1", "v2", "c"]
    S = sp.symbols(" ".join(names))
    vals = dict(zip(S, [R(t) for t in (0.15, 0.20, 0.25, 0.30, 0.35, 0.35, 0.40, 0.45, 0.60)]))
    x1, x2, y = R(0.05), R(0.10), R(0.01)
    h1 = ssig(S[0] * x1 + S[1] * x2 + S[4])
    h2 = ssig(S[2] * x1 + S[3] * x2 + S[5])
    L = (ssig(S[6] * h1 + S[7] * h2 + S[8]) - y) ** 2 / 2
    check("002 L", res["L"], L.subs(vals))
    hand = [res["dW1"][0][0], res["dW1"][0][1], res["dW1"][1][0], res["dW1"][1][1],
            res["db1"][0], res["db1"][1], res["dW2"][0], res["dW2"][1], res["db2"]]
    grads = [sp.diff(L, s).subs(vals) for s in S]
    for n, h, g in zip(names, hand, grads):
        check(f"002 dL/d{n}", h, g)
    newvals = {s: vals[s] - R(0.5) * g for s, g in zip(S, grads)}
    check("002 L_new", res["Ln"], L.subs(newvals))


# ---------------------------------------------------------------------------
# Seed 003 Q3: 3-2-1 sigmoid net with biases, L = 1/2 (y - yhat)^2
# ---------------------------------------------------------------------------

P003 = {"w11-1": 0.36, "w21-1": 0.74, "w31-1": -0.28, "B1-1": 0.7,
        "w12-1": 0.29, "w22-1": -0.27, "w32-1": -0.84, "B2-1": 0.17,
        "w11-2": 0.4, "w21-2": 1.16, "B1-2": -0.41}
X003 = [0.02, 0.03, -2.06]
Y003 = 0.61


def seed003(p=P003):
    x1, x2, x3 = X003
    z11 = x1 * p["w11-1"] + x2 * p["w21-1"] + x3 * p["w31-1"] + p["B1-1"]
    z21 = x1 * p["w12-1"] + x2 * p["w22-1"] + x3 * p["w32-1"] + p["B2-1"]
    y11, y21 = sigmoid(z11), sigmoid(z21)
    z12 = y11 * p["w11-2"] + y21 * p["w21-2"] + p["B1-2"]
    yhat = sigmoid(z12)
    L = 0.5 * (Y003 - yhat) ** 2
    dL_dyhat = yhat - Y003
    dyhat_dz12 = yhat * (1 - yhat)
    dL_dz12 = dL_dyhat * dyhat_dz12
    dL_dy11 = dL_dz12 * p["w11-2"]
    dL_dy21 = dL_dz12 * p["w21-2"]
    dy11_dz11 = y11 * (1 - y11)
    dy21_dz21 = y21 * (1 - y21)
    dL_dz11 = dL_dy11 * dy11_dz11
    dL_dz21 = dL_dy21 * dy21_dz21
    g = {"B1-2": dL_dz12, "w11-2": dL_dz12 * y11, "w21-2": dL_dz12 * y21,
         "B1-1": dL_dz11, "B2-1": dL_dz21,
         "w11-1": dL_dz11 * x1, "w21-1": dL_dz11 * x2, "w31-1": dL_dz11 * x3,
         "w12-1": dL_dz21 * x1, "w22-1": dL_dz21 * x2, "w32-1": dL_dz21 * x3}
    return dict(z11=z11, z21=z21, y11=y11, y21=y21, z12=z12, yhat=yhat, L=L,
                dL_dyhat=dL_dyhat, dyhat_dz12=dyhat_dz12,
                z12_times_1_minus_z12=z12 * (1 - z12),
                dL_dz12=dL_dz12, dL_dy11=dL_dy11, dL_dy21=dL_dy21,
                dy11_dz11=dy11_dz11, dy21_dz21=dy21_dz21,
                dL_dz11=dL_dz11, dL_dz21=dL_dz21, grads=g)


def seed003_sympy_check(res):
    S = {k: sp.Symbol(k.replace("-", "_")) for k in P003}
    vals = {S[k]: R(v) for k, v in P003.items()}
    x1, x2, x3 = [R(t) for t in X003]
    y11 = ssig(x1 * S["w11-1"] + x2 * S["w21-1"] + x3 * S["w31-1"] + S["B1-1"])
    y21 = ssig(x1 * S["w12-1"] + x2 * S["w22-1"] + x3 * S["w32-1"] + S["B2-1"])
    L = (R(Y003) - ssig(y11 * S["w11-2"] + y21 * S["w21-2"] + S["B1-2"])) ** 2 / 2
    check("003 L", res["L"], L.subs(vals))
    for k in P003:
        check(f"003 dL/d{k}", res["grads"][k], sp.diff(L, S[k]).subs(vals))


# ---------------------------------------------------------------------------
# Seed 004, 2.2.2: f = sigmoid(w . x)
# ---------------------------------------------------------------------------

def seed004():
    w = [2.0, -3.0, -3.0]
    x = [-1.0, -2.0, 1.0]
    t = dot(w, x)
    s = sigmoid(t)
    sp_ = s * (1 - s)
    return dict(wx=t, f=s, sigprime=sp_, e_minus_1=EXP(-t), denom=(1 + EXP(-t)) ** 2,
                df_dx=[sp_ * wi for wi in w], df_dw=[sp_ * xi for xi in x])


def seed004_sympy_check(res):
    w = sp.symbols("w0:3")
    x = sp.symbols("x0:3")
    f = ssig(sum(wi * xi for wi, xi in zip(w, x)))
    vals = dict(zip(w, [2, -3, -3]))
    vals.update(dict(zip(x, [-1, -2, 1])))
    for i in range(3):
        check(f"004 df/dx{i}", res["df_dx"][i], sp.diff(f, x[i]).subs(vals))
        check(f"004 df/dw{i}", res["df_dw"][i], sp.diff(f, w[i]).subs(vals))


# ---------------------------------------------------------------------------
# printing
# ---------------------------------------------------------------------------

def fmt(v):
    if isinstance(v, float):
        return f"{v:.12g}"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(fmt(t) for t in v) + "]"
    return str(v)


def show(name, v):
    print(f"  {name:<28} {fmt(v)}")


def main():
    print("=== 000 Q1-Q2: softmax classifier, batch gradient, SGD step (lr 0.2)")
    r = seed000_softmax()
    seed000_softmax_sympy_check(r)
    for i, s in enumerate(r["samples"], 1):
        print(f" sample x{i} (label {s['label']})")
        show("z = W x", s["z"])
        show("P = softmax(z)", s["P"])
        show("P - Y", s["PmY"])
        show("cross-entropy", s["loss"])
        for cls, row in zip(CLASSES, s["grad"]):
            show(f"grad row {cls}", row)
    for cls, row in zip(CLASSES, r["G"]):
        show(f"summed grad row {cls}", row)
    for cls, row in zip(CLASSES, r["dW"]):
        show(f"0.2*grad row {cls}", row)
    for cls, row in zip(CLASSES, r["Wnew"]):
        show(f"W_new row {cls}", row)

    print("=== 000 Q3: 2-2-1 sigmoid net, no biases, L = (y - yhat)^2")
    r = seed000_q3()
    seed000_q3_sympy_check(r)
    for k in ("s1", "s2", "h1", "h2", "s3", "yhat", "L", "dL_dyhat", "dyhat_ds3",
              "dL_ds3", "dh1_ds1", "dh2_ds2", "dL_ds1", "dL_ds2"):
        show(k, r[k])
    for k, v in r["grads"].items():
        show(f"dL/d{k}", v)

    print("=== 001 artificial neurons Q1, Q4, Q6, Q8")
    r = seed001_neurons()
    for k, v in r.items():
        show(k, v)
    show("q8 d/da log sig = 1 - sig", seed001_q8_symbolic())

    print("=== 001 Q10: Jacobian of F(G(a, b))")
    r = seed001_q10()
    show("F(G(a,b))", list(r["FG"]))
    show("dF/dG at G (true)", r["JF"].tolist())
    show("printed dF/dG - true", r["JF_diff"].tolist())
    show("dF/da (true)", list(r["J"][:, 0]))
    show("dF/db (true)", list(r["J"][:, 1]))
    show("printed - true, dF/da", list(r["diff"][:, 0]))
    show("printed - true, dF/db", list(r["diff"][:, 1]))

    print("=== 001 Q13 (computation graphs)")
    r = seed001_q13()
    show("grad (2x+3y)^2", r["grad"])
    show("DF(x,y)", r["JF"].tolist())
    show("DF(1,2)", r["JF12"].tolist())
    show("F(G(x))", list(r["FG"]))
    show("d F(G(x))/dx", list(r["JFG"]))

    print("=== 001 Q12: three-sample regression net, bias trick, L = sum (y - yhat)^2")
    r = seed001_q12()
    seed001_q12_sympy_check(r)
    for i in range(3):
        show(f"a (pre-act) sample {i+1}", r["A"][i])
    for i in range(3):
        show(f"z = logistic(a) sample {i+1}", r["Z"][i])
    for i in range(3):
        show(f"sigma'(a) sample {i+1}", r["sigprime"][i])
    show("yhat", r["yhat"])
    show("per-sample loss", r["losses"])
    show("total loss", r["L"])
    show("dL/dyhat = 2(yhat-y)", r["dL_dyhat"])
    show("dL/dv", r["dL_dv"])
    for i in range(3):
        show(f"dL/da sample {i+1}", r["dL_da"][i])
    for j in range(3):
        show(f"dL/dw{j+1} (bias,x1,x2)", r["dL_dW"][j])

    print("=== 002: 2-2-1 sigmoid net with biases, one SGD step (lr 0.5)")
    r = seed002()
    seed002_sympy_check(r)
    for k in ("z1", "a1", "z2", "a2", "L", "dL_da2", "sp2", "g2", "dW2", "db2", "back",
              "sp1", "g1", "dW1", "db1", "W2n", "b2n", "W1n", "b1n",
              "z1n", "a1n", "z2n", "a2n", "Ln", "L_with_y_0_07"):
        show(k, r[k])

    print("=== 003 Q3: 3-2-1 sigmoid net, L = 1/2 (y - yhat)^2")
    r = seed003()
    seed003_sympy_check(r)
    for k, v in r.items():
        if k != "grads":
            show(k, v)
    for k, v in r["grads"].items():
        show(f"dL/d{k}", v)

    print("=== 004 2.2.2: f = sigmoid(w . x)")
    r = seed004()
    seed004_sympy_check(r)
    for k, v in r.items():
        show(k, v)

    print("all hand-derived gradients agree with sympy symbolic differentiation")


if __name__ == "__main__":
    main()
