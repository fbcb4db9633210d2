"""A word-level RNN language model trained by truncated backpropagation through time.

The model reads token ids ``w_1, w_2, ...`` and predicts the next one,

    x_t = E[w_t],    h_t = tanh(x_t Wx + h_{t-1} Wh + b),
    p(w_{t+1} | w_1..w_t) = softmax(h_t Wy + by),

built from ``layers.embedding_forward``, ``cell.rnn_forward``,
``layers.temporal_affine_forward`` and ``layers.temporal_softmax_loss`` (and
their backward passes). Training cuts a long id stream into ``batch`` parallel
streams and windows of ``k`` steps: the hidden state is carried from one window
to the next, the gradient is not (truncated BPTT). Losses are mean
cross-entropies per predicted token in nats, so ``exp(loss)`` is a perplexity.
Bad input raises ``ValueError`` naming the argument.

``lm_loss`` is the single-model reference, written with the public layers.
Training runs ``ensemble.train_lm``, which computes the same numbers (the tests
compare it with ``lm_loss`` to 1e-12) for many seeds at once; :func:`train_lm`
is that loop with one member.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from rnn_core._checks import (
    as_array,
    as_ids,
    as_int,
    as_ndarray,
    as_params,
    as_positive,
    as_sequence,
    check_overflow,
)
from rnn_core._typing import Params
from rnn_core.cell import rnn_backward, rnn_forward
from rnn_core.layers import (
    embedding_backward,
    embedding_forward,
    softmax,
    temporal_affine_backward,
    temporal_affine_forward,
    temporal_softmax_loss,
)

__all__ = [
    "FoldResult",
    "LMResult",
    "TrainResult",
    "bigram_perplexity",
    "bigram_table",
    "cross_validate",
    "init_lm",
    "lm_loss",
    "perplexity",
    "read_sequence",
    "sample",
    "train_lm",
    "tuned_bigram_perplexity",
    "tuned_unigram_perplexity",
    "uniform_perplexity",
    "unigram_perplexity",
]

# Shape of every parameter, in the named sizes V (vocabulary), D (embedding), H (hidden).
_SPECS = {
    "E": ("V", "D"),
    "Wx": ("D", "H"),
    "Wh": ("H", "H"),
    "b": ("H",),
    "Wy": ("H", "V"),
    "by": ("V",),
}


class LMResult(NamedTuple):
    """Loss on one window, its gradients and the state to carry into the next window."""

    loss: float  # mean cross-entropy per target token, nats
    grads: dict  # same keys and shapes as params
    h_last: np.ndarray  # (N, H)


class TrainResult(NamedTuple):
    """Trained parameters, the mean training loss and held-out perplexity of every epoch."""

    params: dict
    losses: np.ndarray  # (epochs,)
    valid_perplexity: np.ndarray | None = None  # (epochs,), with valid_ids
    train_perplexity: np.ndarray | None = None  # (epochs,) end-of-epoch model on the training ids


class _Forward(NamedTuple):
    logits: np.ndarray  # (N, T, V)
    h: np.ndarray  # (N, T, H)
    caches: tuple  # (EmbeddingCache, RNNCache, AffineCache)


def _check_params(params):
    """Validate the parameter dict; return float64 arrays and the sizes (V, D, H)."""
    sizes = {}
    p = as_params("params", params, _SPECS, sizes, exact=True)
    return p, (sizes["V"], sizes["D"], sizes["H"])


def _as_stream(name, ids, V, min_len, why):
    """Return ``ids`` as a 1-d integer array of at least ``min_len`` ids in ``[0, V)``."""
    ids = as_ndarray(name, ids)
    if ids.ndim != 1:
        raise ValueError(f"{name}: expected a 1-d id stream of shape (n,), got shape {ids.shape}")
    if ids.size < min_len:
        raise ValueError(f"{name}: expected at least {min_len} ids ({why}), got {ids.size}")
    if not np.issubdtype(ids.dtype, np.integer):
        raise ValueError(f"{name}: expected integer ids, got dtype {ids.dtype}")
    if ids.min() < 0 or ids.max() >= V:
        raise ValueError(
            f"{name}: expected ids in [0, {V - 1}], got values in [{ids.min()}, {ids.max()}]"
        )
    return ids


def init_lm(V: int, D: int, H: int, seed: int = 0) -> Params:
    """Random parameters of the language model.

    Every weight is Gaussian with variance 1 / fan-in (LeCun), so the
    pre-activations ``x_t Wx`` and ``h_{t-1} Wh`` start with variance about 1
    and about ``mean(h**2) < 1``, in the responsive range of tanh. The embedding
    has unit-variance entries, the biases start at zero, and ``Wy`` is drawn a
    further 10 times smaller so that the first predictions are nearly uniform:
    the initial loss is close to ``log V``.

    Parameters
    ----------
    V, D, H : int
        Vocabulary size, embedding size and hidden size, each >= 1.
    seed : int
        Seed for ``np.random.default_rng``.

    Returns
    -------
    params : dict of str to ndarray
        ``E`` (V, D), ``Wx`` (D, H), ``Wh`` (H, H), ``b`` (H,), ``Wy`` (H, V), ``by`` (V,).

    Examples
    --------
    >>> params = init_lm(V=5, D=3, H=4)
    >>> {k: v.shape for k, v in params.items()}
    {'E': (5, 3), 'Wx': (3, 4), 'Wh': (4, 4), 'b': (4,), 'Wy': (4, 5), 'by': (5,)}
    """
    V, D, H = as_int("V", V, 1), as_int("D", D, 1), as_int("H", H, 1)
    rng = np.random.default_rng(as_int("seed", seed, 0))
    return {
        "E": rng.standard_normal((V, D)),
        "Wx": rng.standard_normal((D, H)) / np.sqrt(D),
        "Wh": rng.standard_normal((H, H)) / np.sqrt(H),
        "b": np.zeros(H),
        "Wy": 0.1 * rng.standard_normal((H, V)) / np.sqrt(H),
        "by": np.zeros(V),
    }


def _forward(p, inputs, h0):
    """Embedding -> RNN -> output layer on validated arrays."""
    x, e_cache = embedding_forward(inputs, p["E"])  # (N, T, D)
    h, r_cache = rnn_forward(x, h0, p["Wx"], p["Wh"], p["b"])  # (N, T, H)
    logits, a_cache = temporal_affine_forward(h, p["Wy"], p["by"])  # (N, T, V)
    return _Forward(logits, h, (e_cache, r_cache, a_cache))


def lm_loss(
    params: dict[str, np.ndarray],
    inputs: ArrayLike,
    targets: ArrayLike,
    h0: ArrayLike | None = None,
) -> LMResult:
    """Mean next-token cross-entropy on one window, and its gradients by full BPTT.

    Parameters
    ----------
    params : dict of str to ndarray
        As returned by ``init_lm``.
    inputs : ndarray of int, shape (N, T)
        Token ids fed to the model, in ``[0, V)``.
    targets : ndarray of int, shape (N, T)
        The id to predict at every step (``inputs`` shifted by one).
    h0 : ndarray, shape (N, H), optional
        State entering the window (default zeros); treated as a constant.

    Returns
    -------
    LMResult
        ``loss`` (nats per token), ``grads`` (same keys as ``params``) and
        ``h_last`` (N, H), the state after the last step.

    Examples
    --------
    >>> params = init_lm(V=5, D=3, H=4)
    >>> res = lm_loss(params, np.array([[0, 1, 2]]), np.array([[1, 2, 3]]))
    >>> bool(abs(res.loss - np.log(5)) < 0.1), res.grads["Wh"].shape, res.h_last.shape
    (True, (4, 4), (1, 4))
    """
    p, (V, _, H) = _check_params(params)
    inputs = as_ids("inputs", inputs, V, ("N", "T"))
    targets = as_ids("targets", targets, V, ("N", "T"))
    if targets.shape != inputs.shape:
        raise ValueError(f"targets: expected shape {inputs.shape}, got shape {targets.shape}")
    h0 = np.zeros((inputs.shape[0], H)) if h0 is None else h0
    h0 = as_array("h0", h0, (inputs.shape[0], H))
    fwd = _forward(p, inputs, h0)
    e_cache, r_cache, a_cache = fwd.caches
    loss, dlogits = temporal_softmax_loss(fwd.logits, targets)
    dh, dWy, dby = temporal_affine_backward(dlogits, a_cache)
    dx, _, dWx, dWh, db = rnn_backward(dh, r_cache)
    grads = {
        "E": embedding_backward(dx, e_cache),
        "Wx": dWx,
        "Wh": dWh,
        "b": db,
        "Wy": dWy,
        "by": dby,
    }
    return LMResult(loss, grads, fwd.h[:, -1].copy())


def _batchify(ids, batch, k):
    """Cut a stream into ``batch`` contiguous rows of inputs and targets, shape (batch, L).

    Row ``n`` holds ``ids[n L : (n + 1) L]`` and its targets are the same
    positions shifted by one; the last ``(len(ids) - 1) % batch`` ids are dropped.
    """
    L = (ids.size - 1) // batch
    if k > L:  # too short: not even one window per stream
        raise ValueError(
            f"ids: expected at least batch * k + 1 = {batch * k + 1} ids, got {ids.size}"
        )
    return ids[: batch * L].reshape(batch, L), ids[1 : batch * L + 1].reshape(batch, L)


def train_lm(
    ids: ArrayLike,
    V: int,
    *,
    D: int,
    H: int,
    k: int,
    batch: int,
    epochs: int,
    lr: float,
    max_norm: float | None,
    seed: int = 0,
    valid_ids: ArrayLike | None = None,
) -> TrainResult:
    """Train the language model on one id stream with truncated BPTT and Adam.

    The stream is cut into ``batch`` contiguous streams read in parallel; each
    epoch walks them in windows of ``k`` steps (the last window may be shorter),
    starting from a zero state. The state at the end of a window enters the
    next one, but no gradient crosses the boundary. Every window takes one Adam
    step on gradients clipped to global norm ``max_norm``. Nothing is shuffled,
    so the result depends only on the arguments. The loop is
    ``ensemble.train_lm``'s with one member: one seed is one draw from a
    distribution, so the book trains many at once.

    Parameters
    ----------
    ids : ndarray of int, shape (n,)
        Training stream, ids in ``[0, V)``, ``n >= batch * k + 1``.
    V, D, H : int
        Vocabulary, embedding and hidden sizes.
    k : int
        Truncation window (steps per update).
    batch : int
        Number of parallel streams.
    epochs : int
        Passes over the stream.
    lr : float
        Adam learning rate, > 0.
    max_norm : float or None
        Gradient clipping threshold, > 0 (None: no clipping).
    seed : int
        Seed of ``init_lm``.
    valid_ids : ndarray of int, shape (m,), optional
        A held-out stream whose perplexity is measured after every epoch.

    Returns
    -------
    TrainResult
        ``params``; ``losses`` (epochs,), the token-weighted mean training
        loss of each epoch, measured before each window's update (a running
        mean over a model that changes during the epoch, not the loss of the
        end-of-epoch model); ``valid_perplexity`` (epochs,), or None without
        ``valid_ids``; and ``train_perplexity`` (epochs,), the end-of-epoch
        model's perplexity on the training ids, read from a zero state.

    Examples
    --------
    >>> ids = np.tile([0, 1, 2, 1], 10)
    >>> res = train_lm(ids, 3, D=4, H=8, k=5, batch=2, epochs=20, lr=0.05, max_norm=5.0)
    >>> res.losses.shape, bool(res.losses[-1] < 0.5 * res.losses[0])
    ((20,), True)
    """
    from . import ensemble  # ensemble imports this module for init_lm and the streams

    seeds = (as_int("seed", seed, 0),)
    options = dict(D=D, H=H, k=k, batch=batch, epochs=epochs, lr=lr, max_norm=max_norm)
    res = ensemble.train_lm(ids, V, seeds, **options, valid_ids=valid_ids)
    valid = None if res.valid_perplexity is None else res.valid_perplexity[0]
    return TrainResult(
        ensemble.member(res.params, 0), res.losses[0], valid, res.train_perplexity[0]
    )


def perplexity(
    params: dict[str, np.ndarray],
    ids: ArrayLike,
    k: int = 100,
) -> float:
    """Perplexity ``exp(mean cross-entropy)`` of the model on a held-out id stream.

    The model reads the stream from a zero state, carrying its state across
    chunks of ``k`` steps (the chunking only bounds memory: the result does not
    depend on ``k``), and predicts each of the ``n - 1`` ids after the first.

    Parameters
    ----------
    params : dict of str to ndarray
    ids : ndarray of int, shape (n,)
        ``n >= 2``, ids in ``[0, V)``.
    k : int
        Chunk length, >= 1.

    Returns
    -------
    float

    Examples
    --------
    >>> params = init_lm(V=6, D=3, H=4)
    >>> bool(abs(perplexity(params, np.array([0, 3, 5, 1, 2])) - 6) < 0.5)
    True
    """
    p, (V, _, H) = _check_params(params)
    ids = _as_stream("ids", ids, V, 2, "one input and one target")
    k = as_int("k", k, 1)
    h, total = np.zeros((1, H)), 0.0
    for s in range(0, ids.size - 1, k):
        inputs, targets = ids[None, s : s + k], ids[None, s + 1 : s + k + 1]
        inputs = inputs[:, : targets.shape[1]]  # the last chunk has no target past the end
        fwd = _forward(p, inputs, h)
        total += temporal_softmax_loss(fwd.logits, targets)[0] * targets.size
        h = fwd.h[:, -1]
    return _exp_loss(total / (ids.size - 1))


def _exp_loss(loss):
    """A perplexity, ``exp(loss)``, or a ValueError if it exceeds float64 (loss > 709 nats)."""
    with np.errstate(over="ignore"):
        ppl = float(np.exp(loss))
    why = f"exp of a mean loss of {loss:.4g} nats: the model is far from the data"
    return float(check_overflow("perplexity", np.asarray(ppl), why))


def sample(
    params: dict[str, np.ndarray],
    start_ids: ArrayLike,
    n: int,
    seed: int = 0,
    temperature: float = 1.0,
) -> NDArray[np.int64]:
    """Generate ``n`` ids by ancestral sampling, each fed back as the next input.

    Parameters
    ----------
    params : dict of str to ndarray
    start_ids : ndarray of int, shape (m,)
        Prompt, ``m >= 1``; the model reads it from a zero state.
    n : int
        Number of ids to generate, >= 1.
    seed : int
        Seed for ``np.random.default_rng``.
    temperature : float
        > 0; the logits are divided by it (< 1 sharpens, > 1 flattens).

    Returns
    -------
    ndarray of int64, shape (n,)
        The generated ids (the prompt is not included).

    Examples
    --------
    >>> params = init_lm(V=5, D=3, H=4)
    >>> out = sample(params, np.array([0, 1]), n=6, seed=1)
    >>> out.shape, bool(np.array_equal(out, sample(params, np.array([0, 1]), n=6, seed=1)))
    ((6,), True)
    """
    p, (V, _, H) = _check_params(params)
    start_ids = _as_stream("start_ids", start_ids, V, 1, "a prompt to condition on")
    n = as_int("n", n, 1)
    temperature = as_positive("temperature", temperature)
    rng = np.random.default_rng(as_int("seed", seed, 0))
    fwd = _forward(p, start_ids[None], np.zeros((1, H)))
    out = np.empty(n, dtype=np.int64)
    for i in range(n):
        out[i] = rng.choice(V, p=softmax(_scaled(fwd.logits[0, -1], temperature)))
        fwd = _forward(p, out[None, i : i + 1], fwd.h[:, -1])  # carry the state
    return out


def _scaled(logits, temperature):
    """``logits / temperature``, or a ValueError if a small temperature overflows it."""
    with np.errstate(over="ignore"):
        z = logits / temperature
    if not np.isfinite(z).all():
        raise ValueError(
            f"temperature: expected a temperature that keeps logits / temperature finite, "
            f"got {temperature!r} (largest |logit| {np.abs(logits).max():.3g})"
        )
    return z


def bigram_perplexity(
    train_ids: ArrayLike,
    test_ids: ArrayLike,
    V: int,
    alpha: float = 1.0,
) -> float:
    """Perplexity of the add-``alpha`` smoothed bigram model, the baseline to beat.

    ``P(b | a) = (C[a, b] + alpha) / (sum_c C[a, c] + alpha V)`` with ``C``
    the bigram counts of ``train_ids``; the perplexity is
    ``exp(-mean log P(test[t + 1] | test[t]))`` over the ``n - 1`` test bigrams.

    Parameters
    ----------
    train_ids : ndarray of int, shape (n,)
    test_ids : ndarray of int, shape (m,)
        At least 2 ids each, in ``[0, V)``.
    V : int
        Vocabulary size, >= 1.
    alpha : float
        Pseudo-count, > 0 (so no test bigram has probability zero).

    Returns
    -------
    float

    Examples
    --------
    >>> round(bigram_perplexity(np.array([0, 1, 0, 1, 1]), np.array([0, 1, 1]), V=2), 6)
    1.632993
    """
    V = as_int("V", V, 1)
    train_ids = _as_stream("train_ids", train_ids, V, 2, "one bigram")
    test_ids = _as_stream("test_ids", test_ids, V, 2, "one bigram")
    probs = bigram_table(train_ids, V, alpha)
    return float(np.exp(-np.log(probs[test_ids[:-1], test_ids[1:]]).mean()))


def bigram_table(
    train_ids: ArrayLike,
    V: int,
    alpha: float = 1.0,
) -> NDArray[np.float64]:
    """The add-``alpha`` bigram model as a table: ``P[a, b]``, the probability of ``b`` after ``a``.

    Parameters
    ----------
    train_ids : ndarray of int, shape (n,)
        At least 2 ids in ``[0, V)``.
    V : int
    alpha : float
        Pseudo-count, > 0.

    Returns
    -------
    ndarray, shape (V, V)
        Rows sum to 1.

    Examples
    --------
    >>> bigram_table(np.array([0, 1, 0, 1, 1]), V=2, alpha=1.0)
    array([[0.25, 0.75],
           [0.5 , 0.5 ]])
    """
    V = as_int("V", V, 1)
    train_ids = _as_stream("train_ids", train_ids, V, 2, "one bigram")
    alpha = as_positive("alpha", alpha)
    counts = np.zeros((V, V))
    np.add.at(counts, (train_ids[:-1], train_ids[1:]), 1.0)  # repeated bigrams accumulate
    return (counts + alpha) / (counts.sum(axis=1, keepdims=True) + alpha * V)  # (V, V)


def uniform_perplexity(V: int) -> float:
    """Perplexity of the uniform distribution over ``V`` words, which is ``V``.

    Examples
    --------
    >>> uniform_perplexity(10)
    10.0
    """
    return float(as_int("V", V, 1))


def read_sequence(
    params: dict[str, np.ndarray],
    ids: ArrayLike,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Read one id sequence from a zero state: the hidden states and the next-word distributions.

    Parameters
    ----------
    params : dict of str to ndarray
    ids : ndarray of int, shape (T,)

    Returns
    -------
    h : ndarray, shape (T, H)
        ``h[t]`` is the state after reading ``ids[t]``.
    probs : ndarray, shape (T, V)
        ``probs[t]`` is the model's distribution of the id after ``ids[t]``.

    Examples
    --------
    >>> h, probs = read_sequence(init_lm(V=5, D=2, H=3), np.array([0, 4, 2]))
    >>> h.shape, probs.shape, bool(np.allclose(probs.sum(axis=1), 1.0))
    ((3, 3), (3, 5), True)
    """
    p, (V, _, H) = _check_params(params)
    ids = _as_stream("ids", ids, V, 1, "at least one id")
    fwd = _forward(p, ids[None], np.zeros((1, H)))
    return fwd.h[0], softmax(fwd.logits[0])


def unigram_perplexity(
    train_ids: ArrayLike,
    test_ids: ArrayLike,
    V: int,
    alpha: float = 1.0,
) -> float:
    """Perplexity of the add-``alpha`` smoothed unigram model: word frequencies, no context.

    Scored on the same ``n - 1`` test targets as the bigram and the RNN (the
    first test id is context only).

    Parameters
    ----------
    train_ids : ndarray of int, shape (n,)
        At least 1 id in ``[0, V)``.
    test_ids : ndarray of int, shape (m,)
        At least 2 ids in ``[0, V)``.
    V : int
        Vocabulary size, >= 1.
    alpha : float
        Pseudo-count, > 0.

    Returns
    -------
    float

    Examples
    --------
    >>> round(unigram_perplexity(np.array([0, 0, 1]), np.array([1, 0, 0]), V=2), 4)
    1.6667
    """
    V = as_int("V", V, 1)
    train_ids = _as_stream("train_ids", train_ids, V, 1, "at least one id")
    test_ids = _as_stream("test_ids", test_ids, V, 2, "one target")
    alpha = as_positive("alpha", alpha)
    probs = (np.bincount(train_ids, minlength=V) + alpha) / (train_ids.size + alpha * V)
    return float(np.exp(-np.log(probs[test_ids[1:]]).mean()))


class FoldResult(NamedTuple):
    """Held-out perplexities of one cross-validation fold."""

    fold: int
    rnn: np.ndarray  # (seeds,), one trained model per seed, in the order of `seeds`
    bigram: float  # add-alpha bigram with alpha tuned on validation data
    alpha: float
    unigram: float  # add-alpha unigram, alpha tuned the same way
    unk_share: float  # share of <unk> among the test targets
    seeds: tuple  # the seeds of `rnn`
    n_targets: int  # test targets scored: every perplexity of the fold averages over them


def _fold_ids(tokens, lo, hi, min_count):
    """Closed vocabulary from the training part; train = tokens outside [lo, hi)."""
    from .data import build_vocab, encode

    train_tokens = tokens[:lo] + tokens[hi:]
    vocab = build_vocab(train_tokens, unk=True, min_count=min_count)
    return encode(vocab, train_tokens), encode(vocab, tokens[lo:hi]), len(vocab.itos)


def _tuned(score, train_ids, test_ids, V, alphas):
    """Pick alpha by ``score`` on the last 10% of ``train_ids``; score the test with it."""
    V = as_int("V", V, 1)
    train_ids = _as_stream("train_ids", train_ids, V, 20, "two bigrams")
    test_ids = _as_stream("test_ids", test_ids, V, 2, "one target")
    alphas = [
        as_positive(f"alphas[{i}]", a) for i, a in enumerate(as_sequence("alphas", alphas, "float"))
    ]
    cut = int(0.9 * train_ids.size)
    valid = [score(train_ids[:cut], train_ids[cut:], V, a) for a in alphas]
    alpha = float(alphas[int(np.argmin(valid))])
    return score(train_ids, test_ids, V, alpha), alpha


def tuned_bigram_perplexity(
    train_ids: ArrayLike,
    test_ids: ArrayLike,
    V: int,
    alphas: Sequence[float] = (0.01, 0.03, 0.1, 0.3, 1.0),
) -> tuple[float, float]:
    """The bigram baseline with its pseudo-count chosen on held-out training data.

    Each ``alpha`` is scored by :func:`bigram_perplexity` with the first 90% of
    ``train_ids`` as training data and the last 10% as validation data; the best
    one is then used with all of ``train_ids`` on ``test_ids``. The test ids never
    influence the choice.

    Parameters
    ----------
    train_ids : ndarray of int, shape (n,)
        At least 20 ids in ``[0, V)``, so that both parts hold a bigram.
    test_ids : ndarray of int, shape (m,)
        At least 2 ids in ``[0, V)``.
    V : int
        Vocabulary size, >= 1.
    alphas : sequence of float
        The candidates, each > 0.

    Returns
    -------
    perplexity : float
        Test perplexity with the chosen ``alpha``.
    alpha : float
        The chosen pseudo-count.

    Examples
    --------
    >>> train = np.array([0, 1] * 11)  # strictly alternating: little smoothing is best
    >>> ppl, alpha = tuned_bigram_perplexity(train, np.array([0, 1, 0]), 2, (0.1, 1.0))
    >>> alpha, round(ppl, 4)
    (0.1, 1.0095)
    """
    return _tuned(bigram_perplexity, train_ids, test_ids, V, alphas)


def tuned_unigram_perplexity(
    train_ids: ArrayLike,
    test_ids: ArrayLike,
    V: int,
    alphas: Sequence[float] = (0.01, 0.03, 0.1, 0.3, 1.0),
) -> tuple[float, float]:
    """The unigram baseline with its pseudo-count chosen as :func:`tuned_bigram_perplexity`
    chooses the bigram's: on the last 10% of ``train_ids``, never on ``test_ids``.

    Parameters
    ----------
    train_ids : ndarray of int, shape (n,)
        At least 20 ids in ``[0, V)``.
    test_ids : ndarray of int, shape (m,)
        At least 2 ids in ``[0, V)``.
    V : int
        Vocabulary size, >= 1.
    alphas : sequence of float
        The candidates, each > 0.

    Returns
    -------
    perplexity : float
    alpha : float

    Examples
    --------
    >>> train = np.array([0, 0, 1, 0, 2] * 4)
    >>> ppl, alpha = tuned_unigram_perplexity(train, np.array([0, 0, 2]), 4, (0.1, 1.0))
    >>> alpha, round(ppl, 4)
    (1.0, 2.9768)
    """
    return _tuned(unigram_perplexity, train_ids, test_ids, V, alphas)


def cross_validate(
    tokens: Sequence[str],
    folds: int = 5,
    seeds: Iterable[int] = range(10),
    min_count: int = 2,
    alphas: Sequence[float] = (0.01, 0.03, 0.1, 0.3, 1.0),
    **train_kwargs: Any,
) -> list[FoldResult]:
    """Contiguous k-fold comparison of the RNN language model with n-gram baselines.

    Fold ``f`` holds out the ``f``-th contiguous block of tokens; the rest
    (joined) is the training part, from which the vocabulary is built (words
    seen at least ``min_count`` times, others ``<unk>``). The RNN is trained
    once per seed with ``train_kwargs`` (as for :func:`train_lm`), all seeds of
    a fold at once (``ensemble.train_lm``); the n-gram baselines have no seed.

    Returns
    -------
    list of FoldResult
        ``rnn`` (seeds,) holds one held-out perplexity per seed, so a difference
        from ``bigram`` can be judged against its spread over seeds.

    Examples
    --------
    >>> toks = ("a b a c " * 30).split()
    >>> res = cross_validate(toks, folds=2, seeds=(0, 1), D=2, H=4, k=4, batch=1,
    ...                      epochs=3, lr=0.05, max_norm=5.0)
    >>> len(res), res[0].rnn.shape, res[0].seeds, res[0].n_targets
    (2, (2,), (0, 1), 59)
    """
    from . import ensemble
    from .data import _as_tokens

    tokens = _as_tokens("tokens", tokens)
    folds = as_int("folds", folds, 2, len(tokens) // 2)  # two tokens at least in every test part
    seeds = [as_int(f"seeds[{i}]", s, 0) for i, s in enumerate(as_sequence("seeds", seeds, "int"))]
    edges = np.linspace(0, len(tokens), folds + 1).round().astype(int)
    results = []
    for f in range(folds):
        train, test, V = _fold_ids(list(tokens), edges[f], edges[f + 1], min_count)
        trained = ensemble.train_lm(train, V, seeds, **train_kwargs)
        bigram, alpha = tuned_bigram_perplexity(train, test, V, alphas)
        unigram, _ = tuned_unigram_perplexity(train, test, V, alphas)
        rnn = ensemble.perplexity(trained.params, test)
        unk = float(np.mean(test[1:] == 0))
        results.append(
            FoldResult(f + 1, rnn, bigram, alpha, unigram, unk, trained.seeds, test.size - 1)
        )
    return results
