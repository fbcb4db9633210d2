"""The book's slider figures in their static form: no kernel, one renderer per page.

``sliders`` reads SLIDERS_STATIC when a figure is displayed: set, it emits only the
kernel-free HTML (inputs, an SVG and the precomputed frames), without the renderer
script; unset, as in JupyterLab, it also emits live ipywidgets and inlines the
renderer. Setting the variable here, when Sphinx loads the extension, reaches every
kernel myst-nb starts, however the build is invoked (make book, or the build test).

Each page that holds a figure then loads the renderer and its stylesheet once, from
``_static/sliders/``, which this extension writes from the ``sliders`` package.

Each figure also carries, for a browser without JavaScript, an image of the frames its
text refers to (``Interactive.frames`` drawn by ``small_multiples()``), inline as a
``data:`` URL so that a standalone page or notebook output needs no other file. In the
book the image becomes a file, ``_images/rnnfig-<hash>.png``, so the page does not carry
it: with JavaScript on, a ``<noscript>`` image is never fetched. The frames' JSON travels
gzip-compressed in base64 (``sliders.static.compress_payloads``), a third of its size.
"""

import base64
import hashlib
import os
import re
from pathlib import Path

os.environ["SLIDERS_STATIC"] = "1"

FOLDER = "sliders"  # inside _static
MARKER = 'class="rnnfig"'
STILL = re.compile(r'(<img class="rnnfig-still" src=")data:image/png;base64,([A-Za-z0-9+/=]+)"')


def still_files(body, outdir, pathto):
    """``body`` with each figure's inline still image written to ``_images/`` and linked."""

    def to_file(match):
        png = base64.b64decode(match.group(2))
        name = f"_images/rnnfig-{hashlib.sha256(png).hexdigest()[:16]}.png"
        target = Path(outdir, name)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.is_file():
            target.write_bytes(png)
        return f'{match.group(1)}{pathto(name, 1)}"'

    return STILL.sub(to_file, body)


def _add_renderer(app, pagename, templatename, context, doctree):
    from sliders.static import compress_payloads

    if MARKER in context.get("body", ""):
        app.add_css_file(f"{FOLDER}/sliders.css")
        app.add_js_file(f"{FOLDER}/renderer.js")
        body = still_files(context["body"], app.outdir, context["pathto"])
        context["body"] = compress_payloads(body)


def _write_renderer(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    from sliders.static import STYLE, renderer_js

    folder = Path(app.outdir, "_static", FOLDER)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "renderer.js").write_text(renderer_js() + "\n", encoding="utf8")
    (folder / "sliders.css").write_text(STYLE + "\n", encoding="utf8")


def setup(app):
    app.connect("html-page-context", _add_renderer)
    app.connect("build-finished", _write_renderer)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
