"""A minimal GRU (Cho et al., 2014), in the form of Dive into Deep Learning.

Batch-major like ``cell``: ``x`` has shape ``(N, T, D)``, the hidden states
``h`` have shape ``(N, T, H)``. One step is

    z_t = sigmoid(x_t Wxz + h_{t-1} Whz + bz)              update gate
    r_t = sigmoid(x_t Wxr + h_{t-1} Whr + br)              reset gate
    n_t = tanh(x_t Wxn + (r_t * h_{t-1}) Whn + bn)         candidate state
    h_t = z_t * h_{t-1} + (1 - z_t) * n_t,

with the parameters packed in column blocks z | r | n: ``Wx`` (D, 3H), ``Wh``
(H, 3H), ``b`` (3H,). The reset gate multiplies ``h_{t-1}`` before ``Whn``, so
the candidate's recurrent product cannot be fused with those of z and r.

There is no separate cell state: ``h`` itself is updated additively, and
along the direct path ``h_{t-1} -> h_t`` the Jacobian is ``diag(z_t)``, so an
update gate near 1 carries the gradient across many steps, as the forget
gate does for the LSTM's cell state.

The time-loop kernels ``_forward`` and ``_backward`` also accept any extra
leading axes shared by every argument, for example a seed axis ``(K,)`` that
trains K independent models at once; they sum over batch and time only.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import expit

from ._blas import one_thread_for
from ._checks import as_array, as_cache, check_overflow, check_steps, overflow_checked
from ._layout import _blocks, _inputs, _mm, _public, _steps, _summed_outer
from ._typing import Grads
from .cell import _check_gradients
from .lstm import _check as _check_lstm

__all__ = [
    "GRUCache",
    "GRUStepCache",
    "gru_backward",
    "gru_forward",
    "gru_step_backward",
    "gru_step_forward",
    "update_path_gradient",
]


class GRUStepCache(NamedTuple):
    """What one step's backward pass needs from its forward pass."""

    x: np.ndarray  # (N, D)
    h_prev: np.ndarray  # (N, H)
    Wx: np.ndarray  # (D, 3H)
    Wh: np.ndarray  # (H, 3H)
    gates: np.ndarray  # (N, 3H), activated: z | r | n


class GRUCache(NamedTuple):
    """What ``gru_backward`` (and ``update_path_gradient``) need from ``gru_forward``."""

    x: np.ndarray  # (N, T, D)
    h0: np.ndarray  # (N, H)
    Wx: np.ndarray  # (D, 3H)
    Wh: np.ndarray  # (H, 3H)
    h: np.ndarray  # (N, T, H)
    gates: np.ndarray  # (N, T, 3H), activated: z | r | n


def _check(x_name, x, x_spec, h_name, h, Wx, Wh, b):
    """Validate an input, the weights and a state, as the LSTM's with three gate blocks:
    ``Wh`` (H, 3H) fixes H, and the state, checked last, is blamed for a wrong H."""
    return _check_lstm(x_name, x, x_spec, h_name, h, Wx, Wh, b, G=3)


def _check_cache(cache, kind, producer):
    """Raise ``ValueError`` unless ``cache`` is a ``kind`` (the NamedTuple ``producer`` returns)."""
    return as_cache("cache", cache, kind, f"a {kind.__name__} from {producer}")


# The GRU's state is a convex combination of h_(t-1) and a tanh, so it stays bounded:
# a state that is not finite comes from a pre-activation that added +inf and -inf.
_WHY_STATE = (
    "a gate pre-activation x_t Wx + h_(t-1) Wh + b added +inf and -inf: x or the weights too large"
)
# Why the backward pass can overflow: the gate deltas are carried back through Wh^T.
_WHY_DELTA = (
    "da_t = dL/da_t of the three blocks, carried back through Wh^T at every step: "
    "Wh too large for this many steps, or dh too large"
)


def _cell(a, h_prev, WnT, h, rh, rec):
    """One step from its pre-activations, with features first, every result written in place.

    ``a`` (3H, ...) holds the whole pre-activations of z and r and the input part of n,
    ``x_t Wxn + bn``; it becomes the activated gates z | r | n. ``h`` (H, ...) receives h_t;
    ``rh`` and ``rec`` are work space. ``WnT`` is ``Whn^T`` (..., H, H).
    """
    H = h.shape[0]
    expit(a[: 2 * H], out=a[: 2 * H])  # z, r = sigmoid(a_z, a_r)
    z, r, n = _blocks(a, H)
    n += _mm(WnT, np.multiply(r, h_prev, out=rh), out=rec)  # reset before Whn: needs r first
    np.tanh(n, out=n)
    np.multiply(z, h_prev, out=h)
    np.subtract(1.0, z, out=rh)
    h += np.multiply(rh, n, out=rh)  # h_t = z * h_{t-1} + (1 - z) * n


def _stacked(Wx, Wh, b=None):
    """``[Wx; b; Wh']`` (..., D+1+H, 3H), or ``[Wx; Wh']`` without ``b``, for the concatenated form.

    ``Wh'`` is ``Wh`` with its n block zero: the candidate's recurrent product needs r_t
    first (it multiplies ``r_t * h_{t-1}``), so it is not part of the step's one product.
    """
    H = Wh.shape[-2]
    Wh_zr = np.concatenate([Wh[..., : 2 * H], np.zeros_like(Wh[..., 2 * H :])], axis=-1)
    rows = [Wx] if b is None else [Wx, b[..., None, :]]
    return np.concatenate([*rows, Wh_zr], axis=-2)


@overflow_checked
def gru_step_forward(
    x: ArrayLike,
    h_prev: ArrayLike,
    Wx: ArrayLike,
    Wh: ArrayLike,
    b: ArrayLike,
) -> tuple[NDArray[np.float64], GRUStepCache]:
    """Run one step of the GRU.

    Parameters
    ----------
    x : ndarray, shape (N, D)
        Inputs at this step.
    h_prev : ndarray, shape (N, H)
        Hidden state from the previous step.
    Wx : ndarray, shape (D, 3H)
        Input weights, in column blocks z | r | n (update, reset, candidate).
    Wh : ndarray, shape (H, 3H)
        Recurrent weights, same blocks; the n block multiplies ``r * h_prev``.
    b : ndarray, shape (3H,)
        Biases, same blocks.

    Returns
    -------
    h : ndarray, shape (N, H)
        New hidden state ``z * h_prev + (1 - z) * n``.
    cache : GRUStepCache

    Examples
    --------
    >>> h, _ = gru_step_forward(np.ones((1, 1)), np.ones((1, 1)),
    ...                         np.zeros((1, 3)), np.zeros((1, 3)), np.zeros(3))
    >>> h  # z = 1/2, n = tanh(0) = 0: h = h_prev / 2
    array([[0.5]])
    """
    x, h_prev, Wx, Wh, b = _check("x", x, ("N", "D"), "h_prev", h_prev, Wx, Wh, b)
    H = h_prev.shape[-1]
    gates = x @ Wx + b  # (N, 3H), completed and activated in place by _cell
    gates[:, : 2 * H] += h_prev @ Wh[:, : 2 * H]
    h, rh, rec = np.empty_like(h_prev), np.empty_like(h_prev), np.empty_like(h_prev)
    _cell(gates.T, h_prev.T, Wh[:, 2 * H :].T, h.T, rh.T, rec.T)  # _cell takes features first
    check_overflow("h", h, _WHY_STATE)
    return h, GRUStepCache(x, h_prev, Wx, Wh, gates)


def _gate_deltas(dh, gates, h_prev, Wh):
    """One step of the backward recursion.

    From ``dh = dL/dh_t`` (..., N, H), return ``da = dL/da_t`` (..., N, 3H) at
    the pre-activations z | r | n and ``dL/dh_{t-1}`` (..., N, H).
    """
    H = h_prev.shape[-1]
    z, r, n = gates[..., :H], gates[..., H : 2 * H], gates[..., 2 * H :]
    da_n = dh * (1.0 - z) * (1.0 - n**2)  # tanh' = 1 - tanh^2
    drh = da_n @ np.swapaxes(Wh[..., :, 2 * H :], -1, -2)  # dL/d(r * h_prev), (..., N, H)
    da = np.concatenate(
        [
            dh * (h_prev - n) * z * (1.0 - z),  # dh/dz = h_prev - n; sigmoid' = s (1 - s)
            drh * h_prev * r * (1.0 - r),
            da_n,
        ],
        axis=-1,
    )
    # Three paths to h_{t-1}: direct (z), through r * h_prev, through the z and r gates.
    dh_prev = dh * z + drh * r + da[..., : 2 * H] @ np.swapaxes(Wh[..., :, : 2 * H], -1, -2)
    return da, dh_prev


def _param_grads(x, h_prev, gates, da):
    """``dWx``, ``dWh`` and ``db`` summed over the rows of (..., M, .) arrays.

    A row is one sequence at one step: M = N for a step, N*T for a sequence.
    """
    H = h_prev.shape[-1]
    rh = gates[..., H : 2 * H] * h_prev  # (..., M, H), what Whn multiplied
    dWh = np.concatenate(
        [
            np.swapaxes(h_prev, -1, -2) @ da[..., : 2 * H],
            np.swapaxes(rh, -1, -2) @ da[..., 2 * H :],
        ],
        axis=-1,
    )  # (..., H, 3H)
    return np.swapaxes(x, -1, -2) @ da, dWh, da.sum(axis=-2)


@overflow_checked
def gru_step_backward(dh: ArrayLike, cache: GRUStepCache) -> Grads:
    """Backpropagate through one GRU step.

    Parameters
    ----------
    dh : ndarray, shape (N, H)
        Gradient of the loss with respect to this step's ``h``.
    cache : GRUStepCache
        From ``gru_step_forward``.

    Returns
    -------
    dx : ndarray, shape (N, D)
    dh_prev : ndarray, shape (N, H)
    dWx : ndarray, shape (D, 3H)
    dWh : ndarray, shape (H, 3H)
    db : ndarray, shape (3H,)
        Gradients with respect to the inputs of ``gru_step_forward``, in order.

    Examples
    --------
    >>> _, cache = gru_step_forward(np.ones((1, 1)), np.ones((1, 1)),
    ...                             np.zeros((1, 3)), np.zeros((1, 3)), np.zeros(3))
    >>> gru_step_backward(np.ones((1, 1)), cache)[1]  # with Wh = 0 only the direct path, z
    array([[0.5]])
    """
    _check_cache(cache, GRUStepCache, "gru_step_forward")
    x, h_prev, Wx, Wh, gates = cache
    dh = as_array("dh", dh, h_prev.shape)
    da, dh_prev = _gate_deltas(dh, gates, h_prev, Wh)
    grads = (da @ Wx.T, dh_prev, *_param_grads(x, h_prev, gates, da))
    return _check_gradients(None, grads, names=("dx", "dh_prev", "dWx", "dWh", "db"))


def _forward(x, h0, Wx, Wh, b):
    """The time loop of ``gru_forward``, unvalidated: states (..., N, T, H), gates (..., N, T, 3H).

    Every argument may carry the same extra leading axes ``(...)``: x (..., N, T, D),
    h0 (..., N, H), Wx (..., D, 3H), Wh (..., H, 3H), b (..., 3H). The results are views
    of the loop's buffers (see ``_layout``).
    """
    T, D, H = x.shape[-2], x.shape[-1], h0.shape[-1]
    z = _inputs(x, h0, T + 1)  # the loop writes h_t into z_{t+1}
    WT = np.swapaxes(_stacked(Wx, Wh, b), -1, -2)  # (..., 3H, D+1+H)
    WnT = np.swapaxes(Wh[..., 2 * H :], -1, -2)
    gates = np.empty((T, 3 * H, *z.shape[2:]))
    rh, rec = np.empty_like(z[0, :H]), np.empty_like(z[0, :H])
    with one_thread_for(WT.shape[-2] * WT.shape[-1] * h0.shape[-2]):  # the loop's products
        for t in range(T):
            a_t = _mm(WT, z[t], out=gates[t])  # all of a_z, a_r; x_t Wxn + bn of a_n
            _cell(a_t, z[t, D + 1 :], WnT, z[t + 1, D + 1 :], rh, rec)
    return _public(z[1:, D + 1 :]), _public(gates)


@overflow_checked
def gru_forward(
    x: ArrayLike,
    h0: ArrayLike,
    Wx: ArrayLike,
    Wh: ArrayLike,
    b: ArrayLike,
) -> tuple[NDArray[np.float64], GRUCache]:
    """Run the GRU over a whole sequence from ``h0``.

    Parameters
    ----------
    x : ndarray, shape (N, T, D)
    h0 : ndarray, shape (N, H)
    Wx : ndarray, shape (D, 3H)
    Wh : ndarray, shape (H, 3H)
    b : ndarray, shape (3H,)
        As in ``gru_step_forward``.

    Returns
    -------
    h : ndarray, shape (N, T, H)
        Hidden states ``h_1 .. h_T``.
    cache : GRUCache
        Holds every state and gate, for ``gru_backward``.

    Examples
    --------
    >>> h, cache = gru_forward(np.ones((2, 3, 1)), np.ones((2, 1)),
    ...                        np.zeros((1, 3)), np.zeros((1, 3)), np.zeros(3))
    >>> h[0, :, 0], cache.gates.shape  # z = 1/2 and n = 0 halve h at every step
    (array([0.5  , 0.25 , 0.125]), (2, 3, 3))
    """
    x, h0, Wx, Wh, b = _check("x", x, ("N", "T", "D"), "h0", h0, Wx, Wh, b)
    h, gates = _forward(x, h0, Wx, Wh, b)
    if not np.isfinite(h.sum()):  # bounded states: the sum is NaN iff an h is
        check_steps("h", h, _WHY_STATE)
    return h, GRUCache(x, h0, Wx, Wh, h, gates)


def _backward(dh, x, h0, Wx, Wh, h, gates):
    """The backward pass of ``gru_backward``, unvalidated; the leading axes of ``_forward``.

    Returns ``dx, dh0, dWx, dWh, db``, summed over batch and time only.
    """
    return _grads_and_deltas(dh, x, h0, Wx, Wh, h, gates)[0]


def _grads_and_deltas(dh, x, h0, Wx, Wh, h, gates):
    """``(dx, dh0, dWx, dWh, db)`` and the deltas ``dL/da_t`` (..., N, T, 3H), a view."""
    T, D, H = x.shape[-2], x.shape[-1], h0.shape[-1]
    h, gates = _steps(h), _steps(gates)  # (T, ., ..., N), contiguous from _forward
    z = _inputs(x, h0, T)
    z[1:, D + 1 :] = h[:-1]
    h_prev = z[:, D + 1 :]
    Wxh = _stacked(Wx, Wh)  # (..., D+H, 3H)
    with one_thread_for(Wxh.shape[-2] * 3 * H * h0.shape[-2]):  # the loop's largest product
        da, dz = _recursion(_steps(dh), h_prev, gates, Wxh, Wh[..., 2 * H :])
    # With every da_t known: dW = sum_t z_t^T da_t for [Wx; b; Wh'], and Whn's own sum.
    dW = _summed_outer(z, da)  # (..., D+1+H, 3H); its rows h x columns n are not used
    dWn = _summed_outer(gates[:, H : 2 * H] * h_prev, da[:, 2 * H :])  # r_t * h_{t-1}
    dWh = np.concatenate([dW[..., D + 1 :, : 2 * H], dWn], axis=-1)
    dx, dh0 = _public(dz[:T, :D]), np.moveaxis(dz[0, D:], 0, -1)
    return (dx, dh0, dW[..., :D, :], dWh, dW[..., D, :]), _public(da)


def _recursion(dh, h_prev, gates, Wxh, Wn):
    """The backward recursion, from the last step to the first.

    Arrays have the loops' axes (T, C, ..., N). Returns every ``da_t = dL/da_t``
    (T, 3H, ..., N) and ``dz`` (T+1, D+H, ..., N) whose rows hold ``dL/dx_t`` and
    ``dL/dh_{t-1}`` (0 at t = T).
    """
    T, H = gates.shape[0], h_prev.shape[1]
    da = np.empty_like(gates)
    dz = np.empty((T + 1, Wxh.shape[-2], *h_prev.shape[2:]))
    dz[-1] = 0.0
    dh_t, drh, work = np.empty_like(h_prev[0]), np.empty_like(h_prev[0]), np.empty_like(h_prev[0])
    for t in range(T - 1, -1, -1):
        np.add(dh[t], dz[t + 1, -H:], out=dh_t)  # dL/dh_t: its own loss + what h_{t+1} sends
        _step_deltas(dh_t, gates[t], h_prev[t], Wn, da[t], drh, work)
        _mm(Wxh, da[t], out=dz[t])  # dL/dx_t, and the paths to h_{t-1} through z and r
        z_t, r_t = gates[t, :H], gates[t, H : 2 * H]
        dz[t, -H:] += np.multiply(dh_t, z_t, out=work)  # the direct path, times z
        dz[t, -H:] += np.multiply(drh, r_t, out=work)  # the path through r * h_{t-1}
    return da, dz


def _step_deltas(dh, gates, h_prev, Wn, da, drh, work):
    """One step of the backward recursion, with features first, every result in place.

    From ``dh = dL/dh_t`` (H, ...), write ``da = dL/da_t`` (3H, ...) at the pre-activations
    z | r | n and ``drh = dL/d(r_t * h_{t-1})``; ``Wn`` is ``Whn`` (..., H, H).
    """
    H = dh.shape[0]
    z, r, n = _blocks(gates, H)
    da_z, da_r, da_n = _blocks(da, H)
    np.subtract(1.0, z, out=work)
    np.subtract(1.0, np.multiply(n, n, out=da_n), out=da_n)  # tanh' = 1 - n^2
    da_n *= work  # dh/da_n = (1 - z) tanh'
    da_n *= dh
    _mm(Wn, da_n, out=drh)  # dL/d(r * h_{t-1}) = da_n Whn^T, as columns
    work *= z  # sigmoid' = z (1 - z)
    np.subtract(h_prev, n, out=da_z)  # dh/dz = h_{t-1} - n
    da_z *= work
    da_z *= dh
    np.subtract(1.0, r, out=da_r)
    da_r *= r  # sigmoid' = r (1 - r)
    da_r *= h_prev
    da_r *= drh


@overflow_checked
def gru_backward(dh: ArrayLike, cache: GRUCache) -> Grads:
    """Backpropagation through time for the GRU.

    Parameters
    ----------
    dh : ndarray, shape (N, T, H)
        Upstream gradient ``dL/dh_t`` on every hidden state (zeros where a step
        carries no loss).
    cache : GRUCache
        From ``gru_forward``.

    Returns
    -------
    dx : ndarray, shape (N, T, D)
    dh0 : ndarray, shape (N, H)
    dWx : ndarray, shape (D, 3H)
    dWh : ndarray, shape (H, 3H)
    db : ndarray, shape (3H,)
        Gradients with respect to the inputs of ``gru_forward``, in order.

    Examples
    --------
    >>> _, cache = gru_forward(np.ones((1, 2, 1)), np.zeros((1, 1)),
    ...                        np.ones((1, 3)), np.ones((1, 3)), np.zeros(3))
    >>> [g.shape for g in gru_backward(np.ones((1, 2, 1)), cache)]
    [(1, 2, 1), (1, 1), (1, 3), (1, 3), (3,)]
    """
    _check_cache(cache, GRUCache, "gru_forward")
    dh = as_array("dh", dh, cache.h.shape)
    grads, da = _grads_and_deltas(dh, *cache)
    return _check_gradients(da, grads, why=_WHY_DELTA)  # raises if one overflowed


def update_path_gradient(cache: GRUCache) -> NDArray[np.float64]:
    """How much gradient the direct path ``h_{t-1} -> h_t`` alone carries back from the last step.

    With the gates and the candidate held fixed, ``dh_t / dh_{t-1} = diag(z_t)``, so

        dh_T / dh_{T-k} (direct path only) = z_{T-k+1} * ... * z_T,   elementwise,

    a product of update gates in (0, 1) with no weight matrix in it. This is
    the direct path only: the full Jacobian adds the paths through the gates
    and the candidate, which depend on ``h_{t-1}`` through ``Wh``
    (``gru_backward`` computes those).

    Parameters
    ----------
    cache : GRUCache
        From ``gru_forward`` on T steps.

    Returns
    -------
    ndarray, shape (T,)
        Entry ``k`` is the mean over batch and units of that product, for
        ``k = 0 .. T-1`` (``k = 0`` is the empty product, 1). A cache with leading
        model axes (an ensemble's, ``rnn_core.ensemble.run``) gives shape (..., T).

    Examples
    --------
    >>> _, cache = gru_forward(np.zeros((1, 3, 1)), np.zeros((1, 1)),
    ...                        np.zeros((1, 3)), np.zeros((1, 3)), np.zeros(3))
    >>> update_path_gradient(cache)  # every update gate is sigmoid(0) = 1/2
    array([1.  , 0.5 , 0.25])
    """
    _check_cache(cache, GRUCache, "gru_forward")
    H = cache.h.shape[-1]
    z = cache.gates[..., :H]  # (..., N, T, H)
    # Products of the last 1, 2, ..., T-1 update gates, read from the end backwards.
    tail = np.cumprod(z[..., :0:-1, :], axis=-2)  # (..., N, T-1, H): z_T, z_T z_{T-1}, ...
    empty = np.ones((*tail.shape[:-3], 1))  # k = 0: the empty product
    return np.concatenate([empty, tail.mean(axis=(-3, -1))], axis=-1)
