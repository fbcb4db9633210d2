"""Tests of rnn_core.optim: clipping by global norm, SGD and Adam."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rnn_core import SGD, Adam, clip_grad_norm, global_norm


@settings(max_examples=50, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), max_norm=st.floats(0.01, 10.0))
def test_clipping_bounds_the_norm_and_keeps_the_direction(seed, max_norm):
    rng = np.random.default_rng(seed)
    grads = {"a": rng.standard_normal((3, 2)), "b": 5 * rng.standard_normal(4)}
    clipped, norm = clip_grad_norm(grads, max_norm)
    assert norm == pytest.approx(global_norm(grads))
    assert global_norm(clipped) <= max_norm * (1 + 1e-12)
    scale = clipped["a"][0, 0] / grads["a"][0, 0]
    for k, g in grads.items():  # one common factor for every entry: the direction is kept
        np.testing.assert_allclose(clipped[k], scale * g, rtol=1e-12)


def test_clipping_below_threshold_is_identity_and_does_not_mutate():
    grads = {"w": np.array([0.3, 0.4])}
    clipped, norm = clip_grad_norm(grads, 1.0)
    assert norm == pytest.approx(0.5)
    np.testing.assert_array_equal(clipped["w"], [0.3, 0.4])
    big = {"w": np.array([30.0, 40.0])}
    clip_grad_norm(big, 1.0)
    np.testing.assert_array_equal(big["w"], [30.0, 40.0])


def test_adam_minimises_a_quadratic():
    params = {"w": np.array([3.0, -2.0])}
    opt = Adam(lr=0.1)
    for _ in range(500):
        opt.step(params, {"w": 2 * (params["w"] - np.array([1.0, 1.0]))})
    np.testing.assert_allclose(params["w"], [1.0, 1.0], atol=1e-3)


def test_adam_first_two_steps_by_hand():
    params = {"w": np.array([0.0])}
    # eps must be > 0; 1e-300 added to sqrt(v_hat) >= 1 changes no bit of these steps.
    opt = Adam(lr=0.5, beta1=0.5, beta2=0.5, eps=1e-300)
    opt.step(params, {"w": np.array([2.0])})  # m_hat = 2, v_hat = 4: step = lr
    opt.step(params, {"w": np.array([1.0])})
    # m = 0.5*1 + 0.5*1 = 1, m_hat = 1/0.75 = 4/3; v = 0.5*2 + 0.5*1 = 1.5, v_hat = 2
    assert params["w"][0] == pytest.approx(-0.5 - 0.5 * (4 / 3) / np.sqrt(2), rel=1e-14)


def test_sgd_step():
    params = {"a": np.array([1.0, 2.0])}
    SGD(lr=0.5).step(params, {"a": np.array([2.0, -2.0])})
    np.testing.assert_array_equal(params["a"], [0.0, 3.0])


@pytest.mark.parametrize(
    "call, match",
    [
        (
            lambda: clip_grad_norm({"w": np.ones(2)}, 0.0),
            r"max_norm: expected a value > 0, got 0.0",
        ),
        (lambda: clip_grad_norm({"w": np.array([np.nan])}, 1.0), r"grads\['w'\]: expected finite"),
        (
            lambda: SGD(0.1).step({"w": np.ones(2)}, {"w": np.ones(3)}),
            r"grads\['w'\]: expected shape \(2,\), got shape \(3,\)",
        ),
        (
            lambda: Adam().step({"w": np.ones(2)}, {"v": np.ones(2)}),
            r"grads: expected keys \['w'\], got keys \['v'\]",
        ),
    ],
)
def test_bad_input_is_named(call, match):
    with pytest.raises(ValueError, match=match):
        call()
