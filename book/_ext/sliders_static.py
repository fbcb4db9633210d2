"""The book's slider figures in their static form: no kernel, one renderer per page.

``sliders`` reads SLIDERS_STATIC when a figure is displayed: set, it emits only the
kernel-free HTML (inputs, an SVG and the precomputed frames), without the renderer
script; unset, as in JupyterLab, it also emits live ipywidgets and inlines the
renderer. Setting the variable here, when Sphinx loads the extension, reaches every
kernel myst-nb starts, however the build is invoked (make book, or the build test).

Each page that holds a figure then loads the renderer and its stylesheet once, from
``_static/sliders/``, which this extension writes from the ``sliders`` package.
"""

import os
from pathlib import Path

os.environ["SLIDERS_STATIC"] = "1"

FOLDER = "sliders"  # inside _static
MARKER = 'class="rnnfig"'


def _add_renderer(app, pagename, templatename, context, doctree):
    if MARKER in context.get("body", ""):
        app.add_css_file(f"{FOLDER}/sliders.css")
        app.add_js_file(f"{FOLDER}/renderer.js")


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
