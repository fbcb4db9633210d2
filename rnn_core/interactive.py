"""Slider-driven figures, defined once and drawn live (ipywidgets) or statically (inline SVG).

A figure is an :class:`Interactive`: a few :class:`Slider` objects (name, symbol, grid)
and a pure function ``chart_fn(**values) -> Chart | Panels`` that returns a small
declarative chart spec (:class:`Chart` holding marks such as :class:`Line` or
:class:`Heatmap`). Both renderers draw that same spec:

- in a live kernel, :func:`to_matplotlib` draws it and the figure is redrawn in an
  ``ipywidgets.Output`` each time a slider moves;
- in the static book (no kernel, no network), every grid point's spec is precomputed
  at build time from the same ``chart_fn``, embedded as compact JSON, and drawn as SVG
  by ``interactive.js`` (inlined into the page, no dependencies).

Display
-------
``Interactive`` displays itself as the last expression of a cell through
``_repr_mimebundle_``. The bundle carries ``text/plain`` (the alt text),
``text/html`` (the static version) and, unless the environment variable
``RNN_CORE_STATIC=1`` is set, ``application/vnd.jupyter.widget-view+json`` (the live
widgets), which JupyterLab and Notebook prefer. The book build sets
``RNN_CORE_STATIC=1`` so that no widget is created: myst-nb would otherwise embed the
widget state (with a PNG of the figure) and load the 1.9 MB ipywidgets embedder on
the page, for widgets that cannot run without a kernel anyway. A Sphinx extension
that runs ``os.environ["RNN_CORE_STATIC"] = "1"`` on import sets it for every kernel
myst-nb starts; as a second guard, ``nb_mime_priority_overrides: [[html, text/html, 0]]``
makes the html builder pick the static version even if widgets were created.

In the live view, one slider step redraws only the marks and titles when the chart's
structure and axis limits stay the same (fix ``ylim``, and ``vmin``/``vmax`` of a
heat map, to stay on that fast path); sliders then update while dragged.

Axis limits and colours are resolved in Python (:func:`chart_data`), so both renderers
agree. A log y axis rejects non-positive values with a ``ValueError`` (no silent clip).
Numbers embedded in HTML are rounded to 4 significant digits (on a linear axis, of
the largest value in the array). Marks are drawn in list order in both renderers.
"""

import base64
import collections
import hashlib
import html
import io
import itertools
import json
import math
import numbers
import os
import re
import string
import time
import unicodedata
from dataclasses import dataclass, field
from importlib import resources

import numpy as np

from ._checks import as_array, as_int, as_scalar

#: Okabe-Ito colours (colour-blind safe), without its yellow, which is unreadable on white.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
NEUTRAL = "#555555"  # reference lines and text
#: Colour maps as evenly spaced stops, interpolated linearly in RGB by both renderers.
CMAPS = {
    "RdBu": ("#67001f", "#b2182b", "#d6604d", "#f4a582", "#fddbc7", "#f7f7f7",
             "#d1e5f0", "#92c5de", "#4393c3", "#2166ac", "#053061"),
    "viridis": ("#440154", "#482878", "#3e4989", "#31688e", "#26828e", "#1f9e89",
                "#35b779", "#6ece58", "#b5de2b", "#fde725"),
}  # fmt: skip
WIDTH = 720  # px; the SVG scales to the page, matplotlib uses WIDTH / 100 inches at 100 dpi
MAX_FRAMES = 1000  # grid points per figure
MAX_BYTES = 400_000  # embedded JSON per figure; a page holds 2-3 figures under 3 MB
_DISPLAYS = collections.Counter()  # displays per figure id in this kernel, in cell order
DIGITS = 4  # significant digits of embedded numbers
_HEX = re.compile(r"#[0-9a-fA-F]{6}")
_GREEK_NAMES = "alpha beta gamma delta epsilon eta theta lambda mu rho sigma tau phi omega"
# Unicode spells lambda "LAMDA".
_GREEK = {
    n: unicodedata.lookup("GREEK SMALL LETTER " + n.upper().replace("LAMBDA", "LAMDA"))
    for n in _GREEK_NAMES.split()
}
_GREEK.update(Delta="\N{GREEK CAPITAL LETTER DELTA}", Sigma="\N{GREEK CAPITAL LETTER SIGMA}")


# --- small validators ----------------------------------------------------------------------


def _text(name, value, empty=True):
    if not isinstance(value, str) or (not empty and not value.strip()):
        kind = "a string" if empty else "a non-empty string"
        raise ValueError(f"{name}: expected {kind}, got {value!r}")
    return value


def _label(name, value):
    return None if value is None else _text(name, value)


def _color(name, value):
    """None, a palette index or ``"#rrggbb"``; returns None or a lower-case hex string."""
    if value is None:
        return None
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return PALETTE[int(value) % len(PALETTE)]
    if isinstance(value, str) and _HEX.fullmatch(value):
        return value.lower()
    raise ValueError(f"{name}: expected None, a palette index or '#rrggbb', got {value!r}")


def _limits(name, value):
    if value is None:
        return None
    try:
        lo, hi = value
    except (TypeError, ValueError):
        raise ValueError(f"{name}: expected None or a pair (lo, hi), got {value!r}") from None
    lo, hi = as_scalar(f"{name}[0]", lo), as_scalar(f"{name}[1]", hi)
    if not lo < hi:
        raise ValueError(f"{name}: expected lo < hi, got ({lo}, {hi})")
    return (lo, hi)


def _set(obj, **values):
    # Frozen dataclasses store their validated, converted fields through object.__setattr__.
    for key, value in values.items():
        object.__setattr__(obj, key, value)


# --- marks ------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Line:
    """A polyline through ``(x[i], y[i])``.

    Parameters
    ----------
    x, y : array_like, shape (n,)
        Finite coordinates.
    label : str or None
        Legend entry.
    color : None, int or str
        None (next palette colour), a palette index, or ``"#rrggbb"``.
    dash : bool
        Dashed line.
    marker : bool
        A dot at every point.

    Examples
    --------
    >>> Line([0, 1, 2], [1.0, 0.5, 0.25], label="h_t").y
    array([1.  , 0.5 , 0.25])
    >>> Line([0, 1], [1.0])
    Traceback (most recent call last):
    ...
    ValueError: y: expected shape (n,) with n = 2, got shape (1,)
    """

    x: np.ndarray
    y: np.ndarray
    label: str | None = None
    color: object = None
    dash: bool = False
    marker: bool = False

    def __post_init__(self):
        sizes = {}
        _set(self, x=as_array("x", self.x, ("n",), sizes), y=as_array("y", self.y, ("n",), sizes))
        _set(self, label=_label("label", self.label), color=_color("color", self.color))

    def _extent(self):
        return self.x, self.y

    def _dict(self, color):
        return {
            "t": "line",
            "x": self.x,
            "y": self.y,
            "label": self.label,
            "color": color,
            "dash": bool(self.dash),
            "marker": bool(self.marker),
        }


@dataclass(frozen=True, eq=False)
class Points(Line):
    """Unconnected dots at ``(x[i], y[i])``; same parameters as :class:`Line`.

    Examples
    --------
    >>> Points([1, 2], [3, 4]).x
    array([1., 2.])
    """

    def _dict(self, color):
        return {"t": "points", "x": self.x, "y": self.y, "label": self.label, "color": color}


@dataclass(frozen=True, eq=False)
class Bars:
    """Vertical bars of height ``y[i]`` centred on ``x[i]``, from 0 (log axis: from the bottom).

    Parameters
    ----------
    x, y : array_like, shape (n,)
    label : str or None
    color : None, int, str, or a sequence of n of those
        One colour for every bar, or one per bar.
    width : float or None
        Bar width in data units; None: 0.8 times the smallest gap between x values.

    Examples
    --------
    >>> Bars([1, 2, 3], [0.5, 0.2, 0.1]).width
    0.8
    >>> Bars([1, 2], [1, 2], color=["#ff0000"])
    Traceback (most recent call last):
    ...
    ValueError: color: expected one colour or 2 colours, got 1
    """

    x: np.ndarray
    y: np.ndarray
    label: str | None = None
    color: object = None
    width: float | None = None

    def __post_init__(self):
        sizes = {}
        x, y = as_array("x", self.x, ("n",), sizes), as_array("y", self.y, ("n",), sizes)
        _set(self, x=x, y=y, label=_label("label", self.label), width=self._width(x))
        if isinstance(self.color, (list, tuple, np.ndarray)):
            if len(self.color) != len(x):
                raise ValueError(
                    f"color: expected one colour or {len(x)} colours, got {len(self.color)}"
                )
            _set(
                self,
                color=tuple(
                    _color(f"color[{i}]", c) or PALETTE[0] for i, c in enumerate(self.color)
                ),
            )
        else:
            _set(self, color=_color("color", self.color))

    def _width(self, x):
        if self.width is not None:
            width = as_scalar("width", self.width)
            if width <= 0:
                raise ValueError(f"width: expected a positive number, got {width}")
            return width
        gaps = np.diff(np.unique(x))
        return 0.8 * float(gaps.min()) if gaps.size else 0.8

    def _extent(self):
        return np.concatenate([self.x - self.width / 2, self.x + self.width / 2]), self.y

    def _dict(self, color):
        color = list(self.color) if isinstance(self.color, tuple) else color
        return {
            "t": "bars",
            "x": self.x,
            "y": self.y,
            "label": self.label,
            "color": color,
            "width": self.width,
        }


@dataclass(frozen=True, eq=False)
class Band:
    """A shaded region between ``lo[i]`` and ``hi[i]`` over ``x[i]``.

    Parameters
    ----------
    x, lo, hi : array_like, shape (n,)
    label : str or None
    color : None, int or str

    Examples
    --------
    >>> Band([0, 1], [0, 0], [1, 2]).hi
    array([1., 2.])
    """

    x: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    label: str | None = None
    color: object = None

    def __post_init__(self):
        sizes = {}
        arrays = {k: as_array(k, getattr(self, k), ("n",), sizes) for k in ("x", "lo", "hi")}
        _set(self, **arrays, label=_label("label", self.label), color=_color("color", self.color))

    def _extent(self):
        return self.x, np.concatenate([self.lo, self.hi])

    def _dict(self, color):
        return {
            "t": "band",
            "x": self.x,
            "lo": self.lo,
            "hi": self.hi,
            "label": self.label,
            "color": color,
        }


@dataclass(frozen=True, eq=False)
class HLine:
    """A horizontal reference line at height ``y`` across the plot.

    Examples
    --------
    >>> HLine(1.0, label="threshold").y
    1.0
    """

    y: float
    label: str | None = None
    color: object = None
    dash: bool = True

    def __post_init__(self):
        _set(self, y=as_scalar("y", self.y), label=_label("label", self.label))
        _set(self, color=_color("color", self.color) or NEUTRAL)

    def _extent(self):
        return np.empty(0), np.array([self.y])

    def _dict(self, color):
        return {
            "t": "hline",
            "y": self.y,
            "label": self.label,
            "color": self.color,
            "dash": bool(self.dash),
        }


@dataclass(frozen=True, eq=False)
class VLine:
    """A vertical reference line at ``x`` across the plot.

    Examples
    --------
    >>> VLine(3).x
    3.0
    """

    x: float
    label: str | None = None
    color: object = None
    dash: bool = True

    def __post_init__(self):
        _set(self, x=as_scalar("x", self.x), label=_label("label", self.label))
        _set(self, color=_color("color", self.color) or NEUTRAL)

    def _extent(self):
        return np.array([self.x]), np.empty(0)

    def _dict(self, color):
        return {
            "t": "vline",
            "x": self.x,
            "label": self.label,
            "color": self.color,
            "dash": bool(self.dash),
        }


@dataclass(frozen=True, eq=False)
class Text:
    """A text annotation at data point ``(x, y)``; ``align`` is 'left', 'center' or 'right'.

    Examples
    --------
    >>> Text(1, 2, "peak").text
    'peak'
    """

    x: float
    y: float
    text: str
    color: object = None
    align: str = "left"

    def __post_init__(self):
        _set(
            self, x=as_scalar("x", self.x), y=as_scalar("y", self.y), text=_text("text", self.text)
        )
        _set(self, color=_color("color", self.color) or NEUTRAL)
        if self.align not in ("left", "center", "right"):
            raise ValueError(f"align: expected 'left', 'center' or 'right', got {self.align!r}")

    def _extent(self):
        return np.array([self.x]), np.array([self.y])

    def _dict(self, color):
        return {
            "t": "text",
            "x": self.x,
            "y": self.y,
            "text": self.text,
            "color": self.color,
            "align": self.align,
        }


@dataclass(frozen=True, eq=False)
class Heatmap:
    """A matrix drawn as coloured cells, row 0 at the top, with a colour bar.

    Parameters
    ----------
    z : array_like, shape (rows, cols)
    xlabels : sequence of str, length cols, or None
        Column tick labels (None: numeric ticks at column indices).
    ylabels : sequence of str, length rows, or None
    vmin, vmax : float or None
        Colour range; None: the data range, symmetric about 0 for 'RdBu'.
    cmap : {'viridis', 'RdBu'}
        'RdBu' runs from red (low) to blue (high), as in matplotlib.
    label : str or None
        Colour bar label.

    Examples
    --------
    >>> Heatmap([[-1.0, 2.0]], cmap="RdBu").vmin
    -2.0
    >>> Heatmap([[1.0, 2.0]], xlabels=["a"])
    Traceback (most recent call last):
    ...
    ValueError: xlabels: expected 2 labels (one per column of z), got 1
    """

    z: np.ndarray
    xlabels: tuple | None = None
    ylabels: tuple | None = None
    vmin: float | None = None
    vmax: float | None = None
    cmap: str = "viridis"
    label: str | None = None

    def __post_init__(self):
        z = as_array("z", self.z, ("rows", "cols"))
        if self.cmap not in CMAPS:
            raise ValueError(f"cmap: expected one of {sorted(CMAPS)}, got {self.cmap!r}")
        _set(self, z=z, label=_label("label", self.label))
        _set(self, xlabels=self._labels("xlabels", self.xlabels, z.shape[1], "column"))
        _set(self, ylabels=self._labels("ylabels", self.ylabels, z.shape[0], "row"))
        _set(self, **dict(zip(("vmin", "vmax"), self._range(z))))

    @staticmethod
    def _labels(name, labels, n, what):
        if labels is None:
            return None
        labels = tuple(_text(f"{name}[{i}]", s) for i, s in enumerate(labels))
        if len(labels) != n:
            raise ValueError(
                f"{name}: expected {n} labels (one per {what} of z), got {len(labels)}"
            )
        return labels

    def _range(self, z):
        big = float(np.abs(z).max()) or 1.0
        lo, hi = (-big, big) if self.cmap == "RdBu" else (float(z.min()), float(z.max()))
        lo = lo if self.vmin is None else as_scalar("vmin", self.vmin)
        hi = hi if self.vmax is None else as_scalar("vmax", self.vmax)
        if lo == hi and self.vmin is None and self.vmax is None:
            lo, hi = lo - 0.5, hi + 0.5
        if not lo < hi:
            raise ValueError(f"vmax: expected vmax > vmin = {lo}, got {hi}")
        return lo, hi

    def _dict(self, color):
        return {
            "t": "heatmap",
            "z": self.z,
            "vmin": self.vmin,
            "vmax": self.vmax,
            "cmap": self.cmap,
            "label": None,
            "bar_label": self.label,
            "xlabels": self.xlabels,
            "ylabels": self.ylabels,
        }


_MARKS = (Line, Points, Bars, Band, HLine, VLine, Text, Heatmap)
_CYCLED = (Line, Points, Bars, Band)  # marks that take the next palette colour by default


# --- charts ----------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Chart:
    """One plot: title, axis labels, and a sequence of marks drawn in order.

    Parameters
    ----------
    title, xlabel, ylabel : str
    marks : sequence of Line, Points, Bars, Band, HLine, VLine, Text, Heatmap
        At most one Heatmap; its chart's axes index the matrix cells.
    ylog : bool
        Log10 y axis. Every y value (and ylim) must then be positive: a ValueError
        names the first mark that is not, rather than clipping silently.
    xlim, ylim : (float, float) or None
        Axis limits; None: the data range plus a small margin. Fix ``ylim`` when the
        data range changes with a slider, so that the axis does not jump.
    legend : bool
        Show a legend (above the plot) for marks that have a label.

    Examples
    --------
    >>> c = Chart("decay", "t", "h_t", [Line([0, 1, 2], [1.0, 0.5, 0.25])], ylog=True)
    >>> len(c.marks)
    1
    >>> Chart("decay", "t", "h_t", [Line([0, 1], [1.0, 0.0])], ylog=True)
    Traceback (most recent call last):
    ...
    ValueError: marks[0]: a log y axis needs y > 0, got min 0.0
    """

    title: str = ""
    xlabel: str = ""
    ylabel: str = ""
    marks: tuple = ()
    ylog: bool = False
    xlim: tuple | None = None
    ylim: tuple | None = None
    legend: bool = True

    def __post_init__(self):
        for name in ("title", "xlabel", "ylabel"):
            _text(name, getattr(self, name))
        marks = tuple(self.marks) if isinstance(self.marks, (list, tuple)) else None
        if marks is None:
            raise ValueError(f"marks: expected a list of marks, got {type(self.marks).__name__}")
        for i, m in enumerate(marks):
            if not isinstance(m, _MARKS):
                raise ValueError(
                    f"marks[{i}]: expected one of {[k.__name__ for k in _MARKS]}, got {m!r}"
                )
        if sum(isinstance(m, Heatmap) for m in marks) > 1:
            raise ValueError("marks: expected at most one Heatmap per Chart, got more")
        _set(self, marks=marks, xlim=_limits("xlim", self.xlim), ylim=_limits("ylim", self.ylim))
        if self.ylog:
            self._check_log()

    def _check_log(self):
        if self.ylim is not None and self.ylim[0] <= 0:
            raise ValueError(f"ylim: a log y axis needs positive limits, got {self.ylim}")
        for i, m in enumerate(self.marks):
            y = m._extent()[1] if not isinstance(m, Heatmap) else np.ones(1)
            if y.size and y.min() <= 0:
                raise ValueError(f"marks[{i}]: a log y axis needs y > 0, got min {float(y.min())}")


@dataclass(frozen=True, eq=False)
class Panels:
    """A row of one to three charts side by side.

    Examples
    --------
    >>> len(Panels([Chart("a"), Chart("b")]).charts)
    2
    >>> Panels([])
    Traceback (most recent call last):
    ...
    ValueError: charts: expected 1 to 3 Chart objects, got []
    """

    charts: tuple

    def __post_init__(self):
        charts = tuple(self.charts) if isinstance(self.charts, (list, tuple)) else ()
        if not 1 <= len(charts) <= 3 or not all(isinstance(c, Chart) for c in charts):
            raise ValueError(f"charts: expected 1 to 3 Chart objects, got {self.charts!r}")
        _set(self, charts=charts)


def _pad(lo, hi, log, frac):
    """Widen [lo, hi] by ``frac`` of its span (in log10 space on a log axis)."""
    if log:
        lo, hi = math.log10(lo), math.log10(hi)
    if lo == hi:
        lo, hi = lo - 0.5, hi + 0.5
    d = (hi - lo) * frac
    lo, hi = lo - d, hi + d
    return (10.0**lo, 10.0**hi) if log else (float(lo), float(hi))


def _auto_limits(chart):
    heat = next((m for m in chart.marks if isinstance(m, Heatmap)), None)
    if heat is not None:  # cells sit on integer indices; row 0 at the top
        rows, cols = heat.z.shape
        return (-0.5, cols - 0.5), (rows - 0.5, -0.5)
    xs = [m._extent()[0] for m in chart.marks]
    ys = [m._extent()[1] for m in chart.marks]
    if any(isinstance(m, Bars) for m in chart.marks) and not chart.ylog:
        ys.append(np.zeros(1))  # bars grow from 0, so 0 must be in view
    x = np.concatenate(xs) if xs else np.empty(0)
    y = np.concatenate(ys) if ys else np.empty(0)
    xlim = _pad(x.min(), x.max(), False, 0.02) if x.size else (0.0, 1.0)
    ylim = (
        _pad(y.min(), y.max(), chart.ylog, 0.05)
        if y.size
        else ((1.0, 10.0) if chart.ylog else (0.0, 1.0))
    )
    return xlim, ylim


def _chart_dict(chart):
    """The chart as a plain dict, with colours and axis limits resolved."""
    auto_x, auto_y = _auto_limits(chart)
    marks, k = [], 0
    for m in chart.marks:
        color = getattr(m, "color", None)
        if isinstance(m, _CYCLED) and color is None:
            color, k = PALETTE[k % len(PALETTE)], k + 1
        marks.append(m._dict(color))
    return {
        "title": chart.title,
        "xlabel": chart.xlabel,
        "ylabel": chart.ylabel,
        "ylog": bool(chart.ylog),
        "legend": bool(chart.legend),
        "marks": marks,
        "xlim": list(chart.xlim or auto_x),
        "ylim": list(chart.ylim or auto_y),
    }


def chart_data(spec):
    """Resolve a spec into the plain dicts both renderers draw.

    Parameters
    ----------
    spec : Chart or Panels

    Returns
    -------
    list of dict
        One dict per chart (1 to 3), with ``xlim``, ``ylim`` and every mark's colour set.

    Examples
    --------
    >>> d = chart_data(Chart("t", marks=[Line([0, 1], [0, 2])]))
    >>> d[0]["marks"][0]["color"], d[0]["ylim"]
    ('#0072B2', [-0.1, 2.1])
    """
    if isinstance(spec, Chart):
        return [_chart_dict(spec)]
    if isinstance(spec, Panels):
        return [_chart_dict(c) for c in spec.charts]
    raise ValueError(f"spec: expected a Chart or Panels, got {type(spec).__name__}")


# --- matplotlib renderer -------------------------------------------------------------------


def _mpl_cmap(name):
    from matplotlib.colors import LinearSegmentedColormap

    return LinearSegmentedColormap.from_list(name, CMAPS[name])


def _mpl_mark(ax, m, zorder=2):
    """Draw one resolved mark dict on a matplotlib Axes; return its artist."""
    t, dashes = m["t"], (0, (6 / 1.75, 4 / 1.75))  # same 6-on 4-off pattern as the SVG
    style = {"label": m.get("label") or None, "color": m.get("color"), "zorder": zorder}
    if t == "line":
        ls = dashes if m["dash"] else "-"
        return ax.plot(
            m["x"], m["y"], ls=ls, lw=1.75, marker="o" if m["marker"] else None, ms=4, **style
        )[0]
    if t == "points":
        return ax.plot(m["x"], m["y"], ls="none", marker="o", ms=5, **style)[0]
    if t == "bars":
        return ax.bar(m["x"], m["y"], width=m["width"], **style)
    if t == "band":
        return ax.fill_between(m["x"], m["lo"], m["hi"], alpha=0.25, lw=0, **style)
    if t in ("hline", "vline"):
        line, at = (ax.axhline, m["y"]) if t == "hline" else (ax.axvline, m["x"])
        return line(at, ls=dashes if m["dash"] else "-", lw=1.25, **style)
    if t == "text":
        return ax.text(
            m["x"], m["y"], m["text"], color=m["color"], ha=m["align"], fontsize=9, zorder=zorder
        )
    img = ax.imshow(
        m["z"],
        cmap=_mpl_cmap(m["cmap"]),
        vmin=m["vmin"],
        vmax=m["vmax"],
        aspect="auto",
        interpolation="nearest",
        zorder=zorder,
    )
    ax.figure.colorbar(img, ax=ax, label=m["bar_label"] or "", fraction=0.08, pad=0.03)
    _mpl_ticklabels(ax, m)
    return img


def _mpl_ticklabels(ax, m):
    """Cells sit at whole-number positions: tick them by name, or by whole numbers."""
    from matplotlib.ticker import MaxNLocator

    for axis, labels in ((ax.xaxis, m["xlabels"]), (ax.yaxis, m["ylabels"])):
        if labels:
            axis.set_ticks(range(len(labels)), labels)
        else:
            axis.set_major_locator(MaxNLocator(integer=True))


def _mpl_chart(ax, c):
    # zorder in list order, so marks stack as in the SVG; kept for in-place redraws.
    ax._rnn_artists = [_mpl_mark(ax, m, 2 + i / 100) for i, m in enumerate(c["marks"])]
    handles = [h for h, m in zip(ax._rnn_artists, c["marks"]) if m.get("label")]
    heat = any(m["t"] == "heatmap" for m in c["marks"])
    if c["ylog"]:
        ax.set_yscale("log")
    ax.set_xlim(c["xlim"])
    ax.set_ylim(c["ylim"])
    ax.set_xlabel(c["xlabel"])
    ax.set_ylabel(c["ylabel"])
    if not heat:
        ax.grid(True, color="#e6e6e6", lw=0.8)
        ax.set_axisbelow(True)
    n = len(handles) if c["legend"] else 0
    # The legend sits above the plot, under the title, so it never covers data.
    # As many columns as fit the axes' width (about 6 px a character at 9 pt).
    width_px = ax.get_position().width * ax.figure.get_figwidth() * ax.figure.dpi
    longest = max((len(m["label"]) for m in c["marks"] if m.get("label")), default=0)
    ncol = max(1, min(n, 4, int(width_px // (6 * longest + 36))))
    rows = -(-n // ncol)
    if n:
        ax.legend(
            handles=handles,
            loc="lower center",
            bbox_to_anchor=(0.5, 1.0),
            ncol=ncol,
            frameon=False,
            fontsize=9,
            handlelength=1.8,
            borderaxespad=0.1,
        )
    ax.set_title(c["title"], fontweight="bold", fontsize=11, pad=6 + 15 * rows)


def to_matplotlib(spec, height=360):
    """Draw a chart spec with matplotlib.

    Parameters
    ----------
    spec : Chart or Panels
    height : int
        Figure height in pixels at 100 dpi (the width is 720 px).

    Returns
    -------
    matplotlib.figure.Figure
        A figure not registered with pyplot, so it is never shown twice or leaked.

    Examples
    --------
    >>> fig = to_matplotlib(Chart("t", marks=[Line([0, 1], [0, 1]), Bars([0, 1], [1, 2])]))
    >>> len(fig.axes[0].lines), len(fig.axes[0].patches)
    (1, 2)
    """
    from matplotlib.figure import Figure

    charts = chart_data(spec)
    height = as_int("height", height, 150, 1200)
    fig = Figure(figsize=(WIDTH / 100, height / 100), dpi=100, layout="constrained")
    for ax, c in zip(fig.subplots(1, len(charts), squeeze=False)[0], charts):
        _mpl_chart(ax, c)
    return fig


def _signature(charts):
    """What must match for a redraw to update artists in place instead of rebuilding."""
    keep = (
        "t",
        "label",
        "color",
        "dash",
        "marker",
        "cmap",
        "align",
        "bar_label",
        "xlabels",
        "ylabels",
        "vmin",
        "vmax",
    )
    sig = []
    for c in charts:
        marks = tuple(
            (*(str(m.get(k)) for k in keep), np.shape(m.get("x")), np.shape(m.get("z")))
            for m in c["marks"]
        )
        sig.append((c["ylog"], c["legend"], tuple(c["xlim"]), tuple(c["ylim"]), marks))
    return tuple(sig)


def _bar_verts(m):
    """The rectangles of a bars mark, from 0 to each height: shape (n, 4, 2)."""
    x, y, half = np.asarray(m["x"], float), np.asarray(m["y"], float), m["width"] / 2
    zero = np.zeros_like(y)
    corners = [(x - half, zero), (x - half, y), (x + half, y), (x + half, zero)]
    return np.stack([np.stack(c, axis=-1) for c in corners], axis=1)


def _mpl_update(artist, m):
    """Move one artist drawn by _mpl_mark to the data of mark ``m`` (same kind and size)."""
    t = m["t"]
    if t in ("line", "points"):
        artist.set_data(m["x"], m["y"])
    elif t == "bars":  # a PolyCollection in the live figure (see _LiveFigure._bars)
        artist.set_verts(_bar_verts(m))
    elif t == "band":
        artist.set_data(m["x"], m["lo"], m["hi"])
    elif t == "hline":
        artist.set_ydata([m["y"], m["y"]])
    elif t == "vline":
        artist.set_xdata([m["x"], m["x"]])
    elif t == "text":
        artist.set_position((m["x"], m["y"]))
        artist.set_text(m["text"])
    else:
        artist.set_data(m["z"])
        artist.set_clim(m["vmin"], m["vmax"])


class _LiveFigure:
    """A matplotlib figure kept between redraws, for the live widget.

    Rebuilding a figure and running constrained layout costs far more than drawing the
    few artists that change, so while the structure and the axis limits stay the same
    (see ``_signature``) the layout is frozen and everything else is restored from a
    cached bitmap (matplotlib's "blitting"): the axes, ticks, grid, legend, and every
    title or axis label that has not changed since the bitmap was taken. Only the marks
    are drawn each time, plus the texts that have changed once (a title holding a slider
    value); a text that changes for the first time gets the bitmap retaken without it.
    Each bars mark is drawn as one PolyCollection, one draw call instead of one per bar.
    """

    def __init__(self, height):
        self.height, self.sig, self.fig, self.background = height, None, None, None
        self.changing, self.drawn = [], {}  # texts drawn each time; the others' strings

    def _texts(self):
        for ax in self.fig.axes[: len(self.sig)]:  # colour bars come after the charts' axes
            yield from (ax.title, ax.xaxis.label, ax.yaxis.label)

    def _marks(self):
        for ax in self.fig.axes[: len(self.sig)]:
            yield from ax._rnn_artists

    def _bars(self, charts):
        """Swap every bars mark's BarContainer for one PolyCollection of the same look."""
        from matplotlib.collections import PolyCollection

        for ax, c in zip(self.fig.axes, charts):
            for k, (artist, m) in enumerate(zip(ax._rnn_artists, c["marks"])):
                if m["t"] == "bars" and artist.patches:
                    p = artist.patches[0]
                    ax._rnn_artists[k] = ax.add_collection(
                        PolyCollection(
                            _bar_verts(m),
                            facecolors=p.get_facecolor(),
                            linewidths=0,
                            zorder=p.get_zorder(),
                        ),
                        autolim=False,
                    )
                    for patch in artist.patches:
                        patch.set_visible(False)

    def _capture(self):
        """Draw all but the marks and the changing texts, and keep that bitmap."""
        hidden = [*self._marks(), *self.changing]
        # Drawing with a hidden title moves it (Axes.draw re-places titles), so keep positions.
        placed = [(a, a.get_position()) for a in hidden if hasattr(a, "get_position")]
        for artist in hidden:
            artist.set_visible(False)
        self.fig.canvas.draw()
        self.background = self.fig.canvas.copy_from_bbox(self.fig.bbox)
        for artist in hidden:
            artist.set_visible(True)
        for artist, xy in placed:
            artist.set_position(xy)
        self.drawn = {t: t.get_text() for t in self._texts() if t not in self.changing}

    def _rebuild(self, spec, sig, charts):
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        self.fig, self.sig, self.changing = to_matplotlib(spec, self.height), sig, []
        FigureCanvasAgg(self.fig).draw()  # runs constrained layout once; keep its result
        self.fig.set_layout_engine("none")
        self._bars(charts)
        self._capture()

    def png(self, spec):
        """Draw ``spec`` and return PNG bytes."""
        from PIL import Image

        charts = chart_data(spec)
        sig = _signature(charts)
        if sig != self.sig:
            self._rebuild(spec, sig, charts)
        for ax, c in zip(self.fig.axes, charts):
            for artist, m in zip(ax._rnn_artists, c["marks"]):
                _mpl_update(artist, m)
            ax.title.set_text(c["title"])  # not set_title, which resets weight and pad
            ax.xaxis.label.set_text(c["xlabel"])
            ax.yaxis.label.set_text(c["ylabel"])
        moved = [t for t, text in self.drawn.items() if t.get_text() != text]
        if moved:  # these are in the bitmap with their old strings: retake it without them
            self.changing += moved
            self._capture()
        canvas = self.fig.canvas
        canvas.restore_region(self.background)
        for artist in [*self._marks(), *self.changing]:
            self.fig.draw_artist(artist)
        buf = io.BytesIO()
        img = Image.frombuffer(
            "RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw", "RGBA", 0, 1
        )
        img.convert("RGB").save(
            buf, format="png", compress_level=1
        )  # speed over size: it stays local
        return buf.getvalue()


# --- sliders ---------------------------------------------------------------------------------


def _decimals(*values):
    """Fewest decimals (up to 12) that write every value exactly, e.g. 2 for 0.05."""
    for d in range(13):
        if all(abs(round(v, d) - v) <= 1e-9 * max(1.0, abs(v)) for v in values):
            return d
    return 12


def _symbol_html(symbol):
    r"""``w_H`` -> ``w<sub>H</sub>``, ``x^{2}`` -> ``x<sup>2</sup>``, ``\tau`` -> ``τ``."""
    s = re.sub(r"\\([A-Za-z]+)", lambda m: _GREEK.get(m[1], m[1]), html.escape(symbol))
    tags = {"_": "sub", "^": "sup"}
    return re.sub(
        r"([_^])(\{([^{}]*)\}|.)",
        lambda m: f"<{tags[m[1]]}>{m[3] if m[3] is not None else m[2]}</{tags[m[1]]}>",
        s,
    )


def _symbol_plain(symbol):
    return re.sub(r"\\([A-Za-z]+)", lambda m: _GREEK.get(m[1], m[1]), symbol).translate(
        {123: None, 125: None}
    )


def _is_int(v):
    return isinstance(v, numbers.Integral) and not isinstance(v, bool)


@dataclass(frozen=True)
class Slider:
    """One slider: a named parameter taking values ``start, start + step, ..., stop``.

    Parameters
    ----------
    name : str
        The keyword ``chart_fn`` receives; a Python identifier.
    symbol : str
        Shown in the label: ``_x`` / ``_{xy}`` become subscripts, ``^x`` superscripts,
        ``\\tau`` and other Greek names their letters. E.g. ``"w_H"`` shows w<sub>H</sub>.
    start, stop, step : float or int
        The grid, inclusive of ``stop``; ``stop - start`` must be a whole number of steps.
        All three ints give an integer slider.
    default : float or int
        Initial value, on the grid.
    description : str
        Optional words for the label and for screen readers, e.g. "recurrent weight".

    Attributes
    ----------
    values : tuple of float or int, length n
        The grid, computed from integer counts and rounded to the step's decimals.
    index : int
        Position of ``default`` in ``values``.

    Examples
    --------
    >>> Slider("w_h", "w_H", 0.0, 0.3, 0.1, 0.2).values
    (0.0, 0.1, 0.2, 0.3)
    >>> Slider("T", "T", 1, 9, 4, 5).values
    (1, 5, 9)
    >>> Slider("w_h", "w_H", 0.0, 1.0, 0.3, 0.3)
    Traceback (most recent call last):
    ...
    ValueError: stop: expected start + k * step, k whole (start = 0.0, step = 0.3), got 1.0
    """

    name: str
    symbol: str
    start: float
    stop: float
    step: float
    default: float
    description: str = ""
    values: tuple = field(init=False, repr=False)
    index: int = field(init=False, repr=False)
    decimals: int = field(init=False, repr=False)

    def __post_init__(self):
        if not isinstance(self.name, str) or not self.name.isidentifier():
            raise ValueError(f"name: expected a Python identifier, got {self.name!r}")
        _text("symbol", self.symbol, empty=False)
        _text("description", self.description)
        integer = all(_is_int(v) for v in (self.start, self.stop, self.step))
        start, stop, step = (as_scalar(k, getattr(self, k)) for k in ("start", "stop", "step"))
        if step <= 0 or stop <= start:
            raise ValueError(
                "step: expected step > 0 and stop > start, "
                f"got start = {start}, stop = {stop}, step = {step}"
            )
        k = (stop - start) / step
        if abs(k - round(k)) > 1e-9 * max(1.0, k):
            raise ValueError(
                f"stop: expected start + k * step, k whole (start = {start}, step = {step}), "
                f"got {stop}"
            )
        d = 0 if integer else _decimals(start, step)
        cast = int if integer else float
        values = tuple(cast(round(start + i * step, d)) for i in range(round(k) + 1))
        _set(self, values=values, decimals=d, index=self._index(values, step))

    def _index(self, values, step):
        default = as_scalar("default", self.default)
        i = round((default - values[0]) / step)
        if not 0 <= i < len(values) or abs(values[i] - default) > 1e-9 * max(1.0, abs(step)):
            raise ValueError(
                f"default: expected a grid value in [{values[0]}, {values[-1]}] "
                f"with step {self.step}, got {self.default!r}"
            )
        return i

    def readout(self, value):
        """The value as the label shows it, e.g. ``'0.90'`` for step 0.05.

        Examples
        --------
        >>> Slider("w", "w", 0.0, 1.0, 0.05, 0.9).readout(0.9)
        '0.90'
        """
        return f"{value:.{self.decimals}f}"

    def snap(self, value):
        """The grid value nearest ``value`` (a browser or widget may send 0.30000000000000004)."""
        i = round((float(value) - self.values[0]) / (self.values[1] - self.values[0]))
        return self.values[min(max(i, 0), len(self.values) - 1)]


# --- the interactive figure -------------------------------------------------------------------


def _num(v):
    """A JSON number with DIGITS significant digits, in its shortest spelling.

    ``"-0"`` becomes ``"0"``, and exponents lose their ``+`` and leading zeros
    (``7.658e-05`` is written ``7.658e-5``): log-axis data is mostly exponents, and
    the two bytes per number add up to tens of kilobytes on a slider page.

    >>> [_num(v) for v in (-0.0, 7.6581e-5, 2.4512e10, 1e100, 0.25)]
    ['0', '7.658e-5', '2.451e10', '1e100', '0.25']
    """
    s = format(float(v), f".{DIGITS}g")
    if "e" in s:
        mantissa, exponent = s.split("e")
        s = f"{mantissa}e{int(exponent)}"
    return "0" if s == "-0" else s


class _Pool:
    """Hash-consing store: identical arrays and objects across frames are kept once.

    Each item is a JSON text. In an object, key ``"@k"`` holds the index of one item,
    ``"@@k"`` the index of a list of indices, and ``"@_"`` the index of an object whose
    fields are merged in; interactive.js's ``decode`` undoes this.
    """

    def __init__(self):
        self.items, self._index = [], {}

    def add(self, text):
        i = self._index.get(text)
        if i is None:
            i = self._index[text] = len(self.items)
            self.items.append(text)
        return i

    def array(self, a, log=False):
        """Pool a 1-d array. On a linear axis, values are rounded to DIGITS significant
        digits of the array's largest magnitude (1e-5 next to 1 is 0 in any plot, and
        costs 9 bytes); on a log axis each value keeps its own DIGITS digits."""
        if log:
            return self.add("[" + ",".join(_num(v) for v in a) + "]")
        big = float(np.abs(a).max())
        d = DIGITS - 1 - math.floor(math.log10(big)) if big > 0 else 0
        return self.add("[" + ",".join(_num(round(float(v), d)) for v in a) + "]")

    def refs(self, indices):
        return self.add(json.dumps(indices, separators=(",", ":")))

    def obj(self, d, log=False):
        """Pool a dict: arrays and mark lists by reference, the other fields as one shared
        style object under ``"@_"`` (titles, colours, limits repeat across frames)."""
        out, style = {}, {}
        for k, v in d.items():
            if isinstance(v, np.ndarray) and v.ndim == 2:
                out["@@" + k] = self.refs([self.array(row) for row in v])
            elif isinstance(v, np.ndarray):
                out["@" + k] = self.array(v, log and k in ("y", "lo", "hi"))
            elif k == "marks":
                out["@@" + k] = self.refs([self.obj(m, d["ylog"]) for m in v])
            elif v is not None and v is not False:  # JS reads a missing key as false
                style[k] = _plain(v)
        if style:
            out["@_"] = self.add(
                json.dumps(style, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
            )
        return self.add(json.dumps(out, sort_keys=True, separators=(",", ":")))


def _plain(v):
    """A JSON-ready scalar or list, floats rounded to DIGITS significant digits."""
    if isinstance(v, float):
        return float(_num(v))
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    return v


def _placeholders(alt, names):
    """Check that ``alt`` only uses plain ``{name}`` fields naming sliders."""
    try:
        fields = list(string.Formatter().parse(alt))
    except ValueError as exc:
        raise ValueError(
            f"alt: expected text with {{name}} placeholders, got {alt!r} ({exc})"
        ) from None
    for _, name, spec, conv in fields:
        if name is not None and (name not in names or spec or conv):
            raise ValueError(
                f"alt: expected placeholders among {{{'}, {'.join(names)}}} without "
                f"format specs, got {{{name}}} in {alt!r}"
            )


_STYLE = (
    ".rnnfig{margin:0.5em 0 1em;font-family:sans-serif;max-width:720px}"
    ".rnnfig-row{display:flex;align-items:center;gap:0.75em;margin:0.2em 0}"
    ".rnnfig-row label{min-width:9em}.rnnfig-row input{flex:1;max-width:22em}"
    ".rnnfig-row output{min-width:7em;font-variant-numeric:tabular-nums}"
    ".rnnfig svg{display:block;width:100%;height:auto;background:#fff}"
)


def _script():
    js = resources.files("rnn_core").joinpath("interactive.js").read_text(encoding="utf8")
    cmaps = json.dumps({k: list(v) for k, v in CMAPS.items()}, separators=(",", ":"))
    # Drop whole-line comments and indentation: a few KB less per page, still readable JS.
    lines = (ln.strip() for ln in js.replace("__CMAPS__", cmaps).splitlines())
    return "\n".join(ln for ln in lines if ln and not ln.startswith("//"))


def _json_for_script(text):
    # Inside <script>, "</script>" or "<!--" in a title would end or confuse the element.
    return text.replace("<", "\\u003c")


class Interactive:
    """A figure driven by sliders, defined once for the live kernel and the static book.

    Parameters
    ----------
    sliders : sequence of Slider
        One to four sliders with distinct names; the grid (product of their values)
        may have at most ``MAX_FRAMES`` points.
    chart_fn : callable
        ``chart_fn(**values) -> Chart | Panels``, pure: the same values give the same figure.
        It is called once at construction (defaults) to check it.
    alt : str
        Text for screen readers, with optional ``{name}`` placeholders filled with the
        current slider readouts, e.g. ``"Decay of h_t for w_H = {w_h}"``.
    height : int
        Height in px (the width is 720 px and the static SVG scales to the page).

    Notes
    -----
    Display it as the last expression of a cell (``_repr_mimebundle_``), or call
    ``IPython.display.display(fig)``. See the module docstring for the two lives.

    Examples
    --------
    >>> fig = Interactive(
    ...     [Slider("w_h", "w_H", 0.0, 1.0, 0.5, 0.5)],
    ...     lambda w_h: Chart("decay", "t", "h", [Line([0, 1, 2], [1, w_h, w_h**2])]),
    ...     alt="h_t = w_H^t for w_H = {w_h}",
    ... )
    >>> fig.alt_text(w_h=1.0)
    'h_t = w_H^t for w_H = 1.0'
    >>> fig.to_html().count('type="range"')
    1
    """

    def __init__(self, sliders, chart_fn, alt, height=360):
        self.sliders = self._check_sliders(sliders)
        if not callable(chart_fn):
            raise ValueError(
                f"chart_fn: expected a callable returning Chart or Panels, got {chart_fn!r}"
            )
        self.chart_fn = chart_fn
        self.alt = _text("alt", alt, empty=False)
        _placeholders(alt, [s.name for s in self.sliders])
        self.height = as_int("height", height, 150, 1200)
        self.spec(**self.defaults())  # fail now, not at build time, if chart_fn is broken
        self._html = None
        self._widget = None
        self.controls, self.output, self.redraw_seconds = {}, None, None

    @staticmethod
    def _check_sliders(sliders):
        sliders = tuple(sliders) if isinstance(sliders, (list, tuple)) else (sliders,)
        if not 1 <= len(sliders) <= 4 or not all(isinstance(s, Slider) for s in sliders):
            raise ValueError(f"sliders: expected 1 to 4 Slider objects, got {sliders!r}")
        names = [s.name for s in sliders]
        if len(set(names)) != len(names):
            raise ValueError(f"sliders: expected distinct names, got {names}")
        sizes = [len(s.values) for s in sliders]
        if math.prod(sizes) > MAX_FRAMES:
            raise ValueError(
                f"sliders: grid has {' x '.join(map(str, sizes))} = {math.prod(sizes)} points, "
                f"over the limit of {MAX_FRAMES}; use larger steps"
            )
        return sliders

    def defaults(self):
        """The default value of each slider, by name."""
        return {s.name: s.values[s.index] for s in self.sliders}

    def spec(self, **values):
        """``chart_fn`` at the given values (missing ones take their defaults)."""
        unknown = set(values) - {s.name for s in self.sliders}
        if unknown:
            raise ValueError(
                f"values: expected names among {[s.name for s in self.sliders]}, "
                f"got {sorted(unknown)}"
            )
        spec = self.chart_fn(**{**self.defaults(), **values})
        if not isinstance(spec, (Chart, Panels)):
            raise ValueError(
                f"chart_fn: expected it to return a Chart or Panels, got {type(spec).__name__}"
            )
        return spec

    def figure(self, **values):
        """The matplotlib figure at the given values (see :func:`to_matplotlib`)."""
        return to_matplotlib(self.spec(**values), self.height)

    def alt_text(self, **values):
        """``alt`` with its placeholders filled with the slider readouts."""
        values = {**self.defaults(), **values}
        return self.alt.format(**{s.name: s.readout(values[s.name]) for s in self.sliders})

    # --- static HTML -----------------------------------------------------------------------

    def payload(self):
        """The precomputed data of every grid point, as compact JSON text.

        Raises
        ------
        ValueError
            If the JSON exceeds ``MAX_BYTES``, naming its size and the grid's.
        """
        pool, frames = _Pool(), []
        for combo in itertools.product(*(s.values for s in self.sliders)):
            charts = chart_data(self.spec(**dict(zip((s.name for s in self.sliders), combo))))
            frames.append(pool.refs([pool.obj(c) for c in charts]))
        head = {
            "alt": self.alt,
            "frames": frames,
            "height": self.height,
            "pool": None,
            "sliders": [self._slider_json(s) for s in self.sliders],
        }
        text = json.dumps(head, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        text = text.replace('"pool":null', '"pool":[' + ",".join(pool.items) + "]")
        size = len(text.encode("utf8"))
        if size > MAX_BYTES:
            raise ValueError(
                f"payload: {size} bytes for {len(frames)} grid points "
                f"({size // len(frames)} bytes each), over the limit of {MAX_BYTES}; "
                "use fewer grid points or fewer points per curve"
            )
        return text

    @staticmethod
    def _slider_json(s):
        step = s.values[1] - s.values[0]
        return {
            "name": s.name,
            "min": s.values[0],
            "step": step,
            "index": s.index,
            "readouts": [s.readout(v) for v in s.values],
        }

    def to_html(self, suffix=""):
        """The static figure: labelled range inputs, an SVG, the data and the inline renderer.

        Element ids come from a hash of the content (plus ``suffix``), so the same
        definition gives byte-identical HTML. The result is cached.
        """
        if self._html is None:
            data = self.payload()
            self._html = (data, "rnnfig-" + hashlib.sha256(data.encode()).hexdigest()[:12])
        data, uid = self._html
        uid += suffix
        parts = [f'<div class="rnnfig" id="{uid}"><style>{_STYLE}</style>']
        parts += [self._row(uid, k, s) for k, s in enumerate(self.sliders)]
        alt = html.escape(self.alt_text())
        parts.append(
            f'<svg id="{uid}-svg" role="img" aria-label="{alt}" '
            f'viewBox="0 0 {WIDTH} {self.height}" '
            f'xmlns="http://www.w3.org/2000/svg"><title>{alt}</title></svg>'
            f'<script type="application/json" id="{uid}-data">{_json_for_script(data)}</script>'
            f"<script>{_script()}</script><script>RNNFig.mount({json.dumps(uid)});</script></div>"
        )
        return "\n".join(parts)

    @staticmethod
    def _row(uid, k, s):
        sid, value = f"{uid}-s{k}", s.values[s.index]
        name = s.description or _symbol_html(s.symbol)
        aria = html.escape(f"{s.description} {_symbol_plain(s.symbol)}".strip())
        step = s.values[1] - s.values[0]
        return (
            f'<div class="rnnfig-row"><label for="{sid}">{name}</label>'
            f'<input type="range" id="{sid}" min="{s.readout(s.values[0])}" '
            f'max="{s.readout(s.values[-1])}" '
            f'step="{s.readout(step)}" value="{s.readout(value)}" aria-label="{aria}" '
            f'aria-valuetext="{s.readout(value)}">'
            f'<output id="{uid}-o{k}" for="{sid}">{_symbol_html(s.symbol)} = '
            f"<span>{s.readout(value)}</span></output></div>"
        )

    # --- live widgets ------------------------------------------------------------------------

    @property
    def widget(self):
        """The live view: a VBox of sliders over an Output showing the matplotlib figure.

        ``controls[name]`` is each slider widget and ``output`` the Output widget; setting
        ``controls[name].value`` redraws, as moving the slider does.
        """
        if self._widget is None:
            import ipywidgets as w

            self.output = w.Output(layout=w.Layout(min_height=f"{self.height}px"))
            self._live = _LiveFigure(self.height)
            self.controls = {s.name: self._control(w, s) for s in self.sliders}
            self._draw()
            base = _signature(chart_data(self.spec()))  # the figure at the defaults
            for s in self.sliders:
                c = self.controls[s.name]
                # Redraw while dragging only when a step takes the fast, in-place path.
                c.continuous_update = self._steady(s, base)
                c.observe(lambda _change: self._draw(), names="value")
            self._widget = w.VBox([*self.controls.values(), self.output])
        return self._widget

    def _steady(self, s, base):
        """True if one step of slider ``s`` keeps ``base``, the default figure's signature
        (its structure and axis limits)."""
        return all(
            _signature(chart_data(self.spec(**{s.name: s.values[i]}))) == base
            for i in (s.index - 1, s.index + 1)
            if 0 <= i < len(s.values)
        )

    def _control(self, w, s):
        cls = w.IntSlider if isinstance(s.values[0], int) else w.FloatSlider
        fmt = "d" if cls is w.IntSlider else f".{s.decimals}f"
        return cls(
            value=s.values[s.index],
            min=s.values[0],
            max=s.values[-1],
            step=s.values[1] - s.values[0],
            # ipywidgets' description sanitizer strips <sub>, but keeps $...$ for MathJax,
            # which JupyterLab and Notebook apply to descriptions: so hand it LaTeX.
            description=f"${s.symbol}$",
            tooltip=s.description or _symbol_plain(s.symbol),
            readout_format=fmt,
            style={"description_width": "initial"},
            layout=w.Layout(width="min(100%, 32em)"),
        )

    def _draw(self):
        """Recompute and redraw; the Output's outputs are replaced in one message (no flicker)."""
        start = time.perf_counter()
        values = {s.name: s.snap(self.controls[s.name].value) for s in self.sliders}
        try:
            png = self._live.png(self.spec(**values))
            data = {
                "image/png": base64.b64encode(png).decode(),
                "text/plain": self.alt_text(**values),
            }
            out = {"output_type": "display_data", "data": data, "metadata": {}}
        except Exception as exc:  # show the error where the figure was, and keep the widget alive
            out = {
                "output_type": "stream",
                "name": "stderr",
                "text": f"{type(exc).__name__}: {exc}\n",
            }
        self.output.outputs = (out,)
        self.redraw_seconds = time.perf_counter() - start

    def _repr_mimebundle_(self, include=None, exclude=None):
        self.to_html()  # fills the cache, whose id the display count is keyed on
        n = _DISPLAYS[self._html[1]]
        _DISPLAYS[self._html[1]] += 1  # a second display of the same figure needs other ids
        bundle = {"text/plain": self.alt_text(), "text/html": self.to_html(f"-{n}" if n else "")}
        if os.environ.get("RNN_CORE_STATIC", "") not in ("1", "true", "yes"):
            bundle["application/vnd.jupyter.widget-view+json"] = {
                "version_major": 2,
                "version_minor": 0,
                "model_id": self.widget.model_id,
            }
        return bundle


def html_snapshot(figures, path, title="rnn_core interactive figures"):
    """Write a standalone HTML page holding one or more Interactive figures.

    Parameters
    ----------
    figures : Interactive or sequence of Interactive
    path : str or Path
    title : str

    Returns
    -------
    pathlib.Path
        The path written.
    """
    from pathlib import Path

    figures = [figures] if isinstance(figures, Interactive) else list(figures)
    seen, parts = collections.Counter(), []
    for f in figures:
        f.to_html()
        n = seen[f._html[1]]
        seen[f._html[1]] += 1
        parts.append(f.to_html(f"-{n}" if n else ""))
    body = "\n".join(parts)
    page = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title>"
        f'<link rel="icon" href="data:,"></head>\n<body>\n<main>\n{body}\n</main>\n</body></html>\n'
    )
    path = Path(path)
    path.write_text(page, encoding="utf8")
    return path
