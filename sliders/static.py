"""The static figure: every grid point precomputed, embedded as JSON, drawn as SVG in the page.

No kernel and no network: the page holds labelled range inputs, an ``<svg>``, the
data of every frame (a hash-consed pool, so that arrays shared between frames are
stored once) and ``renderer.js``, a small dependency-free script that draws a frame
whenever an input moves. The markup carries no element ids (the renderer finds its
parts inside each ``.rnnfig``), so the same figure shown twice on one page needs no
bookkeeping. ``renderer.js`` itself is either inlined after the figure (standalone
HTML, a notebook output) or loaded once per page by the book's Sphinx extension.
"""

import base64
import gzip
import html
import itertools
import json
import math
import re
from importlib import resources

import numpy as np

from . import mathtext
from .i18n import tr
from .spec import chart_data
from .style import CMAPS, WIDTH

__all__ = [
    "MAX_BYTES",
    "STILL_DPI",
    "STYLE",
    "compress_payloads",
    "figure_html",
    "html_snapshot",
    "payload",
    "payload_json",
    "renderer_js",
    "still_png",
]

DIGITS = 4  # significant digits of embedded numbers
STILL_DPI = 100  # the image of the frames shown without JavaScript (1x: it travels inline)
TEXT_KEYS = ("title", "xlabel", "ylabel", "label", "text", "bar_label")  # may hold $...$
FRAME_KEYS = ("title", "xlim", "ylim")  # a chart's, kept apart from its shared style
MAX_BYTES = 400_000  # embedded JSON per figure; a page holds 2-3 figures under 3 MB


def _num(v):
    """A JSON number with DIGITS significant digits, in its shortest spelling.

    ``"-0"`` becomes ``"0"``, and exponents lose their ``+`` and leading zeros
    (``7.658e-05`` is written ``7.658e-5``): log-axis data is mostly exponents, and
    the two bytes per number add up to tens of kilobytes on a slider page. NaN, a heat
    map's cell with no value, is ``null``.

    >>> [_num(v) for v in (-0.0, 7.6581e-5, 2.4512e10, 1e100, 0.25, float("nan"))]
    ['0', '7.658e-5', '2.451e10', '1e100', '0.25', 'null']
    """
    if math.isnan(v):
        return "null"
    s = format(float(v), f".{DIGITS}g")
    if "e" in s:
        mantissa, exponent = s.split("e")
        s = f"{mantissa}e{int(exponent)}"
    return "0" if s == "-0" else s


class _Pool:
    """Hash-consing store: identical arrays and objects across frames are kept once.

    Each item is a JSON text. In an object, key ``"@k"`` holds the index of one item,
    ``"@@k"`` the index of a list of indices, and ``"@_"`` the index of an object whose
    fields are merged in; renderer.js's ``decode`` undoes this. A chart's title and axis
    limits, which may change from frame to frame, sit in an object of their own that
    merges in the rest of the style: a style holding everything would be a new object
    in every frame whose title changes, and repeat the axis labels each time.
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
        big = float(np.nanmax(np.abs(a), initial=0.0))  # NaN: no value (null)
        d = DIGITS - 1 - math.floor(math.log10(big)) if big > 0 else 0
        return self.add("[" + ",".join(_num(round(float(v), d)) for v in a) + "]")

    def _text(self, obj):
        return self.add(json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False))

    def refs(self, indices):
        return self.add(json.dumps(indices, separators=(",", ":")))

    def obj(self, d, log=False):
        """Pool a dict: arrays and mark lists by reference, the other fields as one shared
        style object under ``"@_"`` (titles, colours, limits repeat across frames)."""
        out, style, varying = {}, {}, {}
        for k, v in d.items():
            if isinstance(v, np.ndarray) and v.ndim == 2:
                out["@@" + k] = self.refs([self.array(row) for row in v])
            elif isinstance(v, np.ndarray):
                out["@" + k] = self.array(v, log and k in ("y", "lo", "hi"))
            elif k == "marks":
                out["@@" + k] = self.refs([self.obj(m, d["ylog"]) for m in v])
            elif k == "color" and isinstance(v, list):  # one per bar: indices into a table
                table = sorted(set(v))
                style["cpal"] = table
                out["@cidx"] = self.add(json.dumps([table.index(c) for c in v]))
            elif v is not None and v is not False:  # JS reads a missing key as false
                if k in TEXT_KEYS:
                    mathtext.runs(v)  # a label renderer.js could not draw fails here
                for _, label in v if k == "xticks" else ():
                    mathtext.runs(label)
                (varying if "marks" in d and k in FRAME_KEYS else style)[k] = _plain(v)
        if style:
            varying["@_"] = self._text(style)
        if varying:
            out["@_"] = self._text(varying) if len(varying) > 1 else varying["@_"]
        return self.add(json.dumps(out, sort_keys=True, separators=(",", ":")))


def _plain(v):
    """A JSON-ready scalar or list, floats rounded to DIGITS significant digits."""
    if isinstance(v, float):
        return float(_num(v))
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    return v


STYLE = """\
.rnnfig{margin:0.5em 0 1em;font-family:sans-serif;max-width:720px;color:inherit}
.rnnfig-controls{display:flex;flex-direction:column;gap:0}
.rnnfig-row{display:flex;flex-wrap:wrap;align-items:center;gap:0 0.75em}
.rnnfig-row label{display:flex;flex-wrap:wrap;align-items:center;gap:0 0.75em;flex:1 1 20em;
min-width:0}
.rnnfig-name{flex:0 0 auto;min-width:8em}
.rnnfig-track{position:relative;display:block;flex:1 1 12em;min-width:10em;max-width:24em}
.rnnfig-track input{display:block;width:100%;height:44px;margin:0;cursor:pointer}
.rnnfig-track::after{content:"";position:absolute;bottom:5px;width:2px;height:9px;
background:currentColor;opacity:0.7;pointer-events:none;
left:calc(8px + var(--rnnfig-at) * (100% - 16px) - 1px)}
.rnnfig-row output{flex:0 0 auto;min-width:6.5em;white-space:nowrap;
font-variant-numeric:tabular-nums}
.rnnfig-reset{align-self:flex-start;min-height:44px;min-width:44px;padding:0 1em;
margin:0.1em 0 0.3em;font:inherit;color:inherit;background:transparent;
border:1px solid currentColor;border-radius:4px;cursor:pointer}
.rnnfig-reset:focus-visible,.rnnfig-track input:focus-visible{outline:3px solid #0a7d91;
outline-offset:2px}
.rnnfig svg{display:block;max-width:100%;height:auto}
.rnnfig-still{display:block;max-width:100%;height:auto}
.rnnfig-print{display:none}
.rnnfig-frame{margin:0 0 0.5em;break-inside:avoid}
.rnnfig-frame figcaption{font-size:0.9em;text-align:center}
@media print{.rnnfig-controls,.rnnfig-live{display:none!important}
.rnnfig-print{display:block}.rnnfig{max-width:none;color:#222}}
"""


def renderer_js():
    """The renderer, with the colour maps filled in and comments and indentation dropped."""
    js = resources.files("sliders").joinpath("renderer.js").read_text(encoding="utf8")
    cmaps = json.dumps({k: list(v) for k, v in CMAPS.items()}, separators=(",", ":"))
    symbols = json.dumps(mathtext.SYMBOLS, separators=(",", ":"), ensure_ascii=False)
    functions = json.dumps(sorted(mathtext.FUNCTIONS), separators=(",", ":"))
    js = js.replace("__CMAPS__", cmaps).replace("__SYMBOLS__", symbols)
    js = js.replace("__FUNCTIONS__", functions)
    # Drop whole-line comments and indentation: a few KB less per page, still readable JS.
    lines = (ln.strip() for ln in js.splitlines())
    return "\n".join(ln for ln in lines if ln and not ln.startswith("//"))


def _json_for_script(text):
    # Inside <script>, "</script>" or "<!--" in a title would end or confuse the element.
    return text.replace("<", "\\u003c")


def payload(fig):
    """The precomputed data of every grid point of ``fig``, as compact JSON text.

    Raises
    ------
    ValueError
        If the JSON exceeds ``MAX_BYTES``, naming its size and the grid's.
    """
    pool, frames = _Pool(), []
    names = [s.name for s in fig.sliders]
    for combo in itertools.product(*(s.values for s in fig.sliders)):
        charts = chart_data(fig.spec(**dict(zip(names, combo))))
        frames.append(pool.refs([pool.obj(c) for c in charts]))
    head = {
        "alt": mathtext.plain(fig.alt),
        "frames": frames,
        "height": fig.height,
        "pool": None,
        "print": [_print_json(fig, v, frames) for v in fig.frames],
        "sliders": [_slider_json(s) for s in fig.sliders],
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


_DATA = re.compile(r'<script type="application/json" class="rnnfig-data">([^<]*)</script>')
ENCODING = "gzip+base64"  # the data-encoding of a compressed payload, as renderer.js reads it


def compress_payloads(body):
    """``body`` (HTML) with each figure's JSON payload stored gzip-compressed, in base64.

    The frames are mostly digits and repeated keys: gzip (level 9, no timestamp, so
    two builds give the same bytes) keeps about a quarter of them, and base64 adds a
    third back, so a slider page carries a third of the payload's bytes whether or
    not its server compresses. ``renderer.js`` inflates it with the browser's own
    ``DecompressionStream``; a browser without one shows the figure's still image.

    >>> fig = '<script type="application/json" class="rnnfig-data">{"a":[1,2]}</script>'
    >>> small = compress_payloads(fig)
    >>> 'data-encoding="gzip+base64"' in small, payload_json(small) == ['{"a":[1,2]}']
    (True, True)
    """

    def pack(match):
        packed = base64.b64encode(gzip.compress(match.group(1).encode("utf8"), 9, mtime=0))
        return (
            f'<script type="application/octet-stream" class="rnnfig-data" '
            f'data-encoding="{ENCODING}">{packed.decode("ascii")}</script>'
        )

    return _DATA.sub(pack, body)


def payload_json(body):
    """The JSON texts of the payloads in ``body`` (HTML), compressed or not, in order."""
    found = re.findall(r'<script type="[^"]*" class="rnnfig-data"([^>]*)>([^<]*)</script>', body)
    return [
        gzip.decompress(base64.b64decode(text)).decode("utf8") if ENCODING in attrs else text
        for attrs, text in found
    ]


def _grid_index(fig, values):
    """The position of a setting in the grid's row-major order (the payload's frames)."""
    index = 0
    for s in fig.sliders:
        index = index * len(s.values) + s.values.index(values[s.name])
    return index


def _print_json(fig, values, frames):
    """A frame the text refers to: its index among the grid points, and its label."""
    return {"frame": _grid_index(fig, values), "label": mathtext.runs(fig.frame_label(values))}


def _slider_json(s):
    step = s.values[1] - s.values[0]
    return {
        "name": s.name,
        "min": s.values[0],
        "step": step,
        "index": s.index,
        "readouts": [s.readout(v) for v in s.values],
    }


def _symbol(s):
    """The slider's symbol (``"w_H"``, ``"\\rho"``) as mathtext."""
    return f"${s.symbol}$"


def _row(s):
    """One labelled range input, its default marked on the track, and the readout of its
    value (not a live region: the input's aria-valuetext already announces the value)."""
    value = s.readout(s.values[s.index])
    name = mathtext.html(s.description) if s.description else mathtext.html(_symbol(s))
    aria = html.escape(f"{mathtext.plain(s.description)} {mathtext.plain(_symbol(s))}".strip())
    step = s.readout(s.values[1] - s.values[0])
    at = round(s.index / (len(s.values) - 1), 4)
    return (
        f'<div class="rnnfig-row"><label><span class="rnnfig-name">{name}</span>'
        f'<span class="rnnfig-track" style="--rnnfig-at:{at}">'
        f'<input type="range" min="{s.readout(s.values[0])}" max="{s.readout(s.values[-1])}" '
        f'step="{step}" value="{value}" aria-label="{aria}" aria-valuetext="{value}"></span>'
        f'</label><output aria-hidden="true">{mathtext.html(_symbol(s))} = <span>{value}</span>'
        "</output></div>"
    )


def still_png(fig):
    """PNG bytes of ``fig.small_multiples()`` at ``STILL_DPI``, and its CSS size (w, h)."""
    from .mpl import to_png

    figure = fig.small_multiples()
    w, h = (round(v * 100) for v in figure.get_size_inches())
    return to_png(figure, dpi=STILL_DPI, colors=256), (w, h)


def figure_html(fig, data, renderer=True, still=None):
    """The markup of ``fig``: controls (inputs, a reset to the defaults), an empty SVG that
    ``renderer.js`` draws, a box it fills with the ``frames`` for paper, the JSON ``data``
    and, without JavaScript, the image ``still`` (PNG bytes and CSS size, from
    :func:`still_png`) in place of the controls and the SVG. With ``renderer``, also the
    inline renderer with a call that draws every figure not yet drawn on the page."""
    alt = html.escape(fig.alt_text())
    defaults = mathtext.plain(fig.frame_label(fig.defaults()))
    parts = ['<div class="rnnfig">', '<div class="rnnfig-controls">']
    parts += [_row(s) for s in fig.sliders]
    reset = html.escape(tr("Reset to the defaults, {defaults}", defaults=defaults))
    parts.append(
        f'<button type="button" class="rnnfig-reset" aria-label="{reset}">'
        f"{html.escape(tr('Reset'))}</button></div>"
    )
    parts.append(
        f'<svg class="rnnfig-live" role="img" aria-label="{alt}" viewBox="0 0 {WIDTH} '
        f'{fig.height}" xmlns="http://www.w3.org/2000/svg"><title>{alt}</title></svg>'
        '<div class="rnnfig-print" aria-hidden="true"></div>'
    )
    if still is not None:
        png, (w, h) = still
        labels = "; ".join(mathtext.plain(fig.frame_label(v)) for v in fig.frames)
        src = "data:image/png;base64," + base64.b64encode(png).decode()
        still_alt = html.escape(tr("{alt} Shown at {labels}.", alt=fig.alt_text(), labels=labels))
        parts.append(
            "<noscript><style>.rnnfig-controls,.rnnfig-live{display:none!important}</style>"
            f'<img class="rnnfig-still" src="{src}" width="{w}" height="{h}" '
            f'alt="{still_alt}"></noscript>'
        )
    parts.append(
        f'<script type="application/json" class="rnnfig-data">{_json_for_script(data)}</script>'
    )
    if renderer:
        parts.append(f"<style>{STYLE}</style><script>{renderer_js()}</script>")
    parts.append("</div>")
    return "\n".join(parts)


def html_snapshot(figures, path, title="interactive figures"):
    """Write a standalone HTML page holding one or more figures, with one renderer.

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

    figures = [figures] if hasattr(figures, "sliders") else list(figures)
    body = "\n".join(f.to_html(renderer=False) for f in figures)
    page = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{STYLE}</style>"
        f'<link rel="icon" href="data:,"></head>\n<body>\n<main>\n{body}\n</main>\n'
        f"<script>{renderer_js()}</script>\n</body></html>\n"
    )
    path = Path(path)
    path.write_text(page, encoding="utf8")
    return path
