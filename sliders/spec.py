"""What a figure is, independent of how it is drawn: charts, panels, sliders.

A :class:`Chart` is one plot (title, axis labels, marks); :class:`Panels` puts up to
three side by side. :func:`chart_data` resolves a spec into the plain dicts both
renderers draw, with axis limits and colours fixed in Python so that the matplotlib
figure and the static SVG agree. A :class:`Slider` is one named parameter on a grid.
"""

import html
import math
import numbers
import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np

from ._validate import as_scalar
from .marks import _CYCLED, MARKS, Bars, Heatmap, _limits, _set, _text
from .style import PALETTE

__all__ = ["Chart", "Panels", "Slider", "chart_data"]

_GREEK_NAMES = "alpha beta gamma delta epsilon eta theta lambda mu rho sigma tau phi omega"
# Unicode spells lambda "LAMDA".
_GREEK = {
    n: unicodedata.lookup("GREEK SMALL LETTER " + n.upper().replace("LAMBDA", "LAMDA"))
    for n in _GREEK_NAMES.split()
}
_GREEK.update(Delta="\N{GREEK CAPITAL LETTER DELTA}", Sigma="\N{GREEK CAPITAL LETTER SIGMA}")

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
    xticks : (positions, labels) or None
        The x axis's ticks, e.g. ``((0, 1), ("on", "off"))`` for a categorical axis:
        finite positions and one string (which may hold ``$...$`` maths) per position,
        and no other tick. ``((), ())``: no tick at all. None: automatic ticks (a heat
        map's ``xlabels``, or numbers).

    Examples
    --------
    >>> from sliders import Line
    >>> c = Chart("decay", "t", "h_t", [Line([0, 1, 2], [1.0, 0.5, 0.25])], ylog=True)
    >>> len(c.marks)
    1
    >>> Chart("decay", "t", "h_t", [Line([0, 1], [1.0, 0.0])], ylog=True)
    Traceback (most recent call last):
    ...
    ValueError: marks[0]: a log y axis needs y > 0, got min 0.0
    >>> Chart(xticks=((0, 1), ("on", "off"))).xticks
    ((0.0, 1.0), ('on', 'off'))
    >>> Chart(xticks=((0, 1, 2), ("on", "off")))
    Traceback (most recent call last):
    ...
    ValueError: xticks: expected one label per position, got 3 positions and 2 labels
    """

    title: str = ""
    xlabel: str = ""
    ylabel: str = ""
    marks: tuple = ()
    ylog: bool = False
    xlim: tuple | None = None
    ylim: tuple | None = None
    legend: bool = True
    xticks: tuple | None = None

    def __post_init__(self):
        for name in ("title", "xlabel", "ylabel"):
            _text(name, getattr(self, name))
        marks = tuple(self.marks) if isinstance(self.marks, (list, tuple)) else None
        if marks is None:
            raise ValueError(f"marks: expected a list of marks, got {type(self.marks).__name__}")
        for i, m in enumerate(marks):
            if not isinstance(m, MARKS):
                raise ValueError(
                    f"marks[{i}]: expected one of {[k.__name__ for k in MARKS]}, got {m!r}"
                )
        if sum(isinstance(m, Heatmap) for m in marks) > 1:
            raise ValueError("marks: expected at most one Heatmap per Chart, got more")
        _set(self, marks=marks, xlim=_limits("xlim", self.xlim), ylim=_limits("ylim", self.ylim))
        _set(self, xticks=_ticks("xticks", self.xticks))
        if self.ylog:
            self._check_log()

    def _check_log(self):
        if self.ylim is not None and self.ylim[0] <= 0:
            raise ValueError(f"ylim: a log y axis needs positive limits, got {self.ylim}")
        for i, m in enumerate(self.marks):
            y = m._extent()[1] if not isinstance(m, Heatmap) else np.ones(1)
            if y.size and y.min() <= 0:
                raise ValueError(f"marks[{i}]: a log y axis needs y > 0, got min {float(y.min())}")


def _ticks(name, value):
    """None, or a pair (positions, labels) as a tuple of floats and a tuple of strings."""
    if value is None:
        return None
    try:
        at, labels = (tuple(v) for v in value)
    except (TypeError, ValueError):
        raise ValueError(
            f"{name}: expected None or a pair (positions, labels), got {value!r}"
        ) from None
    if len(at) != len(labels):
        raise ValueError(
            f"{name}: expected one label per position, "
            f"got {len(at)} positions and {len(labels)} labels"
        )
    at = tuple(as_scalar(f"{name}[0][{i}]", v) for i, v in enumerate(at))
    return at, tuple(_text(f"{name}[1][{i}]", s) for i, s in enumerate(labels))


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
        "xticks": None if chart.xticks is None else [list(v) for v in zip(*chart.xticks)],
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
    >>> from sliders import Line
    >>> d = chart_data(Chart("t", marks=[Line([0, 1], [0, 2])]))
    >>> d[0]["marks"][0]["color"], d[0]["ylim"]
    ('#0072B2', [-0.1, 2.1])
    """
    if isinstance(spec, Chart):
        return [_chart_dict(spec)]
    if isinstance(spec, Panels):
        return [_chart_dict(c) for c in spec.charts]
    raise ValueError(f"spec: expected a Chart or Panels, got {type(spec).__name__}")


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
