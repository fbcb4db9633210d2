"""The framework's words in the reader's language (sliders.i18n), and Korean figure text."""

import ast
import warnings
from pathlib import Path

import matplotlib
import pytest

from sliders import Chart, Interactive, Line, Slider, i18n, mathtext, to_figure

ROOT = Path(__file__).resolve().parents[2]


def _tr_literals(folder):
    """The first argument of every ``tr("...")`` call whose argument is a literal."""
    found = []
    for path in sorted(Path(folder).glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "tr"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                found.append((path.name, node.args[0].value))
    return found


def test_language_comes_from_the_environment(monkeypatch):
    monkeypatch.delenv("RNNBOOK_LANG", raising=False)
    assert i18n.language() == "en"
    monkeypatch.setenv("RNNBOOK_LANG", "ko")
    assert i18n.language() == "ko"
    monkeypatch.setenv("RNNBOOK_LANG", "de")
    with pytest.raises(ValueError, match="RNNBOOK_LANG"):
        i18n.language()


def test_every_word_the_framework_translates_has_korean():
    keys = [text for _, text in _tr_literals(ROOT / "sliders")]
    assert "Reset" in keys
    missing = sorted(set(keys) - set(i18n.KO))
    assert not missing, f"sliders/i18n.py KO lacks {missing}"
    unused = sorted(set(i18n.KO) - set(keys))
    assert not unused, f"sliders/i18n.py KO has entries no code uses: {unused}"


@pytest.mark.parametrize("english", sorted(i18n.KO))
def test_framework_korean_keeps_the_fields(english):
    korean = i18n.KO[english]
    assert i18n.fields(korean) == i18n.fields(english)
    assert korean.strip() and korean != english


def _figure():
    return Interactive(
        [Slider("w_h", "w_H", 0.0, 1.0, 0.5, 0.5, description="가중치")],
        lambda w_h: Chart("감쇠", "단계 $t$", "$h_t$", [Line([0, 1, 2], [1, w_h, w_h**2])]),
        alt="$w_H$ = {w_h}일 때의 감쇠",
        frames=[{"w_h": 0.0}, {"w_h": 1.0}],
    )


def test_korean_page_markup_has_no_english_words(monkeypatch):
    monkeypatch.setenv("RNNBOOK_LANG", "ko")
    html = _figure().to_html(renderer=False)
    assert ">처음 값으로</button>" in html
    assert 'aria-label="처음 값으로 되돌리기, w 아래첨자 H = 0.5"' in html
    assert "보인 설정: w 아래첨자 H = 0.0; w 아래첨자 H = 1.0." in html
    assert mathtext.plain("$x^{T}$") == "x 위첨자 T"
    for english in ("Reset", "Shown at", " sub ", "to the power"):
        assert english not in html, english


def test_english_markup_is_unchanged_without_the_variable(monkeypatch):
    monkeypatch.delenv("RNNBOOK_LANG", raising=False)
    html = _figure().to_html(renderer=False)
    assert ">Reset</button>" in html and "Shown at w sub H = 0.0; w sub H = 1.0." in html
    assert mathtext.plain("$x^{T}$") == "x to the power T"


def test_korean_figure_text_is_drawn_without_missing_glyphs(monkeypatch):
    """Regression test: Hangul beside $...$ maths came out as boxes with DejaVu Sans
    ("Font 'default' does not have a glyph for '\\uae30'")."""
    monkeypatch.setenv("RNNBOOK_LANG", "ko")
    chart = Chart(
        "기울기 소실, $w_H$ = 0.9",
        "거슬러 간 단계 수 $k$",
        "확률",
        [Line([0, 1], [1, 2], "선형 셀")],
    )
    with matplotlib.rc_context(), warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph is a warning
        png = to_figure(chart).png
        assert matplotlib.rcParams["font.sans-serif"][0] == "Noto Sans CJK KR"
    assert png.startswith(b"\x89PNG")
