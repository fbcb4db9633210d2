"""The matplotlib renderer: a chart spec drawn as a matplotlib figure, and as a PNG.

matplotlib is imported inside the functions, so importing :mod:`sliders` costs nothing
until a figure is drawn.

For print (the environment variable ``SLIDERS_PRINT=1``, which the book's PDF build sets
for its kernels) every figure also carries a vector PDF, ``application/pdf``, which
myst-nb's LaTeX builder prefers over the PNG; the HTML and notebooks keep the PNG alone.
"""

import io
import os
import unicodedata
from typing import NamedTuple

import numpy as np

from ._validate import as_int
from .i18n import matplotlib_fonts
from .spec import chart_data
from .style import CMAPS, WIDTH

__all__ = [
    "FigurePNG",
    "draw",
    "draw_frames",
    "print_build",
    "to_figure",
    "to_matplotlib",
    "to_pdf",
    "to_png",
]


def print_build():
    """True when figures are made for print: ``SLIDERS_PRINT`` is ``1`` (the PDF build)."""
    return os.environ.get("SLIDERS_PRINT", "") in ("1", "true", "yes")


PRINT_DPI = 300  # the resolution of a PDF's few raster parts (a heatmap's cells, a colour bar)


def to_pdf(fig):
    """PDF bytes of a matplotlib figure: vector, its fonts embedded as TrueType (type 42,
    which every PDF tool reads as text), no creation date (same figure, same bytes); what
    must be a raster image (a heatmap) at ``PRINT_DPI``.

    Examples
    --------
    >>> from sliders import Chart, Line
    >>> to_pdf(to_matplotlib(Chart("t", marks=[Line([0, 1], [0, 1])])))[:5]
    b'%PDF-'
    """
    import matplotlib

    buf = io.BytesIO()
    with matplotlib.rc_context({"pdf.fonttype": 42}):
        fig.savefig(buf, format="pdf", dpi=PRINT_DPI, metadata={"CreationDate": None})
    return buf.getvalue()


def _mpl_cmap(name, missing):
    """The colour map ``name``, NaN (a cell with no value) drawn in ``missing``."""
    from matplotlib.colors import LinearSegmentedColormap

    return LinearSegmentedColormap.from_list(name, CMAPS[name]).with_extremes(bad=missing)


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
        cmap=_mpl_cmap(m["cmap"], m["color"]),
        vmin=m["vmin"],
        vmax=m["vmax"],
        aspect="auto",
        interpolation="nearest",
        zorder=zorder,
    )
    bar = ax.figure.colorbar(img, ax=ax, fraction=0.08, pad=0.03)
    if m["bar_upright"]:  # a rotated "h" reads as an upside-down one
        bar.set_label(m["bar_label"], rotation=0, ha="left", va="center")
    else:
        bar.set_label(m["bar_label"] or "")
    _mpl_ticklabels(ax, m)
    return img


def _handle(artist, m):
    """The legend's handle for a mark: a heat map's is a swatch of its missing cells' grey."""
    from matplotlib.patches import Patch

    return Patch(color=m["color"], label=m["label"]) if m["t"] == "heatmap" else artist


def _mpl_ticklabels(ax, m):
    """Cells sit at whole-number positions: tick them by name, or by whole numbers."""
    from matplotlib.ticker import MaxNLocator

    for axis, labels in ((ax.xaxis, m["xlabels"]), (ax.yaxis, m["ylabels"])):
        if labels:
            axis.set_ticks(range(len(labels)), labels)
        else:
            axis.set_major_locator(MaxNLocator(integer=True))


def _fixed_ticks(axis, ticks):
    """Ticks at the given positions with the given labels, and no minor ticks; names of
    categories (labels of 4 or more characters) at 9 pt, as a legend's, so they fit."""
    from matplotlib.ticker import NullLocator

    axis.set_ticks([at for at, _ in ticks], [label for _, label in ticks])
    axis.set_minor_locator(NullLocator())
    if any(_chars(label) > 3 for _, label in ticks):
        axis.set_tick_params(labelsize=9)


def _few_log_ticks(lo, hi):
    """Ticks of a log axis that spans less than a decade, as renderer.js places them: 1, 2
    and 5 times powers of ten, or finer steps where that gives fewer than 3; [] where
    even whole steps give fewer than 2 (then the axis is ticked linearly).

    >>> _few_log_ticks(2.6, 25.5), _few_log_ticks(6.0, 25.0), _few_log_ticks(1.1, 1.9)
    ([5.0, 10.0, 20.0], [6.0, 7.0, 8.0, 9.0, 10.0, 20.0], [])
    """
    decades = range(int(np.floor(np.log10(lo))), int(np.ceil(np.log10(hi))) + 1)
    for subs in ((1, 2, 5), (1, 2, 3, 5), range(1, 10)):
        ticks = [float(f"{s * 10.0**e:.12g}") for e in decades for s in subs]
        ticks = [v for v in ticks if lo * (1 - 1e-9) <= v <= hi * (1 + 1e-9)]
        if len(ticks) >= 3:
            break
    return ticks if len(ticks) >= 2 else []


def _log_axis(axis, lim):
    """A log axis ticked as renderer.js ticks it: decades labelled 10^k, or, when the
    range holds less than one decade, plain numbers such as 5, 10, 20 (never "2x10^1")."""
    from matplotlib.ticker import FixedLocator, MaxNLocator, NullFormatter, StrMethodFormatter

    axis.axes.set_yscale("log")
    axis.set_minor_formatter(NullFormatter())
    lo, hi = sorted(lim)
    if np.floor(np.log10(hi) + 1e-9) - np.ceil(np.log10(lo) - 1e-9) < 1:
        ticks = _few_log_ticks(lo, hi)
        axis.set_major_locator(FixedLocator(ticks) if ticks else MaxNLocator(4))
        axis.set_major_formatter(StrMethodFormatter("{x:g}"))


def _chars(text):
    """How many Latin characters wide ``text`` is, about: a wide (CJK) character counts two.

    >>> _chars("lag"), _chars("시차")
    (3, 4)
    """
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _mpl_chart(ax, c):
    """Draw one resolved chart dict on ``ax``; return its marks' artists, in mark order."""
    # zorder in list order, so marks stack as in the SVG
    artists = [_mpl_mark(ax, m, 2 + i / 100) for i, m in enumerate(c["marks"])]
    handles = [_handle(h, m) for h, m in zip(artists, c["marks"]) if m.get("label")]
    heat = any(m["t"] == "heatmap" for m in c["marks"])
    if c["ylog"]:
        _log_axis(ax.yaxis, c["ylim"])
    if c["xticks"] is not None:  # these ticks and no others (a categorical axis)
        _fixed_ticks(ax.xaxis, c["xticks"])
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
    root = ax.get_figure(root=True)  # a Figure, also when ax sits in a SubFigure
    width_px = ax.get_position().width * root.get_figwidth() * root.dpi
    longest = max((_chars(m["label"]) for m in c["marks"] if m.get("label")), default=0)
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
    return artists


def draw(spec, height=360):
    """The matplotlib figure of ``spec`` and, per chart, its marks' artists in mark order.

    The artists let a caller move marks in place (see :mod:`sliders.live`) without
    storing anything on matplotlib's own objects.
    """
    from matplotlib.figure import Figure

    matplotlib_fonts()  # the reader's language may need another font (sliders.i18n)
    charts = chart_data(spec)
    height = as_int("height", height, 150, 1200)
    fig = Figure(figsize=(WIDTH / 100, height / 100), dpi=100, layout="constrained")
    return fig, _draw_charts(fig, charts)


def _draw_charts(container, charts):
    """One row of axes in a Figure or SubFigure, one chart each; their artists."""
    axes = container.subplots(1, len(charts), squeeze=False)[0]
    return [_mpl_chart(ax, c) for ax, c in zip(axes, charts)]


def draw_frames(specs, labels, height=360):
    """Small multiples: one row per spec, each under its label, in one matplotlib figure.

    Parameters
    ----------
    specs : sequence of Chart or Panels
    labels : sequence of str
        One per spec, e.g. the slider settings it shows.
    height : int
        Height in pixels of each row.

    Examples
    --------
    >>> from sliders import Chart, Line
    >>> fig = draw_frames([Chart("a", marks=[Line([0, 1], [0, 1])])] * 2, ["x = 0", "x = 1"])
    >>> len(fig.axes), [f._suptitle.get_text() for f in fig.subfigs]
    (2, ['x = 0', 'x = 1'])
    """
    from matplotlib.figure import Figure

    matplotlib_fonts()
    height = as_int("height", height, 150, 1200)
    fig = Figure(figsize=(WIDTH / 100, len(specs) * height / 100), dpi=100, layout="constrained")
    rows = fig.subfigures(len(specs), 1, squeeze=False)[:, 0]
    for row, spec, label in zip(rows, specs, labels):
        _draw_charts(row, chart_data(spec))
        row.suptitle(label, fontsize=11)
    return fig


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
    >>> from sliders import Bars, Chart, Line
    >>> fig = to_matplotlib(Chart("t", marks=[Line([0, 1], [0, 1]), Bars([0, 1], [1, 2])]))
    >>> len(fig.axes[0].lines), len(fig.axes[0].patches)
    (1, 2)
    """
    return draw(spec, height)[0]


HIDPI = 200  # dots per inch of the book's PNGs: twice their size in CSS px (100 per inch)


class FigurePNG(NamedTuple):
    """A rendered figure that Jupyter displays as a PNG image, ``width`` x ``height`` CSS
    px when given (the PNG may hold more pixels, for HiDPI screens), and as a PDF if it
    has one."""

    png: bytes
    width: int | None = None
    height: int | None = None
    pdf: bytes | None = None  # for print, see print_build()

    def _repr_png_(self):
        if self.width is None:
            return self.png
        return self.png, {"width": self.width, "height": self.height}

    def _repr_pdf_(self):
        return self.pdf  # None: no application/pdf in the output


def to_png(fig, dpi=100, colors=None):
    """PNG bytes of a matplotlib figure, with no date or software chunk (same figure, same
    bytes); with ``colors``, reduced to a palette of that many colours (a chart has few:
    a third of the bytes), without dithering."""
    matplotlib_fonts()  # a figure built elsewhere (rnnbook.figures.diagrams) is laid out here
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    if colors is None:
        return buf.getvalue()
    from PIL import Image

    image = Image.open(io.BytesIO(buf.getvalue())).convert("RGB")
    image = image.quantize(colors, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    image.save(out, format="png", optimize=True)
    return out.getvalue()


def to_figure(spec, height=320):
    """Render a Chart or Panels (or a ready matplotlib Figure) as a PNG Jupyter displays,
    and also as a PDF when :func:`print_build`.

    Parameters
    ----------
    spec : Chart, Panels or matplotlib.figure.Figure
    height : int
        Height in pixels of a Chart or Panels (the width is 720).

    Returns
    -------
    FigurePNG
        At ``HIDPI`` dots per inch, shown at 100 CSS px per inch: sharp on HiDPI screens,
        the same size on the page.

    Examples
    --------
    >>> from sliders import Chart, Line
    >>> fig = to_figure(Chart("t", marks=[Line([0, 1], [0, 1])]))
    >>> fig.png[:4], fig.width, fig.height
    (b'\\x89PNG', 720, 320)
    """
    from matplotlib.figure import Figure

    fig = spec if isinstance(spec, Figure) else to_matplotlib(spec, height)
    w, h = (round(v * 100) for v in fig.get_size_inches())
    png = to_png(fig, dpi=HIDPI, colors=256)  # first: a PDF drawn before changes its bytes
    return FigurePNG(png, w, h, to_pdf(fig) if print_build() else None)
