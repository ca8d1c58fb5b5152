"""Toy 2-D classification data sets (moons, circles, blobs, spirals) from the standard library alone.

Each returns (X, y): X a list of [x1, x2] float pairs (blobs: n_features floats), y a list of
int class labels. A private `random.Random(seed)` draws the noise and the shuffle, so the same
seed gives the same data on every run and platform, whatever the global `random` state is.
The shapes follow scikit-learn's generators of the same names (no code shared).
"""
from __future__ import annotations

import math
import random
from collections.abc import Iterable, Sequence
from numbers import Integral, Real

from .inputs import MAX_SIZE, as_floats, check_size, seeded_rng

__all__ = ["make_moons", "make_circles", "make_blobs", "make_spirals", "Dataset"]

Dataset = tuple[list[list[float]], list[int]]  # (points X, class labels y)


def _check(n_samples: object, noise: object, noise_name: str = "noise") -> None:
    if (isinstance(n_samples, bool) or not isinstance(n_samples, Integral)
            or not 2 <= int(n_samples) <= MAX_SIZE):  # Integral: numpy ints count
        shown = ("a huge number" if isinstance(n_samples, int) and abs(n_samples) > 10 ** 30
                 else repr(n_samples))
        raise ValueError(f"n_samples must be an int >= 2 (at most {MAX_SIZE:,}), got {shown}")
    # float(noise): numbers.Real declares no comparison with int (nan still fails the test);
    # inf would make every point inf
    if (isinstance(noise, bool) or not isinstance(noise, Real) or not float(noise) >= 0
            or not math.isfinite(noise)):
        raise ValueError(f"{noise_name} must be a number >= 0 (a standard deviation), "
                         f"got {noise!r}")


def _angles(n: int, stop: float, endpoint: bool) -> list[float]:
    """n evenly spaced angles from 0 to `stop` (including `stop` when endpoint is True)."""
    if n == 1:
        return [0.0]
    step = stop / (n - 1 if endpoint else n)
    return [i * step for i in range(n)]


def _shuffled(points: list[list[float]], labels: list[int], noise: float,
              rng: random.Random) -> Dataset:
    """The points with Gaussian noise added, in a random order (labels kept with their points)."""
    order = list(range(len(points)))
    rng.shuffle(order)
    X = [[c + rng.gauss(0.0, noise) if noise else c for c in points[i]] for i in order]
    return X, [labels[i] for i in order]


def make_moons(n_samples: int = 100, noise: float = 0.1, seed: int = 0) -> Dataset:
    """Two interleaving half circles: class 0 the upper arc, class 1 the lower one (shifted)."""
    _check(n_samples, noise)
    n_upper = n_samples // 2
    n_lower = n_samples - n_upper
    upper = [[math.cos(t), math.sin(t)] for t in _angles(n_upper, math.pi, True)]
    lower = [[1.0 - math.cos(t), 0.5 - math.sin(t)] for t in _angles(n_lower, math.pi, True)]
    return _shuffled(upper + lower, [0] * n_upper + [1] * n_lower, noise,
                     seeded_rng(seed, "make_moons"))


def make_circles(n_samples: int = 100, noise: float = 0.05, factor: float = 0.5,
                 seed: int = 0) -> Dataset:
    """Two concentric circles: class 0 of radius 1, class 1 of radius `factor` (0 < factor < 1)."""
    _check(n_samples, noise)
    if isinstance(factor, bool) or not isinstance(factor, Real) or not 0 < factor < 1:
        raise ValueError(f"factor must be a number in (0, 1), got {factor!r}")
    n_outer = n_samples // 2
    n_inner = n_samples - n_outer
    outer = [[math.cos(t), math.sin(t)] for t in _angles(n_outer, 2 * math.pi, False)]
    inner = [[factor * math.cos(t), factor * math.sin(t)]
             for t in _angles(n_inner, 2 * math.pi, False)]
    return _shuffled(outer + inner, [0] * n_outer + [1] * n_inner, noise,
                     seeded_rng(seed, "make_circles"))


def _box(center_box: object) -> tuple[float, float]:
    """center_box as a (low, high) pair of finite floats with low <= high."""
    if (isinstance(center_box, (str, bytes)) or not isinstance(center_box, Sequence)
            or len(center_box) != 2):
        raise TypeError(f"center_box must be a pair (low, high), got {center_box!r}")
    low, high = as_floats(list(center_box), 2, "make_blobs: center_box")
    if not (math.isfinite(low) and math.isfinite(high) and low <= high):
        raise ValueError(f"center_box must be finite with low <= high, got {center_box!r}")
    return low, high


def make_blobs(n_samples: int = 100, centers: int | Sequence[Sequence[float]] = 3,
               cluster_std: float = 1.0, n_features: int = 2,
               center_box: tuple[float, float] = (-10.0, 10.0), seed: int = 0) -> Dataset:
    """Gaussian clusters: `centers` is a count (drawn uniformly in `center_box`) or a list of
    points; sample i goes to cluster i mod k, so the clusters differ in size by at most one."""
    _check(n_samples, cluster_std, "cluster_std")
    rng = seeded_rng(seed, "make_blobs")
    if isinstance(centers, bool):  # an int to Python, but neither a count nor points
        raise TypeError(f"centers must be a count or a list of points, got {centers!r}")
    if isinstance(centers, Integral):
        if not 1 <= int(centers) <= int(n_samples):  # more clusters than points is a mistake
            raise ValueError(f"centers must be a count from 1 to n_samples ({n_samples}), got "
                             f"{centers if int(centers) < 10 ** 30 else 'a huge number'}")
        dims = check_size(n_features, "make_blobs: n_features")
        if dims * int(n_samples) > MAX_SIZE:
            raise ValueError(f"make_blobs: {n_samples} samples of {dims} features are more than "
                             f"{MAX_SIZE:,} numbers")
        low, high = _box(center_box)
        centers = [[rng.uniform(low, high) for _ in range(dims)] for _ in range(int(centers))]
    if isinstance(centers, (str, bytes)) or not isinstance(centers, Iterable):
        raise TypeError(f"centers must be a count or a list of points, got {centers!r}")
    points = [as_floats(c, len(c) if hasattr(c, "__len__") else 1, "make_blobs: a center")
              for c in centers]
    if not points or any(len(c) != len(points[0]) for c in points):
        raise ValueError(f"centers must be points of equal dimension, got {points!r}")
    labels = [i % len(points) for i in range(n_samples)]
    return _shuffled([list(points[k]) for k in labels], labels, cluster_std, rng)


def make_spirals(n_samples: int = 300, classes: int = 3, noise: float = 0.2,
                 seed: int = 0) -> Dataset:
    """`classes` interleaved spiral arms (class k is arm k), n_samples points in all: a harder
    toy problem than moons (no straight boundary, several classes; cs231n's spiral data)."""
    _check(n_samples, noise)
    if isinstance(classes, bool) or not isinstance(classes, int) or not 2 <= classes <= n_samples:
        raise ValueError(f"classes must be an int from 2 to n_samples, got {classes!r}")
    rng = seeded_rng(seed, "make_spirals")
    points: list[list[float]] = []
    labels: list[int] = []
    for i in range(n_samples):
        k = i % classes
        r = (i // classes) / max(1, (n_samples - 1) // classes)  # radius 0 .. 1 along the arm
        t = 4.0 * r + k * 2.0 * math.pi / classes + rng.gauss(0.0, noise)
        points.append([r * math.sin(t), r * math.cos(t)])
        labels.append(k)
    order = list(range(n_samples))
    rng.shuffle(order)
    return [points[i] for i in order], [labels[i] for i in order]
