"""Tests of rnn_core.gru: fixed values, finite-difference gradients, the update path, bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rnn_core import numerical_gradient, rel_error
from rnn_core.gru import (
    _backward,
    _forward,
    gru_backward,
    gru_forward,
    gru_step_backward,
    gru_step_forward,
    update_path_gradient,
)
from rnn_core.lstm import sigmoid

TOL = 1e-7  # relative error of analytic against central-difference gradients


def _params(rng, N, T, D, H, scale=0.5):
    # Weights scaled so the gates stay in their responsive range: a saturated
    # sigmoid has s (1 - s) near 0 and the gradient drowns in rounding noise.
    x = rng.standard_normal((N, T, D))
    h0 = rng.standard_normal((N, H))
    Wx = scale * rng.standard_normal((D, 3 * H))
    Wh = scale * rng.standard_normal((H, 3 * H))
    b = 0.1 * rng.standard_normal(3 * H)
    return x, h0, Wx, Wh, b


def test_step_forward_matches_hand_computed_values():
    # D = H = 1: the three gate pre-activations are read off one row of numbers.
    x, h_prev = np.array([[2.0]]), np.array([[1.0]])
    Wx = np.array([[0.5, -0.25, 0.25]])
    Wh = np.array([[1.0, 0.5, 2.0]])
    b = np.array([0.0, 0.0, -0.5])
    h, cache = gru_step_forward(x, h_prev, Wx, Wh, b)
    # a_z = 1 + 1 = 2, a_r = -0.5 + 0.5 = 0, a_n = 0.5 + (r * 1) * 2 - 0.5 = 2 r = 1
    z, r, n = 1 / (1 + np.exp(-2.0)), 0.5, np.tanh(1.0)
    np.testing.assert_allclose(cache.gates, [[z, r, n]], rtol=1e-15)
    np.testing.assert_allclose(h, [[z * 1.0 + (1 - z) * n]], rtol=1e-15)


def test_step_forward_matches_the_equations_as_written():
    # H = 3, so (r * h_prev) Whn differs from r * (h_prev Whn): the reset gate's place is tested.
    rng = np.random.default_rng(7)
    x, h_prev = rng.standard_normal((2, 4)), rng.standard_normal((2, 3))
    Wx, Wh, b = rng.standard_normal((4, 9)), rng.standard_normal((3, 9)), rng.standard_normal(9)
    (Wxz, Wxr, Wxn), (Whz, Whr, Whn) = np.split(Wx, 3, axis=1), np.split(Wh, 3, axis=1)
    bz, br, bn = np.split(b, 3)
    z = 1 / (1 + np.exp(-(x @ Wxz + h_prev @ Whz + bz)))
    r = 1 / (1 + np.exp(-(x @ Wxr + h_prev @ Whr + br)))
    n = np.tanh(x @ Wxn + (r * h_prev) @ Whn + bn)
    h, _ = gru_step_forward(x, h_prev, Wx, Wh, b)
    np.testing.assert_allclose(h, z * h_prev + (1 - z) * n, rtol=1e-13)


def test_forward_equals_loop_of_steps():
    x, h0, Wx, Wh, b = _params(np.random.default_rng(0), 3, 5, 2, 4)
    h, cache = gru_forward(x, h0, Wx, Wh, b)
    h_prev = h0
    for t in range(5):
        h_prev, step = gru_step_forward(x[:, t], h_prev, Wx, Wh, b)
        np.testing.assert_allclose(h[:, t], h_prev, rtol=1e-13, atol=1e-15)
        np.testing.assert_allclose(cache.gates[:, t], step.gates, rtol=1e-13, atol=1e-15)


def test_forward_and_backward_do_not_modify_inputs():
    rng = np.random.default_rng(1)
    args = _params(rng, 2, 3, 2, 2)
    dh = rng.standard_normal((2, 3, 2))
    copies = [a.copy() for a in (*args, dh)]
    _, cache = gru_forward(*args)
    gru_backward(dh, cache)
    step_args = (args[0][:, 0], *args[1:])
    _, step = gru_step_forward(*step_args)
    gru_step_backward(dh[:, 0], step)
    for a, c in zip((*args, dh), copies):
        np.testing.assert_array_equal(a, c)


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1), N=st.integers(1, 3), D=st.integers(1, 3), H=st.integers(1, 3)
)
def test_step_backward_matches_finite_differences(seed, N, D, H):
    rng = np.random.default_rng(seed)
    x, h0, Wx, Wh, b = _params(rng, N, 1, D, H)
    inputs = [x[:, 0], h0, Wx, Wh, b]
    dh = rng.standard_normal((N, H))

    def loss():
        return float(np.sum(gru_step_forward(*inputs)[0] * dh))

    _, cache = gru_step_forward(*inputs)
    for analytic, arr in zip(gru_step_backward(dh, cache), inputs):
        assert rel_error(analytic, numerical_gradient(loss, arr)) < TOL


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    N=st.integers(1, 3),
    T=st.integers(1, 5),
    D=st.integers(1, 3),
    H=st.integers(1, 3),
)
def test_gru_backward_matches_finite_differences(seed, N, T, D, H):
    rng = np.random.default_rng(seed)
    inputs = list(_params(rng, N, T, D, H))
    dh = rng.standard_normal((N, T, H))

    def loss():
        return float(np.sum(gru_forward(*inputs)[0] * dh))

    _, cache = gru_forward(*inputs)
    for analytic, arr in zip(gru_backward(dh, cache), inputs):
        assert rel_error(analytic, numerical_gradient(loss, arr)) < TOL


def test_gru_backward_with_loss_on_last_step_only():
    rng = np.random.default_rng(3)
    inputs = list(_params(rng, 2, 7, 3, 4))
    dh = np.zeros((2, 7, 4))
    dh[:, -1] = rng.standard_normal((2, 4))
    _, cache = gru_forward(*inputs)

    def loss():
        return float(np.sum(gru_forward(*inputs)[0][:, -1] * dh[:, -1]))

    for analytic, arr in zip(gru_backward(dh, cache), inputs):
        assert rel_error(analytic, numerical_gradient(loss, arr)) < TOL


def test_gru_backward_equals_chained_step_backward():
    rng = np.random.default_rng(4)
    x, h0, Wx, Wh, b = _params(rng, 2, 4, 3, 2)
    dh = rng.standard_normal((2, 4, 2))
    _, cache = gru_forward(x, h0, Wx, Wh, b)
    steps, h_prev = [], h0
    for t in range(4):
        h_prev, step = gru_step_forward(x[:, t], h_prev, Wx, Wh, b)
        steps.append(step)
    dh_next, dx, sums = np.zeros_like(h0), np.empty_like(x), [np.zeros_like(Wx), 0, 0]
    for t in range(3, -1, -1):
        dx[:, t], dh_next, *grads = gru_step_backward(dh[:, t] + dh_next, steps[t])
        sums = [s + g for s, g in zip(sums, grads)]
    want = gru_backward(dh, cache)
    for got, w in zip([dx, dh_next, *sums], want):
        np.testing.assert_allclose(got, w, rtol=1e-12, atol=1e-15)


def test_kernels_on_a_stack_of_models_match_each_member():
    # K = 3 independent models with a leading seed axis on every argument, run at once.
    rng = np.random.default_rng(8)
    members = [_params(rng, 2, 4, 3, 5, scale=1.0) for _ in range(3)]
    dhs = rng.standard_normal((3, 2, 4, 5))
    stacked = [np.stack(arrays) for arrays in zip(*members)]  # x (3, 2, 4, 3), ...
    h, gates = _forward(*stacked)
    x, h0, Wx, Wh, _ = stacked
    grads = _backward(dhs, x, h0, Wx, Wh, h, gates)
    assert h.shape == (3, 2, 4, 5) and [g.shape for g in grads] == [a.shape for a in stacked]
    for k, args in enumerate(members):
        want_h, cache = gru_forward(*args)
        np.testing.assert_allclose(h[k], want_h, rtol=1e-12, atol=1e-12)
        for got, want in zip(grads, gru_backward(dhs[k], cache)):
            np.testing.assert_allclose(got[k], want, rtol=1e-12, atol=1e-12)


def test_update_path_gradient_equals_explicit_product():
    rng = np.random.default_rng(5)
    N, T, H = 2, 4, 3
    _, cache = gru_forward(*_params(rng, N, T, 2, H, scale=1.0))
    z = cache.gates[:, :, :H]
    want = [1.0]
    for k in range(1, T):
        prod = np.ones((N, H))
        for t in range(T - k, T):  # 0-based: the last k update gates
            prod = prod * z[:, t]
        want.append(prod.mean())
    np.testing.assert_allclose(update_path_gradient(cache), want, rtol=1e-14)


def test_update_path_gradient_is_the_whole_gradient_when_nothing_else_depends_on_h():
    # With Wh = 0 neither the gates nor the candidate depend on h_{t-1}, so the
    # direct path is the only one: dh_T/dh_{T-k} is exactly z_{T-k+1} ... z_T,
    # and chained gru_step_backward (a loss of sum(h_T)) must reproduce it.
    rng = np.random.default_rng(6)
    N, T, D, H = 3, 6, 2, 2
    x, h0, Wx, _, b = _params(rng, N, T, D, H, scale=1.0)
    Wh = np.zeros((H, 3 * H))
    _, cache = gru_forward(x, h0, Wx, Wh, b)
    z = sigmoid(x @ Wx[:, :H] + b[:H])  # (N, T, H), free of h by construction
    h_prev, steps = h0, []
    for t in range(T):
        h_prev, step = gru_step_forward(x[:, t], h_prev, Wx, Wh, b)
        steps.append(step)
    dh, got, want = np.ones_like(h0), [1.0], [1.0]
    for t in range(T - 1, 0, -1):
        dh = gru_step_backward(dh, steps[t])[1]  # dL/dh_{t-1}, 0-based: h_t is steps[t]'s output
        got.append(dh.mean())
        want.append(np.prod(z[:, t:], axis=1).mean())
    np.testing.assert_allclose(update_path_gradient(cache), got, rtol=1e-13)
    np.testing.assert_allclose(update_path_gradient(cache), want, rtol=1e-13)


def test_saturated_update_gate_copies_the_state_and_the_gradient():
    # A large update bias gives z = 1.0 exactly in float64 (exp(-a) < eps / 2 once a > 37):
    # every step copies h_{t-1}, and dL/dh_{t-1} = z dL/dh_t passes back unchanged.
    rng = np.random.default_rng(9)
    N, T, D, H = 2, 6, 3, 4
    x, h0, Wx, Wh, b = _params(rng, N, T, D, H)
    b[:H] = 100.0
    h, cache = gru_forward(x, h0, Wx, Wh, b)
    np.testing.assert_array_equal(h, np.broadcast_to(h0[:, None], h.shape))
    dh = np.zeros((N, T, H))
    dh[:, -1] = rng.standard_normal((N, H))
    dx, dh0, dWx, dWh, db = gru_backward(dh, cache)
    np.testing.assert_array_equal(dh0, dh[:, -1])
    for g in (dx, dWx, dWh, db):  # (1 - z) = 0 and z (1 - z) = 0 close every other path
        np.testing.assert_array_equal(g, 0.0)
    np.testing.assert_array_equal(update_path_gradient(cache), 1.0)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"x": np.zeros((2, 3))}, r"x: expected 3-d array of shape \(N, T, D\), got 2-d"),
        ({"h0": np.zeros((3, 4))}, r"h0: expected shape \(N, H\) with N = 2, got shape \(3, 4\)"),
        ({"Wx": np.zeros((3, 4))}, r"Wx: expected shape \(3, 12\), got shape \(3, 4\)"),
        ({"Wx": np.zeros((2, 12))}, r"Wx: expected shape \(3, 12\), got shape \(2, 12\)"),
        ({"Wh": np.zeros((4, 16))}, r"Wh: expected shape \(4, 12\), got shape \(4, 16\)"),
        ({"b": np.zeros(4)}, r"b: expected shape \(12,\), got shape \(4,\)"),
        ({"x": np.full((2, 3, 3), np.nan)}, r"x: expected finite values"),
    ],
)
def test_gru_forward_rejects_bad_input(kwargs, match):
    args = {
        "x": np.zeros((2, 3, 3)),
        "h0": np.zeros((2, 4)),
        "Wx": np.zeros((3, 12)),
        "Wh": np.zeros((4, 12)),
        "b": np.zeros(12),
    }
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        gru_forward(**args)


def test_step_and_backward_functions_reject_bad_input():
    args = (np.zeros((2, 1)), np.zeros((2, 3)), np.zeros((1, 9)), np.zeros((3, 9)), np.zeros(9))
    with pytest.raises(ValueError, match=r"h_prev: expected shape \(N, H\) with N = 2"):
        gru_step_forward(args[0], np.zeros((1, 3)), *args[2:])
    with pytest.raises(ValueError, match=r"b: expected shape \(9,\), got shape \(3,\)"):
        gru_step_forward(*args[:4], np.zeros(3))
    _, step = gru_step_forward(*args)
    with pytest.raises(ValueError, match=r"dh: expected 2-d array of shape \(2, 3\), got 1-d"):
        gru_step_backward(np.zeros(3), step)
    _, seq = gru_forward(np.zeros((2, 4, 1)), *args[1:])
    with pytest.raises(ValueError, match=r"dh: expected shape \(2, 4, 3\), got shape \(2, 3, 3\)"):
        gru_backward(np.zeros((2, 3, 3)), seq)
    with pytest.raises(ValueError, match="cache: expected a GRUStepCache from gru_step_forward"):
        gru_step_backward(np.zeros((2, 3)), seq)
    with pytest.raises(ValueError, match=r"cache: expected a GRUCache .*, got GRUStepCache"):
        gru_backward(np.zeros((2, 4, 3)), step)
    with pytest.raises(ValueError, match="cache: expected a GRUCache"):
        update_path_gradient(step)
