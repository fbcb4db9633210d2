"""Tests of rnnbook.experiments.remedies: the measured facts the chapter states, on fixed seeds."""

import numpy as np
import pytest

from rnn_core.cliff import cliff_surface
from rnn_core.tasks import init_recall, train_recall
from rnnbook.experiments import remedies as r
from rnnbook.figures import ch05
from sliders import Heatmap, HLine, Line


def test_train_recall_from_reproduces_train_recall():
    kw = dict(steps=30, n_train=64, n_test=64)
    a = train_recall("rnn", 3, **kw)
    b = r.train_recall_from(init_recall("rnn", 5, 16, 4, 0), "rnn", 3, **kw)
    assert np.array_equal(a.losses, b.losses)
    assert a.test_accuracy == b.test_accuracy


def test_truncation_needs_rnn():
    with pytest.raises(ValueError, match="truncate"):
        r.train_recall_from(init_recall("lstm", 5, 4, 4), "lstm", 2, truncate=1)


def test_lstm_beats_rnn_at_long_lag():
    recs = {(x.cell, x.k): x.accuracy for x in r.lag_sweep(ks=(2, 30))}
    assert recs["rnn", 2] == recs["lstm", 2] == 1.0
    assert recs["lstm", 30] >= 0.95
    assert recs["rnn", 30] <= 0.6


def test_lag_chart_marks():
    c = ch05.lag_accuracy_chart(
        [
            r.LagRecord("rnn", 2, 1.0),
            r.LagRecord("rnn", 5, 0.5),
            r.LagRecord("lstm", 2, 1.0),
            r.LagRecord("lstm", 5, 1.0),
        ]
    )
    assert [type(m) for m in c.marks] == [Line, Line, HLine]
    assert c.marks[-1].y == 0.25 and c.marks[0].x.tolist() == [2.0, 5.0]


def test_gradient_paths():
    k = 30
    trained = r.gradient_paths(k)  # shares lag_sweep's cached runs
    init = r.gradient_paths(k, at_init=True)
    assert trained.rnn.shape == trained.lstm.shape == (k + 1,)
    assert init.rnn[-1] < 0.05  # vanishes before training
    assert trained.rnn[-1] > 10  # trained at k = 30, the RNN's backward pass explodes
    assert 0.7 < trained.lstm[-1] <= 1.0 and np.all(np.diff(trained.lstm) <= 0)
    c = ch05.gradient_path_chart(trained.rnn, trained.lstm, init.rnn)
    assert c.ylog and len(c.marks) == 3 and all(isinstance(m, Line) for m in c.marks)


def test_init_comparison():
    acc = dict(r.init_comparison(k=15))
    assert acc["random"] <= 0.6
    assert acc["identity"] >= 0.95 and acc["orthogonal"] >= 0.95


def test_init_wh():
    q = r.init_wh("orthogonal", 6, seed=3)
    assert np.allclose(q.T @ q, np.eye(6))
    with pytest.raises(ValueError, match="init"):
        r.init_wh("zeros", 3)


def test_clipping_on_the_cliff():
    res = r.clipping_comparison()
    lr, max_norm = 0.35, 1.0
    steps = np.linalg.norm(np.diff(res.norm_clipped, axis=0), axis=1)
    assert steps.max() <= lr * max_norm + 1e-12
    assert np.linalg.norm(np.diff(res.plain, axis=0), axis=1).max() > 100  # thrown off
    assert res.wall_gradient > 100
    assert res.norm_angle < 1e-6 and res.elementwise_angle > 5
    assert res.final_errors["plain"] > 0.08  # stuck on a flat plateau
    assert res.final_errors["norm clipped"] < 0.02


def test_cliff_chart_coordinates():
    W, B, E = cliff_surface((3, 8), (-5, -1), n=21)
    path = np.array([[3.0, -1.0], [8.0, -5.0], [100.0, 100.0]])
    c = ch05.cliff_chart(W, B, E, [path], ["p"])
    heat, line = c.marks
    assert isinstance(heat, Heatmap) and heat.z.shape == (21, 21)
    assert heat.xlabels[0] == "3" and heat.ylabels[0] == "-1" and heat.ylabels[-1] == "-5"
    # (w, b) = (3, -1) is the top-left cell, (8, -5) the bottom-right; the path is cut there.
    assert line.x.tolist() == [0.0, 20.0, 20.0] and line.y.tolist() == [0.0, 20.0, 20.0]


def test_truncation_below_the_lag():
    acc = dict(r.truncation_remedy(k=5, windows=(1, 5, 6, 10)))
    assert acc[1] < 0.6 and acc[5] < 0.6  # only the read-out step is trained
    assert acc[6] >= 0.95 and acc[10] >= 0.95  # the window reaches the symbol
