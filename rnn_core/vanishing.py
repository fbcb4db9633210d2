"""Vanishing and exploding gradients: measured norms and the figures of the chapter.

:func:`state_gradient_norms` measures how much of a loss on the last state of the
tanh cell reaches each earlier state. The slider figures show the three factors
that decide it: the recurrent weight (:func:`decay_slider`), the saturation of tanh
(:func:`saturation_slider`) and the spectral radius of W_hh
(:func:`spectral_radius_slider`, :func:`spectral_radius_chart`).

Log axes reject values <= 0, so plotted magnitudes are clamped to a floor (named
in each chart's axis label or legend).
"""

import numpy as np

from . import linear
from ._checks import as_int, as_scalar
from .cell import rnn_forward
from .interactive import Bars, Chart, HLine, Interactive, Line, Panels, Slider

FLOOR = 1e-12  # decay_slider: smallest plotted magnitude
DEEP_FLOOR = 1e-30  # saturation and spectral_radius_chart: products fall further
SPECTRAL_FLOOR = 1e-20  # spectral_radius_slider: fixed axis (1e-20, 1e15)


def state_gradient_norms(x, h0, Wx, Wh, b):
    """Norm of the gradient of a loss on the last state reaching each earlier state.

    The loss is ``L = g . h_T`` with ``g = ones(H) / sqrt(H)`` (so ``||dL/dh_T|| = 1``).
    Going back one step multiplies the gradient row vector on the right by the Jacobian:
    ``dL/dh_(t-1) = (dL/dh_t * (1 - h_t**2)) Wh^T``.

    Parameters
    ----------
    x : ndarray, shape (N, T, D)
    h0 : ndarray, shape (N, H)
    Wx : ndarray, shape (D, H)
    Wh : ndarray, shape (H, H)
    b : ndarray, shape (H,)

    Returns
    -------
    ndarray, shape (T,)
        Entry k is ``||dL/dh_(T-k)||`` (k = 0 is the last state), the norm taken per
        example and averaged over the batch.

    Examples
    --------
    >>> x = np.zeros((1, 3, 1))
    >>> state_gradient_norms(x, np.zeros((1, 1)), np.ones((1, 1)), 0.5 * np.ones((1, 1)),
    ...                      np.zeros(1))
    array([1.  , 0.5 , 0.25])
    """
    h, cache = rnn_forward(x, h0, Wx, Wh, b)
    N, T, H = h.shape
    grad = np.full((N, H), 1.0 / np.sqrt(H))  # dL/dh_T
    norms = np.empty(T)
    for k in range(T):
        norms[k] = np.linalg.norm(grad, axis=1).mean()
        grad = (grad * (1.0 - h[:, T - 1 - k] ** 2)) @ cache.Wh.T  # dL/dh_(T-k-1)
    return norms


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


def tanh_jacobian_factors(s, w_h=0.9, T=40, seed=0):
    """Per-step factors w_H (1 - h_t^2) of the scalar tanh cell on seeded inputs.

    The cell is ``h_t = tanh(s x_t + w_H h_(t-1))`` (``w_X = 1``, ``h_0 = 0``, no bias),
    run with ``cell.rnn_forward`` on standard-normal ``x`` from ``seed``.

    Returns
    -------
    factors : ndarray, shape (T,)
        ``factors[t-1] = w_H (1 - h_t^2)`` = dh_t/dh_(t-1), for t = 1..T.
    slope : ndarray, shape (T,)
        The tanh slopes ``1 - h_t^2``.

    Examples
    --------
    >>> f, slope = tanh_jacobian_factors(1.0, w_h=0.9, T=5)
    >>> bool(np.all(np.abs(f) <= 0.9) and np.allclose(f, 0.9 * slope))
    True
    """
    s, w_h = as_scalar("s", s), as_scalar("w_h", w_h)
    x = np.random.default_rng(seed).standard_normal((1, as_int("T", T, 1), 1))
    h, _ = rnn_forward(s * x, np.zeros((1, 1)), np.ones((1, 1)), np.full((1, 1), w_h), np.zeros(1))
    slope = 1.0 - h[0, :, 0] ** 2
    return w_h * slope, slope


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


def scaled_recurrence(H, radius, seed=0):
    """A seeded standard-normal H x H matrix rescaled to spectral radius ``radius``.

    The same seed gives the same direction for every radius: only the scale changes.

    Examples
    --------
    >>> W = scaled_recurrence(4, 0.5)
    >>> round(float(np.max(np.abs(np.linalg.eigvals(W)))), 12)
    0.5
    """
    W = np.random.default_rng(seed).standard_normal((as_int("H", H, 1), H))
    return as_scalar("radius", radius) * W / np.max(np.abs(np.linalg.eigvals(W)))


def _spectral_setup(H, T, seed, N=8, D=4):
    """Seeded inputs (N, T, D) and input weights (D, H) scaled by 0.1."""
    rng = np.random.default_rng(seed + 1)
    return rng.standard_normal((N, T, D)), 0.1 * rng.standard_normal((D, H))


def spectral_norms(radius, H=32, T=60, seed=0):
    """``state_gradient_norms`` of the tanh cell with W_hh at the given spectral radius.

    Returns
    -------
    norms : ndarray, shape (T,)
    sigma_max : float
        The largest singular value of W_hh.

    Examples
    --------
    >>> norms, sigma = spectral_norms(0.5, H=4, T=5)
    >>> norms.shape, bool(norms[-1] < norms[0])
    ((5,), True)
    """
    Wh = scaled_recurrence(H, radius, seed)
    x, Wx = _spectral_setup(H, T, seed)
    norms = state_gradient_norms(x, np.zeros((x.shape[0], H)), Wx, Wh, np.zeros(H))
    return norms, float(np.linalg.norm(Wh, 2))


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
