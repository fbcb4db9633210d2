"""Toy sequences, windows and a word vocabulary for the sequence-modelling chapters.

Everything here is float64 (token ids are int64), every random function takes
``seed`` and draws from its own ``np.random.default_rng(seed)``, and bad input
raises ``ValueError`` naming the argument (see ``rnn_core._checks``), a wrong
type included.
"""

from __future__ import annotations

import codecs
import collections
import contextlib
import io
import re
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import ArrayLike, NDArray

from rnn_core._checks import as_array, as_ids, as_int, as_ndarray, as_scalar, check_overflow

__all__ = [
    "UNK",
    "Vocab",
    "ar_process",
    "autocorrelation",
    "build_vocab",
    "decode",
    "encode",
    "make_windows",
    "markov_chain_joint",
    "markov_conditionals",
    "random_walk",
    "shuffle_fraction",
    "sine_with_noise",
    "tokenize",
    "zen_of_python",
]

UNK = "<unk>"
MAX_SEQUENCES = 100_000
# A word is a run of letters/digits; each listed punctuation mark is a token of its own.
_TOKEN_RE = re.compile(r"[^\W_]+|[.,!?;:'\"()\-]")


def _nonneg(name, value):
    """Return ``value`` as a finite float >= 0 (a standard deviation, say)."""
    value = as_scalar(name, value)
    if value < 0:
        raise ValueError(f"{name}: expected a finite real scalar >= 0, got {value!r}")
    return value


def sine_with_noise(
    T: int = 1000,
    freq: float = 0.01,
    sigma: float = 0.2,
    seed: int = 0,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Noisy sine wave ``x_t = sin(freq * t) + eps_t``, ``eps_t ~ N(0, sigma^2)``.

    The running example of Dive into Deep Learning's sequence-model section.

    Parameters
    ----------
    T : int
        Number of time steps, ``T >= 1``.
    freq : float
        Angular frequency per time step.
    sigma : float
        Noise standard deviation, ``sigma >= 0``.
    seed : int
        Seed for ``np.random.default_rng``.

    Returns
    -------
    t : ndarray, shape (T,)
        Time steps ``1, 2, ..., T`` as floats.
    x : ndarray, shape (T,)
        The noisy observations.

    Examples
    --------
    >>> t, x = sine_with_noise(T=5, sigma=0.0)
    >>> t
    array([1., 2., 3., 4., 5.])
    >>> bool(np.allclose(x, np.sin(0.01 * t)))
    True
    """
    T = as_int("T", T, 1)
    freq = as_scalar("freq", freq)
    sigma = _nonneg("sigma", sigma)
    rng = np.random.default_rng(as_int("seed", seed, 0))
    t = np.arange(1, T + 1, dtype=np.float64)
    x = np.sin(freq * t) + rng.normal(0.0, sigma, size=T)
    return t, x


def ar_process(
    coef: ArrayLike,
    T: int,
    c: float = 0.0,
    sigma: float = 1.0,
    seed: int = 0,
    burn_in: int = 200,
) -> NDArray[np.float64]:
    """Simulate ``x_t = c + sum_j coef[j] x_{t-1-j} + eps_t``, ``eps_t ~ N(0, sigma^2)``.

    The recursion starts from zeros and its first ``burn_in`` values are
    discarded, so that a stationary process has forgotten its start.

    Parameters
    ----------
    coef : array_like, shape (p,)
        AR coefficients; ``coef[j]`` multiplies lag ``j + 1``.
    T : int
        Number of values returned, ``T >= 1``.
    c : float
        Intercept.
    sigma : float
        Noise standard deviation, ``sigma >= 0``.
    seed : int
        Seed for ``np.random.default_rng``.
    burn_in : int
        Number of leading values discarded, ``burn_in >= 0``.

    Returns
    -------
    x : ndarray, shape (T,)

    Raises
    ------
    ValueError
        Also if the simulation overflows (an explosive ``coef``).

    Examples
    --------
    >>> x = ar_process([0.5], T=4, c=1.0, sigma=0.0)  # converges to c / (1 - 0.5)
    >>> np.round(x, 3)
    array([2., 2., 2., 2.])
    """
    coef = as_array("coef", coef, ("p",))
    T, burn_in = as_int("T", T, 1), as_int("burn_in", burn_in, 0)
    c, sigma = as_scalar("c", c), _nonneg("sigma", sigma)
    rng = np.random.default_rng(as_int("seed", seed, 0))
    drive = c + rng.normal(0.0, sigma, size=burn_in + T)
    from scipy.signal import lfilter  # imported here: scipy.signal takes 1-2 s to import

    # lfilter runs x_t - sum_j coef[j] x_{t-1-j} = drive_t from zero initial state.
    with np.errstate(over="ignore", invalid="ignore"):
        x = lfilter([1.0], np.concatenate(([1.0], -coef)), drive)[burn_in:]
    if not np.all(np.isfinite(x)):
        raise ValueError(f"coef: expected a non-explosive process, got overflow for coef = {coef}")
    return x


def random_walk(
    T: int,
    sigma: float = 1.0,
    seed: int = 0,
    x0: float = 0.0,
) -> NDArray[np.float64]:
    """Gaussian random walk ``x_0 = x0``, ``x_t = x_{t-1} + eps_t``, ``eps_t ~ N(0, sigma^2)``.

    Parameters
    ----------
    T : int
        Number of values returned (``x0`` included), ``T >= 1``.
    sigma : float
        Step standard deviation, ``sigma >= 0``.
    seed : int
        Seed for ``np.random.default_rng``.
    x0 : float
        Starting value, returned as ``x[0]``.

    Returns
    -------
    x : ndarray, shape (T,)

    Examples
    --------
    >>> x = random_walk(4, x0=3.0)
    >>> x.shape, float(x[0])
    ((4,), 3.0)
    >>> random_walk(3, sigma=0.0, x0=1.5)
    array([1.5, 1.5, 1.5])
    """
    T = as_int("T", T, 1)
    sigma, x0 = _nonneg("sigma", sigma), as_scalar("x0", x0)
    rng = np.random.default_rng(as_int("seed", seed, 0))
    steps = rng.normal(0.0, sigma, size=T - 1)
    with np.errstate(over="ignore", invalid="ignore"):
        x = x0 + np.concatenate(([0.0], np.cumsum(steps)))
    return check_overflow("x", x, "the running sum of the steps: sigma or x0 too large")


def make_windows(
    x: ArrayLike,
    tau: int,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Lagged feature matrix and labels for an autoregressive model of order ``tau``.

    ``features[i, j] = x[i + tau - 1 - j]`` (column ``j`` holds lag ``j + 1``) and
    ``labels[i] = x[i + tau]``, so row ``i`` reads ``x_t = a_1 x_{t-1} + ... +
    a_tau x_{t-tau}`` at ``t = i + tau`` with ``features[i] @ a``.

    Parameters
    ----------
    x : array_like, shape (T,)
        The sequence, ``T >= 2``.
    tau : int
        Number of lags, ``1 <= tau < T``.

    Returns
    -------
    features : ndarray, shape (T - tau, tau)
    labels : ndarray, shape (T - tau,)

    Examples
    --------
    >>> features, labels = make_windows(np.arange(5.0), 2)
    >>> features
    array([[1., 0.],
           [2., 1.],
           [3., 2.]])
    >>> labels
    array([2., 3., 4.])
    """
    x = as_array("x", x, ("T",))
    T = x.shape[0]
    if T < 2:
        raise ValueError(f"x: expected at least 2 values to make windows, got shape {x.shape}")
    tau = as_int("tau", tau, 1, T - 1)
    # Row i of the view is x[i : i + tau] in time order; reversing puts lag 1 first.
    features = sliding_window_view(x, tau)[: T - tau, ::-1].copy()
    return features, x[tau:].copy()


def tokenize(text: str) -> list[str]:
    """Split ``text`` into lowercase words and punctuation tokens.

    Words are runs of letters or digits; each of ``. , ! ? ; : ' " ( ) -`` is a
    token of its own; whitespace and any other character are dropped.

    Parameters
    ----------
    text : str

    Returns
    -------
    list of str

    Examples
    --------
    >>> tokenize("You say goodbye and I say hello.")
    ['you', 'say', 'goodbye', 'and', 'i', 'say', 'hello', '.']
    >>> tokenize("Don't stop (now)!")
    ['don', "'", 't', 'stop', '(', 'now', ')', '!']
    """
    if not isinstance(text, str):
        raise ValueError(f"text: expected a str, got {type(text).__name__}")
    return _TOKEN_RE.findall(text.lower())


class Vocab(NamedTuple):
    """Bijection between tokens and ids: ``itos[i]`` is token ``i``, ``stoi[itos[i]] == i``."""

    itos: tuple
    stoi: dict


def _as_tokens(name, tokens):
    """Return ``tokens`` as a non-empty list of str (a bare str is a likely slip)."""
    if isinstance(tokens, str):
        msg = f"{name}: expected a list of str tokens, got a str (tokenize it first)"
        raise ValueError(msg)
    try:
        tokens = list(tokens)
    except TypeError:  # not iterable
        raise ValueError(
            f"{name}: expected a non-empty sequence of str tokens, got {type(tokens).__name__}"
        ) from None
    if not tokens:
        raise ValueError(f"{name}: expected a non-empty sequence of str tokens, got length 0")
    bad = [i for i, tok in enumerate(tokens) if not isinstance(tok, str)]
    if bad:
        raise ValueError(
            f"{name}: expected str tokens, got {tokens[bad[0]]!r} at position {bad[0]}"
        )
    return tokens


def build_vocab(
    tokens: Sequence[str],
    unk: bool = False,
    min_count: int = 1,
) -> Vocab:
    """Vocabulary with ids in order of first appearance.

    Parameters
    ----------
    tokens : sequence of str
        Non-empty.
    unk : bool
        If True, ``UNK = '<unk>'`` gets id 0 and ``encode`` maps unknown tokens to it.
    min_count : int
        Keep only tokens seen at least this often (the rest become unknown, so
        ``min_count > 1`` needs ``unk=True``).

    Returns
    -------
    Vocab

    Examples
    --------
    >>> vocab = build_vocab(tokenize("You say goodbye and I say hello."))
    >>> vocab.itos
    ('you', 'say', 'goodbye', 'and', 'i', 'hello', '.')
    >>> vocab.stoi['hello']
    5
    >>> build_vocab(['b', 'a'], unk=True).itos
    ('<unk>', 'b', 'a')
    >>> build_vocab(['b', 'a', 'b'], unk=True, min_count=2).itos
    ('<unk>', 'b')
    """
    tokens = _as_tokens("tokens", tokens)
    if not isinstance(unk, (bool, np.bool_)):
        raise ValueError(f"unk: expected a bool, got {unk!r}")
    min_count = as_int("min_count", min_count, 1)
    if min_count > 1 and not unk:
        raise ValueError(f"min_count: expected 1 without unk=True, got {min_count}")
    counts = collections.Counter(tokens)
    kept = [t for t in tokens if counts[t] >= min_count]
    # dict keeps insertion order, so its keys are the tokens in order of first appearance.
    itos = tuple(dict.fromkeys(([UNK] if unk else []) + kept))
    return Vocab(itos=itos, stoi={tok: i for i, tok in enumerate(itos)})


def _check_vocab(vocab):
    if not isinstance(vocab, Vocab):
        msg = f"vocab: expected a Vocab from build_vocab, got {type(vocab).__name__}"
        raise ValueError(msg)


def encode(vocab: Vocab, tokens: Sequence[str]) -> NDArray[np.int64]:
    """Map tokens to their ids.

    Parameters
    ----------
    vocab : Vocab
    tokens : sequence of str
        Non-empty. A token missing from ``vocab`` maps to ``'<unk>'`` if the
        vocabulary has it, and raises ``ValueError`` otherwise.

    Returns
    -------
    ids : ndarray of int64, shape (len(tokens),)

    Examples
    --------
    >>> vocab = build_vocab(['a', 'b', 'a'])
    >>> encode(vocab, ['b', 'a', 'b'])
    array([1, 0, 1])
    >>> encode(build_vocab(['a'], unk=True), ['a', 'zebra'])
    array([1, 0])
    """
    _check_vocab(vocab)
    tokens = _as_tokens("tokens", tokens)
    unk_id = vocab.stoi.get(UNK)
    ids = []
    for i, tok in enumerate(tokens):
        if tok not in vocab.stoi and unk_id is None:
            raise ValueError(
                f"tokens: expected tokens in vocab, got unknown {tok!r} at position {i} "
                f"(build_vocab(..., unk=True) maps unknown tokens to {UNK!r})"
            )
        ids.append(vocab.stoi.get(tok, unk_id))
    return np.array(ids, dtype=np.int64)


def decode(vocab: Vocab, ids: ArrayLike) -> list[str]:
    """Map ids back to tokens.

    Parameters
    ----------
    vocab : Vocab
    ids : array_like of int, shape (n,)
        Non-empty, each in ``[0, len(vocab.itos) - 1]``.

    Returns
    -------
    list of str

    Examples
    --------
    >>> vocab = build_vocab(tokenize("You say goodbye and I say hello."))
    >>> decode(vocab, [0, 1, 5, 6])
    ['you', 'say', 'hello', '.']
    """
    _check_vocab(vocab)
    ids = as_ids("ids", ids, len(vocab.itos), ("n",))
    return [vocab.itos[i] for i in ids]


def autocorrelation(x: ArrayLike, max_lag: int) -> NDArray[np.float64]:
    """Sample autocorrelation ``r_k = sum_t d_t d_{t+k} / sum_t d_t^2`` with ``d = x - mean(x)``.

    The usual biased estimator (the sum for lag ``k`` has ``T - k`` terms but
    the same denominator), so ``|r_k| <= 1`` and ``r_0 = 1``.

    Parameters
    ----------
    x : array_like, shape (T,)
        A non-constant sequence, ``T >= 2``.
    max_lag : int
        Largest lag, ``0 <= max_lag <= T - 1``.

    Returns
    -------
    r : ndarray, shape (max_lag + 1,)
        ``r[k]`` is the autocorrelation at lag ``k``.

    Examples
    --------
    >>> autocorrelation([1.0, -1.0, 1.0, -1.0], 2)
    array([ 1.  , -0.75,  0.5 ])
    """
    x = as_array("x", x, ("T",))
    T = x.shape[0]
    if T < 2:
        raise ValueError(f"x: expected at least 2 values, got shape {x.shape}")
    max_lag = as_int("max_lag", max_lag, 0, T - 1)
    # r_k is scale-free; scaling first keeps d @ d away from overflow and underflow.
    s = x / np.max(np.abs(x)) if np.any(x) else x
    d = s - s.mean()
    if not np.any(d):
        raise ValueError(
            f"x: expected a non-constant sequence, got all values equal to {float(x[0])!r}"
        )
    d = d / np.max(np.abs(d))
    return np.array([d[: T - k] @ d[k:] for k in range(max_lag + 1)]) / (d @ d)


def shuffle_fraction(
    x: ArrayLike,
    frac: float,
    seed: int = 0,
) -> NDArray[np.float64]:
    """Permute a random fraction ``frac`` of the positions of ``x`` among themselves.

    ``round(frac * T)`` positions are chosen uniformly without replacement and
    their values randomly permuted; the other values stay in place. ``frac=0``
    returns a copy of ``x``, ``frac=1`` a full shuffle. For one seed the chosen
    positions are nested: a larger fraction shuffles every position a smaller one
    did, and more, so the order left intact only shrinks as ``frac`` grows.

    Parameters
    ----------
    x : array_like, shape (T,)
    frac : float
        Fraction of positions shuffled, in ``[0, 1]``.
    seed : int
        Seed for ``np.random.default_rng``.

    Returns
    -------
    ndarray, shape (T,)
        Same multiset of values as ``x``.

    Examples
    --------
    >>> x = np.arange(10.0)
    >>> bool(np.array_equal(shuffle_fraction(x, 0.0), x))
    True
    >>> bool(np.array_equal(np.sort(shuffle_fraction(x, 1.0)), x))
    True
    """
    x = as_array("x", x, ("T",))
    frac = as_scalar("frac", frac)
    if not 0.0 <= frac <= 1.0:
        raise ValueError(f"frac: expected a fraction in [0, 1], got {frac!r}")
    rng = np.random.default_rng(as_int("seed", seed, 0))
    idx = rng.permutation(x.shape[0])[: round(frac * x.shape[0])]  # nested in frac
    y = x.copy()
    y[idx] = x[rng.permutation(idx)]
    return y


def _check_stochastic(name, p, what, given):
    """Raise unless ``p`` is non-negative and sums to 1 along its last axis.

    ``given`` is the array as passed: a float32 table has sums off by a few of its
    own rounding units (0.99999998), which must not be refused.
    """
    if p.min() < 0:
        raise ValueError(f"{name}: expected non-negative {what}, got minimum {p.min()!r}")
    sums = p.sum(axis=-1)
    eps = np.finfo(given.dtype).eps if given.dtype.kind == "f" else 0.0
    if not np.allclose(sums, 1.0, rtol=0.0, atol=max(1e-9, 4 * p.shape[-1] * eps)):
        raise ValueError(f"{name}: expected {what} summing to 1, got sums {sums}")


def markov_chain_joint(
    p0: ArrayLike,
    P: ArrayLike,
    T: int,
) -> tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.float64]]:
    """Joint probability of every state sequence of a Markov chain, and its chain-rule product.

    ``joint`` is the Markov product ``p0[s_1] prod_t P[s_{t-1}, s_t]``.
    ``factorised`` is the chain rule ``prod_t P(s_t | s_1..s_{t-1})`` with each
    conditional read off the ``joint`` table itself, as ``P(s_1..s_t) /
    P(s_1..s_{t-1})`` where both prefix probabilities come from summing out
    the later states (a conditional after a zero-probability prefix is taken
    as 0). The product telescopes, so the two agree for any table whose
    prefixes have positive probability: the chain rule is an identity, and this
    checks the table and the marginalisation, not the Markov property (for
    that, see :func:`markov_conditionals`).

    Parameters
    ----------
    p0 : array_like, shape (K,)
        Initial distribution.
    P : array_like, shape (K, K)
        Transition matrix, ``P[i, j] = P(s_t = j | s_{t-1} = i)``; rows sum to 1.
    T : int
        Sequence length, ``1 <= T <= 64`` with ``K**T <= 100000``.

    Returns
    -------
    sequences : ndarray of int64, shape (K**T, T)
        Every state sequence, in lexicographic order.
    joint : ndarray, shape (K**T,)
    factorised : ndarray, shape (K**T,)

    Examples
    --------
    >>> seqs, joint, fact = markov_chain_joint([0.5, 0.5], [[0.9, 0.1], [0.2, 0.8]], 2)
    >>> seqs.tolist()
    [[0, 0], [0, 1], [1, 0], [1, 1]]
    >>> np.round(joint, 3)
    array([0.45, 0.05, 0.1 , 0.4 ])
    >>> bool(np.allclose(fact, joint))
    True
    """
    sizes = {}
    given = {"p0": as_ndarray("p0", p0), "P": as_ndarray("P", P)}
    p0, P = as_array("p0", p0, ("K",), sizes), as_array("P", P, ("K", "K"), sizes)
    _check_stochastic("p0", p0, "probabilities", given["p0"])
    _check_stochastic("P", P, "rows", given["P"])
    K, T = sizes["K"], as_int("T", T, 1)
    if K**T > MAX_SEQUENCES or T > 64:  # T <= 64 only binds for the degenerate K = 1
        raise ValueError(
            f"T: expected K**T <= {MAX_SEQUENCES} and T <= 64, got K**T = {K}**{T} = {K**T}"
        )
    n = np.arange(K**T)
    seqs = n[:, None] // K ** np.arange(T - 1, -1, -1) % K  # (K**T, T): base-K digits of n
    joint = p0[seqs[:, 0]] * np.prod(P[seqs[:, :-1], seqs[:, 1:]], axis=1)
    return seqs, joint, np.prod(_prefix_conditionals(joint, K, T), axis=1)


def _prefix_conditionals(joint, K, T):
    """``P(s_t | s_1..s_{t-1})`` for every sequence and step, from the joint table's marginals."""
    n = np.arange(K**T)
    conds, prefix_prob = np.empty((K**T, T)), np.ones(K**T)
    for t in range(1, T + 1):
        # Lexicographic order: row r of this (K**t, K**(T-t)) view is the r-th prefix
        # s_1..s_t, so summing the row sums out s_{t+1}..s_T and gives P(s_1..s_t).
        marginal = joint.reshape(K**t, K ** (T - t)).sum(axis=1)[n // K ** (T - t)]
        conds[:, t - 1] = np.divide(
            marginal, prefix_prob, out=np.zeros(K**T), where=prefix_prob > 0
        )
        prefix_prob = marginal
    return conds


def markov_conditionals(
    p0: ArrayLike,
    P: ArrayLike,
    T: int,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Full-history conditionals of a Markov chain next to its transition probabilities.

    For every sequence ``s`` and step ``t >= 2``, the conditional
    ``P(s_t | s_1..s_{t-1})`` computed by marginalising the joint table, and the
    transition probability ``P[s_{t-1}, s_t]``. They are equal, whatever
    ``s_1..s_{t-2}`` is, exactly when the Markov property holds: it is what
    turns the chain rule into the Markov product.

    Parameters
    ----------
    p0 : array_like, shape (K,)
        Initial distribution.
    P : array_like, shape (K, K)
        Transition matrix; rows sum to 1.
    T : int
        Sequence length, ``2 <= T <= 64`` with ``K**T <= 100000``.

    Returns
    -------
    conditional : ndarray, shape (K**T * (T-1),)
    transition : ndarray, shape (K**T * (T-1),)
        One entry per sequence and step ``t = 2..T``, for prefixes of positive
        probability only.

    Examples
    --------
    >>> cond, trans = markov_conditionals([0.5, 0.5], [[0.9, 0.1], [0.2, 0.8]], 3)
    >>> cond.shape, bool(np.allclose(cond, trans))
    ((16,), True)
    """
    if as_int("T", T, 1) < 2:
        raise ValueError(f"T: expected an integer in [2, 64], got {T}")
    seqs, joint, _ = markov_chain_joint(p0, P, T)
    p0, P = np.asarray(p0, dtype=np.float64), np.asarray(P, dtype=np.float64)
    conds = _prefix_conditionals(joint, P.shape[0], T)[:, 1:]  # (K**T, T-1): steps 2..T
    trans = P[seqs[:, :-1], seqs[:, 1:]]  # (K**T, T-1)
    prefix = p0[seqs[:, :1]] * np.cumprod(trans, axis=1)  # P(s_1..s_t) for t = 2..T
    # A conditional is defined only after a prefix s_1..s_{t-1} that can occur.
    keep = np.concatenate([p0[seqs[:, :1]] > 0, prefix[:, :-1] > 0], axis=1)
    return conds[keep], trans[keep]


def zen_of_python() -> str:
    """The text of ``import this``, a small corpus that ships with every Python.

    The ``this`` module stores the poem rot13-encoded and prints it when first
    imported; the print is captured here so that nothing reaches stdout.

    Returns
    -------
    str

    Examples
    --------
    >>> zen_of_python().splitlines()[0]
    'The Zen of Python, by Tim Peters'
    """
    with contextlib.redirect_stdout(io.StringIO()):
        import this
    return codecs.decode(this.s, "rot13")
