"""Tests of rnn_core.linear: the scalar cell and its closed-form BPTT sums."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rnn_core import linear_grad_terms, linear_rnn, linear_rnn_grads, numerical_gradient, rel_error


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
@given(seed=st.integers(0, 2**32 - 1), T=st.integers(1, 60),
       w_h=st.floats(-1.3, 1.3), w_x=st.floats(-2, 2), h0=st.floats(-2, 2))
def test_linear_rnn_equals_python_loop(seed, T, w_h, w_x, h0):
    x = np.random.default_rng(seed).standard_normal(T)
    np.testing.assert_allclose(linear_rnn(x, w_x, w_h, h0), _loop_states(x, w_x, w_h, h0),
                               rtol=1e-10, atol=1e-10)


@settings(max_examples=50, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), N=st.integers(1, 50),
       w_h=st.floats(-1.1, 1.1), w_x=st.floats(-2, 2), h0=st.floats(-2, 2),
       gradout=st.floats(0.1, 3.0))
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


@pytest.mark.parametrize("args, match", [
    ((np.ones((2, 2)), 1.0, 0.5, 0.0, 1.0), r"x: expected 1-d array of shape \(T,\)"),
    ((np.array([]), 1.0, 0.5, 0.0, 1.0), r"x: expected non-empty"),
    ((np.array([1.0, np.nan]), 1.0, 0.5, 0.0, 1.0), r"x: expected finite"),
    ((np.ones(3), np.ones(2), 0.5, 0.0, 1.0), r"w_x: expected a finite real scalar"),
    ((np.ones(3), 1.0, np.inf, 0.0, 1.0), r"w_h: expected a finite real scalar, got inf"),
    ((np.ones(3), 1.0, 0.5, "0", 1.0), r"h0: expected a finite real scalar"),
    ((np.ones(3), 1.0, 0.5, 0.0, np.nan), r"gradout: expected a finite real scalar"),
])
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
