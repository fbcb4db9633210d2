"""Tasks that need memory at a known lag, and a trainer that measures it.

``recall_task`` shows a symbol, then ``k`` blank steps, and asks for the
symbol at the last step: the answer depends on an input ``k`` steps back and on
nothing in between, so the gradient that teaches it must cross ``k`` steps.
``train_recall`` fits a many-to-one model (the recurrent cell, then a linear
softmax output on the last hidden state) by full backpropagation through time,
with Adam and clipping by global norm, for the tanh RNN of ``cell``, the LSTM
of ``lstm`` or the GRU of ``gru``.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._checks import as_array, as_choice, as_ids, as_int, as_params, as_scalar
from ._typing import Cell, Params
from .cell import rnn_backward, rnn_forward
from .gru import gru_backward, gru_forward
from .layers import (
    softmax,
    temporal_affine_backward,
    temporal_affine_forward,
    temporal_softmax_loss,
)
from .lstm import lstm_backward, lstm_forward

__all__ = [
    "RECALL",
    "RecallResult",
    "RecallSettings",
    "init_recall",
    "recall_accuracy",
    "recall_loss",
    "recall_task",
    "train_recall",
    "train_recall_from",
]

# The three cells behind one interface: forward (x, h0, Wx, Wh, b) -> (h, cache),
# backward (dh, cache) -> (dx, dh0, dWx, dWh, db); gates is 4 for the LSTM, 3 for the GRU.
_CELLS = {
    "rnn": (rnn_forward, rnn_backward, 1),
    "lstm": (lstm_forward, lstm_backward, 4),
    "gru": (gru_forward, gru_backward, 3),
}


class RecallSettings(NamedTuple):
    """The settings of the recall experiment, in one place: the trainers' defaults.

    A small task (``V`` symbols, ``H`` hidden units) trained briefly (``steps`` Adam
    updates of ``batch`` sequences at learning rate ``lr``, the gradient clipped to
    global norm ``max_norm``) on ``n_train`` sequences, tested on ``n_test`` new ones.
    The LSTM's forget gate starts at ``forget_bias`` (see ``init_recall``).
    """

    V: int = 4
    H: int = 16
    steps: int = 200
    lr: float = 0.05
    max_norm: float | None = 1.0
    batch: int = 32
    n_train: int = 500
    n_test: int = 200
    forget_bias: float = 5.0


RECALL = RecallSettings()


class RecallResult(NamedTuple):
    """Held-out accuracy after training, the loss of every step and the trained parameters."""

    test_accuracy: float
    losses: np.ndarray  # (steps,), training cross-entropy in nats, before each update
    grad_norms: np.ndarray  # (steps,), global gradient norm before clipping
    params: dict


def _cell(cell):
    return _CELLS[as_choice("cell", cell, _CELLS)]


def _check_params(cell, params, sizes, members=False):
    """Validate ``params`` (the keys and shapes of ``init_recall``) against ``sizes``.

    ``Wh`` comes first: it fixes H and the gate width G H (G = 4 for the LSTM, 3 for
    the GRU). ``members``: an ensemble's parameters, each with a leading axis K.
    """
    G = _cell(cell)[2]
    specs = {"Wh": ("H", "GH"), "Wx": ("D", "GH"), "b": ("GH",), "Wy": ("H", "V"), "by": ("V",)}
    lead = ("K",) if members else ()
    p = as_params("params", params, {k: (*lead, *s) for k, s in specs.items()}, sizes, exact=True)
    if sizes["GH"] != G * sizes["H"]:
        width = "H" if G == 1 else f"{G}H"
        raise ValueError(
            f"params['Wh']: expected shape ({'K, ' * members}H, {width}) for the {cell!r} "
            f"cell, got shape {p['Wh'].shape}"
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


def recall_task(
    n: int,
    k: int,
    V: int = 4,
    seed: int = 0,
) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
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


def init_recall(
    cell: Cell,
    D: int,
    H: int,
    V: int,
    seed: int = 0,
    forget_bias: float = RECALL.forget_bias,
) -> Params:
    """Random parameters of the many-to-one model.

    Input and recurrent weights are Gaussian with variance 1 / fan-in, the
    output weights 10 times smaller (first predictions nearly uniform), biases
    zero, except the LSTM's forget-gate bias, which starts at ``forget_bias``
    (by default the experiment's, ``RECALL.forget_bias``). The usual +1 (Gers et
    al. 2000; Jozefowicz et al. 2015) gives
    ``f = sigmoid(1) = 0.73`` instead of 1/2; along the cell path the gradient
    from ``k`` steps back is about ``f**k`` (``lstm.cell_path_gradient``),
    and 0.73**50 is 1.5e-7. "Chrono" initialisation (Tallec and Ollivier,
    2018) sets the bias to about ``log(k)`` for dependencies of ``k`` steps;
    +5 gives ``f = 0.993`` and 0.993**50 = 0.71.

    Parameters
    ----------
    cell : {"rnn", "lstm", "gru"}
    D, H, V : int
        Input size, hidden size, number of classes.
    seed : int
    forget_bias : float
        Initial bias of the LSTM's forget gate (ignored for the RNN and the GRU).

    Returns
    -------
    params : dict of str to ndarray
        ``Wx`` (D, G H), ``Wh`` (H, G H), ``b`` (G H,), ``Wy`` (H, V), ``by`` (V,),
        with ``G = 1`` for the RNN, 4 (gates i | f | o | g) for the LSTM and 3
        (z | r | n) for the GRU.

    Examples
    --------
    >>> p = init_recall("lstm", D=5, H=2, V=4, forget_bias=1.0)
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


def recall_loss(
    cell: Cell,
    params: dict[str, np.ndarray],
    x: ArrayLike,
    y: ArrayLike,
    truncate: int | None = None,
) -> tuple[float, Params]:
    """Cross-entropy of the prediction at the last step, and its gradients by BPTT.

    Parameters
    ----------
    cell : {"rnn", "lstm", "gru"}
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


def recall_accuracy(
    cell: Cell,
    params: dict[str, np.ndarray],
    x: ArrayLike,
    y: ArrayLike,
) -> float:
    """Fraction of sequences whose most probable class is the target.

    Parameters
    ----------
    cell : {"rnn", "lstm", "gru"}
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
    cell: Cell,
    k: int,
    *,
    seed: int = 0,
    **options: Any,
) -> RecallResult:
    """Train a many-to-one model on ``recall_task`` at lag ``k`` and test it.

    Each of ``steps`` updates draws ``batch`` sequences from the ``n_train``
    training sequences, computes the full-BPTT gradient (``recall_loss``),
    clips it to global norm ``max_norm`` and takes one Adam step. Data, initial
    weights and batches all follow from ``seed``; the test set uses its own
    seed (``seed + 1``). The loop is ``ensemble.train_recall``'s, with one member:
    one seed is one draw from a distribution, so the book trains many at once.

    Parameters
    ----------
    cell : {"rnn", "lstm", "gru"}
    k : int
        Lag of the task.
    seed : int
    **options
        Overrides of the settings in ``RECALL``: ``V``, ``H`` (number of symbols,
        hidden size), ``steps`` (Adam updates), ``lr``, ``max_norm`` (clipping
        threshold of the global gradient norm; None: no clipping), ``batch``,
        ``n_train``, ``n_test``, ``forget_bias``.

    Returns
    -------
    RecallResult
        ``test_accuracy`` in [0, 1] (chance is 1 / V), ``losses`` and
        ``grad_norms`` (steps,) and the trained ``params``.

    Examples
    --------
    >>> res = train_recall("lstm", k=2, steps=60, lr=0.05, n_train=64, n_test=64)
    >>> res.losses.shape, res.test_accuracy
    ((60,), 1.0)
    """
    from . import ensemble  # ensemble imports this module for RECALL and the data

    return _single(ensemble.train_recall(cell, k, (as_int("seed", seed, 0),), **options))


def train_recall_from(
    params: dict[str, np.ndarray],
    cell: Cell,
    k: int,
    *,
    seed: int = 0,
    truncate: int | None = None,
    **options: Any,
) -> RecallResult:
    """The training loop of :func:`train_recall`, from given initial parameters.

    Parameters
    ----------
    params : dict of str to ndarray
        Initial parameters as from ``init_recall``; copied, not modified.
    cell : {"rnn", "lstm", "gru"}
    k : int
        Lag of the task.
    seed : int
        Seed of the data and the batches.
    truncate : int or None
        Window of truncated BPTT (RNN only, see ``recall_loss``); None for full BPTT.
    **options
        As in ``train_recall``, except ``V``, ``H`` and ``forget_bias``, which
        ``params`` already fixes (``V`` still names the number of symbols).

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
    from . import ensemble

    _cell(cell)
    V = as_int("V", options.get("V", RECALL.V), 2)
    # Checked before training: inputs are one-hot over V symbols and a blank.
    stacked = ensemble.stack([_check_params(cell, params, {"D": V + 1, "V": V})])
    seeds = (as_int("seed", seed, 0),)
    return _single(
        ensemble.train_recall_from(stacked, cell, k, seeds, truncate=truncate, **options)
    )


def _single(result):
    """The one member of an ensemble result, as a RecallResult."""
    return RecallResult(
        float(result.test_accuracy[0]), result.losses[0], result.grad_norms[0],
        {name: a[0] for name, a in result.params.items()},
    )  # fmt: skip
