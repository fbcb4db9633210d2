"""Figures of chapter 4, backpropagation through time: closed-form terms, truncation, cost."""

import numpy as np

from rnn_core import gradcheck, linear
from rnn_core.truncation import truncation_bias
from rnnbook.experiments.vanishing import scaled_recurrence
from sliders import (
    Bars,
    Chart,
    HLine,
    Interactive,
    Line,
    Panels,
    Slider,
    to_figure,  # the chapter's static figures: to_figure(chart)
)

from .strings import tr

__all__ = [
    "closed_form_terms_panels",
    "closed_form_terms_slider",
    "cost_chart",
    "to_figure",
    "truncation_bias_chart",
]


def _terms_chart(x, N, w_h, w_x, h0, max_N, short=False):
    """Bars of the terms w_H^(i-1) h_(N-i) of dh_N/dw_H, with their sum and the FD value."""
    terms, _ = linear.linear_grad_terms(x[:N], w_x, w_h, h0)  # (N,), i = 1..N
    w = np.array([w_h])
    fd = gradcheck.numerical_gradient(
        lambda: linear.linear_rnn(x[:N], w_x, w[0], h0)[-1], w, eps=1e-6
    )[0]
    colors = [0 if v >= 0 else 1 for v in terms]
    title = (
        tr("$w_H$ = {w_h:.1f}: sum {total:.3g}", w_h=w_h, total=terms.sum())
        if short
        else tr(
            "$N$ = {N}, $w_H$ = {w_h:.1f}: sum {total:.4g}, finite differences {fd:.4g}",
            N=N,
            w_h=w_h,
            total=terms.sum(),
            fd=fd,
        )
    )
    xlabel = tr("term $i$" if short else "term $i$ (it has travelled $i - 1$ recurrent steps)")
    return Chart(
        title,
        xlabel,
        "$w_H^{i-1} h_{N-i}$",
        [Bars(np.arange(1, N + 1), terms, color=colors), HLine(0.0, color="#999999", dash=False)],
        xlim=(0.3, max_N + 0.7),
        legend=False,
    )


def closed_form_terms_slider(x, w_x=1.0, h0=0.5, max_N=20):
    """Sliders N and w_H: the terms w_H^(i-1) h_(N-i) of dh_N/dw_H as bars, their sum and
    the finite-difference derivative.

    Parameters
    ----------
    x : ndarray, shape (max_N,)
        The input sequence; the first N values are used.
    w_x, h0 : float
    max_N : int

    Examples
    --------
    >>> fig = closed_form_terms_slider(np.ones(3), max_N=3)
    >>> [s.name for s in fig.sliders]
    ['N', 'w_h']
    """

    def chart(N, w_h):
        return _terms_chart(x, N, w_h, w_x, h0, max_N)

    sliders = [
        Slider("N", "N", 1, max_N, 1, min(8, max_N), description=tr("sequence length")),
        Slider("w_h", "w_H", -1.5, 1.5, 0.1, 0.9, description=tr("recurrent weight")),
    ]
    alt = tr(
        "Bars of the $N$ = {N} terms of the closed-form derivative of $h_N$ with respect to "
        "$w_H$, for $w_H$ = {w_h}; the title gives their sum and the finite-difference value."
    )
    # The text: w_H below 1, above 1, below 0.
    frames = [{"w_h": 0.5}, {"w_h": 1.2}, {"w_h": -0.9}]
    return Interactive(sliders, chart, alt, frames=frames)


def closed_form_terms_panels(x, w_hs=(0.5, 1.0, 1.2), w_x=1.0, h0=0.5):
    """Static: the terms of dh_N/dw_H for N = len(x) at three values of w_H side by side.

    Examples
    --------
    >>> len(closed_form_terms_panels(np.ones(4)).charts)
    3
    """
    N = len(x)
    return Panels([_terms_chart(x, N, w_h, w_x, h0, N, short=True) for w_h in w_hs])


def truncation_bias_chart(T=60, scales=(0.5, 0.95), H=8, seed=0):
    """Relative error of truncated dW_hh against full BPTT, against the horizon k.

    Solid lines: every loss term backpropagated at most k steps (sliding);
    dashed: the sequence cut into windows of k steps. One pair per spectral
    radius of W_hh; inputs and upstream gradients are seeded.

    Examples
    --------
    >>> c = truncation_bias_chart(T=6, scales=(0.5,), H=2)
    >>> bool(c.marks[0].y[-1] < 1e-12)  # k = T: no truncation, only rounding
    True
    """
    rng = np.random.default_rng(seed)
    x, dh = rng.standard_normal((1, T, 2)), rng.standard_normal((1, T, H))
    Wx, ks = rng.standard_normal((2, H)), np.arange(1, T + 1)
    marks = []
    for i, radius in enumerate(scales):
        Wh = scaled_recurrence(H, radius, rng)
        for kind, dash, label in (
            ("sliding", False, "radius {radius}, sliding"),
            ("window", True, "radius {radius}, window"),
        ):
            bias = truncation_bias(x, np.zeros((1, H)), Wx, Wh, np.zeros(H), dh, ks, kind)
            label = tr(label, radius=radius)
            marks.append(Line(ks, np.maximum(bias, 1e-16), label, color=i, dash=dash))
    return Chart(
        tr("bias of truncated BPTT (T = {T})", T=T),
        tr("truncation horizon $k$"),
        tr("relative error of $\\mathrm{d}W_{hh}$"),
        marks,
        ylog=True,
        ylim=(1e-16, 10.0),
    )


def cost_chart(records):
    """Panels: work (or time) and peak memory of BPTT and RTRL against H, a line per (method, T).

    ``records`` are ``cost.count``'s CountRecords (the first panel is the counted
    multiply-adds) or ``cost.measure``'s CostRecords (measured seconds).

    The x axis is H on a log-2 scale: each line is drawn against log2 H, and the axis is
    ticked at the sizes measured, labelled with H itself.

    Examples
    --------
    >>> from rnnbook.experiments.cost import CountRecord
    >>> recs = [CountRecord("bptt", 10, H, 100 * H, 1e3 * H) for H in (2, 4)]
    >>> [(c.title, c.xticks) for c in cost_chart(recs).charts]
    [('work', ((1.0, 2.0), ('2', '4'))), ('peak memory', ((1.0, 2.0), ('2', '4')))]
    """
    work = type(records[0])._fields[3]  # "multiply_adds" (counted) or "seconds" (measured)
    title, unit = {"multiply_adds": ("work", "multiply-adds")}.get(work, ("time", "seconds"))
    groups = sorted({(r.method, r.T) for r in records})
    work_marks, mem_marks = [], []
    for i, (method, T) in enumerate(groups):
        rs = sorted((r for r in records if (r.method, r.T) == (method, T)), key=lambda r: r.H)
        at = np.log2([r.H for r in rs])
        # blues for BPTT, oranges for RTRL; the darker shade is the shorter sequence
        label = f"{method.upper()} $T$ = {T}"
        color = {"bptt": (0, 5), "rtrl": (1, 4)}[method][i % 2]
        work_marks.append(Line(at, [r[3] for r in rs], label, color, False, True))
        mem_marks.append(Line(at, [r.peak_bytes for r in rs], label, color, False, True))
    Hs = sorted({r.H for r in records})
    axis = {"xlabel": tr("hidden units $H$ (log scale)"), "ylog": True,
            "xticks": (np.log2(Hs), [f"{H}" for H in Hs])}  # fmt: skip
    return Panels(
        [
            Chart(tr(title), ylabel=tr(unit), marks=work_marks, **axis),
            Chart(tr("peak memory"), ylabel=tr("bytes"), marks=mem_marks, **axis),
        ]
    )
