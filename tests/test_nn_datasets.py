"""make_moons / make_circles / make_blobs: shapes, labels, geometry, determinism."""
import math
import random

import pytest

from nn.datasets import make_blobs, make_circles, make_moons


def test_moons_without_noise_lie_on_the_two_arcs():
    X, y = make_moons(11, noise=0.0, seed=0)
    assert len(X) == len(y) == 11 and y.count(0) == 5 and y.count(1) == 6
    for (a, b), label in zip(X, y):
        # class 0: unit circle around (0, 0), upper half; class 1: around (1, 0.5), lower half
        cx, cy = (0.0, 0.0) if label == 0 else (1.0, 0.5)
        assert math.hypot(a - cx, b - cy) == pytest.approx(1.0, abs=1e-12)
        assert (b - cy >= -1e-12) if label == 0 else (b - cy <= 1e-12)


def test_same_seed_same_data_independent_of_global_random():
    random.seed(5)
    first = make_moons(50, noise=0.1, seed=3)
    random.random()
    assert make_moons(50, noise=0.1, seed=3) == first
    assert make_moons(50, noise=0.1, seed=4) != first
    assert all(isinstance(v, float) for x in first[0] for v in x)
    assert all(type(v) is int for v in first[1])


def test_circles_radii():
    X, y = make_circles(40, noise=0.0, factor=0.3, seed=1)
    for (a, b), label in zip(X, y):
        assert math.hypot(a, b) == pytest.approx(1.0 if label == 0 else 0.3, abs=1e-12)
    with pytest.raises(ValueError, match="factor"):
        make_circles(10, factor=1.5)


def test_blobs_cluster_around_their_centres():
    centres = [[0.0, 0.0], [10.0, 10.0]]
    X, y = make_blobs(200, centers=centres, cluster_std=0.5, seed=0)
    assert y.count(0) == y.count(1) == 100
    for k, c in enumerate(centres):
        pts = [x for x, label in zip(X, y) if label == k]
        mean = [sum(p[d] for p in pts) / len(pts) for d in (0, 1)]
        assert mean == pytest.approx(c, abs=0.2)  # std of the mean: 0.5 / sqrt(100) = 0.05
    X3, y3 = make_blobs(30, centers=3, n_features=3, seed=0)
    assert len(X3[0]) == 3 and sorted(set(y3)) == [0, 1, 2]


def test_bad_arguments():
    with pytest.raises(ValueError, match="n_samples must be an int >= 2"):
        make_moons(1)
    with pytest.raises(ValueError, match="noise must be a number >= 0"):
        make_moons(10, noise=-0.1)
    with pytest.raises(ValueError, match="cluster_std must be a number >= 0"):
        make_blobs(10, cluster_std=-1.0)


def test_make_spirals_classes_radius_and_determinism():
    from nn.datasets import make_spirals
    X, y = make_spirals(300, classes=3, noise=0.0, seed=0)
    assert len(X) == 300 and sorted(set(y)) == [0, 1, 2] and y.count(0) == 100
    assert all(math.hypot(*p) <= 1.0 + 1e-12 for p in X)  # radius runs from 0 to 1
    assert make_spirals(60, seed=2) == make_spirals(60, seed=2) != make_spirals(60, seed=3)
    with pytest.raises(ValueError, match="classes"):
        make_spirals(10, classes=1)
