"""Tests of rnn_core.lstm: fixed values, finite-difference gradients, the cell path, bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rnn_core import numerical_gradient, rel_error
from rnn_core.lstm import (
    cell_path_gradient,
    lstm_backward,
    lstm_forward,
    lstm_step_backward,
    lstm_step_forward,
    sigmoid,
)

TOL = 1e-7  # relative error of analytic against central-difference gradients


def _params(rng, N, T, D, H, scale=0.5):
    # Weights scaled so the gates stay in their responsive range: a saturated
    # sigmoid has s (1 - s) near 0 and the gradient drowns in rounding noise.
    x = rng.standard_normal((N, T, D))
    h0 = rng.standard_normal((N, H))
    Wx = scale * rng.standard_normal((D, 4 * H))
    Wh = scale * rng.standard_normal((H, 4 * H))
    b = 0.1 * rng.standard_normal(4 * H)
    return x, h0, Wx, Wh, b


def test_step_forward_matches_hand_computed_values():
    # D = H = 1: the four gate pre-activations are read off one row of numbers.
    x, h_prev, c_prev = np.array([[2.0]]), np.array([[1.0]]), np.array([[0.5]])
    Wx = np.array([[0.5, 1.0, -0.5, 0.25]])
    Wh = np.array([[1.0, 0.0, 0.0, 0.5]])
    b = np.array([0.0, 0.0, 1.0, 0.0])
    h, c, _ = lstm_step_forward(x, h_prev, c_prev, Wx, Wh, b)
    # a = [1 + 1, 2, -1 + 1, 0.5 + 0.5] = [2, 2, 0, 1]
    i, f, o, g = 1 / (1 + np.exp(-2.0)), 1 / (1 + np.exp(-2.0)), 0.5, np.tanh(1.0)
    want_c = f * 0.5 + i * g
    np.testing.assert_allclose(c, [[want_c]], rtol=1e-15)
    np.testing.assert_allclose(h, [[o * np.tanh(want_c)]], rtol=1e-15)


def test_sigmoid_is_stable_and_matches_the_formula():
    z = np.linspace(-30, 30, 61)
    np.testing.assert_allclose(sigmoid(z), 1 / (1 + np.exp(-z)), rtol=1e-14)
    with np.errstate(over="raise"):
        assert sigmoid(np.array([-1e4]))[0] == 0.0


def test_forward_equals_loop_of_steps():
    x, h0, Wx, Wh, b = _params(np.random.default_rng(0), 3, 5, 2, 4)
    h, cache = lstm_forward(x, h0, Wx, Wh, b)
    h_prev, c_prev = h0, np.zeros_like(h0)
    for t in range(5):
        h_prev, c_prev, step = lstm_step_forward(x[:, t], h_prev, c_prev, Wx, Wh, b)
        np.testing.assert_allclose(h[:, t], h_prev, rtol=1e-13, atol=1e-15)
        np.testing.assert_allclose(cache.c[:, t], c_prev, rtol=1e-13, atol=1e-15)
        np.testing.assert_allclose(cache.gates[:, t], step.gates, rtol=1e-13, atol=1e-15)


def test_forward_does_not_modify_inputs():
    args = _params(np.random.default_rng(1), 2, 3, 2, 2)
    copies = [a.copy() for a in args]
    lstm_forward(*args)
    for a, c in zip(args, copies):
        np.testing.assert_array_equal(a, c)


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1), N=st.integers(1, 3), D=st.integers(1, 3), H=st.integers(1, 3)
)
def test_step_backward_matches_finite_differences(seed, N, D, H):
    rng = np.random.default_rng(seed)
    x, h0, Wx, Wh, b = _params(rng, N, 1, D, H)
    inputs = [x[:, 0], h0, rng.standard_normal((N, H)), Wx, Wh, b]
    dh, dc = rng.standard_normal((N, H)), rng.standard_normal((N, H))

    def loss():  # a loss on both outputs, so dc enters as well as dh
        h, c, _ = lstm_step_forward(*inputs)
        return float(np.sum(h * dh) + np.sum(c * dc))

    _, _, cache = lstm_step_forward(*inputs)
    for analytic, arr in zip(lstm_step_backward(dh, dc, cache), inputs):
        assert rel_error(analytic, numerical_gradient(loss, arr)) < TOL


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    N=st.integers(1, 3),
    T=st.integers(1, 5),
    D=st.integers(1, 3),
    H=st.integers(1, 3),
)
def test_lstm_backward_matches_finite_differences(seed, N, T, D, H):
    rng = np.random.default_rng(seed)
    inputs = list(_params(rng, N, T, D, H))
    dh = rng.standard_normal((N, T, H))

    def loss():
        return float(np.sum(lstm_forward(*inputs)[0] * dh))

    _, cache = lstm_forward(*inputs)
    for analytic, arr in zip(lstm_backward(dh, cache), inputs):
        assert rel_error(analytic, numerical_gradient(loss, arr)) < TOL


def test_lstm_backward_with_loss_on_last_step_only():
    rng = np.random.default_rng(3)
    inputs = list(_params(rng, 2, 7, 3, 4))
    dh = np.zeros((2, 7, 4))
    dh[:, -1] = rng.standard_normal((2, 4))
    _, cache = lstm_forward(*inputs)

    def loss():
        return float(np.sum(lstm_forward(*inputs)[0][:, -1] * dh[:, -1]))

    for analytic, arr in zip(lstm_backward(dh, cache), inputs):
        assert rel_error(analytic, numerical_gradient(loss, arr)) < TOL


def test_lstm_backward_equals_chained_step_backward():
    rng = np.random.default_rng(4)
    x, h0, Wx, Wh, b = _params(rng, 2, 4, 3, 2)
    dh = rng.standard_normal((2, 4, 2))
    _, cache = lstm_forward(x, h0, Wx, Wh, b)
    steps, h_prev, c_prev = [], h0, np.zeros_like(h0)
    for t in range(4):
        h_prev, c_prev, step = lstm_step_forward(x[:, t], h_prev, c_prev, Wx, Wh, b)
        steps.append(step)
    dh_next, dc_next, dWh = np.zeros_like(h0), np.zeros_like(h0), np.zeros_like(Wh)
    for t in range(3, -1, -1):
        _, dh_next, dc_next, _, dWh_t, _ = lstm_step_backward(dh[:, t] + dh_next, dc_next, steps[t])
        dWh += dWh_t
    _, dh0, _, want_dWh, _ = lstm_backward(dh, cache)
    np.testing.assert_allclose(dh0, dh_next, rtol=1e-12)
    np.testing.assert_allclose(dWh, want_dWh, rtol=1e-12)


def test_cell_path_gradient_equals_explicit_product():
    rng = np.random.default_rng(5)
    N, T, H = 2, 4, 3
    _, cache = lstm_forward(*_params(rng, N, T, 2, H, scale=1.0))
    f = cache.gates[:, :, H : 2 * H]
    want = [1.0]
    for k in range(1, T):
        prod = np.ones((N, H))
        for t in range(T - k, T):  # 0-based: the last k forget gates
            prod = prod * f[:, t]
        want.append(prod.mean())
    np.testing.assert_allclose(cell_path_gradient(cache), want, rtol=1e-14)


def test_cell_path_gradient_is_dc_prev_of_chained_steps_with_no_loss_on_h():
    # With dh = 0 at every step, lstm_step_backward's dc_prev is dc * f: chaining
    # it (and dropping the dh_prev path) walks the cell-state path only.
    rng = np.random.default_rng(6)
    x, h0, Wx, Wh, b = _params(rng, 3, 6, 2, 2)
    _, cache = lstm_forward(x, h0, Wx, Wh, b)
    h_prev, c_prev, steps = h0, np.zeros_like(h0), []
    for t in range(6):
        h_prev, c_prev, step = lstm_step_forward(x[:, t], h_prev, c_prev, Wx, Wh, b)
        steps.append(step)
    dc, got = np.ones_like(h0), [1.0]
    for t in range(5, 0, -1):
        dc = lstm_step_backward(np.zeros_like(h0), dc, steps[t])[2]
        got.append(dc.mean())
    np.testing.assert_allclose(cell_path_gradient(cache), got, rtol=1e-13)


def test_forget_bias_keeps_the_cell_path_open():
    # A large forget-gate bias holds f near 1, so the product decays slowly.
    H = 2
    b_open, b_shut = np.zeros(4 * H), np.zeros(4 * H)
    b_open[H : 2 * H], b_shut[H : 2 * H] = 5.0, -5.0
    args = (np.zeros((1, 30, 1)), np.zeros((1, H)), np.zeros((1, 4 * H)), np.zeros((H, 4 * H)))
    open_ = cell_path_gradient(lstm_forward(*args, b_open)[1])
    shut = cell_path_gradient(lstm_forward(*args, b_shut)[1])
    assert open_[-1] > 0.8 and shut[-1] < 1e-50
    assert np.all(np.diff(open_) <= 0)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"x": np.zeros((2, 3))}, r"x: expected 3-d array of shape \(N, T, D\), got 2-d"),
        ({"h0": np.zeros((3, 4))}, r"h0: expected shape \(N, H\) with N = 2, got shape \(3, 4\)"),
        ({"Wx": np.zeros((3, 4))}, r"Wx: expected shape \(3, 16\), got shape \(3, 4\)"),
        ({"Wh": np.zeros((4, 4))}, r"Wh: expected shape \(4, 16\), got shape \(4, 4\)"),
        ({"b": np.zeros(4)}, r"b: expected shape \(16,\), got shape \(4,\)"),
        ({"x": np.full((2, 3, 3), np.nan)}, r"x: expected finite values"),
    ],
)
def test_lstm_forward_rejects_bad_input(kwargs, match):
    args = {
        "x": np.zeros((2, 3, 3)),
        "h0": np.zeros((2, 4)),
        "Wx": np.zeros((3, 16)),
        "Wh": np.zeros((4, 16)),
        "b": np.zeros(16),
    }
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        lstm_forward(**args)


def test_step_functions_reject_bad_input():
    args = (
        np.zeros((2, 1)),
        np.zeros((2, 3)),
        np.zeros((2, 3)),
        np.zeros((1, 12)),
        np.zeros((3, 12)),
        np.zeros(12),
    )
    with pytest.raises(ValueError, match=r"c_prev: expected shape \(2, 3\), got shape \(2, 2\)"):
        lstm_step_forward(*args[:2], np.zeros((2, 2)), *args[3:])
    _, _, cache = lstm_step_forward(*args)
    with pytest.raises(ValueError, match=r"dc: expected 2-d array of shape \(2, 3\), got 1-d"):
        lstm_step_backward(np.zeros((2, 3)), np.zeros(3), cache)
    _, seq = lstm_forward(np.zeros((2, 3, 1)), *args[1:2], *args[3:])
    with pytest.raises(ValueError, match=r"dh: expected shape \(2, 3, 3\), got shape \(2, 3, 4\)"):
        lstm_backward(np.zeros((2, 3, 4)), seq)
    with pytest.raises(ValueError, match="cache: expected an LSTMCache"):
        cell_path_gradient(cache)
