"""The live view: ipywidgets sliders over an Output that shows the figure as a PNG.

Each slider step recomputes the spec with the figure's ``chart_fn`` and redraws it
with :class:`sliders.live.LiveFigure`, in place when the chart's structure and axis
limits stay the same, so that dragging stays smooth. ipywidgets is imported here
only, when a view is first asked for.
"""

import base64
import time

from .live import LiveFigure, _signature
from .spec import _symbol_plain, chart_data

__all__ = ["View"]


class View:
    """The widgets of one figure: ``controls[name]`` per slider, ``output``, and ``box``.

    Setting ``controls[name].value`` redraws, as moving the slider does;
    ``redraw_seconds`` is the time the last redraw took.
    """

    def __init__(self, fig):
        import ipywidgets as w

        self.fig, self.redraw_seconds = fig, None
        self.output = w.Output(layout=w.Layout(min_height=f"{fig.height}px"))
        self.live = LiveFigure(fig.height)
        self.controls = {s.name: _control(w, s) for s in fig.sliders}
        self.draw()
        base = _signature(chart_data(fig.spec()))  # the figure at the defaults
        for s in fig.sliders:
            c = self.controls[s.name]
            # Redraw while dragging only when a step takes the fast, in-place path.
            c.continuous_update = self._steady(s, base)
            c.observe(lambda _change: self.draw(), names="value")
        self.box = w.VBox([*self.controls.values(), self.output])

    def _steady(self, s, base):
        """True if one step of slider ``s`` keeps ``base``, the default figure's signature
        (its structure and axis limits)."""
        return all(
            _signature(chart_data(self.fig.spec(**{s.name: s.values[i]}))) == base
            for i in (s.index - 1, s.index + 1)
            if 0 <= i < len(s.values)
        )

    def draw(self):
        """Recompute and redraw; the Output's outputs are replaced in one message (no flicker)."""
        start = time.perf_counter()
        values = {s.name: s.snap(self.controls[s.name].value) for s in self.fig.sliders}
        try:
            png = self.live.png(self.fig.spec(**values))
            data = {
                "image/png": base64.b64encode(png).decode(),
                "text/plain": self.fig.alt_text(**values),
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


def _control(w, s):
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
