"""Tests of rnn_core.truncation: sliding horizons, unbiased random horizons, the bias curve."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rnn_core.cell import rnn_backward, rnn_forward
from rnn_core.truncation import (
    randomized_truncated_backward,
    sliding_truncated_backward,
    truncated_gradient,
    truncation_bias,
)


def _problem(seed, N=2, T=7, D=2, H=3, rho=0.9, x_scale=1.0):
    """A network whose Wh is rho times an orthogonal matrix: memory decays like rho**lag."""
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.standard_normal((H, H)))
    x = x_scale * rng.standard_normal((N, T, D))
    h0 = 0.1 * rng.standard_normal((N, H))
    Wx = rng.standard_normal((D, H))
    b = 0.1 * rng.standard_normal(H)
    dh = rng.standard_normal((N, T, H))
    return x, h0, Wx, rho * Q, b, dh


def _cache(x, h0, Wx, Wh, b, dh):
    return rnn_forward(x, h0, Wx, Wh, b)[1]


def _sliding_reference(x, h0, Wx, Wh, b, dh, k):
    """One detached BPTT per loss term: steps t-k+1..t, the state entering them held constant."""
    h = rnn_forward(x, h0, Wx, Wh, b)[0]
    T = x.shape[1]
    dx, dh0 = np.zeros_like(x), np.zeros_like(h0)
    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)
    for t in range(T):
        s = max(0, t - k + 1)
        h_in = h0 if s == 0 else h[:, s - 1]  # the true incoming state, as a constant
        _, cache = rnn_forward(x[:, s : t + 1], h_in, Wx, Wh, b)
        dh_one = np.zeros((x.shape[0], t + 1 - s, h0.shape[1]))
        dh_one[:, -1] = dh[:, t]  # only this loss term
        gx, gh0, gWx, gWh, gb = rnn_backward(dh_one, cache)
        dx[:, s : t + 1] += gx
        dh0 += gh0 if s == 0 else 0.0
        dWx, dWh, db = dWx + gWx, dWh + gWh, db + gb
    return dx, dh0, dWx, dWh, db


def test_truncated_gradient_is_rnn_backward_with_windows():
    args = _problem(0)
    cache = _cache(*args)
    for a, b in zip(truncated_gradient(args[-1], cache, 3), rnn_backward(args[-1], cache, 3)):
        np.testing.assert_array_equal(a, b)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    N=st.integers(1, 3),
    T=st.integers(1, 8),
    H=st.integers(1, 4),
    k=st.integers(1, 9),
)
def test_sliding_equals_sum_of_detached_single_term_bptts(seed, N, T, H, k):
    args = _problem(seed, N=N, T=T, H=H)
    got = sliding_truncated_backward(args[-1], _cache(*args), k)
    for name, a, b in zip(["dx", "dh0", "dWx", "dWh", "db"], got, _sliding_reference(*args, k)):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12, err_msg=name)


def test_sliding_with_k_at_least_T_is_full_bptt():
    args = _problem(1, T=6)
    cache = _cache(*args)
    for k in (6, 50):
        for a, b in zip(
            sliding_truncated_backward(args[-1], cache, k), rnn_backward(args[-1], cache)
        ):
            np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)


def test_sliding_and_window_agree_for_k_1():
    # With k = 1 both keep only the direct term of each loss.
    args = _problem(2)
    cache = _cache(*args)
    for a, b in zip(
        sliding_truncated_backward(args[-1], cache, 1), truncated_gradient(args[-1], cache, 1)
    ):
        np.testing.assert_allclose(a, b, rtol=1e-13, atol=1e-15)


def test_randomized_with_c_1_is_full_bptt():
    args = _problem(3)
    cache = _cache(*args)
    full = rnn_backward(args[-1], cache)
    for c in (1.0, np.ones(7)):
        for a, b in zip(randomized_truncated_backward(args[-1], cache, c, rng=5), full):
            np.testing.assert_allclose(a, b, rtol=1e-14, atol=1e-15)


def test_randomized_is_unbiased_and_plain_truncation_is_not():
    # 20000 estimates of dWh on one sequence: the batch holds 200 copies of it
    # (each copy draws its own horizon), so each call's dWh / 200 is the mean of
    # 200 independent estimates; 100 calls give the standard error.
    x, h0, Wx, Wh, b, dh = _problem(0, N=1, T=12, rho=0.95, x_scale=0.3)
    full = rnn_backward(dh, _cache(x, h0, Wx, Wh, b, dh))[3]
    copies, calls, c = 200, 100, 0.75
    xr, h0r, dhr = (np.repeat(a, copies, axis=0) for a in (x, h0, dh))
    cache = rnn_forward(xr, h0r, Wx, Wh, b)[1]
    rng = np.random.default_rng(1)
    means = np.array(
        [randomized_truncated_backward(dhr, cache, c, rng)[3] / copies for _ in range(calls)]
    )  # (calls, H, H)
    mean, stderr = means.mean(axis=0), means.std(axis=0, ddof=1) / np.sqrt(calls)
    assert np.all(np.abs(mean - full) < 4 * stderr)
    assert np.linalg.norm(mean - full) / np.linalg.norm(full) < 0.05
    # Same mean horizon, 1 / (1 - c) = 4 steps, without reweighting: biased.
    plain = sliding_truncated_backward(dh, _cache(x, h0, Wx, Wh, b, dh), 4)[3]
    assert np.min(np.abs(plain - full) / stderr) > 5  # every entry; the median is ~40
    assert np.linalg.norm(plain - full) / np.linalg.norm(full) > 0.2


def test_randomized_is_reproducible_with_a_seed_and_varies_without():
    args = _problem(4, T=10)
    cache = _cache(*args)
    a = randomized_truncated_backward(args[-1], cache, 0.5, rng=11)
    b = randomized_truncated_backward(args[-1], cache, 0.5, rng=np.random.default_rng(11))
    c = randomized_truncated_backward(args[-1], cache, 0.5, rng=12)
    for u, v in zip(a, b):
        np.testing.assert_array_equal(u, v)
    assert not np.array_equal(a[3], c[3])


def test_randomized_per_step_probabilities_cut_where_c_is_small():
    # c[t] -> tiny at one step: an estimate either cuts there or scales the link by
    # 1 / c[t]; with c = 1 elsewhere, the seed that cuts gives the window-style cut.
    x, h0, Wx, Wh, b, dh = _problem(5, N=1, T=6)
    cache = _cache(x, h0, Wx, Wh, b, dh)
    c = np.array([1.0, 1.0, 1.0, 1e-12, 1.0, 1.0])  # the link from step 3 into h_2
    got = randomized_truncated_backward(dh, cache, c, rng=0)
    dh_late, dh_early = dh.copy(), dh.copy()
    dh_late[:, :3], dh_early[:, 3:] = 0.0, 0.0
    late = rnn_backward(dh_late, cache, truncate=3)  # windows [0, 3) and [3, 6)
    early = rnn_backward(dh_early, cache)
    for g, u, v in zip(got, late, early):
        np.testing.assert_allclose(g, u + v, rtol=1e-12, atol=1e-14)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), T=st.integers(2, 10))
def test_bias_is_zero_at_T_and_falls_with_k_when_paths_share_a_sign(seed, T):
    # Nonnegative inputs, weights and dh: every path adds a nonnegative amount to
    # dWh, so a longer sliding horizon can only shrink the omitted remainder.
    rng = np.random.default_rng(seed)
    H, D = 3, 2
    x, dh = rng.random((2, T, D)), rng.random((2, T, H))
    h0, Wx, b = rng.random((2, H)), rng.random((D, H)), np.zeros(H)
    Wh = 0.5 * rng.random((H, H)) / H  # row sums < 0.5: contracting
    ks = list(range(1, T + 3))
    bias = truncation_bias(x, h0, Wx, Wh, b, dh, ks)
    assert bias[0] > 0
    assert np.all(np.diff(bias) <= 1e-12)
    np.testing.assert_allclose(bias[T - 1 :], 0.0, atol=1e-14)
    window = truncation_bias(x, h0, Wx, Wh, b, dh, ks, kind="window")
    np.testing.assert_allclose(window[T - 1 :], 0.0, atol=1e-14)


def test_bias_on_a_contracting_orthogonal_example():
    x, h0, Wx, Wh, b, dh = _problem(0, N=2, T=10, rho=0.5)
    bias = truncation_bias(x, h0, Wx, Wh, b, dh, range(1, 12))
    assert np.all(np.diff(bias) <= 0)
    assert bias[0] > 0.1 and bias[-1] < 1e-14


@pytest.mark.parametrize(
    "call, match",
    [
        (
            lambda dh, cache: sliding_truncated_backward(dh, cache, 0),
            r"k: expected an integer in \[1, inf\], got 0",
        ),
        (
            lambda dh, cache: sliding_truncated_backward(dh[:, :-1], cache, 2),
            r"dh: expected shape \(2, 7, 3\), got shape \(2, 6, 3\)",
        ),
        (
            lambda dh, cache: randomized_truncated_backward(dh, cache, 0.0),
            r"c: expected continuation probabilities in \(0, 1\]",
        ),
        (
            lambda dh, cache: randomized_truncated_backward(dh, cache, 1.5),
            r"c: expected continuation probabilities in \(0, 1\]",
        ),
        (
            lambda dh, cache: randomized_truncated_backward(dh, cache, np.ones(3)),
            r"c: expected shape \(7,\), got shape \(3,\)",
        ),
        (
            lambda dh, cache: randomized_truncated_backward(dh, cache, "0.5"),
            r"c: expected a finite real scalar",
        ),
        (
            lambda dh, cache: randomized_truncated_backward(dh * np.nan, cache, 0.5),
            r"dh: expected finite values",
        ),
    ],
)
def test_bad_input_is_named(call, match):
    args = _problem(6)
    with pytest.raises(ValueError, match=match):
        call(args[-1], _cache(*args))


def test_truncation_bias_rejects_bad_ks_and_kind():
    args = _problem(7)
    with pytest.raises(ValueError, match=r"ks\[1\]: expected an integer in \[1, inf\], got 0"):
        truncation_bias(*args, [2, 0])
    with pytest.raises(ValueError, match=r"kind: expected one of \['sliding', 'window'\]"):
        truncation_bias(*args, [2], kind="random")
