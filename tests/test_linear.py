"""Tests of rnn_core.linear: the scalar cell and its closed-form BPTT sums."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rnn_core import linear_grad_terms, linear_rnn, linear_rnn_grads, numerical_gradient, rel_error
from rnn_core.linear import _polyval_and_slope, linear_rnn_bptt


def _loop_states(x, w_x, w_h, h0):
    """The recursion written out in plain Python, as the reference."""
    h = [h0]
    for x_t in x:
        h.append(x_t * w_x + h[-1] * w_h)
    return np.array(h)


def _loop_forward_mode(x, w_x, w_h, h0):
    """Forward-mode sensitivities: dh_t/dw_h = h_{t-1} + w_h dh_{t-1}/dw_h, same for w_x."""
    h, s_h, s_x = h0, 0.0, 0.0
    for x_t in x:
        s_h, s_x = h + w_h * s_h, x_t + w_h * s_x  # both use the old h and sensitivities
        h = x_t * w_x + h * w_h
    return s_h, s_x


def test_linear_rnn_fixed_values():
    h = linear_rnn(np.array([1.0, 2.0, -1.0]), w_x=2.0, w_h=0.5, h0=4.0)
    # h1 = 2 + 2 = 4, h2 = 4 + 2 = 6, h3 = -2 + 3 = 1
    np.testing.assert_allclose(h, [4.0, 4.0, 6.0, 1.0], rtol=1e-15)


def test_closed_form_fixed_values():
    # x = (1, 2, -1), w_h = 0.5, h = (4, 4, 6, 1):
    # dh3/dw_h = h2 + w_h h1 + w_h^2 h0 = 6 + 2 + 1 = 9
    # dh3/dw_x = x3 + w_h x2 + w_h^2 x1 = -1 + 1 + 0.25 = 0.25
    d_wh, d_wx = linear_rnn_grads(np.array([1.0, 2.0, -1.0]), 2.0, 0.5, 4.0, gradout=2.0)
    assert d_wh == pytest.approx(18.0, rel=1e-15)
    assert d_wx == pytest.approx(0.5, rel=1e-15)


@settings(max_examples=50, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    T=st.integers(1, 60),
    w_h=st.floats(-1.3, 1.3),
    w_x=st.floats(-2, 2),
    h0=st.floats(-2, 2),
)
def test_linear_rnn_equals_python_loop(seed, T, w_h, w_x, h0):
    x = np.random.default_rng(seed).standard_normal(T)
    np.testing.assert_allclose(
        linear_rnn(x, w_x, w_h, h0), _loop_states(x, w_x, w_h, h0), rtol=1e-10, atol=1e-10
    )


@settings(max_examples=50, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    N=st.integers(1, 50),
    w_h=st.floats(-1.1, 1.1),
    w_x=st.floats(-2, 2),
    h0=st.floats(-2, 2),
    gradout=st.floats(0.1, 3.0),
)
def test_closed_forms_match_finite_differences(seed, N, w_h, w_x, h0, gradout):
    x = np.random.default_rng(seed).standard_normal(N)
    w = np.array([w_h, w_x])

    def loss():  # a loss whose gradient at h_N is gradout
        return gradout * linear_rnn(x, w[1], w[0], h0)[-1]

    # h_N is a polynomial of degree N in w_h, so the eps**2 error term of central
    # differences carries a factor ~N**2: take eps below the default 1e-5.
    numeric = numerical_gradient(loss, w, eps=1e-6)
    analytic = np.array(linear_rnn_grads(x, w_x, w_h, h0, gradout))
    assert rel_error(analytic, numeric) < 1e-7


def test_long_sequence_is_finite_and_matches_forward_mode():
    x = np.random.default_rng(7).standard_normal(100_000)
    d_wh, d_wx = linear_rnn_grads(x, 0.3, 0.999, 0.5, gradout=1.0)
    s_h, s_x = _loop_forward_mode(x, 0.3, 0.999, 0.5)
    assert np.isfinite([d_wh, d_wx]).all()
    assert d_wh == pytest.approx(s_h, rel=1e-9)
    assert d_wx == pytest.approx(s_x, rel=1e-9)
    # Over 1e5 steps the third derivative in w_h is ~1e12, so the O(eps^2) error of
    # central differences needs eps well below the default 1e-5.
    w = np.array([0.999])
    fd = numerical_gradient(lambda: linear_rnn(x, 0.3, w[0], 0.5)[-1], w, eps=1e-8)[0]
    assert d_wh == pytest.approx(fd, rel=1e-6)


def test_polyval_and_slope_fixed_values():
    # 4w^3 + 3w^2 + 2w + 1 at w = -2: -32 + 12 - 4 + 1 = -23; 12w^2 + 6w + 2 = 48 - 12 + 2 = 38
    assert _polyval_and_slope(np.array([4.0, 3.0, 2.0, 1.0]), -2.0) == (-23.0, 38.0)
    assert _polyval_and_slope(np.array([5.0]), 3.0) == (5.0, 0.0)  # n = 1: one block of one
    assert _polyval_and_slope(np.array([3.0, 2.0, 1.0]), 0.0) == (1.0, 2.0)  # no 0 * 0**-1
    p = np.arange(1.0, 11.0)  # n = 10: b = 4, two full rows and a partial row of 2
    assert _polyval_and_slope(p, 0.5) == pytest.approx(
        (np.polyval(p, 0.5), np.polyval(np.polyder(p), 0.5)), rel=1e-15
    )


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 3000), w=st.floats(-1.05, 1.05))
def test_polyval_and_slope_equals_horner(seed, n, w):
    # Every n, so tables with and without a partial row, and single entries, are drawn.
    p = np.random.default_rng(seed).standard_normal(n)
    value, slope = 0.0, 0.0
    for p_k in p:  # Horner for P and P' together, highest power first
        slope = slope * w + value
        value = value * w + p_k
    e = np.arange(n - 1, -1, -1)  # the exponent of each p[k]
    scale = np.abs(p) @ np.abs(w) ** e  # sum of |terms|: the sums' rounding scale
    dscale = np.abs(p[:-1]) @ (e[:-1] * np.abs(w) ** (e[:-1] - 1)) if n > 1 else 0.0
    got = _polyval_and_slope(p, w)
    assert abs(got[0] - value) <= 1e-13 * scale
    assert abs(got[1] - slope) <= 1e-13 * (dscale + 1e-300)


@settings(max_examples=50, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    N=st.integers(1, 400),
    w_h=st.floats(-1.05, 1.05),
    w_x=st.floats(-2, 2),
    h0=st.floats(-2, 2),
)
def test_grads_equal_the_sums_of_the_closed_form_terms(seed, N, w_h, w_x, h0):
    # linear_rnn_grads uses the derivative of the unrolled polynomial; the book's sums
    # are over the states. Same numbers, term sums computed the plain way.
    x = np.random.default_rng(seed).standard_normal(N)
    terms_h, terms_x = linear_grad_terms(x, w_x, w_h, h0)
    d_wh, d_wx = linear_rnn_grads(x, w_x, w_h, h0, 1.0)
    assert d_wh == pytest.approx(terms_h.sum(), rel=1e-10, abs=1e-10 * np.abs(terms_h).sum())
    assert d_wx == pytest.approx(terms_x.sum(), rel=1e-10, abs=1e-10 * np.abs(terms_x).sum())


def test_terms_sum_to_gradients_and_decay_like_powers():
    x = np.ones(6)
    terms_h, terms_x = linear_grad_terms(x, w_x=1.0, w_h=0.5)
    np.testing.assert_allclose(terms_x, 0.5 ** np.arange(6), rtol=1e-15)
    assert terms_h.sum() == pytest.approx(linear_rnn_grads(x, 1.0, 0.5, 0.0, 1.0)[0])


def test_overflow_is_reported_not_returned():
    with pytest.raises(ValueError, match=r"overflowed float64 with w_h = 1.5"):
        linear_rnn_grads(np.ones(5000), 1.0, 1.5, 0.0, 1.0)


def test_regression_slip1_wx_recursion_with_dh_dwh_gives_wrong_gradient():
    # BRIEF.md slip 1: dh_t/dw_x = x_t + w_h dh_{t-1}/dw_h (sic). Run that recursion
    # and confirm it disagrees with the finite-difference gradient.
    x, w_x, w_h, h0 = np.array([0.5, -1.0, 2.0]), 0.7, 0.8, 0.3
    h, s_h, slipped = h0, 0.0, 0.0
    for x_t in x:
        s_h, slipped = h + w_h * s_h, x_t + w_h * s_h
        h = x_t * w_x + h * w_h
    w = np.array([w_x])
    fd = numerical_gradient(lambda: linear_rnn(x, w[0], w_h, h0)[-1], w)[0]
    assert abs(slipped - fd) > 0.1
    assert linear_rnn_grads(x, w_x, w_h, h0, 1.0)[1] == pytest.approx(fd, rel=1e-8)


@pytest.mark.parametrize(
    "args, match",
    [
        ((np.ones((2, 2)), 1.0, 0.5, 0.0, 1.0), r"x: expected 1-d array of shape \(N,\)"),
        ((np.array([]), 1.0, 0.5, 0.0, 1.0), r"x: expected non-empty"),
        ((np.array([1.0, np.nan]), 1.0, 0.5, 0.0, 1.0), r"x: expected finite"),
        ((np.array([1.0, -np.inf]), 1.0, 1.5, 0.0, 1.0), r"x: expected finite"),  # not "overflow"
        ((np.ones(3), np.ones(2), 0.5, 0.0, 1.0), r"w_x: expected a finite real scalar"),
        ((np.ones(3), 1.0, np.inf, 0.0, 1.0), r"w_h: expected a finite real scalar, got inf"),
        ((np.ones(3), 1.0, 0.5, "0", 1.0), r"h0: expected a finite real scalar"),
        ((np.ones(3), 1.0, 0.5, 0.0, np.nan), r"gradout: expected a finite real scalar"),
    ],
)
def test_bad_input_is_named(args, match):
    with pytest.raises(ValueError, match=match):
        linear_rnn_grads(*args)


def test_influence_of_old_inputs_is_w_x_times_a_power_of_w_h():
    # eq-influence: dh_N/dx_s = w_x * w_h**(N - s), measured by central differences.
    N, w_x, w_h = 12, 0.7, 0.8
    x = np.random.default_rng(9).standard_normal(N)
    numeric = numerical_gradient(lambda: linear_rnn(x, w_x, w_h, 0.3)[-1], x)
    s = np.arange(1, N + 1)
    np.testing.assert_allclose(numeric, w_x * w_h ** (N - s), rtol=1e-8)


# --- linear_rnn_grads_every_step: a loss on every state -------------------------------


def _every_step(*args, **kwargs):
    from rnn_core.linear import linear_rnn_grads_every_step  # not (yet) re-exported

    return linear_rnn_grads_every_step(*args, **kwargs)


def _double_sums(x, w_x, w_h, h0, g):
    """The book's double sums evaluated literally, O(N^2), as the reference."""
    h = _loop_states(x, w_x, w_h, h0)  # h[t] is h_t, h[0] = h0
    d_wh = sum(
        g[t - 1] * sum(w_h ** (i - 1) * h[t - i] for i in range(1, t + 1))
        for t in range(1, len(x) + 1)
    )
    d_wx = sum(
        g[t - 1] * sum(w_h**i * x[t - 1 - i] for i in range(t)) for t in range(1, len(x) + 1)
    )
    return d_wh, d_wx


def test_every_step_fixed_values():
    # x = (1, 2, -1), w_x = 2, w_h = 0.5, h = (4, 4, 6, 1):
    # dh_t/dw_h = 4, 4 + 0.5*4 = 6, 6 + 0.5*6 = 9; dh_t/dw_x = 1, 2 + 0.5 = 2.5, -1 + 1.25 = 0.25
    # g = (1, -1, 2): dL/dw_h = 4 - 6 + 18 = 16, dL/dw_x = 1 - 2.5 + 0.5 = -1
    d_wh, d_wx = _every_step(np.array([1.0, 2.0, -1.0]), 2.0, 0.5, 4.0, np.array([1.0, -1.0, 2.0]))
    assert d_wh == pytest.approx(16.0, rel=1e-15)
    assert d_wx == pytest.approx(-1.0, rel=1e-15)


@settings(max_examples=50, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    N=st.integers(1, 12),
    w_h=st.floats(-1.2, 1.2),
    w_x=st.floats(-2, 2),
    h0=st.floats(-2, 2),
)
def test_every_step_equals_literal_double_sums(seed, N, w_h, w_x, h0):
    rng = np.random.default_rng(seed)
    x, g = rng.standard_normal(N), rng.standard_normal(N)
    got = np.array(_every_step(x, w_x, w_h, h0, g))
    want = np.array(_double_sums(x, w_x, w_h, h0, g))
    np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-10 * (1 + np.abs(want).max()))


@settings(max_examples=50, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    N=st.integers(1, 40),
    w_h=st.floats(-1.05, 1.05),
    w_x=st.floats(-2, 2),
    h0=st.floats(-2, 2),
)
def test_every_step_matches_finite_differences(seed, N, w_h, w_x, h0):
    rng = np.random.default_rng(seed)
    x, g = rng.standard_normal(N), rng.standard_normal(N)
    w = np.array([w_h, w_x])

    def loss():  # sum_t g_t h_t: its gradient at h_t is g_t
        return float(g @ linear_rnn(x, w[1], w[0], h0)[1:])

    # As above: h_t has degree t in w_h, so eps below the default 1e-5.
    numeric = numerical_gradient(loss, w, eps=1e-6)
    analytic = np.array(_every_step(x, w_x, w_h, h0, g))
    assert rel_error(analytic, numeric) < 1e-7


def test_every_step_with_loss_only_at_the_end_is_linear_rnn_grads():
    x = np.random.default_rng(3).standard_normal(25)
    g = np.zeros(25)
    g[-1] = 1.7
    np.testing.assert_allclose(
        _every_step(x, 0.4, 0.9, -0.3, g), linear_rnn_grads(x, 0.4, 0.9, -0.3, 1.7), rtol=1e-12
    )


def test_every_step_is_linear_in_g_and_the_sum_of_last_step_losses():
    # sum_t g_t dh_t/dw = sum_t linear_rnn_grads on the prefix x_1..x_t with gradout g_t.
    rng = np.random.default_rng(4)
    x, g = rng.standard_normal(8), rng.standard_normal(8)
    parts = [linear_rnn_grads(x[:t], 0.7, -0.8, 0.2, g[t - 1]) for t in range(1, 9)]
    np.testing.assert_allclose(_every_step(x, 0.7, -0.8, 0.2, g), np.sum(parts, axis=0), rtol=1e-12)


def test_every_step_long_sequence_is_finite_and_overflow_is_reported():
    x = np.random.default_rng(5).standard_normal(100_000)
    assert np.isfinite(_every_step(x, 0.3, 0.999, 0.5, np.ones(100_000))).all()
    with pytest.raises(ValueError, match=r"overflowed float64 with w_h = 1.5"):
        _every_step(np.ones(5000), 1.0, 1.5, 0.0, np.ones(5000))


@pytest.mark.parametrize(
    "args, match",
    [
        (
            (np.ones(3), 1.0, 0.5, 0.0, np.ones(4)),
            r"g: expected shape \(N,\) with N = 3, got shape",
        ),
        ((np.ones(3), 1.0, 0.5, 0.0, np.ones((3, 1))), r"g: expected 1-d array"),
        ((np.ones(3), 1.0, 0.5, 0.0, np.array([1.0, np.inf, 0.0])), r"g: expected finite"),
        ((np.ones((3, 1)), 1.0, 0.5, 0.0, np.ones(3)), r"x: expected 1-d array"),
        ((np.ones(3), 1.0, None, 0.0, np.ones(3)), r"w_h: expected a finite real scalar"),
    ],
)
def test_every_step_bad_input_is_named(args, match):
    with pytest.raises(ValueError, match=match):
        _every_step(*args)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), N=st.integers(1, 25), w_h=st.floats(-1.2, 1.2))
def test_bptt_recursion_equals_the_double_sum(seed, N, w_h):
    # eq-adjoint against eq-double-sum evaluated literally, term by term.
    rng = np.random.default_rng(seed)
    x, g, w_x, h0 = rng.standard_normal(N), rng.standard_normal(N), 0.7, 0.3
    h = linear_rnn(x, w_x, w_h, h0)
    double_h = sum(
        g[t - 1] * sum(w_h ** (i - 1) * h[t - i] for i in range(1, t + 1)) for t in range(1, N + 1)
    )
    double_x = sum(g[t - 1] * sum(w_h**i * x[t - i - 1] for i in range(t)) for t in range(1, N + 1))
    np.testing.assert_allclose(
        linear_rnn_bptt(x, w_x, w_h, h0, g), [double_h, double_x], rtol=1e-9, atol=1e-12
    )
