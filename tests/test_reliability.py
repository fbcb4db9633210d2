"""Regression tests, one per finding of the reliability review (shared/reviews/reliability.md).

Each reproduction of the review must end in a clear error (a ValueError whose
message starts with the argument's, or the overflowed quantity's, name) or in the
right answer. The bad-input harness (test_bad_input.py) covers the classes of
input; these pin the review's exact cases, several of which need sizes (a long
sequence, a 500-leaf tree) that the harness's small examples do not reach.
"""

import warnings

import numpy as np
import pytest

import rnn_core
from rnn_core import (
    SGD,
    Adam,
    architectures,
    clip_grad_norm,
    embedding_backward,
    embedding_forward,
    ensemble,
    global_norm,
    linear_grad_terms,
    linear_rnn_grads,
    normal_equations,
    numerical_gradient,
    rel_error,
    rnn_backward,
    rnn_forward,
    rtrl_gradients,
    sliding_truncated_backward,
    softmax,
    temporal_softmax_loss,
)
from rnn_core.architectures import left_leaning_tree, recursive_forward
from rnn_core.data import markov_chain_joint
from rnn_core.tasks import init_recall, recall_accuracy, recall_loss, recall_task
from rnn_core.truncation import truncated_gradient


def _exploding_bptt(T=1100):
    """The review's case 2: Wh = 2 I, zero inputs and states, one loss at the last step."""
    args = (np.zeros((1, T, 1)), np.zeros((1, 2)), np.ones((1, 2)), 2 * np.eye(2), np.zeros(2))
    dh = np.zeros((1, T, 2))
    dh[0, -1] = 1.0
    return args, dh


# --- 1. clipping and norms -----------------------------------------------------------


def test_regression_clip_grad_norm_1e200_keeps_direction():
    clipped, norm = clip_grad_norm({"w": np.array([1e200, 1e200])}, 1.0)
    np.testing.assert_allclose(clipped["w"], [2**-0.5, 2**-0.5], rtol=1e-15)
    assert norm == pytest.approx(np.sqrt(2) * 1e200, rel=1e-15)


def test_regression_global_norm_of_1e200_and_1e_minus_200_gradients_is_finite_and_right():
    assert global_norm({"w": np.array([3e200]), "b": np.array([[4e200]])}) == pytest.approx(5e200)
    assert global_norm({"w": np.array([3e-200, 4e-200])}) == pytest.approx(5e-200)


def test_regression_global_norm_beyond_float64_is_an_error_not_inf():
    with pytest.raises(ValueError, match=r"^grads: the global norm overflowed float64"):
        global_norm({"w": np.array([1.5e308, 1.5e308])})


def test_regression_clip_grad_norm_raises_on_inf_or_nan_gradients():
    for bad in (np.inf, np.nan):
        with pytest.raises(ValueError, match=r"^grads\['w'\]: expected finite values"):
            clip_grad_norm({"w": np.array([1.0, bad])}, 1.0)


def test_regression_adam_with_a_1e200_gradient_raises_and_leaves_params_unchanged():
    params = {"w": np.array([1.0]), "b": np.array([2.0])}
    with pytest.raises(ValueError, match=r"^grads\['b'\]: overflowed float64 .*second moment"):
        Adam(0.1).step(params, {"w": np.array([1.0]), "b": np.array([1e200])})
    assert params["w"][0] == 1.0 and params["b"][0] == 2.0  # all or nothing


# --- 2. overflow in backpropagation ------------------------------------------------


def test_regression_rnn_backward_overflow_raises_naming_the_step():
    args, dh = _exploding_bptt()
    _, cache = rnn_forward(*args)
    # delta_t = 2**(T - 1 - t): past 2**1023 at t = 1099 - 1024 = 75
    with pytest.raises(ValueError, match=r"^delta: overflowed float64 at step t = 75 of T = 1100"):
        rnn_backward(dh, cache)


def test_regression_sliding_truncated_backward_overflow_raises_naming_the_step():
    args, dh = _exploding_bptt()
    _, cache = rnn_forward(*args)
    with pytest.raises(ValueError, match=r"^delta: overflowed float64 at step t = 75 of T = 1100"):
        sliding_truncated_backward(dh, cache, 2000)


def test_regression_rtrl_overflow_raises_naming_the_step():
    args, dh = _exploding_bptt()
    # the sensitivity of h_t to b (and h0) doubles at every step: 2**1024 is inf
    with pytest.raises(ValueError, match=r"^S\.b: overflowed float64 at step t = 1023 of T = 1100"):
        rtrl_gradients(*args, dh)


def test_regression_bptt_at_t_500_with_wh_2i_is_still_finite():
    args, dh = _exploding_bptt(500)
    _, cache = rnn_forward(*args)
    grads = rnn_backward(dh, cache)
    assert all(np.isfinite(g).all() for g in grads)
    assert grads[4][0] == pytest.approx(2.0**500)  # db = sum_t delta_t = 2**T - 1


def test_regression_rnn_forward_with_1e308_inputs_gives_saturated_states():
    # Only +inf - inf could make a state NaN (tanh is bounded), and the product x Wx
    # gives +-inf here, not NaN: tanh(+-inf) = +-1 is the right limit, no error needed.
    x = np.zeros((1, 3, 2))
    x[0, 2] = 1e308
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # and numpy is silenced
        h, _ = rnn_forward(
            x, np.zeros((1, 2)), np.array([[2.0, -2.0], [2.0, -2.0]]), np.eye(2), np.zeros(2)
        )
    np.testing.assert_array_equal(h[0, 2], [1.0, -1.0])


def test_regression_lstm_backward_overflow_raises_naming_the_step():
    H, T = 1, 1100
    Wh = np.zeros((H, 4 * H))
    Wh[0, :] = [0.0, 0.0, 0.0, 2000.0]  # the g gate's recurrent weight: huge gain
    b = np.array([30.0, 30.0, 30.0, 0.0])  # i, f, o saturated open, g linear at 0
    _, cache = rnn_core.lstm_forward(np.zeros((1, T, 1)), np.zeros((1, H)), np.zeros((1, 4)), Wh, b)
    dh = np.zeros((1, T, H))
    dh[0, -1] = 1.0
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # the LSTM silences numpy itself
        with pytest.raises(ValueError, match=r"^delta: overflowed float64 at step t = \d+ of T"):
            rnn_core.lstm_backward(dh, cache)


# --- 3. recall_accuracy checks y ----------------------------------------------------


@pytest.mark.parametrize(
    "y, match",
    [
        (lambda y: y.reshape(-1, 1), r"^y: expected 1-d integer array of shape \(N,\)"),
        (lambda y: y[0], r"^y: expected 1-d integer array"),
        (lambda y: np.full_like(y, -1), r"^y: expected non-empty ids in \[0, 3\]"),
    ],
)
def test_regression_recall_accuracy_checks_y(y, match):
    x, labels = recall_task(4, k=2, V=4)
    with pytest.raises(ValueError, match=match):
        recall_accuracy("rnn", init_recall("rnn", 5, 3, 4), x, y(labels))


def test_regression_recall_accuracy_x_with_one_sequence_against_four_labels():
    x, y = recall_task(4, k=2, V=4)
    with pytest.raises(ValueError, match=r"^y: expected shape \(N,\) with N = 1, got shape \(4,\)"):
        recall_accuracy("rnn", init_recall("rnn", 5, 3, 4), x[:1], y)


# --- 4. complex, bool and strings ----------------------------------------------------


def test_regression_rnn_forward_refuses_complex_input():
    args = [np.zeros((1, 2, 1)), np.zeros((1, 2)), np.ones((1, 2)), np.eye(2), np.zeros(2)]
    args[0] = args[0] + 1j
    with pytest.raises(ValueError, match=r"^x: expected real numbers .*got complex numbers"):
        rnn_forward(*args)


@pytest.mark.parametrize("bad", [np.array([[[True]]]), np.array([[["1.0"]]])])
def test_regression_bool_and_numeric_strings_are_not_numbers(bad):
    with pytest.raises(ValueError, match=r"^x: expected real numbers"):
        rnn_forward(bad, np.zeros((1, 1)), np.ones((1, 1)), np.eye(1), np.zeros(1))


# --- 5. optimiser settings ----------------------------------------------------------


@pytest.mark.parametrize(
    "make, match",
    [
        (
            lambda: Adam(0.1, beta1=1.0),
            r"^beta1: expected a finite real scalar in \[0, 1\), got 1.0",
        ),
        (lambda: Adam(0.1, beta2=2.0), r"^beta2: expected a finite real scalar in \[0, 1\)"),
        (lambda: Adam(0.0), r"^lr: expected a finite real scalar > 0, got 0.0"),
        (lambda: Adam(-0.1), r"^lr: expected a finite real scalar > 0"),
        (lambda: Adam(0.1, eps=0.0), r"^eps: expected a finite real scalar > 0"),
        (lambda: SGD(lr=-1), r"^lr: expected a finite real scalar > 0, got -1.0"),
    ],
)
def test_regression_optimiser_settings_are_range_checked(make, match):
    with pytest.raises(ValueError, match=match):
        make()


# --- 6. embedding_backward checks dout's width --------------------------------------


def test_regression_embedding_backward_checks_dout_width():
    _, cache = embedding_forward(np.array([[0, 2]]), np.zeros((3, 2)))
    with pytest.raises(
        ValueError, match=r"^dout: expected shape \(1, 2, 2\), got shape \(1, 2, 3\)"
    ):
        embedding_backward(np.ones((1, 2, 3)), cache)
    assert embedding_backward(np.ones((1, 2, 2)), cache).shape == (3, 2)


# --- 7. softmax, rel_error, numerical_gradient ---------------------------------------


@pytest.mark.parametrize("z", [[-np.inf, -np.inf], [np.inf, 0.0]])
def test_regression_softmax_of_infinities_is_an_error_not_nan(z):
    with pytest.raises(ValueError, match=r"^z: expected finite values"):
        softmax(np.array(z))


def test_regression_softmax_takes_a_list_and_extreme_finite_logits():
    np.testing.assert_array_equal(softmax([1e308, -1e308]), [1.0, 0.0])
    np.testing.assert_allclose(softmax([[0.0, np.log(3.0)]]), [[0.25, 0.75]], rtol=1e-15)


def test_regression_rel_error_of_1e300_entries():
    a, b = np.array([1e300, 1e300]), np.array([1e300, 2e300])
    assert rel_error(a, b) == pytest.approx(rel_error(a / 1e300, b / 1e300), rel=1e-15)
    tiny = (a / 1e300 * 1e-300, b / 1e300 * 1e-300)  # entries of 1e-300: squares underflow
    assert rel_error(*tiny) == pytest.approx(rel_error(a / 1e300, b / 1e300), rel=1e-15)


def test_regression_numerical_gradient_refuses_eps_zero():
    x = np.array([1.0])
    with pytest.raises(ValueError, match=r"^eps: expected a finite real scalar > 0, got 0.0"):
        numerical_gradient(lambda: float(x[0] ** 2), x, eps=0.0)


def test_regression_numerical_gradient_refuses_an_eps_lost_in_rounding():
    x = np.array([1e300])
    with pytest.raises(ValueError, match=r"^eps: expected a step that changes x\[\(0,\)\]"):
        numerical_gradient(lambda: float(x[0]), x)
    assert x[0] == 1e300  # restored


# --- 8. recursive_forward without Python recursion --------------------------------


def test_regression_recursive_forward_500_leaf_tree_is_the_rnn_of_its_chain():
    L, H = 500, 3
    rng = np.random.default_rng(0)
    leaves, W, b = rng.standard_normal((L, H)), 0.5 * rng.standard_normal((2 * H, H)), np.zeros(H)
    res = recursive_forward(left_leaning_tree(L), leaves, W, b)
    h, _ = rnn_forward(leaves[None, 1:], leaves[:1], W[H:], W[:H], b)
    np.testing.assert_allclose(np.array(res.nodes), h[0], rtol=1e-12, atol=1e-15)
    assert len(res.nodes) == L - 1


def test_regression_recursive_forward_deep_tree_beyond_the_recursion_limit():
    L = 5000  # sys.getrecursionlimit() is 1000 by default
    res = recursive_forward(left_leaning_tree(L), np.ones((L, 2)), np.eye(4, 2), np.zeros(2))
    assert len(res.nodes) == L - 1 and np.isfinite(res.root).all()


# --- 9. errors name the right argument -------------------------------------------


def _small_cache():
    args = (np.ones((1, 3, 1)), np.zeros((1, 2)), np.ones((1, 2)), 0.5 * np.eye(2), np.zeros(2))
    return rnn_forward(*args)[1]


def test_regression_truncated_gradient_names_k():
    with pytest.raises(ValueError, match=r"^k: expected an integer in \[1, inf\], got 0"):
        truncated_gradient(np.ones((1, 3, 2)), _small_cache(), 0)


def test_regression_recall_loss_names_y():
    x, y = recall_task(4, k=2, V=4)
    with pytest.raises(ValueError, match=r"^y: expected non-empty ids in \[0, 3\], got values"):
        recall_loss("rnn", init_recall("rnn", 5, 3, 4), x, y + 4)


def test_regression_missing_params_key_is_named():
    x, y = recall_task(4, k=2, V=4)
    params = init_recall("rnn", 5, 3, 4)
    del params["by"]
    with pytest.raises(ValueError, match=r"^params: expected a dict with keys .*\(missing 'by'\)"):
        recall_loss("rnn", params, x, y)


def test_regression_train_lm_checks_valid_ids_before_training(monkeypatch):
    def no_training(*args, **kwargs):
        raise AssertionError("train_lm trained before checking valid_ids")

    # lm.train_lm is ensemble.train_lm with one member: its epochs are ensemble._lm_epoch.
    monkeypatch.setattr(rnn_core.ensemble, "_lm_epoch", no_training)
    with pytest.raises(ValueError, match=r"^valid_ids: expected integer ids, got dtype float64"):
        rnn_core.train_lm(
            np.tile([0, 1, 2], 10),
            3,
            D=2,
            H=2,
            k=3,
            batch=1,
            epochs=1,
            lr=0.1,
            max_norm=1.0,
            valid_ids=np.array([0.0, 1.0, 2.0]),
        )


@pytest.mark.parametrize("wrong", [lambda c: tuple(c), lambda c: c._asdict(), lambda c: None])
def test_regression_wrong_cache_type_is_named(wrong):
    cache = _small_cache()
    with pytest.raises(ValueError, match=r"^cache: expected an RNNCache from rnn_forward, got"):
        rnn_backward(np.ones((1, 3, 2)), wrong(cache))


def test_regression_h0_with_the_wrong_H_blames_h0():
    with pytest.raises(
        ValueError, match=r"^h0: expected shape \(N, H\) with H = 2, got shape \(1, 3\)"
    ):
        rnn_forward(np.ones((1, 3, 1)), np.zeros((1, 3)), np.ones((1, 2)), np.eye(2), np.zeros(2))
    with pytest.raises(
        ValueError, match=r"^h0: expected shape \(N, H\) with H = 2, got shape \(1, 3\)"
    ):
        rnn_core.lstm_forward(
            np.ones((1, 3, 1)), np.zeros((1, 3)), np.ones((1, 8)), np.ones((2, 8)), np.zeros(8)
        )


# --- 10. no false overflow alarm ----------------------------------------------------


def test_regression_linear_rnn_grads_no_false_overflow_at_N_1760():
    x = np.r_[np.zeros(1759), 1.0]
    assert linear_rnn_grads(x, 1.0, 1.5, 0.0, 1.0) == (0.0, 1.0)
    terms_h, terms_x = linear_grad_terms(x, 1.0, 1.5)
    assert terms_x[0] == 1.0 and not terms_x[1:].any() and not terms_h.any()


def test_regression_linear_rnn_grads_still_reports_real_overflow():
    with pytest.raises(ValueError, match=r"overflowed float64 with w_h = 1.5"):
        linear_rnn_grads(np.ones(1760), 1.0, 1.5, 0.0, 1.0)


# --- smaller findings --------------------------------------------------------------


def test_regression_linear_grad_terms_accepts_lists():
    th, tx = linear_grad_terms([1.0, 2.0], 1, 0.5)
    np.testing.assert_array_equal(th, [1.0, 0.0])
    np.testing.assert_array_equal(tx, [2.0, 0.5])


@pytest.mark.parametrize("value, shown", [(0.5, "0.5"), (2, "2")])
def test_regression_temporal_softmax_loss_mask_must_be_boolean_or_0_1(value, shown):
    mask = np.array([[1, value]], dtype=type(value))
    with pytest.raises(ValueError, match=rf"^mask: expected booleans or 0/1 values, got {shown}"):
        temporal_softmax_loss(np.zeros((1, 2, 3)), np.array([[0, 1]]), mask)
    loss_01 = temporal_softmax_loss(np.zeros((1, 2, 3)), np.array([[0, 1]]), np.array([[1, 0]]))
    loss_bool = temporal_softmax_loss(np.zeros((1, 2, 3)), np.array([[0, 1]]), [[True, False]])
    assert loss_01[0] == loss_bool[0]


def test_regression_temporal_softmax_loss_of_logits_1e308_is_never_inf():
    logits = np.array([[[1e308, -1e308]]])
    loss, dlogits = temporal_softmax_loss(logits, np.array([[0]]))  # the top class: exact
    assert loss == 0.0 and np.array_equal(dlogits, np.zeros((1, 1, 2)))
    with pytest.raises(ValueError, match=r"^logits: the loss overflowed float64 at n = 0, t = 0"):
        temporal_softmax_loss(logits, np.array([[1]]))  # true loss 2e308 > float64 max


def test_regression_normal_equations_with_1e300_is_an_error_not_inf():
    x = np.array([1.0, 2.0, 1e300, 0.5, 0.3, 0.1])
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        with pytest.raises(ValueError, match=r"^A: overflowed float64"):
            normal_equations(x, 2)


def test_regression_markov_chain_joint_accepts_a_float32_table():
    P = np.array([[0.3, 0.7], [0.1, 0.9]], dtype=np.float32)
    assert P.sum(axis=1, dtype=np.float64)[1] != 1.0  # rows off by float32 rounding
    _, joint, _ = markov_chain_joint(np.array([0.5, 0.5], np.float32), P, 2)
    assert joint.sum() == pytest.approx(1.0, abs=1e-6)
    with pytest.raises(ValueError, match=r"^P: expected rows summing to 1"):
        markov_chain_joint([0.5, 0.5], np.array([[0.3, 0.7], [0.1, 0.8999]], np.float32), 2)


# --- the same promises for what main added since the review -------------------------
# (ensembles, the GRU, stacked and bidirectional RNNs): the harness covers their
# classes of input; these pin the cases the review found in their single-model twins.


def test_regression_ensemble_clip_grad_norm_1e200_keeps_each_members_direction():
    clipped, norms = ensemble.clip_grad_norm({"w": np.array([[1e200, 1e200], [3.0, 4.0]])}, 1.0)
    np.testing.assert_allclose(clipped["w"], [[2**-0.5, 2**-0.5], [0.6, 0.8]], rtol=1e-15)
    np.testing.assert_allclose(norms, [np.sqrt(2) * 1e200, 5.0], rtol=1e-15)


def test_regression_ensemble_clip_grad_norm_beyond_float64_names_the_member():
    with pytest.raises(ValueError, match=r"^grads: the global norm of member 1 overflowed"):
        ensemble.clip_grad_norm({"w": np.array([[1.0, 1.0], [1.5e308, 1.5e308]])}, 1.0)


def test_regression_gru_backward_overflow_raises_naming_the_step():
    H, T = 1, 1100
    Wh = np.array([[0.0, 0.0, 2000.0]])  # the candidate's recurrent weight: huge gain
    b = np.array([-30.0, 30.0, 0.0])  # z shut (h = n), r open, n linear at 0
    _, cache = rnn_core.gru_forward(np.zeros((1, T, 1)), np.zeros((1, H)), np.zeros((1, 3)), Wh, b)
    dh = np.zeros((1, T, H))
    dh[0, -1] = 1.0
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # the GRU silences numpy itself
        with pytest.raises(ValueError, match=r"^delta: overflowed float64 at step t = \d+ of T"):
            rnn_core.gru_backward(dh, cache)


def test_regression_gru_h0_with_the_wrong_H_blames_h0():
    with pytest.raises(
        ValueError, match=r"^h0: expected shape \(N, H\) with H = 2, got shape \(1, 3\)"
    ):
        rnn_core.gru_forward(
            np.ones((1, 3, 1)), np.zeros((1, 3)), np.ones((1, 6)), np.ones((2, 6)), np.zeros(6)
        )


def test_regression_ensemble_member_past_the_last_member_is_named():
    with pytest.raises(ValueError, match=r"^k: expected an integer in \[0, 1\], got 2"):
        ensemble.member({"w": np.zeros((2, 3))}, 2)


def test_regression_ensemble_train_recall_names_V_not_D():
    with pytest.raises(ValueError, match=r"^V: expected an integer in \[2, inf\], got 2.5"):
        ensemble.train_recall("rnn", 1, (0,), V=2.5)


def test_regression_ensemble_train_recall_from_checks_params_before_training(monkeypatch):
    def no_training(*args, **kwargs):
        raise AssertionError("train_recall_from trained before checking params")

    monkeypatch.setattr(rnn_core.ensemble, "_train", no_training)
    params = ensemble.init("rnn", (0, 1), V=2, H=3)
    del params["by"]
    with pytest.raises(ValueError, match=r"^params: expected a dict with keys .*\(missing 'by'\)"):
        ensemble.train_recall_from(params, "rnn", 1, (0, 1), V=2)


def test_regression_ensemble_stack_names_the_member_whose_shape_differs():
    with pytest.raises(ValueError, match=r"^params_list\[1\]\['w'\]: expected shape \(2,\)"):
        ensemble.stack([{"w": np.zeros(2)}, {"w": np.zeros(3)}])


def test_regression_ensemble_lm_training_that_diverges_is_an_error_not_inf():
    with pytest.raises(ValueError, match=r"^perplexity: overflowed float64 in member 0"):
        ensemble.train_lm(
            np.tile([0, 1, 2, 1], 5), 3, (0, 1), D=2, H=3, k=3, batch=2, epochs=3, lr=1e300,
            max_norm=None,
        )  # fmt: skip


def test_regression_stacked_forward_names_the_layer_and_its_weight():
    x, layer = np.ones((1, 2, 3)), (np.ones((3, 4)), np.eye(4), np.zeros(4))
    with pytest.raises(ValueError, match=r"^layers\[1\]\.Wx: expected shape \(D, H\) with D = 4"):
        architectures.stacked_forward(x, [layer, layer])
    with pytest.raises(ValueError, match=r"^backward\.b: expected real numbers"):
        architectures.bidirectional_forward(x, layer, (*layer[:2], layer[2] + 1j))
