"""sliders: slider grids, chart specs, every renderer, and both lives of a figure.

Unit tests run everywhere. Tests marked slow drive Debian's chromium through Playwright
(a standalone page with two figures), run a live kernel with nbclient, and build a
throwaway Jupyter Book that shows an Interactive.
"""

import base64
import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from serving import serve_directory

from sliders import (
    Band,
    Bars,
    Chart,
    Heatmap,
    HLine,
    Interactive,
    Line,
    Panels,
    Points,
    Slider,
    Text,
    VLine,
    chart_data,
    html_snapshot,
    spec,
    static,
    to_matplotlib,
)
from sliders import style as ia

ROOT = Path(__file__).resolve().parents[2]
T = np.arange(40)


# --- figures used across the tests ---------------------------------------------------------


def decay_chart(w_h):
    """Pure: a decay curve, its envelope, a reference line and a label."""
    return Chart(
        f"Decay, w_H = {w_h:.2f}",
        "time step t",
        "h_t",
        [
            Band(T, -(np.abs(w_h) ** T), np.abs(w_h) ** T, label="envelope"),
            Line(T, w_h**T, label="h_t"),
            HLine(0.0),
            Text(30, 0.8, "impulse at t = 0"),
        ],
        ylim=(-1.05, 1.05),
    )


def grad_panels(w_h, steps):
    t = np.arange(1, steps + 1)
    norm = w_h ** (steps - t).astype(float)
    marks = [Bars(t, norm, label="norm"), Points(t, 2 * norm, label="bound")]
    z = np.outer([-1, 0.5, 1], np.linspace(-w_h, w_h, 4))
    heat = Heatmap(z, vmin=-2, vmax=2, cmap="RdBu", label="value")
    return Panels(
        [
            Chart("Gradient norm", "t", "|dL/dh_t|", marks, ylog=True, ylim=(1e-12, 10)),
            Chart("Weights", "column", "row", [heat]),
        ]
    )


def decay_fig():
    return Interactive(
        [Slider("w_h", "w_H", -1.0, 1.0, 0.05, 0.9, description="recurrent weight")],
        decay_chart,
        alt="Line chart of h_t = w_H^t for w_H = {w_h}",
    )


def grad_fig():
    return Interactive(
        [Slider("w_h", "\\sigma_{max}", 0.5, 1.5, 0.1, 0.9), Slider("steps", "T", 4, 20, 4, 12)],
        grad_panels,
        alt="Bar chart of gradient norms over {steps} steps for sigma_max = {w_h}",
    )


# --- sliders ---------------------------------------------------------------------------------


def test_float_grid_is_inclusive_and_free_of_float_drift():
    s = Slider("a", "a", 0.0, 1.0, 0.1, 0.3)
    assert s.values == (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)
    assert s.values[3] == 0.3 and s.index == 3  # not 0.30000000000000004
    assert s.readout(s.values[3]) == "0.3"
    assert Slider("b", "b", -1.0, 1.0, 0.05, 0.9).readout(0.9) == "0.90"


def test_int_grid_gives_ints():
    s = Slider("n", "n", 2, 20, 6, 8)
    assert s.values == (2, 8, 14, 20)
    assert all(type(v) is int for v in s.values)
    assert s.readout(8) == "8"


@given(
    start=st.integers(-500, 500),
    step=st.sampled_from([0.01, 0.05, 0.1, 0.2, 0.25, 0.5, 2.0]),
    n=st.integers(1, 60),
)
def test_grid_has_n_plus_one_exact_points(start, step, n):
    start = start / 100
    stop = round(start + n * step, 2)
    s = Slider("a", "a", start, stop, step, start)
    assert len(s.values) == n + 1
    assert s.values[0] == round(start, 2) and s.values[-1] == stop
    assert np.allclose(np.diff(s.values), step)
    assert all(s.snap(v + 1e-12) == v for v in s.values)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"stop": 1.0, "step": 0.3}, "stop"),  # not a whole number of steps
        ({"default": 0.33}, "default"),  # off the grid
        ({"default": 2.0}, "default"),  # outside
        ({"step": -0.1}, "step"),
        ({"name": "not an identifier"}, "name"),
        ({"symbol": ""}, "symbol"),
        ({"start": float("nan")}, "start"),
    ],
)
def test_slider_errors_name_the_argument(kwargs, name):
    args = {"name": "a", "symbol": "a", "start": 0.0, "stop": 1.0, "step": 0.1, "default": 0.3}
    with pytest.raises(ValueError, match=rf"^{name}: expected .* got "):
        Slider(**{**args, **kwargs})


def test_symbols_become_html_and_latex():
    assert spec._symbol_html("w_H") == "w<sub>H</sub>"
    assert (
        spec._symbol_html("\\sigma_{max}^2")
        == "\N{GREEK SMALL LETTER SIGMA}<sub>max</sub><sup>2</sup>"
    )
    assert spec._symbol_html("a<b") == "a&lt;b"
    widget = decay_fig().widget
    assert widget.children[0].description == "$w_H$"  # ipywidgets typesets $...$ with MathJax


# --- spec validation -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Line([0, 1, 2], [0, 1]), r"^y: expected shape \(n,\) with n = 3"),
        (lambda: Line([0, np.inf], [0, 1]), r"^x: expected finite values"),
        (lambda: Line([0, 1], [0, 1], color="red"), r"^color: expected None, a palette index"),
        (lambda: Line([0, 1], [0, 1], label=3), r"^label: expected a string"),
        (lambda: Bars([0, 1], [1, 2], width=0), r"^width: expected a positive number"),
        (lambda: Band([0, 1], [0, 0], [1]), r"^hi: expected shape"),
        (lambda: Heatmap([1.0, 2.0]), r"^z: expected 2-d array"),
        (lambda: Heatmap([[1.0]], cmap="jet"), r"^cmap: expected one of"),
        (lambda: Heatmap([[1.0, 2.0]], vmin=3, vmax=1), r"^vmax: expected vmax > vmin"),
        (lambda: Text(0, 0, "a", align="top"), r"^align: expected"),
        (lambda: Heatmap([[1.0, 2.0]], missing=[True, False]), r"^missing: expected None or a"),
        (lambda: Heatmap([[1.0]], missing=[[1]]), r"^missing: expected None or a bool array"),
        (lambda: Chart(xticks=(0, 1)), r"^xticks: expected None or a pair \(positions, labels\)"),
        (lambda: Chart(xticks=((0, 1), ("a",))), r"^xticks: expected one label per position"),
        (lambda: Chart(xticks=((np.nan,), ("a",))), r"^xticks\[0\]\[0\]: expected a finite"),
        (lambda: Chart(xticks=((0,), (1,))), r"^xticks\[1\]\[0\]: expected a string"),
        (
            lambda: Chart("t", marks=[Line([0, 1], [1, -1])], ylog=True),
            r"^marks\[0\]: a log y axis needs y > 0",
        ),
        (lambda: Chart("t", marks=[HLine(0.0)], ylog=True), r"^marks\[0\]: a log y axis"),
        (lambda: Chart("t", ylim=(1, 0)), r"^ylim: expected lo < hi"),
        (lambda: Chart("t", ylim=(0, 1), ylog=True), r"^ylim: a log y axis needs positive limits"),
        (lambda: Chart("t", marks=["line"]), r"^marks\[0\]: expected one of"),
        (lambda: Chart(3), r"^title: expected a string"),
        (lambda: Panels([Chart()] * 4), r"^charts: expected 1 to 3 Chart objects"),
        (lambda: chart_data("chart"), r"^spec: expected a Chart or Panels"),
    ],
)
def test_spec_errors_name_the_argument(make, message):
    with pytest.raises(ValueError, match=message):
        make()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"chart_fn": lambda w: "no chart"},
            r"^chart_fn: expected it to return a Chart or Panels, got str",
        ),
        ({"chart_fn": None}, r"^chart_fn: expected a callable"),
        ({"alt": ""}, r"^alt: expected a non-empty string"),
        ({"alt": "value {v}"}, r"^alt: expected placeholders among \{w\}"),
        ({"alt": "value {w:.2f}"}, r"^alt: expected placeholders"),
        ({"sliders": []}, r"^sliders: expected 1 to 4 Slider objects"),
        ({"sliders": [Slider("w", "w", 0, 2, 1, 1)] * 2}, r"^sliders: expected distinct names"),
        ({"height": 10}, r"^height: expected an integer in \[150, 1200\]"),
    ],
)
def test_interactive_errors_name_the_argument(kwargs, message):
    args = {
        "sliders": [Slider("w", "w", 0, 2, 1, 1)],
        "chart_fn": lambda w: Chart(),
        "alt": "w = {w}",
    }
    with pytest.raises(ValueError, match=message):
        Interactive(**{**args, **kwargs})


def test_grid_over_the_frame_limit_names_its_sizes():
    sliders = [Slider(n, n, 0, 20, 1, 0) for n in "abc"]
    with pytest.raises(
        ValueError, match=r"^sliders: grid has 21 x 21 x 21 = 9261 points, over the limit of 1000"
    ):
        Interactive(sliders, lambda a, b, c: Chart(), alt="x")


def test_payload_over_the_byte_limit_names_its_size(monkeypatch):
    x = np.arange(300)
    fig = Interactive(
        [Slider("a", "a", 0, 10, 1, 0)], lambda a: Chart(marks=[Line(x, x + a)]), alt="x"
    )
    monkeypatch.setattr(static, "MAX_BYTES", 10_000)
    with pytest.raises(
        ValueError,
        match=r"^payload: \d+ bytes for 11 grid points \(\d+ bytes each\), over the limit of 10000",
    ):
        fig.payload()


def test_limits_and_colours_are_resolved_in_python():
    c = chart_data(Chart(marks=[Line([0, 10], [0, 1]), Bars([1, 2], [3, 4]), HLine(-1.0)]))[0]
    assert c["xlim"] == pytest.approx([-0.2 - 0.02 * 0.4, 10.2 + 0.02 * 0.4], abs=0.2)
    assert c["ylim"][0] < -1 and c["ylim"][1] > 4  # every mark is in view, bars from 0
    assert [m["color"] for m in c["marks"]] == [ia.PALETTE[0], ia.PALETTE[1], ia.NEUTRAL]
    heat = chart_data(Chart(marks=[Heatmap(np.zeros((2, 3)))]))[0]
    assert heat["xlim"] == [-0.5, 2.5] and heat["ylim"] == [1.5, -0.5]  # row 0 at the top


# --- matplotlib renderer ---------------------------------------------------------------------


def test_to_matplotlib_draws_the_marks_with_the_data_given():
    marks = [Line([0, 1, 2], [3, 1, 2], label="a"), Line([0, 2], [0, 1], dash=True)]
    marks += [Bars([0, 1, 2], [1, 2, 3]), Band([0, 2], [0, 0], [1, 1])]
    marks += [HLine(0.5), VLine(1.0), Text(1, 1, "note")]
    spec = Chart("t", "x", "y", marks)
    ax = to_matplotlib(spec).axes[0]
    assert len(ax.lines) == 4  # two lines, hline, vline
    assert np.array_equal(ax.lines[0].get_xydata(), [[0, 3], [1, 1], [2, 2]])
    assert [p.get_height() for p in ax.patches] == [1, 2, 3]
    assert len(ax.collections) == 1 and len(ax.texts) == 1
    assert ax.get_legend().get_texts()[0].get_text() == "a"
    fig = to_matplotlib(grad_panels(0.9, 8), height=300)
    assert len(fig.axes) == 3  # two charts and a colour bar
    assert fig.axes[0].get_yscale() == "log" and len(fig.axes[1].images) == 1
    assert fig.get_size_inches() == pytest.approx([7.2, 3.0])


# --- axes: named ticks, log ticks, colour bars, cells with no value -------------------------

_NODE_STUB = (
    "global.window={};global.document={readyState:'complete',querySelectorAll:()=>[],"
    "documentElement:{getAttribute:()=>null}};"
    "global.MutationObserver=function(){this.observe=()=>{}};"
)


def _svg(spec, width=720):
    """renderer.js's SVG of ``spec``, drawn by node from the payload a page would carry."""
    fig = Interactive([Slider("s", "s", 0, 1, 1, 0)], lambda s: spec, alt="x")
    data = json.loads(fig.payload())
    charts = [_decode(data["pool"], j) for j in data["pool"][data["frames"][0]]]
    script = f"{_NODE_STUB}{static.renderer_js()};var svg={{setAttribute(){{}}}};"
    script += f"window.RNNFig.render(svg,{json.dumps(charts)},360,'t',{width},false);"
    script += "console.log(svg.innerHTML)"
    return subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True).stdout


def _svg_texts(svg, **attrs):
    """The texts of the SVG's <text> elements that have the given attributes."""
    out = []
    for a, body in re.findall(r"<text([^>]*)>(.*?)</text>", svg):
        if all(f'{k.replace("_", "-")}="{v}"' in a for k, v in attrs.items()):
            out.append(html.unescape(re.sub(r"<[^>]+>", "", body)))
    return out


def _x_ticks(svg):
    return _svg_texts(svg, font_size=11, text_anchor="middle")


def _mpl_xticks(spec):
    ax = to_matplotlib(spec).axes[0]
    ax.figure.draw_without_rendering()
    labels = [t.get_text() for t in ax.get_xticklabels()]
    return ax.get_xticks().tolist(), labels, ax.xaxis.get_minor_locator()


def _strip(names):
    marks = [Points([i] * 3, [0.2, 0.5, 0.9]) for i in range(len(names))]
    return Chart("strip", "", "accuracy", marks, xticks=(range(len(names)), names))


def test_xticks_are_the_only_x_ticks_in_every_renderer():
    chart = _strip(["on", "off", "$w_H$ big"])
    assert chart_data(chart)[0]["xticks"] == [[0.0, "on"], [1.0, "off"], [2.0, "$w_H$ big"]]
    at, labels, minor = _mpl_xticks(chart)
    assert at == [0, 1, 2] and labels == ["on", "off", "$w_H$ big"]
    assert len(minor.tick_values(-1, 3)) == 0  # no minor ticks either
    assert _x_ticks(_svg(chart)) == ["on", "off", "wH big"]
    # ((), ()): an axis with no tick at all
    bare = Chart("bars", marks=[Bars([0, 1], [1, 2])], xticks=((), ()))
    assert _mpl_xticks(bare)[:2] == ([], []) and _x_ticks(_svg(bare)) == []


def test_regression_categorical_axis_prints_no_numbers():
    # Names placed at x = 0, 1, 2 over an axis that still printed the ticks 0, 1, 2.
    chart = _strip(["clipped", "not clipped"])
    for labels in (_mpl_xticks(chart)[1], _x_ticks(_svg(chart))):
        assert labels == ["clipped", "not clipped"]
        assert not any(re.fullmatch(r"[\d.\u2212-]+", s) for s in labels)


def test_regression_changing_xticks_rebuild_the_live_figure():
    # The in-place redraw keeps the axes' ticks: ticks that change must rebuild them.
    names = {1: ["clipped", "not clipped"], 2: ["random", "orthogonal"]}
    fig = Interactive([Slider("s", "s", 1, 2, 1, 1)], lambda s: _strip(names[s]), alt="x")
    fig.controls["s"].value = 2
    assert _live_matches_full_render(fig, s=2)


def test_log_axes_within_a_decade_tick_plain_numbers_alike():
    # Zen chart: matplotlib printed 2x10^1 and 6x10^0 on a log axis from 2.6 to 25.5.
    chart = Chart("ppl", marks=[Line([0, 1], [3.0, 25.0])], ylog=True, ylim=(2.6, 25.5))
    ax = to_matplotlib(chart).axes[0]
    ax.figure.draw_without_rendering()
    shown = [t.get_text() for t in ax.get_yticklabels() if t.get_visible()]
    assert shown == ["5", "10", "20"]
    assert _svg_texts(_svg(chart), font_size=11, text_anchor="end") == ["5", "10", "20"]
    wide = Chart("w", marks=[Line([0, 1], [1e-3, 1e3])], ylog=True)
    assert "10\u22123" in _svg_texts(_svg(wide), font_size=11, text_anchor="end")


def test_heatmap_cells_with_no_value_are_grey_in_every_renderer():
    z = np.array([[0.0, 0.5], [0.0, -0.5]])
    missing = np.array([[False, False], [True, True]])
    heat = Heatmap(z, cmap="RdBu", vmin=-1, vmax=1, missing=missing, missing_label="not yet")
    chart = Chart("state", marks=[heat])
    assert np.isnan(heat.z[1]).all() and heat.z[0].tolist() == [0.0, 0.5]
    assert json.dumps(chart_data(chart)[0]["marks"][0]["label"]) == '"not yet"'
    ax = to_matplotlib(chart).axes[0]
    image = ax.images[0]
    rgba = image.cmap(image.norm(image.get_array()))  # (rows, cols, 4), NaN in the bad colour
    grey = tuple(int(ia.MISSING[i : i + 2], 16) / 255 for i in (1, 3, 5))
    assert np.allclose(rgba[1, :, :3], grey) and not np.allclose(rgba[0, 0, :3], grey)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["not yet"]
    svg = _svg(chart)
    assert svg.count(f'fill="{ia.MISSING}"') == 2 + 1  # the two cells and the legend's swatch
    assert _svg_texts(svg, font_size=12) == ["not yet"]


def test_regression_zero_and_no_value_look_different():
    # Rows not yet read were drawn as 0: white, like a state of zero.
    heat = Heatmap([[0.0], [0.0]], cmap="RdBu", vmin=-1, vmax=1, missing=[[False], [True]])
    image = to_matplotlib(Chart(marks=[heat])).axes[0].images[0]
    zero, none = image.cmap(image.norm(image.get_array()))[:, 0, :3]
    assert np.abs(zero - none).max() > 0.3


def test_regression_short_colour_bar_label_is_upright():
    # A colour bar's "h", rotated, read as an upside-down h.
    for label, text, upright in (("$h_t$", "ht", True), ("$\\log_{10} L$", "log10 L", False)):
        fig = to_matplotlib(Chart(marks=[Heatmap(np.eye(2), label=label)]))
        assert (fig.axes[1].yaxis.label.get_rotation() == 0) is upright
        svg = _svg(Chart(marks=[Heatmap(np.eye(2), label=label)]))
        (bar,) = [a for a, body in re.findall(r"<text([^>]*)>(.*?)</text>", svg)
                  if re.sub(r"<[^>]+>", "", body) == text]  # fmt: skip
        assert ("rotate(-90" in bar) is not upright


# --- static HTML -----------------------------------------------------------------------------


class _Inputs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inputs, self.labels, self.data = [], {}, []
        self._data = self._label = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input":
            self.inputs.append(attrs)
            self.labels[len(self.inputs) - 1] = self._label
        elif tag == "label":
            self._label = True
        self._data = tag == "script" and attrs.get("type") == "application/json"

    def handle_endtag(self, tag):
        if tag == "label":
            self._label = False

    def handle_data(self, data):
        if self._data:
            self.data.append(data)
            self._data = False


def _decode(pool, i):
    """Python twin of renderer.js's decode, to read frames back out of the HTML."""
    v = pool[i]
    if not isinstance(v, dict):  # an array or a text
        return v
    out = {}
    for k, ref in v.items():
        if k.startswith("@@"):
            out[k[2:]] = [_decode(pool, j) for j in pool[ref]]
        elif k == "@_":
            out.update(_decode(pool, ref))
        elif k.startswith("@"):
            out[k[1:]] = _decode(pool, ref)
        else:
            out[k] = ref
    return out


def test_html_has_one_labelled_range_input_per_slider():
    page = _Inputs()
    page.feed(grad_fig().to_html())
    assert len(page.inputs) == 2
    want = [("0.5", "1.5", "0.1", "0.9"), ("4", "20", "4", "12")]
    for attrs, (lo, hi, step, value) in zip(page.inputs, want):
        assert attrs["type"] == "range"
        assert (attrs["min"], attrs["max"], attrs["step"], attrs["value"]) == (lo, hi, step, value)
        assert page.labels[page.inputs.index(attrs)] and attrs["aria-label"]  # inside a label
    # real symbols, not pseudo-TeX: sigma with a subscript "max" (issue 16)
    assert page.inputs[0]["aria-label"] == "\N{GREEK SMALL LETTER SIGMA}\u2098\u2090\u2093"


def test_html_embeds_every_grid_point():
    fig = grad_fig()
    page = _Inputs()
    page.feed(fig.to_html())
    data = json.loads(page.data[0])
    assert len(data["frames"]) == 11 * 5
    assert [s["readouts"] for s in data["sliders"]][1] == ["4", "8", "12", "16", "20"]
    # frame index is row-major over the sliders: (w_h = 0.7, steps = 16) -> 2 * 5 + 3
    charts = [_decode(data["pool"], j) for j in data["pool"][data["frames"][2 * 5 + 3]]]
    want = chart_data(grad_panels(0.7, 16))
    assert charts[0]["marks"][0]["y"] == pytest.approx(want[0]["marks"][0]["y"], rel=1e-3)
    assert charts[1]["marks"][0]["z"] == pytest.approx(want[1]["marks"][0]["z"], abs=1e-3)
    assert charts[0]["ylog"] is True and "ylog" not in charts[1]


def test_html_is_byte_identical_across_calls_and_instances():
    first = decay_fig().to_html()
    assert first == decay_fig().to_html()
    fig = decay_fig()
    assert fig.to_html() == fig.to_html() == first
    assert first.count("if (window.RNNFig) {") == 1  # the inline renderer is guarded
    assert " id=" not in first  # no element ids: two copies on one page cannot collide


def test_renderer_is_small_and_sizes_are_in_budget():
    # 20 kB since issue 16 (maths labels, dark mode, phone layout, print frames, reset)
    assert len(static.renderer_js().encode()) < 20_000
    for fig in (decay_fig(), grad_fig()):
        assert len(fig.payload().encode()) < 100_000
    x = np.arange(60)
    sine = lambda a: Chart(marks=[Line(x, np.sin(0.01 * a * x + 1))], ylim=(-1, 1))  # noqa: E731
    fig = Interactive([Slider("a", "a", 0, 599, 1, 0)], sine, alt="a")  # 600 frames of 60 numbers
    assert len(fig.payload().encode()) < static.MAX_BYTES


def test_mimebundle_carries_widget_and_html_unless_static(monkeypatch):
    fig = decay_fig()
    monkeypatch.delenv("SLIDERS_STATIC", raising=False)
    live = fig._repr_mimebundle_()
    assert live["application/vnd.jupyter.widget-view+json"]["model_id"] == fig.widget.model_id
    assert 'type="range"' in live["text/html"] and live["text/plain"].startswith("Line chart")
    assert live["text/html"] == fig.to_html()  # standalone: the renderer comes inline
    monkeypatch.setenv("SLIDERS_STATIC", "1")
    static_bundle = decay_fig()._repr_mimebundle_()
    assert set(static_bundle) == {"text/plain", "text/html"}
    # The book loads renderer.js once per page, so its figures leave it out.
    assert static_bundle["text/html"] == fig.to_html(renderer=False)
    assert "<script>" not in static_bundle["text/html"]
    assert static_bundle == decay_fig()._repr_mimebundle_()  # shown twice: the same markup


def test_frames_are_checked_and_drawn_as_small_multiples():
    fig = Interactive(
        [Slider("w_h", "w_H", -1.0, 1.0, 0.05, 0.9), Slider("n", "n", 1, 3, 1, 2)],
        lambda w_h, n: decay_chart(w_h),
        alt="w_H = {w_h}, n = {n}",
        frames=[{"w_h": 0.5}, {"w_h": -0.5, "n": 3}],
    )
    assert fig.frames == ({"w_h": 0.5, "n": 2}, {"w_h": -0.5, "n": 3})
    labels = ["$w_H$ = 0.50, $n$ = 2", "$w_H$ = -0.50, $n$ = 3"]  # mathtext (issue 16)
    assert [fig.frame_label(f) for f in fig.frames] == labels
    drawn = fig.small_multiples()
    assert len(drawn.axes) == 2 and [f._suptitle.get_text() for f in drawn.subfigs] == labels
    assert decay_fig().frames == (decay_fig().defaults(),)  # by default, the default alone
    for frames, message in (
        ([{"w_h": 0.33}], r"^frames\[0\]\['w_h'\]: expected a value on the slider's grid"),
        ([{"x": 1}], r"^frames\[0\]: expected a dict with keys among"),
        ([], r"^frames: expected 1 to 6 dicts"),
    ):
        with pytest.raises(ValueError, match=message):
            Interactive([Slider("w_h", "w_H", 0.0, 1.0, 0.1, 0.5)], decay_chart, "a", frames=frames)


def test_widget_redraws_on_change_and_snaps_to_the_grid():
    seen = []

    def chart(w):
        seen.append(w)
        return Chart(marks=[Line(T, np.full(T.size, w))], ylim=(0, 1))

    fig = Interactive([Slider("w", "w", 0.0, 1.0, 0.1, 0.5)], chart, alt="w = {w}")
    assert fig.widget.children[-1] is fig.output
    before = fig.output.outputs[0]["data"]["image/png"]
    fig.controls["w"].value = 0.30000000000000004  # what a browser slider may send
    assert seen[-1] == 0.3
    assert fig.output.outputs[0]["data"]["image/png"] != before
    assert fig.output.outputs[0]["data"]["text/plain"] == "w = 0.3"
    assert fig.controls["w"].continuous_update  # ylim fixed: the fast in-place path


def test_live_redraw_in_place_matches_a_full_render():
    fig = decay_fig()
    assert fig.widget.children[0] is fig.controls["w_h"]
    s = fig.sliders[0]
    fig.controls[s.name].value = s.values[3]  # band, line, reference line and text move
    live = _pixels(base64.b64decode(fig.output.outputs[0]["data"]["image/png"]))
    buf = io.BytesIO()
    fig.figure(w_h=s.values[3]).savefig(buf, format="png")
    assert live.shape == (360, 720, 3)
    assert np.abs(live - _pixels(buf.getvalue())).mean() < 0.5  # out of 255


def _bars_and_title(w_h, T):
    """Bars whose count follows T, and a title that names w_h: the decay slider's shape."""
    k = np.arange(T)
    title = f"{'vanishing' if abs(w_h) < 1 else 'exploding'}, w_H = {w_h:.2f}"
    return Panels(
        [
            Chart(title, "k", "|w|^k", [Line(k, np.abs(w_h) ** k + 1e-12)], ylim=(1e-12, 1e12),
                  ylog=True),
            Chart(f"T = {T}", "i", "|w|^i", [Bars(k + 1, np.abs(w_h) ** k + 1e-12, color=0)],
                  ylim=(1e-12, 1e12), ylog=True),
        ]
    )  # fmt: skip


def test_regression_bars_and_changing_titles_redraw_in_place_like_a_full_render():
    # The fast path draws bars as one PolyCollection and keeps unchanged texts in the
    # cached bitmap; a title that starts changing must leave no trace of its old text.
    fig = Interactive(
        [Slider("w_h", "w_H", -1.5, 1.5, 0.05, 0.9), Slider("T", "T", 10, 40, 5, 40)],
        _bars_and_title,
        alt="w_H = {w_h}, T = {T}",
    )
    assert fig.widget.children[-1] is fig.output
    assert fig.controls["w_h"].continuous_update  # T fixed: bar counts and limits stay
    assert not fig.controls["T"].continuous_update  # a T step adds bars: full rebuild
    walk = (0.85, 1.0, 1.05, 1.2, -0.5, 0.3)  # through both regimes, so the title changes
    for w_h in walk:
        fig.controls["w_h"].value = w_h
        assert fig.output.outputs[0]["data"]["text/plain"] == fig.alt_text(w_h=w_h)
    assert fig.view.live.changing and fig.view.live.drawn  # some texts redrawn, others cached
    assert _live_matches_full_render(fig, w_h=walk[-1])


def _heat(s):
    """A heat map whose colour range follows the slider: the colour bar must follow too."""
    z = s * np.outer(np.linspace(-1, 1, 5), np.linspace(0, 1, 7))
    return Chart("state", "unit", "row", [Heatmap(z, vmin=-s, vmax=s, cmap="RdBu")])


def test_regression_heatmap_colour_range_change_redraws_the_colour_bar():
    # Found by mutation: an in-place redraw that ignores vmin/vmax keeps a stale colour bar.
    fig = Interactive([Slider("s", "s", 1, 5, 1, 1)], _heat, alt="s = {s}")
    fig.controls["s"].value = 4
    # The colour bar and its tick labels sit right of x = 655; the cells themselves are
    # resampled a pixel differently by an in-place draw, so they are compared on average.
    assert _live_matches_full_render(fig, columns=slice(655, None), s=4)
    assert _live_difference(fig, s=4)[:, :655].mean() < 3  # out of 765


def _live_difference(fig, **values):
    """|live PNG - full render| per pixel, summed over RGB: shape (height, 720), out of 765."""
    live = _pixels(base64.b64decode(fig.output.outputs[0]["data"]["image/png"]))
    buf = io.BytesIO()
    fig.figure(**values).savefig(buf, format="png")
    return np.abs(live - _pixels(buf.getvalue())).sum(axis=-1)


def _live_matches_full_render(fig, columns=slice(None), **values):
    # A stale number left in a title or tick label changes ~45 pixels by over 100; edges
    # of lines and bars, rasterised slightly differently, change a handful.
    return (_live_difference(fig, **values)[:, columns] > 100).sum() < 15


def _pixels(png):
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=float)


# --- browser ---------------------------------------------------------------------------------


def _open(browser, url):
    """Open url, aborting requests to other hosts; returns (page, problems list)."""
    here, problems = urlsplit(url).netloc, []
    context = browser.new_context(viewport={"width": 900, "height": 1100})

    def guard(route):
        if urlsplit(route.request.url).netloc == here:
            route.continue_()
        else:
            problems.append(f"off-site: {route.request.url}")
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    return page, problems


def _moves_every_slider(page):
    """Press ArrowRight on every slider; the SVG, readout and aria-label must all change."""
    figures = page.locator(".rnnfig")
    assert figures.count() >= 1
    for i in range(figures.count()):
        fig = figures.nth(i)
        assert fig.get_attribute("data-ready") == "1"
        svg = fig.locator("svg[role=img]")
        for k in range(fig.locator("input[type=range]").count()):
            before = (
                svg.inner_html(),
                svg.get_attribute("aria-label"),
                fig.locator("output").nth(k).inner_text(),
            )
            fig.locator("input[type=range]").nth(k).press("ArrowRight")
            after = (
                svg.inner_html(),
                svg.get_attribute("aria-label"),
                fig.locator("output").nth(k).inner_text(),
            )
            assert all(a != b for a, b in zip(after, before)), (i, k, before[1:], after[1:])


@pytest.mark.slow
def test_static_page_works_offline_in_chromium(browser, tmp_path):
    html_snapshot([decay_fig(), grad_fig()], tmp_path / "index.html")
    server = serve_directory(tmp_path)
    try:
        page, problems = _open(browser, f"http://127.0.0.1:{server.server_address[1]}/index.html")
        assert page.locator("svg[role=img] polyline").count() >= 1
        assert page.locator("svg[role=img] rect").count() > 20  # bars and heat-map cells
        # every slider has an accessible name (axe's aria-input-field-name / label rules)
        assert page.get_by_role("slider", name="recurrent weight w sub H").count() == 1
        assert page.get_by_role("slider", name="T", exact=True).count() == 1
        _moves_every_slider(page)
        page.locator(".rnnfig input[type=range]").first.fill("-0.5")  # fill() fires "input"
        assert (
            page.locator("svg[role=img]").first.get_attribute("aria-label").endswith("w_H = -0.50")
        )
        assert page.locator(".rnnfig output").first.inner_text() == "wH = -0.50"
        page.screenshot(path="/tmp/interactive_probe.png", full_page=True)
        assert not problems, problems
    finally:
        server.shutdown()
        server.server_close()


def test_compressed_payload_round_trips_deterministically_at_a_third_of_the_bytes():
    fig = decay_fig()
    page = fig.to_html()
    small = static.compress_payloads(page)
    assert small == static.compress_payloads(fig.to_html())  # no timestamp: builds agree
    assert static.payload_json(small) == static.payload_json(page) == [fig.payload()]
    assert "application/json" not in small and small.count('class="rnnfig-data"') == 1
    assert len(small.encode()) - len(page.encode()) < -0.6 * len(fig.payload().encode())


def _figure_svgs(page):
    page.wait_for_function(
        "() => [...document.querySelectorAll('.rnnfig')].every(f => f.dataset.ready === '1')"
    )
    return page.locator(".rnnfig svg.rnnfig-live").evaluate_all("es => es.map(e => e.innerHTML)")


@pytest.mark.slow
def test_compressed_frames_draw_what_the_json_draws_or_else_the_still(browser, tmp_path):
    """The book's gzip+base64 payload draws the same SVG, and moves, as the JSON one; a
    browser without DecompressionStream shows the still image, not an empty box."""
    plain = html_snapshot([decay_fig(), grad_fig()], tmp_path / "plain.html")
    packed = tmp_path / "packed.html"
    packed.write_text(static.compress_payloads(plain.read_text(encoding="utf8")), "utf8")
    server = serve_directory(tmp_path)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        page, problems = _open(browser, f"{base}/plain.html")
        want = _figure_svgs(page)
        page, problems = _open(browser, f"{base}/packed.html")
        assert _figure_svgs(page) == want and len(want) == 2
        _moves_every_slider(page)
        assert not problems, problems
        old = browser.new_context()
        old.add_init_script("delete window.DecompressionStream")
        page = old.new_page()
        page.goto(f"{base}/packed.html", wait_until="load")
        page.wait_for_load_state("networkidle")
        figures = page.locator(".rnnfig")
        for k in range(2):
            assert figures.nth(k).get_attribute("data-ready") == "still"
            assert figures.nth(k).locator("img.rnnfig-still").is_visible()
            assert not figures.nth(k).locator("svg.rnnfig-live").is_visible()
        old.close()
    finally:
        server.shutdown()
        server.server_close()


# --- live kernel -----------------------------------------------------------------------------

LIVE_CELLS = [
    """\
import numpy as np
from sliders import Chart, Interactive, Line, Slider
t = np.arange(100)
fig = Interactive([Slider("w", "w_H", 0.0, 1.0, 0.05, 0.5)],
                  lambda w: Chart("decay", "t", "h_t", [Line(t, w**t, label="w^t")], ylim=(0, 1)),
                  alt="decay for w_H = {w}")
fig""",
    """\
import json, time
before = fig.output.outputs[0]["data"]["image/png"]
times = []
for v in fig.sliders[0].values[:12]:
    start = time.perf_counter()
    fig.controls["w"].value = v
    times.append(time.perf_counter() - start)
after = fig.output.outputs[0]["data"]["image/png"]
print(json.dumps({"changed": before != after, "median": sorted(times)[6],
                  "continuous": fig.controls["w"].continuous_update}))""",
]


@pytest.mark.slow
def test_live_kernel_redraws_the_output_widget(monkeypatch):
    import nbformat
    from nbclient import NotebookClient

    monkeypatch.delenv("SLIDERS_STATIC", raising=False)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in LIVE_CELLS])
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    shown = nb.cells[0].outputs[0]["data"]
    assert {"application/vnd.jupyter.widget-view+json", "text/html", "text/plain"} <= set(shown)
    result = json.loads(nb.cells[1].outputs[0]["text"])
    assert result["changed"] and result["continuous"]
    assert result["median"] < 0.25  # ~0.025 s measured on a loaded 2-core machine
    # nbclient stored the widget state: the Output widget holds the last PNG
    state = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    outputs = [m["state"]["outputs"] for m in state.values() if m["model_name"] == "OutputModel"]
    assert outputs and "image/png" in outputs[0][0]["data"]


# --- the book build --------------------------------------------------------------------------

BOOK_PAGE = """\
---
jupytext:
  text_representation: {extension: .md, format_name: myst}
kernelspec: {display_name: Python 3, language: python, name: python3}
---

# Figures

```{code-cell} ipython3
from figdefs import decay_fig, grad_fig
decay_fig()
```

```{code-cell} ipython3
grad_fig()
```
"""


def _probe_book(tmp_path):
    """A copy of the book's configuration and extensions with one page of figures."""
    import yaml

    if not (ROOT / "_vendor" / "extra").is_dir():
        pytest.skip("no _vendor/extra: run `make vendor` first")
    book = tmp_path / "book"
    shutil.copytree(ROOT / "book" / "_ext", book / "_ext")
    shutil.copytree(ROOT / "tools", tmp_path / "tools")  # notebook_download's converter
    shutil.copytree(ROOT / "book" / "_assets", book / "_assets")
    shutil.copy(ROOT / "book" / "references.bib", book / "references.bib")
    (tmp_path / "_vendor").mkdir()
    (tmp_path / "_vendor" / "extra").symlink_to(ROOT / "_vendor" / "extra")
    (tmp_path / "_vendor" / "katex-node").symlink_to(ROOT / "_vendor" / "katex-node")
    src = Path(__file__).read_text()
    defs = src[src.index("T = np.arange(40)") : src.index("# --- sliders")]
    (book / "figdefs.py").write_text("import numpy as np\nfrom sliders import *\n" + defs)
    (book / "figs.md").write_text(BOOK_PAGE)
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: book/figs\n")
    cfg = yaml.safe_load((ROOT / "_config.yml").read_text())
    (tmp_path / "_config.yml").write_text(yaml.safe_dump(cfg, sort_keys=False))
    return tmp_path


@pytest.mark.slow
def test_book_page_shows_working_static_figures(browser, tmp_path):
    root = _probe_book(tmp_path)
    jb = Path(sys.executable).with_name("jupyter-book")
    env = {k: v for k, v in os.environ.items() if k != "SLIDERS_STATIC"}
    result = subprocess.run(
        [str(jb), "build", str(root), "-W", "-n", "--keep-going"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    html = (root / "_build" / "html" / "book" / "figs.html").read_text()
    assert html.count('class="rnnfig"') == 2
    assert "widget-state+json" not in html and "embed.js" not in html  # no widget state
    assert html.count("_static/sliders/renderer.js") == 1  # one renderer for both figures
    assert len(html.encode()) < 700_000  # the rest of 1.5 MB: theme, KaTeX fonts, images
    assert html.count('data-encoding="gzip+base64"') == 2  # the book ships frames compressed
    server = serve_directory(root / "_build" / "html")
    try:
        page, problems = _open(
            browser, f"http://127.0.0.1:{server.server_address[1]}/book/figs.html"
        )
        _moves_every_slider(page)
        assert not problems, problems
    finally:
        server.shutdown()
        server.server_close()


LABELS = [
    "plain text, no maths",
    "$w_H$ = 0.9",
    r"$|\mathrm{d}h_T/\mathrm{d}h_{T-k}|$ (floor $10^{-12}$)",
    r"$\rho$ = 0.85, $\sigma_{\max}$ = 1.43",
    r"$w_H^{i-1} h_{N-i}$ and $\|\mathrm{d}L/\mathrm{d}h_{T-k}\|$",
    r"$|w_H|\,(1 - h_t^2)$, mean $\tanh$ slope, $f_T \cdots f_{T-j+1}$",
]


def test_renderer_reads_mathtext_as_python_does():
    """renderer.js's runs() and sliders.mathtext.runs() agree on the labels' markup."""
    from sliders import mathtext

    script = f"{_NODE_STUB}{static.renderer_js()};console.log(JSON.stringify({json.dumps(LABELS)}"
    script += ".map(window.RNNFig.runs)))"
    out = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == [mathtext.runs(label) for label in LABELS]
    with pytest.raises(ValueError, match=r"unknown command \\frac"):
        mathtext.runs(r"$\frac{a}{b}$")
