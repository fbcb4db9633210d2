"""Tests of rnn_core.architectures: shapes, agreement with the cell, chain == left-leaning tree."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rnn_core import architectures as arch
from rnn_core.architectures import (
    encoder_decoder,
    init_architecture_params,
    left_leaning_tree,
    many_to_many,
    many_to_one,
    one_to_many,
    recursive_forward,
)
from rnn_core.cell import rnn_forward, rnn_step_forward

sizes = st.integers(1, 5)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), N=sizes, T=sizes, D=sizes, H=sizes, V=sizes, T_out=sizes)
def test_output_shapes(seed, N, T, D, H, V, T_out):
    params = init_architecture_params(D, H, V, seed=seed)
    rng = np.random.default_rng(seed)
    x, x0 = rng.standard_normal((N, T, D)), rng.standard_normal((N, D))
    outputs = [
        (one_to_many(x0, params, T_out), (N, T_out, V)),
        (many_to_one(x, params), (N, V)),
        (many_to_many(x, params), (N, T, V)),
        (encoder_decoder(x, params, T_out), (N, T_out, V)),
    ]
    for y, shape in outputs:
        assert y.shape == shape
        assert np.all(np.isfinite(y))


def _setup(seed=0, N=3, T=6, D=4, H=5, V=7):
    rng = np.random.default_rng(seed)
    return init_architecture_params(D, H, V, seed=seed), rng.standard_normal((N, T, D))


def _states(x, p, h0=None):
    h0 = np.zeros((x.shape[0], p["Wh"].shape[0])) if h0 is None else h0
    return rnn_forward(x, h0, p["Wx"], p["Wh"], p["b"])[0]  # (N, T, H)


def test_many_to_many_is_the_output_layer_on_rnn_forward_states():
    p, x = _setup()
    np.testing.assert_allclose(many_to_many(x, p), _states(x, p) @ p["Wy"] + p["by"], rtol=1e-13)


def test_many_to_one_is_the_last_step_of_many_to_many():
    p, x = _setup(1)
    # equal up to rounding: (N, 1, H) and (N, T, H) products may be blocked differently
    np.testing.assert_allclose(many_to_one(x, p), many_to_many(x, p)[:, -1], rtol=1e-14, atol=1e-15)


def _greedy_by_hand(x, h, Wx, Wh, b, p, T):
    ys = []
    for _ in range(T):
        h = rnn_step_forward(x, h, Wx, Wh, b)[0]
        ys.append(h @ p["Wy"] + p["by"])
        x = p["E"][ys[-1].argmax(axis=1)]
    return np.stack(ys, axis=1)


def test_one_to_many_feeds_x0_first_then_its_own_most_likely_token():
    p, x = _setup(2)
    x0 = x[:, 0]
    want = _greedy_by_hand(x0, np.zeros((3, 5)), p["Wx"], p["Wh"], p["b"], p, 8)
    np.testing.assert_allclose(one_to_many(x0, p, 8), want, rtol=1e-13)
    # Only x0 is given, yet it reaches every step through the state and the feedback.
    other = one_to_many(x0 + 1.0, p, 8)
    assert np.all(np.abs(other - one_to_many(x0, p, 8)).max(axis=(0, 2)) > 1e-8)


def test_encoder_decoder_decoder_starts_from_the_encoders_last_state():
    p, x = _setup(3)
    h_enc = _states(x, p)[:, -1]
    start = np.broadcast_to(p["E"][0], (3, 4))  # embedding of BOS = 0
    want = _greedy_by_hand(start, h_enc, p["Wx_dec"], p["Wh_dec"], p["b_dec"], p, 5)
    np.testing.assert_allclose(encoder_decoder(x, p, 5), want, rtol=1e-13)


def test_encoder_decoder_output_depends_on_an_early_input_through_the_state():
    p, x = _setup(4)
    x2 = x.copy()
    x2[:, 0] += 1.0
    assert np.abs(encoder_decoder(x2, p, 4) - encoder_decoder(x, p, 4)).max() > 1e-6
    # With Wh = 0 the encoder forgets: the last state, hence the output, ignores x[:, 0].
    forgetful = {**p, "Wh": np.zeros_like(p["Wh"])}
    np.testing.assert_array_equal(
        encoder_decoder(x2, forgetful, 4), encoder_decoder(x, forgetful, 4)
    )


def test_encoder_decoder_output_length_is_independent_of_input_length():
    p, x = _setup(5, T=9)
    assert encoder_decoder(x, p, 2).shape == (3, 2, 7)
    assert encoder_decoder(x[:, :1], p, 11).shape == (3, 11, 7)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), L=st.integers(2, 8), H=st.integers(1, 5))
def test_left_leaning_tree_is_a_recurrent_chain(seed, L, H):
    rng = np.random.default_rng(seed)
    leaves, W = rng.standard_normal((L, H)), rng.standard_normal((2 * H, H))
    b = rng.standard_normal(H)
    res = recursive_forward(left_leaning_tree(L), leaves, W, b)
    # The left child is the state h_{t-1}, the right child the input x_t.
    Wh, Wx = W[:H], W[H:]
    h = leaves[:1]  # h0 = first leaf, shape (1, H)
    for t, node in enumerate(res.nodes, start=1):
        h, _ = rnn_step_forward(leaves[t][None], h, Wx, Wh, b)
        np.testing.assert_allclose(node, h[0], rtol=1e-13, atol=1e-15)
    states, _ = rnn_forward(leaves[None, 1:], leaves[:1], Wx, Wh, b)
    np.testing.assert_allclose(np.stack(res.nodes), states[0], rtol=1e-13, atol=1e-15)
    assert len(res.nodes) == L - 1 and res.root is res.nodes[-1]


def test_recursive_forward_on_a_balanced_tree_in_post_order():
    rng = np.random.default_rng(6)
    leaves, W, b = rng.standard_normal((4, 3)), rng.standard_normal((6, 3)), rng.standard_normal(3)

    def f(left, right):
        return np.tanh(np.concatenate([left, right]) @ W + b)

    res = recursive_forward(((0, 1), (2, 3)), leaves, W, b)
    n01, n23 = f(leaves[0], leaves[1]), f(leaves[2], leaves[3])
    for got, want in zip(res.nodes, [n01, n23, f(n01, n23)]):
        np.testing.assert_allclose(got, want, rtol=1e-14)
    chain = recursive_forward(left_leaning_tree(4), leaves, W, b).root
    assert np.abs(res.root - chain).max() > 1e-6  # the shape of the tree matters


def test_recursive_forward_of_a_single_leaf_is_the_leaf():
    leaves = np.arange(6.0).reshape(3, 2)
    res = recursive_forward(2, leaves, np.zeros((4, 2)), np.zeros(2))
    np.testing.assert_array_equal(res.root, leaves[2])
    assert res.nodes == []


_P = init_architecture_params(D=2, H=3, V=4)
_X = np.zeros((2, 5, 2))


def _without(key):
    return {k: v for k, v in _P.items() if k != key}


_LEAVES, _W, _B = np.zeros((4, 3)), np.zeros((6, 3)), np.zeros(3)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: init_architecture_params(0, 3, 4), r"D: expected an integer in \[1, inf\], got 0"),
        (lambda: init_architecture_params(2, 3, 4, seed=1.5), r"seed: expected an integer"),
        (lambda: many_to_one(np.zeros((2, 2)), _P), r"x: expected 3-d array of shape \(N, T, D\)"),
        (
            lambda: many_to_many(np.zeros((2, 5, 3)), _P),
            r"params\['Wx'\]: expected shape \(D, H\) with D = 3, got shape \(2, 3\)",
        ),
        (lambda: many_to_many(np.full((2, 5, 2), np.nan), _P), r"x: expected finite values"),
        (lambda: many_to_one(_X, _without("Wy")), r"params: expected a dict with keys"),
        (lambda: many_to_one(_X, None), r"params: expected a dict with keys .*, got NoneType"),
        (
            lambda: many_to_one(_X, {**_P, "by": np.zeros(5)}),
            r"params\['by'\]: expected shape \(V,\) with V = 4, got shape \(5,\)",
        ),
        (lambda: one_to_many(_X, _P, 3), r"x0: expected 2-d array of shape \(N, D\), got 3-d"),
        (lambda: one_to_many(_X[:, 0], _P, 0), r"T: expected an integer in \[1, inf\], got 0"),
        (lambda: one_to_many(_X[:, 0], _without("E"), 3), r"params: expected a dict with keys"),
        (lambda: encoder_decoder(_X, _P, 0), r"T_out: expected an integer in \[1, inf\], got 0"),
        (lambda: encoder_decoder(_X, _without("Wh_dec"), 2), r"params: expected a dict with keys"),
        (
            lambda: encoder_decoder(_X, {**_P, "b_dec": np.zeros(2)}, 2),
            r"params\['b_dec'\]: expected shape \(H,\) with H = 3, got shape \(2,\)",
        ),
        (lambda: recursive_forward((0, 1, 2), _LEAVES, _W, _B), r"tree: expected nested 2-tuples"),
        (
            lambda: recursive_forward(((0, 4), 1), _LEAVES, _W, _B),
            r"tree: expected nested 2-tuples of leaf indices in \[0, 3\], got subtree 4",
        ),
        (lambda: recursive_forward([0, 1], _LEAVES, _W, _B), r"tree: .*got subtree \[0, 1\]"),
        (lambda: recursive_forward((True, 1), _LEAVES, _W, _B), r"tree: .*got subtree True"),
        (
            lambda: recursive_forward((0, 1), np.zeros(3), _W, _B),
            r"leaves: expected 2-d array of shape \(L, H\), got 1-d",
        ),
        (
            lambda: recursive_forward((0, 1), _LEAVES, np.zeros((3, 3)), _B),
            r"W: expected shape \(6, H\), got shape \(3, 3\)",
        ),
        (
            lambda: recursive_forward((0, 1), _LEAVES, _W, np.zeros(2)),
            r"b: expected shape \(H,\) with H = 3, got shape \(2,\)",
        ),
        (lambda: left_leaning_tree(0), r"L: expected an integer in \[1, inf\], got 0"),
    ],
)
def test_bad_input_raises_value_error_naming_the_argument(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_stacked_layers_feed_each_other():
    rng = np.random.default_rng(4)
    x = rng.standard_normal((2, 5, 3))
    layers = [
        (rng.standard_normal((3, 4)), 0.5 * rng.standard_normal((4, 4)), rng.standard_normal(4)),
        (rng.standard_normal((4, 2)), 0.5 * rng.standard_normal((2, 2)), rng.standard_normal(2)),
    ]
    low, top = arch.stacked_forward(x, layers)
    want_low, _ = rnn_forward(x, np.zeros((2, 4)), *layers[0])
    want_top, _ = rnn_forward(want_low, np.zeros((2, 2)), *layers[1])
    np.testing.assert_array_equal(low, want_low)
    np.testing.assert_array_equal(top, want_top)


def test_bidirectional_halves_read_opposite_ways():
    rng = np.random.default_rng(5)
    x = rng.standard_normal((3, 6, 2))
    fwd = (rng.standard_normal((2, 4)), 0.5 * rng.standard_normal((4, 4)), np.zeros(4))
    bwd = (rng.standard_normal((2, 3)), 0.5 * rng.standard_normal((3, 3)), np.zeros(3))
    both = arch.bidirectional_forward(x, fwd, bwd)
    ahead, _ = rnn_forward(x, np.zeros((3, 4)), *fwd)
    behind, _ = rnn_forward(x[:, ::-1], np.zeros((3, 3)), *bwd)
    np.testing.assert_array_equal(both[..., :4], ahead)
    np.testing.assert_array_equal(both[..., 4:], behind[:, ::-1])
    # The first step's output depends on the last input: the backward half has read it.
    x2 = x.copy()
    x2[:, -1] += 1.0
    changed = arch.bidirectional_forward(x2, fwd, bwd)
    assert np.array_equal(changed[:, 0, :4], both[:, 0, :4])
    assert not np.allclose(changed[:, 0, 4:], both[:, 0, 4:])


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: arch.stacked_forward(np.ones((1, 2, 3)), []), r"^layers: expected at least one"),
        (lambda: arch.stacked_forward(np.ones((1, 2, 3)), [(np.ones((3, 2)),)]), r"^layers\[0\]"),
    ],
)
def test_stacked_bad_input_is_named(call, match):
    with pytest.raises(ValueError, match=match):
        call()
