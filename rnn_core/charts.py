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

from . import ar, data, gradcheck, linear
from .interactive import (
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
    Text,
    VLine,
    to_matplotlib,
)


class FigurePNG(NamedTuple):
    """A rendered figure that Jupyter displays as a PNG image."""

    png: bytes

    def _repr_png_(self):
        return self.png


def to_figure(spec, height=320):
    """Render a Chart or Panels (or a ready matplotlib Figure) as a PNG Jupyter displays.

    Parameters
    ----------
    spec : Chart, Panels or matplotlib.figure.Figure
    height : int
        Height in pixels of a Chart or Panels (the width is 720).

    Returns
    -------
    FigurePNG

    Examples
    --------
    >>> fig = to_figure(Chart("t", marks=[Line([0, 1], [0, 1])]))
    >>> fig.png[:4]
    b'\\x89PNG'
    """
    from matplotlib.figure import Figure

    fig = spec if isinstance(spec, Figure) else to_matplotlib(spec, height)
    buf = io.BytesIO()
    # No "Software" or date chunk: the same figure gives the same bytes.
    fig.savefig(buf, format="png", metadata={"Software": None})
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
    series = Chart(
        "the series",
        "step t",
        "x_t",
        [
            Line(t, x_shuffled[: len(t)], "shuffled", color=1),
            Line(t, x[: len(t)], "original", color=0),
        ],
    )
    acf = Chart(
        "autocorrelation",
        "lag k",
        "r_k",
        [
            _white_noise_band(len(x), max_lag),
            HLine(0.0),
            Line(lags, data.autocorrelation(x, max_lag), "original", color=0, marker=True),
            Line(lags, data.autocorrelation(x_shuffled, max_lag), "shuffled", color=1, marker=True),
        ],
        ylim=(-1.0, 1.05),
    )
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
        return Chart(
            f"autocorrelation after shuffling a fraction f = {f:.2f}",
            "lag k",
            "r_k",
            [
                _white_noise_band(len(x), max_lag),
                HLine(0.0),
                Line(lags, r, "original", color=0, dash=True),
                Bars(lags, r_f, f"shuffled fraction {f:.2f}", color=1),
            ],
            ylim=(-1.0, 1.05),
        )

    slider = Slider("f", "f", 0.0, 1.0, 0.05, 0.25, description="fraction shuffled")
    alt = (
        "Autocorrelation by lag of the sensor series after shuffling a fraction {f} of its "
        "positions, as bars, over the original autocorrelation as a dashed line."
    )
    return Interactive([slider], chart, alt)


def markov_property_check(conditional, transition):
    """Full-history conditionals from the joint table against the transition probabilities.

    Examples
    --------
    >>> markov_property_check(np.array([0.25, 0.75]), np.array([0.25, 0.75])).marks[1].y
    array([0.25, 0.75])
    """
    return Chart(
        "every conditional of every 4-day sequence",
        "transition probability A[x_t-1, x_t]",
        "P(x_t | x_1..x_t-1), from marginals",
        [
            Line([0.0, 1.0], [0.0, 1.0], "equality", color="#999999", dash=True),
            Points(transition, conditional, "one sequence and step", color=0),
        ],
        xlim=(0.0, 0.8),
        ylim=(0.0, 0.8),
    )


# --- Chapter 2: the AR(tau) model ------------------------------------------


def one_step_chart(t, x, pred, n_train):
    """The noisy sine, the one-step predictions, and the train/test boundary."""
    tau = len(t) - len(pred)
    return Chart(
        "one-step-ahead predictions",
        "time t",
        "x_t",
        [
            Line(t, x, "data", color="#999999"),
            Line(t[tau:], pred, "one-step prediction", color=0),
            _boundary(t[n_train - 1]),
        ],
        ylim=(-1.8, 1.8),
    )


def _boundary(t_split):
    return VLine(float(t_split), "end of training data")


def rollout_chart(t, x, model, n_train):
    """The free-running rollout from the end of the training data, against the data."""
    steps = len(x) - n_train
    roll = ar.rollout(model, x[:n_train], steps)
    return Chart(
        "free-running rollout",
        "time t",
        "x_t",
        [
            Line(t, x, "data", color="#999999"),
            Line(t[n_train:], roll, "rollout (own predictions fed back)", color=1),
            _boundary(t[n_train - 1]),
        ],
        ylim=(-1.8, 1.8),
    )


def k_step_charts(t, x, model, ks, n_train):
    """Panels: k-step-ahead predictions on the test part for several k; test MSE against k."""
    tau = len(model.coef)
    marks = [Points(t[n_train:], x[n_train:], "data", color="#aaaaaa")]
    for i, k in enumerate(ks):
        pred = ar.forecast_k_step(model, x, k)[n_train - tau - k + 1 :]  # aligned with x[n_train:]
        marks.append(Line(t[n_train:], pred, f"k = {k}", color=i))
    ks_all = np.arange(1, max(ks) + 1)
    mse = [
        np.mean((ar.forecast_k_step(model, x, k)[n_train - tau - k + 1 :] - x[n_train:]) ** 2)
        for k in ks_all
    ]
    preds = Chart("k-step-ahead predictions (test part)", "time t", "x_t", marks, ylim=(-1.8, 1.8))
    err = Chart(
        "test error against horizon",
        "horizon k",
        "mean squared error",
        [Line(ks_all, mse, "k-step MSE", color=0), HLine(0.04, "noise variance 0.04")],
        ylog=True,
    )
    return Panels([preds, err])


def tau_validation_chart(taus, mse):
    """Validation one-step MSE against the window tau."""
    return Chart(
        "choosing tau on validation data",
        "window tau",
        "validation MSE",
        [
            Line(taus, mse, "one-step MSE", color=0, marker=True),
            HLine(0.04, "noise variance 0.04"),
        ],
    )


def forecast_slider(t, x, n_train, max_tau=8, max_k=64, k_step=3):
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
        pred[tau + k - 1 :] = ar.forecast_k_step(models[tau], x, k)
        mse = np.mean((pred[n_train:] - x[n_train:]) ** 2)
        return Chart(
            f"AR({tau}), {k} steps ahead: test MSE {mse:.3f}",
            "time t",
            "x_t",
            [
                Line(t[test], x[test], "data", color="#999999"),
                Line(t[test], pred[test], f"{k}-step forecast", color=0),
            ],
            ylim=(-1.8, 1.8),
        )

    sliders = [
        Slider("tau", "\\tau", 1, max_tau, 1, min(4, max_tau), description="window"),
        Slider("k", "k", 1, max_k, k_step, 1, description="horizon"),
    ]
    alt = (
        "The test part of the noisy sine in grey and the {k}-step-ahead forecast of an "
        "AR({tau}) model fitted on the training part."
    )
    return Interactive(sliders, chart, alt)


# --- Chapter 3: the RNN cell -------------------------------------------------


def input_influence_chart(w_hs=(0.5, 0.9, 1.0, 1.1), N=30, w_x=1.0):
    """How much input x_s still moves h_N in the linear cell: dh_N/dx_s = w_x w_H^(N-s).

    Each curve is measured by central differences on ``linear.linear_rnn``, not
    taken from the formula, so the figure checks the formula it illustrates.

    Examples
    --------
    >>> c = input_influence_chart(w_hs=(0.5,), N=4)
    >>> np.round(c.marks[0].y, 6)
    array([0.125, 0.25 , 0.5  , 1.   ])
    """
    s = np.arange(1, N + 1)
    marks = []
    for i, w_h in enumerate(w_hs):
        x = np.zeros(N)

        def h_N(x=x, w_h=w_h):
            return linear.linear_rnn(x, w_x, w_h)[-1]

        grad = gradcheck.numerical_gradient(h_N, x)
        marks.append(Line(s, np.abs(grad), f"w_H = {w_h}", color=i, marker=True))
    return Chart(
        f"influence of input x_s on h_{N}", "input step s", "|dh_N / dx_s|", marks, ylog=True
    )


def training_curves(result, uniform, bigram):
    """Panels: training loss per epoch; held-out perplexity per epoch against the baselines."""
    epochs = np.arange(1, len(result.losses) + 1)
    loss = Chart(
        "training loss",
        "epoch",
        "cross-entropy (nats per word)",
        [Line(epochs, result.losses, "training loss", color=0)],
    )
    ppl = Chart(
        "perplexity",
        "epoch",
        "perplexity",
        [
            Line(epochs, np.exp(result.losses), "RNN, training data", color=0, dash=True),
            Line(epochs, result.valid_perplexity, "RNN, held out", color=0),
            HLine(uniform, f"uniform ({uniform:.0f})", color=1),
            HLine(bigram, f"bigram ({bigram:.1f})", color=2),
        ],
        ylog=True,
    )
    return Panels([loss, ppl])


def hidden_state_slider(params, vocab, tokens, top=6):
    """Slider over the step t: the hidden states so far (heatmap) and the next-word distribution.

    Examples
    --------
    >>> from rnn_core import lm
    >>> vocab = data.build_vocab(["a", "b", "c"])
    >>> fig = hidden_state_slider(lm.init_lm(3, 2, 4), vocab, ["a", "b", "c"], top=2)
    >>> fig.sliders[0].values
    (1, 2, 3)
    """
    from . import lm

    h, probs = lm.read_sequence(params, data.encode(vocab, tokens))  # (T, H), (T, V)
    T = len(tokens)
    labels = [f"{i + 1}. {w}" for i, w in enumerate(tokens)]

    def chart(t):
        # (T, H), one row per word in reading order; rows not yet read stay blank (0)
        shown = np.where(np.arange(T)[:, None] < t, h, 0.0)
        order = np.argsort(-probs[t - 1])[:top]
        state = Chart(
            f"hidden state h_t, word by word (t = {t})",
            "hidden unit",
            "word read",
            [Heatmap(shown, ylabels=labels, vmin=-1.0, vmax=1.0, cmap="RdBu", label="h")],
        )
        p_top = probs[t - 1][order]
        words = [
            Text(i, p + 0.03, vocab.itos[j], align="center")
            for i, (j, p) in enumerate(zip(order, p_top))
        ]
        nxt = Chart(
            f"next word after '{tokens[t - 1]}'",
            "most likely next words",
            "probability",
            [Bars(np.arange(top), p_top, color=0), *words],
            ylim=(0.0, 1.1),
            legend=False,
        )
        return Panels([state, nxt])

    slider = Slider("t", "t", 1, T, 1, 1, description="words read")
    alt = (
        "Hidden states of the trained RNN up to step t = {t} of the sentence, as a "
        "heat map of words by units, and the model's most likely next words as bars."
    )
    return Interactive([slider], chart, alt, height=340)


# --- Chapter 4: backpropagation through time ---------------------------------


def _terms_chart(x, N, w_h, w_x, h0, max_N, short=False):
    """Bars of the terms w_H^(i-1) h_(N-i) of dh_N/dw_H, with their sum and the FD value."""
    terms, _ = linear.linear_grad_terms(x[:N], w_x, w_h, h0)  # (N,), i = 1..N
    w = np.array([w_h])
    fd = gradcheck.numerical_gradient(
        lambda: linear.linear_rnn(x[:N], w_x, w[0], h0)[-1], w, eps=1e-6
    )[0]
    colors = [0 if v >= 0 else 1 for v in terms]
    title = (
        f"w_H = {w_h:.1f}: sum {terms.sum():.3g}"
        if short
        else f"N = {N}, w_H = {w_h:.1f}: sum {terms.sum():.4g}, finite differences {fd:.4g}"
    )
    xlabel = "term i" if short else "term i (it has travelled i - 1 recurrent steps)"
    return Chart(
        title,
        xlabel,
        "w_H^(i-1) h_(N-i)",
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
        Slider("N", "N", 1, max_N, 1, min(8, max_N), description="sequence length"),
        Slider("w_h", "w_H", -1.5, 1.5, 0.1, 0.9, description="recurrent weight"),
    ]
    alt = (
        "Bars of the N = {N} terms of the closed-form derivative of h_N with respect to "
        "w_H, for w_H = {w_h}; the title gives their sum and the finite-difference value."
    )
    return Interactive(sliders, chart, alt)


def closed_form_terms_panels(x, w_hs=(0.5, 1.0, 1.2), w_x=1.0, h0=0.5):
    """Static: the terms of dh_N/dw_H for N = len(x) at three values of w_H side by side.

    Examples
    --------
    >>> len(closed_form_terms_panels(np.ones(4)).charts)
    3
    """
    N = len(x)
    return Panels([_terms_chart(x, N, w_h, w_x, h0, N, short=True) for w_h in w_hs])


def _scaled_recurrence(rng, H, radius):
    """A random W_hh rescaled to spectral radius ``radius`` (largest |eigenvalue|)."""
    W = rng.standard_normal((H, H))
    return radius * W / np.max(np.abs(np.linalg.eigvals(W)))


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
    from .truncation import truncation_bias

    rng = np.random.default_rng(seed)
    x, dh = rng.standard_normal((1, T, 2)), rng.standard_normal((1, T, H))
    Wx, ks = rng.standard_normal((2, H)), np.arange(1, T + 1)
    marks = []
    for i, radius in enumerate(scales):
        Wh = _scaled_recurrence(rng, H, radius)
        for kind, dash in (("sliding", False), ("window", True)):
            bias = truncation_bias(x, np.zeros((1, H)), Wx, Wh, np.zeros(H), dh, ks, kind)
            marks.append(
                Line(ks, np.maximum(bias, 1e-16), f"radius {radius}, {kind}", color=i, dash=dash)
            )
    return Chart(
        f"bias of truncated BPTT (T = {T})",
        "truncation horizon k",
        "relative error of dW_hh",
        marks,
        ylog=True,
        ylim=(1e-16, 10.0),
    )


def cost_chart(records):
    """Panels: work (or time) and peak memory of BPTT and RTRL against H, a line per (method, T).

    ``records`` are ``cost.count``'s CountRecords (the first panel is the counted
    multiply-adds) or ``cost.measure``'s CostRecords (measured seconds).

    Examples
    --------
    >>> from rnn_core.cost import CountRecord
    >>> recs = [CountRecord("bptt", 10, H, 100 * H, 1e3 * H) for H in (2, 4)]
    >>> [c.title for c in cost_chart(recs).charts]
    ['work', 'peak memory']
    """
    work = type(records[0])._fields[3]  # "multiply_adds" (counted) or "seconds" (measured)
    title, unit = {"multiply_adds": ("work", "multiply-adds")}.get(work, ("time", "seconds"))
    groups = sorted({(r.method, r.T) for r in records})
    work_marks, mem_marks = [], []
    for i, (method, T) in enumerate(groups):
        rs = sorted((r for r in records if (r.method, r.T) == (method, T)), key=lambda r: r.H)
        Hs = np.array([r.H for r in rs], dtype=float)
        # blues for BPTT, oranges for RTRL; the darker shade is the shorter sequence
        label = f"{method.upper()} T={T}"
        color = {"bptt": (0, 5), "rtrl": (1, 4)}[method][i % 2]
        work_marks.append(Line(np.log2(Hs), [r[3] for r in rs], label, color, False, True))
        mem_marks.append(Line(np.log2(Hs), [r.peak_bytes for r in rs], label, color, False, True))
    return Panels(
        [
            Chart(title, "log2 H (hidden units)", unit, work_marks, ylog=True),
            Chart("peak memory", "log2 H (hidden units)", "bytes", mem_marks, ylog=True),
        ]
    )
