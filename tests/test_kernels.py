"""The cells' time-loop kernels give the results of the plain kernels they replaced.

``reference_kernels`` holds the kernels of rnn_core.cell, lstm and gru as they were at
commit 73b6517, before the gated cells' loops moved to the layout of ``_layout``. Over
random shapes, with and without leading model axes, every forward result and every
gradient must agree to 1e-13: the kernels compute the same arithmetic in another order
(sums grouped differently, a bias added inside a product), so they may differ by a few
roundings and no more. An entry is compared to 1e-13 of itself or of the largest entry
of its array, whichever is larger: an entry that is a sum with cancellation carries the
rounding of its largest terms, not of itself (as in tests/test_ensemble.py).
"""

import numpy as np
import pytest
import reference_kernels as ref
from hypothesis import given, settings
from hypothesis import strategies as st

from rnn_core import cell, ensemble, gru, lstm, tasks
from rnn_core.lstm import sigmoid

TOL = 1e-13
GATES = {"rnn": 1, "lstm": 4, "gru": 3}


def _close(got, want):
    for g, w in zip(got, want, strict=True):
        assert g.shape == w.shape
        np.testing.assert_allclose(g, w, rtol=TOL, atol=TOL * np.abs(w).max())


def _args(cell_name, seed, lead, N, T, D, H, scale, bias):
    """Inputs, weights (entries of size ``scale``, biases around ``bias``) and an upstream dh."""
    rng = np.random.default_rng(seed)
    G = GATES[cell_name] * H
    return (
        rng.standard_normal((*lead, N, T, D)),
        rng.standard_normal((*lead, N, H)),
        scale * rng.standard_normal((*lead, D, G)),
        scale * rng.standard_normal((*lead, H, G)),
        bias + 0.5 * rng.standard_normal((*lead, G)),
        rng.standard_normal((*lead, N, T, H)),
    )


shapes = st.fixed_dictionaries(
    {
        "seed": st.integers(0, 2**32 - 1),
        "lead": st.sampled_from([(), (1,), (3,), (2, 2)]),
        "N": st.integers(1, 5),
        "T": st.integers(1, 6),
        "D": st.integers(1, 5),
        "H": st.integers(1, 5),
        "scale": st.sampled_from([0.3, 1.0]),  # an initialiser's size, and larger
        "bias": st.sampled_from([0.0, 5.0]),  # 5: saturated gates, as RECALL.forget_bias
    }
)


@settings(max_examples=40, deadline=None)
@given(shape=shapes, k=st.integers(1, 6))
def test_rnn_kernels_match_the_reference(shape, k):
    x, h0, Wx, Wh, b, dh = _args("rnn", **shape)
    h = cell._forward(x, h0, Wx, Wh, b)
    _close([h], [ref.rnn_forward(x, h0, Wx, Wh, b)])
    delta = cell._deltas(dh, h, Wh, k)
    _close([delta], [ref.rnn_deltas(dh, h, Wh, k)])
    cache = (x, h0, Wx, Wh, h)
    _close(cell.grads_from_deltas(delta, cache), ref.rnn_grads_from_deltas(delta, cache))


@settings(max_examples=40, deadline=None)
@given(shape=shapes)
def test_lstm_kernels_match_the_reference(shape):
    x, h0, Wx, Wh, b, dh = _args("lstm", **shape)
    states, want = lstm._forward(x, h0, Wx, Wh, b), ref.lstm_forward(x, h0, Wx, Wh, b)
    _close(states, want)
    _close(lstm._backward(dh, x, h0, Wx, Wh, *states), ref.lstm_backward(dh, x, h0, Wx, Wh, *want))


@settings(max_examples=40, deadline=None)
@given(shape=shapes)
def test_gru_kernels_match_the_reference(shape):
    x, h0, Wx, Wh, b, dh = _args("gru", **shape)
    states, want = gru._forward(x, h0, Wx, Wh, b), ref.gru_forward(x, h0, Wx, Wh, b)
    _close(states, want)
    _close(gru._backward(dh, x, h0, Wx, Wh, *states), ref.gru_backward(dh, x, h0, Wx, Wh, *want))


@pytest.mark.parametrize("name", ["rnn", "lstm", "gru"])
def test_kernels_match_the_reference_on_chapter_5s_task(name):
    # The recall task at lag 30 (T = 31) with the trainer's initial weights, three seeds.
    p = ensemble.init(name, seeds=(0, 1, 2))
    x = np.stack([tasks.recall_task(32, 30, seed=s)[0] for s in range(3)])  # (3, 32, 31, 5)
    h0, dh = np.zeros((3, 32, 16)), np.random.default_rng(0).standard_normal((3, 32, 31, 16))
    args = (x, h0, p["Wx"], p["Wh"], p["b"])
    if name == "rnn":
        h = cell._forward(*args)
        _close([h], [ref.rnn_forward(*args)])
        grads = cell.grads_from_deltas(cell._deltas(dh, h, p["Wh"], 31), (*args[:4], h))
        want = ref.rnn_grads_from_deltas(ref.rnn_deltas(dh, h, p["Wh"], 31), (*args[:4], h))
        _close(grads, want)
        return
    kernels, ref_forward, ref_backward = {
        "lstm": (lstm, ref.lstm_forward, ref.lstm_backward),
        "gru": (gru, ref.gru_forward, ref.gru_backward),
    }[name]
    states, want = kernels._forward(*args), ref_forward(*args)
    _close(states, want)
    _close(kernels._backward(dh, *args[:4], *states), ref_backward(dh, *args[:4], *want))


PUBLIC = {  # forward, backward, and the reference forward and backward kernels
    "lstm": (lstm.lstm_forward, lstm.lstm_backward, ref.lstm_forward, ref.lstm_backward),
    "gru": (gru.gru_forward, gru.gru_backward, ref.gru_forward, ref.gru_backward),
}


@pytest.mark.parametrize("name", ["lstm", "gru"])
def test_public_functions_match_the_reference(name):
    x, h0, Wx, Wh, b, dh = _args(name, 7, (), 4, 9, 3, 5, 0.5, 0.0)
    forward, backward, ref_forward, ref_backward = PUBLIC[name]
    h, cache = forward(x, h0, Wx, Wh, b)
    want = ref_forward(x, h0, Wx, Wh, b)
    _close([h, *cache[5:]], want)
    _close(backward(dh, cache), ref_backward(dh, x, h0, Wx, Wh, *want))


def test_public_rnn_functions_match_the_reference():
    x, h0, Wx, Wh, b, dh = _args("rnn", 7, (), 4, 9, 3, 5, 0.5, 0.0)
    h, cache = cell.rnn_forward(x, h0, Wx, Wh, b)
    want_h = ref.rnn_forward(x, h0, Wx, Wh, b)
    delta = ref.rnn_deltas(dh, want_h, Wh, 4)
    want = ref.rnn_grads_from_deltas(delta, (x, h0, Wx, Wh, want_h))
    _close([h, *cell.rnn_backward(dh, cache, truncate=4)], [want_h, *want])


@pytest.mark.parametrize("module", [lstm, gru], ids=["lstm", "gru"])
def test_backward_reads_arrays_in_any_memory_order(module):
    # The forward kernels return views of time-major buffers; a caller may hand the
    # backward kernel copies in plain batch-major order instead, with the same result.
    x, h0, Wx, Wh, b, dh = _args(module.__name__.split(".")[-1], 3, (2,), 3, 5, 2, 4, 0.5, 0.0)
    states = module._forward(x, h0, Wx, Wh, b)
    copies = [np.ascontiguousarray(a) for a in states]
    assert not any(np.shares_memory(a, c) for a, c in zip(states, copies))
    _close(
        module._backward(dh, x, h0, Wx, Wh, *copies), module._backward(dh, x, h0, Wx, Wh, *states)
    )


def test_sigmoid_matches_the_two_branch_form_to_a_few_roundings():
    # The old sigmoid split on the sign of z to keep exp from overflowing; the one-pass
    # 1 / (1 + exp(-z)) lets exp(-z) overflow to inf, whose reciprocal is the exact 0.
    z = np.concatenate([np.linspace(-708.0, 708.0, 200_001), [-40.0, -1e-300, 0.0, 1e-300]])
    want = ref.sigmoid(z)  # normal numbers throughout: sigmoid(-708) is about 3e-308
    np.testing.assert_allclose(sigmoid(z), want, rtol=1e-15, atol=0.0)
    with np.errstate(all="raise"):
        np.testing.assert_array_equal(sigmoid(np.array([-1e4, -745.2, 1e4])), [0.0, 0.0, 1.0])
