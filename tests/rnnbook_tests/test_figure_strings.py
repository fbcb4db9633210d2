"""The figures' words in Korean (rnnbook.figures.strings): complete, with the same fields,
and what a Korean page shows is Korean.

With RNNBOOK_LANG=ko every figure of every chapter is drawn on small inputs, and every
text it shows (titles, axis labels, legend entries, slider names, alt text, diagram
labels) is checked for English words: an untranslated string fails here, naming it,
before a Korean build would.
"""

import ast
import re
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from matplotlib.figure import Figure

import rnn_core
from rnnbook.experiments import remedies, vanishing
from rnnbook.experiments.cost import CostRecord
from rnnbook.figures import ch01, ch02, ch03, ch04, ch05, diagrams
from rnnbook.figures.strings import KO
from sliders import Interactive, Panels, chart_data, i18n, mathtext

ROOT = Path(__file__).resolve().parents[2]
FIGURES = ROOT / "rnnbook" / "figures"

# Words a Korean figure keeps in Latin letters: acronyms, and names of functions.
KEPT = {"RNN", "LSTM", "GRU", "BPTT", "RTRL", "AR", "MSE", "tanh", "e"}


def _constants(paths):
    """Every string constant in the Python files ``paths`` (implicit concatenation joined)."""
    out = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                out.add(node.value)
    return out


def _tr_literals():
    for path in sorted(FIGURES.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "tr"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                yield path.name, node.args[0].value


def test_every_literal_the_figures_translate_has_korean():
    missing = [(name, text) for name, text in _tr_literals() if text not in KO]
    assert not missing, f"rnnbook/figures/strings.py KO lacks: {missing}"


def test_every_korean_entry_is_a_text_the_code_or_a_chapter_hands_in():
    code = _constants((ROOT / "rnnbook").rglob("*.py"))
    chapters = "".join(p.read_text(encoding="utf8") for p in (ROOT / "book").glob("*.md"))
    unused = [k for k in KO if k not in code and f'"{k}"' not in chapters]
    assert not unused, f"KO entries no figure code or chapter uses: {unused}"


@pytest.mark.parametrize("english", sorted(KO))
def test_korean_keeps_the_fields_and_the_maths(english):
    korean = KO[english]
    try:  # a template the code fills in (others, such as "$A_{x_t}$", are not templates)
        template = i18n.fields(english)
    except ValueError:
        template = None
    if template:
        assert i18n.fields(korean) == template, "format fields differ"
    assert i18n.placeholders(korean) == i18n.placeholders(english), "placeholders differ"
    maths = lambda s: sorted(re.findall(r"\$[^$]*\$", s))  # noqa: E731
    assert maths(korean) == maths(english), "the $...$ formulas differ"
    try:
        mathtext.runs(english)
    except ValueError:  # a label of a matplotlib-only figure, beyond the SVG's subset
        return
    mathtext.runs(korean)  # the SVG renderer can draw it too
    assert re.search(r"[\uac00-\ud7a3]", korean), "no Hangul"


def _english_words(text):
    """Latin words of 2+ letters outside $...$ maths that a Korean figure should not show."""
    prose = re.sub(r"\$[^$]*\$|\{\w+\}", " ", text)  # maths, and an alt text's {slider}
    return [w for w in re.findall(r"[A-Za-z]{2,}", prose) if w not in KEPT]


def _texts(item):
    """Every text a figure shows: its charts' words and, for a slider figure, its sliders'
    names and its alt text; for a matplotlib figure, every text artist."""
    if isinstance(item, Figure):
        item.draw_without_rendering()
        return [t.get_text() for t in item.findobj(lambda a: hasattr(a, "get_text"))]
    if isinstance(item, Interactive):
        words = [item.alt, *(s.description for s in item.sliders)]
        return words + _texts(item.spec())
    out = []
    for chart in chart_data(item):
        out += [chart["title"], chart["xlabel"], chart["ylabel"]]
        out += [label for _, label in chart["xticks"] or ()]  # names of categories
        for mark in chart["marks"]:
            out += [mark.get("label") or "", mark.get("text") or ""]
    return out


def _series():
    return rnn_core.ar_process([1.6, -0.7], T=300, seed=0) + 20.0


def _ch03_curves():
    k, epochs = 3, 4
    grid = np.linspace(5.0, 8.0, k * epochs).reshape(k, epochs)
    result = SimpleNamespace(
        seeds=(0, 1, 2), losses=grid / 4, valid_perplexity=grid, train_perplexity=grid - 1
    )
    return ch03.training_curves(result, 24.0, 7.5)


def _ch03_slider():
    vocab = rnn_core.build_vocab(["가", "나", "다"])
    return ch03.hidden_state_slider(rnn_core.init_lm(3, 2, 4), vocab, ["가", "나", "다"], top=2)


def _sweep():
    return remedies.lag_sweep(
        lags=(2, 3), cells=("rnn", "lstm"), seeds=(0, 1), steps=3, n_train=16, n_test=8
    )


def _paths():
    ones = np.ones((2, 3))
    return {
        "rnn": remedies.GradientPath("rnn", ones, ones / 2, None, None),
        "lstm": remedies.GradientPath("lstm", ones, ones / 2, ones / 3, ones / 4),
        "gru": remedies.GradientPath("gru", ones, ones / 2, ones / 3, ones / 4),
    }


def _remedies():
    acc = np.linspace(0.2, 1.0, 5)
    return ch05.remedies_chart(
        {  # the chapter's panels and conditions (book/ch05_vanishing.md)
            "clipping, lag 20": {"clipped": acc, "not clipped": acc},
            "truncation, lag 10": {"full": acc, "window 5": acc},
            "start of $W_{hh}$, lag 15": {"random": acc, "identity": acc, "orthogonal": acc},
        }
    )


def _cliff():
    W, B, E = rnn_core.cliff.cliff_surface((3, 8), (-5, -1), n=11)
    path = np.array([[5.5, -3.0], [5.5, -2.0]])
    return ch05.cliff_chart(W, B, E, [path] * 3, ["plain", "by norm", "element-wise"])


FIGURE_BUILDERS = {
    "ch01.shuffle_acf": lambda: ch01.shuffle_acf(_series(), _series()[::-1], 10),
    "ch01.shuffle_acf_slider": lambda: ch01.shuffle_acf_slider(_series(), max_lag=5),
    "ch01.markov_property_check": lambda: ch01.markov_property_check(
        np.array([0.25, 0.75]), np.array([0.25, 0.75])
    ),
    "ch02.one_step_chart": lambda: ch02.one_step_chart(np.arange(10), np.ones(10), np.ones(8), 6),
    "ch02.rollout_chart": lambda: ch02.rollout_chart(
        np.arange(30), np.sin(np.arange(30)), rnn_core.fit_ar(np.sin(np.arange(20)), 2), 20
    ),
    "ch02.k_step_charts": lambda: ch02.k_step_charts(
        *rnn_core.sine_with_noise(T=300),
        rnn_core.fit_ar(rnn_core.sine_with_noise(T=300)[1][:200], 4),
        [1, 4],
        200,
    ),
    "ch02.tau_validation_chart": lambda: ch02.tau_validation_chart([1, 2, 4], [0.1, 0.06, 0.05]),
    "ch02.forecast_slider": lambda: ch02.forecast_slider(
        *rnn_core.sine_with_noise(T=300), n_train=200, max_tau=3, max_k=9, k_step=4
    ),
    "ch03.input_influence_chart": lambda: ch03.input_influence_chart(w_hs=(0.5, 1.1), N=4),
    "ch03.training_curves": _ch03_curves,
    "ch03.hidden_state_slider": _ch03_slider,
    "ch04.closed_form_terms_slider": lambda: ch04.closed_form_terms_slider(np.ones(3), max_N=3),
    "ch04.closed_form_terms_panels": lambda: ch04.closed_form_terms_panels(np.ones(4)),
    "ch04.truncation_bias_chart": lambda: ch04.truncation_bias_chart(T=6, scales=(0.5,), H=2),
    "ch04.cost_chart": lambda: ch04.cost_chart(
        [CostRecord(m, 10, H, 1e-3 * H, 1e3 * H) for m in ("bptt", "rtrl") for H in (2, 4)]
    ),
    "ch05.decay_slider": lambda: ch05.decay_slider(T_max=20),
    "ch05.saturation_slider": lambda: ch05.saturation_slider(T=10),
    "ch05.spectral_radius_slider": lambda: ch05.spectral_radius_slider(H=4, T=10),
    "ch05.spectral_radius_chart": lambda: ch05.spectral_radius_chart(
        vanishing.spectral_study(radii=(0.5,), seeds=(0, 1), H=4, T=5)
    ),
    "ch05.lag_accuracy_chart": lambda: ch05.lag_accuracy_chart(_sweep()),
    "ch05.gradient_path_chart": lambda: ch05.gradient_path_chart(_paths(), 2),
    "ch05.grad_norm_chart": lambda: ch05.grad_norm_chart(
        rnn_core.ensemble.train_recall("rnn", 3, (0, 1), steps=6, n_train=16, n_test=8), 1.0
    ),
    "ch05.remedies_chart": _remedies,
    "ch05.cliff_chart": _cliff,
    "diagrams.unrolled_graph": diagrams.unrolled_graph,
    "diagrams.architectures": diagrams.architectures,
    "diagrams.chain_vs_tree": diagrams.chain_vs_tree,
    "diagrams.latent_ar": diagrams.latent_ar,
}


@pytest.mark.parametrize("name", FIGURE_BUILDERS)
def test_korean_figures_show_no_english_words(name, monkeypatch):
    monkeypatch.setenv("RNNBOOK_LANG", "ko")
    texts = _texts(FIGURE_BUILDERS[name]())
    english = {t: _english_words(t) for t in texts if _english_words(t)}
    assert not english, f"{name} shows English in Korean: {english}"
    assert any(re.search(r"[\uac00-\ud7a3]", t) for t in texts), f"{name}: no Korean at all"


@pytest.mark.parametrize("name", ["ch05.decay_slider", "diagrams.chain_vs_tree"])
def test_english_figures_are_unchanged_without_the_variable(name, monkeypatch):
    monkeypatch.delenv("RNNBOOK_LANG", raising=False)
    texts = _texts(FIGURE_BUILDERS[name]())
    assert not any(re.search(r"[\uac00-\ud7a3]", t) for t in texts)
    assert any(_english_words(t) for t in texts)


def test_korean_tree_keeps_its_phrases(monkeypatch):
    monkeypatch.setenv("RNNBOOK_LANG", "ko")
    leaves = [t.get_text() for t in diagrams.chain_vs_tree().axes[1].texts][:4]
    assert leaves == ["그", "개가", "철수를", "물었다"]  # (그 개가) (철수를 물었다)


def test_slider_figures_panels_in_korean_are_panels(monkeypatch):
    monkeypatch.setenv("RNNBOOK_LANG", "ko")
    assert isinstance(ch05.decay_slider(T_max=20).spec(), Panels)
