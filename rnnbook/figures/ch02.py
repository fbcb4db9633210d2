"""Figures of chapter 2, the AR(tau) model: predictions, rollout, k-step forecasts, choosing tau."""

import numpy as np

from rnn_core import ar
from sliders import (
    Chart,
    HLine,
    Interactive,
    Line,
    Panels,
    Points,
    Slider,
    VLine,
    to_figure,  # the chapter's static figures: to_figure(chart)
)

from .strings import tr

__all__ = [
    "forecast_slider",
    "k_step_charts",
    "one_step_chart",
    "rollout_chart",
    "tau_validation_chart",
    "to_figure",
]


def one_step_chart(t, x, pred, n_train):
    """The noisy sine, the one-step predictions, and the train/test boundary."""
    tau = len(t) - len(pred)
    return Chart(
        tr("one-step-ahead predictions"),
        tr("time $t$"),
        "$x_t$",
        [
            Line(t, x, tr("data"), color="#999999"),
            Line(t[tau:], pred, tr("one-step prediction"), color=0),
            _boundary(t[n_train - 1]),
        ],
        ylim=(-1.8, 1.8),
    )


def _boundary(t_split):
    return VLine(float(t_split), tr("end of training data"))


def rollout_chart(t, x, model, n_train):
    """The free-running rollout from the end of the training data, against the data."""
    steps = len(x) - n_train
    roll = ar.rollout(model, x[:n_train], steps)
    return Chart(
        tr("free-running rollout"),
        tr("time $t$"),
        "$x_t$",
        [
            Line(t, x, tr("data"), color="#999999"),
            Line(t[n_train:], roll, tr("rollout (own predictions fed back)"), color=1),
            _boundary(t[n_train - 1]),
        ],
        ylim=(-1.8, 1.8),
    )


def k_step_charts(t, x, model, ks, n_train):
    """Panels: k-step-ahead predictions on the test part for several k; test MSE against k."""
    tau = len(model.coef)
    marks = [Points(t[n_train:], x[n_train:], tr("data"), color="#aaaaaa")]
    for i, k in enumerate(ks):
        pred = ar.forecast_k_step(model, x, k)[n_train - tau - k + 1 :]  # aligned with x[n_train:]
        marks.append(Line(t[n_train:], pred, f"$k$ = {k}", color=i))
    ks_all = np.arange(1, max(ks) + 1)
    mse = [
        np.mean((ar.forecast_k_step(model, x, k)[n_train - tau - k + 1 :] - x[n_train:]) ** 2)
        for k in ks_all
    ]
    preds = Chart(
        tr("$k$-step-ahead predictions (test part)"),
        tr("time $t$"),
        "$x_t$",
        marks,
        ylim=(-1.8, 1.8),
    )
    err = Chart(
        tr("test error against horizon"),
        tr("horizon $k$"),
        tr("mean squared error"),
        [Line(ks_all, mse, tr("k-step MSE"), color=0), HLine(0.04, tr("noise variance 0.04"))],
        ylog=True,
    )
    return Panels([preds, err])


def tau_validation_chart(taus, mse):
    """Validation one-step MSE against the window tau."""
    return Chart(
        tr("choosing $\\tau$ on validation data"),
        tr("window $\\tau$"),
        tr("validation MSE"),
        [
            Line(taus, mse, tr("one-step MSE"), color=0, marker=True),
            HLine(0.04, tr("noise variance 0.04")),
        ],
    )


def forecast_slider(t, x, n_train, max_tau=8, max_k=64, k_step=3):
    """Two sliders, tau and the horizon k: the k-step forecast of AR(tau) against the data.

    The model is refitted on the training part for every tau; the figure shows
    the test part, where the forecast never saw the data.

    Examples
    --------
    >>> from rnn_core import data
    >>> t, x = data.sine_with_noise(T=300)
    >>> fig = forecast_slider(t, x, n_train=200, max_tau=3, max_k=9, k_step=4)
    >>> [s.values for s in fig.sliders]
    [(1, 2, 3), (1, 5, 9)]
    """
    models = {tau: ar.fit_ar(x[:n_train], tau) for tau in range(1, max_tau + 1)}
    test = slice(n_train, len(x), 2)  # every other test step keeps the page small

    def chart(tau, k):
        pred = np.full(len(x), np.nan)
        pred[tau + k - 1 :] = ar.forecast_k_step(models[tau], x, k)
        mse = np.mean((pred[n_train:] - x[n_train:]) ** 2)
        return Chart(
            tr("AR({tau}), {k} steps ahead: test MSE {mse:.3f}", tau=tau, k=k, mse=mse),
            tr("time $t$"),
            "$x_t$",
            [
                Line(t[test], x[test], tr("data"), color="#999999"),
                Line(t[test], pred[test], tr("{k}-step forecast", k=k), color=0),
            ],
            ylim=(-1.8, 1.8),
        )

    sliders = [
        Slider("tau", "\\tau", 1, max_tau, 1, min(4, max_tau), description=tr("window")),
        Slider("k", "k", 1, max_k, k_step, 1, description=tr("horizon")),
    ]
    alt = tr(
        "The test part of the noisy sine in grey and the {k}-step-ahead forecast of an "
        "AR({tau}) model fitted on the training part."
    )
    # The text: small tau with large k fails fastest.
    frames = [{}, {"k": max_k}, {"tau": 1, "k": max_k}]
    return Interactive(sliders, chart, alt, frames=frames)
