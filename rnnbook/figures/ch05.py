"""Figures of chapter 5, vanishing and exploding gradients: sliders and static charts.

The numbers come from :mod:`rnnbook.experiments.vanishing` and
:mod:`rnnbook.experiments.remedies`; this module only draws them. Log axes reject
values <= 0, so plotted magnitudes are clamped to a floor (named in each chart's axis
label or legend).
"""

import numpy as np

from rnn_core import linear
from rnn_core._checks import as_int, as_scalar
from rnnbook.experiments.vanishing import spectral_norms, tanh_jacobian_factors
from sliders import (
    Bars,
    Chart,
    Heatmap,
    HLine,
    Interactive,
    Line,
    Panels,
    Slider,
    to_figure,  # the chapter's static figures: to_figure(chart)
)

__all__ = [
    "cliff_chart",
    "decay_slider",
    "gradient_path_chart",
    "lag_accuracy_chart",
    "regime",
    "saturation_slider",
    "spectral_radius_chart",
    "spectral_radius_slider",
    "to_figure",
]


FLOOR = 1e-12  # decay_slider: smallest plotted magnitude

DEEP_FLOOR = 1e-30  # saturation and spectral_radius_chart: products fall further

SPECTRAL_FLOOR = 1e-20  # spectral_radius_slider: fixed axis (1e-20, 1e15)

PATH_FLOOR = 1e-16  # gradient_path_chart: smallest value drawn on a log axis


def regime(w_h):
    """'vanishing', 'neutral' or 'exploding', from ``|w_h|`` against 1.

    Examples
    --------
    >>> regime(0.5), regime(-1.0), regime(1.2)
    ('vanishing (|w_H| < 1)', 'neutral (|w_H| = 1)', 'exploding (|w_H| > 1)')
    """
    a = abs(as_scalar("w_h", w_h))
    if np.isclose(a, 1.0, rtol=0.0, atol=1e-9):
        return "neutral (|w_H| = 1)"
    return "vanishing (|w_H| < 1)" if a < 1.0 else "exploding (|w_H| > 1)"


#: Distance bins of the closed-form terms: (first i, last i, label, colour), near ones dark.
_BINS = ((1, 5, "i = 1-5", "#08306b"), (6, 20, "i = 6-20", "#4292c6"),
         (21, 10**9, "i > 20", "#9ecae1"))  # fmt: skip


def _terms_bars(terms):
    """Bars of |terms[i-1]| (floored), one Bars mark per distance bin that is not empty."""
    i = np.arange(1, len(terms) + 1)
    # 3 significant digits (invisible on a log axis) keep the 671-frame payload well under
    # interactive.MAX_BYTES; the mechanism itself keeps 4.
    mag = np.array([float(f"{v:.3g}") for v in np.maximum(np.abs(terms), FLOOR)])
    return [
        Bars(i[(i >= lo) & (i <= hi)], mag[(i >= lo) & (i <= hi)], label, color, width=0.8)
        for lo, hi, label, color in _BINS
        if lo <= len(terms)
    ]


def decay_slider(T_max=60, seed=0):
    """Sliders w_H and T: |dh_T/dh_(T-k)| = |w_H|^k, and the terms of dL/dw_H.

    Left: the linear cell's Jacobian product |w_H|^k against k. Right: the terms
    |w_H^(i-1) h_(T-i)| of the closed-form dh_T/dw_H (``linear.linear_grad_terms``,
    seeded standard-normal inputs, ``w_x = 1``, ``h0 = 0.5``), coloured by distance i.
    Both log axes are fixed to (1e-12, 1e12); smaller values are drawn at 1e-12.

    Examples
    --------
    >>> fig = decay_slider(T_max=20)
    >>> [s.name for s in fig.sliders], fig.sliders[1].values
    (['w_h', 'T'], (10, 15, 20))
    """
    T_max = as_int("T_max", T_max, 10)
    x = np.random.default_rng(seed).standard_normal(T_max)
    ylim = (FLOOR, 1e12)

    def chart(w_h, T):
        k = np.arange(T)
        decay = Chart(
            f"{regime(w_h)}, w_H = {w_h:.2f}",
            "steps back k",
            "|dh_T/dh_(T-k)|",
            [
                HLine(1.0, "neutral |w_H| = 1"),
                Line(k, np.maximum(np.abs(w_h) ** k, FLOOR), "|w_H|^k (floor 1e-12)", color=0),
            ],
            xlim=(0.0, T_max - 1.0),
            ylim=ylim,
            ylog=True,
        )
        terms, _ = linear.linear_grad_terms(x[:T], 1.0, w_h, 0.5)
        parts = Chart(
            f"terms of dh_T/dw_H, T = {T}",
            "term i (i - 1 steps back); floor 1e-12",
            "|w_H^(i-1) h_(T-i)|",
            _terms_bars(terms),
            xlim=(0.0, T_max + 1.0),
            ylim=ylim,
            ylog=True,
        )
        return Panels([decay, parts])

    sliders = [
        Slider("w_h", "w_H", -1.5, 1.5, 0.05, 0.9, description="recurrent weight"),
        Slider("T", "T", 10, T_max, 5, min(40, T_max), description="sequence length"),
    ]
    alt = (
        "Left: |w_H|^k against the number of steps back k on a log axis, for w_H = {w_h} "
        "and T = {T}, with a dashed line at 1. Right: the magnitudes of the T = {T} terms "
        "of the closed-form derivative of h_T with respect to w_H, as bars shaded by how "
        "many steps each term has travelled, near ones dark and far ones light."
    )
    return Interactive(sliders, chart, alt)


def saturation_slider(w_h=0.9, T=40, seed=0):
    """Slider over the input scale s: how tanh saturation shortens the gradient's reach.

    Left: |dh_T/dh_(T-k)| = prod |w_H (1 - h_t^2)| over the last k steps, against the
    linear cell's |w_H|^k (dashed). Right: the per-step factor against t, with a line
    at |w_H|, its value without saturation.

    Examples
    --------
    >>> fig = saturation_slider(T=10)
    >>> fig.sliders[0].values[:3], len(fig.sliders[0].values)
    ((0.1, 0.2, 0.3), 40)
    """
    w_h = as_scalar("w_h", w_h)
    k = np.arange(T)
    bound = np.maximum(np.abs(w_h) ** k, DEEP_FLOOR)

    def chart(scale):
        f, slope = tanh_jacobian_factors(scale, w_h, T, seed)
        # k = 0: empty product 1; k: product of the last k factors
        prod = np.concatenate([[1.0], np.cumprod(np.abs(f[::-1]))[:-1]])
        left = Chart(
            f"s = {scale:.1f}: mean tanh slope {slope.mean():.3f}",
            "steps back k",
            "|dh_T/dh_(T-k)|",
            [
                Line(k, bound, f"linear cell |w_H|^k, w_H = {w_h:g}", color=1, dash=True),
                Line(k, np.maximum(prod, DEEP_FLOOR), "tanh cell (floor 1e-30)", color=0),
            ],
            ylim=(DEEP_FLOOR, 10.0),
            ylog=True,
        )
        right = Chart(
            "per-step factor",
            "step t",
            "|w_H| (1 - h_t^2)",
            [
                HLine(abs(w_h), f"|w_H| = {abs(w_h):g}"),
                Line(np.arange(1, T + 1), np.abs(f), "|dh_t/dh_(t-1)|", color=0, marker=True),
            ],
            ylim=(0.0, abs(w_h) * 1.1),
        )
        return Panels([left, right])

    slider = Slider("scale", "s", 0.1, 4.0, 0.1, 1.0, description="input scale")
    alt = (
        "Left: on a log axis, the product of the tanh cell's per-step factors over the last "
        "k steps for input scale s = {scale}, below the dashed linear-cell line |w_H|^k. "
        "Right: each step's factor |w_H| (1 - h_t^2), under a dashed line at |w_H|."
    )
    return Interactive([slider], chart, alt)


def spectral_radius_slider(H=32, T=60, seed=0):
    """Slider over the spectral radius rho of W_hh: the gradient norm against steps back.

    Examples
    --------
    >>> fig = spectral_radius_slider(H=4, T=10)
    >>> len(fig.sliders[0].values)
    21
    """
    k = np.arange(T)

    def chart(radius):
        norms, sigma = spectral_norms(radius, H, T, seed)
        return Chart(
            f"rho = {radius:.2f}, sigma_max = {sigma:.2f}",
            "steps back k",
            "||dL/dh_(T-k)||",
            [
                HLine(1.0),
                Line(
                    k, np.maximum(radius**k, SPECTRAL_FLOOR), "rho^k (linear)", color=1, dash=True
                ),
                Line(
                    k,
                    np.maximum(norms, SPECTRAL_FLOOR),
                    "tanh cell, measured (floor 1e-20)",
                    color=0,
                ),
            ],
            ylim=(SPECTRAL_FLOOR, 1e15),
            ylog=True,
        )

    slider = Slider("radius", "\\rho", 0.5, 1.5, 0.05, 1.0, description="spectral radius of W_hh")
    alt = (
        "On a log axis, the norm of the gradient of a loss on the last state reaching the "
        "state k steps earlier, for a tanh RNN with W_hh of spectral radius {radius}, "
        "against the dashed linear prediction rho^k and a line at 1."
    )
    return Interactive([slider], chart, alt)


def spectral_radius_chart(radii=(0.8, 1.0, 1.2), H=32, T=60, seed=0):
    """Static: the measured gradient norm against k, one solid line per spectral radius,
    each with its dashed linear prediction rho^k.

    Examples
    --------
    >>> c = spectral_radius_chart(radii=(0.5,), H=4, T=5)
    >>> len(c.marks)
    3
    """
    k = np.arange(T)
    marks = [HLine(1.0)]
    for i, radius in enumerate(radii):
        norms, sigma = spectral_norms(radius, H, T, seed)
        marks.append(
            Line(
                k,
                np.maximum(norms, DEEP_FLOOR),
                f"rho = {radius:g} (sigma_max = {sigma:.2f})",
                color=i,
            )
        )
        marks.append(Line(k, np.maximum(radius**k, DEEP_FLOOR), None, color=i, dash=True))
    return Chart(
        f"tanh RNN, H = {H}: measured (solid), rho^k (dashed)",
        "steps back k",
        "||dL/dh_(T-k)|| (floor 1e-30)",
        marks,
        ylog=True,
    )


def lag_accuracy_chart(records, V=4):
    """Test accuracy against the lag, one line per cell, with chance ``1 / V``.

    Examples
    --------
    >>> from rnnbook.experiments.remedies import LagRecord
    >>> c = lag_accuracy_chart([LagRecord("rnn", 2, 1.0), LagRecord("rnn", 5, 0.5)])
    >>> [type(m).__name__ for m in c.marks]
    ['Line', 'HLine']
    """
    names = {"rnn": "tanh RNN", "lstm": "LSTM"}
    marks = []
    for cell in dict.fromkeys(r.cell for r in records):
        rows = sorted((r.k, r.accuracy) for r in records if r.cell == cell)
        k, acc = np.array(rows).T
        marks.append(Line(k, acc, label=names.get(cell, cell), marker=True))
    marks.append(HLine(1.0 / V, label=f"chance 1/{V}"))
    return Chart(
        "Recall accuracy against the lag", "lag k (steps)", "test accuracy", marks, ylim=(0.0, 1.05)
    )


def gradient_path_chart(rnn_norms, lstm_path, rnn_init=None):
    """The gradient paths of ``gradient_paths`` on a log axis (floored at 1e-16).

    ``rnn_init``, if given, is the RNN's path before training, drawn dashed.

    Examples
    --------
    >>> c = gradient_path_chart(np.array([1.0, 0.1, 0.0]), np.array([1.0, 0.9, 0.8]))
    >>> c.ylog, [float(m.y.min()) for m in c.marks]
    (True, [1e-16, 0.8])
    """
    marks = [
        Line(
            np.arange(len(rnn_norms)),
            np.maximum(rnn_norms, PATH_FLOOR),
            label="tanh RNN: |dL/dh_(T-j)|",
            color=0,
        )
    ]
    if rnn_init is not None:
        marks.append(
            Line(
                np.arange(len(rnn_init)),
                np.maximum(rnn_init, PATH_FLOOR),
                label="tanh RNN before training",
                color=0,
                dash=True,
            )
        )
    marks.append(
        Line(
            np.arange(len(lstm_path)),
            np.maximum(lstm_path, PATH_FLOOR),
            label="LSTM cell path: f_T ... f_(T-j+1)",
            color=1,
        )
    )
    return Chart(
        "Gradient reaching j steps back",
        "steps back j",
        "gradient relative to j = 0",
        marks,
        ylog=True,
    )


def _inside(path, lo, hi):
    """The path up to where it first leaves the box [lo, hi], cut at the box's edge."""
    out = np.flatnonzero(np.any((path < lo) | (path > hi), axis=1))
    if not out.size:
        return path
    if out[0] == 0:
        return path[:0]
    a, b = path[out[0] - 1], path[out[0]]
    d = np.where(b != a, b - a, 1.0)
    t = np.min(np.where(b > hi, (hi - a) / d, np.where(b < lo, (lo - a) / d, 1.0)))
    return np.vstack([path[: out[0]], a + t * (b - a)])


def cliff_chart(W, B, E, trajectories, labels, n_ticks=(6, 5)):
    """log10 of the cliff's error as a heat map, with descent paths drawn on it.

    Parameters
    ----------
    W, B, E : ndarray, shape (n, n)
        From ``cliff.cliff_surface`` (``W[i, j] = w_j``, ``B[i, j] = b_i``).
    trajectories : sequence of ndarray, shape (steps + 1, 2)
        ``(w, b)`` paths; a path that leaves the grid is drawn up to its edge.
    labels : sequence of str
    n_ticks : (int, int)
        Number of labelled ticks on the w and b axes.

    Returns
    -------
    Chart
        Row 0 of the heat map is the largest ``b``, so ``b`` grows upwards.
        Paths are drawn in reverse order, so that the first lies on top.

    Examples
    --------
    >>> from rnn_core.cliff import cliff_surface
    >>> W, B, E = cliff_surface((3, 8), (-5, -1), n=11)
    >>> c = cliff_chart(W, B, E, [np.array([[5.5, -3.0], [5.5, -2.0]])], ["path"])
    >>> c.marks[1].x.tolist(), c.marks[1].y.tolist()  # w = 5.5: column 5; b = -3: row 5
    ([5.0, 5.0], [5.0, 2.5])
    """
    w, b = W[0], B[:, 0]
    rows, cols = E.shape
    z = np.log10(E + 1e-8)[::-1]  # b decreasing down the rows
    xl = _tick_labels(w, n_ticks[0])
    yl = _tick_labels(b[::-1], n_ticks[1])
    marks = [Heatmap(z, xlabels=xl, ylabels=yl, label="log10 E")]
    lo, hi = np.array([w[0], b[0]]), np.array([w[-1], b[-1]])
    lines = []
    for i, (path, label) in enumerate(zip(trajectories, labels)):
        p = _inside(np.asarray(path, float), lo, hi)
        col = (p[:, 0] - w[0]) / (w[-1] - w[0]) * (cols - 1)
        row = (b[-1] - p[:, 1]) / (b[-1] - b[0]) * (rows - 1)
        lines.append(Line(col, row, label=label, color=i, marker=True))
    return Chart("Descent on the cliff", "w", "b", marks + lines[::-1])


def _tick_labels(values, n_ticks):
    """One label per cell: the value at ``n_ticks`` evenly spaced cells, "" elsewhere."""
    labels = [""] * len(values)
    for i in np.unique(np.round(np.linspace(0, len(values) - 1, n_ticks)).astype(int)):
        labels[i] = f"{values[i]:g}"
    return labels
