"""Keep every page under 3 MB: drop pydata-sphinx-theme's fontawesome.js.

The theme loads ``_static/scripts/fontawesome.js`` (1.49 MB) on every page "so that
users can add custom icons": it swaps each ``<i class="fa-...">`` for an inline SVG.
The book adds no custom icons, and the theme's stylesheet already draws every Font
Awesome icon from its web font (``fa-solid-900.woff2``, 156 kB, which the pages load
anyway). Without the script the header icons look the same and the page is 1.49 MB
lighter.

The script tag sits in the theme's ``static/webpack-macros.html``. This extension
copies that file into a template folder that comes before the theme's, with the one
``<script>`` line removed, and stops the build if the line is not found (a theme
upgrade that moved it must be looked at, not silently ignored).
"""

import os
import re
from pathlib import Path

import pydata_sphinx_theme
from sphinx.errors import ExtensionError

MACROS = "static/webpack-macros.html"
FONTAWESOME = re.compile(r"[ \t]*<script[^>]*scripts/fontawesome\.js[^>]*></script>\n")


def theme_macros():
    """The text of the installed theme's webpack macros."""
    theme = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme"
    return (theme / MACROS).read_text(encoding="utf8")


def without_fontawesome(text):
    """``text`` with its one fontawesome.js script tag removed."""
    lean, found = FONTAWESOME.subn("", text)
    if found != 1:
        raise ExtensionError(f"expected one fontawesome.js <script> in {MACROS}, found {found}")
    return lean


def _write_macros(app, config):
    templates = Path(app.outdir).parent / ".rnn_lean" / "templates"
    (templates / "static").mkdir(parents=True, exist_ok=True)
    (templates / MACROS).write_text(without_fontawesome(theme_macros()), encoding="utf8")
    # Relative to the config folder, so that .buildinfo's hash of the configuration
    # does not depend on where the book is checked out.
    config.templates_path = [os.path.relpath(templates, app.confdir), *config.templates_path]


def setup(app):
    app.connect("config-inited", _write_macros)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
