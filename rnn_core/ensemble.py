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

Two experiments are vectorised this way. The recall task of ``rnn_core.tasks``
(:func:`train_recall`): arrays are ``(K, N, T, D)`` inputs, ``(K, N)`` targets.
The word-level language model of ``rnn_core.lm`` (:func:`train_lm`): every member
reads the same id stream (one fold of one corpus), so the ids are shared, ``(N, T)``,
and only the states carry the member axis. Parameter dicts hold arrays of shape
``(K, ...)``; :func:`stack` and :func:`member` convert to and from a list of
single-model dicts (as from ``tasks.init_recall`` or ``lm.init_lm``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import cell as rnn_cell
from . import gru, lm, lstm
from ._blas import one_thread
from ._checks import (
    _SUMSQ_SAFE,
    as_array,
    as_choice,
    as_ids,
    as_int,
    as_ndarray,
    as_positive,
    as_real,
    overflow_checked,
)
from ._typing import Cell, Params
from .layers import _log_softmax
from .optim import Adam
from .tasks import RECALL, _check_params, _check_truncate, init_recall, recall_task

__all__ = [
    "EnsembleResult",
    "LMEnsembleResult",
    "accuracy",
    "clip_grad_norm",
    "init",
    "init_lm",
    "lm_loss",
    "member",
    "perplexity",
    "recall_input_gradient",
    "recall_loss",
    "run",
    "stack",
    "train_lm",
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


# What ``run`` returns as its cache: the cell's own.
_Cache = rnn_cell.RNNCache | lstm.LSTMCache | gru.GRUCache


@overflow_checked
def run(
    cell: Cell,
    params: dict[str, np.ndarray],
    x: ArrayLike,
) -> tuple[NDArray[np.float64], _Cache]:
    """Every member's cell over its sequences from a zero state, as the training sees it.

    Parameters
    ----------
    cell : {"rnn", "lstm", "gru"}
    params : dict of str to ndarray
        Arrays (K, ...), as from :func:`init`.
    x : ndarray, shape (K, N, T, D)

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
    params, x = _check_inputs(cell, params, x, {})
    h, saved = _run(cell, params, x)
    _check_states(h)
    kind = {"rnn": rnn_cell.RNNCache, "lstm": lstm.LSTMCache, "gru": gru.GRUCache}[cell]
    return h, kind(*saved)


def _back(cell, dh, saved, truncate, need_dx=True):
    """dx, dh0, dWx, dWh, db of the cell, every array with the leading seed axis."""
    if cell == "rnn":
        _, _, _, Wh, h = saved
        window = h.shape[-2] if truncate is None else truncate
        return rnn_cell.grads_from_deltas(
            rnn_cell._deltas(dh, h, Wh, window), rnn_cell.RNNCache(*saved), need_dx=need_dx
        )
    return (lstm._backward if cell == "lstm" else gru._backward)(dh, *saved)


def _check_cell(cell, truncate):
    """The cell's name, and ``truncate`` (None, or a window for the tanh RNN)."""
    as_choice("cell", cell, ("rnn", "lstm", "gru"))
    return _check_truncate(cell, truncate)


def _check_inputs(cell, params, x, sizes):
    """Validate x (K, N, T, D) and the members' parameters, sharing ``sizes``."""
    x = as_array("x", x, ("K", "N", "T", "D"), sizes)
    return _check_params(cell, params, sizes, members=True), x


def _check_batch(cell, params, x, y):
    """Validate x (K, N, T, D), the members' parameters and targets y (K, N) in [0, V)."""
    sizes = {}
    params, x = _check_inputs(cell, params, x, sizes)
    return params, x, _targets(y, x.shape[:2], sizes["V"])


def _check_states(h):
    """Raise if a state is not finite: |h| <= 1, so only inf - inf in a pre-activation."""
    if not np.isfinite(h.sum()):
        bad = int(np.flatnonzero(~np.isfinite(h).reshape(h.shape[0], -1).all(axis=1))[0])
        raise ValueError(
            f"h: overflowed float64 in member {bad} (a pre-activation x_t Wx + h_(t-1) Wh + b "
            "added +inf and -inf: x or the weights too large)"
        )


def _logits(cell, params, x):
    """Output layer on the last state: logits (K, N, V), with what the backward pass needs."""
    h, saved = _run(cell, params, x)
    last = h[..., -1, :]  # (K, N, H)
    return last @ params["Wy"] + params["by"][..., None, :], (h.shape, last, saved)


def recall_loss(
    cell: Cell,
    params: dict[str, np.ndarray],
    x: ArrayLike,
    y: ArrayLike,
    truncate: int | None = None,
) -> tuple[NDArray[np.float64], Params]:
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


def recall_input_gradient(
    cell: Cell,
    params: dict[str, np.ndarray],
    x: ArrayLike,
    y: ArrayLike,
    truncate: int | None = None,
) -> NDArray[np.float64]:
    """How much of the loss's gradient reaches each input: ``dL/dx_t`` (K, N, T, D).

    The loss is each member's mean cross-entropy at the last step, as in
    :func:`recall_loss`, and ``truncate`` the same window of truncated BPTT. In the
    recall task only ``x_1`` holds the symbol, so ``dL/dx_1`` is the gradient that
    could teach a cell to store it.

    Parameters
    ----------
    cell : {"rnn", "lstm", "gru"}
    params : dict of str to ndarray
        Arrays (K, ...), as from :func:`init`.
    x : ndarray, shape (K, N, T, D)
    y : ndarray of int, shape (K, N)
    truncate : int or None
        As in :func:`recall_loss`.

    Returns
    -------
    ndarray, shape (K, N, T, D)

    Examples
    --------
    >>> p = init("rnn", seeds=(0,), H=4)
    >>> x, y = recall_task(5, k=3)
    >>> recall_input_gradient("rnn", p, x[None], y[None]).shape
    (1, 5, 4, 5)
    """
    return _through(cell, params, x, y, truncate)[2]


@overflow_checked
def _through(cell, params, x, y, truncate):
    """Loss (K,), weight gradients and ``dL/dx`` of the loss at the last step."""
    truncate = _check_cell(cell, truncate)
    params, x, y = _check_batch(cell, params, x, y)
    return _recall_step(cell, params, x, y, truncate)


def _recall_step(cell, params, x, y, truncate, need_dx=True):
    """:func:`_through` on validated arguments (the training loop's step)."""
    logits, (h_shape, last, saved) = _logits(cell, params, x)
    logp = _log_softmax(logits)  # (K, N, V)
    y = y[..., None]  # (K, N, 1)
    loss = -np.take_along_axis(logp, y, axis=-1).mean(axis=(-2, -1))
    dlogits = np.exp(logp)  # the softmax p; then p - onehot(y), averaged over the N sequences
    np.put_along_axis(dlogits, y, np.take_along_axis(dlogits, y, axis=-1) - 1.0, axis=-1)
    dlogits /= x.shape[1]
    dh = np.zeros(h_shape)  # (K, N, T, H): the loss reads only the last step
    dh[..., -1, :] = dlogits @ np.swapaxes(params["Wy"], -1, -2)
    dx, _, dWx, dWh, db = _back(cell, dh, saved, truncate, need_dx)
    dWy = np.swapaxes(last, -1, -2) @ dlogits  # (K, H, V), summed over the batch
    grads = {"Wx": dWx, "Wh": dWh, "b": db, "Wy": dWy, "by": dlogits.sum(axis=-2)}
    _check_member_norms(grads, "the loss's gradient")
    return loss, grads, dx


def _targets(y, shape, V):
    """Integer class ids of shape (K, N) in [0, V)."""
    y = as_ndarray("y", y)
    if y.shape != shape or y.dtype.kind not in "iu" or y.min() < 0 or y.max() >= V:
        raise ValueError(
            f"y: expected integer classes in [0, {V - 1}] of shape {shape}, "
            f"got {y.dtype} array of shape {y.shape}"
        )
    return y


def accuracy(
    cell: Cell,
    params: dict[str, np.ndarray],
    x: ArrayLike,
    y: ArrayLike,
) -> NDArray[np.float64]:
    """Each member's fraction of sequences whose most probable class is the target: (K,).

    Parameters
    ----------
    cell : {"rnn", "lstm", "gru"}
    params : dict of str to ndarray
        Arrays (K, ...), as from :func:`init`.
    x : ndarray, shape (K, N, T, D)
    y : ndarray of int, shape (K, N)

    Returns
    -------
    ndarray, shape (K,)

    Examples
    --------
    >>> p = init("lstm", seeds=(0, 1, 2), H=4)
    >>> x, y = recall_task(50, k=2)
    >>> accuracy("lstm", p, np.stack([x] * 3), np.stack([y] * 3)).shape
    (3,)
    """
    _check_cell(cell, None)
    return _accuracy(cell, *_check_batch(cell, params, x, y))


@overflow_checked
def _accuracy(cell, params, x, y):
    """:func:`accuracy` on validated arguments."""
    logits, (_, _, saved) = _logits(cell, params, x)
    _check_states(saved[4])  # the states h, (K, N, T, H)
    return np.mean(logits.argmax(axis=-1) == y, axis=-1)


def clip_grad_norm(
    grads: dict[str, np.ndarray],
    max_norm: float | None,
) -> tuple[Params, NDArray[np.float64]]:
    """Clip each member's gradients to global norm ``max_norm``, as ``optim.clip_grad_norm``
    does for one model; ``max_norm=None`` leaves them as they are.

    The norms are computed without overflow or underflow, as ``optim.global_norm``'s:
    gradients of 1e200 are scaled to the threshold, not wiped out.

    Parameters
    ----------
    grads : dict of str to ndarray
        Each member's gradients, arrays (K, ...) with the same K.
    max_norm : float or None
        Threshold, > 0; None: no clipping.

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
    max_norm = None if max_norm is None else as_positive("max_norm", max_norm)
    given, (grads, _) = grads, _as_members("grads", grads, finite=False)
    norms = _member_norms(grads)
    if not np.all(np.isfinite(norms)):
        bad = int(np.flatnonzero(~np.isfinite(norms))[0])
        if all(np.isfinite(g[bad]).all() for g in grads.values()):  # the norm itself overflowed
            raise ValueError(f"grads: the global norm of member {bad} overflowed float64")
        raise ValueError(f"grads: expected finite gradients, got a non-finite norm in member {bad}")
    return (given if max_norm is None else _clip(grads, norms, max_norm)), norms


def _as_members(name, arrays, finite=True):
    """A dict of real arrays (K, ...) with one K: the arrays as float64, and K."""
    if not isinstance(arrays, dict) or not arrays:
        got = type(arrays).__name__ if not isinstance(arrays, dict) else "an empty dict"
        raise ValueError(f"{name}: expected a non-empty dict of arrays (K, ...), got {got}")
    out, K = {}, None
    for key, a in arrays.items():
        a = as_real(f"{name}[{key!r}]", a, finite=finite)
        K = a.shape[0] if K is None and a.ndim else K
        if a.ndim == 0 or a.shape[0] != K or K == 0:
            want = f"(K, ...) with K = {K} members"
            raise ValueError(f"{name}[{key!r}]: expected shape {want}, got shape {a.shape}")
        out[key] = a
    return out, K


def _member_norms(grads):
    """Each member's global norm (K,), without overflow or underflow (``_checks.norm``)."""
    axes = {k: tuple(range(1, g.ndim)) for k, g in grads.items()}
    with np.errstate(over="ignore"):
        sumsq = sum(np.sum(g * g, axis=axes[k]) for k, g in grads.items())
    unsafe = ~(np.isfinite(sumsq) & (sumsq >= _SUMSQ_SAFE))
    norms = np.sqrt(sumsq)
    if unsafe.any():  # rescale by each such member's largest magnitude (as _checks.norm)
        with np.errstate(over="ignore", invalid="ignore"):
            m = np.max([np.max(np.abs(g), axis=axes[k]) for k, g in grads.items()], axis=0)
            m = np.where(m > 0, m, 1.0)
            scaled = sum(
                np.sum((g / m.reshape((-1,) + (1,) * (g.ndim - 1))) ** 2, axis=axes[k])
                for k, g in grads.items()
            )
            norms = np.where(unsafe, m * np.sqrt(scaled), norms)  # inf: beyond float64
    return norms


def _clip(grads, norms, max_norm):
    """Scale each member's gradients by ``max_norm / norm`` where its norm is above it."""
    if max_norm is None:
        return grads
    scale = np.where(norms > max_norm, max_norm / np.where(norms > 0, norms, 1.0), 1.0)
    return {k: g * scale.reshape((-1,) + (1,) * (g.ndim - 1)) for k, g in grads.items()}


def _check_member_norms(grads, what):
    """Raise, naming the member, if a training gradient overflowed float64."""
    bad = ~np.isfinite(sum(g.reshape(g.shape[0], -1).sum(axis=1) for g in grads.values()))
    if bad.any():
        if all(np.isfinite(g).all() for g in grads.values()):
            return  # only the cheap sum overflowed, every entry is finite
        raise ValueError(
            f"grads: overflowed float64 in member {int(np.flatnonzero(bad)[0])} ({what}: "
            "the weights diverged, lr too large, or the input too large)"
        )


def stack(params_list: Sequence[dict[str, np.ndarray]]) -> Params:
    """One dict of (K, ...) arrays from K single-model parameter dicts with the same keys.

    Parameters
    ----------
    params_list : sequence of dict of str to array_like
        K >= 1 dicts with the same keys, each key's arrays of one shape.

    Returns
    -------
    dict of str to ndarray
        ``[name]`` has shape (K, ...).

    Examples
    --------
    >>> stack([{"w": np.zeros(2)}, {"w": np.ones(2)}])["w"]
    array([[0., 0.],
           [1., 1.]])
    """
    if isinstance(params_list, dict) or not isinstance(params_list, (list, tuple)):
        got = type(params_list).__name__
        raise ValueError(f"params_list: expected a list of parameter dicts, got {got}")
    if not params_list:
        raise ValueError("params_list: expected at least one parameter dict, got none")
    first = params_list[0]
    for i, p in enumerate(params_list):
        if not isinstance(p, dict) or p.keys() != getattr(first, "keys", dict)():
            got = sorted(p, key=str) if isinstance(p, dict) else type(p).__name__
            raise ValueError(
                f"params_list[{i}]: expected a dict with the keys of params_list[0], "
                f"{sorted(first, key=str) if isinstance(first, dict) else None}, got {got}"
            )
    return {name: _stacked(name, [p[name] for p in params_list]) for name in first}


def _stacked(name, arrays):
    """``np.stack`` of the members' arrays for one key, each checked first."""
    arrays = [as_real(f"params_list[{i}][{name!r}]", a) for i, a in enumerate(arrays)]
    for i, a in enumerate(arrays):
        if a.shape != arrays[0].shape:
            raise ValueError(
                f"params_list[{i}][{name!r}]: expected shape {arrays[0].shape} "
                f"(that of params_list[0][{name!r}]), got shape {a.shape}"
            )
    return np.stack(arrays)


def member(params: dict[str, np.ndarray], k: int) -> Params:
    """Member ``k`` of an ensemble's parameters, as a single-model dict (copies).

    Parameters
    ----------
    params : dict of str to ndarray
        Arrays (K, ...) with the same K.
    k : int
        In ``[0, K)``.

    Returns
    -------
    dict of str to ndarray

    Examples
    --------
    >>> member({"w": np.arange(4.0).reshape(2, 2)}, 1)
    {'w': array([2., 3.])}
    """
    params, K = _as_members("params", params)
    k = as_int("k", k, 0, K - 1)
    return {name: a[k].copy() for name, a in params.items()}


def init(
    cell: Cell,
    seeds: Iterable[int],
    V: int = RECALL.V,
    H: int = RECALL.H,
    forget_bias: float = RECALL.forget_bias,
) -> Params:
    """Initial parameters of every member: ``tasks.init_recall`` with each member's seed.

    Examples
    --------
    >>> p = init("gru", seeds=(3, 4), H=5)
    >>> p["Wh"].shape, bool(np.array_equal(p["Wh"][1], init_recall("gru", 5, 5, 4, 4)["Wh"]))
    ((2, 5, 15), True)
    """
    seeds, V = _seeds(seeds), as_int("V", V, 1)
    return stack([init_recall(cell, V + 1, H, V, s, forget_bias) for s in seeds])


def _seeds(seeds):
    """The members' seeds as a tuple of ints >= 0 (any iterable of them but a string)."""
    if isinstance(seeds, (str, bytes, dict)) or not isinstance(seeds, Iterable):
        raise ValueError(f"seeds: expected an iterable of integer seeds >= 0, got {seeds!r}")
    seeds = tuple(seeds)
    if not seeds:
        raise ValueError("seeds: expected at least one seed, got none")
    return tuple(as_int(f"seeds[{i}]", s, 0) for i, s in enumerate(seeds))


def train_recall(
    cell: Cell,
    k: int,
    seeds: Iterable[int] = range(10),
    **options: Any,
) -> EnsembleResult:
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
    _check_cell(cell, options.get("truncate"))
    V = as_int("V", cfg.V, 2)  # before init, which would name D = V + 1
    params = init(cell, seeds, V, cfg.H, cfg.forget_bias)
    return train_recall_from(params, cell, k, seeds, V=V, **options)


def _data(seeds, n, k, V, offset):
    """Each member's recall sequences, drawn with its seed plus ``offset``: (K, n, k+1, V+1)."""
    pairs = [recall_task(n, k, V, s + offset) for s in seeds]
    return np.stack([x for x, _ in pairs]), np.stack([y for _, y in pairs])


def train_recall_from(
    params: dict[str, np.ndarray],
    cell: Cell,
    k: int,
    seeds: Iterable[int],
    *,
    truncate: int | None = None,
    **options: Any,
) -> EnsembleResult:
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
    truncate = _check_cell(cell, truncate)
    seeds = _seeds(seeds)
    cfg = RECALL._replace(**options)
    k, V = as_int("k", k, 0), as_int("V", cfg.V, 2)
    steps, batch = as_int("steps", cfg.steps, 1), as_int("batch", cfg.batch, 1)
    lr = as_positive("lr", cfg.lr)
    max_norm = None if cfg.max_norm is None else as_positive("max_norm", cfg.max_norm)
    n_train, n_test = as_int("n_train", cfg.n_train, 1), as_int("n_test", cfg.n_test, 1)
    # Checked before training: one member per seed, one-hot inputs over V symbols and a blank.
    params = _check_params(cell, params, {"K": len(seeds), "D": V + 1, "V": V}, members=True)
    x, y = _data(seeds, n_train, k, V, 0)
    rngs = [np.random.default_rng(s) for s in seeds]
    initial = {name: p.copy() for name, p in params.items()}
    params, opt = {name: p.copy() for name, p in params.items()}, Adam(lr=lr)
    losses, norms = np.empty((len(seeds), steps)), np.empty((len(seeds), steps))
    # The products here are tiny ((32, 16) x (16, 16) per member): a second BLAS thread
    # only adds a wait, and on a loaded machine every product waits for a free core.
    with one_thread():
        _train(cell, params, opt, x, y, rngs, batch, max_norm, truncate, losses, norms)
    x_test, y_test = _data(seeds, n_test, k, V, 1)
    acc = _accuracy(cell, params, x_test, y_test)
    return EnsembleResult(seeds, acc, losses, norms, params, initial)


@overflow_checked
def _train(cell, params, opt, x, y, rngs, batch, max_norm, truncate, losses, norms):
    """The steps of ``train_recall_from``: losses and norms (K, steps) are filled in."""
    members = np.arange(len(rngs))[:, None]
    for s in range(losses.shape[1]):
        rows = np.stack([rng.integers(0, x.shape[1], size=batch) for rng in rngs])  # (K, batch)
        losses[:, s], grads, _ = _recall_step(
            cell, params, x[members, rows], y[members, rows], truncate, need_dx=False
        )
        norms[:, s] = _member_norms(grads)
        opt.step(params, _clip(grads, norms[:, s], max_norm))


# --- The word-level language model of rnn_core.lm -----------------------------------------


class LMEnsembleResult(NamedTuple):
    """What training a language-model ensemble gives, one row per member."""

    seeds: tuple  # (K,) the members' seeds
    params: dict  # trained parameters, arrays (K, ...)
    losses: np.ndarray  # (K, epochs) mean training loss of each epoch, before each update
    valid_perplexity: np.ndarray | None  # (K, epochs) held-out perplexity, with valid_ids
    train_perplexity: np.ndarray  # (K, epochs) the end-of-epoch model on the training stream


def init_lm(seeds: Iterable[int], V: int, D: int, H: int) -> Params:
    """Initial parameters of every member: ``lm.init_lm(V, D, H, seed=s)`` for each seed.

    Examples
    --------
    >>> p = init_lm((0, 7), V=5, D=3, H=4)
    >>> p["E"].shape, bool(np.array_equal(p["Wh"][1], lm.init_lm(5, 3, 4, seed=7)["Wh"]))
    ((2, 5, 3), True)
    """
    return stack([lm.init_lm(V, D, H, seed=s) for s in _seeds(seeds)])


def _check_lm_params(params):
    """Validate an ensemble's language-model parameters; return them and (K, V, D, H)."""
    specs = {name: ("K", *spec) for name, spec in lm._SPECS.items()}
    if not isinstance(params, dict) or params.keys() != specs.keys():
        got = sorted(params) if isinstance(params, dict) else type(params).__name__
        raise ValueError(f"params: expected a dict with keys {sorted(specs)}, got {got}")
    sizes = {}
    p = {k: as_array(f"params[{k!r}]", params[k], spec, sizes) for k, spec in specs.items()}
    return p, tuple(sizes[n] for n in "KVDH")


def _lm_forward(p, inputs, h0):
    """Embedding -> RNN -> output layer for every member on the shared ids (N, T).

    Returns the embedded inputs x (K, N, T, D), the states h (K, N, T, H) and the
    logits (K, N*T, V), one row per (sequence, step).
    """
    x = p["E"][:, inputs]  # (K, N, T, D): each member's own vectors for the same ids
    h = rnn_cell._forward(x, h0, p["Wx"], p["Wh"], p["b"])
    rows = h.reshape(h.shape[0], -1, h.shape[-1])  # (K, N*T, H), a view
    return x, h, rows @ p["Wy"] + p["by"][:, None, :]


def _nll(logits, targets):
    """Each member's mean cross-entropy (K,) on the targets (N, T), and log-probabilities."""
    logp = _log_softmax(logits)  # (K, N*T, V)
    return -logp[:, np.arange(targets.size), targets.ravel()].mean(axis=-1), logp


def _embedding_grad(dx, inputs, V):
    """dL/dE (K, V, D): row v of each member sums dx over the positions that read id v.

    The ids are shared, so the scatter is one product with their one-hot matrix (V, N*T).
    At the book's sizes (K = 10, N*T = 20, D = 16, V = 23 or 79) it took 15-60 us
    against 47-117 us for np.add.at over the member axis (measured on a loaded
    machine); for vocabularies of thousands the one-hot matrix costs more than it saves.
    """
    onehot = (np.arange(V)[:, None] == inputs.ravel()).astype(float)  # (V, N*T)
    return onehot @ dx.reshape(dx.shape[0], -1, dx.shape[-1])


@overflow_checked
def _lm_step(p, inputs, targets, h0):
    """Loss (K,), gradients and last state (K, N, H) of every member on one window."""
    x, h, logits = _lm_forward(p, inputs, h0)
    loss, logp = _nll(logits, targets)
    dlogits = np.exp(logp)  # the softmax p; then p - onehot(target), averaged over N*T
    dlogits[:, np.arange(targets.size), targets.ravel()] -= 1.0
    dlogits /= targets.size
    rows = h.reshape(dlogits.shape[0], -1, h.shape[-1])  # (K, N*T, H), a view
    dh = (dlogits @ np.swapaxes(p["Wy"], -1, -2)).reshape(h.shape)  # (K, N, T, H)
    delta = rnn_cell._deltas(dh, h, p["Wh"], h.shape[-2])  # full BPTT inside the window
    cache = rnn_cell.RNNCache(x, h0, p["Wx"], p["Wh"], h)
    dx, _, dWx, dWh, db = rnn_cell.grads_from_deltas(delta, cache)
    grads = {
        "E": _embedding_grad(dx, inputs, p["E"].shape[-2]),
        "Wx": dWx,
        "Wh": dWh,
        "b": db,
        "Wy": np.swapaxes(rows, -1, -2) @ dlogits,  # (K, H, V), summed over batch and time
        "by": dlogits.sum(axis=-2),
    }
    _check_member_norms(grads, "the window's gradient")
    return loss, grads, h[..., -1, :].copy()


def lm_loss(
    params: dict[str, np.ndarray],
    inputs: ArrayLike,
    targets: ArrayLike,
    h0: ArrayLike | None = None,
) -> tuple[NDArray[np.float64], Params, NDArray[np.float64]]:
    """Each member's mean next-token cross-entropy on one window, and its gradients.

    The ensemble twin of ``lm.lm_loss``: member k of the result is that function's
    result for member k of ``params`` (and of ``h0``) on the same ids.

    Parameters
    ----------
    params : dict of str to ndarray
        Arrays (K, ...), as from :func:`init_lm`.
    inputs, targets : ndarray of int, shape (N, T)
        Token ids in ``[0, V)``, the same for every member.
    h0 : ndarray, shape (K, N, H), optional
        Each member's state entering the window (default zeros); a constant.

    Returns
    -------
    loss : ndarray, shape (K,)
        Nats per token.
    grads : dict of str to ndarray
        Same keys and shapes as ``params``.
    h_last : ndarray, shape (K, N, H)
        Each member's state after the last step.

    Examples
    --------
    >>> p = init_lm((0, 1), V=5, D=3, H=4)
    >>> loss, grads, h = lm_loss(p, np.array([[0, 1, 2]]), np.array([[1, 2, 3]]))
    >>> bool(np.all(np.abs(loss - np.log(5)) < 0.1)), grads["E"].shape, h.shape
    (True, (2, 5, 3), (2, 1, 4))
    """
    p, (K, V, _, H) = _check_lm_params(params)
    inputs, targets = (
        as_ids("inputs", inputs, V, ("N", "T")),
        as_ids("targets", targets, V, ("N", "T")),
    )
    if targets.shape != inputs.shape:
        raise ValueError(f"targets: expected shape {inputs.shape}, got shape {targets.shape}")
    h0 = np.zeros((K, inputs.shape[0], H)) if h0 is None else h0
    return _lm_step(p, inputs, targets, as_array("h0", h0, (K, inputs.shape[0], H)))


def train_lm(
    ids: ArrayLike,
    V: int,
    seeds: Iterable[int],
    *,
    D: int,
    H: int,
    k: int,
    batch: int,
    epochs: int,
    lr: float,
    max_norm: float | None,
    valid_ids: ArrayLike | None = None,
) -> LMEnsembleResult:
    """Train one language model per seed on one id stream, all at once.

    Member ``s`` starts from ``lm.init_lm(V, D, H, seed=s)`` and follows
    ``lm.train_lm(ids, V, ..., seed=s)`` window for window: the same ``batch``
    contiguous streams and windows of ``k`` steps, the state carried across
    windows but not the gradient, its own gradients clipped to its own global
    norm ``max_norm`` (None: no clipping), its own Adam moments.

    Parameters
    ----------
    ids : ndarray of int, shape (n,)
        The training stream, ids in ``[0, V)``, ``n >= batch * k + 1``; shared.
    V : int
        Vocabulary size.
    seeds : iterable of int
        One member per seed.
    D, H, k, batch, epochs, lr, max_norm
        As in ``lm.train_lm``.
    valid_ids : ndarray of int, shape (m,), optional
        A held-out stream whose perplexity is measured after every epoch.

    Returns
    -------
    LMEnsembleResult
        ``losses`` is each epoch's running mean of the window losses, each taken
        before that window's update; ``train_perplexity`` is the end-of-epoch
        model reading the whole training stream from a zero state, the number
        to compare with ``valid_perplexity``.

    Examples
    --------
    >>> ids = np.tile([0, 1, 2, 1], 10)
    >>> res = train_lm(ids, 3, (0, 1, 2), D=4, H=8, k=5, batch=2, epochs=20,
    ...                lr=0.05, max_norm=5.0, valid_ids=ids[:9])
    >>> res.losses.shape, bool(np.all(res.valid_perplexity[:, -1] < 1.5))
    ((3, 20), True)
    """
    seeds, V = _seeds(seeds), as_int("V", V, 1)
    ids = lm._as_stream("ids", ids, V, 2, "one input and one target")
    D, H, k = as_int("D", D, 1), as_int("H", H, 1), as_int("k", k, 1)
    batch, epochs = as_int("batch", batch, 1), as_int("epochs", epochs, 1)
    lr = as_positive("lr", lr)
    max_norm = None if max_norm is None else as_positive("max_norm", max_norm)
    if valid_ids is not None:
        valid_ids = lm._as_stream("valid_ids", valid_ids, V, 2, "one input and one target")
    inputs, targets = lm._batchify(ids, batch, k)
    params, opt = init_lm(seeds, V, D, H), Adam(lr=lr)
    losses, fitted = np.empty((len(seeds), epochs)), np.empty((len(seeds), epochs))
    valid = None if valid_ids is None else np.empty((len(seeds), epochs))
    with one_thread():  # tiny products, as in train_recall_from
        for epoch in range(epochs):
            losses[:, epoch] = _lm_epoch(params, opt, inputs, targets, k, max_norm)
            fitted[:, epoch] = _perplexity(params, ids, 100)
            if valid is not None:
                valid[:, epoch] = _perplexity(params, valid_ids, 100)
    return LMEnsembleResult(seeds, params, losses, valid, fitted)


def _lm_epoch(params, opt, inputs, targets, k, max_norm):
    """One pass over the streams (N, L) from a zero state: each member's mean loss (K,)."""
    K, H = params["Wh"].shape[:2]
    h, total = np.zeros((K, inputs.shape[0], H)), np.zeros(K)
    for s in range(0, inputs.shape[1], k):
        window = inputs[:, s : s + k]
        loss, grads, h = _lm_step(params, window, targets[:, s : s + k], h)
        opt.step(params, _clip(grads, _member_norms(grads), max_norm))
        total += loss * window.size  # h goes on as a constant: truncation at the edge
    return total / inputs.size


def perplexity(
    params: dict[str, np.ndarray],
    ids: ArrayLike,
    k: int = 100,
) -> NDArray[np.float64]:
    """Each member's perplexity ``exp(mean cross-entropy)`` on a held-out id stream.

    The ensemble twin of ``lm.perplexity``: every member reads the stream from a
    zero state, carrying its state across chunks of ``k`` steps (the chunking only
    bounds memory), and predicts each of the ``n - 1`` ids after the first.

    Parameters
    ----------
    params : dict of str to ndarray
        Arrays (K, ...), as from :func:`init_lm` or :func:`train_lm`.
    ids : ndarray of int, shape (n,)
        ``n >= 2``, ids in ``[0, V)``.
    k : int
        Chunk length, >= 1.

    Returns
    -------
    ndarray, shape (K,)

    Examples
    --------
    >>> ppl = perplexity(init_lm((0, 1, 2), V=6, D=3, H=4), np.array([0, 3, 5, 1, 2]))
    >>> ppl.shape, bool(np.all(np.abs(ppl - 6) < 0.5))
    ((3,), True)
    """
    p, (_, V, _, _) = _check_lm_params(params)
    ids = lm._as_stream("ids", ids, V, 2, "one input and one target")
    return _perplexity(p, ids, as_int("k", k, 1))


@overflow_checked
def _perplexity(p, ids, k):
    """:func:`perplexity` on validated arguments."""
    K, H = p["Wh"].shape[:2]
    h, total = np.zeros((K, 1, H)), np.zeros(K)
    for s in range(0, ids.size - 1, k):
        targets = ids[None, s + 1 : s + k + 1]
        inputs = ids[None, s : s + targets.shape[1]]  # the last chunk has no target past the end
        _, states, logits = _lm_forward(p, inputs, h)
        total += _nll(logits, targets)[0] * targets.size
        h = states[..., -1, :]
    _check_states(h)
    ppl = np.exp(total / (ids.size - 1))
    if not np.isfinite(ppl).all():
        bad = int(np.flatnonzero(~np.isfinite(ppl))[0])
        raise ValueError(
            f"perplexity: overflowed float64 in member {bad} (exp of a mean loss above 709 nats: "
            "the model is far from the data)"
        )
    return ppl
