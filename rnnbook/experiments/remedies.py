"""Chapter 5's trained experiments, each a distribution over seeds.

Training a recurrent network is chaotic, so every experiment here trains one
ensemble of seeds (``rnn_core.ensemble``) and returns every member's number; the
chapter shows them all and states its claims as counts and medians. The chapter's
seeds are ``SEEDS``; the tests check every claim again on ``CHECK_SEEDS``, a disjoint
set, so that a claim tuned to one set of seeds fails.

Nothing is cached between calls: :func:`lag_sweep` trains every cell at every lag
once, and the experiments that need trained or initial parameters take its
:class:`Sweep` as an argument, so that results never depend on call order.

* :func:`lag_sweep`: the tanh RNN, the LSTM and the GRU on ``tasks.recall_task`` as
  the lag ``k`` grows.
* :func:`gradient_paths`: how much of the loss's gradient reaches the input ``j``
  steps back, before and after training, for each cell; and the gated cells'
  direct paths (products of forget or update gates).
* :func:`clipping_comparison`: the same RNN runs with and without clipping.
* :func:`truncation_comparison`: window-truncated BPTT against full BPTT.
* :func:`init_comparison`: the RNN with ``Wh`` started random, as the identity or
  as a random orthogonal matrix.
* :func:`cliff_descents`: gradient descent on Pascanu et al.'s cliff from many
  starts, plain, clipped by norm and clipped element-wise.
"""

from typing import NamedTuple

import numpy as np
from scipy.stats import binomtest

from rnn_core import ensemble
from rnn_core._checks import as_int, as_scalar
from rnn_core.cliff import cliff_error, cliff_gradient
from rnn_core.gru import update_path_gradient
from rnn_core.lstm import cell_path_gradient
from rnn_core.tasks import RECALL, recall_task

__all__ = [
    "CELLS",
    "CHECK_SEEDS",
    "CLIFF_START",
    "LAGS",
    "SEEDS",
    "SUCCESS",
    "CliffDescents",
    "GradientPath",
    "Sweep",
    "cliff_descents",
    "cliff_facts",
    "cliff_starts",
    "clipping_comparison",
    "clipping_facts",
    "gradient_paths",
    "init_comparison",
    "init_wh",
    "lag_sweep",
    "path_facts",
    "permutation_p_value",
    "successes",
    "truncation_comparison",
    "truncation_facts",
]

SEEDS = tuple(range(10))  # the chapter's seeds
CHECK_SEEDS = tuple(range(100, 110))  # a second, disjoint set: the tests check every claim on it
LAGS = (5, 10, 15, 20)
CELLS = ("rnn", "lstm", "gru")
SUCCESS = 0.95  # test accuracy that counts as having learned the task (chance is 1 / V)


def successes(accuracy, threshold=SUCCESS):
    """How many members reached ``threshold``: an int.

    Examples
    --------
    >>> successes(np.array([1.0, 0.5, 0.96]))
    2
    """
    return int(np.sum(np.asarray(accuracy) >= threshold))


class Sweep(NamedTuple):
    """Every cell trained at every lag, one ensemble each."""

    seeds: tuple
    lags: tuple
    cells: tuple
    runs: dict  # (cell, k) -> ensemble.EnsembleResult

    def accuracy(self, cell, k):
        """Test accuracy of every member of ``cell`` at lag ``k``: shape (seeds,)."""
        return self.runs[cell, k].test_accuracy


def lag_sweep(lags=LAGS, cells=CELLS, seeds=SEEDS, **options):
    """Train every cell at every lag on the recall task, one ensemble of ``seeds`` each.

    Parameters
    ----------
    lags : sequence of int
    cells : sequence of {"rnn", "lstm", "gru"}
    seeds : sequence of int
    **options
        Overrides of ``tasks.RECALL``, as for ``ensemble.train_recall``.

    Returns
    -------
    Sweep

    Examples
    --------
    >>> s = lag_sweep(lags=(2,), cells=("lstm",), seeds=(0, 1), steps=60, n_train=64, n_test=64)
    >>> s.accuracy("lstm", 2).tolist(), successes(s.accuracy("lstm", 2))
    ([1.0, 1.0], 2)
    """
    lags = tuple(as_int(f"lags[{i}]", k, 0) for i, k in enumerate(lags))
    runs = {(c, k): ensemble.train_recall(c, k, seeds, **options) for c in cells for k in lags}
    return Sweep(tuple(seeds), lags, tuple(cells), runs)


BIG_H = 30  # an RNN with about as many parameters as the GRU at RECALL.H = 16


def n_parameters(run):
    """The number of parameters of one member of an ``ensemble.EnsembleResult``."""
    return int(sum(p[0].size for p in run.params.values()))


def larger_rnn(sweep, k, H=BIG_H):
    """The tanh RNN at lag ``k`` with ``H`` hidden units, trained on the sweep's seeds
    (everything else as in :func:`lag_sweep`): does size alone close the gap?"""
    return ensemble.train_recall("rnn", k, sweep.seeds, H=as_int("H", H, 1))


def sweep_facts(sweep, larger, k=20, ci_lag=15):
    """What chapter 5 quotes about the sweep besides its counts, by name: the task's
    settings, a 95% Clopper-Pearson interval for the RNN's success rate at ``ci_lag``,
    the parameters of one member of each cell, and the :func:`larger_rnn` at lag ``k``.
    """
    learned = successes(sweep.accuracy("rnn", ci_lag))
    ci = binomtest(learned, len(sweep.seeds)).proportion_ci(method="exact")
    facts = {
        "recall_H": RECALL.H,
        "recall_steps": RECALL.steps,
        f"rnn_{ci_lag}_ci_lo": float(ci.low),
        f"rnn_{ci_lag}_ci_hi": float(ci.high),
        "big_H": int(larger.params["Wh"].shape[-1]),
        "params_big": n_parameters(larger),
        f"big_{k}_learned": successes(larger.test_accuracy),
    }
    for cell in sweep.cells:
        facts[f"params_{cell}"] = n_parameters(sweep.runs[cell, k])
    return facts


# --- how much gradient reaches the symbol ----------------------------------------------------


class GradientPath(NamedTuple):
    """Gradient reaching the input ``j = 0 .. k`` steps back, relative to ``j = 0``, per member.

    ``before`` and ``after`` are the mean over test sequences of
    ``|dL/dx_(T-j)| / |dL/dx_T|`` with the initial and the trained parameters, shape
    (seeds, k + 1); entry ``k`` is the symbol's step. ``gate_before``/``gate_after``
    are the gated cells' direct paths (the LSTM's forget-gate products
    ``lstm.cell_path_gradient``, the GRU's update-gate products
    ``gru.update_path_gradient``), None for the RNN.
    """

    cell: str
    before: np.ndarray
    after: np.ndarray
    gate_before: np.ndarray | None
    gate_after: np.ndarray | None


def _relative_input_gradient(cell, params, x, y):
    """Mean over sequences of ``|dL/dx_(T-j)| / |dL/dx_T|``: shape (K, T), j = 0 first."""
    norms = np.linalg.norm(ensemble.recall_input_gradient(cell, params, x, y), axis=-1)
    return (norms / norms[..., -1:]).mean(axis=1)[:, ::-1]  # (K, T), from the read-out back


def _gate_path(cell, params, x):
    if cell == "rnn":
        return None
    cache = ensemble.run(cell, params, x)[1]
    return (cell_path_gradient if cell == "lstm" else update_path_gradient)(cache)


def gradient_paths(sweep, k, n_test=RECALL.n_test):
    """For each cell of ``sweep`` at lag ``k``: the :class:`GradientPath` of every member.

    Measured on each member's own test sequences (those of its accuracy).

    Examples
    --------
    >>> s = lag_sweep(lags=(3,), cells=("rnn",), seeds=(0,), steps=5, n_train=16, n_test=8)
    >>> p = gradient_paths(s, 3, n_test=8)["rnn"]
    >>> p.before.shape, float(p.before[0, 0]), p.gate_after is None
    ((1, 4), 1.0, True)
    """
    pairs = [recall_task(n_test, k, RECALL.V, s + 1) for s in sweep.seeds]
    x, y = np.stack([a for a, _ in pairs]), np.stack([b for _, b in pairs])
    paths = {}
    for cell in sweep.cells:
        run = sweep.runs[cell, k]
        paths[cell] = GradientPath(
            cell,
            _relative_input_gradient(cell, run.initial, x, y),
            _relative_input_gradient(cell, run.params, x, y),
            _gate_path(cell, run.initial, x),
            _gate_path(cell, run.params, x),
        )
    return paths


# --- clipping, truncation, initialisation ------------------------------------------------------


def clipping_comparison(sweep, k, cell="rnn"):
    """The sweep's clipped runs of ``cell`` at lag ``k`` and the same runs without clipping.

    Both start from the same weights and see the same batches; only the clipping of
    the gradient to global norm ``RECALL.max_norm`` differs. The pre-clip norms of
    every step are in each result's ``grad_norms``.

    Returns
    -------
    clipped, unclipped : ensemble.EnsembleResult
    """
    clipped = sweep.runs[cell, k]
    unclipped = ensemble.train_recall_from(clipped.initial, cell, k, sweep.seeds, max_norm=None)
    return clipped, unclipped


def truncation_comparison(sweep, k, window):
    """The sweep's RNN at lag ``k`` (full BPTT) against the same runs truncated to ``window``.

    The windows start at the first step, so with ``window <= k`` no gradient path
    from the read-out reaches the symbol's step.

    Returns
    -------
    full, truncated : ensemble.EnsembleResult
    """
    full = sweep.runs["rnn", k]
    window = as_int("window", window, 1)
    truncated = ensemble.train_recall_from(full.initial, "rnn", k, sweep.seeds, truncate=window)
    return full, truncated


def init_wh(init, H, seed=0, scale=1.0):
    """A recurrent matrix: "identity" (times ``scale``), "orthogonal" or "random".

    "random" is ``init_recall``'s Gaussian with variance 1 / H; "orthogonal" is the Q
    of a Gaussian matrix's QR decomposition, with signs fixed so that it is uniformly
    distributed.

    Examples
    --------
    >>> Q = init_wh("orthogonal", 4, seed=0)
    >>> bool(np.allclose(Q @ Q.T, np.eye(4))), init_wh("identity", 2, scale=0.5).tolist()
    (True, [[0.5, 0.0], [0.0, 0.5]])
    """
    H = as_int("H", H, 1)
    rng = np.random.default_rng(as_int("seed", seed, 0))
    if init == "identity":
        return as_scalar("scale", scale) * np.eye(H)
    if init == "orthogonal":
        q, r = np.linalg.qr(rng.standard_normal((H, H)))
        return q * np.sign(np.diag(r))
    if init == "random":
        return rng.standard_normal((H, H)) / np.sqrt(H)
    raise ValueError(f"init: expected 'random', 'identity' or 'orthogonal', got {init!r}")


def init_comparison(sweep, k, inits=("identity", "orthogonal")):
    """The sweep's RNN at lag ``k`` (random ``Wh``) and the same runs with ``Wh`` replaced.

    Every other parameter, the data and the batches stay those of the random run.

    Returns
    -------
    dict of str to ensemble.EnsembleResult
        ``"random"`` (the sweep's own runs) and one entry per name in ``inits``.
    """
    random = sweep.runs["rnn", k]
    H = random.initial["Wh"].shape[-1]
    results = {"random": random}
    for init in inits:
        start = {name: p.copy() for name, p in random.initial.items()}
        start["Wh"] = np.stack([init_wh(init, H, s) for s in sweep.seeds])
        results[init] = ensemble.train_recall_from(start, "rnn", k, sweep.seeds)
    return results


# --- the cliff ------------------------------------------------------------------------------------


class CliffDescents(NamedTuple):
    """Gradient descent on the cliff from many starts: paths and the longest step of each."""

    starts: np.ndarray  # (S, 2), (w, b) of every start
    paths: dict  # name -> (steps + 1, S, 2)
    longest: dict  # name -> (S,), the longest single step of each descent


def _descent_step(g, lr, clip, threshold):
    """One update of every descent; ``g`` (2, S). Norm clipping rescales, element-wise clips."""
    if clip == "norm":
        norm = np.linalg.norm(g, axis=0)
        g = g * np.minimum(1.0, threshold / np.where(norm > 0, norm, 1.0))
    elif clip == "element-wise":
        g = np.clip(g, -threshold, threshold)
    return -lr * g


def cliff_descents(starts, lr=0.35, steps=30, threshold=1.0):
    """Plain, norm-clipped and element-wise clipped descent on the cliff from every start.

    Parameters
    ----------
    starts : ndarray, shape (S, 2)
        ``(w, b)`` starting points.
    lr : float
    steps : int
    threshold : float
        Clipping threshold of both clipped descents.

    Returns
    -------
    CliffDescents

    Examples
    --------
    >>> d = cliff_descents(np.array([[5.0, -2.65], [5.0, -2.7]]), steps=3)
    >>> d.paths["plain"].shape, bool(np.all(d.longest["by norm"] <= 0.35 + 1e-12))
    ((4, 2, 2), True)
    """
    starts = np.asarray(starts, np.float64)
    lr, threshold = as_scalar("lr", lr), as_scalar("threshold", threshold)
    paths = {}
    for name, clip in (("plain", None), ("by norm", "norm"), ("element-wise", "element-wise")):
        path = np.empty((as_int("steps", steps, 1) + 1, *starts.shape))
        path[0] = starts
        for s in range(steps):
            g = np.array(cliff_gradient(path[s, :, 0], path[s, :, 1]))  # (2, S)
            path[s + 1] = path[s] + _descent_step(g, lr, clip, threshold).T
        paths[name] = path
    longest = {n: np.linalg.norm(np.diff(p, axis=0), axis=-1).max(axis=0) for n, p in paths.items()}
    return CliffDescents(starts, paths, longest)


def cliff_starts(w_range=(4.5, 5.5), n=21, offsets=(0.01, 0.04, 0.1, 0.2, 0.4), x0=0.5):
    """Starting points just below the cliff's wall ``b = x0 - w sigmoid(x0)``: (S, 2).

    One start per ``w`` (``n`` evenly spaced over ``w_range``) and per distance below
    the wall, ``w`` varying fastest.

    Examples
    --------
    >>> s = cliff_starts()
    >>> s.shape, s[CLIFF_START].round(4).tolist()
    ((105, 2), [5.0, -2.6523])
    """
    w = np.linspace(*w_range, as_int("n", n, 1))
    wall = x0 - w / (1.0 + np.exp(-x0))
    return np.array([(wi, bi - d) for d in offsets for wi, bi in zip(w, wall)])


CLIFF_START = 31  # w = 5.0, 0.04 below the wall: the start the chapter's figure follows
THROWN = 5.0  # a single step this long on the cliff means a descent was thrown off


def cliff_facts(descents, lr, threshold, start=CLIFF_START):
    """Counts and bounds chapter 5 quotes about :func:`cliff_descents`, by name.

    Over all starts: how many descents of each kind are thrown (a step longer than
    ``THROWN``), the longest clipped steps, and, over the starts where plain descent
    is thrown, the median final loss of each kind. From ``start`` (the figure's):
    how many first steps the three descents share, the gradient norm where plain
    descent jumps, the jump's length and plain descent's final gradient norm.
    """
    longest, plain = descents.longest, descents.paths["plain"]
    thrown = longest["plain"] > THROWN
    final = {n: cliff_error(*p[-1].T) for n, p in descents.paths.items()}  # (S,) each
    here = plain[:, start]  # (steps + 1, 2)
    # (steps + 1,): whether all three descents are still at the same point
    coincide = np.all([np.all(p[:, start] == here, axis=1) for p in descents.paths.values()], 0)
    jump = int(np.argmax(np.linalg.norm(np.diff(here, axis=0), axis=1)))  # the longest step
    grads = np.linalg.norm(np.array(cliff_gradient(here[:, 0], here[:, 1])), axis=0)
    return {
        "n_starts": len(descents.starts),
        "thrown_step": THROWN,
        "thrown_plain": int(np.sum(thrown)),
        "thrown_norm": int(np.sum(longest["by norm"] > THROWN)),
        "thrown_elementwise": int(np.sum(longest["element-wise"] > THROWN)),
        "longest_norm": float(longest["by norm"].max()),
        "longest_elementwise": float(longest["element-wise"].max()),
        "bound_elementwise": float(lr * threshold * np.sqrt(2.0)),
        "final_thrown_plain": float(np.median(final["plain"][thrown])),
        "final_thrown_norm": float(np.median(final["by norm"][thrown])),
        "final_thrown_elementwise": float(np.median(final["element-wise"][thrown])),
        "start_loss": float(cliff_error(*here[0])),
        "start_shared_steps": int(np.argmin(coincide)) - 1,  # steps before they part
        "start_jump_gradient": float(grads[jump]),
        "start_jump_length": float(longest["plain"][start]),
        "start_final_gradient": float(grads[-1]),
        # a power of ten above it (the norm is often exactly 0 in floating point)
        "start_final_bound": _upper_power_of_ten(max(float(grads[-1]), 1e-16)),
    }


def _upper_power_of_ten(v):
    """The smallest power of ten at or above ``v`` (> 0), e.g. 0.0023 -> 0.01."""
    return float(10.0 ** np.ceil(np.log10(v)))


def path_facts(paths, sweep, k, open_at=0.1):
    """Medians and counts chapter 5 quotes about :func:`gradient_paths` at lag ``k``.

    ``rnn_failed_bound`` is a power of ten above the gradient reaching the symbol in
    every RNN run that failed; ``rnn_open_learned`` counts the runs that learned
    and still pass more than ``open_at`` of the gradient to the symbol.
    """
    learned = sweep.accuracy("rnn", k) >= SUCCESS
    rnn_after = paths["rnn"].after[:, k]
    facts = {
        "rnn_before": float(np.median(paths["rnn"].before[:, k])),
        "rnn_failed_bound": _upper_power_of_ten(rnn_after[~learned].max()),
        "rnn_open_learned": int(np.sum(rnn_after[learned] > open_at)),
    }
    for cell in ("gru", "lstm"):
        facts[f"{cell}_before"] = float(np.median(paths[cell].before[:, k]))
        facts[f"{cell}_after"] = float(np.median(paths[cell].after[:, k]))
        facts[f"gate_{cell}_before"] = float(np.median(paths[cell].gate_before[:, k]))
        facts[f"gate_{cell}_after"] = float(np.median(paths[cell].gate_after[:, k]))
    return facts


def paired_p_value(a, b, rounds=10_000, seed=0):
    """Two-sided sign-flip test of a paired difference: the share of random sign flips
    of the pairs' differences ``a - b`` whose mean is at least as large in size.

    The right test when ``a[i]`` and ``b[i]`` share everything but the treatment (the
    same initial weights and batches, say).

    Examples
    --------
    >>> paired_p_value(np.ones(8), np.zeros(8)) < 0.01
    True
    >>> paired_p_value(np.ones(5), np.ones(5))
    1.0
    """
    d = np.asarray(a, float) - np.asarray(b, float)
    signs = np.random.default_rng(seed).choice([-1.0, 1.0], size=(rounds, d.size))
    flipped = np.abs((signs * d).mean(axis=1))
    return float(np.mean(flipped >= abs(d.mean()) - 1e-12))


def permutation_p_value(a, b, rounds=10_000, seed=0):
    """Two-sided permutation test of a difference in means: the share of random
    relabellings of the pooled values whose mean difference is at least as large.

    Examples
    --------
    >>> permutation_p_value(np.ones(5), np.zeros(5)) < 0.01
    True
    >>> permutation_p_value(np.ones(5), np.ones(5))
    1.0
    """
    a, b = np.asarray(a, float), np.asarray(b, float)
    pooled, rng = np.concatenate([a, b]), np.random.default_rng(seed)
    observed = abs(a.mean() - b.mean())
    shuffled = np.array([rng.permutation(pooled) for _ in range(rounds)])
    diffs = np.abs(shuffled[:, : a.size].mean(axis=1) - shuffled[:, a.size :].mean(axis=1))
    return float(np.mean(diffs >= observed - 1e-12))


def clipping_facts(clipped, unclipped, threshold=RECALL.max_norm):
    """What chapter 5 quotes about :func:`clipping_comparison`, by name."""
    frac = (clipped.grad_norms > threshold).mean(axis=1)  # (seeds,)
    spikes = clipped.grad_norms.max(axis=1) / threshold
    return {
        "clipped_frac_min": float(frac.min()),
        "clipped_frac_max": float(frac.max()),
        "spike_min": float(spikes.min()),
        "spike_max": float(spikes.max()),
        "clipped_learned": successes(clipped.test_accuracy),
        "unclipped_learned": successes(unclipped.test_accuracy),
        "clipped_median": float(np.median(clipped.test_accuracy)),
        "unclipped_median": float(np.median(unclipped.test_accuracy)),
        "clip_gain": float(np.mean(clipped.test_accuracy - unclipped.test_accuracy)),
        "clip_p": paired_p_value(clipped.test_accuracy, unclipped.test_accuracy),
        "mean_norm": float(np.mean(unclipped.grad_norms)),
    }


def truncation_facts(full, truncated, sweep, k, window, n_test=RECALL.n_test):
    """What chapter 5 quotes about :func:`truncation_comparison`, by name: counts, the
    median, and the largest gradient any truncated pass sends to the symbol's step."""
    pairs = [recall_task(n_test, k, RECALL.V, s + 1) for s in sweep.seeds]
    x, y = np.stack([a for a, _ in pairs]), np.stack([b for _, b in pairs])
    dx = ensemble.recall_input_gradient("rnn", truncated.params, x, y, truncate=window)
    return {
        "trunc_learned": successes(truncated.test_accuracy),
        "full_learned": successes(full.test_accuracy),
        "trunc_median": float(np.median(truncated.test_accuracy)),
        "trunc_symbol_gradient": float(np.abs(dx[..., 0, :]).max()),
    }
