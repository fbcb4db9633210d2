"""Figures of chapter 3, the RNN cell: influence of old inputs, training curves, hidden states."""

import numpy as np

from rnn_core import data, gradcheck, linear, lm
from sliders import (
    Band,
    Bars,
    Chart,
    Heatmap,
    HLine,
    Interactive,
    Line,
    Panels,
    Slider,
    Text,
    to_figure,  # the chapter's static figures: to_figure(chart)
)

from .strings import tr

__all__ = [
    "hidden_state_slider",
    "input_influence_chart",
    "to_figure",
    "training_curves",
]


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
        marks.append(Line(s, np.abs(grad), f"$w_H$ = {w_h}", color=i, marker=True))
    return Chart(
        tr("influence of input $x_s$ on $h_{{{N}}}$", N=N),
        tr("input step $s$"),
        f"$|\\partial h_{{{N}}} / \\partial x_s|$",  # h_30, as in the title
        marks,
        ylog=True,
    )


def training_curves(result, uniform, bigram):
    """Panels over every seed of an ``ensemble.train_lm`` result: the training loss, and
    held-out and training perplexity, each as the seeds' range (band) and median (line).

    The training perplexity is the end-of-epoch model's on the training stream
    (``result.train_perplexity``), not the running mean of the epoch's losses.
    """
    epochs = np.arange(1, result.losses.shape[1] + 1)

    def spread(values, name, color, dash=False):
        return [
            Band(epochs, values.min(0), values.max(0), color=color),
            Line(
                epochs,
                np.median(values, 0),
                tr("{name} (median)", name=name),
                color=color,
                dash=dash,
            ),
        ]

    k = len(result.seeds)
    loss = Chart(
        tr("training loss, {k} seeds", k=k),
        tr("epoch"),
        tr("cross-entropy (nats per word)"),
        spread(result.losses, tr("mean over the epoch"), 0),
    )
    ppl = Chart(
        tr("perplexity, {k} seeds", k=k),
        tr("epoch"),
        tr("perplexity"),
        [
            *spread(result.valid_perplexity, tr("held out"), 0),
            *spread(result.train_perplexity, tr("training data"), 3, dash=True),
            HLine(uniform, tr("uniform ({uniform:.0f})", uniform=uniform), color=1),
            HLine(bigram, tr("bigram ({bigram:.1f})", bigram=bigram), color=2),
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
    h, probs = lm.read_sequence(params, data.encode(vocab, tokens))  # (T, H), (T, V)
    T = len(tokens)
    labels = [f"{i + 1}. {w}" for i, w in enumerate(tokens)]

    def chart(t):
        # (T, H), one row per word in reading order; rows not yet read have no value (grey)
        unread = np.broadcast_to(np.arange(T)[:, None] >= t, h.shape)
        heat = Heatmap(h, ylabels=labels, vmin=-1.0, vmax=1.0, cmap="RdBu", label="$h_t$",
                       missing=unread, missing_label=tr("not yet read"))  # fmt: skip
        state = Chart(
            tr("hidden state $h_t$, word by word ($t$ = {t})", t=t),
            tr("hidden unit"),
            tr("word read"),
            [heat],
        )
        order = np.argsort(-probs[t - 1])[:top]
        p_top = probs[t - 1][order]
        words = [  # every other word a line higher: low neighbours' words do not touch
            Text(i, p + 0.03 + 0.07 * (i % 2), vocab.itos[j], align="center")
            for i, (j, p) in enumerate(zip(order, p_top))
        ]
        nxt = Chart(
            tr("next word after '{word}'", word=tokens[t - 1]),
            tr("most likely next words"),
            tr("probability"),
            [Bars(np.arange(top), p_top, color=0), *words],
            ylim=(0.0, 1.1),
            legend=False,
            xticks=((), ()),  # each bar is named by its word, not by its rank 0, 1, ...
        )
        return Panels([state, nxt])

    slider = Slider("t", "t", 1, T, 1, 1, description=tr("words read"))
    alt = tr(
        "Hidden states of the trained RNN up to step t = {t} of the sentence, as a "
        "heat map of words by units, the rows of words not yet read grey, and the model's "
        "most likely next words as bars."
    )
    # The text: move it to t = 6 and compare the two rows for "say".
    frames = [{"t": min(6, T)}, {"t": T}]
    return Interactive([slider], chart, alt, height=340, frames=frames)
