"""Tests for rnn_core.ar: recovery of known coefficients, prediction alignment, validation."""

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from rnn_core.ar import (
    ARModel,
    fit_ar,
    forecast_k_step,
    latent_states,
    normal_equations,
    predict_one_step,
    rollout,
    select_tau,
)
from rnn_core.data import ar_process, make_windows, sine_with_noise

finite = st.floats(-2.0, 2.0, allow_nan=False, allow_infinity=False)


@st.composite
def models_and_series(draw):
    """A small AR model and a sequence long enough for it."""
    tau = draw(st.integers(1, 4))
    coef = draw(arrays(np.float64, tau, elements=st.floats(-0.6, 0.6)))
    c = draw(finite)
    x = draw(arrays(np.float64, st.integers(tau + 1, 30), elements=finite))
    return ARModel(coef=coef, c=c), x


def forecast_reference(model, x, k):
    """k-step forecast with an explicit loop over start points (the slow, obvious way)."""
    tau, out = model.coef.shape[0], []
    for t in range(tau + k - 1, x.shape[0]):
        window = list(x[t - k - tau + 1 : t - k + 1])  # true values, time order
        for _ in range(k):
            window.append(model.coef @ window[::-1][:tau] + model.c)
        out.append(window[-1])
    return np.array(out)


# ---------------------------------------------------------------- fitting


def test_fit_ar_recovers_ar2_coefficients():
    coef = np.array([0.6, -0.3])
    x = ar_process(coef, 5000, c=0.5, seed=0)
    model = fit_ar(x, 2)
    assert model.coef.shape == (2,) and model.coef.dtype == np.float64
    assert np.max(np.abs(model.coef - coef)) < 0.02  # measured: 0.0076
    assert abs(model.c - 0.5) < 0.05


def test_clean_sine_is_exactly_ar2():
    # sin(w(t+1)) + sin(w(t-1)) = 2 cos(w) sin(wt): a_1 = 2 cos(w), a_2 = -1.
    _, x = sine_with_noise(T=1000, freq=0.01, sigma=0.0)
    model = fit_ar(x, tau=2, intercept=False)
    np.testing.assert_allclose(model.coef, [2 * np.cos(0.01), -1.0], rtol=0, atol=1e-6)
    assert model.c == 0.0


def test_fit_ar_is_exact_on_a_noise_free_recursion_with_intercept():
    x = [10.0]
    for _ in range(19):
        x.append(0.5 * x[-1] + 1.0)
    model = fit_ar(x, 1)
    np.testing.assert_allclose(model.coef, [0.5], atol=1e-10)
    assert abs(model.c - 1.0) < 1e-10


def test_one_step_mse_on_noisy_sine_is_near_the_noise_variance():
    _, x = sine_with_noise(T=1000, sigma=0.2, seed=0)
    tau = 4
    model = fit_ar(x[:600], tau)
    mse = np.mean((predict_one_step(model, x[600 - tau :]) - x[600:]) ** 2)
    assert 0.03 < mse < 0.055  # measured: 0.0441; sigma^2 = 0.04


@pytest.mark.parametrize("intercept", [True, False])
@pytest.mark.parametrize("tau", [1, 2, 4])
def test_normal_equations_give_the_lstsq_solution(tau, intercept):
    for x in (ar_process([0.6, -0.3], 2000, c=0.2, seed=3), sine_with_noise(T=500)[1]):
        A, rhs = normal_equations(x, tau, intercept)
        model = fit_ar(x, tau, intercept)
        w = np.append(model.coef, model.c) if intercept else model.coef
        np.testing.assert_allclose(np.linalg.solve(A, rhs), w, rtol=0, atol=1e-10)


def test_normal_equations_layout():
    x = np.array([1.0, 2.0, 0.0, -1.0, 3.0])
    A, rhs = normal_equations(x, 2)
    X, y = make_windows(x, 2)
    X1 = np.column_stack([X, np.ones(3)])  # intercept column last
    np.testing.assert_allclose(A, X1.T @ X1)
    np.testing.assert_allclose(rhs, X1.T @ y)
    assert A[-1, -1] == 3.0 and rhs[-1] == y.sum()
    A0, rhs0 = normal_equations(x, 2, intercept=False)
    np.testing.assert_allclose(A0, X.T @ X)
    np.testing.assert_allclose(rhs0, X.T @ y)


def test_fit_ar_accepts_the_shortest_determined_sequence():
    # AR(2) with intercept has 3 unknowns: T - 2 >= 3 rows needs T = 5.
    assert fit_ar([1.0, 2.0, 0.0, -1.0, 3.0], 2).coef.shape == (2,)
    assert fit_ar([1.0, 2.0, 0.0, -1.0], 2, intercept=False).coef.shape == (2,)


# ---------------------------------------------------------------- prediction


def test_predict_one_step_exact():
    model = ARModel(coef=np.array([1.0, -0.5]), c=1.0)
    # x_t = x_{t-1} - 0.5 x_{t-2} + 1
    np.testing.assert_allclose(predict_one_step(model, [1.0, 2.0, 3.0, 4.0]), [2.5, 3.0])


def test_forecast_k_step_exact():
    model = ARModel(coef=np.array([1.0]), c=1.0)  # x_t = x_{t-1} + 1
    x = np.array([0.0, 10.0, 20.0, 30.0, 40.0])
    np.testing.assert_allclose(forecast_k_step(model, x, 1), [1.0, 11.0, 21.0, 31.0])
    np.testing.assert_allclose(forecast_k_step(model, x, 3), [3.0, 13.0])
    np.testing.assert_allclose(forecast_k_step(model, x, 4), [4.0])


@given(models_and_series())
def test_forecast_one_step_equals_predict_one_step(model_x):
    model, x = model_x
    np.testing.assert_allclose(
        forecast_k_step(model, x, 1), predict_one_step(model, x), rtol=1e-12, atol=1e-12
    )


@given(models_and_series(), st.data())
def test_forecast_k_step_matches_the_explicit_loop(model_x, data):
    model, x = model_x
    k = data.draw(st.integers(1, x.shape[0] - model.coef.shape[0]))
    y = forecast_k_step(model, x, k)
    assert y.shape == (x.shape[0] - model.coef.shape[0] - k + 1,)
    np.testing.assert_allclose(y, forecast_reference(model, x, k), rtol=1e-10, atol=1e-10)
    # The last k-step forecast is a k-step rollout from the history before it.
    np.testing.assert_allclose(y[-1], rollout(model, x[: x.shape[0] - k], k)[-1], atol=1e-10)


def test_rollout_deviation_is_a_sum_of_powers_of_the_characteristic_roots():
    """eq-char-poly: the rollout's deviation from its level is sum_i B_i xi_i^t, with xi_i the
    roots of xi^tau - phi_1 xi^(tau-1) - ... - phi_tau and B_i fixed by the first tau values."""
    _, x = sine_with_noise(T=1000, seed=0)
    model = fit_ar(x[:600], 4)
    roots = np.roots(np.r_[1.0, -model.coef])
    assert len(set(np.round(roots, 8))) == 4  # distinct, so the power form holds
    level = model.c / (1 - model.coef.sum())
    path = np.r_[x[596:600], rollout(model, x[:600], 60)] - level  # t = -3 .. 60
    t = np.arange(-3, 61)
    B = np.linalg.solve(roots[None, :] ** t[:4, None], path[:4])
    np.testing.assert_allclose((roots[None, :] ** t[:, None]) @ B, path, atol=1e-9)
    # the roots of any other polynomial (one sign flipped) do not reproduce the rollout
    wrong = np.roots(np.r_[1.0, model.coef])
    B_wrong = np.linalg.solve(wrong[None, :] ** t[:4, None], path[:4])
    assert np.max(np.abs((wrong[None, :] ** t[:, None]) @ B_wrong - path)) > 0.1


def test_forecast_error_grows_with_the_horizon():
    _, x = sine_with_noise(T=1000)
    model = fit_ar(x[:600], 4)
    mse = [np.mean((forecast_k_step(model, x, k) - x[4 + k - 1 :]) ** 2) for k in (1, 16, 64)]
    assert mse[0] < mse[1] < mse[2]


def test_rollout_exact_and_uses_only_the_last_tau_values():
    model = ARModel(coef=np.array([0.5]), c=0.0)
    np.testing.assert_allclose(rollout(model, [3.0, 8.0], 3), [4.0, 2.0, 1.0])
    model2 = ARModel(coef=np.array([0.5, 0.25]), c=1.0)
    np.testing.assert_array_equal(
        rollout(model2, [9.0, 9.0, 2.0, 4.0], 5), rollout(model2, [2.0, 4.0], 5)
    )
    # x_t = 0.5 * 4 + 0.25 * 2 + 1 = 3.5, then 0.5 * 3.5 + 0.25 * 4 + 1 = 3.75
    np.testing.assert_allclose(rollout(model2, [2.0, 4.0], 2), [3.5, 3.75])


def test_rollout_of_clean_sine_model_continues_the_sine():
    _, x = sine_with_noise(T=700, sigma=0.0)
    model = fit_ar(x[:600], 2, intercept=False)
    np.testing.assert_allclose(rollout(model, x[:600], 100), x[600:], atol=1e-6)


# ---------------------------------------------------------------- tau selection


def test_select_tau_matches_a_manual_computation():
    _, x = sine_with_noise(T=400)
    train, valid = x[:300], x[300:]
    mse = select_tau(train, valid, [1, 3])
    assert mse.shape == (2,) and mse.dtype == np.float64
    model = fit_ar(train, 3)
    pred = predict_one_step(model, np.concatenate([train[-3:], valid]))
    assert pred.shape == valid.shape  # every tau is scored on all of x_valid
    assert abs(mse[1] - np.mean((pred - valid) ** 2)) < 1e-15


def test_select_tau_prefers_some_history_on_the_noisy_sine():
    _, x = sine_with_noise(T=1000)
    mse = select_tau(x[:600], x[600:], np.array([1, 4, 16]))
    assert mse[1] < mse[0] and mse[2] < mse[0]


# ---------------------------------------------------------------- validation


GOOD = ARModel(coef=np.array([0.5, 0.1]), c=0.0)
X10 = np.linspace(0.0, 1.0, 10) ** 2

BAD_CALLS = {
    "x": [
        lambda: fit_ar(np.zeros((5, 2)), 1),
        lambda: fit_ar([], 1),
        lambda: fit_ar([1.0, np.nan, 2.0, 3.0], 1),
        lambda: fit_ar(X10[:8], 4),  # AR(4) + intercept needs 9 values
        lambda: fit_ar(X10[:7], 4, intercept=False),  # needs 8
        lambda: normal_equations(X10[:4], 2),
        lambda: predict_one_step(GOOD, X10[:2]),
        lambda: predict_one_step(GOOD, X10[None]),
        lambda: forecast_k_step(GOOD, X10[:2], 1),
        lambda: forecast_k_step(GOOD, [1.0, np.inf, 2.0], 1),
    ],
    "tau": [
        lambda: fit_ar(X10, 0),
        lambda: fit_ar(X10, 2.0),
        lambda: normal_equations(X10, -1),
    ],
    "intercept": [
        lambda: fit_ar(X10, 1, intercept=1),
        lambda: normal_equations(X10, 1, intercept="yes"),
        lambda: select_tau(X10, X10, [1], intercept=None),
    ],
    "model": [
        lambda: predict_one_step((np.array([0.5]), 0.0), X10),
        lambda: forecast_k_step(None, X10, 1),
        lambda: rollout([0.5], X10, 3),
        lambda: rollout(ARModel(np.array([2.0]), 0.0), [1.0], 2000),  # overflows
        lambda: predict_one_step(ARModel(np.array([1e300]), 0.0), [1e300, 1.0]),
        lambda: forecast_k_step(ARModel(np.array([1e200]), 0.0), X10 + 1.0, 3),
    ],
    "model.coef": [
        lambda: predict_one_step(ARModel(np.array([[0.5]]), 0.0), X10),
        lambda: predict_one_step(ARModel(np.array([]), 0.0), X10),
        lambda: rollout(ARModel(np.array([np.nan]), 0.0), X10, 2),
    ],
    "model.c": [
        lambda: predict_one_step(ARModel(np.array([0.5]), np.nan), X10),
        lambda: forecast_k_step(ARModel(np.array([0.5]), "1"), X10, 1),
    ],
    "k": [
        lambda: forecast_k_step(GOOD, X10, 0),
        lambda: forecast_k_step(GOOD, X10, 9),  # at most T - tau = 8
        lambda: forecast_k_step(GOOD, X10, 2.0),
    ],
    "history": [
        lambda: rollout(GOOD, [1.0], 3),
        lambda: rollout(GOOD, np.zeros((2, 2)), 3),
        lambda: rollout(GOOD, [1.0, np.nan], 3),
    ],
    "steps": [lambda: rollout(GOOD, X10, 0), lambda: rollout(GOOD, X10, 1.5)],
    "x_train": [
        lambda: select_tau([1.0, 2.0], X10, [1]),
        lambda: select_tau(np.zeros((4, 2)), X10, [1]),
    ],
    "x_valid": [
        lambda: select_tau(X10, [], [1]),
        lambda: select_tau(X10, [[1.0]], [1]),
        lambda: select_tau(X10, [np.nan], [1]),
    ],
    "taus": [
        lambda: select_tau(X10, X10, []),
        lambda: select_tau(X10, X10, [[1, 2]]),
    ],
    "taus[1]": [
        lambda: select_tau(X10, X10, [1, 0]),
        lambda: select_tau(X10, X10, [1, 5]),  # 10 training values fit at most AR(4)
        lambda: select_tau(X10, X10, [1, 2.0]),
    ],
}
CASES = [(name, call) for name, calls in BAD_CALLS.items() for call in calls]


@pytest.mark.parametrize(
    ("name", "call"), CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CASES)]
)
def test_bad_input_raises_value_error_naming_the_argument(name, call):
    with pytest.raises(ValueError, match=rf"^{re.escape(name)}: expected .*got "):
        call()


def test_too_short_message_says_how_many_values_are_needed():
    with pytest.raises(ValueError, match=r"at least 9 values.*got shape \(8,\)"):
        fit_ar(X10[:8], 4)


def test_latent_states_fixed_values():
    # h1 = 0.5 * 0 + 0.5 * 2 = 1; h2 = 0.5 * 1 + 0.5 * 4 = 2.5
    np.testing.assert_allclose(latent_states([2.0, 4.0, 9.0], lam=0.5), [0.0, 1.0, 2.5])


@settings(max_examples=50, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), T=st.integers(2, 40), lam=st.floats(0.0, 0.99))
def test_regression_slip3_state_never_sees_the_value_it_predicts(seed, T, lam):
    # BRIEF.md slip 3: the summary of x_1..x_{t-1} is H_t, not H_{t+1}. Changing
    # x[t] (and everything after it) must leave h[0..t] untouched.
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(T)
    t = int(rng.integers(0, T))
    y = x.copy()
    y[t:] += 10.0
    np.testing.assert_array_equal(latent_states(x, lam)[: t + 1], latent_states(y, lam)[: t + 1])


def test_latent_state_forecast_is_honest_and_the_leak_is_not():
    _, x = sine_with_noise(T=1000, seed=0)
    lam = 0.8
    h = latent_states(x, lam)
    honest = np.mean((h[600:] - x[600:]) ** 2)
    leaked = np.mean((lam * h[600:] + (1 - lam) * x[600:] - x[600:]) ** 2)  # H_{t+1}
    assert 0.04 < honest < 0.045  # an honest one-step forecast cannot beat the noise
    assert leaked < 0.03


@pytest.mark.parametrize("lam", [-0.1, 1.0, np.nan])
def test_latent_states_rejects_bad_lam(lam):
    with pytest.raises(ValueError, match="lam: expected"):
        latent_states([1.0, 2.0], lam)
