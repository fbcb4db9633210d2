"""The memory layout of the gated cells' time loops (``lstm`` and ``gru``).

A time loop touches one step's numbers many times (seven elementwise passes in a forward
step of the LSTM, twenty in a backward step), so they had better lie together in memory.
The loops' buffers therefore have the axes ``(T, C, ..., N)``: time; the C features of
the column form of the notation page (the rows of ``x_t^T``, ``h_t^T`` or the gates);
any leading model axes ``...`` (a seed ensemble's K); the N sequences. One step's gate
block (i, f, o or g of the LSTM, z, r or n of the GRU) is then a single contiguous
piece of memory for every model at once. In the public row form ``(..., N, T, C)`` it is
K * N pieces of H numbers, and numpy's passes over such pieces cost several times more.

The kernels take and return public arrays: ``_steps`` and ``_public`` convert between the
two axis orders without copying, so the results of a forward pass are views of its
buffers, and a backward pass reads them in the order they were written.

A step's pre-activation is one product in the concatenated form of chapter 3: with the
column ``z_t = [x_t, 1, h_{t-1}]^T`` and ``W = [Wx; b; Wh]``, ``a_t^T = W^T z_t``, and the
backward pass gets ``dL/dz_t = W da_t^T`` (dL/dx_t and the recurrent part of dL/dh_{t-1})
and ``dL/dW = sum_t z_t da_t`` the same way.
"""

import numpy as np


def _steps(a):
    """A public array (..., N, T, C) with the axes of the loops' buffers, (T, C, ..., N): a view.

    Examples
    --------
    >>> _steps(np.zeros((10, 32, 31, 5))).shape
    (31, 5, 10, 32)
    """
    lead = a.ndim - 3
    return np.transpose(a, (lead + 1, lead + 2, *range(lead), lead))


def _public(a):
    """A buffer of the loops (T, C, ..., N) with the public axes (..., N, T, C): a view.

    Examples
    --------
    >>> a = np.zeros((10, 32, 31, 5))
    >>> _public(_steps(a)).shape, np.shares_memory(_public(_steps(a)), a)
    ((10, 32, 31, 5), True)
    """
    lead = a.ndim - 3
    return np.transpose(a, (*range(2, lead + 2), lead + 2, 0, 1))


def _mm(W, a, out):
    """``W a`` for every model: W (..., P, Q) times a (Q, ..., N), written into out (P, ..., N)."""
    order = (*range(1, a.ndim - 1), 0, a.ndim - 1)  # (..., Q, N): the first axis moved on
    np.matmul(W, a.transpose(order), out=out.transpose(order))  # (np.moveaxis costs more)
    return out


def _summed_outer(a, b):
    """``sum_t a_t b_t^T`` for every model: a (T, P, ..., N), b (T, Q, ..., N) -> (..., P, Q).

    One product per model and step, summed over the steps (the sum over the N sequences
    is inside each product): the weight gradients, from the inputs and the deltas.
    """
    return (np.moveaxis(a, 1, -2) @ np.moveaxis(b, 1, -1)).sum(axis=0)


def _inputs(x, h0, steps):
    """Buffer of the concatenated inputs ``z_t = [x_t, 1, h_{t-1}]^T``: (steps, D+1+H, ..., N).

    Filled in: ``x_t`` for the T steps of ``x`` (N, T, D), the ones, and ``h_0`` at t = 0;
    the rows of ``h_{t-1}`` for t > 0 are left to the caller.
    """
    D, H, T = x.shape[-1], h0.shape[-1], x.shape[-2]
    z = np.empty((steps, D + 1 + H, *h0.shape[:-2], h0.shape[-2]))
    z[:T, :D] = _steps(x)
    z[:, D] = 1.0
    z[0, D + 1 :] = np.moveaxis(h0, -1, 0)
    return z


def _blocks(a, H):
    """The blocks of H features of ``a`` (kH, ...), e.g. i | f | o | g: views."""
    return [a[k * H : (k + 1) * H] for k in range(a.shape[0] // H)]
