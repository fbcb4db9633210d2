"""Tests of rnnbook.figures.ch01-ch04: each figure draws the numbers rnn_core computes."""

import numpy as np
import pytest

import rnn_core
from rnnbook.figures import ch01, ch02, ch03, ch04
from sliders import Bars, Heatmap, Interactive, Line, Panels, chart_data, to_figure, to_matplotlib


@pytest.fixture(scope="module")
def sensor():
    return rnn_core.ar_process([1.6, -0.7], T=500, seed=0) + 20.0


@pytest.fixture(scope="module")
def sine():
    return rnn_core.sine_with_noise(T=1000, seed=0)


def _lines(chart):
    return {m.label: m for m in chart.marks if isinstance(m, (Line, Bars))}


def test_to_figure_is_a_deterministic_png(sensor):
    spec = ch01.shuffle_acf(sensor, rnn_core.shuffle_fraction(sensor, 1.0, seed=1), 10)
    a, b = to_figure(spec), to_figure(spec)
    assert a.png.startswith(b"\x89PNG") and a.png == b.png


def test_shuffle_acf_plots_the_autocorrelations(sensor):
    shuffled = rnn_core.shuffle_fraction(sensor, 1.0, seed=1)
    panels = ch01.shuffle_acf(sensor, shuffled, max_lag=12)
    assert isinstance(panels, Panels) and len(panels.charts) == 2
    acf = _lines(panels.charts[1])
    np.testing.assert_array_equal(acf["original"].y, rnn_core.autocorrelation(sensor, 12))
    np.testing.assert_array_equal(acf["shuffled"].y, rnn_core.autocorrelation(shuffled, 12))


def test_shuffle_slider_frames_follow_the_fraction(sensor):
    fig = ch01.shuffle_acf_slider(sensor, max_lag=10, seed=1)
    assert isinstance(fig, Interactive)
    assert fig.sliders[0].values[0] == 0.0 and fig.sliders[0].values[-1] == 1.0
    at = {f: _lines(fig.chart_fn(f=f))["shuffled fraction " + f"{f:.2f}"].y for f in (0.0, 1.0)}
    np.testing.assert_allclose(at[0.0], rnn_core.autocorrelation(sensor, 10))
    assert abs(at[1.0][1]) < 0.2 < at[0.0][1]  # full shuffle removes the lag-1 correlation


def test_k_step_chart_error_grows_with_the_horizon(sine):
    t, x = sine
    model = rnn_core.fit_ar(x[:600], 4)
    panels = ch02.k_step_charts(t, x, model, [1, 4, 16, 64], 600)
    mse = _lines(panels.charts[1])["k-step MSE"].y
    assert len(mse) == 64 and mse[-1] > 4 * mse[0]
    pred_1 = _lines(panels.charts[0])["$k$ = 1"].y
    np.testing.assert_allclose(pred_1, rnn_core.predict_one_step(model, x)[596:])


def test_forecast_slider_refits_for_each_tau_and_stays_small(sine):
    t, x = sine
    fig = ch02.forecast_slider(t, x, 600)
    assert [s.name for s in fig.sliders] == ["tau", "k"]
    assert {1, 4, 16, 64} <= set(fig.sliders[1].values)  # the horizons the chapter discusses
    title_1 = fig.chart_fn(tau=1, k=64).title
    title_4 = fig.chart_fn(tau=4, k=1).title
    assert title_1.startswith("AR(1), 64 steps ahead") and title_4.startswith("AR(4), 1 steps")
    assert len(fig.to_html().encode()) < 400_000


def test_rollout_chart_ends_near_the_fixed_point(sine):
    t, x = sine
    model = rnn_core.fit_ar(x[:600], 4)
    roll = _lines(ch02.rollout_chart(t, x, model, 600))["rollout (own predictions fed back)"]
    assert len(roll.y) == 400
    assert abs(roll.y[-1] - model.c / (1 - model.coef.sum())) < 0.05


def test_markov_property_check_places_each_conditional_by_its_transition():
    p0 = np.array([0.5, 0.3, 0.2])
    A = np.array([[0.7, 0.2, 0.1], [0.3, 0.4, 0.3], [0.2, 0.3, 0.5]])
    conditional, transition = rnn_core.markov_conditionals(p0, A, 4)
    points = ch01.markov_property_check(conditional, transition).marks[1]
    np.testing.assert_array_equal(points.x, transition)
    np.testing.assert_array_equal(points.y, conditional)


def test_closed_form_terms_slider_sums_to_the_finite_difference_derivative():
    x = np.random.default_rng(0).standard_normal(20)
    fig = ch04.closed_form_terms_slider(x, w_x=1.0, h0=0.5)
    chart = fig.chart_fn(N=12, w_h=0.9)
    bars = chart.marks[0]
    assert len(bars.y) == 12
    want = rnn_core.linear_rnn_grads(x[:12], 1.0, 0.9, 0.5, 1.0)[0]
    assert bars.y.sum() == pytest.approx(want, rel=1e-12)
    assert f"sum {want:.4g}, finite differences {want:.4g}" in chart.title


def test_truncation_bias_chart_sliding_reaches_zero_and_windows_stay_biased():
    chart = ch04.truncation_bias_chart(T=30, scales=(0.5,), H=4, seed=0)
    sliding, window = (m for m in chart.marks if isinstance(m, Line))
    assert sliding.y[-1] <= 1e-15 and window.y[-1] <= 1e-15
    assert sliding.y[20] < 1e-6 < window.y[20]


def test_cost_chart_has_one_line_per_method_and_length():
    from rnnbook.experiments.cost import CostRecord

    recs = [
        CostRecord(m, T, H, 1e-3 * H, 1e3 * H)
        for m in ("bptt", "rtrl")
        for T in (10, 20)
        for H in (2, 4)
    ]
    time_chart, memory_chart = ch04.cost_chart(recs).charts
    assert len(time_chart.marks) == 4 and len(memory_chart.marks) == 4


def test_cost_chart_x_axis_is_h_on_a_log_2_scale():
    from rnnbook.experiments.cost import CountRecord

    recs = [CountRecord(m, 10, H, 100 * H, 1e3 * H) for m in ("bptt", "rtrl") for H in (4, 8, 16)]
    for chart in ch04.cost_chart(recs).charts:
        assert chart.xticks == ((2.0, 3.0, 4.0), ("4", "8", "16"))
        assert all(m.x.tolist() == [2.0, 3.0, 4.0] for m in chart.marks)  # log2 H
        assert "log" in chart.xlabel and "\\log_2" not in chart.xlabel


def test_regression_cost_chart_labels_h_not_log2_h():
    # The x axis read "log2 H" with ticks 2, 3, ...: its ticks are the sizes H themselves.
    from rnnbook.experiments.cost import CountRecord

    recs = [CountRecord("bptt", 10, H, 100 * H, 1e3 * H) for H in (8, 16, 32, 64)]
    ax = to_matplotlib(ch04.cost_chart(recs)).axes[0]
    ax.figure.draw_without_rendering()
    assert [t.get_text() for t in ax.get_xticklabels()] == ["8", "16", "32", "64"]


# --- chapter 3 -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def toy():
    words = rnn_core.tokenize("You say goodbye and I say hello .")
    vocab = rnn_core.build_vocab(words)
    return rnn_core.init_lm(len(vocab.itos), 4, 6, seed=0), vocab, words


def test_regression_influence_chart_y_label_names_the_step_of_its_title():
    # The title said h_30, the y label h_N.
    chart = ch03.input_influence_chart(w_hs=(0.5,), N=30)
    assert "h_{30}" in chart.title and "h_{30}" in chart.ylabel and "h_N" not in chart.ylabel


def test_hidden_state_rows_not_yet_read_have_no_value(toy):
    params, vocab, words = toy
    fig = ch03.hidden_state_slider(params, vocab, words)
    h, _ = rnn_core.lm.read_sequence(params, rnn_core.encode(vocab, words))
    heat = fig.spec(t=3).charts[0].marks[0]
    assert isinstance(heat, Heatmap) and heat.missing_label == "not yet read"
    assert heat.missing[:3].sum() == 0 and heat.missing[3:].all()
    np.testing.assert_array_equal(heat.z[:3], h[:3])
    assert np.isnan(heat.z[3:]).all()
    assert "not yet read grey" in fig.alt_text(t=3)


def test_regression_unread_rows_are_not_drawn_as_zero(toy):
    # Rows not yet read were 0, drawn white: the colour of a state of zero.
    params, vocab, words = toy
    image = (
        to_matplotlib(ch03.hidden_state_slider(params, vocab, words).spec(t=1)).axes[0].images[0]
    )
    rgba = image.cmap(image.norm(image.get_array()))  # (rows, units, 4)
    zero = image.cmap(image.norm(0.0))
    assert not np.allclose(rgba[-1, :, :3], zero[:3], atol=0.1)
    assert np.allclose(rgba[-1], rgba[1])  # every unread row alike


def test_regression_hidden_state_colour_bar_label_is_upright(toy):
    # The colour bar's "h", rotated, read as an upside-down h.
    fig = to_matplotlib(ch03.hidden_state_slider(*toy).spec(t=2))
    bar = fig.axes[-1]  # the colour bar: added after the two charts
    assert bar.yaxis.label.get_text() == "$h_t$" and bar.yaxis.label.get_rotation() == 0


def test_regression_next_word_bars_have_no_rank_ticks(toy):
    # The bars' x ticks 0-5 were ranks, meaningless: the words above the bars name them.
    params, vocab, words = toy
    nxt = ch03.hidden_state_slider(params, vocab, words, top=4).spec(t=2).charts[1]
    assert nxt.xticks == ((), ()) and chart_data(nxt)[0]["xticks"] == []
    assert sorted(m.text for m in nxt.marks if hasattr(m, "text")) == sorted(
        vocab.itos[j] for j in np.argsort(-rnn_core.lm.read_sequence(params, rnn_core.encode(
            vocab, words))[1][1])[:4]
    )  # fmt: skip
    ax = to_matplotlib(nxt).axes[0]
    assert len(ax.get_xticks()) == 0
