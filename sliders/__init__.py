"""sliders: figures defined once as data and drawn live, statically, or on paper.

A figure is a declarative spec (:class:`Chart` or :class:`Panels` holding marks such
as :class:`Line` or :class:`Heatmap`) or an :class:`Interactive`: sliders and a pure
function from slider values to a spec. The package knows nothing about what the
figures show. Its parts, one concern each:

- ``style``: the palette and colour maps every renderer uses;
- ``marks`` and ``spec``: the specification (marks, charts, panels, sliders) and
  :func:`chart_data`, which resolves limits and colours for every renderer;
- ``mpl``: the matplotlib renderer (:func:`to_matplotlib`, :func:`to_figure` for a
  PNG, :func:`draw_frames` for small multiples);
- ``live``: the matplotlib figure redrawn in place for the live view;
- ``static`` and ``renderer.js``: the kernel-free HTML and its SVG renderer;
- ``widget``: the ipywidgets view;
- ``i18n``: the words a figure shows in the reader's language (``RNNBOOK_LANG``), and the
  font matplotlib needs for it;
- ``figure``: :class:`Interactive`, which ties them together.

matplotlib, ipywidgets and Pillow are imported only when something is drawn.
"""

from .figure import MAX_FRAMES, Interactive
from .marks import Band, Bars, Heatmap, HLine, Line, Points, Text, VLine
from .mpl import FigurePNG, draw_frames, to_figure, to_matplotlib, to_png
from .spec import Chart, Panels, Slider, chart_data
from .static import html_snapshot
from .style import CMAPS, NEUTRAL, PALETTE, WIDTH

__all__ = [
    "CMAPS",
    "MAX_FRAMES",
    "NEUTRAL",
    "PALETTE",
    "WIDTH",
    "Band",
    "Bars",
    "Chart",
    "FigurePNG",
    "HLine",
    "Heatmap",
    "Interactive",
    "Line",
    "Panels",
    "Points",
    "Slider",
    "Text",
    "VLine",
    "chart_data",
    "draw_frames",
    "html_snapshot",
    "to_figure",
    "to_matplotlib",
    "to_png",
]
