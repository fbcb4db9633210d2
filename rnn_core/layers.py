"""The layers around the recurrent cell: word embedding, output layer, softmax loss.

All act on batch-major sequences, shape ``(N, T, ...)``, and follow the same
``out, cache = *_forward(...)`` / ``grads = *_backward(dout, cache)`` pattern
as the cell.
"""

from typing import NamedTuple

import numpy as np

from ._checks import as_array


class AffineCache(NamedTuple):
    """What ``temporal_affine_backward`` needs."""

    h: np.ndarray  # (N, T, H)
    W: np.ndarray  # (H, V)


class EmbeddingCache(NamedTuple):
    """What ``embedding_backward`` needs."""

    idx: np.ndarray  # (N, T), int
    V: int


def _as_index(name, idx, V):
    """Check an integer array of token ids in ``[0, V)``, shape ``(N, T)``."""
    idx = np.asarray(idx)
    if idx.ndim != 2 or not np.issubdtype(idx.dtype, np.integer):
        raise ValueError(
            f"{name}: expected 2-d integer array of shape (N, T), "
            f"got {idx.ndim}-d {idx.dtype} array of shape {idx.shape}"
        )
    if idx.size == 0 or idx.min() < 0 or idx.max() >= V:
        got = "empty" if idx.size == 0 else f"values in [{idx.min()}, {idx.max()}]"
        raise ValueError(f"{name}: expected non-empty ids in [0, {V - 1}], got {got}")
    return idx


def embedding_forward(idx, W):
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
    idx = _as_index("idx", idx, W.shape[0])
    return W[idx], EmbeddingCache(idx, W.shape[0])


def embedding_backward(dout, cache):
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
    idx, V = cache
    dout = as_array("dout", dout, (*idx.shape, "D"))
    dW = np.zeros((V, dout.shape[-1]))
    np.add.at(dW, idx.ravel(), dout.reshape(idx.size, -1))  # repeated ids accumulate
    return dW


def temporal_affine_forward(h, W, b):
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
    return h @ W + b, AffineCache(h, W)


def temporal_affine_backward(dy, cache):
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
    h, W = cache
    N, T, H = h.shape
    dy = as_array("dy", dy, (N, T, W.shape[1]))
    dW = h.reshape(N * T, H).T @ dy.reshape(N * T, -1)  # sums over batch and time
    return dy @ W.T, dW, dy.sum(axis=(0, 1))


def softmax(z):
    """Softmax over the last axis, shifted by the maximum so ``exp`` cannot overflow.

    Examples
    --------
    >>> softmax(np.array([1000.0, 1000.0]))
    array([0.5, 0.5])
    """
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def log_softmax(z):
    """Log of the softmax over the last axis, computed directly, so that a tiny
    probability gives a large finite negative number, not log(0).

    Examples
    --------
    >>> np.round(log_softmax(np.array([0.0, np.log(3.0)])), 4)
    array([-1.3863, -0.2877])
    """
    shifted = z - z.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def temporal_softmax_loss(logits, targets, mask=None):
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
    targets = _as_index("targets", targets, V)
    if targets.shape != (N, T):
        raise ValueError(f"targets: expected shape {(N, T)}, got shape {targets.shape}")
    mask = np.ones((N, T), bool) if mask is None else np.asarray(mask, bool)
    if mask.shape != (N, T) or not mask.any():
        raise ValueError(f"mask: expected shape {(N, T)} with a True entry, got {mask.shape}")
    logp = log_softmax(logits)  # (N, T, V)
    n, t = np.nonzero(mask)
    loss = -logp[n, t, targets[n, t]].mean()
    dlogits = np.exp(logp)
    dlogits[n, t, targets[n, t]] -= 1.0  # d(-log p_y)/dz = p - onehot(y)
    dlogits *= mask[..., None] / n.size
    return float(loss), dlogits
