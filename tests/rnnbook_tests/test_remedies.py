"""Chapter 5's claims about trained networks, each checked on two disjoint seed sets.

Training is chaotic: one run's outcome can flip with the CPU's rounding. So no test here
asserts what one seed does. Each claim the chapter makes about a distribution of runs
is asserted, with a margin, on the chapter's seeds (``remedies.SEEDS``) and again on
``remedies.CHECK_SEEDS``: a claim tuned to one set of seeds fails on the other. The
margins were set from measurements of both sets, written beside each test.
"""

import numpy as np
import pytest

from rnn_core.cliff import cliff_surface
from rnnbook.experiments import remedies as r
from rnnbook.experiments.vanishing import spectral_facts, spectral_study
from rnnbook.figures import ch05
from sliders import Heatmap, HLine, Line, Points, Text, to_matplotlib

pytestmark = pytest.mark.slow  # each seed set trains 130 ensembles of ten: about a minute


@pytest.fixture(scope="module", params=[r.SEEDS, r.CHECK_SEEDS], ids=["seeds", "check_seeds"])
def sweep(request):
    return r.lag_sweep(seeds=request.param)


@pytest.fixture(scope="module")
def paths(sweep):
    return r.gradient_paths(sweep, 20)


def _learned(sweep, cell, k):
    return r.successes(sweep.accuracy(cell, k))


# Measured (seeds 0-9 / 100-109, where two numbers are given), runs that learned out of
# 10, on the machine that wrote these tests; another CPU rounds differently and gives
# other counts (AMD EPYC, 2026-12-02, seeds 100-109: rnn 8/10 at lag 15 and 4/10 at
# lag 20, lstm 9/10 at lag 20). The assertions hold on both.
#   lag    5      10     15     20
#   rnn  10/10  6/10  2/10   2/3
#   lstm 10/10  10/10 9/10   10/9
#   gru  10/10  10/10 10/10  10/10


def test_the_rnn_learns_a_short_lag_on_every_seed(sweep):
    assert _learned(sweep, "rnn", 5) == len(sweep.seeds)


def test_the_rnn_fails_at_lag_20_on_most_seeds(sweep):
    assert _learned(sweep, "rnn", 20) <= len(sweep.seeds) // 2  # measured 2 and 3


def test_in_between_the_rnn_depends_on_the_seed(sweep):
    # "in between, the outcome depends on the seed": at lag 10 or 15, some learn, some fail
    assert any(0 < _learned(sweep, "rnn", k) < len(sweep.seeds) for k in (10, 15))


def test_the_gated_cells_learn_lag_20_on_nearly_every_seed(sweep):
    assert _learned(sweep, "lstm", 20) >= 8 and _learned(sweep, "gru", 20) >= 8  # 10/9, 10/10


def test_the_lstm_beats_the_rnn_at_lag_20_by_a_clear_margin(sweep):
    gap = np.mean(sweep.accuracy("lstm", 20) - sweep.accuracy("rnn", 20))
    assert gap > 0.15  # measured 0.28 and 0.27


def test_failing_runs_settle_near_a_half_or_three_quarters(sweep):
    failed = np.concatenate(
        [a[a < r.SUCCESS] for a in (sweep.accuracy("rnn", k) for k in (15, 20))]
    )
    near = np.minimum(np.abs(failed - 0.5), np.abs(failed - 0.75)) <= 0.1
    assert failed.size and near.mean() >= 2 / 3  # measured 14/16 and 8/9


# --- gradient paths at lag 20 ---------------------------------------------------------------


def test_the_rnns_gradient_to_the_symbol_is_small_before_training(paths):
    assert np.median(paths["rnn"].before[:, 20]) < 0.1  # measured 0.02 and 0.008


def test_after_training_the_symbol_gets_no_gradient_in_every_rnn_run_that_failed(sweep, paths):
    learned = sweep.accuracy("rnn", 20) >= r.SUCCESS
    after = paths["rnn"].after[:, 20]
    assert after[~learned].max() < 0.01  # measured 0.0023 and 3e-5; 0.002 and 2e-5 (AMD)
    # No claim about the runs that learned: the chapter prints how many pass more than a
    # tenth (2 of 2 and 2 of 3 on the writing machine, 2 of 2 and 2 of 5 on an AMD EPYC),
    # and a run can learn the task and still pass little (1.7e-5 at accuracy 1.0).


def test_the_gru_learns_to_open_its_update_gates(paths):
    gru = paths["gru"]
    assert np.median(gru.before[:, 20]) < 0.05 and np.median(gru.gate_before[:, 20]) < 0.01
    assert np.median(gru.after[:, 20]) > 0.5  # measured 2.6 and 4.5
    assert np.median(gru.gate_after[:, 20]) > 0.05  # measured 0.18 and 0.18


def test_the_lstm_keeps_its_forget_gates_open(paths):
    assert np.median(paths["lstm"].gate_after[:, 20]) > 0.5  # measured 0.87 and 0.87


def test_path_facts_name_what_the_chapter_quotes(sweep, paths):
    facts = r.path_facts(paths, sweep, 20)
    # The chapter says a failed run passes "less than {bound}" of the gradient: a power
    # of ten, and small. How small depends on the CPU's rounding: 1e-3 on the writing
    # machine, 1e-4 on CI's Intel machine, both for the check seeds.
    assert facts["rnn_failed_bound"] in (1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1)
    assert 0 <= facts["rnn_open_learned"] <= _learned(sweep, "rnn", 20)


# --- remedies -------------------------------------------------------------------------------


def test_clipping_makes_no_difference_ten_seeds_can_show(sweep):
    clipped, unclipped = r.clipping_comparison(sweep, 20)
    facts = r.clipping_facts(clipped, unclipped)
    # The verdict on ten pairs is not tested: it is a coin toss over CPUs. Clipped minus
    # unclipped mean accuracy: +0.16 (p = 0.13) and -0.18 (p = 0.12) on the writing
    # machine, +0.24 (p = 0.02) and -0.07 (p = 0.51) on an AMD EPYC with AVX-512. The
    # chapter's claim, no difference in twenty pairs, is tested below.
    assert 0 < facts["clipped_frac_min"] <= facts["clipped_frac_max"] < 0.5
    assert facts["spike_max"] > 10  # some run's norm spikes an order of magnitude past theta
    np.testing.assert_array_equal(clipped.losses[:, 0], unclipped.losses[:, 0])  # same start


def test_clipping_makes_no_difference_twenty_seeds_can_show():
    """Regression: on an AMD EPYC (AVX-512) the chapter's ten seeds gave p = 0.02, and
    the old test, p > 0.05 on each set of ten, failed. The chapter says what holds: the
    ten pairs of these seeds and ten of others together show no difference."""
    gains = []
    for seeds in (r.SEEDS, r.CHECK_SEEDS):
        clipped, unclipped = r.clipping_comparison(r.lag_sweep((20,), ("rnn",), seeds), 20)
        gains.append((clipped.test_accuracy, unclipped.test_accuracy))
    clipped, unclipped = (np.concatenate(g) for g in zip(*gains))
    # measured p = 0.24 (mean gain +0.08) on the AMD machine
    assert r.paired_p_value(clipped, unclipped) > 0.05


def test_truncation_cannot_learn_past_its_window(sweep):
    full, truncated = r.truncation_comparison(sweep, 10, 5)
    facts = r.truncation_facts(full, truncated, sweep, 10, 5)
    assert facts["trunc_symbol_gradient"] == 0.0  # exactly: no path reaches the symbol
    assert facts["trunc_learned"] <= 2  # measured 1 and 0
    assert facts["full_learned"] - facts["trunc_learned"] >= 4  # measured 6 - 1, 10 - 0


def test_a_larger_rnn_does_not_close_the_gap_to_the_lstm(sweep):
    larger = r.larger_rnn(sweep, 20)
    facts = r.sweep_facts(sweep, larger)
    assert facts["params_big"] >= facts["params_gru"]  # parameters are not the difference
    # measured 2 of 10 (seeds 0-9) and 3 of 10 (100-109), against the LSTM's 10 and 9
    assert facts["big_20_learned"] <= r.successes(sweep.accuracy("lstm", 20)) - 4


def test_the_success_interval_holds_the_observed_rate(sweep):
    larger = r.larger_rnn(sweep, 5)  # cheap: the interval does not depend on it
    facts = r.sweep_facts(sweep, larger, k=5)
    rate = r.successes(sweep.accuracy("rnn", 15)) / len(sweep.seeds)
    assert 0 <= facts["rnn_15_ci_lo"] <= rate <= facts["rnn_15_ci_hi"] <= 1
    assert facts["rnn_15_ci_hi"] - facts["rnn_15_ci_lo"] > 0.3  # ten seeds pin it loosely


def test_paired_p_value_sees_a_consistent_small_difference_the_unpaired_test_misses():
    rng = np.random.default_rng(0)
    base = rng.uniform(0, 1, 12)
    a, b = base + 0.05, base  # every pair differs by the same 0.05
    assert r.paired_p_value(a, b) < 0.01 < 0.3 < r.permutation_p_value(a, b)


def test_an_orthogonal_start_learns_at_least_as_often_as_a_random_one(sweep):
    runs = r.init_comparison(sweep, 15)
    ortho, rand = (r.successes(runs[n].test_accuracy) for n in ("orthogonal", "random"))
    assert ortho >= rand  # measured 7 vs 2 and 10 vs 8


def test_the_identity_start_is_no_reliable_help_with_tanh():
    # A claim about both seed sets together: measured identity 5 vs random 2 on one set,
    # 3 vs 8 on the other, so 8 vs 10 over the twenty seeds.
    counts = {"identity": 0, "random": 0}
    for seeds in (r.SEEDS, r.CHECK_SEEDS):
        sweep = r.lag_sweep(lags=(15,), cells=("rnn",), seeds=seeds)
        runs = r.init_comparison(sweep, 15, inits=("identity",))
        for name in counts:
            counts[name] += r.successes(runs[name].test_accuracy)
    assert counts["identity"] <= counts["random"] + 2


def test_results_do_not_depend_on_what_ran_before():
    options = {"lags": (3,), "cells": ("rnn",), "seeds": (0, 1), "steps": 8, "n_train": 20}
    first = r.lag_sweep(**options)
    r.lag_sweep(lags=(4,), cells=("lstm",), seeds=(5,), steps=3, n_train=10)  # something else
    again = r.lag_sweep(**options)
    np.testing.assert_array_equal(
        first.runs["rnn", 3].params["Wh"], again.runs["rnn", 3].params["Wh"]
    )


# --- the cliff (deterministic: no seeds) ------------------------------------------------------


@pytest.fixture(scope="module")
def descents():
    return r.cliff_descents(r.cliff_starts(), lr=0.35, steps=30)


def test_plain_descent_is_thrown_from_many_starts_and_clipped_descent_never(descents):
    facts = r.cliff_facts(descents, lr=0.35, threshold=1.0)
    assert facts["thrown_plain"] >= 10  # measured 18 of 105
    assert facts["thrown_norm"] == facts["thrown_elementwise"] == 0


def test_the_figures_start_is_thrown_plain_and_kept_by_clipping(descents):
    longest = {n: v[r.CLIFF_START] for n, v in descents.longest.items()}
    assert longest["plain"] > 100 and longest["by norm"] <= 0.35 + 1e-12


def test_the_figures_start_coincides_then_plain_descent_jumps_onto_a_plateau(descents):
    facts = r.cliff_facts(descents, lr=0.35, threshold=1.0)
    assert facts["n_starts"] == len(r.cliff_starts()) and facts["thrown_step"] == r.THROWN
    assert facts["start_shared_steps"] >= 2  # measured 4: the gradient is below theta
    assert facts["start_jump_gradient"] > 100  # measured about 2000: the wall's face
    assert facts["start_jump_length"] > r.THROWN
    assert facts["start_final_gradient"] < 1e-2  # a plateau: learning stops there
    assert facts["start_final_gradient"] < facts["start_final_bound"] <= 1e-2


def test_clipped_descents_end_lower_where_plain_descent_is_thrown(descents):
    facts = r.cliff_facts(descents, lr=0.35, threshold=1.0)
    # measured medians over the 20 thrown starts: plain 0.09, by norm 0.021, element-wise 0.04
    assert facts["final_thrown_norm"] < facts["final_thrown_plain"] / 2
    assert facts["final_thrown_elementwise"] < facts["final_thrown_plain"]


def test_element_wise_clipping_allows_a_step_of_eta_theta_root_two(descents):
    facts = r.cliff_facts(descents, lr=0.35, threshold=1.0)
    assert facts["longest_norm"] <= 0.35 + 1e-12
    assert 0.35 < facts["longest_elementwise"] <= facts["bound_elementwise"] + 1e-12
    assert facts["bound_elementwise"] == pytest.approx(0.35 * np.sqrt(2))


# --- the spectral radius over many matrices -----------------------------------------------------


@pytest.mark.parametrize("seeds", [r.SEEDS, r.CHECK_SEEDS], ids=["seeds", "check_seeds"])
def test_the_long_run_rate_is_rho_times_the_mean_slope(seeds):
    facts = spectral_facts(spectral_study(seeds=seeds))
    for tag in ("08", "10"):
        assert facts[f"factor_{tag}_min"] > 1.0  # every factor can stretch a vector
        assert abs(facts[f"rate_{tag}"] - facts[f"predicted_{tag}"]) < 0.02  # measured 0.005
    assert facts["slope_12"] > 0.7  # not saturated (measured 0.83)
    assert facts["final_12_max"] / facts["final_12_min"] > 10  # neither vanishes nor explodes
    assert facts["sigma_ratio_min"] > 1.3 and facts["sigma_ratio_max"] < 2.2


# --- figures -----------------------------------------------------------------------------------


def test_lag_chart_has_a_dot_per_seed_and_a_median_per_cell():
    sweep = r.lag_sweep(lags=(2, 3), cells=("rnn", "gru"), seeds=(0, 1, 2), steps=3, n_train=10)
    chart = ch05.lag_accuracy_chart(sweep)
    dots = [m for m in chart.marks if isinstance(m, Points)]
    assert len(dots) == 4 and all(d.x.size == 3 for d in dots)
    medians = [m for m in chart.marks if type(m) is Line]  # Points subclasses Line
    assert len(medians) == 2
    np.testing.assert_allclose(medians[0].y, [np.median(sweep.accuracy("rnn", k)) for k in (2, 3)])
    assert isinstance(chart.marks[-1], HLine) and chart.marks[-1].y == 0.25


def test_regression_lag_chart_ticks_are_the_lags_swept():
    # Cells sit side by side around each lag; the axis printed ticks between the lags.
    sweep = r.lag_sweep(lags=(2, 5, 7), cells=("rnn", "lstm"), seeds=(0,), steps=2, n_train=8)
    chart = ch05.lag_accuracy_chart(sweep)
    assert chart.xticks == ((2.0, 5.0, 7.0), ("2", "5", "7"))
    ax = to_matplotlib(chart).axes[0]
    ax.figure.draw_without_rendering()
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2", "5", "7"]


def test_regression_remedies_x_ticks_are_the_condition_names_only():
    # The condition names were text marks at x = 0, 1, 2 over numeric ticks 0, 1, 2.
    ones = np.ones(2)
    panels = {
        "clipping": {"clipped": ones, "not clipped": ones},
        "start": {"random": ones, "identity": ones, "orthogonal": ones},
    }
    spec = ch05.remedies_chart(panels)
    assert [c.xticks[1] for c in spec.charts] == [tuple(g) for g in panels.values()]
    assert not any(isinstance(m, Text) for c in spec.charts for m in c.marks)
    fig = to_matplotlib(spec)
    for ax, names in zip(fig.axes, panels.values()):
        fig.draw_without_rendering()
        assert [t.get_text() for t in ax.get_xticklabels()] == list(names)
        assert ax.get_xticks().tolist() == list(range(len(names)))


def test_remedies_condition_names_are_translated(monkeypatch):
    monkeypatch.setenv("RNNBOOK_LANG", "ko")
    spec = ch05.remedies_chart(
        {"clipping, lag 20": {"clipped": np.ones(2), "not clipped": np.ones(2)}}
    )
    assert spec.charts[0].xticks[1] == ("클리핑함", "클리핑 안 함")


def test_cliff_chart_marks_the_start_and_keeps_the_legend_in_order():
    W, B, E = cliff_surface((3, 8), (-5, -1), n=21)
    paths = [np.array([[3.0, -1.0], [8.0, -5.0], [100.0, 100.0]]), np.array([[4.0, -2.0]] * 2)]
    chart = ch05.cliff_chart(W, B, E, paths, ["plain", "clipped"])
    heat, first, second, start = chart.marks
    assert isinstance(heat, Heatmap) and heat.z.shape == (21, 21)
    assert [first.label, second.label, start.label] == ["plain", "clipped", "start"]
    # (w, b) = (3, -1) is the top-left cell, (8, -5) the bottom-right; the path is cut there.
    assert first.x.tolist() == [0.0, 20.0, 20.0] and first.y.tolist() == [0.0, 20.0, 20.0]
    assert start.x.tolist() == [0.0] and start.y.tolist() == [0.0]


def test_gradient_norm_chart_dots_every_clipped_step():
    norms = np.array([[0.5, 2.0, 0.1], [3.0, 0.2, 0.3]])
    run = type("Run", (), {"grad_norms": norms})()
    dots = next(m for m in ch05.grad_norm_chart(run, 1.0).marks if isinstance(m, Points))
    assert sorted(zip(dots.x.tolist(), dots.y.tolist())) == [(1.0, 3.0), (2.0, 2.0)]


def test_init_wh():
    q = r.init_wh("orthogonal", 6, seed=3)
    assert np.allclose(q.T @ q, np.eye(6))
    with pytest.raises(ValueError, match="init"):
        r.init_wh("zeros", 3)
