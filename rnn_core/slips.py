"""Deliberately wrong versions of the book's derivations, kept so that the tests
and the chapters can show each one failing its check.

Nothing here is used to train anything. Each function mirrors a correct one in
the package and differs from it in exactly the way a known slip does.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._checks import as_array, overflow_checked
from ._typing import Grads
from .cell import (
    RNNCache,
    _as_rnn_cache,
    _check_gradients,
    grads_from_deltas,
)

__all__ = ["delta_recursion_forward_in_time"]


@overflow_checked
def delta_recursion_forward_in_time(
    dh: ArrayLike,
    cache: RNNCache,
) -> Grads:
    """BPTT with the delta recursion read as ``delta_t = (dh_t + delta_t' Wh^T) * (1 - h_t**2)``
    where ``delta_t'`` is the delta of the step computed just before, running forward in time.

    The source notes write the recurrent term with ``delta`` at time ``t`` on the
    right-hand side. A loop can only evaluate that with a delta it already has;
    run from ``t = 1`` upwards, that is ``delta_{t-1}``, so gradient flows from
    the past into the future. The correct recursion carries ``delta_{t+1}``
    backwards, as in :func:`rnn_core.cell.rnn_backward`.

    Parameters
    ----------
    dh : ndarray, shape (N, T, H)
    cache : RNNCache
        From ``rnn_forward``.

    Returns
    -------
    dx, dh0, dWx, dWh, db
        Same shapes as ``rnn_backward``; wrong values whenever ``T > 1``.

    Examples
    --------
    >>> from rnn_core.cell import rnn_backward, rnn_forward
    >>> _, cache = rnn_forward(np.ones((1, 1, 1)), np.zeros((1, 1)), np.ones((1, 1)),
    ...                        np.ones((1, 1)), np.zeros(1))
    >>> g = np.ones((1, 1, 1))
    >>> [bool(np.allclose(a, b)) for a, b in
    ...  zip(delta_recursion_forward_in_time(g, cache), rnn_backward(g, cache))]
    [True, True, True, True, True]
    """
    cache = _as_rnn_cache(cache)
    Wh, h = cache.Wh, cache.h
    N, T, H = h.shape
    dh = as_array("dh", dh, (N, T, H))
    delta = np.empty_like(dh)  # (N, T, H)
    carry = np.zeros((N, H))
    for t in range(T):  # the slip: forward in time, carrying delta_{t-1}
        delta[:, t] = (dh[:, t] + carry) * (1.0 - h[:, t] ** 2)
        carry = delta[:, t] @ Wh.T
    grads = grads_from_deltas(delta, cache)
    return _check_gradients(delta, grads, last=False)  # computed from t = 0 on
