"""Seed ensembles: K independent models trained at once, one leading axis on everything.

Training a recurrent network is chaotic: a change of one unit in the last place of
one initial weight, or another CPU's rounding, can flip what a run learns. A trained
result is therefore a distribution over seeds, and the book trains every experiment
over many. Run one after another, K seeds cost K runs. Here every parameter carries a
leading seed axis (the recurrent weights of K models are one (K, H, H) array), every
product is a batched matrix product (the cells' kernels take the extra axis), and the
Python loop over time and training steps runs once for all members. Each member keeps
its own data, batches, initial weights, clipping and Adam moments, all derived from
its own seed exactly as for one model, so nothing is shared but the loop.

One step gives each member the loss and gradients of the single model with that seed
(to rounding: the tests ask for 1e-12). Over a whole chaotic run, members may drift
from their single-seed twins by rounding, which is exactly why results are reported
as distributions.

Arrays are ``(K, N, T, D)`` inputs, ``(K, N)`` targets, and parameter dicts whose
arrays have shape ``(K, ...)``; :func:`stack` and :func:`member` convert to and from a
list of single-model dicts (as from ``tasks.init_recall``).
"""

from typing import NamedTuple

import numpy as np
from threadpoolctl import threadpool_limits

from . import cell as rnn_cell
from . import gru, lstm
from ._checks import as_array, as_int, as_positive
from .layers import log_softmax
from .optim import Adam
from .tasks import RECALL, init_recall, recall_task

__all__ = [
    "EnsembleResult",
    "accuracy",
    "clip_grad_norm",
    "init",
    "member",
    "recall_input_gradient",
    "recall_loss",
    "run",
    "stack",
    "train_recall",
    "train_recall_from",
]


class EnsembleResult(NamedTuple):
    """What training an ensemble gives, one entry per member along the first axis."""

    seeds: tuple  # (K,) the members' seeds
    test_accuracy: np.ndarray  # (K,) held-out accuracy after training
    losses: np.ndarray  # (K, steps) training cross-entropy before each update, in nats
    grad_norms: np.ndarray  # (K, steps) global gradient norm before clipping
    params: dict  # trained parameters, arrays (K, ...)
    initial: dict  # the parameters training started from, arrays (K, ...)


def _run(cell, params, x):
    """The cell over the sequences from a zero state: states (K, N, T, H), backward state."""
    Wx, Wh, b = params["Wx"], params["Wh"], params["b"]
    h0 = np.zeros(x.shape[:-2] + Wh.shape[-2:-1])  # (K, N, H)
    if cell == "rnn":
        h = rnn_cell._forward(x, h0, Wx, Wh, b)
        return h, (x, h0, Wx, Wh, h)
    if cell == "lstm":
        h, c, gates = lstm._forward(x, h0, Wx, Wh, b)
        return h, (x, h0, Wx, Wh, h, c, gates)
    h, gates = gru._forward(x, h0, Wx, Wh, b)
    return h, (x, h0, Wx, Wh, h, gates)


def run(cell, params, x):
    """Every member's cell over its sequences from a zero state, as the training sees it.

    Returns
    -------
    h : ndarray, shape (K, N, T, H)
    cache : RNNCache, LSTMCache or GRUCache
        The cell's cache with the leading seed axis on every array, for functions
        such as ``lstm.cell_path_gradient`` that accept it.

    Examples
    --------
    >>> from rnn_core.lstm import cell_path_gradient
    >>> h, cache = run("lstm", init("lstm", (0, 1), H=3), np.zeros((2, 4, 6, 5)))
    >>> h.shape, cell_path_gradient(cache).shape
    ((2, 4, 6, 3), (2, 6))
    """
    _check_cell(cell, None)
    h, saved = _run(cell, params, as_array("x", x, ("K", "N", "T", "D")))
    kind = {"rnn": rnn_cell.RNNCache, "lstm": lstm.LSTMCache, "gru": gru.GRUCache}[cell]
    return h, kind(*saved)


def _back(cell, dh, saved, truncate):
    """dx, dh0, dWx, dWh, db of the cell, every array with the leading seed axis."""
    if cell == "rnn":
        _, _, _, Wh, h = saved
        window = h.shape[-2] if truncate is None else truncate
        return rnn_cell.grads_from_deltas(
            rnn_cell._deltas(dh, h, Wh, window), rnn_cell.RNNCache(*saved)
        )
    return (lstm._backward if cell == "lstm" else gru._backward)(dh, *saved)


def _check_cell(cell, truncate):
    if cell not in ("rnn", "lstm", "gru"):
        raise ValueError(f"cell: expected one of ['gru', 'lstm', 'rnn'], got {cell!r}")
    if truncate is not None:
        if cell != "rnn":
            raise ValueError(f"truncate: only the 'rnn' cell supports truncation, got {cell!r}")
        as_int("truncate", truncate, 1)


def _logits(cell, params, x):
    """Output layer on the last state: logits (K, N, V), with what the backward pass needs."""
    h, saved = _run(cell, params, x)
    last = h[..., -1, :]  # (K, N, H)
    return last @ params["Wy"] + params["by"][..., None, :], (h.shape, last, saved)


def recall_loss(cell, params, x, y, truncate=None):
    """Each member's cross-entropy at the last step, and its gradients by BPTT.

    The ensemble twin of ``tasks.recall_loss``: member k of the result is that
    function's result for member k of the arguments.

    Parameters
    ----------
    cell : {"rnn", "lstm", "gru"}
    params : dict of str to ndarray
        Arrays (K, ...), as from :func:`init`.
    x : ndarray, shape (K, N, T, D)
    y : ndarray of int, shape (K, N)
    truncate : int or None
        Window of truncated BPTT (``"rnn"`` only), as in ``rnn_backward``.

    Returns
    -------
    loss : ndarray, shape (K,)
        Mean cross-entropy of each member, in nats.
    grads : dict of str to ndarray
        Same keys and shapes as ``params``.

    Examples
    --------
    >>> p = init("rnn", seeds=(0, 1), H=6)
    >>> x, y = recall_task(8, k=3)
    >>> loss, grads = recall_loss("rnn", p, np.stack([x, x]), np.stack([y, y]))
    >>> loss.shape, grads["Wh"].shape, bool(np.all(np.abs(loss - np.log(4)) < 0.1))
    ((2,), (2, 6, 6), True)
    """
    loss, grads, _ = _through(cell, params, x, y, truncate)
    return loss, grads


def recall_input_gradient(cell, params, x, y, truncate=None):
    """How much of the loss's gradient reaches each input: ``dL/dx_t`` (K, N, T, D).

    The loss is each member's mean cross-entropy at the last step, as in
    :func:`recall_loss`, and ``truncate`` the same window of truncated BPTT. In the
    recall task only ``x_1`` holds the symbol, so ``dL/dx_1`` is the gradient that
    could teach a cell to store it.

    Examples
    --------
    >>> p = init("rnn", seeds=(0,), H=4)
    >>> x, y = recall_task(5, k=3)
    >>> recall_input_gradient("rnn", p, x[None], y[None]).shape
    (1, 5, 4, 5)
    """
    return _through(cell, params, x, y, truncate)[2]


def _through(cell, params, x, y, truncate):
    """Loss (K,), weight gradients and ``dL/dx`` of the loss at the last step."""
    _check_cell(cell, truncate)
    x = as_array("x", x, ("K", "N", "T", "D"))
    logits, (h_shape, last, saved) = _logits(cell, params, x)
    logp = log_softmax(logits)  # (K, N, V)
    y = _targets(y, x.shape[:2], logp.shape[-1])[..., None]  # (K, N, 1)
    loss = -np.take_along_axis(logp, y, axis=-1).mean(axis=(-2, -1))
    dlogits = np.exp(logp)  # the softmax p; then p - onehot(y), averaged over the N sequences
    np.put_along_axis(dlogits, y, np.take_along_axis(dlogits, y, axis=-1) - 1.0, axis=-1)
    dlogits /= x.shape[1]
    dh = np.zeros(h_shape)  # (K, N, T, H): the loss reads only the last step
    dh[..., -1, :] = dlogits @ np.swapaxes(params["Wy"], -1, -2)
    dx, _, dWx, dWh, db = _back(cell, dh, saved, truncate)
    dWy = np.swapaxes(last, -1, -2) @ dlogits  # (K, H, V), summed over the batch
    grads = {"Wx": dWx, "Wh": dWh, "b": db, "Wy": dWy, "by": dlogits.sum(axis=-2)}
    return loss, grads, dx


def _targets(y, shape, V):
    """Integer class ids of shape (K, N) in [0, V)."""
    y = np.asarray(y)
    if y.shape != shape or y.dtype.kind not in "iu" or y.min() < 0 or y.max() >= V:
        raise ValueError(
            f"y: expected integer classes in [0, {V - 1}] of shape {shape}, "
            f"got {y.dtype} array of shape {y.shape}"
        )
    return y


def accuracy(cell, params, x, y):
    """Each member's fraction of sequences whose most probable class is the target: (K,).

    Examples
    --------
    >>> p = init("lstm", seeds=(0, 1, 2), H=4)
    >>> x, y = recall_task(50, k=2)
    >>> accuracy("lstm", p, np.stack([x] * 3), np.stack([y] * 3)).shape
    (3,)
    """
    _check_cell(cell, None)
    x = as_array("x", x, ("K", "N", "T", "D"))
    logits = _logits(cell, params, x)[0]
    y = _targets(y, x.shape[:2], logits.shape[-1])
    return np.mean(logits.argmax(axis=-1) == y, axis=-1)


def clip_grad_norm(grads, max_norm):
    """Clip each member's gradients to global norm ``max_norm``, as ``optim.clip_grad_norm``
    does for one model; ``max_norm=None`` leaves them as they are.

    Returns
    -------
    clipped : dict of str to ndarray
    norms : ndarray, shape (K,)
        Each member's global norm before clipping.

    Examples
    --------
    >>> g = {"w": np.array([[3.0, 4.0], [0.3, 0.4]])}  # two members
    >>> clipped, norms = clip_grad_norm(g, 1.0)
    >>> norms, clipped["w"]
    (array([5. , 0.5]), array([[0.6, 0.8],
           [0.3, 0.4]]))
    """
    norms = np.sqrt(sum(np.sum(g * g, axis=tuple(range(1, g.ndim))) for g in grads.values()))
    if not np.all(np.isfinite(norms)):
        bad = int(np.flatnonzero(~np.isfinite(norms))[0])
        raise ValueError(f"grads: expected finite gradients, got a non-finite norm in member {bad}")
    if max_norm is None:
        return grads, norms
    max_norm = as_positive("max_norm", max_norm)
    scale = np.where(norms > max_norm, max_norm / np.where(norms > 0, norms, 1.0), 1.0)
    return {k: g * scale.reshape((-1,) + (1,) * (g.ndim - 1)) for k, g in grads.items()}, norms


def stack(params_list):
    """One dict of (K, ...) arrays from K single-model parameter dicts with the same keys."""
    return {name: np.stack([p[name] for p in params_list]) for name in params_list[0]}


def member(params, k):
    """Member ``k`` of an ensemble's parameters, as a single-model dict (copies)."""
    return {name: a[k].copy() for name, a in params.items()}


def init(cell, seeds, V=RECALL.V, H=RECALL.H, forget_bias=RECALL.forget_bias):
    """Initial parameters of every member: ``tasks.init_recall`` with each member's seed.

    Examples
    --------
    >>> p = init("gru", seeds=(3, 4), H=5)
    >>> p["Wh"].shape, bool(np.array_equal(p["Wh"][1], init_recall("gru", 5, 5, 4, 4)["Wh"]))
    ((2, 5, 15), True)
    """
    return stack([init_recall(cell, V + 1, H, V, s, forget_bias) for s in _seeds(seeds)])


def _seeds(seeds):
    seeds = tuple(seeds)
    if not seeds:
        raise ValueError("seeds: expected at least one seed, got none")
    return tuple(as_int(f"seeds[{i}]", s, 0) for i, s in enumerate(seeds))


def train_recall(cell, k, seeds=range(10), **options):
    """Train one model per seed on ``tasks.recall_task`` at lag ``k``, all at once.

    Member ``s`` starts from ``init_recall`` with seed ``s`` and follows
    ``tasks.train_recall(cell, k, seed=s, **options)`` step for step.

    Parameters
    ----------
    cell : {"rnn", "lstm", "gru"}
    k : int
        Lag of the task.
    seeds : iterable of int
        One member per seed.
    **options
        Overrides of ``tasks.RECALL`` (V, H, steps, lr, max_norm, batch, n_train,
        n_test, forget_bias) and ``truncate``; ``max_norm=None`` trains without clipping.

    Returns
    -------
    EnsembleResult

    Examples
    --------
    >>> res = train_recall("lstm", 2, seeds=(0, 1), steps=60, n_train=64, n_test=64)
    >>> res.test_accuracy.tolist(), res.losses.shape
    ([1.0, 1.0], (2, 60))
    """
    settings = {n: options.pop(n) for n in ("V", "H", "forget_bias") if n in options}
    cfg = RECALL._replace(**settings)
    params = init(cell, seeds, cfg.V, cfg.H, cfg.forget_bias)
    return train_recall_from(params, cell, k, seeds, V=cfg.V, **options)


def _data(seeds, n, k, V, offset):
    """Each member's recall sequences, drawn with its seed plus ``offset``: (K, n, k+1, V+1)."""
    pairs = [recall_task(n, k, V, s + offset) for s in seeds]
    return np.stack([x for x, _ in pairs]), np.stack([y for _, y in pairs])


def train_recall_from(params, cell, k, seeds, *, truncate=None, **options):
    """The training loop of :func:`train_recall`, from given initial parameters (K, ...).

    Each step draws ``batch`` training sequences per member (with the member's own
    generator, seeded by its seed), computes every member's full-BPTT gradient, clips
    each member's to its own global norm and takes one Adam step. The test set of a
    member uses its seed plus one, as in ``tasks.train_recall``.

    Examples
    --------
    >>> p = init("rnn", seeds=(0, 1), H=8)
    >>> res = train_recall_from(p, "rnn", 2, (0, 1), steps=60, n_train=64, n_test=64)
    >>> res.test_accuracy.tolist()
    [1.0, 1.0]
    """
    _check_cell(cell, truncate)
    seeds = _seeds(seeds)
    cfg = RECALL._replace(**options)
    k, V = as_int("k", k, 0), as_int("V", cfg.V, 2)
    steps, batch = as_int("steps", cfg.steps, 1), as_int("batch", cfg.batch, 1)
    lr = as_positive("lr", cfg.lr)
    x, y = _data(seeds, as_int("n_train", cfg.n_train, 1), k, V, 0)
    rngs = [np.random.default_rng(s) for s in seeds]
    initial = {name: p.copy() for name, p in params.items()}
    params, opt = {name: p.copy() for name, p in params.items()}, Adam(lr=lr)
    losses, norms = np.empty((len(seeds), steps)), np.empty((len(seeds), steps))
    # The products here are tiny ((32, 16) x (16, 16) per member): a second BLAS thread
    # only adds a wait, and on a loaded machine every product waits for a free core.
    with threadpool_limits(limits=1, user_api="blas"):
        _train(cell, params, opt, x, y, rngs, batch, cfg.max_norm, truncate, losses, norms)
    x_test, y_test = _data(seeds, as_int("n_test", cfg.n_test, 1), k, V, 1)
    acc = accuracy(cell, params, x_test, y_test)
    return EnsembleResult(seeds, acc, losses, norms, params, initial)


def _train(cell, params, opt, x, y, rngs, batch, max_norm, truncate, losses, norms):
    """The steps of ``train_recall_from``: losses and norms (K, steps) are filled in."""
    members = np.arange(len(rngs))[:, None]
    for s in range(losses.shape[1]):
        rows = np.stack([rng.integers(0, x.shape[1], size=batch) for rng in rngs])  # (K, batch)
        losses[:, s], grads = recall_loss(
            cell, params, x[members, rows], y[members, rows], truncate
        )
        grads, norms[:, s] = clip_grad_norm(grads, max_norm)
        opt.step(params, grads)
