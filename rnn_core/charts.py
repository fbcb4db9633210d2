"""The book's figures, as chart specs built from rnn_core's own computations.

Each function here returns a :class:`~rnn_core.interactive.Chart` (or
:class:`~rnn_core.interactive.Panels`) for a static figure, or an
:class:`~rnn_core.interactive.Interactive` for a figure with sliders. The
chapters call them in one line, so that a chapter cell stays short and the
drawing code is tested once, here. :func:`to_figure` renders a static spec as a
PNG for the notebook output.
"""

import io
from typing import NamedTuple

import numpy as np

from . import ar, data
from .interactive import (
    Band,
    Bars,
    Chart,
    HLine,
    Interactive,
    Line,
    Panels,
    Points,
    Slider,
    VLine,
    to_matplotlib,
)


class FigurePNG(NamedTuple):
    """A rendered figure that Jupyter displays as a PNG image."""

    png: bytes

    def _repr_png_(self):
        return self.png


def to_figure(spec, height=320):
    """Render a Chart or Panels with matplotlib, as a PNG Jupyter displays.

    Parameters
    ----------
    spec : Chart or Panels
    height : int
        Height in pixels (the width is 720).

    Returns
    -------
    FigurePNG

    Examples
    --------
    >>> fig = to_figure(Chart("t", marks=[Line([0, 1], [0, 1])]))
    >>> fig.png[:4]
    b'\\x89PNG'
    """
    buf = io.BytesIO()
    # No "Software" or date chunk: the same figure gives the same bytes.
    to_matplotlib(spec, height).savefig(buf, format="png", metadata={"Software": None})
    return FigurePNG(buf.getvalue())


# --- Chapter 1: sequence data ----------------------------------------------


def _white_noise_band(T, max_lag):
    """The +-1.96/sqrt(T) band inside which ~95% of an i.i.d. series' r_k fall."""
    lags = np.arange(1, max_lag + 1)
    half = 1.96 / np.sqrt(T)
    return Band(lags, np.full(max_lag, -half), np.full(max_lag, half), color="#bbbbbb")


def shuffle_acf(x, x_shuffled, max_lag=40, show=200):
    """Two panels: a series and its shuffled copy; their autocorrelations by lag.

    Parameters
    ----------
    x, x_shuffled : ndarray, shape (T,)
    max_lag : int
    show : int
        How many leading steps of the series to plot.

    Returns
    -------
    Panels

    Examples
    --------
    >>> x = data.ar_process([0.8], 300)
    >>> len(shuffle_acf(x, data.shuffle_fraction(x, 1.0), 10).charts)
    2
    """
    t = np.arange(1, min(show, len(x)) + 1)
    lags = np.arange(max_lag + 1)
    series = Chart("the series", "step t", "x_t", [
        Line(t, x_shuffled[: len(t)], "shuffled", color=1),
        Line(t, x[: len(t)], "original", color=0),
    ])
    acf = Chart("autocorrelation", "lag k", "r_k", [
        _white_noise_band(len(x), max_lag),
        HLine(0.0),
        Line(lags, data.autocorrelation(x, max_lag), "original", color=0, marker=True),
        Line(lags, data.autocorrelation(x_shuffled, max_lag), "shuffled", color=1, marker=True),
    ], ylim=(-1.0, 1.05))
    return Panels([series, acf])


def shuffle_acf_slider(x, max_lag=40, seed=1):
    """Slider over the shuffled fraction f; the autocorrelation it leaves.

    Examples
    --------
    >>> fig = shuffle_acf_slider(data.ar_process([0.8], 200), max_lag=5)
    >>> [s.name for s in fig.sliders]
    ['f']
    """
    lags = np.arange(max_lag + 1)
    r = data.autocorrelation(x, max_lag)

    def chart(f):
        r_f = data.autocorrelation(data.shuffle_fraction(x, f, seed=seed), max_lag)
        return Chart(f"autocorrelation after shuffling a fraction f = {f:.2f}", "lag k", "r_k", [
            _white_noise_band(len(x), max_lag),
            HLine(0.0),
            Line(lags, r, "original", color=0, dash=True),
            Bars(lags, r_f, f"shuffled fraction {f:.2f}", color=1),
        ], ylim=(-1.0, 1.05))

    slider = Slider("f", "f", 0.0, 1.0, 0.05, 0.25, description="fraction shuffled")
    alt = ("Autocorrelation by lag of the sensor series after shuffling a fraction {f} of its "
           "positions, as bars, over the original autocorrelation as a dashed line.")
    return Interactive([slider], chart, alt)


def chain_rule_check(joint, factorised):
    """Each sequence's probability two ways: the Markov product against the chain rule.

    Examples
    --------
    >>> chain_rule_check(np.array([0.25, 0.75]), np.array([0.25, 0.75])).marks[1].y
    array([0.25, 0.75])
    """
    top = 1.05 * float(max(joint.max(), factorised.max()))
    return Chart("every 4-day weather sequence, two ways", "Markov product",
                 "chain rule, from marginals", [
                     Line([0.0, top], [0.0, top], "equality", color="#999999", dash=True),
                     Points(joint, factorised, "one sequence", color=0),
                 ], xlim=(0.0, top), ylim=(0.0, top))


# --- Chapter 2: the AR(tau) model ------------------------------------------


def one_step_chart(t, x, pred, n_train):
    """The noisy sine, the one-step predictions, and the train/test boundary."""
    tau = len(t) - len(pred)
    return Chart("one-step-ahead predictions", "time t", "x_t", [
        Line(t, x, "data", color="#999999"),
        Line(t[tau:], pred, "one-step prediction", color=0),
        _boundary(t[n_train - 1]),
    ], ylim=(-1.8, 1.8))


def _boundary(t_split):
    return VLine(float(t_split), "end of training data")


def rollout_chart(t, x, model, n_train):
    """The free-running rollout from the end of the training data, against the data."""
    steps = len(x) - n_train
    roll = ar.rollout(model, x[:n_train], steps)
    return Chart("free-running rollout", "time t", "x_t", [
        Line(t, x, "data", color="#999999"),
        Line(t[n_train:], roll, "rollout (own predictions fed back)", color=1),
        _boundary(t[n_train - 1]),
    ], ylim=(-1.8, 1.8))


def k_step_charts(t, x, model, ks, n_train):
    """Panels: k-step-ahead predictions on the test part for several k; test MSE against k."""
    tau = len(model.coef)
    marks = [Points(t[n_train:], x[n_train:], "data", color="#aaaaaa")]
    for i, k in enumerate(ks):
        pred = ar.forecast_k_step(model, x, k)[n_train - tau - k + 1:]  # aligned with x[n_train:]
        marks.append(Line(t[n_train:], pred, f"k = {k}", color=i))
    ks_all = np.arange(1, max(ks) + 1)
    mse = [np.mean((ar.forecast_k_step(model, x, k)[n_train - tau - k + 1:] - x[n_train:]) ** 2)
           for k in ks_all]
    preds = Chart("k-step-ahead predictions (test part)", "time t", "x_t", marks,
                  ylim=(-1.8, 1.8))
    err = Chart("test error against horizon", "horizon k", "mean squared error",
                [Line(ks_all, mse, "k-step MSE", color=0), HLine(0.04, "noise variance 0.04")],
                ylog=True)
    return Panels([preds, err])


def tau_validation_chart(taus, mse):
    """Validation one-step MSE against the window tau."""
    return Chart("choosing tau on validation data", "window tau", "validation MSE", [
        Line(taus, mse, "one-step MSE", color=0, marker=True),
        HLine(0.04, "noise variance 0.04"),
    ])


def forecast_slider(t, x, n_train, max_tau=10, max_k=61, k_step=4):
    """Two sliders, tau and the horizon k: the k-step forecast of AR(tau) against the data.

    The model is refitted on the training part for every tau; the figure shows
    the test part, where the forecast never saw the data.

    Examples
    --------
    >>> t, x = data.sine_with_noise(T=300)
    >>> fig = forecast_slider(t, x, n_train=200, max_tau=3, max_k=9, k_step=4)
    >>> [s.values for s in fig.sliders]
    [(1, 2, 3), (1, 5, 9)]
    """
    models = {tau: ar.fit_ar(x[:n_train], tau) for tau in range(1, max_tau + 1)}
    test = slice(n_train, len(x), 2)  # every other test step keeps the page small

    def chart(tau, k):
        pred = np.full(len(x), np.nan)
        pred[tau + k - 1:] = ar.forecast_k_step(models[tau], x, k)
        mse = np.mean((pred[n_train:] - x[n_train:]) ** 2)
        return Chart(f"AR({tau}), {k} steps ahead: test MSE {mse:.3f}", "time t", "x_t", [
            Line(t[test], x[test], "data", color="#999999"),
            Line(t[test], pred[test], f"{k}-step forecast", color=0),
        ], ylim=(-1.8, 1.8))

    sliders = [Slider("tau", "\\tau", 1, max_tau, 1, min(4, max_tau), description="window"),
               Slider("k", "k", 1, max_k, k_step, 1, description="horizon")]
    alt = ("The test part of the noisy sine in grey and the {k}-step-ahead forecast of an "
           "AR({tau}) model fitted on the training part.")
    return Interactive(sliders, chart, alt)
