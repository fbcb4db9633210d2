"""Chapter 3's language-model measurements that need more than one call into ``rnn_core``.

* :func:`full_vocabulary`: the Zen model trained with every training word in its
  vocabulary (``min_count=1``), over seeds, its held-out perplexity split into targets
  that are ``<unk>`` and targets that are known words, beside the bigram's split.
"""

from typing import NamedTuple

import numpy as np

from rnn_core import data, ensemble, lm

__all__ = ["VocabularySplit", "full_vocabulary", "split_perplexity"]


def split_perplexity(p_target, unk):
    """Perplexity over all targets, over the ``<unk>`` targets and over the known ones.

    Parameters
    ----------
    p_target : ndarray, shape (..., n)
        The probability each model gave each target.
    unk : ndarray of bool, shape (n,)
        Which targets are ``<unk>``.

    Returns
    -------
    all, unk, known : ndarray, shape (...)

    Examples
    --------
    >>> split_perplexity(np.array([0.5, 0.5, 0.25]), np.array([False, False, True]))
    (np.float64(2.5198...), np.float64(4.0), np.float64(2.0))
    """
    nll = -np.log(p_target)
    return tuple(np.exp(nll[..., m].mean(-1)) for m in (slice(None), unk, ~unk))


class VocabularySplit(NamedTuple):
    """Held-out perplexities with the full training vocabulary; RNN arrays have one per seed."""

    seeds: tuple
    V: int
    unk_share: float  # share of <unk> among the test targets
    rnn: np.ndarray  # (seeds,) all targets
    rnn_unk: np.ndarray  # (seeds,) <unk> targets only
    rnn_known: np.ndarray  # (seeds,) known-word targets only
    bigram: float  # tuned bigram (alpha chosen on the training part), all targets
    bigram_unk: float
    bigram_known: float
    bigram_alpha: float  # the tuned pseudo-count


def full_vocabulary(tokens, n_train, seeds, **train_options):
    """Train the language model with ``min_count=1`` from each seed and split its score.

    Every word of ``tokens[:n_train]`` is in the vocabulary; only test words unseen in
    training become ``<unk>`` (id 0), which therefore never occurs as a training target.

    Returns
    -------
    VocabularySplit
    """
    vocab = data.build_vocab(tokens[:n_train], unk=True)
    ids = data.encode(vocab, tokens)
    train, test = ids[:n_train], ids[n_train:]
    V = len(vocab.itos)
    trained = ensemble.train_lm(train, V, seeds, **train_options)
    targets, unk = test[1:], test[1:] == 0
    rows = np.arange(targets.size)
    p_rnn = np.array(
        [
            lm.read_sequence(ensemble.member(trained.params, k), test)[1][rows, targets]
            for k in range(len(trained.seeds))
        ]
    )  # (seeds, n)
    _, alpha = lm.tuned_bigram_perplexity(train, test, V)  # alpha from training data only
    p_bigram = lm.bigram_table(train, V, alpha)[test[:-1], targets]  # (n,)
    rnn, big = split_perplexity(p_rnn, unk), split_perplexity(p_bigram, unk)
    big = tuple(float(b) for b in big)
    return VocabularySplit(trained.seeds, V, float(unk.mean()), *rnn, *big, alpha)
