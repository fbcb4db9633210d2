"""Tasks that need memory at a known lag, and a trainer that measures it.

``recall_task`` shows a symbol, then ``k`` blank steps, and asks for the
symbol at the last step: the answer depends on an input ``k`` steps back and on
nothing in between, so the gradient that teaches it must cross ``k`` steps.
``train_recall`` fits a many-to-one model (the recurrent cell, then a linear
softmax output on the last hidden state) by full backpropagation through time,
with Adam and clipping by global norm, for the tanh RNN of ``cell`` or the LSTM
of ``lstm``. ``adding_problem`` is Hochreiter and Schmidhuber's second
long-lag benchmark.
"""

from typing import NamedTuple

import numpy as np

from ._checks import as_array, as_choice, as_ids, as_int, as_params, as_positive, as_scalar
from .cell import rnn_backward, rnn_forward
from .layers import (
    softmax,
    temporal_affine_backward,
    temporal_affine_forward,
    temporal_softmax_loss,
)
from .lstm import lstm_backward, lstm_forward
from .optim import Adam, clip_grad_norm

__all__ = [
    "RecallResult",
    "adding_problem",
    "init_recall",
    "recall_accuracy",
    "recall_loss",
    "recall_task",
    "train_recall",
    "train_recall_from",
]

# The two cells behind one interface: forward (x, h0, Wx, Wh, b) -> (h, cache),
# backward (dh, cache) -> (dx, dh0, dWx, dWh, db); gates is 4 for the LSTM.
_CELLS = {"rnn": (rnn_forward, rnn_backward, 1), "lstm": (lstm_forward, lstm_backward, 4)}


class RecallResult(NamedTuple):
    """Held-out accuracy after training, the loss of every step and the trained parameters."""

    test_accuracy: float
    losses: np.ndarray  # (steps,), training cross-entropy in nats, before each update
    params: dict


def _cell(cell):
    return _CELLS[as_choice("cell", cell, _CELLS)]


def _check_params(cell, params, sizes):
    """Validate ``params`` (the keys and shapes of ``init_recall``) against ``sizes``.

    ``Wh`` comes first: it fixes H and the gate width G H (G = 4 for the LSTM).
    """
    G = _cell(cell)[2]
    specs = {"Wh": ("H", "GH"), "Wx": ("D", "GH"), "b": ("GH",), "Wy": ("H", "V"), "by": ("V",)}
    p = as_params("params", params, specs, sizes, exact=True)
    if sizes["GH"] != G * sizes["H"]:
        width = "H" if G == 1 else f"{G}H"
        raise ValueError(
            f"params['Wh']: expected shape (H, {width}) for the {cell!r} cell, "
            f"got shape {p['Wh'].shape}"
        )
    return p


def _check_truncate(cell, truncate):
    """None, or a window of at least 1 step for the one cell that supports truncation."""
    if truncate is None:
        return None
    if _cell(cell) is not _CELLS["rnn"]:
        raise ValueError(f"truncate: only the 'rnn' cell supports truncation, got cell {cell!r}")
    return as_int("truncate", truncate, 1)


def _check_batch(cell, params, x, y):
    """Validate a batch: ``x`` (N, T, D), the parameters, and labels ``y`` (N,) in [0, V)."""
    sizes = {}
    x = as_array("x", x, ("N", "T", "D"), sizes)
    p = _check_params(cell, params, sizes)
    return p, x, as_ids("y", y, sizes["V"], ("N",), sizes)


def recall_task(n, k, V=4, seed=0):
    """Sequences whose answer is the symbol seen ``k`` steps before the end.

    Each sequence is a symbol drawn uniformly from ``V`` symbols followed by
    ``k`` copies of a blank symbol (id ``V``), one-hot encoded. The target,
    read at the last step, is the first symbol, so a model with no memory of
    it scores ``1 / V``.

    Parameters
    ----------
    n : int
        Number of sequences.
    k : int
        Lag: blank steps between the symbol and the read-out, >= 0.
    V : int
        Number of symbols to remember, >= 2.
    seed : int
        Seed for ``np.random.default_rng``.

    Returns
    -------
    x : ndarray, shape (n, k + 1, V + 1)
        One-hot inputs; column ``V`` is the blank.
    y : ndarray of int, shape (n,)
        Targets in ``[0, V)``.

    Examples
    --------
    >>> x, y = recall_task(2, k=2, V=3, seed=1)
    >>> x.shape, x[:, 0].argmax(axis=1).tolist() == y.tolist(), bool(x[:, 1:, 3].all())
    ((2, 3, 4), True, True)
    """
    n, k = as_int("n", n, 1), as_int("k", k, 0)
    V = as_int("V", V, 2)
    rng = np.random.default_rng(as_int("seed", seed, 0))
    y = rng.integers(0, V, size=n)
    ids = np.full((n, k + 1), V)  # blank everywhere, then the symbol at t = 0
    ids[:, 0] = y
    return np.eye(V + 1)[ids], y


def adding_problem(n, T, seed=0):
    """The adding problem of Hochreiter and Schmidhuber (1997).

    Every step carries two numbers: a value drawn uniformly from ``[0, 1)`` and
    a marker. Exactly two steps are marked (marker 1, elsewhere 0), one in the
    first half of the sequence and one in the second; the target is the sum of
    the two marked values. Predicting 1 always gives a mean squared error of
    1/6, the baseline a model must beat.

    Parameters
    ----------
    n : int
        Number of sequences.
    T : int
        Sequence length, >= 2.
    seed : int
        Seed for ``np.random.default_rng``.

    Returns
    -------
    x : ndarray, shape (n, T, 2)
        ``x[..., 0]`` the values, ``x[..., 1]`` the markers.
    y : ndarray, shape (n,)
        Sum of the two marked values.

    Examples
    --------
    >>> x, y = adding_problem(3, T=10, seed=0)
    >>> x.shape, x[..., 1].sum(axis=1).tolist()
    ((3, 10, 2), [2.0, 2.0, 2.0])
    >>> bool(np.allclose(y, (x[..., 0] * x[..., 1]).sum(axis=1)))
    True
    """
    n, T = as_int("n", n, 1), as_int("T", T, 2)
    rng = np.random.default_rng(as_int("seed", seed, 0))
    x = np.zeros((n, T, 2))
    x[..., 0] = rng.random((n, T))
    half = T // 2
    rows = np.arange(n)
    first, second = rng.integers(0, half, n), rng.integers(half, T, n)
    x[rows, first, 1] = x[rows, second, 1] = 1.0
    return x, x[rows, first, 0] + x[rows, second, 0]


def init_recall(cell, D, H, V, seed=0, forget_bias=1.0):
    """Random parameters of the many-to-one model.

    Input and recurrent weights are Gaussian with variance 1 / fan-in, the
    output weights 10 times smaller (first predictions nearly uniform), biases
    zero, except the LSTM's forget-gate bias, which starts at ``forget_bias``.
    The usual +1 (Gers et al. 2000; Jozefowicz et al. 2015) gives
    ``f = sigmoid(1) = 0.73`` instead of 1/2; along the cell path the gradient
    from ``k`` steps back is about ``f**k`` (``lstm.cell_path_gradient``),
    and 0.73**50 is 1.5e-7. "Chrono" initialisation (Tallec and Ollivier,
    2018) sets the bias to about ``log(k)`` for dependencies of ``k`` steps;
    +5 gives ``f = 0.993`` and 0.993**50 = 0.71.

    Parameters
    ----------
    cell : {"rnn", "lstm"}
    D, H, V : int
        Input size, hidden size, number of classes.
    seed : int
    forget_bias : float
        Initial bias of the LSTM's forget gate (ignored for the RNN).

    Returns
    -------
    params : dict of str to ndarray
        ``Wx`` (D, G H), ``Wh`` (H, G H), ``b`` (G H,), ``Wy`` (H, V), ``by`` (V,),
        with ``G = 1`` for the RNN and 4 (gates i | f | o | g) for the LSTM.

    Examples
    --------
    >>> p = init_recall("lstm", D=5, H=2, V=4)
    >>> p["Wx"].shape, p["b"].tolist()
    ((5, 8), [0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0])
    """
    G = _cell(cell)[2]
    D, H, V = as_int("D", D, 1), as_int("H", H, 1), as_int("V", V, 1)
    rng = np.random.default_rng(as_int("seed", seed, 0))
    forget_bias = as_scalar("forget_bias", forget_bias)  # checked even where unused
    b = np.zeros(G * H)
    if cell == "lstm":
        b[H : 2 * H] = forget_bias  # block i | f | o | g
    return {
        "Wx": rng.standard_normal((D, G * H)) / np.sqrt(D),
        "Wh": rng.standard_normal((H, G * H)) / np.sqrt(H),
        "b": b,
        "Wy": 0.1 * rng.standard_normal((H, V)) / np.sqrt(H),
        "by": np.zeros(V),
    }


def _logits(cell, params, x):
    """Cell over the whole sequence, output layer on the last state: logits (N, 1, V)."""
    forward = _CELLS[cell][0]
    h, cell_cache = forward(
        x, np.zeros((x.shape[0], params["Wh"].shape[0])), params["Wx"], params["Wh"], params["b"]
    )
    logits, out_cache = temporal_affine_forward(h[:, -1:], params["Wy"], params["by"])
    return logits, (h.shape, cell_cache, out_cache)


def recall_loss(cell, params, x, y, truncate=None):
    """Cross-entropy of the prediction at the last step, and its gradients by BPTT.

    Parameters
    ----------
    cell : {"rnn", "lstm"}
    params : dict of str to ndarray
        As from ``init_recall``.
    x : ndarray, shape (N, T, D)
    y : ndarray of int, shape (N,)
    truncate : int or None
        Window of truncated BPTT, passed to ``rnn_backward`` (``"rnn"`` only);
        None for full BPTT.

    Returns
    -------
    loss : float
        Mean cross-entropy in nats.
    grads : dict of str to ndarray
        Same keys and shapes as ``params``.

    Examples
    --------
    >>> x, y = recall_task(8, k=3)
    >>> loss, grads = recall_loss("rnn", init_recall("rnn", 5, 6, 4), x, y)
    >>> bool(abs(loss - np.log(4)) < 0.1), grads["Wh"].shape
    (True, (6, 6))
    """
    truncate = _check_truncate(cell, truncate)
    params, x, y = _check_batch(cell, params, x, y)
    logits, (h_shape, cell_cache, out_cache) = _logits(cell, params, x)
    loss, dlogits = temporal_softmax_loss(logits, y[:, None])
    dh_last, dWy, dby = temporal_affine_backward(dlogits, out_cache)
    dh = np.zeros(h_shape)  # (N, T, H): the loss reads only the last step
    dh[:, -1:] = dh_last
    backward = _CELLS[cell][1]
    truncation = {} if truncate is None else {"truncate": truncate}
    _, _, dWx, dWh, db = backward(dh, cell_cache, **truncation)
    return loss, {"Wx": dWx, "Wh": dWh, "b": db, "Wy": dWy, "by": dby}


def recall_accuracy(cell, params, x, y):
    """Fraction of sequences whose most probable class is the target.

    Parameters
    ----------
    cell : {"rnn", "lstm"}
    params : dict of str to ndarray
        As from ``init_recall``.
    x : ndarray, shape (N, T, D)
    y : ndarray of int, shape (N,)
        Targets in ``[0, V)``.

    Returns
    -------
    float
        In [0, 1].

    Examples
    --------
    >>> x, y = recall_task(100, k=2)
    >>> 0.0 <= recall_accuracy("lstm", init_recall("lstm", 5, 4, 4), x, y) <= 1.0
    True
    """
    params, x, y = _check_batch(cell, params, x, y)
    p = softmax(_logits(cell, params, x)[0][:, 0])  # (N, V)
    return float(np.mean(p.argmax(axis=1) == y))


def train_recall(
    cell,
    k,
    *,
    V=4,
    H=16,
    steps=400,
    lr=0.05,
    max_norm=1.0,
    batch=32,
    seed=0,
    n_train=500,
    n_test=200,
    forget_bias=5.0,
):
    """Train a many-to-one model on ``recall_task`` at lag ``k`` and test it.

    Each of ``steps`` updates draws ``batch`` sequences from the ``n_train``
    training sequences, computes the full-BPTT gradient (``recall_loss``),
    clips it to global norm ``max_norm`` and takes one Adam step. Data, initial
    weights and batches all follow from ``seed``; the test set uses its own
    seed (``seed + 1``).

    Parameters
    ----------
    cell : {"rnn", "lstm"}
    k : int
        Lag of the task.
    V, H : int
        Number of symbols; hidden size.
    steps : int
        Number of Adam updates.
    lr : float
        Adam learning rate.
    max_norm : float
        Clipping threshold of the global gradient norm.
    batch : int
        Sequences per update.
    seed : int
    n_train, n_test : int
        Sizes of the training and test sets.

    Returns
    -------
    RecallResult
        ``test_accuracy`` in [0, 1] (chance is 1 / V), ``losses`` (steps,) and
        the trained ``params``.

    Examples
    --------
    >>> res = train_recall("lstm", k=2, steps=60, lr=0.05, n_train=64, n_test=64)
    >>> res.losses.shape, res.test_accuracy
    ((60,), 1.0)
    """
    _cell(cell)
    V, H, seed = as_int("V", V, 2), as_int("H", H, 1), as_int("seed", seed, 0)
    params = init_recall(cell, V + 1, H, V, seed, forget_bias)
    return train_recall_from(
        params,
        cell,
        k,
        V=V,
        steps=steps,
        lr=lr,
        max_norm=max_norm,
        batch=batch,
        seed=seed,
        n_train=n_train,
        n_test=n_test,
    )


def train_recall_from(
    params,
    cell,
    k,
    *,
    V=4,
    steps=400,
    lr=0.05,
    max_norm=1.0,
    batch=32,
    seed=0,
    n_train=500,
    n_test=200,
    truncate=None,
):
    """The training loop of :func:`train_recall`, from given initial parameters.

    Parameters
    ----------
    params : dict of str to ndarray
        Initial parameters as from ``init_recall``; copied, not modified.
    cell : {"rnn", "lstm"}
    k : int
        Lag of the task.
    V, steps, lr, max_norm, batch, seed, n_train, n_test
        As in ``train_recall``.
    truncate : int or None
        Window of truncated BPTT (RNN only, see ``recall_loss``); None for full BPTT.

    Returns
    -------
    RecallResult

    Examples
    --------
    >>> p = init_recall("rnn", 5, 8, 4, seed=0)
    >>> res = train_recall_from(p, "rnn", k=2, steps=60, n_train=64, n_test=64)
    >>> res.losses.shape, res.test_accuracy
    ((60,), 1.0)
    """
    _cell(cell)
    k, V, seed = as_int("k", k, 0), as_int("V", V, 2), as_int("seed", seed, 0)
    steps, batch = as_int("steps", steps, 1), as_int("batch", batch, 1)
    lr, max_norm = as_positive("lr", lr), as_positive("max_norm", max_norm)
    n_train, n_test = as_int("n_train", n_train, 1), as_int("n_test", n_test, 1)
    truncate = _check_truncate(cell, truncate)
    # Checked before training: inputs are one-hot over V symbols and a blank.
    params = _check_params(cell, params, {"D": V + 1, "V": V})
    x, y = recall_task(n_train, k, V, seed)
    rng = np.random.default_rng(seed)
    params, opt = {name: p.copy() for name, p in params.items()}, Adam(lr=lr)
    losses = np.empty(steps)
    for s in range(steps):
        rows = rng.integers(0, x.shape[0], size=batch)
        losses[s], grads = recall_loss(cell, params, x[rows], y[rows], truncate)
        opt.step(params, clip_grad_norm(grads, max_norm)[0])
    x_test, y_test = recall_task(n_test, k, V, seed + 1)
    return RecallResult(recall_accuracy(cell, params, x_test, y_test), losses, params)
