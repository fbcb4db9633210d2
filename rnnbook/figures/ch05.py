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
    Band,
    Bars,
    Chart,
    Heatmap,
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

DH_DH = "$|\\mathrm{d}h_T/\\mathrm{d}h_{T-k}|$"  # axis labels, in mathtext
DL_DH = "$\\|\\mathrm{d}L/\\mathrm{d}h_{T-k}\\|$"
DHT_DHT1 = "$|\\mathrm{d}h_t/\\mathrm{d}h_{t-1}|$"


def regime(w_h):
    """'vanishing', 'neutral' or 'exploding', from ``|w_h|`` against 1.

    Examples
    --------
    >>> regime(0.5), regime(-1.0), regime(1.2)
    ('vanishing ($|w_H| < 1$)', 'neutral ($|w_H| = 1$)', 'exploding ($|w_H| > 1$)')
    """
    a = abs(as_scalar("w_h", w_h))
    if np.isclose(a, 1.0, rtol=0.0, atol=1e-9):
        return tr("neutral ($|w_H| = 1$)")
    return tr("vanishing ($|w_H| < 1$)" if a < 1.0 else "exploding ($|w_H| > 1$)")


#: Distance bins of the closed-form terms: (first i, last i, label, colour), near ones dark.
_BINS = ((1, 5, "$i$ = 1\u20135", "#08306b"), (6, 20, "$i$ = 6\u201320", "#4292c6"),
         (21, 10**9, "$i > 20$", "#9ecae1"))  # fmt: skip


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
            f"{regime(w_h)}, $w_H$ = {w_h:.2f}",
            tr("steps back $k$"),
            DH_DH,
            [
                HLine(1.0, tr("neutral $|w_H| = 1$")),
                Line(
                    k,
                    np.maximum(np.abs(w_h) ** k, FLOOR),
                    tr("$|w_H|^k$ (floor $10^{-12}$)"),
                    color=0,
                ),
            ],
            xlim=(0.0, T_max - 1.0),
            ylim=ylim,
            ylog=True,
        )
        terms, _ = linear.linear_grad_terms(x[:T], 1.0, w_h, 0.5)
        parts = Chart(
            tr("terms of $\\mathrm{{d}}h_T/\\mathrm{{d}}w_H$, $T$ = {T}", T=T),
            tr("term $i$ ($i - 1$ steps back); floor $10^{-12}$"),
            "$|w_H^{i-1} h_{T-i}|$",
            _terms_bars(terms),
            xlim=(0.0, T_max + 1.0),
            ylim=ylim,
            ylog=True,
        )
        return Panels([decay, parts])

    sliders = [
        Slider("w_h", "w_H", -1.5, 1.5, 0.05, 0.9, description=tr("recurrent weight")),
        Slider("T", "T", 10, T_max, 5, min(40, T_max), description=tr("sequence length")),
    ]
    alt = tr(
        "Left: $|w_H|^k$ against the number of steps back $k$ on a log axis, for $w_H$ = {w_h} "
        "and $T$ = {T}, with a dashed line at 1. Right: the magnitudes of the $T$ = {T} terms "
        "of the closed-form derivative of $h_T$ with respect to $w_H$, as bars shaded by how "
        "many steps each term has travelled, near ones dark and far ones light."
    )
    # The text's three regimes: vanishing, close to neutral, exploding.
    frames = [{"w_h": 0.5}, {"w_h": 0.9}, {"w_h": 1.1}]
    return Interactive(sliders, chart, alt, frames=frames)


def _saturation_chart(scale, w_h, T, seed):
    """The two panels of :func:`saturation_slider` at one input scale and weight."""
    k = np.arange(T)
    f, slope = tanh_jacobian_factors(scale, w_h, T, seed)
    # k = 0: empty product 1; k: product of the last k factors
    prod = np.concatenate([[1.0], np.cumprod(np.abs(f[::-1]))[:-1]])
    title = "$m$ = {scale:.1f}, $w_H$ = {w_h:.1f}: mean $\\tanh$ slope {slope:.3f}"
    left = Chart(
        tr(title, scale=scale, w_h=w_h, slope=slope.mean()),
        tr("steps back $k$"),
        DH_DH,
        [
            HLine(1.0, color="#999999"),
            Line(k, np.maximum(np.abs(w_h) ** k, DEEP_FLOOR), tr("linear cell $|w_H|^k$"), color=1,
                 dash=True),
            Line(k, np.maximum(prod, DEEP_FLOOR), tr("tanh cell (floor $10^{-30}$)"), color=0),
        ],
        ylim=(DEEP_FLOOR, 1e10),
        ylog=True,
    )  # fmt: skip
    right = Chart(
        tr("per-step factor"),
        tr("step $t$"),
        "$|w_H|\\,(1 - h_t^2)$",
        [
            HLine(abs(w_h), f"$|w_H|$ = {abs(w_h):g}"),
            Line(np.arange(1, T + 1), np.abs(f), DHT_DHT1, color=0, marker=True),
        ],
        ylim=(0.0, 1.65),
    )
    return Panels([left, right])


def saturation_slider(T=40, seed=0):
    """Sliders over the input scale m and w_H: how tanh saturation shortens the gradient's reach.

    Left: |dh_T/dh_(T-k)| = prod |w_H (1 - h_t^2)| over the last k steps, against the
    linear cell's |w_H|^k (dashed). Right: the per-step factor against t, with a line
    at |w_H|, its value without saturation. The frames the text discusses: m = 1 and
    m = 4 at w_H = 0.9, and m = 1 at w_H = 1.5, where the linear cell would explode.

    Examples
    --------
    >>> fig = saturation_slider(T=10)
    >>> fig.sliders[0].values[:3], len(fig.sliders[0].values), fig.sliders[1].values
    ((0.1, 0.2, 0.3), 40, (0.3, 0.6, 0.9, 1.2, 1.5))
    """
    sliders = [
        Slider("scale", "m", 0.1, 4.0, 0.1, 1.0, description=tr("input scale")),
        Slider("w_h", "w_H", 0.3, 1.5, 0.3, 0.9, description=tr("recurrent weight")),
    ]
    alt = tr(
        "Left: on a log axis, the product of the tanh cell's per-step factors over the last "
        "$k$ steps for input scale $m$ = {scale} and $w_H$ = {w_h}, against the dashed "
        "linear-cell line $|w_H|^k$. Right: each step's factor $|w_H| (1 - h_t^2)$, under a "
        "dashed line at $|w_H|$."
    )
    frames = [{"scale": 1.0}, {"scale": 4.0}, {"scale": 1.0, "w_h": 1.5}]
    return Interactive(
        sliders, lambda scale, w_h: _saturation_chart(scale, w_h, T, seed), alt, frames=frames
    )


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
            f"$\\rho$ = {radius:.2f}, $\\sigma_{{\\max}}$ = {sigma:.2f}",
            tr("steps back $k$"),
            DL_DH,
            [
                HLine(1.0),
                Line(
                    k,
                    np.maximum(radius**k, SPECTRAL_FLOOR),
                    tr("$\\rho^k$ (linear)"),
                    color=1,
                    dash=True,
                ),
                Line(
                    k,
                    np.maximum(norms, SPECTRAL_FLOOR),
                    tr("tanh cell, measured (floor $10^{-20}$)"),
                    color=0,
                ),
            ],
            ylim=(SPECTRAL_FLOOR, 1e15),
            ylog=True,
        )

    slider = Slider("radius", "\\rho", 0.5, 1.5, 0.05, 1.0, description=tr("spectral radius"))
    alt = tr(
        "On a log axis, the norm of the gradient of a loss on the last state reaching the "
        "state $k$ steps earlier, for a tanh RNN with $W_{{hh}}$ of spectral radius {radius}, "
        "against the dashed linear prediction $\\rho^k$ and a line at 1."
    )
    frames = [{"radius": 0.8}, {"radius": 1.0}, {"radius": 1.2}]
    return Interactive([slider], chart, alt, frames=frames)


def spectral_radius_chart(study):
    """The gradient's decay for many random W_hh at each spectral radius: the median over
    matrices (solid), the band of the middle 80%, and the linear prediction rho^k (dashed).

    Examples
    --------
    >>> from rnnbook.experiments.vanishing import spectral_study
    >>> c = spectral_radius_chart(spectral_study(radii=(0.5,), seeds=(0, 1), H=4, T=5))
    >>> [type(m).__name__ for m in c.marks]
    ['HLine', 'Band', 'Line', 'Line']
    """
    marks = [HLine(1.0)]
    for i, radius in enumerate(study.radii):
        norms = np.maximum(study.norms[radius], DEEP_FLOOR)  # (matrices, T)
        k = np.arange(norms.shape[1])
        lo, mid, hi = np.percentile(norms, [10, 50, 90], axis=0)
        marks.append(Band(k, lo, hi, color=i))
        marks.append(Line(k, mid, f"$\\rho = {radius:g}$", color=i))
        marks.append(Line(k, np.maximum(radius**k, DEEP_FLOOR), None, color=i, dash=True))
    return Chart(
        tr(
            "tanh RNN, {n} random $W_{{hh}}$ per $\\rho$: "
            "median and middle 80% (solid), $\\rho^k$ (dashed)",
            n=len(study.seeds),
        ),
        tr("steps back $k$"),
        tr("$\\|\\partial L/\\partial h_{T-k}\\|$ (floor 1e-30)"),
        marks,
        ylog=True,
    )


NAMES = {"rnn": "tanh RNN", "lstm": "LSTM", "gru": "GRU"}


def _jitter(n, centre, width=0.5):
    """``n`` x positions spread evenly over ``width`` around ``centre``: one per seed."""
    return centre + (np.linspace(-0.5, 0.5, n) * width if n > 1 else np.zeros(1))


def lag_accuracy_chart(sweep, V=4):
    """Test accuracy against the lag: a dot per seed and the median, per cell; chance 1/V.

    Examples
    --------
    >>> from rnnbook.experiments.remedies import lag_sweep
    >>> s = lag_sweep(lags=(2,), cells=("rnn",), seeds=(0, 1), steps=5, n_train=16, n_test=8)
    >>> c = lag_accuracy_chart(s)
    >>> [type(m).__name__ for m in c.marks], c.xticks  # ticked at the lags swept, only
    (['Points', 'Line', 'HLine'], ((2.0,), ('2',)))
    """
    marks, gap = [], min(np.diff(sweep.lags), default=5)
    for i, cell in enumerate(sweep.cells):
        shift = (i - (len(sweep.cells) - 1) / 2) * 0.28 * gap  # the cells side by side
        acc = np.array([sweep.accuracy(cell, k) for k in sweep.lags])  # (lags, seeds)
        for j, k in enumerate(sweep.lags):
            dots = Points(
                _jitter(len(sweep.seeds), k + shift, 0.2 * gap),
                acc[j],
                color=i,
                label=tr("{cell}, one dot per seed", cell=NAMES[cell]) if j == 0 else None,
            )
            marks.append(dots)
        marks.append(
            Line(
                np.array(sweep.lags) + shift,
                np.median(acc, axis=1),
                label=tr("{cell}, median", cell=NAMES[cell]),
                color=i,
                marker=True,
            )
        )
    marks.append(HLine(1.0 / V, label=tr("chance 1/{V}", V=V)))
    return Chart(
        tr("Recall accuracy against the lag ({n} seeds)", n=len(sweep.seeds)),
        tr("lag $k$ (steps)"),
        tr("test accuracy"),
        marks,
        ylim=(0.0, 1.05),
        xticks=(sweep.lags, [f"{k}" for k in sweep.lags]),  # the cells sit around each lag
    )


def _path_marks(paths, when, k):
    """Median gradient path per cell, the seeds' values at the symbol, gate paths dashed."""
    marks, j = [], np.arange(k + 1)
    for i, path in enumerate(paths.values()):
        rel = np.maximum(getattr(path, when), PATH_FLOOR)  # (seeds, k + 1)
        median = tr("{cell}: median", cell=NAMES[path.cell])
        marks.append(Line(j, np.median(rel, axis=0), median, color=i))
        marks.append(Points(_jitter(len(rel), k, 0.8), rel[:, k], color=i))
        gate = getattr(path, "gate_" + when)
        if gate is not None:
            label = "forget gates $\\prod f$" if path.cell == "lstm" else "update gates $\\prod z$"
            label = tr(label)
            marks.append(Line(j, np.median(gate, axis=0), label, color=i, dash=True))
    return marks


def gradient_path_chart(paths, k):
    """Gradient reaching the input j steps back, before and after training, per cell.

    Solid: the median over seeds of ``|dL/dx_(T-j)| / |dL/dx_T|``; dots: every seed's
    value at ``j = k``, the symbol; dashed: the median of the gated cells' direct
    paths. Log axis floored at 1e-16.

    Examples
    --------
    >>> from rnnbook.experiments.remedies import GradientPath
    >>> p = {"rnn": GradientPath("rnn", np.ones((2, 3)), np.ones((2, 3)) / 2, None, None)}
    >>> [len(c.marks) for c in gradient_path_chart(p, 2).charts]
    [2, 2]
    """
    charts = [
        Chart(
            tr(title),
            tr("steps back $j$"),
            tr("$|\\partial L/\\partial x_{T-j}|$ relative to $j = 0$"),
            _path_marks(paths, when, k),
            ylog=True,
            ylim=(PATH_FLOOR, 10.0),
        )
        for title, when in (("before training", "before"), ("after training", "after"))
    ]
    return Panels(charts)


def grad_norm_chart(run, threshold, cell="tanh RNN"):
    """Pre-clip gradient norms during training: median and 10-90% band over seeds, and a
    dot for every step of every seed whose norm exceeded ``threshold`` (the clipped ones).

    Examples
    --------
    >>> from rnn_core import ensemble
    >>> r = ensemble.train_recall("rnn", 3, (0, 1), steps=6, n_train=16, n_test=8)
    >>> [type(m).__name__ for m in grad_norm_chart(r, 1.0).marks]
    ['Band', 'Line', 'Points', 'HLine']
    """
    norms = run.grad_norms  # (seeds, steps)
    steps = np.arange(1, norms.shape[1] + 1)
    lo, mid, hi = np.percentile(norms, [10, 50, 90], axis=0)
    seed, step = np.nonzero(norms > threshold)
    return Chart(
        tr("{cell}: gradient norm before clipping ({n} seeds)", cell=cell, n=norms.shape[0]),
        tr("training step"),
        tr("global gradient norm"),
        [
            Band(steps, lo, hi, label=tr("10-90% of seeds"), color=0),
            Line(steps, mid, tr("median"), color=0),
            Points(steps[step], norms[seed, step], tr("clipped steps ({n})", n=seed.size), color=1),
            HLine(threshold, tr("threshold $\\theta = {threshold:g}$", threshold=threshold)),
        ],
        ylog=True,
    )


def _strip(title, groups, ylabel):
    """One panel of accuracies: a column of dots per condition, its median as a dash; the
    x axis is categorical, ticked with the conditions' names and nothing else."""
    marks = []
    for x, acc in enumerate(groups.values()):
        marks.append(Points(_jitter(len(acc), x, 0.5), acc, color=x))
        med = float(np.median(acc))
        marks.append(Line([x - 0.35, x + 0.35], [med, med], color=x))
    names = (range(len(groups)), [tr(name) for name in groups])
    return Chart(
        tr(title),
        "",
        ylabel,
        marks,
        xlim=(-0.5, len(groups) - 0.5),  # all the width for the names
        ylim=(0.0, 1.05),
        legend=False,
        xticks=names,
    )


def remedies_chart(panels):
    """Accuracies of the remedies: ``panels`` maps a title to ``{condition: accuracies}``.

    Examples
    --------
    >>> c = remedies_chart({"clipping": {"on": np.ones(3), "off": np.zeros(3)}})
    >>> len(c.charts), len(c.charts[0].marks), c.charts[0].xticks
    (1, 4, ((0.0, 1.0), ('on', 'off')))
    """
    titles = list(panels)
    return Panels(
        [_strip(t, panels[t], tr("test accuracy") if i == 0 else "") for i, t in enumerate(titles)]
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
    """log10 of the cliff's loss as a heat map, with descent paths drawn on it.

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
        Row 0 of the heat map is the largest ``b``, so ``b`` grows upwards. Paths are
        drawn in order, the legend lists them in that order, and a black dot marks the
        start of the first.

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
    marks = [Heatmap(z, xlabels=xl, ylabels=yl, label="$\\log_{10} L$")]
    lo, hi = np.array([w[0], b[0]]), np.array([w[-1], b[-1]])

    def cells(p):  # (w, b) points -> (column, row) of the heat map
        return (p[:, 0] - w[0]) / (w[-1] - w[0]) * (cols - 1), (b[-1] - p[:, 1]) / (
            b[-1] - b[0]
        ) * (rows - 1)

    for i, (path, label) in enumerate(zip(trajectories, labels)):
        path = _inside(np.asarray(path, float), lo, hi)
        marks.append(Line(*cells(path), tr(label), i, marker=True))
    start = np.asarray(trajectories[0], float)[:1]
    marks.append(Points(*cells(start), tr("start"), color="#000000"))
    return Chart(tr("Descent on the cliff"), "$w$", "$b$", marks)


def _tick_labels(values, n_ticks):
    """One label per cell: the value at ``n_ticks`` evenly spaced cells, "" elsewhere."""
    labels = [""] * len(values)
    for i in np.unique(np.round(np.linspace(0, len(values) - 1, n_ticks)).astype(int)):
        labels[i] = f"{values[i]:g}"
    return labels
