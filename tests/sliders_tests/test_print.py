"""sliders on paper: with SLIDERS_PRINT=1 (the book's PDF build) every figure also carries a
vector PDF, and a slider figure gives its frames as small multiples; without it nothing
changes for the HTML book and the notebooks."""

import re

import pytest

from sliders import Chart, Interactive, Line, Slider, to_figure
from sliders.mpl import print_build, to_matplotlib, to_pdf


def _decay():
    return Interactive(
        [Slider("w_h", "w_H", 0.0, 1.5, 0.5, 0.5)],
        lambda w_h: Chart("decay", "t", "h", [Line([0, 1, 2], [1, w_h, w_h**2], "h_t")]),
        alt="h_t = w_H^t for w_H = {w_h}",
        frames=[{"w_h": 0.5}, {"w_h": 1.5}],
    )


def _chart():
    return Chart("a line", "x", "y", [Line([0, 1, 2], [0, 1, 4], "y = x^2")])


@pytest.fixture
def printing(monkeypatch):
    monkeypatch.setenv("SLIDERS_PRINT", "1")


def test_print_build_reads_sliders_print(monkeypatch):
    monkeypatch.delenv("SLIDERS_PRINT", raising=False)
    assert not print_build()
    for on in ("1", "true", "yes"):
        monkeypatch.setenv("SLIDERS_PRINT", on)
        assert print_build()
    monkeypatch.setenv("SLIDERS_PRINT", "0")
    assert not print_build()


def test_to_pdf_is_vector_with_truetype_fonts_and_the_same_bytes_each_time():
    pdf = to_pdf(to_matplotlib(_chart()))
    assert pdf.startswith(b"%PDF-")
    assert b"/FontFile2" in pdf, "fonts not embedded as TrueType (pdf.fonttype 42)"
    assert b"/Type3" not in pdf.replace(b" ", b"")
    assert b"/Subtype /Image" not in pdf, "a line chart drawn as a bitmap"
    assert b"CreationDate" not in pdf
    assert to_pdf(to_matplotlib(_chart())) == pdf


def test_to_figure_adds_a_pdf_only_for_print(monkeypatch):
    monkeypatch.delenv("SLIDERS_PRINT", raising=False)
    screen = to_figure(_chart())
    assert screen.pdf is None and screen._repr_pdf_() is None  # IPython then omits it
    monkeypatch.setenv("SLIDERS_PRINT", "1")
    paper = to_figure(_chart())
    assert paper.png == screen.png, "the PNG must not change for print"
    assert paper._repr_pdf_().startswith(b"%PDF-")


def test_mimebundle_for_print_adds_the_small_multiples_as_pdf(monkeypatch, printing):
    monkeypatch.setenv("SLIDERS_STATIC", "1")  # as in the book build: no widget
    fig = _decay()
    bundle = fig._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/html", "application/pdf"}
    assert bundle["text/html"] == fig.to_html(renderer=False)  # the HTML is unchanged
    pdf = bundle["application/pdf"]
    assert pdf == to_pdf(fig.small_multiples())
    # One row per frame, each under its settings (the text is in the PDF's content).
    assert len(fig.small_multiples().axes) == 2
    assert re.search(rb"/Count 1\b", pdf), "small multiples are one page"


def test_mimebundle_without_print_has_no_pdf(monkeypatch):
    monkeypatch.delenv("SLIDERS_PRINT", raising=False)
    monkeypatch.setenv("SLIDERS_STATIC", "1")
    assert set(_decay()._repr_mimebundle_()) == {"text/plain", "text/html"}


def test_regression_heatmap_cells_in_the_pdf_at_print_resolution():
    # A heatmap is the one raster part of a figure's PDF; matplotlib resampled it at the
    # figure's 100 dpi, which printed at 114 ppi in the book. It is now PRINT_DPI.
    from sliders import Heatmap
    from sliders.mpl import PRINT_DPI

    fig = to_matplotlib(Chart("cells", marks=[Heatmap([[0.0, 1.0], [2.0, 3.0]])]))
    ax = fig.axes[0]
    width_in = ax.get_position().width * fig.get_size_inches()[0]
    widths = [int(w) for w in re.findall(rb"/Width (\d+)", to_pdf(fig))]
    assert widths, "no raster image in a heatmap's PDF"
    assert max(widths) >= 0.9 * width_in * PRINT_DPI, (widths, width_in)
