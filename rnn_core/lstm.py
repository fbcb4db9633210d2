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

from typing import NamedTuple

import numpy as np

from ._checks import (
    as_array,
    as_cache,
    as_real,
    check_overflow,
    check_shape,
    check_steps,
    overflow_checked,
)
from .cell import _check_gradients, _rows

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


def sigmoid(z):
    """Logistic function ``1 / (1 + exp(-z))``, written so that ``exp`` cannot overflow.

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
    """``sigmoid`` on a validated float array: for the gates, in the time loop."""
    e = np.exp(-np.abs(z))  # in (0, 1]
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


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


def _cell(a, c_prev):
    """Gates and new states from the pre-activations ``a`` (..., N, 4H); ``a`` is overwritten."""
    H = c_prev.shape[-1]
    a[..., : 3 * H] = _sigmoid(a[..., : 3 * H])  # i, f, o
    np.tanh(a[..., 3 * H :], out=a[..., 3 * H :])  # g
    i, f, o, g = np.split(a, 4, axis=-1)
    c = f * c_prev + i * g
    return o * np.tanh(c), c


@overflow_checked
def lstm_step_forward(x, h_prev, c_prev, Wx, Wh, b):
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
    h, c = _cell(gates, c_prev)
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
def lstm_step_backward(dh, dc, cache):
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
def lstm_forward(x, h0, Wx, Wh, b):
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
    """
    # Every step's input projection in one product; Wx and b get axes for N (and T).
    gates = x @ Wx[..., None, :, :] + b[..., None, None, :]  # (..., N, T, 4H)
    h, c = np.empty(gates.shape[:-1] + h0.shape[-1:]), np.empty(gates.shape[:-1] + h0.shape[-1:])
    h_prev, c_prev = h0, np.zeros_like(h0)
    for t in range(x.shape[-2]):
        a_t = gates[..., t, :]
        a_t += h_prev @ Wh  # only the recurrent product waits for the previous step
        h_prev, c_prev = _cell(a_t, c_prev)
        h[..., t, :], c[..., t, :] = h_prev, c_prev
    return h, c, gates


@overflow_checked
def lstm_backward(dh, cache):
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
    da, dh0, h_prev = _deltas(dh, cache.h0, cache.Wh, cache.h, cache.c, cache.gates)
    return _check_gradients(da, _grads(da, dh0, h_prev, cache.x, cache.Wx), why=_WHY_DELTA)


def _backward(dh, x, h0, Wx, Wh, h, c, gates):
    """The backward pass of ``lstm_backward``, unvalidated; the leading axes of ``_forward``."""
    da, dh0, h_prev = _deltas(dh, h0, Wh, h, c, gates)
    return _grads(da, dh0, h_prev, x, Wx)


def _deltas(dh, h0, Wh, h, c, gates):
    """The gate deltas ``da`` (..., N, T, 4H) from the last step back, dL/dh0, and h_{t-1}."""
    T = h.shape[-2]
    h_prev = np.concatenate([h0[..., None, :], h[..., :-1, :]], axis=-2)  # (..., N, T, H)
    c_prev = np.concatenate([np.zeros_like(h0)[..., None, :], c[..., :-1, :]], axis=-2)
    da = np.empty_like(gates)  # (..., N, T, 4H)
    WhT = np.swapaxes(Wh, -1, -2)
    dh_carry, dc_carry = np.zeros_like(h0), np.zeros_like(h0)  # nothing after the last step
    for t in range(T - 1, -1, -1):
        da[..., t, :], dc_carry = _gate_deltas(
            dh[..., t, :] + dh_carry, dc_carry, gates[..., t, :], c_prev[..., t, :], c[..., t, :]
        )
        dh_carry = da[..., t, :] @ WhT
    return da, dh_carry, h_prev


def _grads(da, dh0, h_prev, x, Wx):
    """dx, dh0, dWx, dWh, db: with every da known, single products over batch and time."""
    rows = _rows(da)  # (..., N*T, 4H)
    dWx = np.swapaxes(_rows(x), -1, -2) @ rows
    dWh = np.swapaxes(_rows(h_prev), -1, -2) @ rows
    return da @ np.swapaxes(Wx, -1, -2)[..., None, :, :], dh0, dWx, dWh, rows.sum(axis=-2)


def cell_path_gradient(cache):
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
