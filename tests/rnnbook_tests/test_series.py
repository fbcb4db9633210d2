"""Chapters 1 and 2's claims about noisy series, checked on draws the chapters do not show.

The chapters state medians and ranges over ``series.SEEDS``; every test here repeats the
measurement on ``series.CHECK_SEEDS`` (disjoint) and checks the claim with a margin.
Measured on the check draws when these tests were written, for scale: lag-1
autocorrelation 0.926-0.953; first negative lag 6-10; AR(2) time/random error ratio
0.93-1.31 (median 1.05); nearest-in-time ratio 5.9-34; explained / measured 64-step error
0.96-1.07; direct / iterated at k = 64 about 0.42; one-SE choices 2-5.
"""

import numpy as np
import pytest

from rnn_core import fit_ar, random_walk
from rnnbook.experiments import series

CHECK = series.CHECK_SEEDS
assert not set(CHECK) & set(series.SEEDS)


@pytest.fixture(scope="module")
def sines():
    return series.sine_draws(CHECK)


# ---------------------------------------------------------------- chapter 1


def test_sensor_is_strongly_correlated_and_oscillates_on_every_draw():
    r1, first_negative = series.sensor_draws(CHECK)
    assert np.all(r1 > 0.9)
    assert np.all((first_negative >= 2) & (first_negative <= 20))  # -1 would mean never


def test_shuffled_series_sits_in_the_band_like_an_independent_sequence():
    x = series.sensor(CHECK[0])
    shares = series.shuffle_band_share(x, seeds=CHECK)
    assert np.median(shares) >= 0.9
    assert shares.min() >= 0.85


def test_random_split_flatters_the_interpolator_and_not_the_autoregression():
    e = series.split_errors(CHECK)
    ar_ratio = e["ar_time"] / e["ar_random"]
    assert 0.8 <= np.median(ar_ratio) <= 1.25
    nearest_ratio = e["nearest_time"] / e["nearest_random"]
    assert np.all(nearest_ratio > 2) and np.median(nearest_ratio) > 5


# ---------------------------------------------------------------- chapter 2


def test_least_squares_standard_error_formula_matches_the_scatter():
    estimates = series.ar2_estimates(seeds=range(300, 600))  # the chapter uses 0-299
    formula = np.sqrt((1 - 0.3**2) / 5000)
    for column in (0, 1):
        assert estimates[:, column].std() == pytest.approx(formula, rel=0.15)


def test_least_squares_recovers_the_random_walk_coefficient():
    for seed in CHECK:
        assert fit_ar(random_walk(T=5000, seed=seed), 1).coef[0] == pytest.approx(1, abs=0.01)


def test_k_step_error_grows_with_the_horizon_on_every_draw(sines):
    k = sines.k_step
    assert np.all((sines.one_step < k[4]) & (k[4] < k[16]) & (k[16] < k[64]))


def test_k_step_forecast_shrinks_and_lags_more_with_the_horizon(sines):
    amp, delay = sines.amplitude, sines.delay
    assert np.all((amp[64] < amp[16]) & (amp[16] < amp[4]) & (amp[4] < 1))
    assert np.all((delay[4] < delay[16]) & (delay[16] < delay[64]))


def test_shrunk_and_delayed_sine_accounts_for_the_64_step_error(sines):
    a, d = sines.amplitude[64], sines.delay[64]
    explained = (1 + a**2 - 2 * a * np.cos(0.01 * d)) / 2 + 0.04
    np.testing.assert_allclose(explained, sines.k_step[64], rtol=0.1)


def test_true_dynamics_iterated_from_noisy_data_do_far_worse(sines):
    for k in (4, 16, 64):
        assert np.all(sines.exact_ar2[k] > 10 * sines.k_step[k])


def test_direct_regression_beats_the_iterated_model_at_long_horizons(sines):
    for k in (16, 64):
        assert np.all(sines.direct[k] < sines.k_step[k])
    assert np.median(sines.direct[64] / sines.k_step[64]) < 0.6


def test_one_se_rule_is_stable_where_the_minimum_is_not(sines):
    assert np.all(sines.chosen_se <= 5)
    assert np.ptp(sines.chosen_se) < np.ptp(sines.chosen_min)
    # the chosen window tests as well as the chapter's tau = 4
    assert np.median(sines.test_of_chosen) == pytest.approx(np.median(sines.one_step), rel=0.05)


def test_every_window_above_the_one_se_choice_is_within_one_se(sines):
    for valid, chosen in zip(sines.valid, sines.chosen_se):
        best = valid.min()
        assert np.all(valid[sines.taus >= chosen] <= best + np.sqrt(2) * best / np.sqrt(100))
