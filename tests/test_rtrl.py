"""Tests of rnn_core.rtrl: forward-mode gradients equal BPTT's, a hand example, bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rnn_core import rel_error
from rnn_core.cell import rnn_backward, rnn_forward
from rnn_core.rtrl import RTRLResult, rtrl_gradients


def _problem(seed, N, T, D, H, scale=0.5):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((N, T, D))
    h0 = rng.standard_normal((N, H))
    Wx = scale * rng.standard_normal((D, H))
    Wh = scale * rng.standard_normal((H, H))
    b = 0.1 * rng.standard_normal(H)
    dh = rng.standard_normal((N, T, H))
    return x, h0, Wx, Wh, b, dh


def _bptt(x, h0, Wx, Wh, b, dh):
    _, dh0, dWx, dWh, db = rnn_backward(dh, rnn_forward(x, h0, Wx, Wh, b)[1])
    return RTRLResult(dWx, dWh, db, dh0)


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    N=st.integers(1, 3),
    T=st.integers(1, 6),
    D=st.integers(1, 3),
    H=st.integers(1, 4),
)
def test_rtrl_equals_bptt(seed, N, T, D, H):
    args = _problem(seed, N, T, D, H)
    rtrl, bptt = rtrl_gradients(*args), _bptt(*args)
    for name in RTRLResult._fields:
        assert getattr(rtrl, name).shape == getattr(bptt, name).shape
        assert rel_error(getattr(rtrl, name), getattr(bptt, name)) < 1e-10, name


def test_rtrl_equals_bptt_on_a_longer_saturating_sequence():
    # Large weights saturate tanh; the two orders of summation must still agree.
    args = _problem(3, 2, 40, 3, 5, scale=1.5)
    for got, want in zip(rtrl_gradients(*args), _bptt(*args)):
        assert rel_error(got, want) < 1e-10


def test_single_step_hand_example():
    # T = 1: a = x Wx + h0 Wh + b = [0.5, -1] + [0.25, -0.5] + [0, 0.25] = [0.75, -1.25],
    # delta = dh * (1 - tanh(a)^2), and every gradient is one outer product with delta.
    x = np.array([[[2.0]]])
    h0 = np.array([[1.0, -1.0]])
    Wx = np.array([[0.25, -0.5]])
    Wh = np.array([[0.5, 0.0], [0.25, 0.5]])
    b = np.array([0.0, 0.25])
    dh = np.array([[[1.0, -2.0]]])
    d1, d2 = 1 - np.tanh(0.75) ** 2, -2 * (1 - np.tanh(-1.25) ** 2)
    g = rtrl_gradients(x, h0, Wx, Wh, b, dh)
    np.testing.assert_allclose(g.dWx, [[2 * d1, 2 * d2]], rtol=1e-14)
    np.testing.assert_allclose(g.dWh, [[d1, d2], [-d1, -d2]], rtol=1e-14)
    np.testing.assert_allclose(g.db, [d1, d2], rtol=1e-14)
    np.testing.assert_allclose(g.dh0, [[0.5 * d1, 0.25 * d1 + 0.5 * d2]], rtol=1e-14)
    for got, want in zip(g, _bptt(x, h0, Wx, Wh, b, dh)):
        np.testing.assert_allclose(got, want, rtol=1e-14)


def test_zero_upstream_gradient_gives_zero():
    x, h0, Wx, Wh, b, dh = _problem(1, 2, 4, 2, 3)
    for g in rtrl_gradients(x, h0, Wx, Wh, b, np.zeros_like(dh)):
        assert not g.any()


def test_inputs_are_not_modified():
    args = _problem(2, 2, 3, 2, 3)
    copies = [a.copy() for a in args]
    rtrl_gradients(*args)
    for a, c in zip(args, copies):
        np.testing.assert_array_equal(a, c)


@pytest.mark.parametrize(
    "name, value, match",
    [
        ("x", np.zeros((2, 3)), r"x: expected 3-d array of shape \(N, T, D\)"),
        ("h0", np.zeros((3, 4)), r"h0: expected shape \(N, H\) with N = 2, got shape \(3, 4\)"),
        ("Wx", np.zeros((5, 4)), r"Wx: expected shape \(D, H\) with D = 3"),
        ("Wh", np.zeros((4, 3)), r"Wh: expected shape \(H, H\) with H = 4"),
        ("b", np.zeros(5), r"b: expected shape \(H,\) with H = 4"),
        ("dh", np.zeros((2, 4, 4)), r"dh: expected shape \(N, T, H\) with T = 3"),
        ("dh", np.full((2, 3, 4), np.nan), r"dh: expected finite values"),
    ],
)
def test_bad_input_is_named(name, value, match):
    args = dict(
        x=np.zeros((2, 3, 3)),
        h0=np.zeros((2, 4)),
        Wx=np.zeros((3, 4)),
        Wh=np.zeros((4, 4)),
        b=np.zeros(4),
        dh=np.zeros((2, 3, 4)),
    )
    args[name] = value
    with pytest.raises(ValueError, match=match):
        rtrl_gradients(**args)
