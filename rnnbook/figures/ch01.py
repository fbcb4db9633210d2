"""Figures of chapter 1, sequence data: shuffling and the autocorrelation, the Markov property."""

import numpy as np

from rnn_core import data
from sliders import (
    Band,
    Bars,
    Chart,
    HLine,
    Interactive,
    Line,
    Panels,
    Points,
    Slider,
    to_figure,  # the chapter's static figures: to_figure(chart)
)

from .strings import tr

__all__ = [
    "markov_property_check",
    "shuffle_acf",
    "shuffle_acf_slider",
    "to_figure",
]


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
    shuffled, original = tr("shuffled"), tr("original")
    series = Chart(
        tr("the series"),
        tr("step $t$"),
        "$x_t$",
        [
            Line(t, x_shuffled[: len(t)], shuffled, color=1),
            Line(t, x[: len(t)], original, color=0),
        ],
    )
    acf = Chart(
        tr("autocorrelation"),
        tr("lag $k$"),
        "$r_k$",
        [
            _white_noise_band(len(x), max_lag),
            HLine(0.0),
            Line(lags, data.autocorrelation(x_shuffled, max_lag), shuffled, color=1, marker=True),
            Line(lags, data.autocorrelation(x, max_lag), original, color=0, marker=True),
        ],
        ylim=(-1.0, 1.05),
    )
    return Panels([series, acf])


def shuffle_acf_slider(x, max_lag=40, seed=1):
    """Slider over the shuffled fraction F; the autocorrelation it leaves.

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
        return Chart(
            tr("autocorrelation after shuffling a fraction $F$ = {f:.2f}", f=f),
            tr("lag $k$"),
            "$r_k$",
            [
                _white_noise_band(len(x), max_lag),
                HLine(0.0),
                Line(lags, r, tr("original"), color=0, dash=True),
                Bars(lags, r_f, tr("shuffled fraction {f:.2f}", f=f), color=1),
            ],
            ylim=(-1.0, 1.05),
        )

    slider = Slider("f", "F", 0.0, 1.0, 0.05, 0.25, description=tr("fraction shuffled"))
    alt = tr(
        "Autocorrelation by lag of the sensor series after shuffling a fraction {f} of its "
        "positions, as bars, over the original autocorrelation as a dashed line."
    )
    # The text: drag from 0 to 1; by one half most of the structure is gone.
    return Interactive([slider], chart, alt, frames=[{"f": 0.0}, {"f": 0.5}, {"f": 1.0}])


def markov_property_check(conditional, transition):
    """Full-history conditionals from the joint table against the transition probabilities.

    Examples
    --------
    >>> markov_property_check(np.array([0.25, 0.75]), np.array([0.25, 0.75])).marks[1].y
    array([0.25, 0.75])
    """
    return Chart(
        tr("every conditional of every 4-day sequence"),
        tr("transition probability $A_{x_{t-1} x_t}$"),
        tr("$P(x_t \\mid x_1, \\dots, x_{t-1})$, from marginals"),
        [
            Line([0.0, 1.0], [0.0, 1.0], tr("equality"), color="#999999", dash=True),
            Points(transition, conditional, tr("one sequence and step"), color=0),
        ],
        xlim=(0.0, 0.8),
        ylim=(0.0, 0.8),
    )
