"""Truncated backpropagation through time: windows, sliding horizons, random horizons.

Full BPTT sends every loss term ``dL/dh_t`` back to step 0. Truncation limits
how far it travels, which saves time and memory but biases the gradient: the
part of ``dL_t/dWh`` that flows through steps before the horizon is dropped.
Three truncations are used in the book:

* window (``rnn_backward(dh, cache, truncate=k)``, ``truncated_gradient``): the
  sequence is cut into blocks of ``k`` steps and no gradient crosses a block
  boundary, so a loss term travels between 1 and ``k`` steps;
* sliding (``sliding_truncated_backward``): every loss term travels exactly
  ``k`` steps back (fewer near the start);
* randomized (``randomized_truncated_backward``, Tallec and Ollivier 2017): the
  horizon is random and surviving paths are scaled up by the inverse of their
  survival probability, which makes the estimate unbiased.

All three run the delta recursion of ``rnn_core.cell``,
``delta_t = (dh_t + delta_{t+1} Wh^T) * (1 - h_t**2)``, with some recurrent
terms removed or reweighted, and return ``rnn_backward``'s 5-tuple
``(dx, dh0, dWx, dWh, db)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._checks import (
    as_array,
    as_choice,
    as_int,
    as_ndarray,
    as_rng,
    as_scalar,
    as_sequence,
    norm,
    overflow_checked,
)
from ._typing import Grads
from .cell import (
    RNNCache,
    _as_rnn_cache,
    _check_gradients,
    grads_from_deltas,
    rnn_backward,
    rnn_forward,
)

__all__ = [
    "randomized_truncated_backward",
    "sliding_truncated_backward",
    "truncated_gradient",
    "truncation_bias",
]


def truncated_gradient(dh: ArrayLike, cache: RNNCache, k: int) -> Grads:
    """Window-truncated BPTT, the book's default: ``rnn_backward(dh, cache, truncate=k)``.

    The sequence is cut into windows of ``k`` steps starting at ``t = 0``; a
    loss term at step ``t`` reaches back only to the start of its window.

    Parameters
    ----------
    dh : ndarray, shape (N, T, H)
        ``dL/dh_t`` on every step.
    cache : RNNCache
        From ``rnn_forward``.
    k : int
        Window length, ``k >= 1``; ``k >= T`` is full BPTT.

    Returns
    -------
    dx, dh0, dWx, dWh, db : ndarray
        As ``rnn_backward``.

    Raises
    ------
    ValueError
        On bad input (``k`` named as ``k``), or if the backward pass overflows.

    Examples
    --------
    >>> h, cache = rnn_forward(np.ones((1, 4, 1)), np.zeros((1, 1)),
    ...                        np.ones((1, 1)), np.ones((1, 1)), np.zeros(1))
    >>> full, cut = rnn_backward(np.ones((1, 4, 1)), cache), truncated_gradient(
    ...     np.ones((1, 4, 1)), cache, 2)
    >>> bool(cut[3][0, 0] < full[3][0, 0])
    True
    """
    return rnn_backward(dh, cache, truncate=as_int("k", k, 1))


@overflow_checked
def sliding_truncated_backward(
    dh: ArrayLike,
    cache: RNNCache,
    k: int,
) -> Grads:
    """BPTT in which every loss term is backpropagated at most ``k`` steps.

    The loss term at step ``t`` reaches the pre-activations of steps
    ``t-k+1 .. t``; the state entering step ``t-k+1`` is treated as a constant
    (as in ``rnn_backward``'s windows, ``h0`` gets the gradient of the terms
    whose horizon reaches step 0). ``k >= T`` is full BPTT. Rather than one
    recursion per loss term, all terms advance together one lag at a time:
    ``k`` banded matrix products, O(N T k H^2) work.

    Parameters
    ----------
    dh : ndarray, shape (N, T, H)
        ``dL/dh_t`` on every step.
    cache : RNNCache
        From ``rnn_forward``.
    k : int
        Horizon in steps, ``k >= 1``.

    Returns
    -------
    dx, dh0, dWx, dWh, db : ndarray
        As ``rnn_backward``.

    Examples
    --------
    >>> h, cache = rnn_forward(np.ones((1, 3, 1)), np.zeros((1, 1)),
    ...                        np.ones((1, 1)), np.ones((1, 1)), np.zeros(1))
    >>> dh = np.ones((1, 3, 1))
    >>> bool(np.allclose(sliding_truncated_backward(dh, cache, 3)[3], rnn_backward(dh, cache)[3]))
    True
    """
    h, Wh = _as_rnn_cache(cache).h, cache.Wh
    N, T, H = h.shape
    dh = as_array("dh", dh, (N, T, H))
    k = as_int("k", k, 1)
    gain = 1.0 - h**2  # (N, T, H), tanh'(a_t)
    # band[:, s] is the delta at step s of the loss term at step s + j, for lag j.
    band = dh * gain  # (N, T, H), j = 0
    delta = band.copy()  # (N, T, H), the sum over lags 0..k-1
    for j in range(1, min(k, T)):
        band = (band[:, 1:] @ Wh.T) * gain[:, : T - j]  # (N, T - j, H)
        delta[:, : T - j] += band
    return _check_gradients(delta, grads_from_deltas(delta, cache))  # raises on overflow


@overflow_checked
def randomized_truncated_backward(
    dh: ArrayLike,
    cache: RNNCache,
    c: ArrayLike,
    rng: np.random.Generator | int | None = None,
) -> Grads:
    """Unbiased randomized truncation of BPTT (Tallec and Ollivier, 2017).

    Going back from step ``t`` to step ``t - 1``, the carried gradient survives
    with probability ``c[t]`` and is then divided by ``c[t]``; otherwise it is
    cut. A path from the loss at step ``t`` to step ``s`` survives with
    probability ``P = c[s+1] c[s+2] ... c[t]`` and is weighted by ``1 / P``, so
    its expectation is its full-BPTT value: the estimate is unbiased, at the
    price of variance. A scalar ``c`` gives a geometric horizon,
    ``P(survive j steps) = c**j``, of mean ``1 / (1 - c)`` steps counting
    the loss's own. Draws are independent for each sequence of the batch.

    Parameters
    ----------
    dh : ndarray, shape (N, T, H)
        ``dL/dh_t`` on every step.
    cache : RNNCache
        From ``rnn_forward``.
    c : float or ndarray, shape (T,)
        Continuation probabilities in (0, 1]; ``c[t]`` is that of the link from
        step ``t`` into ``h_{t-1}`` (``c[0]``: into ``h0``). ``c = 1`` is full BPTT.
    rng : numpy.random.Generator or int or None
        Source of randomness, or a seed for ``np.random.default_rng``.

    Returns
    -------
    dx, dh0, dWx, dWh, db : ndarray
        As ``rnn_backward``, one random estimate of each.

    Examples
    --------
    >>> h, cache = rnn_forward(np.ones((1, 3, 1)), np.zeros((1, 1)),
    ...                        np.ones((1, 1)), np.ones((1, 1)), np.zeros(1))
    >>> dh = np.ones((1, 3, 1))
    >>> a = randomized_truncated_backward(dh, cache, 0.5, rng=0)[3]
    >>> bool(np.array_equal(a, randomized_truncated_backward(dh, cache, 0.5, rng=0)[3]))
    True
    """
    h, Wh = _as_rnn_cache(cache).h, cache.Wh
    N, T, H = h.shape
    dh = as_array("dh", dh, (N, T, H))
    c = _continuation(c, T)
    keep = as_rng("rng", rng).random((N, T)) < c  # (N, T), P(keep[n, t]) = c[t]
    weight = keep / c  # (N, T): 0 or 1 / c[t], mean 1, the unbiasing factor
    delta = np.empty_like(dh)  # (N, T, H)
    carry = np.zeros((N, H))  # what reaches h_t from step t + 1
    for t in range(T - 1, -1, -1):
        delta[:, t] = (dh[:, t] + carry) * (1.0 - h[:, t] ** 2)
        carry = weight[:, t, None] * (delta[:, t] @ Wh.T)  # (N, H), into h_{t-1}
    return _check_gradients(delta, grads_from_deltas(delta, cache, dh0=carry))


def truncation_bias(
    x: ArrayLike,
    h0: ArrayLike,
    Wx: ArrayLike,
    Wh: ArrayLike,
    b: ArrayLike,
    dh: ArrayLike,
    ks: Sequence[int],
    kind: Literal["sliding", "window"] = "sliding",
) -> NDArray[np.float64]:
    """Relative error of the truncated ``dWh`` against full BPTT, for each horizon.

    With ``kind="sliding"`` a longer horizon keeps every path a shorter one
    keeps, so on a contracting network the bias falls with ``k`` (exactly
    monotone when every path contributes with the same sign). Windows are not
    nested: the boundaries move with ``k``, and the window bias can rise and
    fall (``k = T - 1`` still cuts the last step's links), so it is the wrong
    curve for a "bias against k" plot unless that is the point being made.

    Parameters
    ----------
    x : ndarray, shape (N, T, D)
    h0 : ndarray, shape (N, H)
    Wx : ndarray, shape (D, H)
    Wh : ndarray, shape (H, H)
    b : ndarray, shape (H,)
        The network and its inputs, as for ``rnn_forward``.
    dh : ndarray, shape (N, T, H)
        ``dL/dh_t`` on every step.
    ks : sequence of int
        Horizons ``k >= 1``.
    kind : {"sliding", "window"}
        ``sliding_truncated_backward`` or ``truncated_gradient`` (windows).

    Returns
    -------
    bias : ndarray, shape (len(ks),)
        ``||dWh_k - dWh_full|| / ||dWh_full||`` (0 where the full gradient is 0).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x, dh = rng.standard_normal((1, 4, 1)), np.ones((1, 4, 2))
    >>> bias = truncation_bias(x, np.zeros((1, 2)), np.ones((1, 2)), 0.5 * np.eye(2),
    ...                        np.zeros(2), dh, [1, 4])
    >>> bool(bias[0] > 0), float(bias[1])
    (True, 0.0)
    """
    methods = {"window": truncated_gradient, "sliding": sliding_truncated_backward}
    method = methods[as_choice("kind", kind, methods)]
    ks = [as_int(f"ks[{i}]", k, 1) for i, k in enumerate(as_sequence("ks", ks, "int"))]
    _, cache = rnn_forward(x, h0, Wx, Wh, b)
    full = rnn_backward(dh, cache)[3]  # (H, H)
    truncated = [method(dh, cache, k)[3] for k in ks]
    with np.errstate(over="ignore", invalid="ignore"):
        scale = np.linalg.norm(full)
        errors = np.array([np.linalg.norm(t - full) for t in truncated])
    if not (np.isfinite(scale) and np.isfinite(errors).all()):
        # gradients near 1e154 or more: the same ratios, of the gradients over max |full|
        m = np.max(np.abs(full))
        scale, errors = norm(full / m), np.array([norm(t / m - full / m) for t in truncated])
    return errors / scale if scale > 0 else np.zeros(len(ks))


def _continuation(c, T):
    """Validate continuation probabilities: a scalar or shape (T,), each in (0, 1]."""
    scalar = as_ndarray("c", c).ndim == 0
    c = np.full(T, as_scalar("c", c)) if scalar else as_array("c", c, (T,))
    if not np.all((c > 0) & (c <= 1)):
        raise ValueError(f"c: expected continuation probabilities in (0, 1], got {c}")
    return c
