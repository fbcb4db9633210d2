"""Real-time recurrent learning (Williams and Zipser, 1989): gradients in forward mode.

BPTT stores every hidden state and runs backwards once the sequence is over.
RTRL instead carries, next to ``h_t``, the sensitivities ``S_t = dh_t/dtheta``
of the current state to every parameter, so the gradient of
``L = sum_t <dh_t, h_t>`` can be accumulated online as ``sum_t dh_t . S_t``
with no backward pass and no stored history.

For the batch-major row-vector cell ``a_t = x_t Wx + h_{t-1} Wh + b``,
``h_t = tanh(a_t)``, write ``S_t[n, i, p, q] = dh_t[n, i] / dWh[p, q]``.
Differentiating ``a_t[i] = sum_j h_{t-1}[j] Wh[j, i] + ...`` gives

    S_t[n, i, p, q] = (1 - h_t[n, i]**2) * ( [i = q] h_{t-1}[n, p]
                                            + sum_j Wh[j, i] S_{t-1}[n, j, p, q] ),

the direct term ``[i = q] h_{t-1}[n, p]`` (``Wh[p, q]`` feeds only unit ``q``)
plus the indirect term through ``h_{t-1}``. ``Wx`` is the same with ``x_t`` in
place of ``h_{t-1}``, ``b`` has direct term ``[i = q]``, and ``h0`` has none
(its sensitivity starts at the identity and is only carried along).

Cost, per example, with ``n = H`` hidden units: the ``Wh`` sensitivity holds
``H * H * H = n**3`` numbers, independent of ``T``, and its update
``sum_j Wh[j, i] S[j, p, q]`` is ``n**4`` multiply-adds per step, against
BPTT's ``T n`` memory and ``n**2`` per step.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from ._checks import as_array, check_overflow, overflow_checked
from .cell import _check_params

__all__ = ["RTRLResult", "rtrl_gradients"]


class RTRLResult(NamedTuple):
    """Gradients of ``sum_t <dh_t, h_t>`` found by RTRL; shapes as ``rnn_backward``'s."""

    dWx: np.ndarray  # (D, H)
    dWh: np.ndarray  # (H, H)
    db: np.ndarray  # (H,)
    dh0: np.ndarray  # (N, H)


@overflow_checked
def rtrl_gradients(
    x: ArrayLike,
    h0: ArrayLike,
    Wx: ArrayLike,
    Wh: ArrayLike,
    b: ArrayLike,
    dh: ArrayLike,
) -> RTRLResult:
    """Gradients of the tanh RNN by real-time recurrent learning.

    Runs the cell forward one step at a time, updating the sensitivities
    ``dh_t/dWx``, ``dh_t/dWh``, ``dh_t/db``, ``dh_t/dh0`` and adding
    ``dh_t . S_t`` to the gradients as it goes. Only the current state and
    sensitivities are kept: memory is O(N H^3 + N D H^2), whatever ``T``; time
    is O(T N H^4) for ``Wh``, dominated by one tensor contraction per step.

    Parameters
    ----------
    x : ndarray, shape (N, T, D)
        Input sequences.
    h0 : ndarray, shape (N, H)
        Initial hidden state.
    Wx : ndarray, shape (D, H)
        Input-to-hidden weights.
    Wh : ndarray, shape (H, H)
        Hidden-to-hidden weights.
    b : ndarray, shape (H,)
        Bias.
    dh : ndarray, shape (N, T, H)
        ``dL/dh_t`` for every step, the array ``rnn_backward`` takes.

    Returns
    -------
    RTRLResult
        ``(dWx, dWh, db, dh0)``, equal to ``rnn_backward``'s up to rounding.

    Examples
    --------
    >>> x, h0 = np.ones((1, 2, 1)), np.zeros((1, 1))
    >>> Wx, Wh, b = np.ones((1, 1)), 0.5 * np.ones((1, 1)), np.zeros(1)
    >>> g = rtrl_gradients(x, h0, Wx, Wh, b, np.ones((1, 2, 1)))
    >>> from rnn_core.cell import rnn_backward, rnn_forward
    >>> dWh_bptt = rnn_backward(np.ones((1, 2, 1)), rnn_forward(x, h0, Wx, Wh, b)[1])[3]
    >>> bool(np.allclose(g.dWh, dWh_bptt, rtol=1e-12))
    True
    """
    sizes = {}
    x = as_array("x", x, ("N", "T", "D"), sizes)
    Wx, Wh, b = _check_params(Wx, Wh, b, sizes)
    h0 = as_array("h0", h0, ("N", "H"), sizes)
    dh = as_array("dh", dh, ("N", "T", "H"), sizes)
    grads = _run(x, h0, Wx, Wh, b, dh)
    if not all(np.isfinite(g).all() for g in grads):
        _run(x, h0, Wx, Wh, b, dh, locate=True)  # again, step by step: raises at the step
    return grads


def _run(x, h0, Wx, Wh, b, dh, locate=False):
    """The RTRL loop on validated arrays; ``locate``: check every step, raise at the first bad one.

    Only the failing case pays for the per-step checks: ``rtrl_gradients`` checks
    the result once and replays the (deterministic) loop with ``locate`` if it
    is not finite.
    """
    N, T, D = x.shape
    H = h0.shape[1]
    S = _Sensitivities(
        Wx=np.zeros((N, H, D, H)),  # dh_t[n, i] / dWx[p, q]: N D H^2 numbers
        Wh=np.zeros((N, H, H, H)),  # dh_t[n, i] / dWh[p, q]: N H^3 numbers, the O(n^3)
        b=np.zeros((N, H, H)),  # dh_t[n, i] / db[q]
        h0=np.tile(np.eye(H), (N, 1, 1)),  # dh_t[n, i] / dh0[n, q]; identity at t = 0
    )
    grads = RTRLResult(np.zeros((D, H)), np.zeros((H, H)), np.zeros(H), np.zeros((N, H)))
    h = h0
    for t in range(T):
        h_prev, h = h, np.tanh(x[:, t] @ Wx + h @ Wh + b)  # (N, H)
        _step(S, Wh, x[:, t], h_prev, 1.0 - h**2)
        _accumulate(grads, dh[:, t], S)
        if locate:
            _check_step(t, T, h, S, grads)
    return grads


def _check_step(t, T, h, S, grads):
    """Raise naming the first of the state, the sensitivities and the gradients not finite."""
    check_overflow("h", h, "the pre-activation added +inf and -inf", step=(t, T))
    for name, s in zip(S._fields, S):
        why = f"dh_t/d{name}, multiplied by diag(1 - h_t**2) Wh^T at every step: Wh too large"
        check_overflow(f"S.{name}", s, why, step=(t, T))
    for name, g in zip(RTRLResult._fields, grads):
        check_overflow(name, g, "the running sum of dh_t . S_t: dh too large", step=(t, T))


class _Sensitivities(NamedTuple):
    """``dh_t / dtheta`` for each parameter, first two axes ``(n, i)`` of ``h_t``."""

    Wx: np.ndarray  # (N, H, D, H)
    Wh: np.ndarray  # (N, H, H, H)
    b: np.ndarray  # (N, H, H)
    h0: np.ndarray  # (N, H, H)


def _step(S, Wh, x_t, h_prev, gain):
    """``S_t = diag(1 - h_t^2) (direct_t + Wh^T S_{t-1})``, in place, for every parameter.

    ``gain`` is ``1 - h_t**2``, shape (N, H). The indirect term contracts
    ``Wh[j, i]`` with the ``j`` axis of ``S_{t-1}``: for ``Wh`` that is
    H (j) x H (i) x H^2 (p, q) = H^4 multiply-adds per example, the cost of RTRL.
    """
    for s in S:
        s[...] = _carry(Wh, s)  # the product reads all of S_{t-1}: one temporary
    # Direct terms: parameter (p, q) feeds only unit i = q, hence the diagonal in (i, q).
    unit = np.arange(Wh.shape[0])
    S.Wx[:, unit, :, unit] += x_t  # (H, N, D) after advanced indexing, x_t broadcast
    S.Wh[:, unit, :, unit] += h_prev  # (H, N, H)
    S.b[:, unit, unit] += 1.0  # (N, H)
    for s in S:
        s *= gain.reshape(gain.shape + (1,) * (s.ndim - 2))  # row i scaled by tanh'(a_t[i])


def _carry(Wh, s):
    """``sum_j Wh[j, i] s[n, j, ...]``: the indirect term, through ``h_{t-1}``.

    Written as a batch of matrix products ``Wh^T @ s[n]`` with the parameter
    axes flattened, (H, H) @ (H, P) per example, so that BLAS does the H^4 work;
    it is ``np.einsum("ji,nj...->ni...", Wh, s)``.
    """
    N, H = s.shape[:2]
    return (Wh.T @ s.reshape(N, H, -1)).reshape(s.shape)


def _accumulate(grads, dh_t, S):
    """Add ``dh_t . S_t``, the step's contribution ``sum_i dh_t[n, i] S_t[n, i, ...]``."""
    grads.dWx[...] += np.einsum("ni,nipq->pq", dh_t, S.Wx)  # N H D H multiply-adds
    grads.dWh[...] += np.einsum("ni,nipq->pq", dh_t, S.Wh)  # N H^3
    grads.db[...] += np.einsum("ni,niq->q", dh_t, S.b)
    grads.dh0[...] += np.einsum("ni,niq->nq", dh_t, S.h0)  # h0 is per example: no sum over n
