"""rnn_core.ensemble: K models at once give each member the single model's numbers."""

import numpy as np
import pytest

from rnn_core import ensemble, optim, tasks

SEEDS = (3, 11, 42)
TOL = 1e-12  # batched and single products differ only in rounding


def _batches(seeds, n, k, V=4):
    """Different sequences for every member, as in training."""
    pairs = [tasks.recall_task(n, k, V, s + 7) for s in seeds]
    return np.stack([x for x, _ in pairs]), np.stack([y for _, y in pairs])


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_one_step_gives_each_member_the_single_models_loss_and_gradients(cell):
    params = ensemble.init(cell, SEEDS, H=6)
    x, y = _batches(SEEDS, n=9, k=5)
    loss, grads = ensemble.recall_loss(cell, params, x, y)
    for i in range(len(SEEDS)):
        one_loss, one = tasks.recall_loss(cell, ensemble.member(params, i), x[i], y[i])
        assert loss[i] == pytest.approx(one_loss, rel=TOL)
        for name, g in one.items():
            np.testing.assert_allclose(grads[name][i], g, rtol=TOL, atol=TOL * np.abs(g).max())


def test_truncated_step_matches_the_single_model():
    params = ensemble.init("rnn", SEEDS, H=5)
    x, y = _batches(SEEDS, n=4, k=6)
    _, grads = ensemble.recall_loss("rnn", params, x, y, truncate=3)
    for i in range(len(SEEDS)):
        _, one = tasks.recall_loss("rnn", ensemble.member(params, i), x[i], y[i], truncate=3)
        np.testing.assert_allclose(grads["Wh"][i], one["Wh"], rtol=TOL, atol=1e-15)


def test_clipping_is_each_members_own():
    rng = np.random.default_rng(0)
    grads = {
        "a": rng.standard_normal((4, 3, 2)) * [[[1]], [[5]], [[0.01]], [[2]]],
        "b": rng.random((4, 2)),
    }
    clipped, norms = ensemble.clip_grad_norm(grads, 1.0)
    for i in range(4):
        one, norm = optim.clip_grad_norm({k: g[i] for k, g in grads.items()}, 1.0)
        assert norms[i] == pytest.approx(norm, rel=TOL)
        for name in grads:
            np.testing.assert_allclose(clipped[name][i], one[name], rtol=TOL)
    assert ensemble.clip_grad_norm(grads, None)[0] is grads  # no clipping asked for


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_a_short_run_follows_each_single_seed_run(cell):
    # Over a few steps, rounding differences stay far below anything visible.
    options = {"steps": 6, "n_train": 40, "n_test": 30, "H": 8}
    together = ensemble.train_recall(cell, 4, SEEDS, **options)
    for i, seed in enumerate(SEEDS):
        alone = tasks.train_recall(cell, 4, seed=seed, **options)
        np.testing.assert_allclose(together.losses[i], alone.losses, rtol=1e-10)
        np.testing.assert_allclose(together.grad_norms[i], alone.grad_norms, rtol=1e-10)
        np.testing.assert_allclose(together.params["Wh"][i], alone.params["Wh"], rtol=1e-9)
        assert together.test_accuracy[i] == alone.test_accuracy


def test_members_are_independent():
    # Member 0 trains exactly as it does alone, whoever its companions are.
    options = {"steps": 5, "n_train": 30, "n_test": 20, "H": 6}
    a = ensemble.train_recall("gru", 3, (0, 1), **options)
    b = ensemble.train_recall("gru", 3, (0, 99, 5), **options)
    np.testing.assert_allclose(a.losses[0], b.losses[0], rtol=1e-12)
    np.testing.assert_allclose(a.params["Wx"][0], b.params["Wx"][0], rtol=1e-12)


def test_result_keeps_the_start_and_the_pre_clip_norms():
    res = ensemble.train_recall("rnn", 3, (0, 1), steps=4, n_train=20, n_test=10, H=4)
    np.testing.assert_array_equal(res.initial["Wh"], ensemble.init("rnn", (0, 1), H=4)["Wh"])
    assert res.grad_norms.shape == (2, 4) and np.all(res.grad_norms > 0)
    assert res.seeds == (0, 1) and res.test_accuracy.shape == (2,)


def test_no_clipping_trains_with_the_raw_gradient():
    clipped = ensemble.train_recall("rnn", 3, (0,), steps=3, n_train=20, n_test=10, max_norm=1e-3)
    raw = ensemble.train_recall("rnn", 3, (0,), steps=3, n_train=20, n_test=10, max_norm=None)
    assert clipped.losses[0, 0] == raw.losses[0, 0]  # same start
    assert not np.allclose(clipped.params["Wh"], raw.params["Wh"])


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: ensemble.train_recall("elman", 2, (0,)), r"^cell: expected one of"),
        (lambda: ensemble.train_recall("lstm", 2, (0,), truncate=1), r"^truncate: only the 'rnn'"),
        (lambda: ensemble.train_recall("rnn", 2, ()), r"^seeds: expected at least one"),
        (lambda: ensemble.train_recall("rnn", 2, (0, -1)), r"^seeds\[1\]: expected an integer"),
        (lambda: ensemble.train_recall("rnn", 2, (0,), nonsense=1), r"nonsense"),
        (
            lambda: ensemble.recall_loss(
                "rnn", ensemble.init("rnn", (0, 1)), *_batches((0, 1), 3, 2)[:1], np.zeros((2, 2))
            ),
            r"^y: expected integer classes in \[0, 3\] of shape \(2, 3\)",
        ),
        (lambda: ensemble.clip_grad_norm({"a": np.ones((2, 1))}, -1.0), r"^max_norm: expected"),
        (
            lambda: ensemble.clip_grad_norm({"a": np.array([[1.0], [np.inf]])}, 1.0),
            r"^grads: expected finite gradients, got a non-finite norm in member 1",
        ),
    ],
)
def test_bad_input_is_named(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()
