"""The layers around the recurrent cell: word embedding, output layer, softmax loss.

All act on batch-major sequences, shape ``(N, T, ...)``, and follow the same
``out, cache = *_forward(...)`` / ``grads = *_backward(dout, cache)`` pattern
as the cell.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._checks import (
    as_array,
    as_cache,
    as_ids,
    as_mask,
    as_real,
    check_overflow,
    overflow_checked,
)

__all__ = [
    "AffineCache",
    "EmbeddingCache",
    "embedding_backward",
    "embedding_forward",
    "softmax",
    "temporal_affine_backward",
    "temporal_affine_forward",
    "temporal_softmax_loss",
]


class AffineCache(NamedTuple):
    """What ``temporal_affine_backward`` needs."""

    h: np.ndarray  # (N, T, H)
    W: np.ndarray  # (H, V)


class EmbeddingCache(NamedTuple):
    """What ``embedding_backward`` needs."""

    idx: np.ndarray  # (N, T), int
    V: int
    D: int  # so that embedding_backward can check dout's width


def embedding_forward(
    idx: ArrayLike,
    W: ArrayLike,
) -> tuple[NDArray[np.float64], EmbeddingCache]:
    """Look up a vector for every token id.

    Parameters
    ----------
    idx : ndarray of int, shape (N, T)
        Token ids in ``[0, V)``.
    W : ndarray, shape (V, D)
        Embedding matrix, one row per word.

    Returns
    -------
    out : ndarray, shape (N, T, D)
        ``out[n, t] = W[idx[n, t]]``.
    cache : EmbeddingCache

    Examples
    --------
    >>> out, _ = embedding_forward(np.array([[2, 0]]), np.arange(6.0).reshape(3, 2))
    >>> out
    array([[[4., 5.],
            [0., 1.]]])
    """
    W = as_array("W", W, ("V", "D"))
    idx = as_ids("idx", idx, W.shape[0], ("N", "T"))
    return W[idx], EmbeddingCache(idx, *W.shape)


@overflow_checked
def embedding_backward(
    dout: ArrayLike,
    cache: EmbeddingCache,
) -> NDArray[np.float64]:
    """Gradient of the embedding matrix.

    Parameters
    ----------
    dout : ndarray, shape (N, T, D)
    cache : EmbeddingCache

    Returns
    -------
    dW : ndarray, shape (V, D)
        Row ``v`` sums ``dout`` over every position where word ``v`` occurs.

    Examples
    --------
    >>> _, cache = embedding_forward(np.array([[1, 1]]), np.zeros((2, 1)))
    >>> embedding_backward(np.ones((1, 2, 1)), cache)
    array([[0.],
           [2.]])
    """
    idx, V, D = as_cache("cache", cache, EmbeddingCache, "an EmbeddingCache from embedding_forward")
    dout = as_array("dout", dout, (*idx.shape, D))
    dW = np.zeros((V, D))
    np.add.at(dW, idx.ravel(), dout.reshape(idx.size, D))  # repeated ids accumulate
    return check_overflow("dW", dW, "the sum of dout over every position of a word")


@overflow_checked
def temporal_affine_forward(
    h: ArrayLike,
    W: ArrayLike,
    b: ArrayLike,
) -> tuple[NDArray[np.float64], AffineCache]:
    """Output layer applied at every step: ``y_t = h_t W + b``.

    Parameters
    ----------
    h : ndarray, shape (N, T, H)
    W : ndarray, shape (H, V)
        Hidden-to-output weights, W_hy.
    b : ndarray, shape (V,)
        Output bias, b_y.

    Returns
    -------
    y : ndarray, shape (N, T, V)
    cache : AffineCache

    Examples
    --------
    >>> y, _ = temporal_affine_forward(np.ones((1, 2, 2)), np.eye(2), np.array([0.0, 1.0]))
    >>> y
    array([[[1., 2.],
            [1., 2.]]])
    """
    sizes = {}
    h = as_array("h", h, ("N", "T", "H"), sizes)
    W = as_array("W", W, ("H", "V"), sizes)
    b = as_array("b", b, ("V",), sizes)
    y = check_overflow("y", h @ W + b, "h W + b: h or the weights too large")
    return y, AffineCache(h, W)


@overflow_checked
def temporal_affine_backward(
    dy: ArrayLike,
    cache: AffineCache,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Backward pass of ``temporal_affine_forward``.

    Parameters
    ----------
    dy : ndarray, shape (N, T, V)
    cache : AffineCache

    Returns
    -------
    dh : ndarray, shape (N, T, H)
    dW : ndarray, shape (H, V)
    db : ndarray, shape (V,)

    Examples
    --------
    >>> _, cache = temporal_affine_forward(np.ones((1, 2, 1)), np.ones((1, 1)), np.zeros(1))
    >>> [g.ravel().tolist() for g in temporal_affine_backward(np.ones((1, 2, 1)), cache)]
    [[1.0, 1.0], [2.0], [2.0]]
    """
    h, W = as_cache("cache", cache, AffineCache, "an AffineCache from temporal_affine_forward")
    N, T, H = h.shape
    dy = as_array("dy", dy, (N, T, W.shape[1]))
    dW = h.reshape(N * T, H).T @ dy.reshape(N * T, -1)  # sums over batch and time
    grads = dy @ W.T, dW, dy.sum(axis=(0, 1))
    for name, g in zip(("dh", "dW", "db"), grads):
        check_overflow(name, g, "a product or sum of dy and the layer's inputs: dy too large")
    return grads


def softmax(z: ArrayLike) -> NDArray[np.float64]:
    """Softmax over the last axis, shifted by the maximum so ``exp`` cannot overflow.

    Parameters
    ----------
    z : array_like, shape (..., V)
        Finite scores; at least one axis, no axis of length 0. (An all ``-inf`` row
        has no softmax, and ``[inf, 0]`` none in floating point: both are refused.)

    Returns
    -------
    ndarray, shape (..., V)
        Non-negative, summing to 1 along the last axis.

    Examples
    --------
    >>> softmax(np.array([1000.0, 1000.0]))
    array([0.5, 0.5])
    """
    z = as_real("z", z, nonempty=True)
    if z.ndim == 0:
        raise ValueError("z: expected an array of shape (..., V), got a scalar")
    return _softmax(z)


def _softmax(z):
    """``softmax`` of a validated array. Finite ``z`` gives a finite result: the row's
    maximum contributes ``exp(0) = 1`` to the sum, and ``exp`` of the others, each at
    most 0 (perhaps ``-inf`` after the shift), lies in [0, 1]."""
    with np.errstate(over="ignore"):  # z - max may be -inf: exp gives 0, as it should
        e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _log_softmax(z):
    """Log of the softmax over the last axis of a validated array, computed directly,
    so that a tiny probability gives a large finite negative number, not log(0).

    Examples
    --------
    >>> np.round(_log_softmax(np.array([0.0, np.log(3.0)])), 4)
    array([-1.3863, -0.2877])
    """
    shifted = z - z.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


@overflow_checked
def temporal_softmax_loss(
    logits: ArrayLike,
    targets: ArrayLike,
    mask: ArrayLike | None = None,
) -> tuple[float, NDArray[np.float64]]:
    """Mean cross-entropy of a softmax at every step, and its gradient.

    Parameters
    ----------
    logits : ndarray, shape (N, T, V)
    targets : ndarray of int, shape (N, T)
        The correct class at every step, in ``[0, V)``.
    mask : ndarray of bool, shape (N, T), optional
        Steps that carry a loss (default: all). The loss is averaged over them.

    Returns
    -------
    loss : float
        ``-mean(log p[target])`` over the masked steps, in nats; ``exp(loss)``
        is the perplexity.
    dlogits : ndarray, shape (N, T, V)

    Examples
    --------
    >>> loss, dlogits = temporal_softmax_loss(np.zeros((1, 1, 4)), np.array([[2]]))
    >>> bool(np.isclose(loss, np.log(4)))
    True
    """
    logits = as_array("logits", logits, ("N", "T", "V"))
    N, T, V = logits.shape
    targets = as_ids("targets", targets, V, ("N", "T"))
    if targets.shape != (N, T):
        raise ValueError(f"targets: expected shape {(N, T)}, got shape {targets.shape}")
    mask = np.ones((N, T), bool) if mask is None else as_mask("mask", mask, (N, T))
    if not mask.any():
        raise ValueError(f"mask: expected shape {(N, T)} with a True entry, got none True")
    logp = _log_softmax(logits)  # (N, T, V)
    n, t = np.nonzero(mask)
    picked = logp[n, t, targets[n, t]]
    if not np.isfinite(picked).all():  # a target's logit more than ~1.8e308 below the top
        i = int(np.flatnonzero(~np.isfinite(picked))[0])
        raise ValueError(
            f"logits: the loss overflowed float64 at n = {n[i]}, t = {t[i]}: the target's "
            "logit lies further below the step's largest logit than float64 can hold"
        )
    loss = -picked.mean()
    if not np.isfinite(loss):  # each term finite, their sum not: average before summing
        loss = -(picked / picked.size).sum()
    dlogits = np.exp(logp)
    dlogits[n, t, targets[n, t]] -= 1.0  # d(-log p_y)/dz = p - onehot(y)
    dlogits *= mask[..., None] / n.size
    return float(loss), dlogits
