"""A figure driven by sliders, defined once and drawn live (ipywidgets) or statically (SVG).

An :class:`Interactive` is a few :class:`~sliders.spec.Slider` objects and a pure
function ``chart_fn(**values) -> Chart | Panels``. Every renderer draws what that
function returns:

- in a live kernel, the ipywidgets view (:mod:`sliders.widget`) redraws the
  matplotlib figure into an Output each time a slider moves;
- in the static book (no kernel, no network), every grid point is precomputed at
  build time and drawn as SVG by ``renderer.js`` (:mod:`sliders.static`);
- on paper, and wherever a script cannot run, the figure's ``frames`` (the values the
  text refers to, chosen where the figure is defined) are drawn as small multiples.

Display
-------
An ``Interactive`` displays itself as the last expression of a cell through
``_repr_mimebundle_``: ``text/plain`` (the alt text), ``text/html`` (the static
version) and, unless the environment variable ``SLIDERS_STATIC=1`` is set,
``application/vnd.jupyter.widget-view+json`` (the live widgets), which JupyterLab and
Notebook prefer. The book's Sphinx extension sets ``SLIDERS_STATIC=1`` for the kernels
myst-nb starts, so that no widget is created (myst-nb would otherwise embed widget
state that cannot run without a kernel), and loads ``renderer.js`` once per page, so
the static HTML then leaves it out.

With ``SLIDERS_PRINT=1`` (set by the book's PDF build) the bundle also holds
``application/pdf``: the small multiples, which the LaTeX builder prefers.

Axis limits and colours are resolved in Python (:func:`~sliders.spec.chart_data`), so
all renderers agree. Numbers embedded in HTML are rounded to 4 significant digits.
"""

import hashlib
import math
import os
import string

from . import mathtext, static
from ._validate import as_int
from .marks import _text
from .mpl import draw, draw_frames, print_build, to_pdf
from .spec import Chart, Panels, Slider

__all__ = ["MAX_FRAMES", "Interactive"]

MAX_FRAMES = 1000  # grid points per figure


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


def _static_build():
    return os.environ.get("SLIDERS_STATIC", "") in ("1", "true", "yes")


class Interactive:
    """A figure driven by sliders, defined once for the live kernel, the page and paper.

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
        current slider readouts, e.g. ``"Decay of $h_t$ for $w_H$ = {w_h}"``; ``$...$``
        is :mod:`sliders.mathtext`, read out as :func:`sliders.mathtext.plain` writes it.
    height : int
        Height in px (the width is 720 px and the static SVG scales to the page).
    frames : sequence of dict, optional
        The settings the text refers to, each a dict of slider values (missing sliders
        take their defaults), in the order they are discussed: what a printed page, the
        PDF, and a browser without JavaScript show. Default: the default setting alone.

    Notes
    -----
    Display it as the last expression of a cell (``_repr_mimebundle_``), or call
    ``IPython.display.display(fig)``. See the module docstring for its lives.

    Examples
    --------
    >>> from sliders import Chart, Line, Slider
    >>> fig = Interactive(
    ...     [Slider("w_h", "w_H", 0.0, 1.0, 0.5, 0.5)],
    ...     lambda w_h: Chart("decay", "t", "h", [Line([0, 1, 2], [1, w_h, w_h**2])]),
    ...     alt="$h_t = w_H^t$ for $w_H$ = {w_h}",
    ...     frames=[{"w_h": 0.0}, {"w_h": 1.0}],
    ... )
    >>> fig.alt_text(w_h=1.0), [fig.frame_label(f) for f in fig.frames]
    ('hₜ = w sub H ᵗ for w sub H = 1.0', ['$w_H$ = 0.0', '$w_H$ = 1.0'])
    >>> fig.to_html().count('type="range"')
    1
    """

    def __init__(self, sliders, chart_fn, alt, height=360, frames=None):
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
        self.frames = self._check_frames(frames)
        self._data = None  # the payload, computed once: chart_fn is pure
        self._still = None  # the frames as a PNG, for pages without JavaScript
        self._view = None

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

    def _check_frames(self, frames):
        """Each frame as a full dict of grid values; every value must lie on its grid."""
        if frames is None:
            return (self.defaults(),)
        if not isinstance(frames, (list, tuple)) or not 1 <= len(frames) <= 6:
            raise ValueError(f"frames: expected 1 to 6 dicts of slider values, got {frames!r}")
        by_name, checked = {s.name: s for s in self.sliders}, []
        for i, frame in enumerate(frames):
            if not isinstance(frame, dict) or not set(frame) <= set(by_name):
                raise ValueError(
                    f"frames[{i}]: expected a dict with keys among {sorted(by_name)}, got {frame!r}"
                )
            for name, value in frame.items():
                if by_name[name].snap(value) != value:
                    raise ValueError(
                        f"frames[{i}][{name!r}]: expected a value on the slider's grid, "
                        f"got {value!r}"
                    )
            checked.append({**self.defaults(), **frame})
        return tuple(checked)

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
        """The matplotlib figure at the given values (see :func:`sliders.mpl.to_matplotlib`)."""
        return draw(self.spec(**values), self.height)[0]

    def alt_text(self, **values):
        """``alt`` with its placeholders filled with the slider readouts, as plain text."""
        values = {**self.defaults(), **values}
        text = self.alt.format(**{s.name: s.readout(values[s.name]) for s in self.sliders})
        return mathtext.plain(text)

    def frame_label(self, values):
        """The slider settings of a frame as mathtext, e.g. ``'$w_H$ = 0.90, $T$ = 40'``."""
        return ", ".join(f"${s.symbol}$ = {s.readout(values[s.name])}" for s in self.sliders)

    def small_multiples(self):
        """The ``frames`` as small multiples (a matplotlib figure), each row under its
        settings: the figure as printed, and as a page without JavaScript shows it."""
        specs = [self.spec(**values) for values in self.frames]
        return draw_frames(specs, [self.frame_label(v) for v in self.frames], self.height)

    # --- the static page -----------------------------------------------------------------

    def payload(self):
        """The precomputed data of every grid point, as compact JSON (see ``static.payload``)."""
        if self._data is None:
            self._data = static.payload(self)
        return self._data

    def to_html(self, renderer=True):
        """The static figure: labelled range inputs, an SVG and the data of every frame, and
        the ``frames`` as an image for a page without JavaScript; with ``renderer``, also the
        inline script that draws it (leave it out when the page loads ``renderer.js`` once
        itself)."""
        if self._still is None:
            self._still = static.still_png(self)
        return static.figure_html(self, self.payload(), renderer, self._still)

    def uid(self):
        """A short hash of the figure's data: the same definition gives the same id."""
        return hashlib.sha256(self.payload().encode()).hexdigest()[:12]

    # --- live widgets ----------------------------------------------------------------------

    @property
    def view(self):
        """The live :class:`sliders.widget.View`, made on first use."""
        if self._view is None:
            from .widget import View

            self._view = View(self)
        return self._view

    @property
    def widget(self):
        """The live view's VBox: sliders over an Output showing the matplotlib figure."""
        return self.view.box

    @property
    def controls(self):
        """The slider widgets by name; setting ``controls[name].value`` redraws."""
        return self.view.controls

    @property
    def output(self):
        return self.view.output

    @property
    def redraw_seconds(self):
        return self.view.redraw_seconds

    def _repr_mimebundle_(self, include=None, exclude=None):
        static_build = _static_build()
        bundle = {"text/plain": self.alt_text(), "text/html": self.to_html(not static_build)}
        if not static_build:
            bundle["application/vnd.jupyter.widget-view+json"] = {
                "version_major": 2,
                "version_minor": 0,
                "model_id": self.widget.model_id,
            }
        if print_build():  # the PDF: the frames the text refers to, as vector graphics
            bundle["application/pdf"] = to_pdf(self.small_multiples())
        return bundle
