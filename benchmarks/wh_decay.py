"""A stand-in for chapter 5's w_H decay slider, for the slider_update_s benchmark.

Chapter 5 (not written yet) will have a slider over the recurrent weight w_H showing
how the gradient reaching back k steps decays. Until it exists, this figure plays its
part: |dh_N / dh_{N-k}| = |w_H|^k for k = 0..T-1 in the scalar linear cell, computed
by ``rnn_core.linear.linear_rnn`` (from h_0 = 1 with no input, h_k = w_H^k, and
dh_N / dh_{N-k} = dh_k / dh_0 = h_k), drawn as an ``rnn_core.interactive.Interactive``.
It lives here, not in rnn_core, so the book's package does not grow a benchmark-only chart.
"""

import numpy as np

from rnn_core import linear
from rnn_core.interactive import Chart, HLine, Interactive, Line, Slider

T = 60


def wh_decay_chart(w_h, T=T):
    """|dh_N / dh_{N-k}| against k for one w_H, on a fixed y range (the fast redraw path)."""
    k = np.arange(T)
    decay = np.abs(linear.linear_rnn(np.zeros(T - 1), w_x=0.0, w_h=w_h, h0=1.0))  # |w_H|^k
    return Chart(
        f"gradient reaching back k steps, w_H = {w_h:.2f}",
        "steps back k",
        "|dh_N / dh_(N-k)|",
        [Line(k, decay, label="|w_H|^k", color=0), HLine(0.01, "1 % left", color=1)],
        ylim=(0.0, 1.05),
    )


def wh_decay_figure():
    """The Interactive: one slider for w_H in [-1, 1]."""
    return Interactive(
        [Slider("w_h", "w_H", -1.0, 1.0, 0.05, 0.9, "recurrent weight")],
        wh_decay_chart,
        alt="|dh_N/dh_(N-k)| = |w_H|^k for w_H = {w_h}",
    )
