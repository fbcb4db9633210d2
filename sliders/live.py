"""The live figure: a matplotlib figure kept between slider steps and redrawn in place.

Used by the ipywidgets view (:mod:`sliders.widget`): each slider step hands
:meth:`LiveFigure.png` a new spec and gets PNG bytes back.
"""

import io

import numpy as np

from .mpl import draw
from .spec import chart_data

__all__ = ["LiveFigure"]


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
        ticks = str(c["xticks"])
        sig.append((c["ylog"], c["legend"], tuple(c["xlim"]), tuple(c["ylim"]), ticks, marks))
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
    elif t == "bars":  # a PolyCollection in the live figure (see LiveFigure._bars)
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


class LiveFigure:
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
        self.artists = []  # per chart, its marks' artists in mark order (from mpl.draw)
        self.changing, self.drawn = [], {}  # texts drawn each time; the others' strings

    def _texts(self):
        for ax in self.fig.axes[: len(self.sig)]:  # colour bars come after the charts' axes
            yield from (ax.title, ax.xaxis.label, ax.yaxis.label)

    def _marks(self):
        for artists in self.artists:
            yield from artists

    def _bars(self, charts):
        """Swap every bars mark's BarContainer for one PolyCollection of the same look."""
        from matplotlib.collections import PolyCollection

        for ax, artists, c in zip(self.fig.axes, self.artists, charts):
            for k, (artist, m) in enumerate(zip(artists, c["marks"])):
                if m["t"] == "bars" and artist.patches:
                    p = artist.patches[0]
                    artists[k] = ax.add_collection(
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

        self.fig, self.artists = draw(spec, self.height)
        self.sig, self.changing = sig, []
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
        for ax, artists, c in zip(self.fig.axes, self.artists, charts):
            for artist, m in zip(artists, c["marks"]):
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
