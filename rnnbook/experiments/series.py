"""Chapters 1 and 2's measurements over many noise draws.

A series drawn with one seed is one draw: its autocorrelation, its least-squares fit,
its forecast errors and the window a validation search picks all scatter from draw to
draw. Each function here repeats one measurement over ``seeds`` and returns one
number per draw, so that the chapters can state medians and ranges and the tests can
check every claim on a second set of seeds. Nothing here draws.

* :func:`sensor_draws`: chapter 1's sensor series (an AR(2) process around 20): its
  lag-1 autocorrelation and the first lag at which the autocorrelation turns negative.
* :func:`shuffle_band_share`: the share of a fully shuffled series' autocorrelations
  inside the band ``+-1.96 / sqrt(T)``.
* :func:`split_errors`: a random split against a split in time, for a model that
  predicts from the past (AR) and one that interpolates between neighbours.
* :func:`sine_draws`: chapter 2's experiment on many noisy sines: one-step and
  k-step test errors, the window tau a validation search picks (and the one-SE rule's
  pick, with the simple and with the paired standard error), the test error of the
  chosen window, direct k-step regression, and the exact AR(2) recurrence of the sine
  iterated from noisy data.
* :func:`ar2_estimates`: least-squares estimates of a known AR(2) over many draws.
"""

from typing import NamedTuple

import numpy as np

from rnn_core import ar, data

__all__ = [
    "CHECK_SEEDS",
    "SEEDS",
    "SineDraws",
    "ar2_estimates",
    "first_negative_lag",
    "information_criteria",
    "one_se_choice",
    "paired_se_choice",
    "sensor",
    "sensor_draws",
    "shuffle_band_share",
    "sine_draws",
    "split_errors",
    "state_fit_forecast",
    "validation_errors",
    "validation_mse",
]

SEEDS = tuple(range(10))  # the chapters' draws
CHECK_SEEDS = tuple(range(100, 110))  # the tests check every claim again on these
SENSOR = {"coef": (1.6, -0.7), "T": 500, "level": 20.0}  # chapter 1's simulated sensor


def sensor(seed):
    """Chapter 1's sensor series for one seed: an AR(2) draw of 500 steps around 20.

    Examples
    --------
    >>> sensor(0).shape
    (500,)
    """
    return data.ar_process(list(SENSOR["coef"]), T=SENSOR["T"], seed=seed) + SENSOR["level"]


def first_negative_lag(r):
    """The first lag ``k >= 1`` at which the autocorrelation ``r`` is below zero (or -1).

    Examples
    --------
    >>> first_negative_lag(np.array([1.0, 0.5, 0.1, -0.2, 0.3]))
    3
    """
    negative = np.flatnonzero(np.asarray(r)[1:] < 0)
    return int(negative[0] + 1) if negative.size else -1


def sensor_draws(seeds=SEEDS, max_lag=40):
    """Lag-1 autocorrelation and first negative lag of chapter 1's sensor series, per draw.

    Returns
    -------
    r1 : ndarray, shape (seeds,)
    first_negative : ndarray of int, shape (seeds,)

    Examples
    --------
    >>> r1, first = sensor_draws(seeds=(0, 1))
    >>> r1.shape, bool(np.all(r1 > 0.8))
    ((2,), True)
    """
    acfs = [data.autocorrelation(sensor(s), max_lag) for s in seeds]
    return np.array([r[1] for r in acfs]), np.array([first_negative_lag(r) for r in acfs])


def shuffle_band_share(x, seeds=SEEDS, max_lag=40):
    """Share of the autocorrelations at lags 1..max_lag of a full shuffle of ``x`` that lie
    inside ``+-1.96 / sqrt(T)``, one share per shuffle seed: shape (seeds,)."""
    half = 1.96 / np.sqrt(len(x))
    shares = []
    for s in seeds:
        r = data.autocorrelation(data.shuffle_fraction(x, 1.0, seed=s), max_lag)[1:]
        shares.append(np.mean(np.abs(r) <= half))
    return np.array(shares)


def _nearest_in_time(train_t, train_x, test_t):
    """Predict each test point by the value at the nearest training time (ties: earlier)."""
    pos = np.clip(np.searchsorted(train_t, test_t), 1, len(train_t) - 1)
    left, right = train_t[pos - 1], train_t[pos]
    nearer_left = (test_t - left) <= (right - test_t)
    return np.where(nearer_left, train_x[pos - 1], train_x[pos])


def split_errors(seeds=SEEDS, tau=2, test_share=0.2):
    """Test MSE with a random split and with a split in time, per draw of the sensor.

    Two models: AR(tau) fitted by least squares on the training windows, which
    predicts ``x_t`` from its own past; and "nearest in time", which predicts
    ``x_t`` by the training value closest in time and so interpolates between
    neighbours. The random split holds out a random ``test_share`` of the windows;
    the split in time holds out the last ``test_share``.

    Returns
    -------
    dict of str to ndarray, shape (seeds,)
        ``ar_random``, ``ar_time``, ``nearest_random``, ``nearest_time``.
    """
    out = {k: [] for k in ("ar_random", "ar_time", "nearest_random", "nearest_time")}
    for s in seeds:
        x = sensor(s)
        X, y = data.make_windows(x, tau)
        X = np.column_stack([X, np.ones(len(y))])
        t = np.arange(tau, len(x))
        n_test = round(test_share * len(y))
        order = np.random.default_rng(s).permutation(len(y))
        for name, test in (
            ("random", np.sort(order[:n_test])),
            ("time", np.arange(len(y) - n_test, len(y))),
        ):
            train = np.setdiff1d(np.arange(len(y)), test)
            w = np.linalg.lstsq(X[train], y[train])[0]
            out[f"ar_{name}"].append(np.mean((X[test] @ w - y[test]) ** 2))
            guess = _nearest_in_time(t[train], y[train], t[test])
            out[f"nearest_{name}"].append(np.mean((guess - y[test]) ** 2))
    return {k: np.array(v) for k, v in out.items()}


class SineDraws(NamedTuple):
    """Chapter 2's noisy-sine experiment repeated over draws; arrays have one row per seed."""

    seeds: tuple
    one_step: np.ndarray  # (seeds,) one-step test MSE of AR(4)
    k_step: dict  # k -> (seeds,) k-step test MSE of AR(4)
    exact_ar2: dict  # k -> (seeds,) k-step test MSE of the sine's exact AR(2), iterated
    direct: dict  # k -> (seeds,) test MSE of direct k-step regression on 32 lags
    taus: np.ndarray  # (m,) candidate windows
    valid: np.ndarray  # (seeds, m) validation MSE of each window
    chosen_min: np.ndarray  # (seeds,) the window with the smallest validation MSE
    chosen_se: np.ndarray  # (seeds,) the smallest window within one standard error of it
    test_of_chosen: np.ndarray  # (seeds,) test MSE of the one-SE choice refitted on 1..600
    amplitude: dict  # k -> (seeds,) amplitude of the k-step forecast's sine fit (the sine's is 1)
    delay: dict  # k -> (seeds,) delay in steps of that fit
    test_by_tau: np.ndarray  # (seeds, m) one-step test MSE of AR(tau) fitted on 1..600
    chosen_aic: np.ndarray  # (seeds,) the window AIC picks on steps 1..600
    chosen_bic: np.ndarray  # (seeds,) the window BIC picks
    exact_one_step: np.ndarray  # (seeds,) one-step test MSE of the sine's exact AR(2)
    state_fit: dict  # k -> (seeds,) exact dynamics started from a fitted state, k-step test MSE
    ema: np.ndarray  # (seeds,) one-step test MSE of the moving-average state, lambda = 0.8
    test_noise: np.ndarray  # (seeds,) mean squared noise over the test steps 601..1000
    chosen_paired: np.ndarray  # (seeds,) the one-SE rule's pick with the paired standard error


TAUS = np.array([1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 24, 32])


def _test_mse(pred, x, n_train):
    return float(np.mean((pred[-(len(x) - n_train) :] - x[n_train:]) ** 2))


def _sine_fit(t, pred, freq=0.01):
    """Amplitude and delay (steps) of the best ``a sin(freq t) + b cos(freq t)`` fit."""
    basis = np.column_stack([np.sin(freq * t), np.cos(freq * t)])
    a, b = np.linalg.lstsq(basis, pred)[0]
    return float(np.hypot(a, b)), float(-np.arctan2(b, a) / freq)


def state_fit_forecast(x, k, freq=0.01, window=128):
    """k-step forecasts of the sine's exact dynamics, started from a fitted state.

    For every origin ``s`` (0-based, ``s >= window - 1``), ``a sin(freq u) + b cos(freq u)``
    is fitted by least squares to ``x[s - window + 1 .. s]`` and extended to ``u = s + k``:
    the true recurrence (chapter 2's eq-sine-ar2), run from amplitude and phase estimated over
    a long window instead of from the last two noisy values.

    Returns
    -------
    ndarray, shape (len(x) - window - k + 1,)
        Aligned with ``x[window + k - 1:]``.

    Examples
    --------
    >>> u = np.arange(400.0)
    >>> f = state_fit_forecast(np.sin(0.01 * u), k=16)
    >>> bool(np.allclose(f, np.sin(0.01 * u[143:])))
    True
    """
    u = np.arange(len(x), dtype=float)
    S, C = np.sin(freq * u), np.cos(freq * u)

    def windowed(v):  # sums of v over x[s - window + 1 .. s], for every origin s
        c = np.concatenate([[0.0], np.cumsum(v)])
        return c[window:] - c[:-window]

    ss, sc, cc = windowed(S * S), windowed(S * C), windowed(C * C)
    xs, xc = windowed(x * S), windowed(x * C)
    det = ss * cc - sc * sc
    a, b = (xs * cc - xc * sc) / det, (xc * ss - xs * sc) / det  # 2 x 2 normal equations
    target = np.arange(window - 1, len(x)) + k  # the step each origin forecasts
    keep = target < len(x)
    return a[keep] * S[target[keep]] + b[keep] * C[target[keep]]


def one_se(valid, n_valid):
    """The standard error of the one-SE rule: the best window's own,
    ``sqrt(2) * min(valid) / sqrt(n_valid)``, that of a mean of ``n_valid`` independent
    squared Gaussian errors (the sd of e^2 is sqrt(2) s^2).

    >>> round(float(one_se(np.array([0.5, 0.04]), 100)), 6)
    0.005657
    """
    return np.sqrt(2) * np.min(valid) / np.sqrt(n_valid)


def one_se_choice(valid, taus, n_valid):
    """The smallest tau whose validation MSE is within one standard error (:func:`one_se`)
    of the best: the same margin for every candidate."""
    threshold = np.min(valid) + one_se(valid, n_valid)
    return int(taus[np.flatnonzero(valid <= threshold)[0]])


def validation_errors(x_fit, x_valid, taus):
    """One-step errors on ``x_valid`` of AR(tau) fitted on ``x_fit``, one row per tau.

    The same errors as ``ar.select_tau`` scores: the mean of each row's squares is its MSE.

    Examples
    --------
    >>> _, x = data.sine_with_noise(T=700)
    >>> e = validation_errors(x[:500], x[500:600], [1, 4])
    >>> e.shape, bool(np.allclose((e**2).mean(1), ar.select_tau(x[:500], x[500:600], [1, 4])))
    ((2, 100), True)
    """
    x = np.concatenate([x_fit, x_valid])
    fits = (ar.fit_ar(x_fit, int(w)) for w in taus)
    return np.array([ar.predict_one_step(f, x)[-len(x_valid) :] - x_valid for f in fits])


def paired_se_choice(errors, taus):
    """The one-SE rule with paired standard errors: the smallest tau within one of the best.

    ``errors`` (m, n) holds each window's validation errors on the same n points. A
    window's margin is the standard error of the mean of its squared errors minus the
    best window's, point by point, so it shrinks as the two windows' errors move together.
    """
    sq = np.asarray(errors) ** 2
    valid = sq.mean(axis=1)
    best = int(np.argmin(valid))
    se = (sq - sq[best]).std(axis=1) / np.sqrt(sq.shape[1])
    return int(taus[np.flatnonzero(valid <= valid[best] + se)[0]])


def _sine_one(seed, ks, n_train=600, n_fit=500, tau=4, direct_tau=32):
    t, x = data.sine_with_noise(T=1000, freq=0.01, sigma=0.2, seed=seed)
    model = ar.fit_ar(x[:n_train], tau)
    exact = ar.ARModel(np.array([2 * np.cos(0.01), -1.0]), 0.0)
    out = {"one_step": _test_mse(ar.predict_one_step(model, x), x, n_train)}
    for k in ks:
        pred = ar.forecast_k_step(model, x, k)
        out[("k", k)] = _test_mse(pred, x, n_train)
        out[("exact", k)] = _test_mse(ar.forecast_k_step(exact, x, k), x, n_train)
        direct = ar.fit_direct(x[:n_train], direct_tau, k)
        out[("direct", k)] = _test_mse(ar.predict_direct(direct, x, k), x, n_train)
        out[("fit", k)] = _sine_fit(t[n_train:], pred[-(len(x) - n_train) :])
    valid = ar.select_tau(x[:n_fit], x[n_fit:n_train], TAUS)
    out["valid"] = valid
    out["min"] = int(TAUS[np.argmin(valid)])
    out["se"] = one_se_choice(valid, TAUS, n_train - n_fit)
    out["paired"] = paired_se_choice(validation_errors(x[:n_fit], x[n_fit:n_train], TAUS), TAUS)
    out["by_tau"] = [
        _test_mse(ar.predict_one_step(ar.fit_ar(x[:n_train], int(w)), x), x, n_train) for w in TAUS
    ]
    out["test_of_chosen"] = out["by_tau"][int(np.flatnonzero(out["se"] == TAUS)[0])]
    aic, bic = information_criteria(x[:n_train])
    out["aic"], out["bic"] = int(TAUS[np.argmin(aic)]), int(TAUS[np.argmin(bic)])
    out["exact_one"] = _test_mse(ar.predict_one_step(exact, x), x, n_train)
    for k in ks:
        out[("state", k)] = _test_mse(state_fit_forecast(x, k), x, n_train)
    out["ema"] = _test_mse(ar.latent_states(x, 0.8), x, n_train)
    out["noise"] = float(np.mean((x - np.sin(0.01 * t))[n_train:] ** 2))
    return out


def sine_draws(seeds=SEEDS, ks=(4, 16, 64)):
    """Chapter 2's experiment on one noisy sine per seed (``data.sine_with_noise``).

    AR(4) is fitted on the first 600 steps; windows are compared on steps 501-600
    after fitting on 1-500; test errors are on steps 601-1000.

    Returns
    -------
    SineDraws
    """
    runs = [_sine_one(s, ks) for s in seeds]
    col = lambda key: np.array([r[key] for r in runs])  # noqa: E731
    return SineDraws(
        tuple(seeds),
        col("one_step"),
        {k: col(("k", k)) for k in ks},
        {k: col(("exact", k)) for k in ks},
        {k: col(("direct", k)) for k in ks},
        TAUS,
        np.array([r["valid"] for r in runs]),
        col("min"),
        col("se"),
        col("test_of_chosen"),
        {k: np.array([r[("fit", k)][0] for r in runs]) for k in ks},
        {k: np.array([r[("fit", k)][1] for r in runs]) for k in ks},
        np.array([r["by_tau"] for r in runs]),
        col("aic"),
        col("bic"),
        col("exact_one"),
        {k: col(("state", k)) for k in ks},
        col("ema"),
        col("noise"),
        col("paired"),
    )


def validation_mse(seeds, tau=4, n_fit=500, n_valid=100):
    """Validation MSE of AR(tau) on one noisy sine per seed, as chapter 2 computes it.

    Fitted on the first ``n_fit`` steps and scored one step ahead on the next
    ``n_valid``; the spread over seeds is the validation mean's real standard error.

    Returns
    -------
    ndarray, shape (seeds,)

    Examples
    --------
    >>> validation_mse((0, 1)).shape
    (2,)
    """
    out = []
    for seed in seeds:
        _, x = data.sine_with_noise(T=n_fit + n_valid, freq=0.01, sigma=0.2, seed=seed)
        out.append(ar.select_tau(x[:n_fit], x[n_fit:], np.array([tau]))[0])
    return np.array(out)


def ar2_estimates(seeds, coef=(0.6, -0.3), c=0.5, T=5000):
    """Least-squares AR(2) estimates ``(phi_1, phi_2, phi_0)`` of one simulated draw per seed.

    Returns
    -------
    ndarray, shape (seeds, 3)
    """
    fits = [ar.fit_ar(data.ar_process(list(coef), T=T, c=c, seed=s), 2) for s in seeds]
    return np.array([[*f.coef, f.c] for f in fits])


def information_criteria(x, taus=TAUS):
    """AIC and BIC of AR(tau) least-squares fits, every tau scored on the same targets.

    Each fit uses the targets ``x[max(taus):]``, so that the residual sums of squares
    are comparable: ``AIC = n log(RSS / n) + 2 (tau + 1)``, ``BIC`` with ``log n`` in
    place of 2.

    Returns
    -------
    aic, bic : ndarray, shape (len(taus),)

    Examples
    --------
    >>> _, x = data.sine_with_noise(T=300)
    >>> aic, bic = information_criteria(x, np.array([1, 4]))
    >>> bool(aic[1] < aic[0])
    True
    """
    x, top = np.asarray(x, float), int(np.max(taus))
    n, aic, bic = len(x) - top, [], []
    for tau in taus:
        model = ar.fit_ar(x[top - tau :], int(tau))
        rss = np.sum((ar.predict_one_step(model, x[top - tau :]) - x[top:]) ** 2)
        aic.append(n * np.log(rss / n) + 2 * (tau + 1))
        bic.append(n * np.log(rss / n) + np.log(n) * (tau + 1))
    return np.array(aic), np.array(bic)
