"""The vanilla tanh RNN cell: one step, the time loop, and backpropagation through time.

Everything is batch-major: ``x`` has shape ``(N, T, D)`` (batch, time, input
features) and the hidden states ``h`` have shape ``(N, T, H)``. One step is

    a_t = x_t Wx + h_{t-1} Wh + b,        h_t = tanh(a_t),

and the backward pass runs the delta recursion of the BPTT chapter,

    delta_t = (dL/dh_t + delta_{t+1} Wh^T) * (1 - h_t**2),

where ``delta_t = dL/da_t`` is the gradient at the pre-activation.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._blas import one_thread_if_small
from ._checks import (
    as_array,
    as_cache,
    as_int,
    check_overflow,
    check_steps,
    overflow_checked,
)
from ._typing import Grads

__all__ = [
    "RNNCache",
    "StepCache",
    "rnn_backward",
    "rnn_forward",
    "rnn_step_backward",
    "rnn_step_forward",
]


class StepCache(NamedTuple):
    """What one step's backward pass needs from its forward pass."""

    x: np.ndarray  # (N, D)
    h_prev: np.ndarray  # (N, H)
    Wx: np.ndarray  # (D, H)
    Wh: np.ndarray  # (H, H)
    h_next: np.ndarray  # (N, H)


class RNNCache(NamedTuple):
    """What ``rnn_backward`` needs from ``rnn_forward``."""

    x: np.ndarray  # (N, T, D)
    h0: np.ndarray  # (N, H)
    Wx: np.ndarray  # (D, H)
    Wh: np.ndarray  # (H, H)
    h: np.ndarray  # (N, T, H)


def _as_rnn_cache(cache):
    """``cache`` if it is an RNNCache (what every backward pass of the tanh RNN takes)."""
    return as_cache("cache", cache, RNNCache, "an RNNCache from rnn_forward")


def _check_params(Wx, Wh, b, sizes):
    """Validate the shared weights against the sizes fixed by the inputs.

    ``Wh`` goes first, as it alone fixes H; callers check the state (``h0``,
    ``h_prev``) after the weights, so that a state whose H disagrees with all
    three weights is the argument blamed.
    """
    Wh = as_array("Wh", Wh, ("H", "H"), sizes)
    Wx = as_array("Wx", Wx, ("D", "H"), sizes)
    b = as_array("b", b, ("H",), sizes)
    return Wx, Wh, b


# Why a state of the tanh cell can fail to be finite: tanh is bounded, so only a
# pre-activation that adds +inf and -inf (NaN) gets through.
_WHY_STATE = (
    "the pre-activation x_t Wx + h_(t-1) Wh + b added +inf and -inf: x or the weights too large"
)
# Why the backward pass can overflow: the delta is multiplied by Wh^T at every step back.
_WHY_DELTA = (
    "delta_t = dL/da_t, multiplied by Wh^T diag(1 - h_t**2) at every step back: "
    "Wh too large for this many steps, or dh too large"
)
_GRADS = ("dx", "dh0", "dWx", "dWh", "db")


def _check_gradients(delta, grads, last=True, names=_GRADS, why=_WHY_DELTA):
    """Return ``grads`` if every one is finite, else raise naming what overflowed, and where.

    ``db`` (the last of ``grads``) sums every delta, so it is finite only if they
    all are: the (N, T, H) deltas are searched for the step only when it is not.
    ``last``: the deltas were computed from the last step back (see ``check_steps``);
    ``delta=None`` (one step): no step to name.
    """
    if delta is not None and not np.isfinite(grads[-1]).all():
        check_steps("delta", delta, why, last=last)
    for name, g in zip(names, grads):
        check_overflow(name, g, "a sum of products of finite deltas, inputs and states")
    return grads


@overflow_checked
def rnn_step_forward(
    x: ArrayLike,
    h_prev: ArrayLike,
    Wx: ArrayLike,
    Wh: ArrayLike,
    b: ArrayLike,
) -> tuple[NDArray[np.float64], StepCache]:
    """Run one step of the tanh RNN cell.

    Parameters
    ----------
    x : ndarray, shape (N, D)
        Inputs at this step.
    h_prev : ndarray, shape (N, H)
        Hidden state from the previous step.
    Wx : ndarray, shape (D, H)
        Input-to-hidden weights, W_xh.
    Wh : ndarray, shape (H, H)
        Hidden-to-hidden weights, W_hh.
    b : ndarray, shape (H,)
        Bias, b_h.

    Returns
    -------
    h_next : ndarray, shape (N, H)
        ``tanh(x @ Wx + h_prev @ Wh + b)``.
    cache : StepCache
        Inputs and output, for ``rnn_step_backward``.

    Examples
    --------
    >>> h, _ = rnn_step_forward(np.ones((1, 2)), np.zeros((1, 1)),
    ...                         np.array([[0.5], [0.25]]), np.eye(1), np.zeros(1))
    >>> np.round(h, 4)
    array([[0.6351]])
    """
    sizes = {}
    x = as_array("x", x, ("N", "D"), sizes)
    Wx, Wh, b = _check_params(Wx, Wh, b, sizes)
    h_prev = as_array("h_prev", h_prev, ("N", "H"), sizes)
    h_next = np.tanh(x @ Wx + h_prev @ Wh + b)  # (N, H)
    check_overflow("h_next", h_next, _WHY_STATE)
    return h_next, StepCache(x, h_prev, Wx, Wh, h_next)


@overflow_checked
def rnn_step_backward(dh_next: ArrayLike, cache: StepCache) -> Grads:
    """Backpropagate through one step of the tanh RNN cell.

    Parameters
    ----------
    dh_next : ndarray, shape (N, H)
        Gradient of the loss with respect to this step's output ``h_next``.
    cache : StepCache
        From ``rnn_step_forward``.

    Returns
    -------
    dx : ndarray, shape (N, D)
    dh_prev : ndarray, shape (N, H)
    dWx : ndarray, shape (D, H)
    dWh : ndarray, shape (H, H)
    db : ndarray, shape (H,)
        Gradients with respect to the inputs of ``rnn_step_forward``, in order.

    Examples
    --------
    >>> h, cache = rnn_step_forward(np.ones((1, 1)), np.zeros((1, 1)),
    ...                             np.ones((1, 1)), np.ones((1, 1)), np.zeros(1))
    >>> dx, dh_prev, dWx, dWh, db = rnn_step_backward(np.ones((1, 1)), cache)
    >>> bool(np.isclose(db[0], 1 - np.tanh(1.0) ** 2))
    True
    """
    x, h_prev, Wx, Wh, h_next = as_cache(
        "cache", cache, StepCache, "a StepCache from rnn_step_forward"
    )
    dh_next = as_array("dh_next", dh_next, h_next.shape)
    da = dh_next * (1.0 - h_next**2)  # (N, H), tanh'(a) = 1 - tanh(a)^2
    grads = da @ Wx.T, da @ Wh.T, x.T @ da, h_prev.T @ da, da.sum(axis=0)
    return _check_gradients(None, grads, names=("dx", "dh_prev", "dWx", "dWh", "db"))


def rnn_forward(
    x: ArrayLike,
    h0: ArrayLike,
    Wx: ArrayLike,
    Wh: ArrayLike,
    b: ArrayLike,
) -> tuple[NDArray[np.float64], RNNCache]:
    """Run the tanh RNN over a whole sequence.

    Parameters
    ----------
    x : ndarray, shape (N, T, D)
        Input sequences.
    h0 : ndarray, shape (N, H)
        Initial hidden state.
    Wx : ndarray, shape (D, H)
        Input-to-hidden weights, W_xh.
    Wh : ndarray, shape (H, H)
        Hidden-to-hidden weights, W_hh.
    b : ndarray, shape (H,)
        Bias, b_h.

    Returns
    -------
    h : ndarray, shape (N, T, H)
        Hidden states, ``h[:, t] = tanh(x[:, t] @ Wx + h[:, t-1] @ Wh + b)``
        with ``h[:, -1]`` read as ``h0`` at ``t = 0``.
    cache : RNNCache
        For ``rnn_backward``.

    Examples
    --------
    >>> h, cache = rnn_forward(np.ones((1, 3, 1)), np.zeros((1, 1)),
    ...                        np.ones((1, 1)), 0.5 * np.ones((1, 1)), np.zeros(1))
    >>> np.round(h[0, :, 0], 4)
    array([0.7616, 0.8811, 0.8938])
    """
    sizes = {}
    x = as_array("x", x, ("N", "T", "D"), sizes)
    Wx, Wh, b = _check_params(Wx, Wh, b, sizes)
    h0 = as_array("h0", h0, ("N", "H"), sizes)
    h = _forward(x, h0, Wx, Wh, b)
    if not np.isfinite(h.sum()):  # |h| <= 1: the sum is NaN iff an h is
        check_steps("h", h, _WHY_STATE)  # raises, naming the step
    return h, RNNCache(x, h0, Wx, Wh, h)


def _rows(a):
    """Batch and time flattened into rows: (..., N, T, C) -> (..., N*T, C), a view."""
    return a.reshape((*a.shape[:-3], -1, a.shape[-1]))


def _forward(x, h0, Wx, Wh, b):
    """The time loop of ``rnn_forward``, without validation: the states (..., N, T, H).

    Every argument may carry the same leading axes ``...``: one model has none, an
    ensemble of K models trained at once (``rnn_core.ensemble``) has (K,).
    """
    # All input projections x_t Wx + b as one (N*T, D) x (D, H) product (per
    # model) before the loop; the loop then turns h[..., t, :] into h_t in place.
    h = (_rows(x) @ Wx).reshape(*x.shape[:-1], -1)  # (..., N, T, H)
    h += b[..., None, None, :]
    rec = np.empty_like(h0)  # h_{t-1} Wh, one buffer reused by every step
    h_prev = h0
    with one_thread_if_small(h0, Wh):  # one product at a time: see _blas
        for t in range(x.shape[-2]):
            # Only the recurrent product must wait for the previous step.
            h_t = h[..., t, :]
            h_t += np.matmul(h_prev, Wh, out=rec)
            np.tanh(h_t, out=h_t)
            h_prev = h_t
    return h


def rnn_backward(
    dh: ArrayLike,
    cache: RNNCache,
    truncate: int | None = None,
) -> Grads:
    """Backpropagation through time for the tanh RNN.

    Parameters
    ----------
    dh : ndarray, shape (N, T, H)
        Upstream gradient ``dL/dh_t`` on every hidden state (zeros where a
        step carries no loss).
    cache : RNNCache
        From ``rnn_forward``.
    truncate : int or None
        Truncated BPTT: the sequence is cut into windows of ``truncate`` steps
        starting at ``t = 0``, and no gradient crosses a window boundary (the
        state entering a window is treated as a constant; ``h0`` still gets the
        gradient of the first window). ``None`` backpropagates through all steps.

    Returns
    -------
    dx : ndarray, shape (N, T, D)
    dh0 : ndarray, shape (N, H)
    dWx : ndarray, shape (D, H)
    dWh : ndarray, shape (H, H)
    db : ndarray, shape (H,)
        Gradients with respect to the inputs of ``rnn_forward``, in order.

    Examples
    --------
    >>> h, cache = rnn_forward(np.ones((1, 2, 1)), np.zeros((1, 1)),
    ...                        np.ones((1, 1)), np.ones((1, 1)), np.zeros(1))
    >>> grads = rnn_backward(np.ones((1, 2, 1)), cache)
    >>> [g.shape for g in grads]
    [(1, 2, 1), (1, 1), (1, 1), (1, 1), (1,)]
    """
    cache = _as_rnn_cache(cache)
    Wh, h = cache.Wh, cache.h
    N, T, H = h.shape
    dh = as_array("dh", dh, (N, T, H))
    k = T if truncate is None else as_int("truncate", truncate, 1)
    delta = _deltas(dh, h, Wh, k)
    grads = grads_from_deltas(delta, cache)
    return _check_gradients(delta, grads)  # raises if one overflowed


def grads_from_deltas(delta, cache, dh0=None, need_dx=True):
    """Every gradient of ``rnn_backward`` once every ``delta_t = dL/da_t`` is known.

    With all the deltas in hand, the weight gradients are single matrix products
    summed over batch and time at once: (N, T) flattened into N*T rows. Truncated
    and slipped backward passes share this step and differ only in their deltas.

    Parameters
    ----------
    delta : ndarray, shape (..., N, T, H)
    cache : RNNCache
        From the forward pass; may carry the same leading axes as ``delta``.
    dh0 : ndarray, shape (..., N, H), optional
        The gradient on ``h0``; default ``delta_1 Wh^T``, what full BPTT sends there.
    need_dx : bool
        False leaves out ``dx`` (None in its place), for training loops that update
        only the weights: at chapter 5's sizes its product costs as much as ``dWh``.

    Returns
    -------
    dx, dh0, dWx, dWh, db
        As ``rnn_backward``, with the leading axes of ``delta``.
    """
    x, h0, Wx, Wh, h = cache
    rows = _rows(delta)  # (..., N*T, H)
    # h_{t-1} for every step: (..., N, T, H)
    h_prev = np.concatenate([h0[..., None, :], h[..., :-1, :]], axis=-2)
    dWh = _rows(h_prev).mT @ rows  # .mT: the transpose of the last two axes
    del h_prev  # freed before dx exists: a lower peak of memory
    dWx = _rows(x).mT @ rows
    dx = (rows @ Wx.mT).reshape(x.shape) if need_dx else None
    if dh0 is None:
        dh0 = delta[..., 0, :] @ Wh.mT
    # 1^T rows as a product: rows.sum(axis=-2) adds one row of H at a time,
    # 5 times slower for one model at chapter 5's sizes, 7 times for ten.
    ones = np.ones(rows.shape[-2])
    return dx, dh0, dWx, dWh, ones @ rows


def _deltas(dh, h, Wh, k):
    """Run the delta recursion from the last step back to the first:

    ``delta_t = (dh_t + delta_{t+1} Wh^T) * (1 - h_t**2)``, t = T-1, ..., 0.

    ``k`` is the truncation window: the recurrent term is dropped where step
    ``t + 1`` starts a new window. Every argument may carry the same leading
    (model) axes, as in ``_forward``.
    """
    # tanh'(a_t) = 1 - h_t**2 for all steps at once, in place (a bare
    # 1.0 - h * h allocates twice); the loop multiplies it into delta_t.
    delta = h * h  # (..., N, T, H)
    np.subtract(1.0, delta, out=delta)
    carry = np.zeros_like(dh[..., 0, :])  # delta_{t+1} Wh^T, 0 past the end
    # Wh^T as a contiguous copy: OpenBLAS multiplies by a transposed
    # view more slowly (7.8 against 4.7 ms for the large benchmark's
    # 200 products on one thread).
    WhT = np.ascontiguousarray(Wh.mT)
    with one_thread_if_small(carry, Wh):  # one product at a time: see _blas
        for t in range(dh.shape[-2] - 1, -1, -1):
            carry += dh[..., t, :]  # now dL/dh_t = dh_t + delta_{t+1} Wh^T
            d_t = delta[..., t, :]
            d_t *= carry  # in place: delta_t = dL/dh_t * (1 - h_t**2)
            if t % k == 0:  # step t opens a window: nothing flows to h_{t-1}
                carry.fill(0.0)
            else:
                np.matmul(d_t, WhT, out=carry)
    return delta


# The book shows rnn_backward's code (literalinclude from its def line), so these two
# are wrapped here rather than decorated: numpy's warnings on overflow are silenced,
# as in every function that reports overflow itself (_check_gradients).
rnn_forward = overflow_checked(rnn_forward)
rnn_backward = overflow_checked(rnn_backward)
