"""rnn_core.ensemble: K models at once give each member the single model's numbers."""

import numpy as np
import pytest

from rnn_core import ensemble, lm, optim, tasks

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


# --- The language model: ensemble.lm_loss / train_lm / perplexity against rnn_core.lm ---

LM_SIZES = {"V": 6, "D": 3, "H": 5}


def _lm_params(seeds, V, D, H, scale=0.7):
    """Members away from init_lm's near-uniform start, so every gradient is sizeable."""
    shapes = {"E": (V, D), "Wx": (D, H), "Wh": (H, H), "b": (H,), "Wy": (H, V), "by": (V,)}
    rngs = [np.random.default_rng(s) for s in seeds]
    return ensemble.stack(
        [{k: scale * r.standard_normal(s) for k, s in shapes.items()} for r in rngs]
    )


@pytest.mark.parametrize("carried", [False, True])
def test_one_lm_window_gives_each_member_lm_loss(carried):
    # 3 x 7 ids from 6 words: ids repeat, so the embedding gradient must accumulate.
    params, rng = _lm_params(SEEDS, **LM_SIZES), np.random.default_rng(5)
    inputs, targets = rng.integers(0, 6, (3, 7)), rng.integers(0, 6, (3, 7))
    h0 = rng.uniform(-0.9, 0.9, (len(SEEDS), 3, 5)) if carried else None
    loss, grads, h_last = ensemble.lm_loss(params, inputs, targets, h0)
    for i in range(len(SEEDS)):
        one = lm.lm_loss(ensemble.member(params, i), inputs, targets, None if h0 is None else h0[i])
        assert loss[i] == pytest.approx(one.loss, rel=TOL)
        np.testing.assert_allclose(h_last[i], one.h_last, rtol=TOL, atol=TOL)
        for name, g in one.grads.items():
            np.testing.assert_allclose(grads[name][i], g, rtol=TOL, atol=TOL * np.abs(g).max())


def test_lm_perplexity_gives_each_member_lm_perplexity():
    params, ids = _lm_params(SEEDS, **LM_SIZES), np.random.default_rng(6).integers(0, 6, 40)
    for k in (1, 7, 100):  # chunks that cut the stream anywhere, or not at all
        got = ensemble.perplexity(params, ids, k=k)
        want = [lm.perplexity(ensemble.member(params, i), ids, k=k) for i in range(len(SEEDS))]
        np.testing.assert_allclose(got, want, rtol=TOL)


def _sequential_train_lm(ids, V, seed, *, D, H, k, batch, epochs, lr, max_norm, valid_ids):
    """One seed trained window by window from lm's public pieces: the loop before ensembles."""
    inputs, targets = lm._batchify(ids, batch, k)
    params, opt = lm.init_lm(V, D, H, seed), optim.Adam(lr=lr)
    losses, valid = np.empty(epochs), np.empty(epochs)
    for epoch in range(epochs):
        h, total = np.zeros((batch, H)), 0.0
        for s in range(0, inputs.shape[1], k):
            res = lm.lm_loss(params, inputs[:, s : s + k], targets[:, s : s + k], h)
            grads = res.grads if max_norm is None else optim.clip_grad_norm(res.grads, max_norm)[0]
            opt.step(params, grads)
            h, total = res.h_last, total + res.loss * inputs[:, s : s + k].size
        losses[epoch], valid[epoch] = total / inputs.size, lm.perplexity(params, valid_ids)
    return params, losses, valid


@pytest.mark.parametrize("max_norm", [5.0, 0.05, None])  # never, always, no clipping
def test_a_short_lm_run_follows_each_sequential_run(max_norm):
    # 61 ids in 3 streams of 20: windows of 6, 6, 6 and a shorter last one of 2.
    ids = np.random.default_rng(8).integers(0, 7, 61)
    options = dict(D=4, H=6, k=6, batch=3, epochs=3, lr=0.01, max_norm=max_norm)
    together = ensemble.train_lm(ids, 7, SEEDS, valid_ids=ids[:25], **options)
    for i, seed in enumerate(SEEDS):
        params, losses, valid = _sequential_train_lm(ids, 7, seed, valid_ids=ids[:25], **options)
        alone = lm.train_lm(ids, 7, seed=seed, valid_ids=ids[:25], **options)
        for run_losses, run_valid in [
            (together.losses[i], together.valid_perplexity[i]),
            (alone.losses, alone.valid_perplexity),
        ]:
            np.testing.assert_allclose(run_losses, losses, rtol=1e-10)
            np.testing.assert_allclose(run_valid, valid, rtol=1e-10)
        for name, p in params.items():
            np.testing.assert_allclose(together.params[name][i], p, rtol=1e-9, atol=1e-12)
            np.testing.assert_allclose(alone.params[name], p, rtol=1e-9, atol=1e-12)
    assert together.seeds == SEEDS


def test_lm_members_are_independent():
    # Member 0 trains exactly as it does alone, whoever its companions are.
    ids = np.random.default_rng(9).integers(0, 5, 41)
    options = dict(D=3, H=4, k=5, batch=2, epochs=2, lr=0.02, max_norm=1.0)
    a = ensemble.train_lm(ids, 5, (0, 1), **options)
    b = ensemble.train_lm(ids, 5, (0, 99, 5), **options)
    np.testing.assert_allclose(a.losses[0], b.losses[0], rtol=1e-12)
    np.testing.assert_allclose(a.params["E"][0], b.params["E"][0], rtol=1e-12)
    assert a.valid_perplexity is None and not np.allclose(b.losses[1], b.losses[2])


def test_lm_ensemble_starts_from_each_seeds_init_lm():
    p = ensemble.init_lm((4, 0), 5, 3, 2)
    for i, seed in enumerate((4, 0)):
        for name, a in lm.init_lm(5, 3, 2, seed=seed).items():
            np.testing.assert_array_equal(p[name][i], a)


_LMP = _lm_params((0, 1), 5, 2, 3)
_IDS = np.array([[0, 1, 2]])
_LM_TRAIN = dict(D=2, H=3, k=2, batch=2, epochs=1, lr=0.01, max_norm=1.0)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: ensemble.train_lm(np.arange(5), 5, (), **_LM_TRAIN), r"^seeds: expected at least"),
        (
            lambda: ensemble.train_lm(np.arange(5), 5, (0, -1), **_LM_TRAIN),
            r"^seeds\[1\]: expected an integer",
        ),
        (
            lambda: ensemble.train_lm(np.array([0, 7, 1, 2, 3]), 5, (0,), **_LM_TRAIN),
            r"^ids: expected ids in \[0, 4\], got values in \[0, 7\]",
        ),
        (
            lambda: ensemble.train_lm(np.zeros((2, 5), int), 5, (0,), **_LM_TRAIN),
            r"^ids: expected a 1-d id stream",
        ),
        (
            lambda: ensemble.train_lm(np.arange(4), 5, (0,), **_LM_TRAIN),
            r"^ids: expected at least batch \* k \+ 1 = 5 ids, got 4",
        ),
        (
            lambda: ensemble.train_lm(np.arange(5), 5, (0,), **_LM_TRAIN, valid_ids=[9, 1]),
            r"^valid_ids: expected ids in \[0, 4\]",
        ),
        (
            lambda: ensemble.train_lm(np.arange(5), 5, (0,), **{**_LM_TRAIN, "max_norm": 0}),
            r"^max_norm: expected a finite real scalar > 0",
        ),
        (
            lambda: ensemble.train_lm(np.arange(5), 5, (0,), **{**_LM_TRAIN, "k": 0}),
            r"^k: expected an integer",
        ),
        (lambda: ensemble.lm_loss({"E": 1}, _IDS, _IDS), r"^params: expected a dict with keys"),
        (
            lambda: ensemble.lm_loss({**_LMP, "by": np.zeros((3, 5))}, _IDS, _IDS),
            r"^params\['by'\]: expected shape \(K, V\) with K = 2, got shape \(3, 5\)",
        ),
        (lambda: ensemble.lm_loss(_LMP, _IDS, _IDS[:, :2]), r"^targets: expected shape \(1, 3\)"),
        (lambda: ensemble.lm_loss(_LMP, _IDS + 3, _IDS), r"^inputs: expected non-empty ids"),
        (
            lambda: ensemble.lm_loss(_LMP, _IDS, _IDS, np.zeros((1, 1, 3))),
            r"^h0: expected shape \(2, 1, 3\), got shape \(1, 1, 3\)",
        ),
        (lambda: ensemble.perplexity(_LMP, np.array([3])), r"^ids: expected at least 2 ids"),
        (lambda: ensemble.perplexity(_LMP, np.array([3, 1]), k=0), r"^k: expected an integer"),
    ],
)
def test_lm_bad_input_is_named(call, match):
    with pytest.raises(ValueError, match=match):
        call()
