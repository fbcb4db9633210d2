"""A minimal LSTM (Hochreiter and Schmidhuber, 1997, with the forget gate of Gers et al., 2000).

Batch-major like ``cell``: ``x`` has shape ``(N, T, D)``, the hidden states
``h`` and cell states ``c`` have shape ``(N, T, H)``. One step is

    a_t = x_t Wx + h_{t-1} Wh + b                    (N, 4H), blocks i | f | o | g
    i_t, f_t, o_t = sigmoid(a_i), sigmoid(a_f), sigmoid(a_o),    g_t = tanh(a_g)
    c_t = f_t * c_{t-1} + i_t * g_t,                 h_t = o_t * tanh(c_t).

The cell state is updated additively: along the path ``c_{t-1} -> c_t`` the
Jacobian is the diagonal ``diag(f_t)``, with no weight matrix and no squashing
derivative, so a forget gate near 1 carries the gradient across many steps.
The backward pass runs two coupled recursions, one for ``dL/dh_t`` and one
for ``dL/dc_t``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import expit

from ._blas import one_thread_for
from ._checks import (
    as_array,
    as_cache,
    as_real,
    check_overflow,
    check_shape,
    check_steps,
    overflow_checked,
)
from ._layout import _blocks, _inputs, _mm, _public, _steps, _summed_outer
from ._typing import Grads
from .cell import _check_gradients

_TINY = np.finfo(np.float64).tiny  # the smallest normal float64

__all__ = [
    "LSTMCache",
    "LSTMStepCache",
    "cell_path_gradient",
    "lstm_backward",
    "lstm_forward",
    "lstm_step_backward",
    "lstm_step_forward",
    "sigmoid",
]


_CACHE = "an LSTMCache from lstm_forward"


class LSTMStepCache(NamedTuple):
    """What one step's backward pass needs from its forward pass."""

    x: np.ndarray  # (N, D)
    h_prev: np.ndarray  # (N, H)
    c_prev: np.ndarray  # (N, H)
    Wx: np.ndarray  # (D, 4H)
    Wh: np.ndarray  # (H, 4H)
    gates: np.ndarray  # (N, 4H), activated: i | f | o | g
    c: np.ndarray  # (N, H)


class LSTMCache(NamedTuple):
    """What ``lstm_backward`` (and ``cell_path_gradient``) need from ``lstm_forward``."""

    x: np.ndarray  # (N, T, D)
    h0: np.ndarray  # (N, H)
    Wx: np.ndarray  # (D, 4H)
    Wh: np.ndarray  # (H, 4H)
    h: np.ndarray  # (N, T, H)
    c: np.ndarray  # (N, T, H), c_0 = 0 is not stored
    gates: np.ndarray  # (N, T, 4H), activated: i | f | o | g


def sigmoid(z: ArrayLike) -> NDArray[np.float64]:
    """Logistic function ``1 / (1 + exp(-z))``, exact in both limits.

    ``scipy.special.expit`` evaluates exactly this formula, in one pass. For ``z``
    below about -709, ``exp(-z)`` overflows to inf and ``1 / inf`` is 0, the exact
    limit, so no branch on the sign of ``z`` is needed (and no warning is raised).

    Parameters
    ----------
    z : array_like, shape (...)
        Finite values, any shape (a scalar too).

    Returns
    -------
    ndarray, the shape of ``z``

    Examples
    --------
    >>> sigmoid(np.array([-1000.0, 0.0, 1000.0]))
    array([0. , 0.5, 1. ])
    """
    return _sigmoid(as_real("z", z, nonempty=True))


def _sigmoid(z):
    """``sigmoid`` on a validated float array (the gates' in the step functions, the cliff's)."""
    return expit(z)


def _check(x_name, x, x_spec, h_name, h, Wx, Wh, b, G=4):
    """Validate an input, the weights of ``G`` gate blocks and a state.

    ``Wh`` (H, G H) fixes H; the state is checked last, so that a state whose H
    disagrees with all three weights is the argument blamed. (The GRU, G = 3, shares it.)
    """
    sizes = {}
    x = as_array(x_name, x, x_spec, sizes)
    Wh = as_real("Wh", Wh, finite=False)
    check_shape("Wh", Wh.shape, ("H", f"{G}H"))  # the number of dimensions, before reading H
    H = sizes["H"] = Wh.shape[0]
    Wh = as_array("Wh", Wh, (H, G * H))
    Wx = as_array("Wx", Wx, (sizes["D"], G * H))
    b = as_array("b", b, (G * H,))
    h = as_array(h_name, h, ("N", "H"), sizes)
    return x, h, Wx, Wh, b


# The LSTM's states are bounded (|h| <= 1, |c_t| <= t), so a state that is not
# finite comes from a pre-activation that added +inf and -inf.
# Why the backward pass can: the gate deltas are carried back through Wh^T at every step.
_WHY_DELTA = (
    "da_t = dL/da_t of the four gates, carried back through Wh^T at every step: "
    "Wh too large for this many steps, or dh too large"
)
_WHY_STATE = (
    "a gate pre-activation x_t Wx + h_(t-1) Wh + b added +inf and -inf: x or the weights too large"
)


def _cell(a, c_prev, c, tanh_c, h):
    """One step from its pre-activations, with features first, every result written in place.

    ``a`` (4H, ...) becomes the activated gates i | f | o | g; ``c``, ``tanh_c`` and
    ``h`` (H, ...) receive c_t, tanh(c_t) and h_t. No pass allocates memory.
    """
    H = c.shape[0]
    expit(a[: 3 * H], out=a[: 3 * H])  # i, f, o = sigmoid(a_i, a_f, a_o)
    i, f, o, g = _blocks(a, H)
    np.tanh(g, out=g)
    np.multiply(f, c_prev, out=c)
    np.multiply(i, g, out=h)  # h holds i * g until its own value is known
    c += h  # c_t = f * c_{t-1} + i * g
    np.tanh(c, out=tanh_c)
    np.multiply(o, tanh_c, out=h)


@overflow_checked
def lstm_step_forward(
    x: ArrayLike,
    h_prev: ArrayLike,
    c_prev: ArrayLike,
    Wx: ArrayLike,
    Wh: ArrayLike,
    b: ArrayLike,
) -> tuple[NDArray[np.float64], NDArray[np.float64], LSTMStepCache]:
    """Run one step of the LSTM.

    Parameters
    ----------
    x : ndarray, shape (N, D)
        Inputs at this step.
    h_prev, c_prev : ndarray, shape (N, H)
        Hidden and cell state from the previous step.
    Wx : ndarray, shape (D, 4H)
        Input weights of the gates, in column blocks i | f | o | g.
    Wh : ndarray, shape (H, 4H)
        Recurrent weights of the gates, same blocks.
    b : ndarray, shape (4H,)
        Gate biases, same blocks.

    Returns
    -------
    h, c : ndarray, shape (N, H)
        New hidden and cell state.
    cache : LSTMStepCache

    Examples
    --------
    >>> h, c, _ = lstm_step_forward(np.ones((1, 1)), np.zeros((1, 1)), np.ones((1, 1)),
    ...                             np.zeros((1, 4)), np.zeros((1, 4)), np.zeros(4))
    >>> c, np.round(h, 4)  # every gate 1/2, g = 0: c = c_prev / 2, h = tanh(c) / 2
    (array([[0.5]]), array([[0.2311]]))
    """
    x, h_prev, Wx, Wh, b = _check("x", x, ("N", "D"), "h_prev", h_prev, Wx, Wh, b)
    c_prev = as_array("c_prev", c_prev, h_prev.shape)
    gates = x @ Wx + h_prev @ Wh + b  # (N, 4H), activated in place by _cell
    h, c, tanh_c = np.empty_like(c_prev), np.empty_like(c_prev), np.empty_like(c_prev)
    _cell(gates.T, c_prev.T, c.T, tanh_c.T, h.T)  # _cell takes features first
    check_overflow("h", h, _WHY_STATE)
    return h, c, LSTMStepCache(x, h_prev, c_prev, Wx, Wh, gates, c)


def _gate_deltas(dh, dc, gates, c_prev, c):
    """One step of the two backward recursions.

    From ``dh = dL/dh_t`` and ``dc``, the gradient reaching ``c_t`` from step
    ``t + 1``, return ``da = dL/da_t`` (N, 4H) and ``dL/dc_{t-1}`` (N, H).
    """
    i, f, o, g = np.split(gates, 4, axis=-1)
    tanh_c = np.tanh(c)
    dc = dc + dh * o * (1.0 - tanh_c**2)  # total dL/dc_t: carried + through h_t
    da = np.concatenate(
        [
            dc * g * i * (1.0 - i),  # sigmoid' = s (1 - s)
            dc * c_prev * f * (1.0 - f),
            dh * tanh_c * o * (1.0 - o),
            dc * i * (1.0 - g**2),
        ],
        axis=-1,
    )  # tanh' = 1 - tanh^2
    return da, dc * f


@overflow_checked
def lstm_step_backward(
    dh: ArrayLike,
    dc: ArrayLike,
    cache: LSTMStepCache,
) -> tuple[
    NDArray[np.float64],
    NDArray[np.float64],
    NDArray[np.float64],
    NDArray[np.float64],
    NDArray[np.float64],
    NDArray[np.float64],
]:
    """Backpropagate through one LSTM step.

    Parameters
    ----------
    dh : ndarray, shape (N, H)
        Gradient of the loss with respect to this step's ``h``.
    dc : ndarray, shape (N, H)
        Gradient with respect to this step's ``c`` from later steps (the
        path through ``h`` is added here).
    cache : LSTMStepCache
        From ``lstm_step_forward``.

    Returns
    -------
    dx : ndarray, shape (N, D)
    dh_prev, dc_prev : ndarray, shape (N, H)
    dWx : ndarray, shape (D, 4H)
    dWh : ndarray, shape (H, 4H)
    db : ndarray, shape (4H,)
        Gradients with respect to the inputs of ``lstm_step_forward``, in order.

    Examples
    --------
    >>> _, _, cache = lstm_step_forward(np.ones((1, 1)), np.zeros((1, 1)), np.ones((1, 1)),
    ...                                 np.zeros((1, 4)), np.zeros((1, 4)), np.zeros(4))
    >>> grads = lstm_step_backward(np.zeros((1, 1)), np.ones((1, 1)), cache)
    >>> grads[2]  # with no loss on h, dL/dc_prev = dc * f = 1/2
    array([[0.5]])
    """
    cache = as_cache("cache", cache, LSTMStepCache, "an LSTMStepCache from lstm_step_forward")
    x, h_prev, c_prev, Wx, Wh, gates, c = cache
    dh = as_array("dh", dh, c.shape)
    dc = as_array("dc", dc, c.shape)
    da, dc_prev = _gate_deltas(dh, dc, gates, c_prev, c)
    grads = da @ Wx.T, da @ Wh.T, dc_prev, x.T @ da, h_prev.T @ da, da.sum(axis=0)
    return _check_gradients(None, grads, names=("dx", "dh_prev", "dc_prev", "dWx", "dWh", "db"))


@overflow_checked
def lstm_forward(
    x: ArrayLike,
    h0: ArrayLike,
    Wx: ArrayLike,
    Wh: ArrayLike,
    b: ArrayLike,
) -> tuple[NDArray[np.float64], LSTMCache]:
    """Run the LSTM over a whole sequence, from ``h0`` and ``c_0 = 0``.

    Parameters
    ----------
    x : ndarray, shape (N, T, D)
    h0 : ndarray, shape (N, H)
    Wx : ndarray, shape (D, 4H)
    Wh : ndarray, shape (H, 4H)
    b : ndarray, shape (4H,)
        As in ``lstm_step_forward``.

    Returns
    -------
    h : ndarray, shape (N, T, H)
        Hidden states ``h_1 .. h_T``.
    cache : LSTMCache
        Holds every cell state and gate, for ``lstm_backward``.

    Examples
    --------
    >>> h, cache = lstm_forward(np.ones((2, 3, 1)), np.zeros((2, 1)),
    ...                         np.ones((1, 4)), np.zeros((1, 4)), np.zeros(4))
    >>> h.shape, cache.c.shape, cache.gates.shape
    ((2, 3, 1), (2, 3, 1), (2, 3, 4))
    """
    x, h0, Wx, Wh, b = _check("x", x, ("N", "T", "D"), "h0", h0, Wx, Wh, b)
    h, c, gates = _forward(x, h0, Wx, Wh, b)
    # One test for all steps: |h| <= 1, so the sum cannot overflow and is NaN if any h is.
    if not np.isfinite(h.sum()):
        check_steps("h", h, _WHY_STATE)
    return h, LSTMCache(x, h0, Wx, Wh, h, c, gates)


def _forward(x, h0, Wx, Wh, b):
    """The time loop of ``lstm_forward``, unvalidated: h, c (..., N, T, H), gates (..., N, T, 4H).

    Every argument may carry the same leading (model) axes, as in ``cell._forward``.
    The results are views of the loop's buffers (see ``_layout``).
    """
    T, D, H = x.shape[-2], x.shape[-1], h0.shape[-1]
    z = _inputs(x, h0, T + 1)  # the loop writes h_t into z_{t+1}
    WT = np.swapaxes(np.concatenate([Wx, b[..., None, :], Wh], axis=-2), -1, -2)  # (..., 4H, P)
    gates = np.empty((T, 4 * H, *z.shape[2:]))
    c = np.empty((T + 1, H, *z.shape[2:]))  # c_0 = 0, then c_1 .. c_T
    c[0], tanh_c = 0.0, np.empty_like(c[0])
    with one_thread_for(WT.shape[-2] * WT.shape[-1] * h0.shape[-2]):  # the loop's products
        for t in range(T):
            a_t = _mm(WT, z[t], out=gates[t])  # x_t Wx + b + h_{t-1} Wh, as columns
            _cell(a_t, c[t], c[t + 1], tanh_c, z[t + 1, D + 1 :])
    return _public(z[1:, D + 1 :]), _public(c[1:]), _public(gates)


@overflow_checked
def lstm_backward(dh: ArrayLike, cache: LSTMCache) -> Grads:
    """Backpropagation through time for the LSTM.

    Parameters
    ----------
    dh : ndarray, shape (N, T, H)
        Upstream gradient ``dL/dh_t`` on every hidden state (zeros where a step
        carries no loss).
    cache : LSTMCache
        From ``lstm_forward``.

    Returns
    -------
    dx : ndarray, shape (N, T, D)
    dh0 : ndarray, shape (N, H)
    dWx : ndarray, shape (D, 4H)
    dWh : ndarray, shape (H, 4H)
    db : ndarray, shape (4H,)
        Gradients with respect to the inputs of ``lstm_forward``, in order.

    Examples
    --------
    >>> _, cache = lstm_forward(np.ones((1, 2, 1)), np.zeros((1, 1)),
    ...                         np.ones((1, 4)), np.ones((1, 4)), np.zeros(4))
    >>> [g.shape for g in lstm_backward(np.ones((1, 2, 1)), cache)]
    [(1, 2, 1), (1, 1), (1, 4), (1, 4), (4,)]
    """
    cache = as_cache("cache", cache, LSTMCache, _CACHE)
    dh = as_array("dh", dh, cache.h.shape)
    grads, da = _grads_and_deltas(dh, *cache)
    return _check_gradients(da, grads, why=_WHY_DELTA)  # raises if one overflowed


def _backward(dh, x, h0, Wx, Wh, h, c, gates):
    """The backward pass of ``lstm_backward``, unvalidated; the leading axes of ``_forward``."""
    return _grads_and_deltas(dh, x, h0, Wx, Wh, h, c, gates)[0]


def _grads_and_deltas(dh, x, h0, Wx, Wh, h, c, gates):
    """``(dx, dh0, dWx, dWh, db)`` and the deltas ``dL/da_t`` (..., N, T, 4H), a view."""
    T, D = x.shape[-2], x.shape[-1]
    h, c, gates = _steps(h), _steps(c), _steps(gates)  # (T, ., ..., N): contiguous from _forward
    Wxh = np.concatenate([Wx, Wh], axis=-2)  # (..., D+H, 4H)
    with one_thread_for(Wxh.shape[-2] * Wxh.shape[-1] * h0.shape[-2]):  # the loop's products
        da, dz = _recursion(_steps(dh), h, c, gates, Wxh)
    # With every da_t known, dW = sum_t z_t^T da_t for W = [Wx; b; Wh]: one product per step.
    z = _inputs(x, h0, T)
    z[1:, D + 1 :] = h[:-1]
    dW = _summed_outer(z, da)  # (..., D+1+H, 4H)
    dx, dh0 = _public(dz[:T, :D]), np.moveaxis(dz[0, D:], 0, -1)
    return (dx, dh0, dW[..., :D, :], dW[..., D + 1 :, :], dW[..., D, :]), _public(da)


def _recursion(dh, h, c, gates, Wxh):
    """The two coupled backward recursions, from the last step to the first.

    Arrays have the loops' axes (T, C, ..., N). Returns every ``da_t = dL/da_t``
    (T, 4H, ..., N) and ``dz`` (T+1, D+H, ..., N) whose rows hold ``da_t Wx^T = dL/dx_t``
    and ``da_t Wh^T``, the part of dL/dh_{t-1} that comes through a_t (0 at t = T).
    """
    T, H = h.shape[:2]
    da, dz = np.empty_like(gates), np.empty((T + 1, Wxh.shape[-2], *h.shape[2:]))
    dz[-1] = 0.0
    dh_t, dc, c_0, *work = (np.zeros_like(h[0]) for _ in range(5))  # dc: from c_{t+1}
    for t in range(T - 1, -1, -1):
        np.add(dh[t], dz[t + 1, -H:], out=dh_t)  # dL/dh_t: its own loss + da_{t+1} Wh^T
        _step_deltas(dh_t, dc, gates[t], c[t - 1] if t else c_0, h[t], da[t], *work)
        _mm(Wxh, da[t], out=dz[t])
    return da, dz


def _step_deltas(dh, dc, gates, c_prev, h, da, tanh_c, scratch):
    """One step of the two backward recursions, with features first, every result in place.

    From ``dh = dL/dh_t`` and ``dc``, the gradient reaching c_t from step t + 1
    (H, ...), write ``da = dL/da_t`` (4H, ...) and turn ``dc`` into dL/dc_{t-1}
    along the cell path. ``tanh_c`` and ``scratch`` are work space.
    """
    H = dh.shape[0]
    i, f, o, g = _blocks(gates, H)
    da_i, da_f, da_o, da_g = _blocks(da, H)
    # h_t = o_t tanh(c_t), so tanh(c_t) = h_t / o_t: a division, not a second tanh. Where
    # o_t is below the smallest normal number, |h_t| <= o_t keeps h_t / TINY in [-1, 1]
    # (no 0 / 0 where o_t is 0), and every use of tanh(c_t) is multiplied by o_t anyway.
    np.divide(h, np.maximum(o, _TINY, out=tanh_c), out=tanh_c)
    np.subtract(o, np.multiply(h, tanh_c, out=scratch), out=scratch)  # o (1 - tanh(c)^2)
    dc += np.multiply(scratch, dh, out=scratch)  # dL/dc_t: from c_{t+1} and through h_t
    ifo, s = da[: 3 * H], gates[: 3 * H]
    np.multiply(np.subtract(1.0, s, out=ifo), s, out=ifo)  # sigmoid' = s (1 - s)
    da_i *= g  # dc/da_i
    da_i *= dc
    da_f *= c_prev  # dc/da_f
    da_f *= dc
    da_o *= tanh_c  # dh/da_o
    da_o *= dh
    np.subtract(1.0, np.multiply(g, g, out=da_g), out=da_g)  # tanh' = 1 - g^2
    da_g *= i  # dc/da_g
    da_g *= dc
    dc *= f  # dL/dc_{t-1} along the cell path
    return dc


def cell_path_gradient(cache: LSTMCache) -> NDArray[np.float64]:
    """How much gradient the cell-state path alone carries back from the last step.

    Along ``c_{t-1} -> c_t`` the Jacobian is ``diag(f_t)``, so

        dc_T / dc_{T-k} (cell path only) = f_{T-k+1} * ... * f_T,   elementwise,

    a product of gate values in (0, 1) with no weight matrix in it. This is
    the partial derivative that holds the gates fixed; the full Jacobian adds
    the paths through ``h`` and the gates (``lstm_backward`` computes those).

    Parameters
    ----------
    cache : LSTMCache
        From ``lstm_forward`` on T steps.

    Returns
    -------
    ndarray, shape (T,)
        Entry ``k`` is the mean over batch and units of that product, for
        ``k = 0 .. T-1`` (``k = 0`` is the empty product, 1). A cache with leading
        model axes (an ensemble's, ``rnn_core.ensemble.run``) gives shape (..., T).

    Examples
    --------
    >>> _, cache = lstm_forward(np.zeros((1, 3, 1)), np.zeros((1, 1)),
    ...                         np.zeros((1, 4)), np.zeros((1, 4)), np.zeros(4))
    >>> cell_path_gradient(cache)  # every forget gate is sigmoid(0) = 1/2
    array([1.  , 0.5 , 0.25])
    """
    H = as_cache("cache", cache, LSTMCache, _CACHE).h.shape[-1]
    f = cache.gates[..., H : 2 * H]  # (..., N, T, H)
    # Products of the last 1, 2, ..., T-1 forget gates, read from the end backwards.
    tail = np.cumprod(f[..., :0:-1, :], axis=-2)  # (..., N, T-1, H): f_T, f_T f_{T-1}, ...
    empty = np.ones((*tail.shape[:-3], 1))  # k = 0: the empty product
    return np.concatenate([empty, tail.mean(axis=(-3, -1))], axis=-1)
