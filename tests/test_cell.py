"""Tests of rnn_core.cell: fixed values, finite-difference gradients, truncation, bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rnn_core import numerical_gradient, rel_error
from rnn_core.cell import rnn_backward, rnn_forward, rnn_step_backward, rnn_step_forward

TOL = 1e-7  # relative error of analytic against central-difference gradients


def _params(rng, N, T, D, H, scale=0.5):
    # Weights of the size an initialiser would give: with much larger ones tanh
    # saturates, 1 - h**2 underflows towards 0 and the gradient is mostly
    # rounding noise, which no finite-difference check can resolve.
    x = rng.standard_normal((N, T, D))
    h0 = rng.standard_normal((N, H))
    Wx = scale * rng.standard_normal((D, H))
    Wh = scale * rng.standard_normal((H, H))
    b = 0.1 * rng.standard_normal(H)
    return x, h0, Wx, Wh, b


def test_step_forward_matches_hand_computed_values():
    x = np.array([[1.0, -2.0]])
    h_prev = np.array([[0.5, 0.0, -0.5]])
    Wx = np.array([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]])
    Wh = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    b = np.array([0.0, 0.1, 0.2])
    h, _ = rnn_step_forward(x, h_prev, Wx, Wh, b)
    # pre-activations: x @ Wx = [-0.7, -0.8, -0.9]; + h_prev + b = [-0.2, -0.7, -1.2]
    np.testing.assert_allclose(h, np.tanh([[-0.2, -0.7, -1.2]]), rtol=1e-15)


def test_forward_equals_loop_of_steps():
    x, h0, Wx, Wh, b = _params(np.random.default_rng(0), 3, 5, 4, 6)
    h, _ = rnn_forward(x, h0, Wx, Wh, b)
    h_prev = h0
    for t in range(5):
        h_prev, _ = rnn_step_forward(x[:, t], h_prev, Wx, Wh, b)
        np.testing.assert_allclose(h[:, t], h_prev, rtol=1e-13, atol=1e-15)


def test_forward_does_not_modify_inputs():
    args = _params(np.random.default_rng(1), 2, 3, 2, 2)
    copies = [a.copy() for a in args]
    rnn_forward(*args)
    for a, c in zip(args, copies):
        np.testing.assert_array_equal(a, c)


def _check_step_grads(seed, N, D, H):
    rng = np.random.default_rng(seed)
    x, h0, Wx, Wh, b = _params(rng, N, 1, D, H)
    inputs = [x[:, 0], h0, Wx, Wh, b]
    dout = rng.standard_normal((N, H))

    def loss():
        return float(np.sum(rnn_step_forward(*inputs)[0] * dout))

    _, cache = rnn_step_forward(*inputs)
    for analytic, arr in zip(rnn_step_backward(dout, cache), inputs):
        assert rel_error(analytic, numerical_gradient(loss, arr)) < TOL


def _check_seq_grads(seed, N, T, D, H, truncate=None):
    rng = np.random.default_rng(seed)
    inputs = list(_params(rng, N, T, D, H))
    dh = rng.standard_normal((N, T, H))

    def loss():
        return float(np.sum(rnn_forward(*inputs)[0] * dh))

    _, cache = rnn_forward(*inputs)
    for analytic, arr in zip(rnn_backward(dh, cache, truncate), inputs):
        assert rel_error(analytic, numerical_gradient(loss, arr)) < TOL


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1), N=st.integers(1, 3), D=st.integers(1, 4), H=st.integers(1, 4)
)
def test_step_backward_matches_finite_differences(seed, N, D, H):
    _check_step_grads(seed, N, D, H)


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    N=st.integers(1, 3),
    T=st.integers(1, 6),
    D=st.integers(1, 4),
    H=st.integers(1, 4),
)
def test_rnn_backward_matches_finite_differences(seed, N, T, D, H):
    _check_seq_grads(seed, N, T, D, H)


def test_rnn_backward_with_loss_on_last_step_only():
    rng = np.random.default_rng(3)
    inputs = list(_params(rng, 2, 7, 3, 4))
    dh = np.zeros((2, 7, 4))
    dh[:, -1] = rng.standard_normal((2, 4))
    _, cache = rnn_forward(*inputs)
    grads = rnn_backward(dh, cache)

    def loss():
        return float(np.sum(rnn_forward(*inputs)[0][:, -1] * dh[:, -1]))

    for analytic, arr in zip(grads, inputs):
        assert rel_error(analytic, numerical_gradient(loss, arr)) < TOL


def test_truncate_at_least_T_equals_full_bptt():
    rng = np.random.default_rng(4)
    _, cache = rnn_forward(*_params(rng, 2, 6, 3, 4))
    dh = rng.standard_normal((2, 6, 4))
    for full, cut in zip(rnn_backward(dh, cache), rnn_backward(dh, cache, truncate=6)):
        np.testing.assert_array_equal(full, cut)


def test_truncated_gradient_equals_sum_over_detached_windows():
    # Truncation with window k is the same as running each window as its own
    # sequence, started from the (constant) state the previous window ended in.
    rng = np.random.default_rng(5)
    x, h0, Wx, Wh, b = _params(rng, 2, 7, 3, 4)
    dh = rng.standard_normal((2, 7, 4))
    h, cache = rnn_forward(x, h0, Wx, Wh, b)
    dx, dh0, _, dWh, _ = rnn_backward(dh, cache, truncate=3)
    want_dWh, want_dx = np.zeros_like(Wh), np.zeros_like(x)
    for start in range(0, 7, 3):
        h_in = h0 if start == 0 else h[:, start - 1]
        _, c = rnn_forward(x[:, start : start + 3], h_in, Wx, Wh, b)
        g = rnn_backward(dh[:, start : start + 3], c)
        want_dx[:, start : start + 3] = g[0]
        want_dWh += g[3]
        if start == 0:
            np.testing.assert_allclose(dh0, g[1], rtol=1e-12)
    np.testing.assert_allclose(dWh, want_dWh, rtol=1e-12)
    np.testing.assert_allclose(dx, want_dx, rtol=1e-12)


def test_truncation_changes_the_gradient():
    rng = np.random.default_rng(6)
    _, cache = rnn_forward(*_params(rng, 1, 8, 2, 3, scale=1.0))
    dh = np.zeros((1, 8, 3))
    dh[:, -1] = 1.0
    full, cut = rnn_backward(dh, cache)[3], rnn_backward(dh, cache, truncate=2)[3]
    assert rel_error(full, cut) > 1e-3


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"x": np.zeros((2, 3))}, r"x: expected 3-d array of shape \(N, T, D\), got 2-d"),
        ({"h0": np.zeros((3, 4))}, r"h0: expected shape \(N, H\) with N = 2, got shape \(3, 4\)"),
        ({"Wx": np.zeros((5, 4))}, r"Wx: expected shape \(D, H\) with D = 3, got shape \(5, 4\)"),
        ({"Wh": np.zeros((4, 5))}, r"Wh: expected shape \(H, H\) with H = 4, got shape \(4, 5\)"),
        ({"b": np.zeros((1, 4))}, r"b: expected 1-d array of shape \(H,\), got 2-d"),
        ({"x": np.zeros((2, 0, 3))}, r"x: expected non-empty shape"),
        ({"x": np.full((2, 3, 3), np.nan)}, r"x: expected finite values"),
        ({"Wh": np.full((4, 4), np.inf)}, r"Wh: expected finite values"),
    ],
)
def test_rnn_forward_rejects_bad_input(kwargs, match):
    args = {
        "x": np.zeros((2, 3, 3)),
        "h0": np.zeros((2, 4)),
        "Wx": np.zeros((3, 4)),
        "Wh": np.zeros((4, 4)),
        "b": np.zeros(4),
    }
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        rnn_forward(**args)


def test_rnn_backward_rejects_bad_dh_and_truncate():
    _, cache = rnn_forward(
        np.zeros((2, 3, 1)), np.zeros((2, 4)), np.zeros((1, 4)), np.zeros((4, 4)), np.zeros(4)
    )
    want = r"dh: expected 3-d array of shape \(2, 3, 4\), got 2-d array of shape \(2, 4\)"
    with pytest.raises(ValueError, match=want):
        rnn_backward(np.zeros((2, 4)), cache)
    with pytest.raises(ValueError, match=r"truncate: expected an integer in \[1, inf\], got 0"):
        rnn_backward(np.zeros((2, 3, 4)), cache, truncate=0)


def test_step_backward_rejects_wrong_dh_next_shape():
    _, cache = rnn_step_forward(
        np.zeros((2, 1)), np.zeros((2, 3)), np.zeros((1, 3)), np.zeros((3, 3)), np.zeros(3)
    )
    with pytest.raises(ValueError, match=r"dh_next: expected 2-d array of shape \(2, 3\), got 1-d"):
        rnn_step_backward(np.zeros(3), cache)


def test_regression_no_silent_broadcast_of_bias_row():
    # A (1, H) bias would broadcast silently in numpy; the API asks for (H,).
    with pytest.raises(ValueError, match="b: expected 1-d"):
        rnn_step_forward(
            np.zeros((2, 1)), np.zeros((2, 3)), np.zeros((1, 3)), np.zeros((3, 3)), np.zeros((1, 3))
        )


def test_concatenated_weights_give_the_same_step():
    # eq-concat: [x_t, h_{t-1}] [Wx; Wh] = x_t Wx + h_{t-1} Wh.
    x, h0, Wx, Wh, b = _params(np.random.default_rng(8), 3, 1, 2, 4)
    h, _ = rnn_step_forward(x[:, 0], h0, Wx, Wh, b)
    stacked = np.tanh(np.concatenate([x[:, 0], h0], axis=1) @ np.vstack([Wx, Wh]) + b)
    np.testing.assert_allclose(h, stacked, rtol=1e-14)


def test_same_weights_read_any_length():
    # Parameter sharing: one set of weights runs sequences of length 1 and 500, and
    # the first steps of a long sequence equal the short sequence run on its own.
    x, h0, Wx, Wh, b = _params(np.random.default_rng(10), 2, 500, 3, 4)
    long_h, _ = rnn_forward(x, h0, Wx, Wh, b)
    short_h, _ = rnn_forward(x[:, :1], h0, Wx, Wh, b)
    np.testing.assert_array_equal(long_h[:, :1], short_h)
