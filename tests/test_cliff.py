"""Tests of rnn_core.cliff: BPTT against finite differences, the wall, clipped descent."""

import numpy as np
import pytest

from rnn_core import numerical_gradient, rel_error
from rnn_core.cliff import cliff_error, cliff_gradient, cliff_surface, descend
from rnn_core.lstm import sigmoid

TOL = 1e-7


def _wall(w, x0=0.5):
    """The b at which x0 is a fixed point of x -> w sigmoid(x) + b."""
    return x0 - w * sigmoid(np.asarray(x0, float))


def _peak(w):
    """The b of largest |grad| within 1e-3 of the wall, found on a grid 1e-7 apart."""
    b = np.linspace(_wall(w) - 1e-3, _wall(w) + 1e-3, 20001)
    return b[np.hypot(*cliff_gradient(w, b)).argmax()]


def test_error_matches_a_scalar_loop():
    rng = np.random.default_rng(0)
    w, b = rng.uniform(-10, 10, 7), rng.uniform(-10, 10, 7)
    for wi, bi, Ei in zip(w, b, cliff_error(w, b)):
        x = 0.5
        for _ in range(50):
            x = wi / (1 + np.exp(-x)) + bi
        assert np.isclose(Ei, (1 / (1 + np.exp(-x)) - 0.7) ** 2, rtol=1e-12, atol=1e-15)


def test_error_broadcasts_a_meshgrid():
    W, B = np.meshgrid(np.linspace(-2, 8, 4), np.linspace(-5, 1, 3))
    E = cliff_error(W, B)
    assert E.shape == (3, 4)
    np.testing.assert_array_equal(E, cliff_error(W[0][None, :], B[:, 0][:, None]))


@pytest.mark.parametrize("seed", range(5))
def test_gradient_matches_finite_differences_at_many_points(seed):
    # Each E_i depends on (w_i, b_i) only, so the gradient of sum(E) is elementwise.
    rng = np.random.default_rng(seed)
    w, b = rng.uniform(-8, 8, 12), rng.uniform(-6, 4, 12)
    T = int(rng.integers(1, 60))
    dw, db = cliff_gradient(w, b, T=T)
    assert rel_error(dw, numerical_gradient(lambda: float(cliff_error(w, b, T).sum()), w)) < TOL
    assert rel_error(db, numerical_gradient(lambda: float(cliff_error(w, b, T).sum()), b)) < TOL


def test_gradient_matches_finite_differences_on_the_wall():
    # |grad| ~ 1e3 on a wall about 1e-4 wide: a smaller eps resolves it.
    w = np.array([5.0, 5.0, 5.2])
    b = np.array([_peak(5.0), _peak(5.0) + 5e-5, _peak(5.2)])
    dw, db = cliff_gradient(w, b)
    assert np.hypot(dw, db).min() > 100
    f = lambda: float(cliff_error(w, b).sum())  # noqa: E731
    assert rel_error(dw, numerical_gradient(f, w, eps=1e-8)) < 1e-5
    assert rel_error(db, numerical_gradient(f, b, eps=1e-8)) < 1e-5


@pytest.mark.parametrize("w", [5.0, 6.0, 8.0, 10.0])
def test_error_steps_across_the_wall(w):
    b = _wall(w)
    assert cliff_error(w, b - 0.01) > 0.3  # x_T at the low fixed point
    assert cliff_error(w, b + 0.01) < 0.1  # x_T at the high one, sigmoid near 0.7 to 1


def test_gradient_on_the_wall_grows_like_the_slope_to_the_power_T():
    # At the wall, |dE/db| is of order (w sigmoid'(x0))**T; off it, small.
    slope = lambda w: w * sigmoid(0.5) * (1 - sigmoid(0.5))  # noqa: E731
    b = np.linspace(_wall(5.0) - 1e-3, _wall(5.0) + 1e-3, 20001)
    g = np.hypot(*cliff_gradient(5.0, b))
    assert 0.1 * slope(5.0) ** 50 < g.max() < 10 * slope(5.0) ** 50
    assert np.hypot(*cliff_gradient(5.0, _wall(5.0) + 0.5)) < 1.0


def test_clipping_bounds_the_step_and_keeps_the_direction():
    w0, b0 = 5.0, _peak(5.0)
    g = np.array(cliff_gradient(w0, b0))
    lr, max_norm = 0.1, 1.0
    jump = np.diff(descend(w0, b0, lr, 1), axis=0)[0]
    step = np.diff(descend(w0, b0, lr, 1, max_norm=max_norm), axis=0)[0]
    assert np.linalg.norm(g) > 1e3
    assert np.linalg.norm(jump) > 100  # unclipped: thrown far off the surface plotted
    assert np.isclose(np.linalg.norm(step), lr * max_norm, rtol=1e-12)
    np.testing.assert_allclose(step / np.linalg.norm(step), -g / np.linalg.norm(g), rtol=1e-12)


def test_clipped_descent_steps_are_bounded_along_the_whole_path():
    path = descend(5.0, _peak(5.0), lr=0.5, steps=40, max_norm=0.5)
    assert path.shape == (41, 2)
    assert np.all(np.linalg.norm(np.diff(path, axis=0), axis=1) <= 0.25 + 1e-12)
    unclipped = descend(5.0, _peak(5.0), lr=0.5, steps=1)
    assert np.linalg.norm(unclipped[1] - unclipped[0]) > 1000


def test_unclipped_descent_with_small_gradients_equals_plain_updates():
    path = descend(1.0, 0.0, lr=0.3, steps=2)
    p1 = path[0] - 0.3 * np.array(cliff_gradient(*path[0]))
    np.testing.assert_allclose(path[1], p1, rtol=1e-14)


def test_surface_grid_and_values():
    W, B, E = cliff_surface((3, 8), (-5, -1), n=5)
    assert W.shape == B.shape == E.shape == (5, 5)
    np.testing.assert_array_equal(W[0], np.linspace(3, 8, 5))
    np.testing.assert_array_equal(B[:, 0], np.linspace(-5, -1, 5))
    np.testing.assert_array_equal(E, cliff_error(W, B))


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: cliff_error(np.zeros(3), np.zeros(4)), r"b: expected a shape that broadcasts"),
        (lambda: cliff_error(np.nan, 0.0), r"w: expected finite values"),
        (lambda: cliff_error(1.0, 0.0, T=0), r"T: expected an integer in \[1, inf\], got 0"),
        (lambda: descend(1.0, 0.0, lr=0.0, steps=1), r"lr: expected a finite real scalar > 0"),
        (
            lambda: descend(1.0, 0.0, lr=0.1, steps=1, max_norm=-1.0),
            r"max_norm: expected a value > 0",
        ),
        (lambda: cliff_surface((0, 1, 2), (0, 1)), r"w_range: expected shape \(2,\)"),
    ],
)
def test_bad_input_is_named(call, match):
    with pytest.raises(ValueError, match=match):
        call()
