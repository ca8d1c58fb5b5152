"""Seed 000 Q1-Q2: a four-class softmax classifier, four samples, one SGD step.

Classes cat, dog, cow, horse; W holds one row per class. For each sample, z = W x,
P = softmax(z) and the loss is the cross-entropy -sum_c Y_c log P_c (Y one-hot), whose gradient
is (P - Y) x^T for W and P - Y for z. The logits are large (up to e^86 apart), so softmax is
computed stably: exp(z_c - max z), max z taken as a constant. One stage per sample (its own
copy of W, so W's grads are that sample's gradient), then the batch sum of the four losses, then
the step W_new = W - 0.2 * (summed gradient).

What the checker finds: several slips in the tiny probabilities and logits of samples 1-3
(sample 1: z_horse, P_dog, P_cow (ten times too big), P_horse; sample 2: z_dog, z_cow, z_horse,
P_cat, P_horse; sample 3: P_dog, P_cow, P_horse) and the gradient rows that follow from them.
Sample 4 is off by rounding only (digits cut instead of rounded, e.g. 4.908e-49 written
4.90e-49). None of it reaches the summed gradient, the step or W_new, which all match. Not
modelled: the P - Y vector copied wrongly into sample 4's product ([1, 4.15e-21, 1.4e-48, -1]),
a second printing of a node's grad.

Why this stays a Python module: a sheet cannot say a batch (four samples on copies of one W,
their summed gradient and the step) nor the stable softmax's max taken as a constant.
"""
from ..value import Value, vsum
from .base import Example, Printed, Stage

NAME = "seed000_softmax"
CLASSES = ("cat", "dog", "cow", "horse")
W0 = ((-0.57, 1.24, -3.37, 6.43), (-5.53, -1.13, -8.05, 3.21),
      (4.23, 0.98, -2.53, -7.67), (-2.31, -1.84, 6.93, -8.66))
SAMPLES = (((1.52, 2.63, 5.37, 4.94), "cat"), ((8.87, 1.25, 4.49, 0.12), "cat"),
           ((3.22, 4.63, 3.55, 5.41), "dog"), ((1.38, 0.63, 2.90, 8.52), "horse"))
LR = 0.2
# printed per sample: z, P, P - Y (= dL/dz), rows of the gradient dL/dW (None: row not printed)
_PRINTED = (
    (("16.0621", "-38.7486", "-42.4689", "-13.9217"), ("1", "1.38e-24", "4.05e-25", "9.4e-14"),
     ("0", "1.38e-24", "4.05e-25", "9.4e-14"),
     (("0", "0", "0", "0"), ("2.10e-24", "3.63e-24", "7.41e-24", "6.82e-24"),
      ("6.16e-25", "1.07e-24", "2.17e-24", "2.00e-24"), ("1.43e-13", "2.47e-13", "5.05e-13", "4.64e-13"))),
    (("-17.8656", "-86.2379", "26.466", "7.2968"), ("7.04e-20", "0", "1", "5.96e-9"),
     ("-1", "0", "1", "5.96e-9"),
     (("-8.87", "-1.25", "-4.49", "-0.12"), ("0", "0", "0", "0"), ("8.87", "1.25", "4.49", "0.12"),
      ("5.29e-8", "7.45e-9", "2.67e-8", "7.15e-10"))),
    (("26.7286", "-34.2499", "-32.3182", "-38.2065"), ("1", "3.08e-27", "1.81e-26", "5.38e-29"),
     ("1", "-1", "1.81e-26", "5.38e-29"),
     (("3.22", "4.63", "3.55", "5.41"), ("-3.22", "-4.63", "-3.55", "-5.41"),
      ("5.83e-26", "8.38e-26", "6.43e-26", "9.79e-26"), ("1.73e-28", "2.49e-28", "1.91e-28", "2.91e-28"))),
    (("45.0052", "-4.3391", "-66.2306", "-58.0332"), ("1", "3.71e-22", "4.90e-49", "1.78e-45"),
     ("1", "3.71e-22", "4.90e-49", "-1"),
     (None, ("5.12e-22", "2.34e-22", "1.07e-21", "3.16e-21"),
      ("6.77e-49", "3.09e-49", "1.42e-48", "4.18e-48"), ("-1.38", "-0.63", "-2.90", "-8.52"))),
)
_SUM = (("-4.27", "4.01", "1.96", "13.81"), ("-3.22", "-4.63", "-3.55", "-5.41"),
        ("8.87", "1.25", "4.49", "0.12"), ("-1.38", "-0.63", "-2.90", "-8.52"))
_STEP = (("-0.854", "0.802", "0.392", "2.762"), ("-0.644", "-0.926", "-0.710", "-1.082"),
         ("1.774", "0.250", "0.898", "0.024"), ("-0.276", "-0.126", "-0.580", "-1.704"))
_W_NEW = (("0.284", "0.438", "-3.762", "3.668"), ("-4.886", "-0.204", "-7.340", "4.292"),
          ("2.456", "0.730", "-3.428", "-7.694"), ("-2.034", "-1.714", "7.510", "-6.956"))


def _weights() -> list[list[Value]]:
    return [[Value(v, label=f"W_{c}_{k + 1}") for k, v in enumerate(row)] for c, row in zip(CLASSES, W0)]


def _loss(W: list[list[Value]], x: tuple[float, ...], label: str, suffix: str = "") -> Value:
    z = [vsum(w * xk for w, xk in zip(row, x)).named(f"z_{c}{suffix}") for c, row in zip(CLASSES, W)]
    top = max(node.data for node in z)  # a constant: shifting by it changes no value or gradient
    e = [(node - top).exp() for node in z]
    total = vsum(e)
    P = [(ec / total).named(f"P_{c}{suffix}") for ec, c in zip(e, CLASSES)]
    return (-vsum(float(c == label) * p.log() for c, p in zip(CLASSES, P))).named(f"L{suffix}")


def _sample_stage(i: int) -> Stage:
    (x, label), (z, P, dz, rows) = SAMPLES[i], _PRINTED[i]
    W = _weights()
    loss = _loss(W, x, label)
    printed: dict[str, Printed] = {f"z_{c}": (z[n], dz[n]) for n, c in enumerate(CLASSES)}
    printed.update({f"P_{c}": P[n] for n, c in enumerate(CLASSES)})
    for row, c in zip(rows, CLASSES):
        if row is not None:
            printed.update({f"W_{c}_{k + 1}": (None, row[k]) for k in range(4)})
    notes = {}
    if i == 3:
        cut = ("rounding", "cut instead of rounded")
        notes = {key: cut for key in (("P_dog", "value"), ("P_cow", "value"), ("z_dog", "grad"),
                                      ("z_cow", "grad"), ("W_dog_1", "grad"), ("W_dog_3", "grad"),
                                      ("W_dog_4", "grad"))}
    return Stage(f"sample{i + 1}", f"sample x{i + 1} (label {label}): z, P, P - Y, gradient",
                 loss, printed, notes)


def _batch_stages() -> list[Stage]:
    W = _weights()
    loss = vsum(_loss(W, x, label, f"_{i + 1}") for i, (x, label) in enumerate(SAMPLES)).named("L")
    printed: dict[str, Printed] = {f"W_{c}_{k + 1}": (None, _SUM[n][k])
                                   for n, c in enumerate(CLASSES) for k in range(4)}
    batch = Stage("batch", "Q2: the gradient summed over the four samples", loss, printed)
    loss.backward()
    new, printed = [], {}
    for n, c in enumerate(CLASSES):
        for k in range(4):
            old = Value(W[n][k].data, label=f"W_{c}_{k + 1}")
            step = (LR * Value(W[n][k].grad, label=f"dL/dW_{c}_{k + 1}", requires_grad=False)).named(f"dW_{c}_{k + 1}")
            new.append((old - step).named(f"Wnew_{c}_{k + 1}"))
            printed.update({f"dW_{c}_{k + 1}": _STEP[n][k], f"Wnew_{c}_{k + 1}": _W_NEW[n][k]})
    update = Stage("update", "Q2: the step 0.2 * gradient and the new W", new, printed)
    return [batch, update]


def build() -> Example:
    """Four sample stages, the batch gradient and the update."""
    return Example(NAME, "4-class softmax classifier: four samples, batch gradient, SGD step",
                   "homework 000, questions 1-2", __doc__,
                   [_sample_stage(i) for i in range(4)] + _batch_stages())
