"""Tests for rnn_core.data: exact small cases, properties, determinism, validation."""

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from rnn_core.data import (
    UNK,
    Vocab,
    ar_process,
    autocorrelation,
    build_vocab,
    decode,
    encode,
    make_windows,
    markov_chain_joint,
    markov_conditionals,
    random_walk,
    shuffle_fraction,
    sine_with_noise,
    tokenize,
)

finite = st.floats(-10.0, 10.0, allow_nan=False, allow_infinity=False)


def series(min_size=1, max_size=40):
    return arrays(np.float64, st.integers(min_size, max_size), elements=finite)


# ---------------------------------------------------------------- generators


def test_sine_with_noise_without_noise_is_the_sine():
    t, x = sine_with_noise(T=50, freq=0.3, sigma=0.0)
    np.testing.assert_array_equal(t, np.arange(1.0, 51.0))
    np.testing.assert_allclose(x, np.sin(0.3 * t), rtol=0, atol=1e-15)
    assert t.dtype == x.dtype == np.float64


def test_sine_with_noise_noise_has_the_requested_spread():
    t, x = sine_with_noise(T=20000, sigma=0.2)
    residual = x - np.sin(0.01 * t)
    assert abs(residual.std() - 0.2) < 0.005
    assert abs(residual.mean()) < 0.01


def test_ar_process_is_the_recursion_driven_by_the_seeded_noise():
    coef, c, sigma, T = np.array([0.5, -0.2, 0.1]), 0.3, 0.7, 30
    eps = np.random.default_rng(5).normal(0.0, sigma, size=T)
    expected = np.zeros(T + 3)  # three leading zeros as the initial state
    for t in range(T):
        expected[t + 3] = c + coef @ expected[t : t + 3][::-1] + eps[t]
    x = ar_process(coef, T, c=c, sigma=sigma, seed=5, burn_in=0)
    np.testing.assert_allclose(x, expected[3:], rtol=1e-12, atol=1e-12)


def test_ar_process_burn_in_drops_the_leading_values():
    full = ar_process([0.9], 50, seed=1, burn_in=0)
    np.testing.assert_allclose(ar_process([0.9], 40, seed=1, burn_in=10), full[10:], atol=1e-12)


def test_ar_process_without_noise_sits_at_the_mean():
    x = ar_process([0.6, -0.3], 5, c=1.4, sigma=0.0)
    np.testing.assert_allclose(x, 1.4 / (1 - 0.6 + 0.3), atol=1e-12)


def test_random_walk_increments_are_the_seeded_noise():
    x = random_walk(10, sigma=0.5, seed=3, x0=2.0)
    assert x.shape == (10,) and x[0] == 2.0
    np.testing.assert_allclose(np.diff(x), np.random.default_rng(3).normal(0, 0.5, 9), atol=1e-12)
    np.testing.assert_array_equal(random_walk(1, x0=-1.0), [-1.0])


@pytest.mark.parametrize(
    "draw",
    [
        lambda seed: sine_with_noise(T=20, seed=seed)[1],
        lambda seed: ar_process([0.5], 20, seed=seed),
        lambda seed: random_walk(20, seed=seed),
        lambda seed: shuffle_fraction(np.arange(20.0), 0.5, seed=seed),
    ],
    ids=["sine_with_noise", "ar_process", "random_walk", "shuffle_fraction"],
)
def test_seeded_determinism(draw):
    np.testing.assert_array_equal(draw(0), draw(0))
    np.testing.assert_array_equal(draw(7), draw(7))
    assert not np.array_equal(draw(0), draw(1))


def test_default_seed_is_zero():
    np.testing.assert_array_equal(random_walk(5), random_walk(5, seed=0))


# ---------------------------------------------------------------- windows


def test_make_windows_exact():
    features, labels = make_windows(np.arange(6.0), 2)
    np.testing.assert_array_equal(features, [[1.0, 0.0], [2.0, 1.0], [3.0, 2.0], [4.0, 3.0]])
    np.testing.assert_array_equal(labels, [2.0, 3.0, 4.0, 5.0])


def test_make_windows_returns_fresh_arrays():
    x = np.arange(5.0)
    features, labels = make_windows(x, 1)
    features[:] = labels[:] = -1.0
    np.testing.assert_array_equal(x, np.arange(5.0))


@given(x=series(min_size=2), data=st.data())
def test_make_windows_shape_and_lag_alignment(x, data):
    T = x.shape[0]
    tau = data.draw(st.integers(1, T - 1))
    features, labels = make_windows(x, tau)
    assert features.shape == (T - tau, tau) and labels.shape == (T - tau,)
    for i in range(T - tau):
        t = i + tau
        assert labels[i] == x[t]
        np.testing.assert_array_equal(features[i], [x[t - 1 - j] for j in range(tau)])


def test_make_windows_coefficients_multiply_their_lag():
    # x_t = 2 x_{t-1} - x_{t-2} (a straight line): a = [2, -1] in lag order.
    features, labels = make_windows(np.arange(10.0) * 3 + 1, 2)
    np.testing.assert_allclose(features @ [2.0, -1.0], labels)


# ---------------------------------------------------------------- tokens


def test_tokenize_the_example_sentence():
    assert tokenize("You say goodbye and I say hello.") == [
        "you", "say", "goodbye", "and", "i", "say", "hello", ".",
    ]  # fmt: skip


def test_tokenize_splits_every_punctuation_mark():
    text = "A.b,c!d?e;f:g'h\"i(j)k-l"
    expected = [
        "a",
        ".",
        "b",
        ",",
        "c",
        "!",
        "d",
        "?",
        "e",
        ";",
        "f",
        ":",
        "g",
        "'",
        "h",
        '"',
        "i",
        "(",
        "j",
        ")",
        "k",
        "-",
        "l",
    ]
    assert tokenize(text) == expected


def test_tokenize_drops_whitespace_and_other_symbols():
    assert tokenize("  Hello\tWORLD\n42 @#  ") == ["hello", "world", "42"]
    assert tokenize("") == []


def test_vocab_ids_follow_first_appearance():
    vocab = build_vocab(tokenize("You say goodbye and I say hello."))
    assert isinstance(vocab, Vocab)
    assert vocab.itos == ("you", "say", "goodbye", "and", "i", "hello", ".")
    assert vocab.stoi == {tok: i for i, tok in enumerate(vocab.itos)}
    assert build_vocab(["b", "a", "b"]) == build_vocab(["b", "a", "b"])


def test_encode_decode_round_trip():
    tokens = tokenize("You say goodbye and I say hello.")
    vocab = build_vocab(tokens)
    ids = encode(vocab, tokens)
    np.testing.assert_array_equal(ids, [0, 1, 2, 3, 4, 1, 5, 6])
    assert ids.dtype == np.int64
    assert decode(vocab, ids) == tokens


def test_unk_token_takes_id_zero_and_unknown_words():
    vocab = build_vocab(["hello", "world"], unk=True)
    assert vocab.itos == (UNK, "hello", "world")
    np.testing.assert_array_equal(encode(vocab, ["world", "mars", "hello"]), [2, 0, 1])
    assert decode(vocab, [2, 0]) == ["world", UNK]


@given(st.lists(st.sampled_from("abcdefg"), min_size=1, max_size=30))
def test_vocab_round_trip_property(tokens):
    vocab = build_vocab(tokens)
    assert len(vocab.itos) == len(set(tokens))
    assert decode(vocab, encode(vocab, tokens)) == tokens


# ---------------------------------------------------------------- autocorrelation


def test_autocorrelation_exact():
    np.testing.assert_allclose(autocorrelation([1.0, -1.0, 1.0, -1.0], 3), [1, -0.75, 0.5, -0.25])
    np.testing.assert_allclose(autocorrelation([1.0, 2.0, 3.0], 2), [1.0, 0.0, -0.5])


@given(x=series(min_size=2), data=st.data())
def test_autocorrelation_properties(x, data):
    if np.ptp(x) == 0:
        return
    max_lag = data.draw(st.integers(0, x.shape[0] - 1))
    r = autocorrelation(x, max_lag)
    assert r.shape == (max_lag + 1,)
    assert r[0] == 1.0
    assert np.all(np.abs(r) <= 1.0 + 1e-12)
    if np.ptp(x) > 1e-3:  # scale- and shift-free (tiny spreads would lose digits to the shift)
        np.testing.assert_allclose(autocorrelation(3.0 * x - 2.0, max_lag), r, atol=1e-9)


def test_autocorrelation_matches_numpy_correlate():
    x = ar_process([0.7], 300, seed=2)
    d = x - x.mean()
    expected = np.correlate(d, d, mode="full")[len(d) - 1 :][:11] / (d @ d)
    np.testing.assert_allclose(autocorrelation(x, 10), expected, atol=1e-12)


def test_autocorrelation_survives_extreme_scales():
    for scale in (1e-300, 1e300):
        np.testing.assert_allclose(
            autocorrelation(scale * np.array([1.0, -1.0, 1.0]), 1), [1, -2 / 3]
        )


# ---------------------------------------------------------------- shuffling


def test_shuffle_fraction_zero_is_a_copy():
    x = np.arange(8.0)
    y = shuffle_fraction(x, 0.0)
    np.testing.assert_array_equal(y, x)
    assert y is not x
    y[0] = 99.0
    assert x[0] == 0.0


def test_shuffle_fraction_one_is_a_full_permutation():
    x = np.arange(100.0)
    y = shuffle_fraction(x, 1.0, seed=4)
    np.testing.assert_array_equal(np.sort(y), x)
    assert np.sum(y == x) < 10  # a uniform permutation fixes about one point


@given(x=series(), frac=st.floats(0.0, 1.0), seed=st.integers(0, 2**32))
def test_shuffle_fraction_keeps_values_and_moves_few_enough(x, frac, seed):
    y = shuffle_fraction(x, frac, seed=seed)
    np.testing.assert_array_equal(np.sort(y), np.sort(x))
    assert np.sum(y != x) <= round(frac * x.shape[0])


def test_shuffling_destroys_autocorrelation():
    x = ar_process([0.95], 2000, seed=0)
    r1 = [autocorrelation(shuffle_fraction(x, f, seed=1), 1)[1] for f in (0.0, 0.5, 1.0)]
    assert r1[0] > 0.9 and r1[0] > r1[1] > r1[2] and abs(r1[2]) < 0.1


# ---------------------------------------------------------------- Markov chain


def test_markov_chain_joint_exact():
    p0, P = [0.5, 0.5], [[0.9, 0.1], [0.2, 0.8]]
    seqs, joint, factorised = markov_chain_joint(p0, P, 3)
    assert seqs.dtype == np.int64 and seqs.shape == (8, 3)
    np.testing.assert_array_equal(seqs[[0, 1, 6, 7]], [[0, 0, 0], [0, 0, 1], [1, 1, 0], [1, 1, 1]])
    np.testing.assert_allclose(
        joint[[0, 1, 6, 7]], [0.5 * 0.81, 0.5 * 0.09, 0.5 * 0.16, 0.5 * 0.64]
    )
    np.testing.assert_allclose(factorised, joint, rtol=1e-12)


def test_markov_chain_joint_with_impossible_transitions():
    seqs, joint, factorised = markov_chain_joint([1.0, 0.0], [[0.0, 1.0], [1.0, 0.0]], 4)
    expected = np.zeros(16)
    expected[np.flatnonzero((seqs == [0, 1, 0, 1]).all(axis=1))] = 1.0
    np.testing.assert_array_equal(joint, expected)
    np.testing.assert_array_equal(factorised, expected)


@st.composite
def markov_chains(draw):
    K = draw(st.integers(1, 4))
    T = draw(st.integers(1, 5))
    weights = st.floats(0.0, 1.0)
    p0 = draw(arrays(np.float64, K, elements=weights)) + 1e-3
    P = draw(arrays(np.float64, (K, K), elements=weights)) + 1e-3
    return p0 / p0.sum(), P / P.sum(axis=1, keepdims=True), T


@settings(max_examples=50)
@given(markov_chains())
def test_markov_chain_chain_rule_property(chain):
    p0, P, T = chain
    K = p0.shape[0]
    seqs, joint, factorised = markov_chain_joint(p0, P, T)
    assert seqs.shape == (K**T, T) and joint.shape == factorised.shape == (K**T,)
    assert len({tuple(s) for s in seqs}) == K**T  # every sequence exactly once
    assert abs(joint.sum() - 1.0) < 1e-12
    np.testing.assert_allclose(factorised, joint, rtol=1e-9, atol=1e-15)
    # The first state is distributed as p0.
    np.testing.assert_allclose(np.bincount(seqs[:, 0], weights=joint, minlength=K), p0, atol=1e-12)


def test_markov_chain_joint_size_limit_is_inclusive():
    seqs, _, _ = markov_chain_joint([1.0], [[1.0]], 64)
    assert seqs.shape == (1, 64)


# ---------------------------------------------------------------- validation


def _vocab():
    return build_vocab(["a", "b"])


BAD_CALLS = {
    # name in the message: calls that must raise
    "T": [
        lambda: sine_with_noise(T=0),
        lambda: sine_with_noise(T=2.5),
        lambda: ar_process([0.5], 0),
        lambda: random_walk(0),
        lambda: markov_chain_joint([0.5, 0.5], [[0.5, 0.5], [0.5, 0.5]], 0),
        lambda: markov_chain_joint([0.5, 0.5], [[0.5, 0.5], [0.5, 0.5]], 17),  # 2**17 > 1e5
        lambda: markov_chain_joint([1.0], [[1.0]], 65),
    ],
    "freq": [lambda: sine_with_noise(freq=np.nan), lambda: sine_with_noise(freq="0.1")],
    "sigma": [
        lambda: sine_with_noise(sigma=-0.1),
        lambda: sine_with_noise(sigma=np.inf),
        lambda: ar_process([0.5], 10, sigma=-1.0),
        lambda: random_walk(10, sigma=-1.0),
    ],
    "seed": [
        lambda: sine_with_noise(seed=-1),
        lambda: sine_with_noise(seed=1.0),
        lambda: ar_process([0.5], 10, seed=None),
        lambda: random_walk(10, seed=-3),
        lambda: shuffle_fraction([1.0, 2.0], 0.5, seed=0.5),
    ],
    "coef": [
        lambda: ar_process([[0.5]], 10),
        lambda: ar_process([], 10),
        lambda: ar_process([np.nan], 10),
        lambda: ar_process([1.5], 5000, sigma=1.0),  # explosive: overflows
    ],
    "c": [lambda: ar_process([0.5], 10, c=np.nan)],
    "burn_in": [lambda: ar_process([0.5], 10, burn_in=-1)],
    "x0": [lambda: random_walk(10, x0=np.inf)],
    "x": [
        lambda: make_windows(np.zeros((3, 2)), 1),
        lambda: make_windows([], 1),
        lambda: make_windows([1.0], 1),
        lambda: make_windows([1.0, np.nan, 2.0], 1),
        lambda: autocorrelation(np.zeros((3, 2)), 1),
        lambda: autocorrelation([1.0], 0),
        lambda: autocorrelation([1.0, np.inf], 1),
        lambda: autocorrelation([2.0, 2.0, 2.0], 1),
        lambda: autocorrelation([0.0, 0.0], 1),
        lambda: shuffle_fraction(np.zeros((2, 2)), 0.5),
        lambda: shuffle_fraction([], 0.5),
    ],
    "tau": [
        lambda: make_windows(np.arange(5.0), 0),
        lambda: make_windows(np.arange(5.0), 5),
        lambda: make_windows(np.arange(5.0), 1.0),
    ],
    "text": [lambda: tokenize(None), lambda: tokenize(["a b"])],
    "tokens": [
        lambda: build_vocab("hello world"),
        lambda: build_vocab([]),
        lambda: build_vocab(["a", 3]),
        lambda: encode(_vocab(), ["a", "zebra"]),
        lambda: encode(_vocab(), []),
        lambda: encode(_vocab(), "ab"),
    ],
    "unk": [lambda: build_vocab(["a"], unk=1)],
    "vocab": [
        lambda: encode({"a": 0}, ["a"]),
        lambda: decode(("a", "b"), [0]),
    ],
    "ids": [
        lambda: decode(_vocab(), [[0, 1]]),
        lambda: decode(_vocab(), []),
        lambda: decode(_vocab(), [0.0, 1.0]),
        lambda: decode(_vocab(), [0, 2]),
        lambda: decode(_vocab(), [-1]),
    ],
    "max_lag": [
        lambda: autocorrelation([1.0, 2.0, 3.0], 3),
        lambda: autocorrelation([1.0, 2.0, 3.0], -1),
    ],
    "frac": [
        lambda: shuffle_fraction([1.0, 2.0], -0.1),
        lambda: shuffle_fraction([1.0, 2.0], 1.1),
        lambda: shuffle_fraction([1.0, 2.0], np.nan),
    ],
    "p0": [
        lambda: markov_chain_joint([[0.5, 0.5]], [[1.0, 0.0], [0.0, 1.0]], 2),
        lambda: markov_chain_joint([1.5, -0.5], [[1.0, 0.0], [0.0, 1.0]], 2),
        lambda: markov_chain_joint([0.5, 0.4], [[1.0, 0.0], [0.0, 1.0]], 2),
        lambda: markov_chain_joint([np.nan, 1.0], [[1.0, 0.0], [0.0, 1.0]], 2),
    ],
    "P": [
        lambda: markov_chain_joint([0.5, 0.5], [[1.0]], 2),  # K disagrees with p0
        lambda: markov_chain_joint([0.5, 0.5], [[1.0, 0.0]], 2),
        lambda: markov_chain_joint([0.5, 0.5], [0.5, 0.5], 2),
        lambda: markov_chain_joint([0.5, 0.5], [[0.5, 0.4], [0.0, 1.0]], 2),
        lambda: markov_chain_joint([0.5, 0.5], [[1.5, -0.5], [0.0, 1.0]], 2),
    ],
}
CASES = [(name, call) for name, calls in BAD_CALLS.items() for call in calls]


@pytest.mark.parametrize(
    ("name", "call"), CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CASES)]
)
def test_bad_input_raises_value_error_naming_the_argument(name, call):
    with pytest.raises(ValueError, match=rf"^{re.escape(name)}: expected .*got "):
        call()


def test_unknown_token_error_names_the_token():
    with pytest.raises(ValueError, match="'zebra' at position 1"):
        encode(_vocab(), ["a", "zebra"])


def test_markov_property_conditional_depends_on_the_last_state_only():
    # eq-markov-tau with tau = 1: P(x_3 | x_1, x_2), computed from the joint
    # table by summing out, equals the transition row P[x_2] for every x_1.
    p0 = np.array([0.5, 0.3, 0.2])
    P = np.array([[0.7, 0.2, 0.1], [0.3, 0.4, 0.3], [0.2, 0.3, 0.5]])
    _, joint, _ = markov_chain_joint(p0, P, 3)
    J = joint.reshape(3, 3, 3)
    conditional = J / J.sum(axis=2, keepdims=True)  # P(x3 | x1, x2)
    for x1 in range(3):
        np.testing.assert_allclose(conditional[x1], P, rtol=1e-12)


def test_markov_conditionals_equal_the_transition_probabilities():
    p0 = np.array([0.5, 0.3, 0.2])
    A = np.array([[0.7, 0.2, 0.1], [0.3, 0.4, 0.3], [0.2, 0.3, 0.5]])
    conditional, transition = markov_conditionals(p0, A, 4)
    assert conditional.shape == (3**4 * 3,)
    np.testing.assert_allclose(conditional, transition, rtol=1e-12)


def test_full_history_conditionals_of_a_second_order_process_are_not_markov():
    # The comparison can fail: a process whose next state copies the state two
    # steps back has conditionals that depend on more than the last state.
    from rnn_core.data import _prefix_conditionals

    K, T = 2, 3
    seqs = np.array([[a, b, c] for a in range(K) for b in range(K) for c in range(K)])
    joint = np.where(seqs[:, 2] == seqs[:, 0], 0.9, 0.1) / 4  # P(s1, s2) uniform
    conds = _prefix_conditionals(joint, K, T)[:, 2]  # P(s3 | s1, s2)
    # Same last state s2 = 0, different s1: the conditionals of s3 = 0 differ.
    assert conds[0] == pytest.approx(0.9) and conds[4] == pytest.approx(0.1)


def test_markov_conditionals_needs_two_steps():
    with pytest.raises(ValueError, match=r"T: expected an integer in \[2, 64\], got 1"):
        markov_conditionals([1.0], [[1.0]], 1)
