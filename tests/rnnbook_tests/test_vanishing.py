import itertools

import numpy as np
import pytest

from rnn_core.cell import rnn_forward
from rnn_core.gradcheck import numerical_gradient
from rnnbook.experiments import vanishing
from rnnbook.experiments.vanishing import spectral_norms
from rnnbook.figures import ch05
from sliders import Bars, static


def _loss_from(state, x_tail, Wx, Wh, b, g):
    """L = g . h_T for one example, running the tail of the sequence from ``state``."""
    if x_tail.shape[1] == 0:
        return float(state[0] @ g)
    h, _ = rnn_forward(x_tail, state, Wx, Wh, b)
    return float(h[0, -1] @ g)


def test_state_gradient_norms_match_finite_differences():
    rng = np.random.default_rng(3)
    T, D, H = 6, 2, 3
    x, h0 = rng.standard_normal((1, T, D)), rng.standard_normal((1, H))
    Wx, Wh, b = (
        rng.standard_normal((D, H)),
        0.8 * rng.standard_normal((H, H)),
        rng.standard_normal(H),
    )
    g = np.ones(H) / np.sqrt(H)
    h, _ = rnn_forward(x, h0, Wx, Wh, b)
    norms = vanishing.state_gradient_norms(x, h0, Wx, Wh, b)
    assert norms.shape == (T,)
    eps = 1e-6
    for k in range(T):
        state, tail = h[:, T - 1 - k], x[:, T - k :]
        grad = np.empty(H)
        for j in range(H):
            e = np.zeros((1, H))
            e[0, j] = eps
            grad[j] = (
                _loss_from(state + e, tail, Wx, Wh, b, g)
                - _loss_from(state - e, tail, Wx, Wh, b, g)
            ) / (2 * eps)
        assert abs(np.linalg.norm(grad) - norms[k]) / norms[k] < 1e-6


def test_state_gradient_norms_average_over_the_batch():
    rng = np.random.default_rng(4)
    x, Wx, Wh = (
        rng.standard_normal((2, 5, 1)),
        rng.standard_normal((1, 2)),
        rng.standard_normal((2, 2)),
    )
    h0, b = np.zeros((2, 2)), np.zeros(2)
    both = vanishing.state_gradient_norms(x, h0, Wx, Wh, b)
    each = [vanishing.state_gradient_norms(x[i : i + 1], h0[:1], Wx, Wh, b) for i in range(2)]
    assert np.allclose(both, (each[0] + each[1]) / 2, rtol=1e-14)


def test_decay_left_panel_is_the_floored_power():
    fig = ch05.decay_slider()
    for w_h, T in ((0.5, 60), (-1.2, 25), (0.0, 10)):
        line = fig.spec(w_h=w_h, T=T).charts[0].marks[1]
        k = np.arange(T)
        assert np.array_equal(line.x, k)
        assert np.allclose(line.y, np.maximum(abs(w_h) ** k, 1e-12), rtol=1e-14, atol=0)


def test_decay_regime_titles():
    fig = ch05.decay_slider()
    for w_h, word in (
        (0.5, "vanishing"),
        (1.0, "neutral"),
        (1.2, "exploding"),
        (-1.2, "exploding"),
        (-1.0, "neutral"),
    ):
        assert fig.spec(w_h=w_h).charts[0].title.startswith(word)


def test_decay_bars_are_the_closed_form_terms():
    fig = ch05.decay_slider()
    bars = [m for m in fig.spec(w_h=0.9, T=40).charts[1].marks if isinstance(m, Bars)]
    assert [len(b.x) for b in bars] == [5, 15, 20]
    assert np.array_equal(np.concatenate([b.x for b in bars]), np.arange(1, 41))
    assert len(fig.spec(T=10).charts[1].marks) == 2  # no empty "i > 20" bin


def test_saturation_slope_falls_and_product_stays_under_the_bound():
    fig = ch05.saturation_slider()
    slopes = [vanishing.tanh_jacobian_factors(s)[1].mean() for s in (0.5, 1.0, 2.0, 3.0, 4.0)]
    assert all(a > b for a, b in itertools.pairwise(slopes))
    for s in (0.1, 1.0, 4.0):
        for w_h in (0.9, 1.5):
            left = fig.spec(scale=s, w_h=w_h).charts[0]
            bound, prod = left.marks[1].y, left.marks[2].y
            assert np.all(prod <= bound * (1 + 1e-12))
            assert prod[0] == 1.0
    # The frames the chapter discusses, and the one where |w_H| > 1 still vanishes.
    assert fig.frames[2] == {"scale": 1.0, "w_h": 1.5}
    exploding_weight = fig.spec(scale=1.0, w_h=1.5).charts[0].marks[2].y
    assert exploding_weight[-1] < 1e-12


def test_scaled_recurrence_has_the_requested_radius():
    for radius in (0.5, 1.0, 1.37):
        W = vanishing.scaled_recurrence(32, radius)
        assert abs(np.max(np.abs(np.linalg.eigvals(W))) - radius) < 1e-10


def test_small_radius_vanishes():
    norms, sigma = vanishing.spectral_norms(0.5)
    assert norms[-1] < 1e-6 * norms[0]
    assert sigma >= 0.5  # sigma_max is never below the spectral radius


def test_spectral_chart_and_slider():
    study = vanishing.spectral_study(seeds=(0, 1, 2), H=8, T=20)
    chart = ch05.spectral_radius_chart(study)
    assert len(chart.marks) == 1 + 3 * 3  # a reference line; band, median, rho^k per radius
    median = chart.marks[2].y
    np.testing.assert_allclose(median, np.median(study.norms[0.8], axis=0))
    fig = ch05.spectral_radius_slider()
    assert fig.spec(radius=1.0).title.startswith(r"$\rho$ = 1.00, $\sigma_{\max}$ = ")


def test_payloads_fit_and_are_deterministic():
    makers = (ch05.decay_slider, ch05.saturation_slider, ch05.spectral_radius_slider)
    for make in makers:
        fig = make()
        assert len(fig.payload().encode("utf8")) < static.MAX_BYTES
        assert fig.to_html() == make().to_html()


def test_tanh_product_matches_finite_differences():
    # eq-decay-tanh: dh_T/dh_(T-k) = prod over the last k steps of w_H (1 - h_t^2).
    rng = np.random.default_rng(4)
    x, w_h, T, k = rng.standard_normal((1, 12, 1)), 0.9, 12, 5
    Wx, Wh, b = np.array([[0.8]]), np.array([[w_h]]), np.zeros(1)
    h, _ = rnn_forward(x, np.zeros((1, 1)), Wx, Wh, b)
    start = np.array([[h[0, T - k - 1, 0]]])  # h_(T-k)

    def tail():
        return rnn_forward(x[:, T - k :], start, Wx, Wh, b)[0][0, -1, 0]

    fd = numerical_gradient(tail, start)[0, 0]
    assert fd == pytest.approx(np.prod(w_h * (1 - h[0, T - k :, 0] ** 2)), rel=1e-8)


@pytest.mark.parametrize("radius", [0.5, 0.8, 1.2])
def test_gradient_norms_obey_the_singular_value_bound(radius):
    # eq-pascanu-bound with gamma = 1: ||dL/dh_(T-k)|| <= sigma_max^k ||dL/dh_T||.
    norms, sigma_max = spectral_norms(radius, H=16, T=30, seed=1)
    k = np.arange(len(norms))
    assert np.all(norms <= norms[0] * sigma_max**k * (1 + 1e-9))


def test_eigendecomposition_powers_need_a_symmetric_matrix():
    # eq-eigen: W^t = Q Lambda^t Q^T holds for symmetric W (orthogonal Q), not in general.
    A = np.random.default_rng(0).standard_normal((4, 4))
    lam, Q = np.linalg.eigh((A + A.T) / 4)
    np.testing.assert_allclose(
        (Q * lam**5) @ Q.T, np.linalg.matrix_power((A + A.T) / 4, 5), atol=1e-12
    )
    lam, Q = np.linalg.eig(A / 2)
    assert not np.allclose((Q * lam**5) @ Q.T, np.linalg.matrix_power(A / 2, 5))
