"""The time-loop kernels of rnn_core.cell, lstm and gru as they were at commit 73b6517.

Frozen copies, in the plain batch-major form (..., N, T, C): the reference that the
faster kernels must reproduce (tests/test_kernels.py). Same arguments and results as
the kernels of the package: every argument may carry the same leading model axes.
"""

import numpy as np


def _rows(a):
    """Batch and time flattened into rows: (..., N, T, C) -> (..., N*T, C)."""
    return a.reshape((*a.shape[:-3], -1, a.shape[-1]))


# --- cell: the tanh RNN ---------------------------------------------------------------


def rnn_forward(x, h0, Wx, Wh, b):
    h = (_rows(x) @ Wx).reshape(x.shape[:-1] + Wx.shape[-1:])
    h += b[..., None, None, :]
    rec = np.empty_like(h0)
    h_prev = h0
    for t in range(x.shape[-2]):
        h_t = h[..., t, :]
        h_t += np.matmul(h_prev, Wh, out=rec)
        np.tanh(h_t, out=h_t)
        h_prev = h_t
    return h


def rnn_deltas(dh, h, Wh, k):
    delta = h * h
    np.subtract(1.0, delta, out=delta)
    WhT = np.swapaxes(Wh, -1, -2)
    carry = np.zeros_like(dh[..., 0, :])
    for t in range(dh.shape[-2] - 1, -1, -1):
        carry += dh[..., t, :]
        d_t = delta[..., t, :]
        d_t *= carry
        if t % k == 0:
            carry.fill(0.0)
        else:
            np.matmul(d_t, WhT, out=carry)
    return delta


def rnn_grads_from_deltas(delta, cache, dh0=None):
    x, h0, Wx, Wh, h = cache
    rows = _rows(delta)
    h_prev = np.concatenate([h0[..., None, :], h[..., :-1, :]], axis=-2)
    dWh = np.swapaxes(_rows(h_prev), -1, -2) @ rows
    dWx = np.swapaxes(_rows(x), -1, -2) @ rows
    dx = (rows @ np.swapaxes(Wx, -1, -2)).reshape(x.shape)
    if dh0 is None:
        dh0 = delta[..., 0, :] @ np.swapaxes(Wh, -1, -2)
    return dx, dh0, dWx, dWh, rows.sum(axis=-2)


# --- lstm -----------------------------------------------------------------------------


def sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _lstm_cell(a, c_prev):
    H = c_prev.shape[-1]
    a[..., : 3 * H] = sigmoid(a[..., : 3 * H])
    np.tanh(a[..., 3 * H :], out=a[..., 3 * H :])
    i, f, o, g = np.split(a, 4, axis=-1)
    c = f * c_prev + i * g
    return o * np.tanh(c), c


def lstm_forward(x, h0, Wx, Wh, b):
    gates = x @ Wx[..., None, :, :] + b[..., None, None, :]
    h, c = np.empty(gates.shape[:-1] + h0.shape[-1:]), np.empty(gates.shape[:-1] + h0.shape[-1:])
    h_prev, c_prev = h0, np.zeros_like(h0)
    for t in range(x.shape[-2]):
        a_t = gates[..., t, :]
        a_t += h_prev @ Wh
        h_prev, c_prev = _lstm_cell(a_t, c_prev)
        h[..., t, :], c[..., t, :] = h_prev, c_prev
    return h, c, gates


def _lstm_gate_deltas(dh, dc, gates, c_prev, c):
    i, f, o, g = np.split(gates, 4, axis=-1)
    tanh_c = np.tanh(c)
    dc = dc + dh * o * (1.0 - tanh_c**2)
    da = np.concatenate(
        [
            dc * g * i * (1.0 - i),
            dc * c_prev * f * (1.0 - f),
            dh * tanh_c * o * (1.0 - o),
            dc * i * (1.0 - g**2),
        ],
        axis=-1,
    )
    return da, dc * f


def lstm_backward(dh, x, h0, Wx, Wh, h, c, gates):
    T = h.shape[-2]
    h_prev = np.concatenate([h0[..., None, :], h[..., :-1, :]], axis=-2)
    c_prev = np.concatenate([np.zeros_like(h0)[..., None, :], c[..., :-1, :]], axis=-2)
    da = np.empty_like(gates)
    WhT = np.swapaxes(Wh, -1, -2)
    dh_carry, dc_carry = np.zeros_like(h0), np.zeros_like(h0)
    for t in range(T - 1, -1, -1):
        da[..., t, :], dc_carry = _lstm_gate_deltas(
            dh[..., t, :] + dh_carry, dc_carry, gates[..., t, :], c_prev[..., t, :], c[..., t, :]
        )
        dh_carry = da[..., t, :] @ WhT
    rows = _rows(da)
    dWx = np.swapaxes(_rows(x), -1, -2) @ rows
    dWh = np.swapaxes(_rows(h_prev), -1, -2) @ rows
    return da @ np.swapaxes(Wx, -1, -2)[..., None, :, :], dh_carry, dWx, dWh, rows.sum(axis=-2)


# --- gru ------------------------------------------------------------------------------


def _gru_cell(a, h_prev, Wh):
    H = h_prev.shape[-1]
    zr, an = a[..., : 2 * H], a[..., 2 * H :]
    zr += h_prev @ Wh[..., :, : 2 * H]
    zr[...] = sigmoid(zr)
    z, r = zr[..., :H], zr[..., H:]
    an += (r * h_prev) @ Wh[..., :, 2 * H :]
    np.tanh(an, out=an)
    return z * h_prev + (1.0 - z) * an


def gru_forward(x, h0, Wx, Wh, b):
    gates = x @ Wx[..., None, :, :] + b[..., None, None, :]
    h = np.empty(gates.shape[:-1] + h0.shape[-1:])
    h_prev = h0
    for t in range(x.shape[-2]):
        h_prev = _gru_cell(gates[..., t, :], h_prev, Wh)
        h[..., t, :] = h_prev
    return h, gates


def _gru_gate_deltas(dh, gates, h_prev, Wh):
    H = h_prev.shape[-1]
    z, r, n = gates[..., :H], gates[..., H : 2 * H], gates[..., 2 * H :]
    da_n = dh * (1.0 - z) * (1.0 - n**2)
    drh = da_n @ np.swapaxes(Wh[..., :, 2 * H :], -1, -2)
    da = np.concatenate(
        [dh * (h_prev - n) * z * (1.0 - z), drh * h_prev * r * (1.0 - r), da_n], axis=-1
    )
    dh_prev = dh * z + drh * r + da[..., : 2 * H] @ np.swapaxes(Wh[..., :, : 2 * H], -1, -2)
    return da, dh_prev


def _gru_param_grads(x, h_prev, gates, da):
    H = h_prev.shape[-1]
    rh = gates[..., H : 2 * H] * h_prev
    dWh = np.concatenate(
        [
            np.swapaxes(h_prev, -1, -2) @ da[..., : 2 * H],
            np.swapaxes(rh, -1, -2) @ da[..., 2 * H :],
        ],
        axis=-1,
    )
    return np.swapaxes(x, -1, -2) @ da, dWh, da.sum(axis=-2)


def gru_backward(dh, x, h0, Wx, Wh, h, gates):
    T = h.shape[-2]
    h_prev = np.concatenate([h0[..., None, :], h[..., :-1, :]], axis=-2)
    da = np.empty_like(gates)
    dh_carry = np.zeros_like(h0)
    for t in range(T - 1, -1, -1):
        da[..., t, :], dh_carry = _gru_gate_deltas(
            dh[..., t, :] + dh_carry, gates[..., t, :], h_prev[..., t, :], Wh
        )
    grads = _gru_param_grads(_rows(x), _rows(h_prev), _rows(gates), _rows(da))
    return (da @ np.swapaxes(Wx, -1, -2)[..., None, :, :], dh_carry, *grads)
