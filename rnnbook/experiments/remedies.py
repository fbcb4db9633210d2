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

from rnn_core._checks import as_int, as_scalar
from rnn_core.cell import rnn_forward
from rnn_core.cliff import cliff_error, cliff_gradient, descend
from rnn_core.layers import temporal_affine_backward, temporal_affine_forward, temporal_softmax_loss
from rnn_core.lstm import cell_path_gradient, lstm_forward
from rnn_core.optim import clip_grad_norm
from rnn_core.tasks import init_recall, recall_task, train_recall_from

from .vanishing import backflow

__all__ = [
    "STEPS",
    "ClippingResult",
    "GradientPaths",
    "InitRecord",
    "LagRecord",
    "TruncationRecord",
    "clipping_comparison",
    "gradient_paths",
    "init_comparison",
    "init_wh",
    "lag_sweep",
    "train_recall_from",
    "truncation_remedy",
]


STEPS = 200  # Adam updates per training run in this module (train_recall's default is 400)


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


@lru_cache(maxsize=64)
def _trained(cell, k, seed, options):
    """One cached run of ``train_recall_from`` with ``init_recall``'s parameters."""
    options = dict(options)
    V, H = options.pop("V", 4), options.pop("H", 16)
    params = init_recall(cell, V + 1, H, V, seed, options.pop("forget_bias", 5.0))
    return train_recall_from(params, cell, k, V=V, seed=seed, **options)


def _train(cell, k, seed, kwargs):
    return _trained(cell, int(k), int(seed), tuple(sorted(_options(kwargs).items())))


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


def _rnn_backflow(params, x, y):
    """Mean over sequences of ``|dL/dh_(T-j)| / |dL/dh_T|`` for ``j = 0 .. T-1``."""
    Wh = params["Wh"]
    h, _ = rnn_forward(x, np.zeros((x.shape[0], Wh.shape[0])), params["Wx"], Wh, params["b"])
    logits, out_cache = temporal_affine_forward(h[:, -1:], params["Wy"], params["by"])
    _, dlogits = temporal_softmax_loss(logits, np.asarray(y).reshape(-1, 1))
    g = temporal_affine_backward(dlogits, out_cache)[0][:, 0]  # (N, H), dL/dh_T
    norms = np.linalg.norm(backflow(h, Wh, g), axis=2)  # (N, T)
    return (norms / norms[:, :1]).mean(axis=0)


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
