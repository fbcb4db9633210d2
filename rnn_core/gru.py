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

from typing import NamedTuple

import numpy as np

from ._checks import as_array, as_cache, check_overflow, check_steps, overflow_checked
from .cell import _check_gradients
from .lstm import _check as _check_lstm
from .lstm import _sigmoid

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


def _cell(a, h_prev, Wh):
    """New state from the input projection ``a = x Wx + b`` (..., N, 3H).

    ``a`` is overwritten with the activated gates z | r | n. Leading axes of
    ``a``, ``h_prev`` (..., N, H) and ``Wh`` (..., H, 3H) broadcast as in matmul.
    """
    H = h_prev.shape[-1]
    zr, an = a[..., : 2 * H], a[..., 2 * H :]  # views into a
    zr += h_prev @ Wh[..., :, : 2 * H]  # z and r share one recurrent product
    zr[...] = _sigmoid(zr)
    z, r = zr[..., :H], zr[..., H:]
    an += (r * h_prev) @ Wh[..., :, 2 * H :]  # reset before Whn: needs r first
    np.tanh(an, out=an)
    return z * h_prev + (1.0 - z) * an


@overflow_checked
def gru_step_forward(x, h_prev, Wx, Wh, b):
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
    gates = x @ Wx + b  # (N, 3H), completed and activated in place by _cell
    h = _cell(gates, h_prev, Wh)
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
def gru_step_backward(dh, cache):
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
    h0 (..., N, H), Wx (..., D, 3H), Wh (..., H, 3H), b (..., 3H).
    """
    # Every step's input projection in one product; Wx and b get axes for N (and T).
    gates = x @ Wx[..., None, :, :] + b[..., None, None, :]  # (..., N, T, 3H)
    h = np.empty(gates.shape[:-1] + h0.shape[-1:])  # (..., N, T, H)
    h_prev = h0
    for t in range(x.shape[-2]):
        # Only the recurrent products wait for the previous step.
        h_prev = _cell(gates[..., t, :], h_prev, Wh)
        h[..., t, :] = h_prev
    return h, gates


@overflow_checked
def gru_forward(x, h0, Wx, Wh, b):
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


def _rows(a):
    """Batch and time flattened into rows: (..., N, T, C) -> (..., N*T, C)."""
    return a.reshape((*a.shape[:-3], -1, a.shape[-1]))


def _backward(dh, x, h0, Wx, Wh, h, gates):
    """The backward pass of ``gru_backward``, unvalidated; the leading axes of ``_forward``.

    Returns ``dx, dh0, dWx, dWh, db``, summed over batch and time only.
    """
    da, dh0, h_prev = _deltas(dh, h0, Wh, h, gates)
    return _grads(da, dh0, h_prev, x, Wx, gates)


def _deltas(dh, h0, Wh, h, gates):
    """The deltas ``da`` (..., N, T, 3H) from the last step back, dL/dh0, and h_{t-1}."""
    T = h.shape[-2]
    h_prev = np.concatenate([h0[..., None, :], h[..., :-1, :]], axis=-2)  # (..., N, T, H)
    da = np.empty_like(gates)  # (..., N, T, 3H)
    dh_carry = np.zeros_like(h0)  # nothing flows back from after the last step
    for t in range(T - 1, -1, -1):
        da[..., t, :], dh_carry = _gate_deltas(
            dh[..., t, :] + dh_carry, gates[..., t, :], h_prev[..., t, :], Wh
        )
    return da, dh_carry, h_prev


def _grads(da, dh0, h_prev, x, Wx, gates):
    """dx, dh0, dWx, dWh, db: with every da known, single products over batch and time."""
    grads = _param_grads(_rows(x), _rows(h_prev), _rows(gates), _rows(da))
    return (da @ np.swapaxes(Wx, -1, -2)[..., None, :, :], dh0, *grads)


@overflow_checked
def gru_backward(dh, cache):
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
    da, dh0, h_prev = _deltas(dh, cache.h0, cache.Wh, cache.h, cache.gates)
    grads = _grads(da, dh0, h_prev, cache.x, cache.Wx, cache.gates)
    return _check_gradients(da, grads, why=_WHY_DELTA)


def update_path_gradient(cache):
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
