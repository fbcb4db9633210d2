"""Remedies for vanishing and exploding gradients, measured on the book's small tasks.

Five experiments, each a function that returns plain numbers, and the charts
that draw them:

* ``lag_sweep``: the tanh RNN and the LSTM on ``tasks.recall_task`` as the lag
  ``k`` grows; the RNN falls to chance long before the LSTM does.
* ``gradient_paths``: after training at one lag, how much gradient reaches
  ``j`` steps back: through the RNN's hidden states (a product of Jacobians
  ``diag(1 - h_t**2) Wh^T``) and along the LSTM's cell path (a product of
  forget gates, ``lstm.cell_path_gradient``).
* ``init_comparison``: the RNN with ``Wh`` started random, as the identity
  (Le et al., 2015) or as a random orthogonal matrix.
* ``clipping_comparison``: gradient descent on the cliff of ``cliff``, plain,
  with clipping by norm (Pascanu et al., 2013) and with element-wise clipping.
* ``truncation_remedy``: truncated BPTT on the recall task; a window that does
  not reach from the read-out back to the symbol cannot teach the recall.

Training uses ``STEPS`` Adam updates instead of ``train_recall``'s 400, so
that the five experiments with their defaults run in a few seconds together;
trained models are cached, so ``gradient_paths`` reuses ``lag_sweep``'s runs.
"""

from functools import lru_cache
from typing import NamedTuple

import numpy as np

from ._checks import as_int, as_scalar
from .cell import rnn_forward
from .cliff import cliff_error, cliff_gradient, descend
from .interactive import Chart, Heatmap, HLine, Line
from .layers import temporal_affine_backward, temporal_affine_forward, temporal_softmax_loss
from .lstm import cell_path_gradient, lstm_forward
from .optim import clip_grad_norm
from .tasks import init_recall, recall_task, train_recall_from

__all__ = [
    "STEPS",
    "ClippingResult",
    "GradientPaths",
    "InitRecord",
    "LagRecord",
    "TruncationRecord",
    "cliff_chart",
    "clipping_comparison",
    "gradient_path_chart",
    "gradient_paths",
    "init_comparison",
    "init_wh",
    "lag_accuracy_chart",
    "lag_sweep",
    "train_recall_from",
    "truncation_remedy",
]

STEPS = 200  # Adam updates per training run in this module (train_recall's default is 400)
FLOOR = 1e-16  # smallest value drawn on a log axis


class LagRecord(NamedTuple):
    """Test accuracy of one cell trained at one lag."""

    cell: str
    k: int
    accuracy: float


class GradientPaths(NamedTuple):
    """Gradient reaching ``j = 0 .. k`` steps back from the read-out, relative to step 0."""

    rnn: np.ndarray  # (k + 1,), mean |dL/dh_(T-j)| / |dL/dh_T| over test sequences
    lstm: np.ndarray  # (k + 1,), mean product of the last j forget gates


class InitRecord(NamedTuple):
    """Test accuracy of the RNN with one initialisation of ``Wh``."""

    init: str
    accuracy: float


class TruncationRecord(NamedTuple):
    """Test accuracy of the RNN trained with one truncation window."""

    window: int
    accuracy: float


class ClippingResult(NamedTuple):
    """Three descents on the cliff from one start, and the step directions at the wall."""

    plain: np.ndarray  # (steps + 1, 2), (w, b) per step
    norm_clipped: np.ndarray  # (steps + 1, 2)
    elementwise: np.ndarray  # (steps + 1, 2)
    final_errors: dict  # label -> E at the last point
    wall_point: np.ndarray  # (2,), the point of the plain path with the largest gradient
    wall_gradient: float  # |gradient| there
    norm_angle: float  # degrees between the norm-clipped step and -gradient there
    elementwise_angle: float  # degrees between the element-wise clipped step and -gradient


def _options(kwargs):
    """Training keywords with this module's default number of steps."""
    return {"steps": STEPS, **kwargs}


# --- training from given parameters ---------------------------------------------------------


@lru_cache(maxsize=64)
def _trained(cell, k, seed, options):
    """One cached run of ``train_recall_from`` with ``init_recall``'s parameters."""
    options = dict(options)
    V, H = options.pop("V", 4), options.pop("H", 16)
    params = init_recall(cell, V + 1, H, V, seed, options.pop("forget_bias", 5.0))
    return train_recall_from(params, cell, k, V=V, seed=seed, **options)


def _train(cell, k, seed, kwargs):
    return _trained(cell, int(k), int(seed), tuple(sorted(_options(kwargs).items())))


# --- 1. accuracy against the lag ----------------------------------------------------------------


def lag_sweep(ks=(2, 5, 10, 20, 30), cells=("rnn", "lstm"), seed=0, **train_kwargs):
    """Test accuracy on the recall task for every cell and lag.

    Parameters
    ----------
    ks : sequence of int
        Lags.
    cells : sequence of {"rnn", "lstm"}
    seed : int
    **train_kwargs
        Passed to the trainer (as for ``train_recall``); ``steps`` defaults
        to ``STEPS``.

    Returns
    -------
    list of LagRecord
        One per (cell, k), cells in the outer loop.

    Examples
    --------
    >>> lag_sweep(ks=(2,), cells=("lstm",), steps=60, n_train=64, n_test=64)
    [LagRecord(cell='lstm', k=2, accuracy=1.0)]
    """
    return [
        LagRecord(cell, int(k), _train(cell, k, seed, train_kwargs).test_accuracy)
        for cell in cells
        for k in ks
    ]


def lag_accuracy_chart(records, V=4):
    """Test accuracy against the lag, one line per cell, with chance ``1 / V``.

    Examples
    --------
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


# --- 2. how much gradient crosses j steps -------------------------------------------------------


def _rnn_backflow(params, x, y):
    """Mean over sequences of ``|dL/dh_(T-j)| / |dL/dh_T|`` for ``j = 0 .. T-1``."""
    Wh = params["Wh"]
    h, _ = rnn_forward(x, np.zeros((x.shape[0], Wh.shape[0])), params["Wx"], Wh, params["b"])
    logits, out_cache = temporal_affine_forward(h[:, -1:], params["Wy"], params["by"])
    _, dlogits = temporal_softmax_loss(logits, np.asarray(y).reshape(-1, 1))
    g = temporal_affine_backward(dlogits, out_cache)[0][:, 0]  # (N, H), dL/dh_T
    norms = [np.linalg.norm(g, axis=1)]
    for t in range(h.shape[1] - 1, 0, -1):  # dL/dh_(t-1) = (dL/dh_t * (1 - h_t^2)) Wh^T
        g = (g * (1.0 - h[:, t] ** 2)) @ Wh.T
        norms.append(np.linalg.norm(g, axis=1))
    norms = np.array(norms)  # (T, N)
    return (norms / norms[0]).mean(axis=1)


def _params(cell, k, seed, at_init, kwargs):
    """Trained parameters, or with ``at_init`` the ones training starts from."""
    if not at_init:
        return _train(cell, k, seed, kwargs).params
    V = kwargs.get("V", 4)
    return init_recall(cell, V + 1, kwargs.get("H", 16), V, seed, kwargs.get("forget_bias", 5.0))


def gradient_paths(k=30, seed=0, at_init=False, **train_kwargs):
    """Gradient reaching ``j`` steps back, after training both cells at lag ``k``.

    For the RNN, the norm of ``dL/dh_(T-j)`` for the loss at the last step,
    divided by that of ``dL/dh_T``, averaged over the test sequences; for the
    LSTM, ``lstm.cell_path_gradient`` on the test sequences (the product of
    the last ``j`` forget gates). Both are 1 at ``j = 0``.

    Parameters
    ----------
    k : int
        Lag; the sequences have ``k + 1`` steps.
    seed : int
    at_init : bool
        Measure with the initial parameters instead of the trained ones.
    **train_kwargs
        As for ``lag_sweep``.

    Returns
    -------
    GradientPaths
        ``rnn`` and ``lstm``, each of shape (k + 1,).

    Examples
    --------
    >>> paths = gradient_paths(k=3, steps=20, n_train=32, n_test=16)
    >>> paths.rnn.shape, paths.lstm.shape, float(paths.rnn[0]), float(paths.lstm[0])
    ((4,), (4,), 1.0, 1.0)
    """
    k, seed = as_int("k", k, 1), as_int("seed", seed, 0)
    V = train_kwargs.get("V", 4)
    x, y = recall_task(train_kwargs.get("n_test", 200), k, V, seed + 1)
    rnn = _rnn_backflow(_params("rnn", k, seed, at_init, train_kwargs), x, y)
    p = _params("lstm", k, seed, at_init, train_kwargs)
    _, cache = lstm_forward(x, np.zeros((x.shape[0], p["Wh"].shape[0])), p["Wx"], p["Wh"], p["b"])
    return GradientPaths(rnn, cell_path_gradient(cache))


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
            np.maximum(rnn_norms, FLOOR),
            label="tanh RNN: |dL/dh_(T-j)|",
            color=0,
        )
    ]
    if rnn_init is not None:
        marks.append(
            Line(
                np.arange(len(rnn_init)),
                np.maximum(rnn_init, FLOOR),
                label="tanh RNN before training",
                color=0,
                dash=True,
            )
        )
    marks.append(
        Line(
            np.arange(len(lstm_path)),
            np.maximum(lstm_path, FLOOR),
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


# --- 3. initialising Wh -----------------------------------------------------------------------


def init_wh(init, H, seed=0, scale=1.0):
    """A recurrent matrix: "identity" (times ``scale``), "orthogonal" or "random".

    "random" is ``init_recall``'s Gaussian with variance 1 / H; "orthogonal"
    is the Q of a Gaussian matrix's QR decomposition, with signs fixed so that
    it is uniformly distributed.

    Examples
    --------
    >>> Q = init_wh("orthogonal", 4, seed=0)
    >>> bool(np.allclose(Q @ Q.T, np.eye(4))), init_wh("identity", 2, scale=0.5).tolist()
    (True, [[0.5, 0.0], [0.0, 0.5]])
    """
    H = as_int("H", H, 1)
    rng = np.random.default_rng(as_int("seed", seed, 0))
    if init == "identity":
        return as_scalar("scale", scale) * np.eye(H)
    if init == "orthogonal":
        q, r = np.linalg.qr(rng.standard_normal((H, H)))
        return q * np.sign(np.diag(r))
    if init == "random":
        return rng.standard_normal((H, H)) / np.sqrt(H)
    raise ValueError(f"init: expected 'random', 'identity' or 'orthogonal', got {init!r}")


def init_comparison(k=15, inits=("random", "identity", "orthogonal"), seed=0, **train_kwargs):
    """Test accuracy of the RNN at lag ``k`` for each initialisation of ``Wh``.

    "random" keeps ``init_recall``'s ``Wh`` (the run of ``train_recall``);
    the others replace it by ``init_wh(init, H, seed)``, with every other
    parameter, the data and the batches unchanged.

    Parameters
    ----------
    k : int
    inits : sequence of {"random", "identity", "orthogonal"}
    seed : int
    **train_kwargs
        As for ``lag_sweep``, without ``forget_bias`` (an LSTM option).

    Returns
    -------
    list of InitRecord

    Examples
    --------
    >>> [r.init for r in init_comparison(k=2, steps=5, n_train=16, n_test=16)]
    ['random', 'identity', 'orthogonal']
    """
    options = _options(train_kwargs)
    V, H = options.pop("V", 4), options.pop("H", 16)
    records = []
    for init in inits:
        params = init_recall("rnn", V + 1, H, V, seed)
        if init != "random":
            params["Wh"] = init_wh(init, H, seed)
        result = train_recall_from(params, "rnn", k, V=V, seed=seed, **options)
        records.append(InitRecord(init, result.test_accuracy))
    return records


# --- 4. clipping on the cliff ---------------------------------------------------------------------


def _descend_elementwise(w0, b0, lr, steps, c):
    """Gradient descent on the cliff with each component of the gradient clipped to [-c, c]."""
    path = np.empty((steps + 1, 2))
    path[0] = w0, b0
    for s in range(steps):
        g = np.array(cliff_gradient(*path[s]))
        path[s + 1] = path[s] - lr * np.clip(g, -c, c)
    return path


def _angle(u, v):
    """Angle between two vectors in degrees."""
    cos = u @ v / (np.linalg.norm(u) * np.linalg.norm(v))
    return float(np.degrees(np.arccos(np.clip(cos, -1.0, 1.0))))


def clipping_comparison(w0=5.0, b0=-2.65, lr=0.35, steps=30, max_norm=1.0):
    """Gradient descent on the cliff: plain, clipped by norm, clipped element-wise.

    The start lies just below the wall (``b = 0.5 - 0.6225 w``, -2.61 at
    ``w = 5``); the error is about 0.35 there and 0.01 beyond the wall. The
    plain path zig-zags across the wall until a step lands on its face, where
    the gradient is about 700, and is thrown hundreds of units away onto a
    plateau with zero gradient. Clipping by norm keeps every step at most
    ``lr * max_norm`` long and in the gradient's direction (angle 0);
    element-wise clipping (each component to ``[-max_norm, max_norm]``) also
    bounds the step, but turns it away from the gradient.

    Parameters
    ----------
    w0, b0 : float
        Start.
    lr : float
        Learning rate of all three descents.
    steps : int
    max_norm : float
        Threshold of both clippings.

    Returns
    -------
    ClippingResult
        The angles are measured at the plain path's point of largest gradient.

    Examples
    --------
    >>> r = clipping_comparison()
    >>> round(r.norm_angle, 6), r.elementwise_angle > 5, r.final_errors["plain"] > 0.05
    (0.0, True, True)
    """
    plain = descend(w0, b0, lr, steps)
    clipped = descend(w0, b0, lr, steps, max_norm=max_norm)
    elementwise = _descend_elementwise(w0, b0, lr, steps, max_norm)
    grads = np.array(cliff_gradient(plain[:, 0], plain[:, 1])).T  # (steps + 1, 2)
    worst = int(np.argmax(np.linalg.norm(grads, axis=1)))
    g = grads[worst]
    norm_step = np.array(list(clip_grad_norm({"w": g[0], "b": g[1]}, max_norm)[0].values()))
    paths = {"plain": plain, "norm clipped": clipped, "element-wise": elementwise}
    errors = {name: float(cliff_error(*p[-1])) for name, p in paths.items()}
    return ClippingResult(
        plain,
        clipped,
        elementwise,
        errors,
        plain[worst],
        float(np.linalg.norm(g)),
        _angle(norm_step, g),
        _angle(np.clip(g, -max_norm, max_norm), g),
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


# --- 5. truncated BPTT --------------------------------------------------------------------------


def truncation_remedy(k=5, windows=(1, 2, 5, 6, 10), seed=0, **train_kwargs):
    """Test accuracy of the RNN at lag ``k`` trained by window-truncated BPTT.

    The sequence has ``T = k + 1`` steps, the symbol at step 0 and the loss at
    step ``k``; windows start at step 0, so the loss's gradient reaches the
    symbol only if the window covers all ``k + 1`` steps (``window > k``).
    With window 1 or ``k`` the read-out step is a window of its own, so only
    the read-out of the last state is trained: it decodes what the untrained
    recurrence happens to keep of the symbol, about 0.5 at ``k = 5`` (chance
    is 0.25), never the stored symbol that full BPTT learns (1.0). Shorter
    lags leave more of the symbol by accident: window 2 also reaches 1.0 on
    some seeds.

    Parameters
    ----------
    k : int
    windows : sequence of int
    seed : int
    **train_kwargs
        As for ``lag_sweep``, without ``forget_bias`` (an LSTM option).

    Returns
    -------
    list of TruncationRecord

    Examples
    --------
    >>> [r.window for r in truncation_remedy(k=2, windows=(1, 3), steps=5, n_train=16)]
    [1, 3]
    """
    options = _options(train_kwargs)
    V, H = options.pop("V", 4), options.pop("H", 16)
    params = init_recall("rnn", V + 1, H, V, seed)
    return [
        TruncationRecord(
            int(w),
            train_recall_from(
                params, "rnn", k, V=V, seed=seed, truncate=int(w), **options
            ).test_accuracy,
        )
        for w in windows
    ]
