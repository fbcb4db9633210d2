"""The marks a chart is made of: lines, points, bars, bands, reference lines, text, heat maps.

Each mark is a frozen dataclass that validates its data when it is made (every error
names the argument) and turns itself into the plain dict both renderers draw
(``_dict``); ``_extent`` gives the data range the automatic axis limits must cover.
"""

import numbers
import re
from dataclasses import dataclass

import numpy as np

from ._validate import as_data, as_scalar
from .mathtext import runs
from .style import CMAPS, MISSING, NEUTRAL, PALETTE

__all__ = ["MARKS", "Band", "Bars", "HLine", "Heatmap", "Line", "Points", "Text", "VLine"]

_HEX = re.compile(r"#[0-9a-fA-F]{6}")

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
        _set(self, x=as_data("x", self.x, sizes, ("n",)), y=as_data("y", self.y, sizes, ("n",)))
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
        x, y = as_data("x", self.x, sizes, ("n",)), as_data("y", self.y, sizes, ("n",))
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
        arrays = {k: as_data(k, getattr(self, k), sizes, ("n",)) for k in ("x", "lo", "hi")}
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
        Colour bar label; one of up to 3 characters (``"$h_t$"``) is written upright.
    missing : array_like of bool, shape (rows, cols), or None
        Cells that have no value (not yet computed, say): drawn grey (``MISSING``), not in
        the colour map, so that no value reads as 0. Their ``z`` is ignored.
    missing_label : str or None
        Legend entry for the grey cells, e.g. "not yet read".

    Examples
    --------
    >>> Heatmap([[-1.0, 2.0]], cmap="RdBu").vmin
    -2.0
    >>> Heatmap([[-1.0, 9.0]], cmap="RdBu", missing=[[False, True]]).vmax  # 9 is no value
    1.0
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
    missing: np.ndarray | None = None
    missing_label: str | None = None

    def __post_init__(self):
        z = as_data("z", self.z, {}, ("rows", "cols"))
        if self.cmap not in CMAPS:
            raise ValueError(f"cmap: expected one of {sorted(CMAPS)}, got {self.cmap!r}")
        _set(self, label=_label("label", self.label), missing=self._mask(z.shape))
        _set(self, missing_label=_label("missing_label", self.missing_label))
        _set(self, z=z if self.missing is None else np.where(self.missing, np.nan, z))
        _set(self, xlabels=self._labels("xlabels", self.xlabels, z.shape[1], "column"))
        _set(self, ylabels=self._labels("ylabels", self.ylabels, z.shape[0], "row"))
        _set(self, **dict(zip(("vmin", "vmax"), self._range(self.z))))

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

    def _mask(self, shape):
        if self.missing is None:
            return None
        mask = np.asarray(self.missing)
        if mask.dtype != bool or mask.shape != shape:
            raise ValueError(
                f"missing: expected None or a bool array of shape {shape} (that of z), "
                f"got {mask.dtype} of shape {mask.shape}"
            )
        return mask

    def _range(self, z):
        z = z[np.isfinite(z)]  # the cells that have a value
        z = z if z.size else np.zeros(1)
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
            "label": self.missing_label,  # the legend's entry: the grey of missing cells
            "color": MISSING,
            "bar_label": self.label,
            "bar_upright": _short(self.label),
            "xlabels": self.xlabels,
            "ylabels": self.ylabels,
        }


def _short(label):
    r"""True for a label of up to 3 characters (scripts count 3/4), written upright.

    >>> _short("$h_t$"), _short("$\\log_{10} L$"), _short(None)
    (True, False, False)
    """
    try:
        return (
            label is not None
            and sum(len(t) * (0.75 if shift else 1) for t, shift, _ in runs(label)) <= 3
        )
    except ValueError:  # beyond the SVG's subset of mathtext: a long label
        return False


MARKS = (Line, Points, Bars, Band, HLine, VLine, Text, Heatmap)
_CYCLED = (Line, Points, Bars, Band)  # marks that take the next palette colour by default
