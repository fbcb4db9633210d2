"""seed_ensemble_10: ten seeds of chapter 5's lag-30 recall training at once, against ten runs.

The ensemble trainer is ``rnn_core.ensemble.train_recall(cell, k=, seeds=, steps=)``,
returning an object whose ``test_accuracy`` has one entry per seed; the reference is
``rnn_core.tasks.train_recall(cell, k, steps=, seed=s)`` for each seed in turn, the
single-seed trainer chapter 5 uses today. Both train the vanilla RNN at lag 30 for 200
steps with every other setting at its default. Until the ensemble trainer exists the
case is skipped with the reason in ``SKIP``.
"""

import importlib
import importlib.util
import statistics
import time

import numpy as np

import rnn_core.tasks

CASE = "seed_ensemble_10"
SKIP = "needs rnn_core.ensemble.train_recall"
CELL, K, STEPS, SEEDS = "rnn", 30, 200, range(10)


def ensemble_trainer():
    """``rnn_core.ensemble.train_recall``, or None while it does not exist.

    Only a missing module or a missing function means "not written yet"; an error
    while importing an existing module is raised, not hidden as a skip.
    """
    if importlib.util.find_spec("rnn_core.ensemble") is None:
        return None
    return getattr(importlib.import_module("rnn_core.ensemble"), "train_recall", None)


def calls(train_ensemble):
    """(ensemble, sequential) calls, each returning the ten test accuracies."""

    def ensemble():
        res = train_ensemble(CELL, k=K, seeds=SEEDS, steps=STEPS)
        return np.asarray(res.test_accuracy)

    def sequential():
        runs = [rnn_core.tasks.train_recall(CELL, K, steps=STEPS, seed=s) for s in SEEDS]
        return np.array([r.test_accuracy for r in runs])

    return ensemble, sequential


def times(repeats=5):
    """Median seconds of (ensemble, sequential), run in turns, and both sides' accuracies.

    Returns None if the ensemble trainer does not exist yet. The first call of each side
    is the check (one accuracy per seed, each in [0, 1]) and the warm-up; it is not timed.
    """
    trainer = ensemble_trainer()
    if trainer is None:
        return None
    ensemble, sequential = calls(trainer)
    accuracies = {"ensemble": ensemble(), "sequential": sequential()}
    for side, acc in accuracies.items():
        if acc.shape != (len(SEEDS),) or not np.all((acc >= 0) & (acc <= 1)):
            raise AssertionError(f"{side}: test_accuracy {acc!r} is not one accuracy per seed")
    seconds = {"ensemble": [], "sequential": []}
    for _ in range(repeats):
        for side, fn in (("ensemble", ensemble), ("sequential", sequential)):
            start = time.perf_counter()
            fn()
            seconds[side].append(time.perf_counter() - start)
    medians = {side: statistics.median(ts) for side, ts in seconds.items()}
    return medians, {side: acc.tolist() for side, acc in accuracies.items()}
